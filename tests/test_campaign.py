"""The engine: each rule of SPEC section 3, each exclusion, the agenda order, the stats and briefs.

Every test writes a tiny vault next to its assertions and plans it on a fixed day, a Friday.
"""

from __future__ import annotations

from datetime import date, time

import pytest

from mdnet import brief, engine
from mdnet.vault import load

TODAY = date(2026, 11, 27)  # Friday; its ISO week runs from Monday 23 to Sunday 29 November


def front(type_: str, fields: dict) -> str:
    lines = [f"type: {type_}"] + [f"{key}: {value}" for key, value in fields.items()]
    return "---\n" + "\n".join(lines) + "\n---\n"


def links(*names: str) -> str:
    return "[" + ", ".join(f'"[[{n}]]"' for n in names) + "]"


def campaign_note(**fields) -> str:
    return front("campaign", {"goal": "Move into product management", "timezone": "Europe/Madrid", **fields})


def contact(**fields) -> str:
    return front("contact", {"circle": "personal", **fields})


def meeting(people: tuple[str, ...] | str, when: str, **fields) -> str:
    people = (people,) if isinstance(people, str) else people
    if "referrals" in fields:
        fields["referrals"] = links(*fields["referrals"])
    return front("meeting", {"with": links(*people), "date": when, **fields})


@pytest.fixture
def plan_of(make_vault):
    def run(files: dict[str, str], today: date = TODAY, window: int = 7, **campaign_fields):
        files = {"Campaign.md": campaign_note(**campaign_fields), **files}
        return engine.plan(load(make_vault(files)), today, window)

    return run


def rows(plan, *kinds: str) -> list[tuple]:
    """(kind, due, contact, overdue) of every action, or of those of the given kinds, in order."""
    return [(a.kind, a.due.isoformat(), a.contact, a.overdue)
            for a in plan.actions if not kinds or a.kind in kinds]


def by_kind(plan, kind: str):
    return [a for a in plan.actions if a.kind == kind]


# --- meeting ----------------------------------------------------------------------------------

def test_planned_meeting_is_due_on_its_date_and_time_for_the_first_person(plan_of):
    plan = plan_of({
        "Contacts/Ana.md": contact(),
        "Contacts/Luis.md": contact(),
        "Meetings/Ana y Luis.md": meeting(("Ana", "Luis"), "2026-11-30T10:30"),
    })
    assert rows(plan, "meeting") == [("meeting", "2026-11-30", "Ana", False)]
    [a] = by_kind(plan, "meeting")
    assert (a.time, a.with_, a.note, a.contact_path) == (time(10, 30), ("Ana", "Luis"), "Meetings/Ana y Luis.md",
                                                         "Contacts/Ana.md")
    assert a.reason == ("Meet Ana and Luis: explain your situation, ask for advice and leave with 2 new names")


def test_past_planned_meeting_stays_overdue_asking_to_record_it(plan_of):
    plan = plan_of({
        "Contacts/Ana.md": contact(),
        "Meetings/m.md": meeting("Ana", "2026-11-20"),  # no status: planned
    })
    assert rows(plan, "meeting") == [("meeting", "2026-11-20", "Ana", True)]
    assert by_kind(plan, "meeting")[0].reason == "Record what happened: mark it done or cancelled"
    # Not recorded as done, so nothing else is assumed about it: no thanks, no follow-up.
    assert rows(plan, "thank", "ask-referrals", "follow-up", "first-meeting") == []


def test_meeting_asking_an_opinion_says_so(plan_of):
    plan = plan_of({"Contacts/Ana.md": contact(), "Meetings/m.md": meeting("Ana", "2026-11-27", ask="opinion")},
                   referrals_per_meeting=1)
    [a] = by_kind(plan, "meeting")
    assert (a.overdue, a.reason) == (False, "Meet Ana: explain your situation, ask for their opinion and leave "
                                            "with 1 new name")


# --- thank ------------------------------------------------------------------------------------

def test_done_meeting_not_thanked_owes_each_person_a_thank_you(plan_of):
    plan = plan_of({
        "Contacts/Ana.md": contact(closeness=1),
        "Meetings/m.md": meeting(("Ana", "Pepe Gómez"), "2026-11-25", status="done",
                                 referrals=("Ana", "Pepe Gómez")),
    }, thank_within_days=3)
    assert rows(plan, "thank") == [("thank", "2026-11-28", "Ana", False), ("thank", "2026-11-28", "Pepe Gómez", False)]
    ana, pepe = by_kind(plan, "thank")
    # Someone with no contact note still gets thanked, under the name as written.
    assert (pepe.contact_path, pepe.closeness, pepe.with_) == (None, 3, ("Ana", "Pepe Gómez"))
    assert (ana.contact_path, ana.closeness) == ("Contacts/Ana.md", 1)
    assert ana.reason == "Send Ana a thank-you for Wednesday's meeting"


