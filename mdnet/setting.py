"""Setting contacts' circle, closeness and status: `mdnet set` on many at once, and the triage
screen one answer at a time, both through the round-trip editor (`edit`), every other byte kept.

A person note without properties gets a front matter above its text, which stays as it was.
Every write holds the vault's lock for writing notes and checks that the note still holds the
bytes it read (`write`'s plan), so an edit made meanwhile in Obsidian is never undone.
"""

from __future__ import annotations

import re
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from mdnet import edit, fast, files, names
from mdnet.errors import MdnetError, Unfit
from mdnet.i18n import ntr, tr
from mdnet.model import Vault
from mdnet.write import Report, _Plan

PROPERTIES = ("circle", "closeness", "status")  # in the order they are written
_BOM = b"\xef\xbb\xbf"
_FIRST_LINE = re.compile(rb"[^\n]*\r\n")


def resolve(root: Path, vault: Vault, texts: list[str]) -> tuple[list[names.Note], list[str]]:
    """The contact each text means (once each, in the order given), as every write command reads
    a name (`names`: a name, path or alias, the start of one name), and why each other text means none."""
    found: dict[str, names.Note] = {}
    refused: list[str] = []
    for text in texts:
        try:
            one = names.resolve(vault, text, meetings=True, prefix=True, root=root)
        except MdnetError as e:  # ambiguous, unknown, or a path to a note that cannot be read
            refused.append(f"{text}: {e}" + (f" {e.advice}" if e.advice else ""))
            continue
        if one.kind != "contact":
            refused.append(tr("%(text)s: %(path)s is a meeting, not a contact") % {"text": text, "path": one.path})
            continue
        found.setdefault(one.path, one)
    return list(found.values()), refused


def with_front_matter(data: bytes) -> bytes:
    """A note's bytes, with an empty front matter above its text when it has none (in the note's
    own line ending), so that the editor can add properties to a plain person note."""
    bom = _BOM if data.startswith(_BOM) else b""
    text = data[len(bom):]
    first = text.split(b"\n", 1)[0].rstrip(b"\r \t")
    if first == b"---":
        return data
    newline = b"\r\n" if _FIRST_LINE.match(text) else b"\n"
    return bom + b"---" + newline + b"---" + newline + text


def changed(data: bytes, path: str, sets: dict) -> bytes:
    """The note with `sets` written as its properties, every other byte kept."""
    return edit.edit(with_front_matter(data), path, sets)


def summary(path: str, data: bytes, sets: dict) -> str:
    """One line saying what setting `sets` changes in a note."""
    current = edit.values(edit.parse(with_front_matter(data), path))
    said = [f"{key}: {edit.scalar(value)}" for key, value in sets.items()
            if edit.expected_text(value) != current.get(key)]
    return f"{path}: " + ("; ".join(said) if said else tr("nothing to change"))


def set_contacts(root: Path, names: list[str], circle: str | None = None, closeness: int | None = None,
                 status: str | None = None) -> Report:
    """Set these properties on every contact named; when a name means no contact, or several,
    nothing is written and every such name is listed."""
    sets = {key: value for key, value in zip(PROPERTIES, (circle, closeness, status)) if value is not None}
    with files.writing(root):
        vault = fast.load(root, with_checks=False)
        found, refused = resolve(root, vault, names)
        if refused:
            raise Unfit(ntr("%(num)s of the names given is not one contact; nothing was written:",
                            "%(num)s of the names given are not one contact; nothing was written:", len(refused))
                        % {"num": len(refused)} + "\n  " + "\n  ".join(refused),
                        tr("Write more of each name, or give the note's path."))
        plans = [_Plan(root) for _ in range(min(WRITERS, len(found)))]
        for i, one in enumerate(found):
            data = (root / one.path).read_bytes()
            plans[i % len(plans)].change(one.path, data, changed(data, one.path, sets))
            plans[0].lines.append(summary(one.path, data, sets))
        return _commit(root, plans)


# A note is written durably: the disk is waited for before the rename. A disk takes many such
# waits at once about as fast as one, so a large `set` writes its notes in a few groups at once.
WRITERS = 8


def _commit(root: Path, plans: list[_Plan]) -> Report:
    """Commit each plan (each checks its notes, then writes them), several at once; when one
    refuses, say so and how many notes the others wrote."""
    with ThreadPoolExecutor(len(plans)) as pool:
        futures = [pool.submit(plan.commit) for plan in plans]
    written, failed = [], []
    for future in futures:
        try:
            written += future.result().written
        except MdnetError as e:
            failed.append(e)
    if failed:
        raise type(failed[0])(ntr("%(error)s; of the other notes, %(num)s was written",
                                  "%(error)s; of the other notes, %(num)s were written", len(written))
                              % {"error": failed[0], "num": len(written)},
                              tr("Run the command again: it changes only what is left."))
    return Report(root, tuple(written), tuple(plans[0].lines))


def write_note(root: Path, path: str, old: bytes, new: bytes) -> None:
    """Write `new` over a note that must still hold `old` (else nothing is written: NoteRefused)."""
    with files.writing(root):
        plan = _Plan(root)
        plan.change(path, old, new)
        plan.commit()
