"""Field types of SPEC section 2: every YAML scalar arrives as text and is converted here.

A converter takes the YAML node (a plain value: `str`, `list` or `dict`, already stripped of
YAML 1.1's implicit typing) and returns the field's value, or raises `Bad` with a message that
names the fix. Enumerations accept English and Spanish words, any case, with or without accents,
in either grammatical gender.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from datetime import date, datetime, time, timedelta, timezone

from mdnet.model import Link


class Bad(ValueError):
    """A value that cannot be used; `severity` says whether the field is dropped (error) or defaulted."""

    def __init__(self, message: str, severity: str = "error"):
        super().__init__(message)
        self.severity = severity


@functools.lru_cache(maxsize=1 << 16)  # names: a large vault's agenda sorts by thousands of them
def fold(text: str) -> str:
    """Case- and accent-insensitive key: 'Reunión' -> 'reunion', 'NÚÑEZ' -> 'nunez'."""
    if text.isascii():
        return text.lower().strip()
    decomposed = _LATIN_MARKS.sub("", unicodedata.normalize("NFKD", text.casefold()))
    if decomposed.isascii():  # Spanish and most Latin names: only these marks were left to drop
        return decomposed.strip()
    return "".join(c for c in decomposed if not unicodedata.combining(c)).strip()


# Combining diacritical marks (accents, tilde, diaeresis), but the grapheme joiner U+034F, which
# is no mark: it has no combining class, so the walk below keeps it.
_LATIN_MARKS = re.compile("[\u0300-\u034e\u0350-\u036f]")


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


# --- enumerations ---------------------------------------------------------------------------

def _enum(table: dict[str, tuple[str, ...]]) -> dict[str, str]:
    return {fold(word): value for value, words in table.items() for word in (value, *words)}


NOTE_TYPES = _enum({
    "contact": ("person", "contacto", "persona"),
    "meeting": ("reunión", "cita"),
    "campaign": ("campaña",),
})
CIRCLES = _enum({
    "personal": (),
    "professional": ("profesional",),
    "opportunity": ("oportunidad",),
})
CONTACT_STATUSES = _enum({
    "active": ("activo", "activa"),
    "paused": ("pausado", "pausada"),
    "do-not-contact": ("no-contactar", "no contactar", "do not contact", "no_contactar", "do_not_contact"),
})
MEETING_STATUSES = _enum({
    "planned": ("planeado", "planeada", "planificado", "planificada", "prevista", "previsto", "pendiente"),
    "done": ("hecho", "hecha", "realizado", "realizada"),
    "cancelled": ("canceled", "cancelado", "cancelada"),
})
CAMPAIGN_STATUSES = _enum({
    "active": ("activo", "activa"),
    "paused": ("pausado", "pausada"),
    "done": ("terminado", "terminada", "hecho", "hecha"),
})
ASKS = _enum({
    "advice": ("consejo", "consejos"),
    "opinion": ("opinión",),
    "job": ("empleo", "trabajo"),
    "sale": ("venta",),
})
FORMATS = _enum({
    "in-person": ("in person", "presencial", "cara a cara", "face to face"),
    "call": ("llamada", "phone", "teléfono"),
    "video": ("vídeo", "videollamada", "video call", "videoconferencia"),
})
OUTCOMES = _enum({
    "information": ("info", "información"),
    "referral": ("referrals", "recomendación", "recomendaciones", "recomendado", "recomendada"),
    "interview": ("entrevista",),
    "offer": ("oferta",),
    "prospect": ("prospecto", "prospecta"),
    "visibility": ("visibilidad",),
})
LOCALES = {"en": "en", "es": "es"}


def enum(table: dict[str, str], name: str):
    allowed = ", ".join(sorted(set(table.values())))

    def convert(value):
        text = scalar(value)
        found = table.get(fold(text))
        if found is None:
            raise Bad(f"'{name}' is '{text}', which mdnet does not know; use one of: {allowed}", "warning")
        return found

    return convert


# --- scalars --------------------------------------------------------------------------------

def scalar(value) -> str:
    if isinstance(value, str):
        return value.strip()
    raise Bad("is a " + ("list" if isinstance(value, list) else "mapping") + "; write a single value")


def text(value) -> str:
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return ", ".join(v.strip() for v in value)
    return scalar(value)


def texts(value) -> tuple[str, ...]:
    """A list of text (tags, aliases); a single value is a list of one."""
    if isinstance(value, str):
        return (value.strip(),) if value.strip() else ()
    if isinstance(value, list):
        return tuple(scalar(v) for v in value if not (isinstance(v, str) and not v.strip()))
    raise Bad("is a mapping; write a list of text, e.g. [a, b]")


_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_DATETIME = re.compile(
    r"(\d{4}-\d{2}-\d{2})[T ](\d{1,2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?\s*(Z|[+-]\d{2}(?::?\d{2})?)?"
)
_TIME = re.compile(r"(\d{1,2}):(\d{2})(?::(\d{2}))?")


def _day(text_: str, name: str) -> date:
    try:
        return date.fromisoformat(text_)
    except ValueError:
        raise Bad(f"'{name}' is '{text_}', which is not a real day; write it as YYYY-MM-DD") from None


def date_field(name: str):
    def convert(value) -> date:
        raw = scalar(value)
        if _DATE.fullmatch(raw):
            return _day(raw, name)
        m = _DATETIME.fullmatch(raw)
        if m:
            return _day(m.group(1), name)
        raise Bad(f"'{name}' is '{raw}'; write it as {_example_date(raw)}")

    return convert


def datetime_field(name: str):
    """A date, or a date-time (naive: the campaign's zone; with an offset: aware)."""

    def convert(value) -> date | datetime:
        raw = scalar(value)
        if _DATE.fullmatch(raw):
            return _day(raw, name)
        m = _DATETIME.fullmatch(raw)
        if not m:
            raise Bad(f"'{name}' is '{raw}'; write it as {_example_date(raw)} or {_example_date(raw)}T10:30")
        day = _day(m.group(1), name)
        hour, minute, second = int(m.group(2)), int(m.group(3)), int(m.group(4) or 0)
        if hour > 23 or minute > 59 or second > 59:
            raise Bad(f"'{name}' is '{raw}', which is not a real time; write the time as HH:MM, 00:00 to 23:59")
        tz = _offset(m.group(5))
        return datetime(day.year, day.month, day.day, hour, minute, second, tzinfo=tz)

    return convert


def _offset(raw: str | None):
    if raw is None:
        return None
    if raw == "Z":
        return timezone.utc
    sign = -1 if raw[0] == "-" else 1
    digits = raw[1:].replace(":", "")
    hours, minutes = int(digits[:2]), int(digits[2:] or 0)
    return timezone(sign * timedelta(hours=hours, minutes=minutes))


def _example_date(raw: str) -> str:
    """Turn 20/11/2026 or 11/20/2026 into the ISO form when it is clear which is which."""
    m = re.fullmatch(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})", raw)
    if m:
        a, b, year = int(m.group(1)), int(m.group(2)), int(m.group(3))
        day, month = (a, b) if a > 12 or b <= 12 else (b, a)
        if 1 <= month <= 12 and 1 <= day <= 31:
            return f"{year:04d}-{month:02d}-{day:02d}"
    return "YYYY-MM-DD (e.g. 2026-11-20)"


