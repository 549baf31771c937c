"""Finding the vault and its notes: the folder, every `*.md` file below it, and each one read.

    find_vault(explicit, cwd)    --vault, else the nearest folder up that is a vault
    is_vault(folder)             whether a folder is one
    scan(root) -> files          walk the folder (skipping dot-folders and links to folders)
    note_at(root, rel)           what a scan would list at one path, as a watcher reports it
    read_file(file)              the note read from its bytes by `notes.read_note`
    note_bytes(path)             what the reader reads of a file
    hidden_character(name)       what in a name would forge lines, hide or reverse text, if anything
"""

from __future__ import annotations

import operator
import os
import re
import stat
import tempfile
import unicodedata
from array import array
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import NamedTuple

from mdnet.errors import VaultNotFound
from mdnet.fields import nfc
from mdnet.i18n import N_, tr
from mdnet.model import ERROR, WARNING, NoteResult, Problem, problem

# The reader (`notes`, `frontmatter`, PyYAML) is imported where a note is read: listing the
# folders, as a command does first, needs none of it.


def find_vault(explicit: Path | None, cwd: Path) -> Path:
    """--vault (or $MDNET_VAULT), else the nearest folder up from `cwd` that `is_vault`, passing
    over the home folder, the system's temporary folder and `/`: a command run from a folder that
    is in no vault says so, rather than reading every note below (SPEC section 2)."""
    if explicit is not None:
        if not explicit.is_dir():
            raise VaultNotFound(tr("no vault at %(folder)s: it is not a folder") % {"folder": explicit},
                                tr("Pass --vault with your notes' folder, or run `mdnet init DIR` to make one."))
        return explicit
    never = _never_a_vault()
    for folder in (cwd, *cwd.parents):
        if folder.resolve() not in never and is_vault(folder):
            return folder
    raise VaultNotFound(tr("no vault in %(folder)s or any folder above it: none holds a campaign note, an "
                           ".obsidian/ or .mdnet/ folder, or a contacts or meetings folder") % {"folder": cwd},
                        tr("Run `mdnet init` to make a vault here (or `mdnet init DIR`), run the command from "
                           "inside your vault, or give its folder with --vault DIR or $MDNET_VAULT."))


def is_vault(folder: Path) -> bool:
    """Whether a folder is a vault: it holds `.obsidian/`, `.mdnet/`, a campaign note, or a folder
    of contacts or meetings (`Contacts`, `Reuniones`… in any case)."""
    from mdnet.notes import CONTACT_FOLDERS, MEETING_FOLDERS

    try:
        entries = list(os.scandir(folder))
    except OSError:
        return False
    for entry in entries:
        try:
            if entry.is_dir() and (entry.name in (".obsidian", ".mdnet")
                                   or nfc(entry.name).casefold() in CONTACT_FOLDERS | MEETING_FOLDERS):
                return True
        except OSError:
            continue
    return _holds_campaign(entries)


def _never_a_vault() -> set[Path]:
    """The folders walking up never stops at: `/`, the home folder, the temporary folders."""
    folders = {Path("/"), Path(tempfile.gettempdir()), Path("/tmp"), Path("/var/tmp")}
    try:
        folders.add(Path.home())
    except RuntimeError:  # no home folder to be found
        pass
    return {f.resolve() for f in folders}


def _holds_campaign(entries: list[os.DirEntry]) -> bool:
    for entry in entries:
        if entry.name.endswith(".md") and entry.is_file():
            try:
                with open(entry.path, "rb") as f:
                    head = f.read(4096).decode("utf-8", "replace")
            except OSError:
                continue
            if re.search(r"^type\s*:\s*[\"']?(campaign|campa[ñn]a)\b", head, re.M | re.I):
                return True
    return False


class File(NamedTuple):  # a tuple: tens of thousands are made on every run
    path: str  # vault-relative, with `/`, NFC
    abspath: str
    size: int
    mtime_ns: int


def paths_of(files: list[File]) -> str:
    """The files' paths as one text, to compare or hash a listing at once."""
    return _listing(files)[0]


def stamps_of(files: list[File]) -> array:
    """The files' sizes, then their times."""
    return _listing(files)[1]


def _listing(files: list[File], last: list = [None, None]) -> tuple[str, array]:
    # A command hashes the listing and compares it with the store's: made once for both.
    if last[0] is not files:
        last[:] = files, ("\0".join(map(_PATH, files)), array("q", [*map(_SIZE, files), *map(_MTIME, files)]))
    return last[1]


_PATH, _SIZE, _MTIME = operator.itemgetter(0), operator.itemgetter(2), operator.itemgetter(3)
_new_file, _normalize = tuple.__new__, unicodedata.normalize


def stat_all(paths: Sequence[str]) -> array:
    """Each file's size and modification time (ns), one after the other; -1 and the error's
    number for a file that cannot be looked at."""
    found = array("q")
    add = found.append
    for path in paths:
        try:
            st = os.stat(path)
        except OSError as e:
            add(-1)
            add(e.errno or 0)
            continue
        add(st.st_size)
        add(st.st_mtime_ns)
    return found


