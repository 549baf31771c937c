"""`mdnet log`: it changes only the properties it sets and keeps every other byte of the note.

A corpus of real-looking notes (comments, flow and block lists, CRLF, a byte-order mark, odd
quoting, nested mappings, block text, Spanish) and a property test over generated notes check
that every line outside the changed keys is identical, and that the note reads back with the new
values through the vault reader.
"""

from __future__ import annotations

import json
import re
import tempfile
from datetime import date
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from mdnet import write
from mdnet.errors import NoteRefused
from mdnet.model import Link
from mdnet.notes import read_note
from mdnet.vault import load

TODAY = date(2026, 11, 21)
CAMPAIGN = "---\ntype: campaign\ngoal: Move into product\ntimezone: Europe/Madrid\n---\n"
ANA = "---\ntype: contact\ncircle: personal\n---\n"
_KEY = re.compile(r"([A-Za-z_][\w-]*)[ \t]*:")


def untouched(data: bytes, changed: set[str]) -> list[bytes]:
    """The note's lines (with their line ends) that belong to no key in `changed`.

    Independent of mdnet: a top-level key owns its line and the indented (or `- `) lines after it;
    a comment at column 0 and blank lines belong to no key; the body belongs to no key."""
    lines = data.splitlines(keepends=True)
    kept, owner, inside = [lines[0]], None, True
    for raw in lines[1:]:
        line = raw.decode("utf-8").rstrip("\r\n")
        if inside and line.rstrip() in ("---", "..."):
            inside, owner = False, None
        elif inside:
            m = _KEY.match(line)
            if m:
                owner = m.group(1).lower()
            elif line.startswith("#"):
                owner = None
            elif not line.strip():
                kept.append(raw)
                continue
            if owner in changed:
                continue
        kept.append(raw)
    return kept




def run_log(root: Path, note: str, **options):
    return write.log(root, note, today=TODAY, **options)


# --- the corpus ----------------------------------------------------------------------------------

OBSIDIAN = """---
type: meeting
with:
  - "[[Ana Núñez]]"
date: 2026-11-20T10:30
status: planned
# what I asked for
ask: advice
referrals:
  - "[[Luis Gil]]"
thanked: false
tags:
  - networking
  - café
---
## Notas  
Hablamos de **tendencias** en producto.   
- Eventos: ProductConf  

Línea final sin salto"""

CRLF_BOM = ("\ufeff---\r\n"
            "type: 'meeting'\r\n"
            "with: ['[[Ana Núñez]]', \"[[Pedro]]\"]   # two people\r\n"
            "date: \"2026-11-20\"\r\n"
            "status: \"planned\"  # change when done\r\n"
            "referrals: ['[[Luis Gil]]']  # flow list\r\n"
            "location: Café: \"Central\"\r\n"
            "---\r\n"
            "Cuerpo con CRLF  \r\n"
            "\r\n"
            "y más.\r\n").replace('location: Café: "Central"', "location: 'Café: \"Central\"'")

NESTED = """---
type: meeting
with: "[[Ana Núñez]]"
date: 2026-11-20
status:    planned
place:
  city: Madrid   # the city
  address: {street: "Gran Vía, 1", floor: 2}
notes: |
  Ask about #product events: keep this.
  # not a comment: part of the text

referrals:   # who she suggested
outcome: [información]
thanked: no
id: 0012
---
Body.
"""

FULL_CALENDAR = """---
title: Café con Ana
allDay: false
startTime: 10:30
endTime: 11:15
date: 2026-11-20
type: single
with:
- '[[Ana Núñez]]'
completed: null
---
"""

ONE_REFERRAL_AS_TEXT = """---
type: meeting
with: ["[[Ana Núñez]]"]
date: 2026-11-20
referrals: "[[Luis Gil]]"
status: planned
status: planeada
---
"""

