"""What an import does to the vault: each row matched to a person, then the notes written.

A row is the same person as a note, or as an earlier row, when the identity index (`people`)
says so; it fills the note's empty fields, adds new e-mails, phones, tags and aliases, and adds
its text to the body once. It never changes a value the user wrote: a different one is a
conflict, reported. New people get a note from the same template and under the same
no-overwrite rule as `mdnet new contact`; existing notes are edited by the same round-trip
editor as `mdnet log`. Everything is planned before the first write (`write._Plan`).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from mdnet import edit, fast, fields, files, people, render, write
from mdnet.errors import NoteRefused
from mdnet.i18n import tr
from mdnet.importers import Row, files_of, read_file
from mdnet.model import Contact

_SCALARS = ("company", "role", "linkedin", "relation", "met_at", "status", "circle", "closeness", "created")
_NEVER_CONFLICT = {"circle", "created"}  # a default and a date of entry: filled when empty, else left alone
_LISTS = ("email", "phone", "tags", "aliases")
_UNSAFE = re.compile('[' + re.escape("".join(write._FORBIDDEN)) + r'\s]+')


@dataclass(frozen=True, slots=True)
class Entry:
    """One line of the import's report."""

    kind: str  # created, merged, unchanged, conflict, skipped
    row: Row
    note: str | None = None
    detail: str = ""  # what changed, or why skipped
    field: str | None = None  # a conflict's field, the note's value, the row's value
    kept: str | None = None
    offered: str | None = None

    def as_json(self) -> dict:
        found = {"file": self.row.file, "line": self.row.line, "name": self.row.name or None, "note": self.note}
        if self.row.card is not None:
            found["card"] = self.row.card
        if self.kind == "conflict":
            found.update(field=self.field, note_value=self.kept, value=self.offered)
        elif self.kind in ("merged", "skipped"):
            found["changes" if self.kind == "merged" else "reason"] = self.detail
        return found


@dataclass(slots=True)
class Outcome:
    entries: list[Entry]
    written: tuple[str, ...] = ()
    warnings: tuple[str, ...] = ()

    def of(self, kind: str) -> list[Entry]:
        return [e for e in self.entries if e.kind == kind]

    def as_json(self) -> dict:
        return {key: [e.as_json() for e in self.of(kind)] for key, kind in (
            ("conflicts", "conflict"), ("created", "created"), ("merged", "merged"), ("skipped", "skipped"),
            ("unchanged", "unchanged"))}


@dataclass(slots=True)
class _Person:
    """A contact note as the import leaves it: an existing note's values and what is added."""

    path: str
    name: str
    new: bool
    values: dict = field(default_factory=dict)  # the front matter as it is (plain text values)
    body: str = ""
    data: bytes | None = None
    sets: dict = field(default_factory=dict)
    appends: dict = field(default_factory=dict)
    paragraphs: list[str] = field(default_factory=list)
    rows: list[tuple[Row, list[str]]] = field(default_factory=list)  # each row and what it changed
    conflicts: list[Entry] = field(default_factory=list)

    def value(self, key: str) -> str | None:
        value = self.sets.get(key, self.values.get(key))
        if isinstance(value, list):
            value = ", ".join(str(v) for v in value if v)
        value = edit.expected_text(value) if value is not None and not isinstance(value, str) else value
        return value.strip() if value and value.strip() else None

    def items(self, key: str) -> list[str]:
        return [v for v in _as_list(self.values.get(key)) if isinstance(v, str)] + self.appends.get(key, [])


def safe_name(name: str) -> str:
    """The name as a file name Obsidian accepts: forbidden characters and controls made spaces."""
    name = fields.nfc(name)
    if not name.isprintable():  # only then may it hold a control (a printable text holds none)
        name = "".join(" " if unicodedata.category(c)[0] == "C" else c for c in name)
    return " ".join(_UNSAFE.sub(" ", name).split()).lstrip(". ")


