"""The method's rules: from a read vault and a date, what is due, as SPEC section 3 defines it.

Pure functions: no clock, no files. The facts every rule reads (who is met, last contacts, who
gave us whose name, planned meetings) are worked out once into `Facts`, in one walk over the
meetings; each kind of action is one record (`Kind`) in `KINDS`: its words, its rule (a function
`Facts -> Iterable[(subject, Action)]`), what its actions hang on and what the rule reads. A new
rule is a function and an entry. `engine` puts the plan together; `stats` and `brief` read the
same facts.

Where SPEC section 3 is silent or could be read two ways, the choice is written next to the code
that makes it, with its reason. A vault of 60,000 notes is planned on every save, so the texts a
rule repeats (translated messages, dates written out) are looked up once, not once per action.
"""

from __future__ import annotations

import functools
from collections import defaultdict
from collections.abc import Callable, Container, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from operator import attrgetter

from mdnet import i18n
from mdnet.fields import fold, nfc
from mdnet.model import CIRCLES, Action, Campaign, Contact, Link, Meeting, Vault

ACTIVE = "active"
PLANNED, DONE, CANCELLED = "planned", "done", "cancelled"
CIRCLE_ORDER = {circle: i for i, circle in enumerate(CIRCLES)}
# SPEC's first-meeting order puts contacts without a circle after the three circles.
NO_CIRCLE = len(CIRCLES)
DEFAULT_CLOSENESS = 3
ASK_REFERRALS_AFTER = 2
# An action's occasion (`Action.occasion`), for the message it asks for.
AGAIN, WAITING = "again", "waiting"
CONTACT_REFERRAL_AFTER = 3


# --- names ------------------------------------------------------------------------------------

def unlisted_key(target: str) -> str:
    # People without a contact note are told apart by the link as written, compared the way SPEC
    # section 2 compares names (NFC, case-insensitive); the prefix keeps them apart from paths.
    return "?" + nfc(target).casefold()


def person_key(link: Link, contacts: Container[str]) -> str:
    """Who a resolved link names: the contact's path when it names a contact note that has a
    record (`contacts` holds their paths), else the name as written (`People.of(link).key`)."""
    return link.contact if link.contact in contacts else unlisted_key(link.target)


@dataclass(frozen=True, slots=True)
class Person:
    """Someone an action is about: a contact note, or a name written in a link that has none."""

    key: str  # the contact note's path, or `?` + the folded link target
    name: str
    path: str | None
    closeness: int = DEFAULT_CLOSENESS
    status: str = ACTIVE
    email: str | None = None
    phone: str | None = None

    @property
    def active(self) -> bool:
        return self.status == ACTIVE


def _unlisted(name: str) -> Person:
    return Person(unlisted_key(name), name, None)


@dataclass(frozen=True, slots=True)
class People:
    """Who links name (by `person_key`): each contact by its path, and each name without a note by
    its spelling, made once, as links name the same people again and again. Each is kept as a group of one:
    most meetings are with one person, and they share that group rather than each make one."""

    contacts: dict[str, Person]
    alone: dict[str, tuple[Person]]  # by contact path
    unlisted: dict[str, tuple[Person]] = field(default_factory=dict)  # by the link's target

    @classmethod
    def of_contacts(cls, contacts: Iterable[Contact]) -> People:
        persons = {c.path: Person(c.path, c.name, c.path, c.closeness, c.status, c.email, c.phone) for c in contacts}
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


def _at(m: Meeting) -> datetime:
    return datetime.combine(m.date, m.time or time.min)


