"""The reader: one note at a time (read_note) and the whole vault (load), with its problems."""

from __future__ import annotations

import os
from datetime import date, time

import pytest
from hypothesis import given, settings, strategies as st

from mdnet import frontmatter, listing, vault
from mdnet.model import NoteResult
from mdnet.notes import read_note
from mdnet.vault import load

CAMPAIGN = "---\ntype: campaign\ngoal: Move into product\ntimezone: Europe/Madrid\n---\n"


def note(path: str, text: str | bytes):
    data = text if isinstance(text, bytes) else text.encode()
    return read_note(path, data)


def problems(result):
    return [(p.line, p.severity, p.message) for p in result.problems]


# --- typing values: YAML 1.1's traps never reach the model -------------------------------------

def test_values_are_read_as_text_then_typed():
    r = note("Contacts/Ana.md", "---\ncircle: Profesional\nphone: +34 600 111 222\ncloseness: 02\n"
                                "relation: no\nid: 0012\n---\n")
    c = r.record
    # YAML 1.1 would give 34600111222, False and 10.
    assert (c.circle, c.phone, c.closeness, c.relation, c.id) == ("professional", "+34 600 111 222", 2, "no", "0012")
    assert r.problems == ()


def test_unknown_property_close_to_a_known_one_is_a_typo_warning():
    r = note("Contacts/Ana.md", "---\ncircle: personal\nclosenes: 2\nhobby: chess\n---\n")
    assert problems(r) == [(3, "warning", "'closenes' is not a property mdnet reads; did you mean 'closeness'?")]


def test_time_is_not_sexagesimal():
    r = note("Meetings/m.md", "---\nwith: \"[[Ana]]\"\ndate: 2026-11-20\nstartTime: 10:30\nendTime: 11:15\n---\n")
    m = r.record
    assert m.when.time() == time(10, 30)
    assert m.duration == 45


def test_closeness_out_of_range_is_a_warning_and_default():
    r = note("Contacts/Ana.md", "---\ncircle: personal\ncloseness: 9\n---\n")
    assert r.record.closeness == 3
    assert problems(r) == [(3, "warning", "'closeness' is 9; it goes from 1 to 5")]


def test_bad_date_is_an_error_on_its_line_with_the_fix():
    r = note("Meetings/m.md", "---\nwith: [\"[[Ana]]\"]\nstatus: done\ndate: 20/11/2026\n---\n")
    assert r.record is None  # a meeting with no usable date is skipped
    assert problems(r) == [(4, "error", "'date' is '20/11/2026'; write it as 2026-11-20, or with its time as 2026-11-20T10:30")]


def test_impossible_day_is_an_error():
    r = note("Contacts/Ana.md", "---\ncircle: personal\nlast_contact: 2026-02-30\n---\n")
    assert r.record.last_contact is None
    assert problems(r)[0][:2] == (3, "error")
    assert "not a real day" in problems(r)[0][2]


@pytest.mark.parametrize("raw,expected", [
    ("2026-11-20", date(2026, 11, 20)),
    ("2026-11-20T10:30", (date(2026, 11, 20), time(10, 30))),
    ("2026-11-20 10:30:15", (date(2026, 11, 20), time(10, 30, 15))),
    ("2026-11-20T09:30Z", (date(2026, 11, 20), time(10, 30))),  # converted to Madrid's zone
    ("2026-11-20T10:30+01:00", (date(2026, 11, 20), time(10, 30))),
])
def test_meeting_dates_in_every_form(make_vault, raw, expected):
    root = make_vault({"Campaign.md": CAMPAIGN, "Contacts/Ana.md": "---\ncircle: personal\n---\n",
                       "Meetings/m.md": f"---\nwith: [\"[[Ana]]\"]\ndate: {raw}\n---\n"})
    m = load(root).meetings[0]
    assert ((m.date, m.time) if m.time else m.date) == expected


def test_enumerations_in_spanish_any_case_accents_and_gender():
    r = note("Reuniones/m.md", "---\nwith: \"[[Ana]]\"\ndate: 2026-11-20\nstatus: HECHA\nformat: Vídeo\n"
                               "ask: Opinion\noutcome: [Recomendación, entrevista]\n---\n")
    m = r.record
    assert (m.status, m.format, m.ask, m.outcome) == ("done", "video", "opinion", ("referral", "interview"))
    assert r.problems == ()