def test_thanked_meeting_owes_no_thank_you(plan_of):
    plan = plan_of({"Contacts/Ana.md": contact(),
                    "Meetings/m.md": meeting("Ana", "2026-11-25", status="done", thanked="true")})
    assert rows(plan, "thank") == []


@pytest.mark.parametrize("day, reason", [
    ("2026-11-27", "Send Ana a thank-you for today's meeting"),
    ("2026-11-26", "Send Ana a thank-you for yesterday's meeting"),
    ("2026-11-06", "Send Ana a thank-you for the meeting on November 6, 2026"),
])
def test_thank_you_reason_names_the_day(plan_of, day, reason):
    plan = plan_of({"Contacts/Ana.md": contact(), "Meetings/m.md": meeting("Ana", day, status="done")})
    assert by_kind(plan, "thank")[0].reason == reason


# --- ask-referrals ----------------------------------------------------------------------------

def test_meeting_with_too_few_distinct_names_asks_for_more(plan_of):
    plan = plan_of({
        "Contacts/Ana.md": contact(),
        "Contacts/Luis.md": contact(),
        # Luis twice is one name.
        "Meetings/m.md": meeting("Ana", "2026-11-20", status="done", thanked="true", referrals=("Luis", "luis")),
    })
    assert rows(plan, "ask-referrals") == [("ask-referrals", "2026-11-22", "Ana", True)]
    assert by_kind(plan, "ask-referrals")[0].reason == "You left with 1 of 2 names: ask Ana for one more"


def test_meeting_with_enough_names_asks_for_none(plan_of):
    plan = plan_of({
        "Contacts/Ana.md": contact(),
        "Meetings/m.md": meeting("Ana", "2026-11-20", status="done", referrals=("Luis", "Marta")),
    })
    assert rows(plan, "ask-referrals") == []


def test_later_done_meeting_with_the_same_person_supersedes_the_ask(plan_of):
    plan = plan_of({
        "Contacts/Ana.md": contact(),
        "Contacts/Luis.md": contact(),
        "Meetings/first.md": meeting(("Ana", "Luis"), "2026-11-02", status="done", thanked="true"),
        "Meetings/again.md": meeting("Luis", "2026-11-20", status="done", thanked="true", referrals=("Eva",)),
    })
    assert [(a.note, a.contact, a.reason) for a in by_kind(plan, "ask-referrals")] == [
        ("Meetings/again.md", "Luis", "You left with 1 of 2 names: ask Luis for one more")]


def test_ask_referrals_counts_every_missing_name(plan_of):
    plan = plan_of({"Contacts/Ana.md": contact(), "Meetings/m.md": meeting("Ana", "2026-11-26", status="done")},
                   referrals_per_meeting=3)
    assert rows(plan, "ask-referrals") == [("ask-referrals", "2026-11-28", "Ana", False)]
    assert by_kind(plan, "ask-referrals")[0].reason == "You left with 0 of 3 names: ask Ana for 3 more"


# --- add-contact ------------------------------------------------------------------------------

def test_name_without_a_note_asks_to_add_the_contact_once(plan_of):
    plan = plan_of({
        "Contacts/Ana.md": contact(),
        "Contacts/Luis.md": contact(),
        "Meetings/a.md": meeting("Ana", "2026-11-20", status="done", thanked="true", referrals=("Luis", "Pepe Gómez")),
        "Meetings/b.md": meeting("Luis", "2026-11-24", status="done", thanked="true",
                                 referrals=("pepe gómez", "Eva Ruiz")),
    })
    assert rows(plan, "add-contact") == [("add-contact", "2026-11-20", "Pepe Gómez", True),
                                         ("add-contact", "2026-11-24", "Eva Ruiz", True)]
    pepe = by_kind(plan, "add-contact")[0]
    assert (pepe.note, pepe.contact_path, pepe.with_) == ("Meetings/a.md", None, ("Ana",))
    assert pepe.reason == "Ana suggested Pepe Gómez: create a contact note so the name is not lost"


# --- contact-referral -------------------------------------------------------------------------

def test_name_obtained_in_a_meeting_is_contacted_three_days_later(plan_of):
    plan = plan_of({
        "Contacts/Ana.md": contact(),
        "Contacts/Luis.md": contact(),
        "Meetings/m.md": meeting("Ana", "2026-11-20", status="done", thanked="true", referrals=("Luis", "Eva")),
    })
    assert rows(plan, "contact-referral") == [("contact-referral", "2026-11-23", "Luis", True)]
    [a] = by_kind(plan, "contact-referral")
    assert (a.note, a.with_) == ("Contacts/Luis.md", ())
    assert a.reason == "Ana gave you Luis's name: ask them for 20 minutes of advice, mentioning Ana"


