"""`mdnet report`: the campaign at a glance (SPEC section 9), with pictures.

`build(result)` is a pure function of a whole vault's result (the vault, its plan, its today):
the funnel comes from the plan's stats (`stats.stats_of`, the agenda's own numbers, not a
recount), the tree and the circles from the engine's facts (`campaign.facts`, `stats.stage`).
`as_json` is SPEC's object; `render_markdown` renders `templates/report.md.j2`, whose Mermaid
blocks Obsidian draws; `render_html` is the same Markdown as the page of `mdnet serve`, its Mermaid
blocks drawn in the browser by the Mermaid build shipped in `mdnet/static/`.

Names come from the vault and go into Mermaid's source: every character of a label other than a
letter, a digit or a space is written as Mermaid's entity code (`#34;`), so no name can end a
label, add a node, an edge, a `click` directive, a comment or markup.
"""

from __future__ import annotations

import unicodedata
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from mdnet import agenda, i18n
from mdnet.campaign import CIRCLE_ORDER, DONE, Facts, facts, person_key
from mdnet.fields import fold, nfc
from mdnet.model import OUTCOMES, Meeting, Plan
from mdnet.pipeline import Result
from mdnet.stats import circle_of, stage

NOTE_NAMES = {"en": "Report.md", "es": "Informe.md"}
WEEKS = 12
DEPTH = 3  # referrals shown below the contacts nobody referred
# Mermaid refuses more than 500 edges and 50,000 characters by default: the tree stays well within.
MOST_NODES = 250
TREE_CHARACTERS = 30_000
LONGEST_LABEL = 80
WAITING = 10  # people shown waiting longest
WAITING_KINDS = ("follow-up", "contact-referral")
STAGES = ("listed", "contacted", "scheduled", "met")


@dataclass(frozen=True, slots=True)
class Node:
    id: str
    name: str
    path: str | None  # the contact note's path; None for a name without a note
    stage: str
    depth: int

    def as_json(self) -> dict:
        return {"id": self.id, "name": self.name, "path": self.path, "stage": self.stage}


@dataclass(frozen=True, slots=True)
class Tree:
    nodes: tuple[Node, ...]
    edges: tuple[tuple[str, str], ...]  # (from id, to id): who gave whose name
    more: int  # people in referral chains not shown

    def as_json(self) -> dict:
        return {"edges": [{"from": a, "to": b} for a, b in self.edges], "more": self.more,
                "nodes": [n.as_json() for n in self.nodes]}


@dataclass(frozen=True, slots=True)
class Week:
    week: str  # ISO week, 2026-W48
    done: int
    planned: int
    target: int

    @property
    def meetings(self) -> int:
        """Done and planned: how the agenda counts the meetings of this week against the target."""
        return self.done + self.planned

    def as_json(self) -> dict:
        return {"done": self.done, "planned": self.planned, "target": self.target, "week": self.week}


@dataclass(frozen=True, slots=True)
class Waiting:
    contact: str
    path: str | None
    kind: str
    since: date

    def as_json(self) -> dict:
        return {"contact": self.contact, "kind": self.kind, "since": self.since.isoformat()}


@dataclass(frozen=True, slots=True)
class Report:
    today: date
    funnel: dict[str, int]
    weeks: tuple[Week, ...]
    tree: Tree
    circles: dict[str, dict[str, dict[str, int]]]  # circle -> closeness -> {"contacts", "met"}
    benefits: dict[str, int]
    waiting: tuple[Waiting, ...]

    def as_json(self) -> dict:
        return {
            "benefits": dict(sorted(self.benefits.items())),
            "circles": self.circles,
            "funnel": dict(sorted(self.funnel.items())),
            "tree": self.tree.as_json(),
            "waiting": [w.as_json() for w in self.waiting],
            "weeks": [w.as_json() for w in self.weeks],
        }


def build(result: Result) -> Report:
    """The report of a whole vault's result (`result.vault` read)."""
    vault, plan = result.vault, result.plan
    f = facts(vault, plan.today)
    return Report(
        today=plan.today,
        funnel=funnel(plan),
        weeks=weeks(f, vault.meetings),
        tree=tree(f),
        circles=circles(f),
        benefits=dict(plan.stats.benefits),
        waiting=waiting(f, plan),
    )


def funnel(plan: Plan) -> dict[str, int]:
    """The agenda's stats, under the funnel's names."""
    s = plan.stats
    return {**{k: s.by_stage[k] for k in STAGES}, "names": s.referrals_obtained, "interviews": s.interviews,
            "offers": s.benefits["offer"]}


def iso_week(d: date) -> str:
    year, week, _ = d.isocalendar()
    return f"{year}-W{week:02d}"


