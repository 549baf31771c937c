"""The campaign and contacts alone, for commands that need no more (`mdnet export vcard`).

They are kept in `.mdnet/contacts.pickle` with the listing they were read from (every note's
path, and its size and time as the bytes of an array), each contact's aliases and its `digest`.
Any command that reads the whole vault leaves it, with the index; after a few edits such a
command costs a listing of the folders, not a read of the vault's index. Like every cache
here, it only saves work: `MDNET_NO_CACHE=1` reads the vault.
"""

from __future__ import annotations

import hashlib
import operator
import time
from array import array
from collections.abc import Callable
from dataclasses import fields, replace
from pathlib import Path

from mdnet import files, listing
from mdnet.fast import disk
from mdnet.fast.index import RACY_NS
from mdnet.model import Campaign, Contact, NoteResult, Problem

CONTACTS = "contacts.pickle"  # the contacts as the last full read or `contacts` found them
_FEW = 64  # more changed notes than this: the whole vault is read again, through the index
_REWRITE = 8  # more changed notes than this since the record was written: it is written again


class Scanned:
    """The vault's files as `listing.scan` finds them, kept as one text of paths and an array of
    sizes and times (as a child process hands them over: `fast.scan_ahead`) until they are asked
    for as `listing.File`s. A file's path on the disk is the root's joined with its path, but
    for the few in `odd` (a name not in NFC, say)."""

    def __init__(self, root: str, paths: str, stamps: array, odd: dict[int, str], problems: list[Problem],
                 files: list[listing.File] | None = None):
        self.root, self.paths, self.stamps, self.odd, self.problems = root, paths, stamps, odd, problems
        self._files = files

    @classmethod
    def of(cls, root: Path, files: list[listing.File], problems: list[Problem]) -> Scanned:
        """The listing of `files`, as `listing.scan` gives them: they need not be made again."""
        return cls(str(root), listing.paths_of(files), listing.stamps_of(files), {}, problems, files)

    def __len__(self) -> int:
        return len(self.stamps) // 2

    @property
    def files(self) -> list[listing.File]:
        if self._files is None:
            paths = self.paths.split("\0") if self.paths else []
            self._files = [self._file(i, path) for i, path in enumerate(paths)]
        return self._files

    def files_at(self, places: list[int]) -> list[listing.File]:
        """The files at these places (ascending), the text of paths split no further than the last."""
        if self._files is not None:
            return [self._files[i] for i in places]
        parts = self.paths.split("\0", places[-1] + 1) if places else []
        return [self._file(i, parts[i]) for i in places]

    def _file(self, i: int, path: str) -> listing.File:
        abspath = self.odd.get(i) or f"{self.root}/{path}"
        return tuple.__new__(listing.File, (path, abspath, self.stamps[i], self.stamps[len(self) + i]))


def contacts(root: Path, listed: Callable[[], Scanned] | None = None
             ) -> tuple[Campaign, tuple[Contact, ...], dict[str, str]]:
    """The vault's campaign and contacts, as `fast.load(root).contacts` gives them, and each
    contact's `digest` by its path.

    When no note was added or removed since `contacts.pickle` was written and the only notes
    changed are a few contacts that stay contacts with the same aliases and the same
    `referred_by` target (so that every link resolves as before: `vault.Assembler`), only those
    are read again, not the whole vault. `listed` gives the vault's files (`fast.scan_ahead`),
    else it is scanned here."""
    from mdnet import fast

    if not fast.enabled():
        vault = fast.load(root, with_checks=False)
        return vault.campaign, vault.contacts, {c.path: digest(c) for c in vault.contacts}
    folder = files.own_folder(root)
    kept = disk.read(folder / CONTACTS, _key()) if folder is not None else None
    # Checked, and its contacts put in order, while the folders may still be being listed.
    kept = kept if _well_kept(kept) else None
    then = _listed_contacts(kept[3]) if kept is not None else None
    found = listed() if listed is not None else Scanned.of(root, *fast.scan(root))
    updated = _updated(found, kept) if kept is not None else None
    if updated is None:
        vault, index = fast.indexed(root, found.files, found.problems, with_checks=False)
        kept = record(index.entries, vault.campaign, vault.contacts)
        if not index.saved:  # the index was current, and so did not leave the contacts with it
            save(root, len(found), kept)
        return vault.campaign, *_listed_contacts(kept[3])[:2]
    campaign, people, changed = updated
    contacts, digests, place = then
    if changed:
        contacts, digests = list(contacts), dict(digests)
        for path in changed:
            _, contacts[place[path]], digests[path] = people[path]
        contacts = tuple(contacts)
    # A few notes changed are read again next time too (a few ms each): cheaper than writing the
    # record, which for a large vault forks a writer that slows this process down (0.04 s).
    if len(changed) > _REWRITE:
        stamps, n = array("q", found.stamps), len(found)
        # A note saved within the clock's tick of now is read again next time (as `fast.index` does).
        racy_after = time.time_ns() - RACY_NS
        for i in range(n) if max(stamps[n:], default=0) >= racy_after else ():
            if stamps[n + i] >= racy_after:
                stamps[i] = stamps[n + i] = -1
        save(root, n, (found.paths, stamps.tobytes(), campaign, people))
    return campaign, contacts, digests


