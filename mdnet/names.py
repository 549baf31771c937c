"""Who a name means, when writing: the one resolver of every command that acts on a note or
writes a link to one (`new meeting NAME`, `log NOTE`, `log --referral NAME`, and any later one).

    find(vault, text, …)     the note a text means, None when none does, an error when several do
    resolve(vault, text, …)  the same, or an error saying there is none and who it may be
    matches(vault, text, …)  the notes of the first rank that has any
    suggestions(vault, text) the names nearest a text that means no note ("did you mean")
    link_to(vault, path)     the link Obsidian follows to that very note (`link_text`: its inside)
    written(text)            the name or path a text holds: `[[Ana|x]]`, `Contactos/Ana.md` -> …

A text means what a link to it means (SPEC section 2, `links.Resolver`, the same code): a
contact by name, then by path (`Contactos/Trabajo/Ana López`, with or without `.md`), then by
alias, in NFC and any case; then, for commands that act on meetings too, a meeting by name or
path. Where links find nothing, the contacts (then the meetings) once more, by name, path and
alias with accents, case, spacing and emoji set aside (`jose perez` is José Pérez, `Íñigo
Zubizarreta` is `Íñigo Zubizarreta 🚀`), and, only for the note a command acts on, by the one
name that starts with the text. A referral is never a prefix: a
new "Luis" is not "Luis Gil". Several notes of one rank are ambiguous: the command writes nothing
and lists them, so that the user gives the path of the one meant. A command may also take the
path of a file from the working folder (`log "Reuniones/2026-11-20 Ana.md"`), even of a note the
reader skipped for an error, which it then refuses to rewrite, saying why.
"""

from __future__ import annotations

import difflib
import functools
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from mdnet import fields
from mdnet.errors import NoteRefused, Unfit
from mdnet.i18n import ntr, tr
from mdnet.links import Resolver, link_key
from mdnet.model import Vault
from mdnet.notes import read_note


@dataclass(frozen=True, slots=True)
class Note:
    path: str  # vault-relative
    kind: str  # contact or meeting
    name: str


class Ambiguous(Unfit):
    """A text that means several notes: nothing is written until the user says which."""


class NotFound(Unfit):
    """A text that means no note, where a command needs one."""


def find(vault: Vault, text: str, *, meetings: bool = False, prefix: bool = False,
         root: Path | None = None, cwd: Path | None = None) -> Note | None:
    """The one note `text` means: a contact (or a meeting, with `meetings`); also a name it starts
    (with `prefix`) or a file's path from `cwd` (with `root`, the vault's folder). None when no
    note does; `Ambiguous` when several of one rank do."""
    found = matches(vault, text, meetings=meetings, prefix=prefix, root=root, cwd=cwd)
    if len(found) > 1:
        listed = ", ".join(n.path for n in found[:10])
        if len(found) > 10:
            listed = ntr("%(paths)s and %(num)s more", "%(paths)s and %(num)s more", len(found) - 10) % {
                "paths": listed, "num": len(found) - 10}
        said = {"text": fields.shown(text), "num": len(found), "listed": listed}
        raise Ambiguous((tr("'%(text)s' could be any of %(num)s notes: %(listed)s; nothing was written") if meetings
                         else tr("'%(text)s' could be any of %(num)s contacts: %(listed)s; nothing was written"))
                        % said, tr("Give the path of the one you mean (e.g. \"%(path)s\").") % {
                            "path": found[0].path[:-3]})
    return found[0] if found else None


