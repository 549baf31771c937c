"""The index cache in `.mdnet/`: later runs re-read only the notes that changed (SPEC section 7).

    scan --> files --(index: unchanged notes' NoteResults; read the others)--> assemble --> Vault

`index.pickle` holds one entry per note, keyed by its path, size and modification time (ns):
what `notes.read_note` produced, with its links as the last assembly resolved them, so that
after an edit only the notes that changed are read and resolved again. Deleted and renamed
notes leave it. It is a versioned pickle written atomically, rebuilt silently when missing,
corrupt or written by another version of the reader.
A note modified within `RACY_NS` of a run is not trusted to the index (a file system's clock
ticks coarsely, so a second save in the same tick keeps size and time), and is read again.
A cold run over many notes reads them in worker processes when the machine has several cores.
The cache only ever saves work: a vault where `.mdnet/` cannot be written runs uncached.
"""

from __future__ import annotations

import bisect
import os
import pickle
import sys
import time
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path

from mdnet import files as state, listing, vault as reader
from mdnet.listing import File
from mdnet.errors import OutputError
from mdnet.fast import disk
from mdnet.model import NoteResult, Vault

INDEX = "index.pickle"
RACY_NS = 2_000_000_000
PARALLEL_MIN = 4000  # below this many notes to read, starting workers costs more than it saves
CHUNK = 2500
PROGRESS_MIN = 8000  # notes to read before a progress bar is worth showing


def _with_problems(vault: Vault, problems: list) -> Vault:
    """The vault with the problems found while listing its folders first, as `vault.load` gives them."""
    return replace(vault, problems=tuple(problems) + vault.problems) if problems else vault


def _read(root: Path, key: tuple):
    folder = state.own_folder(root)
    return disk.read(folder / INDEX, key) if folder is not None else None


class Index:
    """Every note's NoteResult by path, with the size and time it was read at.

    `mdnet watch` keeps one in memory between rebuilds; a command loads it from `.mdnet/`.
    After `update`, `modified` and `removed` say which notes read differently and which are gone."""

    def __init__(self, root: Path, key: tuple | None = None, stored: bool = True):
        """The index kept in the vault's `.mdnet/` (an empty one when there is none), or, without
        `stored`, one that lives in memory only."""
        self.root = Path(root)
        self.stored = stored
        self.key = key or disk.code_key()
        # The assembler is kept with the index, in one file: the NoteResults it remembers are the
        # index's own objects, so after a few notes changed only those are resolved again.
        self.entries: dict[str, tuple[int, int, NoteResult]]
        self.entries, self.assembler = stored and _read(self.root, self.key) or ({}, reader.Assembler())
        self.changed = False
        self.modified: list[str] = []
        self.removed: list[str] = []
        self.files: list[File] | None = None  # as the last `load` found them
        self.scan_problems: list = []
        self.listed_contacts: tuple | None = None  # the campaign and contacts `listed` last gave
        self.saved = False  # whether the last `save` wrote

    def load(self, changed: set[str] | None = None) -> Vault:
        """Read the notes that changed since the last call, and assemble the vault.

        `changed` holds the vault-relative paths a file watcher saw change since then; only they
        are looked at, not all the vault's files, unless a folder is among them. Without it
        (None or empty), the whole vault is scanned."""
        after = self._after(changed) if changed and self.files is not None else None
        if after is None:
            files, self.scan_problems = listing.scan(self.root)
            results = self.update(files)
        else:
            files, looked = after
            results = self.update(files, looked)
        self.files = files
        return _with_problems(self.assemble(results), self.scan_problems)

    def assemble(self, results: list[NoteResult], with_checks: bool = True) -> Vault:
        """The vault of `results` (as `update` gives them); the index keeps each note's reading as
        resolved, so only one copy of each record is held, and saved."""
        with disk.no_gc():  # the resolved records live as long as the vault, and form no cycles
            vault = self.assembler.assemble(self.root.resolve().name, results, with_checks)
            for path in self.assembler.fresh:
                size, mtime, _ = self.entries[path]
                self.entries[path] = size, mtime, self.assembler.resolved(path)
        return vault

    def _after(self, changed: set[str]) -> tuple[list[File], dict[str, File | None]] | None:
        """The last files with those at `changed` looked at again, and what was found at each path
        looked at (None: no note); None when a scan must tell."""
        files, paths, looked = list(self.files), [f.path for f in self.files], {}
        for rel in changed:
            found = listing.note_at(self.root, rel)
            if found is None:
                return None
            path, file = found
            below = bisect.bisect_left(paths, path + "/")
            if below < len(paths) and paths[below].startswith(path + "/"):
                return None  # a folder that was moved or deleted: its notes with it
            looked[path] = file
            at = bisect.bisect_left(paths, path)
            there = at < len(paths) and paths[at] == path
            if file is None and there:
                del files[at], paths[at]
            elif file is not None and there:
                files[at] = file
            elif file is not None:
                files.insert(at, file)
                paths.insert(at, path)
        return files, looked

    def update(self, files: list[File], looked: dict[str, File | None] | None = None
               ) -> list[NoteResult]:
        """The NoteResults of `files`, in their order: from the index when size and time match.
        `looked` holds the only paths that can differ from the last `files`, with what is there
        now (a watcher's report, as `_after` gives it)."""
        entries = self.entries
        racy_after = time.time_ns() - RACY_NS
        candidates = files if looked is None else [f for f in looked.values() if f is not None]
        stale = [f for f in candidates if (e := entries.get(f.path)) is None or e[0] != f.size or e[1] != f.mtime_ns]
        fresh = dict(zip((f.path for f in stale), read_files(stale)))

        def entry(f: File) -> tuple[int, int, NoteResult]:
            # A note saved within the clock's tick of now never matches, so it is read again next time.
            return (-1, -1, fresh[f.path]) if f.mtime_ns >= racy_after else (f.size, f.mtime_ns, fresh[f.path])

        if looked is None:
            kept = {f.path: entry(f) if f.path in fresh else entries[f.path] for f in files}
        else:  # the others are as they were
            kept = dict(entries)
            for path, file in looked.items():
                if file is None:
                    kept.pop(path, None)
            kept.update((f.path, entry(f)) for f in stale)
        # What a user would call a change: not a re-read that gave the same, nor a new note mdnet ignores.
        self.modified = [p for p, r in fresh.items() if (not reader.same_reading(entries[p][2], r)
                                                         if p in entries else r.kind is not None or r.problems)]
        self.removed = sorted((entries.keys() if looked is None else looked.keys() & entries.keys()) - kept.keys())
        self.changed = bool(fresh) or len(kept) != len(entries)
        self.entries = kept
        return [kept[f.path][2] for f in files]

    def listed(self, files: list[File], problems: list, with_checks: bool = True) -> Vault:
        """The vault of `files`, as `listing.scan` lists them with `problems`; without `with_checks`,
        without the problems the checks across notes find (`checks`). Saved, the index leaves
        the campaign and contacts for `roster` too: every command that reads the whole vault
        spares the next export that read."""
        vault = self.assemble(self.update(files), with_checks)
        self.listed_contacts = vault.campaign, vault.contacts
        return _with_problems(vault, problems)

    def save(self, background: bool = False) -> None:
        """Write the index if it changed, and the contacts `listed` gave with it (`roster`); with
        `background`, for a large vault, in a child process while this one goes on
        (`disk.save_with`). `saved` tells whether it wrote."""
        self.saved = self.changed and self.stored
        if not self.saved:
            return
        from mdnet.fast import roster

        def write(path: Path) -> None:
            disk.write(path, self.key, (self.entries, self.assembler))
            if self.listed_contacts is not None:
                roster.write(path.with_name(roster.CONTACTS), self.key, self.entries, *self.listed_contacts)

        try:
            path = state.state_dir(self.root) / INDEX
            if background:
                disk.save_with(path, len(self.entries), write)
            else:
                write(path)
        except OutputError:
            pass  # a read-only vault still runs, only uncached
        self.changed = False


