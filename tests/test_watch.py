"""`mdnet watch` as a user runs it: edits of every kind show in Agenda.md within a bounded wait."""

from __future__ import annotations

import errno
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from datetime import date
from pathlib import Path

import pytest

from conftest import wait_until
from mdnet import watch

CAMPAIGN = "---\ntype: campaign\ngoal: Move into product\ntimezone: Europe/Madrid\nstart: 2026-01-01\n---\n"
CONTACT = "---\ntype: contact\ncircle: personal\n---\n"


def meeting(person: str, when: str) -> str:
    return f"---\ntype: meeting\nwith: \"[[{person}]]\"\ndate: {when}\n---\n"


class Running:
    """`mdnet watch` in a child process, its output lines collected as they come."""

    def __init__(self, root: Path):
        self.root = root
        self.process = subprocess.Popen(
            [sys.executable, "-m", "mdnet", "watch", "--vault", str(root), "--today", "2026-11-27"],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, encoding="utf-8")
        self.out: list[str] = []
        self.err: list[str] = []
        for stream, lines in ((self.process.stdout, self.out), (self.process.stderr, self.err)):
            threading.Thread(target=lambda s=stream, ls=lines: ls.extend(iter(s.readline, "")), daemon=True).start()
        assert wait_until(lambda: any(line.startswith("watching") for line in self.out), 15), self.err

    def agenda(self) -> str:
        try:
            return (self.root / "Agenda.md").read_text(encoding="utf-8")
        except FileNotFoundError:
            return ""

    def shows(self, text: str) -> bool:
        return wait_until(lambda: text in self.agenda())

    def hides(self, text: str) -> bool:
        return wait_until(lambda: text not in self.agenda())


def test_watch_follows_saves_renames_deletes_broken_notes_and_bursts(make_vault):
    root = make_vault({"Campaña.md": CAMPAIGN, "Contacts/José Núñez.md": CONTACT,
                       "Meetings/2026-11-30 José Núñez.md": meeting("José Núñez", "2026-11-30T10:30")})
    run = Running(root)
    try:
        assert "10:30" in run.agenda() and "José Núñez" in run.agenda()
        time.sleep(0.4)
        assert len(run.out) == 2  # the first build and "watching": its own writes woke nothing
        feed = root / ".mdnet/calendar.ics"
        assert "Núñez" in feed.read_text(encoding="utf-8")

        # An editor saving in place.
        note = root / "Meetings/2026-11-30 José Núñez.md"
        note.write_text(meeting("José Núñez", "2026-11-30T11:45"), encoding="utf-8")
        assert run.shows("11:45")
        assert wait_until(lambda: "T114500" in feed.read_text(encoding="utf-8"))

        # An editor saving atomically, with vim's test file and a backup along the way.
        (root / "Meetings/4913").write_text("")
        (root / "Meetings/4913").unlink()
        (root / "Meetings/2026-11-30 José Núñez.md~").write_text("backup")
        tmp = root / "Meetings/.2026-12-01 Luis Ortega.md.tmp"
        tmp.write_text(meeting("Luis Ortega", "2026-12-01T09:00"), encoding="utf-8")
        tmp.replace(root / "Meetings/2026-12-01 Luis Ortega.md")
        assert run.shows("Luis Ortega")
        assert wait_until(lambda: "Luis Ortega" in feed.read_text(encoding="utf-8"))

        # A deletion.
        (root / "Meetings/2026-12-01 Luis Ortega.md").unlink()
        assert run.hides("Luis Ortega")

        # A broken note is reported where an editor can jump to it; the rest is kept; then fixed.
        note.write_text(meeting("José Núñez", "30/11/2026"), encoding="utf-8")
        assert wait_until(lambda: any(line.startswith("Meetings/2026-11-30 José Núñez.md:4: error:") for line in run.err))
        assert run.hides("11:45")
        assert "Move into product" in run.agenda()
        note.write_text(meeting("José Núñez", "2026-11-30T12:15"), encoding="utf-8")
        assert run.shows("12:15")

        # A template of the vault's own, in a folder no event comes from: looked at every second.
        (root / ".mdnet/templates").mkdir()
        (root / ".mdnet/templates/agenda.md.j2").write_text(
            '{% extends "builtin:agenda.md.j2" %}{% block title %}# Mi agenda\n{% endblock %}', encoding="utf-8")
        assert run.shows("# Mi agenda")

        # A burst (a sync, a `git pull`): one rebuild, or two if it straddles the quiet gap.
        before = len(run.out)
        (root / "Meetings/Pulled").mkdir()
        for i in range(40):
            (root / f"Meetings/Pulled/2026-12-02 Persona {i}.md").write_text(
                meeting(f"Persona {i}", "2026-12-02T16:00"), encoding="utf-8")
        assert run.shows("Persona 39")
        assert all(f"Persona {i}]" in run.agenda() or f"Persona {i}|" in run.agenda() for i in range(40))
        assert len(run.out) - before <= 2

        # A folder of notes renamed, then deleted.
        (root / "Meetings/Pulled").rename(root / "Meetings/2026")
        assert wait_until(lambda: "Meetings/2026/2026-12-02 Persona 39" in run.agenda())
        shutil.rmtree(root / "Meetings/2026")
        assert run.hides("Persona 39")

        # The vault folder itself replaced (moved away, a copy put in its place).
        root.rename(root.with_name("old"))
        shutil.copytree(root.with_name("old"), root, ignore=shutil.ignore_patterns("Agenda.md", ".mdnet"))
        assert wait_until(lambda: (root / "Agenda.md").exists(), 5)
        (root / "Meetings/2026-11-30 José Núñez.md").write_text(meeting("José Núñez", "2026-11-30T17:05"),
                                                                 encoding="utf-8")
        assert run.shows("17:05")

        assert run.process.poll() is None
    finally:
        run.process.send_signal(signal.SIGINT)
        code = run.process.wait(timeout=10)
    assert code == 0
    assert not any("Traceback" in line for line in run.err)


