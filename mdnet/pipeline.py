"""The one entry point: (vault folder, today, window) -> everything mdnet's outputs are made from.

    notes on disk --vault.load--> Vault --engine--> Plan + briefs --agenda/ics--> text

`run` reads every note and plans the whole vault: the definition of every answer. `mdnet.fast`
gives the same answer sooner, from what earlier runs left in `.mdnet/`; the CLI, the watcher
and the server ask it, and `MDNET_NO_CACHE=1` makes it call `run`.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from mdnet import brief, vault as reader
from mdnet.brief import Briefer
from mdnet.engine import ENGINE, Engine, Planning
from mdnet.model import Brief, Campaign, Plan, Problem, Vault


@dataclass(frozen=True, slots=True)
class Result:
    """What the outputs are made from: the campaign, the vault's problems, the plan, and the brief
    of each meeting the plan shows (`brief(path)`); `vault`, every record, when the whole vault
    was read (the feed needs every meeting; an agenda updated from a few notes does not)."""

    root: Path
    name: str  # the vault's folder name, as Obsidian knows the vault
    campaign: Campaign
    problems: tuple[Problem, ...]
    plan: Plan
    brief: Callable[[str], Brief]
    vault: Vault | None = None


def run(root: Path, today: date | None = None, window: int = 7, *, vault: Vault | None = None,
        engine: Engine = ENGINE) -> Result:
    """Read the vault (unless given) and plan it for `today` (else the current date in its zone)."""
    vault = vault if vault is not None else reader.load(root)
    planning = Planning.of(vault, today or current_date(vault), window, engine)
    return result_of(root, vault, planning.plan, planning.briefer)


def result_of(root: Path, vault: Vault, plan: Plan, briefer: Briefer | None = None) -> Result:
    """The result of a whole vault and its plan; `briefer` makes the briefs (else one is made)."""
    briefer = briefer or brief.briefer(vault)
    meetings = {m.path: m for m in vault.meetings}
    return Result(root, vault.name, vault.campaign, vault.problems, plan, lambda path: briefer(meetings[path]), vault)


def current_date(vault: Vault) -> date:
    """$MDNET_TODAY, else the clock's date in the campaign's zone. Only callers at the edge use it."""
    return today_in(vault.campaign.timezone)


def today_in(zone: str) -> date:
    fixed = os.environ.get("MDNET_TODAY")
    if fixed:
        return date.fromisoformat(fixed)
    return datetime.now(ZoneInfo(zone)).date()
