"""The calendar feed: read back by icalendar, stable across runs and edits, private, in Spanish."""

from __future__ import annotations

import os
from datetime import date, datetime, time
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given, settings, strategies as st
from icalendar import Calendar

from mdnet import ics, pipeline
from mdnet.cli import cli
from mdnet.errors import OutputError
from mdnet.model import Action, Campaign, Contact, Link, Meeting, Plan, Stats, Vault

TODAY = date(2026, 11, 27)

CAMPAIGN = """---
type: campaign
goal: Move from accounting to product management
pitch: Eight years in audit; I want to build products.
timezone: Europe/Madrid
{extra}---
"""

BASE = {
    "Contacts/José Núñez.md": "---\ntype: contact\ncircle: professional\ncloseness: 1\n---\n",
    "Contacts/Ana Ruiz.md": "---\ntype: contact\ncircle: personal\nreferred_by: \"[[José Núñez]]\"\n---\n",
    "Contacts/Luis Gil.md": "---\ntype: contact\ncircle: personal\ncloseness: 2\n---\n",
    # Planned, and past: it stays where it was, at its local time.
    "Meetings/2026-11-20 José Núñez.md": (
        "---\ntype: meeting\nwith: [\"[[José Núñez]]\"]\ndate: 2026-11-20T10:30\nduration: 90\n"
        "location: Café Comercial; glorieta de Bilbao, 7\n---\n"
    ),
    # Done and not thanked: a thank-you overdue since 2026-11-11, and a follow-up agreed far ahead.
    "Meetings/2026-11-10 Ana Ruiz.md": (
        "---\ntype: meeting\nwith: [\"[[Ana Ruiz]]\"]\ndate: 2026-11-10T18:00\nstatus: done\n"
        "referrals: [\"[[Luis Gil]]\", \"[[José Núñez]]\"]\nnext_follow_up: 2027-01-15\n---\n"
    ),
    # Only a date: an all-day event.
    "Meetings/2026-12-02 Luis Gil.md": "---\ntype: meeting\nwith: [\"[[Luis Gil]]\"]\ndate: 2026-12-02\n---\n",
    "Contacts/Marta Sanz.md": "---\ntype: contact\ncircle: opportunity\n---\n",
    "Meetings/2026-11-25 cancelled.md": (
        "---\ntype: meeting\nwith: [\"[[Marta Sanz]]\"]\ndate: 2026-11-25T09:00\nstatus: cancelled\n---\n"
    ),
    # Older than 90 days: history the calendar no longer needs.
    "Meetings/2026-06-01 old.md": (
        "---\ntype: meeting\nwith: [\"[[Luis Gil]]\"]\ndate: 2026-06-01T09:00\nstatus: done\nthanked: true\n---\n"
    ),
}


def vault_files(extra: str = "", **changes: str) -> dict[str, str]:
    files = {"Campaign.md": CAMPAIGN.format(extra=extra), **BASE}
    files.update(changes)
    return files


def build(root: Path, private: bool = False, today: date = TODAY) -> bytes:
    return ics.feed(pipeline.run(root, today), private)


def parse(data: bytes) -> Calendar:
    cal = Calendar.from_ical(data)
    for component in cal.walk():
        assert component.errors == [], (component.name, component.errors)
    return cal


def events(data: bytes) -> dict[str, object]:
    """Events by summary (summaries are unique in these vaults)."""
    found = {str(e["SUMMARY"]): e for e in parse(data).walk("VEVENT")}
    assert len(found) == len(parse(data).walk("VEVENT"))
    return found


def test_feed_parses_back_and_is_byte_identical_whatever_the_files_times(make_vault):
    root = make_vault(vault_files())
    first = build(root)
    for path in root.rglob("*.md"):
        os.utime(path, (1_000_000_000, 1_000_000_000))
    assert build(root) == first
    assert first.endswith(b"END:VCALENDAR\r\n")
    assert all(len(line) <= 75 for line in first.split(b"\r\n")), "content lines are folded"

    cal = parse(first)
    assert cal["VERSION"] == "2.0"
    assert "mdnet" in str(cal["PRODID"])
    assert str(cal["NAME"]) == str(cal["X-WR-CALNAME"]) == "Networking: Move from accounting to product management"
    assert b"\r\nREFRESH-INTERVAL;VALUE=DURATION:PT1H\r\n" in first
    assert b"\r\nX-PUBLISHED-TTL:PT1H\r\n" in first
    assert "METHOD" not in cal and "UID" not in cal
    assert all(str(e["DTSTAMP"].to_ical(), "ascii") == "20261127T000000Z" for e in cal.walk("VEVENT"))