def scan(root: Path, stats: Callable[[Sequence[str]], array] = stat_all) -> tuple[list[File], list[Problem]]:
    """Every `*.md` below root, skipping folders whose name starts with `.`; sorted by path.

    The vault is read where it is: links to folders are not followed (Obsidian does not follow
    them either), and a link to a file only when the file is inside the vault. The notes are
    found first, then looked at all at once by `stats` (`stat_all`, or a caller's that does the
    same work in two processes)."""
    notes: list[tuple[str, str]] = []  # each note's vault-relative path and its path on the disk
    problems: list[Problem] = []
    inside = _Inside(root)
    seen_dirs: set[tuple[int, int]] = set()
    recomposed = False  # whether a file's name was not in NFC
    stack = [(str(root), "")]
    while stack:
        folder, rel = stack.pop()
        try:
            st = os.stat(folder)
            if (st.st_dev, st.st_ino) in seen_dirs:
                problems.append(problem(None, None, WARNING, "link-loop", N_("folder '%(folder)s' leads back to a "
                                        "folder already read (a link loop); its notes are read once"), folder=rel))
                continue
            seen_dirs.add((st.st_dev, st.st_ino))
            entries = list(os.scandir(folder))
        except OSError as e:
            problems.append(problem(None, None, WARNING, "unreadable", N_("cannot read folder '%(folder)s': "
                                    "%(reason)s; its notes are left out"), folder=rel or ".", reason=e.strerror))
            continue
        # Tens of thousands of entries: the folder's part of each path is worked out once.
        prefix = f"{rel}/" if rel else ""
        normal = prefix if prefix.isascii() else nfc(prefix)  # NFC stops at the `/`
        recomposed = recomposed or normal != prefix
        # "/" is in no name, and composes with nothing: the whole is in NFC when every name is.
        names = "/".join([entry.name for entry in entries])
        undecoded, hiding = not _utf8(names), _HIDDEN.search(names) is not None
        composed_all = not undecoded and unicodedata.is_normalized("NFC", names)
        for entry in entries:
            name = entry.name
            if name[0] == ".":
                continue
            if undecoded and not _utf8(name):
                problems.append(problem(None, None, WARNING, "bad-file-name", N_("'%(file)s' has a name that is not "
                                        "UTF-8 text, so no link can name it: rename it; it is left out"),
                                        file=_shown(prefix + name)))
                continue
            try:
                if entry.is_symlink() and not inside.holds(entry.path):
                    # Said of what mdnet would have read: a note, or a folder of them.
                    if name.lower().endswith(".md") or os.path.isdir(entry.path):
                        problems.append(problem(None, None, WARNING, "outside-link", N_("'%(file)s' is a link to "
                                                "%(what_text)s; mdnet reads only what is inside the vault, so it "
                                                "is left out"), file=_shown(normal + name),
                                                what_text=inside.what(entry.path)))
                    continue
                # The common case first: this loop runs once per note on every command.
                if (name.endswith(".md") or name.lower().endswith(".md")) and entry.is_file():
                    if not composed_all:
                        composed = _normalize("NFC", name)
                        recomposed = recomposed or composed != name
                        name = composed
                    notes.append((normal + name, entry.path))
                    if hiding and (hidden := hidden_in(name)):
                        problems.append(problem(normal + name, None, WARNING, "bad-file-name",
                                                N_("this note's name holds %(char)s, %(what_text)s: rename it "
                                                   "without it"), char=hidden[0], what_text=hidden[1]))
                elif entry.is_dir(follow_symlinks=False):
                    stack.append((entry.path, prefix + name))
                    if hiding and (hidden := hidden_in(name)):
                        problems.append(problem(None, None, WARNING, "bad-file-name", N_("folder '%(folder)s' has a "
                                                "name holding %(char)s, %(what_text)s: rename it without it"),
                                                folder=normal + nfc(name), char=hidden[0], what_text=hidden[1]))
            except OSError as e:
                problems.append(problem(normal + nfc(name), 1, ERROR, "unreadable",
                                        N_("cannot read this note: %(reason)s"), reason=e.strerror))
    # Each File made without the named tuple's Python constructor.
    numbers, files = stats([abspath for _, abspath in notes]), []
    for (path, abspath), size, mtime in zip(notes, numbers[::2], numbers[1::2]):
        if size < 0:
            problems.append(problem(path, 1, ERROR, "unreadable", N_("cannot read this note: %(reason)s"),
                                    reason=os.strerror(mtime)))
        else:
            files.append(_new_file(File, (path, abspath, size, mtime)))
    files.sort(key=_PATH)
    # Two names that differ only in how an accent is encoded (é as one character, or e and a
    # mark) are one name to every link, so one note: the one named in NFC (as mdnet and most
    # editors write names) is read, the other reported.
    for i in range(len(files) - 1, 0, -1) if recomposed else ():
        if files[i].path == files[i - 1].path:
            if files[i].abspath.endswith(files[i].path):
                files[i - 1], files[i] = files[i], files[i - 1]
            other = os.path.relpath(files[i].abspath, root)
            problems.append(problem(files[i].path, None, WARNING, "same-name-encoding",
                                    N_("another file has this name with its accents encoded another way, so no "
                                       "link can tell them apart: rename one; '%(other)s' is left out"), other=other))
            del files[i]
    # In the order of the vault's other problems, not in the order the file system lists names.
    problems.sort(key=lambda p: (p.path is not None, p.path or "", p.line or 0, p.text, repr(p.params)))
    return files, problems


