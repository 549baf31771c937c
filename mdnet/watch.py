"""`mdnet watch`: keeps `Agenda.md`, the feed file and, once written, the report note up to date as
the notes change.

The only module that imports watchdog. `Watcher` turns the file system's events below a vault
into one call per burst of changes (a save is several events, a `git pull` thousands), leaving
out mdnet's own files and editors' scratch files; `mdnet serve` uses it to know when to rebuild.
`run` is the command: on each burst it re-reads only the changed notes (`fast.Live`), plans,
and rewrites the agenda note and the feed atomically, and only when their bytes changed, so its
own writes never wake it again. A new day, or a change to the vault's own templates (looked at
every second), rebuilds too.
"""

from __future__ import annotations

import os
import sys
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from watchdog.events import FileSystemEvent, FileSystemEventHandler
from watchdog.observers import Observer
from watchdog.observers.polling import PollingObserver

from mdnet import agenda, fast, files, ics, pipeline, report
from mdnet.errors import MdnetError
from mdnet.i18n import ntr, tr

QUIET = 0.05  # seconds without an event that end a burst
LONGEST = 2.0  # a burst that goes on longer is handled anyway, so a steady stream still shows
POLL_EVERY = 1.0  # seconds between two scans of the vault when there are no events
CHECK_EVERY = 1.0  # seconds between checks that the vault folder is still the one watched, and of the date
# Seconds between two looks at the whole vault while listening to events: when the system's
# queue of events overflows (a sync of many thousands of files), watchdog drops what it lost
# without a word, and only a look finds it.
LOOK_EVERY = 300.0
FEED_NAME = "calendar.ics"
_IGNORED_EVENTS = {"opened", "closed_no_write"}


class Watcher:
    """Calls `on_change(paths)` from its own thread once per burst of changes below `root`.

    `paths` holds the vault-relative paths seen to change (notes and folders); it is empty when
    the whole vault must be looked at again (the folder itself was replaced). Events for
    `ignore` (absolute paths, e.g. the files the caller writes), dot-folders and files other than
    `.md` (editors' `~`, `.swp` and `4913` files) do not count. Uses inotify and the like where it
    can, else (or with `poll`) scans the folder every second.
    """

    def __init__(self, root: Path, on_change: Callable[[set[str]], None], ignore: Iterable[Path] = (),
                 poll: bool = False, quiet: float = QUIET, longest: float = LONGEST):
        self.root = Path(root).absolute()
        self.on_change = on_change
        self.ignore = {os.path.normcase(os.path.abspath(p)) for p in ignore}
        self.poll = poll
        self.quiet, self.longest = quiet, longest
        self._pending: set[str] = set()
        self._first = self._last = 0.0
        self._wake = threading.Condition()
        self._stopping = False
        self._failure: BaseException | None = None
        self._observer = None
        self._identity = None
        self._looked = time.monotonic()
        self._thread = threading.Thread(target=self._deliver, name="mdnet-watch", daemon=True)

    # -- the observer's side ------------------------------------------------------------------

    def start(self) -> None:
        self._schedule()
        self._thread.start()

    def _schedule(self) -> None:
        """Watch `root` as it is now: a new observer, the fallback to polling when events fail."""
        if self._observer is not None:
            self._observer.stop()
            self._observer.join()
        self._identity = _identity(self.root)
        handler = _Handler(self)
        if not self.poll:
            observer = Observer()
            try:
                observer.schedule(handler, str(self.root), recursive=True)
                observer.start()
                self._observer = observer
                return
            except OSError as e:  # no inotify, or its limit reached: look instead of listening
                print(tr("mdnet: cannot watch %(root)s for events (%(reason)s); scanning it every second instead")
                      % {"root": self.root, "reason": e.strerror or e}, file=sys.stderr)
                self.poll = True
        observer = PollingObserver(timeout=POLL_EVERY)
        observer.schedule(handler, str(self.root), recursive=True)
        observer.start()
        self._observer = observer

    def notice(self, path: str, folder: bool = False) -> None:
        """An absolute path changed: remember it if it matters, and let the burst go on."""
        rel = self.relevant(path, folder)
        if rel is not None:
            self._add(rel)

    def _add(self, rel: str) -> None:
        with self._wake:
            now = time.monotonic()
            if not self._pending:
                self._first = now
            self._pending.add(rel)
            self._last = now
            self._wake.notify()

    def relevant(self, path: str, folder: bool = False) -> str | None:
        """The vault-relative path if a change to that file (or `folder`) can change the vault, else None."""
        absolute = os.path.abspath(path)
        if os.path.normcase(absolute) in self.ignore:
            return None
        rel = os.path.relpath(absolute, self.root)
        if rel == os.curdir:
            return ""
        parts = rel.split(os.sep)
        if parts[0] == os.pardir or any(p.startswith(".") for p in parts):
            return None
        name = parts[-1]
        if not folder and not name.lower().endswith(".md"):
            return None  # `Note.md~`, `Note.md.tmp`, vim's `4913`: editors' scratch files, and attachments
        return "/".join(parts)

    # -- the caller's side --------------------------------------------------------------------

    def _deliver(self) -> None:
        try:
            while True:
                with self._wake:
                    while not self._pending and not self._stopping:
                        self._wake.wait()
                    while not self._stopping:
                        now = time.monotonic()
                        wait = min(self._last + self.quiet, self._first + self.longest) - now
                        if wait <= 0:
                            break
                        self._wake.wait(wait)
                    if self._stopping:
                        return
                    paths, self._pending = self._pending, set()
                self.on_change(set() if "" in paths else paths)
        except BaseException as e:  # noqa: BLE001 - handed to the main thread, which raises it
            self._failure = e

    def check(self) -> None:
        """From the main thread, now and then: raise what failed in a rebuild, follow the folder if
        it was replaced (moved away and another put in its place, as some sync tools do), and ask
        for a look at the whole vault every `LOOK_EVERY` seconds."""
        if self._failure is not None:
            raise self._failure
        identity = _identity(self.root)
        if identity is not None and identity != self._identity:
            self._schedule()
            self.request()
        elif not self.poll and time.monotonic() - self._looked >= LOOK_EVERY:
            self._looked = time.monotonic()
            self.request()

    def request(self) -> None:
        """Ask for a call to `on_change`, as if the vault had changed."""
        self._add("")

    def stop(self) -> None:
        with self._wake:
            self._stopping = True
            self._wake.notify()
        if self._observer is not None:
            self._observer.stop()
            self._observer.join()
        if self._thread.is_alive():
            self._thread.join()


