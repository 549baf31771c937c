"""The plan store: after a few notes changed, `mdnet agenda` plans again only what they touch.

    full run --save--> .mdnet/plan.sqlite --update(changed notes)--> the same plan, agenda and stats

A full run of `agenda` leaves in `plan.sqlite` every note's resolved reading and problems, the
people each note names (`edges`), every action with its anchor (`campaign.anchored`: the meeting,
contact or unnoted name it hangs on), and what the stats count per contact and per meeting.
When later a few notes changed, and no note was added, removed, retyped or re-aliased (so every
link resolves as before), the day and the campaign note are the same: the changed notes are
read, the anchors whose actions can depend on them are worked out from `edges`, a small vault
holding everything those anchors depend on is planned by the engine itself, and its actions
replace those anchors' actions. The stats are counted in SQL. Anything else plans the whole vault
again. A property test holds `update` to a full run through random edits.

What an anchor's actions depend on (a note's "people" are the keys of `campaign.Person`):
- a meeting: itself, its people's contact notes, every meeting with any of them (which one was
  the latest), the contacts its referrals name;
- a contact: itself, its meetings and their people (names in the actions), the meetings naming
  it and their people (the referrer), the contact its `referred_by` names;
- a name with no note: the meetings naming it, and their people.
Like the index cache, the store only ever saves work: any damage means a full run.
"""

from __future__ import annotations

import dataclasses
import marshal
import os
import sqlite3
from array import array
from collections import Counter
from datetime import date, time, timedelta
from pathlib import Path
from time import time_ns
from zoneinfo import ZoneInfo

from mdnet import cache, campaign, checks, files as state, i18n, vault as reader
from mdnet.campaign import CAMPAIGN, CONTACT, MEETING, NAME
from mdnet.model import Action, Brief, Meeting, NoteResult, Plan, Stats, Vault

FILE = "plan.sqlite"
MAX_CHANGED = 64  # more changed notes than this are planned faster with the whole vault
WITH, NAMES, REFERRER = "w", "r", "b"  # edges: a meeting's people, the names it gave; a contact's referrer

_TABLES = """
CREATE TABLE meta (name TEXT PRIMARY KEY, value BLOB) WITHOUT ROWID;
CREATE TABLE notes (path TEXT PRIMARY KEY, kind TEXT, record BLOB) WITHOUT ROWID;
CREATE TABLE edges (note TEXT, role TEXT, key TEXT);
CREATE TABLE actions (anchor TEXT, rank BLOB, action BLOB);
CREATE TABLE contacts (path TEXT PRIMARY KEY, candidate INT, closeness INT, circle_order INT, folded TEXT,
                       circle TEXT, stage TEXT) WITHOUT ROWID;
CREATE TABLE meetings (path TEXT PRIMARY KEY, current INT, done INT, day INT, interview INT) WITHOUT ROWID;
CREATE TABLE obtained (key TEXT PRIMARY KEY, meetings INT) WITHOUT ROWID;
CREATE TABLE briefs (meeting TEXT PRIMARY KEY, brief BLOB) WITHOUT ROWID;
"""
_INDEXES = """
CREATE INDEX edges_key ON edges (role, key);
CREATE INDEX edges_note ON edges (note);
CREATE INDEX actions_anchor ON actions (anchor);
CREATE INDEX actions_rank ON actions (rank, action);
"""  # made once the rows are in: quicker than keeping them up to date row by row
# `meta` holds the key of the code, the vault's name, the day, the campaign and its problems, each
# note's problems, the problems of the checks across contacts, the notes' paths (one text) and
# sizes and times (an array), the contacts' aliases, what the link resolver looks names up in,
# and the compiled catalogue of the campaign's language. `actions` holds each action
# (marshalled), its anchor and its rank in the agenda (`agenda_order_bytes`).
# `obtained` counts the current done meetings that gave each name; `briefs` holds the brief of
# each planned meeting that raises actions (marshalled).

_loads, _dumps = cache.loads, cache.dumps


def _pack(a: Action) -> tuple:
    """An action as plain values, which marshal stores and loads faster than pickle."""
    at = a.time
    return (a.kind, a.due.toordinal(), a.contact, a.note, a.reason, a.overdue,
            (at.hour, at.minute, at.second, at.microsecond) if at is not None else None, a.with_, a.contact_path,
            a.closeness)


