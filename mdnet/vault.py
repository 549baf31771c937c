"""The vault reader: every note read on its own, then joined into the vault, links resolved across notes.

    listing.scan(root) -> files          walk the folder (skipping dot-folders), following safe links
    notes.read_note(path, bytes)         pure: one note's record and problems (a cache can hold it)
    assemble(name, results)              the campaign, link resolution, vault-wide problems -> Vault
    load(root)                           all three
"""

from __future__ import annotations

import dataclasses
import functools
import operator
import os
from dataclasses import replace
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from mdnet import checks
from mdnet.fields import nfc
from mdnet.frontmatter import LIBYAML
from mdnet.listing import read_file, scan
from mdnet.model import (ERROR, WARNING, Campaign, Contact, Link, Meeting, NoteResult, Problem,
                         Vault)

# These names are imported here for the modules that still reach them through `mdnet.vault`.
from mdnet.frontmatter import yaml  # noqa: F401
from mdnet.listing import File, find_vault, note_at, paths_of, stamps_of  # noqa: F401


# --- the whole vault -------------------------------------------------------------------------

def load(root: Path) -> Vault:
    files, problems = scan(root)
    results = [read_file(f) for f in files]
    vault = assemble(root.resolve().name, results)
    return replace(vault, problems=tuple(problems) + vault.problems) if problems else vault


def machine_zone() -> str:
    """$TZ, else /etc/localtime's zone name, else UTC."""
    candidate = os.environ.get("TZ", "").lstrip(":")
    if not candidate:
        try:
            target = os.path.realpath("/etc/localtime")
            candidate = target.split("zoneinfo/", 1)[1] if "zoneinfo/" in target else ""
        except OSError:
            candidate = ""
    try:
        ZoneInfo(candidate)
        return candidate
    except (ZoneInfoNotFoundError, ValueError):
        return "UTC"


def assemble(name: str, results: list[NoteResult]) -> Vault:
    """Join the notes read one by one: pick the campaign, resolve links, run the method's checks."""
    return Assembler().assemble(name, results)


class Assembler:
    """Assembles a vault, remembering each note's resolved reading for the next assembly.

    While no note is added, removed, retyped or re-aliased and the zone stays, a link resolves
    as before, so only the notes whose reading changed (a NoteResult that is not the one
    `resolved` gave) are resolved again. A resolved reading can be resolved again: links keep
    what was written, and a meeting its time as written."""

    def __init__(self):
        self._key: tuple | None = None
        self._resolver: _Resolver | None = None
        self._done: dict[str, tuple[NoteResult, list[Problem]]] = {}
        self.fresh: list[str] = []  # the notes the last assembly resolved

    def __getstate__(self):
        return self._key, self._done

    def __setstate__(self, state):
        # The resolver is made again when a note needs resolving: it holds functions, and is
        # quick to make from the notes' names.
        (self._key, self._done), self._resolver = state, None

    def assemble(self, name: str, results: list[NoteResult]) -> Vault:
        results = sorted(results, key=lambda r: r.path)
        campaign, problems = _campaign(results)
        zone = ZoneInfo(campaign.timezone)
        key = (campaign.timezone, [(r.path, r.kind, r.aliases) for r in results])
        if key != self._key:
            self._key, self._resolver, self._done = key, _Resolver.of(results), {}
        contacts, meetings = [], []
        self.fresh = []
        for r in results:
            problems.extend(r.problems)
            if r.record is None or r.kind == "campaign":
                self._done.pop(r.path, None)  # nothing to resolve now, whatever there was before
                continue
            done = self._done.get(r.path)
            if done is None or done[0] is not r:
                if self._resolver is None:
                    self._resolver = _Resolver.of(results)
                record, raised = _resolve(r.record, self._resolver, zone)
                done = self._done[r.path] = (NoteResult(r.path, r.kind, record, r.problems, r.aliases), raised)
                self.fresh.append(r.path)
            problems.extend(done[1])
            (contacts if r.kind == "contact" else meetings).append(done[0].record)
        vault = Vault(name=name, campaign=campaign, contacts=tuple(contacts), meetings=tuple(meetings),
                      notes=tuple(r.path for r in results))
        problems.extend(checks.run(vault))
        problems.sort(key=problem_order)
        return replace(vault, problems=tuple(problems))

    def raised(self, path: str) -> list[Problem]:
        """The problems resolving the note's links raised, as the last assembly made them."""
        done = self._done.get(path)
        return done[1] if done is not None else []

    def resolved(self, path: str) -> NoteResult | None:
        """The note's reading with its links resolved, as the last assembly made it: keep it in
        place of the reading given, and the next assembly knows it needs no resolving."""
        done = self._done.get(path)
        return done[0] if done is not None else None


def problem_order(p: Problem) -> tuple:
    """Problems of the whole vault first, then by note and line."""
    return p.path is not None, p.path or "", p.line or 0


def same_reading(kept: NoteResult, fresh: NoteResult) -> bool:
    """Whether a note read again reads as before, `kept` being the earlier reading, resolved or not."""
    return kept == fresh or (kept.path, kept.kind, kept.problems, kept.aliases) == (
        fresh.path, fresh.kind, fresh.problems, fresh.aliases) and _as_read(kept.record) == fresh.record


