"""A contact as a vCard 3.0 (SPEC section 7, "Export"): what phones, khard and CardDAV servers read.

    card(contact, uid, region)   the card's bytes: FN, N, EMAIL, TEL, ORG, TITLE, URL, NOTE, CATEGORIES, UID
    uid_of(contact)              the UID a contact's `id` gives, else None (see `export` for the others)
    region_of(campaign)          how phone numbers written without `+` are read

Each line is what vobject writes of the content line: its start (`NAME;TYPE=…:`) as vobject
serialises it, made once per name and parameters, then the value escaped by vobject; a line
long enough to fold is folded by vobject. Making and serialising a vobject content line per
value (let alone its full component tree) is most of what a card would cost, which a vault of
10,000 contacts feels. Phones are written in E.164 where phonenumbers can read them,
else as written. The `NOTE` holds one `field: value` line per field of `NOTE_FIELDS`, named as
the note names them, so that an importer maps them back.
"""

from __future__ import annotations

import hashlib
import io
import re
import uuid
from functools import lru_cache

from mdnet import people
from mdnet.model import CIRCLES, Campaign, Contact

# Every UID mdnet makes is a uuid5 under this namespace. Changing it would give every contact a
# new card on every phone that synced the old ones.
NAMESPACE = uuid.UUID("0b7f3c52-8d1e-4a6b-b2f9-3e5c7a9d1f24")
NOTE_FIELDS = ("relation", "met_at", "status")  # the contact's fields a card's NOTE holds, one a line
# A UID that is also a safe file name (`UID.vcf`) is used as written; any other `id` is hashed.
_SAFE_UID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._@-]{0,127}")


def uid_of(contact: Contact) -> str | None:
    """The UID the contact's own `id` gives (it survives renames by itself), else None."""
    if not contact.id:
        return None
    return contact.id if safe_uid(contact.id) else name_uid("id", contact.id)


def safe_uid(text: str) -> bool:
    """Whether a UID can name its card's file (`UID.vcf`) as it is: no folder, no dot in front."""
    return _SAFE_UID.fullmatch(text) is not None


def name_uid(*parts: str) -> str:
    """A name-based UID of these parts: `str(uuid.uuid5(NAMESPACE, "\\x1f".join(parts)))`, made
    as `uuid5` makes it (SHA-1, then the version and variant bits) without its `UUID` object,
    which is most of its cost in a first export of 10,000 contacts. A test holds the two equal."""
    digest = hashlib.sha1(NAMESPACE.bytes + "\x1f".join(parts).encode("utf-8")).digest()
    n = int.from_bytes(digest[:16], "big")
    n = (n & ~(0xc000 << 48) | 0x8000 << 48) & ~(0xf000 << 64) | 5 << 76
    x = f"{n:032x}"
    return f"{x[:8]}-{x[8:12]}-{x[12:16]}-{x[16:20]}-{x[20:]}"


def region_of(campaign: Campaign) -> str | None:
    """How phone numbers written without `+` are read: as `mdnet import` reads them (`people`), the
    campaign's `region`, else its zone's country (Europe/Madrid -> ES)."""
    return people.region_of(campaign.region, campaign.timezone)


items = people.split_list  # the e-mails or phones of a contact: the reader joins a list with ', '


@lru_cache(maxsize=1 << 16)  # a card and the export's identifiers read the same phones
def e164(phone: str, region: str | None) -> str:
    """+34600111222 for '600 11 12 22' in Spain; as written when phonenumbers cannot read it."""
    return people.e164(phone, region) or phone


def note_text(contact: Contact) -> str:
    """The NOTE: relation, met at and a status other than active, one `field: value` line each."""
    values = {"relation": contact.relation, "met_at": contact.met_at,
              "status": contact.status if contact.status != "active" else None}
    return "\n".join(f"{k}: {' '.join(values[k].split())}" for k in NOTE_FIELDS if values[k])