def _briefed(m: Meeting, start: date | None) -> bool:
    """Whether a meeting gets a brief kept: planned, and raising actions (an agenda may show it)."""
    return m.status == campaign.PLANNED and (start is None or m.date >= start)


def _brief_row(m: Meeting, briefer: campaign.Briefer) -> tuple[str, bytes]:
    return m.path, marshal.dumps(tuple(getattr(briefer(m), name) for name in _BRIEF_FIELDS))


_BRIEF_FIELDS = [f.name for f in dataclasses.fields(Brief)]


def _action_row(pair: tuple[str, Action]) -> tuple[str, bytes, bytes]:
    anchor, a = pair
    return anchor, campaign.agenda_order_bytes(a), marshal.dumps(_pack(a))


def _unpack(t: tuple) -> Action:
    if t[0] not in campaign.KIND_ORDER:  # damage SQLite cannot tell: the template would fail on it
        raise ValueError(f"no such kind of action: {t[0]!r}")
    return Action(t[0], date.fromordinal(t[1]), t[2], t[3], t[4], t[5], time(*t[6]) if t[6] is not None else None,
                  t[7], t[8], t[9])


# --- what is stored per note ------------------------------------------------------------------

def _person_key(link, contacts: set[str]) -> str:
    """`campaign.People.of(link).key`, from the set of contact notes that have a record."""
    return link.contact if link.contact in contacts else campaign.unlisted_key(link.target)


def _edges(record, contacts: set[str]) -> list[tuple[str, str]]:
    """(role, key) of the people a contact or meeting names, each once per role."""
    found: dict[tuple[str, str], None] = {}
    if isinstance(record, Meeting):
        for link in record.with_:
            found[WITH, _person_key(link, contacts)] = None
        for link in record.referrals:
            found[NAMES, _person_key(link, contacts)] = None
    elif record.referred_by is not None:
        found[REFERRER, _person_key(record.referred_by, contacts)] = None
    return list(found)


def _meeting_row(m: Meeting, start: date | None) -> tuple:
    """What the stats count of a meeting: (path, current, done, day, interview). A meeting the
    reader gives a record has a date."""
    current = m.status != campaign.CANCELLED and (start is None or m.date >= start)
    return m.path, current, m.status == campaign.DONE, m.date.toordinal(), "interview" in m.outcome


def _contact_row(f: campaign.Facts, c) -> tuple:
    return (c.path, campaign.candidate(f, c), *campaign.first_meeting_order(c)[:3], campaign.circle_of(c),
            campaign.stage(f, c.path))


# --- a full run leaves the store --------------------------------------------------------------

def save(root: Path, index: cache.Index, planning: campaign.Planning, vault: Vault) -> None:
    """Write the store of a full run, and the index if it changed, once the answer is made: for a
    large vault, in one child process that does not slow the planning down."""

    def write(path: Path) -> None:
        if index.changed:
            index.save()
        _write(path, index, planning, vault)

    try:
        cache.save_with(state.state_dir(root) / FILE, len(index.entries), write)
    except Exception:  # noqa: BLE001 - a store that cannot be written (a read-only vault) is only work not saved
        pass


