"""Writers killed halfway: a temporary file that a killed writer left is removed by the next one,
and no file of anyone else's is.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

from mdnet import files

MEETING = "Meetings/2026-11-20 Ana Núñez.md"
VAULT = {
    "Campaign.md": "---\ntype: campaign\ntimezone: Europe/Madrid\n---\n",
    "Contacts/Ana Núñez.md": "---\ntype: contact\ncircle: personal\n---\n",
    MEETING: "---\ntype: meeting\nwith:\n  - \"[[Ana Núñez]]\"\ndate: 2026-11-20T10:30\nstatus: done\n---\n"
             "\nNotes.\n",
}


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
