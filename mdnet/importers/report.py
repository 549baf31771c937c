"""What `mdnet import` prints: a line per note created or merged, per conflict and per row
skipped, then a summary line in the user's language; a progress bar on a terminal."""

from __future__ import annotations

import os
from collections.abc import Iterable
from datetime import date
from pathlib import Path

from mdnet import i18n
from mdnet.importers import Row, plan

BAR_ROWS = 300  # fewer rows are read in the blink of an eye


def user_gettext():
    """The `_` of the user's language, as gettext looks for it (LANGUAGE, LC_ALL, LC_MESSAGES, LANG)."""
    for variable in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(variable)
        if value:
            return i18n.gettext_for(value.split(":")[0].split(".")[0])
    return i18n.gettext_for("en")


def _bar(rows: list[Row]) -> Iterable[Row]:
    if len(rows) <= BAR_ROWS:
        return rows
    from rich.progress import track

    return track(rows, description=user_gettext()("Importing"), transient=True)


def run(root: Path, paths: Iterable[Path], today: date | None, source: str | None, circle: str | None,
        closeness: int | None, dry_run: bool, templates: Path | None, progress: bool) -> plan.Outcome:
    return plan.run(root, paths, today, source, circle, closeness, dry_run, templates, _bar if progress else None)


def lines(outcome: plan.Outcome) -> list[str]:
    _ = user_gettext()
    found = list(outcome.warnings)
    for e in outcome.entries:
        where = e.row.where
        if e.kind == "created":
            found.append(_("created %(note)s (%(where)s)") % {"note": e.note, "where": where})
        elif e.kind == "merged":
            found.append(_("merged %(note)s: %(changes)s (%(where)s)") % {"note": e.note, "changes": e.detail,
                                                                         "where": where})
        elif e.kind == "conflict":
            found.append(_("conflict %(note)s: '%(field)s' is '%(kept)s' in the note and '%(offered)s' in "
                           "%(where)s; the note's value is kept") % {
                "note": e.note, "field": e.field, "kept": e.kept, "offered": e.offered, "where": where})
        elif e.kind == "skipped":
            found.append(_("skipped %(where)s: %(reason)s") % {"where": where, "reason": e.detail})
    return found


def summary(outcome: plan.Outcome, dry_run: bool) -> str:
    _ = user_gettext()
    counts = {kind: len(outcome.of(kind)) for kind in ("created", "merged", "unchanged", "conflict", "skipped")}
    text = _("%(created)d created, %(merged)d merged, %(unchanged)d unchanged, %(conflict)d conflicts, "
             "%(skipped)d skipped") % counts
    return text + (_(" (dry run: nothing was written)") if dry_run else "")
