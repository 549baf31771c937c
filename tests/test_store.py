"""The plan store: an agenda updated from the notes that changed equals one planned from the whole vault."""

from __future__ import annotations

import marshal
import sqlite3
import tempfile
from datetime import date, timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from conftest import Clock, write_vault
from mdnet import agenda, campaign, pipeline, store, vault
from mdnet.cli import dump_json
from mdnet.model import Action

TODAY = date(2026, 11, 27)
NAMES = ("Ana Núñez", "José Pérez", "Luis", "María Peña", "Íñigo Ruiz", "Pepe")
UNKNOWN = ("Sara Gil", "Tomás")  # names given that have no note
CAMPAIGN = ("---\ntype: campaign\ngoal: Move into product\ntimezone: Europe/Madrid\nlocale: {locale}\n"
            "start: 2026-10-01\nmeetings_per_week: 2\n---\n")


def link(name: str) -> str:
    return f'"[[{name}]]"'


contacts = st.fixed_dictionaries({
    "circle": st.sampled_from(["personal", "professional", "opportunity", ""]),
    "closeness": st.integers(1, 5),
    "status": st.sampled_from(["active", "active", "paused", "do-not-contact"]),
    "referred_by": st.sampled_from([None, None, *NAMES, *UNKNOWN]),
    "last_contact": st.sampled_from([None, None, "2026-09-01", "2026-11-25"]),
    "next_follow_up": st.sampled_from([None, None, "2026-11-30", "2027-01-10"]),
    "email": st.sampled_from([None, None, "a@example.com"]),
})
meetings = st.fixed_dictionaries({
    "with": st.lists(st.sampled_from([*NAMES, *UNKNOWN]), min_size=1, max_size=3),
    "day": st.integers(-70, 10),
    "at": st.sampled_from([None, "10:30", "18:00"]),
    "status": st.sampled_from(["planned", "done", "done", "cancelled"]),
    "referrals": st.lists(st.sampled_from([*NAMES, *UNKNOWN]), max_size=3),
    "thanked": st.booleans(),
    "thanked_referrer": st.booleans(),
    "interview": st.booleans(),
    "next_follow_up": st.sampled_from([None, "2026-12-15"]),
})


def contact_text(c: dict) -> str:
    lines = ["type: contact", f"closeness: {c['closeness']}", f"status: {c['status']}"]
    if c["circle"]:
        lines.append(f"circle: {c['circle']}")
    for key in ("last_contact", "next_follow_up", "email"):
        if c[key]:
            lines.append(f"{key}: {c[key]}")
    if c["referred_by"]:
        lines.append(f"referred_by: {link(c['referred_by'])}")
    return "---\n" + "\n".join(lines) + "\n---\n"


def meeting_text(m: dict) -> str:
    day = TODAY + timedelta(days=m["day"])
    when = f"{day}T{m['at']}" if m["at"] else str(day)
    lines = ["type: meeting", f"with: [{', '.join(link(n) for n in m['with'])}]", f"date: {when}",
             f"status: {m['status']}", f"referrals: [{', '.join(link(n) for n in m['referrals'])}]",
             f"thanked: {str(m['thanked']).lower()}", f"thanked_referrer: {str(m['thanked_referrer']).lower()}"]
    if m["interview"]:
        lines.append("outcome: [interview]")
    if m["next_follow_up"]:
        lines.append(f"next_follow_up: {m['next_follow_up']}")
    return "---\n" + "\n".join(lines) + "\n---\n"


MEETINGS = tuple(f"Meetings/m{i}.md" for i in range(8))
vaults = st.tuples(st.lists(contacts, min_size=len(NAMES), max_size=len(NAMES)),
                   st.lists(meetings, min_size=len(MEETINGS), max_size=len(MEETINGS)),
                   st.sampled_from(["en", "es"]))
edits = st.lists(st.one_of(
    st.tuples(st.just("contact"), st.sampled_from(NAMES), contacts),
    st.tuples(st.just("meeting"), st.sampled_from(MEETINGS), meetings),
    st.tuples(st.just("broken"), st.sampled_from(MEETINGS), st.none()),  # a note the reader rejects
    st.tuples(st.just("new"), st.just("Meetings/new.md"), meetings),  # a note added: a full run
), min_size=1, max_size=5)