def resolve(vault: Vault, text: str, *, meetings: bool = False, prefix: bool = False,
            root: Path | None = None, cwd: Path | None = None, advice: str | None = None) -> Note:
    """`find`, where no note at all is an error (`NotFound`) suggesting the names nearest."""
    found = find(vault, text, meetings=meetings, prefix=prefix, root=root, cwd=cwd)
    if found is not None:
        return found
    near = suggestions(vault, text, meetings=meetings)
    said = {"text": fields.shown(text), "near": ", ".join(near)}
    if meetings:
        message = tr("no contact or meeting is named '%(text)s' (did you mean %(near)s?); nothing was written") \
            if near else tr("no contact or meeting is named '%(text)s'; nothing was written")
    else:
        message = tr("no contact is named '%(text)s' (did you mean %(near)s?); nothing was written") \
            if near else tr("no contact is named '%(text)s'; nothing was written")
    raise NotFound(message % said, advice or tr("Check the name with `mdnet check`, or give the note's path."))


def matches(vault: Vault, text: str, *, meetings: bool = False, prefix: bool = False,
            root: Path | None = None, cwd: Path | None = None) -> list[Note]:
    """Every note of the first rank (see the module's docstring) that `text` matches, by path."""
    if root is not None:
        file = _file(vault, root, text, cwd or Path.cwd())
        if file is not None:
            return [file]
    target = written(text)
    if not target:
        return []
    index = _index(vault)
    key = link_key(target)
    contacts, _ = index.links.contacts_named(key)
    if contacts:
        return [index.notes[p] for p in contacts]
    if meetings:
        found = [index.notes[p] for p in index.links.notes_named(key) if index.kind(p) == "meeting"]
        if found:
            return found
    folded = _folded(target)
    if not folded:
        return []
    def by_path(note: Note, name: str) -> bool:  # a path's tail: only a text with a `/` can be one
        if "/" not in folded or not name.endswith(folded[folded.rfind("/") + 1:]):
            return False
        path = _folded(note.path[:-3])
        return path == folded or path.endswith("/" + folded)

    ranks = [
        lambda note, name: name == folded,
        by_path,
        lambda note, name: folded in index.folded_aliases.get(note.path, ()),
    ] + ([lambda note, name: name.startswith(folded)] if prefix else [])
    for kind in ("contact", "meeting") if meetings else ("contact",):  # contacts first, as links go
        notes = index.folded(kind)
        for rank in ranks:
            found = [note for note, name in notes if rank(note, name)]
            if found:
                return found
    return []


def suggestions(vault: Vault, text: str, *, meetings: bool = False) -> list[str]:
    """Up to three names close to a text that means no note: those it starts, else those spelt
    alike, whole or in their start (`Carmela` -> Carmen Ruiz)."""
    folded = _folded(written(text))
    if not folded:
        return []
    index = _index(vault)
    notes = index.folded("contact") + (index.folded("meeting") if meetings else [])
    close = sorted(note.name for note, name in notes if name.startswith(folded))
    if not close:
        matcher = difflib.SequenceMatcher()
        matcher.set_seq2(folded)  # what it learns of the text, learnt once

        def likeness(name: str) -> float:
            best = 0.0
            for part in (name, name[:len(folded)]):
                matcher.set_seq1(part)
                if matcher.real_quick_ratio() >= _CLOSE and matcher.quick_ratio() >= _CLOSE:
                    best = max(best, matcher.ratio())
            return best

        scored = sorted((-likeness(name), note.name) for note, name in notes)
        close = [name for score, name in scored if -score >= _CLOSE]
    return list(dict.fromkeys(close))[:3]


_CLOSE = 0.6  # how alike a name must be spelt to be suggested (difflib's ratio)


def link_to(vault: Vault, path: str) -> str:
    """The link Obsidian follows to the note at `path` (which may be one about to be written):
    `[[Ana López]]`, or `[[Contactos/Trabajo/Ana López|Ana López]]` when another note has that name."""
    return f"[[{link_text(vault, path)}]]"


def link_text(vault: Vault, path: str) -> str:
    """What goes between a link's brackets in `link_to`."""
    name = path.rsplit("/", 1)[-1][:-3]
    others = [p for p in _index(vault).links.notes_named(link_key(name)) if p != path]
    return f"{path[:-3]}|{name}" if others else name


