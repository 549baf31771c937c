"""The plan store: after a few notes changed, `mdnet agenda` plans again only what they touch.

    full plan --save--> .mdnet/plan.sqlite --update(changed notes)--> the same plan

A full plan leaves in `plan.sqlite` every note's resolved reading and problems, the links
between notes and people (`campaign.relations`), and the plan's parts by subject
(`engine.Parts`): each action with the meeting, contact or name it hangs on, each suggestion
with its rank, each tally. When later a few notes changed, no note was added, removed, retyped
or re-aliased (so every link resolves as before), and it is the same day with the same campaign
note: the changed notes are read; the subjects whose walks (`Kind.reads`, `Tally.reads`) reach
one of them, before or after the change, are planned again by the engine from the notes their
walks reach; their parts replace the stored ones; and `engine.finish` puts the plan together
from all the parts, as a full plan does. The store knows no rule: what a rule reads is declared
next to it, and a test plans with another rule set through the same store.

Like the index cache, the store only ever saves work: any damage means a full plan.
"""

from __future__ import annotations

import dataclasses
import hashlib
import logging
import marshal
import os
import sqlite3
from array import array
from collections import Counter
from datetime import date, time
from pathlib import Path
from time import time_ns
from zoneinfo import ZoneInfo

from mdnet import checks, files as state, i18n, listing, vault as reader
from mdnet.brief import Briefer
from mdnet.campaign import CONTACT, MEETING, NAME, facts, relations
from mdnet.engine import ENGINE, Engine, Planning, finish, parts
from mdnet.errors import OutputError
from mdnet.fast import disk, sortable
from mdnet.fast.index import RACY_NS, Index, read_files
from mdnet.fast.memo import package_key
from mdnet.frontmatter import LIBYAML
from mdnet.links import Resolver, resolve
from mdnet.model import Action, Brief, Contact, Meeting, NoteResult, Vault

FILE = "plan.sqlite"
# Says at debug level whether a plan was updated, and from what: a test's window on the store.
log = logging.getLogger(__name__)
MAX_CHANGED = 64  # more changed notes than this are planned faster with the whole vault

# Every row ends with the checksum of its values (`_summed`), checked whenever the row is read:
# SQLite keeps none of what it holds, and a damaged value must never reach an agenda.
_TABLES = """
CREATE TABLE meta (name TEXT PRIMARY KEY, value BLOB, sum BLOB) WITHOUT ROWID;
CREATE TABLE notes (path TEXT PRIMARY KEY, kind TEXT, record BLOB, sum BLOB) WITHOUT ROWID;
CREATE TABLE edges (note TEXT, rel TEXT, key TEXT, sum BLOB);
CREATE TABLE actions (subject TEXT, rank BLOB, action BLOB, sum BLOB);
CREATE TABLE offers (subject TEXT, kind TEXT, rank BLOB, action BLOB, sum BLOB);
CREATE TABLE counts (subject TEXT, name TEXT, n INT, sum BLOB);
CREATE TABLE briefs (subject TEXT, meeting TEXT, brief BLOB, sum BLOB);
"""
_INDEXES = """
CREATE INDEX edges_key ON edges (rel, key);
CREATE INDEX edges_note ON edges (note, rel);
CREATE INDEX actions_subject ON actions (subject);
CREATE INDEX actions_rank ON actions (rank, action);
CREATE INDEX offers_subject ON offers (subject);
CREATE INDEX offers_rank ON offers (kind, rank);
CREATE INDEX counts_subject ON counts (subject);
CREATE INDEX briefs_subject ON briefs (subject);
CREATE INDEX briefs_meeting ON briefs (meeting);
"""  # made once the rows are in: quicker than keeping them up to date row by row
# `meta` holds the key of the code and the rule set, the tallies' totals, the vault's name, the day, the campaign and
# its problems, each note's problems, the problems of the checks across contacts, the notes'
# paths (one text) and sizes and times (an array), the contacts' aliases, what the link resolver
# looks names up in, and the compiled catalogue of the campaign's language and the dates written.
# Actions and briefs are marshalled plain values; ranks are `sortable` keys.
_SUBJECT_TABLES = ("actions", "offers", "counts", "briefs")
_BRIEF_FIELDS = [f.name for f in dataclasses.fields(Brief)]
_ACTION_FIELDS = [f.name for f in dataclasses.fields(Action)]