def categories(contact: Contact) -> list[str]:
    """The circle first, then the tags, each once."""
    found = [contact.circle] if contact.circle in CIRCLES else []
    return list(dict.fromkeys(found + [t.lstrip("#") for t in contact.tags if t.lstrip("#")]))


def load_library() -> None:
    """Import vobject, phonenumbers and Babel's zones (0.1 s), which only making a card needs: the
    first card does it, or a caller that has time to spare now (an export, while its folders are
    listed)."""
    global ContentLine, foldOneLine, backslashEscape
    if backslashEscape is None:
        import phonenumbers  # noqa: F401  (read by `people.e164`)
        from babel.core import get_global
        from vobject.base import ContentLine, foldOneLine
        from vobject.vcard import backslashEscape

        get_global("zone_territories")  # read by `region_of`


ContentLine = foldOneLine = backslashEscape = None


def _text(value: str) -> str:
    """A value as a card's text: escaped, and without control characters, which no reader wants."""
    return backslashEscape(_CONTROLS.sub("", value))


_CONTROLS = re.compile("[\x00-\x09\x0b\x0c\x0e-\x1f\x7f]")


def _name(name: str) -> str:
    """N's family and given names: the first word is the given name, the rest the family name
    (José Núñez García -> Núñez García; José)."""
    given, _, family = name.partition(" ")
    return ";".join(_text(part.strip()) for part in (family, given, "", "", ""))


def card(contact: Contact, uid: str, region: str | None) -> bytes:
    """The contact's vCard 3.0, CRLF line ends, lines folded at 75 octets."""
    out = io.StringIO()
    for name, params, value in content_lines(contact, uid, region):
        line = _start(name, params) + value
        if len(line) < _FOLD_AT:  # what vobject writes of a line it need not fold
            out.write(line)
            out.write("\r\n")
        else:
            foldOneLine(out, line, _FOLD_AT)
    return out.getvalue().encode("utf-8")


def content_lines(contact: Contact, uid: str, region: str | None) -> list[tuple[str, tuple, str]]:
    """The card's content lines: name, parameters (each a tuple: name, values…), value escaped."""
    load_library()
    lines: list[tuple[str, tuple, str]] = [
        ("BEGIN", (), "VCARD"),
        ("VERSION", (), "3.0"),
        ("UID", (), _text(uid)),
        ("FN", (), _text(contact.name)),
        ("N", (), _name(contact.name)),
    ]
    for i, email in enumerate(items(contact.email)):
        lines.append(("EMAIL", (("TYPE", "INTERNET", "PREF") if i == 0 else ("TYPE", "INTERNET"),),
                      _text(email)))
    for i, phone in enumerate(items(contact.phone)):
        lines.append(("TEL", (("TYPE", "VOICE", "PREF") if i == 0 else ("TYPE", "VOICE"),),
                      _text(e164(phone, region))))
    if contact.company:
        lines.append(("ORG", (), _text(contact.company)))
    if contact.role:
        lines.append(("TITLE", (), _text(contact.role)))
    if contact.linkedin:
        lines.append(("URL", (), _text(contact.linkedin)))
    note = note_text(contact)
    if note:
        lines.append(("NOTE", (), _text(note)))
    found = categories(contact)
    if found:
        lines.append(("CATEGORIES", (), ",".join(_text(c) for c in found)))
    lines.append(("END", (), "VCARD"))
    return lines


_FOLD_AT = 75  # vobject's line length


@lru_cache(maxsize=None)
def _start(name: str, params: tuple) -> str:
    """What vobject writes of a content line of this name and parameters before its value
    (`NAME;TYPE=...:`), made once: making and serialising a content line per value is most of
    what a card would cost."""
    out = io.StringIO()
    ContentLine(name, [list(p) for p in params], "", encoded=True).serialize(out, _FOLD_AT, validate=False)
    return out.getvalue().removesuffix("\r\n")
