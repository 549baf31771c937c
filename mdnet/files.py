"""Writing files safely: whole or not at all, one writer at a time, and mdnet's own folder inside
the vault.

A reader (Obsidian, a calendar client, `mdnet serve`) must never see half a file, so every file
mdnet writes goes to a temporary file in the same folder and is then renamed over the target,
which is atomic on one file system. A writer killed before the rename leaves its temporary file
behind; the next one to write in that folder removes it (`sweep`).

Two commands that edit the same note at once would each read it, and the second to write would
undo the first's edit; `writing` is the vault's lock that makes the second wait for the first.
"""

from __future__ import annotations

import os
import re
import secrets
import stat
import sys
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO

from mdnet.errors import NoteRefused, OutputError
from mdnet.i18n import tr

try:
    import fcntl
except ImportError:  # Windows, where msvcrt's locking takes its place
    fcntl = None
try:
    import msvcrt
except ImportError:  # every system but Windows
    msvcrt = None

STATE_DIR = ".mdnet"
NOTES_LOCK = "notes.lock"
LOCK_WAIT = 30.0  # seconds a writer waits for another before it gives up
STALE = 300  # seconds after which mdnet's temporary file, unchanged, has no writer at work on it
# The temporary files mdnet writes: `atomic_write`'s, and the plan store's (`fast/store.py`), named
# after the process that writes it.
_TEMPORARY = re.compile(r"\..+\.[0-9a-f]{8}\.tmp")
_STORE_TEMPORARY = re.compile(r"plan\.sqlite\.([0-9]+)\.tmp")


def atomic_write(path: Path, data: bytes | Callable[[BinaryIO], None], mode: int = 0o666,
                 durable: bool = True) -> None:
    """Replace `path` with `data` in one step; `data` may be a function that writes into the file.

    A new file gets `mode` less the umask (0o600 for a secret); an existing one keeps its mode.
    `durable` waits for the data to reach the disk before the rename, so that a crash cannot
    leave an empty file behind; a cache, which is rebuilt when damaged, does without.
    A failure leaves the old file as it was and raises OutputError with advice.
    """
    path = Path(path)
    with _failing_as_output(path):
        _install(_temporary(path, data, mode, durable), path)


def stage(path: Path | str, data: bytes) -> str:
    """The first half of writing many files at once: `data` in a temporary file beside `path`, not
    yet flushed. Flush them all at once (`os.sync`), then `install` or `place` each, then
    `sync_folders`: no name ever points at data that may not be on the disk yet."""
    with _failing_as_output(path):
        return _temporary(path, data, 0o666, False)


def write_staged(written: list[tuple[Path, bytes]], name: Callable[[str, Path], None]) -> None:
    """Many files written in three steps (where `SYNC_WAITS`): every file's bytes staged beside it
    (`stage`); one `sync`; then `name(staged, path)` for each (`install`, or `place` and its
    checks), then the folders flushed (`name_staged`). No name is given before the sync, so a
    crash at any moment leaves each file whole, old or new."""
    staged: list[tuple[Path, str]] = []
    try:
        for path, data in written:
            staged.append((path, stage(path, data)))
    except BaseException:
        for _, tmp in staged:
            remove(tmp)
        raise
    name_staged(staged, name)


def name_staged(staged: list[tuple[Path, str]], name: Callable[[str, Path], None]) -> None:
    """The last steps of `write_staged`, for files already staged (each path with its staged
    file): one `sync`, then `name(staged, path)` for each, then the folders flushed. A `name`
    that raises stops there, and the files not yet named are removed."""
    named = 0
    try:
        sync()
        for path, tmp in staged:
            name(tmp, path)
            named += 1
    finally:
        for _, tmp in staged[named:]:
            remove(tmp)
    sync_folders({path.parent for path, _ in staged})


# `os.sync` returns only once the data is written on Linux; elsewhere (macOS) it may return before.
SYNC_WAITS = sys.platform.startswith("linux")


def sync() -> None:
    """Everything written so far on the disk, in one wait (Linux: see `SYNC_WAITS`)."""
    if hasattr(os, "sync"):  # not on Windows
        os.sync()


def install(tmp: str, path: Path) -> None:
    """The second half for a file that is replaced: the staged file renamed over `path`, keeping its mode."""
    with _failing_as_output(path):
        _install(tmp, path)


