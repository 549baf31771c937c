"""The calendar feed: the campaign's meetings and follow-ups as one iCalendar (RFC 5545) file.

The only module that imports `icalendar`. The feed is a pure function of the pipeline's result:
the same vault and the same today give the same bytes, and every event keeps its UID across runs
and across edits of its note, so a subscribed calendar updates events instead of duplicating
them.
"""

from __future__ import annotations

import functools
import re
import unicodedata
import uuid
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone
from pathlib import Path
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from icalendar import Calendar, Event, vText

from mdnet import i18n, render
from mdnet.agenda import obsidian_url, plain
from mdnet.campaign import KIND
from mdnet.model import Action, Brief, Meeting, Vault

if TYPE_CHECKING:
    from mdnet.pipeline import Result

# Every UID is a uuid5 under this namespace. Changing it would duplicate every event in every
# calendar already subscribed, so it never changes.
NAMESPACE = uuid.UUID("5d1a6f0e-3c2b-4e8a-9f47-6b0e2d9c8a41")

# Done and cancelled meetings stay in the feed this long, so the calendar keeps recent history.
HISTORY_DAYS = 90

# Actions that come from one meeting note once per person carry the contact in their UID; a
# meeting and its ask-referrals are one per note, so reordering `with` must not change them.
ONE_PER_NOTE = ("meeting", "ask-referrals")

@dataclass(frozen=True, slots=True)
class _Texts:
    """What a feed may show of the vault: everything, or initials only when private."""

    locale: str
    private: bool

    def gettext(self, message: str) -> str:
        return i18n.gettext_for(self.locale)(message)

    def name(self, name: str) -> str:
        return initials(name) if self.private else one_line(name)


def feed(result: Result, private: bool = False) -> bytes:
    """The iCalendar bytes for a pipeline result; `private` (or the campaign's `feed_private`) hides names."""
    vault, plan = result.vault, result.plan
    c = vault.campaign
    texts = _Texts(c.locale, private or c.feed_private)
    zone = c.timezone or "UTC"
    stamp = datetime.combine(plan.today, time(0), tzinfo=timezone.utc)
    describe = None if texts.private else _describer(result.root, c.locale)
    ids = {r.path: r.id for r in (*vault.contacts, *vault.meetings) if r.id}
    reasons = {a.note: a.reason for a in plan.actions if a.kind == "meeting"}

    events = []
    for meeting in _meetings(vault, plan.today):
        brief = result.brief(meeting.path)
        description = None
        if describe is not None:
            description = "\n\n".join(p for p in (reasons.get(meeting.path), describe(brief)) if p)
        events.append(_meeting_event(vault.name, meeting, brief.people, zone, texts, ids.get(meeting.path),
                                     description, stamp))
    for action in plan.actions:
        if action.kind not in ("meeting", "first-meeting"):
            events.append(_action_event(vault.name, action, plan.today, texts, ids.get(action.note), stamp))
    events.sort(key=lambda e: e.order)

    # A private feed is meant for a public URL: its name says nothing of the campaign.
    name = texts.gettext("Networking: %(goal)s") % {"goal": one_line(c.goal)} if c.goal and not texts.private \
        else texts.gettext("Networking campaign")
    years = [e.year for e in events if e.year is not None]
    span = (min(years), max(years)) if years else None
    head, foot = _frame(name, zone, span)
    return b"".join((head, *(e.data for e in events), foot))


# --- Memoised pieces -------------------------------------------------------------------------
# `mdnet watch` and `mdnet serve` rebuild the feed after every saved note, from a vault of which
# one note changed. Each VEVENT's bytes are a pure function of the arguments of `_meeting_event`
# and `_action_event` (frozen records, texts, zone name, stamp; icalendar, the catalogues and
# Babel do not change while the process runs), so they are kept here across rebuilds, keyed by
# every input, and a rebuild serialises only the events whose inputs changed. Sized for tens of
# thousands of events: a larger vault still gets a correct feed, only a slower one.
EVENTS_KEPT = 1 << 16


@dataclass(frozen=True, slots=True)
class _Serialised:
    """One VEVENT as it goes in the feed, with what the feed needs to place it."""

    order: tuple
    year: int | None  # of a start with a time of day, whose zone needs a VTIMEZONE
    data: bytes


@functools.lru_cache(maxsize=8)
def _frame(name: str, zone: str, span: tuple[int, int] | None) -> tuple[bytes, bytes]:
    """The calendar around its events: BEGIN, its properties and VTIMEZONEs; then END.

    `span` is the first and last year of the starts with a time of day, which are in `zone`: a
    VTIMEZONE only for the years the events need, as whole decades of rules bloat the feed.
    """
    cal = Calendar()
    cal.add("prodid", "-//mdnet//networking campaign//EN")
    cal.add("version", "2.0")
    # icalendar does not know these as text properties: vText escapes `;`, `,` and newlines.
    cal.add("name", vText(name))
    cal.add("x-wr-calname", vText(name))
    cal.add("refresh-interval", timedelta(hours=1), parameters={"VALUE": "DURATION"})
    cal.add("x-published-ttl", "PT1H")
    if span is not None:
        # An event in the zone, for icalendar to work out the VTIMEZONE it needs (none for UTC).
        probe = Event()
        probe.add("dtstart", datetime(span[0], 1, 1, 12, tzinfo=ZoneInfo(zone)))
        cal.add_component(probe)
        cal.add_missing_timezones(first_date=date(span[0], 1, 1), last_date=date(span[1] + 1, 1, 1))
        cal.subcomponents.remove(probe)
    data = cal.to_ical()
    end = b"END:VCALENDAR\r\n"
    return data[:-len(end)], end


