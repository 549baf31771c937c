"""Outlook's CSV export, with English column names (`First Name`, `E-mail Address`, `Mobile Phone`).

Outlook names the columns in the language of its interface; a header in another language is
refused with the file's name and its first columns, rather than guessed.
"""

from __future__ import annotations

from collections.abc import Iterator

from mdnet import people
from mdnet.i18n import tr
from mdnet.importers import Row
from mdnet.importers.sniff import outlook_header
from mdnet.importers.table import leftovers, rows_under, several, tag

_EMAILS = ("E-mail Address", "E-mail 2 Address", "E-mail 3 Address")
_PHONES = ("Mobile Phone", "Primary Phone", "Business Phone", "Business Phone 2", "Home Phone", "Home Phone 2",
           "Other Phone", "Car Phone")
_SITES = ("Web Page", "Personal Web Page")
# Labels of values taken elsewhere: nothing of the person is lost without them.
_LABELS = {"E-mail Type", "E-mail Display Name", "E-mail 2 Type", "E-mail 2 Display Name", "E-mail 3 Type",
           "E-mail 3 Display Name"}


def read(text: str, file: str) -> Iterator[Row]:
    kind = "Outlook's in English (First Name, Last Name, E-mail Address, …)"
    for line, values in rows_under(text, file, outlook_header, kind):
        name = " ".join(" ".join(values.get(k, "") for k in ("First Name", "Middle Name", "Last Name")).split())
        if not name:
            yield Row("outlook", file, line, problem=tr("no name (First Name, Middle Name, Last Name)"))
            continue
        sites = [values[k] for k in _SITES if values.get(k)]
        linkedin = next((s for s in sites if people.is_linkedin(s)), None)
        used = {"First Name", "Middle Name", "Last Name", "Company", "Job Title", "Notes", "Categories",
                *_EMAILS, *_PHONES, *_LABELS} | {k for k in _SITES if values.get(k) == linkedin}
        yield Row("outlook", file, line, name=name,
                  emails=tuple(dict.fromkeys(values[k] for k in _EMAILS if values.get(k))),
                  phones=tuple(dict.fromkeys(values[k] for k in _PHONES if values.get(k))),
                  linkedin=linkedin, company=values.get("Company"), role=values.get("Job Title"),
                  tags=tuple(dict.fromkeys(tag(c) for part in values.get("Categories", "").split(";")
                                           for c, _ in several(part) if tag(c))),
                  body=tuple(p for p in (values.get("Notes", "").strip(),) if p) + leftovers(values, used))