def test_unknown_enumeration_value_is_a_warning_and_the_default():
    r = note("Contacts/Ana.md", "---\ncircle: colleague\nstatus: maybe\n---\n")
    assert (r.record.circle, r.record.status) == (None, "active")
    assert [p[:2] for p in problems(r)] == [(2, "warning"), (3, "warning")]


def test_checkbox_accepts_words_and_dates():
    for raw, expected in [("sí", True), ("no", False), ("yes", True), ("2026-11-21", True), ("false", False)]:
        r = note("Meetings/m.md", f"---\nwith: \"[[Ana]]\"\ndate: 2026-11-20\nthanked: {raw}\n---\n")
        assert r.record.thanked is expected, raw


def test_ask_for_a_job_is_a_warning_that_says_why():
    r = note("Meetings/m.md", "---\nwith: \"[[Ana]]\"\ndate: 2026-11-20\nask: empleo\n---\n")
    assert r.record.ask == "job"
    [(line, severity, message)] = problems(r)
    assert (line, severity) == (4, "warning") and "advice" in message


# --- links --------------------------------------------------------------------------------------

def test_link_forms():
    r = note("Meetings/m.md", "---\nwith:\n  - \"[[Ana Núñez|Ana]]\"\n  - \"[[People/Luis#Notes]]\"\n"
                              "  - Pepe\ndate: 2026-11-20\n---\n")
    assert [(l.target, l.line) for l in r.record.with_] == [("Ana Núñez", 3), ("People/Luis", 4), ("Pepe", 5)]
    assert problems(r) == [(5, "warning", "'with' is plain text 'Pepe'; read as the link [[Pepe]]: "
                                          "write it as \"[[Pepe]]\"")]


def test_unquoted_wikilink_is_accepted_with_a_warning():
    r = note("Contacts/Luis.md", "---\ncircle: personal\nreferred_by: [[Ana]]\n---\n")
    assert r.record.referred_by.target == "Ana"
    assert problems(r)[0][:2] == (3, "warning") and "quote it" in problems(r)[0][2]


def test_links_resolve_contacts_first_by_name_path_alias(make_vault):
    decomposed = "Jose\u0301 Nu\u0301n\u0303ez"  # as macOS writes file names
    root = make_vault({
        "Campaign.md": CAMPAIGN,
        f"Contacts/{decomposed}.md": "---\ncircle: personal\naliases: [Pepe]\n---\n",
        "Contacts/Luis.md": "---\ncircle: personal\n---\n",
        "Luis.md": "---\ntags: [x]\n---\n",  # a note that is not a contact, same name
        "Projects/Ana.md": "plain note\n",
        "Meetings/m.md": "---\nwith: [\"[[josé núñez]]\", \"[[Contacts/Luis]]\", \"[[Pepe]]\", \"[[Ana]]\", \"[[Nobody]]\"]\n"
                         "date: 2026-11-20\n---\n",
    })
    v = load(root)
    jose = "Contacts/José Núñez.md"
    assert [l.contact for l in v.meetings[0].with_] == [jose, "Contacts/Luis.md", jose, None, None]
    assert v.meetings[0].with_[3].note == "Projects/Ana.md"
    messages = [p.message for p in v.problems if p.path == "Meetings/m.md"]
    assert any("alias of José Núñez" in m and "[[José Núñez|Pepe]]" in m for m in messages)
    assert any("[[Ana]], which is not a contact" in m for m in messages)
    assert any("[[Nobody]], which is no note" in m for m in messages)


def test_ambiguous_link_takes_the_shallowest_then_shortest_with_a_warning(make_vault):
    root = make_vault({
        "Campaign.md": CAMPAIGN,
        "Contacts/Old/Ana.md": "---\ncircle: personal\n---\n",
        "Contacts/Ana.md": "---\ncircle: personal\n---\n",
        "Meetings/m.md": "---\nwith: \"[[Ana]]\"\ndate: 2026-11-20\n---\n",
    })
    v = load(root)
    assert v.meetings[0].with_[0].contact == "Contacts/Ana.md"
    assert any("matches 2 notes" in p.message for p in v.problems)


# --- broken notes: a problem each, at the right line, never an exception ------------------------