def test_referred_by_dates_the_name_from_created_else_today(plan_of):
    plan = plan_of({
        "Contacts/Ana.md": contact(),
        "Contacts/Luis.md": contact(referred_by='"[[Ana]]"', created="2026-11-26"),
        "Contacts/Eva.md": contact(referred_by='"[[Somebody Else]]"'),
    })
    assert rows(plan, "contact-referral") == [("contact-referral", "2026-11-27", "Eva", False),
                                              ("contact-referral", "2026-11-29", "Luis", False)]
    assert by_kind(plan, "contact-referral")[0].reason.startswith("Somebody Else gave you Eva's name")
    # Referred people are not first meetings: they come through their referrer.
    assert rows(plan, "first-meeting") == [("first-meeting", "2026-11-27", "Ana", False)]


def test_referred_by_wins_as_referrer_but_the_meeting_dates_the_name(plan_of):
    plan = plan_of({
        "Contacts/Ana.md": contact(),
        "Contacts/Marta.md": contact(),
        "Contacts/Luis.md": contact(referred_by='"[[Marta]]"', created="2026-01-01"),
        "Meetings/m.md": meeting("Ana", "2026-11-24", status="done", thanked="true", referrals=("Luis", "Eva")),
    })
    [a] = by_kind(plan, "contact-referral")
    assert (a.due, a.contact) == (date(2026, 11, 27), "Luis")
    assert a.reason.startswith("Marta gave you Luis's name")


def test_referred_contact_met_or_planned_needs_no_introduction(plan_of):
    plan = plan_of({
        "Contacts/Ana.md": contact(),
        "Contacts/Luis.md": contact(),
        "Contacts/Eva.md": contact(),
        "Meetings/a.md": meeting("Ana", "2026-11-10", status="done", thanked="true", referrals=("Luis", "Eva")),
        "Meetings/luis.md": meeting("Luis", "2026-11-12", status="done", thanked="true", thanked_referrer="true",
                                    referrals=("X", "Y")),
        "Meetings/eva.md": meeting("Eva", "2026-12-03"),
    })
    assert rows(plan, "contact-referral") == []


# --- thank-referrer ---------------------------------------------------------------------------

def test_first_meeting_with_a_referred_contact_thanks_the_referrer(plan_of):
    plan = plan_of({
        "Contacts/Ana.md": contact(closeness=2),
        "Contacts/Luis.md": contact(),
        "Meetings/a.md": meeting("Ana", "2026-11-10", status="done", thanked="true", referrals=("Luis", "Eva")),
        "Meetings/l1.md": meeting("Luis", "2026-11-20", status="done", thanked="true", referrals=("X", "Y")),
        "Meetings/l2.md": meeting("Luis", "2026-11-25", status="done", thanked="true", referrals=("Z", "W")),
    }, thank_within_days=2)
    assert rows(plan, "thank-referrer") == [("thank-referrer", "2026-11-22", "Ana", True)]
    [a] = by_kind(plan, "thank-referrer")
    assert (a.note, a.with_, a.contact_path, a.closeness) == ("Meetings/l1.md", ("Luis",), "Contacts/Ana.md", 2)
    assert a.reason == "You met Luis thanks to Ana: tell them how it went and thank them"


def test_referrer_thanked_in_any_of_the_contacts_meetings_is_not_thanked_again(plan_of):
    plan = plan_of({
        "Contacts/Ana.md": contact(),
        "Contacts/Luis.md": contact(referred_by='"[[Ana]]"'),
        "Meetings/l1.md": meeting("Luis", "2026-11-20", status="done", thanked="true", referrals=("X", "Y")),
        "Meetings/l2.md": meeting("Luis", "2026-11-25", status="done", thanked="true", thanked_referrer="true",
                                  referrals=("Z", "W")),
    })
    assert rows(plan, "thank-referrer") == []


def test_naming_someone_already_met_thanks_for_the_next_meeting_only(plan_of):
    plan = plan_of({
        "Contacts/Ana.md": contact(),
        "Contacts/Luis.md": contact(),
        # Luis was met before Ana gave his name: that meeting owes Ana nothing.
        "Meetings/l0.md": meeting("Luis", "2026-11-02", status="done", thanked="true", referrals=("X", "Y")),
        "Meetings/a.md": meeting("Ana", "2026-11-10", status="done", thanked="true", referrals=("Luis", "Eva")),
        "Meetings/l1.md": meeting("Luis", "2026-11-24", status="done", thanked="true", referrals=("Z", "W")),
    })
    assert [(a.note, a.contact) for a in by_kind(plan, "thank-referrer")] == [("Meetings/l1.md", "Ana")]


# --- follow-up --------------------------------------------------------------------------------

