"""`mdnet report`: SPEC section 9's numbers, its JSON, its note and its Mermaid, safe against names."""

from __future__ import annotations

import io
import json
import re
import shutil
from datetime import date
from pathlib import Path

import pytest

from mdnet import pipeline, report, vault as reader, watch

TODAY = date(2026, 11, 27)  # a Friday of ISO week 2026-W48
EXAMPLE = Path(__file__).resolve().parent.parent / "example-vault"


def contact(referrer: str | None = None, circle: str = "professional", closeness: int = 3, extra: str = "") -> str:
    by = f"referred_by: '[[{referrer}]]'\n" if referrer else ""
    return f"---\ntype: contact\ncircle: {circle}\ncloseness: {closeness}\n{by}{extra}---\n"


def meeting(who: str, when: str, status: str = "done", referrals: tuple[str, ...] = (), extra: str = "") -> str:
    names = ", ".join(f"'[[{r}]]'" for r in referrals)
    return (f"---\ntype: meeting\nwith: ['[[{who}]]']\ndate: {when}\nstatus: {status}\n"
            f"referrals: [{names}]\nthanked: true\n{extra}---\n")


CAMPAIGN = "---\ntype: campaign\ngoal: Move into product\ntimezone: Europe/Madrid\nmeetings_per_week: 3\n---\n"

FILES = {
    "Campaign.md": CAMPAIGN,
    "Contacts/Ana Ruiz.md": contact(circle="personal", closeness=1),
    "Contacts/José Núñez.md": contact(),
    "Contacts/Luis Gil.md": contact("José Núñez", circle="opportunity", closeness=4),
    "Meetings/2026-11-24 Ana Ruiz.md": meeting("Ana Ruiz", "2026-11-24", referrals=("José Núñez", "Marta Sin Nota"),
                                               extra="outcome: [interview, information]\n"),
    "Meetings/2026-11-26 José Núñez.md": meeting("José Núñez", "2026-11-26", extra="outcome: [offer]\n"),
    "Meetings/2026-12-01 Luis Gil.md": meeting("Luis Gil", "2026-12-01", status="planned"),
    "Meetings/2026-11-18 Luis Gil.md": meeting("Luis Gil", "2026-11-18", status="cancelled"),
    "Meetings/2026-09-01 Ana Ruiz.md": meeting("Ana Ruiz", "2026-09-01"),  # before the 12 weeks
}


def result_of(root: Path, today: date = TODAY) -> pipeline.Result:
    return pipeline.run(root, today)


def test_json_has_the_shape_spec_section_9_gives(make_vault, mdnet):
    root = make_vault(FILES)
    code, out, err = mdnet("report", "--vault", str(root), "--today", TODAY.isoformat(), "--format", "json")
    assert code == 0, err
    data = json.loads(out)
    assert list(data) == ["benefits", "circles", "funnel", "tree", "waiting", "weeks"]
    assert set(data["funnel"]) == {"contacted", "interviews", "listed", "met", "names", "offers", "scheduled"}
    assert set(data["benefits"]) == {"information", "interview", "offer", "prospect", "referral", "visibility"}
    assert set(data["tree"]) == {"edges", "more", "nodes"}
    assert all(set(n) == {"id", "name", "path", "stage"} for n in data["tree"]["nodes"])
    assert all(set(e) == {"from", "to"} for e in data["tree"]["edges"])
    assert len(data["weeks"]) == 12
    assert all(list(w) == ["done", "planned", "target", "week"] for w in data["weeks"])
    assert "\\u" not in out and "José Núñez" in out


def test_the_funnel_is_the_agendas_stats(tmp_path, mdnet):
    root = tmp_path / "vault"
    shutil.copytree(EXAMPLE, root)
    args = ("--vault", str(root), "--today", TODAY.isoformat(), "--format", "json")
    stats = json.loads(mdnet("agenda", *args)[1])["stats"]
    funnel = json.loads(mdnet("report", *args)[1])["funnel"]
    assert funnel == {**stats["by_stage"], "names": stats["referrals_obtained"], "interviews": stats["interviews"],
                      "offers": stats["benefits"]["offer"]}
    assert sum(funnel.values()) > 0