@pytest.mark.parametrize("data,line,fragment", [
    (b"---\ncircle: personal\n", 1, "not closed"),
    (b"---\n- a\n- b\n---\n", 1, "not a list of 'key: value'"),
    (b"---\ncircle: personal\nrelation: [unclosed\n---\n", 3, "not valid YAML"),  # the line that opened it
    (b"---\ncircle: personal\nrelation: a: b\n---\n", 3, "not valid YAML"),
    (b"---\r\ncircle: personal\r\nrelation: a: b\r\n---\r\n", 3, "not valid YAML"),
    (b"\xef\xbb\xbf---\ncircle: personal\n\nrelation: a: b\n---\n", 4, "not valid YAML"),
    (b"---\ncircle: \xff\xfe\n---\n", 1, "not UTF-8"),
])
def test_broken_notes_are_errors_with_lines(data, line, fragment):
    r = note("Contacts/Ana.md", data)
    assert r.record is None
    [p] = r.problems
    assert (p.line, p.severity) == (line, "error") and fragment in p.message


def test_bom_and_crlf_read_like_plain_notes():
    r = note("Contacts/Ana.md", "\ufeff---\r\ncircle: personal\r\ncloseness: 1\r\n---\r\nbody\r\n".encode())
    assert (r.record.circle, r.record.closeness, r.problems) == ("personal", 1, ())


def test_empty_front_matter_is_a_contact_with_defaults_in_a_contacts_folder():
    r = note("Contactos/Ana.md", "---\n---\n")
    assert r.kind == "contact" and r.record.closeness == 3


def test_meeting_without_with_or_date_is_skipped_with_an_error():
    r = note("Meetings/m.md", "---\nstatus: done\n---\n")
    assert r.record is None
    [p] = r.problems
    assert (p.line, p.severity) == (1, "error") and "'with'" in p.message and "'date'" in p.message


def test_duplicate_key_is_a_warning_and_the_last_counts():
    r = note("Contacts/Ana.md", "---\ncircle: personal\ncircle: professional\n---\n")
    assert r.record.circle == "professional"
    assert problems(r) == [(3, "warning", "'circle' is written twice; the last one counts: remove the other")]


def test_contact_without_circle_is_a_warning_at_its_first_line():
    assert problems(note("Contacts/Ana.md", "---\nrelation: friend\n---\n")) == [
        (1, "warning", "this contact has no 'circle': set circle: personal, professional or opportunity")]


def test_typing_by_type_property_and_by_folder():
    assert note("x/Ana.md", "---\ntype: Persona\n---\n").kind == "contact"
    assert note("Notes/Ana.md", "---\ntype: single\n---\n").kind is None
    assert note("Trabajo/Citas/m.md", "---\ntype: single\nwith: \"[[A]]\"\ndate: 2026-11-20\n---\n").kind == "meeting"
    assert note("people/Ana.md", "---\n---\n").kind == "contact"
    assert note("Campaña.md", "---\ntype: campaña\ngoal: x\n---\n").kind == "campaign"
    assert note("Contacts/Agenda.md", "---\ngenerated: true\n---\n").kind is None


def test_untyped_notes_outside_typed_folders_are_ignored_quietly():
    for data in (b"just text", b"---\nbroken: [\n---\n", b"\xff\xfe", b"---\nnot closed"):
        assert note("Journal/day.md", data) == read_note("Journal/day.md", data)
        assert note("Journal/day.md", data).problems == ()


def test_huge_note_reads_its_front_matter(make_vault):
    body = "ñ" * (3 << 20)  # two bytes each: the read limit falls inside characters
    root = make_vault({"Campaign.md": CAMPAIGN, "Contacts/Ana.md": f"---\ncircle: personal\n---\n{body}"})
    assert [c.circle for c in load(root).contacts] == ["personal"]


@pytest.mark.parametrize("front_matter, body", [
    ("---\ncircle: personal\nrelation: " + "x" * (2 << 20) + "\n---\n", "body\n"),  # closed after the first MiB
    ("---\ncircle: personal\n" + "".join(f"k{i}: v\n" for i in range(200_000)) + "---\n", "body\n"),
    ("---\ncircle: personal\n", "a line\n" * 500_000),  # never closed
])
def test_front_matter_that_does_not_close_within_the_first_mib_says_so_once(make_vault, front_matter, body):
    root = make_vault({"Campaign.md": CAMPAIGN, "Contacts/Ana.md": front_matter + body})
    [problem] = [p for p in load(root).problems if p.path == "Contacts/Ana.md"]
    assert (problem.line, problem.severity) == (1, "error")
    assert problem.message == ("the front matter does not close within the note's first MiB, all mdnet reads of "
                               "a note: end it with a '---' line, and keep long text below it")