def _pack(a: Action) -> bytes:
    """An action as plain values, which marshal stores and loads faster than pickle."""
    at = a.time
    values = [getattr(a, name) for name in _ACTION_FIELDS]
    values[_ACTION_FIELDS.index("due")] = a.due.toordinal()
    values[_ACTION_FIELDS.index("time")] = (at.hour, at.minute, at.second, at.microsecond) if at else None
    return marshal.dumps(tuple(values))


_DUE, _TIME = _ACTION_FIELDS.index("due"), _ACTION_FIELDS.index("time")


def _record(blob: bytes) -> Contact | Meeting:
    record = disk.loads(blob).record
    if not isinstance(record, (Contact, Meeting)):
        raise TypeError(f"a stored note holds {type(record).__name__}")
    return record


def _unpack(blob: bytes, kinds: frozenset[str]) -> Action:
    values = list(marshal.loads(blob))
    if values[0] not in kinds:  # damage SQLite cannot tell: the template would fail on it
        raise ValueError(f"no such kind of action: {values[0]!r}")
    values[_DUE] = date.fromordinal(values[_DUE])
    values[_TIME] = time(*values[_TIME]) if values[_TIME] is not None else None
    return Action(*values)


def _sum(values: tuple) -> bytes:
    # `repr` of texts, bytes, integers and None is one text for equal values; marshal's is not.
    return hashlib.blake2b(repr(values).encode("utf-8", "surrogatepass"), digest_size=16).digest()


def _summed(row: tuple) -> tuple:
    return (*row, _sum(row))


class Damaged(Exception):
    """A row of the store whose checksum does not match its values."""


def _checked(rows) -> list[tuple]:
    """The rows (each with its checksum last) without their checksums, once each is checked."""
    found = []
    for row in rows:
        values = row[:-1]
        if _sum(values) != row[-1]:
            raise Damaged(values[:1])
        found.append(values)
    return found


def _rows(p, engine: Engine, subjects=None, brief=None) -> dict[str, list[tuple]]:
    """The rows of the parts `p` of a plan, of every subject or of those in `subjects`; `brief`
    makes the brief of a meeting, by its path."""
    keep = (lambda s: True) if subjects is None else subjects.__contains__
    briefed = {k.name for k in engine.kinds if k.briefed}
    rows = {
        "actions": [(s, sortable.encode(engine.order(a)), _pack(a)) for s, a in p.actions if keep(s)],
        "offers": [(s, a.kind, sortable.encode(rank), _pack(a)) for s, a, rank in p.offers if keep(s)],
        "counts": [c for c in p.counts if keep(c[0])],
        "briefs": [],
    }
    seen = set()
    for s, a in p.actions:
        if a.kind in briefed and keep(s) and a.note not in seen:
            seen.add(a.note)
            b = brief(a.note)
            rows["briefs"].append((s, a.note, marshal.dumps(tuple(getattr(b, n) for n in _BRIEF_FIELDS))))
    return rows


# --- a full plan leaves the store -------------------------------------------------------------

def save(root: Path, index: Index, planning: Planning, vault: Vault, engine: Engine = ENGINE) -> None:
    """Write the store of a full plan, and the index if it changed, once the answer is made: for a
    large vault, in one child process that does not slow the planning down."""

    def write(path: Path) -> None:
        index.save()
        _write(path, index, planning, vault, engine)

    try:
        disk.save_with(state.state_dir(root) / FILE, len(index.entries), write)
    except (OSError, sqlite3.Error, OutputError):  # a read-only vault: only work not saved
        pass


