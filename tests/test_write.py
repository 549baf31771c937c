"""`mdnet init` and `mdnet new`: vaults and notes that the reader accepts, never over an existing note.

Ends with the user's journey: init, two contacts, a meeting, `log --done` with two referrals and
a thank-you, and the agenda moving accordingly.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from mdnet import write
from mdnet.errors import NoteRefused
from mdnet.notes import read_note
from mdnet.vault import load

CAMPAIGN_ES = ("---\ntype: campaign\ngoal: Pasar a producto\nlocale: es\ntimezone: Europe/Madrid\n"
               "start: 2026-11-01\n---\n")




def snapshot(root: Path) -> dict:
    """Every file of the vault but mdnet's own index cache."""
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*")
            if p.is_file() and ".mdnet" not in p.relative_to(root).parts}


# --- init ------------------------------------------------------------------------------------

@pytest.mark.parametrize("locale,campaign,contacts,meetings,templates", [
    ("en", "Campaign.md", "Contacts", "Meetings", ("Templates/Contact.md", "Templates/Meeting.md")),
    ("es", "Campaña.md", "Contactos", "Reuniones", ("Plantillas/Contacto.md", "Plantillas/Reunión.md")),
])
def test_init_makes_a_vault_that_check_accepts(tmp_path, mdnet, monkeypatch, locale, campaign, contacts,
                                               meetings, templates):
    monkeypatch.setenv("TZ", "America/Mexico_City")
    root = tmp_path / "Red"
    code, out, err = mdnet("init", str(root), "--locale", locale, "--today", "2026-11-28",
                           "--goal", "Move from accounting into product: #1 goal", "--pitch", "I am an accountant.")
    assert code == 0, err
    assert f"created {campaign}" in out.splitlines()
    assert (root / contacts).is_dir() and (root / meetings).is_dir() and (root / ".obsidian").is_dir()
    settings = json.loads((root / ".obsidian/templates.json").read_text(encoding="utf-8"))
    assert settings["folder"] == templates[0].split("/")[0]
    for rel in templates:
        text = (root / rel).read_text(encoding="utf-8")
        assert "{{date:YYYY-MM-DD}}" in text and "{{title}}" in text
    code, out, err = mdnet("check", "--vault", str(root))
    assert (code, out) == (0, "0 errors, 0 warnings in 0 notes; 3 notes read\n")
    vault = load(root)
    assert (vault.contacts, vault.meetings) == ((), ())  # the Obsidian templates are no contact or meeting
    c = vault.campaign
    assert (c.path, c.goal, c.pitch, c.locale, c.timezone, c.start) == (
        campaign, "Move from accounting into product: #1 goal", "I am an accountant.", locale,
        "America/Mexico_City", date(2026, 11, 28))


@pytest.mark.parametrize("locale", ["en", "es"])
def test_notes_made_from_the_obsidian_templates_match_the_schema(tmp_path, locale):
    """What Obsidian's Templates plugin does on insert: replace {{date:…}} and {{title}}."""
    root = tmp_path / "v"
    write.init(root, locale, "Goal", "Pitch", date(2026, 11, 28))
    folder = write.TEMPLATES_FOLDER[locale]
    contact_t, meeting_t = (root / folder / f"{n}.md" for n in write.OBSIDIAN_TEMPLATES[locale])

    def insert(template: Path, title: str) -> bytes:
        text = template.read_text(encoding="utf-8")
        for fmt, value in (("[contact]", "contact"), ("[meeting]", "meeting"), ("YYYY-MM-DD", "2026-11-28")):
            text = text.replace("{{date:%s}}" % fmt, value)
        return text.replace("{{title}}", title).encode()

    # Made anywhere, not only in the typed folders: the note says its type.
    contact = read_note("Ana Núñez.md", insert(contact_t, "Ana Núñez"))
    assert contact.kind == "contact" and contact.problems == ()
    assert (contact.record.closeness, contact.record.created) == (3, date(2026, 11, 28))
    meeting = read_note("2026-11-30 Ana Núñez.md",
                        insert(meeting_t, "2026-11-30 Ana Núñez").replace(b"with: []", b'with: ["[[Ana N\xc3\xba\xc3\xb1ez]]"]'))
    assert meeting.kind == "meeting" and meeting.problems == ()
    assert (meeting.record.status, meeting.record.date, meeting.record.ask) == ("planned", None, "advice")