def test_front_matter_closing_at_the_first_mib_is_read(make_vault):
    head, tail = "---\ncircle: personal\nrelation: ", "\n---\n"
    relation = "x" * (frontmatter.READ_LIMIT - len(head) - len(tail))  # the closing line ends the first MiB
    root = make_vault({"Campaign.md": CAMPAIGN, "Contacts/Ana.md": head + relation + tail + "body\n" * 10})
    [contact] = load(root).contacts
    assert contact.relation == relation
    root = make_vault({"Campaign.md": CAMPAIGN, "Contacts/Ana.md": head + relation + "x" + tail})
    assert load(root).contacts == () and "first MiB" in load(root).problems[-1].message


def test_a_short_note_not_closed_says_only_that():
    assert problems(note("Contacts/Ana.md", "---\ncircle: personal\n")) == [
        (1, "error", "the front matter is not closed; end it with a '---' line")]


@pytest.mark.parametrize("text", [
    "---\ntype: contact\n" + "".join(f"k{i}: v\n" for i in range(50_000)) + "---\n",
    "---\ntype: contact\nk: &a [" + ", ".join(["x"] * 100) + "]\n"
    + "".join(f"k{i}: *a\n" for i in range(200)) + "---\n",  # an alias used again and again
])
def test_front_matter_of_too_many_values_is_one_error(text):
    r = note("Contacts/Ana.md", text)
    assert r.record is None
    [(line, severity, message)] = problems(r)
    assert severity == "error" and message.startswith("the front matter is too big: here it passes 10,000 values")


def test_links_to_folders_are_not_followed_and_links_to_files_only_inside(make_vault, tmp_path):
    outside = make_vault({"Contacts/Eve.md": "---\ncircle: personal\n---\n"}, name="elsewhere")
    root = make_vault({"Campaign.md": CAMPAIGN, "Contacts/Ana.md": "---\ncircle: personal\n---\n",
                       "Meetings/m.md": "---\nwith: \"[[Ana]]\"\ndate: 2026-11-20\n---\n"})
    os.symlink("..", root / "Contacts" / "loop")
    os.symlink("../Meetings", root / "Contacts" / "meetings")  # would read meetings as contacts
    os.symlink("/", root / "Contacts" / "disk")
    os.symlink(outside / "Contacts", root / "Contacts" / "theirs")
    os.symlink(outside / "Contacts" / "Eve.md", root / "Contacts" / "Eve.md")
    os.symlink(root / "Contacts" / "Ana.md", root / "Contacts" / "Ana again.md")
    os.symlink(root / "gone.md", root / "Contacts" / "Broken.md")
    os.symlink("/etc/hostname", root / "Contacts" / "picture.png")  # no note: nothing to say
    v = load(root)
    assert sorted(c.name for c in v.contacts) == ["Ana", "Ana again"] and len(v.meetings) == 1
    said = sorted(p.message.split("'")[1] for p in v.problems if "is a link to" in p.message)
    assert said == ["Contacts/Broken.md", "Contacts/Eve.md", "Contacts/disk", "Contacts/loop", "Contacts/meetings",
                    "Contacts/theirs"]


def test_a_file_name_that_is_not_utf8_is_named_and_left_out(make_vault):
    root = make_vault({"Campaign.md": CAMPAIGN, "Contacts/Ana.md": "---\ncircle: personal\n---\n"})
    with open(os.path.join(os.fsencode(root / "Contacts"), b"Jos\xe9.md"), "wb") as f:  # Latin-1
        f.write(b"---\ncircle: personal\n---\n")
    v = load(root)
    assert [c.name for c in v.contacts] == ["Ana"]
    assert any("'Contacts/Jos\ufffd.md' has a name that is not UTF-8" in p.message for p in v.problems)