def _write(path: Path, index: cache.Index, planning: campaign.Planning, vault: Vault) -> None:
    f = planning.facts
    contacts = {c.path for c in vault.contacts}
    raised = index.assembler.raised
    paths = sorted(index.entries)  # as `vault.scan` lists them
    notes, edges, aliases, problems = [], [], {}, {}
    for p in paths:
        r = index.entries[p][2]
        found = (*r.problems, *raised(p))
        if found:
            problems[p] = found
        record = r.record if r.kind in ("contact", "meeting") else None
        if r.kind is not None:
            notes.append((p, r.kind, _dumps(r) if record is not None else None))
        if record is not None:
            edges += [(p, role, key) for role, key in _edges(record, contacts)]
        if r.kind == "contact":
            aliases[p] = r.aliases
    start = vault.campaign.start
    meetings = [_meeting_row(m, start) for m in vault.meetings]
    counted = {row[0] for row in meetings if row[1] and row[2]}  # current and done
    given = Counter(key for p, role, key in edges if role == NAMES and p in counted)
    _, campaign_problems = reader._campaign([r for _, _, r in index.entries.values()])
    meta = {"key": _dumps(cache.package_key()), "name": vault.name, "machine": _machine(),
            "today": planning.plan.today.toordinal(),
            "campaign": _dumps(vault.campaign), "campaign_problems": _dumps(tuple(campaign_problems)),
            "checks": _dumps(tuple(checks.run(vault))), "paths": "\0".join(paths),
            "stamps": array("q", [*(index.entries[p][0] for p in paths), *(index.entries[p][1] for p in paths)]
                            ).tobytes(),
            "aliases": marshal.dumps(aliases), "catalogue": i18n.compiled(vault.campaign.locale),
            "problems": _dumps(problems), "dates": marshal.dumps(i18n.dates_written()),
            "names": marshal.dumps(reader._Resolver(paths, aliases).index)}
    tmp = path.with_name(f"{path.name}.{os.getpid()}.tmp")
    tmp.unlink(missing_ok=True)
    db = sqlite3.connect(tmp, isolation_level=None)
    try:
        db.execute("PRAGMA journal_mode = OFF")
        db.execute("PRAGMA synchronous = OFF")
        db.executescript(_TABLES)
        db.execute("BEGIN")
        db.executemany("INSERT INTO meta VALUES (?, ?)", meta.items())
        db.executemany("INSERT INTO notes VALUES (?, ?, ?)", notes)
        db.executemany("INSERT INTO edges VALUES (?, ?, ?)", edges)
        db.executemany("INSERT INTO actions VALUES (?, ?, ?)", map(_action_row, planning.anchored))
        db.executemany("INSERT INTO contacts VALUES (?, ?, ?, ?, ?, ?, ?)",
                       [_contact_row(f, c) for c in vault.contacts])
        db.executemany("INSERT INTO meetings VALUES (?, ?, ?, ?, ?)", meetings)
        db.executemany("INSERT INTO obtained VALUES (?, ?)", given.items())
        db.executemany("INSERT INTO briefs VALUES (?, ?)",
                       [_brief_row(m, planning.briefer) for m in vault.meetings if _briefed(m, start)])
        for statement in filter(str.strip, _INDEXES.split(";")):
            db.execute(statement)
        db.execute("COMMIT")
    except BaseException:
        db.close()
        tmp.unlink(missing_ok=True)
        raise
    db.close()
    tmp.replace(path)


def _machine() -> str:
    """What else a reading depends on: the zone of a campaign that names none, and the YAML parser."""
    return f"{reader.machine_zone()}\0{reader.LIBYAML}"


# --- a later run updates it -------------------------------------------------------------------

def update(root: Path, files: list[reader.File], today: date | None, window: int, today_in, briefs: bool = True):
    """(vault, plan, briefs) after the notes that changed since the store was written, or None
    when only a full run can tell. The vault holds the campaign and every problem and, with
    `briefs`, the meetings the window shows a brief for; not every note. `briefs` gives their
    briefs, as `campaign.Briefer` does. Without `today`, `today_in(zone)` tells it."""
    path = Path(root) / state.STATE_DIR / FILE
    if not path.exists():
        return None
    try:
        with cache.locked(path.parent):
            db = sqlite3.connect(path, isolation_level=None)
            try:
                return _update(db, Path(root), files, today, window, today_in, briefs)
            finally:
                db.close()
    except Exception:  # noqa: BLE001 - any damage to the store means only that the full run writes another
        return None


def _changed(meta: dict, files: list[reader.File], stored: array) -> list[int] | None:
    """The indexes of `files` whose size or time is not `stored`; None if a note was added or removed."""
    if meta["paths"] != reader.paths_of(files):
        return None
    now = reader.stamps_of(files)
    if stored == now:
        return []
    n, step, found = len(files), 512, set()
    for start in range(0, 2 * n, step):  # compared a block at a time: few notes change
        if stored[start:start + step] != now[start:start + step]:
            found.update(i % n for i in range(start, min(start + step, 2 * n)) if stored[i] != now[i])
    return sorted(found)