def _in_date_order(meetings: Iterable[Meeting]) -> list[Meeting]:
    """Dated meetings by date, then time (untimed first), then path."""
    dated = sorted((m for m in meetings if m.date is not None), key=attrgetter("path"))
    # Keys the garbage collector does not track: tens of thousands of (date, time, path) tuples
    # add to what sets off a full collection, a walk over every object of the vault.
    dated.sort(key=_at)
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
    reached: dict[str, date]  # contacts reached out to and waiting for an answer: when, by path
    latest_done: dict[str, Meeting]  # by person key
    done_with: dict[str, tuple[Meeting, ...]]  # each person's done meetings, oldest first
    planned: frozenset[str]  # person keys with a planned meeting
    thanked_referrer: frozenset[str]  # person keys with a meeting whose `thanked_referrer` is set
    cancelled: dict[str, Meeting]  # each person's latest cancelled meeting, by person key
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
               meeting: Meeting | None = None, at: time | None = None, about: tuple[str, ...] = (),
               occasion: str = "") -> Action:
        with_ = tuple([p.name for p in self.people[meeting.path]]) if meeting else ()
        return Action(kind, due, person.name, note, reason, due < self.today, at, with_, person.path,
                      person.closeness, person.email, person.phone, about, occasion)

    def names_given(self, meeting: Meeting) -> tuple[str, ...]:
        """The people a meeting's `referrals` name, as the actions name them."""
        return tuple([p.name for p in self.who.among(meeting.referrals)]) if meeting.referrals else ()


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
    cancelled: dict[str, Meeting] = {}
    named: dict[str, Meeting] = {}  # the earliest done meeting naming each contact in its `referrals`
    alone = persons.alone
    # A meeting the reader could not date is skipped with an error there; it cannot be placed here.
    for m in _in_date_order(vault.meetings):
        links = m.with_
        # Most meetings are with one contact: their group is looked up here, without a call.
        with_ = people[m.path] = (len(links) == 1 and alone.get(links[0].contact)) or persons.among(links)
        status = m.status
        if status == CANCELLED:
            for p in with_:
                cancelled[p.key] = m  # in date order: the latest stays
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
    referrals = _referrals(contacts.values(), named, people, persons)
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
        reached=_reached(contacts.values(), start, latest_done, planned, referrals),
        latest_done=latest_done,
        done_with={k: tuple(v) for k, v in done_with.items()},
        planned=frozenset(planned),
        thanked_referrer=frozenset(thanked_referrer),
        cancelled=cancelled,
        referrals=referrals,
        who=persons,
        named=named,
        gettext=tr.gettext,
        ngettext=tr.ngettext,
    )


def _reached(contacts: Iterable[Contact], start: date | None, met: Container[str], planned: Container[str],
             referrals: dict[str, Referral]) -> dict[str, date]:
    """SPEC section 3's "reached out to": never met, nothing planned, and a `last_contact` from the
    campaign (on or after `start`) and, for a referred contact, from after its name was obtained:
    the user wrote or called and waits for an answer."""
    reached = {}
    for c in contacts:
        last = c.last_contact
        if last is None or c.path in met or c.path in planned or (start is not None and last < start):
            continue
        r = referrals.get(c.path)
        if r is None or r.obtained is None or last >= r.obtained:
            reached[c.path] = last
    return reached


# --- the rules: one per action kind, in SPEC section 3's order ---------------------------------
# Each yields (subject, action): the subject is what the action hangs on, the path of a meeting
# or of a contact, or the `Person.key` of a name without a note, as its `Kind` says.

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


def meetings(f: Facts) -> Iterator[tuple[str, Action]]:
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
        yield m.path, f.action("meeting", m.date, _first(f, m), m.path, reason, meeting=m, at=m.time)


def thanks(f: Facts) -> Iterator[tuple[str, Action]]:
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
            yield m.path, f.action("thank", m.date + within, p, m.path, reason, meeting=m, about=f.names_given(m))


def ask_referrals(f: Facts) -> Iterator[tuple[str, Action]]:
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
        yield m.path, f.action("ask-referrals", m.date + after, first, m.path, reason, meeting=m,
                               about=f.names_given(m))


def add_contacts(f: Facts) -> Iterator[tuple[str, Action]]:
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
        yield key, f.action("add-contact", m.date, Person(key, link.target, None), m.path, reason, meeting=m)


def contact_referrals(f: Facts) -> Iterator[tuple[str, Action]]:
    """A name someone gave us, not met yet and with nothing planned: ask for a meeting, citing them."""
    message = f.gettext("%(referrer)s gave you %(name)s's name: ask them for 20 minutes of advice, "
                        "mentioning %(referrer)s")
    again = _again(f)
    for path, r in f.referrals.items():
        contact = f.contacts[path]
        if contact.status != ACTIVE or path in f.met or path in f.planned or path in f.reached:
            continue
        due = r.obtained + timedelta(days=CONTACT_REFERRAL_AFTER) if r.obtained else f.today
        cancelled = again(path)
        reason = cancelled or message % {"referrer": r.referrer.name, "name": contact.name}
        # The action lives on the contact's note: that is where its details and referrer are.
        yield path, f.action("contact-referral", due, f.persons[path], path, reason, about=(r.referrer.name,),
                             occasion=AGAIN if cancelled else "")