def time_field(name: str):
    def convert(value) -> time:
        raw = scalar(value)
        m = _TIME.fullmatch(raw)
        if not m or int(m.group(1)) > 23 or int(m.group(2)) > 59:
            raise Bad(f"'{name}' is '{raw}'; write it as HH:MM, e.g. 10:30")
        return time(int(m.group(1)), int(m.group(2)))

    return convert


_WHOLE = re.compile(r"[+-]?\d+")
_HOURS = re.compile(r"(\d+):([0-5]\d)")


def number(name: str, low: int | None = None, high: int | None = None):
    def convert(value) -> int:
        raw = scalar(value)
        if not _WHOLE.fullmatch(raw):
            raise Bad(f"'{name}' is '{raw}'; write a whole number")
        n = int(raw)
        if (low is not None and n < low) or (high is not None and n > high):
            raise Bad(f"'{name}' is {n}; it goes from {low} to {high}", "warning")
        return n

    return convert


def minutes(name: str):
    def convert(value) -> int:
        raw = scalar(value)
        if raw.isdecimal():
            return int(raw)
        m = _HOURS.fullmatch(raw)
        if m:
            return int(m.group(1)) * 60 + int(m.group(2))
        raise Bad(f"'{name}' is '{raw}'; write minutes (90) or hours and minutes (1:30)")

    return convert