def test_two_names_differing_only_in_how_accents_are_encoded_make_one_note(make_vault):
    import unicodedata

    root = make_vault({"Campaign.md": CAMPAIGN, "Contacts/José.md": "---\ncircle: personal\n---\n"})
    decomposed = unicodedata.normalize("NFD", "José.md")
    (root / "Contacts" / decomposed).write_text("---\ncircle: work\n---\n", encoding="utf-8")
    v = load(root)
    assert [(c.path, c.circle) for c in v.contacts] == [("Contacts/José.md", "personal")]
    [problem] = [p for p in v.problems if "encoded another way" in p.message]
    assert problem.path == "Contacts/José.md" and f"'Contacts/{decomposed}' is left out" in problem.message
    assert listing.note_at(root, f"Contacts/{decomposed}") is None  # a watcher's report of it needs a scan


def test_dot_folders_and_generated_notes_are_skipped(make_vault):
    root = make_vault({
        "Campaign.md": CAMPAIGN,
        ".trash/Contacts/Old.md": "---\ncircle: personal\n---\n",
        ".obsidian/x.md": "---\ntype: contact\n---\n",
        "Agenda.md": "---\ngenerated: true\ntype: contact\n---\n",
        "Contacts/Ana.md": "---\ncircle: personal\n---\n",
    })
    assert [c.path for c in load(root).contacts] == ["Contacts/Ana.md"]


def test_one_broken_note_never_stops_the_others(make_vault):
    root = make_vault({
        "Campaign.md": CAMPAIGN,
        "Contacts/Broken.md": b"---\ncircle: [\n---\n",
        "Contacts/Bytes.md": b"---\ncircle: \xff\n---\n",
        "Contacts/Ana.md": "---\ncircle: personal\n---\n",
        "Meetings/m.md": "---\nwith: \"[[Ana]]\"\ndate: 2026-11-20\nstatus: done\n---\n",
    })
    v = load(root)
    assert [c.name for c in v.contacts] == ["Ana"] and len(v.meetings) == 1
    assert {p.path for p in v.problems if p.severity == "error"} == {"Contacts/Broken.md", "Contacts/Bytes.md"}


# --- the campaign and the vault as a whole -----------------------------------------------------

def test_no_campaign_note_is_a_vault_warning_and_defaults_apply(make_vault):
    v = load(make_vault({"Contacts/Ana.md": "---\ncircle: personal\n---\n"}))
    assert v.campaign.meetings_per_week == 2 and v.campaign.timezone
    assert any(p.path is None and "no campaign note" in p.message for p in v.problems)


def test_second_campaign_note_is_an_error_and_the_first_by_path_counts(make_vault):
    v = load(make_vault({"A.md": CAMPAIGN, "B.md": CAMPAIGN.replace("Move into product", "Other")}))
    assert v.campaign.path == "A.md"
    assert [(p.path, p.severity) for p in v.problems] == [("B.md", "error")]


def test_campaign_fields(make_vault):
    v = load(make_vault({"Campaña.md": "---\ntype: campaign\ngoal: g\ntimezone: America/Mexico_City\n"
                                       "locale: es-MX\nstatus: Pausada\nmeetings_per_week: 3\nfeed_private: sí\n---\n"}))
    c = v.campaign
    assert (c.timezone, c.locale, c.status, c.meetings_per_week, c.feed_private) == \
        ("America/Mexico_City", "es", "paused", 3, True)


def test_missing_timezone_warns_and_uses_the_machines(make_vault, monkeypatch):
    monkeypatch.setenv("TZ", "Europe/Madrid")
    v = load(make_vault({"Campaign.md": "---\ntype: campaign\ngoal: g\n---\n"}))
    assert v.campaign.timezone == "Europe/Madrid"
    assert any("no 'timezone'" in p.message for p in v.problems)


def test_method_checks(make_vault):
    v = load(make_vault({
        "Campaign.md": CAMPAIGN,
        "Contacts/Ana.md": "---\ncircle: personal\nreferred_by: \"[[Ana]]\"\nemail: a@x.es\n---\n",
        "Contacts/ANA 2.md": "---\ncircle: personal\nemail: A@X.es\n---\n",
        "Contacts/Álvaro.md": "---\ncircle: personal\n---\n",
        "Contacts/alvaro.md": "---\n---\n",
    }))
    messages = {(p.path, p.message.split(":")[0]) for p in v.problems}
    assert ("Contacts/Ana.md", "'referred_by' names this same contact") in messages
    assert ("Contacts/Ana.md", "same e-mail as Contacts/ANA 2.md") in messages  # the first by path is kept
    assert ("Contacts/Álvaro.md", "same name as Contacts/alvaro.md but for accents or case") in messages