def _install(tmp: str, path: Path) -> None:
    try:
        try:
            os.chmod(tmp, os.stat(path).st_mode & 0o7777)
        except FileNotFoundError:
            pass
        os.replace(tmp, path)
    except BaseException:
        remove(tmp)
        raise


def create(path: Path, data: bytes) -> bool:
    """Write a new file whole and flushed to disk, never over one: False, with nothing written, when
    `path` exists, even if it appeared a moment ago."""
    path = Path(path)
    with _failing_as_output(path):
        return place(_temporary(path, data, 0o666, True), path)


def place(tmp: str, path: Path) -> bool:
    """The second half for a new file: the staged file given the name `path` unless a file has it
    (False, and the staged file is removed). A hard link of the complete file fails if the name
    exists; where links are not supported, check, then rename."""
    with _failing_as_output(path):
        try:
            try:
                os.link(tmp, path)
            except FileExistsError:
                return False
            except OSError:
                if path.exists() or path.is_symlink():
                    return False
                os.replace(tmp, path)
            return True
        finally:
            remove(tmp)


def sync_folders(folders: Iterable[Path]) -> None:
    """The names given, renamed or removed in these folders, on the disk (where a folder can be
    flushed: not on Windows, where the file system journals names itself)."""
    for folder in folders:
        try:
            fd = os.open(folder, os.O_RDONLY)
        except OSError:
            continue
        try:
            os.fsync(fd)
        except OSError:  # a file system that cannot flush a folder
            pass
        finally:
            os.close(fd)


def _temporary(path: Path | str, data: bytes | Callable[[BinaryIO], None], mode: int, durable: bool) -> str:
    """`data` written whole to a new temporary file beside `path` (named as `sweep` knows it);
    its path, as text: an export stages thousands, and a `Path` for each costs more than the file."""
    folder, name = os.path.split(path)
    tmp = os.path.join(folder, f".{name}.{secrets.token_hex(4)}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, mode)
    try:
        if callable(data):
            with os.fdopen(fd, "wb", closefd=False) as f:
                data(f)
        else:  # without a file object: an import or an export writes thousands of files
            view = memoryview(data)
            while view:
                view = view[os.write(fd, view):]
        if durable:
            os.fsync(fd)
    except BaseException:
        os.close(fd)
        remove(tmp)
        raise
    os.close(fd)
    return tmp


def remove(path: str) -> None:
    """Remove a file, if it is there."""
    try:
        os.unlink(path)
    except FileNotFoundError:
        pass


@contextmanager
def _failing_as_output(path: Path) -> Iterator[None]:
    try:
        yield
    except OSError as e:
        raise OutputError(
            tr("cannot write %(path)s: %(reason)s") % {"path": path, "reason": e.strerror or e},
            tr("Check that its folder exists and that you may write there, or choose another file."),
        ) from None


def sweep(folder: Path) -> None:
    """Remove the temporary files that mdnet's writers, killed before they were done, left in
    `folder`: only files named as mdnet names them, and only those no writer is at work on
    (unchanged for STALE seconds, or, for the plan store's, whose process has ended). Anything
    else stays."""
    now = time.time()
    try:
        entries = os.scandir(folder)
    except OSError:  # no such folder yet: nothing to sweep
        return
    with entries:
        for entry in entries:
            name = entry.name
            if not name.endswith(".tmp"):
                continue
            store = _STORE_TEMPORARY.fullmatch(name)
            if not store and not _TEMPORARY.fullmatch(name):
                continue
            try:
                st = entry.stat(follow_symlinks=False)
                left = now - st.st_mtime > STALE or (store is not None and not _running(int(store[1])))
                if left and stat.S_ISREG(st.st_mode):
                    os.unlink(entry.path)
            except OSError:  # removed by another sweep meanwhile, a read-only vault: left for later
                continue


def _running(pid: int) -> bool:
    """Whether process `pid` exists (on Windows, where a signal cannot ask, it is assumed to)."""
    if os.name != "posix":  # there `os.kill` ends the process whatever the signal
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # another user's process
        return True
    return True


@contextmanager
def writing(root: Path) -> Iterator[None]:
    """The vault's lock for writing notes, held alone while the block runs.

    A command takes it around reading a note, working out its new bytes, checking that the disk
    still holds the bytes it read and writing them, so that of two commands at once the second
    waits, then reads what the first wrote, and no edit is lost. After LOCK_WAIT seconds it gives
    up with NoteRefused. The system lets go of it when its process ends, however it ends."""
    path = state_dir(root) / NOTES_LOCK
    try:
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    except OSError as e:
        raise OutputError(tr("cannot open %(path)s: %(reason)s") % {"path": path, "reason": e.strerror or e},
                          tr("mdnet locks the vault there while it writes notes; check that you may write in "
                             "%(folder)s.") % {"folder": path.parent}) from None
    try:
        deadline = time.monotonic() + LOCK_WAIT
        while not _lock(fd):
            if time.monotonic() > deadline:
                raise NoteRefused(tr("another mdnet command has been writing notes in %(root)s for over "
                                     "%(seconds).0f seconds; nothing was written") % {"root": root,
                                                                                       "seconds": LOCK_WAIT},
                                  tr("Run the command again once it is done."))
            time.sleep(0.02)
        try:
            yield
        finally:
            _unlock(fd)
    finally:
        os.close(fd)


def _lock(fd: int) -> bool:
    """Take the lock on `fd` if it is free. With neither flock nor Windows' locking there is no
    lock to take: writers then rely on the check that a note still holds the bytes they read,
    made just before the rename, which narrows the window but cannot close it."""
    try:
        if fcntl is not None:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        elif msvcrt is not None:
            os.lseek(fd, 0, os.SEEK_SET)
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
    except OSError:  # held by another process
        return False
    return True


def _unlock(fd: int) -> None:
    # Let go explicitly, not by closing `fd`: a cache writer forked while the lock was held has a
    # copy of it, which would keep the lock held until that writer ends.
    if fcntl is not None:
        fcntl.flock(fd, fcntl.LOCK_UN)
    elif msvcrt is not None:
        os.lseek(fd, 0, os.SEEK_SET)
        msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)


