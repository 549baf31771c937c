"""Field types of SPEC section 2: every YAML scalar arrives as text and is converted here.

A converter takes the YAML node (a plain value: `str`, `list` or `dict`, already stripped of
YAML 1.1's implicit typing) and returns the field's value, or raises `Bad` with a message that
names the fix; whatever the text, it raises nothing else. Enumerations accept English and
Spanish words, any case, with or without accents, in either grammatical gender.

Values are bounded so that no sum the engine or the feed makes of them can overflow: days are
years FIRST_YEAR to LAST_YEAR, offsets at most 14 hours, numbers within their field's range.
"""

from __future__ import annotations

import functools
import os
import re
import unicodedata
import zoneinfo
from datetime import date, datetime, time, timedelta, timezone

from mdnet.i18n import N_, render
from mdnet.model import CODES, Link


class Bad(ValueError):
    """A value that cannot be used: its problem's code, its message as English text with
    parameters (`name`, the property's, filled in by the reader when the converter does not know
    it), and `severity`, whether the field is dropped (error) or defaulted (warning)."""

    def __init__(self, code: str, text: str, severity: str = "error", **params):
        if code not in CODES:
            raise ValueError(f"{code!r} is no problem code of CODES")
        super().__init__(text)
        self.code, self.text, self.severity, self.params = code, text, severity, params

    def __str__(self) -> str:
        return render(self.text, tuple(self.params.items()))


@functools.lru_cache(maxsize=1 << 16)  # names: a large vault's agenda sorts by thousands of them
def fold(text: str) -> str:
    """Case- and accent-insensitive key: 'Reunión' -> 'reunion', 'NÚÑEZ' -> 'nunez'."""
    if text.isascii():
        return text.lower().strip()
    decomposed = _LATIN_MARKS.sub("", unicodedata.normalize("NFKD", text.casefold()))
    if decomposed.isascii():  # Spanish and most Latin names: only these marks were left to drop
        return decomposed.strip()
    return "".join(c for c in decomposed if not unicodedata.combining(c)).strip()


def fold_name(text: str) -> str:
    """A person's name as two writings of it compare: `fold`, without symbols (emoji), format
    characters (joiners) and marks left, spaces made one: `Íñigo  Zubizarreta 🚀` -> `inigo zubizarreta`."""
    folded = fold(text)
    if not folded.isascii():
        folded = "".join(c for c in folded if unicodedata.category(c)[0] not in "SCM")
    return " ".join(folded.split())


# Combining diacritical marks (accents, tilde, diaeresis), but the grapheme joiner U+034F, which
# is no mark: it has no combining class, so the walk below keeps it.
_LATIN_MARKS = re.compile("[\u0300-\u034e\u0350-\u036f]")


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def shown(raw: str) -> str:
    """A value as a message quotes it: control characters escaped (a terminal would act on them),
    and cut short when long (a megabyte pasted into a property would be printed whole)."""
    if len(raw) > _SHOWN:
        raw = f"{raw[:_SHOWN]}… ({len(raw):,} characters)"
    return _CONTROLS.sub(lambda m: m.group().encode("unicode_escape").decode("ascii"), raw)


_SHOWN = 80
_CONTROLS = re.compile("[\x00-\x1f\x7f-\x9f]")


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
            raise Bad("unknown-value", N_("'%(name)s' is '%(value)s', which mdnet does not know; use one of: "
                                          "%(allowed)s"), "warning", name=name, value=shown(text), allowed=allowed)
        return found

    return convert


# --- scalars --------------------------------------------------------------------------------

def scalar(value) -> str:
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, list):
        raise Bad("bad-shape", N_("'%(name)s' is a list; write a single value"))
    raise Bad("bad-shape", N_("'%(name)s' is a mapping; write a single value"))


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
    raise Bad("bad-shape", N_("'%(name)s' is a mapping; write a list of text, e.g. [a, b]"))


