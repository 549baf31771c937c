"""The index cache in `.mdnet/`: later runs re-read only the notes that changed (SPEC section 7).

    scan --> files --(index: unchanged notes' NoteResults; read the others)--> assemble --> Vault

`index.pickle` holds one entry per note, keyed by its path, size and modification time (ns):
what `vault.read_note` produced, with its links as the last assembly resolved them, so that
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
import copyreg
import dataclasses
import functools
import gc
import hashlib
import importlib.util
import io
import operator
import os
import pickle
import sys
import threading
import time
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path

import mdnet
from mdnet import checks, fields, files as state, model, vault as reader
from mdnet.errors import OutputError
from mdnet.model import NoteResult, Vault

try:
    import fcntl
except ImportError:  # Windows: no fork either, so the cache is written before a run ends
    fcntl = None

SCHEMA = 1  # bump when the files' layout changes
INDEX = "index.pickle"
LOCK = "lock"
RACY_NS = 2_000_000_000
PARALLEL_MIN = 4000  # below this many notes to read, starting workers costs more than it saves
CHUNK = 2500
PROGRESS_MIN = 8000  # notes to read before a progress bar is worth showing
BACKGROUND_MIN = 4000  # notes in a vault whose cache is written by a child process while the run goes on


def _code_key() -> tuple:
    """What the cached values depend on: any change to the reader's code makes another key."""
    digest = hashlib.blake2b(digest_size=16)
    for module in (model, fields, reader, checks, sys.modules[__name__]):
        digest.update(Path(module.__file__).read_bytes())
    return (SCHEMA, mdnet.__version__, sys.version_info[:2], reader.yaml.__version__, digest.hexdigest())


# Frozen dataclasses with slots unpickle through a Python `__setstate__` that looks up the
# fields for every object; rebuilding them from their constructor is twice as fast.
def _by_constructor(cls):
    values = operator.attrgetter(*(f.name for f in dataclasses.fields(cls)))
    return lambda obj: (cls, values(obj))


_TABLE = copyreg.dispatch_table | {
    cls: _by_constructor(cls)
    for cls in (model.Problem, model.Link, model.Campaign, model.Contact, model.Meeting, model.NoteResult, Vault,
                model.Action)
}


_ALLOWED = {("mdnet.model", cls.__name__) for cls in _TABLE if cls.__module__ == "mdnet.model"} | {
    ("mdnet.vault", "Assembler")} | {
    ("datetime", name) for name in ("date", "datetime", "time", "timedelta", "timezone")}


class _Unpickler(pickle.Unpickler):
    """Builds mdnet's records and dates, nothing else: a cache file that someone else put in a
    shared vault's `.mdnet/` cannot run code, it is only a damaged cache."""

    def find_class(self, module, name):
        if (module, name) not in _ALLOWED:
            raise pickle.UnpicklingError(f"{module}.{name} has no place in mdnet's cache")
        return super().find_class(module, name)


def _dump(file, *values) -> None:
    pickler = pickle.Pickler(file, protocol=pickle.HIGHEST_PROTOCOL)
    pickler.dispatch_table = _TABLE
    for value in values:
        pickler.dump(value)
        pickler.clear_memo()  # each value is read back by a fresh unpickler


def _dumps(*values) -> bytes:
    buffer = io.BytesIO()
    _dump(buffer, *values)
    return buffer.getvalue()


def dumps(value) -> bytes:
    """A value pickled as the cache files hold it, for `loads`."""
    return _dumps(value)


def loads(data: bytes):
    """What `dumps` gave, through the unpickler that builds nothing but mdnet's records."""
    return _Unpickler(io.BytesIO(data)).load()