def _describer(root: Path, locale: str):
    """Brief -> its rendered text, for the templates as they are now on disk.

    The environment, which `render` keeps while the vault's templates are unchanged, is part of
    `_describe`'s key: an edited template renders anew, while a rebuild with the same templates
    renders only the briefs that changed.
    """
    return functools.partial(_describe, render.environment(root, locale))


@functools.lru_cache(maxsize=EVENTS_KEPT)
def _describe(env, brief: Brief) -> str:
    return plain(render.render(env, "_brief.md.j2", brief=brief).strip())


def _meetings(vault: Vault, today: date) -> list[Meeting]:
    """Planned meetings (not before the campaign's start: those are history), and recent done or cancelled ones."""
    start, recent = vault.campaign.start, today - timedelta(days=HISTORY_DAYS)
    return [
        m for m in vault.meetings
        if m.date is not None and (
            (m.status == "planned" and (start is None or m.date >= start))
            or (m.status in ("done", "cancelled") and m.date >= recent)
        )
    ]


@functools.lru_cache(maxsize=EVENTS_KEPT)
def _meeting_event(vault_name: str, meeting: Meeting, people: tuple[str, ...], zone: str, texts: _Texts,
                   note_id: str | None, description: str | None, stamp: datetime) -> _Serialised:
    names = ", ".join(texts.name(n) for n in people)
    event = Event()
    event.add("uid", uid(note_id or meeting.path, "meeting"))
    event.add("summary", texts.gettext("Meeting with %(names)s") % {"names": names})
    if meeting.time is None:
        event.add("dtstart", meeting.date)
        event.add("dtend", meeting.date + timedelta(days=1))
    else:
        start = datetime.combine(meeting.date, meeting.time, tzinfo=ZoneInfo(zone))
        event.add("dtstart", start)
        if meeting.duration > 0:  # RFC 5545 wants DTEND after DTSTART; no DTEND is a zero-length event
            event.add("dtend", start + timedelta(minutes=meeting.duration))
    event.add("status", "CANCELLED" if meeting.status == "cancelled" else "CONFIRMED")
    if not texts.private:
        if meeting.location:
            event.add("location", clean(meeting.location))
        if description:
            event.add("description", clean(description))
        event.add("url", obsidian_url(vault_name, meeting.path))
    return _serialised(event, stamp)


@functools.lru_cache(maxsize=EVENTS_KEPT)
def _action_event(vault_name: str, action: Action, today: date, texts: _Texts, note_id: str | None,
                  stamp: datetime) -> _Serialised:
    # An overdue action moves to today, so it stays in sight until it is done.
    day = today if action.overdue else action.due
    per_person = () if action.kind in ONE_PER_NOTE else (action.contact,)
    event = Event()
    event.add("uid", uid(note_id or action.note, action.kind, *per_person))
    event.add("summary", texts.gettext(KIND[action.kind].summary) % {"name": texts.name(action.contact)})
    event.add("dtstart", day)
    event.add("dtend", day + timedelta(days=1))
    event.add("transp", "TRANSPARENT")
    if not texts.private:
        event.add("description", clean(action.reason))
        event.add("url", obsidian_url(vault_name, action.note))
    return _serialised(event, stamp)


def _serialised(event: Event, stamp: datetime) -> _Serialised:
    event.add("dtstamp", stamp)
    start = event.start
    moment = start if isinstance(start, datetime) else None
    day = start.date() if moment else start
    order = (day, moment is not None, moment.time() if moment else time(0), str(event["uid"]))
    return _Serialised(order, moment.year if moment else None, event.to_ical())


def uid(key: str, kind: str, *contact: str) -> str:
    """A name-based UID: the note's `id` or path, the action's kind and, per person, the contact's name.

    Names are compared the way the vault compares them (NFC, case-insensitively), so a file
    renamed on macOS (decomposed names) or re-cased keeps its events.
    """
    parts = [key, kind, *(unicodedata.normalize("NFC", c).casefold() for c in contact)]
    return str(uuid.uuid5(NAMESPACE, "\x1f".join(parts)))


def clean(text: str) -> str:
    """Text without control characters (RFC 5545 allows none in TEXT but the line ends it escapes)."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return _CONTROL.sub("", text)


# Unicode's category Cc (C0, DEL and C1) but for tab and line feed: one pass of a regex, not of Python.
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def one_line(text: str) -> str:
    """Text on one line: any run of whitespace or line ends becomes one space."""
    return " ".join(clean(text).split())


def initials(name: str) -> str:
    """'José Núñez' -> 'J.N.': enough for the user to recognise, not enough for anyone else."""
    words = unicodedata.normalize("NFC", one_line(name)).split()
    letters = [w[0].upper() for w in words if w[0].isalnum()]
    return ".".join(letters) + "." if letters else "?"
