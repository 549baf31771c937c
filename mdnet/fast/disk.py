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


def read(path: Path, key: tuple, signature: str | None = None, wait: bool = True):
    """The value stored after `key` (and `signature`, if given) in `path`, or None when missing,
    corrupt, of another key or of another signature. Each is checked before the value is loaded.
    With `wait`, a cache writer another run left behind is waited for first."""
    try:
        with _lock(path.parent, fcntl.LOCK_SH if fcntl and wait else 0), open(path, "rb") as f, no_gc():
            if _Unpickler(f).load() != key or (signature is not None and _Unpickler(f).load() != signature):
                return None
            return _Unpickler(f).load()
    except Exception:  # any damage to a cache file means only that it is rebuilt
        return None


def write(path: Path, *values) -> None:
    try:
        # Pickled straight into the file: a large index is never held whole in memory.
        state.atomic_write(path, lambda f: dump(f, *values), durable=False)
    except OutputError:
        pass  # a read-only vault still runs, only uncached


@contextmanager
def _lock(folder: Path, operation: int):
    """`flock(operation)` on `<folder>/lock` while the block runs (nothing where there is no flock,
    or no such folder yet)."""
    if not operation:
        yield None
        return
    try:
        fd = os.open(folder / LOCK, os.O_RDWR | os.O_CREAT, 0o644)
    except OSError:  # no `.mdnet/` yet, or a read-only vault: nobody writes there
        yield None
        return
    try:
        fcntl.flock(fd, operation)
        yield fd
    finally:
        os.close(fd)


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
    try:
        fd = os.open(path.parent / LOCK, os.O_RDWR | os.O_CREAT, 0o644)
    except OSError:
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


