"""mdnet import: each format with its quirks, one note per person, the user's values kept."""

from __future__ import annotations

import json
import shutil
from datetime import date
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from mdnet import edit, people
from mdnet.importers import ImportFailed, Row, read_file
from mdnet.importers.plan import Planner
from mdnet.vault import load

FIXTURES = Path(__file__).parent / "fixtures" / "import"
CAMPAIGN = "---\ntype: campaign\ngoal: g\ntimezone: Europe/Madrid\n---\n"
TODAY = "2026-12-01"


def rows_of(name: str, source: str | None = None) -> list[Row]:
    return list(read_file(FIXTURES / name, source))


def snapshot(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*.md"))}


def run_import(mdnet, root: Path, *args: str) -> tuple[int, dict, str]:
    code, out, err = mdnet("import", *args, "--vault", str(root), "--today", TODAY, "--format", "json")
    return code, json.loads(out) if out else {}, err


# --- readers ---------------------------------------------------------------------------------

def test_linkedin_header_found_below_its_notes_and_both_date_forms():
    rows = rows_of("Connections.csv")
    jose, marta, nameless, inigo = rows
    assert (jose.name, jose.line, jose.created) == ("José Núñez", 5, date(2024, 1, 15))
    assert (marta.created, marta.emails, marta.company) == (date(2025, 7, 1), ("marta.ruiz@example.com",),
                                                           "Ruiz & Asociados, S.L.")
    assert jose.linkedin == "https://www.linkedin.com/in/jose-nunez/" and jose.role == "Director de Producto"
    assert nameless.problem and "left LinkedIn" in nameless.problem and nameless.line == 7
    assert inigo.name == "Íñigo Zubizarreta"


def test_google_several_values_main_first_labels_as_tags_notes_as_body():
    luis, marta, nameless = rows_of("google.csv")
    assert luis.emails == ("luis@example.com", "luis.gil@work.example")  # `* Home` marks the main one
    assert luis.phones == ("600 11 22 33",)
    assert luis.tags == ("Amigos-de-la-uni",)  # * myContacts and * starred dropped, spaces as -
    assert luis.linkedin == "https://www.linkedin.com/in/luisgil"
    assert luis.body[0] == "Compañero de la facultad.\nLe gusta el jazz."
    assert "Birthday: 1985-04-12" in luis.body[1]  # nothing of a row is dropped silently
    assert marta.emails == ("MARTA.RUIZ@example.com",)
    assert nameless.problem and nameless.line == 5


def test_google_legacy_columns():
    (carmen,) = rows_of("google-legacy.csv")
    assert (carmen.name, carmen.emails, carmen.phones) == ("Carmen Ibáñez", ("carmen@example.com",), ("612 34 56 78",))
    assert (carmen.company, carmen.role, carmen.tags) == ("Farmacia Central", "Farmacéutica", ("Vecinos",))


def test_outlook_english_and_another_language_refused_naming_file_and_header(mdnet, make_vault):
    rocio, tomas = rows_of("outlook.csv")
    assert rocio.linkedin == "https://www.linkedin.com/in/rocio-delgado" and rocio.tags == ("Proveedores", "Feria-2025")
    assert rocio.body[0] == "Conocida en la feria de Valencia" and "Business City: Madrid" in rocio.body[1]
    assert tomas.emails == ("tomas@example.com", "tvidal@work.example") and tomas.role == "Socio"
    root = make_vault({"Campaign.md": CAMPAIGN})
    code, _, err = run_import(mdnet, root, str(FIXTURES / "outlook-de.csv"))
    assert code == 3 and "outlook-de.csv" in err and "Vorname" in err and "--from" in err
    assert snapshot(root) == {"Campaign.md": CAMPAIGN.encode()}


def test_vcard_versions_quoted_printable_groups_and_social_profile():
    jose, luis, nuria, nameless = rows_of("phone.vcf")
    # 2.1: quoted-printable with a charset, broken over two lines, commas not escaped
    assert jose.name == "José Núñez" and jose.body == (
        "Amigo de la infancia, vive en Sevilla; le debo una llamada desde el verano pasado, cuando nos vimos en la "
        "boda de Pepa.",)
    assert (jose.emails, jose.phones, jose.card) == (("jose.nunez@example.com",), ("600 123 456",), 1)
    # 3.0 from an iPhone: itemN. groups, the LinkedIn URL labelled in its group, a category that is a circle
    assert luis.linkedin == "https://linkedin.com/in/LuisGil/" and luis.circle == "personal"
    assert luis.tags == ("Amigos-de-la-uni",) and luis.company == "Banco Sur" and luis.line == 10
    assert "Prefiere WhatsApp, no llamadas." in luis.body
    # 4.0: tel: URIs and X-SOCIALPROFILE
    assert nuria.phones == ("+34-622-000-111",) and nuria.linkedin == "https://www.linkedin.com/in/nuria-domenech"
    assert nameless.problem == "no name (FN or N)" and nameless.card == 4


def test_vcard_folder_and_a_line_that_is_no_vcard_reported(mdnet, make_vault):
    root = make_vault({"Campaign.md": CAMPAIGN})
    code, out, _ = run_import(mdnet, root, str(FIXTURES / "cards"), "--circle", "personal")
    assert code == 1
    assert sorted(e["note"] for e in out["created"]) == ["Contacts/Ana Ortega.md", "Contacts/Pablo Sanz.md"]
    (skipped,) = out["skipped"]
    assert skipped["file"].endswith("pablo-sanz.vcf") and skipped["line"] == 5 and "this line" in skipped["reason"]
    ana = (root / "Contacts/Ana Ortega.md").read_text()
    assert "muy cercana al sector que me interesa." in ana  # a folded line unfolded


def test_other_encodings_and_unknown_files_exit_3(mdnet, make_vault, tmp_path):
    root = make_vault({"Campaign.md": CAMPAIGN})
    latin = tmp_path / "latin.csv"
    latin.write_bytes("First Name,Last Name,URL\nJosé,Núñez,x\n".encode("latin-1"))
    code, _, err = run_import(mdnet, root, str(latin))
    assert code == 3 and "latin.csv is not UTF-8" in err and "iconv" in err
    code, _, err = run_import(mdnet, root, str(tmp_path / "missing.csv"))
    assert code == 3 and "does not exist" in err
    bom = tmp_path / "bom.csv"
    bom.write_bytes(b"\xef\xbb\xbfFirst Name,Last Name,URL,Connected On\r\nAna,Paz,,1 Feb 2024\r\n")
    code, out, _ = run_import(mdnet, root, str(bom))
    assert code == 0 and [e["note"] for e in out["created"]] == ["Contacts/Ana Paz.md"]


# --- the same person ---------------------------------------------------------------------------

def test_identity_keys():
    assert people.phone_key("600 11 22 33", "ES") == people.phone_key("+34 600112233") == "+34600112233"
    assert people.phone_key("(212) 555-0100", "US") == "+12125550100"
    assert people.linkedin_key("https://www.LinkedIn.com/in/Ana/") == people.linkedin_key("linkedin.com/in/ana")
    assert people.linkedin_key("https://es.linkedin.com/in/ana?trk=x") == "linkedin.com/in/ana"
    assert people.name_key("Núñez,  José") == people.name_key("jose nunez") == "jose nunez"
    assert people.email_key("mailto:Ana@Example.COM") == "ana@example.com"
    assert people.region_of(None, "Europe/Madrid") == "ES" and people.region_of("mx", "Europe/Madrid") == "MX"


def test_merge_fills_empty_fields_extends_lists_reports_conflicts_and_keeps_every_other_byte(mdnet, make_vault):
    marta = ("---\r\ntype: contact\r\ncircle: personal  # mine\r\nphone: '611223344'\r\n"
             "company: Ruiz Asociados\r\n---\r\nMy notes.\r\n")
    root = make_vault({"Campaign.md": CAMPAIGN, "Contacts/Marta Ruiz.md": marta})
    code, out, _ = run_import(mdnet, root, str(FIXTURES / "Connections.csv"), str(FIXTURES / "google.csv"))
    assert code == 1  # the nameless rows
    (conflict,) = out["conflicts"]
    assert (conflict["field"], conflict["note_value"], conflict["value"]) == (
        "company", "Ruiz Asociados", "Ruiz & Asociados, S.L.")
    text = (root / "Contacts/Marta Ruiz.md").read_bytes().decode("utf-8")
    assert text.startswith("---\r\ntype: contact\r\ncircle: personal  # mine\r\nphone: '611223344'\r\n"
                           "company: Ruiz Asociados\r\n")  # the professional default never overrides a circle
    assert "role: Socia\r\n" in text and "email: marta.ruiz@example.com\r\n" in text
    assert "+34 611" not in text  # the same phone, written another way, is not added again
    assert text.endswith("---\r\nMy notes.\r\n")
    merged = [e for e in out["merged"] if e["note"] == "Contacts/Marta Ruiz.md"]
    assert merged and out["unchanged"][0]["note"] == "Contacts/Marta Ruiz.md"  # google's row adds nothing


def test_reimport_changes_no_byte_and_dry_run_writes_nothing(mdnet, make_vault):
    root = make_vault({"Campaign.md": CAMPAIGN, "Contacts/Luis Gil.md": "---\ntype: contact\nemail: luis@example.com\n---\n"})
    files = [str(FIXTURES / f) for f in ("Connections.csv", "google.csv", "google-legacy.csv", "outlook.csv",
                                          "phone.vcf", "cards")]
    before = snapshot(root)
    code, planned, _ = run_import(mdnet, root, *files, "--dry-run")
    assert code == 1 and snapshot(root) == before
    code, done, _ = run_import(mdnet, root, *files)
    assert done == planned
    after = snapshot(root)
    code, again, _ = run_import(mdnet, root, *files)
    assert snapshot(root) == after
    assert again["created"] == again["merged"] == again["conflicts"] == []
    assert len(again["unchanged"]) == len(done["created"]) + len(done["merged"]) + len(done["unchanged"])


def test_a_row_matching_two_notes_and_an_ambiguous_name_are_skipped(mdnet, make_vault):
    root = make_vault({
        "Campaign.md": CAMPAIGN,
        "Contacts/Luis Gil.md": "---\ntype: contact\ncircle: personal\nemail: luis@example.com\n---\n",
        "Contacts/Luisito.md": "---\ntype: contact\ncircle: personal\nphone: '600112233'\n---\n",
        "Contacts/Work/Carmen Ibáñez.md": "---\ntype: contact\ncircle: personal\n---\n",
        "Contacts/Home/Carmen Ibanez.md": "---\ntype: contact\ncircle: personal\n---\n",
    })
    before = snapshot(root)
    code, out, _ = run_import(mdnet, root, str(FIXTURES / "phone.vcf"), str(FIXTURES / "google-legacy.csv"))
    assert code == 1
    reasons = {e["name"]: e["reason"] for e in out["skipped"]}
    assert "Contacts/Luis Gil.md by email" in reasons["Luis Gil"] and "Contacts/Luisito.md by phone" in reasons["Luis Gil"]
    assert "several notes have this name" in reasons["Carmen Ibáñez"]
    assert {k: v for k, v in snapshot(root).items() if k in before} == before


def test_unsafe_name_gets_a_safe_file_name_and_an_alias(mdnet, make_vault, tmp_path):
    source = tmp_path / "c.csv"
    source.write_text('First Name,Last Name,URL\nAna,"Paz [Work]: Sales/Ops",https://linkedin.com/in/ap\n')
    root = make_vault({"Campaign.md": CAMPAIGN})
    code, out, _ = run_import(mdnet, root, str(source))
    assert code == 0 and out["created"][0]["note"] == "Contacts/Ana Paz Work Sales Ops.md"
    text = (root / "Contacts/Ana Paz Work Sales Ops.md").read_text()
    assert 'aliases:\n  - "Ana Paz [Work]: Sales/Ops"\n' in text
    assert run_import(mdnet, root, str(source))[1]["unchanged"]  # matched again, by its profile


def test_summary_and_reasons_in_the_users_language(mdnet, make_vault, monkeypatch):
    root = make_vault({"Campaign.md": CAMPAIGN})
    monkeypatch.setenv("LANGUAGE", "es")
    code, out, _ = mdnet("import", str(FIXTURES / "Connections.csv"), "--vault", str(root), "--dry-run")
    assert code == 1
    assert [line for line in out.splitlines() if line.startswith("omitida ")] == [
        f"omitida {FIXTURES / 'Connections.csv'}:7: sin nombre: alguien que ha dejado LinkedIn o lo oculta"]
    assert out.splitlines()[-1] == ("3 creadas, 0 completadas, 0 sin cambios, 0 conflictos, 1 omitidas "
                                    "(simulación: no se ha escrito nada)")


def test_check_warns_duplicate_person_naming_both_notes_and_merge(make_vault):
    vault = load(make_vault({
        "Campaign.md": CAMPAIGN,
        "Contacts/Ana.md": "---\ntype: contact\ncircle: personal\nphone: 600 11 22 33\n---\n",
        "Contacts/Ana Paz.md": "---\ntype: contact\ncircle: personal\nphone: ['+34600112233']\n"
                               "linkedin: https://www.linkedin.com/in/anapaz/\n---\n",
        "Contacts/Paz, Ana.md": "---\ntype: contact\ncircle: personal\nlinkedin: linkedin.com/in/AnaPaz\n---\n",
    }))
    found = [(p.path, p.message) for p in vault.problems if "mdnet merge" in p.message]
    assert ("Contacts/Paz, Ana.md", 'same LinkedIn profile as Contacts/Ana Paz.md: if they are one person, '
            'run `mdnet merge "Ana Paz" "Paz, Ana"`') in found
    assert ("Contacts/Ana.md", 'same phone as Contacts/Ana Paz.md: if they are one person, '
            'run `mdnet merge "Ana Paz" "Ana"`') in found
    assert len(found) == 2


# --- properties --------------------------------------------------------------------------------

_CSV_TEXT = st.one_of(
    st.text(),
    st.lists(st.lists(st.text(alphabet=st.sampled_from('ab ,"\n\r:*#ñÁ;@+0123'), max_size=12), max_size=8),
             max_size=6).map(lambda rows: "First Name,Last Name,URL,Email Address,Connected On\n"
                             + "\n".join(",".join(r) for r in rows)),
)
_VCARD_TEXT = st.lists(st.sampled_from([
    "BEGIN:VCARD", "END:VCARD", "VERSION:2.1", "VERSION:3.0", "FN:Ana", "FN;ENCODING=QUOTED-PRINTABLE:A=C3=B1=",
    "N:;;;;", "EMAIL:a@x", "TEL:600", "item1.URL:https://linkedin.com/in/a", "item1.X-ABLabel:LinkedIn",
    "CATEGORIES:personal,x", "NOTE:a\\nb", " folded", "junk", "ADR:;;a;b;c;d;e", "BDAY:x", "PHOTO;ENCODING=b:@@",
    "X-SOCIALPROFILE;type=linkedin:x", "ORG:a;b", "N:a;b;c;d;e;f;g", ":", "TEL;VALUE=uri:tel:+34",
]), max_size=25).map("\n".join)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=st.one_of(_CSV_TEXT, _VCARD_TEXT))
def test_any_text_is_read_into_rows_or_refused_never_raises(tmp_path, text):
    source = tmp_path / "any.csv"
    source.write_text(text, encoding="utf-8", newline="")
    try:
        rows = list(read_file(source))
    except ImportFailed:
        return
    assert all(isinstance(r, Row) and (r.problem or r.name) for r in rows)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=st.lists(st.tuples(st.sampled_from(["Ana Paz", "Luis Gil", "Paz, Ana", "José Núñez", ""]),
                               st.sampled_from(["", "a@x.es", "A@X.ES", "l@y.es"]),
                               st.sampled_from(["", "https://linkedin.com/in/a", "https://linkedin.com/in/b"])),
                     max_size=8))
