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


def test_a_note_saved_meanwhile_is_not_written_over_and_the_count_of_the_others_is_said(make_vault, mdnet,
                                                                                           monkeypatch):
    from mdnet import setting

    names = [f"Person {i:02}" for i in range(20)]
    root = make_vault({f"People/{name}.md": JOSE for name in names})
    real = setting.changed

    def saved_meanwhile(data, path, sets):  # Obsidian saves one note after mdnet read it
        if path == "People/Person 07.md":
            (root / path).write_text("edited in Obsidian\n", encoding="utf-8")
        return real(data, path, sets)

    monkeypatch.setattr(setting, "changed", saved_meanwhile)
    code, _, err = mdnet("set", "--vault", str(root), *names, "--closeness", "1")
    assert code == 6 and "People/Person 07.md changed while mdnet was editing it" in err
    written = [n for n in names if (root / f"People/{n}.md").read_text(encoding="utf-8").startswith("---")]
    assert f"of the other notes, {len(written)} were written" in err and "Run the command again" in err
    assert "Person 07" not in written and (root / "People/Person 07.md").read_text() == "edited in Obsidian\n"
    # Its group of notes was left as it was; run again, the rest is done and the edit kept.
    monkeypatch.setattr(setting, "changed", real)
    assert mdnet("set", "--vault", str(root), *names, "--closeness", "1")[0] == 0
    assert all((root / f"People/{n}.md").read_text(encoding="utf-8").startswith("---\ncloseness: 1\n---\n")
               for n in names)
