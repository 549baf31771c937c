"""Speed behind one door: the answers of `pipeline.run`, sooner, from what earlier runs left in
`.mdnet/`. Its one promise is that every answer equals a full run's; `MDNET_NO_CACHE=1` turns
all of it off (nothing is read from or written to `.mdnet/`), and the outputs stay the same bytes.

    index.py   each note's reading, by path, size and time: only changed notes are read again
    memo.py    a command's output, by everything it depends on: a run on unchanged notes answers at once
    store.py   the plan's parts by subject: after a few edits, only what they touch is planned again
    roster.py  the campaign and contacts alone, for the export: after a few edits, only those notes are read
    disk.py    pickles that cannot run code, the folder's lock, writers in a child process
    forked.py  work done in a child process meanwhile: the listing of a large vault, a first export's cards
    sortable.py  bytes that sort as the engine's keys, for the store's database

The reader, the engine and the outputs know nothing of this package.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from mdnet import listing

if TYPE_CHECKING:  # imported where they are used: the export lists the folders before it needs them
    from mdnet import pipeline
    from mdnet.engine import Engine
    from mdnet.model import Vault

# Objects kept until the process ends: a large vault's index is freed object by object, which
# costs more than the `mdnet` program, about to exit, should spend on it.
_kept: list = []


def enabled() -> bool:
    """Whether the caches are used: unless `MDNET_NO_CACHE` is set (to anything but 0)."""
    return os.environ.get("MDNET_NO_CACHE", "") in ("", "0")


def scan(root: Path) -> tuple[list[listing.File], list]:
    """`listing.scan(root)`, a large vault's notes looked at in two processes at once."""
    return listing.scan(root, _stat_all)


def _stat_all(paths):
    from mdnet.fast import forked

    return forked.in_two(listing.stat_all, paths)


def load(root: Path, with_checks: bool = True) -> Vault:
    """`vault.load(root)`, reading only the notes that changed since the last run. A command that
    writes or reads the contacts' values, and reports no problem of the vault, goes without
    `with_checks`: the checks across notes (`checks`) cost most of a large vault's assembly."""
    if not enabled():
        from mdnet import vault as reader

        return reader.load(root, with_checks)
    return indexed(root, *scan(root), with_checks)[0]


def indexed(root: Path, files: list, problems: list, with_checks: bool = True):
    """`load` of the notes `listing.scan` found, and the index they were read through (each
    note's reading, by path, in its `entries`); the caches must be enabled."""
    from mdnet.fast.index import Index

    index = Index(root)
    vault = index.listed(files, problems, with_checks)
    index.save(background=True)
    _kept.append(index)
    return vault, index


def output(root: Path, today: date | None, window: int, what: tuple, make: Callable[[pipeline.Result], bytes],
           templates: Path | None = None, *, partial: bool = False, briefs: bool = True,
           engine: Engine | None = None) -> bytes:
    """`make(pipeline.run(root, today, window))`: the bytes a command outputs.

    Run again on the same notes, the same day and the same options (`what`), a command answers
    with the bytes it made last time, without reading or planning the vault. With `partial` (for
    a `make` that reads of the result only the campaign, the problems, the plan and, with
    `briefs`, the briefs of the meetings the window shows), a run after a few notes changed
    updates the last plan from them instead of planning the whole vault."""
    from mdnet import pipeline
    from mdnet.engine import ENGINE

    engine = engine or ENGINE
    if not enabled():
        return make(pipeline.run(root, today, window, engine=engine))
    from mdnet.fast import memo

    files, problems = scan(root)
    key = memo.output_key(root, files, (what, window, engine.name), templates)
    stored = memo.recall(root, key) if key is not None else None
    if stored is not None:
        zone, day, data = stored
        if (today or pipeline.today_in(zone)) == day:
            return data
    from mdnet.engine import Planning  # after the stored answer: planning is what it spares
    from mdnet.fast import store
    from mdnet.fast.index import Index

    updated = store.update(root, files, today, window, pipeline.today_in, briefs, engine) if partial else None
    if updated is not None:
        campaign, found, plan, kept = updated
        result = pipeline.Result(root, Path(root).resolve().name, campaign, (*problems, *found), plan, kept.__getitem__)
    else:
        index = Index(root)
        _kept.append(index)
        vault = index.listed(files, problems)
        planning = Planning.of(vault, today or pipeline.current_date(vault), window, engine)
        result = pipeline.result_of(root, vault, planning.plan, planning.briefer)
    data = make(result)
    if updated is None:  # after the answer is made: written meanwhile, for a large vault
        if partial:
            store.save(root, index, planning, vault, engine)
        else:
            index.save(background=True)
    if key is not None:
        memo.remember(root, key, result.campaign.timezone, result.plan.today, data)
    return data


class Live:
    """The vault as `mdnet watch` and `mdnet serve` keep it between rebuilds: after the file
    system reports changes, only those notes are read again."""

    def __init__(self, root: Path):
        from mdnet.fast.index import Index

        self.index = Index(root, stored=enabled())

    def load(self, changed: set[str] | None = None) -> Vault:
        """The vault now; `changed` holds the paths the watcher saw change (None or empty: look
        at every note)."""
        return self.index.load(changed)

    @property
    def modified(self) -> list[str]:
        """The notes the last `load` read otherwise than before."""
        return self.index.modified

    @property
    def removed(self) -> list[str]:
        return self.index.removed

    def save(self) -> None:
        self.index.save()


def scan_ahead(root: Path):
    """`listing.scan(root)` begun in a child process (`forked.ahead`) while this one goes on; call
    what is returned for a `roster.Scanned`. The files cross the pipe as one text and an array:
    pickled as tuples, they would cost what the scan saves."""
    from array import array

    from mdnet.fast import forked

    def packed():  # in one process: this one is busy meanwhile, and the machine may have two cores only
        files, problems = listing.scan(root)
        return listing.paths_of(files), listing.stamps_of(files).tobytes(), listing.odd_paths(root, files), problems

    answer = forked.ahead(packed)
    from mdnet import notes  # noqa: F401  (what reading a note needs, imported while the child lists them)
    from mdnet.fast import roster

    def unpacked():
        paths, stamps, odd, problems = answer()
        return roster.Scanned(str(root), paths, array("q", stamps), odd, problems)

    return unpacked


def contacts(root: Path, listed=None):
    """The campaign and the contacts alone, as `load(root)` gives them, and each contact's digest
    (`roster.digest`) by its path; kept apart (`roster`) so that a command needing no more reads
    only the notes that changed. `listed` gives the vault's files when they are being found
    meanwhile (`scan_ahead`)."""
    from mdnet.fast import roster

    return roster.contacts(root, listed)
