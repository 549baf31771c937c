"""The campaign's progress (SPEC section 4's stats), added up from tallies counted per subject.

Each tally counts, for each meeting, contact or name without a note, numbers the stats add up
(contacts by circle and stage, meetings done, names obtained…), and declares what it reads as the
rules do (`campaign.Kind.reads`); `stats_of` makes the stats from their totals. A plan made whole
and one updated from the notes that changed add up the same tallies.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import timedelta

from mdnet.campaign import CIRCLE_ORDER, CONTACT, MEETING, NAME, NAMES, WITH, Facts, Walk
from mdnet.model import CIRCLES, OUTCOMES, Action, Campaign, Contact, Stats


@dataclass(frozen=True, slots=True)
class Tally:
    """Numbers the stats add up, counted per subject: (subject, name, number) for each."""

    subject: str
    count: Callable[[Facts], Iterable[tuple[str, str, int]]]
    reads: tuple[Walk, ...]


def contact_counts(f: Facts) -> Iterator[tuple[str, str, int]]:
    for path, c in f.contacts.items():
        yield path, "contacts", 1
        yield path, "circle:" + circle_of(c), 1
        yield path, "stage:" + stage(f, path), 1


def meeting_counts(f: Facts) -> Iterator[tuple[str, str, int]]:
    # The meeting counts measure how the campaign is run, so history from before `start` (which
    # was not run by the method) is left out; it still makes contacts met, as SPEC says.
    monday = f.today - timedelta(days=f.today.weekday())
    sunday = monday + timedelta(days=6)
    for m in f.current:
        if monday <= m.date <= sunday:
            yield m.path, "meetings_this_week", 1
    for m, given in zip(f.done_meetings, f.given):
        yield m.path, "meetings_done", 1
        # Names per meeting, against the target of names to leave each meeting with: a person
        # named in two meetings was a name obtained in each, so each meeting counts its own.
        if given:
            yield m.path, "given", given
        if "interview" in m.outcome:
            yield m.path, "interviews", 1
        for benefit in set(m.outcome):
            yield m.path, "benefit:" + benefit, 1


def contacts_obtained(f: Facts) -> Iterator[tuple[str, str, int]]:
    """The contacts whose name a meeting gave."""
    for key in f.obtained:
        if key in f.contacts:
            yield key, "referrals_obtained", 1


def names_obtained(f: Facts) -> Iterator[tuple[str, str, int]]:
    """The names a meeting gave of people without a contact note."""
    for key in f.obtained:
        if key not in f.contacts:
            yield key, "referrals_obtained", 1


TALLIES: tuple[Tally, ...] = (
    # The stage reads when the name was obtained, to tell who was reached out to since.
    Tally(CONTACT, contact_counts, (("~" + WITH,), ("~" + NAMES,))),
    Tally(MEETING, meeting_counts, ((NAMES,),)),
    Tally(CONTACT, contacts_obtained, (("~" + NAMES,),)),
    Tally(NAME, names_obtained, (("~" + NAMES,),)),
)


def counted(a: Action) -> Iterator[str]:
    """What an action adds to the stats: every thank-you owed, whatever the window (`--days`
    changes what the agenda lists, not how many thank-yous the user owes)."""
    if a.kind in ("thank", "thank-referrer"):
        yield "thanks_outstanding"


def circle_of(c: Contact) -> str:
    return c.circle if c.circle in CIRCLE_ORDER else "none"


def stage(f: Facts, path: str) -> str:
    if path in f.met:
        return "met"
    return "scheduled" if path in f.planned else "contacted" if path in f.reached else "listed"


def stats_of(campaign: Campaign, totals: Mapping[str, int]) -> Stats:
    """The campaign's progress, as SPEC section 4 defines it, from the tallies' totals."""
    done = totals.get("meetings_done", 0)
    return Stats(
        contacts=totals.get("contacts", 0),
        by_circle={circle: totals.get("circle:" + circle, 0) for circle in (*CIRCLES, "none")},
        by_stage={s: totals.get("stage:" + s, 0) for s in ("listed", "contacted", "scheduled", "met")},
        meetings_done=done,
        meetings_this_week=totals.get("meetings_this_week", 0),
        meetings_per_week_target=campaign.meetings_per_week,
        referrals_obtained=totals.get("referrals_obtained", 0),
        referrals_per_meeting=round(totals.get("given", 0) / done, 2) if done else 0.0,
        referrals_per_meeting_target=campaign.referrals_per_meeting,
        thanks_outstanding=totals.get("thanks_outstanding", 0),
        interviews=totals.get("interviews", 0),
        benefits={benefit: totals.get("benefit:" + benefit, 0) for benefit in OUTCOMES},
    )