def test_duplicate_person_follows_each_load(make_vault):
    """The check's answer is kept for the contacts it was given: a load after a contact changed
    (a save that `watch` sees) finds the duplicate it makes, and loses the one it undoes."""
    root = make_vault({"Campaign.md": CAMPAIGN, "Contacts/Ana.md": "---\nphone: 600 111 222\n---\n",
                       "Contacts/Bea.md": "---\nphone: 600 999 888\n---\n"})

    def duplicates():
        return [(p.path, p.message) for p in load(root).problems if p.code == "duplicate-person"]

    assert duplicates() == []
    (root / "Contacts/Bea.md").write_text("---\nphone: +34 600 111 222\n---\n", encoding="utf-8")
    assert duplicates() == [("Contacts/Bea.md", 'same phone as Contacts/Ana.md: if they are one person, '
                             'run `mdnet merge "Ana" "Bea"`')]
    (root / "Contacts/Bea.md").write_text("---\nphone: 600 999 888\n---\n", encoding="utf-8")
    assert duplicates() == []

def test_find_vault(tmp_path):
    (tmp_path / "v" / ".obsidian").mkdir(parents=True)
    deep = tmp_path / "v" / "Contacts" / "x"
    deep.mkdir(parents=True)
    assert listing.find_vault(None, deep) == tmp_path / "v"
    (tmp_path / "w" / "sub").mkdir(parents=True)
    (tmp_path / "w" / "Campaña.md").write_text("---\ntype: campaña\n---\n")
    assert listing.find_vault(None, tmp_path / "w" / "sub") == tmp_path / "w"


# --- properties ---------------------------------------------------------------------------------

@settings(max_examples=300, deadline=None)
@given(st.text(), st.sampled_from(["Contacts/A.md", "Meetings/m.md", "Campaña.md", "x/y.md"]))
def test_no_text_ever_raises_from_the_reader(text, path):
    for data in (text.encode(), ("---\n" + text).encode(), ("---\n" + text + "\n---\n").encode()):
        r = read_note(path, data)
        assert all(p.line is None or p.line >= 1 for p in r.problems)


yaml_values = st.recursive(st.text(max_size=20) | st.sampled_from(["[[Ana]]", "10:30", "no", "0012", "2026-11-20"]),
                           lambda children: st.lists(children, max_size=3), max_leaves=8)


@settings(max_examples=200, deadline=None)
@given(st.dictionaries(st.sampled_from(["with", "date", "status", "referrals", "thanked", "circle", "closeness",
                                        "duration", "outcome", "ask", "startTime", "type", "aliases"]),
                       yaml_values, max_size=8),
       st.sampled_from(["Contacts/A.md", "Meetings/m.md", "Campaign.md"]))
def test_any_front_matter_of_known_keys_never_raises(values, path):
    import yaml as pyyaml

    data = ("---\n" + pyyaml.safe_dump(values, allow_unicode=True) + "---\n").encode()
    read_note(path, data)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["Contacts/Ana.md", "Contacts/Luis.md", "Meetings/m.md", "Meetings/n.md",
                                           "Campaign.md"]),
                          st.sampled_from(["---\ncircle: personal\n---\n", "---\ncircle: x\naliases: [Lu]\n---\n",
                                           "---\nwith: [\"[[Ana]]\", \"[[Lu]]\"]\ndate: 2026-11-20T10:00\n---\n",
                                           "---\nwith: \"[[Luis]]\"\ndate: 2026-11-21\nreferrals: [\"[[Eva]]\"]\n---\n",
                                           "---\ntype: campaign\ngoal: g\ntimezone: America/Lima\n---\n", None])),
                min_size=1, max_size=8))
def test_assembling_again_after_edits_equals_assembling_afresh(edits):
    """An Assembler kept across edits (as watch keeps one) gives what a fresh assembly gives."""
    notes: dict[str, bytes] = {"Campaign.md": CAMPAIGN.encode(), "Contacts/Ana.md": b"---\ncircle: personal\n---\n"}
    results = {p: read_note(p, d) for p, d in notes.items()}
    kept = vault.Assembler()
    kept.assemble("v", list(results.values()))
    for path, text in edits:
        if text is None:
            results.pop(path, None)
        else:
            results[path] = read_note(path, text.encode())
        assert kept.assemble("v", list(results.values())) == vault.assemble("v", list(results.values()))