def test_init_writes_the_zone_given_and_says_how_to_change_it(tmp_path, mdnet, monkeypatch):
    monkeypatch.setenv("TZ", "Etc/UTC")
    root = tmp_path / "Red"
    code, out, err = mdnet("init", str(root), "--locale", "es", "--goal", "G", "--timezone", "Europe/Madrid")
    assert code == 0, err
    assert "timezone: Europe/Madrid; to change it, edit 'timezone' in Campaña.md" in out.splitlines()
    assert "timezone: Europe/Madrid\n" in (root / "Campaña.md").read_text(encoding="utf-8")
    assert load(root).campaign.timezone == "Europe/Madrid"
    code, out, _ = mdnet("init", str(tmp_path / "Otra"), "--locale", "es", "--goal", "G")
    assert code == 0
    assert "timezone: Etc/UTC (this machine's zone); to change it, edit 'timezone' in Campaña.md" in out


@pytest.mark.parametrize("given,near", [("Madrid", "Europe/Madrid"), ("new york", "America/New_York"),
                                        ("Europe/Madird", "Europe/Madrid"), ("bogotá", "America/Bogota")])
def test_init_with_a_zone_that_does_not_exist_names_the_real_one(tmp_path, mdnet, given, near):
    root = tmp_path / "Red"
    code, out, err = mdnet("init", str(root), "--locale", "es", "--goal", "G", "--timezone", given)
    assert (code, out) == (2, "")
    assert f"'{given}' is no time zone; did you mean {near}" in err
    assert not root.exists()  # nothing made


def test_a_campaign_zone_that_does_not_exist_is_told_the_real_one(make_vault, mdnet):
    root = make_vault({"Campaña.md": CAMPAIGN_ES.replace("Europe/Madrid", "Madrid")})
    code, out, _ = mdnet("check", "--vault", str(root))
    assert "Campaña.md:5: warning: 'timezone' is 'Madrid', which is no IANA zone; write Europe/Madrid" in out


def test_init_without_a_goal_outside_a_terminal_still_checks(tmp_path, mdnet):
    root = tmp_path / "v"
    assert mdnet("init", str(root), "--locale", "en")[0] == 0
    code, out, _ = mdnet("check", "--vault", str(root))
    assert code == 0 and "the campaign has no 'goal'" in out


def test_init_refuses_a_vault_that_has_a_campaign(tmp_path, mdnet):
    root = tmp_path / "v"
    assert mdnet("init", str(root), "--locale", "es", "--goal", "G")[0] == 0
    (root / "Contactos/Ana.md").write_text("---\ncircle: personal\n---\n", encoding="utf-8")
    before = snapshot(root)
    code, _, err = mdnet("init", str(root), "--locale", "en", "--goal", "Other")
    assert code == 6 and "already holds a campaign note, Campaña.md" in err
    assert snapshot(root) == before


def test_init_in_an_existing_obsidian_vault_uses_its_folders(tmp_path, monkeypatch):
    monkeypatch.setenv("TZ", "Europe/Lisbon")
    root = tmp_path / "Notes"
    (root / ".obsidian").mkdir(parents=True)
    (root / ".obsidian/templates.json").write_text('{"folder": "Meta/Tpl"}', encoding="utf-8")
    (root / "Meta/Tpl").mkdir(parents=True)
    (root / "Meta/Tpl/Contact.md").write_text("mine\n", encoding="utf-8")
    (root / "Work/People").mkdir(parents=True)
    report = write.init(root, "en", "Goal", "Pitch", date(2026, 11, 28))
    assert (root / "Meta/Tpl/Contact.md").read_text(encoding="utf-8") == "mine\n"  # kept
    assert (root / "Meta/Tpl/Meeting.md").exists()
    assert json.loads((root / ".obsidian/templates.json").read_text()) == {"folder": "Meta/Tpl"}
    assert not (root / "Contacts").exists()
    assert report.lines == ("created Campaign.md", "kept Meta/Tpl/Contact.md",
                            "created Meta/Tpl/Meeting.md (an Obsidian template)", "created Meetings/",
                            "timezone: Europe/Lisbon (this machine's zone); to change it, edit 'timezone' in "
                            "Campaign.md")
    assert write.typed_folder(root, "contact", "en") == "Work/People"