class Planner:
    """Takes rows one by one; `plan()` gives the notes to write and the report's entries."""

    def __init__(self, root: Path, contacts: Iterable[Contact], region: str | None, today: date, locale: str,
                 circle: str | None, closeness: int | None, templates: Path | None,
                 kinds: tuple[str, ...] = people.KINDS):
        self.root, self.today, self.locale, self.templates = root, today, locale, templates
        self.circle, self.closeness = circle, closeness
        self.index = people.Index(region, kinds)
        self.known: dict[str, Contact] = {}
        for c in contacts:
            self.known[c.path] = c
            self.index.add(c.path, people.Identity((c.name, *c.aliases), people.split_list(c.email),
                                                   people.split_list(c.phone), c.linkedin))
        self.persons: dict[str, _Person] = {}
        self.entries: list[Entry] = []
        self.folder = write.typed_folder(root, "contact", locale)
        self.planned: set[str] = set()
        self.by_name_only: list[Row] = []  # rows skipped for want of an identifier a later row may give

    def take_all(self, rows: Iterable[Row]) -> None:
        """Take every row; then once more those a name alone could not place, as importing the file
        again would: a later row may have given a note the e-mail that places them."""
        for row in rows:
            self.take(row)
        while self.by_name_only:  # until a pass places none of them
            again, self.by_name_only = self.by_name_only, []
            retried = {id(row) for row in again}
            self.entries = [e for e in self.entries if id(e.row) not in retried]
            for row in again:
                self.take(row)
            if len(self.by_name_only) == len(again):
                break

    def take(self, row: Row) -> None:
        if row.problem:
            self._skip(row, row.problem)
            return
        identity = people.Identity((row.name,), row.emails, row.phones, row.linkedin)
        by_id, by_name = self.index.find(identity)
        if len(by_id) > 1:
            said = "; ".join(tr("%(note)s by %(identifiers)s") % {"note": p, "identifiers": ", ".join(kinds)}
                             for p, kinds in by_id.items())
            self._skip(row, tr("matches two notes (%(notes)s): if they are one person, run `mdnet merge` first")
                       % {"notes": said})
            return
        if by_id:
            person = next(iter(by_id))
        elif len(by_name) > 1:
            self.by_name_only.append(row)
            self._skip(row, tr("several notes have this name (%(notes)s) and nothing else matches: add an "
                               "e-mail or phone to the right one, or merge them") % {"notes": ", ".join(sorted(by_name))})
            return
        elif by_name:
            person = by_name[0]
        else:
            person = self._new(row)
            if person is None:
                return
        try:
            target = self._person(person)
        except NoteRefused as e:
            self._skip(row, str(e))
            return
        theirs = target.value("linkedin")
        if not by_id and theirs and row.linkedin and people.linkedin_key(theirs) != people.linkedin_key(row.linkedin):
            self.by_name_only.append(row)
            self._skip(row, tr("has the name of %(note)s but another LinkedIn profile: if it is another person, "
                               "make their note with a fuller name and import again") % {"note": person})
            return
        target.rows.append((row, self._absorb(target, row)))
        # Only what the note will hold is learnt, so that importing the file again finds what this
        # import found: a name or a LinkedIn profile in conflict with the note's is reported (`_absorb`).
        known = {people.name_key(n) for n in (target.name, *target.items("aliases"))}
        names = identity.names if people.name_key(row.name) in known else ()
        theirs = target.value("linkedin")  # after `_absorb`: the row's own where the note had none
        linkedin = row.linkedin if row.linkedin and people.linkedin_key(theirs or row.linkedin) == people.linkedin_key(
            row.linkedin) else None
        self.index.add(person, people.Identity(names, row.emails, row.phones, linkedin))

    def _skip(self, row: Row, reason: str) -> None:
        self.entries.append(Entry("skipped", row, detail=reason))

    def _person(self, key: str) -> _Person:
        """The person a note (or a note planned) is, read when first met."""
        person = self.persons.get(key)
        if person is not None:
            return person
        contact = self.known[key]
        data = (self.root / key).read_bytes()
        fm = edit.parse(data, key)
        body = fm.tail.split("\n", 1)[1] if "\n" in fm.tail else ""
        person = self.persons[key] = _Person(key, contact.name, False, edit.values(fm), body, data)
        return person

    def _new(self, row: Row) -> str | None:
        try:
            name = write.note_name(safe_name(row.name), "contact")
        except NoteRefused as e:
            self._skip(row, f"{e}{' ' + e.advice if e.advice else ''}")
            return None
        rel = f"{self.folder}/{name}.md"
        if write.link_key(rel) in self.planned:  # another name of one file; the file system's refusals come later
            self._skip(row, tr("%(path)s is already planned for another person of this import") % {"path": rel})
            return None
        self.planned.add(write.link_key(rel))
        self.persons[rel] = _Person(rel, name, True)
        given = " ".join(fields.nfc(row.name).split())
        if people.name_key(given) != people.name_key(name):  # the real name, where the file's differs
            self.persons[rel].appends["aliases"] = [given]
        return rel

    def _absorb(self, person: _Person, row: Row) -> list[str]:
        """Add what the row knows to the person; return what changed, and note the conflicts."""
        changes = []
        circle = self.circle or row.circle or ("professional" if row.source == "linkedin" else None)
        offered = {"company": row.company, "role": row.role, "linkedin": row.linkedin, "relation": row.relation,
                   "met_at": row.met_at, "status": _status(row.status), "circle": circle,
                   "closeness": str(self.closeness) if self.closeness else None,
                   "created": row.created or (self.today if person.new and not person.rows else None)}
        if person.new and not person.rows:
            offered["source"] = row.source
        for key, value in offered.items():
            if value is None or value == "":
                continue
            have = person.value(key)
            if have is None:
                person.sets[key] = int(value) if key == "closeness" else value
                changes.append(f"{key}: {edit.expected_text(value)}")
            elif key not in _NEVER_CONFLICT and _compare(key, have, self.index.region) != _compare(
                    key, edit.expected_text(value), self.index.region):
                person.conflicts.append(Entry("conflict", row, person.path, field=key, kept=have,
                                              offered=edit.expected_text(value)))
        # Another name is reported, not added as an alias: an alias would make the name ambiguous.
        if people.name_key(row.name) not in {people.name_key(n) for n in (person.name, *person.items("aliases"))}:
            person.conflicts.append(Entry("conflict", row, person.path, field="name", kept=person.name,
                                          offered=row.name))
        tags = [t.lstrip("#") for t in row.tags]
        for key, items in (("email", row.emails), ("phone", row.phones), ("tags", tags)):
            seen = {_key(key, v, self.index.region) for v in person.items(key)}
            for item in items:
                k = _key(key, item, self.index.region)
                if k and k not in seen:
                    seen.add(k)
                    person.appends.setdefault(key, []).append(item)
                    changes.append(f"{key}: + {item}")
        written = " ".join((person.body + "\n".join(person.paragraphs)).split())
        for paragraph in row.body:
            if " ".join(paragraph.split()) not in written:
                person.paragraphs.append(paragraph.strip())
                written += " " + " ".join(paragraph.split())
                changes.append("body: + " + fields.shown(paragraph.split("\n")[0]))
        return changes

    def plan(self) -> tuple[write._Plan, list[Entry]]:
        plan = write._Plan(self.root)
        env = render.environment(self.root, self.locale, self.templates, new_notes=True) if any(
            p.new for p in self.persons.values()) else None
        self.builtin = env is None or Path(env.get_template("contact.md.j2").filename).parent == render.builtin_dir()
        entries = list(self.entries)
        for person in self.persons.values():
            if not person.rows:
                continue
            try:
                if person.new:
                    plan.create(person.path, self._render(env, person), f"created {person.path}")
                else:
                    plan.change(person.path, person.data, self._edited(person, person.data))
            except NoteRefused as e:
                entries += [Entry("skipped", row, person.path, f"{e}") for row, _ in person.rows]
                continue
            for i, (row, changes) in enumerate(person.rows):
                kind = "created" if person.new and i == 0 else "merged" if changes else "unchanged"
                entries.append(Entry(kind, row, person.path, "; ".join(changes)))
            entries += person.conflicts
        entries.sort(key=lambda e: (e.row.file, e.row.line, e.row.card or 0, e.kind))
        return plan, entries

    def _render(self, env, person: _Person) -> str:
        lists = {k: list(person.appends.get(k, [])) for k in _LISTS}
        lone = {k: (v[0] if len(v) == 1 else v) or None for k, v in lists.items() if k in ("email", "phone")}
        text = render.render(env, "contact.md.j2", title=person.name, referred_by=None,
                             body="\n\n".join(person.paragraphs), **lone, tags=lists["tags"],
                             aliases=lists["aliases"], **{k: person.sets.get(k) for k in (*_SCALARS, "source")})
        if self.builtin:
            return text
        # A template of the user's that leaves a field out: the field is added, as to any note.
        data = text.encode("utf-8")
        written = edit.values(edit.parse(data, person.path))
        missing = _Person(person.path, person.name, False, written, data=data,
                          sets={k: v for k, v in person.sets.items() if k not in written},
                          appends={k: [i for i in v if i not in _as_list(written.get(k))]
                                   for k, v in person.appends.items()},
                          paragraphs=[p for p in person.paragraphs if " ".join(p.split()) not in " ".join(text.split())])
        return self._edited(missing, data).decode("utf-8") if (missing.sets or any(missing.appends.values())
                                                                or missing.paragraphs) else text

    @staticmethod
    def _edited(person: _Person, data: bytes) -> bytes:
        sets = dict(person.sets)
        appends = {k: v for k, v in person.appends.items() if v}
        for key in ("email", "phone"):  # one e-mail where there was none is written as one value
            if len(appends.get(key, ())) == 1 and not person.values.get(key):
                sets[key] = appends.pop(key)[0]
        sets = {k: (edit.Quoted(v) if k == "phone" else v) for k, v in sets.items()}
        appends = {k: [edit.Quoted(i) if k == "phone" else i for i in v] for k, v in appends.items()}
        new = edit.edit(data, person.path, sets, appends) if sets or appends else data
        if person.paragraphs:
            nl = "\r\n" if b"\r\n" in data[:200] else "\n"
            text = new.decode("utf-8")
            text += ("" if text.endswith("\n") else nl) + nl
            text += (nl + nl).join(p.replace("\r\n", "\n").replace("\n", nl) for p in person.paragraphs) + nl
            new = text.encode("utf-8")
        return new