# A profile given under two names: the row that conflicts on the name must not teach that name.
@example(rows=[("Luis Gil", "", "https://linkedin.com/in/a"), ("Luis Gil", "", "https://linkedin.com/in/b"),
               ("Ana Paz", "", "https://linkedin.com/in/b"), ("Luis Gil", "", "")])
# A profile in conflict with the note's is not learnt, or the file imported again places more rows.
@example(rows=[("Ana Paz", "", "https://linkedin.com/in/b"), ("Ana Paz", "a@x.es", "https://linkedin.com/in/a"),
               ("Ana Paz", "l@y.es", "https://linkedin.com/in/a"), ("Ana Paz", "l@y.es", "")])
# The same profile given to two people: the second import skips the row the first had in conflict.
@example(rows=[("Ana Paz", "a@x.es", "https://linkedin.com/in/b"), ("Ana Paz", "a@x.es", "https://linkedin.com/in/a"),
               ("Luis Gil", "", "https://linkedin.com/in/a")])
def test_import_twice_is_import_once(tmp_path_factory, rows):
    from mdnet.importers.plan import run

    root = tmp_path_factory.mktemp("v")
    (root / "Campaign.md").write_text(CAMPAIGN)
    source = root.parent / f"{root.name}.csv"
    source.write_text("First Name,Last Name,Email Address,URL\n" + "\n".join(
        f'"{n}",,{e},{u}' for n, e, u in rows) + "\n")
    first = run(root, [source], date(2026, 12, 1))
    once = snapshot(root)
    second = run(root, [source], date(2026, 12, 2))
    assert snapshot(root) == once
    assert not second.of("created") and not second.of("merged")
    # The notes now know more, so a row may move from conflict to skipped; never more problems.
    problems = lambda outcome: len(outcome.of("skipped")) + len(outcome.of("conflict"))  # noqa: E731
    assert problems(second) <= problems(first)
    shutil.rmtree(root)


