"""The campaign and contacts alone, for commands that need no more (`mdnet export vcard`).

They are kept in `.mdnet/contacts.pickle`, with every note's size and time and each contact's
aliases: after one edit, such a command costs a listing of the folders, not a read of the
vault's index. Like every cache here, it only saves work: `MDNET_NO_CACHE=1` reads the vault.
"""

from __future__ import annotations

import time
from dataclasses import replace
from pathlib import Path

from mdnet import files, listing
from mdnet.fast import disk
from mdnet.fast.index import RACY_NS
from mdnet.model import Campaign, Contact

CONTACTS = "contacts.pickle"  # the contacts as the last `contacts` read them
_FEW = 64  # more changed notes than this: the whole vault is read again, through the index


def contacts(root: Path) -> tuple[Campaign, tuple[Contact, ...]]:
    """The vault's campaign and contacts, as `fast.load(root).contacts` gives them.

    An export leaves them in `.mdnet/contacts.pickle`, with every note's size and time and each
    contact's aliases. When next no note was added or removed and the only notes changed are a
    few contacts that stay contacts with the same aliases and the same `referred_by` target (so
    that every link resolves as before: `vault.Assembler`), only those are read again, not the
    whole vault: the export after one edit costs a listing of the folders, not a read of the
    vault's index."""
    from mdnet import fast

    if not fast.enabled():
        vault = fast.load(root, with_checks=False)
        return vault.campaign, vault.contacts
    found, problems = listing.scan(root)
    key = (*disk.code_key(), CONTACTS)
    folder = files.own_folder(root)
    kept = disk.read(folder / CONTACTS, key) if folder is not None else None
    racy_after = time.time_ns() - RACY_NS
    updated = _updated(found, kept) if _well_kept(kept) else None
    if updated is None:
        vault, index = fast.indexed(root, found, problems, with_checks=False)
        updated = vault.campaign, {c.path: (index.entries[c.path][2].aliases, c) for c in vault.contacts}, True
    campaign, people, changed = updated
    if changed:
        # A note saved within the clock's tick of now is read again next time (as `fast.index` does).
        stamps = {f.path: (f.size, f.mtime_ns) if f.mtime_ns < racy_after else (-1, -1) for f in found}
        disk.save(files.state_dir(root) / CONTACTS, len(found), key, (stamps, campaign, people))
    return campaign, tuple(c for _, c in people.values())


def _well_kept(kept) -> bool:
    """Whether `contacts.pickle` held what `contacts` writes there."""
    return (isinstance(kept, tuple) and len(kept) == 3 and isinstance(kept[0], dict)
            and isinstance(kept[1], Campaign) and isinstance(kept[2], dict)
            and all(isinstance(v, tuple) and len(v) == 2 and isinstance(v[1], Contact) for v in kept[2].values()))


def _updated(found: list[listing.File], kept: tuple) -> tuple | None:
    """The campaign and the contacts (path -> (aliases, Contact)) of `kept` with the changed
    notes among `found` read again, and whether any changed; None when the whole vault must be
    read (see `contacts`)."""
    stamps, _, people = kept
    if len(found) != len(stamps):
        return None
    changed = []
    for f in found:
        stamp = stamps.get(f.path)
        if stamp is None:
            return None
        if stamp != (f.size, f.mtime_ns):
            changed.append(f)
            if len(changed) > _FEW:
                return None
    if not changed:
        return kept[1], people, False
    people = dict(people)
    for f, read in zip(changed, map(listing.read_file, changed)):
        was = people.get(f.path)
        if was is None or read.kind != "contact" or read.record is None or read.aliases != was[0]:
            return None
        record, link, before = read.record, read.record.referred_by, was[1].referred_by
        if link is not None:
            if before is None or before.target != link.target:
                return None
            record = replace(record, referred_by=replace(before, line=link.line))  # as `links.resolve` gives it
        people[f.path] = (read.aliases, record)
    return kept[1], people, True