def _as_list(value) -> list:
    return value if isinstance(value, list) else [value] if value is not None else []


def _status(text: str | None) -> str | None:
    return fields.CONTACT_STATUSES.get(fields.fold(text)) if text else None


def _compare(key: str, value: str, region: str | None):
    if key == "linkedin":
        return people.linkedin_key(value)
    if key == "status":
        return _status(value) or fields.fold(value)
    return " ".join(fields.fold(value).split())


def _key(kind: str, text: str, region: str | None) -> str | None:
    if kind == "email":
        return people.email_key(text) or fields.fold(text)
    if kind == "phone":
        return people.phone_key(text, region)
    return fields.fold(text.lstrip("#"))


def run(root: Path, paths: Iterable[Path], today: date | None = None, source: str | None = None,
        circle: str | None = None, closeness: int | None = None, dry_run: bool = False,
        templates: Path | None = None, progress: Callable[[list[Row]], Iterable[Row]] | None = None) -> Outcome:
    """Import the files (or folders of them) `paths` into the vault at `root`; with `dry_run`, only say what
    would be done. Every file is read before anything is written."""
    rows = [row for path in files_of(paths) for row in read_file(path, source)]
    if dry_run:
        return _run(root, rows, today, circle, closeness, True, templates, progress)
    with files.writing(root):
        return _run(root, rows, today, circle, closeness, False, templates, progress)


def _run(root, rows, today, circle, closeness, dry_run, templates, progress) -> Outcome:
    vault = fast.load(root, with_checks=False)
    region = people.region_of(vault.campaign.region, vault.campaign.timezone)
    # Only the kinds of identifier the rows have are worth indexing (reading every phone takes a while).
    kinds = tuple(k for k, has in (("email", lambda r: r.emails), ("phone", lambda r: r.phones),
                                   ("linkedin", lambda r: r.linkedin)) if any(map(has, rows)))
    planner = Planner(root, vault.contacts, region, write.current_date(vault, today), vault.campaign.locale,
                      circle, closeness, templates, kinds)
    planner.take_all((progress or list)(rows))
    plan, entries = planner.plan()
    if dry_run:
        return Outcome(entries)
    report = plan.commit()
    return Outcome(entries, report.written, report.warnings)
