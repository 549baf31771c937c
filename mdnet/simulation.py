"""A played campaign: a seeded world of people and a simulated user who runs mdnet every day.

Unit tests hold each rule on a hand-made vault; what goes wrong in a real campaign is the
sequence: writing to someone and waiting, a name given twice, a meeting cancelled, an answer that
never comes. `play` runs that loop for weeks. The user makes a vault (`mdnet init`), lists their
contacts (`mdnet new contact`), and then, each day, reads `mdnet agenda --format json --days 0`
and does what it says, only through mdnet's own commands, with `--today` set to the simulated
day: writes to people (`log --contacted`), books a meeting when an answer arrives (`new
meeting`), records it (`log --done --referral … --outcome …`) or its cancellation (`log
--cancel`), thanks (`--thanked`, `--thanked-referrer`), asks again for names, follows up, and
writes to the suggested first meetings only as far as the weekly target needs (a world that wants
another target sets it in the campaign note, as the user would in Obsidian). The world, drawn from
the seed and a `World` shape, decides who answers and when, which meetings are cancelled, how
many names each meeting gives (one to three, sometimes someone already listed), and which
meetings bring an interview and an offer.

The notes are dated on the simulated days (`Play.stamp`), so that mdnet's caches see a vault
edited over weeks, as a user's is, and not one written in the last few seconds.

Every day the user works, and at the end, the play checks the invariants in `INVARIANTS`, and
records each breach as a `Violation` instead of stopping: a test asserts there are none, and that
a rule broken on purpose is caught.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import random
import sys
import time
import traceback
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path

from mdnet import synth
from mdnet.fields import fold

INVARIANTS = {
    "exit": "every command exits 0 and prints no traceback",
    "acted": "an action the user acted on leaves the agenda",
    "overdue": "after a day's work nothing is overdue",
    "met-offered": "nobody already met is offered a first meeting",
    "one-at-once": "nobody is offered two first meetings at once, or one while a meeting is planned",
    "follow-up": "someone written to without an answer comes back as a follow-up after reply_days, "
                 "within reply_days + 1",
    "names": "every name obtained is written to within three days (on the first day worked after)",
    "cancelled": "after a cancellation, what asks the person again says it was cancelled",
    "check": "mdnet check finds no error in the notes mdnet wrote",
    "stats": "the agenda's stats agree with a recount from the notes and with what the user did",
    "pace": "done meetings keep to about the weekly target once the campaign runs",
}
ASKING = ("first-meeting", "contact-referral", "follow-up")  # the actions that ask a person for a meeting
NAMES_WITHIN = 3  # days: when a contact-referral is due (SPEC section 3)
REPLY_DAYS = 7  # the campaign's reply_days, as `mdnet init` leaves it
REFERRALS = 2  # the campaign's referrals_per_meeting, as `mdnet init` leaves it
WARM_UP = 14  # days before the pace of meetings is held to the target
TIMES = ("09:30", "11:00", "13:00", "16:30", "18:00", "19:30")


@dataclass(frozen=True, slots=True)
class World:
    """A shape of world: how people answer and cancel, and how often the user skips a day."""

    name: str
    answer: float  # the chance that a message is answered (the closest answer more)
    cancel: float  # the chance that a booked meeting is cancelled
    skip: float = 0.0  # the chance that the user does nothing on a day
    locale: str = "en"
    contacts: int = 30  # listed on the first day
    names: tuple[int, ...] = (1, 2, 2, 2, 3)  # names a meeting gives, drawn from
    known: float = 0.1  # the chance that a name given is someone already listed
    again: float = 0.15  # the chance that a met person, followed up, proposes to meet again
    agree: float = 0.2  # the chance that a meeting agrees the date of the next contact (`--next`)
    target: int = 2  # meetings per week; the user sets it in the campaign note


WORLDS = {w.name: w for w in (
    World("steady", answer=0.6, cancel=0.1, locale="es"),
    World("shy", answer=0.3, cancel=0.05, contacts=40),
    World("eager", answer=0.95, cancel=0.05, locale="es", known=0.25),
    World("skipping", answer=0.6, cancel=0.1, skip=0.35),
    World("cancelling", answer=0.75, cancel=0.4, locale="es"),
)}


@dataclass(frozen=True, slots=True)
class Violation:
    invariant: str
    day: date
    detail: str

    def __str__(self) -> str:
        return f"{self.day} {self.invariant}: {self.detail}"


@dataclass(slots=True)
class Person:
    """What the user knows of someone, and what the world holds of them."""

    name: str
    path: str  # vault-relative
    answers: float  # the chance that they answer a message
    met: bool = False
    planned: str | None = None  # the path of their planned meeting
    written: date | None = None  # the last day the user wrote to them (`last_contact`)
    named: date | None = None  # the date of the earliest done meeting that gave their name
    answer_on: date | None = None  # when their answer arrives, if it will
    cancelled: bool = False  # their latest meeting was cancelled
    expect_by: date | None = None  # a name obtained: to be written to by this day


@dataclass(slots=True)
class Booked:
    path: str
    person: Person
    day: date
    cancel_on: date | None  # when the world's cancellation arrives, if it will
    status: str = "planned"
    names: list[str] = field(default_factory=list)


@dataclass(slots=True)
class Played:
    """What a play did and found."""

    world: World
    seed: int
    days: int
    root: Path
    last_day: date | None = None
    worked: int = 0
    commands: int = 0
    seconds: float = 0.0
    violations: list[Violation] = field(default_factory=list)
    weeks: dict[str, int] = field(default_factory=dict)  # done meetings by ISO week
    kinds: Counter = field(default_factory=Counter)  # actions acted on, by kind
    notes: int = 0
    cancelled: int = 0  # meetings cancelled
    stats: dict | None = None  # the agenda's stats on the last day
    daily: list[tuple[int, float]] = field(default_factory=list)  # commands and seconds of each day worked

    def of(self, invariant: str) -> list[Violation]:
        return [v for v in self.violations if v.invariant == invariant]


class Mdnet:
    """mdnet's command line, run in this process as a user runs it: through `main`, its error
    boundary, with stdout and stderr captured. A traceback is caught and returned as output."""

    def __init__(self):
        self.count = 0

    def __call__(self, *args: str) -> tuple[int, str, str]:
        from mdnet.cli import main

        self.count += 1
        out, err = io.StringIO(), io.StringIO()
        argv, sys.argv = sys.argv, ["mdnet", *args]
        code = 0
        try:
            with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
                main()
        except SystemExit as e:
            code = e.code if isinstance(e.code, int) else 0 if e.code is None else 1
        except Exception:  # a bug: exactly what the play is there to find
            code = -1
            err.write(traceback.format_exc())
        finally:
            sys.argv = argv
        return code, out.getvalue(), err.getvalue()


class Play:
    """One campaign played from `start` for `days` days, in `root` (a folder that does not exist)."""

    def __init__(self, root: Path, world: World, seed: int, days: int, start: date = date(2026, 1, 5),
                 checks_every: int = 1):
        self.root, self.world, self.start, self.checks_every = Path(root), world, start, checks_every
        self.rng = random.Random(f"{world.name}:{seed}")
        self.mdnet = Mdnet()
        self.played = Played(world, seed, days, self.root)
        self.people: dict[str, Person] = {}  # by path
        self.by_name: dict[str, Person] = {}  # by folded name
        self.meetings: dict[str, Booked] = {}  # by path
        self.day = start
        self.contacts_folder = ""
        self.writes = self.answered = 0  # messages sent to people not met, and answers to them
        self.interviewed = self.offered = False
        # Notes are dated from a year before the play began (see `stamp`).
        self.began_ns = time.time_ns()
        self.epoch = self.began_ns // 10**9 - 366 * 86_400

    # --- the commands ----------------------------------------------------------------------

    def run(self, *args: str) -> str:
        code, out, err = self.mdnet(*args)
        if code != 0 or "Traceback" in out + err:
            self.violate("exit", f"mdnet {' '.join(args)} exited {code}: {(err or out).strip()[-2000:]}")
        return out

    def dated(self, *args: str) -> str:
        return self.run(*args, "--vault", str(self.root), "--today", self.day.isoformat())

    def stamp(self) -> None:
        """Date the notes written today on the simulated day, a minute apart.

        The user's days are hours apart, and their notes hours old when mdnet next reads them;
        played in seconds, every note would be younger than the index trusts (`fast.index`), and
        each command would read the whole vault again, as no user's does."""
        ns = (self.epoch + (self.day - self.start).days * 86_400 + 8 * 3_600) * 10**9
        for folder, dirs, files in os.walk(self.root):
            dirs[:] = [d for d in dirs if not d.startswith(".")]
            for name in files:
                path = os.path.join(folder, name)
                if name.endswith(".md") and os.stat(path).st_mtime_ns >= self.began_ns:
                    ns += 60 * 10**9
                    os.utime(path, ns=(ns, ns))

    def violate(self, invariant: str, detail: str) -> None:
        self.played.violations.append(Violation(invariant, self.day, detail))

    # --- the world ---------------------------------------------------------------------------

    def new_name(self) -> str:
        while True:
            name = (f"{self.rng.choice(synth.FIRST_NAMES)} {self.rng.choice(synth.SURNAMES)} "
                    f"{self.rng.choice(synth.SURNAMES)}")
            if fold(name) not in self.by_name:
                return name

    def person(self, name: str, closeness: int = 3) -> Person:
        # The closest answer more often: a best friend more than someone met at a wedding.
        answers = min(1.0, self.world.answer * (1.3 - 0.1 * closeness))
        p = Person(name, f"{self.contacts_folder}/{name}.md", answers)
        self.people[p.path] = p
        self.by_name[fold(name)] = p
        return p

    def written_to(self, p: Person) -> None:
        """The user wrote to `p`: the world decides whether and when they answer."""
        p.written = self.day
        p.expect_by = None
        if not p.met:
            self.writes += 1
        if p.answer_on is None and self.rng.random() < (self.world.again if p.met else p.answers):
            p.answer_on = self.day + timedelta(days=self.rng.randint(1, 10))

    def names_given(self, booked: Booked, count: int) -> list[str]:
        names = []
        for _ in range(count):
            known = [q for q in self.people.values() if q is not booked.person and q.name not in booked.names
                     and q.name not in names]
            if known and self.rng.random() < self.world.known:
                names.append(self.rng.choice(known).name)
            else:
                name = self.new_name()
                self.person(name, self.rng.randint(2, 4))
                names.append(name)
        return names

    # --- the play ----------------------------------------------------------------------------

    def play(self) -> Played:
        began = time.perf_counter()
        self.setup()
        for _ in range(self.played.days):
            if self.rng.random() >= self.world.skip or self.day == self.start:
                commands, began_day = self.mdnet.count, time.perf_counter()
                self.work()
                self.played.daily.append((self.mdnet.count - commands, time.perf_counter() - began_day))
            self.day += timedelta(days=1)
        self.day -= timedelta(days=1)
        self.finish()
        self.played.seconds = time.perf_counter() - began
        self.played.commands = self.mdnet.count
        return self.played

    def setup(self) -> None:
        """Day one: a vault, the weekly target, and every contact listed (the method's first step)."""
        self.run("init", str(self.root), "--locale", self.world.locale, "--today", self.start.isoformat(),
                 "--goal", "Move from accounting into product management",
                 "--pitch", "Ten years in accounting; I want advice on moving into product.")
        if self.world.target != 2:  # as the user would set it, in Obsidian, in the note init wrote
            campaign = next(self.root.glob("Campa*.md"))
            text = campaign.read_text(encoding="utf-8")
            if "meetings_per_week: 2\n" not in text:
                raise ValueError(f"{campaign} does not say meetings_per_week: 2 to change")
            campaign.write_text(text.replace("meetings_per_week: 2\n", f"meetings_per_week: {self.world.target}\n"),
                                encoding="utf-8")
        circles = ("personal", "professional", "opportunity")
        for i in range(self.world.contacts):
            name, closeness = self.new_name(), self.rng.randint(1, 5)
            out = self.dated("new", "contact", name, "--circle", circles[i % 3], "--closeness", str(closeness))
            if not self.contacts_folder:
                self.contacts_folder = Path(out.strip()).relative_to(self.root).parent.as_posix()
            self.person(name, closeness)
        self.stamp()

    def agenda(self) -> dict:
        out = self.dated("agenda", "--format", "json", "--days", "0")
        try:
            return json.loads(out)
        except ValueError:
            return {"actions": [], "stats": None}

    def work(self) -> None:
        """One day: the inbox, then the agenda, acted on until nothing is left to do."""
        self.played.worked += 1
        self.inbox()
        agenda = self.agenda()
        self.check_follow_ups(agenda)
        acted: set[tuple] = set()
        for _ in range(6):
            self.check_offers(agenda)
            todo = [a for a in agenda["actions"] if self.actionable(a)]
            again = [a for a in todo if key(a) in acted]
            for a in again:
                self.violate("acted", f"{a['kind']} for {a['contact']} ({a['note']}) is still there after "
                                      "the user did it")
            todo = [a for a in todo if key(a) not in acted]
            if not todo:
                break
            for a in todo:
                acted.add(key(a))
                self.act(a)
            agenda = self.agenda()
        overdue = [a for a in agenda["actions"] if a["overdue"]]
        for a in overdue:
            self.violate("overdue", f"{a['kind']} for {a['contact']} ({a['note']}, due {a['due']})")
        self.check_names()
        if self.played.worked % self.checks_every == 0:
            self.check_notes(agenda["stats"])
        self.stamp()

    def inbox(self) -> None:
        """What arrived since the last day worked: cancellations, then answers."""
        for b in list(self.meetings.values()):
            if b.status == "planned" and b.cancel_on is not None and b.cancel_on <= self.day:
                self.dated("log", b.path, "--cancel")
                b.status = "cancelled"
                self.played.cancelled += 1
                b.person.planned, b.person.cancelled = None, True
        for p in list(self.people.values()):
            if p.answer_on is not None and p.answer_on <= self.day:
                p.answer_on = None
                if p.planned is None:
                    self.answered += not p.met
                    self.book(p)

    def book(self, p: Person) -> None:
        day = self.slot(self.day + timedelta(days=self.rng.randint(1, 3)), p)
        taken = sum(b.day == day and b.status != "cancelled" for b in self.meetings.values())
        when = f"{day.isoformat()}T{TIMES[taken % len(TIMES)]}"
        out = self.dated("new", "meeting", p.name, "--date", when)
        if not out.strip():
            return
        path = Path(out.strip()).relative_to(self.root).as_posix()
        cancel_on = None
        if self.rng.random() < self.world.cancel:
            cancel_on = self.day + timedelta(days=self.rng.randint(1, (day - self.day).days))
        self.meetings[path] = Booked(path, p, day, cancel_on)
        p.planned, p.cancelled, p.expect_by = path, False, None

    def slot(self, after: date, p: Person) -> date:
        """The first weekday from `after` in a week with room under the weekly target. Not a day of a
        cancelled meeting with the same person: `new meeting` refuses to make a second note of
        that name (see the tests), so the user, told so, picks another day."""
        weeks = Counter(b.day.isocalendar()[:2] for b in self.meetings.values() if b.status != "cancelled")
        theirs = {b.day for b in self.meetings.values() if b.person is p}
        day = after
        while day.weekday() >= 5 or weeks[day.isocalendar()[:2]] >= self.world.target or day in theirs:
            day += timedelta(days=1)
        return day

    def actionable(self, a: dict) -> bool:
        """What the user does today: everything, except first meetings beyond the weekly target."""
        if a["kind"] != "first-meeting":
            return True
        soon = sum(b.status == "planned" and b.day < self.day + timedelta(days=14) for b in self.meetings.values())
        waiting = sum(1 for p in self.people.values() if not p.met and p.planned is None and p.written
                      and p.written > self.day - timedelta(days=REPLY_DAYS))
        rate = max(0.2, self.answered / self.writes) if self.writes else 0.5
        return soon + waiting * rate < 2 * self.world.target

    def act(self, a: dict) -> None:
        kind, note = a["kind"], a["note"]
        self.played.kinds[kind] += 1
        if kind == "meeting":
            self.record(self.meetings[note])
        elif kind == "thank":
            self.dated("log", note, "--thanked")
        elif kind == "thank-referrer":
            self.dated("log", note, "--thanked-referrer")
        elif kind == "ask-referrals":
            b = self.meetings[note]
            more = self.names_given(b, max(1, REFERRALS - len(set(b.names))))
            self.dated("log", note, *[arg for n in more for arg in ("--referral", n)])
            self.named(b, more)
        elif kind == "add-contact":
            self.dated("new", "contact", a["contact"])
            self.person(a["contact"])
        else:  # first-meeting, contact-referral, follow-up: write to them
            self.dated("log", note, "--contacted")
            self.written_to(self.people[note])

    def record(self, b: Booked) -> None:
        """The meeting took place: the names it gave, what it brought, maybe a date agreed."""
        b.names = self.names_given(b, self.rng.choice(self.world.names))
        done = sum(m.status == "done" for m in self.meetings.values())
        outcomes = ["information", "referral"]
        if done >= 3 and not self.interviewed:
            outcomes.append("interview")
            self.interviewed = True
        elif done >= 5 and not self.offered:
            outcomes.append("offer")
            self.offered = True
        args = ["log", b.path, "--done", *[a for n in b.names for a in ("--referral", n)],
                *[a for o in outcomes for a in ("--outcome", o)]]
        if self.rng.random() < self.world.agree:
            args += ["--next", (self.day + timedelta(days=self.rng.randint(10, 20))).isoformat()]
        self.dated(*args)
        b.status = "done"
        b.person.met, b.person.planned = True, None
        self.played.weeks[iso_week(b.day)] = self.played.weeks.get(iso_week(b.day), 0) + 1
        self.named(b, b.names)

    def named(self, b: Booked, names: list[str]) -> None:
        for name in names:
            p = self.by_name[fold(name)]
            p.named = min(p.named or b.day, b.day)
            # Not written to since the name was first given (a second time changes nothing): to
            # be by the first day worked on or after the day its contact-referral is due.
            if not p.met and p.planned is None and (p.written is None or p.written < p.named):
                p.expect_by = p.expect_by or p.named + timedelta(days=NAMES_WITHIN)

    # --- the invariants ----------------------------------------------------------------------

    def check_offers(self, agenda: dict) -> None:
        asked = Counter()
        for a in agenda["actions"]:
            p = self.people.get(a["note"])
            if a["kind"] in ("first-meeting", "contact-referral") and p is not None:
                asked[p.path] += 1
                if p.met:
                    self.violate("met-offered", f"{a['kind']} for {p.name}, met already")
                if p.planned:
                    self.violate("one-at-once", f"{a['kind']} for {p.name}, who has {p.planned} planned")
            if a["kind"] in ASKING and p is not None and p.cancelled and "cancel" not in a["reason"].lower():
                self.violate("cancelled", f"{a['kind']} for {p.name} after their meeting was cancelled: "
                                          f"{a['reason']!r}")
        for path, n in asked.items():
            if n > 1:
                self.violate("one-at-once", f"{self.people[path].name} is offered {n} first meetings")

    def check_follow_ups(self, agenda: dict) -> None:
        """Before the day's work: who waits for an answer comes back after reply_days, not before."""
        shown = {a["note"]: a["kind"] for a in agenda["actions"] if a["kind"] in ASKING}
        for p in self.people.values():
            if p.met or p.planned or p.written is None or (p.named and p.named > p.written):
                continue
            waited = (self.day - p.written).days
            if waited > REPLY_DAYS and shown.get(p.path) != "follow-up":
                self.violate("follow-up", f"{p.name}, written to on {p.written}, is not followed up {waited} days on")
            if waited < REPLY_DAYS and p.path in shown:
                self.violate("follow-up", f"{p.name}, written to on {p.written}, is asked again "
                                          f"({shown[p.path]}) after {waited} days")

    def check_names(self) -> None:
        for p in self.people.values():
            if p.expect_by is not None and p.expect_by <= self.day:
                self.violate("names", f"{p.name}, a name obtained on {p.named}, was not written to by "
                                      f"{p.expect_by}")
                p.expect_by = None

    def check_notes(self, stats: dict | None) -> None:
        out = self.run("check", "--format", "json", "--vault", str(self.root))
        try:
            problems = json.loads(out)["problems"]
        except (ValueError, KeyError):
            problems = [{"message": out}]
        for problem in problems:
            if problem.get("severity") == "warning":
                continue  # a name given has no circle yet: the user's to fill in, not mdnet's error
            self.violate("check", f"{problem.get('path')}:{problem.get('line')}: {problem.get('message')}")
        counted = recount(self.root, self.day)
        done = sum(b.status == "done" for b in self.meetings.values())
        expected = {**counted, "contacts": len(self.people), "meetings_done": done}
        for name in sorted(set(counted) | {"contacts", "meetings_done"}):
            shown = None if stats is None else stats.get(name)
            if shown != counted.get(name) or shown != expected[name]:
                self.violate("stats", f"{name}: the agenda says {shown}, the notes {counted.get(name)}, "
                                      f"the user's own count {expected[name]}")

    def finish(self) -> None:
        self.played.last_day = self.day
        self.played.stats = self.agenda()["stats"]
        self.check_notes(self.played.stats)
        first = self.start + timedelta(days=WARM_UP)
        last = self.day - timedelta(days=self.day.weekday() + 1)  # the last full week's Sunday
        weeks = []
        day = first - timedelta(days=first.weekday())
        while day + timedelta(days=6) <= last:
            weeks.append(self.played.weeks.get(iso_week(day), 0))
            day += timedelta(days=7)
        target = self.world.target
        if weeks and not target / 2 <= sum(weeks) / len(weeks) <= target:
            self.violate("pace", f"done meetings per week after the first three: {weeks}, target {target}")
        self.played.notes = sum(1 for _ in self.root.rglob("*.md"))


