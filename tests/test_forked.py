"""`fast.forked.in_two`: the work of many items in two processes gives what one process gives,
and a failure in either half is raised."""

from __future__ import annotations

import os

import pytest

from mdnet.fast import forked


@pytest.fixture(autouse=True)
def few(monkeypatch):
    monkeypatch.setattr(forked, "LEAST", 2)


def test_two_forked_give_what_one_process_gives():
    pids = forked.in_two(lambda part: [(n * n, os.getpid()) for n in part], range(10))
    assert [square for square, _ in pids] == [n * n for n in range(10)]
    if (os.cpu_count() or 1) >= 2:  # the second half was worked in another process
        assert pids[0][1] == os.getpid() != pids[-1][1]


@pytest.mark.parametrize("failing", ["first", "second"])
def test_a_half_that_fails_is_raised(failing):
    def work(part):
        if (part[0] == 0) == (failing == "first"):
            raise OSError(13, "Permission denied")
        return list(part)

    with pytest.raises(OSError, match="Permission denied"):
        forked.in_two(work, list(range(6)))


def test_a_child_that_cannot_answer_leaves_its_half_to_this_process():
    def work(part):
        if os.getpid() != parent:
            os._exit(9)  # as if the system stopped it
        return [n + 1 for n in part]

    parent = os.getpid()
    assert forked.in_two(work, list(range(6))) == [1, 2, 3, 4, 5, 6]


def test_work_ahead_is_done_by_a_child_while_this_process_goes_on():
    answer = forked.ahead(lambda: os.getpid())
    if (os.cpu_count() or 1) >= 2:
        assert answer() != os.getpid()
    failing = forked.ahead(lambda: 1 / 0)
    with pytest.raises(ZeroDivisionError):
        failing()