def test_weeks_count_done_and_planned_meetings_not_cancelled_ones(make_vault):
    r = report.build(result_of(make_vault(FILES)))
    assert [w.week for w in r.weeks][-1] == "2026-W48" and r.weeks[0].week == "2026-W37"
    weeks = {w.week: w for w in r.weeks}
    assert (weeks["2026-W48"].done, weeks["2026-W48"].planned) == (2, 0)
    assert (weeks["2026-W47"].done, weeks["2026-W47"].planned) == (0, 0)  # the cancelled meeting
    assert "2026-W49" not in weeks  # next week's planned meeting is after the 12 weeks
    assert {w.target for w in r.weeks} == {3}
    # Planned meetings in the current week count, as the agenda's meetings this week do.
    later = report.build(result_of(make_vault(FILES), date(2026, 12, 2)))
    assert (later.weeks[-1].week, later.weeks[-1].planned) == ("2026-W49", 1)


def test_circles_count_contacts_and_met_by_closeness(make_vault):
    r = report.build(result_of(make_vault(FILES)))
    assert r.circles == {"opportunity": {"4": {"contacts": 1, "met": 0}},
                         "personal": {"1": {"contacts": 1, "met": 1}},
                         "professional": {"3": {"contacts": 1, "met": 1}}}
    assert r.benefits["offer"] == 1 and r.funnel["offers"] == 1 and r.funnel["interviews"] == 1


def test_the_tree_goes_from_the_people_nobody_referred_including_names_without_a_note(make_vault):
    t = report.build(result_of(make_vault(FILES))).tree
    by_name = {n.name: n for n in t.nodes}
    assert set(by_name) == {"Ana Ruiz", "José Núñez", "Luis Gil", "Marta Sin Nota"}
    edges = {(a, b) for a, b in t.edges}
    ids = {name: n.id for name, n in by_name.items()}
    assert edges == {(ids["Ana Ruiz"], ids["José Núñez"]), (ids["Ana Ruiz"], ids["Marta Sin Nota"]),
                     (ids["José Núñez"], ids["Luis Gil"])}
    assert by_name["Marta Sin Nota"].path is None
    assert by_name["Luis Gil"].path == "Contacts/Luis Gil.md"
    assert [by_name[n].stage for n in ("Ana Ruiz", "José Núñez", "Luis Gil")] == ["met", "met", "scheduled"]
    assert t.more == 0


def test_the_tree_stops_three_referrals_deep_and_says_how_many_more(make_vault):
    chain = ["Root", "One", "Two", "Three", "Four", "Five"]
    files = {"Campaign.md": CAMPAIGN, "Contacts/Root.md": contact()}
    for up, name in zip(chain, chain[1:]):
        files[f"Contacts/{name}.md"] = contact(up)
    t = report.build(result_of(make_vault(files))).tree
    assert [n.name for n in t.nodes] == chain[:4]
    assert [n.depth for n in t.nodes] == [0, 1, 2, 3]
    assert t.more == 2


def test_a_large_tree_stays_within_mermaids_limits(make_vault):
    files = {"Campaign.md": CAMPAIGN, "Contacts/Ana.md": contact()}
    long = '"]-->%%' * 20  # each character written as an entity code: the longest labels there are
    for i in range(300):
        files[f"Contacts/P{i:03d}.md"] = contact("Ana")
        files[f"Contacts/Q{i:03d} {long}.md"] = contact(f"P{i:03d}")
    root = make_vault(files)
    r = report.build(result_of(root))
    source = report.tree_mermaid(r.tree)
    assert len(r.tree.edges) < 500 and len(source) < report.TREE_CHARACTERS + 1000
    assert r.tree.more == 601 - len(r.tree.nodes) > 0
    note = report.render_markdown(result_of(root))
    mermaid = "".join(re.findall(r"```mermaid\n(.*?)```", note, re.S))
    assert len(mermaid) < 50_000
    assert f"{r.tree.more} more people" in note


HOSTILE = ['Eve"] --> X; click n1 call alert(1) %%', "<img src=x onerror=alert(1)>", "a```b\nclick",
           "x:::internal-link", "#quot; &amp; ``` %%{init: {}}%%", "\u202eevil", "end", "style n1 fill:red"]


@pytest.mark.parametrize("name", HOSTILE)
def test_a_label_is_letters_digits_spaces_and_entity_codes(name):
    text = report.label(name)
    assert re.fullmatch(r"(?:[^\W_]| |#\d+;)*", text), text
    assert '"' not in text and "\n" not in text and "\u202e" not in text