def test_init_never_puts_a_template_where_it_would_be_read_as_a_note(tmp_path):
    root = tmp_path / "Notes"
    (root / ".obsidian").mkdir(parents=True)
    (root / ".obsidian/templates.json").write_text('{"folder": "People/Templates"}', encoding="utf-8")
    report = write.init(root, "en", "Goal", "Pitch", date(2026, 11, 28))
    assert not (root / "People/Templates").exists()
    assert len(report.warnings) == 2 and "inside a contacts or meetings folder" in report.warnings[0]
    assert load(root).contacts == ()


# --- new contact -------------------------------------------------------------------------------

def test_new_contact_writes_yaml_safe_values(make_vault, mdnet):
    root = make_vault({"Campaign.md": CAMPAIGN_ES, "Personas/Ana Núñez.md": "---\ncircle: personal\n---\n"})
    code, out, err = mdnet("new", "contact", "José Pérez", "--vault", str(root), "--today", "2026-11-20",
                           "--circle", "Profesional", "--closeness", "2", "--relation", "exjefe: \"el mejor\" #1",
                           "--referred-by", "[[ana núñez]]", "--met-at", "no", "--company", "[Acme] 10:30",
                           "--email", "jose@acme.es", "--phone", "+34 600 111 222")
    assert (code, err) == (0, "")
    path = root / "Personas/José Pérez.md"
    assert out == f"{path}\n"  # the path, for an editor
    text = path.read_text(encoding="utf-8")
    assert text.startswith('---\ntype: contact\ncircle: professional\ncloseness: 2\nrelation: "exjefe: \\"el mejor\\" #1"\n'
                           'referred_by: "[[Ana Núñez]]"\nmet_at: "no"\ncompany: "[Acme] 10:30"\n'
                           'email: jose@acme.es\nphone: "+34 600 111 222"\ncreated: 2026-11-20\n---\n## Notas\n')
    c = read_note("Personas/José Pérez.md", text.encode()).record
    assert (c.circle, c.closeness, c.relation, c.met_at, c.company, c.email, c.phone, c.created) == (
        "professional", 2, 'exjefe: "el mejor" #1', "no", "[Acme] 10:30", "jose@acme.es", "+34 600 111 222",
        date(2026, 11, 20))
    assert c.referred_by.target == "Ana Núñez"
    assert mdnet("check", "--vault", str(root))[1] == "0 errors, 0 warnings in 0 notes; 3 notes read\n"


@pytest.mark.parametrize("name,reason", [
    ("Ana Núñez", "already a contact named Ana Núñez"),
    ("ana núñez", "already a contact named Ana Núñez"),
    ("../Ana", "starts with '.'"),
    ("Contactos/../../x", "holds '/'"),
    (".hidden", "starts with '.'"),
    ("", "name is empty"),
    ("   ", "name is empty"),
    *[(f"Ana{c}Gil", f"holds '{c}'") for c in '*"\\/<>:|?#^[]'],
])
def test_new_contact_refusals_leave_the_vault_unchanged(make_vault, mdnet, name, reason):
    root = make_vault({"Campaign.md": CAMPAIGN_ES, "Contactos/Ana Núñez.md": "---\ncircle: personal\n---\n"})
    before = snapshot(root)
    code, out, err = mdnet("new", "contact", name, "--vault", str(root))
    assert code == 6 and out == ""
    assert reason in err
    assert snapshot(root) == before


