"""The benchmark's synthetic vault: its light shape reads cleanly and is what it claims to be."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
import yaml

from mdnet import synth
from mdnet.vault import load


def digest(root: Path) -> str:
    h = hashlib.sha256()
    for path in sorted(root.rglob("*.md")):
        h.update(path.relative_to(root).as_posix().encode())
        h.update(path.read_bytes())
    return h.hexdigest()


def front_matter(path: Path) -> tuple[dict, str]:
    _, block, body = path.read_text(encoding="utf-8").split("---\n", 2)
    return yaml.safe_load(block), body


@pytest.fixture(scope="module")
def light(tmp_path_factory) -> tuple[Path, synth.Synth]:
    root = tmp_path_factory.mktemp("light") / "Vault"
    return root, synth.write(root, contacts=200, meetings=1000, shape="light")


def test_the_light_shape_is_read_without_a_problem(light):
    root, written = light
    vault = load(root)
    assert vault.problems == ()
    assert len(vault.notes) == written.notes == 1 + 200 + 1000
    assert len(vault.contacts) == 200 and len(vault.meetings) == 1000
    assert vault.campaign.timezone == "Europe/Madrid"


def test_light_notes_have_four_to_six_properties_and_about_a_kilobyte_of_prose(light):
    root, _ = light
    for path in root.rglob("*.md"):
        properties, body = front_matter(path)
        assert 4 <= len(properties) <= 6, path
        if path.name != "Campaña.md":
            assert len(body.encode("utf-8")) >= 1000, path


def test_light_meetings_list_people_flow_style_and_done_ones_three_referrals(light):
    root, _ = light
    done = 0
    for path in (root / "Reuniones").rglob("*.md"):
        text = path.read_text(encoding="utf-8")
        assert '\nwith: ["[[' in text and "\n  - " not in text
        properties, _ = front_matter(path)
        if properties["status"] == "hecha":
            done += 1
            assert len(properties["referrals"]) == 3
            assert text.count("\nreferrals: [") == 1
    assert done > 900


def test_the_planned_meeting_to_edit_has_its_time(light):
    root, written = light
    assert "T10:30\n" in (root / written.planned_in_window).read_text(encoding="utf-8")


def test_each_shape_writes_the_same_bytes_every_time_and_the_shapes_differ(tmp_path):
    digests = {}
    for shape in synth.SHAPES:
        first = synth.write(tmp_path / f"{shape}-1", contacts=50, meetings=200, shape=shape)
        again = synth.write(tmp_path / f"{shape}-2", contacts=50, meetings=200, shape=shape)
        assert first.planned_in_window == again.planned_in_window
        digests[shape] = digest(tmp_path / f"{shape}-1")
        assert digests[shape] == digest(tmp_path / f"{shape}-2")
    assert digests["full"] != digests["light"]


def test_an_unknown_shape_is_refused(tmp_path):
    with pytest.raises(ValueError, match="shape"):
        synth.write(tmp_path, contacts=5, meetings=5, shape="heavy")
