"""Link resolution: which note a link in a field that names a person leads to, as Obsidian follows it.

    Resolver(paths, contacts)         the notes of a vault, indexed once for all its links
    resolve(record, resolver, zone)   a contact or meeting with its links resolved, and their problems
    link_key(text)                    a name or link as links compare: NFC, case-insensitively
"""

from __future__ import annotations

import dataclasses
import functools
import operator
from dataclasses import replace
from datetime import date, datetime
from zoneinfo import ZoneInfo

from mdnet.fields import nfc, shown
from mdnet.i18n import N_
from mdnet.model import WARNING, Contact, Link, Meeting, NoteResult, Problem, problem


def resolve(record: Contact | Meeting, resolver: Resolver, zone: ZoneInfo):
    """A contact or meeting with its links resolved (and a meeting placed in the zone), and the
    problems its links raise."""
    problems: list[Problem] = []
    if isinstance(record, Contact):
        if record.referred_by is not None:
            record = replace(record, referred_by=resolver.person(record.referred_by, record.path, "referred_by",
                                                                 problems))
        return record, problems
    person, path = resolver.person, record.path
    values = list(_meeting_values(record))
    values[_WITH] = tuple([person(link, path, "with", problems) for link in record.with_])
    values[_REFERRALS] = tuple([person(link, path, "referrals", problems) for link in record.referrals])
    values[_DATE], values[_TIME] = _local(record.when, zone)
    return Meeting(*values), problems


# `replace(meeting, with_=…, …)` without its walk over the fields: every meeting of a vault goes
# through `resolve` when it is first read.
_MEETING_FIELDS = [f.name for f in dataclasses.fields(Meeting)]
_meeting_values = operator.attrgetter(*_MEETING_FIELDS)
_WITH, _REFERRALS, _DATE, _TIME = (_MEETING_FIELDS.index(n) for n in ("with_", "referrals", "date", "time"))


def _local(when: date | datetime, zone: ZoneInfo):
    if not isinstance(when, datetime):
        return when, None
    if when.tzinfo is not None:
        when = when.astimezone(zone)
    return when.date(), when.time().replace(tzinfo=None)


class Resolver:
    """Obsidian's link resolution for fields that name a person (SPEC section 2).

    Names and paths compare in NFC, case-insensitively. A link names the notes whose path
    without `.md` ends with it ("Ana", "Contactos/Ana"); the contacts and the notes are indexed
    by name, the last part of that path, so either form is one look-up. A contact's aliases are
    indexed whole."""

    def __init__(self, paths: list[str], contacts: dict[str, tuple[str, ...]]):
        """The resolver of a vault of these notes' paths, and its contacts' paths with their aliases."""
        self.contacts = _by_name(contacts)
        self.paths = paths
        self.resolved: dict[str, tuple] = {}
        self.aliases: dict[str, list[str]] = {}
        for path, aliases in contacts.items():
            for alias in aliases:
                self.aliases.setdefault(link_key(alias), []).append(path)

    @classmethod
    def of(cls, results: list[NoteResult]) -> Resolver:
        """The resolver of a vault of these notes, as the reader gave them."""
        return cls([r.path for r in results], {r.path: r.aliases for r in results if r.kind == "contact"})

    @property
    def index(self) -> tuple[dict, dict]:
        """The contacts by name and by alias: what it looks contacts up in, kept (by the plan
        store) to make the resolver again with `indexed`."""
        return self.contacts, self.aliases

    @classmethod
    def indexed(cls, paths: list[str], index: tuple[dict, dict]) -> Resolver:
        """The resolver whose `index` this was, for a vault of these notes' paths."""
        resolver = cls.__new__(cls)
        (resolver.contacts, resolver.aliases), resolver.paths, resolver.resolved = index, paths, {}
        return resolver

    def person(self, link: Link, source: str, key: str, problems: list[Problem]) -> Link:
        found = self.resolved.get(link.target)
        if found is None:
            found = self.resolved[link.target] = self._resolve(link.target)
        contact, note, warnings = found
        if warnings is not None:
            problems.extend(problem(source, link.line, WARNING, code, text, **params)
                            for code, text, params in warnings(key))
        return Link(link.target, link.line, contact, note)

    def _resolve(self, written: str):
        """(contact path, note path, the warnings for a field or None) for a link target; a
        warning is (code, text, params).

        Worked out once per distinct target: in a large vault most links name the same people."""
        target = link_key(written)
        said = shown(written)  # as messages quote it: a megabyte pasted into a link is not printed whole
        # By name, then by path: both are tails of a path, the name being the shortest one.
        candidates = _named(self.contacts, target)
        alias = not candidates and target in self.aliases
        if alias:
            candidates = self.aliases[target]
        if candidates:
            chosen = _shallowest(candidates)
            name = chosen.rsplit("/", 1)[-1][:-3]
            if not alias and len(candidates) == 1:
                return chosen, chosen, None
            return chosen, chosen, lambda key: _ambiguous(key, said, candidates) + (
                [("alias-link", N_("'%(name)s' links to [[%(target)s]], an alias of %(contact)s; Obsidian will "
                                   "not follow it: write \"[[%(contact)s|%(target)s]]\""),
                  {"name": key, "target": said, "contact": name})] if alias else [])
        others = _named(self.notes, target)
        if others:
            return None, _shallowest(others), lambda key: _ambiguous(key, said, others) + [
                ("not-a-contact", N_("'%(name)s' links to [[%(target)s]], which is not a contact: give that note "
                                     "'type: contact' or link to the person's note"), {"name": key, "target": said})]
        return None, None, lambda key: [
            ("broken-link", N_("'referrals' names [[%(target)s]], who has no note yet: create it with "
                               "`mdnet new contact \"%(target)s\"`"), {"target": said}) if key == "referrals" else
            ("broken-link", N_("'%(name)s' links to [[%(target)s]], which is no note in the vault: fix the link or "
                               "create the contact"), {"name": key, "target": said})]

    @functools.cached_property
    def notes(self) -> dict[str, list[str]]:
        """Every note, for links that name no contact (rare: built only when needed)."""
        return _by_name(self.paths)


def _shallowest(candidates: list[str]) -> str:
    """Of several notes a link matches: the fewest folders, then the shortest path, then the first."""
    return min(candidates, key=lambda p: (p.count("/"), len(p)))


def _ambiguous(key: str, written: str, candidates: list[str]) -> list[tuple[str, str, dict]]:
    if len(candidates) < 2:
        return []
    ordered = sorted(candidates, key=lambda p: (p.count("/"), len(p)))
    return [("ambiguous-link", N_("'%(name)s' link [[%(target)s]] matches %(count)s notes (%(notes)s); using "
                                  "%(chosen)s: write the path to choose"),
             {"name": key, "target": written, "count": len(candidates), "notes": ", ".join(ordered),
              "chosen": ordered[0]})]


def link_key(text: str) -> str:
    return text.casefold() if text.isascii() else nfc(text).casefold()


def _by_name(paths) -> dict[str, list[str]]:
    """"A/B/C.md" -> under "c", in path order. Paths are NFC already, so folding their case
    makes them what `link_key` makes of a link."""
    index: dict[str, list[str]] = {}
    for p in paths:
        index.setdefault(p[p.rfind("/") + 1:-3].casefold(), []).append(p)
    return index


def _named(index: dict[str, list[str]], target: str) -> list[str]:
    """The notes of `index` whose path ends with `target` (a `link_key`), in path order."""
    found = index.get(target[target.rfind("/") + 1:], [])
    if "/" not in target:
        return found
    return [p for p in found if (key := p[:-3].casefold()) == target or key.endswith("/" + target)]