def thank_referrers(f: Facts) -> Iterator[tuple[str, Action]]:
    """The first meeting with a referred contact: close the loop with whoever gave the name."""
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
        yield path, f.action("thank-referrer", first.date + within, r.referrer, first.path, reason, meeting=first,
                             about=(f.contacts[path].name,))


def follow_ups(f: Facts) -> Iterator[tuple[str, Action]]:
    """A met contact with nothing planned: keep them informed, constantly and sincerely."""
    message = _plural(f, "Last contact %(days)s day ago: tell %(name)s how your search is going",
                      "Last contact %(days)s days ago: tell %(name)s how your search is going")
    contacts, planned, latest_done, today = f.contacts, f.planned, f.latest_done, f.today
    again = _again(f)
    for path, last in f.last_contact.items():
        contact = contacts[path]
        if contact.status != ACTIVE or path in planned:
            continue
        agreed = [d for d in (contact.next_follow_up, latest_done[path].next_follow_up) if d and d > last]
        every = contact.follow_up_every if contact.follow_up_every is not None else f.campaign.follow_up_days
        due = min(agreed) if agreed else last + timedelta(days=every)
        # Counted on the day the action is for, so a future follow-up in the feed reads true then.
        days = (max(due, today) - last).days
        cancelled = again(path)
        reason = cancelled or message(days) % {"days": days, "name": contact.name}
        yield path, f.action("follow-up", due, f.persons[path], path, reason, occasion=AGAIN if cancelled else "")
    # Reached out to and no answer yet: try again on the date agreed, else after `reply_days`.
    waiting = f.gettext("You wrote to %(name)s on %(date)s and have no answer yet: try again")
    for path, last in f.reached.items():
        contact = contacts[path]
        if contact.status != ACTIVE:
            continue
        agreed = contact.next_follow_up
        due = agreed if agreed and agreed > last else last + timedelta(days=f.campaign.reply_days)
        cancelled = again(path)
        reason = cancelled or waiting % {"name": contact.name, "date": f.date_text(last, "long")}
        r = f.referrals.get(path)
        yield path, f.action("follow-up", due, f.persons[path], path, reason, about=(r.referrer.name,) if r else (),
                             occasion=AGAIN if cancelled else WAITING)


def first_meetings(f: Facts) -> Iterator[tuple[str, Action]]:
    """Everyone to ask for a first meeting: active, not met, not referred, nothing planned, not
    waiting for an answer. The
    plan keeps the weekly target's number of them, by `first_meeting_rank`."""
    message = f.gettext("Ask %(name)s for 20 minutes, face to face, to hear their advice on your goal")
    again = _again(f)
    met, referrals, planned, reached = f.met, f.referrals, f.planned, f.reached
    for path, c in f.contacts.items():
        if c.status == ACTIVE and path not in met and path not in referrals and path not in planned and (
                path not in reached):
            cancelled = again(path)
            reason = cancelled or message % {"name": c.name}
            yield path, f.action("first-meeting", f.today, f.persons[path], path, reason,
                                 occasion=AGAIN if cancelled else "")


def _again(f: Facts) -> Callable[[str], str | None]:
    """The reason to ask a contact for a meeting again, by path, when the latest one was cancelled
    (a follow-up's contact may have met since: then a done meeting is the latest)."""
    message = f.gettext("Your meeting with %(name)s on %(date)s was cancelled: ask for another date")

    def again(path: str) -> str | None:
        m, done = f.cancelled.get(path), f.latest_done.get(path)
        if m is None or done is not None and _at(done) >= _at(m):
            return None
        return message % {"name": f.contacts[path].name, "date": f.date_text(m.date, "long")}

    return again