CONTACT_CRLF = ("---\r\ntype: contact\r\ncircle: profesional\r\nphone: '+34 600 111 222'\r\n"
                "last_contact: 2026-10-01   # a call\r\naliases: [Ana]\r\n---\r\nBody\r\n")


def meeting_vault(make_vault, text: str | bytes, name: str = "2026-11-20 Ana Núñez"):
    files = {"Campaign.md": CAMPAIGN, "Contacts/Ana Núñez.md": ANA, f"Meetings/{name}.md": text}
    return make_vault(files), f"Meetings/{name}.md"


@pytest.mark.parametrize("text", [OBSIDIAN, CRLF_BOM, NESTED, FULL_CALENDAR, ONE_REFERRAL_AS_TEXT],
                         ids=["obsidian", "crlf-bom", "nested", "full-calendar", "referral-as-text"])
def test_log_done_keeps_every_untouched_line(make_vault, text):
    root, rel = meeting_vault(make_vault, text)
    before = (root / rel).read_bytes()
    run_log(root, rel, done=True, referrals=("Marta Ruiz", "Luis Gil"), thanked=True, outcomes=("referral",))
    after = (root / rel).read_bytes()
    assert untouched(after, {"status", "referrals", "thanked", "outcome"}) == \
        untouched(before, {"status", "referrals", "thanked", "outcome"})
    assert after.startswith(b"\xef\xbb\xbf") == before.startswith(b"\xef\xbb\xbf")
    if b"\r\n" in before:  # CRLF stays CRLF, and no lone LF is added
        assert after.count(b"\n") == after.count(b"\r\n")
    m, old = read_note(rel, after).record, read_note(rel, before).record
    assert m.status == "done" and m.thanked
    listed = [link.target for link in old.referrals]
    assert [link.target for link in m.referrals] == listed + [n for n in ("Marta Ruiz", "Luis Gil")
                                                              if n not in listed]  # deduplicated
    assert "referral" in m.outcome
    assert (m.with_, m.when, m.duration, m.location, m.ask) == (old.with_, old.when, old.duration, old.location,
                                                               old.ask)


def test_log_edits_in_place_and_in_the_notes_style(make_vault):
    root, rel = meeting_vault(make_vault, CRLF_BOM)
    run_log(root, rel, done=True, referrals=("Marta Ruiz",))
    text = (root / rel).read_bytes().decode("utf-8")
    assert "status: done  # change when done\r\n" in text  # the comment after the value stays
    assert "referrals: ['[[Luis Gil]]', \"[[Marta Ruiz]]\"]  # flow list\r\n" in text  # flow stays flow


def test_log_adds_block_items_with_the_lists_own_indent(make_vault):
    root, rel = meeting_vault(make_vault, FULL_CALENDAR)
    run_log(root, rel, done=True, referrals=("Marta Ruiz",))
    text = (root / rel).read_text(encoding="utf-8")
    # `with` uses items at column 0: the new list follows the note's own style.
    assert text.endswith("completed: null\nstatus: done\nreferrals:\n- \"[[Marta Ruiz]]\"\n---\n")


def test_log_empty_value_with_a_comment(make_vault):
    root, rel = meeting_vault(make_vault, NESTED)
    run_log(root, rel, referrals=("Marta Ruiz",), next_follow_up=date(2026, 12, 1))
    text = (root / rel).read_text(encoding="utf-8")
    assert "referrals:   # who she suggested\n  - \"[[Marta Ruiz]]\"\noutcome:" in text
    assert "status:    planned\n" in text  # not asked to change
    assert text.endswith("id: 0012\nnext_follow_up: 2026-12-01\n---\nBody.\n")


