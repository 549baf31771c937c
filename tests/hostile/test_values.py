"""Hostile values, one small vault each: what a user's autosave, a paste or a typo can leave in a
note. Each is a problem on its own line (check exits 1 on an error, 0 on warnings only), and the
agenda, its JSON and the feed are made all the same."""

from __future__ import annotations

import json

import pytest

HUGE = "9" * 5000  # past Python's 4,300 digits for reading an int
MEGABYTE = "x" * 1_000_000
TODAY = "2026-11-27"


def campaign(extra: str = "", zone: str = "Europe/Madrid") -> str:
    """The campaign note; `extra` starts at line 5."""
    return f"---\ntype: campaign\ngoal: Move into product\ntimezone: {zone}\n{extra}---\n"


def contact(extra: str = "") -> str:
    """Ana's note; `extra` starts at line 4."""
    return f"---\ntype: contact\ncircle: personal\n{extra}---\n"


def meeting(extra: str) -> str:
    """A meeting with Ana; `extra` starts at line 4."""
    return f"---\ntype: meeting\nwith: \"[[Ana]]\"\n{extra}---\n"


def vault(camp: str | None = None, ana: str | None = None, meet: str | None = None) -> dict[str, str | bytes]:
    return {"Campaña.md": camp or campaign(), "Contactos/Ana.md": ana or contact(),
            "Reuniones/m.md": meet or meeting("date: 2026-11-20\nstatus: done\n")}


YEARS = "outside the years mdnet reads (1900 to 2999)"
OFFSET = "is no real one; an offset goes from -14:00 to +14:00"
ZONE = "which is no IANA zone; write one like Europe/Madrid"


def case(name: str, notes: dict, code: int, *lines: str, tz: str = "UTC"):
    """A vault, the machine's $TZ, `check`'s exit code and lines it prints (each naming the note and line)."""
    return pytest.param(notes, tz, code, lines, id=name)


NO_ZONE = campaign().replace("timezone: Europe/Madrid\n", "")
EDGES = vault(campaign("follow_up_days: 3650\nthank_within_days: 365\nmeetings_per_week: 50\n"),
              contact("follow_up_every: 3650\nlast_contact: 1900-01-01\n"),
              meeting("date: 2999-12-31T23:30-14:00\nduration: 10080\nstatus: done\n"))

