"""vCard 2.1, 3.0 and 4.0 (a file of many cards, or a folder of `.vcf` files), read with vobject.

The file is cut into cards here, so that each card has its number and first line, and a card
vobject cannot read is reported without losing the others. Before vobject sees a card, its lines
are unfolded and a 2.1 quoted-printable value broken over lines (`=` at the end) is joined: vobject
decodes quoted-printable with its charset but reads only the first line of such a value. A line
that is not `NAME:value` is reported and left out. Apple's `itemN.` groups are read through
(`item2.URL` labelled LinkedIn), `X-SOCIALPROFILE;type=linkedin` is the profile, `CATEGORIES` are
tags (one equal to a circle is the circle), `NOTE` goes to the body but for the `field: value`
lines mdnet's own export writes there (relation, met_at, status).

This is the one module that imports vobject for reading.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from mdnet import fields, people
from mdnet.i18n import tr
from mdnet.importers import Row
from mdnet.importers.table import tag

_BEGIN = re.compile(r"[ \t]*BEGIN[ \t]*:[ \t]*VCARD[ \t]*", re.IGNORECASE)
_END = re.compile(r"[ \t]*END[ \t]*:[ \t]*VCARD[ \t]*", re.IGNORECASE)
_QP = re.compile(r"^[^:]*QUOTED-PRINTABLE[^:]*:", re.IGNORECASE)
# vobject reads a text value as a comma-separated list and keeps its first item: a comma that a
# 2.1 card (or a careless 3.0 one) leaves unescaped in a one-valued property would cut the value.
_ONE_VALUED = {"NOTE", "FN", "TITLE", "ROLE", "URL", "X-SOCIALPROFILE", "EMAIL", "TEL", "BDAY"}
_PROPERTY = re.compile(r"(?:[A-Za-z0-9-]+\.)?([A-Za-z0-9-]+)[^:]*:")
_NOTE_FIELDS = re.compile(r"(relation|met_at|status): (.+)")
# Properties that say nothing of the person a note would keep (the card's own bookkeeping, pictures).
_IGNORED = {"VERSION", "PRODID", "REV", "UID", "N", "FN", "PHOTO", "LOGO", "SOUND", "KEY", "CLIENTPIDMAP", "KIND",
            "SOURCE", "X-ABLABEL", "X-ABUID", "X-ABSHOWAS", "X-ABADR", "X-ABPERSON", "BEGIN", "END"}
_LABELS = {"ADR": "Address", "BDAY": "Birthday", "ANNIVERSARY": "Anniversary", "NICKNAME": "Nickname",
           "URL": "Website", "ROLE": "Role", "IMPP": "Messaging", "X-SOCIALPROFILE": "Profile", "ORG": "Department"}


def cards(text: str) -> Iterator[tuple[int, list[tuple[int, str]]]]:
    """(first line, [(line, logical line)]) of every card, lines unfolded and quoted-printable joined."""
    physical = text.splitlines()
    card: list[tuple[int, str]] | None = None
    start = 0
    for number, line in enumerate(physical, 1):
        if card is None:
            if _BEGIN.fullmatch(line):
                card, start = [(number, line.strip())], number
            continue
        if line[:1] in (" ", "\t") and len(card) > 1:
            at, previous = card[-1]
            card[-1] = (at, previous + line[1:])
        elif card[-1][1].endswith("=") and _QP.match(card[-1][1]):
            at, previous = card[-1]
            card[-1] = (at, previous[:-1] + line.lstrip())
        elif _END.fullmatch(line):
            card.append((number, line.strip()))
            yield start, card
            card = None
        elif line.strip():
            card.append((number, line))
    if card is not None:
        yield start, card + [(len(physical), "END:VCARD")]


def read(text: str, file: str) -> Iterator[Row]:
    import vobject

    for number, (start, lines) in enumerate(cards(text), 1):
        kept = []
        for line, content in lines:
            m = _PROPERTY.match(content)
            if m:
                escape = m.group(1).upper() in _ONE_VALUED
                kept.append(content[:m.end()] + re.sub(r"(?<!\\),", r"\\,", content[m.end():]) if escape else content)
            else:
                yield Row("vcard", file, line, number, problem=tr("not a vCard line, left out: %(line)s") % {"line": fields.shown(content)})
        try:
            card = vobject.readOne("\r\n".join(kept) + "\r\n", ignoreUnreadable=True)
            row = _row(card, file, start, number)
        except Exception as e:  # noqa: BLE001 - vobject's errors on a malformed card are of many kinds
            row = Row("vcard", file, start, number, problem=tr("vobject cannot read this card: %(error)s") % {"error": fields.shown(str(e))})
        yield row


def _text(value) -> str:
    if isinstance(value, (list, tuple)):
        return ", ".join(t for t in (_text(v) for v in value) if t)
    return " ".join(str(value).split()) if not isinstance(value, str) else value.strip()


def _row(card, file: str, start: int, number: int) -> Row:
    name = _text(card.fn.value) if "fn" in card.contents else ""
    if not name and "n" in card.contents:
        n = card.n.value
        name = " ".join(" ".join(_text(getattr(n, part, "")) for part in ("given", "additional", "family")).split())
    labels = {c.group.casefold(): _text(c.value).casefold() for c in card.getChildren()
              if c.name == "X-ABLABEL" and c.group}
    emails, phones, linkedin, company, role, circle, tags, notes, other = [], [], None, None, None, None, [], [], []
    found = {}
    for c in card.getChildren():
        name_ = c.name.upper()
        if name_ in _IGNORED or name_.startswith("X-AB"):
            continue
        if name_ in ("EMAIL", "TEL"):
            value = re.sub(r"^(?:tel|mailto):", "", _text(c.value), flags=re.IGNORECASE)
            if value:
                main = any("pref" in str(t).casefold() for t in c.params.get("TYPE", [])) or "PREF" in c.params
                target = emails if name_ == "EMAIL" else phones
                if main:
                    target.insert(0, value)
                else:
                    target.append(value)
        elif name_ in ("URL", "X-SOCIALPROFILE") and linkedin is None and (
                people.is_linkedin(_text(c.value)) or "linkedin" in labels.get((c.group or "").casefold(), "")
                or any("linkedin" in str(t).casefold() for t in c.params.get("TYPE", []))):
            linkedin = _text(c.value)
        elif name_ == "ORG" and company is None:
            parts = [_text(p) for p in (c.value if isinstance(c.value, list) else [c.value])]
            company = parts[0] or None
            other += [f"Department: {p}" for p in parts[1:] if p]
        elif name_ == "TITLE" and role is None:
            role = _text(c.value) or None
        elif name_ == "CATEGORIES":
            for category in c.value if isinstance(c.value, list) else [c.value]:
                as_circle = fields.CIRCLES.get(fields.fold(_text(category)))
                if as_circle and circle is None:
                    circle = as_circle
                elif tag(_text(category)):
                    tags.append(tag(_text(category)))
        elif name_ == "NOTE":
            rest = []
            for line in _text_lines(c.value):
                m = _NOTE_FIELDS.fullmatch(line.strip())
                if m and m.group(1) not in found:
                    found[m.group(1)] = m.group(2).strip()
                else:
                    rest.append(line)
            if "\n".join(rest).strip():
                notes.append("\n".join(rest).strip())
        elif _text(c.value):
            label = _LABELS.get(name_, name_.title())
            other.append(f"{label}: {_text(c.value)}")
    if not name:
        return Row("vcard", file, start, number, problem=tr("no name (FN or N)"))
    return Row("vcard", file, start, number, name=name, emails=tuple(dict.fromkeys(emails)),
               phones=tuple(dict.fromkeys(phones)), linkedin=linkedin, company=company, role=role, circle=circle,
               tags=tuple(dict.fromkeys(tags)), body=tuple(notes) + (("\n".join(other),) if other else ()),
               relation=found.get("relation"), met_at=found.get("met_at"), status=found.get("status"))


def _text_lines(value) -> list[str]:
    return str(value).replace("\r\n", "\n").replace("\r", "\n").split("\n")