@pytest.mark.parametrize("odd", [
    "location: Café\t",  # a tab after a value, which YAML 1.2 refuses
    "location: Café\u2028Central",  # a line break to YAML 1.1
])
def test_log_edits_a_note_exactly_when_the_reader_reads_it(odd):
    # Front matter is found and parsed as the reader does, whichever YAML the note is closer to.
    rel = "Meetings/2026-11-20 Ana Núñez.md"
    data = f"---\ntype: meeting\nwith: '[[Ana]]'\n{odd}\ndate: 2026-11-20\n---\n".encode()
    if any(p.severity == "error" for p in read_note(rel, data).problems):
        with pytest.raises(NoteRefused, match="does not parse as YAML"):
            write.edit.edit(data, rel, {"status": "done"})
    else:
        assert write.edit.edit(data, rel, {"status": "done"}) == data.replace(b"\n---\n", b"\nstatus: done\n---\n")


def test_log_on_a_key_written_twice_edits_the_one_that_counts(make_vault):
    root, rel = meeting_vault(make_vault, ONE_REFERRAL_AS_TEXT)
    run_log(root, rel, cancel=True)
    text = (root / rel).read_text(encoding="utf-8")
    assert "status: planned\nstatus: cancelled\n" in text
    assert read_note(rel, text.encode()).record.status == "cancelled"


def test_log_contacted_on_a_contact(make_vault):
    root = make_vault({"Campaign.md": CAMPAIGN, "Contacts/Ana Núñez.md": CONTACT_CRLF.encode()})
    report = run_log(root, "ana nunez", contacted=True, next_follow_up=date(2026, 12, 15))
    data = (root / "Contacts/Ana Núñez.md").read_bytes()
    assert data == CONTACT_CRLF.replace("last_contact: 2026-10-01   # a call",
                                        "last_contact: 2026-11-21   # a call").replace(
        "---\r\nBody", "next_follow_up: 2026-12-15\r\n---\r\nBody").encode()
    assert report.lines == ("Contacts/Ana Núñez.md: last_contact: 2026-11-21; next_follow_up: 2026-12-15",)


def test_log_contacted_on_a_day(make_vault, mdnet):
    root = make_vault({"Campaign.md": CAMPAIGN, "Contacts/Ana Núñez.md": CONTACT_CRLF.encode()})
    code, out, err = mdnet("log", "Ana", "--vault", str(root), "--today", "2026-11-21", "--contacted",
                           "--on", "2026-11-18")
    assert code == 0, err
    assert out == "Contacts/Ana Núñez.md: last_contact: 2026-11-18\n"
    assert load(root).contacts[0].last_contact == date(2026, 11, 18)
    before = snapshot(root)
    # An earlier day than the note holds changes nothing; a day ahead or --on alone is refused.
    code, out, err = mdnet("log", "Ana", "--vault", str(root), "--today", "2026-11-21", "--contacted",
                           "--on", "2026-11-02")
    assert (code, out) == (0, "Contacts/Ana Núñez.md: last_contact stays 2026-11-18, later than 2026-11-02\n")
    code, _, err = mdnet("log", "Ana", "--vault", str(root), "--today", "2026-11-21", "--contacted",
                         "--on", "2026-11-22")
    assert code == 2 and "--on 2026-11-22 is after today (2026-11-21)" in err
    code, _, err = mdnet("log", "Ana", "--vault", str(root), "--on", "2026-11-20")
    assert code == 2 and "give --contacted too" in err
    assert snapshot(root) == before


def test_log_thanked_on_a_day(make_vault):
    root, rel = meeting_vault(make_vault, OBSIDIAN)
    run_log(root, rel, thanked=date(2026, 11, 20), thanked_referrer=True)
    text = (root / rel).read_text(encoding="utf-8")
    assert "thanked: 2026-11-20\n" in text and text.count("thanked_referrer: true\n") == 1
    m = read_note(rel, text.encode()).record
    assert m.thanked and m.thanked_referrer


# --- referrals become contacts ---------------------------------------------------------------