class _Handler(FileSystemEventHandler):
    def __init__(self, watcher: Watcher):
        self.watcher = watcher

    def on_any_event(self, event: FileSystemEvent) -> None:
        if event.event_type in _IGNORED_EVENTS or (event.is_directory and event.event_type == "modified"):
            return
        self.watcher.notice(os.fsdecode(event.src_path), event.is_directory)
        if event.event_type == "moved":
            self.watcher.notice(os.fsdecode(event.dest_path), event.is_directory)


def _identity(folder: Path) -> tuple[int, int] | None:
    try:
        st = os.stat(folder)
    except OSError:
        return None  # gone for now: keep the observer until a folder is back
    return st.st_dev, st.st_ino


# --- the command -----------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class Build:
    """What one rebuild made: the result, and the notes it read otherwise than the last one."""

    result: pipeline.Result
    modified: list[str]
    removed: list[str]


class Builder:
    """The rebuild loop `mdnet watch` and `mdnet serve` share: the vault kept in memory (`fast.Live`),
    read again where the watcher saw changes, and planned again, one build at a time; a look at
    the whole vault that finds nothing new, on the same day with the same templates, builds nothing."""

    def __init__(self, root: Path, today: date | None = None):
        self.root = Path(root)
        self.today = today
        self.live = fast.Live(self.root)
        self.result: pipeline.Result | None = None
        self._built: tuple | None = None  # (today, the vault's templates) of the last build
        self._lock = threading.Lock()

    def build(self, paths: set[str] | None = None) -> Build | None:
        """Read what changed at `paths` (None or empty: look at every note) and plan; None when a
        look at the whole vault (`paths` empty) found nothing new."""
        with self._lock:
            templates = files.signature(self.root)
            vault = self.live.load(paths)
            changed = self.live.modified or self.live.removed
            if paths == set() and not changed and self.result is not None and (
                    self._today(vault), templates) == self._built:
                return None
            result = pipeline.run(self.root, self.today, vault=vault)
            self.result, self._built = result, (result.plan.today, templates)
            return Build(result, self.live.modified, self.live.removed)

    def _today(self, vault) -> date:
        return self.today or pipeline.current_date(vault)

    def stale(self) -> bool:
        """Whether the day (unless --today fixes it) or the vault's own templates changed since the
        last build: they live outside the notes the watcher follows."""
        result = self.result
        return result is not None and (self._today(result.vault), files.signature(self.root)) != self._built

    def save(self) -> None:
        """Keep the index in `.mdnet/` for the next run."""
        with self._lock:
            self.live.save()


