"""The vault reader: every note read on its own, then joined into the vault, links resolved across notes.

    listing.scan(root) -> files          walk the folder (skipping dot-folders), following safe links
    notes.read_note(path, bytes)         pure: one note's record and problems (a cache can hold it)
    assemble(name, results)              the campaign, link resolution, vault-wide problems -> Vault
    load(root)                           all three
"""

from __future__ import annotations

import os
from dataclasses import replace
from pathlib import Path
from zoneinfo import ZoneInfo

from mdnet import checks, fields
from mdnet.frontmatter import LIBYAML
from mdnet.links import Resolver, resolve
from mdnet.listing import read_file, scan
from mdnet.i18n import N_
from mdnet.model import ERROR, WARNING, Campaign, Contact, Link, Meeting, NoteResult, Problem, Vault, problem


def load(root: Path, with_checks: bool = True) -> Vault:
    files, problems = scan(root)
    results = [read_file(f) for f in files]
    vault = Assembler().assemble(root.resolve().name, results, with_checks)
    return replace(vault, problems=tuple(problems) + vault.problems) if problems else vault


def machine_zone() -> str:
    """$TZ, else /etc/localtime's zone name, else UTC (also for a $TZ that names no zone)."""
    candidate = os.environ.get("TZ", "").lstrip(":")
    if not candidate:
        try:
            target = os.path.realpath("/etc/localtime")
            candidate = target.split("zoneinfo/", 1)[1] if "zoneinfo/" in target else ""
        except OSError:
            candidate = ""
    # Only a zone of the database: ZoneInfo opens folders (`Europe`) and some files that are none.
    return candidate if candidate and fields.is_zone(candidate) else "UTC"


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
        self._resolver: Resolver | None = None
        self._done: dict[str, tuple[NoteResult, list[Problem]]] = {}
        self.fresh: list[str] = []  # the notes the last assembly resolved

    def __getstate__(self):
        return self._key, self._done

    def __setstate__(self, state):
        # The resolver is made again when a note needs resolving: it holds functions, and is
        # quick to make from the notes' names.
        (self._key, self._done), self._resolver = state, None

    def assemble(self, name: str, results: list[NoteResult], with_checks: bool = True) -> Vault:
        results = sorted(results, key=lambda r: r.path)
        campaign, problems = _campaign(results)
        zone = ZoneInfo(campaign.timezone)
        key = (campaign.timezone, [(r.path, r.kind, r.aliases) for r in results])
        if key != self._key:
            self._key, self._resolver, self._done = key, Resolver.of(results), {}
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
                    self._resolver = Resolver.of(results)
                record, raised = resolve(r.record, self._resolver, zone)
                done = self._done[r.path] = (NoteResult(r.path, r.kind, record, r.problems, r.aliases), raised)
                self.fresh.append(r.path)
            problems.extend(done[1])
            (contacts if r.kind == "contact" else meetings).append(done[0].record)
        vault = Vault(name=name, campaign=campaign, contacts=tuple(contacts), meetings=tuple(meetings),
                      notes=tuple(r.path for r in results))
        if with_checks:  # a command that reads only the contacts' values needs none
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
        problems.append(problem(None, None, WARNING, "slow-yaml", N_("PyYAML was installed without libyaml, so "
                                "reading is about four times slower: reinstall it with `pip install "
                                "--force-reinstall pyyaml`")))
    read = [r for r in results if r.kind == "campaign"]
    campaigns = [r.record for r in read]
    campaign = campaigns[0] if campaigns else Campaign()
    for extra in campaigns[1:]:
        problems.append(problem(extra.path, 1, ERROR, "second-campaign", N_("a second campaign note; mdnet uses "
                                "%(first)s: remove 'type: campaign' from one of them"), first=campaign.path))
    if not campaigns:
        problems.append(problem(None, None, WARNING, "no-campaign", N_("no campaign note: run `mdnet init` or add a "
                                "note with 'type: campaign', a 'goal' and a 'timezone'")))
    if campaign.timezone is None:
        zone = machine_zone()
        # A zone written but unusable is reported on its line, saying the machine's zone is used.
        written = bool(read) and any(str(dict(p.params).get("name")).lower() == "timezone"
                                     for p in read[0].problems)
        if campaigns and not written:
            problems.append(problem(campaign.path, 1, WARNING, "no-timezone", N_("the campaign has no 'timezone'; "
                                    "using this machine's (%(zone)s): add 'timezone: %(zone)s' so the feed does not "
                                    "move"), zone=zone))
        campaign = replace(campaign, timezone=zone)
    return campaign, problems