def test_new_contact_refuses_a_file_of_that_name_that_is_no_contact(make_vault):
    root = make_vault({"Contacts/Ana.md": "---\ncircle: [unclosed\n---\n"})
    with pytest.raises(NoteRefused, match="Contacts/Ana.md already exists; mdnet never writes over a note"):
        write.new_contact(root, "Ana", date(2026, 11, 20))
    assert (root / "Contacts/Ana.md").read_text() == "---\ncircle: [unclosed\n---\n"


def test_a_note_that_appears_while_writing_is_not_overwritten(make_vault, monkeypatch):
    root = make_vault({"Campaign.md": CAMPAIGN_ES})
    monkeypatch.setattr(write, "_refuse_existing", lambda *args: (root / "Contactos").mkdir() or
                        (root / "Contactos/Ana.md").write_text("made in Obsidian\n", encoding="utf-8"))
    with pytest.raises(NoteRefused, match="appeared while mdnet was writing it"):
        write.new_contact(root, "Ana", date(2026, 11, 20))
    assert (root / "Contactos/Ana.md").read_text(encoding="utf-8") == "made in Obsidian\n"
    assert sorted(p.name for p in (root / "Contactos").iterdir()) == ["Ana.md"]


def test_new_contact_with_an_unknown_referrer_warns(make_vault, mdnet):
    root = make_vault({"Campaign.md": CAMPAIGN_ES, "Contactos/Ana Núñez.md": "---\ncircle: personal\n---\n"})
    code, _, err = mdnet("new", "contact", "Luis", "--vault", str(root), "--referred-by", "Ana")
    assert code == 0
    assert err.splitlines() == [
        "warning: Ana has no contact note yet (did you mean Ana Núñez?); the link [[Ana]] is written as given",
        # What `mdnet check` would say of the new note, said now.
        "Contactos/Luis.md:1: warning: this contact has no 'circle': set circle: personal, professional or opportunity",
    ]


def test_new_contact_bad_circle_is_a_usage_error(make_vault, mdnet):
    root = make_vault({"Campaign.md": CAMPAIGN_ES})
    code, _, err = mdnet("new", "contact", "Luis", "--vault", str(root), "--circle", "friends")
    assert code == 2 and "opportunity, personal, professional" in err
    assert not (root / "Contactos").exists()


# --- new meeting -------------------------------------------------------------------------------

def test_new_meeting_holds_the_brief_in_the_campaigns_language(make_vault, mdnet):
    root = make_vault({
        "Campaign.md": CAMPAIGN_ES.replace("start:", "pitch: Soy contable y quiero pasar a producto.\nstart:"),
        "Contactos/Ana Núñez.md": "---\ncircle: personal\nrelation: mejor amiga\n---\n",
        "Contactos/Luis Gil.md": "---\ncircle: professional\nreferred_by: \"[[Ana Núñez]]\"\ncompany: Acme\n---\n",
    })
    code, out, err = mdnet("new", "meeting", "LUIS GIL", "--vault", str(root), "--date", "2026-11-24 10:30",
                           "--duration", "1:30", "--location", "Café Central, Madrid", "--format", "videollamada")
    assert (code, err) == (0, "")
    path = root / "Reuniones/2026-11-24 Luis Gil.md"
    assert out == f"{path}\n"
    text = path.read_text(encoding="utf-8")
    assert text.startswith('---\ntype: meeting\nwith:\n  - "[[Luis Gil]]"\ndate: 2026-11-24T10:30\nduration: 90\n'
                           'status: planned\nask: advice\nformat: video\nlocation: Café Central, Madrid\n'
                           'referrals: []\nthanked: false\n---\n')
    assert "Soy contable y quiero pasar a producto." in text  # the pitch, from the brief
    assert "Ana Núñez" in text  # who referred Luis, to mention and thank
    for heading in ("## Tendencias", "## Eventos", "## Personas clave", "## Dos nombres más"):
        assert heading in text
    assert 'mdnet log "2026-11-24 Luis Gil" --done' in text
    m = read_note("Reuniones/2026-11-24 Luis Gil.md", text.encode())
    assert m.problems == ()
    assert (m.record.duration, m.record.format, m.record.location) == (90, "video", "Café Central, Madrid")
    assert mdnet("check", "--vault", str(root))[1] == "0 errors, 0 warnings in 0 notes; 4 notes read\n"


