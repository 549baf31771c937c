"""Writing files safely: whole or not at all, and mdnet's own folder inside the vault.

A reader (Obsidian, a calendar client, `mdnet serve`) must never see half a file, so every file
mdnet writes goes to a temporary file in the same folder and is then renamed over the target,
which is atomic on one file system.
"""

from __future__ import annotations

import os
import secrets
import stat
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO

from mdnet.errors import OutputError

STATE_DIR = ".mdnet"


def atomic_write(path: Path, data: bytes | Callable[[BinaryIO], None], mode: int = 0o666,
                 durable: bool = True) -> None:
    """Replace `path` with `data` in one step; `data` may be a function that writes into the file.

    A new file gets `mode` less the umask (0o600 for a secret); an existing one keeps its mode.
    `durable` waits for the data to reach the disk before the rename, so that a crash cannot
    leave an empty file behind; a cache, which is rebuilt when damaged, does without.
    A failure leaves the old file as it was and raises OutputError with advice.
    """
    path = Path(path)
    tmp = path.with_name(f".{path.name}.{secrets.token_hex(4)}.tmp")
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, mode)
        try:
            with os.fdopen(fd, "wb") as f:
                if callable(data):
                    data(f)
                else:
                    f.write(data)
                if durable:
                    f.flush()
                    os.fsync(f.fileno())
            if path.exists():
                os.chmod(tmp, path.stat().st_mode & 0o7777)
            os.replace(tmp, path)
        except BaseException:
            tmp.unlink(missing_ok=True)
            raise
    except OSError as e:
        raise OutputError(
            f"cannot write {path}: {e.strerror or e}",
            "Check that its folder exists and that you may write there, or choose another file.",
        ) from None


def state_dir(root: Path) -> Path:
    """`<vault>/.mdnet/`, created with a `.gitignore` of `*` so nothing in it is ever committed."""
    folder = Path(root) / STATE_DIR
    try:
        folder.mkdir(exist_ok=True)
    except FileExistsError:
        pass  # a file in its place: said below
    except OSError as e:
        raise OutputError(
            f"cannot create {folder}: {e.strerror or e}",
            "mdnet keeps its cache, token and feed there; check that you may write in the vault.",
        ) from None
    if own_folder(root) is None:
        raise OutputError(
            f"{folder} is a link or not a folder: mdnet keeps its cache, token and feed there, and writes "
            "nowhere but inside the vault",
            f"Remove {folder}, or make it a folder of its own, and run again.")
    ignore = folder / ".gitignore"
    if not ignore.exists():
        atomic_write(ignore, b"*\n")
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
