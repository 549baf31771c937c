"""Damaged caches are never believed: whatever byte of a cache file changes, and whatever stands
where a cache file should be, every output is what a run without caches gives."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import Clock
from mdnet import agenda, fast, pipeline
from mdnet.cli import dump_json
from mdnet.fast import index, memo, store

REPO = Path(__file__).parent.parent.parent
TODAY = pipeline.date(2026, 11, 27)
CACHES = (index.INDEX, memo.OUTPUT, store.FILE)
NOTE = "Reuniones/2026-11-19 Pablo Serrano.md"


def outputs(root: Path, cached: bool) -> tuple[bytes, ...]:
    """The agenda (JSON and Markdown) and the feed, through the caches or without them."""
    makes = ((("agenda", "json"), True, lambda r: dump_json(agenda.as_json(r)).encode()),
             (("agenda", "md"), True, lambda r: agenda.render_markdown(r).encode()),
             (("ics", False), False, lambda r: __import__("mdnet.ics").ics.feed(r)))
    if not cached:
        result = pipeline.run(root, TODAY, 7)
        return tuple(make(result) for _, _, make in makes)
    return tuple(fast.output(root, TODAY, 7, what, make, partial=partial) for what, partial, make in makes)


@pytest.fixture
def vault(tmp_path):
    """The example vault with its caches made, the note to edit in two versions, and the truth."""
    root = tmp_path / "Vault"
    shutil.copytree(REPO / "example-vault", root)
    clock = Clock()
    for path in sorted(root.rglob("*.md")):
        clock.stamp(path)
    note = root / NOTE
    versions = [note.read_text(encoding="utf-8")]
    versions.append(versions[0].replace("duration: 60", "duration: 90"))
    assert versions[1] != versions[0]
    stamps = [note.stat().st_mtime_ns, clock.ns + 10**9]
    truth = []
    for text, ns in zip(versions, stamps):
        note.write_text(text, encoding="utf-8")
        os.utime(note, ns=(ns, ns))
        truth.append(outputs(root, cached=False))
    note.write_text(versions[0], encoding="utf-8")
    os.utime(note, ns=(stamps[0], stamps[0]))
    assert outputs(root, cached=True) == truth[0]
    pristine = {name: (root / ".mdnet" / name).read_bytes() for name in CACHES}
    return root, note, versions, stamps, truth, pristine


def at(root: Path, note: Path, versions, stamps, which: int) -> None:
    note.write_text(versions[which], encoding="utf-8")
    os.utime(note, ns=(stamps[which], stamps[which]))


@pytest.mark.parametrize("name", CACHES)
def test_any_changed_byte_of_a_cache_file_means_only_that_it_is_rebuilt(vault, name):
    root, note, versions, stamps, truth, pristine = vault
    data = pristine[name]
    tries = wrong = 0
    for offset in sorted({int(i * (len(data) - 1) / 23) for i in range(24)}):
        for which in (0, 1):  # the notes as cached (the stored output answers), and one note edited
            for cache, content in pristine.items():
                (root / ".mdnet" / cache).write_bytes(content)
            damaged = bytearray(data)
            damaged[offset] ^= 0xFF
            (root / ".mdnet" / name).write_bytes(bytes(damaged))
            at(root, note, versions, stamps, which)
            tries += 1
            wrong += outputs(root, cached=True) != truth[which]
    assert (tries, wrong) == (tries, 0)


@pytest.mark.parametrize("name", CACHES)
def test_a_fifo_or_a_folder_in_place_of_a_cache_file_is_ignored(vault, name):
    root, note, versions, stamps, truth, _ = vault
    target = root / ".mdnet" / name
    target.unlink()
    os.mkfifo(target)
    at(root, note, versions, stamps, 1)
    # In another process, bounded in time: a FIFO opened for reading would wait for ever.
    done = subprocess.run([sys.executable, "-m", "mdnet", "agenda", "--format", "json", "--vault", str(root),
                           "--today", str(TODAY)], capture_output=True, timeout=60)
    assert done.returncode == 0 and done.stdout == truth[1][0], done.stderr
    target.unlink()
    target.mkdir()
    assert outputs(root, cached=True) == truth[1]


@pytest.mark.parametrize("kind", ["link", "file"])
def test_a_mdnet_folder_that_is_a_link_or_a_file_is_never_written_through(make_vault, tmp_path, mdnet, kind):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    root = make_vault({"Campaign.md": "---\ntype: campaign\ntimezone: Europe/Madrid\n---\n",
                       "Contacts/Ana.md": "---\ncircle: personal\n---\n"})
    if kind == "link":
        os.symlink(elsewhere, root / ".mdnet")
    else:
        (root / ".mdnet").write_text("not a folder\n")
    first = mdnet("agenda", "--vault", str(root), "--today", "2026-11-27")
    assert first[0] == 0 and first == mdnet("agenda", "--vault", str(root), "--today", "2026-11-27")
    code, out, err = mdnet("serve", "--vault", str(root), "--port", "0")  # needs its token there: refuses
    assert code >= 3 and ".mdnet is a link or not a folder" in err
    code, out, err = mdnet("watch", "--vault", str(root), "--today", "2026-11-27")
    assert code >= 3 and ".mdnet is a link or not a folder" in err
    assert list(elsewhere.iterdir()) == []


def test_any_changed_byte_of_the_contacts_record_means_only_that_it_is_rebuilt(vault):
    """`contacts.pickle` (what `mdnet export` reads): a damaged one gives the contacts a full read
    gives, as the notes were cached and after a contact's note changed."""
    from mdnet.fast import roster
    from mdnet.vault import load

    root = vault[0]
    data = (root / ".mdnet" / roster.CONTACTS).read_bytes()
    contact = sorted((root / "Contactos").rglob("*.md"))[0]
    original, stamp = contact.read_text(encoding="utf-8"), contact.stat().st_mtime_ns
    tries = wrong = 0
    for offset in sorted({int(i * (len(data) - 1) / 23) for i in range(24)}):
        for edited in (False, True):
            damaged = bytearray(data)
            damaged[offset] ^= 0xFF
            (root / ".mdnet" / roster.CONTACTS).write_bytes(bytes(damaged))
            contact.write_text(original + ("\nOtra nota.\n" if edited else ""), encoding="utf-8")
            os.utime(contact, ns=(stamp + edited * 10**9, stamp + edited * 10**9))
            full = load(root)
            campaign, people, digests = fast.contacts(root)
            tries += 1
            wrong += (campaign, people, digests) != (full.campaign, full.contacts,
                                                     {c.path: roster.digest(c) for c in full.contacts})
    assert (tries, wrong) == (tries, 0)