def _listed_contacts(people: dict[str, tuple]) -> tuple[tuple[Contact, ...], dict[str, str], dict[str, int]]:
    """The contacts of a record in order, their digests, and each one's place, by path."""
    return (tuple(c for _, c, _ in people.values()), {path: d for path, (_, _, d) in people.items()},
            {path: i for i, path in enumerate(people)})


def digest(contact: Contact) -> str:
    """What a contact reads as but for its path and name: what an Obsidian rename leaves alone."""
    return hashlib.sha256(repr(_read_as(contact)).encode("utf-8")).hexdigest()[:16]


# Every field of a contact but its path and name, in one call (`replace` is slow in bulk).
_read_as = operator.attrgetter(*(f.name for f in fields(Contact) if f.name not in ("path", "name")))


def _key(code_key: tuple | None = None) -> tuple:
    return (*(code_key or disk.code_key()), CONTACTS)


def write(path: Path, code_key: tuple, entries: dict[str, tuple[int, int, NoteResult]], campaign: Campaign,
          people: tuple[Contact, ...]) -> None:
    """Write `contacts.pickle` at `path` from an index's entries and the contacts a full read gave
    (the index's writer does, with the index)."""
    disk.write(path, _key(code_key), record(entries, campaign, people))


def record(entries: dict[str, tuple[int, int, NoteResult]], campaign: Campaign, people: tuple[Contact, ...]) -> tuple:
    """What `contacts.pickle` holds, from an index's entries (each note's size, time and reading,
    a note saved too recently to trust with -1 for both) and the contacts a full read gave."""
    paths = sorted(entries)  # as `listing.scan` lists them
    stamps = array("q", [*(entries[p][0] for p in paths), *(entries[p][1] for p in paths)])
    return ("\0".join(paths), stamps.tobytes(), campaign,
            {c.path: (entries[c.path][2].aliases, c, digest(c)) for c in people})


def save(root: Path, notes: int, kept: tuple) -> None:
    disk.save(files.state_dir(root) / CONTACTS, notes, _key(), kept)


def _well_kept(kept) -> bool:
    """Whether `contacts.pickle` held what `contacts` writes there."""
    return (isinstance(kept, tuple) and len(kept) == 4 and isinstance(kept[0], str) and isinstance(kept[1], bytes)
            and isinstance(kept[2], Campaign) and isinstance(kept[3], dict)
            and all(map(_well_kept_contact, kept[3].values())))


def _well_kept_contact(kept) -> bool:
    return type(kept) is tuple and len(kept) == 3 and type(kept[1]) is Contact and type(kept[2]) is str


def _updated(found: Scanned, kept: tuple) -> tuple | None:
    """The campaign and the contacts (path -> (aliases, Contact, digest)) of `kept` with the
    changed notes among `found` read again, and the paths of those notes; None when the whole
    vault must be read (see `contacts`)."""
    paths, stamps, campaign, people = kept
    if found.paths != paths or len(found.stamps) * found.stamps.itemsize != len(stamps):
        return None
    changed = _differing(found.stamps, array("q", stamps), len(found))
    if not changed:
        return campaign, people, []
    if len(changed) > _FEW:
        return None
    people, paths = dict(people), []
    for f in found.files_at(changed):
        paths.append(f.path)
        read, was = listing.read_file(f), people.get(f.path)
        if was is None or read.kind != "contact" or read.record is None or read.aliases != was[0]:
            return None
        record, link, before = read.record, read.record.referred_by, was[1].referred_by
        if link is not None:
            if before is None or before.target != link.target:
                return None
            record = replace(record, referred_by=replace(before, line=link.line))  # as `links.resolve` gives it
        people[f.path] = (read.aliases, record, digest(record))
    return campaign, people, paths


def _differing(now: array, before: array, n: int, step: int = 4096) -> list[int]:
    """The indexes of the files whose size or time (`now[i]`, `now[n + i]`) differ from `before`'s,
    up to one more than `_FEW`: the arrays compared a slice at a time, in C, and only a slice
    that differs looked into."""
    found: set[int] = set()
    for start in range(0, len(now), step):
        end = start + step
        if now[start:end] != before[start:end]:
            found.update(i % n for i in range(start, min(end, len(now))) if now[i] != before[i])
            if len(found) > _FEW:
                break
    return sorted(found)