def _as_read(record):
    """A resolved contact or meeting as the reader gave it: links unresolved, no local date."""
    if isinstance(record, Contact) and record.referred_by is not None:
        return replace(record, referred_by=Link(record.referred_by.target, record.referred_by.line))
    if isinstance(record, Meeting):
        return replace(record, with_=tuple(Link(x.target, x.line) for x in record.with_),
                       referrals=tuple(Link(x.target, x.line) for x in record.referrals), date=None, time=None)
    return record


def _campaign(results: list[NoteResult]) -> tuple[Campaign, list[Problem]]:
    """The vault's campaign (the first by path, with a zone) and the vault-wide problems about it."""
    problems: list[Problem] = []
    if not LIBYAML:
        problems.append(Problem(None, None, WARNING, "PyYAML was installed without libyaml, so reading is "
                                "about four times slower: reinstall it with `pip install --force-reinstall pyyaml`"))
    campaigns = [r.record for r in results if r.kind == "campaign"]
    campaign = campaigns[0] if campaigns else Campaign()
    for extra in campaigns[1:]:
        problems.append(Problem(extra.path, 1, ERROR, f"a second campaign note; mdnet uses {campaign.path}: "
                                "remove 'type: campaign' from one of them"))
    if not campaigns:
        problems.append(Problem(None, None, WARNING, "no campaign note: run `mdnet init` or add a note with "
                                "'type: campaign', a 'goal' and a 'timezone'"))
    if campaign.timezone is None:
        zone = machine_zone()
        if campaigns:
            problems.append(Problem(campaign.path, 1, WARNING, f"the campaign has no 'timezone'; using this "
                                    f"machine's ({zone}): add 'timezone: {zone}' so the feed does not move"))
        campaign = replace(campaign, timezone=zone)
    return campaign, problems


def _resolve(record: Contact | Meeting, resolver: _Resolver, zone: ZoneInfo):
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
# through `_resolve` when it is first read.
_MEETING_FIELDS = [f.name for f in dataclasses.fields(Meeting)]
_meeting_values = operator.attrgetter(*_MEETING_FIELDS)
_WITH, _REFERRALS, _DATE, _TIME = (_MEETING_FIELDS.index(n) for n in ("with_", "referrals", "date", "time"))


def _local(when: date | datetime, zone: ZoneInfo):
    if not isinstance(when, datetime):
        return when, None
    if when.tzinfo is not None:
        when = when.astimezone(zone)
    return when.date(), when.time().replace(tzinfo=None)


class _Resolver:
    """Obsidian's link resolution for fields that name a person (SPEC section 2).

    Names and paths compare in NFC, case-insensitively. A link names the notes whose path
    without `.md` ends with it ("Ana", "Contactos/Ana"); each index holds the notes by name, the
    last part of that path, so either form is one look-up."""

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
    def of(cls, results: list[NoteResult]) -> _Resolver:
        return cls([r.path for r in results], {r.path: r.aliases for r in results if r.kind == "contact"})

    @property
    def index(self) -> tuple[dict, dict]:
        """What it looks contacts up in, to keep and give `indexed`."""
        return self.contacts, self.aliases

    @classmethod
    def indexed(cls, paths: list[str], index: tuple[dict, dict]) -> _Resolver:
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
            problems.extend(Problem(source, link.line, WARNING, message) for message in warnings(key))
        return Link(link.target, link.line, contact, note)

    def _resolve(self, written: str):
        """(contact path, note path, the warnings for a field or None) for a link target.

        Worked out once per distinct target: in a large vault most links name the same people."""
        target = link_key(written)
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
            return chosen, chosen, lambda key: _ambiguous(key, written, candidates) + (
                [f"'{key}' links to [[{written}]], an alias of {name}; Obsidian will not "
                 f"follow it: write \"[[{name}|{written}]]\""] if alias else [])
        others = _named(self.notes, target)
        if others:
            return None, _shallowest(others), lambda key: _ambiguous(key, written, others) + [
                f"'{key}' links to [[{written}]], which is not a contact: "
                "give that note 'type: contact' or link to the person's note"]
        return None, None, lambda key: [
            f"'referrals' names [[{written}]], who has no note yet: "
            f"create it with `mdnet new contact \"{written}\"`" if key == "referrals" else
            f"'{key}' links to [[{written}]], which is no note in the vault: fix the link or create the contact"]

    @functools.cached_property
    def notes(self) -> dict[str, list[str]]:
        """Every note, for links that name no contact (rare: built only when needed)."""
        return _by_name(self.paths)


def _shallowest(candidates: list[str]) -> str:
    """Of several notes a link matches: the fewest folders, then the shortest path, then the first."""
    return min(candidates, key=lambda p: (p.count("/"), len(p)))


def _ambiguous(key: str, written: str, candidates: list[str]) -> list[str]:
    if len(candidates) < 2:
        return []
    ordered = sorted(candidates, key=lambda p: (p.count("/"), len(p)))
    return [f"'{key}' link [[{written}]] matches {len(candidates)} notes "
            f"({', '.join(ordered)}); using {ordered[0]}: write the path to choose"]


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
