"""mdnet's own files in `.mdnet/`, for the caches: pickled records that cannot run code, the
folder's lock, and writers that run in a child process while the command goes on.

Every cache only ever saves work: a file that is missing, damaged, of another version, or that
cannot be written means only that the work is done again.
"""

from __future__ import annotations

import copyreg
import importlib
import dataclasses
import gc
import hashlib
import io
import operator
import os
import pickle
import stat
import sys
import threading
from collections.abc import Callable
from contextlib import contextmanager
from pathlib import Path

import mdnet
from mdnet import files as state, model
from mdnet.errors import OutputError
from mdnet.model import Vault

try:
    import fcntl
except ImportError:  # Windows: no fork either, so the cache is written before a run ends
    fcntl = None

SCHEMA = 1  # bump when the files' layout changes
LOCK = "lock"
BACKGROUND_MIN = 4000  # notes in a vault whose cache is written by a child process while the run goes on

# The modules a note's reading depends on: a change to any of them makes another `code_key`.
READER = ("model", "fields", "listing", "frontmatter", "notes", "links", "vault", "checks", "fast.disk",
          "fast.index")


def code_key() -> tuple:
    """What the cached readings depend on: mdnet's reader, its version, Python's and PyYAML's."""
    import yaml

    digest = hashlib.blake2b(digest_size=16)
    for name in READER:
        digest.update(Path(importlib.import_module(f"mdnet.{name}").__file__).read_bytes())
    return (SCHEMA, mdnet.__version__, sys.version_info[:2], yaml.__version__, digest.hexdigest())


# Frozen dataclasses with slots unpickle through a Python `__setstate__` that looks up the
# fields for every object; rebuilding them from their constructor is much quicker.
def _by_constructor(cls):
    values = operator.attrgetter(*(f.name for f in dataclasses.fields(cls)))
    return lambda obj: (cls, values(obj))


TABLE = copyreg.dispatch_table | {
    cls: _by_constructor(cls)
    for cls in (model.Problem, model.Link, model.Campaign, model.Contact, model.Meeting, model.NoteResult, Vault,
                model.Action)
}


_ALLOWED = {("mdnet.model", cls.__name__) for cls in TABLE if cls.__module__ == "mdnet.model"} | {
    ("mdnet.vault", "Assembler")} | {
    ("datetime", name) for name in ("date", "datetime", "time", "timedelta", "timezone")}


class _Unpickler(pickle.Unpickler):
    """Builds mdnet's records and dates, nothing else: a cache file that someone else put in a
    shared vault's `.mdnet/` cannot run code, it is only a damaged cache."""

    def find_class(self, module, name):
        if (module, name) not in _ALLOWED:
            raise pickle.UnpicklingError(f"{module}.{name} has no place in mdnet's cache")
        return super().find_class(module, name)


def dump(file, *values) -> None:
    pickler = pickle.Pickler(file, protocol=pickle.HIGHEST_PROTOCOL)
    pickler.dispatch_table = TABLE
    for value in values:
        pickler.dump(value)
        pickler.clear_memo()  # each value is read back by a fresh unpickler


def dumps(*values) -> bytes:
    """Values pickled as the cache files hold them, for `loads`."""
    buffer = io.BytesIO()
    dump(buffer, *values)
    return buffer.getvalue()


def loads(data: bytes):
    """What `dumps` gave, through the unpickler that builds nothing but mdnet's records."""
    return _Unpickler(io.BytesIO(data)).load()


