"""LinkedIn's `Connections.csv`: a `Notes:` preamble of varying length, then the header line."""

from __future__ import annotations

import functools
from collections.abc import Iterator
from datetime import date, datetime

from mdnet.i18n import tr
from mdnet.importers import Row
from mdnet.importers.sniff import linkedin_header
from mdnet.importers.table import leftovers, rows_under

_USED = {"First Name", "Last Name", "URL", "Email Address", "Company", "Position", "Connected On"}
_DATES = ("%d %b %Y", "%d-%b-%y", "%d %B %Y", "%d-%b-%Y", "%Y-%m-%d", "%m/%d/%y", "%m/%d/%Y")


@functools.lru_cache(maxsize=4096)  # a few thousand days in a whole export: each read once
def connected_on(text: str) -> date | None:
    """`15 Jan 2024` (today's exports) or `01-Jul-25` (earlier ones)."""
    for fmt in _DATES:
        try:
            return datetime.strptime(text.strip(), fmt).date()
        except ValueError:
            continue
    return None


def read(text: str, file: str) -> Iterator[Row]:
    for line, values in rows_under(text, file, linkedin_header, "LinkedIn's (First Name, Last Name, URL, …)"):
        name = " ".join(" ".join(values.get(k, "") for k in ("First Name", "Last Name")).split())
        when = values.get("Connected On")
        created = connected_on(when) if when else None
        used = _USED - ({"Connected On"} if when and created is None else set())
        row = Row("linkedin", file, line, name=name, emails=tuple(filter(None, [values.get("Email Address")])),
                  linkedin=values.get("URL"), company=values.get("Company"), role=values.get("Position"),
                  created=created, body=leftovers(values, used))
        if not name:
            row = Row("linkedin", file, line, problem=tr("no name: a member who has left LinkedIn or hides it"))
        yield row