@contextmanager
def _no_gc():
    """Building hundreds of thousands of objects that form no cycles: the collector only slows it.

    Afterwards they are frozen out of its reach too: they live as long as the vault does, and
    every later collection would otherwise walk them all again (half a second a run at 60,000 notes)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        if enabled:
            gc.enable()


def _read(path: Path, key: tuple, signature: str | None = None, wait: bool = True):
    """The value stored after `key` (and `signature`, if given) in `path`, or None when missing,
    corrupt, of another key or of another signature. Each is checked before the value is loaded.
    With `wait`, a cache writer another run left behind is waited for first."""
    try:
        with _lock(path.parent, fcntl.LOCK_SH if fcntl and wait else 0), open(path, "rb") as f, _no_gc():
            if _Unpickler(f).load() != key or (signature is not None and _Unpickler(f).load() != signature):
                return None
            return _Unpickler(f).load()
    except Exception:  # any damage to a cache file means only that it is rebuilt
        return None


def _write(path: Path, *values) -> None:
    try:
        # Pickled straight into the file: a large index is never held whole in memory.
        state.atomic_write(path, lambda f: _dump(f, *values), durable=False)
    except OutputError:
        pass  # a read-only vault still runs, only uncached


@contextmanager
def _lock(folder: Path, operation: int):
    """`flock(operation)` on `<folder>/lock` while the block runs (nothing where there is no flock,
    or no such folder yet)."""
    if not operation:
        yield None
        return
    try:
        fd = os.open(folder / LOCK, os.O_RDWR | os.O_CREAT, 0o644)
    except OSError:  # no `.mdnet/` yet, or a read-only vault: nobody writes there
        yield None
        return
    try:
        fcntl.flock(fd, operation)
        yield fd
    finally:
        os.close(fd)


def locked(folder: Path):
    """The folder's lock, held alone while the block runs: no cache writer is at work meanwhile."""
    return _lock(folder, fcntl.LOCK_EX if fcntl else 0)


_writers: list[int] = []  # child processes writing cache files


def _save(path: Path, notes: int, *values) -> None:
    """Write a cache file holding `values` (see `save_with`)."""
    save_with(path, notes, lambda target: _write(target, *values))


def save_with(path: Path, notes: int, write: Callable[[Path], None]) -> None:
    """`write(path)`, a cache file.

    For a large vault a forked child writes it while this process goes on to plan and print,
    and may end before it is written: pickling a vault takes longer than planning it, and the
    user is waiting for the agenda, not for the cache. The child holds the folder's lock till it
    is done, so a run that needs the cache meanwhile waits for it rather than read every note."""
    if notes < BACKGROUND_MIN or not hasattr(os, "fork") or not fcntl or threading.active_count() > 1:
        write(path)
        return
    _reap()
    try:
        fd = os.open(path.parent / LOCK, os.O_RDWR | os.O_CREAT, 0o644)
    except OSError:
        write(path)
        return
    try:
        try:  # taken here when free, so that no run reads the old file before the child writes
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            held = True
        except BlockingIOError:  # another run is writing or reading: the child waits for it, not this run
            held = False
        try:
            pid = os.fork()
        except OSError:  # no process to spare: write it now
            write(path)
            return
        if pid == 0:  # the child: its copy of `fd` holds the lock until it exits
            code = 0
            try:
                devnull = os.open(os.devnull, os.O_RDWR)
                for std in (0, 1, 2):  # a pipe reading this run's output is not kept open by the child
                    os.dup2(devnull, std)
                if not held:
                    fcntl.flock(fd, fcntl.LOCK_EX)
                with _no_gc():  # collecting would touch, and so copy, every page shared with the parent
                    write(path)
            except BaseException:
                code = 1
            finally:
                os._exit(code)
    finally:
        os.close(fd)
    _writers.append(pid)


def _reap() -> None:
    """Collect the writers that are done (a long-running process starts one per save)."""
    for pid in list(_writers):
        try:
            if not os.waitpid(pid, os.WNOHANG)[0]:
                continue
        except ChildProcessError:  # collected elsewhere, as by a handler of SIGCHLD
            pass
        _writers.remove(pid)


def _signature(name: str, files: list[reader.File]) -> str:
    digest = hashlib.blake2b(digest_size=20)
    digest.update(f"{name}\0{reader.machine_zone()}\0{reader.LIBYAML}\n".encode())
    digest.update(reader.paths_of(files).encode())
    digest.update(reader.stamps_of(files).tobytes())
    return digest.hexdigest()


OUTPUT = "output.pickle"