# Years a day may have: a campaign's dates are within a lifetime, so a year outside these is a
# typo (9026 or 0026 for 2026). They leave room for every sum made of a day: the engine adds at
# most ten years (a follow-up cadence), the feed a week and a day, an offset a day; and each year
# between the first and the last timed meeting costs the feed that year's rules of its zone.
FIRST_YEAR, LAST_YEAR = 1900, 2999
MAX_OFFSET = timedelta(hours=14)  # the zones of the world go from -12:00 to +14:00
MAX_MINUTES = 7 * 24 * 60  # a week: the longest meeting (a conference) mdnet reads

# ASCII digits only: `\d` would take any script's digits, which no date is written in.
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}", re.ASCII)
_DATETIME = re.compile(
    r"(\d{4}-\d{2}-\d{2})[T ](\d{1,2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?\s*(Z|[+-]\d{2}(?::?\d{2})?)?", re.ASCII
)
_TIME = re.compile(r"(\d{1,2}):(\d{2})(?::(\d{2}))?", re.ASCII)


def _day(text_: str, name: str) -> date:
    if not FIRST_YEAR <= int(text_[:4]) <= LAST_YEAR:
        raise Bad("date-out-of-range", N_("'%(name)s' is '%(value)s', outside the years mdnet reads (%(first)s to "
                                          "%(last)s); write it as YYYY-MM-DD, e.g. 2026-11-20"),
                  name=name, value=text_, first=FIRST_YEAR, last=LAST_YEAR)
    try:
        return date.fromisoformat(text_)
    except ValueError:
        raise Bad("bad-date", N_("'%(name)s' is '%(value)s', which is not a real day; write it as YYYY-MM-DD"),
                  name=name, value=text_) from None


def _moment(raw: str, name: str) -> date | datetime | None:
    """A date or a date-time (naive: the campaign's zone; with an offset: aware); None for any other form."""
    if _DATE.fullmatch(raw):
        return _day(raw, name)
    m = _DATETIME.fullmatch(raw)
    if not m:
        return None
    day = _day(m.group(1), name)
    hour, minute, second = int(m.group(2)), int(m.group(3)), int(m.group(4) or 0)
    if hour > 23 or minute > 59 or second > 59:
        raise Bad("bad-time", N_("'%(name)s' is '%(value)s', which is not a real time; write the time as HH:MM, "
                                 "00:00 to 23:59"), name=name, value=shown(raw))
    return datetime(day.year, day.month, day.day, hour, minute, second, tzinfo=_offset(m.group(5), raw, name))


def date_field(name: str):
    def convert(value) -> date:
        raw = scalar(value)
        when = _moment(raw, name)
        if when is None:
            fixed = _corrected(raw, timed=False)
            if fixed is None:
                raise Bad("bad-date", N_("'%(name)s' is '%(value)s', which is not a date; write it as YYYY-MM-DD, "
                                         "e.g. 2026-11-20"), name=name, value=shown(raw))
            raise Bad("bad-date", N_("'%(name)s' is '%(value)s'; write it as %(fixed)s"), name=name,
                      value=shown(raw), fixed=fixed)
        return when.date() if isinstance(when, datetime) else when

    return convert


def datetime_field(name: str):
    """A date, or a date-time (naive: the campaign's zone; with an offset: aware)."""

    def convert(value) -> date | datetime:
        raw = scalar(value)
        when = _moment(raw, name)
        if when is None:
            fixed = _corrected(raw, timed=True)
            if fixed is None:
                raise Bad("bad-date", N_("'%(name)s' is '%(value)s', which is not a date; write a date, YYYY-MM-DD "
                                         "(2026-11-20), or a date and a time, YYYY-MM-DDTHH:MM (2026-11-20T10:30)"),
                          name=name, value=shown(raw))
            if "T" not in fixed:
                raise Bad("bad-date", N_("'%(name)s' is '%(value)s'; write it as %(fixed)s, or with its time as "
                                         "%(fixed)sT10:30"), name=name, value=shown(raw), fixed=fixed)
            raise Bad("bad-date", N_("'%(name)s' is '%(value)s'; write it as %(fixed)s"), name=name,
                      value=shown(raw), fixed=fixed)
        return when

    return convert