def test_met_contact_is_followed_up_after_the_cadence_from_the_latest_meeting(plan_of):
    plan = plan_of({
        "Contacts/Ana.md": contact(),
        "Contacts/Luis.md": contact(follow_up_every=10),
        "Meetings/a1.md": meeting("Ana", "2026-10-01", status="done", thanked="true", referrals=("X", "Y")),
        "Meetings/a2.md": meeting("Ana", "2026-10-20", status="done", thanked="true", referrals=("Z", "W")),
        "Meetings/l.md": meeting("Luis", "2026-11-20", status="done", thanked="true", referrals=("V", "U")),
    })
    assert rows(plan, "follow-up") == [("follow-up", "2026-11-19", "Ana", True),
                                       ("follow-up", "2026-11-30", "Luis", False)]
    [ana, luis] = by_kind(plan, "follow-up")
    assert (ana.note, ana.with_) == ("Contacts/Ana.md", ())
    assert ana.reason == "Last contact 38 days ago: tell Ana how your search is going"
    # A future follow-up reads true on its own day.
    assert luis.reason == "Last contact 10 days ago: tell Luis how your search is going"


def test_agreed_follow_up_dates_win_the_earliest_after_the_last_contact(plan_of):
    plan = plan_of({
        "Contacts/Ana.md": contact(next_follow_up="2026-12-10"),
        "Contacts/Luis.md": contact(next_follow_up="2026-11-01"),  # before the last meeting: stale
        "Meetings/a.md": meeting("Ana", "2026-11-20", status="done", thanked="true", referrals=("X", "Y"),
                                 next_follow_up="2026-12-04"),
        "Meetings/l.md": meeting("Luis", "2026-11-20", status="done", thanked="true", referrals=("Z", "W")),
    })
    assert rows(plan, "follow-up") == [("follow-up", "2026-12-04", "Ana", False),
                                       ("follow-up", "2026-12-20", "Luis", False)]


def test_last_contact_later_than_the_meetings_restarts_the_cadence(plan_of):
    plan = plan_of({
        "Contacts/Ana.md": contact(last_contact="2026-11-15"),
        "Meetings/a.md": meeting("Ana", "2026-10-01", status="done", thanked="true", referrals=("X", "Y"),
                                 next_follow_up="2026-11-01"),
    })
    assert rows(plan, "follow-up") == [("follow-up", "2026-12-15", "Ana", False)]


def test_planned_meeting_replaces_the_follow_up(plan_of):
    plan = plan_of({
        "Contacts/Ana.md": contact(),
        "Meetings/a.md": meeting("Ana", "2026-10-01", status="done", thanked="true", referrals=("X", "Y")),
        "Meetings/b.md": meeting("Ana", "2026-12-01"),
    })
    assert rows(plan, "meeting", "follow-up", "first-meeting") == [("meeting", "2026-12-01", "Ana", False)]


# --- first-meeting ----------------------------------------------------------------------------

def test_first_meetings_are_the_closest_then_by_circle_then_name(plan_of):
    plan = plan_of({
        "Contacts/Zoe.md": contact(closeness=1, circle="opportunity"),
        "Contacts/Ángel.md": contact(closeness=2, circle="professional"),
        "Contacts/Beto.md": contact(closeness=2, circle="professional"),
        "Contacts/Carla.md": contact(closeness=2, circle="personal"),
        "Contacts/Dani.md": front("contact", {"closeness": 2}),  # no circle: after the three
        "Contacts/Eva.md": contact(closeness=5),
    }, meetings_per_week=3)
    # Chosen: Zoe (closest), then Carla (personal), then Ángel (professional, before Beto by
    # name); Dani has no circle. Listed in the agenda's order: closeness, then name.
    assert rows(plan, "first-meeting") == [("first-meeting", "2026-11-27", name, False)
                                           for name in ("Zoe", "Ángel", "Carla")]
    assert by_kind(plan, "first-meeting")[0].reason == (
        "Ask Zoe for 20 minutes, face to face, to hear their advice on your goal")


def test_first_meetings_skip_the_met_the_referred_and_the_scheduled(plan_of):
    plan = plan_of({
        "Contacts/Ana.md": contact(closeness=1),
        "Contacts/Luis.md": contact(closeness=1, referred_by='"[[Ana]]"'),
        "Contacts/Eva.md": contact(closeness=1),
        "Contacts/Paz.md": contact(closeness=4),
        "Contacts/Sol.md": contact(closeness=5),
        "Contacts/Tom.md": contact(closeness=5),
        "Meetings/a.md": meeting("Ana", "2026-11-20", status="done", thanked="true", referrals=("X", "Y")),
        "Meetings/e.md": meeting("Eva", "2026-12-02"),
    })
    assert rows(plan, "first-meeting") == [("first-meeting", "2026-11-27", "Paz", False),
                                           ("first-meeting", "2026-11-27", "Sol", False)]


# --- reached out to ---------------------------------------------------------------------------

