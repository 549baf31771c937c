"""Writers at the same time, and writers killed halfway.

Of two `mdnet log` runs on one note, both edits are kept (or one is refused and says so), never
one silently lost; a temporary file that a killed writer left is removed by the next one, and no
file of anyone else's is.

Each run is a process of its own, forked from this one with mdnet already imported, so that a
pair starts at the same instant (both wait on one pipe), and forty runs do not each wait for an
interpreter to start.
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from datetime import date
from pathlib import Path

import pytest

from mdnet import agenda, files, write  # imported once here rather than in each run
from mdnet.cli import main
from mdnet.edit import parse, values
from mdnet.errors import NoteRefused
from mdnet.notes import read_note

PAIRS = 20
DEADLINE = 60  # seconds for all the runs, so that a hang fails the test instead of stalling it
MEETING = "Meetings/2026-11-20 Ana Núñez.md"
VAULT = {
    "Campaign.md": "---\ntype: campaign\ntimezone: Europe/Madrid\n---\n",
    "Contacts/Ana Núñez.md": "---\ntype: contact\ncircle: personal\n---\n",
    MEETING: "---\ntype: meeting\nwith:\n  - \"[[Ana Núñez]]\"\ndate: 2026-11-20T10:30\nstatus: done\n---\n"
             "\nNotes.\n",
}


def _fork_run(args: list[str], gun: int, log: Path) -> int:
    """A child process that waits for a byte on `gun`, runs `mdnet *args` through its error
    boundary, writes its output to `log` and exits with its exit code."""
    pid = os.fork()
    if pid:
        return pid
    code = 70
    try:
        sys.stdout = sys.stderr = open(log, "w", encoding="utf-8")
        sys.argv = ["mdnet", *args]
        os.read(gun, 1)
        try:
            main()
            code = 0
        except SystemExit as e:
            code = e.code if isinstance(e.code, int) else 0 if e.code is None else 1
    except BaseException:
        import traceback

        traceback.print_exc()
    finally:
        sys.stdout.flush()
        os._exit(code)


def _wait(pids: list[int], deadline: float) -> list[int]:
    codes = {}
    while len(codes) < len(pids):
        for pid in pids:
            if pid not in codes:
                done, status = os.waitpid(pid, os.WNOHANG)
                if done:
                    codes[pid] = os.waitstatus_to_exitcode(status)
        if len(codes) < len(pids):
            if time.monotonic() > deadline:
                for pid in set(pids) - set(codes):
                    os.kill(pid, 9)
                    os.waitpid(pid, 0)
                raise AssertionError(f"mdnet log still running after {DEADLINE} s")
            time.sleep(0.005)
    return [codes[pid] for pid in pids]


@pytest.mark.skipif(not hasattr(os, "fork"), reason="runs are forked")
def test_two_logs_at_once_on_one_note_lose_no_edit(make_vault, tmp_path):
    root = make_vault(VAULT)
    deadline = time.monotonic() + DEADLINE
    runs = []  # (referral, exit code, output)
    for pair in range(PAIRS):
        gun, trigger = os.pipe()
        names = [f"Name {2 * pair + i}" for i in range(2)]
        logs = [tmp_path / f"{name}.log" for name in names]
        pids = [_fork_run(["log", MEETING, "--vault", str(root), "--today", "2026-11-21", "--referral", name],
                          gun, log) for name, log in zip(names, logs)]
        os.write(trigger, b"go")  # one byte each: both start now
        codes = _wait(pids, deadline)
        os.close(gun)
        os.close(trigger)
        runs += [(name, code, log.read_text(encoding="utf-8")) for name, code, log in zip(names, codes, logs)]

    data = (root / MEETING).read_bytes()
    result = read_note(MEETING, data)
    assert result.kind == "meeting" and not [p for p in result.problems if p.severity == "error"]
    listed = values(parse(data, MEETING))["referrals"]
    succeeded = [f"[[{name}]]" for name, code, _ in runs if code == 0]
    refused = [(name, code, out) for name, code, out in runs if code != 0]
    lost = [name for name in succeeded if name not in listed]
    print(f"{PAIRS} pairs: {len(succeeded)} runs exited 0, {len(refused)} refused, {len(lost)} edits lost")
    assert not lost, f"exited 0 but missing from the note: {lost}"
    assert sorted(listed) == sorted(succeeded)  # a refused run wrote nothing
    for name, code, out in refused:  # a refusal is an answer with advice, never a crash
        assert code >= 3 and "run the command again" in out.lower() and "Traceback" not in out, (name, code, out)
    assert len(succeeded) == 2 * PAIRS, refused  # the second writer waits for the first rather than give up
    assert not list(root.rglob("*.tmp"))


# --- the lock ----------------------------------------------------------------------------------

def test_a_writer_waits_for_the_lock_then_reads_what_the_holder_wrote(make_vault):
    root = make_vault(VAULT)
    held = threading.Event()

    def holder():
        with files.writing(root):
            held.set()
            time.sleep(0.3)
            (root / MEETING).write_bytes((root / MEETING).read_bytes().replace(b"status: done", b"status: planned"))

    thread = threading.Thread(target=holder)
    thread.start()
    held.wait()
    write.log(root, MEETING, today=date(2026, 11, 21), referrals=("Eva Ruiz",))
    thread.join()
    note = values(parse((root / MEETING).read_bytes(), MEETING))
    assert (note["status"], note["referrals"]) == ("planned", ["[[Eva Ruiz]]"])


def test_a_writer_gives_up_after_a_bounded_wait_and_writes_nothing(make_vault, mdnet, monkeypatch):
    root = make_vault(VAULT)
    before = (root / MEETING).read_bytes()
    monkeypatch.setattr(files, "LOCK_WAIT", 0.2)
    with files.writing(root):
        code, _, err = mdnet("log", MEETING, "--vault", str(root), "--referral", "Eva Ruiz")
        with pytest.raises(NoteRefused, match="another mdnet command has been writing notes"):
            agenda.write_note(root, "---\ngenerated: true\n---\n")
    assert code == 6 and "another mdnet command has been writing notes" in err and "Run the command again" in err
    assert (root / MEETING).read_bytes() == before
    assert not (root / "Contacts/Eva Ruiz.md").exists() and not (root / "Agenda.md").exists()


@pytest.mark.skipif(not hasattr(os, "fork"), reason="cache writers are forked")
def test_the_lock_is_free_once_a_command_returns_though_a_cache_writer_it_forked_runs_on(make_vault, monkeypatch):
    """A command reads the vault holding the lock, and reading a large vault forks a process that
    writes its cache: that process's copy of the lock's file must not keep the lock held."""
    from mdnet.fast import disk

    root = make_vault(VAULT)
    real = disk.write

    def slow(path, *values):
        time.sleep(1)
        real(path, *values)

    monkeypatch.setattr(disk, "BACKGROUND_MIN", 0)
    monkeypatch.setattr(disk.threading, "active_count", lambda: 1)  # threads other tests left behind
    monkeypatch.setattr(disk, "write", slow)
    write.log(root, MEETING, today=date(2026, 11, 21), referrals=("Eva Ruiz",))
    writers = disk.writers()
    assert writers and not os.waitpid(writers[-1], os.WNOHANG)[0]  # still writing the cache
    monkeypatch.setattr(files, "LOCK_WAIT", 0.1)
    with files.writing(root):
        pass
    for pid in writers:
        os.waitpid(pid, 0)


# --- what killed writers leave -------------------------------------------------------------------

def _gone_pid() -> int:
    """The id of a process that has ended."""
    child = subprocess.Popen([sys.executable, "-c", ""])
    child.wait()
    return child.pid


def _plant(folder: Path, name: str, age: float = 0) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"half a file")
    then = time.time() - age
    os.utime(path, (then, then))
    return path


def test_sweep_removes_only_mdnets_own_leftovers(tmp_path):
    old = files.STALE + 60
    gone, alive = _gone_pid(), os.getpid()
    removed = [_plant(tmp_path, ".Agenda.md.0a1b2c3d.tmp", old), _plant(tmp_path, ".Ana Núñez.md.ffffffff.tmp", old),
               _plant(tmp_path, f"plan.sqlite.{gone}.tmp"),
               _plant(tmp_path, f"plan.sqlite.{os.getppid()}.tmp", old)]  # untouched so long: that id is another's
    kept = [_plant(tmp_path, ".Agenda.md.0a1b2c3d.tmp.keep", old),  # not that name
            _plant(tmp_path, ".Agenda.md.456789ab.tmp"),  # its writer may be at work
            _plant(tmp_path, f"plan.sqlite.{alive}.tmp"),  # its writer is at work
            _plant(tmp_path, ".foo.tmp", old), _plant(tmp_path, "notes.0a1b2c3d.tmp", old),
            _plant(tmp_path, ".Agenda.md.0A1B2C3D.tmp", old), _plant(tmp_path, ".x.0a1b2c3.tmp", old),
            _plant(tmp_path, "plan.sqlite.tmp", old), _plant(tmp_path, "Agenda.md", old)]
    folder = tmp_path / ".Agenda.md.01234567.tmp"
    folder.mkdir()
    os.utime(folder, (time.time() - old, time.time() - old))
    files.sweep(tmp_path)
    assert [p.name for p in removed if p.exists()] == []
    assert [p.name for p in kept if not p.exists()] == []
    assert folder.is_dir()
    files.sweep(tmp_path / "missing")  # nothing to sweep, nothing said


def test_the_next_writer_removes_what_a_killed_one_left(make_vault, mdnet):
    root = make_vault(VAULT)
    old = files.STALE + 60
    left = [_plant(root, ".Agenda.md.0a1b2c3d.tmp", old), _plant(root / ".mdnet", ".index.pickle.0a1b2c3d.tmp", old),
            _plant(root / ".mdnet", f"plan.sqlite.{_gone_pid()}.tmp"),
            _plant(root / "Meetings", ".2026-11-20 Ana Núñez.md.0a1b2c3d.tmp", old)]
    mine = [_plant(root, ".foo.tmp", old), _plant(root / "Meetings", ".draft.tmp", old)]
    code, _, err = mdnet("agenda", "--vault", str(root), "--today", "2026-11-21", "--write")
    assert code == 0, err
    assert mdnet("log", MEETING, "--vault", str(root), "--referral", "Eva Ruiz")[0] == 0
    assert [p for p in left if p.exists()] == []
    assert all(p.exists() for p in mine)