@settings(max_examples=60, deadline=None)
@given(kinds=st.lists(st.sampled_from(["email", "phone", "linkedin"]), min_size=2, max_size=2, unique=True))
def test_a_row_matching_two_notes_by_different_identifiers_is_reported_not_guessed(kinds):
    from mdnet.model import Contact

    values = {"email": "a@x.es", "phone": "600112233", "linkedin": "https://linkedin.com/in/a"}
    notes = [Contact(path=f"Contacts/N{i}.md", name=f"N{i}", **{k: values[k]}) for i, k in enumerate(kinds)]
    planner = Planner(Path("/nonexistent"), notes, "ES", date(2026, 12, 1), "en", None, None, None)
    row = Row("google", "f.csv", 2, name="Someone", emails=(values["email"],), phones=(values["phone"],),
              linkedin=values["linkedin"])
    planner.take(row)
    (entry,) = planner.entries
    assert entry.kind == "skipped" and "N0.md" in entry.detail and "N1.md" in entry.detail


# --- the journey -----------------------------------------------------------------------------------

def test_journey_hand_written_contacts_then_linkedin_google_and_a_phone(mdnet, make_vault):
    root = make_vault({
        "Campaña.md": CAMPAIGN.replace("goal: g", "goal: g\nlocale: es"),
        "Contactos/Marta Ruiz.md": "---\ntype: contact\ncircle: professional\ncompany: Ruiz Asociados\n"
                                   "closeness: 2\n---\nLa conocí en 2019.\n",
        "Contactos/Luis Gil.md": "---\ntype: contact\ncircle: personal\nemail: luis@example.com\n"
                                 "relation: amigo de la facultad\n---\n",
        "Contactos/Pepa.md": "---\ntype: contact\ncircle: personal\nphone: 600 123 456\naliases: [José Núñez]\n---\n",
    })
    written = {rel: data for rel, data in snapshot(root).items() if rel.startswith("Contactos/")}
    for source, extra in (("Connections.csv", ()), ("google.csv", ()), ("phone.vcf", ("--circle", "personal"))):
        code, _, _ = run_import(mdnet, root, str(FIXTURES / source), *extra)
        assert code == 1  # each file has one nameless row
    notes = snapshot(root)
    contacts = sorted(rel for rel in notes if rel.startswith("Contactos/"))
    assert contacts == ["Contactos/Luis Gil.md", "Contactos/Marta Ruiz.md", "Contactos/Nuria Domènech.md",
                        "Contactos/Pepa.md", "Contactos/Íñigo Zubizarreta.md"]
    for rel, data in written.items():  # every value the user wrote is still there (first in a list it became)
        before, after = (edit.values(edit.parse(d, rel)) for d in (data, notes[rel]))
        for key, value in before.items():
            assert after[key] == value or isinstance(after[key], list) and after[key][0] == value, (rel, key)
        assert data.split(b"---\n", 2)[2] in notes[rel]  # and the body
    pepa = notes["Contactos/Pepa.md"].decode()
    assert "jose.nunez@example.com" in pepa and "linkedin.com/in/jose-nunez" in pepa
    code, out, _ = mdnet("check", "--vault", str(root))
    assert code == 0 and out.startswith("0 errors, 0 warnings"), out