def _update(db: sqlite3.Connection, root: Path, files, today, window, today_in, briefs):
    meta = dict(db.execute("SELECT name, value FROM meta"))
    name = root.resolve().name
    if _loads(meta["key"]) != cache.package_key() or (meta["name"], meta["machine"]) != (name, _machine()):
        return None
    camp = _loads(meta["campaign"])
    today = today or today_in(camp.timezone)
    stamps = array("q")
    stamps.frombytes(meta["stamps"])
    at = _changed(meta, files, stamps) if today.toordinal() == meta["today"] else None
    if at is None or len(at) > MAX_CHANGED:
        return None
    changed = [files[i] for i in at]
    fresh = cache.read_files(changed)
    q = _Queries(db)
    aliases = marshal.loads(meta["aliases"])
    for r in fresh:
        kind, has_record = q.kind_of(r.path)
        if (r.kind, r.record is not None) != (kind, has_record) or kind == "campaign" or (
                kind == "contact" and r.aliases != aliases[r.path]):
            return None  # links may resolve otherwise, or the campaign changed
    i18n.known(camp.locale, meta["catalogue"])
    dates = marshal.loads(meta["dates"])
    i18n.known_dates(dates)
    problems = _loads(meta["problems"])

    db.execute("BEGIN")
    racy_after = time_ns() - cache.RACY_NS
    for i, f in zip(at, changed):  # read again next time when it may change again within the clock's tick
        stamps[i], stamps[len(files) + i] = (f.size, f.mtime_ns) if f.mtime_ns < racy_after else (-1, -1)
    resolver = reader._Resolver.indexed(meta["paths"].split("\0"), marshal.loads(meta["names"]))
    dirty = _Dirty(q, {p for (p,) in db.execute("SELECT path FROM contacts")})  # the contacts with a record
    for r in fresh:
        dirty.note(r, resolver, ZoneInfo(camp.timezone), camp.start, problems)
    meetings, people = dirty.depended_on()
    sub = Vault(name=name, campaign=camp, contacts=tuple(q.records(sorted(people & dirty.contacts))),
                meetings=tuple(q.records(sorted(meetings))))
    f = campaign.facts(sub, today)
    anchors = dirty.anchors()
    added = [(anchor, a) for anchor, a in campaign.anchored(f) if anchor in anchors]
    by_path = {c.path: c for c in sub.contacts}
    db.executemany("INSERT OR REPLACE INTO contacts VALUES (?, ?, ?, ?, ?, ?, ?)",
                   [_contact_row(f, by_path[c]) for c in dirty.c if c in by_path])
    briefer = campaign.Briefer.of(f)
    q.delete("briefs", "meeting", dirty.b)
    db.executemany("INSERT INTO briefs VALUES (?, ?)",
                   [_brief_row(m, briefer) for m in sub.meetings if m.path in dirty.b and _briefed(m, camp.start)])

    # The next people to ask for a first meeting: the first candidates, whoever changed.
    chosen = list(q.records([p for (p,) in db.execute(
        "SELECT path FROM contacts WHERE candidate ORDER BY closeness, circle_order, folded, path LIMIT ?",
        (max(camp.meetings_per_week, 0),))]))
    first = campaign.facts(Vault(name=name, campaign=camp, contacts=tuple(chosen)), today)
    added += [(CAMPAIGN, a) for a in campaign.asking(first, chosen)]
    anchors.add(CAMPAIGN)

    # The plan: the stored actions of the anchors left alone, and the new ones, in agenda order.
    q.delete("actions", "anchor", anchors)
    db.executemany("INSERT INTO actions VALUES (?, ?, ?)", map(_action_row, added))
    actions = [_unpack(marshal.loads(blob)) for (blob,) in db.execute("SELECT action FROM actions ORDER BY rank")]
    plan = Plan(today=today, window_days=window, actions=tuple(actions), stats=_stats(db, camp, today, actions))

    if any(r.kind == "contact" for r in fresh):
        everyone = Vault(name=name, campaign=camp, contacts=tuple(q.records_of_kind("contact")))
        meta["checks"] = _dumps(tuple(checks.run(everyone)))
    in_order = sorted([*_loads(meta["campaign_problems"]), *(p for path in sorted(problems) for p in problems[path]),
                       *_loads(meta["checks"])], key=reader.problem_order)
    db.executemany("INSERT OR REPLACE INTO meta VALUES (?, ?)",
                   [("checks", meta["checks"]), ("stamps", stamps.tobytes()), ("problems", _dumps(problems))])
    if len(i18n.dates_written()) > len(dates):
        db.execute("INSERT OR REPLACE INTO meta VALUES ('dates', ?)", (marshal.dumps(i18n.dates_written()),))
    shown = sorted({a.note for a in plan.in_window() if a.kind == "meeting" and not a.overdue}) if briefs else []
    kept = q.briefs(shown)
    if len(kept) != len(shown):
        return None  # a brief the store should hold and does not: plan the whole vault
    db.execute("COMMIT")
    return (Vault(name=name, campaign=camp, meetings=tuple(q.records(shown)), problems=tuple(in_order)), plan,
            lambda meeting: kept[meeting.path])


