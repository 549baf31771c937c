"""Who a name means when writing (`mdnet.names`): the vaults of the cases that went wrong, each
resolved the way links resolve, and the links written read back by the reader to that very note."""

from __future__ import annotations

from datetime import date

import pytest

from mdnet import names, write
from mdnet.vault import load

CAMPAIGN = "---\ntype: campaign\ngoal: Pasar a producto\nlocale: es\ntimezone: Europe/Madrid\nstart: 2026-11-01\n---\n"
TODAY = date(2026, 11, 21)


def contact(extra: str = "") -> str:
    return f"---\ntype: contact\ncircle: personal\n{extra}---\n"


def meeting(person: str) -> str:
    return f"---\ntype: meeting\nwith: \"[[{person}]]\"\ndate: 2026-11-20\n---\n"


def snapshot(root) -> dict:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*")
            if p.is_file() and ".mdnet" not in p.relative_to(root).parts}


# --- referrals: an alias, accents, emoji ---------------------------------------------------------

def test_a_referral_written_as_an_alias_without_accents_is_that_contact(make_vault, mdnet):
    root = make_vault({"Campaña.md": CAMPAIGN, "Contactos/Rocío Martín.md": contact("aliases: [Rocío]\n"),
                       "Contactos/Raquel.md": contact(), "Reuniones/2026-11-20 Raquel.md": meeting("Raquel")})
    rocio = (root / "Contactos/Rocío Martín.md").read_bytes()
    code, out, err = mdnet("log", "2026-11-20 Raquel", "--vault", str(root), "--today", "2026-11-21", "--done",
                           "--referral", "rocio")
    assert code == 0, err
    assert out == "Reuniones/2026-11-20 Raquel.md: status: done; referrals: + [[Rocío Martín]]\n"
    assert not (root / "Contactos/rocio.md").exists()
    assert (root / "Contactos/Rocío Martín.md").read_bytes() == rocio
    vault = load(root)
    assert [link.contact for link in vault.meetings[0].referrals] == ["Contactos/Rocío Martín.md"]
    assert len(vault.contacts) == 2


@pytest.mark.parametrize("aliases", ["aliases: [Íñigo Zubizarreta]\n", ""])
@pytest.mark.parametrize("given", ["Íñigo Zubizarreta", "inigo zubizarreta", "[[Íñigo Zubizarreta]]"])
def test_a_referral_finds_the_note_whose_name_has_an_emoji(make_vault, aliases, given):
    root = make_vault({"Campaña.md": CAMPAIGN, "Contactos/Íñigo Zubizarreta 🚀.md": contact(aliases),
                       "Contactos/Raquel.md": contact(), "Reuniones/2026-11-20 Raquel.md": meeting("Raquel")})
    report = write.log(root, "2026-11-20 Raquel", TODAY, done=True, referrals=(given,))
    assert report.written == ("Reuniones/2026-11-20 Raquel.md",)  # no second Íñigo
    text = (root / "Reuniones/2026-11-20 Raquel.md").read_text(encoding="utf-8")
    assert 'referrals:\n  - "[[Íñigo Zubizarreta 🚀]]"\n' in text
    vault = load(root)
    assert vault.meetings[0].referrals[0].contact == "Contactos/Íñigo Zubizarreta 🚀.md"
    assert not [p for p in vault.problems if p.path == "Reuniones/2026-11-20 Raquel.md"]


def test_a_referral_is_never_the_start_of_a_name(make_vault):
    root = make_vault({"Campaña.md": CAMPAIGN, "Contactos/Luis Gil.md": contact(),
                       "Contactos/Raquel.md": contact(), "Reuniones/2026-11-20 Raquel.md": meeting("Raquel")})
    report = write.log(root, "2026-11-20 Raquel", TODAY, done=True, referrals=("Luis",))
    assert report.lines[1:] == ("created Contactos/Luis.md, referred by [[Raquel]]",)
    assert (root / "Contactos/Luis Gil.md").read_text(encoding="utf-8") == contact()


# --- two notes of one name ---------------------------------------------------------------------