def test_example_vault_imports(mdnet, tmp_path):
    example = Path(__file__).resolve().parent.parent / "example-vault"
    root = shutil.copytree(example, tmp_path / "example-vault")
    code, out, _ = run_import(mdnet, root, str(root / "imports" / "Connections.csv"))
    assert code == 1 and [e["note"] for e in out["created"]] == ["Contactos/Óscar Beltrán.md"]
    assert [e["field"] for e in out["conflicts"]] == ["role"]  # María Peña's role, as she wrote it, is kept
    imports = root / "imports"
    code, out, _ = run_import(mdnet, root, *(str(imports / f) for f in ("google.csv", "outlook.csv", "contactos.vcf")),
                              "--circle", "personal")
    assert code == 0 and len(out["created"]) == 3
    assert {e["note"] for e in out["merged"]} == {"Contactos/Carmen Ibáñez.md", "Contactos/José Núñez.md"}
    code, text, _ = mdnet("check", "--vault", str(root))
    assert code == 0 and text.startswith("0 errors, 0 warnings"), text


def test_a_template_of_the_users_that_leaves_fields_out_loses_nothing(mdnet, make_vault):
    root = make_vault({"Campaign.md": CAMPAIGN,
                       ".mdnet/templates/contact.md.j2": "---\ntype: contact\ncreated: {{ created | yaml }}\n---\n"})
    code, _, _ = run_import(mdnet, root, str(FIXTURES / "google.csv"))
    assert code == 1
    luis = (root / "Contacts/Luis Gil.md").read_text()
    for value in ("company: Banco Sur", "role: Analista", "  - luis@example.com", "  - Amigos-de-la-uni",
                  "source: google", "Le gusta el jazz."):
        assert value in luis


