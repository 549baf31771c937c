"""The index cache: whatever happens to the notes, a cached load equals a cold one."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from conftest import Clock, wait_until, write_vault
from mdnet import fast, listing, vault
from mdnet.fast import disk, index as indexes, memo

CAMPAIGN = "---\ntype: campaign\ngoal: Move into product\ntimezone: Europe/Madrid\nlocale: es\n---\n"
TEXTS = (
    "---\ntype: contact\ncircle: personal\ncloseness: 1\n---\n",
    "---\ntype: contacto\ncircle: profesional\nreferred_by: \"[[Ana Núñez]]\"\naliases: [Pepe]\n---\n",
    "---\ntype: meeting\nwith: \"[[Ana Núñez]]\"\ndate: 2026-11-20T10:30\nstatus: done\n"
    "referrals:\n  - \"[[José Pérez]]\"\n  - \"[[Luis]]\"\n---\n",
    "---\ntype: meeting\nwith: [\"[[Pepe]]\"]\ndate: 2026-12-01\n---\nbody\n",
    "---\ntype: meeting\nwith: \"[[José Pérez]]\"\ndate: 20/11/2026\n---\n",  # an error
    "---\nwith: [[Ana Núñez]]\n: :\n",  # not closed
    "no front matter at all\n",
    CAMPAIGN,
)
PATHS = ("Contactos/Ana Núñez.md", "Contactos/José Pérez.md", "Contacts/Luis.md", "Pepe.md",
         "Reuniones/2026-11-20 Ana Núñez.md", "Reuniones/2026/m.md", "Meetings/x.md", "Campaña.md")


def counting(monkeypatch) -> list[str]:
    """Record the path of every note the loader reads from disk."""
    read = []
    real = listing.read_file

    def read_file(f):
        read.append(f.path)
        return real(f)

    monkeypatch.setattr(listing, "read_file", read_file)
    return read


def settle(root: Path, clock: Clock) -> None:
    for path in root.rglob("*.md"):
        clock.stamp(path)


operations = st.lists(
    st.one_of(
        st.tuples(st.just("write"), st.sampled_from(PATHS), st.sampled_from(TEXTS)),
        st.tuples(st.just("delete"), st.sampled_from(PATHS), st.none()),
        st.tuples(st.just("rename"), st.sampled_from(PATHS), st.sampled_from(PATHS)),
        st.tuples(st.just("touch"), st.sampled_from(PATHS), st.none()),
        st.tuples(st.just("rename-folder"), st.sampled_from(("Contactos", "Reuniones")),
                  st.sampled_from(("Personas", "Citas", "Archivo"))),
    ),
    max_size=8,
)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(ops=operations)
def test_cached_load_equals_cold_load_after_any_edits(ops, monkeypatch):
    clock = Clock()
    with tempfile.TemporaryDirectory() as tmp:
        root = write_vault(Path(tmp) / "Vault", {PATHS[0]: TEXTS[0], PATHS[1]: TEXTS[1], PATHS[4]: TEXTS[2],
                                                 PATHS[7]: CAMPAIGN})
        settle(root, clock)
        assert fast.load(root) == vault.load(root)
        watching = indexes.Index(root)  # as `mdnet watch` keeps it, told the paths that changed
        watching.load()
        for op, path, arg in ops:
            target = root / path
            changed = set()
            reported = {path}  # what a file watcher reports: the paths touched, notes or folders
            if op == "write":
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_text(arg, encoding="utf-8")
                clock.stamp(target)
                changed.add(path)
            elif op == "delete":
                target.unlink(missing_ok=True)
            elif op == "rename" and target.exists() and arg != path:
                (root / arg).parent.mkdir(parents=True, exist_ok=True)
                target.replace(root / arg)  # keeps its time: only the path says it moved
                changed.add(arg)
                reported.add(arg)
            elif op == "touch" and target.exists():
                clock.stamp(target)
                changed.add(path)
            elif op == "rename-folder" and target.exists() and not (root / arg).exists():
                target.rename(root / arg)
                changed |= {str(p.relative_to(root)) for p in (root / arg).rglob("*.md")}
                reported.add(arg)
            read = counting(monkeypatch)
            cached = fast.load(root)
            monkeypatch.undo()
            cold = vault.load(root)
            assert cached == cold
            assert set(read) == changed  # the others came from the cache
            assert watching.load(reported) == cold


def test_nothing_changed_reads_nothing(make_vault, monkeypatch):
    root = make_vault({"Campaña.md": CAMPAIGN, "Contactos/Ana Núñez.md": TEXTS[0]})
    settle(root, Clock())
    cold = fast.load(root)
    read = counting(monkeypatch)
    assert fast.load(root) == cold
    assert read == []


def test_deleted_and_renamed_notes_leave_the_index(make_vault):
    root = make_vault({"Campaña.md": CAMPAIGN, "Contactos/Ana Núñez.md": TEXTS[0], "Contactos/Luis.md": TEXTS[0]})
    clock = Clock()
    settle(root, clock)
    fast.load(root)
    (root / "Contactos/Luis.md").unlink()
    (root / "Contactos/Ana Núñez.md").rename(root / "Contactos/Ana.md")
    fast.load(root)
    assert set(indexes.Index(root).entries) == {"Campaña.md", "Contactos/Ana.md"}


@pytest.mark.parametrize("damage", [b"", b"not a pickle", b"\x80\x05garbage", "truncated"])
def test_a_corrupt_cache_is_rebuilt_silently(make_vault, damage):
    root = make_vault({"Campaña.md": CAMPAIGN, "Contactos/Ana Núñez.md": TEXTS[0], "Reuniones/m.md": TEXTS[2]})
    settle(root, Clock())
    cold = vault.load(root)
    fast.load(root)
    path = root / ".mdnet" / indexes.INDEX
    path.write_bytes(path.read_bytes()[:100] if damage == "truncated" else damage)
    assert fast.load(root) == cold
    assert fast.load(root) == cold
    assert set(indexes.Index(root).entries) == {"Campaña.md", "Contactos/Ana Núñez.md", "Reuniones/m.md"}


def test_a_cache_from_another_version_is_rebuilt(make_vault, monkeypatch):
    root = make_vault({"Campaña.md": CAMPAIGN, "Contactos/Ana Núñez.md": TEXTS[0]})
    settle(root, Clock())
    fast.load(root)
    monkeypatch.setattr(disk, "SCHEMA", disk.SCHEMA + 1)
    read = counting(monkeypatch)
    cached = fast.load(root)
    assert sorted(read) == ["Campaña.md", "Contactos/Ana Núñez.md"]
    assert cached == vault.load(root)


def test_a_note_saved_twice_in_one_clock_tick_is_read_again(make_vault, monkeypatch):
    # Same size and same time: only the racy rule can tell. The note was modified just now.
    root = make_vault({"Campaña.md": CAMPAIGN, "Contactos/Ana Núñez.md": "---\ntype: contact\ncloseness: 1\n---\n"})
    note = root / "Contactos/Ana Núñez.md"
    stat = note.stat()
    fast.load(root)
    note.write_text("---\ntype: contact\ncloseness: 2\n---\n")
    os.utime(note, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    assert fast.load(root).contacts[0].closeness == 2


def test_the_state_folder_is_ignored_by_git(make_vault):
    root = make_vault({"Campaña.md": CAMPAIGN})
    fast.load(root)
    assert (root / ".mdnet/.gitignore").read_text() == "*\n"


def test_many_notes_are_read_in_worker_processes_with_the_same_result(make_vault, monkeypatch):
    files = {f"Contactos/Persona {i}.md": TEXTS[i % 2] for i in range(12)}
    root = make_vault({"Campaña.md": CAMPAIGN, **files})
    monkeypatch.setattr(indexes, "PARALLEL_MIN", 4)
    monkeypatch.setattr(indexes, "CHUNK", 5)
    assert fast.load(root) == vault.load(root)


def test_a_large_vault_has_its_cache_written_by_a_child_process(make_vault, monkeypatch):
    root = make_vault({"Campaña.md": CAMPAIGN, "Contactos/Ana Núñez.md": TEXTS[0], "Reuniones/m.md": TEXTS[2]})
    settle(root, Clock())
    monkeypatch.setattr(disk, "BACKGROUND_MIN", 1)
    monkeypatch.setattr(disk.threading, "active_count", lambda: 1)  # threads other tests left behind
    cold = fast.load(root)
    assert len(disk.writers()) == 1
    read = counting(monkeypatch)
    assert fast.load(root) == cold  # waits for the writer, then finds its work done
    assert read == []


class Planted:
    """What a malicious cache file would hold: unpickling it runs a command."""

    def __init__(self, marker: Path):
        self.marker = marker

    def __reduce__(self):
        return (os.system, (f"touch '{self.marker}'",))


def test_a_cache_file_planted_in_a_shared_vault_runs_no_code(make_vault, tmp_path):
    root = make_vault({"Campaña.md": CAMPAIGN, "Contactos/Ana Núñez.md": TEXTS[0]})
    settle(root, Clock())
    fast.load(root)
    marker = tmp_path / "ran"
    for name in (indexes.INDEX, memo.OUTPUT):  # with a checksum that matches: it only tells damage
        disk.write(root / ".mdnet" / name, disk.code_key(), Planted(marker))
    assert fast.load(root) == vault.load(root)
    assert memo.recall(root, "any key") is None
    assert not marker.exists()


def test_a_run_ends_before_its_cache_writer_and_the_next_run_waits_for_it(make_vault, monkeypatch):
    """A command piped into another ends when its output does, not when the cache is written."""
    root = make_vault({"Campaña.md": CAMPAIGN, "Contactos/Ana Núñez.md": TEXTS[0], "Reuniones/m.md": TEXTS[2]})
    settle(root, Clock())
    script = f"""