ANAS = {"Campaña.md": CAMPAIGN, "Contactos/Ana López.md": contact("relation: vecina\n"),
        "Contactos/Trabajo/Ana López.md": contact("relation: jefa\n")}


def test_a_name_two_contacts_have_is_refused_listing_both(make_vault, mdnet):
    root = make_vault({**ANAS, "Contactos/Raquel.md": contact(), "Reuniones/2026-11-20 Raquel.md": meeting("Raquel")})
    before = snapshot(root)
    for args in (("new", "meeting", "Ana López"), ("new", "meeting", "ana lopez"),
                 ("log", "2026-11-20 Raquel", "--done", "--referral", "Ana López")):
        code, out, err = mdnet(*args, "--vault", str(root), "--today", "2026-11-21")
        assert (code, out) == (2, ""), err
        assert "could be any of 2 contacts: Contactos/Ana López.md, Contactos/Trabajo/Ana López.md" in err
        assert "nothing was written" in err and "Contactos/Ana López" in err
    assert snapshot(root) == before


@pytest.mark.parametrize("given", ["Contactos/Trabajo/Ana López", "Contactos/Trabajo/Ana López.md",
                                   "contactos/trabajo/ana lopez", "Trabajo/Ana López"])
def test_a_path_chooses_one_and_the_link_written_leads_to_it(make_vault, mdnet, given):
    root = make_vault(ANAS)
    code, out, err = mdnet("new", "meeting", given, "--vault", str(root), "--date", "2026-11-20")
    assert code == 0, err
    path = root / "Reuniones/2026-11-20 Ana López.md"
    assert out == f"{path}\n"
    assert 'with:\n  - "[[Contactos/Trabajo/Ana López|Ana López]]"\n' in path.read_text(encoding="utf-8")
    assert load(root).meetings[0].with_[0].contact == "Contactos/Trabajo/Ana López.md"
    # The meeting's first person refers the new name: to that very Ana, not the other.
    code, out, err = mdnet("log", "2026-11-20 Ana", "--vault", str(root), "--today", "2026-11-21", "--done",
                           "--referral", "Marta Ruiz", "--referral", given)
    assert code == 0, err
    assert out.splitlines() == [
        "Reuniones/2026-11-20 Ana López.md: status: done; referrals: + [[Marta Ruiz]], "
        "+ [[Contactos/Trabajo/Ana López|Ana López]]",
        "created Contactos/Marta Ruiz.md, referred by [[Contactos/Trabajo/Ana López|Ana López]]",
    ]
    vault = load(root)
    marta = next(c for c in vault.contacts if c.name == "Marta Ruiz")
    assert marta.referred_by.contact == "Contactos/Trabajo/Ana López.md"
    assert [link.contact for link in vault.meetings[0].referrals] == [
        "Contactos/Marta Ruiz.md", "Contactos/Trabajo/Ana López.md"]


def test_link_to_is_the_short_form_only_for_a_name_no_other_note_has(make_vault):
    root = make_vault({**ANAS, "Contactos/Luis Gil.md": contact(), "Notas/Luis Gil 2.md": "x\n",
                       "Proyectos/Marta.md": "not a contact\n", "Contactos/Marta.md": contact()})
    vault = load(root)
    assert names.link_to(vault, "Contactos/Luis Gil.md") == "[[Luis Gil]]"
    assert names.link_to(vault, "Contactos/Ana López.md") == "[[Contactos/Ana López|Ana López]]"
    assert names.link_to(vault, "Contactos/Trabajo/Ana López.md") == "[[Contactos/Trabajo/Ana López|Ana López]]"
    # Any note of that name, contact or not, could take the short link.
    assert names.link_to(vault, "Contactos/Marta.md") == "[[Contactos/Marta|Marta]]"
    # A note about to be written.
    assert names.link_to(vault, "Contactos/Pedro.md") == "[[Pedro]]"
    assert names.link_to(vault, "Nuevos/Luis Gil.md") == "[[Nuevos/Luis Gil|Luis Gil]]"


# --- the note acted on ---------------------------------------------------------------------------