def full(root: Path) -> tuple[str, str]:
    """The JSON and Markdown agendas planned from every note, read afresh."""
    result = pipeline.run(root, TODAY, 7, vault=vault.load(root))
    return dump_json(agenda.as_json(result)), agenda.render_markdown(result)


def produced(root: Path) -> tuple[str, str]:
    """The agendas as `mdnet agenda` makes them, through the index, the store and the output memo."""
    return tuple(pipeline.produce(root, TODAY, 7, ("agenda", fmt), make, partial=True).decode("utf-8")
                 for fmt, make in (("json", lambda r: dump_json(agenda.as_json(r)).encode()),
                                   ("md", lambda r: agenda.render_markdown(r).encode())))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(start=vaults, changes=edits)
def test_an_agenda_updated_from_the_changed_notes_equals_a_full_plan(start, changes, monkeypatch):
    updates = []
    real = store._update
    monkeypatch.setattr(store, "_update", lambda *args: updates.append(real(*args)) or updates[-1])
    people, meetings_, locale = start
    clock = Clock()
    with tempfile.TemporaryDirectory() as tmp:
        files = {"Campaign.md": CAMPAIGN.format(locale=locale)}
        files |= {f"Contacts/{name}.md": contact_text(c) for name, c in zip(NAMES, people)}
        files |= {path: meeting_text(m) for path, m in zip(MEETINGS, meetings_)}
        root = write_vault(Path(tmp) / "Vault", files)
        for path in root.rglob("*.md"):
            clock.stamp(path)
        assert produced(root) == full(root)
        for kind, target, value in changes:
            path = root / (f"Contacts/{target}.md" if kind == "contact" else target)
            text = (contact_text(value) if kind == "contact" else "---\nwith: [\n---\n" if kind == "broken"
                    else meeting_text(value))
            path.write_text(text, encoding="utf-8")
            clock.stamp(path)
            assert produced(root) == full(root), (kind, target)
    # An edit that keeps every note's kind is updated, not planned again.
    kept = [kind in ("contact", "meeting") for kind, _, _ in changes]
    if kept[0]:
        assert updates[0] is not None


def test_an_edit_is_planned_from_the_notes_it_touches(make_vault, monkeypatch):
    root = make_vault({
        "Campaign.md": CAMPAIGN.format(locale="es"),
        "Contacts/Ana Núñez.md": contact_text({"circle": "personal", "closeness": 1, "status": "active",
                                               "referred_by": None, "last_contact": None, "next_follow_up": None,
                                               "email": None}),
        **{f"Meetings/m{i}.md": meeting_text({"with": ["Ana Núñez"], "day": -i, "at": "10:30", "status": "done",
                                              "referrals": ["Sara Gil"], "thanked": False,
                                              "thanked_referrer": False, "interview": False,
                                              "next_follow_up": None}) for i in range(3)},
        **{f"Contacts/Other {i}.md": "---\ntype: contact\n---\n" for i in range(20)},
    })
    clock = Clock()
    for path in root.rglob("*.md"):
        clock.stamp(path)
    produced(root)
    loaded = []
    real = store._Queries.records
    monkeypatch.setattr(store._Queries, "records", lambda self, paths: loaded.extend(paths) or real(self, paths))
    note = root / "Meetings/m1.md"
    note.write_text(note.read_text(encoding="utf-8").replace("10:30", "11:45"), encoding="utf-8")
    clock.stamp(note)
    assert produced(root) == full(root)
    # Of the 20 unrelated contacts, only the two to ask for a first meeting this week were read.
    assert "Meetings/m1.md" in loaded and len({p for p in loaded if "Other" in p}) == 2