def test_new_meeting_with_someone_without_a_note_is_refused_or_creates_it(make_vault, mdnet):
    """No dangling link: a name that means no contact writes nothing, unless --create-contact."""
    root = make_vault({"Campaign.md": CAMPAIGN_ES.replace("locale: es", "locale: en"),
                       "Contacts/Carmen Ruiz.md": "---\ncircle: personal\n---\n",
                       "Contacts/Carmen Soler.md": "---\ncircle: personal\n---\n"})
    before = snapshot(root)
    code, out, err = mdnet("new", "meeting", "Carmen", "--vault", str(root), "--date", "2026-11-24")
    assert (code, out) == (2, "")
    assert "'Carmen' could be any of 2 contacts: Contacts/Carmen Ruiz.md, Contacts/Carmen Soler.md" in err
    code, out, err = mdnet("new", "meeting", "Carmela", "--vault", str(root), "--date", "2026-11-24")
    assert (code, out) == (2, "")
    assert "no contact is named 'Carmela' (did you mean Carmen Ruiz, Carmen Soler?)" in err
    assert "--create-contact" in err
    assert snapshot(root) == before
    code, out, err = mdnet("new", "meeting", "Carmen", "--vault", str(root), "--date", "2026-11-25",
                           "--create-contact", "--ask", "empleo")
    assert code == 0  # a new Carmen: with --create-contact a name is never read as the start of another
    assert out.splitlines() == [str(root / "Contacts/Carmen.md"), str(root / "Meetings/2026-11-25 Carmen.md")]
    assert "Meetings/2026-11-25 Carmen.md:8: warning: 'ask' is 'job': the method says asking for a job" in err
    vault = load(root)
    meeting = next(m for m in vault.meetings if m.name == "2026-11-25 Carmen")
    assert meeting.with_[0].contact == "Contacts/Carmen.md" and meeting.ask == "job"


def test_new_meeting_takes_the_one_contact_whose_name_starts_so(make_vault, mdnet):
    root = make_vault({"Campaign.md": CAMPAIGN_ES, "Contactos/Carmen Ruiz.md": "---\ncircle: personal\n---\n",
                       "Contactos/Luis Gil.md": "---\ncircle: personal\n---\n"})
    code, out, err = mdnet("new", "meeting", "carmen", "--vault", str(root), "--date", "2026-11-24")
    assert (code, err) == (0, "")
    path = root / "Reuniones/2026-11-24 Carmen Ruiz.md"
    assert out == f"{path}\n"
    assert 'with:\n  - "[[Carmen Ruiz]]"\n' in path.read_text(encoding="utf-8")
    assert not (root / "Contactos/carmen.md").exists()


def test_new_meeting_free_text_ask_is_read_as_the_reader_reads_it(make_vault, mdnet):
    root = make_vault({"Campaign.md": CAMPAIGN_ES, "Contactos/Ana.md": "---\ncircle: personal\n---\n"})
    code, out, err = mdnet("new", "meeting", "Ana", "--vault", str(root), "--date", "2026-11-24",
                           "--ask", "pedirle trabajo en su empresa")
    text = Path(out.strip()).read_text(encoding="utf-8")
    assert "ask: pedirle trabajo en su empresa\n" in text
    assert "**Cuidado:**" in text  # the brief warns, as the reader reads this ask as a job
    assert "'ask' is 'pedirle trabajo en su empresa'" in err


def test_new_meeting_never_overwrites(make_vault, mdnet):
    root = make_vault({"Campaign.md": CAMPAIGN_ES, "Contactos/Ana.md": "---\ncircle: personal\n---\n",
                       "Reuniones/2026-11-24 Ana.md": "mine\n"})
    before = snapshot(root)
    code, _, err = mdnet("new", "meeting", "Ana", "--vault", str(root), "--date", "2026-11-24", "--create-contact")
    assert code == 6 and "Reuniones/2026-11-24 Ana.md already exists" in err
    assert snapshot(root) == before


