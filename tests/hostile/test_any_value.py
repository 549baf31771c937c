"""Any value at all: every converter gives a value or `fields.Bad`, and whole notes of hostile
values leave every command standing (exit 0, or 1 from `check` on errors) without a traceback."""

from __future__ import annotations

import json
import tempfile
import zoneinfo
from datetime import date, datetime, timedelta
from pathlib import Path

from conftest import write_vault
from hypothesis import HealthCheck, assume, given, settings, strategies as st

from mdnet import fields, frontmatter, notes
from mdnet.model import NoteResult

# Every converter the reader uses, by the tables that name them, and the link fields read apart.
CONVERTERS = {
    f"{kind}.{key}": convert
    for kind, table in (("campaign", notes._CAMPAIGN), ("contact", notes._CONTACT), ("meeting", notes._MEETING))
    for key, (_, convert) in table.items()
} | {
    "links": fields.links("with", 4, [5, 6, 7, 8]),
    "outcome": fields.enum(fields.OUTCOMES, "outcome"),
    "ask": fields.text,
    "aliases": fields.texts,
}

ZONES = sorted(zoneinfo.available_timezones())
FOLDERS = sorted({z.split("/")[0] for z in ZONES if "/" in z})


def digits(low: int, high: int) -> st.SearchStrategy[str]:
    return st.integers(low, high).map(str) | st.integers(low, high).map(lambda n: f"{n:02d}")


# Dates, times and offsets of every size: years 0 to 99999, months and days to 99, offsets to ±99:99.
offsets = st.one_of(st.just(""), st.just("Z"), st.builds(
    lambda sign, h, colon, m: f"{sign}{h}{colon}{m}", st.sampled_from("+-"), digits(0, 99), st.sampled_from(["", ":"]),
    st.sampled_from(["", "00", "30", "45", "59", "60", "99"])))
days = st.builds(lambda y, m, d: f"{y:04d}-{m}-{d}", st.integers(0, 99999), digits(0, 99), digits(0, 99))
moments = days | st.builds(
    lambda day, sep, h, m, s, offset: f"{day}{sep}{h}:{m}{s}{offset}", days, st.sampled_from("T "),
    digits(0, 99), digits(0, 99), st.sampled_from(["", ":00", ":59", ":60", ":07.123456789"]), offsets)
times = st.builds(lambda h, m: f"{h}:{m}", digits(0, 999), digits(0, 99))
# Whole numbers of every size, past Python's 4,300 digits, signed, zero-padded, in hours and minutes.
numbers = st.one_of(
    st.integers().map(str),
    st.integers(-(10**30), 10**30).map(lambda n: f"{n:+d}"),
    st.integers(0, 6000).map(lambda n: "9" * n),
    st.builds(lambda sign, zeros, n: f"{sign}{'0' * zeros}{n}", st.sampled_from(["", "-", "+"]),
              st.integers(0, 5000), st.integers(0, 10**12)),
    st.builds(lambda h, m: f"{h}:{m}", st.integers(0, 10**20) | st.integers(0, 6000).map(lambda n: "9" * n),
              digits(0, 99)),
)
zones = st.sampled_from(ZONES) | st.sampled_from(FOLDERS) | st.sampled_from(
    ["posixrules", "posix/Europe/Madrid", "right/UTC", "../Europe/Madrid", "/etc/localtime", "Europe/", "zone.tab",
     "A" * 3000, "Europe/Madrid\x00", ""])
hostile = st.one_of(st.text(), moments, times, numbers, zones)

# The values YAML gives the converters: text, and lists and mappings of it (nesting is capped at 30).
nodes = st.recursive(hostile, lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner,
                                                                                              max_size=2), max_leaves=6)


def holds(value) -> None:
    """A value a converter gives is one the engine and the feed can add days to."""
    if isinstance(value, date):
        assert fields.FIRST_YEAR <= value.year <= fields.LAST_YEAR
        value + timedelta(days=3651)
        value - timedelta(days=1)
    if isinstance(value, datetime) and value.tzinfo is not None:
        assert abs(value.utcoffset()) <= fields.MAX_OFFSET
        value.astimezone(zoneinfo.ZoneInfo("Pacific/Kiritimati"))
    if isinstance(value, int) and not isinstance(value, bool):
        assert -(10**9) < value < 10**9
    if isinstance(value, str) and value in ZONES:
        zoneinfo.ZoneInfo(value)


