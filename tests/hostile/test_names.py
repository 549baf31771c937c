"""Names from the vault (file names, links as written) and names given to `new` and `log`: a name
holding a line break, a control, zero-width or direction character is reported by `check` and
refused by `new`; every name printed into Markdown stays one name on its line, never markup."""

from __future__ import annotations

import json
import os
import re
from datetime import date
from pathlib import Path

import pytest

from mdnet import agenda, listing, pipeline, write
from mdnet.model import Problem
from mdnet.vault import load

TODAY = date(2026, 11, 27)
CAMPAIGN = "---\ntype: campaign\ngoal: Product\ntimezone: Europe/Madrid\nlocale: en\nmeetings_per_week: 20\n---\n"
CONTACT = "---\ntype: contact\ncircle: personal\n---\n"

# Every character a name may not hold, by what it does.
BREAKS = ["\n", "\r", "\r\n", "\x85", "\u2028", "\u2029", "\x0b", "\x0c"]
CONTROLS = ["\x00", "\x1b", "\t", "\x7f", "\x9b"]
ZERO_WIDTH = ["\u200b", "\u200c", "\u200d", "\u2060", "\ufeff"]
DIRECTION = ["\u202a", "\u202b", "\u202c", "\u202d", "\u202e", "\u2066", "\u2067", "\u2068", "\u2069"]
HIDDEN = BREAKS + CONTROLS + ZERO_WIDTH + DIRECTION
IDS = ["+".join(f"U+{ord(c):04X}" for c in chars) for chars in HIDDEN]

HOSTILE_VAULT = {
    "Campaign.md": CAMPAIGN,
    "Contacts/Ana\n# Hacked.md": CONTACT,
    "Contacts/Eva\u2028## Forged.md": CONTACT,
    "Contacts/Luis\r\n- **Fake** line.md": CONTACT,
    "Contacts/Rita\x85### NEL.md": CONTACT,
    "Contacts/Sol\u202elive.md": CONTACT,
    "Contacts/Tom\u200bGil.md": CONTACT,
    "Contacts/Bea *x* _y_ `z` <b>i.md": (
        "---\ntype: contact\ncircle: professional\nrelation: \"boss\\n# Relation\"\ncompany: \"<i>Acme</i>\"\n"
        "referred_by: \"[[Sol\u202elive]]\"\n---\n"),
    "Contacts/Plain.md": CONTACT,
    "Contacts/Ana\n# Hacked/Dan.md": CONTACT,  # a folder's name
    # Planned with Bea: its brief names her, her relation and who referred her.
    "Meetings/2026-11-28 Bea.md": (
        "---\ntype: meeting\nwith: \"[[Bea *x* _y_ `z` <b>i]]\"\ndate: 2026-11-28T10:00\n---\n"),
    # Done, with names given as links that hold line breaks and markup.
    "Meetings/2026-11-20 Plain\n# Sneaky.md": (
        "---\ntype: meeting\nwith: \"[[Plain]]\"\ndate: 2026-11-20T10:00\nstatus: done\n"
        "referrals: [\"[[Pepe\\L- Evil item]]\", \"[[Zoe\\n> quote **bold** <b>x]]\",\n"
        "  \"[[Max\\N## NEL heading]]\"]\n---\n"),
}
# What would show that a name became Markdown of its own.
FORGED = ("Hacked", "Forged", "Fake", "NEL", "Relation", "Evil", "quote", "Sneaky")



def snapshot(root: Path) -> dict:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*")
            if p.is_file() and ".mdnet" not in p.relative_to(root).parts}


# --- the agenda and the page ---------------------------------------------------------------------

def test_hostile_names_add_no_heading_no_line_and_no_markup_to_the_agenda(mdnet, make_vault, monkeypatch, capsys):
    root = make_vault(HOSTILE_VAULT)
    code, text, err = mdnet("agenda", "--vault", str(root), "--today", TODAY.isoformat())
    assert code == 0, err
    code, out, _ = mdnet("agenda", "--vault", str(root), "--today", TODAY.isoformat(),
                            "--format", "json")
    actions = json.loads(out)["actions"]
    lines = text.split("\n")
    # Zero-width characters are kept, in links that reach their notes: they neither add nor reorder.
    assert not any(c in text for c in BREAKS + CONTROLS + DIRECTION if c != "\n")
    # One line per action, and the agenda's own headings only.
    assert sum(line.startswith("- **") for line in lines) == len(actions) > 10
    headings = [line for line in lines if line.startswith("#")]
    assert headings[0].startswith("# Agenda — ") and not any(h.startswith("# ") for h in headings[1:])
    assert [h for h in headings if h.startswith("## ")] == [
        "## Progress", "## Overdue", "## Today", "## The next 7 days", "## Before each meeting"]
    # A forged word is only ever inside a line the agenda began: an action, a brief's line or heading.
    for line in lines:
        if any(word in line for word in FORGED):
            assert line.startswith(("- **", "### ", "- Bea")), line
    # Shown as written: markup escaped, line breaks as spaces, the direction override left out.
    assert r"[[Contacts/Bea \*x\* \_y\_ \`z\` \<b\>i|" not in text  # a link's target is kept as it is
    assert "[[Contacts/Bea *x* _y_ `z` <b>i|Bea *x* _y_ `z` <b>i]]" in text
    assert r"Zoe \> quote \*\*bold\*\* \<b\>x" in text and "Pepe - Evil item" in text
    assert "Ana \\# Hacked" in text and "Luis  - \\*\\*Fake\\*\\* line" in text
    assert r"- Bea \*x\* \_y\_ \`z\` \<b\>i: boss \# Relation (\<i\>Acme\</i\>)" in text
    assert "Sollive gave you this name" in text