def key(a: dict) -> tuple:
    return a["kind"], a["note"], a["contact"]


def iso_week(day: date) -> str:
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


def recount(root: Path, today: date) -> dict:
    """SPEC section 4's stats, counted afresh from the notes as the reader reads them (no cache),
    by the definitions of SPEC section 3, independently of the engine's tallies."""
    from mdnet.vault import load

    vault = load(root)
    start = vault.campaign.start
    since = [m for m in vault.meetings if m.status != "cancelled" and (start is None or m.date >= start)]
    done = sorted((m for m in since if m.status == "done"), key=lambda m: (m.date, m.time or datetime.min.time()))
    theirs = defaultdict(list)  # each contact's meetings, by path
    for m in vault.meetings:
        for link in m.with_:
            theirs[link.contact].append(m)
    met = {path for path, meetings in theirs.items() if any(m.status == "done" for m in meetings)}
    planned = {link.contact for m in since if m.status == "planned" for link in m.with_}
    naming: dict[str, date] = {}  # who was named in a done meeting: the earliest date
    for m in done:
        for link in m.referrals:
            naming.setdefault(link.contact or "?" + link.target.casefold(), m.date)
    current = {m.path for m in since}
    stages = Counter()
    thanks_to_referrers = 0
    for c in vault.contacts:
        referred = c.referred_by is not None or c.path in naming
        obtained = naming.get(c.path, c.created)
        if c.path in met:
            stages["met"] += 1
            # The first done meeting since the name was given owes its referrer a thank-you.
            first = any(m.status == "done" and m.path in current and m.date >= naming.get(c.path, m.date)
                        for m in theirs[c.path])
            if referred and first and not any(m.thanked_referrer for m in theirs[c.path]):
                thanks_to_referrers += 1
        elif c.path in planned:
            stages["scheduled"] += 1
        elif (c.last_contact and (start is None or c.last_contact >= start)
              and (not referred or obtained is None or c.last_contact >= obtained)):
            stages["contacted"] += 1
        else:
            stages["listed"] += 1
    monday = today - timedelta(days=today.weekday())
    circles = Counter(c.circle or "none" for c in vault.contacts)
    benefits = Counter(o for m in done for o in set(m.outcome))
    return {
        "contacts": len(vault.contacts),
        "by_circle": {k: circles[k] for k in ("none", "opportunity", "personal", "professional")},
        "by_stage": {s: stages[s] for s in ("contacted", "listed", "met", "scheduled")},
        "meetings_done": len(done),
        "meetings_this_week": sum(monday <= m.date <= monday + timedelta(days=6) for m in since),
        "referrals_obtained": len(naming),
        "interviews": benefits["interview"],
        "benefits": {o: benefits[o] for o in ("information", "interview", "offer", "prospect", "referral",
                                               "visibility")},
        "thanks_outstanding": sum(len(m.with_) for m in done if not m.thanked) + thanks_to_referrers,
    }


def play(root: Path, world: World | str, seed: int, days: int, checks_every: int = 1) -> Played:
    """Play `days` days of a campaign in `root` (made; it must not exist), in a world of that shape."""
    return Play(root, WORLDS[world] if isinstance(world, str) else world, seed, days,
                checks_every=checks_every).play()
