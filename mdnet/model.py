"""The records mdnet works with: frozen values read from notes, problems, actions and stats.

Every record carries where it came from (vault-relative path with `/`, 1-based line), so that
any problem or action can point the user at the line to edit.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

ERROR = "error"
WARNING = "warning"

CIRCLES = ("personal", "professional", "opportunity")
CONTACT_STATUSES = ("active", "paused", "do-not-contact")
MEETING_STATUSES = ("planned", "done", "cancelled")
CAMPAIGN_STATUSES = ("active", "paused", "done")
ASKS = ("advice", "opinion", "job", "sale")
FORMATS = ("in-person", "call", "video")
OUTCOMES = ("information", "referral", "interview", "offer", "prospect", "visibility")
LOCALES = ("en", "es")


@dataclass(frozen=True, slots=True)
class Problem:
    path: str | None
    line: int | None
    severity: str
    message: str

    def render(self) -> str:
        """`path:line: severity: message`, `path: severity: message` for a problem of a whole file.

        A name may hold a line break, a terminal's escape or a direction override: such a
        character is shown as its escape (`\\n`, `\\u202e`), so that a file's name cannot add
        lines to `mdnet check`, or make its line read otherwise."""
        where = "vault" if self.path is None else self.path if self.line is None else f"{self.path}:{self.line}"
        text = f"{where}: {self.severity}: {self.message}"
        if text.isprintable():
            return text
        return "".join([c if c.isprintable() or unicodedata.category(c) == "Zs" else
                        c.encode("unicode_escape").decode("ascii") for c in text])

    def as_json(self) -> dict:
        return {"line": self.line, "message": self.message, "path": self.path, "severity": self.severity}


@dataclass(frozen=True, slots=True)
class Link:
    """A wikilink as written (`[[target|shown#heading]]` reduced to `target`), and what it resolves to."""

    target: str
    line: int
    contact: str | None = None  # path of the contact note it resolves to, once resolved
    note: str | None = None  # path of any note it resolves to (a contact's path, or another note's)


@dataclass(frozen=True, slots=True)
class Campaign:
    path: str | None = None
    line: int = 1
    goal: str | None = None
    status: str = "active"
    start: date | None = None
    end: date | None = None
    pitch: str | None = None
    meetings_per_week: int = 2
    referrals_per_meeting: int = 2
    follow_up_days: int = 30
    thank_within_days: int = 1
    reply_days: int = 7
    timezone: str | None = None  # None: the machine's zone, resolved when the vault is assembled
    region: str | None = None  # ISO 3166 country phone numbers without `+` are read in
    locale: str = "en"
    feed_private: bool = False


@dataclass(frozen=True, slots=True)
class Contact:
    path: str
    name: str
    line: int = 1
    circle: str | None = None
    relation: str | None = None
    closeness: int = 3
    referred_by: Link | None = None
    met_at: str | None = None
    company: str | None = None
    role: str | None = None
    email: str | None = None
    phone: str | None = None
    linkedin: str | None = None
    follow_up_every: int | None = None
    next_follow_up: date | None = None
    last_contact: date | None = None
    status: str = "active"
    created: date | None = None
    tags: tuple[str, ...] = ()
    aliases: tuple[str, ...] = ()
    id: str | None = None


@dataclass(frozen=True, slots=True)
class Meeting:
    path: str
    name: str
    line: int = 1
    with_: tuple[Link, ...] = ()
    # As read: a date, a naive date-time (campaign's zone) or an aware one (converted when the
    # vault is assembled, which sets `date` and `time` in the campaign's zone).
    when: date | datetime | None = None
    date: date | None = None
    time: time | None = None
    duration: int = 60
    status: str = "planned"
    ask: str = "advice"
    ask_text: str | None = None  # the words written, when `ask` is free text
    format: str = "in-person"
    location: str | None = None
    referrals: tuple[Link, ...] = ()
    thanked: bool = False
    thanked_referrer: bool = False
    next_follow_up: date | None = None
    outcome: tuple[str, ...] = ()
    id: str | None = None


@dataclass(frozen=True, slots=True)
class NoteResult:
    """What reading one file gives: a pure function of (path, bytes), so a cache can hold it."""

    path: str
    kind: str | None  # "contact", "meeting", "campaign", or None (ignored or generated)
    record: Campaign | Contact | Meeting | None
    problems: tuple[Problem, ...] = ()
    aliases: tuple[str, ...] = ()  # any note's aliases, for link resolution


@dataclass(frozen=True, slots=True)
class Vault:
    """The whole vault, read and with its links resolved. Tuples are sorted by path."""

    name: str  # the folder's name, as Obsidian knows the vault
    campaign: Campaign
    contacts: tuple[Contact, ...] = ()
    meetings: tuple[Meeting, ...] = ()
    notes: tuple[str, ...] = ()  # every note's path that was read
    problems: tuple[Problem, ...] = ()


@dataclass(frozen=True, slots=True)
class Action:
    kind: str
    due: date
    contact: str  # the contact's name (or the link's target as written)
    note: str  # vault-relative path of the note the action comes from
    reason: str  # one line, in the campaign's locale
    overdue: bool = False
    time: time | None = None
    with_: tuple[str, ...] = ()  # names of a meeting's people; empty when not about a meeting
    contact_path: str | None = None  # the contact note's path, when there is one
    closeness: int = 3

    def as_json(self) -> dict:
        return {
            "contact": self.contact,
            "due": self.due.isoformat(),
            "kind": self.kind,
            "note": self.note,
            "overdue": self.overdue,
            "reason": self.reason,
            "time": self.time.strftime("%H:%M") if self.time else None,
            "with": list(self.with_),
        }


@dataclass(frozen=True, slots=True)
class Stats:
    contacts: int = 0
    by_circle: dict = field(default_factory=dict)
    by_stage: dict = field(default_factory=dict)
    meetings_done: int = 0
    meetings_this_week: int = 0
    meetings_per_week_target: int = 2
    referrals_obtained: int = 0
    referrals_per_meeting: float = 0.0
    referrals_per_meeting_target: int = 2
    thanks_outstanding: int = 0
    interviews: int = 0
    benefits: dict = field(default_factory=dict)  # each outcome kind: the done meetings that brought it

    def as_json(self) -> dict:
        return {
            "benefits": dict(sorted(self.benefits.items())),
            "by_circle": dict(sorted(self.by_circle.items())),
            "by_stage": dict(sorted(self.by_stage.items())),
            "contacts": self.contacts,
            "interviews": self.interviews,
            "meetings_done": self.meetings_done,
            "meetings_per_week_target": self.meetings_per_week_target,
            "meetings_this_week": self.meetings_this_week,
            "referrals_obtained": self.referrals_obtained,
            "referrals_per_meeting": self.referrals_per_meeting,
            "referrals_per_meeting_target": self.referrals_per_meeting_target,
            "thanks_outstanding": self.thanks_outstanding,
        }


@dataclass(frozen=True, slots=True)
class Plan:
    """What the engine derives from (vault, today, window)."""

    today: date
    window_days: int
    actions: tuple[Action, ...]  # every action, in agenda order, whatever its due date
    stats: Stats

    def in_window(self) -> tuple[Action, ...]:
        """The actions the agenda shows: overdue ones, and those due by today + window."""
        last = self.today + timedelta(days=self.window_days)
        return tuple(a for a in self.actions if a.overdue or a.due <= last)


@dataclass(frozen=True, slots=True)
class Brief:
    """What to have in mind before a meeting, from the method: rendered by templates/_brief.md.j2."""

    note: str  # the meeting's path
    people: tuple[str, ...]  # names of the people met
    goal: str | None
    pitch: str | None
    ask: str  # advice, opinion, job, sale
    referrers: tuple[str, ...]  # who gave us these people's names, to mention and thank
    referrals_target: int  # how many new names to leave with
    relations: tuple[str, ...] = ()  # "former boss at X", one per person, when known
    format: str = "in-person"  # in-person, call, video