def _write(path: Path, index: Index, planning: Planning, vault: Vault, engine: Engine) -> None:
    contacts = {c.path for c in vault.contacts}
    raised = index.assembler.raised
    paths = sorted(index.entries)  # as `listing.scan` lists them
    notes, edges, aliases, problems = [], [], {}, {}
    for p in paths:
        r = index.entries[p][2]
        found = (*r.problems, *raised(p))
        if found:
            problems[p] = found
        record = r.record if r.kind in ("contact", "meeting") else None
        if r.kind is not None:
            notes.append((p, r.kind, disk.dumps(r) if record is not None else None))
        if record is not None:
            edges += [(p, rel, key) for rel, key in set(relations(record, contacts))]
        if r.kind == "contact":
            aliases[p] = r.aliases
    meetings = {m.path: m for m in vault.meetings}
    rows = _rows(planning.parts, engine, brief=lambda note: planning.briefer(meetings[note]))
    _, campaign_problems = reader._campaign([r for _, _, r in index.entries.values()])
    totals: dict[str, int] = {}
    for _, name, n in planning.parts.counts:
        totals[name] = totals.get(name, 0) + n
    meta = {"key": disk.dumps(_key(engine)), "name": vault.name, "machine": _machine(),
            "totals": marshal.dumps(totals),
            "today": planning.plan.today.toordinal(),
            "campaign": disk.dumps(vault.campaign), "campaign_problems": disk.dumps(tuple(campaign_problems)),
            "checks": disk.dumps(tuple(checks.run(vault))), "paths": "\0".join(paths),
            "stamps": array("q", [*(index.entries[p][0] for p in paths), *(index.entries[p][1] for p in paths)]
                            ).tobytes(),
            "aliases": marshal.dumps(aliases), "catalogue": i18n.compiled(vault.campaign.locale),
            "problems": disk.dumps(problems), "dates": marshal.dumps(i18n.dates_written()),
            "names": marshal.dumps(Resolver(paths, aliases).index)}
    tmp = path.with_name(f"{path.name}.{os.getpid()}.tmp")
    tmp.unlink(missing_ok=True)
    db = sqlite3.connect(tmp, isolation_level=None)
    try:
        db.execute("PRAGMA journal_mode = OFF")
        db.execute("PRAGMA synchronous = OFF")
        db.executescript(_TABLES)
        db.execute("BEGIN")
        _insert(db, {"meta": list(meta.items()), "notes": notes, "edges": edges, **rows})
        for statement in filter(str.strip, _INDEXES.split(";")):
            db.execute(statement)
        db.execute("COMMIT")
    except BaseException:
        db.close()
        tmp.unlink(missing_ok=True)
        raise
    db.close()
    tmp.replace(path)


def _insert(db: sqlite3.Connection, rows: dict[str, list[tuple]], verb: str = "INSERT") -> None:
    """Each table's rows, each with its checksum."""
    for table, values in rows.items():
        if values:
            db.executemany(f"{verb} INTO {table} VALUES ({', '.join('?' * (len(values[0]) + 1))})",
                           map(_summed, values))


def _key(engine: Engine) -> tuple:
    return package_key(), engine.name


def _machine() -> str:
    """What else a reading depends on: the zone of a campaign that names none, and the YAML parser."""
    return f"{reader.machine_zone()}\0{LIBYAML}"


# --- a later run updates it -------------------------------------------------------------------