def test_a_contact_reached_out_to_waits_for_an_answer_then_is_followed_up(plan_of):
    plan = plan_of({
        "Contacts/Ana.md": contact(closeness=1, last_contact="2026-11-24"),  # wrote; waits: follow-up on 12-01
        "Contacts/Eva.md": contact(closeness=1, last_contact="2026-11-24", next_follow_up="2026-11-26"),  # agreed
        "Contacts/Luis.md": contact(closeness=1, last_contact="2026-09-01"),  # before the start: history
        "Contacts/Paz.md": contact(closeness=2),
        "Contacts/Sol.md": contact(closeness=1, status="paused", last_contact="2026-11-24"),
    }, start="2026-10-01", reply_days=7)
    assert rows(plan, "first-meeting", "follow-up") == [
        ("follow-up", "2026-11-26", "Eva", True),
        ("first-meeting", "2026-11-27", "Luis", False),
        ("first-meeting", "2026-11-27", "Paz", False),
        ("follow-up", "2026-12-01", "Ana", False),
    ]
    [ana] = [a for a in plan.actions if a.contact == "Ana"]
    assert ana.reason == "You wrote to Ana on November 24, 2026 and have no answer yet: try again"
    assert plan.stats.by_stage == {"listed": 2, "contacted": 3, "scheduled": 0, "met": 0}


def test_a_referral_reached_out_to_since_its_name_was_given_leaves_contact_referral(plan_of):
    plan = plan_of({
        "Contacts/Ana.md": contact(closeness=1),
        "Contacts/Luis.md": contact(last_contact="2026-11-22"),  # wrote after the meeting that named him
        "Contacts/Eva.md": contact(last_contact="2026-11-10"),  # wrote before: that was another matter
        "Meetings/a.md": meeting("Ana", "2026-11-20", status="done", thanked="true", referrals=("Luis", "Eva")),
    }, reply_days=3)
    assert rows(plan, "contact-referral", "follow-up") == [
        ("contact-referral", "2026-11-23", "Eva", True),
        ("follow-up", "2026-11-25", "Luis", True),
        ("follow-up", "2026-12-20", "Ana", False),
    ]


def test_a_cancelled_latest_meeting_is_named_when_asking_again(plan_of):
    plan = plan_of({
        "Contacts/Ana.md": contact(closeness=1),
        "Contacts/Luis.md": contact(),
        "Contacts/Eva.md": contact(closeness=1),
        "Meetings/a.md": meeting("Ana", "2026-11-20", status="done", thanked="true", referrals=("Luis", "Zoe")),
        "Meetings/l.md": meeting("Luis", "2026-11-24", status="cancelled"),
        "Meetings/e.md": meeting("Eva", "2026-11-18", status="cancelled"),
    })
    reasons = {a.contact: a.reason for a in plan.actions if a.kind in ("contact-referral", "first-meeting")}
    assert reasons["Luis"] == "Your meeting with Luis on November 24, 2026 was cancelled: ask for another date"
    assert reasons["Eva"] == "Your meeting with Eva on November 18, 2026 was cancelled: ask for another date"


def test_a_follow_up_after_a_cancelled_meeting_says_so(plan_of):
    """Written to, answered, booked, cancelled: the follow-up asks for another date rather than
    saying no answer came; a meeting done after a cancelled one is the latest, and is not."""
    plan = plan_of({
        "Contacts/Ana.md": contact(last_contact="2026-11-10"),
        "Contacts/Luis.md": contact(),
        "Contacts/Eva.md": contact(),
        "Meetings/a.md": meeting("Ana", "2026-11-20", status="cancelled"),
        "Meetings/l1.md": meeting("Luis", "2026-09-01", status="done", thanked="true"),
        "Meetings/l2.md": meeting("Luis", "2026-10-01T10:00", status="cancelled"),
        "Meetings/e1.md": meeting("Eva", "2026-09-01", status="cancelled"),
        "Meetings/e2.md": meeting("Eva", "2026-10-01", status="done", thanked="true"),
    }, start="2026-11-01")
    reasons = {a.contact: a.reason for a in by_kind(plan, "follow-up")}
    assert reasons["Ana"] == "Your meeting with Ana on November 20, 2026 was cancelled: ask for another date"
    assert reasons["Luis"] == "Your meeting with Luis on October 1, 2026 was cancelled: ask for another date"
    assert reasons["Eva"].startswith("Last contact 57 days ago")


# --- exclusions -------------------------------------------------------------------------------

@pytest.mark.parametrize("status", ["paused", "do-not-contact", "no-contactar", "pausado"])
def test_paused_and_do_not_contact_get_no_invitations_but_keep_meetings_and_thanks(plan_of, status):
    plan = plan_of({
        "Contacts/Ana.md": contact(status=status),  # met: no follow-up
        "Contacts/Luis.md": contact(status=status, referred_by='"[[Eva]]"'),  # referred: no contact-referral
        "Contacts/Paz.md": contact(status=status),  # listed: no first-meeting
        "Contacts/Sol.md": contact(status=status),  # planned: the meeting stays
        "Contacts/Eva.md": contact(),
        "Meetings/a.md": meeting("Ana", "2026-11-26", status="done", referrals=("X", "Y")),
        "Meetings/s.md": meeting("Sol", "2026-11-30"),
    }, meetings_per_week=5)
    assert rows(plan) == [("add-contact", "2026-11-26", "X", True),
                          ("add-contact", "2026-11-26", "Y", True),
                          ("thank", "2026-11-27", "Ana", False),
                          ("first-meeting", "2026-11-27", "Eva", False),
                          ("meeting", "2026-11-30", "Sol", False)]