@settings(max_examples=600, deadline=None)
@given(st.sampled_from(sorted(CONVERTERS)), nodes)
def test_every_converter_gives_a_value_or_bad(name, node):
    try:
        value = CONVERTERS[name](node)
    except fields.Bad as e:
        assert e.severity in ("error", "warning") and len(str(e)) < 1000
    else:
        for part in (value if isinstance(value, tuple) else (value,)):
            holds(part)


@settings(max_examples=600, deadline=None)
@given(st.sampled_from(sorted(CONVERTERS)), st.text())
def test_every_converter_gives_a_value_or_bad_for_any_text(name, text):
    try:
        holds(CONVERTERS[name](text))
    except fields.Bad:
        pass


# --- whole notes --------------------------------------------------------------------------------

CAMPAIGN_KEYS = ["timezone", "meetings_per_week", "referrals_per_meeting", "follow_up_days", "thank_within_days",
                 "start", "end", "locale", "feed_private", "status", "goal", "pitch"]
CONTACT_KEYS = ["closeness", "follow_up_every", "next_follow_up", "last_contact", "created", "status", "circle",
                "referred_by", "email", "phone", "id"]
MEETING_KEYS = ["date", "startTime", "endTime", "allDay", "duration", "status", "thanked", "thanked_referrer",
                "next_follow_up", "referrals", "outcome", "ask", "format", "location", "id"]

extremes = st.sampled_from([
    "9" * 5000, "-" + "9" * 5000, "99999999999", "-1", "0", "0001-01-01T00:30+05:00", "0001-01-01", "9999-12-31",
    "9999-12-31T23:59-14:00", "2999-12-31T23:30", "1900-01-01T00:00+14:00", "2026-12-05T10:00+25:00",
    "2026-12-05T10:00-24:00", "0000-01-01", "2026-02-30", "Europe", "America", "A" * 3000, "x" * 100_000,
    "\x1b[2J", "a\x07b", "\u202eevil", "[[Ana]]", "10080", "99999999999:00", "done", "true",
])
values = st.one_of(extremes, moments, numbers, zones, st.text(max_size=40))


def yaml_value(value: str, quoted: bool) -> str:
    """As written in front matter: plain (YAML may refuse it: then that note's error is what is
    tested), or double-quoted, which carries any character through YAML to the converter."""
    return json.dumps(value) if quoted else value.replace("\n", " ")


def front_matter(head: str, props: dict[str, tuple[str, bool]]) -> str:
    return "---\n" + head + "".join(f"{key}: {yaml_value(*v)}\n" for key, v in props.items()) + "---\n"


def props(keys: list[str]) -> st.SearchStrategy[dict[str, tuple[str, bool]]]:
    return st.dictionaries(st.sampled_from(keys), st.tuples(values, st.booleans()), max_size=6)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                 HealthCheck.too_slow, HealthCheck.data_too_large])
@given(props(CAMPAIGN_KEYS), props(CONTACT_KEYS), props(MEETING_KEYS), props(MEETING_KEYS), zones)
def test_no_note_stops_a_command(mdnet, monkeypatch, campaign, contact, planned, done, machine_zone):
    monkeypatch.setenv("MDNET_NO_CACHE", "1")
    monkeypatch.setenv("TZ", machine_zone.replace("\x00", ""))
    with tempfile.TemporaryDirectory() as tmp:
        root = write_vault(Path(tmp) / "Vault", {
            "Campaña.md": front_matter("type: campaign\n", campaign),
            "Contactos/Ana.md": front_matter("type: contact\n", contact),
            "Reuniones/planned.md": front_matter('type: meeting\nwith: "[[Ana]]"\n', planned),
            "Reuniones/done.md": front_matter('type: meeting\nwith: "[[Ana]]"\nstatus: done\n', done),
        })
        code, out, err = mdnet("check", "--vault", str(root))
        assert code in (0, 1) and "Traceback" not in err, err
        for command in (("agenda",), ("agenda", "--format", "json"), ("ics",)):
            code, out, err = mdnet(*command, "--vault", str(root), "--today", "2026-11-27")
            assert code == 0 and "Traceback" not in err, (command, err)