def test_a_new_referral_becomes_a_contact_and_an_existing_one_is_only_linked(make_vault, mdnet):
    """Only a name that means no contact gets a note (referred by the meeting's first person, and
    professional, so it raises no warning); a contact named by name, alias or without accents is
    linked in `referrals` and its note is left byte for byte."""
    root, rel = meeting_vault(make_vault, OBSIDIAN)
    existing = {
        "Contacts/Luis Gil.md": "---\ntype: contact\ncircle: professional\n# no referrer yet\n---\n",
        "Contacts/Pedro.md": "---\ntype: contact\nreferred_by: \"[[Eva]]\"\n---\n",
        "Contacts/José Pérez.md": "---\ntype: contact\ncircle: personal\n---\n",
        "Contacts/Lucía Fernández.md": "---\ntype: contact\ncircle: personal\nrelation: childhood friend\n---\n",
    }
    for path, text in existing.items():
        (root / path).write_text(text, encoding="utf-8")
    report = run_log(root, "2026-11-20 ana", done=True, referrals=("[[Marta Ruiz]]", "luis gil", "Pedro",
                                                                   "Jose Perez", "Lucia Fernandez"))
    for path, text in existing.items():
        assert (root / path).read_text(encoding="utf-8") == text
    assert report.lines == (
        "Meetings/2026-11-20 Ana Núñez.md: status: done; referrals: + [[Marta Ruiz]], + [[Pedro]], "
        "+ [[José Pérez]], + [[Lucía Fernández]]; [[Luis Gil]] already in referrals",
        "created Contacts/Marta Ruiz.md, referred by [[Ana Núñez]]",
    )
    vault = load(root)
    marta = next(c for c in vault.contacts if c.name == "Marta Ruiz")
    assert (marta.referred_by.contact, marta.circle, marta.created) == ("Contacts/Ana Núñez.md", "professional", TODAY)
    meeting = next(m for m in vault.meetings if m.path == rel)
    assert [link.contact for link in meeting.referrals] == [
        "Contacts/Luis Gil.md", "Contacts/Marta Ruiz.md", "Contacts/Pedro.md", "Contacts/José Pérez.md",
        "Contacts/Lucía Fernández.md"]
    code, out, _ = mdnet("check", "--vault", str(root))
    assert "Marta Ruiz" not in out and "José Pérez" not in out  # the new note and the links raise nothing


def test_a_second_log_changes_nothing(make_vault):
    root, rel = meeting_vault(make_vault, OBSIDIAN)
    run_log(root, rel, done=True, referrals=("Marta Ruiz",), thanked=True)
    first = {p: p.read_bytes() for p in root.rglob("*.md")}
    report = run_log(root, rel, done=True, referrals=("marta ruiz",), thanked=True)
    assert {p: p.read_bytes() for p in root.rglob("*.md")} == first
    assert report.written == ()


def test_log_never_undoes_an_edit_saved_meanwhile(make_vault, mdnet, monkeypatch):
    """Obsidian saves the note after mdnet read it and before it writes: mdnet writes nothing, not
    even the referral's contact note, and says to run the command again."""
    root, rel = meeting_vault(make_vault, OBSIDIAN)
    real = write.edit.edit

    def saved_meanwhile(data, path, *args, **kwargs):
        result = real(data, path, *args, **kwargs)
        (root / rel).write_bytes(data + b"\ntyped in Obsidian\n")
        return result

    monkeypatch.setattr(write.edit, "edit", saved_meanwhile)
    before = snapshot(root)
    with pytest.raises(NoteRefused, match="changed while mdnet was editing it; nothing was written") as e:
        run_log(root, rel, done=True, referrals=("Marta Ruiz",))
    assert e.value.advice.startswith("Run the command again")
    assert snapshot(root) == {**before, rel: before[rel] + b"\ntyped in Obsidian\n"}
    code, _, err = mdnet("log", rel, "--vault", str(root), "--done")
    assert code == 6 and "changed while mdnet was editing it" in err and "Run the command again" in err