_TRUE = {"true", "yes", "si", "y", "on", "1", "x", "verdadero"}
_FALSE = {"false", "no", "n", "off", "0", "", "falso"}


def checkbox(name: str):
    def convert(value) -> bool:
        raw = scalar(value)
        key = fold(raw)
        if key in _TRUE:
            return True
        if key in _FALSE:
            return False
        if _DATE.fullmatch(raw) or _DATETIME.fullmatch(raw):
            date_field(name)(raw)  # validates the day
            return True
        raise Bad(f"'{name}' is '{raw}'; write true, false, or the date it was done (2026-11-20)")

    return convert


# --- links ----------------------------------------------------------------------------------

_WIKILINK = re.compile(r"\[\[([^\[\]]+)\]\]")


def link_target(inner: str) -> str:
    """`Folder/Ana Núñez#Notes|Ana` -> `Folder/Ana Núñez` (NFC, no `.md`)."""
    target = inner.split("|", 1)[0].split("#", 1)[0].split("^", 1)[0].strip() if _LINK_EXTRAS.search(inner) \
        else inner.strip()
    if target.lower().endswith(".md"):
        target = target[:-3]
    return nfc(target.strip("/ "))


_LINK_EXTRAS = re.compile(r"[|#^]")


def links(name: str, line: int, lines: list[int]) -> callable:
    """A converter for a field of links; `lines` gives each list item's own line."""

    def convert(value) -> tuple[tuple[Link, ...], list[tuple[int, str]]]:
        items = value if isinstance(value, list) else [value]
        item_lines = lines if isinstance(value, list) else [line]
        found: list[Link] = []
        warnings: list[tuple[int, str]] = []
        for item, at in zip(items, item_lines):
            if isinstance(item, list):
                # `[[Ana]]` unquoted is a list holding a list in YAML.
                inner = _flatten(item)
                if not inner:
                    continue
                for target in inner:
                    found.append(Link(link_target(target), at))
                warnings.append((at, f"'{name}' has an unquoted link [[{inner[0]}]]; "
                                     f"quote it: \"[[{inner[0]}]]\" (YAML reads it as a nested list)"))
                continue
            if isinstance(item, dict):
                raise Bad(f"'{name}' holds a mapping; write links as \"[[Name]]\"")
            raw = item.strip()
            if not raw:
                continue
            matches = _WIKILINK.findall(raw)
            if matches:
                found.extend(Link(target, at) for target in map(link_target, matches) if target)
            else:
                found.append(Link(link_target(raw), at))
                warnings.append((at, f"'{name}' is plain text '{raw}'; read as the link [[{raw}]]: "
                                     f"write it as \"[[{raw}]]\""))
        return tuple(found), warnings

    return convert


def _flatten(item) -> list[str]:
    if isinstance(item, str):
        return [item.strip()] if item.strip() else []
    if isinstance(item, list):
        return [t for sub in item for t in _flatten(sub)]
    return []