CASES = [
    # Zones: folders of the database (what Obsidian saves mid-word), files that are no zone, paths.
    case("zone Europe", vault(campaign(zone="Europe")), 0, f"Campaña.md:4: warning: 'timezone' is 'Europe', {ZONE}"),
    case("zone America", vault(campaign(zone="America")), 0,
         f"Campaña.md:4: warning: 'timezone' is 'America', {ZONE}"),
    case("zone of 3,000 characters", vault(campaign(zone="A" * 3000)), 0,
         f"Campaña.md:4: warning: 'timezone' is '{'A' * 80}… (3,000 characters)', {ZONE}"),
    case("zone posixrules", vault(campaign(zone="posixrules")), 0,
         f"Campaña.md:4: warning: 'timezone' is 'posixrules', {ZONE}"),
    case("zone path", vault(campaign(zone="../../../etc/passwd")), 0,
         "Campaña.md:4: warning: 'timezone' is '../../../etc/passwd'"),
    case("$TZ a folder", vault(NO_ZONE), 0, "Campaña.md:1: warning: the campaign has no 'timezone'; using this "
         "machine's (UTC)", tz="America"),
    case("$TZ of 3,000 characters", vault(NO_ZONE), 0, "Campaña.md:1: warning: the campaign has no 'timezone'; "
         "using this machine's (UTC)", tz="E" * 3000),
    # Numbers past Python's digit limit, or out of their range: a warning, and the default.
    case("meetings_per_week of 5,000 digits", vault(campaign(f"meetings_per_week: {HUGE}\n")), 0,
         f"Campaña.md:5: warning: 'meetings_per_week' is {'9' * 80}… (5,000 characters); it goes from 0 to 50"),
    case("follow_up_days of minus 5,000 digits", vault(campaign(f"follow_up_days: -{HUGE}\n")), 0,
         "Campaña.md:5: warning: 'follow_up_days' is -999", "(5,001 characters); it goes from 1 to 3650"),
    case("thank_within_days huge", vault(campaign("thank_within_days: 99999999999\n")), 0,
         "Campaña.md:5: warning: 'thank_within_days' is 99999999999; it goes from 0 to 365"),
    case("closeness -1", vault(ana=contact("closeness: -1\n")), 0,
         "Contactos/Ana.md:4: warning: 'closeness' is -1; it goes from 1 to 5"),
    case("closeness of 5,000 digits", vault(ana=contact(f"closeness: {HUGE}\n")), 0,
         "Contactos/Ana.md:4: warning: 'closeness' is 999"),
    case("follow_up_every huge", vault(ana=contact("follow_up_every: 99999999999\n")), 0,
         "Contactos/Ana.md:4: warning: 'follow_up_every' is 99999999999; it goes from 1 to 3650"),
    case("duration 99999999999", vault(meet=meeting("date: 2026-11-30T10:00\nduration: 99999999999\n")), 0,
         "Reuniones/m.md:5: warning: 'duration' is 99999999999; it goes from 0 to 10080 minutes (a week)"),
    case("duration in hours huge", vault(meet=meeting("date: 2026-11-30T10:00\nduration: 99999999999:00\n")), 0,
         "Reuniones/m.md:5: warning: 'duration' is 99999999999:00; it goes from 0 to 10080"),
    case("duration of 5,000 digits", vault(meet=meeting(f"date: 2026-11-30T10:00\nduration: {HUGE}\n")), 0,
         "Reuniones/m.md:5: warning: 'duration' is 999"),
    case("duration -5", vault(meet=meeting("date: 2026-11-30T10:00\nduration: -5\n")), 1,
         "Reuniones/m.md:5: error: 'duration' is '-5'; write minutes (90) or hours and minutes (1:30)"),
    # Offsets and days the engine and the feed cannot use: an error, the field (or meeting) skipped.
    case("offset +25:00", vault(meet=meeting("date: 2026-12-05T10:00+25:00\n")), 1,
         f"Reuniones/m.md:4: error: 'date' is '2026-12-05T10:00+25:00', whose offset +25:00 {OFFSET}"),
    case("offset -24:00", vault(meet=meeting("date: 2026-12-05T10:00-24:00\n")), 1,
         f"Reuniones/m.md:4: error: 'date' is '2026-12-05T10:00-24:00', whose offset -24:00 {OFFSET}"),
    case("offset +14:30", vault(meet=meeting("date: 2026-12-05T10:00+1430\n")), 1,
         f"Reuniones/m.md:4: error: 'date' is '2026-12-05T10:00+1430', whose offset +1430 {OFFSET}"),
    case("offset minutes 99", vault(meet=meeting("date: 2026-12-05T10:00+05:99\n")), 1,
         f"Reuniones/m.md:4: error: 'date' is '2026-12-05T10:00+05:99', whose offset +05:99 {OFFSET}"),
    case("year 1 with an offset", vault(meet=meeting("date: 0001-01-01T00:30+05:00\nstatus: done\n")), 1,
         f"Reuniones/m.md:4: error: 'date' is '0001-01-01', {YEARS}"),
    case("done in 9999", vault(meet=meeting("date: 9999-12-31\nstatus: done\n")), 1,
         f"Reuniones/m.md:4: error: 'date' is '9999-12-31', {YEARS}"),
    case("planned on 9999-12-31", vault(meet=meeting("date: 9999-12-31T23:00\n")), 1,
         f"Reuniones/m.md:4: error: 'date' is '9999-12-31', {YEARS}"),
    case("day 0000-01-01", vault(meet=meeting("date: 0000-01-01\n")), 1,
         f"Reuniones/m.md:4: error: 'date' is '0000-01-01', {YEARS}"),
    case("day 2026-02-30", vault(meet=meeting("date: 2026-02-30\n")), 1,
         "Reuniones/m.md:4: error: 'date' is '2026-02-30', which is not a real day; write it as YYYY-MM-DD"),
    case("time 24:00", vault(meet=meeting("date: 2026-12-05T24:00\n")), 1,
         "Reuniones/m.md:4: error: 'date' is '2026-12-05T24:00', which is not a real time"),
    case("startTime 99:99", vault(meet=meeting("date: 2026-12-05\nstartTime: 99:99\n")), 1,
         "Reuniones/m.md:5: error: 'startTime' is '99:99'; write it as HH:MM, e.g. 10:30"),
    case("next_follow_up in 9999", vault(ana=contact("next_follow_up: 9999-12-31\n")), 1,
         f"Contactos/Ana.md:4: error: 'next_follow_up' is '9999-12-31', {YEARS}"),
    case("last_contact in year 1", vault(ana=contact("last_contact: 0001-01-01\n")), 1,
         f"Contactos/Ana.md:4: error: 'last_contact' is '0001-01-01', {YEARS}"),
    case("thanked in 9999", vault(meet=meeting("date: 2026-11-20\nstatus: done\nthanked: 9999-12-31\n")), 1,
         f"Reuniones/m.md:6: error: 'thanked' is '9999-12-31', {YEARS}"),
    case("campaign start in 9999", vault(campaign("start: 9999-01-01\n")), 1,
         f"Campaña.md:5: error: 'start' is '9999-01-01', {YEARS}"),
    case("created with an offset of a day", vault(ana=contact("created: 2026-11-20T10:00+24:00\n")), 1,
         f"Contactos/Ana.md:4: error: 'created' is '2026-11-20T10:00+24:00', whose offset +24:00 {OFFSET}"),
    # Text: a megabyte on one line, control characters, a NUL byte.
    case("a megabyte of location", vault(meet=meeting(f"date: 2026-11-30T10:00\nlocation: {MEGABYTE}\n")), 0),
    case("a megabyte of date", vault(meet=meeting(f"date: {MEGABYTE}\n")), 1,
         f"Reuniones/m.md:4: error: 'date' is '{'x' * 80}… (1,000,000 characters)', which is not a date; write a date, YYYY-MM-DD"),
    case("a megabyte of plain text for a link", vault(meet=meeting(f"date: 2026-11-20\nreferrals: {MEGABYTE}\n")), 0,
         f"Reuniones/m.md:5: warning: 'referrals' is plain text '{'x' * 80}… (1,000,000 characters)'"),
    case("control characters", vault(meet=meeting('date: 2026-11-30T10:00\nlocation: "Café\\x1b[31m\\x07"\n'
                                                  'format: "\\x1b[2J"\n')), 0,
         "Reuniones/m.md:6: warning: 'format' is '\\x1b[2J', which mdnet does not know"),
    case("a NUL byte", vault(meet=meeting("date: 2026-11-30T10:00\nlocation: a\x00b\n")), 1,
         "Reuniones/m.md:5: error: the front matter is not valid YAML: unacceptable character #x0000"),
    case("a NUL byte escaped", vault(meet=meeting('date: 2026-11-30T10:00\nstatus: "do\\0ne"\n')), 0,
         "Reuniones/m.md:5: warning: 'status' is 'do\\x00ne', which mdnet does not know"),
    # The edges of every range are usable: the last day, the longest meeting, the longest cadences.
    case("every value at its edge", EDGES, 0),
]


