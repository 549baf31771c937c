"""Outputs remembered in .mdnet/: the same notes, date and options give the stored bytes; any
change to one of them makes the output afresh."""

from __future__ import annotations

import os
from datetime import date

from mdnet import agenda, fast, pipeline

CAMPAIGN = "---\ntype: campaign\ngoal: g\ntimezone: Europe/Madrid\n---\n"


def settle(root):
    """Date every note a minute back: a note saved this very second is never remembered."""
    for path in root.rglob("*.md"):
        os.utime(path, ns=(path.stat().st_mtime_ns - 60 * 10**9,) * 2)


def make_counting(calls):
    def make(result):
        calls.append(result.plan.today)
        return agenda.render_markdown(result).encode()
    return make


def fresh(root, today, window=7):
    return agenda.render_markdown(pipeline.run(root, today, window)).encode()


def test_second_run_answers_from_the_store_and_every_input_counts(make_vault):
    root = make_vault({"Campaign.md": CAMPAIGN, "Contacts/Ana.md": "---\ncircle: personal\n---\n"})
    settle(root)
    calls = []
    make = make_counting(calls)
    day = date(2026, 11, 27)
    first = fast.output(root, day, 7, ("agenda", "md"), make)
    assert fast.output(root, day, 7, ("agenda", "md"), make) == first == fresh(root, day)
    assert len(calls) == 1

    assert fast.output(root, date(2026, 11, 28), 7, ("agenda", "md"), make) == fresh(root, date(2026, 11, 28))
    assert fast.output(root, date(2026, 11, 28), 3, ("agenda", "md"), make) == fresh(root, date(2026, 11, 28), 3)
    assert len(calls) == 3

    note = root / "Contacts" / "Ana.md"
    note.write_text("---\ncircle: personal\ncloseness: 1\nrelation: best friend\n---\n")
    settle(root)
    out = fast.output(root, date(2026, 11, 28), 3, ("agenda", "md"), make)
    assert out == fresh(root, date(2026, 11, 28), 3) and len(calls) == 4

    (root / ".mdnet" / "templates").mkdir()
    (root / ".mdnet" / "templates" / "agenda.md.j2").write_text("custom {{ today }}\n")
    assert fast.output(root, date(2026, 11, 28), 3, ("agenda", "md"), make) == b"custom 2026-11-28\n"
    assert len(calls) == 5


def test_the_date_from_the_clock_is_checked_on_every_run(make_vault, monkeypatch):
    root = make_vault({"Campaign.md": CAMPAIGN})
    settle(root)
    calls = []
    monkeypatch.setenv("MDNET_TODAY", "2026-11-27")
    fast.output(root, None, 7, ("agenda", "md"), make_counting(calls))
    monkeypatch.setenv("MDNET_TODAY", "2026-11-28")
    fast.output(root, None, 7, ("agenda", "md"), make_counting(calls))
    assert calls == [date(2026, 11, 27), date(2026, 11, 28)]


def test_a_note_saved_this_second_is_never_answered_from_the_store(make_vault):
    root = make_vault({"Campaign.md": CAMPAIGN})
    calls = []
    for _ in range(2):
        fast.output(root, date(2026, 11, 27), 7, ("agenda", "md"), make_counting(calls))
    assert len(calls) == 2


def test_without_caches_every_output_is_the_same_bytes_and_nothing_is_kept(tmp_path, mdnet, monkeypatch):
    import shutil
    from pathlib import Path

    root = tmp_path / "example-vault"
    shutil.copytree(Path(__file__).parent.parent / "example-vault", root)
    settle(root)
    commands = [("agenda", "--today", "2026-11-27"), ("agenda", "--today", "2026-11-27", "--format", "json"),
                ("ics", "--today", "2026-11-27"), ("check",)]
    cached = [mdnet(*command, "--vault", str(root)) for command in commands]
    cached += [mdnet(*command, "--vault", str(root)) for command in commands]  # from the caches this time
    assert sorted(p.name for p in (root / ".mdnet").iterdir()) == [
        ".gitignore", "contacts.pickle", "index.pickle", "lock", "output.pickle", "plan.sqlite"]
    shutil.rmtree(root / ".mdnet")
    monkeypatch.setenv("MDNET_NO_CACHE", "1")
    uncached = [mdnet(*command, "--vault", str(root)) for command in commands]
    assert cached == uncached * 2
    assert not (root / ".mdnet").exists()