@pytest.mark.parametrize("damage", [b"", b"not a database", "tables", "kind", "due"])
def test_a_damaged_store_means_a_full_plan(make_vault, damage, capsys):
    root = make_vault({"Campaign.md": CAMPAIGN.format(locale="en"), "Contacts/Ana.md": "---\ntype: contact\n---\n",
                       "Contacts/Luis.md": "---\ntype: contact\n---\n"})
    clock = Clock()
    for path in root.rglob("*.md"):
        clock.stamp(path)
    produced(root)
    path = root / ".mdnet" / store.FILE
    if damage in ("tables", "kind", "due"):  # SQLite keeps no checksum of what it holds
        with sqlite3.connect(path) as db:
            if damage == "tables":
                db.execute("DROP TABLE edges")
            for rowid, blob in db.execute("SELECT rowid, action FROM actions").fetchall():
                values = list(marshal.loads(blob))
                values[0 if damage == "kind" else 1] = "meetinq" if damage == "kind" else 10**20
                db.execute("UPDATE actions SET action = ? WHERE rowid = ?", (marshal.dumps(tuple(values)), rowid))
    else:
        path.write_bytes(damage)
    note = root / "Contacts/Ana.md"
    note.write_text("---\ntype: contact\ncloseness: 1\n---\n", encoding="utf-8")
    clock.stamp(note)
    assert produced(root) == full(root)
    assert capsys.readouterr().err == ""


def test_another_version_of_a_library_that_writes_the_outputs_is_another_key(tmp_path, monkeypatch):
    from mdnet import cache

    (tmp_path / "writer").mkdir()
    (tmp_path / "writer" / "__init__.py").write_text("")
    (tmp_path / "writer-1.0.dist-info").mkdir()
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.setattr(cache, "_LIBRARIES", ("writer",))
    cache.package_key.cache_clear()
    before = cache.package_key()
    (tmp_path / "writer-1.0.dist-info").rename(tmp_path / "writer-1.1.dist-info")
    cache.package_key.cache_clear()
    assert cache.package_key() != before
    cache.package_key.cache_clear()


_texts = st.text(st.sampled_from(["a", "b", "á", "\x00", "\x01", "\x02", " ", "Ñ", "\U0001f600"]), max_size=4)
_actions = st.builds(
    Action,
    kind=st.sampled_from(["meeting", "thank", "follow-up"]),
    due=st.dates(date(2026, 11, 1), date(2026, 12, 31)),
    contact=_texts, note=_texts, reason=_texts, overdue=st.booleans(),
    time=st.one_of(st.none(), st.times()),
    with_=st.lists(_texts, max_size=3).map(tuple),
    contact_path=st.one_of(st.none(), _texts),
    closeness=st.integers(1, 5),
)


@settings(max_examples=300, deadline=None)
@given(st.lists(_actions, max_size=12))
def test_the_stored_rank_of_actions_is_the_agenda_order(actions):
    assert sorted(actions, key=campaign.agenda_order_bytes) == sorted(actions, key=campaign.agenda_order)


EXAMPLE_EDITS = [(r"status: hecha", "status: planeada"), (r"status: planeada", "status: hecha"),
                 (r"closeness: \d", "closeness: 5"), (r"thanked: false", "thanked: true"),
                 (r"thanked: true", "thanked: false"), (r"\n  - \"\[\[[^\]]+\]\]\"", ""),
                 (r"status: activo", "status: pausado"), (r"date: 2026-11-2", "date: 2026-11-1"),
                 (r"referred_by: .*", "referred_by:")]


def test_each_note_of_the_example_vault_edited_in_turn_is_updated_as_a_full_plan(tmp_path, monkeypatch):
    import re
    import shutil

    updates = []
    real = store._update
    monkeypatch.setattr(store, "_update", lambda *args: updates.append(real(*args)) or updates[-1])
    root = tmp_path / "Vault"
    shutil.copytree(Path(__file__).parent.parent / "example-vault", root)
    clock = Clock()
    for path in root.rglob("*.md"):
        clock.stamp(path)
    assert produced(root) == full(root)
    edits = updated = 0
    for path in sorted(root.rglob("*.md")):
        for pattern, replacement in EXAMPLE_EDITS:
            text = path.read_text(encoding="utf-8")
            edited = re.sub(pattern, replacement, text, count=1)
            if edited == text:
                continue
            path.write_text(edited, encoding="utf-8")
            clock.stamp(path)
            updates.clear()
            assert produced(root) == full(root), (path.name, pattern)
            updated += updates[0] is not None
            edits += 1
    # Updated, not planned again, but where a note's reading gained or lost its record (a meeting
    # left with nobody) and links may resolve otherwise.
    assert edits > 80 and updated > 0.9 * edits