import sys, time
from pathlib import Path
from mdnet import fast
from mdnet.fast import disk
disk.BACKGROUND_MIN = 1
write = disk.write
disk.write = lambda path, *values: (time.sleep(2), write(path, *values))  # a slow disk
fast.load(Path({str(root)!r}))
print("answered")
"""
    start = time.monotonic()
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=30)
    assert done.stdout == "answered\n" and done.returncode == 0, done.stderr
    assert time.monotonic() - start < 1.8  # the pipe was not held open by the writer
    assert not (root / ".mdnet" / indexes.INDEX).exists()
    cold = vault.load(root)
    read = counting(monkeypatch)
    assert fast.load(root) == cold
    assert read == []  # it waited for the writer, then found its work done


def test_the_index_says_which_notes_read_differently(make_vault):
    """What `mdnet watch` reports as changed: not a note only touched, nor one whose links now
    resolve elsewhere because another note appeared."""
    meeting = "Reuniones/2026-11-20 Ana Núñez.md"
    root = make_vault({"Campaña.md": CAMPAIGN, "Contactos/Ana Núñez.md": TEXTS[0], meeting: TEXTS[2]})
    clock = Clock()
    settle(root, clock)
    index = indexes.Index(root)
    index.load()
    clock.stamp(root / meeting)
    index.load({meeting})
    assert index.modified == []
    (root / meeting).write_text(TEXTS[2].replace("10:30", "11:00"), encoding="utf-8")
    clock.stamp(root / meeting)
    index.load({meeting})
    assert index.modified == [meeting]
    (root / "Contactos/Luis.md").write_text(TEXTS[0], encoding="utf-8")  # named in the meeting's referrals
    clock.stamp(root / "Contactos/Luis.md")
    vault_now = index.load({"Contactos/Luis.md"})
    assert index.modified == ["Contactos/Luis.md"]
    assert vault_now == vault.load(root)
    assert any(link.contact == "Contactos/Luis.md" for m in vault_now.meetings for link in m.referrals)


def test_a_run_saving_while_another_reads_the_index_does_not_wait_for_it(make_vault):
    import fcntl

    root = make_vault({"Campaña.md": CAMPAIGN, "Contactos/Ana Núñez.md": TEXTS[0]})
    settle(root, Clock())
    (root / ".mdnet").mkdir()
    script = f"""
from pathlib import Path
from mdnet import fast
from mdnet.fast import disk
disk.BACKGROUND_MIN = 1
fast.load(Path({str(root)!r}))
print("answered")
"""
    with open(root / ".mdnet" / disk.LOCK, "w") as held:
        fcntl.flock(held, fcntl.LOCK_SH)  # another run, reading the index
        done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=30)
        assert done.stdout == "answered\n", done.stderr
        time.sleep(0.3)
        assert not (root / ".mdnet" / indexes.INDEX).exists()  # its writer waits its turn
    assert wait_until(lambda: (root / ".mdnet" / indexes.INDEX).exists())


