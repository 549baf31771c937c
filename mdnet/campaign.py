"""The engine: from a read vault and a date, what is due (actions, in agenda order) and how the
campaign is going (stats), as SPEC sections 3 and 4 define them; and the brief for a meeting.

Pure functions: no clock, no files. The facts every rule reads (who is met, last contacts, who
gave us whose name, planned meetings) are worked out once into `Facts`, in one walk over the
meetings; each rule of the method is a function `Facts -> Iterable[Action]` kept in `RULES`, so a
new rule is a function and an entry. Briefs come from a `Briefer` made once per vault.

Where SPEC section 3 is silent or could be read two ways, the choice is written next to the code
that makes it, with its reason. A vault of 60,000 notes is planned on every save, so the texts a
rule repeats (translated messages, dates written out) are looked up once, not once per action.
"""

from __future__ import annotations

import functools
from bisect import bisect_left, bisect_right
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from operator import attrgetter
from typing import Callable, Iterable, Iterator

from mdnet import i18n
from mdnet.fields import fold, nfc
from mdnet.model import (
    ACTION_KINDS,
    CIRCLES,
    Action,
    Brief,
    Campaign,
    Contact,
    Link,
    Meeting,
    Plan,
    Stats,
    Vault,
)

ACTIVE = "active"
PLANNED, DONE, CANCELLED = "planned", "done", "cancelled"
KIND_ORDER = {kind: i for i, kind in enumerate(ACTION_KINDS)}
CIRCLE_ORDER = {circle: i for i, circle in enumerate(CIRCLES)}
# SPEC's first-meeting order puts contacts without a circle after the three circles.
NO_CIRCLE = len(CIRCLES)
DEFAULT_CLOSENESS = 3
ASK_REFERRALS_AFTER = 2
CONTACT_REFERRAL_AFTER = 3


# --- names ------------------------------------------------------------------------------------

def unlisted_key(target: str) -> str:
    # People without a contact note are told apart by the link as written, compared the way SPEC
    # section 2 compares names (NFC, case-insensitive); the prefix keeps them apart from paths.
    return "?" + nfc(target).casefold()


@dataclass(frozen=True, slots=True)
class Person:
    """Someone an action is about: a contact note, or a name written in a link that has none."""

    key: str  # the contact note's path, or `?` + the folded link target
    name: str
    path: str | None
    closeness: int = DEFAULT_CLOSENESS
    status: str = ACTIVE

    @property
    def active(self) -> bool:
        return self.status == ACTIVE


def _unlisted(name: str) -> Person:
    return Person(unlisted_key(name), name, None)


@dataclass(frozen=True, slots=True)
class People:
    """Who links name: each contact by its path, and each name without a note by its spelling,
    made once, as links name the same people again and again. Each is kept as a group of one:
    most meetings are with one person, and they share that group rather than each make one."""

    contacts: dict[str, Person]
    alone: dict[str, tuple[Person]]  # by contact path
    unlisted: dict[str, tuple[Person]] = field(default_factory=dict)  # by the link's target

    @classmethod
    def of_contacts(cls, contacts: Iterable[Contact]) -> People:
        persons = {c.path: Person(c.path, c.name, c.path, c.closeness, c.status) for c in contacts}
        return cls(persons, {path: (p,) for path, p in persons.items()})

    def _group(self, link: Link) -> tuple[Person]:
        group = self.alone.get(link.contact)
        if group is None:
            group = self.unlisted.get(link.target)
            if group is None:
                group = self.unlisted[link.target] = (_unlisted(link.target),)
        return group

    def of(self, link: Link) -> Person:
        return self._group(link)[0]

    def among(self, links: tuple[Link, ...]) -> tuple[Person, ...]:
        """The distinct people a list of links names, in order."""
        if len(links) == 1:  # the common case, kept cheap for large vaults
            return self._group(links[0])
        seen: dict[str, Person] = {}
        for link in links:
            p = self.of(link)
            seen.setdefault(p.key, p)
        return tuple(seen.values())


def _in_date_order(meetings: Iterable[Meeting]) -> list[Meeting]:
    """Dated meetings by date, then time (untimed first), then path."""
    dated = sorted((m for m in meetings if m.date is not None), key=attrgetter("path"))
    # Keys the garbage collector does not track: tens of thousands of (date, time, path) tuples
    # add to what sets off a full collection, a walk over every object of the vault.
    dated.sort(key=lambda m: datetime.combine(m.date, m.time or time.min))
    return dated