def output_key(root: Path, files: list[reader.File], what: tuple, templates: Path | None) -> str | None:
    """Everything a command's output depends on but the date: the notes (path, size, time), the
    user's templates, mdnet's own code, templates and catalogues, and the command's options.
    None while a note is too fresh to be told apart from its next save by size and time."""
    if max(map(operator.itemgetter(3), files), default=0) >= time.time_ns() - RACY_NS:
        return None
    digest = hashlib.blake2b(digest_size=20)
    digest.update(_signature(Path(root).resolve().name, files).encode())
    digest.update(repr((package_key(), what)).encode())
    for path, size, mtime in sorted(state.signature(root, templates)):
        digest.update(f"{path}\0{size}\0{mtime}\n".encode())
    return digest.hexdigest()


@functools.cache
def package_key() -> tuple:
    """`_code_key`, for what depends on all of mdnet: its code, catalogues and built-in templates,
    and the libraries that write its outputs (a new Babel writes dates otherwise), told by the
    versions installed where they are."""
    digest = hashlib.blake2b(digest_size=16)
    package = Path(mdnet.__file__).parent
    builtin = package / "templates" if (package / "templates").is_dir() else package.parent / "templates"
    for path in sorted((*package.rglob("*.py"), *package.rglob("*.po"), *builtin.glob("*"))):
        digest.update(path.read_bytes())
    folders = {os.path.dirname(os.path.dirname(spec.origin)) for name in _LIBRARIES
               if (spec := importlib.util.find_spec(name)) is not None and spec.origin}
    for folder in sorted(folders):
        installed = sorted(n for n in os.listdir(folder) if n.endswith((".dist-info", ".egg-info")))
        digest.update("\n".join(installed).encode())
    return *_code_key(), digest.hexdigest()


_LIBRARIES = ("yaml", "babel", "jinja2", "icalendar", "orjson", "markdown_it")


def recall(root: Path, key: str) -> tuple[str, object, bytes] | None:
    """(the campaign's zone, the date, the bytes) a command last produced with this key."""
    return _read(Path(root) / state.STATE_DIR / OUTPUT, _code_key(), key, wait=False)


def remember(root: Path, key: str, zone: str, day, data: bytes) -> None:
    try:
        _write(state.state_dir(root) / OUTPUT, _code_key(), key, (zone, day, data))
    except OutputError:
        pass


def load(root: Path) -> Vault:
    """`vault.load(root)`, reading only the notes that changed since the last run."""
    return load_scanned(root, *reader.scan(root))


def load_scanned(root: Path, files: list[reader.File], problems: list, save: bool = True) -> Vault:
    """`load` of what `vault.scan` found."""
    return _with_problems(load_files(root, files, save), problems)


def _with_problems(vault: Vault, problems: list) -> Vault:
    """The vault with the problems found while scanning its folders first, as `vault.load` gives them."""
    return replace(vault, problems=tuple(problems) + vault.problems) if problems else vault


_last: list = []  # the index last loaded: see `load_files`


def last_index() -> Index:
    """The index the last `load_files` used, as it left it."""
    return _last[0]


def load_files(root: Path, files: list[reader.File], save: bool = True) -> Vault:
    """The assembled vault of `files` (as `vault.scan` lists them), from the cache where it can.
    Without `save`, the caller saves the index (`last_index`) when it suits it.

    The index stays referenced until the next call: freeing its hundreds of thousands of
    entries costs a tenth of a second, which the `mdnet` program, ending soon, never spends."""
    index = Index(root)
    _last[:] = [index]
    vault = index.assemble(index.update(files))
    if index.changed and save:
        try:
            _save(state.state_dir(root) / INDEX, len(files), index.key, (index.entries, index.assembler))
        except OutputError:
            pass  # a read-only vault still runs, only uncached
    return vault