def test_one_vtimezone_covering_only_the_years_needed(make_vault):
    data = build(make_vault(vault_files()))
    zones = parse(data).walk("VTIMEZONE")
    assert [str(z["TZID"]) for z in zones] == ["Europe/Madrid"]
    years = {sub["DTSTART"].dt.year for sub in zones[0].subcomponents}
    assert years == {2026}


def test_timed_meeting_at_its_local_time_with_tzid_duration_location_brief_and_url(make_vault):
    data = build(make_vault(vault_files(), name="My Vault"))
    meeting = events(data)["Meeting with José Núñez"]
    assert b"DTSTART;TZID=Europe/Madrid:20261120T103000\r\n" in data
    assert meeting["DTSTART"].dt == datetime(2026, 11, 20, 10, 30, tzinfo=meeting["DTSTART"].dt.tzinfo)
    assert str(meeting["DTSTART"].dt.tzinfo) == "Europe/Madrid"
    assert meeting["DTEND"].dt.time() == time(12, 0)
    assert str(meeting["LOCATION"]) == "Café Comercial; glorieta de Bilbao, 7"
    assert str(meeting["STATUS"]) == "CONFIRMED"
    description = str(meeting["DESCRIPTION"])
    assert "Record what happened" in description  # the reason: past and still planned
    assert "Eight years in audit" in description  # the pitch
    assert "advice" in description
    assert "at least 2 more people" in description
    assert str(meeting["URL"]) == (
        "obsidian://open?vault=My%20Vault&file=Meetings%2F2026-11-20%20Jos%C3%A9%20N%C3%BA%C3%B1ez"
    )


def test_meeting_with_only_a_date_is_all_day(make_vault):
    meeting = events(build(make_vault(vault_files())))["Meeting with Luis Gil"]
    assert meeting["DTSTART"].dt == date(2026, 12, 2) and meeting["DTEND"].dt == date(2026, 12, 3)


def test_recent_cancelled_meetings_are_marked_and_old_ones_left_out(make_vault):
    data = build(make_vault(vault_files()))
    meetings = [e for e in parse(data).walk("VEVENT") if str(e["SUMMARY"]).startswith("Meeting with")]
    by_date = {e["DTSTART"].dt.date() if isinstance(e["DTSTART"].dt, datetime) else e["DTSTART"].dt: e
               for e in meetings}
    assert str(by_date[date(2026, 11, 25)]["STATUS"]) == "CANCELLED"
    assert str(by_date[date(2026, 11, 10)]["STATUS"]) == "CONFIRMED"  # done, within 90 days
    assert date(2026, 6, 1) not in by_date


def test_actions_are_all_day_transparent_on_today_while_overdue_and_whatever_their_date(make_vault):
    found = events(build(make_vault(vault_files())))
    thank = found["Thank Ana Ruiz"]  # due 2026-11-11: overdue, so on today
    assert thank["DTSTART"].dt == TODAY and thank["DTEND"].dt == date(2026, 11, 28)
    assert str(thank["TRANSP"]) == "TRANSPARENT"
    assert "Ana Ruiz" in str(thank["DESCRIPTION"])
    follow_up = found["Follow up with Ana Ruiz"]  # far beyond any agenda window
    assert follow_up["DTSTART"].dt == date(2027, 1, 15)
    assert found["Thank José Núñez for the referral"]["DTSTART"].dt == TODAY


def test_first_meeting_suggestions_are_left_out(make_vault):
    root = make_vault(vault_files(**{"Contacts/Rosa Pérez.md": "---\ntype: contact\ncircle: personal\n---\n"}))
    result = pipeline.run(root, TODAY)
    assert any(a.kind == "first-meeting" and a.contact == "Rosa Pérez" for a in result.plan.actions)
    assert "Rosa" not in ics.feed(result).decode()