def test_many_notes_written_at_once_never_over_a_note_changed_meanwhile(make_vault):
    from mdnet import write
    from mdnet.errors import NoteRefused

    root = make_vault({f"Contacts/P{i}.md": f"---\ntype: contact\nrole: r{i}\n---\n" for i in range(10)})
    plan = write._Plan(root)
    for i in range(10):
        rel = f"Contacts/P{i}.md"
        plan.change(rel, (root / rel).read_bytes(), f"---\ntype: contact\nrole: new{i}\n---\n".encode())
    plan.create("Contacts/New.md", "---\ntype: contact\n---\n", "created")
    (root / "Contacts/P5.md").write_text("---\ntype: contact\nrole: edited in Obsidian\n---\n")
    with pytest.raises(NoteRefused):
        plan.commit()  # refused before anything is written
    assert (root / "Contacts/P0.md").read_text() == "---\ntype: contact\nrole: r0\n---\n"
    plan.files = [f for f in plan.files if f[0] != "Contacts/P5.md"]
    plan.commit()
    assert (root / "Contacts/P9.md").read_text() == "---\ntype: contact\nrole: new9\n---\n"
    assert (root / "Contacts/P5.md").read_text() == "---\ntype: contact\nrole: edited in Obsidian\n---\n"
    assert not [p for p in (root / "Contacts").iterdir() if p.name.endswith(".tmp")]