def first_meeting_rank(f: Facts, path: str) -> tuple:
    """Closest first, then by circle (those without one last), then by name."""
    c = f.contacts[path]
    return c.closeness, CIRCLE_ORDER.get(c.circle, NO_CIRCLE), fold(c.name), c.path


def weekly_target(c: Campaign) -> int:
    return max(c.meetings_per_week, 0)


# --- what a rule reads ------------------------------------------------------------------------
# A rule reads the notes it reaches from its subject by walks over the links between notes and
# people: `with` goes from a meeting to the people it was with, `names` to the people its
# referrals name, `referrer` from a contact to whoever its `referred_by` names; `~` walks a link
# backwards, from a person to the notes that name them. A contact's note and the person it is are
# one node. The notes a walk reaches on its way are read too. An incremental planner plans a
# subject again when a note its walks reach changed, from the notes they reach: a rule that reads
# more than it declares is a bug the equivalence tests find.
WITH, NAMES, REFERRER = "with", "names", "referrer"
MEETING, CONTACT, NAME = "meeting", "contact", "name"
Walk = tuple[str, ...]

_PEOPLE_MET = ((WITH,),)
_REFERRAL = ((REFERRER,), ("~" + NAMES, WITH))  # who gave a contact's name: `referred_by`, or who named it
_MEETINGS_WITH = (("~" + WITH,),)
# A brief reads the meeting's people, who gave each their name and the relation they have.
_BRIEF = ((WITH, REFERRER), (WITH, "~" + NAMES, WITH))


def relations(record: Contact | Meeting, contacts: Container[str]) -> Iterator[tuple[str, str]]:
    """The (relation, person key) of each link of a note that names a person; `contacts` holds the
    paths of the contact notes that have a record."""
    if isinstance(record, Meeting):
        for link in record.with_:
            yield WITH, person_key(link, contacts)
        for link in record.referrals:
            yield NAMES, person_key(link, contacts)
    elif record.referred_by is not None:
        yield REFERRER, person_key(record.referred_by, contacts)


@dataclass(frozen=True, slots=True)
class Kind:
    """A kind of action: its name in JSON, its words in the agenda and in the feed, its rule, what
    its actions hang on and what the rule reads from there."""

    name: str
    label: str  # the agenda's word for it (translated)
    summary: str | None  # the feed's summary of its all-day events (translated); None: not one
    subject: str  # MEETING, CONTACT or NAME
    rule: Callable[[Facts], Iterable[tuple[str, Action]]]
    reads: tuple[Walk, ...]
    # A suggestion: of its actions the plan keeps `pick(campaign)`, the first by `rank`.
    pick: Callable[[Campaign], int] | None = None
    rank: Callable[[Facts, str], tuple] | None = None
    briefed: bool = False  # the agenda shows a brief of the meeting its actions are about


KINDS: tuple[Kind, ...] = (
    Kind("meeting", "Meeting", None, MEETING, meetings, _PEOPLE_MET + _BRIEF, briefed=True),
    Kind("thank", "Thank", "Thank %(name)s", MEETING, thanks, _PEOPLE_MET + ((NAMES,),)),
    Kind("ask-referrals", "Ask for names", "Ask %(name)s for names", MEETING, ask_referrals,
         ((WITH, "~" + WITH), (NAMES,))),
    Kind("add-contact", "Add contact", "Add %(name)s to your contacts", NAME, add_contacts, (("~" + NAMES, WITH),)),
    Kind("contact-referral", "Contact referral", "Contact %(name)s", CONTACT, contact_referrals,
         _MEETINGS_WITH + _REFERRAL),
    Kind("thank-referrer", "Thank referrer", "Thank %(name)s for the referral", CONTACT, thank_referrers,
         (("~" + WITH, WITH),) + _REFERRAL),
    Kind("follow-up", "Follow up", "Follow up with %(name)s", CONTACT, follow_ups, _MEETINGS_WITH + _REFERRAL),
    Kind("first-meeting", "First meeting", None, CONTACT, first_meetings, _MEETINGS_WITH + (("~" + NAMES,),),
         pick=weekly_target, rank=first_meeting_rank),
)
# Their order, SPEC section 3's, breaks ties in the agenda.
KIND_ORDER = {kind.name: i for i, kind in enumerate(KINDS)}
KIND = {kind.name: kind for kind in KINDS}
