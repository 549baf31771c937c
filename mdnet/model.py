"""The records mdnet works with: frozen values read from notes, problems, actions and stats.

Every record carries where it came from (vault-relative path with `/`, 1-based line), so that
any problem or action can point the user at the line to edit.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from mdnet.i18n import N_, render, tr

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


# Every problem's stable code, for scripts (`--format json`), with what it means. A published code
# never changes meaning; a new kind of problem gets a new code here (and a line in the README).
CODES = {
    # the vault's folders and files
    "link-loop": "a folder leads back to a folder already read",
    "unreadable": "a folder or a note cannot be read",
    "bad-file-name": "a file or folder name is not UTF-8, or holds an invisible character",
    "outside-link": "a link in the vault's folder leads outside the vault",
    "same-name-encoding": "two files have one name with its accents encoded two ways",
    # a note's front matter
    "not-utf8": "a note is not UTF-8 text",
    "no-front-matter": "a note in a meeting folder has no front matter",
    "unclosed-front-matter": "the front matter has no closing '---' line",
    "front-matter-too-long": "the front matter does not close within the part of the note mdnet reads",
    "bad-yaml": "the front matter is not valid YAML",
    "not-a-mapping": "the front matter is not a list of 'key: value' properties",
    "front-matter-too-big": "the front matter holds more values than mdnet reads",
    "bad-property-name": "a property name is not plain text",
    "too-deep": "a property's value is nested too deeply",
    "duplicate-property": "a property is written twice",
    "unknown-property": "a property mdnet does not read, a few letters from one it does (did you mean)",
    # values
    "bad-shape": "a list or a mapping where a single value (or a list) is expected",
    "bad-date": "a date or date-time that is not one, or not in the form mdnet reads",
    "date-out-of-range": "a date outside the years mdnet reads",
    "bad-time": "a time that is not one",
    "bad-offset": "a date-time's offset from UTC beyond ±14:00",
    "not-a-number": "a number or duration that is not one",
    "out-of-range": "a number or duration outside its field's range",
    "bad-checkbox": "a checkbox that is not true, false or a date",
    "unknown-value": "a word an enumeration (circle, status, format…) or the locale does not know",
    "unknown-zone": "a timezone that is no IANA zone",
    # links
    "unquoted-link": "an unquoted [[link]], which YAML reads as a nested list",
    "plain-text-link": "plain text where a link is expected, read as a link",
    "bad-link": "a mapping where links are expected",
    "broken-link": "a link that leads to no note",
    "ambiguous-link": "a link that matches several notes",
    "alias-link": "a link to a contact's alias, which Obsidian does not follow",
    "not-a-contact": "a link to a note that is not a contact",
    # what the method asks of notes
    "no-campaign": "the vault has no campaign note",
    "second-campaign": "a second campaign note",
    "no-goal": "the campaign has no goal",
    "no-timezone": "the campaign has no timezone",
    "no-circle": "a contact has no circle",
    "no-properties": "a note in a contact folder has no front matter: a contact with the defaults",
    "several-referrers": "'referred_by' names more than one person",
    "referred-by-self": "a contact is referred by itself",
    "missing-property": "a meeting lacks 'with' or 'date', and is skipped",
    "time-twice": "a meeting's time is in 'date' and in 'startTime'",
    "job-or-sale": "a meeting asks for a job or a sale",
    "duplicate-person": "two contacts look like one person (one e-mail, one name)",
    # the installation
    "slow-yaml": "PyYAML without libyaml: reading is slower",
}


@dataclass(frozen=True, slots=True)
class Problem:
    """A problem of a note (or of the vault, `path` None): its stable `code`, and its message kept
    as English text with `params`, translated when shown, so that a cached problem speaks the
    language of the run that prints it."""

    path: str | None
    line: int | None
    severity: str
    code: str
    text: str
    params: tuple[tuple[str, object], ...] = ()

    @property
    def message(self) -> str:
        return render(self.text, self.params)

    def render(self) -> str:
        """`path:line: severity: message`, `path: severity: message` for a problem of a whole file.

        A name may hold a line break, a terminal's escape or a direction override: such a
        character is shown as its escape (`\\n`, `\\u202e`), so that a file's name cannot add
        lines to `mdnet check`, or make its line read otherwise."""
        where = tr(N_("vault")) if self.path is None else self.path if self.line is None else f"{self.path}:{self.line}"
        text = f"{where}: {tr(_SEVERITIES[self.severity])}: {self.message}"
        if text.isprintable():
            return text
        return "".join([c if c.isprintable() or unicodedata.category(c) == "Zs" else
                        c.encode("unicode_escape").decode("ascii") for c in text])

    def as_json(self) -> dict:
        return {"code": self.code, "line": self.line, "message": self.message, "path": self.path,
                "severity": self.severity}


_SEVERITIES = {ERROR: N_("error"), WARNING: N_("warning")}


def problem(path: str | None, line: int | None, severity: str, code: str, text: str, **params) -> Problem:
    """A problem with the code `code` (one of CODES) and the message `text` % `params`."""
    if code not in CODES:
        raise ValueError(f"{code!r} is no problem code of CODES")
    return Problem(path, line, severity, code, text, tuple(params.items()))


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
    # What a message to the contact is written from (`mdnet.draft`): the contact's e-mail and
    # phone as written; the other people it names (for `contact-referral`, and a `follow-up`
    # waiting for an answer, who gave the name; for `thank-referrer`, the contact they gave; for
    # `thank` and `ask-referrals`, the names the meeting gave); and its occasion, "" or `again`
    # (the latest meeting was cancelled) or `waiting` (written to, no answer yet).
    email: str | None = None
    phone: str | None = None
    about: tuple[str, ...] = ()
    occasion: str = ""

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