def test_closeness_and_circle_given_fill_only_empty_fields(mdnet, make_vault):
    root = make_vault({"Campaign.md": CAMPAIGN,
                       "Contacts/Marta Ruiz.md": "---\ntype: contact\ncircle: personal\ncloseness: 1\n---\n"})
    code, out, _ = run_import(mdnet, root, str(FIXTURES / "Connections.csv"), "--circle", "oportunidad",
                              "--closeness", "4")
    assert code == 1
    assert [(e["field"], e["note_value"], e["value"]) for e in out["conflicts"]] == [("closeness", "1", "4")]
    marta = (root / "Contacts/Marta Ruiz.md").read_text()
    assert "circle: personal\ncloseness: 1\n" in marta  # the user's, never the option's
    jose = (root / "Contacts/José Núñez.md").read_text()
    assert "circle: opportunity\ncloseness: 4\n" in jose


def test_a_large_file_shows_a_progress_bar_and_imports_every_row(make_vault, tmp_path, capsys):
    from mdnet.importers import report

    source = tmp_path / "Connections.csv"
    source.write_text("First Name,Last Name,URL\n" + "".join(f"P{i},Q,https://linkedin.com/in/p{i}\n"
                                                            for i in range(report.BAR_ROWS + 1)))
    root = make_vault({"Campaign.md": CAMPAIGN})
    outcome = report.run(root, [source], date(2026, 12, 1), None, None, None, True, None, progress=True)
    assert len(outcome.of("created")) == report.BAR_ROWS + 1
    assert capsys.readouterr().out == ""  # the bar is drawn on the error stream, never in the JSON


