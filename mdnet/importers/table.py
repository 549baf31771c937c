"""What the CSV readers share: the header found among the first lines, rows with their line numbers,
and values split the way address books join them."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator

from mdnet.importers import ImportFailed

HEAD_LINES = 30  # how far down a header is looked for (LinkedIn puts notes above it)


def records(text: str) -> Iterator[tuple[int, list[str]]]:
    """(first line, cells) of every CSV record; a quoted cell may span lines."""
    reader = csv.reader(io.StringIO(text, newline=""), strict=False)
    line = 1
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error:  # a NUL byte, or a field past the module's size limit
            cells = ["\ufffd"]
        yield line, cells
        line = reader.line_num + 1


def find_header(text: str, wanted) -> tuple[list[str], Iterator[tuple[int, list[str]]]] | None:
    """The first record, among the first lines, for which `wanted(columns)` holds, and the records after it."""
    found = records(text)
    for line, cells in found:
        if line > HEAD_LINES:
            return None
        columns = [c.strip() for c in cells]
        if wanted(set(columns)):
            return columns, found
    return None


def unknown_header(text: str, file: str, kind: str) -> ImportFailed:
    first = next((cells for _, cells in records(text) if any(c.strip() for c in cells)), [])
    shown = ", ".join(c.strip() for c in first[:6]) + (", …" if len(first) > 6 else "")
    return ImportFailed(f"{file}: the header ({shown}) is not {kind}",
                        "Export the contacts again with English column names (Outlook writes them in the "
                        "language of its interface), or say which format it is with --from.")


def rows(header: list[str], found, file: str) -> Iterator[tuple[int, dict[str, str]]]:
    """(line, column -> value) for each record after the header; blank records are left out."""
    for line, cells in found:
        if not any(c.strip() for c in cells):
            continue
        values = {}
        for i, cell in enumerate(cells):
            column = header[i] if i < len(header) and header[i] else f"column {i + 1}"
            if cell.strip():
                values[column] = cell.strip()
        yield line, values


def several(cell: str | None) -> list[tuple[str, bool]]:
    """`a ::: * b` -> [(a, False), (b, True)]: Google joins several values of a cell with ` ::: `
    and marks the main one (or a system group) with `* `."""
    if not cell:
        return []
    found = []
    for part in cell.split(":::"):
        part = part.strip()
        main = part.startswith("* ")
        part = part[2:].strip() if main else part
        if part:
            found.append((part, main))
    return found


def tag(label: str) -> str:
    """A label as an Obsidian tag: no spaces (written `-`), no leading `#`."""
    return "-".join(label.lstrip("#").split())


def leftovers(values: dict[str, str], used: set[str]) -> tuple[str, ...]:
    """Every value no field took, as `Column: value` lines for the note's body: nothing is dropped."""
    lines = [f"{column}: {' '.join(value.split())}" for column, value in values.items() if column not in used]
    return ("\n".join(lines),) if lines else ()


def rows_under(text: str, file: str, wanted, kind: str) -> Iterator[tuple[int, dict[str, str]]]:
    """`rows` after the header `wanted` recognises, or `unknown_header` saying the file is not `kind`."""
    found = find_header(text, wanted)
    if found is None:
        raise unknown_header(text, file, kind)
    return rows(*found, file)