def test_new_meeting_bad_date_is_a_usage_error(make_vault, mdnet):
    root = make_vault({"Campaign.md": CAMPAIGN_ES})
    code, _, err = mdnet("new", "meeting", "Ana", "--vault", str(root), "--date", "24/11/2026")
    assert code == 2 and "2026-11-24" in err


def test_templates_are_overridable_per_vault(make_vault):
    root = make_vault({"Campaign.md": CAMPAIGN_ES,
                       ".mdnet/templates/contact.md.j2": "{% extends 'builtin:contact.md.j2' %}"})
    (root / ".mdnet/templates/contact.md.j2").write_text(
        "---\ntype: contact\ncircle: {{ circle | yaml }}\ncreated: {{ created | yaml }}\n---\nMine: {{ title }}\n",
        encoding="utf-8")
    write.new_contact(root, "Ana", date(2026, 11, 20), circle="personal")
    assert (root / "Contactos/Ana.md").read_text(encoding="utf-8") == \
        "---\ntype: contact\ncircle: personal\ncreated: 2026-11-20\n---\nMine: Ana\n"


# --- the user's journey ------------------------------------------------------------------------

def test_journey_init_new_log_and_the_agenda_moves(tmp_path, mdnet):
    root = str(tmp_path / "Campaña")

    def agenda(today: str) -> dict:
        code, out, err = mdnet("agenda", "--vault", root, "--today", today, "--format", "json")
        assert code == 0, err
        return json.loads(out)

    def kinds(data: dict) -> list[tuple[str, str]]:
        return [(a["kind"], a["contact"]) for a in data["actions"]]

    assert mdnet("init", root, "--locale", "es", "--today", "2026-11-20", "--goal", "Pasar a producto",
                 "--pitch", "Soy contable. Busco consejo.")[0] == 0
    assert mdnet("new", "contact", "Ana Núñez", "--vault", root, "--circle", "personal", "--closeness", "1",
                 "--today", "2026-11-20")[0] == 0
    assert mdnet("new", "contact", "Pedro Sanz", "--vault", root, "--circle", "profesional", "--closeness", "2",
                 "--today", "2026-11-20")[0] == 0
    before = agenda("2026-11-20")
    assert kinds(before) == [("first-meeting", "Ana Núñez"), ("first-meeting", "Pedro Sanz")]

    code, out, _ = mdnet("new", "meeting", "Ana Núñez", "--vault", root, "--date", "2026-11-21T10:30",
                         "--today", "2026-11-20")
    assert code == 0
    planned = agenda("2026-11-20")
    assert ("meeting", "Ana Núñez") in kinds(planned) and ("first-meeting", "Ana Núñez") not in kinds(planned)
    assert planned["stats"]["by_stage"]["scheduled"] == 1

    code, out, err = mdnet("log", "2026-11-21 ana", "--vault", root, "--today", "2026-11-21", "--done",
                           "--referral", "Luis Gil", "--referral", "Marta Ruiz", "--thanked")
    assert code == 0, err
    after = agenda("2026-11-21")
    assert ("meeting", "Ana Núñez") not in kinds(after)
    assert not [k for k, _ in kinds(after) if k in ("thank", "ask-referrals", "add-contact")]
    referred = [a for a in after["actions"] if a["kind"] == "contact-referral"]
    assert [(a["contact"], a["due"]) for a in referred] == [("Luis Gil", "2026-11-24"), ("Marta Ruiz", "2026-11-24")]
    stats = after["stats"]
    assert (stats["meetings_done"], stats["referrals_obtained"], stats["contacts"], stats["thanks_outstanding"]) == \
        (1, 2, 4, 0)
    assert stats["by_stage"]["met"] == 1
    # The new referrals are professional (the user changes it where they are not): no warning.
    assert mdnet("check", "--vault", root)[:2] == (0, "0 errors, 0 warnings in 0 notes; 8 notes read\n")
