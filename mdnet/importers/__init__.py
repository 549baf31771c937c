"""Contacts in (SPEC section 7, "Import"): files of other programs read into rows of contact fields.

Each format is one reader module, a function `read(text, file) -> Iterable[Row]` registered in
`READERS`; `sniff` recognises the format from the content. `rows(paths, source)` reads every file
given (a folder: its `.csv` and `.vcf` files), and `plan` decides what each row does to the vault.
A row that cannot be used is a `Row` with a `problem`, never an exception; a file that cannot be
read at all is an `ImportFailed` (exit 3) that says what to do.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from mdnet.errors import MdnetError

SOURCES = ("linkedin", "google", "outlook", "vcard")


class ImportFailed(MdnetError):
    exit_code = 3


@dataclass(frozen=True, slots=True)
class Row:
    """One person as a file gives it, in the contact note's fields (SPEC section 2)."""

    source: str  # linkedin, google, outlook, vcard
    file: str  # the file as the user named it
    line: int  # the line the row starts on
    card: int | None = None  # a vCard's number in its file
    name: str = ""
    emails: tuple[str, ...] = ()  # the main one first
    phones: tuple[str, ...] = ()
    linkedin: str | None = None
    company: str | None = None
    role: str | None = None
    created: date | None = None
    circle: str | None = None
    relation: str | None = None  # these three only from the NOTE of mdnet's own export
    met_at: str | None = None
    status: str | None = None
    tags: tuple[str, ...] = ()
    body: tuple[str, ...] = ()  # paragraphs for the note's body: notes, and every other value
    problem: str | None = None  # why the row cannot be imported

    @property
    def where(self) -> str:
        card = f" (card {self.card})" if self.card is not None else ""
        return f"{self.file}:{self.line}{card}"


def text_of(data: bytes, file: str) -> str:
    """The file's text: UTF-8, with or without a byte-order mark; anything else is refused."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        raise ImportFailed(f"{file} is not UTF-8 text (byte {e.start + 1} cannot be read)",
                           "Save it as UTF-8 (in a spreadsheet: 'CSV UTF-8'; or `iconv -f windows-1252 -t utf-8 "
                           "FILE > FILE-utf8.csv`) and import that.") from None


def files_of(paths: Iterable[Path]) -> Iterator[Path]:
    """The files given, a folder standing for its `.csv` and `.vcf` files (in name order)."""
    for path in paths:
        if path.is_dir():
            found = sorted(p for p in path.iterdir() if p.is_file() and p.suffix.lower() in (".csv", ".vcf"))
            if not found:
                raise ImportFailed(f"{path} holds no .csv or .vcf file", "Give the file to import, or its folder.")
            yield from found
        elif path.is_file():
            yield path
        else:
            raise ImportFailed(f"{path} does not exist", "Check the name of the file to import.")


def read_file(path: Path, source: str | None = None) -> Iterator[Row]:
    from mdnet.importers import sniff

    file = str(path)
    try:
        data = path.read_bytes()
    except OSError as e:
        raise ImportFailed(f"cannot read {file}: {e.strerror or e}", "Check the file's permissions.") from None
    text = text_of(data, file)
    source = source or sniff.sniff(text, file)
    return READERS[source](text, file)


def _reader(name: str):
    def read(text: str, file: str) -> Iterator[Row]:
        from importlib import import_module

        return import_module(f"mdnet.importers.{name}").read(text, file)

    return read


READERS = {name: _reader(name) for name in SOURCES}