# --- the facts every rule reads ---------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class Referral:
    """How we came to have a contact's name."""

    referrer: Person  # `referred_by`, else the first person of the earliest done meeting naming it
    obtained: date | None  # that meeting's date, else the contact's `created`
    named_on: date | None  # the date of the earliest done meeting naming it, if any


def _referral(contact: Contact, naming: Meeting | None, people: tuple[Person, ...], persons: People) -> Referral | None:
    if contact.referred_by is not None:
        referrer = persons.of(contact.referred_by)
    elif naming is not None and people:
        referrer = people[0]
    else:
        return None
    named_on = naming.date if naming is not None else None
    return Referral(referrer, named_on or contact.created, named_on)


def _referrals(contacts: Iterable[Contact], named: dict[str, Meeting], people: dict[str, tuple[Person, ...]],
               persons: People) -> dict[str, Referral]:
    """Each referred contact's referral, by path; `named` holds the earliest done meeting naming each."""
    referrals = {}
    for c in contacts:
        naming = named.get(c.path)
        r = _referral(c, naming, people[naming.path] if naming else (), persons)
        if r is not None:
            referrals[c.path] = r
    return referrals


@dataclass(frozen=True, slots=True)
class Facts:
    """What the rules read, worked out once per plan; people are told apart by `Person.key`."""

    campaign: Campaign
    today: date
    contacts: dict[str, Contact]  # by path, in path order
    persons: dict[str, Person]  # the same contacts, as the people actions are about
    people: dict[str, tuple[Person, ...]]  # each meeting's distinct people, by meeting path
    current: tuple[Meeting, ...]  # meetings that raise actions: not cancelled, not before `start`
    planned_meetings: tuple[Meeting, ...]  # the current ones still planned, in date order
    done_meetings: tuple[Meeting, ...]  # the current ones done, in date order
    given: tuple[int, ...]  # how many people each of `done_meetings` named in its `referrals`
    obtained: frozenset[str]  # the people named in the referrals of current done meetings
    unnoted: tuple[tuple[Meeting, Link], ...]  # referrals of current done meetings to no note, in date order
    met: frozenset[str]  # person keys with a done meeting
    last_contact: dict[str, date]  # by contact path, for met contacts
    latest_done: dict[str, Meeting]  # by person key
    done_with: dict[str, tuple[Meeting, ...]]  # each person's done meetings, oldest first
    planned: frozenset[str]  # person keys with a planned meeting
    thanked_referrer: frozenset[str]  # person keys with a meeting whose `thanked_referrer` is set
    referrals: dict[str, Referral]  # by contact path, for referred contacts
    who: People  # the people links name, for briefs
    named: dict[str, Meeting]  # the earliest done meeting naming each contact in its `referrals`
    gettext: Callable[[str], str]
    ngettext: Callable[[str, str, int], str]

    def raises_actions(self, meeting: Meeting) -> bool:
        start = self.campaign.start
        return start is None or meeting.date >= start

    def date_text(self, d: date, fmt: str) -> str:
        return i18n.format_date(d, self.campaign.locale, fmt)

    def action(self, kind: str, due: date, person: Person, note: str, reason: str,
               meeting: Meeting | None = None, at: time | None = None) -> Action:
        with_ = tuple([p.name for p in self.people[meeting.path]]) if meeting else ()
        return Action(kind, due, person.name, note, reason, due < self.today, at, with_, person.path,
                      person.closeness)