def test_the_flowchart_has_only_its_own_statements(make_vault):
    files = {"Campaign.md": CAMPAIGN, "Contacts/Ana.md": contact()}
    safe = [n for n in HOSTILE if "/" not in n and "\n" not in n and not set("[]|") & set(n)]
    for name in safe:
        files[f"Contacts/{name}.md"] = contact("Ana")
    files["Meetings/2026-11-20 Ana.md"] = meeting("Ana", "2026-11-20", referrals=("<b>x</b> --> y",))
    t = report.build(result_of(make_vault(files))).tree
    source = report.tree_mermaid(t)
    statement = re.compile(r'    (n\d+\["[^"\n]*"\]|n\d+ --> n\d+|classDef \w+ [\w:#,]+|class (n\d+,)*n\d+ [\w-]+)')
    lines = source.splitlines()
    assert lines[0] == "flowchart LR"
    assert all(statement.fullmatch(line) for line in lines[1:]), source
    assert len([line for line in lines if "-->" in line]) == len(t.edges) == len(safe) + 1


def test_write_makes_a_generated_note_that_is_never_read_back(make_vault, mdnet):
    root = make_vault(FILES)
    before = reader.load(root)
    code, _, err = mdnet("report", "--vault", str(root), "--today", TODAY.isoformat(), "--write")
    assert code == 0, err
    note = (root / "Report.md").read_text(encoding="utf-8")
    assert note.startswith("---\ngenerated: true\n---\n")
    blocks = re.findall(r"```mermaid\n(\w[\w-]*)", note)
    assert {"flowchart", "pie", "xychart-beta"} <= set(blocks) and len(blocks) >= 3
    after = reader.load(root)
    assert (after.contacts, after.meetings, after.problems) == (before.contacts, before.meetings, before.problems)
    assert "Report.md" not in {r.path for r in (*after.contacts, *after.meetings)}
    # Written again over its own note; never over one of the user's.
    assert mdnet("report", "--vault", str(root), "--today", TODAY.isoformat(), "--write")[0] == 0
    (root / "Report.md").write_text("---\ntype: contact\n---\nmine\n", encoding="utf-8")
    code, _, err = mdnet("report", "--vault", str(root), "--today", TODAY.isoformat(), "--write")
    assert code >= 3 and "will not overwrite" in err
    assert (root / "Report.md").read_text(encoding="utf-8").endswith("mine\n")


def test_a_spanish_campaign_gets_informe(make_vault, mdnet):
    root = make_vault({**FILES, "Campaign.md": CAMPAIGN.replace("---\n", "---\nlocale: es\n", 1)})
    assert mdnet("report", "--vault", str(root), "--today", TODAY.isoformat(), "--write")[0] == 0
    note = (root / "Informe.md").read_text(encoding="utf-8")
    assert not (root / "Report.md").exists()
    assert "# Informe — viernes, 27 de noviembre de 2026" in note
    assert '"Vistos"' in note and "## Quién te dio cada nombre" in note


def test_the_page_holds_the_same_mermaid_sources_as_text(make_vault):
    files = {**FILES, "Contacts/<b>Eve</b>.md": contact("Ana Ruiz")}
    result = result_of(make_vault(files))
    page = report.render_html(result)
    note = report.render_markdown(result)
    import html

    sources = [html.unescape(s) for s in re.findall(r'<pre class="mermaid">(.*?)</pre>', page, re.S)]
    assert sources == re.findall(r"```mermaid\n(.*?)```", note, re.S)
    assert "<b>" not in page and 'src="mermaid.min.js"' in page and "<script>" not in page


def test_watch_keeps_the_report_note_current_once_written(make_vault):
    root = make_vault(FILES)
    rebuilder = watch.Rebuilder(root, TODAY, None, out=io.StringIO(), err=io.StringIO())
    rebuilder.rebuild(None)
    assert not (root / "Report.md").exists()  # not asked for: not written
    report.write(root, TODAY)
    (root / "Contacts/Nuevo Nombre.md").write_text(contact("Ana Ruiz"), encoding="utf-8")
    rebuilder.rebuild({"Contacts/Nuevo Nombre.md"})
    assert "Nuevo Nombre" in (root / "Report.md").read_text(encoding="utf-8")
    assert root / "Report.md" in rebuilder.outputs
