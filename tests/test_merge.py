"""`mdnet merge KEEP DROP`: one person's two notes made one, every link re-pointed, every other byte kept."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

CAMPAIGN = "---\ntype: campaign\ngoal: Pasar a producto\ntimezone: Europe/Madrid\nlocale: es\nstart: 2026-01-01\n---\n"
KEEP = """---
type: contact
circle: personal
closeness: 1
company: Acme
email: jose@acme.example
phone: "+34 600 11 12 22"
tags: [amigos]
---
José, de la universidad.
"""
DROP = """---
type: contact
circle: professional
company: Initech
role: CTO
email:
  - pepe@casa.example
  - JOSE@acme.example
phone: 600111222
linkedin: "https://linkedin.com/in/pepe"
aliases: [Pepe]
tags: [erp]
---
# Notas

Conocido en un congreso.
"""
MEETING = """---
type: meeting
with: ["[[Pepe Nunez]]"]
date: 2026-11-02T10:00
status: done
thanked: true
referrals:
  - "[[Ana]]"
  - "[[Luis]]"
---
Con [[Pepe Nunez|Pepe]], ver [[Pepe Nunez#Notas]], [[Contactos/Pepe Nunez]] y ![[Pepe Nunez]].
En código: `[[Pepe Nunez]]`.
"""
BOTH = """---
type: meeting
with:
  - "[[José Núñez]]"
  - '[[Pepe]]'
date: 2026-11-03
status: planned
---
"""
REFERRED = "---\ntype: contact\ncircle: personal\nreferred_by: \"[[Pepe]]\"  # lo conocí por él\n---\n"


def snapshot(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*")
            if p.is_file() and ".mdnet" not in p.parts}


@pytest.fixture
def vault(make_vault):
    return make_vault({
        "Campaña.md": CAMPAIGN,
        "Contactos/José Núñez.md": KEEP,
        "Contactos/Pepe Nunez.md": DROP,
        "Contactos/Ana.md": "---\ntype: contact\ncircle: personal\n---\n",
        "Contactos/Luis.md": REFERRED,
        "Reuniones/2026-11-02 Pepe.md": MEETING,
        "Reuniones/2026-11-03 Ambos.md": BOTH,
        "Diario.md": ("Hoy hablé con [[Pepe]] y con [[pepe nunez]].\r\n"
                      "| quién |\r\n|---|\r\n| [[Pepe Nunez\\|P]] |\r\n"),
    })


def test_drop_becomes_part_of_keep(vault, mdnet):
    code, out, err = mdnet("merge", "--vault", str(vault), "José Núñez", "Pepe Nunez")
    assert code == 0, err
    assert (vault / "Contactos/José Núñez.md").read_text(encoding="utf-8") == """---
type: contact
circle: personal
closeness: 1
company: Acme
email:
  - jose@acme.example
  - pepe@casa.example
phone: "+34 600 11 12 22"
tags: [amigos, erp]
role: CTO
linkedin: "https://linkedin.com/in/pepe"
aliases:
  - Pepe Nunez
  - Pepe
---
José, de la universidad.

## Pepe Nunez

# Notas

Conocido en un congreso.
"""
    # The phone is the same number in E.164; the e-mail the same but for case: neither added twice.
    assert "conflict: circle: kept 'personal'; Pepe Nunez had 'professional'" in out
    assert "conflict: company: kept 'Acme'; Pepe Nunez had 'Initech'" in out
    assert not (vault / "Contactos/Pepe Nunez.md").exists()
    assert (vault / ".trash/Pepe Nunez.md").read_text(encoding="utf-8") == DROP
    assert "moved Contactos/Pepe Nunez.md to .trash/Pepe Nunez.md" in out


def test_every_link_to_drop_leads_to_keep_and_every_other_byte_stays(vault, mdnet):
    before = snapshot(vault)
    mdnet("merge", "--vault", str(vault), "José Núñez", "Pepe Nunez")
    after = snapshot(vault)
    assert after["Reuniones/2026-11-02 Pepe.md"].decode("utf-8") == MEETING.replace(
        '["[[Pepe Nunez]]"]', '["[[José Núñez]]"]').replace(
        "Con [[Pepe Nunez|Pepe]], ver [[Pepe Nunez#Notas]], [[Contactos/Pepe Nunez]] y ![[Pepe Nunez]].",
        "Con [[José Núñez|Pepe]], ver [[José Núñez#Notas]], [[José Núñez]] y ![[José Núñez]].")
    # One person is named once in a list: the link by alias, now to KEEP, goes.
    assert after["Reuniones/2026-11-03 Ambos.md"].decode("utf-8") == BOTH.replace("  - '[[Pepe]]'\n", "")
    # By alias: the text shown stays; the comment after the value stays.
    assert after["Contactos/Luis.md"].decode("utf-8") == REFERRED.replace('"[[Pepe]]"', '"[[José Núñez|Pepe]]"')
    assert after["Diario.md"] == ("Hoy hablé con [[José Núñez|Pepe]] y con [[José Núñez]].\r\n"
                                  "| quién |\r\n|---|\r\n"
                                  "| [[José Núñez\\|P]] |\r\n").encode("utf-8")  # in a table, `|` stays escaped
    untouched = set(before) - {"Contactos/José Núñez.md", "Contactos/Pepe Nunez.md", "Reuniones/2026-11-02 Pepe.md",
                               "Reuniones/2026-11-03 Ambos.md", "Contactos/Luis.md", "Diario.md"}
    assert untouched and all(after[p] == before[p] for p in untouched)


def test_afterwards_check_says_nothing_of_the_person_and_keep_is_met(vault, mdnet):
    _, before, _ = mdnet("check", "--vault", str(vault))
    assert "Pepe Nunez" in before  # an alias link, a name shared but for accents
    _, agenda, _ = mdnet("agenda", "--vault", str(vault), "--today", "2026-11-20", "--format", "json")
    kinds = {(a["contact"], a["kind"]) for a in json.loads(agenda)["actions"]}
    assert ("José Núñez", "first-meeting") in kinds or ("José Núñez", "meeting") in kinds

    mdnet("merge", "--vault", str(vault), "José Núñez", "Pepe Nunez")
    code, out, _ = mdnet("check", "--vault", str(vault))
    assert code == 0 and "Pepe" not in out and "José" not in out
    assert out.startswith("0 errors, 0 warnings")
    _, agenda, _ = mdnet("agenda", "--vault", str(vault), "--today", "2026-11-20", "--format", "json")
    plan = json.loads(agenda)
    mine = {a["kind"] for a in plan["actions"] if a["contact"] == "José Núñez"}
    assert "first-meeting" not in mine and "contact-referral" not in mine  # met, as Pepe was
    assert plan["stats"]["by_stage"]["met"] == 1


def test_dry_run_shows_the_edits_and_writes_nothing(vault, mdnet):
    before = snapshot(vault)
    code, out, _ = mdnet("merge", "--vault", str(vault), "José Núñez", "Pepe Nunez", "--dry-run")
    assert code == 0
    assert "+++ b/Reuniones/2026-11-02 Pepe.md" in out and '+with: ["[[José Núñez]]"]' in out
    assert "would move Contactos/Pepe Nunez.md to .trash/Pepe Nunez.md" in out
    assert "conflict: company" in out
    assert snapshot(vault) == before


def test_the_trash_never_overwrites(vault, mdnet):
    (vault / ".trash").mkdir()
    (vault / ".trash/Pepe Nunez.md").write_text("older")
    (vault / ".trash/Pepe Nunez 1.md").write_text("older still")
    code, out, _ = mdnet("merge", "--vault", str(vault), "José Núñez", "Pepe Nunez")
    assert code == 0 and "to .trash/Pepe Nunez 2.md" in out
    assert (vault / ".trash/Pepe Nunez.md").read_text() == "older"
    assert (vault / ".trash/Pepe Nunez 2.md").read_text(encoding="utf-8") == DROP


@pytest.mark.parametrize("keep, drop, why", [
    ("José Núñez", "José Núñez", "same note"),
    ("Contactos/José Núñez.md", "José Núñez", "same note"),
    ("José Núñez", "2026-11-02 Pepe", "is a meeting"),
    ("José Núñez", "Nadie", "no contact"),
])
def test_refusals_exit_2_and_write_nothing(vault, mdnet, keep, drop, why):
    before = snapshot(vault)
    code, _, err = mdnet("merge", "--vault", str(vault), keep, drop)
    assert code == 2 and why in err
    assert snapshot(vault) == before


@pytest.mark.parametrize("broken", [
    "---\ntype: contact\ncircle: [personal\n---\n",  # not YAML
    "---\ntype: contact\ncircle: personal\n",  # never closed
    "---\ntype: contact\ncircle: personal\ncreated: 20/11/2026\n---\n",  # an error on a field
])
def test_a_broken_note_is_refused(vault, mdnet, broken):
    (vault / "Contactos/Pepe Nunez.md").write_text(broken, encoding="utf-8")
    before = snapshot(vault)
    code, _, err = mdnet("merge", "--vault", str(vault), "José Núñez", "Contactos/Pepe Nunez.md")
    assert code == 2 and "Contactos/Pepe Nunez.md" in err
    assert snapshot(vault) == before


def test_keep_referred_by_drop_takes_drops_referrer(make_vault, mdnet):
    root = make_vault({
        "Contacts/Ana.md": "---\ntype: contact\ncircle: personal\n---\n",
        "Contacts/Eva Ruiz.md": "---\ntype: contact\ncircle: personal\nreferred_by: \"[[Eva R]]\"\n---\n",
        "Contacts/Eva R.md": "---\ntype: contact\ncircle: personal\nreferred_by: \"[[Ana]]\"\n---\n",
    })
    code, _, err = mdnet("merge", "--vault", str(root), "Eva Ruiz", "Eva R")
    assert code == 0, err
    text = (root / "Contacts/Eva Ruiz.md").read_text(encoding="utf-8")
    assert 'referred_by: "[[Ana]]"' in text
    assert mdnet("check", "--vault", str(root))[1].count(": warning:") == 1  # the missing campaign only


def test_keep_sharing_its_name_is_linked_by_path(make_vault, mdnet):
    root = make_vault({
        "Contacts/Work/Ana López.md": "---\ntype: contact\ncircle: professional\n---\n",
        "Archive/Ana López.md": "an old note, not a contact\n",
        "Contacts/Ana L.md": "---\ntype: contact\ncircle: professional\n---\n",
        "Meetings/m.md": "---\ntype: meeting\nwith: [\"[[Ana L]]\"]\ndate: 2026-11-02\n---\n",
    })
    code, _, err = mdnet("merge", "--vault", str(root), "Contacts/Work/Ana López.md", "Ana L")
    assert code == 0, err
    assert '["[[Contacts/Work/Ana López|Ana López]]"]' in (root / "Meetings/m.md").read_text(encoding="utf-8")


def test_line_ends_and_byte_order_mark_are_kept(make_vault, mdnet):
    keep = "\ufeff---\r\ntype: contact\r\ncircle: personal\r\n---\r\nTexto.\r\n"
    root = make_vault({
        "Contacts/Ana.md": keep,
        "Contacts/Ana B.md": "---\ntype: contact\ncircle: personal\nrole: CTO\n---\nOtro\ntexto.\n",
    })
    assert mdnet("merge", "--vault", str(root), "Ana", "Ana B")[0] == 0
    assert (root / "Contacts/Ana.md").read_bytes() == (
        "\ufeff---\r\ntype: contact\r\ncircle: personal\r\nrole: CTO\r\naliases:\r\n  - Ana B\r\n---\r\n"
        "Texto.\r\n\r\n## Ana B\r\n\r\nOtro\r\ntexto.\r\n").encode("utf-8")


def test_a_trash_that_is_a_link_is_refused_before_anything_is_written(vault, mdnet, tmp_path):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (vault / ".trash").symlink_to(elsewhere)
    before = snapshot(vault)
    code, _, err = mdnet("merge", "--vault", str(vault), "José Núñez", "Pepe Nunez")
    assert code != 0 and "is a link" in err
    assert snapshot(vault) == before and not list(elsewhere.iterdir())


def test_a_broken_note_elsewhere_is_said_and_the_rest_merged(vault, mdnet):
    broken = "---\ntype: meeting\nwith: [\"[[Pepe Nunez]]\"\n---\nCon [[Pepe Nunez]].\n"
    (vault / "Reuniones/rota.md").write_text(broken, encoding="utf-8")
    code, _, err = mdnet("merge", "--vault", str(vault), "José Núñez", "Pepe Nunez")
    assert code == 0
    assert "Reuniones/rota.md: its links were not re-pointed" in err
    assert (vault / "Reuniones/rota.md").read_text(encoding="utf-8") == broken
    assert "[[José Núñez]]" in (vault / "Reuniones/2026-11-02 Pepe.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("newline", ["\n", "\r\n"])
def test_replace_texts_keeps_quoting_and_removes_a_repeated_item(newline):
    from mdnet import edit

    before = ("---\nwith:\n  - \"[[Ana]]\"\n  - '[[Pepe]]'  # dup\n  - \"[[Luis]]\"\nreferrals: ['[[Pepe]]', x]\n"
              "met: [[Pepe]]\nreferred_by: 'de [[Pepe]]'\n---\n[[Pepe]] in the text is not its job\n"
              ).replace("\n", newline)
    change = lambda t: t.replace("[[Pepe]]", "[[Ana]]")  # noqa: E731
    same = lambda t: t if t and t.startswith("[[") else None  # noqa: E731
    after = edit.replace_texts(before.encode("utf-8"), "x.md", change, same).decode("utf-8")
    assert after == ("---\nwith:\n  - \"[[Ana]]\"\n  - \"[[Luis]]\"\nreferrals: ['[[Ana]]', x]\n"
                     "met: \"[[Ana]]\"\nreferred_by: 'de [[Ana]]'\n---\n[[Pepe]] in the text is not its job\n"
                     ).replace("\n", newline)
