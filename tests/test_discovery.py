"""Finding the vault (SPEC section 2): --vault, $MDNET_VAULT, else the nearest folder up that is
one; never the home folder, the temporary folder or `/`; where none is found, exit 3 saying how
to fix it, and write commands make nothing."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest

from mdnet import listing

CAMPAIGN = "---\ntype: campaign\ngoal: Pasar a producto\nlocale: es\ntimezone: Europe/Madrid\n---\n"
CONTACT = "---\ntype: contact\ncircle: personal\n---\n"


@pytest.fixture
def nowhere(tmp_path, monkeypatch):
    """A folder of notes in no vault, as the working folder, with no $MDNET_VAULT."""
    monkeypatch.delenv("MDNET_VAULT", raising=False)
    folder = tmp_path / "Descargas"
    (folder / "otros").mkdir(parents=True)
    (folder / "otros/nota.md").write_text("# una nota\n", encoding="utf-8")
    monkeypatch.chdir(folder)
    return folder


def files_below(folder: Path) -> list[str]:
    return sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*"))


@pytest.mark.parametrize("args", [("agenda",), ("check",), ("ics",), ("new", "contact", "Ana"),
                                  ("new", "meeting", "Ana", "--create-contact"), ("log", "Ana", "--contacted")])
def test_no_vault_found_exits_3_saying_how_to_fix_it(nowhere, mdnet, args):
    before = files_below(nowhere)
    code, out, err = mdnet(*args)
    assert (code, out) == (3, "")
    assert f"no vault in {nowhere} or any folder above it" in err
    assert "mdnet init" in err and "--vault" in err and "$MDNET_VAULT" in err
    assert "Traceback" not in err
    assert files_below(nowhere) == before  # no Contacts/, no .mdnet/


def test_walking_up_passes_over_the_temporary_and_home_folders(tmp_path, monkeypatch, mdnet):
    """Both hold what would mark a vault; a command run below them still finds none."""
    monkeypatch.delenv("MDNET_VAULT", raising=False)
    temporary, home = tmp_path / "tmp", tmp_path / "tmp/home"
    for folder in (temporary / ".obsidian", home / ".mdnet", home / "Contacts"):
        folder.mkdir(parents=True)
    (temporary / "Campaign.md").write_text(CAMPAIGN, encoding="utf-8")
    monkeypatch.setattr(tempfile, "tempdir", str(temporary))
    monkeypatch.setenv("HOME", str(home))
    work = home / "work"
    work.mkdir()
    for cwd in (temporary, home, work):
        with pytest.raises(listing.VaultNotFound):
            listing.find_vault(None, cwd)
    monkeypatch.chdir(work)
    assert mdnet("check")[0] == 3


@pytest.mark.parametrize("marker", [".obsidian/", ".mdnet/", "Campaña.md", "Contactos/", "reuniones/", "People/"])
def test_the_nearest_folder_up_with_a_marker_is_the_vault(tmp_path, marker):
    root = tmp_path / "Red"
    (root / "Notas/2026").mkdir(parents=True)
    if marker.endswith("/"):
        (root / marker).mkdir()
    else:
        (root / marker).write_text(CAMPAIGN, encoding="utf-8")
    assert listing.find_vault(None, root / "Notas/2026") == root
    assert listing.find_vault(None, root) == root


def test_a_command_run_inside_a_vault_finds_it(tmp_path, monkeypatch, mdnet):
    monkeypatch.delenv("MDNET_VAULT", raising=False)
    root = tmp_path / "Red"
    (root / "Contactos").mkdir(parents=True)
    (root / "Campaña.md").write_text(CAMPAIGN, encoding="utf-8")
    monkeypatch.chdir(root / "Contactos")
    code, out, err = mdnet("new", "contact", "Ana Núñez", "--circle", "personal")
    assert (code, out) == (0, f"{root / 'Contactos/Ana Núñez.md'}\n"), err
    code, out, err = mdnet("check")
    assert (code, out) == (0, "0 errors, 0 warnings in 0 notes; 2 notes read\n"), err


def test_a_write_command_given_a_folder_that_is_no_vault_makes_nothing(tmp_path, mdnet):
    folder = tmp_path / "vacía"
    folder.mkdir()
    for args in (("new", "contact", "Ana"), ("new", "meeting", "Ana", "--create-contact")):
        code, out, err = mdnet(*args, "--vault", str(folder))
        assert (code, out) == (3, "")
        assert f"{folder} is no vault" in err and f"mdnet init {folder}" in err
    assert list(folder.iterdir()) == []
    # `init` makes it one; then the same command writes.
    assert mdnet("init", str(folder), "--locale", "es", "--timezone", "Europe/Madrid")[0] == 0
    code, out, err = mdnet("new", "contact", "Ana", "--vault", str(folder))
    assert (code, out) == (0, f"{folder / 'Contactos/Ana.md'}\n"), err


def test_the_vault_from_the_environment(tmp_path, monkeypatch, mdnet):
    root = tmp_path / "Red"
    (root / "Contactos").mkdir(parents=True)
    (root / "Contactos/Ana.md").write_text(CONTACT, encoding="utf-8")
    monkeypatch.setenv("MDNET_VAULT", str(root))
    monkeypatch.chdir(tmp_path)
    code, out, _ = mdnet("check")
    assert "1 note read" in out
    monkeypatch.setenv("MDNET_VAULT", str(tmp_path / "missing"))
    code, _, err = mdnet("check")
    assert code == 3 and "it is not a folder" in err
