"""Languages: gettext catalogues per locale (English is the source text) and Babel's date formats.

Catalogues are kept as `.po` text in `mdnet/locale/<lang>/LC_MESSAGES/<domain>.po` and compiled in
memory when first used, so there is no compiled file to forget to rebuild. Two domains, for two
readers who may speak differently:

    mdnet      what the campaign's `locale` chooses: agendas, briefs, notes, the feed (`translations`)
    messages   what the user's language chooses (LANGUAGE, LC_ALL, LC_MESSAGES, LANG, as gettext
               looks them up): problems, summaries, errors, the server's and watcher's lines (`tr`)

A problem is read once and cached, then printed by runs in any language: it keeps its English
text (marked with `N_`) and its parameters, and is translated as it is printed. The user's
catalogue is read by `read_po`, without Babel, whose import alone takes longer than a short run.
"""

from __future__ import annotations

import ast
import functools
import gettext
import io
import os
from datetime import date
from pathlib import Path

LOCALE_DIR = Path(__file__).parent / "locale"
DOMAIN = "mdnet"
USER_DOMAIN = "messages"
LANGUAGE_VARIABLES = ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG")  # gettext's order


LANGUAGES = ("en", "es")


def language(locale: str | None) -> str:
    """`es-ES`, `es_MX`, `ES`, `es_ES.UTF-8` -> `es`; anything unknown -> `en`."""
    lang = _code(locale or "en")
    return lang if lang in LANGUAGES else "en"


def _code(locale: str) -> str:
    return locale.replace("_", "-").split("-")[0].split(".")[0].lower()


@functools.cache
def translations(locale: str | None) -> gettext.NullTranslations:
    lang = language(locale)
    mo = _known.get(lang)
    if mo is None:
        mo = compiled(lang)
    return gettext.GNUTranslations(io.BytesIO(mo)) if mo else gettext.NullTranslations()


@functools.cache
def compiled(locale: str | None) -> bytes:
    """The locale's catalogue compiled to the `.mo` format (empty for English), to keep and give `known`."""
    lang = language(locale)
    po = LOCALE_DIR / lang / "LC_MESSAGES" / f"{DOMAIN}.po"
    if lang == "en" or not po.exists():
        return b""
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    with po.open("rb") as f:
        catalog = read_po(f, locale=lang, domain=DOMAIN)
    buf = io.BytesIO()
    write_mo(buf, catalog, use_fuzzy=False)
    return buf.getvalue()


_known: dict[str, bytes] = {}


def known(locale: str | None, mo: bytes) -> None:
    """Use `mo`, what `compiled` gave for this locale and mdnet's catalogues as they are now, rather
    than compile them again, which would be a good part of a short run."""
    _known.setdefault(language(locale), mo)


def gettext_for(locale: str | None):
    """The `_` function for a locale."""
    return translations(locale).gettext


def user_language() -> str:
    """The user's language as gettext finds it: the first of LANGUAGE (a list, `fr:es`), LC_ALL,
    LC_MESSAGES and LANG that is set; of a list, the first language mdnet speaks; else `en`."""
    for variable in LANGUAGE_VARIABLES:
        value = os.environ.get(variable)
        if value:
            for each in value.split(":"):
                lang = _code(each)
                if lang in LANGUAGES:
                    return lang
                if lang in ("c", "posix"):  # gettext stops at the C locale: the source text
                    return "en"
            return "en"
    return "en"


@functools.cache
def _user_translations(lang: str) -> gettext.NullTranslations:
    po = LOCALE_DIR / lang / "LC_MESSAGES" / f"{USER_DOMAIN}.po"
    return _Catalogue(read_po(po)) if lang != "en" and po.exists() else gettext.NullTranslations()


class _Catalogue(gettext.NullTranslations):
    """The messages of a `.po` file as `read_po` gives them. One form for one and another for any
    other number, as English and Spanish count."""

    def __init__(self, messages: dict):
        super().__init__()
        self.messages = messages

    def gettext(self, message: str) -> str:
        return self.messages.get(message, message)

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        forms = self.messages.get((singular, plural), (singular, plural))
        return forms[0] if n == 1 else forms[1]


def read_po(path: Path) -> dict:
    """A `.po` file's translations: msgid -> msgstr, (msgid, msgid_plural) -> the msgstr[n] forms,
    without the header and the fuzzy or untranslated entries (as Babel's `write_mo` leaves them).

    The user's catalogue is read on every run that prints in Spanish, and importing Babel to read
    it would take longer than most runs; `compiled` reads the campaign's, with the dates' Babel."""
    messages: dict = {}
    entry: dict[str, str] = {}
    key, fuzzy = None, False
    for line in [*path.read_text(encoding="utf-8").splitlines(), ""]:
        if line.startswith('"'):
            entry[key] += ast.literal_eval(line)
            continue
        if entry:  # anything but a continuation ends the entry whose lines came before
            if not line.startswith(("msgid_plural", "msgstr")):
                _keep(messages, entry, fuzzy)
                entry, fuzzy = {}, False
        if line.startswith("#,"):
            fuzzy = "fuzzy" in line
        elif line.startswith("msg"):
            key, _, text = line.partition(" ")
            entry[key] = ast.literal_eval(text)
    return messages


def _keep(messages: dict, entry: dict[str, str], fuzzy: bool) -> None:
    msgid = entry.get("msgid")
    if not msgid or fuzzy:
        return
    if "msgid_plural" in entry:
        forms = (entry.get("msgstr[0]"), entry.get("msgstr[1]"))
        if all(forms):
            messages[msgid, entry["msgid_plural"]] = forms
    elif entry.get("msgstr"):
        messages[msgid] = entry["msgstr"]


def tr(message: str) -> str:
    """`message` in the user's language."""
    return _user_translations(user_language()).gettext(message)


def ntr(singular: str, plural: str, n: int) -> str:
    """`singular` or `plural`, as `n` asks, in the user's language."""
    return _user_translations(user_language()).ngettext(singular, plural, n)


def render(text: str, params: tuple[tuple[str, object], ...] = ()) -> str:
    """A message kept as its English text and parameters, in the user's language. A parameter
    whose name ends in `_text` is a message of the catalogue too (a phrase the message holds)."""
    if not params:
        return tr(text)
    return tr(text) % {key: tr(value) if key.endswith("_text") else value for key, value in params}


def N_(message: str) -> str:
    """Marks a message for the user's catalogue that is translated later, when it is printed."""
    return message


@functools.lru_cache(maxsize=4096)  # an agenda names the same few days thousands of times
def format_date(d: date, locale: str | None, fmt: str = "full") -> str:
    """'Monday, November 30, 2026' / 'lunes, 30 de noviembre de 2026' (Babel's CLDR formats)."""
    key = (d.toordinal(), language(locale), fmt)
    text = _dates.get(key)
    if text is None:
        from babel.dates import format_date as babel_format_date

        text = _dates[key] = babel_format_date(d, format=fmt, locale=key[1])
    return text


_dates: dict[tuple[int, str, str], str] = {}  # (ordinal, language, format) -> text


def dates_written() -> dict[tuple[int, str, str], str]:
    """The dates `format_date` has written, to keep and give `known_dates`."""
    return dict(_dates)


def known_dates(written: dict[tuple[int, str, str], str]) -> None:
    """Dates written before, with mdnet's Babel as it is now: loading Babel takes longer than
    updating a plan."""
    for key, text in written.items():
        _dates.setdefault(key, text)


def format_number(n: float, locale: str | None) -> str:
    """'1.47' / '1,47': decimals written the locale's way."""
    from babel.numbers import format_decimal

    return format_decimal(n, locale=language(locale))
