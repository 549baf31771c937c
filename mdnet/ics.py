"""The calendar feed: the campaign's meetings and follow-ups as one iCalendar (RFC 5545) file.

The only module that imports `icalendar`. The feed is a pure function of the pipeline's result:
the same vault and the same today give the same bytes, and every event keeps its UID across runs
and across edits of its note, so a subscribed calendar updates events instead of duplicating
them.
"""

from __future__ import annotations

import unicodedata
import uuid
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone
from typing import TYPE_CHECKING
from urllib.parse import quote
from zoneinfo import ZoneInfo

from icalendar import Calendar, Event, vText

from mdnet import campaign, i18n, render
from mdnet.model import Action, Meeting, Vault

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

# Summaries per action kind, in the campaign's language.
SUMMARIES = {
    "thank": "Thank %(name)s",
    "ask-referrals": "Ask %(name)s for names",
    "add-contact": "Add %(name)s to your contacts",
    "contact-referral": "Contact %(name)s",
    "thank-referrer": "Thank %(name)s for the referral",
    "follow-up": "Follow up with %(name)s",
}


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
    zone = ZoneInfo(c.timezone or "UTC")
    stamp = datetime.combine(plan.today, time(0), tzinfo=timezone.utc)
    env = None if texts.private else render.environment(result.root, c.locale)
    ids = {r.path: r.id for r in (*vault.contacts, *vault.meetings) if r.id}
    reasons = {a.note: a.reason for a in plan.actions if a.kind == "meeting"}

    events = []
    for meeting in _meetings(vault, plan.today):
        brief = campaign.brief(vault, meeting)
        description = None
        if env is not None:
            text = render.render(env, "_brief.md.j2", brief=brief).strip()
            description = "\n\n".join(p for p in (reasons.get(meeting.path), text) if p)
        events.append(_meeting_event(vault, meeting, brief.people, zone, texts, ids.get(meeting.path), description))
    for action in plan.actions:
        if action.kind not in ("meeting", "first-meeting"):
            events.append(_action_event(vault, action, plan.today, texts, ids.get(action.note)))
    events.sort(key=_order)

    cal = Calendar()
    cal.add("prodid", "-//mdnet//networking campaign//EN")
    cal.add("version", "2.0")
    name = texts.gettext("Networking: %(goal)s") % {"goal": one_line(c.goal)} if c.goal \
        else texts.gettext("Networking campaign")
    # icalendar does not know these as text properties: vText escapes `;`, `,` and newlines.
    cal.add("name", vText(name))
    cal.add("x-wr-calname", vText(name))
    cal.add("refresh-interval", timedelta(hours=1), parameters={"VALUE": "DURATION"})
    cal.add("x-published-ttl", "PT1H")
    for event in events:
        event.add("dtstamp", stamp)
        cal.add_component(event)
    years = [e.start.year for e in events if isinstance(e.start, datetime)]
    if years:
        # A VTIMEZONE only for the years the events need: whole decades of rules bloat the feed.
        cal.add_missing_timezones(first_date=date(min(years), 1, 1), last_date=date(max(years) + 1, 1, 1))
    return cal.to_ical()


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


def _meeting_event(vault: Vault, meeting: Meeting, people: tuple[str, ...], zone: ZoneInfo, texts: _Texts,
                   note_id: str | None, description: str | None) -> Event:
    names = ", ".join(texts.name(n) for n in people)
    event = Event()
    event.add("uid", uid(note_id or meeting.path, "meeting"))
    event.add("summary", texts.gettext("Meeting with %(names)s") % {"names": names})
    if meeting.time is None:
        event.add("dtstart", meeting.date)
        event.add("dtend", meeting.date + timedelta(days=1))
    else:
        start = datetime.combine(meeting.date, meeting.time, tzinfo=zone)
        event.add("dtstart", start)
        if meeting.duration > 0:  # RFC 5545 wants DTEND after DTSTART; no DTEND is a zero-length event
            event.add("dtend", start + timedelta(minutes=meeting.duration))
    event.add("status", "CANCELLED" if meeting.status == "cancelled" else "CONFIRMED")
    if not texts.private:
        if meeting.location:
            event.add("location", clean(meeting.location))
        if description:
            event.add("description", clean(description))
        event.add("url", obsidian_url(vault.name, meeting.path))
    return event


def _action_event(vault: Vault, action: Action, today: date, texts: _Texts, note_id: str | None) -> Event:
    # An overdue action moves to today, so it stays in sight until it is done.
    day = today if action.overdue else action.due
    per_person = () if action.kind in ONE_PER_NOTE else (action.contact,)
    event = Event()
    event.add("uid", uid(note_id or action.note, action.kind, *per_person))
    event.add("summary", texts.gettext(SUMMARIES[action.kind]) % {"name": texts.name(action.contact)})
    event.add("dtstart", day)
    event.add("dtend", day + timedelta(days=1))
    event.add("transp", "TRANSPARENT")
    if not texts.private:
        event.add("description", clean(action.reason))
        event.add("url", obsidian_url(vault.name, action.note))
    return event


def _order(event: Event) -> tuple:
    start = event.start
    moment = start if isinstance(start, datetime) else None
    day = start.date() if moment else start
    return (day, moment is not None, moment.time() if moment else time(0), str(event["uid"]))


def uid(key: str, kind: str, *contact: str) -> str:
    """A name-based UID: the note's `id` or path, the action's kind and, per person, the contact's name.

    Names are compared the way the vault compares them (NFC, case-insensitively), so a file
    renamed on macOS (decomposed names) or re-cased keeps its events.
    """
    parts = [key, kind, *(unicodedata.normalize("NFC", c).casefold() for c in contact)]
    return str(uuid.uuid5(NAMESPACE, "\x1f".join(parts)))


def obsidian_url(vault_name: str, path: str) -> str:
    """obsidian://open?vault=…&file=… with the path without `.md`, both fully percent-encoded."""
    file = path[:-3] if path.endswith(".md") else path
    return f"obsidian://open?vault={quote(vault_name, safe='')}&file={quote(file, safe='')}"


def clean(text: str) -> str:
    """Text without control characters (RFC 5545 allows none in TEXT but the line ends it escapes)."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return "".join(ch for ch in text if ch in "\n\t" or unicodedata.category(ch) != "Cc")


def one_line(text: str) -> str:
    """Text on one line: any run of whitespace or line ends becomes one space."""
    return " ".join(clean(text).split())


def initials(name: str) -> str:
    """'José Núñez' -> 'J.N.': enough for the user to recognise, not enough for anyone else."""
    words = unicodedata.normalize("NFC", one_line(name)).split()
    letters = [w[0].upper() for w in words if w[0].isalnum()]
    return ".".join(letters) + "." if letters else "?"