def test_ctrl_c_exits_cleanly_right_away(make_vault):
    run = Running(make_vault({"Campaña.md": CAMPAIGN}))
    run.process.send_signal(signal.SIGINT)
    assert run.process.wait(timeout=10) == 0
    assert not any("Traceback" in line for line in run.err)


def test_editor_scratch_files_mdnet_files_and_dot_folders_do_not_count(tmp_path):
    w = watch.Watcher(tmp_path, lambda paths: None, ignore=[tmp_path / "Agenda.md", tmp_path / "feed.ics"])
    keep = ["Contacts/Ana Núñez.md", "Notes/x.MD"]
    drop = ["Agenda.md", "feed.ics", ".mdnet/index.pickle", ".obsidian/workspace.json", "Contacts/.Ana.md.swp",
            "Contacts/Ana.md~", "Contacts/4913", "Contacts/Ana.md.tmp", "Contacts/photo.jpg", "../elsewhere.md"]
    assert [w.relevant(str(tmp_path / p)) for p in keep] == keep
    assert [w.relevant(str(tmp_path / p)) for p in drop] == [None] * len(drop)
    folders = ["Contacts", "Meetings/2026", "Notes v1.2"]
    assert [w.relevant(str(tmp_path / p), folder=True) for p in folders] == folders
    assert w.relevant(str(tmp_path / ".trash"), folder=True) is None


def collecting(root: Path, **options) -> tuple[watch.Watcher, list[set[str]]]:
    calls: list[set[str]] = []
    w = watch.Watcher(root, calls.append, **options)
    w.start()
    return w, calls


def test_a_burst_of_events_is_one_call(tmp_path):
    w, calls = collecting(tmp_path, quiet=0.3)
    try:
        for i in range(100):
            (tmp_path / f"Note {i}.md").write_text("x")
        assert wait_until(lambda: calls)
        time.sleep(0.4)
        assert calls == [{f"Note {i}.md" for i in range(100)}]
    finally:
        w.stop()


