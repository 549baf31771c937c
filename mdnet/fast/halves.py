"""Work on many items in two processes at once: the second half in a forked child while this
process does the first, where there are two cores, many items and no other thread (a fork
copies only the thread that calls it). What the child gives, or raises, comes back pickled
through a pipe. A first `mdnet export vcard` makes ten thousand cards so.
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


def in_two(work: Callable[[Sequence[T]], list[R]], items: Sequence[T]) -> list[R]:
    """`work(items)`, as two halves at once; an error in either half is raised here. The work
    must have no effect but its answer: the child's effects on memory are lost with it."""
    if len(items) < max(LEAST, 2) or (os.cpu_count() or 1) < 2 or not hasattr(os, "fork") \
            or threading.active_count() > 1:
        return work(items)
    half = len(items) // 2
    read, write = os.pipe()
    try:
        pid = os.fork()
    except OSError:  # no process to spare
        os.close(read)
        os.close(write)
        return work(items)
    if pid == 0:  # the child: its answer down the pipe, then gone without running the parent's exit code
        os.close(read)
        code = 0
        try:
            try:
                answer = pickle.dumps((True, work(items[half:])), pickle.HIGHEST_PROTOCOL)
            except BaseException as e:
                answer = pickle.dumps((False, e), pickle.HIGHEST_PROTOCOL)
            with open(write, "wb") as pipe:
                pipe.write(answer)
        except BaseException:
            code = 1
        finally:
            os._exit(code)
    os.close(write)
    try:
        mine, error = work(items[:half]), None
    except BaseException as e:
        mine, error = None, e
    with open(read, "rb") as pipe:  # read before waiting: the answer may not fit in the pipe
        answer = pipe.read()
    os.waitpid(pid, 0)
    if error is not None:
        raise error
    if not answer:  # the child was stopped (out of memory, say), or its error would not pickle
        return mine + work(items[half:])
    done, theirs = pickle.loads(answer)
    if not done:
        raise theirs
    return mine + theirs