def test_uids_survive_edits_and_renames_with_an_id(make_vault):
    path = "Meetings/2026-11-20 José Núñez.md"
    files = vault_files(**{path: BASE[path].replace("type: meeting", "type: meeting\nid: m-2026-11-20")})
    root = make_vault(files)
    before = {str(e["UID"]): str(e["SUMMARY"]) for e in parse(build(root)).walk("VEVENT")}
    assert len(before) == len(parse(build(root)).walk("VEVENT")), "every UID is distinct"

    note = root / path
    note.write_text(note.read_text(encoding="utf-8").replace("Café Comercial", "Café Gijón"), encoding="utf-8")
    after = parse(build(root))
    assert {str(e["UID"]): str(e["SUMMARY"]) for e in after.walk("VEVENT")} == before
    assert any("Café Gijón" in str(e.get("LOCATION", "")) for e in after.walk("VEVENT"))

    note.rename(root / "Meetings/Coffee with José.md")
    assert {str(e["UID"]): str(e["SUMMARY"]) for e in parse(build(root)).walk("VEVENT")} == before


def test_uids_are_name_based_under_the_fixed_namespace():
    assert ics.uid("Meetings/a.md", "thank", "José Núñez") == ics.uid("Meetings/a.md", "thank", "JOSE\u0301 NÚÑEZ")
    assert ics.uid("Meetings/a.md", "thank", "Ana") != ics.uid("Meetings/a.md", "thank", "Luis")
    # Pinned: a different value would duplicate every event in every subscribed calendar.
    assert ics.uid("Meetings/a.md", "meeting") == "02760f83-3866-54bb-8f08-d9e58b4b4458"


def test_hostile_names_give_a_valid_feed_with_one_line_summaries(make_vault):
    long_name = "Ñ" * 300
    files = vault_files(**{
        "Contacts/Pérez; Gómez, Luis.md": "---\ntype: contact\ncircle: personal\n---\n",
        "Contacts/Ana 🎉.md": "---\ntype: contact\ncircle: personal\n---\n",
        "Meetings/2026-11-26 hostile.md": (
            "---\ntype: meeting\nwith: [\"[[Pérez; Gómez, Luis]]\", \"[[Ana 🎉]]\", \"[[José Núñez]]\"]\n"
            "date: 2026-11-26T17:00\nstatus: done\nlocation: \"Line one\\nline two; with, commas\"\n"
            f"referrals: [\"[[Bad\\nname; x, y]]\", \"[[{long_name}]]\"]\n---\n"
        ),
    })
    root = make_vault(files)
    data = build(root)
    cal = parse(data)
    summaries = [str(e["SUMMARY"]) for e in cal.walk("VEVENT")]
    assert all("\n" not in s and "\r" not in s for s in summaries)
    assert "Meeting with Pérez; Gómez, Luis, Ana 🎉, José Núñez" in summaries
    assert "Add Bad name; x, y to your contacts" in summaries
    assert f"Add {long_name} to your contacts" in summaries
    assert all(len(line) <= 75 for line in data.split(b"\r\n"))
    hostile = next(e for e in cal.walk("VEVENT") if str(e["SUMMARY"]).startswith("Meeting with Pérez"))
    assert str(hostile["LOCATION"]) == "Line one\nline two; with, commas"
    assert build(root) == data


def test_private_feed_shows_initials_and_nothing_else_about_people(make_vault):
    for root, private in ((make_vault(vault_files()), True),
                          (make_vault(vault_files(extra="feed_private: true\n")), False)):
        data = build(root, private=private)
        cal = parse(data)
        summaries = {str(e["SUMMARY"]) for e in cal.walk("VEVENT")}
        assert {"Meeting with J.N.", "Thank A.R.", "Follow up with A.R."} <= summaries
        for e in cal.walk("VEVENT"):
            assert not {"DESCRIPTION", "LOCATION", "URL"} & set(e.keys())
        text = data.decode()
        assert "José" not in text and "Ana" not in text and "Café" not in text
    assert ics.initials("josé  núñez-garcía") == "J.N."
    assert ics.initials("🎉") == "?"


