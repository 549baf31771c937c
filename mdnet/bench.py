"""The benchmark behind `make bench`: mdnet on large synthetic vaults, against a naive baseline.

Writes a campaign of 10,000 contacts and 50,000 meetings (`mdnet.synth`), then runs, as the
user would, each as a child process: python-frontmatter's `frontmatter.load` of every note in a
plain loop (the baseline), `mdnet agenda --format json` cold (no cache), warm (nothing changed)
and after one note changed (three saves, the median counts), `mdnet watch` seeing one saved note,
`mdnet --help`, and `mdnet report --format json` warm with the Mermaid size of the written note.
Times are printed as ratios to the baseline measured in the same run, so they hold on any machine.

It does so for each of synth's two shapes in turn, each with its own baseline and table: `full`,
notes with many properties, and `light`, notes with a few properties and long bodies, where the
baseline has less to parse and so mdnet's ratios are worse (its targets allow for that). The
light shape skips watch and `--help`, which do not depend on the notes' shape.

Then, each on a vault of its own (`PARTS`): `mdnet import` of a LinkedIn export of as many rows
as contacts, a tenth of them people of the vault; `mdnet export vcard` of every contact and again after
one note changed, with what creating as many files costs the disk at that moment; the first run (`mdnet triage` opening, `mdnet set` on 1,000 contacts); and a
campaign played (`mdnet.simulation`) for six months in a world with a weekly target of fifteen
meetings, so that the vault grows to a few thousand notes: the commands a user runs per second
over the whole play, and over its last month against its first (the baseline).

    python -m mdnet.bench [--shape full|light] [--vault DIR] [--contacts N] [--meetings N] [--play DAYS]
    python -m mdnet.bench --only agenda|import|export|first-run|play [--play DAYS]

Exits 1 when a target is missed.
"""

from __future__ import annotations

import argparse
import os
import random
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from mdnet import simulation, synth
from mdnet.fast.index import RACY_NS

TODAY = date(2026, 11, 27)
BASELINE = """\
import pathlib, sys
import frontmatter
for path in sorted(pathlib.Path(sys.argv[1]).rglob("*.md")):
    frontmatter.load(path)
"""


@dataclass(frozen=True, slots=True)
class Run:
    seconds: float  # until the command ended
    max_rss_mb: float  # of the command, or of a process it left behind (the cache writer) if more
    returncode: int
    stdout: bytes
    behind: float | None = None  # seconds its cache writer went on after it ended (None: not known)


@dataclass(frozen=True, slots=True)
class Targets:
    """A shape's targets: times as ratios to its baseline (None: measured, no target)."""

    cold: float
    warm: float | None
    edited: float
    memory_mb: float | None
    watch_and_help: bool  # measure `mdnet watch` and `mdnet --help` too, against their targets


TARGETS = {
    "full": Targets(cold=0.8, warm=0.1, edited=0.15, memory_mb=400, watch_and_help=True),
    "light": Targets(cold=0.8, warm=None, edited=0.25, memory_mb=None, watch_and_help=False),
}


@dataclass(frozen=True, slots=True)
class Measure:
    name: str
    value: float
    unit: str  # "s", "MB", "characters", "files", "/s", or "" for a count
    ratio: float | None  # to the baseline, for times compared with it
    target: str
    ok: bool


def mdnet(*args: str) -> list[str]:
    return [sys.executable, "-m", "mdnet", *args]


def _adopt_orphans() -> bool:
    """Become the parent of processes our children leave behind (Linux), to wait for them."""
    try:
        import ctypes

        return ctypes.CDLL(None, use_errno=True).prctl(36, 1, 0, 0, 0) == 0  # PR_SET_CHILD_SUBREAPER
    except (OSError, AttributeError):
        return False


ADOPTS = _adopt_orphans()


def run(argv: list[str]) -> Run:
    """Run a child process: its wall time and its peak memory; then wait for any process it left
    behind (mdnet's cache writer), whose memory counts too, so that it slows no later measure."""
    with tempfile.TemporaryFile() as out:
        start = time.perf_counter()
        child = subprocess.Popen(argv, stdout=out, stderr=subprocess.DEVNULL)
        _, status, usage = os.wait4(child.pid, 0)
        seconds = time.perf_counter() - start
        child.returncode = os.waitstatus_to_exitcode(status)
        rss = usage.ru_maxrss
        behind = 0.0 if ADOPTS else None
        while ADOPTS:
            try:
                _, _, orphan = os.wait4(-1, 0)
            except ChildProcessError:
                break
            rss = max(rss, orphan.ru_maxrss)
            behind = time.perf_counter() - start - seconds
        out.seek(0)
        return Run(seconds, rss / 1024, child.returncode, out.read(), behind)