def test_hostile_names_are_text_on_the_page(make_vault):
    root = make_vault(HOSTILE_VAULT)
    page = agenda.render_html(pipeline.run(root, TODAY, 7))
    assert not re.search(r"<h\d>[^<]*(" + "|".join(FORGED) + ")", page)
    assert "<b>" not in page and "<i>" not in page and "<em>" not in page and "<blockquote>" not in page
    assert "Zoe &gt; quote **bold** &lt;b&gt;x" in page
    assert "Bea *x* _y_ `z` &lt;b&gt;i: boss # Relation (&lt;i&gt;Acme&lt;/i&gt;)" in page


def test_a_long_agenda_in_a_terminal_shows_names_as_written(make_vault):
    result = pipeline.run(make_vault(HOSTILE_VAULT), TODAY, 7)
    markdown = agenda.render_markdown(result)
    shown = agenda._lines_for_terminal(agenda._body(markdown), color=False)
    assert "Zoe > quote **bold** <b>x" in shown and "\\" not in shown


def test_wikilink_keeps_a_link_only_where_one_can_be():
    assert agenda.wikilink("Contacts/Ana.md", "Ana [x] | y\u2028z\u202e") == "[[Contacts/Ana|Ana (x) / y z]]"
    assert agenda.wikilink("Contacts/Ana\n# Hacked.md") == r"Ana \# Hacked"
    assert agenda.wikilink("Contacts/A]] **B**.md") == r"A\]\] \*\*B\*\*"
    assert agenda.wikilink("Contacts/A#B.md") == "[[Contacts/A#B|A#B]]"  # opened by its path on the page


# --- check -----------------------------------------------------------------------------------

@pytest.mark.parametrize("char", HIDDEN, ids=IDS)
def test_check_reports_a_name_holding_a_hidden_character_and_still_reads_the_note(make_vault, mdnet, char):
    if char == "\x00":
        pytest.skip("no file system allows it in a name")
    root = make_vault({"Campaign.md": CAMPAIGN, f"Contacts/Ana{char}Gil.md": CONTACT})
    code, out, _ = mdnet("check", "--vault", str(root))
    lines = out.splitlines()
    assert lines[-1] == "0 errors, 1 warning in 1 note; 2 notes read"
    shown = "Ana" + char.encode("unicode_escape").decode("ascii") + "Gil"
    assert lines[:-1] == [f"Contacts/{shown}.md: warning: this note's name holds {listing.hidden_character(char)}: "
                          "rename it without it"]
    assert listing.hidden_character(char).startswith(f"U+{ord(char[0]):04X}, a ")
    assert [c.name for c in load(root).contacts] == [f"Ana{char}Gil"]


def test_check_reports_each_hostile_name_once_and_its_output_keeps_one_line_a_problem(make_vault, mdnet):
    root = make_vault(HOSTILE_VAULT)
    code, out, _ = mdnet("check", "--vault", str(root))
    lines = out.splitlines()
    assert all(line.startswith(("Contacts/", "Meetings/", "vault: ")) for line in lines[:-1]), lines
    named = [line for line in lines if "rename it without it" in line]
    assert named == [
        "vault: warning: folder 'Contacts/Ana\\n# Hacked' has a name holding U+000A, a line break: "
        "rename it without it",
        "Contacts/Ana\\n# Hacked.md: warning: this note's name holds U+000A, a line break: rename it without it",
        "Contacts/Eva\\u2028## Forged.md: warning: this note's name holds U+2028, a line break: rename it without it",
        "Contacts/Luis\\r\\n- **Fake** line.md: warning: this note's name holds U+000D, a line break: "
        "rename it without it",
        "Contacts/Rita\\x85### NEL.md: warning: this note's name holds U+0085, a line break: rename it without it",
        "Contacts/Sol\\u202elive.md: warning: this note's name holds U+202E, a direction override: "
        "rename it without it",
        "Contacts/Tom\\u200bGil.md: warning: this note's name holds U+200B, a zero-width character: "
        "rename it without it",
        "Meetings/2026-11-20 Plain\\n# Sneaky.md: warning: this note's name holds U+000A, a line break: "
        "rename it without it",
    ]