@pytest.mark.parametrize("notes, tz, code, expected", CASES)
def test_a_hostile_value_is_a_problem_on_its_line_and_every_output_is_made(make_vault, mdnet, monkeypatch,
                                                                          notes, tz, code, expected):
    monkeypatch.setenv("MDNET_NO_CACHE", "1")
    monkeypatch.setenv("TZ", tz)
    root = make_vault(notes)
    got, out, err = mdnet("check", "--vault", str(root))
    assert (got, err) == (code, ""), out
    printed = out.splitlines()
    for line in expected:
        # The line names the note and the value's line; a long value is quoted cut short.
        assert any(line in p and len(p) < 500 for p in printed), (line, [p[:500] for p in printed])
    assert "\x1b" not in out and "\x00" not in out
    for command in (("agenda",), ("agenda", "--format", "json"), ("ics",)):
        got, out, err = mdnet(*command, "--vault", str(root), "--today", TODAY)
        assert got == 0, (command, err)
        assert "Traceback" not in err
        if "json" in command:
            json.loads(out)
        if command == ("ics",):
            assert out.startswith("BEGIN:VCALENDAR") and out.rstrip().endswith("END:VCALENDAR")


def test_the_edges_of_the_ranges_reach_the_feed(make_vault, mdnet, monkeypatch):
    monkeypatch.setenv("MDNET_NO_CACHE", "1")
    root = make_vault(vault(meet=meeting("date: 2999-12-31T23:30\nduration: 10080\n")))
    got, out, _ = mdnet("ics", "--vault", str(root), "--today", TODAY)
    assert got == 0
    assert "DTSTART;TZID=Europe/Madrid:29991231T233000" in out
    assert "DTEND;TZID=Europe/Madrid:30000107T233000" in out
