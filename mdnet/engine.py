"""The engine: one call from a read vault and a date to the plan (every action in agenda order,
and the stats), with the brief of each meeting, from the rules (`campaign`) and tallies (`stats`).

`Engine` holds the method as data. A plan is put together from its parts by subject (`Parts`):
the actions each meeting, contact or name hangs, the suggestions to pick from by rank, the
tallies; `finish` is the one way they become a plan, whether all of them were made now or some
were kept from an earlier plan (`mdnet.fast`).
"""

from __future__ import annotations

from bisect import insort
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, time

from mdnet.brief import Briefer
from mdnet.campaign import CONTACT, KIND_ORDER, KINDS, MEETING, NAME, Facts, Kind, Walk, facts
from mdnet.fields import fold
from mdnet.model import Action, Campaign, Plan, Vault
from mdnet.stats import TALLIES, Tally, counted, stats_of

def agenda_order(a: Action) -> tuple:
    """SPEC's order: overdue first; due date; untimed before timed, by time; closeness; name; kind; note.

    Two actions alike in all these (two thank-yous to one referrer for one meeting) are ordered by
    the rest of what they say, so that the order never depends on how the plan was made."""
    return (not a.overdue, a.due, a.time is not None, a.time or time.min, a.closeness, fold(a.contact),
            KIND_ORDER[a.kind], a.note, a.contact, a.reason, a.contact_path or "", a.with_)


@dataclass(frozen=True, slots=True)
class Engine:
    """The method as data: the kinds of action, the tallies behind the stats, what each action adds
    to them, and the agenda's order. `ENGINE` is mdnet's; a test may plan with another."""

    kinds: tuple[Kind, ...] = KINDS
    tallies: tuple[Tally, ...] = TALLIES
    counted: Callable[[Action], Iterable[str]] = counted
    order: Callable[[Action], tuple] = agenda_order
    name: str = "method"

    def reads(self) -> dict[str, frozenset[Walk]]:
        """Each subject's walks, those of every kind and tally that hangs on it."""
        found: dict[str, set[Walk]] = {MEETING: set(), CONTACT: set(), NAME: set()}
        for part in (*self.kinds, *self.tallies):
            found[part.subject].update(part.reads)
        return {subject: frozenset(walks) for subject, walks in found.items()}


ENGINE = Engine()


@dataclass(frozen=True, slots=True)
class Parts:
    """The plan by subject, before it is put together: what an incremental planner keeps."""

    actions: list[tuple[str, Action]]  # (subject, action) of the kinds the plan keeps whole
    offers: list[tuple[str, Action, tuple]]  # (subject, action, rank) of the suggestions
    counts: list[tuple[str, str, int]]  # (subject, name, number) of the tallies


def parts(f: Facts, engine: Engine = ENGINE) -> Parts:
    actions, offers = [], []
    for kind in engine.kinds:
        if kind.pick is None:
            actions += kind.rule(f)
        else:
            offers += [(subject, a, kind.rank(f, subject)) for subject, a in kind.rule(f)]
    return Parts(actions, offers, [c for tally in engine.tallies for c in tally.count(f)])


def finish(engine: Engine, campaign: Campaign, today: date, window: int, actions: list[Action],
           offers: Iterable[Action], totals: Counter) -> Plan:
    """The plan from its parts: `actions` in agenda order; `offers`, each kind's suggestions in
    the order of its rank, of which each kind's `pick` are kept; `totals`, the tallies added up."""
    left = {kind.name: kind.pick(campaign) for kind in engine.kinds if kind.pick is not None}
    for a in offers:
        if left[a.kind] > 0:
            left[a.kind] -= 1
            insort(actions, a, key=engine.order)
    totals = totals.copy()
    for a in actions:
        totals.update(engine.counted(a))
    return Plan(today=today, window_days=window, actions=tuple(actions), stats=stats_of(campaign, totals))


@dataclass(frozen=True, slots=True)
class Planning:
    """A plan with what it was made from: the facts, and the parts (for an incremental planner)."""

    facts: Facts
    parts: Parts
    plan: Plan
    briefer: Briefer

    @classmethod
    def of(cls, vault: Vault, today: date, window: int, engine: Engine = ENGINE) -> Planning:
        f = facts(vault, today)
        p = parts(f, engine)
        offers = [a for _, a, _ in sorted(p.offers, key=lambda o: (o[1].kind, o[2]))]
        totals: defaultdict[str, int] = defaultdict(int)
        for _, name, n in p.counts:
            totals[name] += n
        plan = finish(engine, f.campaign, today, window, sorted((a for _, a in p.actions), key=engine.order),
                      offers, Counter(totals))
        return cls(f, p, plan, Briefer.of(f))


def plan(vault: Vault, today: date, window: int, engine: Engine = ENGINE) -> Plan:
    """Every action of the campaign on `today`, in agenda order, and its stats."""
    return Planning.of(vault, today, window, engine).plan