# --- the reader's own reading of plain front matter ------------------------------------------

_CHARS = list("aZé ñ0:#-?,[]{}&*!|>'\"%@`\\~.") + ["\t", "\u00a0", "\u2028", "\x85", "\r"]
# Mostly letters, with the odd character that YAML reads in its own way.
_texts = st.one_of(st.text(st.sampled_from(list("aZé ñ0")), max_size=8),
                   st.text(st.sampled_from(list("aZé ñ0.-:#'\"")), max_size=8),
                   st.text(st.sampled_from(_CHARS), max_size=8))
_keys = st.sampled_from(["type", "Type", "with", "date", "x_y", "a-b", "k1", "type", "with", "date",
                         "with ", " with", "wíth", "-a", "a b"])
_values = st.one_of(
    _texts,
    _texts.map(lambda t: f'"{t}"'),
    _texts.map(lambda t: f"'{t}'"),
    st.lists(st.one_of(_texts, _texts.map(lambda t: f'"{t}"'), _texts.map(lambda t: f"'{t}'")), max_size=3).map(
        lambda items: "[" + ", ".join(items) + "]"),
    st.lists(st.tuples(st.sampled_from(["", " ", "  ", "    "]), _texts), min_size=1, max_size=3).map(
        lambda items: "".join(f"\n{indent}- {t}" for indent, t in items)),
    st.sampled_from(["", "\n", "\n  nested: x", "\n\n"]),
    _texts.map(lambda t: f"\n# {t}"),
    _texts.map(lambda t: f"\n  # {t}"),
)
_blocks = st.lists(st.tuples(_keys, st.sampled_from([": ", ": ", ":", ":  ", " : "]), _values), max_size=4).map(
    lambda entries: "\n".join(f"{k}{sep}{v}" for k, sep, v in entries) + "\n")


@settings(max_examples=1500, deadline=None)
@given(_blocks)
def test_plain_front_matter_read_directly_is_what_libyaml_composes(block):
    simple = frontmatter._simple_entries("Contacts/A.md", block)
    if simple is None:
        return  # not the simple shape: libyaml reads it
    composed = frontmatter._composed_entries("Contacts/A.md", block, "contact")
    assert composed == simple, block


@pytest.mark.parametrize("block", [
    "type: contact\ncircle: personal\n",
    'with:\n  - "[[Ana Núñez]]"\n  - "[[Luis]]"\ndate: 2026-11-20T10:30\n',
    "outcome: [información, referral]\ntags: []\nnote: C# y 10:30\n",
    'with: ["[[Ana Núñez]]", "[[Luis|Luis G.]]"]\nreferrals: [\'[[Eva]]\', "[[Sara#notes]]"]\n',
    "with:\n- '[[Ana]]'\n\n# who\nstatus: done\nempty:\n",
    "status: done\nstatus: planned\n",  # written twice: the same warning either way
])
def test_the_usual_front_matter_is_read_directly(block):
    simple = frontmatter._simple_entries("Meetings/m.md", block)
    assert simple is not None
    assert simple == frontmatter._composed_entries("Meetings/m.md", block, "meeting")


@pytest.mark.parametrize("block", [
    "k" * 1100 + ": x\n",  # longer than YAML allows a key
    "with:\n" + "- a\n" * 10_001,  # more than the reader's budget of values
])
def test_what_libyaml_refuses_is_left_to_it(block):
    assert frontmatter._simple_entries("Meetings/m.md", block) is None
    composed = frontmatter._composed_entries("Meetings/m.md", block, "meeting")
    problems = composed.problems if isinstance(composed, NoteResult) else composed[1]
    assert [p.severity for p in problems] == ["error"]


@settings(max_examples=500, deadline=None)
@given(st.text())
def test_folding_a_name_drops_case_and_every_accent(text):
    import unicodedata

    from mdnet.fields import fold

    decomposed = unicodedata.normalize("NFKD", text.casefold())
    assert fold(text) == "".join(c for c in decomposed if not unicodedata.combining(c)).strip()


def test_folding_keeps_the_grapheme_joiner_which_is_no_accent():
    from mdnet.fields import fold

    assert fold("Jose\u034f\u0301") == "jose\u034f"
