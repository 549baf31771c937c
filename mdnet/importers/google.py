"""Google Contacts CSV, in today's columns (`First Name`, `Labels`, `E-mail 1 - Value`) and the
legacy ones (`Name`, `Given Name`, `Group Membership`, `E-mail 1 - Type`).

A cell may hold several values joined by ` ::: `; `* ` marks the main one in a value's label (or
type) and Google's own groups among the labels (`* myContacts`, `* starred`), which are no tags.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from mdnet import people
from mdnet.i18n import tr
from mdnet.importers import Row
from mdnet.importers.sniff import google_header
from mdnet.importers.table import leftovers, rows_under, several, tag

_NUMBERED = re.compile(r"(E-mail|Phone|Website) (\d+) - (Value|Label|Type)")
_SYSTEM_GROUPS = {"mycontacts", "starred"}
_NAMES = (("First Name", "Middle Name", "Last Name"), ("Given Name", "Additional Name", "Family Name"))


def read(text: str, file: str) -> Iterator[Row]:
    kind = "Google Contacts' (First Name, Labels, E-mail 1 - Value, …)"
    for line, values in rows_under(text, file, google_header, kind):
        yield _row(file, line, values)


def _row(file: str, line: int, values: dict[str, str]) -> Row:
    used = {"Notes", "Labels", "Group Membership", "Name"}
    name = ""
    for parts in _NAMES:
        name = " ".join(" ".join(values.get(k, "") for k in parts).split())
        if name:
            used.update(parts)
            break
    name = name or values.get("Name", "")
    numbered: dict[tuple[str, str], dict[str, str]] = {}
    for column, value in values.items():
        m = _NUMBERED.fullmatch(column)
        if m:
            numbered.setdefault((m.group(1), m.group(2)), {})[m.group(3)] = value
            used.add(column)
    found: dict[str, list[tuple[str, bool]]] = {"E-mail": [], "Phone": [], "Website": []}
    for (kind, _), cells in sorted(numbered.items(), key=lambda item: (item[0][0], int(item[0][1]))):
        labels = several(cells.get("Label") or cells.get("Type"))
        for i, (value, main) in enumerate(several(cells.get("Value"))):
            found[kind].append((value, main or (i < len(labels) and labels[i][1])))
    emails, phones = ([v for v, _ in sorted(found[k], key=lambda f: not f[1])] for k in ("E-mail", "Phone"))
    sites = [v for v, _ in found["Website"]]
    linkedin = next((s for s in sites if people.is_linkedin(s)), None)
    sites = [s for s in sites if s != linkedin]
    company = _first(values, used, "Organization Name", "Organization 1 - Name")
    role = _first(values, used, "Organization Title", "Organization 1 - Title")
    tags = [tag(label) for label, system in several(values.get("Labels") or values.get("Group Membership"))
            if not (system and label.replace(" ", "").casefold() in _SYSTEM_GROUPS)]
    body = tuple(p for p in (values.get("Notes", "").strip(),) if p)
    body += leftovers(values, used) + (("\n".join(f"Website: {s}" for s in sites),) if sites else ())
    if not name:
        return Row("google", file, line, problem=tr("no name (First Name, Last Name or Name)"))
    return Row("google", file, line, name=name, emails=tuple(dict.fromkeys(emails)), phones=tuple(dict.fromkeys(phones)),
               linkedin=linkedin, company=company, role=role, tags=tuple(dict.fromkeys(t for t in tags if t)), body=body)


def _first(values: dict[str, str], used: set[str], *columns: str) -> str | None:
    used.update(columns)
    return next((values[c] for c in columns if values.get(c)), None)