def weeks(f: Facts, meetings: Iterable[Meeting]) -> tuple[Week, ...]:
    """The 12 ISO weeks ending with today's: done meetings (history before `start` too: they
    happened) and the planned ones that count (not before `start`, as the engine reads them)."""
    monday = f.today - timedelta(days=f.today.weekday())
    first = monday - timedelta(weeks=WEEKS - 1)
    last = monday + timedelta(days=6)
    done: defaultdict[str, int] = defaultdict(int)
    planned: defaultdict[str, int] = defaultdict(int)
    for m in f.planned_meetings:
        if first <= m.date <= last:
            planned[iso_week(m.date)] += 1
    for m in meetings:
        if m.status == DONE and m.date is not None and first <= m.date <= last:
            done[iso_week(m.date)] += 1
    target = f.campaign.meetings_per_week
    return tuple(Week(w, done[w], planned[w], target)
                 for w in (iso_week(first + timedelta(weeks=i)) for i in range(WEEKS)))


def circles(f: Facts) -> dict[str, dict[str, dict[str, int]]]:
    counts: dict[str, dict[str, dict[str, int]]] = {}
    for path, c in f.contacts.items():
        cell = counts.setdefault(circle_of(c), {}).setdefault(str(c.closeness), {"contacts": 0, "met": 0})
        cell["contacts"] += 1
        cell["met"] += path in f.met
    return {circle: dict(sorted(by.items(), key=lambda kv: int(kv[0]))) for circle, by in sorted(counts.items())}


def waiting(f: Facts, plan: Plan) -> tuple[Waiting, ...]:
    """Who waits longest: follow-ups and names given, due by today, by how long since the last
    contact (or since the name was given)."""
    found = []
    for a in plan.actions:
        if a.kind not in WAITING_KINDS or a.due > plan.today or a.contact_path is None:
            continue
        path = a.contact_path
        since = f.last_contact.get(path) or f.reached.get(path)
        if since is None:
            r = f.referrals.get(path)
            since = r.obtained if r is not None and r.obtained is not None else a.due
        found.append(Waiting(a.contact, path, a.kind, since))
    found.sort(key=lambda w: (w.since, fold(w.contact), w.path))
    return tuple(found[:WAITING])


# --- the referral tree ------------------------------------------------------------------------

def tree(f: Facts) -> Tree:
    """Who gave whose name, from the people nobody referred outward, three referrals deep.

    Each person has one referrer: SPEC section 3's for a contact; for a name without a note, the
    first person of the earliest done meeting naming it. People in a circle of referrals with
    nobody outside it are counted among the `more`."""
    parent: dict[str, str] = {}
    names: dict[str, str] = {path: c.name for path, c in f.contacts.items()}
    for path, r in f.referrals.items():
        if r.referrer.key != path:
            parent[path] = r.referrer.key
            names.setdefault(r.referrer.key, r.referrer.name)
    for m in f.done_meetings:
        people = f.people[m.path]
        if not people:
            continue
        for link in m.referrals:
            key = person_key(link, f.contacts)
            if key in f.contacts or key in parent or key == people[0].key:
                continue
            parent[key] = people[0].key
            names.setdefault(key, link.target)
            names.setdefault(people[0].key, people[0].name)
    children: defaultdict[str, list[str]] = defaultdict(list)
    for child, p in parent.items():
        children[p].append(child)

    def order(key: str) -> tuple:
        return fold(names[key]), key

    for kids in children.values():
        kids.sort(key=order)
    roots = sorted((k for k in children if k not in parent), key=order)
    shown: list[Node] = []
    edges: list[tuple[str, str]] = []
    ids: dict[str, str] = {}
    budget = TREE_CHARACTERS
    level = [(k, None) for k in roots]
    for depth in range(DEPTH + 1):
        following = []
        for key, up in level:
            node = Node(f"n{len(shown) + 1}", names[key], key if key in f.contacts else None, stage(f, key), depth)
            cost = len(_node_line(node)) + 2 * len(node.id) + 12
            if len(shown) >= MOST_NODES or cost > budget:
                break
            budget -= cost
            ids[key] = node.id
            shown.append(node)
            if up is not None:
                edges.append((ids[up], node.id))
            following += [(k, key) for k in children.get(key, ())]
        level = following
    people = set(parent) | set(roots)
    return Tree(tuple(shown), tuple(edges), len(people) - len(shown))


# --- Mermaid ----------------------------------------------------------------------------------

STAGE_STYLES = {
    "listed": "fill:#f1f5f9,stroke:#64748b,color:#0f172a",
    "contacted": "fill:#fef3c7,stroke:#d97706,color:#0f172a",
    "scheduled": "fill:#dbeafe,stroke:#2563eb,color:#0f172a",
    "met": "fill:#dcfce7,stroke:#16a34a,color:#0f172a",
}