def test_ask_referrals_is_not_sent_to_a_paused_contact(plan_of):
    plan = plan_of({"Contacts/Ana.md": contact(status="paused"),
                    "Meetings/a.md": meeting("Ana", "2026-11-20", status="done", thanked="true")})
    assert rows(plan) == []


def test_referrer_paused_or_do_not_contact_is_not_thanked(plan_of):
    plan = plan_of({
        "Contacts/Ana.md": contact(status="do-not-contact"),
        "Contacts/Luis.md": contact(referred_by='"[[Ana]]"'),
        "Meetings/l.md": meeting("Luis", "2026-11-20", status="done", thanked="true", referrals=("X", "Y")),
    })
    assert rows(plan, "thank-referrer") == []
    assert rows(plan, "follow-up") == [("follow-up", "2026-12-20", "Luis", False)]


def test_cancelled_meetings_count_for_nothing(plan_of):
    plan = plan_of({
        "Contacts/Ana.md": contact(),
        "Contacts/Luis.md": contact(),
        "Meetings/a.md": meeting("Ana", "2026-11-24", status="cancelled", referrals=("Luis", "Pepe")),
        "Meetings/b.md": meeting("Luis", "2026-11-30", status="cancelada"),
    })
    # Not met, not referred, nothing planned: both are still people to meet.
    assert rows(plan) == [("first-meeting", "2026-11-27", "Ana", False),
                          ("first-meeting", "2026-11-27", "Luis", False)]
    s = plan.stats
    assert (s.meetings_done, s.meetings_this_week, s.referrals_obtained, s.by_stage) == (
        0, 0, 0, {"listed": 2, "contacted": 0, "scheduled": 0, "met": 0})


def test_only_done_meetings_referrals_count(plan_of):
    plan = plan_of({
        "Contacts/Ana.md": contact(),
        "Contacts/Luis.md": contact(),
        "Meetings/a.md": meeting("Ana", "2026-11-30", referrals=("Luis", "Pepe")),  # planned, names pre-filled
    })
    assert rows(plan) == [("first-meeting", "2026-11-27", "Luis", False), ("meeting", "2026-11-30", "Ana", False)]


def test_meetings_before_the_start_are_history(plan_of):
    plan = plan_of({
        "Contacts/Ana.md": contact(),
        "Contacts/Luis.md": contact(),
        "Contacts/Eva.md": contact(),
        # Done before the start: Ana is met and her last contact set, but no thanks, no asks.
        "Meetings/a.md": meeting("Ana", "2026-10-20", status="done", referrals=("Luis", "Pepe")),
        # Planned before the start and never recorded: history too, so Eva is still to be met.
        "Meetings/e.md": meeting("Eva", "2026-10-25"),
    }, start="2026-11-01")
    # Luis's name still counts (he is no first meeting) and Ana still needs following up.
    assert rows(plan) == [("contact-referral", "2026-10-23", "Luis", True),
                          ("follow-up", "2026-11-19", "Ana", True),
                          ("first-meeting", "2026-11-27", "Eva", False)]
    s = plan.stats
    assert (s.meetings_done, s.referrals_obtained, s.by_stage) == (0, 0, {"listed": 2, "contacted": 0, "scheduled": 0, "met": 1})


# --- order ------------------------------------------------------------------------------------

def test_agenda_order(plan_of):
    plan = plan_of({
        "Contacts/Íñigo.md": contact(closeness=2),
        "Contacts/ana.md": contact(closeness=2),
        "Contacts/Bea.md": contact(closeness=1),
        "Contacts/Carlos.md": contact(closeness=1),
        "Contacts/Dora.md": contact(closeness=4),
        # Overdue: before everything due later, each by date.
        "Meetings/old.md": meeting("Dora", "2026-11-19"),
        "Meetings/older.md": meeting("Dora", "2026-11-18T09:00"),
        # On 30 November: untimed first, then timed by time; then closeness, name, kind, note.
        "Meetings/late.md": meeting("Bea", "2026-11-30T18:00"),
        "Meetings/early.md": meeting("Dora", "2026-11-30T09:00"),
        "Meetings/i.md": meeting("Íñigo", "2026-11-29", status="done", referrals=("X", "Y")),
        "Meetings/a.md": meeting("ana", "2026-11-29", status="done", referrals=("X", "Y")),
        "Meetings/c.md": meeting("Carlos", "2026-11-29", status="done", referrals=("X", "Y")),
        "Meetings/b.md": meeting("Bea", "2026-11-29", status="done", referrals=("X",)),
        "Meetings/b2.md": meeting("Bea", "2026-11-29", status="done", thanked="true", referrals=("X", "Y")),
    }, meetings_per_week=0)
    assert [(a.kind, a.due.isoformat(), a.contact, a.note) for a in plan.in_window()] == [
        ("meeting", "2026-11-18", "Dora", "Meetings/older.md"),
        ("meeting", "2026-11-19", "Dora", "Meetings/old.md"),
        ("add-contact", "2026-11-29", "X", "Meetings/a.md"),
        ("add-contact", "2026-11-29", "Y", "Meetings/a.md"),
        ("thank", "2026-11-30", "Bea", "Meetings/b.md"),
        ("thank", "2026-11-30", "Carlos", "Meetings/c.md"),
        ("thank", "2026-11-30", "ana", "Meetings/a.md"),
        ("thank", "2026-11-30", "Íñigo", "Meetings/i.md"),  # 'Íñigo' sorts as 'inigo', after 'ana'
        ("meeting", "2026-11-30", "Dora", "Meetings/early.md"),
        ("meeting", "2026-11-30", "Bea", "Meetings/late.md"),
    ]