def facts(vault: Vault, today: date) -> Facts:
    """SPEC section 3's terms (met, last contact, referred, referrer, date obtained) for every person."""
    campaign = vault.campaign
    start = campaign.start
    contacts = {c.path: c for c in vault.contacts}
    persons = People.of_contacts(vault.contacts)
    people: dict[str, tuple[Person, ...]] = {}
    current: list[Meeting] = []
    planned_meetings: list[Meeting] = []
    done_meetings: list[Meeting] = []
    given: list[int] = []
    obtained: set[str] = set()
    unnoted: list[tuple[Meeting, Link]] = []
    latest_done: dict[str, Meeting] = {}
    done_with: defaultdict[str, list[Meeting]] = defaultdict(list)
    planned: set[str] = set()
    thanked_referrer: set[str] = set()
    named: dict[str, Meeting] = {}  # the earliest done meeting naming each contact in its `referrals`
    alone = persons.alone
    # A meeting the reader could not date is skipped with an error there; it cannot be placed here.
    for m in _in_date_order(vault.meetings):
        links = m.with_
        # Most meetings are with one contact: their group is looked up here, without a call.
        with_ = people[m.path] = (len(links) == 1 and alone.get(links[0].contact)) or persons.among(links)
        status = m.status
        if status == CANCELLED:
            continue
        if m.thanked_referrer:
            for p in with_:
                thanked_referrer.add(p.key)
        # A planned meeting dated before `start` counts for nothing, like a cancelled one: it
        # raises no action (SPEC), so letting it mark a contact "scheduled" would hide that
        # contact from every suggestion for good. Such notes are usually history imported
        # without a status. A done one still makes its people met, as SPEC says.
        raises = start is None or m.date >= start
        if raises:
            current.append(m)
        if status == PLANNED and raises:
            planned_meetings.append(m)
            for p in with_:
                planned.add(p.key)
        elif status == DONE:
            for p in with_:
                latest_done[p.key] = m
                done_with[p.key].append(m)
            names = set()
            for link in m.referrals:
                contact = link.contact
                # Most names given are contacts, and only they can be found named (a link to a
                # path that is no contact is looked up by nobody): kept to plain dict lookups.
                if contact in alone:
                    if contact not in named:
                        named[contact] = m
                    names.add(contact)
                    continue
                if link.note is None and contact is None and raises:
                    unnoted.append((m, link))
                names.add(persons.of(link).key)
            if raises:
                done_meetings.append(m)
                given.append(len(names))
                obtained.update(names)

    # Only met contacts need a last contact: it drives their follow-ups.
    last_contact = {path: max(filter(None, (contacts[path].last_contact, m.date)))
                    for path, m in latest_done.items() if path in contacts}
    tr = i18n.translations(campaign.locale)
    return Facts(
        campaign=campaign,
        today=today,
        contacts=contacts,
        persons=persons.contacts,
        people=people,
        current=tuple(current),
        planned_meetings=tuple(planned_meetings),
        done_meetings=tuple(done_meetings),
        given=tuple(given),
        obtained=frozenset(obtained),
        unnoted=tuple(unnoted),
        met=frozenset(latest_done),
        last_contact=last_contact,
        latest_done=latest_done,
        done_with={k: tuple(v) for k, v in done_with.items()},
        planned=frozenset(planned),
        thanked_referrer=frozenset(thanked_referrer),
        referrals=_referrals(contacts.values(), named, people, persons),
        who=persons,
        named=named,
        gettext=tr.gettext,
        ngettext=tr.ngettext,
    )


# --- the rules: one per action kind, in SPEC section 3's order ---------------------------------

def _names(people: tuple[Person, ...], _) -> str:
    names = [p.name for p in people]
    if len(names) < 2:
        return "".join(names)
    return _("%(names)s and %(last)s") % {"names": ", ".join(names[:-1]), "last": names[-1]}


def _first(f: Facts, m: Meeting) -> Person:
    # A meeting without `with` is an error the reader reports; should it still reach the engine,
    # its actions carry the note's name rather than vanish.
    people = f.people[m.path]
    return people[0] if people else _unlisted(m.name)


def _plural(f: Facts, singular: str, plural: str) -> Callable[[int], str]:
    """The message for a count, looked up once per count: the plural forms are a formula to evaluate."""
    return functools.cache(lambda n: f.ngettext(singular, plural, n))