class _Dirty:
    """What the changed notes touch: the anchors whose actions (and the meetings whose briefs)
    must be made again, and then what those depend on."""

    def __init__(self, q: _Queries, contacts: set[str]):
        self.q, self.contacts = q, contacts
        self.m: set[str] = set()  # meetings
        self.c: set[str] = set()  # contacts
        self.k: set[str] = set()  # names without a note
        self.b: set[str] = set()  # briefs, by meeting: worked out by `depended_on`

    def note(self, r: NoteResult, resolver, zone: ZoneInfo, start: date | None, problems: dict) -> None:
        """Store a changed note's new reading, and mark what it touches, before and after."""
        q, db, path = self.q, self.q.db, r.path
        old = q.keys_of(path)
        record, raised = reader._resolve(r.record, resolver, zone) if r.record is not None else (None, [])
        problems.pop(path, None)
        if r.problems or raised:
            problems[path] = (*r.problems, *raised)
        new = _edges(record, self.contacts) if record is not None else []
        db.execute("DELETE FROM notes WHERE path = ?", (path,))
        if r.kind is not None:
            kept = NoteResult(path, r.kind, record, r.problems, r.aliases) if record is not None else None
            db.execute("INSERT INTO notes VALUES (?, ?, ?)", (path, r.kind, kept and _dumps(kept)))
        if r.kind == "meeting":
            q.count_names(path, [key for role, key in old if role == NAMES], -1)
        db.execute("DELETE FROM edges WHERE note = ?", (path,))
        db.executemany("INSERT INTO edges VALUES (?, ?, ?)", [(path, role, key) for role, key in new])
        if r.kind == "meeting":
            db.execute("DELETE FROM meetings WHERE path = ?", (path,))
            if record is not None:
                db.execute("INSERT INTO meetings VALUES (?, ?, ?, ?, ?)", _meeting_row(record, start))
            q.count_names(path, [key for role, key in new if role == NAMES], 1)
            self.m.add(path)
            for role, key in {*old, *new}:
                if role == WITH:
                    self.m.update(q.with_(key))
                if key in self.contacts:
                    self.c.add(key)
                elif role == NAMES:
                    self.k.add(key)
        elif r.kind == "contact":
            self.c.add(path)
            self.c.update(q.referred_by(path))
            for m in q.with_(path):
                self.m.add(m)
                for key in q.named_by(m):
                    (self.c if key in self.contacts else self.k).add(key)

    def anchors(self) -> set[str]:
        return {MEETING + m for m in self.m} | {CONTACT + c for c in self.c} | {NAME + k for k in self.k}

    def depended_on(self) -> tuple[set[str], set[str]]:
        """(meetings, people): everything the marked anchors and briefs depend on, and the people
        of every meeting among them with those they name and their referrers."""
        q = self.q
        # Briefs that may say otherwise: of the meetings marked, and of those with a contact whose
        # record, meetings or referrer changed.
        self.b = set(self.m)
        for c in self.c:
            self.b.update(q.with_(c))
        meetings, people = self.m | self.b, set(self.c)
        for m in self.b:
            for key in q.people_of(m):
                meetings.update(q.naming(key))
        for m in self.m:
            for key in q.people_of(m):
                people.add(key)
                meetings.update(q.with_(key))
        for c in self.c:
            meetings.update(q.with_(c))
            meetings.update(q.naming(c))
        for k in self.k:
            meetings.update(q.naming(k))
        for m in list(meetings):
            people.update(q.people_of(m))
            people.update(q.named_by(m))
        for c in list(people & self.contacts):
            people.update(q.referrers_of(c))
        return meetings, people