def written(text: str) -> str:
    """The name or path a text holds, in NFC: `[[Ana Núñez|Ana]]`, `Contactos/Ana Núñez.md` or
    ` Ana Núñez ` -> `Ana Núñez`, `Contactos/Ana Núñez`."""
    text = text.strip()
    if text.startswith("[[") and text.endswith("]]"):
        return fields.link_target(text[2:-2])
    text = fields.nfc(text)
    return text[:-3].rstrip() if text.lower().endswith(".md") else text


# --- the index ------------------------------------------------------------------------------

class _Index:
    """A vault's contacts and meetings, for the ranks of `matches`. The folded names are made
    only for a text that no link reaches, and only of the kinds asked for."""

    def __init__(self, vault: Vault):
        self.notes = {c.path: Note(c.path, "contact", c.name) for c in vault.contacts}
        self.notes.update((m.path, Note(m.path, "meeting", m.name)) for m in vault.meetings)
        aliases = {c.path: c.aliases for c in vault.contacts}
        self.links = Resolver(list(vault.notes), aliases)
        self._aliases = {path: names for path, names in aliases.items() if names}
        self._folded: dict[str, list[tuple[Note, str]]] = {}

    def kind(self, path: str) -> str | None:
        note = self.notes.get(path)
        return note.kind if note else None

    def folded(self, kind: str) -> list[tuple[Note, str]]:
        """The notes of a kind, each with its name folded."""
        if kind not in self._folded:
            self._folded[kind] = [(n, _folded(n.name)) for n in self.notes.values() if n.kind == kind]
        return self._folded[kind]

    @functools.cached_property
    def folded_aliases(self) -> dict[str, frozenset[str]]:
        return {path: frozenset(map(_folded, names)) for path, names in self._aliases.items()}


def _index(vault: Vault, last: list = [None, None]) -> _Index:
    # A command resolves several names in one vault: indexed once.
    if last[0] is not vault:
        last[:] = vault, _Index(vault)
    return last[1]


def _folded(text: str) -> str:
    """`Íñigo  Zubizarreta 🚀` -> `inigo zubizarreta`: `fields.fold`, without symbols (emoji),
    format characters (joiners) and marks left, spaces made one."""
    folded = fields.fold(text)
    if not folded.isascii():
        folded = "".join(c for c in folded if unicodedata.category(c)[0] not in "SCM")
    return " ".join(folded.split()).replace(" /", "/").replace("/ ", "/")


# --- a file's path --------------------------------------------------------------------------

def _file(vault: Vault, root: Path, text: str, cwd: Path) -> Note | None:
    """The contact or meeting at a path given from the working folder or the vault's (with or
    without `.md`), even one the reader skipped for an error; a refusal for any other note."""
    given = Path(text.strip())
    inside = root.resolve()
    for path in [given] if given.is_absolute() else [cwd / given, root / given]:
        for p in (path, path.with_name(path.name + ".md")):
            try:
                if not (p.suffix.lower() == ".md" and p.is_file() and p.resolve().is_relative_to(inside)):
                    continue
            except (OSError, ValueError):  # a name too long for a path, or one no path can hold
                continue
            rel = fields.nfc(p.resolve().relative_to(inside).as_posix())
            return Note(rel, _kind_of(vault, rel, p), rel.rsplit("/", 1)[-1][:-3])
    return None


def _kind_of(vault: Vault, rel: str, path: Path) -> str:
    kind = _index(vault).kind(rel)
    if kind is not None:
        return kind
    result = read_note(rel, path.read_bytes())
    if result.kind is None and result.record is None:
        errors = [p for p in result.problems if p.severity == "error"]
        if errors:
            raise NoteRefused(errors[0].render(), tr("Fix it first; mdnet does not rewrite a note it cannot read."))
    if result.kind not in ("contact", "meeting"):
        raise NoteRefused(tr("%(path)s is neither a contact nor a meeting") % {"path": rel},
                          tr("Give it 'type: contact' or 'type: meeting', or put it in the right folder."))
    return result.kind