def test_the_warning_comes_and_goes_with_the_name_through_the_caches(make_vault, mdnet):
    root = make_vault({"Campaign.md": CAMPAIGN, "Contacts/Ana Gil.md": CONTACT})
    assert "rename" not in mdnet("check", "--vault", str(root))[1]
    os.rename(root / "Contacts/Ana Gil.md", root / "Contacts/Ana\u202eGil.md")
    assert "U+202E" in mdnet("check", "--vault", str(root))[1]
    assert "U+202E" in mdnet("check", "--vault", str(root))[1]
    os.rename(root / "Contacts/Ana\u202eGil.md", root / "Contacts/Ana Gil.md")
    assert "rename" not in mdnet("check", "--vault", str(root))[1]


def test_a_watcher_event_on_a_hostile_name_asks_for_a_scan(make_vault):
    root = make_vault({"Contacts/Ana\u2028Gil.md": CONTACT, "Contacts/Ana Gil.md": CONTACT})
    assert listing.note_at(root, "Contacts/Ana\u2028Gil.md") is None
    assert listing.note_at(root, "Contacts/Ana Gil.md") is not None


def test_a_problem_of_a_whole_file_has_no_line_and_shows_hidden_characters_escaped():
    assert Problem("Contacts/Ana.md", None, "warning", "no-goal", "x").render() == "Contacts/Ana.md: warning: x"
    assert Problem("Contacts/Ana.md", 3, "error", "no-goal", "x").render() == "Contacts/Ana.md:3: error: x"
    assert Problem(None, None, "warning", "no-goal", "x").render() == "vault: warning: x"
    assert Problem("A\n# B\x1b[31m\u202e.md", 2, "warning", "no-goal", "'C\u2028D'").render() == \
        "A\\n# B\\x1b[31m\\u202e.md:2: warning: 'C\\u2028D'"
    assert Problem("Ana Núñez\u00a0🎉.md", 1, "warning", "no-goal", "x").render() == "Ana Núñez\u00a0🎉.md:1: warning: x"


# --- new and log -----------------------------------------------------------------------------

@pytest.mark.parametrize("char", HIDDEN, ids=IDS)
@pytest.mark.parametrize("command", [
    ("new", "contact", "Ana{}Gil"),
    ("new", "contact", "Ana Gil", "--referred-by", "Luis{}Ruiz"),
    ("new", "meeting", "Ana{}Gil", "--create-contact"),
    ("log", "2026-11-20 Plain", "--done", "--referral", "Ana{}Gil"),
])
def test_new_and_log_refuse_a_name_holding_a_hidden_character(make_vault, mdnet, char, command):
    if char in "\x00" or char == "\r\n":
        pytest.skip("not something a command line can pass, or the same as \\r")
    root = make_vault({"Campaign.md": CAMPAIGN, "Contacts/Plain.md": CONTACT, "Meetings/2026-11-20 Plain.md":
                       "---\ntype: meeting\nwith: \"[[Plain]]\"\ndate: 2026-11-20T10:00\n---\n"})
    before = snapshot(root)
    code, out, err = mdnet(*(part.format(char) for part in command), "--vault", str(root))
    assert code == 6 and out == ""
    assert f"holds {listing.hidden_character(char)}" in err
    assert snapshot(root) == before


def _limit(folder: Path) -> int:
    """The longest file name `new` makes: one written, the next refused, else the test fails."""
    return os.pathconf(folder, "PC_NAME_MAX") - write._TEMPORARY_BYTES


@pytest.mark.parametrize("command, fixed", [
    (("new", "contact", "{}"), ".md"),
    (("new", "meeting", "{}", "--date", "2026-12-01"), "2026-12-01 .md"),
    (("log", "2026-11-20 Plain", "--done", "--referral", "{}"), ".md"),
])
def test_new_makes_the_longest_name_that_fits_and_refuses_a_longer_one(make_vault, mdnet, tmp_path, command, fixed):
    most = _limit(tmp_path) - len(fixed)
    files = {"Campaign.md": CAMPAIGN, "Contacts/Plain.md": CONTACT, "Meetings/2026-11-20 Plain.md":
             "---\ntype: meeting\nwith: \"[[Plain]]\"\ndate: 2026-11-20T10:00\n---\n"}
    for name, fits in (("a" * (most + 1), False), ("ñ" * (most // 2 + 1), False), ("a" * 300, False),
                       ("a" * most, True)):
        root = make_vault(files)
        before = snapshot(root)
        code, out, err = mdnet(*(part.format(name) for part in command), "--vault", str(root))
        if fits:
            assert code == 0, err
            assert any(len(path.rsplit("/", 1)[-1].encode()) == _limit(tmp_path) for path in snapshot(root))
        else:
            assert code == 6 and "bytes long; a file name here may have" in err and "Traceback" not in err
            assert snapshot(root) == before