def test_same_day_same_person_orders_by_kind_then_note(plan_of):
    plan = plan_of({
        "Contacts/Ana.md": contact(),
        "Meetings/a.md": meeting("Ana", "2026-11-25", status="done", thanked="true", referrals=("Luis",)),
        "Meetings/c.md": meeting("Ana", "2026-11-24", status="done", referrals=("Luis", "Eva")),
        "Meetings/b.md": meeting("Ana", "2026-11-24", status="done", referrals=("Luis", "Eva")),
    }, thank_within_days=3)
    assert [(a.kind, a.due.isoformat(), a.note) for a in plan.actions if a.contact == "Ana"] == [
        ("thank", "2026-11-27", "Meetings/b.md"),
        ("thank", "2026-11-27", "Meetings/c.md"),
        ("ask-referrals", "2026-11-27", "Meetings/a.md"),
        ("follow-up", "2026-12-25", "Contacts/Ana.md"),
    ]


# --- window -----------------------------------------------------------------------------------

def test_plan_holds_every_action_and_the_window_selects_the_agenda(plan_of):
    files = {
        "Contacts/Ana.md": contact(),
        "Meetings/past.md": meeting("Ana", "2026-11-01"),
        "Meetings/today.md": meeting("Ana", "2026-11-27T12:00"),
        "Meetings/week.md": meeting("Ana", "2026-12-04"),
        "Meetings/later.md": meeting("Ana", "2026-12-05"),
    }
    week, today_only = plan_of(files, window=7), plan_of(files, window=0)
    assert [a.note for a in week.actions] == [
        "Meetings/past.md", "Meetings/today.md", "Meetings/week.md", "Meetings/later.md"]
    assert [a.note for a in week.in_window()] == ["Meetings/past.md", "Meetings/today.md", "Meetings/week.md"]
    assert [a.note for a in today_only.in_window()] == ["Meetings/past.md", "Meetings/today.md"]


# --- stats ------------------------------------------------------------------------------------

def test_stats(plan_of):
    plan = plan_of({
        "Contacts/Ana.md": contact(circle="personal"),
        "Contacts/Luis.md": contact(circle="professional"),
        "Contacts/Eva.md": contact(circle="opportunity"),
        "Contacts/Paz.md": front("contact", {}),
        "Contacts/Sol.md": contact(circle="profesional", status="paused"),
        # Done this week, an interview, two names (Luis twice is one), not thanked.
        "Meetings/a.md": meeting("Ana", "2026-11-23", status="done", outcome='["interview", "entrevista", "oferta"]',
                                 referrals=("Luis", "Luis", "Pepe")),
        # Done last week, one name already given (Pepe): counted again per meeting.
        "Meetings/l.md": meeting("Luis", "2026-11-20", status="done", thanked="true", referrals=("Pepe",)),
        # Planned this Sunday; cancelled ones do not count.
        "Meetings/e.md": meeting("Eva", "2026-11-29"),
        "Meetings/x.md": meeting("Paz", "2026-11-24", status="cancelled"),
        # Next week's meeting is not this week's.
        "Meetings/s.md": meeting("Sol", "2026-11-30"),
    })
    assert plan.stats.as_json() == {
        # Each kind of benefit counts the done meetings that brought it, once each.
        "benefits": {"information": 0, "interview": 1, "offer": 1, "prospect": 0, "referral": 0, "visibility": 0},
        "by_circle": {"none": 1, "opportunity": 1, "personal": 1, "professional": 2},
        "by_stage": {"contacted": 0, "listed": 1, "met": 2, "scheduled": 2},
        "contacts": 5,
        "interviews": 1,
        "meetings_done": 2,
        "meetings_per_week_target": 2,
        "meetings_this_week": 2,
        "referrals_obtained": 2,
        "referrals_per_meeting": 1.5,
        "referrals_per_meeting_target": 2,
        # Ana's thank-you; Ana named Luis after he was met, so no thank-referrer is owed.
        "thanks_outstanding": 1,
    }