class Index:
    """Every note's NoteResult by path, with the size and time it was read at.

    `mdnet watch` keeps one in memory between rebuilds; a command loads it from `.mdnet/`.
    After `update`, `modified` and `removed` say which notes read differently and which are gone."""

    def __init__(self, root: Path, key: tuple | None = None):
        self.root = Path(root)
        self.key = key or _code_key()
        # The assembler is kept with the index, in one file: the NoteResults it remembers are the
        # index's own objects, so after a few notes changed only those are resolved again.
        self.entries: dict[str, tuple[int, int, NoteResult]]
        self.entries, self.assembler = _read(self.root / state.STATE_DIR / INDEX, self.key) or ({}, reader.Assembler())
        self.changed = False
        self.modified: list[str] = []
        self.removed: list[str] = []
        self.files: list[reader.File] | None = None  # as the last `load` found them
        self.scan_problems: list = []

    def load(self, changed: set[str] | None = None) -> Vault:
        """Read the notes that changed since the last call, and assemble the vault.

        `changed` holds the vault-relative paths a file watcher saw change since then; only they
        are looked at, not all the vault's files, unless a folder is among them. Without it
        (None or empty), the whole vault is scanned."""
        after = self._after(changed) if changed and self.files is not None else None
        if after is None:
            files, self.scan_problems = reader.scan(self.root)
            results = self.update(files)
        else:
            files, looked = after
            results = self.update(files, looked)
        self.files = files
        return _with_problems(self.assemble(results), self.scan_problems)

    def assemble(self, results: list[NoteResult]) -> Vault:
        """The vault of `results` (as `update` gives them); the index keeps each note's reading as
        resolved, so only one copy of each record is held, and saved."""
        with _no_gc():  # the resolved records live as long as the vault, and form no cycles
            vault = self.assembler.assemble(self.root.resolve().name, results)
            for path in self.assembler.fresh:
                size, mtime, _ = self.entries[path]
                self.entries[path] = size, mtime, self.assembler.resolved(path)
        return vault

    def _after(self, changed: set[str]) -> tuple[list[reader.File], dict[str, reader.File | None]] | None:
        """The last files with those at `changed` looked at again, and what was found at each path
        looked at (None: no note); None when a scan must tell."""
        files, paths, looked = list(self.files), [f.path for f in self.files], {}
        for rel in changed:
            found = reader.note_at(self.root, rel)
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

    def update(self, files: list[reader.File], looked: dict[str, reader.File | None] | None = None
               ) -> list[NoteResult]:
        """The NoteResults of `files`, in their order: from the index when size and time match.
        `looked` holds the only paths that can differ from the last `files`, with what is there
        now (a watcher's report, as `_after` gives it)."""
        entries = self.entries
        racy_after = time.time_ns() - RACY_NS
        candidates = files if looked is None else [f for f in looked.values() if f is not None]
        stale = [f for f in candidates if (e := entries.get(f.path)) is None or e[0] != f.size or e[1] != f.mtime_ns]
        fresh = dict(zip((f.path for f in stale), read_files(stale)))

        def entry(f: reader.File) -> tuple[int, int, NoteResult]:
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

    def save(self) -> None:
        try:
            _write(state.state_dir(self.root) / INDEX, self.key, (self.entries, self.assembler))
        except OutputError:
            pass
        self.changed = False


def read_files(files: list[reader.File]) -> list[NoteResult]:
    """`vault.read_file` of each, in order; in worker processes when there are many."""
    workers = min(os.cpu_count() or 1, 4)
    if len(files) < PARALLEL_MIN or workers < 2:
        with _no_gc(), _progress(len(files)) as advance:
            results = []
            for start in range(0, len(files), CHUNK):
                results += map(reader.read_file, files[start:start + CHUNK])
                advance(min(CHUNK, len(files) - start))
            return results
    from concurrent.futures import ProcessPoolExecutor, as_completed

    chunks = [files[i:i + CHUNK] for i in range(0, len(files), CHUNK)]
    done: dict[int, list[NoteResult]] = {}
    with ProcessPoolExecutor(workers) as pool, _progress(len(files)) as advance:
        futures = {pool.submit(_read_chunk, _dumps(chunk)): i for i, chunk in enumerate(chunks)}
        for future in as_completed(futures):
            i = futures[future]
            with _no_gc():
                done[i] = pickle.loads(future.result())
            advance(len(chunks[i]))
    return [r for i in range(len(chunks)) for r in done[i]]


def _read_chunk(files: bytes) -> bytes:
    """In a worker: read the notes and send them back pickled the fast way."""
    with _no_gc():
        return _dumps([reader.read_file(f) for f in pickle.loads(files)])


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