def _offset(raw: str | None, value: str, name: str):
    if raw is None:
        return None
    if raw == "Z":
        return timezone.utc
    digits = raw[1:].replace(":", "")
    hours, minutes_ = int(digits[:2]), int(digits[2:] or 0)
    span = timedelta(hours=hours, minutes=minutes_)
    if minutes_ > 59 or span > MAX_OFFSET:
        raise Bad("bad-offset", N_("'%(name)s' is '%(value)s', whose offset %(offset)s is no real one; an offset "
                                   "goes from -14:00 to +14:00, or leave it out for the campaign's zone"),
                  name=name, value=shown(value), offset=raw)
    return timezone(-span if raw[0] == "-" else span)


_LOOSE = re.compile(r"(\d{1,4})[/.-](\d{1,2})[/.-](\d{1,4})(?:(?:[T ]|, ?)(\d{1,2})[:.h](\d{2}))?", re.ASCII)


def _corrected(raw: str, timed: bool) -> str | None:
    """The ISO form of a date written another way, when it is clear which day it is: 2026-12-5,
    2026/12/05, 20/11/2026 or 11/20/2026 (a day over 12 tells them apart, else day first), with
    its time when `timed` (`2026-12-5 10.00` -> 2026-12-05T10:00); None for anything else."""
    m = _LOOSE.fullmatch(raw)
    if not m:
        return None
    a, b, c = m.group(1, 2, 3)
    if len(a) == 4:
        year, month, day = int(a), int(b), int(c)
    elif len(c) == 4:
        year, first, second = int(c), int(a), int(b)
        day, month = (first, second) if first > 12 or second <= 12 else (second, first)
    else:
        return None
    try:
        written = date(year, month, day).isoformat()
    except ValueError:
        return None
    if not FIRST_YEAR <= year <= LAST_YEAR:
        return None
    if m.group(4) is None or not timed:
        return written
    hour, minute = int(m.group(4)), int(m.group(5))
    return f"{written}T{hour:02d}:{minute:02d}" if hour <= 23 and minute <= 59 else None


def time_field(name: str):
    def convert(value) -> time:
        raw = scalar(value)
        m = _TIME.fullmatch(raw)
        if not m or int(m.group(1)) > 23 or int(m.group(2)) > 59:
            raise Bad("bad-time", N_("'%(name)s' is '%(value)s'; write it as HH:MM, e.g. 10:30"), name=name,
                      value=shown(raw))
        return time(int(m.group(1)), int(m.group(2)))

    return convert


_WHOLE = re.compile(r"[+-]?\d+")
_HOURS = re.compile(r"(\d+):([0-5]\d)")


def _small(digits: str) -> int | None:
    """The number these digits write, or None past nine of them: no field goes near a billion,
    and Python refuses to read more than 4,300 digits."""
    digits = digits.lstrip("0")
    return int(digits or "0") if len(digits) <= 9 else None


def number(name: str, low: int, high: int):
    def convert(value) -> int:
        raw = scalar(value)
        if not _WHOLE.fullmatch(raw):
            raise Bad("not-a-number", N_("'%(name)s' is '%(value)s'; write a whole number"), name=name,
                      value=shown(raw))
        n = _small(raw.lstrip("+-"))
        if n is not None and raw.startswith("-"):
            n = -n
        if n is None or not low <= n <= high:
            raise Bad("out-of-range", N_("'%(name)s' is %(value)s; it goes from %(low)s to %(high)s"), "warning",
                      name=name, value=shown(raw) if n is None else n, low=low, high=high)
        return n

    return convert


def minutes(name: str):
    def convert(value) -> int:
        raw = scalar(value)
        if raw.isdecimal():
            n = _small(raw)
        elif m := _HOURS.fullmatch(raw):
            hours = _small(m.group(1))
            n = None if hours is None else hours * 60 + int(m.group(2))
        else:
            raise Bad("not-a-number", N_("'%(name)s' is '%(value)s'; write minutes (90) or hours and minutes (1:30)"),
                      name=name, value=shown(raw))
        if n is None or n > MAX_MINUTES:
            raise Bad("out-of-range", N_("'%(name)s' is %(value)s; it goes from 0 to %(high)s minutes (a week)"),
                      "warning", name=name, value=shown(raw), high=MAX_MINUTES)
        return n

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
        if _moment(raw, name) is not None:  # a real day, the day it was done
            return True
        raise Bad("bad-checkbox", N_("'%(name)s' is '%(value)s'; write true, false, or the date it was done "
                                     "(2026-11-20)"), name=name, value=shown(raw))

    return convert