def read_files(files: list[File]) -> list[NoteResult]:
    """`listing.read_file` of each, in order; in worker processes when there are many."""
    workers = min(os.cpu_count() or 1, 4)
    if len(files) < PARALLEL_MIN or workers < 2:
        with disk.no_gc(), _progress(len(files)) as advance:
            results = []
            for start in range(0, len(files), CHUNK):
                results += map(listing.read_file, files[start:start + CHUNK])
                advance(min(CHUNK, len(files) - start))
            return results
    from concurrent.futures import ProcessPoolExecutor, as_completed

    chunks = [files[i:i + CHUNK] for i in range(0, len(files), CHUNK)]
    done: dict[int, list[NoteResult]] = {}
    with ProcessPoolExecutor(workers) as pool, _progress(len(files)) as advance:
        futures = {pool.submit(_read_chunk, disk.dumps(chunk)): i for i, chunk in enumerate(chunks)}
        for future in as_completed(futures):
            i = futures[future]
            with disk.no_gc():
                done[i] = pickle.loads(future.result())
            advance(len(chunks[i]))
    return [r for i in range(len(chunks)) for r in done[i]]


def _read_chunk(files: bytes) -> bytes:
    """In a worker: read the notes and send them back pickled the fast way."""
    with disk.no_gc():
        return disk.dumps([listing.read_file(f) for f in pickle.loads(files)])


@contextmanager
def _progress(total: int):
    """A progress bar on stderr, when it is a terminal and there are many notes to read."""
    if total < PROGRESS_MIN or not sys.stderr.isatty():
        yield lambda n: None
        return
    from rich.console import Console
    from rich.progress import Progress

    with Progress(console=Console(stderr=True), transient=True) as bar:
        task = bar.add_task("reading notes", total=total)
        yield lambda n: bar.advance(task, n)

