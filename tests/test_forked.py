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


def test_a_feed_consumes_in_a_child_what_this_process_and_its_own_child_send():
    feed = forked.Feed(lambda key, data: (key, len(data), os.getpid()))
    assert forked.in_two(lambda part: [feed.send(f"k{n}", b"x" * n) for n in part], list(range(6))) == [True] * 6
    done, error = feed.close()
    assert error is None and sorted(key for key, _, _ in done) == [f"k{n}" for n in range(6)]
    assert all(size == int(key[1:]) for key, size, _ in done)
    if (os.cpu_count() or 1) >= 2:
        assert {pid for _, _, pid in done} != {os.getpid()}


def test_a_feed_refuses_what_one_write_cannot_carry_and_reports_the_error_that_stopped_it():
    def consume(key, data):
        if key == "bad":
            raise OSError(28, "No space left on device")
        return key

    feed = forked.Feed(consume)
    if feed.pid is None:
        pytest.skip("no second core or no fork here: nothing is sent")
    assert not feed.send("large", b"x" * 5000)
    assert feed.send("a", b"1") and feed.send("bad", b"2") and feed.send("c", b"3")
    done, error = feed.close()
    assert done == ["a"] and isinstance(error, OSError) and "No space" in str(error)


def test_an_abandoned_feed_stops_its_child():
    feed = forked.Feed(lambda key, data: key)
    if feed.pid is None:
        pytest.skip("no second core or no fork here: no child to stop")
    pid = feed.pid
    feed.send("a", b"1")
    feed.abandon()
    with pytest.raises(ChildProcessError):
        os.waitpid(pid, os.WNOHANG)