def update(root: Path, files: list, today: date | None, window: int, today_in, briefs: bool = True,
           engine: Engine = ENGINE):
    """(campaign, problems, plan, briefs) after the notes that changed since the store was
    written, or None when only a full plan can tell. `briefs` gives the brief of each meeting the
    plan's window shows a brief for, by path (none without `briefs`). Without `today`,
    `today_in(zone)` tells it."""
    folder = state.own_folder(root)
    path = folder / FILE if folder is not None else None
    if path is None or not disk.is_regular(path):  # a FIFO would hang SQLite, a link lead elsewhere
        return None
    try:
        with disk.locked(path.parent):
            db = sqlite3.connect(path, isolation_level=None)
            try:
                updated = _Update(db, engine).run(Path(root), files, today, window, today_in, briefs)
            finally:
                db.close()
    except _DAMAGE as e:  # any damage to the store means only that the full plan writes another
        log.debug("the store is damaged (%r): the whole vault is planned", e)
        return None
    if updated is None:
        log.debug("the store cannot tell: the whole vault is planned")
    return updated


# What a damaged store raises as it is read: SQLite's errors, values of another type or shape,
# bytes that do not unpickle or unmarshal.
_DAMAGE = (sqlite3.Error, Damaged, *disk.DAMAGE)


def _changed(meta: dict, files: list, stored: array) -> list[int] | None:
    """The indexes of `files` whose size or time is not `stored`; None if a note was added or removed."""
    if meta["paths"] != listing.paths_of(files):
        return None
    now = listing.stamps_of(files)
    if stored == now:
        return []
    n, step, found = len(files), 512, set()
    for start in range(0, 2 * n, step):  # compared a block at a time: few notes change
        if stored[start:start + step] != now[start:start + step]:
            found.update(i % n for i in range(start, min(start + step, 2 * n)) if stored[i] != now[i])
    return sorted(found)


