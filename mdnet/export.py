"""`mdnet export vcard`: the vault's contacts out, as a vdir (one `UID.vcf` per contact, what
khard and vdirsyncer read) or as one `.vcf` file for a phone (SPEC section 7, "Export").

A contact's UID comes from its `id`, else it is a name-based UUID of its path the first time it is
exported, recorded in `.mdnet/vcard.json` and never in the note. A note renamed since the last
export keeps its UID: a contact that appears at a new path takes the UID of one that left, when
exactly one that left reads the same but for its name (an Obsidian rename), else when exactly one
that left shares an e-mail, a phone or a LinkedIn profile with it.

The same file holds, for each folder exported to, a manifest of the cards mdnet wrote there (their
bytes' hash and the contact they were made from): a card is rewritten only when its bytes change,
a card whose contact is gone is removed only if mdnet wrote it and it still holds what mdnet
wrote, and no other file of the folder is touched. Knowing what a card was made from also spares
making it again while its contact and its file are unchanged (not with `MDNET_NO_CACHE=1`, which
makes every card again and compares it with the file's bytes).
"""

from __future__ import annotations

import functools
import hashlib
import os
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import orjson

from mdnet import fast, files, people, vcard
from mdnet.fast import forked
from mdnet.errors import OutputError
from mdnet.i18n import ntr, tr
from mdnet.fields import fold
from mdnet.model import Campaign, Contact

STATE = "vcard.json"
_FORMAT = 2  # part of each card's recorded origin: a change to `vcard.card` makes every card again
_DURABLE_CARDS = 64  # up to this many cards to make, each one written is on the disk before its rename


@dataclass(frozen=True, slots=True)
class Exported:
    """What an export did: the cards written, left as they were, removed, and those mdnet wrote
    earlier that it kept because they changed since (file names in the folder, or the one file)."""

    target: Path
    cards: int
    written: tuple[str, ...] = ()
    unchanged: int = 0
    removed: tuple[str, ...] = ()
    kept: tuple[str, ...] = ()
    one_file: bool = False


def vdir(root: Path, folder: Path) -> Exported:
    """Every contact of the vault as `folder/UID.vcf`; cards of contacts gone removed (see above)."""
    folder = Path(folder)
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise OutputError(tr("cannot create %(path)s: %(reason)s") % {"path": folder, "reason": e.strerror or e},
                          tr("Check that you may write there, or choose another folder.")) from None
    with files.writing(root):
        # The vault's folders are listed by a child process while this one reads its records.
        listed = fast.scan_ahead(root) if fast.enabled() else None
        vcard.load_library()
        state = _read_state(root)
        key = str(folder.resolve())
        before: dict[str, list] = state.get("folders", {}).get(key, {})
        cards = {name: _stamp(os.path.join(folder, name)) for name in before} if fast.enabled() else {}
        present = _names(folder)  # a card not there is not read (a first export reads none)
        campaign, people, digests = fast.contacts(root, listed)
        uids = assign(campaign, people, state.get("uids", {}), digests)
        region = vcard.region_of(campaign)
        manifest, todo, unchanged = {}, [], 0
        for contact in people:
            record = uids[contact.path]
            uid = record[0]
            name = f"{uid}.vcf"
            origin = _origin(contact, record, region)
            entry = before.get(name)
            if entry is not None and entry[3] == origin and cards.get(name) == entry[1:3]:
                manifest[name] = entry
                unchanged += 1
            else:
                todo.append((name, contact, uid, origin))
        made, stamps = _made_and_written(folder, region, present, todo)
        manifest.update((name, [digest, *(stamps.get(name) or _stamp(os.path.join(folder, name))), origin])
                        for name, origin, digest, _, _ in made)
        written = [name for name, _, _, data, _ in made if data is not None]
        unchanged += len(made) - len(written)
        removed, kept = [], []
        for name in sorted(before.keys() - manifest.keys()):
            entry, data = before[name], _read(folder / name)
            if data is not None and _hash(data) == entry[0]:
                (folder / name).unlink()
                removed.append(name)
            elif data is not None:
                kept.append(name)
        if removed:
            files.sync_folders([folder])
        state.setdefault("folders", {})[key] = manifest
        state["uids"] = uids
        _write_state(root, state)
    return Exported(folder, len(people), tuple(written), unchanged, tuple(removed), tuple(kept))


