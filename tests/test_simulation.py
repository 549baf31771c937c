"""A played campaign (`mdnet.simulation`): weeks of a simulated user doing what the agenda says,
through mdnet's own commands, in seeded worlds of people who answer or not, cancel, and give
names; every invariant of `INVARIANTS` holds in each, and a rule broken on purpose is caught."""

from __future__ import annotations

from collections import Counter

import pytest

from mdnet import campaign, stats, write
from mdnet.simulation import INVARIANTS, play

DAYS = 28  # four weeks: two to warm up, two held to the weekly target
PLAYS = (("shy", 11), ("eager", 12), ("skipping", 13), ("cancelling", 14))


@pytest.fixture(scope="module")
def played(tmp_path_factory):
    return {f"{world}/{seed}": play(tmp_path_factory.mktemp(world) / "Vault", world, seed, DAYS)
            for world, seed in PLAYS}


@pytest.mark.parametrize("invariant", INVARIANTS)
def test_every_invariant_holds_in_every_world(played, invariant):
    broken = [f"{name}: {v}" for name, p in played.items() for v in p.of(invariant)]
    assert not broken, f"{INVARIANTS[invariant]}, broken {len(broken)} times:\n" + "\n".join(broken[:10])


def test_the_worlds_play_the_whole_method(played):
    """The plays are not empty: every kind of action is acted on somewhere, meetings happen in
    each world, names come in, and the worlds differ as their shapes say."""
    kinds = sum((p.kinds for p in played.values()), start=Counter())
    assert set(kinds) >= {"first-meeting", "meeting", "thank", "thank-referrer", "ask-referrals",
                          "contact-referral", "follow-up"}
    for name, p in played.items():
        assert sum(p.weeks.values()) >= 4, name
        assert p.notes > p.world.contacts + sum(p.weeks.values()), name  # names obtained became notes
    assert played["skipping/13"].worked < 0.8 * DAYS
    assert all(p.worked == DAYS for name, p in played.items() if name != "skipping/13")
    assert played["shy/11"].kinds["follow-up"] > played["eager/12"].kinds["follow-up"]
    assert all(p.cancelled > 0 for p in played.values() if p.world.cancel >= 0.4)


def test_an_interview_and_an_offer_are_recorded_and_counted(played):
    for name, p in played.items():
        assert p.stats["interviews"] == p.stats["benefits"]["interview"] == 1, name
        assert p.stats["benefits"]["offer"] == 1, name


def test_a_play_is_the_same_for_the_same_seed(tmp_path):
    first = play(tmp_path / "a", "cancelling", 3, 8)
    second = play(tmp_path / "b", "cancelling", 3, 8)
    assert first.commands == second.commands and first.weeks == second.weeks
    notes = lambda p: {f.relative_to(p.root).as_posix(): f.read_bytes() for f in p.root.rglob("*.md")}  # noqa: E731
    assert len(notes(first)) > first.world.contacts and notes(first) == notes(second)


# Each breaks one rule or one count, as a regression would; the play must see it.
BREAKS = {
    # Names obtained asked for after nine days instead of three.
    "names": lambda mp: mp.setattr(campaign, "CONTACT_REFERRAL_AFTER", 9),
    # Nobody counts as reached out to: who was written to is suggested again at once.
    "follow-up": lambda mp: mp.setattr(campaign, "_reached", lambda *args: {}),
    # Every contact never met is counted as listed.
    "stats": lambda mp: mp.setattr(stats, "stage", lambda f, path: "met" if path in f.met else "listed"),
    # `mdnet log` ends in a traceback.
    "exit": lambda mp: mp.setattr(write, "log", _bug),
}


def _bug(*args, **kwargs):
    raise RuntimeError("a bug in mdnet log")


@pytest.mark.parametrize("invariant", BREAKS)
def test_a_rule_broken_on_purpose_is_caught(tmp_path, monkeypatch, invariant):
    BREAKS[invariant](monkeypatch)
    p = play(tmp_path / "Vault", "steady", 7, 14)
    assert p.of(invariant), f"the play did not see {invariant!r} broken"
    assert invariant != "exit" or "RuntimeError: a bug in mdnet log" in p.of("exit")[0].detail


def test_a_cancelled_meeting_can_be_booked_again_for_the_same_day(make_vault, mdnet):
    root = make_vault({})
    assert mdnet("init", str(root), "--locale", "en", "--goal", "g", "--pitch", "p", "--today", "2026-01-05")[0] == 0
    assert mdnet("new", "contact", "Ana Núñez", "--circle", "personal", "--vault", str(root))[0] == 0
    assert mdnet("new", "meeting", "Ana Núñez", "--date", "2026-01-09T10:00", "--vault", str(root),
                 "--today", "2026-01-05")[0] == 0
    assert mdnet("log", "Meetings/2026-01-09 Ana Núñez.md", "--cancel", "--vault", str(root),
                 "--today", "2026-01-07")[0] == 0
    code, out, err = mdnet("new", "meeting", "Ana Núñez", "--date", "2026-01-09T17:00", "--vault", str(root),
                           "--today", "2026-01-07")
    assert code == 0, err
    again = root / "Meetings/2026-01-09 Ana Núñez 2.md"
    assert "2026-01-09T17:00" in again.read_text(encoding="utf-8")
    assert "status: cancelled" in (root / "Meetings/2026-01-09 Ana Núñez.md").read_text(encoding="utf-8")
    # A meeting that is not cancelled is not booked twice by mistake.
    code, _, err = mdnet("new", "meeting", "Ana Núñez", "--date", "2026-01-09T18:00", "--vault", str(root),
                         "--today", "2026-01-07")
    assert code == 6 and "already exists" in err
    assert not (root / "Meetings/2026-01-09 Ana Núñez 3.md").exists()