class Rebuilder:
    """What `mdnet watch` does on each change: build, then write what differs and say so."""

    def __init__(self, root: Path, today: date | None, feed: Path | None, out=None, err=None):
        self.root = Path(root)
        self.feed = Path(feed) if feed is not None else files.state_dir(self.root) / FEED_NAME
        self.builder = Builder(self.root, today)
        self.out, self.err = out or sys.stdout, err or sys.stderr

    @property
    def outputs(self) -> tuple[Path, ...]:
        """What it writes: the agenda note, the feed, and the report note in either language."""
        return (self.root / agenda.NOTE_NAME, self.feed,
                *(self.root / name for name in sorted(set(report.NOTE_NAMES.values()))))

    def rebuild(self, paths: set[str] | None = None) -> None:
        start = time.monotonic()
        build = self.builder.build(paths)
        if build is None:
            return  # a look at the whole vault that found nothing new: nothing to do or say
        result, problems = build.result, build.result.problems
        changed = {*build.modified, *build.removed}
        shown = changed if paths is not None else {p.path for p in problems if p.severity == "error"}
        for problem in problems:
            if problem.path in shown:
                print(problem.render(), file=self.err, flush=True)
        wrote = []
        try:
            markdown = agenda.render_markdown(result).encode("utf-8")
            if _differs(self.outputs[0], markdown):
                agenda.write_note(self.root, markdown.decode("utf-8"))
                wrote.append(agenda.NOTE_NAME)
            feed = ics.feed(result)
            if _differs(self.feed, feed):
                files.atomic_write(self.feed, feed)
                wrote.append(_shown(self.feed, self.root))
            # The report note is kept current once the user has asked for it (`report --write`).
            name = report.note_name(result.campaign.locale)
            if (self.root / name).exists():
                text = report.render_markdown(result)
                if _differs(self.root / name, text.encode("utf-8")):
                    agenda.write_note(self.root, text, name)
                    wrote.append(name)
        except MdnetError as e:  # a broken template, an unwritable file: say so and keep watching
            print(f"mdnet: {e}", file=self.err, flush=True)
            if e.advice:
                print(e.advice, file=self.err, flush=True)
        what = _what(paths, len(result.vault.notes), build.modified, build.removed)
        errors, actions = sum(p.severity == "error" for p in problems), len(result.plan.in_window())
        warnings = len(problems) - errors
        print(tr("%(time)s %(what)s: %(actions)s, %(errors)s, %(warnings)s; %(wrote)s (%(seconds).2f s)") % {
            "time": f"{datetime.now():%H:%M:%S}", "what": what,
            "actions": ntr("%(num)s action", "%(num)s actions", actions) % {"num": actions},
            "errors": ntr("%(num)s error", "%(num)s errors", errors) % {"num": errors},
            "warnings": ntr("%(num)s warning", "%(num)s warnings", warnings) % {"num": warnings},
            "wrote": tr("wrote %(path)s") % {"path": ", ".join(wrote)} if wrote else tr("nothing to write"),
            "seconds": time.monotonic() - start}, file=self.out, flush=True)


def _differs(path: Path, data: bytes) -> bool:
    try:
        return path.read_bytes() != data
    except OSError:
        return True


def _shown(path: Path, root: Path) -> str:
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return str(path)


def _what(paths: set[str] | None, notes: int, modified: list[str], removed: list[str]) -> str:
    """What a rebuild saw: the notes that read differently, by name when they are few."""
    if paths is None:
        return ntr("%(num)s note", "%(num)s notes", notes) % {"num": notes}
    changes = [*modified, *(tr("%(path)s (gone)") % {"path": p} for p in removed)]
    if not changes:
        return tr("no note changed")
    if len(changes) <= 3:
        return ", ".join(changes)
    return tr("%(changed)s changed, %(gone)s gone") % {
        "changed": ntr("%(num)s note", "%(num)s notes", len(modified)) % {"num": len(modified)},
        "gone": len(removed)}


def run(root: Path, today: date | None = None, feed: Path | None = None, poll: bool = False) -> None:
    """Build once, then rebuild on every change until Ctrl-C."""
    rebuilder = Rebuilder(root, today, feed)
    watcher = Watcher(root, rebuilder.rebuild, ignore=rebuilder.outputs, poll=poll)
    watcher.start()
    try:
        rebuilder.rebuild(None)
        rebuilder.builder.save()
        print(tr("watching %(root)s (Ctrl-C to stop)") % {"root": root}, flush=True)
        listen(watcher, rebuilder.builder)
    finally:
        watcher.stop()
        rebuilder.builder.save()


def listen(watcher: Watcher, builder: Builder, going: Callable[[], bool] = lambda: True) -> None:
    """While `going()`, until interrupted: raise what failed in a rebuild, follow a replaced vault
    folder, and ask for a rebuild when the date or the vault's templates changed."""
    while going():
        time.sleep(CHECK_EVERY)
        watcher.check()
        if builder.stale():
            watcher.request()