class _Update:
    def __init__(self, db: sqlite3.Connection, engine: Engine):
        self.db, self.engine = db, engine
        self.reads = engine.reads()
        self.kinds = frozenset(k.name for k in engine.kinds)

    def run(self, root: Path, files, today, window, today_in, briefs):
        db, engine = self.db, self.engine
        meta = dict(_checked(db.execute("SELECT name, value, sum FROM meta")))
        name = root.resolve().name
        if disk.loads(meta["key"]) != _key(engine) or (meta["name"], meta["machine"]) != (name, _machine()):
            return None
        camp = disk.loads(meta["campaign"])
        today = today or today_in(camp.timezone)
        stamps = array("q")
        stamps.frombytes(meta["stamps"])
        at = _changed(meta, files, stamps) if today.toordinal() == meta["today"] else None
        if at is None or len(at) > MAX_CHANGED:
            return None
        changed = [files[i] for i in at]
        fresh = read_files(changed)
        aliases = marshal.loads(meta["aliases"])
        for r in fresh:
            kind, has_record = self.kind_of(r.path)
            if (r.kind, r.record is not None) != (kind, has_record) or kind == "campaign" or (
                    kind == "contact" and r.aliases != aliases[r.path]):
                return None  # links may resolve otherwise, or the campaign changed
        i18n.known(camp.locale, meta["catalogue"])
        dates = marshal.loads(meta["dates"])
        i18n.known_dates(dates)
        problems = disk.loads(meta["problems"])

        db.execute("BEGIN")
        racy_after = time_ns() - RACY_NS
        for i, f in zip(at, changed):  # read again next time when it may change again within the clock's tick
            stamps[i], stamps[len(files) + i] = (f.size, f.mtime_ns) if f.mtime_ns < racy_after else (-1, -1)
        resolver = Resolver.indexed(meta["paths"].split("\0"), marshal.loads(meta["names"]))
        paths = [r.path for r in fresh]
        dirty = self.touching(paths)  # before the change
        zone = ZoneInfo(camp.timezone)
        for r in fresh:
            self.store_note(r, resolver, zone, problems)
        dirty |= self.touching(paths)  # and after it

        # The subjects' parts made again by the engine, from the notes their walks reach.
        reached = self.reached(dirty)
        records = self.records(sorted(reached))
        sub = Vault(name=name, campaign=camp, contacts=tuple(r for k, r in records if k == "contact"),
                    meetings=tuple(r for k, r in records if k == "meeting"))
        f = facts(sub, today)
        briefer, meetings = Briefer.of(f), {m.path: m for m in sub.meetings}
        rows = _rows(parts(f, engine), engine, dirty, lambda note: briefer(meetings[note]))
        totals = Counter(marshal.loads(meta["totals"]))
        for _, name, n in _checked(self.among("SELECT subject, name, n, sum FROM counts WHERE subject IN (%s)", dirty)):
            totals[name] -= n
        for table in _SUBJECT_TABLES:
            self.among(f"DELETE FROM {table} WHERE subject IN (%s)", dirty)
        _insert(db, rows)
        for _, name, n in rows["counts"]:
            totals[name] += n

        # The plan, from every subject's parts, as a full plan puts it together.
        actions = [_unpack(blob, self.kinds) for _, _, blob in
                   _checked(db.execute("SELECT subject, rank, action, sum FROM actions ORDER BY rank"))]
        offers = [_unpack(blob, self.kinds) for k in engine.kinds if k.pick is not None for _, _, _, blob in _checked(
            db.execute("SELECT subject, kind, rank, action, sum FROM offers WHERE kind = ? ORDER BY rank LIMIT ?",
                       (k.name, max(k.pick(camp), 0))))]
        plan = finish(engine, camp, today, window, actions, offers, totals)

        if any(r.kind == "contact" for r in fresh):
            everyone = Vault(name=name, campaign=camp, contacts=tuple(self.records_of_kind("contact")))
            meta["checks"] = disk.dumps(tuple(checks.run(everyone)))
        in_order = sorted([*disk.loads(meta["campaign_problems"]),
                           *(p for path in sorted(problems) for p in problems[path]), *disk.loads(meta["checks"])],
                          key=reader.problem_order)
        kept_meta = [("checks", meta["checks"]), ("stamps", stamps.tobytes()), ("problems", disk.dumps(problems)),
                     ("totals", marshal.dumps({name: n for name, n in totals.items() if n}))]
        if len(i18n.dates_written()) > len(dates):
            kept_meta.append(("dates", marshal.dumps(i18n.dates_written())))
        _insert(db, {"meta": kept_meta}, "INSERT OR REPLACE")
        briefed = {k.name for k in engine.kinds if k.briefed}
        shown = {a.note for a in plan.in_window() if a.kind in briefed and not a.overdue} if briefs else set()
        kept = {m: Brief(*marshal.loads(blob)) for _, m, blob in
                _checked(self.among("SELECT subject, meeting, brief, sum FROM briefs WHERE meeting IN (%s)", shown))}
        if len(kept) != len(shown):
            return None  # a brief the store should hold and does not: plan the whole vault
        db.execute("COMMIT")
        log.debug("updated from %s: planned again %s, from %s", paths, sorted(dirty), sorted(reached))
        return camp, tuple(in_order), plan, kept

    # -- the walks ---------------------------------------------------------------------------

    def step(self, nodes: set[str], step: str) -> set[str]:
        """Where one step of a walk leads from `nodes` (`rel`, or `~rel` backwards)."""
        if step.startswith("~"):
            sql = "SELECT note, rel, key, sum FROM edges WHERE rel = '%s' AND key IN (%%s)" % step[1:].replace("'", "")
            return {note for note, _, _ in _checked(self.among(sql, nodes))}
        sql = "SELECT note, rel, key, sum FROM edges WHERE rel = '%s' AND note IN (%%s)" % step.replace("'", "")
        return {key for _, _, key in _checked(self.among(sql, nodes))}

    def walk(self, nodes: set[str], steps: tuple[str, ...], memo: dict) -> set[str]:
        """The nodes a walk reaches at its last step, each prefix worked out once."""
        if not steps:
            return nodes
        if steps not in memo:
            memo[steps] = self.step(self.walk(nodes, steps[:-1], memo), steps[-1])
        return memo[steps]

    def touching(self, notes: list[str]) -> set[str]:
        """The subjects some walk of whose reaches one of `notes`: walked back from them."""
        found, memo = set(), {}
        back = {step: step[1:] if step.startswith("~") else "~" + step for walk in
                (w for walks in self.reads.values() for w in walks) for step in walk}
        for subject, walks in self.reads.items():
            candidates = set(notes)
            for walk in walks:
                for i in range(1, len(walk) + 1):
                    candidates |= self.walk(set(notes), tuple(back[s] for s in reversed(walk[:i])), memo)
            found |= self.of_kind(candidates, subject)
        return found

    def reached(self, subjects: set[str]) -> set[str]:
        """Every node the subjects' walks reach, the subjects too."""
        reached = set(subjects)
        for subject, walks in self.reads.items():
            start, memo = self.of_kind(subjects, subject), {}
            for walk in walks:
                for i in range(1, len(walk) + 1):
                    reached |= self.walk(start, walk[:i], memo)
        return reached

    def of_kind(self, keys: set[str], subject: str) -> set[str]:
        """The keys that are subjects of this kind: meetings' or contacts' notes with a record, or
        people with no such note (names)."""
        noted = {path: (kind, record is not None) for path, kind, record in
                 _checked(self.among("SELECT path, kind, record, sum FROM notes WHERE path IN (%s)", keys))}
        if subject == NAME:
            return {k for k in keys if k not in noted}
        want = ({MEETING: "meeting", CONTACT: "contact"}[subject], True)
        return {k for k, found in noted.items() if found == want}

    # -- the notes -----------------------------------------------------------------------------

    def store_note(self, r: NoteResult, resolver, zone: ZoneInfo, problems: dict) -> None:
        """Keep a changed note's new reading, its problems and its links."""
        db, path = self.db, r.path
        record, raised = resolve(r.record, resolver, zone) if r.record is not None else (None, [])
        problems.pop(path, None)
        if r.problems or raised:
            problems[path] = (*r.problems, *raised)
        db.execute("DELETE FROM notes WHERE path = ?", (path,))
        if r.kind is not None:
            kept = NoteResult(path, r.kind, record, r.problems, r.aliases) if record is not None else None
            _insert(db, {"notes": [(path, r.kind, kept and disk.dumps(kept))]})
        db.execute("DELETE FROM edges WHERE note = ?", (path,))
        if record is not None:
            _insert(db, {"edges": [(path, rel, key) for rel, key in set(relations(record, _Contacts(self)))]})

    def kind_of(self, note: str) -> tuple[str | None, bool]:
        """The note's kind as stored, and whether it has a record."""
        rows = _checked(self.db.execute("SELECT path, kind, record, sum FROM notes WHERE path = ?", (note,)))
        return (rows[0][1], rows[0][2] is not None) if rows else (None, False)

    def among(self, sql: str, values) -> list[tuple]:
        """The rows of `sql`, whose `IN (%s)` is given the values 500 at a time (SQLite's limit)."""
        values, rows = list(values), []
        for start in range(0, len(values), 500):
            chunk = values[start:start + 500]
            rows += self.db.execute(sql % ",".join("?" * len(chunk)), chunk)
        return rows

    def records(self, paths: list[str]) -> list[tuple[str, object]]:
        """(kind, resolved record) of these notes, in this order (those that have one)."""
        rows = {p: (k, blob) for p, k, blob in _checked(
            self.among("SELECT path, kind, record, sum FROM notes WHERE record IS NOT NULL AND path IN (%s)", paths))}
        return [(rows[p][0], _record(rows[p][1])) for p in paths if p in rows]

    def records_of_kind(self, kind: str) -> list:
        return [_record(blob) for _, _, blob in _checked(self.db.execute(
            "SELECT path, kind, record, sum FROM notes WHERE kind = ? AND record IS NOT NULL ORDER BY path", (kind,)))]


class _Contacts:
    """The paths of the contact notes that have a record, looked up in the store as asked."""

    def __init__(self, update: _Update):
        self.update = update

    def __contains__(self, path) -> bool:
        return path is not None and self.update.kind_of(path) == ("contact", True)