def test_spanish_campaign_gives_spanish_texts(make_vault):
    root = make_vault(vault_files(extra="locale: es\n"))
    found = events(build(root))
    assert "Reunión con José Núñez" in found
    assert "Dar las gracias a Ana Ruiz" in found
    assert "Hacer seguimiento a Ana Ruiz" in found
    assert "Agradecer a José Núñez la recomendación" in found
    assert "Ana Ruiz" in str(found["Dar las gracias a Ana Ruiz"]["DESCRIPTION"])
    cal = parse(build(root))
    no_goal = make_vault(vault_files(extra="locale: es\n", **{"Campaign.md": "---\ntype: campaign\nlocale: es\n---\n"}))
    assert str(parse(build(no_goal))["X-WR-CALNAME"]) == "Campaña de networking"
    assert str(cal["NAME"]).startswith("Networking: ")


@settings(max_examples=40, deadline=None)
@given(name=st.text(min_size=1, max_size=60), place=st.text(max_size=60), goal=st.text(max_size=60))
def test_any_text_gives_a_feed_that_parses_back_with_the_same_uids(name, place, goal):
    contact = Contact(path="Contacts/x.md", name=name)
    meeting = Meeting(path="Meetings/m.md", name="m", with_=(Link(name, 2, contact="Contacts/x.md"),),
                      date=date(2026, 11, 20), time=time(10, 30), location=place or None)
    vault = Vault(name=name, campaign=Campaign(goal=goal or None, timezone="Europe/Madrid"),
                  contacts=(contact,), meetings=(meeting,))
    actions = (Action(kind="add-contact", due=date(2026, 11, 20), contact=name, note="Meetings/m.md",
                      reason=f"Add {name}", overdue=True),)
    result = pipeline.result_of(Path("/nonexistent"), vault, Plan(TODAY, 7, actions, Stats()))
    data = ics.feed(result)
    assert ics.feed(result) == data
    cal = parse(data)
    uids = [str(e["UID"]) for e in cal.walk("VEVENT")]
    assert sorted(uids) == sorted([ics.uid("Meetings/m.md", "add-contact", name), ics.uid("Meetings/m.md", "meeting")])
    assert all("\n" not in str(e["SUMMARY"]) for e in cal.walk("VEVENT"))


def test_ics_command_writes_the_feed_to_stdout_or_a_file(make_vault, tmp_path):
    root = make_vault(vault_files())
    runner = CliRunner()
    out = runner.invoke(cli, ["ics", "--vault", str(root), "--today", "2026-11-27"])
    assert out.exit_code == 0, out.output
    assert out.stdout_bytes == build(root)
    target = tmp_path / "feed.ics"
    written = runner.invoke(cli, ["ics", "--vault", str(root), "--today", "2026-11-27", "-o", str(target), "--private"])
    assert written.exit_code == 0, written.output
    assert target.read_bytes() == build(root, private=True)


@pytest.mark.parametrize("today", ["2026-13-01", "soon"])
def test_ics_command_refuses_a_bad_today(make_vault, today):
    result = CliRunner().invoke(cli, ["ics", "--vault", str(make_vault(vault_files())), "--today", today])
    assert result.exit_code == 2


def test_ics_command_cannot_write_says_so(make_vault, tmp_path):
    target = tmp_path / "no such folder" / "feed.ics"
    result = CliRunner().invoke(cli, ["ics", "--vault", str(make_vault(vault_files())), "-o", str(target)])
    assert isinstance(result.exception, OutputError) and result.exception.exit_code == 4
    assert "cannot write" in str(result.exception) and not target.exists()


def test_a_private_feed_names_no_goal(make_vault):
    root = make_vault({"Campaign.md": "---\ntype: campaign\ngoal: Leave Acme for product\ntimezone: Europe/Madrid\n---\n",
                       "Contacts/Ana.md": "---\ntype: contact\ncircle: personal\n---\n"})
    public, private = (ics.feed(pipeline.run(root, TODAY), p).decode() for p in (False, True))
    assert "Leave Acme" in public and "Acme" not in private and "X-WR-CALNAME:Networking campaign" in private