def test_stats_count_thanks_outside_the_window_and_round_the_rate(plan_of):
    plan = plan_of({
        "Contacts/Ana.md": contact(),
        "Contacts/Luis.md": contact(referred_by='"[[Ana]]"'),
        "Meetings/a1.md": meeting("Ana", "2026-11-02", status="done", thanked="true", referrals=("X",)),
        "Meetings/a2.md": meeting("Ana", "2026-11-03", status="done", thanked="true", referrals=("Y", "X")),
        # Marked done ahead of time: its thank-yous are due after the window.
        "Meetings/l.md": meeting("Luis", "2026-12-20", status="done", referrals=("V", "W")),
    }, window=0)
    assert [a.kind for a in plan.in_window() if a.kind.startswith("thank")] == []
    assert plan.stats.thanks_outstanding == 2  # Luis's thank-you, and Ana's for giving his name
    assert (plan.stats.referrals_obtained, plan.stats.referrals_per_meeting) == (4, 1.67)  # (1 + 2 + 2) / 3


# --- Spanish ----------------------------------------------------------------------------------

def test_reasons_follow_the_campaigns_locale(plan_of):
    plan = plan_of({
        "Contactos/José Núñez.md": front("contacto", {"circle": "profesional"}),
        "Contactos/Lucía.md": front("contacto", {"circle": "personal"}),
        "Reuniones/r.md": meeting("José Núñez", "2026-11-24", status="hecha", referrals=("Lucía",)),
    }, locale="es")
    assert [(a.kind, a.reason) for a in plan.actions] == [
        ("thank", "Da las gracias a José Núñez por la reunión del martes"),
        ("ask-referrals", "Saliste con 1 de 2 nombres: pide a José Núñez uno más"),
        ("contact-referral", "José Núñez te dio el nombre de Lucía: pídele 20 minutos para pedirle consejo, "
                             "mencionando a José Núñez"),
        ("follow-up", "Último contacto hace 30 días: cuéntale a José Núñez cómo va tu búsqueda"),
    ]


# --- brief ------------------------------------------------------------------------------------

def test_brief_gathers_people_goal_pitch_ask_and_referrers(make_vault):
    root = make_vault({
        "Campaign.md": campaign_note(pitch="Eight years in accounting; now product.", referrals_per_meeting=3),
        "Contacts/Ana.md": contact(relation="former boss", company="Acme"),
        "Contacts/Luis.md": contact(relation="met at a wedding"),
        "Contacts/Eva.md": contact(referred_by='"[[Marta]]"', company="Globex"),
        "Contacts/Marta.md": contact(),
        "Meetings/a.md": meeting("Ana", "2026-11-10", status="done", referrals=("Luis",)),
        "Meetings/next.md": meeting(("Luis", "Eva", "Pepe"), "2026-12-01", ask="opinion"),
    })
    vault = load(root)
    [m] = [m for m in vault.meetings if m.path == "Meetings/next.md"]
    b = brief.brief(vault, m)
    assert b.note == "Meetings/next.md"
    assert b.people == ("Luis", "Eva", "Pepe")
    assert (b.goal, b.pitch, b.ask, b.referrals_target) == (
        "Move into product management", "Eight years in accounting; now product.", "opinion", 3)
    assert b.referrers == ("Ana", "Marta")
    assert b.relations == ("Luis: met at a wedding", "Eva: Globex")


def test_brief_follows_each_vault_it_is_given(make_vault):
    files = {
        "Campaign.md": campaign_note(),
        "Contacts/Ana.md": contact(),
        "Contacts/Luis.md": contact(),
        "Meetings/next.md": meeting("Luis", "2026-12-01"),
    }
    before = load(make_vault(files))
    after = load(make_vault({**files, "Meetings/a.md": meeting("Ana", "2026-11-10", status="done",
                                                                  referrals=("Luis",))}))
    [m] = [m for m in before.meetings if m.path == "Meetings/next.md"]
    assert brief.brief(before, m).referrers == ()
    assert brief.brief(after, m).referrers == ("Ana",)
    assert brief.brief(before, m).referrers == ()


def test_the_briefer_made_with_the_plan_briefs_as_one_made_from_the_vault():
    from pathlib import Path

    vault = load(Path(__file__).parent.parent / "example-vault")
    planning = engine.Planning.of(vault, date(2026, 11, 27), 7)
    briefer, alone = planning.briefer, brief.briefer(vault)
    assert planning.plan == engine.plan(vault, date(2026, 11, 27), 7)
    assert [briefer(m) for m in vault.meetings] == [alone(m) for m in vault.meetings]
    assert any(briefer(m).referrers for m in vault.meetings)  # the example has referred people to brief on