def odd_paths(root: Path, files: list[File]) -> dict[int, str]:
    """The files (by their place in `files`) whose path on the disk is not the root's joined with
    their path by `/` (a name not in NFC, a link): the others' can be made again from the path."""
    prefix = f"{root}/"
    return {i: f.abspath for i, f in enumerate(files) if f.abspath != prefix + f.path}


class _Inside:
    """Whether a link found in the vault leads to a file inside it."""

    def __init__(self, root: Path):
        self.root = os.path.realpath(root)

    def holds(self, path: str) -> bool:
        """A link to a file inside the vault; never a link to a folder (`scan` does not follow them)."""
        target = os.path.realpath(path)
        return os.path.commonpath((self.root, target)) == self.root and os.path.isfile(target)

    def what(self, path: str) -> str:
        target = os.path.realpath(path)
        if os.path.isdir(target):
            return N_("a folder (mdnet follows no link to a folder, as Obsidian does not)")
        return N_("a file outside the vault") if os.path.exists(target) else N_("nothing (a broken link)")


def _shown(name: str) -> str:
    """A name as the file system gave it, printable even where it is not UTF-8."""
    return name.encode("utf-8", "surrogateescape").decode("utf-8", "replace")


def note_at(root: Path, rel: str) -> tuple[str, File | None] | None:
    """What `scan` would list at the vault-relative path `rel`, as a file watcher reports it: its
    path and its File, or None for the File when no note is there now. None when only a scan can
    tell: a folder, a name that is not UTF-8 text or not in NFC (another file may have the same
    name in NFC), a name the scan warns about (`hidden_character`), a file that cannot be looked at."""
    if not _utf8(rel) or _HIDDEN.search(rel):
        return None
    path = rel if rel.isascii() else nfc(rel)
    if path != rel:
        return None
    full = os.path.join(root, rel)
    try:
        st = os.lstat(full)
    except FileNotFoundError:
        return path, None
    except OSError:
        return None
    if stat.S_ISDIR(st.st_mode):
        return None
    if stat.S_ISLNK(st.st_mode):
        if not _Inside(root).holds(full):
            return None  # a scan says why it is left out
        st = os.stat(full)
    if not stat.S_ISREG(st.st_mode) or not rel.lower().endswith(".md") or any(
            part.startswith(".") for part in rel.split("/")):
        return path, None
    return path, File(path, full, st.st_size, st.st_mtime_ns)


def _utf8(name: str) -> bool:
    """Whether a file name decoded from the file system is text (bytes that are not UTF-8 come
    through as lone surrogates, which no note, link or output can hold)."""
    return _UNDECODED.search(name) is None


_UNDECODED = re.compile("[\udc80-\udcff]")

# What a note's name must not hold: control characters and line breaks (a name printed into the
# agenda or a terminal would add lines or escape sequences), zero-width characters (two names
# that look the same would not be) and bidirectional overrides and isolates (the name, and what
# follows it on its line, would read in another order than it is written).
_HIDDEN = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\u200b-\u200d\u2060\ufeff\u202a-\u202e\u2066-\u2069]")
_LINE_BREAKS = "\n\r\x0b\x0c\x85\u2028\u2029"


def hidden_character(name: str) -> str | None:
    """The first character of `name` that `_HIDDEN` finds, said for a person in their language
    ("U+202E, a direction override"); None when there is none."""
    found = hidden_in(name)
    return f"{found[0]}, {tr(found[1])}" if found is not None else None


def hidden_in(name: str) -> tuple[str, str] | None:
    """The first character of `name` that `_HIDDEN` finds, and what it is: ("U+202E", "a
    direction override"), the second a message of the user's catalogue; None when there is none."""
    found = _HIDDEN.search(name)
    if found is None:
        return None
    c = found.group()
    what = (N_("a line break") if c in _LINE_BREAKS else N_("a control character") if c <= "\x9f" else
            N_("a direction override") if "\u202a" <= c <= "\u202e" else
            N_("a direction isolate") if "\u2066" <= c <= "\u2069" else N_("a zero-width character"))
    return f"U+{ord(c):04X}", what


def read_file(f: File) -> NoteResult:
    from mdnet.notes import read_note

    try:
        data = note_bytes(f.abspath)
    except OSError as e:
        return NoteResult(f.path, None, None, (problem(f.path, 1, ERROR, "unreadable",
                                                       N_("cannot read this note: %(reason)s"), reason=e.strerror),))
    return read_note(f.path, data)


def note_bytes(path: str) -> bytes:
    """What the reader reads of a file: its bytes, or the first READ_LIMIT of them and one more,
    which tells `frontmatter.properties` that the note goes on."""
    from mdnet.frontmatter import READ_LIMIT

    with open(path, "rb") as fh:
        return fh.read(READ_LIMIT + 1)