def state_dir(root: Path) -> Path:
    """`<vault>/.mdnet/`, created with a `.gitignore` of `*` so nothing in it is ever committed."""
    folder = Path(root) / STATE_DIR
    try:
        folder.mkdir(exist_ok=True)
    except FileExistsError:
        pass  # a file in its place: said below
    except OSError as e:
        raise OutputError(
            tr("cannot create %(path)s: %(reason)s") % {"path": folder, "reason": e.strerror or e},
            tr("mdnet keeps its cache, token and feed there; check that you may write in the vault."),
        ) from None
    if own_folder(root) is None:
        raise OutputError(
            tr("%(folder)s is a link or not a folder: mdnet keeps its cache, token and feed there, and writes "
               "nowhere but inside the vault") % {"folder": folder},
            tr("Remove %(folder)s, or make it a folder of its own, and run again.") % {"folder": folder})
    ignore = folder / ".gitignore"
    if not ignore.exists():
        atomic_write(ignore, b"*\n")
    sweep(folder)
    return folder


def own_folder(root: Path) -> Path | None:
    """`<vault>/.mdnet/` when it is a folder of the vault's own (not a link to one elsewhere, not a
    file), else None: what mdnet reads there it must also be the one writing."""
    folder = Path(root) / STATE_DIR
    try:
        return folder if stat.S_ISDIR(os.lstat(folder).st_mode) else None
    except OSError:
        return None


def signature(root: Path | None, templates: Path | None = None) -> frozenset[tuple[str, int, int]]:
    """(path, size, time) of each of the vault's own templates (and those of `templates`): what
    tells that they changed, to a long-running process (they live in a dot-folder, which the
    watcher does not follow) and to a kept environment."""
    seen = []
    folders = [Path(root) / STATE_DIR / "templates"] if root is not None else []
    folders += [templates] if templates is not None else []
    for folder in folders:
        for parent, _, names in os.walk(folder):  # links to folders are not followed: no loop
            for name in names:
                path = os.path.join(parent, name)
                try:
                    st = os.stat(path)
                except OSError:  # deleted while we looked, a broken link: Jinja says what it cannot load
                    continue
                seen.append((path, st.st_size, st.st_mtime_ns))
    return frozenset(seen)