def agenda(root: Path) -> Run:
    result = run(mdnet("agenda", "--format", "json", "--vault", str(root), "--today", TODAY.isoformat()))
    if result.returncode != 0:
        raise SystemExit(f"mdnet agenda failed with exit code {result.returncode}")
    return result


def edit(path: Path, old: str, new: str) -> None:
    """Save a note the way an editor does: new bytes in place, a new modification time."""
    text = path.read_text(encoding="utf-8")
    if old not in text:
        raise SystemExit(f"{path}: {old!r} not found")
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def watch_latency(root: Path, note: Path, old: str, new: str, feed: Path, limit: float = 60.0) -> float:
    """Seconds from saving `note` until `mdnet watch` has rewritten both Agenda.md and the feed."""
    agenda_md = root / "Agenda.md"
    child = subprocess.Popen(mdnet("watch", "--vault", str(root), "--today", TODAY.isoformat()),
                             stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    try:
        for line in child.stdout:  # "watching …" comes once it has built everything and listens
            if line.startswith("watching"):
                break
        else:
            raise SystemExit("mdnet watch stopped before watching")
        before = [os.stat(agenda_md), os.stat(feed)]
        time.sleep(0.5)  # let the watcher settle, as a user would not save in the same instant
        start = time.perf_counter()
        edit(note, old, new)
        while time.perf_counter() - start < limit:
            # Each is replaced by a rename: a new file, so a new inode, once it is rewritten.
            if all(os.stat(p).st_ino != b.st_ino for p, b in zip((agenda_md, feed), before)):
                return time.perf_counter() - start
            time.sleep(0.005)
        return float("inf")
    finally:
        child.send_signal(signal.SIGINT)
        try:
            child.wait(timeout=10)
        except subprocess.TimeoutExpired:
            child.kill()


def table(measures: list[Measure]) -> str:
    rows = [("measure", "value", "ratio", "target", "result")]
    for m in measures:
        value = f"{m.value:.2f} {m.unit}" if m.value != float("inf") else "never"
        if m.unit == "characters":
            value = f"{m.value:,.0f} {m.unit}"
        elif not m.unit:  # a count
            value = f"{m.value:,.0f}"
        ratio = f"{m.ratio:.3f}×" if m.ratio is not None else ""
        rows.append((m.name, value, ratio, m.target, ("pass" if m.ok else "FAIL") if m.target else ""))
    widths = [max(len(r[i]) for r in rows) for i in range(5)]
    lines = ["  ".join(cell.ljust(w) for cell, w in zip(row, widths)).rstrip() for row in rows]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


def bench(root: Path, contacts: int, meetings: int, shape: str = "full") -> list[Measure]:
    say = lambda text: print(f"{shape}: {text}", file=sys.stderr, flush=True)  # noqa: E731
    targets = TARGETS[shape]
    say(f"writing {contacts:,} contacts and {meetings:,} meetings to {root} …")
    vault = synth.write(root, contacts, meetings, today=TODAY, shape=shape)
    settled()
    note = root / vault.planned_in_window
    state = root / ".mdnet"
    shutil.rmtree(state, ignore_errors=True)

    say("baseline: frontmatter.load of every note …")
    baseline = run([sys.executable, "-c", BASELINE, str(root)])
    base = baseline.seconds
    measures = [Measure("baseline: frontmatter.load loop", base, "s", 1.0, "", True)]

    def timed(name: str, result: Run, limit: float | None) -> None:
        ratio = result.seconds / base
        if limit is None:
            measures.append(Measure(name, result.seconds, "s", ratio, "", True))
        else:
            measures.append(Measure(name, result.seconds, "s", ratio, f"≤ {limit}×", ratio <= limit))

    say("agenda, cold …")
    cold = agenda(root)
    timed("agenda --format json, cold", cold, targets.cold)
    say("agenda, warm …")
    warm = agenda(root)
    timed("agenda --format json, warm", warm, targets.warm)
    if warm.stdout != cold.stdout:
        raise SystemExit("the warm run's agenda differs from the cold run's")
    say("agenda, one note edited, three times …")
    edits = []
    for old, new in (("T10:30", "T11:45"), ("T11:45", "T11:50"), ("T11:50", "T11:45")):
        edit(note, old, new)
        edits.append(agenda(root))
        if edits[-1].stdout == (edits[-2] if len(edits) > 1 else warm).stdout:
            raise SystemExit(f"the edit of {vault.planned_in_window} did not show in the agenda")
    timed("agenda --format json, one note edited (median of 3)", sorted(edits, key=lambda r: r.seconds)[1],
          targets.edited)
    if targets.watch_and_help:
        say("watch: one saved note …")
        latency = watch_latency(root, note, "T11:45", "T12:15", state / "calendar.ics")
        measures.append(Measure("watch: saved note in Agenda.md and feed", latency, "s", None, "< 1 s",
                                latency < 1.0))
    if cold.behind is not None:
        measures.append(Measure("cold: its cache written afterwards in", cold.behind, "s", None, "", True))
    limit = targets.memory_mb
    measures.append(Measure("peak memory, cold agenda or its writer", cold.max_rss_mb, "MB", None,
                            f"≤ {limit} MB" if limit else "", limit is None or cold.max_rss_mb <= limit))
    if targets.watch_and_help:
        say("mdnet --help …")
        help_time = min(run(mdnet("--help")).seconds for _ in range(3))
        measures.append(Measure("mdnet --help (best of 3)", help_time, "s", None, "< 0.2 s", help_time < 0.2))
    say("report …")
    measures += report_measures(root, base)
    return measures


IMPORTED = ("---\ncircle: professional\ncompany: Acme\nrole: Engineer\nsource: linkedin\ncreated: 2024-01-15\n"
            "---\n\nConnected on LinkedIn.\n")


def settled() -> None:
    """The vault just written on the disk, as a user's notes are: a command that waits for the disk
    once (an import's or an export's one sync) would otherwise wait for the whole vault's
    writing, which the system does by itself some 30 s after."""
    if hasattr(os, "sync"):
        os.sync()


def imported_vault(root: Path, contacts: int) -> list[str]:
    """A vault as a first import leaves it: contacts with a circle and no closeness, one in ten a
    plain person note without properties; their names."""
    people = synth.names(random.Random(20261127), contacts)
    (root / "Contacts").mkdir(parents=True, exist_ok=True)
    (root / "People").mkdir(exist_ok=True)
    for i, name in enumerate(people):
        if i % 10 == 0:
            (root / "People" / f"{name}.md").write_text(f"# {name}\n\nMet at a friend's wedding.\n", encoding="utf-8")
        else:
            (root / "Contacts" / f"{name}.md").write_text(IMPORTED, encoding="utf-8")
    return people


def triage_opens(root: Path, limit: float = 30.0) -> float:
    """Seconds from starting `mdnet triage` in a terminal (a pseudo-terminal) until its screen shows."""
    import fcntl
    import pty
    import select
    import struct
    import termios

    pid, fd = pty.fork()
    if pid == 0:
        os.environ["TERM"] = "xterm-256color"
        os.execv(sys.executable, mdnet("triage", "--vault", str(root)))
    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 120, 0, 0))
    start, seen = time.perf_counter(), b""
    while b"mdnet triage:" not in seen:
        if not select.select([fd], [], [], limit)[0]:
            os.kill(pid, signal.SIGKILL)
            raise SystemExit(f"mdnet triage did not open within {limit:.0f} s")
        seen += os.read(fd, 1 << 16)
    opened = time.perf_counter() - start
    os.write(fd, b"q")
    try:
        while os.read(fd, 1 << 16):
            pass
    except OSError:  # the terminal closes with the program
        pass
    os.waitpid(pid, 0)
    os.close(fd)
    return opened