def meetings(f: Facts) -> Iterator[Action]:
    """A planned meeting: prepare it; once its day has passed, record what happened."""
    _, n_ = f.gettext, f.ngettext
    target = f.campaign.referrals_per_meeting
    record = _("Record what happened: mark it done or cancelled")
    opinion = n_("Meet %(names)s: explain your situation, ask for their opinion and leave with %(count)s new name",
                 "Meet %(names)s: explain your situation, ask for their opinion and leave with %(count)s new names",
                 target)
    # `job` and `sale` are warned about by the reader; the coach still steers to advice.
    advice = n_("Meet %(names)s: explain your situation, ask for advice and leave with %(count)s new name",
                "Meet %(names)s: explain your situation, ask for advice and leave with %(count)s new names",
                target)
    for m in f.planned_meetings:
        if m.date < f.today:
            reason = record
        else:
            message = opinion if m.ask == "opinion" else advice
            reason = message % {"names": _names(f.people[m.path], _), "count": target}
        yield f.action("meeting", m.date, _first(f, m), m.path, reason, meeting=m, at=m.time)


def thanks(f: Facts) -> Iterator[Action]:
    """A done meeting not yet thanked: a thank-you to each person met (the method: thank everyone)."""
    _ = f.gettext
    within = timedelta(days=f.campaign.thank_within_days)
    today = _("Send %(name)s a thank-you for today's meeting")
    yesterday = _("Send %(name)s a thank-you for yesterday's meeting")
    this_week = _("Send %(name)s a thank-you for %(weekday)s's meeting")
    earlier = _("Send %(name)s a thank-you for the meeting on %(date)s")
    for m in f.done_meetings:
        if m.thanked:
            continue
        days = (f.today - m.date).days
        for p in f.people[m.path]:
            if days == 0:
                reason = today % {"name": p.name}
            elif days == 1:
                reason = yesterday % {"name": p.name}
            elif 1 < days < 7:
                reason = this_week % {"name": p.name, "weekday": f.date_text(m.date, "EEEE")}
            else:
                reason = earlier % {"name": p.name, "date": f.date_text(m.date, "long")}
            yield f.action("thank", m.date + within, p, m.path, reason, meeting=m)


def ask_referrals(f: Facts) -> Iterator[Action]:
    """A done meeting that left fewer names than the target, with nobody met again since."""
    target = f.campaign.referrals_per_meeting
    message = _plural(f, "You left with %(got)s of %(target)s names: ask %(name)s for one more",
                      "You left with %(got)s of %(target)s names: ask %(name)s for %(missing)s more")
    after = timedelta(days=ASK_REFERRALS_AFTER)
    latest_done = f.latest_done
    for m, got in zip(f.done_meetings, f.given):
        if got >= target:
            continue
        # The latest done meeting of each of its people is this one: no later meeting asked since.
        if not all(latest_done[p.key] is m for p in f.people[m.path]):
            continue
        first = _first(f, m)
        # SPEC is silent here; asking a paused or do-not-contact person for more names is
        # contacting them, which the exclusions are there to prevent.
        if not first.active:
            continue
        missing = target - got
        reason = message(missing) % {"got": got, "target": target, "name": first.name, "missing": missing}
        yield f.action("ask-referrals", m.date + after, first, m.path, reason, meeting=m)


def add_contacts(f: Facts) -> Iterator[Action]:
    """A name given in a meeting that has no note yet: make one, so the name is not lost."""
    message = f.gettext("%(referrer)s suggested %(name)s: create a contact note so the name is not lost")
    seen: set[str] = set()
    for m, link in f.unnoted:
        key = unlisted_key(link.target)
        # A name given in several meetings needs one note: the earliest meeting asks for it.
        if key in seen:
            continue
        seen.add(key)
        reason = message % {"referrer": _first(f, m).name, "name": link.target}
        yield f.action("add-contact", m.date, Person(key, link.target, None), m.path, reason, meeting=m)


def contact_referrals(f: Facts) -> Iterator[Action]:
    """A name someone gave us, not met yet and with nothing planned: ask for a meeting, citing them."""
    message = f.gettext("%(referrer)s gave you %(name)s's name: ask them for 20 minutes of advice, "
                        "mentioning %(referrer)s")
    for path, r in f.referrals.items():
        contact = f.contacts[path]
        if contact.status != ACTIVE or path in f.met or path in f.planned:
            continue
        due = r.obtained + timedelta(days=CONTACT_REFERRAL_AFTER) if r.obtained else f.today
        reason = message % {"referrer": r.referrer.name, "name": contact.name}
        # The action lives on the contact's note: that is where its details and referrer are.
        yield f.action("contact-referral", due, f.persons[path], path, reason)


