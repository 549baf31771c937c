"""What `mdnet import` prints: a line per note created or merged, per conflict and per row
skipped, then a summary line in the user's language; a progress bar on a terminal."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from pathlib import Path

from mdnet.i18n import tr
from mdnet.importers import Row, plan

BAR_ROWS = 300  # fewer rows are read in the blink of an eye


def _bar(rows: list[Row]) -> Iterable[Row]:
    if len(rows) <= BAR_ROWS:
        return rows
    from rich.console import Console
    from rich.progress import track

    # On the error stream: what is printed on standard output (the JSON) stays whole.
    return track(rows, description=tr("Importing"), transient=True, console=Console(stderr=True))


def run(root: Path, paths: Iterable[Path], today: date | None, source: str | None, circle: str | None,
        closeness: int | None, dry_run: bool, templates: Path | None, progress: bool) -> plan.Outcome:
    return plan.run(root, paths, today, source, circle, closeness, dry_run, templates, _bar if progress else None)


def lines(outcome: plan.Outcome) -> list[str]:
    found = list(outcome.warnings)
    for e in outcome.entries:
        where = e.row.where
        if e.kind == "created":
            found.append(tr("created %(note)s (%(where)s)") % {"note": e.note, "where": where})
        elif e.kind == "merged":
            found.append(tr("merged %(note)s: %(changes)s (%(where)s)") % {"note": e.note, "changes": e.detail,
                                                                         "where": where})
        elif e.kind == "conflict":
            found.append(tr("conflict %(note)s: '%(field)s' is '%(kept)s' in the note and '%(offered)s' in "
                           "%(where)s; the note's value is kept") % {
                "note": e.note, "field": e.field, "kept": e.kept, "offered": e.offered, "where": where})
        elif e.kind == "skipped":
            found.append(tr("skipped %(where)s: %(reason)s") % {"where": where, "reason": e.detail})
    return found


def summary(outcome: plan.Outcome, dry_run: bool) -> str:
    counts = {kind: len(outcome.of(kind)) for kind in ("created", "merged", "unchanged", "conflict", "skipped")}
    text = tr("%(created)d created, %(merged)d merged, %(unchanged)d unchanged, %(conflict)d conflicts, "
             "%(skipped)d skipped") % counts
    return text + (tr(" (dry run: nothing was written)") if dry_run else "")