def first_run(root: Path, contacts: int = 10_000, named: int = 1_000) -> list[Measure]:
    """A first run on imported contacts: `mdnet set` on `named` of them at once, and the triage
    screen opening on all of them (issue 19's figures), after the baseline on the same vault."""
    say = lambda text: print(f"first run: {text}", file=sys.stderr, flush=True)  # noqa: E731
    say(f"writing {contacts:,} imported contacts to {root} …")
    people = imported_vault(root, contacts)
    settled()
    base = run([sys.executable, "-c", BASELINE, str(root)]).seconds
    measures = [Measure("baseline: frontmatter.load loop", base, "s", 1.0, "", True)]
    run(mdnet("check", "--vault", str(root)))  # the first read, which the import made
    say("triage opens, three times …")
    opened = sorted(triage_opens(root) for _ in range(3))[1]
    measures.append(Measure(f"triage opens on {contacts:,} contacts (median of 3)", opened, "s", opened / base,
                            "≤ 1 s", opened <= 1.0))
    say(f"set on {named:,} contacts at once …")
    result = run(mdnet("set", "--vault", str(root), *people[:named], "--circle", "personal", "--closeness", "2"))
    if result.returncode != 0:
        raise SystemExit(f"mdnet set failed with exit code {result.returncode}")
    measures.append(Measure(f"set on {named:,} contacts at once", result.seconds, "s", result.seconds / base,
                            "≤ 5 s", result.seconds <= 5.0))
    return measures