def thank_referrers(f: Facts) -> Iterator[Action]:
    """The first meeting with a referred contact: close the loop with whoever gave the name."""
    return (a for _, a in _thank_referrers(f))


def _thank_referrers(f: Facts) -> Iterator[tuple[str, Action]]:
    """`thank_referrers`, each action with the path of the referred contact it comes from."""
    message = f.gettext("You met %(name)s thanks to %(referrer)s: tell them how it went and thank them")
    within = timedelta(days=f.campaign.thank_within_days)
    for path, r in f.referrals.items():
        if not r.referrer.active or path in f.thanked_referrer:
            continue
        # SPEC says "the first done meeting"; when a meeting named someone already met, the
        # meetings before it owe that referrer nothing, so the first one from that date counts.
        first = next((m for m in f.done_with.get(path, ()) if r.named_on is None or m.date >= r.named_on), None)
        if first is None or not f.raises_actions(first):
            continue
        reason = message % {"name": f.contacts[path].name, "referrer": r.referrer.name}
        yield path, f.action("thank-referrer", first.date + within, r.referrer, first.path, reason, meeting=first)


def follow_ups(f: Facts) -> Iterator[Action]:
    """A met contact with nothing planned: keep them informed, constantly and sincerely."""
    message = _plural(f, "Last contact %(days)s day ago: tell %(name)s how your search is going",
                      "Last contact %(days)s days ago: tell %(name)s how your search is going")
    contacts, planned, latest_done, today = f.contacts, f.planned, f.latest_done, f.today
    for path, last in f.last_contact.items():
        contact = contacts[path]
        if contact.status != ACTIVE or path in planned:
            continue
        agreed = [d for d in (contact.next_follow_up, latest_done[path].next_follow_up) if d and d > last]
        every = contact.follow_up_every if contact.follow_up_every is not None else f.campaign.follow_up_days
        due = min(agreed) if agreed else last + timedelta(days=every)
        # Counted on the day the action is for, so a future follow-up in the feed reads true then.
        days = (max(due, today) - last).days
        reason = message(days) % {"days": days, "name": contact.name}
        yield f.action("follow-up", due, f.persons[path], path, reason)


def first_meetings(f: Facts) -> Iterator[Action]:
    """The next people to meet: closest first, then by circle and name; as many as the weekly target."""
    candidates = sorted((c for c in f.contacts.values() if candidate(f, c)), key=first_meeting_order)
    return asking(f, candidates[:max(f.campaign.meetings_per_week, 0)])


def candidate(f: Facts, c: Contact) -> bool:
    """Whether a contact is one to ask for a first meeting: active, not met, not referred, nothing planned."""
    return c.status == ACTIVE and c.path not in f.met and c.path not in f.referrals and c.path not in f.planned


def first_meeting_order(c: Contact) -> tuple:
    return c.closeness, CIRCLE_ORDER.get(c.circle, NO_CIRCLE), fold(c.name), c.path


def asking(f: Facts, contacts: Iterable[Contact]) -> Iterator[Action]:
    """The first-meeting actions for `contacts`, the ones chosen."""
    message = f.gettext("Ask %(name)s for 20 minutes, face to face, to hear their advice on your goal")
    for c in contacts:
        reason = message % {"name": c.name}
        yield f.action("first-meeting", f.today, Person(c.path, c.name, c.path, c.closeness, c.status), c.path,
                       reason)


RULES: tuple[Callable[[Facts], Iterable[Action]], ...] = (
    meetings,
    thanks,
    ask_referrals,
    add_contacts,
    contact_referrals,
    thank_referrers,
    follow_ups,
    first_meetings,
)


# --- the plan ---------------------------------------------------------------------------------

def agenda_order(a: Action) -> tuple:
    """SPEC's order: overdue first; due date; untimed before timed, by time; closeness; name; kind; note.

    Two actions alike in all these (two thank-yous to one referrer for one meeting) are ordered by
    the rest of what they say, so that the order never depends on how the plan was made."""
    return (not a.overdue, a.due, a.time is not None, a.time or time.min, a.closeness, fold(a.contact),
            KIND_ORDER[a.kind], a.note, a.contact, a.reason, a.contact_path or "", a.with_)