def test_the_note_acted_on_by_name_path_start_accents_and_case(make_vault, tmp_path):
    root = make_vault({"Campaign.md": CAMPAIGN, "Contacts/Ana Núñez.md": contact("aliases: [Anita]\n"),
                       "Meetings/2026-11-20 Ana Núñez.md": meeting("Ana Núñez")})
    vault = load(root)

    def acted_on(text: str) -> tuple[str, str]:
        found = names.resolve(vault, text, meetings=True, prefix=True, root=root, cwd=tmp_path)
        return found.kind, found.path

    meeting_note = ("meeting", "Meetings/2026-11-20 Ana Núñez.md")
    ana = ("contact", "Contacts/Ana Núñez.md")
    assert acted_on("2026-11-20 ANA NUNEZ") == meeting_note
    assert acted_on("2026-11-20") == meeting_note
    assert acted_on("Meetings/2026-11-20 Ana Núñez") == meeting_note
    assert acted_on(str(root / "Meetings/2026-11-20 Ana Núñez.md")) == meeting_note  # a file's path
    from_its_folder = names.resolve(vault, "2026-11-20 Ana Núñez.md", meetings=True, prefix=True, root=root,
                                    cwd=root / "Meetings")
    assert from_its_folder.path == meeting_note[1]
    assert acted_on("ana") == ana
    assert acted_on("anita") == ana  # an alias, as a link reads it
    assert acted_on("[[Ana Núñez|Ana]]") == ana
    # macOS writes names decomposed: the same name in NFD finds the note.
    assert acted_on("Ana Nu\u0301n\u0303ez") == ana


def test_an_ambiguous_or_unknown_note_acted_on_is_refused(make_vault, mdnet):
    root = make_vault({"Campaign.md": CAMPAIGN, "Contacts/Ana Núñez.md": contact(), "Contacts/Ana Gil.md": contact()})
    vault = load(root)
    with pytest.raises(names.Ambiguous, match="could be any of 2 notes: Contacts/Ana Gil.md, Contacts/Ana Núñez.md"):
        names.resolve(vault, "ana", meetings=True, prefix=True)
    with pytest.raises(names.NotFound, match="no contact or meeting is named 'Zoe'"):
        names.resolve(vault, "Zoe", meetings=True, prefix=True)
    code, _, err = mdnet("log", "Ana Nunes", "--vault", str(root), "--contacted")
    assert code == 2 and "no contact or meeting is named 'Ana Nunes' (did you mean Ana Núñez" in err


def test_the_resolver_agrees_with_the_reader_on_every_link_it_resolves(make_vault):
    """For each link a meeting holds, the note `names` finds is the one the reader resolved it to."""
    targets = ["Ana López", "Contactos/Trabajo/Ana López", "Trabajo/Ana López", "Rocío", "rocío martín",
               "Íñigo Zubizarreta 🚀", "Luis Gil", "LUIS GIL", "Notas/Idea"]
    files = {**ANAS, "Contactos/Rocío Martín.md": contact("aliases: [Rocío]\n"),
             "Contactos/Íñigo Zubizarreta 🚀.md": contact(), "Personas/Luis Gil.md": contact(),
             "Notas/Idea.md": "x\n"}
    files.update({f"Reuniones/m{i}.md": meeting(t) for i, t in enumerate(targets)})
    vault = load(make_vault(files))
    for m in vault.meetings:
        link = m.with_[0]
        found = names.matches(vault, link.target)
        assert [n.path for n in found][:1] == ([link.contact] if link.contact else []), link.target


@pytest.mark.parametrize("given", ["x" * 300, "../" * 200 + "Ana", "/" + "y" * 5000, "[[]]", "  "])
def test_any_text_as_a_name_is_an_answer_not_a_traceback(make_vault, mdnet, given):
    root = make_vault({"Campaign.md": CAMPAIGN, "Contacts/Ana Núñez.md": contact()})
    before = snapshot(root)
    for args in (("log", given, "--contacted"), ("new", "meeting", given)):
        code, out, err = mdnet(*args, "--vault", str(root))
        assert code in (2, 6) and out == "" and "Traceback" not in err, err
    assert snapshot(root) == before