REPORT_SECONDS = 1.5  # `mdnet report --format json`, warm
MERMAID_CHARACTERS = 50_000  # Mermaid's default limit on a diagram's source


def report_measures(root: Path, base: float) -> list[Measure]:
    """`mdnet report --format json` warm (run once before), and the Mermaid in the written note."""
    args = ("--vault", str(root), "--today", TODAY.isoformat())
    first = run(mdnet("report", "--format", "json", *args))
    warm = run(mdnet("report", "--format", "json", *args))
    if first.returncode or warm.returncode or first.stdout != warm.stdout:
        raise SystemExit("mdnet report --format json failed, or answered otherwise the second time")
    written = run(mdnet("report", "--write", *args))
    if written.returncode:
        raise SystemExit(f"mdnet report --write failed with exit code {written.returncode}")
    note = next(root / name for name in ("Report.md", "Informe.md") if (root / name).exists())
    mermaid = sum(len(block) for block in re.findall(r"```mermaid\n(.*?)```", note.read_text("utf-8"), re.S))
    note.unlink()
    return [
        Measure("report --format json, first", first.seconds, "s", first.seconds / base, "", True),
        Measure("report --format json, warm", warm.seconds, "s", warm.seconds / base, f"≤ {REPORT_SECONDS} s",
                warm.seconds <= REPORT_SECONDS),
        Measure("report note: Mermaid source", mermaid, "characters", None, f"< {MERMAID_CHARACTERS:,}",
                mermaid < MERMAID_CHARACTERS),
    ]


EXPORT_COLD, EXPORT_EDITED = 5.0, 1.0  # seconds, for 10,000 contacts (issue 15)


def export_bench(root: Path, contacts: int, meetings: int) -> list[Measure]:
    """`mdnet export vcard DIR` on a vault of `contacts`: into an empty folder (its index already
    made by an earlier command, as a user's is), then again after one contact note changed, which
    must rewrite that one card only. The baseline: frontmatter.load of every contact note."""
    say = lambda text: print(f"export: {text}", file=sys.stderr, flush=True)  # noqa: E731
    say(f"writing {contacts:,} contacts and {meetings:,} meetings to {root} …")
    synth.write(root, contacts, meetings, today=TODAY)
    settled()
    # The baseline first: the notes are then older than the index trusts (`RACY_NS`), as a
    # user's are when a command reads them; indexed just written, they would be read again.
    base = run([sys.executable, "-c", BASELINE, str(root / "Contactos")]).seconds
    time.sleep(max(0.0, RACY_NS / 1e9 - base))
    run(mdnet("check", "--vault", str(root)))  # the index, as any earlier command leaves it
    cards = root.parent / "cards"
    measures = [Measure("baseline: frontmatter.load of every contact", base, "s", 1.0, "", True)]

    def timed(name: str, result: Run, limit: float) -> None:
        if result.returncode != 0:
            raise SystemExit(f"mdnet export vcard failed with exit code {result.returncode}")
        measures.append(Measure(name, result.seconds, "s", result.seconds / base, f"≤ {limit} s",
                                result.seconds <= limit))

    say("export vcard into an empty folder …")
    timed("export vcard, every card", run(mdnet("export", "vcard", "--vault", str(root), str(cards))), EXPORT_COLD)
    if len(list(cards.glob("*.vcf"))) != contacts:
        raise SystemExit("the export did not write one card per contact")
    before = {p.name: p.stat().st_ino for p in cards.iterdir()}
    note = min((root / "Contactos").rglob("*.md"))
    edit(note, "\nrelation: ", "\nrelation: editado, ")
    say("export vcard after one note changed …")
    timed("export vcard, one note changed", run(mdnet("export", "vcard", "--vault", str(root), str(cards))),
          EXPORT_EDITED)
    written = sum(1 for p in cards.iterdir() if before.get(p.name) != p.stat().st_ino)
    measures.append(Measure("export vcard, one note changed: cards written", written, "files", None, "1",
                            written == 1))
    edit(note, "\nrelation: editado, ", "\nrelation: ")
    measures.append(Measure("the disk alone: 10,000 new files of a card's size, one sync", disk_probe(root.parent),
                            "s", None, "", True))
    check = run(mdnet("check", "--vault", str(root)))  # what reading the vault costs any command
    measures.append(Measure("check, one note changed (reading the vault alone)", check.seconds, "s",
                            check.seconds / base, "", True))
    return measures