def test_a_note_changed_after_the_first_check_is_still_not_written_over(make_vault, monkeypatch):
    """Each note is checked once more just before it is renamed into place."""
    root, rel = meeting_vault(make_vault, OBSIDIAN)
    note = root / rel

    def sweep(folder):  # what runs between the first check and the writes
        if folder == note.parent:
            note.write_bytes(b"saved at the last moment\n")

    monkeypatch.setattr(write.files, "sweep", sweep)
    with pytest.raises(NoteRefused, match="changed while mdnet was editing it; nothing more was written"):
        run_log(root, rel, done=True)
    assert note.read_bytes() == b"saved at the last moment\n"


# --- the note acted on (see test_names_resolve.py) ------------------------------------------------

def test_meeting_options_on_a_contact_name_the_meetings(make_vault):
    root, _ = meeting_vault(make_vault, OBSIDIAN)
    with pytest.raises(NoteRefused) as e:
        run_log(root, "Ana Núñez", done=True)
    assert "Ana Núñez is a contact; --done records a meeting" in str(e.value)
    assert e.value.advice == "Their meetings: 2026-11-20 Ana Núñez."


# --- refusals leave the vault unchanged -------------------------------------------------------

def snapshot(root: Path) -> dict:
    """Every file of the vault but mdnet's own index cache."""
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*")
            if p.is_file() and ".mdnet" not in p.relative_to(root).parts}


@pytest.mark.parametrize("text", [
    "---\ntype: meeting\nwith: [\"[[Ana Núñez]]\"\ndate: 2026-11-20\n---\n",  # unclosed flow list
    "---\ntype: meeting\nwith: \"[[Ana Núñez]]\"\n\tdate: 2026-11-20\n---\n",  # a tab
    "---\ntype: meeting\nwith: \"[[Ana Núñez]]\"\ndate: 2026-11-20\n",  # not closed
    b"---\ntype: meeting\nwith: \"[[Ana N\xfa\xf1ez]]\"\n---\n",  # Latin-1, not UTF-8
])
def test_a_note_that_does_not_parse_is_refused_not_rewritten(make_vault, mdnet, text):
    root, rel = meeting_vault(make_vault, text)
    before = snapshot(root)
    code, out, err = mdnet("log", rel, "--vault", str(root), "--done", "--referral", "Marta")
    assert code == 6, err
    assert "fix it" in err.lower() and "Traceback" not in err
    assert snapshot(root) == before


def test_referrals_written_as_a_mapping_are_refused(make_vault):
    root, rel = meeting_vault(make_vault, "---\ntype: meeting\nwith: '[[Ana Núñez]]'\ndate: 2026-11-20\n"
                                          "referrals:\n  first: Luis\n---\n")
    before = snapshot(root)
    with pytest.raises(NoteRefused, match="'referrals' is a mapping, not a list"):
        run_log(root, rel, done=True, referrals=("Marta",))
    assert snapshot(root) == before


def test_refused_referral_name_writes_nothing(make_vault, mdnet):
    root, rel = meeting_vault(make_vault, OBSIDIAN)
    before = snapshot(root)
    code, _, err = mdnet("log", rel, "--vault", str(root), "--done", "--referral", "Marta/../x")
    assert code == 6
    assert "holds '/'" in err
    assert snapshot(root) == before


def test_cli_log_prints_the_changes_and_usage_errors(make_vault, mdnet):
    root, rel = meeting_vault(make_vault, OBSIDIAN)
    code, out, err = mdnet("log", "2026-11-20 ana", "--vault", str(root), "--today", "2026-11-21",
                           "--done", "--thanked", "--outcome", "información", "--referral", "Marta Ruiz")
    assert code == 0, err
    assert out.splitlines() == [
        "Meetings/2026-11-20 Ana Núñez.md: status: done; thanked: true; referrals: + [[Marta Ruiz]]; "
        "outcome: + information",
        "created Contacts/Marta Ruiz.md, referred by [[Ana Núñez]]",
    ]
    assert mdnet("log", rel, "--vault", str(root))[0] == 2
    assert mdnet("log", rel, "--vault", str(root), "--done", "--cancel")[0] == 2
    assert mdnet("log", rel, "--vault", str(root), "--outcome", "fame")[0] == 2
    assert not list(root.rglob(".*.tmp"))  # atomic writes leave no temporary file


