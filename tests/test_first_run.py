"""A first run on one's own notes: the installed command, shell completion, person notes without
properties, and `mdnet init` in a folder that already holds notes."""

from __future__ import annotations

import importlib.metadata
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from mdnet import __version__
from mdnet.notes import read_note
from mdnet.vault import load

DISTRIBUTION = "mdnet-campaign"  # `mdnet` on PyPI is another project
MDNET = Path(sys.executable).with_name("mdnet")  # the installed command, as a shell runs it


def test_the_distribution_installs_the_mdnet_command_and_package(mdnet):
    dist = importlib.metadata.distribution(DISTRIBUTION)
    assert dist.version == __version__
    assert [ep.value for ep in dist.entry_points if ep.group == "console_scripts" and ep.name == "mdnet"] == [
        "mdnet.cli:program"]
    assert "mdnet" in importlib.metadata.packages_distributions().get("mdnet", ["mdnet"])
    code, out, _ = mdnet("--version")
    assert (code, out) == (0, f"mdnet, version {__version__}\n")


@pytest.mark.parametrize("shell,marker", [("bash", "complete -o nosort -F _mdnet_completion mdnet"),
                                          ("zsh", "#compdef mdnet"),
                                          ("fish", "complete --no-files --command mdnet")])
def test_the_command_writes_its_completion_script_for_each_shell(shell, marker):
    done = subprocess.run([str(MDNET)], env={**os.environ, "_MDNET_COMPLETE": f"{shell}_source"},
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0 and marker in done.stdout and "_MDNET_COMPLETE" in done.stdout


def test_completion_offers_the_commands():
    done = subprocess.run([str(MDNET)], capture_output=True, text=True, timeout=60,
                          env={**os.environ, "_MDNET_COMPLETE": "bash_complete", "COMP_WORDS": "mdnet tri",
                               "COMP_CWORD": "1"})
    assert done.stdout.splitlines() == ["plain,triage"]


BARE = "# Ana Núñez\n\nMy sister's friend; works at Acme in Seville.\n"


def test_a_person_note_without_properties_is_a_contact_with_a_warning_saying_how_to_add_them():
    r = read_note("People/Ana Núñez.md", BARE.encode())
    assert r.kind == "contact" and (r.record.name, r.record.circle, r.record.closeness) == ("Ana Núñez", None, 3)
    [p] = r.problems
    assert (p.severity, p.line, p.code) == ("warning", 1, "no-properties")
    assert "circle" in p.message and "closeness" in p.message and "mdnet triage" in p.message
    assert p.as_json()["code"] == "no-properties"


def test_a_note_without_properties_in_a_meetings_folder_is_still_an_error():
    r = read_note("Meetings/2026-11-20 Ana.md", b"Coffee with Ana\n")
    assert r.record is None
    [p] = r.problems
    assert (p.severity, p.line) == ("error", 1) and "front matter" in p.message


def test_a_note_without_properties_elsewhere_is_not_mdnet_s_business():
    assert read_note("Diary/2026-11-20.md", b"Rainy day\n").kind is None


def test_check_counts_person_notes_without_properties_as_contacts(make_vault, mdnet):
    root = make_vault({"People/José Núñez.md": BARE, "People/Eva.md": "---\ncircle: personal\ncloseness: 2\n---\n"})
    assert [c.name for c in load(root).contacts] == ["Eva", "José Núñez"]
    code, out, _ = mdnet("check", "--vault", str(root), "--format", "json")
    problems = json.loads(out)["problems"]
    assert code == 0 and [(p["path"], p.get("code")) for p in problems if p["severity"] == "warning"
                          and p["path"]] == [("People/José Núñez.md", "no-properties")]


def test_init_in_an_existing_vault_lists_what_it_found_and_changes_none_of_it(make_vault, mdnet):
    notes = {
        "People/Ana Núñez.md": BARE,
        "People/Íñigo.md": "Met at the gym.\r\n",
        "People/Eva Peña.md": "---\ncircle: professional  # from work\ncloseness: 2\n---\nFormer boss.\n",
        "Meetings/2026-11-20 Eva Peña.md": "---\nwith: \"[[Eva Peña]]\"\ndate: 2026-11-20\n---\n",
        "Diary/today.md": "Nothing to do with contacts.\n",
        ".obsidian/app.json": "{}\n",
    }
    root = make_vault(notes)
    before = {p: p.read_bytes() for p in root.rglob("*") if p.is_file()}
    code, out, err = mdnet("init", str(root), "--locale", "en", "--goal", "Move into product", "--pitch", "")
    assert code == 0, err
    assert "found 1 contact with properties, 2 without (give them a circle and a closeness with " \
           "`mdnet triage`) and 1 meeting; none of them was changed" in out
    assert {p: p.read_bytes() for p in before} == before
    assert (root / "Campaign.md").is_file() and "People" in (root / "Campaign.md").read_text(encoding="utf-8")


def test_init_in_an_empty_folder_says_nothing_was_found(tmp_path, mdnet):
    code, out, _ = mdnet("init", str(tmp_path / "new"), "--locale", "es", "--goal", "", "--pitch", "")
    assert code == 0 and "found" not in out and "Campaña.md" in out