def disk_probe(parent: Path, files: int = 10_000, size: int = 600) -> float:
    """Seconds to create `files` files of `size` bytes in a new folder and sync once: what a first
    export's writing costs on this disk at this moment, which varies more than any of mdnet's
    own work (a new file costs from 20 to 350 µs of the kernel's time on the shared machine)."""
    folder = Path(tempfile.mkdtemp(dir=parent, prefix="disk-probe-"))
    data = b"x" * size
    start = time.perf_counter()
    for i in range(files):
        fd = os.open(folder / f"{i}.vcf", os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
        os.write(fd, data)
        os.close(fd)
    os.sync()
    seconds = time.perf_counter() - start
    shutil.rmtree(folder)
    return seconds


IMPORT_SECONDS, IMPORT_MB = 10.0, 400.0  # issue 14's targets for 10,000 rows into 10,000 contacts


def import_bench(root: Path, contacts: int, meetings: int) -> list[Measure]:
    """`mdnet import` of a LinkedIn export of `contacts` rows, every tenth one a contact of the vault
    (matched by name; its profile fills an empty field), the others new people."""
    say = lambda text: print(f"import: {text}", file=sys.stderr, flush=True)  # noqa: E731
    say(f"writing {contacts:,} contacts and {meetings:,} meetings to {root} …")
    vault = synth.write(root / "Vault", contacts, meetings, today=TODAY)
    settled()
    known = sorted(p.stem for p in (vault.root / "Contactos").rglob("*.md"))
    rows = ["Notes:", '"Some e-mail addresses may be missing."', "",
            "First Name,Last Name,URL,Email Address,Company,Position,Connected On"]
    for i in range(contacts):
        first, _, last = (known[i * 7 % len(known)] if i % 10 == 0 else f"Persona{i} Importada Núñez").partition(" ")
        rows.append(f"{first},{last},https://www.linkedin.com/in/p{i},,Empresa {i % 97},Cargo {i % 13},15 Jan 2024")
    export = root / "Connections.csv"
    export.write_text("\r\n".join(rows) + "\r\n", encoding="utf-8")
    baseline = run([sys.executable, "-c", BASELINE, str(vault.root)]).seconds
    run(mdnet("check", "--vault", str(vault.root)))  # the cache, as after any earlier command
    say(f"importing {contacts:,} rows …")
    result = run(mdnet("import", str(export), "--vault", str(vault.root), "--today", TODAY.isoformat(),
                       "--format", "json"))
    if result.returncode != 0:
        raise SystemExit(f"mdnet import exited {result.returncode}")
    made = len(list((vault.root / "Contactos").rglob("*.md")))
    if made != len(known) + contacts - contacts // 10:
        raise SystemExit(f"mdnet import left {made} contact notes, not {len(known) + contacts - contacts // 10}")
    return [Measure("baseline: frontmatter.load loop", baseline, "s", 1.0, "", True),
            Measure(f"import {contacts:,} LinkedIn rows, a tenth known", result.seconds, "s",
                    result.seconds / baseline, f"≤ {IMPORT_SECONDS:g} s", result.seconds <= IMPORT_SECONDS),
            Measure("peak memory, import", result.max_rss_mb, "MB", None, f"≤ {IMPORT_MB:g} MB",
                    result.max_rss_mb <= IMPORT_MB)]


PLAYED = simulation.World("six months", answer=0.7, cancel=0.1, locale="es", contacts=500, target=15)


def play(root: Path, days: int) -> tuple[list[Measure], simulation.Played]:
    """A campaign played for `days` days: commands per second, the last month's against the
    first's; the invariants checked every day worked, the notes and stats every week."""
    played = simulation.play(root, PLAYED, 1, days, checks_every=7)
    month = min(30, max(1, len(played.daily) // 2))

    def rate(days: list[tuple[int, float]]) -> float:
        return sum(n for n, _ in days) / sum(s for _, s in days)

    first, last = rate(played.daily[:month]), rate(played.daily[-month:])
    measures = [
        Measure("commands run", played.commands, "", None, "", True),
        Measure("notes at the end", played.notes, "", None, "", True),
        Measure("commands per second, whole play", played.commands / played.seconds, "/s", None, "", True),
        Measure(f"commands per second, first {month} days worked", first, "/s", 1.0, "", True),
        Measure(f"commands per second, last {month} days worked", last, "/s", last / first, "", True),
        Measure("invariants broken", len(played.violations), "", None, "0", not played.violations),
    ]
    return measures, played


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m mdnet.bench", description=__doc__.split("\n\n")[0])
    parser.add_argument("--shape", choices=synth.SHAPES, help="run one shape of vault "
                        "(default: each in turn, full then light)")
    parser.add_argument("--vault", type=Path, help="write the synthetic vault here and keep it; with "
                        "both shapes, in its folders full/ and light/ (default: a temporary folder, "
                        "removed afterwards)")
    parser.add_argument("--contacts", type=int, default=10_000)
    parser.add_argument("--meetings", type=int, default=50_000)
    parser.add_argument("--only", choices=("agenda", *PARTS), help="measure only this part (default: "
                        "the agenda on each shape of vault, then every other part)")
    parser.add_argument("--play", type=int, default=182, metavar="DAYS",
                        help="days of the played campaign (default: six months; 0: not played)")
    args = parser.parse_args(argv)
    shapes = [] if args.only not in (None, "agenda") else [args.shape] if args.shape else list(synth.SHAPES)
    ok = True
    for i, shape in enumerate(shapes):
        if args.vault:
            measures = bench(args.vault / shape if len(shapes) > 1 else args.vault, args.contacts,
                             args.meetings, shape)
        else:
            # Removed before the next shape is written, so the disk never holds two vaults and
            # their stores at once.
            with tempfile.TemporaryDirectory(prefix="mdnet-bench-") as tmp:
                measures = bench(Path(tmp) / "Vault", args.contacts, args.meetings, shape)
        if i:
            print()
        print(f"{shape} shape: {args.contacts:,} contacts, {args.meetings:,} meetings; {os.cpu_count()} cores; "
              f"Python {sys.version.split()[0]}", flush=True)
        print(table(measures), flush=True)
        ok = ok and all(m.ok for m in measures)
    for part, measure in PARTS.items():
        if args.only in (None, part) and not (part == "play" and not args.play):
            with tempfile.TemporaryDirectory(prefix="mdnet-bench-") as tmp:
                title, measures, notes = measure(Path(tmp) / "Vault", args)
            print(f"\n{title}; {os.cpu_count()} cores; Python {sys.version.split()[0]}", flush=True)
            print(table(measures), flush=True)
            for note in notes:
                print(note, flush=True)
            ok = ok and all(m.ok for m in measures)
    return 0 if ok else 1


def _export(root: Path, args) -> tuple[str, list[Measure], list]:
    return (f"export vcard: {args.contacts:,} contacts, {args.meetings:,} meetings",
            export_bench(root, args.contacts, args.meetings), [])


def _first_run(root: Path, args) -> tuple[str, list[Measure], list]:
    return (f"first run: {args.contacts:,} imported contacts",
            first_run(root, args.contacts, min(1_000, args.contacts)), [])


def _play(root: Path, args) -> tuple[str, list[Measure], list]:
    print(f"play: {args.play} days …", file=sys.stderr, flush=True)
    measures, played = play(root, args.play)
    return (f"played campaign: {args.play} days, {played.worked} worked, weekly target {PLAYED.target}",
            measures, played.violations[:20])


def _import(root: Path, args) -> tuple[str, list[Measure], list]:
    return (f"import: {args.contacts:,} rows into {args.contacts:,} contacts, {args.meetings:,} meetings",
            import_bench(root.parent, args.contacts, args.meetings), [])


# Measured after the agenda's shapes, each on a vault of its own: name -> (folder, args) -> figures.
PARTS = {"import": _import, "export": _export, "first-run": _first_run, "play": _play}


if __name__ == "__main__":
    sys.exit(main())