def _stats(db: sqlite3.Connection, camp, today: date, actions) -> Stats:
    """`campaign.stats`, counted from the store's rows."""
    by_circle = dict.fromkeys((*campaign.CIRCLES, "none"), 0)
    by_circle.update(db.execute("SELECT circle, COUNT(*) FROM contacts GROUP BY circle"))
    by_stage = dict.fromkeys(("listed", "scheduled", "met"), 0)
    by_stage.update(db.execute("SELECT stage, COUNT(*) FROM contacts GROUP BY stage"))
    monday = (today - timedelta(days=today.weekday())).toordinal()
    done, interviews, this_week = db.execute(
        "SELECT COUNT(*) FILTER (WHERE current AND done), COUNT(*) FILTER (WHERE current AND done AND interview), "
        "COUNT(*) FILTER (WHERE current AND day BETWEEN ? AND ?) FROM meetings", (monday, monday + 6)).fetchone()
    obtained, given = db.execute("SELECT COUNT(*), COALESCE(SUM(meetings), 0) FROM obtained").fetchone()
    return Stats(
        contacts=sum(by_stage.values()),
        by_circle=by_circle,
        by_stage=by_stage,
        meetings_done=done,
        meetings_this_week=this_week,
        meetings_per_week_target=camp.meetings_per_week,
        referrals_obtained=obtained,
        referrals_per_meeting=round(given / done, 2) if done else 0.0,
        referrals_per_meeting_target=camp.referrals_per_meeting,
        thanks_outstanding=sum(a.kind in ("thank", "thank-referrer") for a in actions),
        interviews=interviews,
    )


class _Queries:
    """The store's look-ups by person and by note."""

    def __init__(self, db: sqlite3.Connection):
        self.db = db

    def _notes(self, role: str, key: str) -> list[str]:
        return [n for (n,) in self.db.execute("SELECT note FROM edges WHERE role = ? AND key = ?", (role, key))]

    def _keys(self, note: str, role: str) -> list[str]:
        return [k for (k,) in self.db.execute("SELECT key FROM edges WHERE note = ? AND role = ?", (note, role))]

    def kind_of(self, note: str) -> tuple[str | None, bool]:
        """The note's kind as stored, and whether it has a record."""
        row = self.db.execute("SELECT kind, record IS NOT NULL FROM notes WHERE path = ?", (note,)).fetchone()
        return (row[0], bool(row[1])) if row else (None, False)

    def count_names(self, meeting: str, keys: list[str], step: int) -> None:
        """Count (step 1) or uncount (-1) the names a meeting gave, when it is current and done."""
        row = self.db.execute("SELECT current AND done FROM meetings WHERE path = ?", (meeting,)).fetchone()
        if not (row and row[0]):
            return
        for key in keys:
            self.db.execute("INSERT INTO obtained VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET "
                            "meetings = meetings + excluded.meetings", (key, step))
        self.db.execute("DELETE FROM obtained WHERE meetings <= 0")

    def keys_of(self, note: str) -> list[tuple[str, str]]:
        return list(self.db.execute("SELECT role, key FROM edges WHERE note = ?", (note,)))

    def with_(self, key: str) -> list[str]:
        """The meetings with this person."""
        return self._notes(WITH, key)

    def naming(self, key: str) -> list[str]:
        """The meetings that gave this person's name."""
        return self._notes(NAMES, key)

    def referred_by(self, key: str) -> list[str]:
        """The contacts whose `referred_by` names this person."""
        return self._notes(REFERRER, key)

    def people_of(self, meeting: str) -> list[str]:
        return self._keys(meeting, WITH)

    def named_by(self, meeting: str) -> list[str]:
        return self._keys(meeting, NAMES)

    def referrers_of(self, contact: str) -> list[str]:
        return self._keys(contact, REFERRER)

    def _among(self, sql: str, values) -> list[tuple]:
        """The rows of `sql`, whose `IN (%s)` is given the values 500 at a time (SQLite's limit)."""
        values, rows = list(values), []
        for start in range(0, len(values), 500):
            chunk = values[start:start + 500]
            rows += self.db.execute(sql % ",".join("?" * len(chunk)), chunk)
        return rows

    def records(self, paths: list[str]) -> list:
        """The resolved records of these notes, in this order (those that have one)."""
        rows = dict(self._among("SELECT path, record FROM notes WHERE record IS NOT NULL AND path IN (%s)", paths))
        return [_loads(rows[p]).record for p in paths if p in rows]

    def records_of_kind(self, kind: str) -> list:
        return [_loads(blob).record for (blob,) in self.db.execute(
            "SELECT record FROM notes WHERE kind = ? AND record IS NOT NULL ORDER BY path", (kind,))]

    def briefs(self, meetings: list[str]) -> dict[str, Brief]:
        return {m: Brief(*marshal.loads(blob))
                for m, blob in self._among("SELECT meeting, brief FROM briefs WHERE meeting IN (%s)", meetings)}

    def delete(self, table: str, column: str, values) -> None:
        self._among(f"DELETE FROM {table} WHERE {column} IN (%s)", values)
