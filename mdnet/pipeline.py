"""The one entry point: (vault folder, today) -> everything mdnet knows, for the CLI, watcher and server.

    notes on disk --vault.load--> Vault --campaign.plan--> Plan --agenda/ics--> text
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from mdnet import cache, vault as vault_reader
from mdnet.model import Brief, Meeting, Plan, Problem, Vault


@dataclass(frozen=True, slots=True)
class Result:
    root: Path
    vault: Vault
    plan: Plan
    brief: Callable[[Meeting], Brief] | None = None  # a brief per meeting (a `campaign.Briefer`); made when not given

    def __post_init__(self):
        if self.brief is None:
            from mdnet import campaign

            object.__setattr__(self, "brief", campaign.briefer(self.vault))

    @property
    def problems(self) -> tuple[Problem, ...]:
        return self.vault.problems


def load(root: Path) -> Vault:
    """`vault.load`, through the index cache in `.mdnet/`: only notes that changed are read."""
    return cache.load(root)


def run(root: Path, today: date | None = None, window: int = 7, vault: Vault | None = None) -> Result:
    """Read the vault (unless given) and plan it for `today` (else the current date in its zone)."""
    from mdnet import campaign

    vault = vault if vault is not None else load(root)
    today = today or current_date(vault)
    return Result(root, vault, *campaign.planned(vault, today, window))


def produce(root: Path, today: date | None, window: int, what: tuple, make: Callable[[Result], bytes],
            templates: Path | None = None, partial: bool = False, briefs: bool = True) -> bytes:
    """`make(run(root, today, window))`, remembered in `.mdnet/`: run again on the same notes, the
    same day and the same options (`what`), a command answers with the bytes it made last time,
    without loading or planning the vault. The engine is a pure function of those inputs.

    With `partial` (for a `make` that reads of the vault only its campaign, its problems and the
    meetings the plan's window shows, with their briefs), a run after a few notes changed updates
    the last plan from them (`store`) instead of planning the whole vault; `briefs` says whether
    `make` needs those briefs."""
    files, problems = vault_reader.scan(root)
    key = cache.output_key(root, files, (what, window), templates)
    stored = cache.recall(root, key) if key is not None else None
    if stored is not None:
        zone, day, data = stored
        if (today or _today_in(zone)) == day:
            return data
    from mdnet import campaign, store  # after the stored answer: planning is what it spares

    updated = store.update(root, files, today, window, _today_in, briefs) if partial else None
    if updated is not None:
        vault, plan, brief = updated
        result = Result(root, replace(vault, problems=tuple(problems) + vault.problems), plan, brief)
    else:
        vault = cache.load_scanned(root, files, problems, save=not partial)  # else saved with the store
        planning = campaign.Planning.of(vault, today or current_date(vault), window)
        result = Result(root, vault, planning.plan, planning.briefer)
    data = make(result)
    if partial and updated is None:  # after the answer is made: the store is written meanwhile
        store.save(root, cache.last_index(), planning, vault)
    if key is not None:
        cache.remember(root, key, vault.campaign.timezone, result.plan.today, data)
    return data


def current_date(vault: Vault) -> date:
    """$MDNET_TODAY, else the clock's date in the campaign's zone. Only callers at the edge use it."""
    return _today_in(vault.campaign.timezone)


def _today_in(zone: str) -> date:
    fixed = os.environ.get("MDNET_TODAY")
    if fixed:
        return date.fromisoformat(fixed)
    return datetime.now(ZoneInfo(zone)).date()