def agenda_order_bytes(a: Action) -> bytes:
    """`agenda_order` as bytes that compare the same way, for a database to sort by.

    Numbers are fixed-width big-endian; each text is UTF-8 with NUL and \x01 escaped (as \x01\x01
    and \x01\x02) and ends in NUL, so that a text sorts before any longer one it begins; the names
    a meeting is with each start with \x01, and the list ends in NUL."""
    at = a.time or time.min
    return b"".join((
        b"%d" % (not a.overdue), a.due.toordinal().to_bytes(4, "big"), b"%d" % (a.time is not None),
        bytes((at.hour, at.minute, at.second)), at.microsecond.to_bytes(3, "big"),
        (a.closeness + (1 << 63)).to_bytes(8, "big"), _text_bytes(fold(a.contact)), bytes((KIND_ORDER[a.kind],)),
        _text_bytes(a.note), _text_bytes(a.contact), _text_bytes(a.reason), _text_bytes(a.contact_path or ""),
        *(b"\x01" + _text_bytes(name) for name in a.with_), b"\x00",
    ))


def _text_bytes(text: str) -> bytes:
    data = text.encode("utf-8", "surrogatepass")
    if b"\x00" in data or b"\x01" in data:
        data = data.replace(b"\x01", b"\x01\x02").replace(b"\x00", b"\x01\x01")
    return data + b"\x00"


# What each action hangs on, for `store`, which plans again only the anchors a change touches:
# a meeting (its own actions), a contact (what is owed about them, whoever it is addressed to),
# a name without a note (the note to create), or the campaign (the next people to ask).
MEETING, CONTACT, NAME, CAMPAIGN = "m", "c", "k", "*"
_ANCHORED_BY = {"meeting": MEETING, "thank": MEETING, "ask-referrals": MEETING, "contact-referral": CONTACT,
                "follow-up": CONTACT}


def anchored(f: Facts) -> Iterator[tuple[str, Action]]:
    """Every action of the plan, unordered, with its anchor: a kind of anchor and a path or name key."""
    for rule in RULES:
        if rule is thank_referrers:
            for path, a in _thank_referrers(f):
                yield CONTACT + path, a
        elif rule is add_contacts:
            for a in rule(f):
                yield NAME + unlisted_key(a.contact), a
        elif rule is first_meetings:
            for a in rule(f):
                yield CAMPAIGN, a
        else:
            for a in rule(f):
                yield _ANCHORED_BY[a.kind] + a.note, a


def plan(vault: Vault, today: date, window: int) -> Plan:
    """Every action of the campaign on `today`, in agenda order, and its stats."""
    return planned(vault, today, window)[0]


def planned(vault: Vault, today: date, window: int) -> tuple[Plan, Briefer]:
    """`plan`, and the vault's `briefer` made from the same facts (as `watch` needs both on every save)."""
    f = facts(vault, today)
    return _plan(f, [a for rule in RULES for a in rule(f)], window), Briefer.of(f)


def _plan(f: Facts, actions: Iterable[Action], window: int) -> Plan:
    actions = tuple(sorted(actions, key=agenda_order))
    return Plan(today=f.today, window_days=window, actions=actions, stats=stats(f, actions))


@dataclass(frozen=True, slots=True)
class Planning:
    """A plan with what it was made from: the facts, and each action's anchor (for `store`)."""

    facts: Facts
    anchored: tuple[tuple[str, Action], ...]
    plan: Plan
    briefer: Briefer

    @classmethod
    def of(cls, vault: Vault, today: date, window: int) -> Planning:
        f = facts(vault, today)
        pairs = tuple(anchored(f))
        return cls(f, pairs, _plan(f, (a for _, a in pairs), window), Briefer.of(f))