# --- the property: any note, any untouched content -----------------------------------------------

_WORD = st.text(alphabet="abcdefghijklmnñopqrstuvwxyzáéíóúüÁÉÑ", min_size=1, max_size=8)
_TEXT = st.lists(_WORD, min_size=1, max_size=4).map(" ".join)
_ANY = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs", "Cc", "Zl", "Zp")),
               max_size=20)
_KEYS = st.sampled_from(["company", "role", "location", "notes", "tags", "aliases", "id", "duration",
                         "ask", "format", "mood", "x-custom", "Place", "link"])


@st.composite
def value(draw) -> str:
    """The text after `key:` — on the same line or below it — in one of YAML's forms."""
    kind = draw(st.sampled_from(["plain", "single", "double", "int", "date", "flow", "block", "map",
                                 "literal", "empty"]))
    if kind == "plain":
        return " " + draw(_TEXT)
    if kind == "single":
        return " '" + draw(_ANY).replace("'", "''") + "'"
    if kind == "double":
        return " " + json.dumps(draw(_ANY), ensure_ascii=False)
    if kind == "int":
        return f" {draw(st.integers(-10, 10**6))}"
    if kind == "date":
        return f" {draw(st.dates()).isoformat()}"
    if kind == "flow":
        return " [" + ", ".join(json.dumps(x, ensure_ascii=False) for x in draw(st.lists(_ANY, max_size=3))) + "]"
    if kind == "block":
        prefix = draw(st.sampled_from(["  - ", "- ", "    - "]))
        return "".join(f"\n{prefix}{json.dumps(x, ensure_ascii=False)}" for x in draw(st.lists(_ANY, min_size=1,
                                                                                          max_size=3)))
    if kind == "map":
        return "".join(f"\n  {k}: {json.dumps(v, ensure_ascii=False)}"
                       for k, v in draw(st.dictionaries(_WORD, _ANY, min_size=1, max_size=3)).items())
    if kind == "literal":
        return " |\n" + "\n".join(f"  {line}" for line in draw(st.lists(_TEXT, min_size=1, max_size=3)))
    return ""


def comment(draw) -> str:
    return draw(st.sampled_from(["", "", f"  # {draw(_TEXT)}"]))


