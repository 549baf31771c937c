"""Which program wrote a file, from its content (its name may say nothing: `contacts.csv`)."""

from __future__ import annotations

import re

from mdnet.importers import ImportFailed
from mdnet.importers.table import find_header, unknown_header

_VCARD = re.compile(r"^[ \t]*BEGIN[ \t]*:[ \t]*VCARD[ \t]*\r?$", re.IGNORECASE | re.MULTILINE)


def linkedin_header(columns: set[str]) -> bool:
    return {"First Name", "Last Name", "URL"} <= columns or {"First Name", "Last Name", "Connected On"} <= columns


def google_header(columns: set[str]) -> bool:
    return bool({"Labels", "Group Membership", "Given Name", "E-mail 1 - Value", "Phone 1 - Value"} & columns)


def outlook_header(columns: set[str]) -> bool:
    return "First Name" in columns and bool({"E-mail Address", "Mobile Phone", "Business Phone", "Job Title",
                                             "E-mail Display Name", "Home Phone"} & columns)


def sniff(text: str, file: str) -> str:
    if _VCARD.search(text[:1 << 16]):
        return "vcard"
    for source, wanted in (("linkedin", linkedin_header), ("google", google_header), ("outlook", outlook_header)):
        if find_header(text, wanted) is not None:
            return source
    if not text.strip():
        raise ImportFailed(f"{file} is empty", "Export the contacts again.")
    if "," not in text and ";" not in text:
        raise ImportFailed(f"{file} is neither a CSV file nor a vCard file",
                           "Give LinkedIn's Connections.csv, a Google or Outlook CSV export, or a .vcf file.")
    raise unknown_header(text, file, "one of LinkedIn's, Google's or Outlook's (in English)")