def stats(f: Facts, actions: tuple[Action, ...]) -> Stats:
    """The campaign's progress, as SPEC section 4 defines it."""
    by_circle = dict.fromkeys((*CIRCLES, "none"), 0)
    by_stage = dict.fromkeys(("listed", "scheduled", "met"), 0)
    for c in f.contacts.values():
        by_circle[circle_of(c)] += 1
        by_stage[stage(f, c.path)] += 1
    # The meeting counts measure how the campaign is run, so history from before `start` (which
    # was not run by the method) is left out; it still makes contacts met, as SPEC says.
    done = f.done_meetings
    monday = f.today - timedelta(days=f.today.weekday())
    sunday = monday + timedelta(days=6)
    on = attrgetter("date")  # `current` is in date order
    return Stats(
        contacts=len(f.contacts),
        by_circle=by_circle,
        by_stage=by_stage,
        meetings_done=len(done),
        meetings_this_week=bisect_right(f.current, sunday, key=on) - bisect_left(f.current, monday, key=on),
        meetings_per_week_target=f.campaign.meetings_per_week,
        referrals_obtained=len(f.obtained),
        # Names per meeting, against the target of names to leave each meeting with: a person
        # named in two meetings was a name obtained in each, so each meeting counts its own.
        referrals_per_meeting=round(sum(f.given) / len(done), 2) if done else 0.0,
        referrals_per_meeting_target=f.campaign.referrals_per_meeting,
        # Every thank-you owed, whatever the window: `--days` changes what the agenda lists, and
        # should not change how many thank-yous the user owes.
        thanks_outstanding=sum(a.kind in ("thank", "thank-referrer") for a in actions),
        interviews=sum("interview" in m.outcome for m in done),
    )


def circle_of(c: Contact) -> str:
    return c.circle if c.circle in CIRCLE_ORDER else "none"


def stage(f: Facts, path: str) -> str:
    return "met" if path in f.met else "scheduled" if path in f.planned else "listed"


# --- the brief --------------------------------------------------------------------------------

def _relation(contact: Contact) -> str | None:
    # "former boss (Acme)", not "former boss at Acme": the company is where they work now, which
    # need not be where the relation began.
    if contact.relation and contact.company:
        text = f"{contact.relation} ({contact.company})"
    else:
        text = contact.relation or contact.company
    return f"{contact.name}: {text}" if text else None


@dataclass(frozen=True, slots=True)
class Briefer:
    """Briefs for the meetings of one vault: who named whom is worked out once, when it is made,
    as the feed asks for a brief for each of thousands of meetings. Make a new one for a new vault."""

    campaign: Campaign
    contacts: dict[str, Contact]
    persons: People
    named: dict[str, Meeting]  # the earliest done meeting naming each contact in its `referrals`

    @classmethod
    def of(cls, f: Facts) -> Briefer:
        """The briefs of the vault `f` was worked out from."""
        return cls(f.campaign, f.contacts, f.who, f.named)

    def referral(self, contact: Contact) -> Referral | None:
        naming = self.named.get(contact.path)
        return _referral(contact, naming, self.persons.among(naming.with_) if naming else (), self.persons)

    def __call__(self, meeting: Meeting) -> Brief:
        """What to have in mind before `meeting`: who, the goal and pitch, the ask, who gave us their names.

        `referrers` lists each referrer once, in the order of the people; `relations` holds one
        "Name: relation (company)" line per person whose relation or company is known.
        """
        people = self.persons.among(meeting.with_)
        referrers: dict[str, str] = {}
        relations = []
        for p in people:
            if p.path is None:
                continue
            contact = self.contacts[p.path]
            r = self.referral(contact)
            if r is not None:
                referrers.setdefault(r.referrer.key, r.referrer.name)
            relation = _relation(contact)
            if relation:
                relations.append(relation)
        campaign = self.campaign
        return Brief(
            note=meeting.path,
            people=tuple(p.name for p in people),
            goal=campaign.goal,
            pitch=campaign.pitch,
            ask=meeting.ask,
            referrers=tuple(referrers.values()),
            referrals_target=campaign.referrals_per_meeting,
            relations=tuple(relations),
        )


def briefer(vault: Vault) -> Briefer:
    """The briefs of `vault`'s meetings: make it once, then call it for each meeting."""
    persons = People.of_contacts(vault.contacts)
    named: dict[str, Meeting] = {}
    for m in _in_date_order(m for m in vault.meetings if m.status == DONE and m.referrals):
        for link in m.referrals:
            if link.contact:
                named.setdefault(link.contact, m)
    return Briefer(vault.campaign, {c.path: c for c in vault.contacts}, persons, named)


def brief(vault: Vault, meeting: Meeting) -> Brief:
    """The brief for one meeting; for many meetings of a vault, make a `briefer` once."""
    return briefer(vault)(meeting)