# --- zones ----------------------------------------------------------------------------------

def zone(name: str):
    """An IANA zone's name: a zone of the database, not a folder of it (`America`, what Obsidian
    saves while `America/Mexico_City` is being typed) nor any other path ZoneInfo may open."""

    def convert(value) -> str:
        raw = scalar(value)
        if not is_zone(raw):
            from mdnet.zones import nearest  # only for a zone that is none: it lists every zone

            near = nearest(raw)
            if near:
                raise Bad("unknown-zone", N_("'%(name)s' is '%(value)s', which is no IANA zone; write %(zones)s "
                                             "(until then, this machine's zone is used)"), "warning",
                          name=name, value=shown(raw), zones=", ".join(near))
            raise Bad("unknown-zone", N_("'%(name)s' is '%(value)s', which is no IANA zone; write one like "
                                         "Europe/Madrid (until then, this machine's zone is used)"), "warning",
                      name=name, value=shown(raw))
        return raw

    return convert


def is_zone(name: str) -> bool:
    """Whether `name` is in `zoneinfo.available_timezones()`. That opens every file of the zone
    database, and every run asks about the machine's zone: the tzdata package's list of its zones
    (one small file, and where that function starts) answers for every real zone but the few a
    system adds."""
    return name in _packaged_zones() or name in _available_zones()


@functools.cache
def _packaged_zones() -> frozenset[str]:
    try:
        import tzdata

        with open(os.path.join(os.path.dirname(tzdata.__file__), "zones"), encoding="utf-8") as f:
            return frozenset(f.read().split())
    except (ImportError, OSError):  # no tzdata, or one without its files on disk: ask zoneinfo
        return frozenset()


@functools.cache
def _available_zones() -> frozenset[str]:
    return frozenset(zoneinfo.available_timezones())


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

    def convert(value) -> tuple[tuple[Link, ...], list[tuple[int, str, str, dict]]]:
        """The links, and warnings as (line, code, text, params)."""
        items = value if isinstance(value, list) else [value]
        item_lines = lines if isinstance(value, list) else [line]
        found: list[Link] = []
        warnings: list[tuple[int, str, str, dict]] = []
        for item, at in zip(items, item_lines):
            if isinstance(item, list):
                # `[[Ana]]` unquoted is a list holding a list in YAML.
                inner = _flatten(item)
                if not inner:
                    continue
                for target in inner:
                    found.append(Link(link_target(target), at))
                warnings.append((at, "unquoted-link", N_("'%(name)s' has an unquoted link [[%(target)s]]; quote it: "
                                                         "\"[[%(target)s]]\" (YAML reads it as a nested list)"),
                                 {"name": name, "target": shown(inner[0])}))
                continue
            if isinstance(item, dict):
                raise Bad("bad-link", N_("'%(name)s' holds a mapping; write links as \"[[Name]]\""), name=name)
            raw = item.strip()
            if not raw:
                continue
            matches = _WIKILINK.findall(raw)
            if matches:
                found.extend(Link(target, at) for target in map(link_target, matches) if target)
            else:
                found.append(Link(link_target(raw), at))
                warnings.append((at, "plain-text-link", N_("'%(name)s' is plain text '%(value)s'; read as the link "
                                                           "[[%(value)s]]: write it as \"[[%(value)s]]\""),
                                 {"name": name, "value": shown(raw)}))
        return tuple(found), warnings

    return convert


def _flatten(item) -> list[str]:
    if isinstance(item, str):
        return [item.strip()] if item.strip() else []
    if isinstance(item, list):
        return [t for sub in item for t in _flatten(sub)]
    return []