def label(text: str) -> str:
    """Text as a Mermaid label between double quotes: letters, digits and spaces as they are,
    every other character as Mermaid's entity code, line breaks and format characters (direction
    overrides among them) as nothing or a space; a very long name cut short."""
    text = nfc(text)
    if len(text) > LONGEST_LABEL:
        text = text[:LONGEST_LABEL - 1] + "…"
    out = []
    for c in text:
        category = unicodedata.category(c)
        if c.isalnum() or c == " ":
            out.append(c)
        elif category in ("Cc", "Zl", "Zp") or c.isspace():
            out.append(" ")
        elif category in ("Cf", "Cs", "Co", "Cn"):
            continue
        else:
            out.append(f"#{ord(c)};")
    return "".join(out)


def _node_line(node: Node) -> str:
    return f'    {node.id}["{label(node.name)}"]\n'


def tree_mermaid(t: Tree) -> str:
    """The tree as a Mermaid flowchart: nodes styled by stage, those with a note of their own
    given Obsidian's `internal-link` class, which makes a node open the note its text names."""
    lines = ["flowchart LR\n"]
    lines += [_node_line(n) for n in t.nodes]
    lines += [f"    {a} --> {b}\n" for a, b in t.edges]
    for s, style in STAGE_STYLES.items():
        lines.append(f"    classDef {s} {style}\n")
    by_stage: defaultdict[str, list[str]] = defaultdict(list)
    for n in t.nodes:
        by_stage[n.stage].append(n.id)
    for s in STAGES:
        if by_stage[s]:
            lines.append(f"    class {','.join(by_stage[s])} {s}\n")
    linked = [n.id for n in t.nodes if n.path is not None]
    if linked:
        lines.append(f"    class {','.join(linked)} internal-link\n")
    return "".join(lines)


def quoted(text: str) -> str:
    """One of mdnet's own texts (translated) as a quoted label of a pie or a chart's axis."""
    return '"' + " ".join(text.replace('"', "'").split()) + '"'


# --- outputs ----------------------------------------------------------------------------------

def note_name(locale: str | None) -> str:
    """`Informe.md` for a Spanish campaign, `Report.md` otherwise."""
    return NOTE_NAMES.get(i18n.language(locale), NOTE_NAMES["en"])


def context(result: Result, report: Report) -> dict:
    """Everything `report.md.j2` may use."""
    return {
        "campaign": result.campaign,
        "vault_name": result.name,
        "today": report.today,
        "report": report,
        "tree_mermaid": tree_mermaid(report.tree),
        "circle_names": sorted(report.circles, key=lambda c: CIRCLE_ORDER.get(c, len(CIRCLE_ORDER))),
        "outcomes": OUTCOMES,
        "quoted": quoted,
    }


def render_markdown(result: Result, templates: Path | None = None) -> str:
    """The report as an Obsidian note (front matter `generated: true`)."""
    from mdnet import render

    env = render.environment(result.root, result.campaign.locale, templates)
    return render.render(env, "report.md.j2", **context(result, build(result)))


def as_json(result: Result) -> dict:
    return build(result).as_json()


def render_html(result: Result, templates: Path | None = None) -> str:
    """The report as a web page: the note's Markdown, its Mermaid blocks left for the browser to
    draw (`<pre class="mermaid">`, their source escaped as text)."""
    import html

    from markupsafe import Markup

    from mdnet import render

    md = agenda.markdown_renderer(result.name).enable("table")

    def fence(self, tokens, idx, options, env):
        token = tokens[idx]
        if token.info.strip() == "mermaid":
            return f'<pre class="mermaid">{html.escape(token.content)}</pre>\n'
        return self.fence(tokens, idx, options, env)

    md.add_render_rule("fence", fence)
    env = render.environment(result.root, result.campaign.locale, templates)
    markdown = render.render(env, "report.md.j2", **context(result, build(result)))
    body = Markup(md.render(agenda._body(markdown)))
    return render.render(env, "report.html.j2", body=body, campaign=result.campaign, today=result.plan.today,
                         vault_name=result.name)


def write_note(root: Path, result: Result, markdown: str) -> Path:
    return agenda.write_note(root, markdown, note_name(result.campaign.locale))

def write(root: Path, today: date | None = None, templates: Path | None = None) -> Path:
    """`mdnet report --write`: the report note, `Report.md` or `Informe.md` by the campaign's
    locale, written as the agenda note is (never over a note of the user's)."""
    from mdnet import fast, pipeline

    result = pipeline.run(root, today, vault=fast.load(root))
    return agenda.write_note(root, render_markdown(result, templates), note_name(result.campaign.locale))