def _made_and_written(folder: Path, region: str | None, present: set[str], todo: list[tuple]
                      ) -> tuple[list[tuple], dict[str, list[int]]]:
    """The cards of `todo` made (as `_cards` gives them) and those whose files did not hold them
    written; with the size and time of each card staged, by name."""
    # Many cards to write (a first export) are made in two processes at once, and each is staged
    # by a third as soon as it is made (`forked.Feed`): the disk's time and the cards' overlap.
    # The disk is waited for once, at the end, before any card is named: thousands of waits
    # would take minutes. A few cards each wait for the disk.
    many = files.SYNC_WAITS and len(todo) > _DURABLE_CARDS
    if todo and any(name.endswith(".tmp") for name in present):  # an export killed while writing
        files.sweep(folder)
    feed = forked.Feed(functools.partial(_stage, folder)) if many else None
    try:
        made = forked.in_two(functools.partial(_cards, folder, region, present, feed), todo)
        staged, error = feed.close() if feed is not None else ([], None)
    except BaseException:
        if feed is not None:
            feed.abandon()
        raise
    if error is not None:
        for _, tmp, _ in staged:
            files.remove(tmp)
        raise error
    if staged is None:  # the child staging them ended without a word: they are staged here
        made, staged = [(*card[:4], False) for card in made], []
    if many:
        try:  # what the child did not take (a card too large for one write to the pipe)
            for name, _, _, data, sent in made:
                if data is not None and not sent:
                    staged.append(_stage(folder, name, data))
        except BaseException:
            for _, tmp, _ in staged:
                files.remove(tmp)
            raise
        if staged:
            files.name_staged([(folder / name, tmp) for name, tmp, _ in staged], files.install)
    else:
        for name, _, _, data, _ in made:
            if data is not None:
                files.atomic_write(folder / name, data)
    return made, {name: stamp for name, _, stamp in staged}


def _cards(folder: Path, region: str | None, present: set[str], feed: forked.Feed | None, todo: list[tuple]
           ) -> list[tuple]:
    """Each card of `todo` (name, contact, UID, origin) made: its name, origin and bytes' hash,
    its bytes (None when its file holds them already), and whether `feed` took them to stage."""
    made = []
    for name, contact, uid, origin in todo:
        data = vcard.card(contact, uid, region)
        if name in present and _read(folder / name) == data:
            made.append((name, origin, _hash(data), None, False))
        else:
            made.append((name, origin, _hash(data), data, feed is not None and feed.send(name, data)))
    return made


def _stage(folder: Path, name: str, data: bytes) -> tuple[str, str, list[int]]:
    """A card staged beside its name (`files.stage`), not yet named: its name, the staged file and
    its size and time, which its name will keep."""
    tmp = files.stage(folder / name, data)
    return name, tmp, _stamp(tmp)


def one_file(root: Path, output: Path) -> Exported:
    """Every contact's card in one file, ordered by name, for a phone to import."""
    with files.writing(root):
        campaign, people, digests = fast.contacts(root)
        state = _read_state(root)
        uids = assign(campaign, people, state.get("uids", {}), digests)
        region = vcard.region_of(campaign)
        people = sorted(people, key=lambda c: (fold(c.name), c.path))
        files.atomic_write(output, b"".join(vcard.card(c, uids[c.path][0], region) for c in people))
        state["uids"] = uids
        _write_state(root, state)
    return Exported(Path(output), len(people), one_file=True)


def known_uids(root: Path) -> dict[str, str]:
    """UID -> the vault-relative path of the contact it was given to, as the last export recorded
    it: how a card mdnet wrote finds its note again."""
    return {entry[0]: path for path, entry in _read_state(root).get("uids", {}).items()}


def assign(campaign: Campaign, people: Iterable[Contact], known: dict[str, list], digests: dict[str, str]
           ) -> dict[str, list]:
    """Each contact's path -> [UID, fingerprint, identifiers], keeping the UIDs of `known` (the
    last export's record) across renames, as the module's docstring says. A contact's
    fingerprint is its digest (`fast.roster.digest`): what a rename leaves alone."""
    region = vcard.region_of(campaign)
    found: dict[str, list] = {}
    new: list[Contact] = []
    for contact in people:
        was = known.get(contact.path)
        uid = vcard.uid_of(contact) or (was[0] if was else None)
        if uid is None:
            new.append(contact)
            continue
        fingerprint = digests[contact.path]
        if was is not None and was[1] == fingerprint:
            found[contact.path] = was if was[0] == uid else [uid, fingerprint, was[2]]
        else:
            found[contact.path] = [uid, fingerprint, _identifiers(contact)]
    used = {entry[0] for entry in found.values()}
    left = {path: entry for path, entry in known.items() if path not in found and entry[0] not in used}
    for contact in new:
        fingerprint, identifiers = digests[contact.path], _identifiers(contact)
        uid = _renamed(left, new, lambda e: e[1] == fingerprint, lambda c: digests[c.path] == fingerprint)
        if uid is None and identifiers and left:
            shared = _same_person(identifiers, region)
            uid = _renamed(left, new, lambda e: bool(shared & _same_person(e[2], region)),
                           lambda c: bool(shared & _same_person(_identifiers(c), region)))
        n = 0
        while uid is None or uid in used:  # a path that once had a contact who was renamed away
            uid, n = vcard.name_uid("path", contact.path, *([str(n)] if n else [])), n + 1
        used.add(uid)
        found[contact.path] = [uid, fingerprint, identifiers]
    return found