def test_a_name_is_the_note_the_write_commands_take_it_for(make_vault):
    """An import matches names as `log` and `new meeting` do: `Íñigo Zubizarreta` is the note
    `Íñigo Zubizarreta 🚀`, not a new person."""
    from mdnet.importers.plan import run

    root = make_vault({"Campaign.md": CAMPAIGN,
                       "Contacts/Íñigo Zubizarreta 🚀.md": "---\ntype: contact\ncircle: professional\n---\n"})
    source = root.parent / "in.csv"
    source.write_text("First Name,Last Name,Email Address,URL\nÍñigo,Zubizarreta,inigo@x.es,\n", encoding="utf-8")
    outcome = run(root, [source], date(2026, 12, 1))
    assert not outcome.of("created") and [e.row.name for e in outcome.of("merged")] == ["Íñigo Zubizarreta"]
    assert "inigo@x.es" in (root / "Contacts/Íñigo Zubizarreta 🚀.md").read_text(encoding="utf-8")


def test_many_notes_reach_the_disk_before_any_takes_its_name(make_vault, monkeypatch):
    """A crash can leave no note empty: when the one sync happens, every new note's bytes are staged
    under a temporary name and no note has its new name or bytes yet; after it, all of them do."""
    from mdnet import files, write

    root = make_vault({f"Contacts/P{i}.md": f"---\ntype: contact\nrole: r{i}\n---\n" for i in range(4)})
    plan = write._Plan(root)
    for i in range(4):
        rel = f"Contacts/P{i}.md"
        plan.change(rel, (root / rel).read_bytes(), f"---\ntype: contact\nrole: new{i}\n---\n".encode())
    for i in range(6):
        plan.create(f"Contacts/N{i}.md", f"---\ntype: contact\nrole: n{i}\n---\n", "created")
    seen = []

    def sync() -> None:
        folder = root / "Contacts"
        staged = sorted(p.read_text() for p in folder.iterdir() if p.name.endswith(".tmp"))
        seen.append((staged, sorted(p.name for p in folder.glob("*.md")), (folder / "P2.md").read_text()))

    monkeypatch.setattr(files, "SYNC_WAITS", True)
    monkeypatch.setattr(files, "sync", sync)
    plan.commit()
    [(staged, names, p2)] = seen
    assert staged == sorted([f"---\ntype: contact\nrole: new{i}\n---\n" for i in range(4)]
                            + [f"---\ntype: contact\nrole: n{i}\n---\n" for i in range(6)])
    assert names == [f"P{i}.md" for i in range(4)] and p2 == "---\ntype: contact\nrole: r2\n---\n"
    assert (root / "Contacts/N5.md").read_text() == "---\ntype: contact\nrole: n5\n---\n"
    assert (root / "Contacts/P2.md").read_text() == "---\ntype: contact\nrole: new2\n---\n"
    assert not [p for p in (root / "Contacts").iterdir() if p.name.endswith(".tmp")]