@contextmanager
def no_gc():
    """Building hundreds of thousands of objects that form no cycles: the collector only slows it.

    Afterwards they are frozen out of its reach too: they live as long as the vault does, and
    every later collection would otherwise walk them all again."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        if enabled:
            gc.enable()


# What a damaged cache file raises as it is unpickled, once its checksum matched (a file of
# another version of mdnet, or one someone planted): anything else is a bug, and surfaces.
DAMAGE = (pickle.UnpicklingError, EOFError, ValueError, TypeError, AttributeError, ImportError, IndexError,
          KeyError, OverflowError, UnicodeDecodeError)
_SUM = 32  # bytes of the checksum that ends every cache file


def read(path: Path, key: tuple, signature: str | None = None, wait: bool = True):
    """The value stored after `key` (and `signature`, if given) in `path`, or None when missing,
    damaged (its checksum does not match), not a regular file, of another key or of another
    signature. With `wait`, a cache writer another run left behind is waited for first."""
    with _lock(path.parent, fcntl.LOCK_SH if fcntl and wait else 0):
        data = regular_bytes(path)
    if data is None or len(data) <= _SUM or hashlib.blake2b(data[:-_SUM], digest_size=_SUM).digest() != data[-_SUM:]:
        return None
    f = io.BytesIO(data[:-_SUM])
    try:
        with no_gc():
            if _Unpickler(f).load() != key or (signature is not None and _Unpickler(f).load() != signature):
                return None
            return _Unpickler(f).load()
    except DAMAGE:
        return None


def is_regular(path: Path) -> bool:
    """Whether `path` is a regular file, itself and not through a link."""
    try:
        return stat.S_ISREG(os.lstat(path).st_mode)
    except OSError:
        return False


def regular_bytes(path: Path) -> bytes | None:
    """The bytes of `path` when it is a regular file (not a link, a folder or a FIFO, which would
    hang the command); None otherwise, or when it cannot be read."""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0))
    except OSError:
        return None
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            return None
        with open(fd, "rb", closefd=False) as f:
            return f.read()
    except OSError:
        return None
    finally:
        os.close(fd)


def write(path: Path, *values) -> None:
    """Write a cache file: `values` pickled straight into it (a large index is never held whole in
    memory), then the checksum of those bytes."""

    def pickled(f) -> None:
        digest = hashlib.blake2b(digest_size=_SUM)

        class Summed:
            def write(self, data) -> int:
                digest.update(data)
                return f.write(data)

        dump(Summed(), *values)
        f.write(digest.digest())

    try:
        state.atomic_write(path, pickled, durable=False)
    except OutputError:
        pass  # a read-only vault still runs, only uncached


@contextmanager
def _lock(folder: Path, operation: int):
    """`flock(operation)` on `<folder>/lock` while the block runs (nothing where there is no flock,
    or no such folder yet)."""
    fd = _open_lock(folder) if operation else None
    if fd is None:
        yield None
        return
    try:
        fcntl.flock(fd, operation)
        yield fd
    finally:
        os.close(fd)


def _open_lock(folder: Path) -> int | None:
    """The lock file's descriptor; None where there is none to take: no `.mdnet/` yet, a
    read-only vault, or something other than a regular file in its place."""
    try:
        fd = os.open(folder / LOCK, os.O_RDWR | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0),
                     0o644)
    except OSError:
        return None
    if not stat.S_ISREG(os.fstat(fd).st_mode):
        os.close(fd)
        return None
    return fd


def locked(folder: Path):
    """The folder's lock, held alone while the block runs: no cache writer is at work meanwhile."""
    return _lock(folder, fcntl.LOCK_EX if fcntl else 0)


_writers: list[int] = []  # child processes writing cache files


def save(path: Path, notes: int, *values) -> None:
    """Write a cache file holding `values` (see `save_with`)."""
    save_with(path, notes, lambda target: write(target, *values))


def save_with(path: Path, notes: int, write: Callable[[Path], None]) -> None:
    """`write(path)`, a cache file.

    For a large vault a forked child writes it while this process goes on to plan and print,
    and may end before it is written: pickling a vault takes longer than planning it, and the
    user is waiting for the agenda, not for the cache. The child holds the folder's lock till it
    is done, so a run that needs the cache meanwhile waits for it rather than read every note."""
    if notes < BACKGROUND_MIN or not hasattr(os, "fork") or not fcntl or threading.active_count() > 1:
        write(path)
        return
    _reap()
    fd = _open_lock(path.parent)
    if fd is None:
        write(path)
        return
    try:
        try:  # taken here when free, so that no run reads the old file before the child writes
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            held = True
        except BlockingIOError:  # another run is writing or reading: the child waits for it, not this run
            held = False
        try:
            pid = os.fork()
        except OSError:  # no process to spare: write it now
            write(path)
            return
        if pid == 0:  # the child: its copy of `fd` holds the lock until it exits
            code = 0
            try:
                devnull = os.open(os.devnull, os.O_RDWR)
                for std in (0, 1, 2):  # a pipe reading this run's output is not kept open by the child
                    os.dup2(devnull, std)
                if not held:
                    fcntl.flock(fd, fcntl.LOCK_EX)
                with no_gc():  # collecting would touch, and so copy, every page shared with the parent
                    write(path)
            except BaseException:
                code = 1
            finally:
                os._exit(code)
    finally:
        os.close(fd)
    _writers.append(pid)


def writers() -> list[int]:
    """The child processes this one started to write cache files, and has not collected yet."""
    return list(_writers)


def _reap() -> None:
    """Collect the writers that are done (a long-running process starts one per save)."""
    for pid in list(_writers):
        try:
            if not os.waitpid(pid, os.WNOHANG)[0]:
                continue
        except ChildProcessError:  # collected elsewhere, as by a handler of SIGCHLD
            pass
        _writers.remove(pid)