def _renamed(left: dict[str, list], new: list[Contact], matches_entry, matches_contact) -> str | None:
    """The UID of the one contact that left and matches, when exactly one new contact matches too."""
    candidates = [path for path, entry in left.items() if matches_entry(entry)]
    if len(candidates) != 1 or sum(1 for c in new if matches_contact(c)) != 1:
        return None
    return left.pop(candidates[0])[0]


def _identifiers(contact: Contact) -> list[str]:
    """The contact's e-mails, phones and LinkedIn profile, as the same person shares them; phones
    as written (`_same_person` reads them in E.164 only when a renamed note is looked for: reading
    ten thousand phones is slow, and most exports look for none)."""
    found = [f"email:{e.casefold()}" for e in vcard.items(contact.email)]
    found += [f"tel:{p}" for p in vcard.items(contact.phone)]
    profile = people.linkedin_key(contact.linkedin) if contact.linkedin else None
    return found + ([f"linkedin:{profile}"] if profile else [])


def _same_person(identifiers: list[str], region: str | None) -> set[str]:
    """The identifiers to compare, phones in E.164 (a record written before holds them so already)."""
    return {f"tel:{vcard.e164(i[4:], region)}" if i.startswith("tel:") else i for i in identifiers}


def _origin(contact: Contact, record: list, region: str | None) -> str:
    """What a card is made from: its contact (its name, and its fingerprint, which `assign` made
    of the rest), UID and region, and the card's format."""
    return f"{_FORMAT}\0{record[1]}\0{record[0]}\0{region}\0{contact.name}"  # only the name can hold a \0


def _hash(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _stamp(path: Path | str) -> list[int] | None:
    try:
        st = os.stat(path)
    except OSError:
        return None
    return [st.st_size, st.st_mtime_ns]


def _names(folder: Path) -> set[str]:
    """The names in `folder`."""
    try:
        with os.scandir(folder) as entries:
            return {entry.name for entry in entries}
    except OSError as e:
        raise OutputError(tr("cannot read %(path)s: %(reason)s") % {"path": folder, "reason": e.strerror or e},
                          tr("Check that you may write there, or choose another folder.")) from None


def _read(path: Path) -> bytes | None:
    try:
        return path.read_bytes()
    except FileNotFoundError:
        return None
    except OSError as e:
        raise OutputError(tr("cannot read %(path)s: %(reason)s") % {"path": path, "reason": e.strerror or e},
                          tr("Check the file's permissions.")) from None


def _read_state(root: Path) -> dict:
    """The record of UIDs and of the cards written; empty when missing or unreadable (it is then
    rebuilt: UIDs of renamed notes start again from their paths)."""
    folder = files.own_folder(root)
    if folder is None:
        return {}
    try:
        state = orjson.loads((folder / STATE).read_bytes())
    except (OSError, orjson.JSONDecodeError):
        return {}
    return state if isinstance(state, dict) and _well_formed(state) else {}


def _well_formed(state: dict) -> bool:
    """Whether the record holds what mdnet writes there: a UID or a card's name from it names a
    file in the export's folder, so one that could name a file elsewhere throws the record away."""
    uids, folders = state.get("uids", {}), state.get("folders", {})
    return (isinstance(uids, dict) and isinstance(folders, dict)
            and all(isinstance(e, list) and len(e) == 3 and isinstance(e[0], str) and vcard.safe_uid(e[0])
                    and isinstance(e[1], str) and isinstance(e[2], list) for e in uids.values())
            and all(isinstance(m, dict) and all(
                isinstance(name, str) and name.endswith(".vcf") and vcard.safe_uid(name[:-4])
                and isinstance(e, list) and len(e) == 4 for name, e in m.items()) for m in folders.values()))


def _write_state(root: Path, state: dict) -> None:
    data = orjson.dumps(state)
    files.atomic_write(files.state_dir(root) / STATE, data)


def lines(done: Exported) -> Iterable[str]:
    """What the command prints: a summary, then each card kept because it changed since mdnet wrote it."""
    if done.one_file:
        yield ntr("%(num)s card written to %(target)s", "%(num)s cards written to %(target)s", done.cards) % {
            "num": done.cards, "target": done.target}
        return
    written, removed = len(done.written), len(done.removed)
    yield tr("%(cards)s in %(target)s: %(written)s, %(unchanged)s, %(removed)s") % {
        "cards": ntr("%(num)s card", "%(num)s cards", done.cards) % {"num": done.cards},
        "target": done.target,
        "written": ntr("%(num)s written", "%(num)s written", written) % {"num": written},
        "unchanged": ntr("%(num)s unchanged", "%(num)s unchanged", done.unchanged) % {"num": done.unchanged},
        "removed": ntr("%(num)s removed", "%(num)s removed", removed) % {"num": removed}}
    for name in done.kept:
        yield tr("kept %(path)s: its contact is gone, but the card changed since mdnet wrote it (remove it by hand "
                 "if it is not wanted)") % {"path": done.target / name}
