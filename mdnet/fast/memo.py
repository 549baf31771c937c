"""The output memo: a command run again on the same notes, the same day and the same options
answers with the bytes it made last time, without reading or planning the vault.
"""

from __future__ import annotations

import functools
import hashlib
import importlib.util
import operator
import os
import time
from pathlib import Path

import mdnet
from mdnet import files as state, listing, vault as reader
from mdnet.frontmatter import LIBYAML
from mdnet.errors import OutputError
from mdnet.fast import disk
from mdnet.fast.index import RACY_NS

def _signature(name: str, files: list[listing.File]) -> str:
    digest = hashlib.blake2b(digest_size=20)
    digest.update(f"{name}\0{reader.machine_zone()}\0{LIBYAML}\n".encode())
    digest.update(listing.paths_of(files).encode())
    digest.update(listing.stamps_of(files).tobytes())
    return digest.hexdigest()


OUTPUT = "output.pickle"


def output_key(root: Path, files: list[listing.File], what: tuple, templates: Path | None) -> str | None:
    """Everything a command's output depends on but the date: the notes (path, size, time), the
    user's templates, mdnet's own code, templates and catalogues, and the command's options.
    None while a note is too fresh to be told apart from its next save by size and time."""
    if max(map(operator.itemgetter(3), files), default=0) >= time.time_ns() - RACY_NS:
        return None
    digest = hashlib.blake2b(digest_size=20)
    digest.update(_signature(Path(root).resolve().name, files).encode())
    digest.update(repr((package_key(), what)).encode())
    for path, size, mtime in sorted(state.signature(root, templates)):
        digest.update(f"{path}\0{size}\0{mtime}\n".encode())
    return digest.hexdigest()


@functools.cache
def package_key() -> tuple:
    """`disk.code_key`, for what depends on all of mdnet: its code, catalogues and built-in templates,
    and the libraries that write its outputs (a new Babel writes dates otherwise), told by the
    versions installed where they are."""
    digest = hashlib.blake2b(digest_size=16)
    package = Path(mdnet.__file__).parent
    builtin = package / "templates" if (package / "templates").is_dir() else package.parent / "templates"
    for path in sorted((*package.rglob("*.py"), *package.rglob("*.po"), *builtin.glob("*"))):
        digest.update(path.read_bytes())
    folders = {os.path.dirname(os.path.dirname(spec.origin)) for name in LIBRARIES
               if (spec := importlib.util.find_spec(name)) is not None and spec.origin}
    for folder in sorted(folders):
        installed = sorted(n for n in os.listdir(folder) if n.endswith((".dist-info", ".egg-info")))
        digest.update("\n".join(installed).encode())
    return *disk.code_key(), digest.hexdigest()


LIBRARIES = ("yaml", "babel", "jinja2", "icalendar", "orjson", "markdown_it")


def recall(root: Path, key: str) -> tuple[str, object, bytes] | None:
    """(the campaign's zone, the date, the bytes) a command last produced with this key."""
    folder = state.own_folder(root)
    return disk.read(folder / OUTPUT, disk.code_key(), key, wait=False) if folder is not None else None


def remember(root: Path, key: str, zone: str, day, data: bytes) -> None:
    try:
        disk.write(state.state_dir(root) / OUTPUT, disk.code_key(), key, (zone, day, data))
    except OutputError:
        pass