# --- every date and time field, as the reader reads a note ---------------------------------------

# (kind, property, what a note needs besides it, the value read): each date or time field of the
# SPEC's tables, the checkboxes that also take a date, and a meeting's time fields.
TIMED = "date: 2026-11-20T10:00\n"
DATE_FIELDS = [
    ("campaign", "start", "", lambda r: r.start),
    ("campaign", "end", "", lambda r: r.end),
    ("contact", "next_follow_up", "", lambda r: r.next_follow_up),
    ("contact", "last_contact", "", lambda r: r.last_contact),
    ("contact", "created", "", lambda r: r.created),
    ("meeting", "date", "", lambda r: r.when),
    ("meeting", "startTime", "date: 2026-11-20\n", lambda r: r.when if isinstance(r.when, datetime) else None),
    ("meeting", "endTime", TIMED, lambda r: r.duration),
    ("meeting", "allDay", TIMED, lambda r: r.when),
    ("meeting", "next_follow_up", TIMED, lambda r: r.next_follow_up),
    ("meeting", "thanked", TIMED, lambda r: r.thanked),
    ("meeting", "thanked_referrer", TIMED, lambda r: r.thanked_referrer),
]
junk = st.one_of(moments, times, offsets, extremes, st.text(max_size=30),
                 st.builds(lambda day, junk: f"{day}{junk}", days, st.text(max_size=6)))


@settings(max_examples=800, deadline=None)
@given(st.sampled_from(DATE_FIELDS), junk, st.booleans(),
       st.sampled_from(["Europe/Madrid", "Pacific/Kiritimati", "Pacific/Pago_Pago", "America/St_Johns", "UTC"]))
def test_every_date_and_time_field_is_a_value_or_a_problem_on_its_line(field, value, quoted, zone):
    from mdnet import vault
    from mdnet.model import CODES

    kind, key, needs, read = field
    # Written plain, a character YAML takes for a line break would put the value on lines of its own.
    assume(quoted or not any(c in value for c in "\r\x85\u2028\u2029"))
    head = f'type: {kind}\n' + ('with: "[[Ana]]"\n' if kind == "meeting" else "") + needs
    line = 2 + head.count("\n")  # the opening `---` is line 1
    path = {"campaign": "Campaign.md", "contact": "Contacts/Ana.md", "meeting": "Meetings/m.md"}[kind]
    data = f"---\n{head}{key}: {yaml_value(value, quoted)}\n---\n".encode("utf-8", "surrogatepass")
    read_as = frontmatter.properties(path, data, kind)
    if not isinstance(read_as, NoteResult):  # an empty value (`start:`, `start: # a comment`) is no value
        assume(read_as[0].get(key.lower()) is None or read_as[0][key.lower()].value not in ("", []))
    r = notes.read_note(path, data)
    # YAML that ends unfinished (`start: {`) may be told only where the text ends, the next line.
    on_line = [p for p in r.problems if p.line == line or p.code == "bad-yaml" and p.line == line + 1]
    assert all(p.code in CODES and p.path == path and p.line is not None for p in r.problems)
    assert on_line or (r.record is not None and read(r.record) is not None), (value, r.problems)
    # And the vault it is part of assembles, its meetings placed in the campaign's zone.
    campaign = notes.read_note("Campaign.md", f"---\ntype: campaign\ngoal: g\ntimezone: {zone}\n---\n".encode())
    assembled = vault.assemble("v", [r, campaign] if kind != "campaign" else [r])
    for m in assembled.meetings:  # an offset moves a day by one at most, which the bounds leave room for
        assert fields.FIRST_YEAR - 1 <= m.date.year <= fields.LAST_YEAR + 1
        m.date + timedelta(days=3651), m.date - timedelta(days=8)  # what the engine and the feed add
