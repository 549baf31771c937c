"""`mdnet set`: circle, closeness and status on one or many contacts, every other byte kept."""

from __future__ import annotations

from mdnet.vault import load

ANA = ("---\r\n# kept as written\r\ntype: contact\r\ncircle: 'professional'   # from LinkedIn\r\n"
       "company: Acme\r\ntags: [a, b]\r\n---\r\n\r\n# Ana Núñez\r\nBody text.\r\n")
JOSE = "José met me at a wedding.\n\nHe works in Seville.\n"


def contacts(root):
    return {c.name: (c.circle, c.closeness, c.status) for c in load(root).contacts}


def test_set_changes_only_those_properties_on_many_contacts(make_vault, mdnet):
    root = make_vault({"Contacts/Ana Núñez.md": ANA, "People/José Núñez.md": JOSE,
                       "Contacts/Eva.md": "---\ncircle: personal\ncloseness: 1\n---\n"})
    code, out, err = mdnet("set", "--vault", str(root), "ana nunez", "JOSÉ NÚÑEZ", "--circle", "personal",
                           "--closeness", "2")
    assert code == 0, err
    assert contacts(root) == {"Ana Núñez": ("personal", 2, "active"), "José Núñez": ("personal", 2, "active"),
                              "Eva": ("personal", 1, "active")}
    assert (root / "Contacts/Ana Núñez.md").read_bytes() == ANA.replace(
        "circle: 'professional'", "circle: personal").replace("tags: [a, b]\r\n", "tags: [a, b]\r\ncloseness: 2\r\n"
                                                             ).encode()
    # A plain person note gets its properties above its text, which stays as it was.
    assert (root / "People/José Núñez.md").read_text(encoding="utf-8") == (
        "---\ncircle: personal\ncloseness: 2\n---\n" + JOSE)
    assert out.splitlines() == ["Contacts/Ana Núñez.md: circle: personal; closeness: 2",
                                "People/José Núñez.md: circle: personal; closeness: 2"]
    assert not [p for p in load(root).problems if p.path == "People/José Núñez.md"]


def test_set_again_changes_no_byte(make_vault, mdnet):
    root = make_vault({"People/José Núñez.md": JOSE})
    mdnet("set", "--vault", str(root), "José", "--circle", "opportunity", "--status", "pausado")
    before = (root / "People/José Núñez.md").read_bytes()
    code, out, _ = mdnet("set", "--vault", str(root), "José Núñez", "--circle", "oportunidad", "--status", "paused")
    assert code == 0 and out == "People/José Núñez.md: nothing to change\n"
    assert (root / "People/José Núñez.md").read_bytes() == before
    assert contacts(root) == {"José Núñez": ("opportunity", 3, "paused")}


def test_unknown_and_ambiguous_names_are_all_listed_and_nothing_is_written(make_vault, mdnet):
    files = {"Contacts/Ana Núñez.md": ANA, "Contacts/Ana Gil.md": "---\ncircle: personal\n---\n",
             "People/José Núñez.md": JOSE,
             "Meetings/2026-11-20 Eva.md": "---\nwith: \"[[Eva]]\"\ndate: 2026-11-20\n---\n"}
    root = make_vault(files)
    code, _, err = mdnet("set", "--vault", str(root), "José Núñez", "Ana", "Zoe", "2026-11-20 Eva",
                         "--closeness", "1")
    assert code == 2
    assert "3 of the names given are not one contact; nothing was written" in err
    assert "Ana: 'Ana' could be any of 2 notes: Contacts/Ana Gil.md, Contacts/Ana Núñez.md" in err
    assert "Zoe: no contact or meeting is named 'Zoe'" in err
    assert "2026-11-20 Eva: Meetings/2026-11-20 Eva.md is a meeting, not a contact" in err
    assert {rel: (root / rel).read_bytes().decode() for rel in files} == files


def test_set_needs_something_to_set_and_known_words(make_vault, mdnet):
    root = make_vault({"People/José Núñez.md": JOSE})
    assert mdnet("set", "--vault", str(root), "José")[0] == 2
    code, _, err = mdnet("set", "--vault", str(root), "José", "--circle", "family")
    assert code == 2 and "personal" in err
    assert mdnet("set", "--vault", str(root), "José", "--closeness", "6")[0] == 2
    assert (root / "People/José Núñez.md").read_text(encoding="utf-8") == JOSE


def test_a_note_whose_front_matter_cannot_be_edited_is_refused_and_nothing_is_written(make_vault, mdnet):
    broken = "---\ncircle: personal\n"  # never closed: not a contact mdnet can read, nor rewrite
    root = make_vault({"Contacts/Ana.md": "---\ncircle: personal\n---\n", "Contacts/Luis.md": broken})
    code, _, err = mdnet("set", "--vault", str(root), "Ana", "Contacts/Luis.md", "--closeness", "1")
    assert code != 0 and "nothing was written" in err
    assert (root / "Contacts/Ana.md").read_text() == "---\ncircle: personal\n---\n"
