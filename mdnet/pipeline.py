"""The one entry point: (vault folder, today) -> everything mdnet knows, for the CLI, watcher and server.

    notes on disk --vault.load--> Vault --campaign.plan--> Plan --agenda/ics--> text
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from mdnet import cache, campaign
from mdnet.model import Plan, Problem, Vault


@dataclass(frozen=True, slots=True)
class Result:
    root: Path
    vault: Vault
    plan: Plan

    @property
    def problems(self) -> tuple[Problem, ...]:
        return self.vault.problems


def load(root: Path) -> Vault:
    """`vault.load`, through the index cache in `.mdnet/`: only notes that changed are read."""
    return cache.load(root)


def run(root: Path, today: date | None = None, window: int = 7, vault: Vault | None = None) -> Result:
    """Read the vault (unless given) and plan it for `today` (else the current date in its zone)."""
    vault = vault if vault is not None else load(root)
    today = today or current_date(vault)
    return Result(root, vault, campaign.plan(vault, today, window))


def current_date(vault: Vault) -> date:
    """$MDNET_TODAY, else the clock's date in the campaign's zone. Only callers at the edge use it."""
    fixed = os.environ.get("MDNET_TODAY")
    if fixed:
        return date.fromisoformat(fixed)
    return datetime.now(ZoneInfo(vault.campaign.timezone)).date()