@st.composite
def meeting_note(draw) -> tuple[str, str]:
    """A meeting note with random untouched keys, comments, forms of status/referrals, and body."""
    blocks = [
        "type: meeting",
        draw(st.sampled_from(['with: "[[Ana]]"', "with: ['[[Ana]]']", 'with:\n  - "[[Ana]]"', "with: Ana"])),
        draw(st.sampled_from(["date: 2026-11-20", "date: '2026-11-20T10:30'"])),
    ]
    status = draw(st.sampled_from([None, "status: planned", 'status: "planned"', "status:", "status: planeada",
                                   "status: ~"]))
    referrals = draw(st.sampled_from([None, "referrals: []", "referrals:", 'referrals: ["[[Luis]]"]',
                                      'referrals:\n  - "[[Luis]]"', "referrals:\n- '[[Luis]]'",
                                      "referrals: '[[Luis]]'"]))
    blocks += [b for b in (status, referrals) if b is not None]
    for key in draw(st.lists(_KEYS, unique=True, max_size=5)):
        blocks.append(f"{key}:{draw(value())}")
    blocks = draw(st.permutations(blocks))
    lines = []
    for block in blocks:
        if draw(st.booleans()):
            lines.append(draw(st.sampled_from(["", f"# {draw(_TEXT)}", "#"])))
        first, *rest = block.split("\n")
        lines.append(first + ("" if first.endswith("|") else comment(draw)))
        lines += rest
    body = draw(st.lists(st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")),
                                 max_size=30).map(lambda s: s.replace("\u2028", "").replace("\u2029", "")
                                                  .replace("\x85", "")), max_size=4))
    newline = draw(st.sampled_from(["\n", "\r\n"]))
    bom = draw(st.sampled_from(["", "\ufeff"]))
    text = bom + newline.join(["---", *lines, "---", *body]) + draw(st.sampled_from(["", newline]))
    return text, draw(st.sampled_from(["Marta Ruiz", "José Núñez", "O'Neil", "Zoë", "Luis"]))


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(meeting_note())
def test_log_done_with_a_referral_changes_only_those_keys(case):
    text, referral = case
    data = text.encode("utf-8")
    rel = "Meetings/2026-11-20 Ana.md"
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        (root / "Meetings").mkdir()
        (root / rel).write_bytes(data)
        run_log(root, rel, done=True, referrals=(referral,))
        after = (root / rel).read_bytes()
        contact = load(root).contacts
    assert untouched(after, {"status", "referrals"}) == untouched(data, {"status", "referrals"})
    if "\r\n" in text:
        assert after.count(b"\n") == after.count(b"\r\n")
    old, new = read_note(rel, data), read_note(rel, after)
    assert new.record.status == "done"
    targets = [link.target for link in new.record.referrals]
    assert targets.count(referral) == 1 and set(targets) == {link.target for link in old.record.referrals} | {referral}
    assert {k: v for k, v in _fields(new.record).items() if k not in ("status", "referrals")} == \
        {k: v for k, v in _fields(old.record).items() if k not in ("status", "referrals")}
    assert {p.message for p in new.problems} <= {p.message for p in old.problems}
    assert [c.name for c in contact if c.name == referral] == [referral]


def _fields(record) -> dict:
    """A record's values, links reduced to their targets (their lines move when lines are added)."""
    def plain(v):
        return tuple(plain(x) for x in v) if isinstance(v, tuple) else v.target if isinstance(v, Link) else v

    return {name: plain(getattr(record, name)) for name in record.__slots__}


def test_reaching_out_is_recorded_and_the_agenda_waits_for_the_answer(make_vault, mdnet):
    root = make_vault({"Campaign.md": "---\ntype: campaign\ntimezone: Europe/Madrid\nstart: 2026-10-01\n---\n",
                       "Contacts/Miguel Herrera.md": "---\ntype: contact\ncircle: professional\ncloseness: 1\n---\n"})

    def actions() -> list[tuple[str, str]]:
        code, out, _ = mdnet("agenda", "--vault", str(root), "--today", "2026-11-27", "--format", "json",
                             "--days", "30")
        assert code == 0
        return [(a["kind"], a["due"]) for a in json.loads(out)["actions"] if a["contact"] == "Miguel Herrera"]

    assert actions() == [("first-meeting", "2026-11-27")]
    code, _, err = mdnet("log", "Miguel Herrera", "--vault", str(root), "--today", "2026-11-27", "--contacted",
                         "--next", "2026-12-05")
    assert code == 0, err
    assert actions() == [("follow-up", "2026-12-05")]


def test_a_meeting_ahead_cannot_be_logged_done(make_vault, mdnet):
    meeting = "---\ntype: meeting\nwith: \"[[Ana]]\"\ndate: 2026-12-01T10:00\n---\n"
    root = make_vault({"Campaign.md": "---\ntype: campaign\ntimezone: Europe/Madrid\n---\n",
                       "Contacts/Ana.md": "---\ntype: contact\ncircle: personal\n---\n", "Meetings/m.md": meeting})
    code, _, err = mdnet("log", "Meetings/m", "--vault", str(root), "--today", "2026-11-27", "--done")
    assert code == 2 and "cannot be done yet" in err
    assert (root / "Meetings/m.md").read_text(encoding="utf-8") == meeting
    assert mdnet("log", "Meetings/m", "--vault", str(root), "--today", "2026-12-01", "--done")[0] == 0
