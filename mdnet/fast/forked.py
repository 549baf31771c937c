"""Work done in a forked child while this process goes on, where there are two cores and no
other thread (a fork copies only the thread that calls it). What the child gives, or raises,
comes back pickled through a pipe; where no child can be had, or it ends without an answer,
the work is done here. The work of `ahead` and `in_two` must have no effect but its answer.

    ahead(work)             work() begun in a child now; the function returned gives its answer
    in_two(work, items)     work(items), its second half in a child while this process does the first
    Feed(consume)           consume(key, data) in a child for each pair sent, as they are made

A first `mdnet export vcard` makes ten thousand cards in two halves, each staged on the disk by a
third process as soon as it is made; an export lists the vault's folders while it reads its own
records.
"""

from __future__ import annotations

import os
import pickle
import select
import signal
import struct
import threading
from collections.abc import Callable, Sequence
from typing import TypeVar

T = TypeVar("T")
R = TypeVar("R")
LEAST = 2000  # fewer items than this: forking costs more than it saves


def _forked(answer: Callable[[], bytes]) -> tuple[int, int] | None:
    """A forked child that writes `answer()` down a pipe and ends without running this process's
    exit code: its pid and the pipe's end to read; None where no child can be had."""
    if (os.cpu_count() or 1) < 2 or not hasattr(os, "fork") or threading.active_count() > 1:
        return None
    read, write = os.pipe()
    try:
        pid = os.fork()
    except OSError:  # no process to spare
        os.close(read)
        os.close(write)
        return None
    if pid == 0:
        os.close(read)
        code = 0
        try:
            data = answer()
            with open(write, "wb") as pipe:
                pipe.write(data)
        except BaseException:
            code = 1
        finally:
            os._exit(code)
    os.close(write)
    return pid, read


def _collect(pid: int, read: int) -> bytes:
    """What the child wrote (read before waiting for it: the answer may not fit in the pipe)."""
    with open(read, "rb") as pipe:
        data = pipe.read()
    os.waitpid(pid, 0)
    return data


def ahead(work: Callable[[], R]) -> Callable[[], R]:
    """`work()` begun in a forked child; call what is returned (once) for its answer."""

    def pickled() -> bytes:
        try:
            return pickle.dumps((True, work()), pickle.HIGHEST_PROTOCOL)
        except BaseException as e:
            return pickle.dumps((False, e), pickle.HIGHEST_PROTOCOL)

    child = _forked(pickled)
    if child is None:
        return work

    def answer() -> R:
        data = _collect(*child)
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


class Feed:
    """`consume(key, data)` called in a forked child for each pair handed over by `send`, while
    this process (or a child of its own, forked after: `in_two`) goes on making the next; `close`
    gives what the calls returned. A pair travels as one write to a pipe, whole however many
    processes send at once, so a pair too large for that (more than `select.PIPE_BUF` bytes with
    its frame) is not sent, nor any pair where no child can be had: `send` returns False, and the
    caller deals with that pair itself. A first `mdnet export vcard` has its cards staged so while
    it makes the next ones: the disk's time and the cards' overlap."""

    _FRAME = struct.Struct("<II")

    def __init__(self, consume: Callable[[str, bytes], R]):
        frames, self._frames = os.pipe()

        def consumed() -> bytes:  # in the child: consume until the empty frame, then answer
            os.close(self._frames)
            done, error = [], None
            with open(frames, "rb") as pipe:
                while len(head := pipe.read(self._FRAME.size)) == self._FRAME.size:
                    size, length = self._FRAME.unpack(head)
                    if not size:
                        break
                    key, data = pipe.read(size).decode("utf-8"), pipe.read(length)
                    if error is None:  # after an error, the rest is only drained
                        try:
                            done.append(consume(key, data))
                        except BaseException as e:
                            error = e
            try:
                return pickle.dumps((done, error), pickle.HIGHEST_PROTOCOL)
            except Exception:  # an error that does not pickle
                return pickle.dumps((done, OSError(str(error))), pickle.HIGHEST_PROTOCOL)

        child = _forked(consumed)
        os.close(frames)
        if child is None:
            os.close(self._frames)
        self.pid, self._answers = child or (None, None)

    def send(self, key: str, data: bytes) -> bool:
        """Hand `data` over under `key` (not empty); False when it was not (see the class)."""
        name = key.encode("utf-8")
        frame = self._FRAME.pack(len(name), len(data)) + name + data
        if self.pid is None or not name or len(frame) > select.PIPE_BUF:
            return False
        os.write(self._frames, frame)  # up to PIPE_BUF bytes: written whole, or not at all
        return True

    def close(self) -> tuple[list[R] | None, BaseException | None]:
        """What `consume` returned for each pair sent, in order, and the error that stopped it if
        one did; (None, None) when the child ended without an answer (nothing it did can be told)."""
        if self.pid is None:
            return [], None
        os.write(self._frames, self._FRAME.pack(0, 0))
        os.close(self._frames)
        answer, self.pid = _collect(self.pid, self._answers), None
        return pickle.loads(answer) if answer else (None, None)

    def abandon(self) -> None:
        """Stop the child (this process failed before `close`); what it made is left for `files.sweep`."""
        if self.pid is None:
            return
        os.close(self._frames)
        os.close(self._answers)
        try:
            os.kill(self.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        os.waitpid(self.pid, 0)
        self.pid = None
