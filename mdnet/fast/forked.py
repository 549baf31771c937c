"""Work done in a forked child while this process goes on, where there are two cores and no
other thread (a fork copies only the thread that calls it). What the child gives, or raises,
comes back pickled through a pipe; where no child can be had, or it ends without an answer,
the work is done here. The work must have no effect but its answer.

    ahead(work)             work() begun in a child now; the function returned gives its answer
    in_two(work, items)     work(items), its second half in a child while this process does the first

A first `mdnet export vcard` makes ten thousand cards in two halves, and lists the vault's
folders while it reads its own records.
"""

from __future__ import annotations

import os
import pickle
import threading
from collections.abc import Callable, Sequence
from typing import TypeVar

T = TypeVar("T")
R = TypeVar("R")
LEAST = 2000  # fewer items than this: forking costs more than it saves


def ahead(work: Callable[[], R]) -> Callable[[], R]:
    """`work()` begun in a forked child; call what is returned (once) for its answer."""
    if (os.cpu_count() or 1) < 2 or not hasattr(os, "fork") or threading.active_count() > 1:
        return work
    read, write = os.pipe()
    try:
        pid = os.fork()
    except OSError:  # no process to spare
        os.close(read)
        os.close(write)
        return work
    if pid == 0:  # the child: its answer down the pipe, then gone without running the parent's exit code
        os.close(read)
        code = 0
        try:
            try:
                answer = pickle.dumps((True, work()), pickle.HIGHEST_PROTOCOL)
            except BaseException as e:
                answer = pickle.dumps((False, e), pickle.HIGHEST_PROTOCOL)
            with open(write, "wb") as pipe:
                pipe.write(answer)
        except BaseException:
            code = 1
        finally:
            os._exit(code)
    os.close(write)

    def answer() -> R:
        with open(read, "rb") as pipe:  # read before waiting: the answer may not fit in the pipe
            data = pipe.read()
        os.waitpid(pid, 0)
        if not data:  # the child was stopped (out of memory, say), or its error would not pickle
            return work()
        done, value = pickle.loads(data)
        if not done:
            raise value
        return value

    return answer


def in_two(work: Callable[[Sequence[T]], list[R]], items: Sequence[T]) -> list[R]:
    """`work(items)`, as two halves at once when there are many items; an error in either half
    is raised here."""
    if len(items) < max(LEAST, 2):
        return work(items)
    half = len(items) // 2
    theirs = ahead(lambda: work(items[half:]))
    return work(items[:half]) + theirs()