def test_without_inotify_the_vault_is_scanned_instead(tmp_path, monkeypatch, capsys):
    class NoInotify(watch.Observer):
        def schedule(self, *args, **kwargs):
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(watch, "Observer", NoInotify)
    monkeypatch.setattr(watch, "POLL_EVERY", 0.1)
    w, calls = collecting(tmp_path)
    try:
        assert w.poll
        (tmp_path / "Ana.md").write_text("x")
        assert wait_until(lambda: calls)
        assert calls[0] == {"Ana.md"}
    finally:
        w.stop()
    assert "scanning it every second instead" in capsys.readouterr().err


@pytest.mark.parametrize("poll", [True, False])
def test_a_failed_rebuild_is_raised_in_the_main_thread(tmp_path, monkeypatch, poll):
    monkeypatch.setattr(watch, "POLL_EVERY", 0.1)

    def broken(paths):
        raise ZeroDivisionError

    w = watch.Watcher(tmp_path, broken, poll=poll)
    w.start()
    try:
        (tmp_path / "Ana.md").write_text("x")
        assert wait_until(lambda: w._failure is not None)
        with pytest.raises(ZeroDivisionError):
            w.check()
    finally:
        w.stop()


def test_only_the_watcher_imports_watchdog_and_the_command_line_starts_light():
    sources = Path(watch.__file__).parent.glob("*.py")
    importers = sorted(p.name for p in sources if "import watchdog" in p.read_text(encoding="utf-8")
                       or "from watchdog" in p.read_text(encoding="utf-8"))
    assert importers == ["watch.py"]
    heavy = ("watchdog", "yaml", "jinja2", "icalendar", "rich", "babel", "markdown_it")
    loaded = subprocess.run([sys.executable, "-c", "import sys, mdnet.cli; print(*sorted(m for m in "
                             f"{heavy!r} if m in sys.modules))"], capture_output=True, text=True, check=True)
    assert loaded.stdout.strip() == ""  # `mdnet --help` stays quick: commands import what they need


def test_a_link_loop_among_the_templates_does_not_stop_the_check_for_changes(tmp_path):
    from mdnet import files

    folder = tmp_path / ".mdnet" / "templates"
    folder.mkdir(parents=True)
    (folder / "agenda.md.j2").write_text("{{ plan }}", encoding="utf-8")
    (folder / "loop").symlink_to("loop")
    before = files.signature(tmp_path)
    (folder / "agenda.md.j2").write_text("{{ plan }}!", encoding="utf-8")
    assert files.signature(tmp_path) != before


def test_a_save_whose_event_was_lost_is_found_by_the_next_look(make_vault, monkeypatch, capsys):
    monkeypatch.setattr(watch, "LOOK_EVERY", 0.2)
    root = make_vault({"Campaña.md": CAMPAIGN, "Contactos/Ana.md": CONTACT,
                       "Reuniones/m.md": meeting("Ana", "2026-11-28T10:30")})
    rebuilder = watch.Rebuilder(root, date(2026, 11, 27), None)
    watcher = watch.Watcher(root, rebuilder.rebuild, ignore=rebuilder.outputs)
    rebuilder.rebuild(None)
    watcher.start()
    monkeypatch.setattr(watch.Watcher, "notice", lambda self, path, folder=False: None)  # the queue overflowed
    capsys.readouterr()
    try:
        time.sleep(0.3)
        watcher.check()  # a look that finds nothing: nothing is written or said
        assert wait_until(lambda: not watcher._pending)
        time.sleep(0.3)
        printed = capsys.readouterr().out
        (root / "Reuniones/m.md").write_text(meeting("Ana", "2026-11-28T12:15"), encoding="utf-8")
        agenda = root / "Agenda.md"
        assert "12:15" not in agenda.read_text(encoding="utf-8")

        def looked() -> bool:
            watcher.check()
            return "12:15" in agenda.read_text(encoding="utf-8")

        assert wait_until(looked)
        said = []
        assert wait_until(lambda: said.append(capsys.readouterr().out) or "Reuniones/m.md" in "".join(said))
        assert printed == ""
    finally:
        watcher.stop()
