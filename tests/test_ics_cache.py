"""The feed's memo of serialised events: a rebuild in the same process gives the bytes a fresh one would."""

from __future__ import annotations

from datetime import date

from icalendar import Calendar

from mdnet import ics, pipeline, render

TODAY = date(2026, 11, 27)

VAULT = {
    "Campaign.md": "---\ntype: campaign\ngoal: Product\ntimezone: Europe/Madrid\n---\n",
    "Contacts/José Núñez.md": "---\ntype: contact\ncircle: professional\n---\n",
    "Contacts/Ana Ruiz.md": "---\ntype: contact\ncircle: personal\n---\n",
    "Meetings/2026-11-30 José.md": (
        "---\ntype: meeting\nwith: [\"[[José Núñez]]\"]\ndate: 2026-11-30T10:30\nlocation: Café\n---\n"
    ),
    "Meetings/2026-11-20 Ana.md": (
        "---\ntype: meeting\nwith: [\"[[Ana Ruiz]]\"]\ndate: 2026-11-20T18:00\nstatus: done\n---\n"
    ),
}


def fresh(root, private: bool = False) -> bytes:
    """The feed built with nothing remembered from earlier builds."""
    for memo in (ics._meeting_event, ics._action_event, ics._describe, ics._frame, render._environment):
        memo.cache_clear()
    return ics.feed(pipeline.run(root, TODAY), private)


def descriptions(data: bytes) -> list[str]:
    return [str(e["DESCRIPTION"]) for e in Calendar.from_ical(data).walk("VEVENT") if "DESCRIPTION" in e]


def test_edits_of_notes_and_templates_show_in_the_next_build(make_vault):
    root = make_vault(VAULT)
    first = ics.feed(pipeline.run(root, TODAY))
    assert ics.feed(pipeline.run(root, TODAY)) == first == fresh(root)

    meeting = root / "Meetings/2026-11-30 José.md"
    meeting.write_text(meeting.read_text(encoding="utf-8").replace("Café", "Biblioteca"), encoding="utf-8")
    (root / "Meetings/2026-11-20 Ana.md").unlink()
    edited = ics.feed(pipeline.run(root, TODAY))
    assert b"LOCATION:Biblioteca" in edited and b"Ana" not in edited
    assert edited == fresh(root)

    # A template of the vault's own, then an edit of it: the brief is rendered again each time.
    templates = root / ".mdnet/templates"
    templates.mkdir(parents=True)
    (templates / "_brief.md.j2").write_text("Brief for {{ brief.people | join(', ') }}\n", encoding="utf-8")
    assert any(d.endswith("Brief for José Núñez") for d in descriptions(ics.feed(pipeline.run(root, TODAY))))
    (templates / "_brief.md.j2").write_text("Notes on {{ brief.people | join(', ') }}\n", encoding="utf-8")
    edited = ics.feed(pipeline.run(root, TODAY))
    assert any(d.endswith("Notes on José Núñez") for d in descriptions(edited))
    assert edited == fresh(root)


def test_private_and_full_feeds_do_not_share_events(make_vault):
    root = make_vault(VAULT)
    full, private = ics.feed(pipeline.run(root, TODAY)), ics.feed(pipeline.run(root, TODAY), private=True)
    assert b"Meeting with J.N." in private and b"Meeting with Jos" in full
    assert ics.feed(pipeline.run(root, TODAY)) == full
    assert fresh(root, private=True) == private


def test_another_day_restamps_every_event(make_vault):
    root = make_vault(VAULT)
    ics.feed(pipeline.run(root, TODAY))
    later = ics.feed(pipeline.run(root, date(2026, 11, 28)))
    assert b"DTSTAMP:20261127" not in later and later.count(b"DTSTAMP:20261128T000000Z") == later.count(b"BEGIN:VEVENT")
