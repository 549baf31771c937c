"""Who is the same person (SPEC section 7, "Same person"): identity keys and an index of them.

A person is known by e-mails (compared case-insensitively), phones (compared in E.164; a number
written without `+` is read in the campaign's region), a LinkedIn profile (compared without
scheme, `www.`, case and trailing `/`) and names (folded: NFC, case, accents, spacing, "Last,
First" reordered). The index keeps a dict per kind of key, so finding a person costs a few
look-ups whatever the number of notes: never a comparison of every pair.

This is the one module that imports phonenumbers.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from dataclasses import dataclass
from urllib.parse import unquote

from mdnet.fields import fold_name, nfc

KINDS = ("email", "phone", "linkedin")  # identifiers that name one person, in the order reported


def email_key(text: str) -> str | None:
    text = text.strip()
    if text[:7].casefold() == "mailto:":
        text = text[7:]
    text = text.strip().casefold()
    return text if "@" in text.strip("@") else None


@functools.lru_cache(maxsize=1 << 16)  # `check` asks again for every note on every run
def phone_key(text: str, region: str | None = None) -> str | None:
    """The number in E.164 (`+34600123456`); a number that cannot be read so, by its digits alone."""
    text = text.strip()
    if text[:4].casefold() == "tel:":
        text = text[4:]
    digits = re.sub(r"\D", "", text)
    if len(digits) < 3:
        return None
    return e164(text, region) or ("+" if text.startswith("+") else "") + digits


@functools.lru_cache(maxsize=1 << 16)  # `watch` links the same contacts' numbers on every save
def e164(text: str, region: str | None = None) -> str | None:
    """The number in E.164 (`+34600123456`), for a `tel:` link; None when phonenumbers cannot read
    it as one that could be dialled."""
    import phonenumbers

    try:
        number = phonenumbers.parse(text, region)
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_possible_number(number):
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


_LINKEDIN = re.compile(r"^(?:[a-z][a-z0-9+.-]*://)?(?:www\.|[a-z]{2}\.)?(linkedin\.com/.*?)/*(?:[?#].*)?$")


def linkedin_key(text: str) -> str | None:
    """`https://www.LinkedIn.com/in/ana/` and `linkedin.com/in/ana` are one profile; `es.linkedin.com`
    is LinkedIn's Spanish address of the same one."""
    text = nfc(unquote(text.strip())).casefold()
    m = _LINKEDIN.match(text)
    if m:
        return m.group(1)
    text = re.sub(r"^[a-z][a-z0-9+.-]*://", "", text).removeprefix("www.").split("?")[0].rstrip("/")
    return text or None


def is_linkedin(url: str) -> bool:
    return bool(_LINKEDIN.match(nfc(url.strip()).casefold()))


@functools.lru_cache(maxsize=1 << 16)  # an import asks of each row's and each note's names several times
def name_key(name: str) -> str | None:
    """A name folded as the write commands fold it (`fields.fold_name`: no accents, case, emoji or
    extra spaces), and "Núñez, José" read as "José Núñez"."""
    name = nfc(name)
    if name.count(",") == 1:
        last, first = name.split(",")
        name = f"{first} {last}"
    return fold_name(name) or None


@functools.lru_cache(maxsize=64)
def region_of(written: str | None, timezone: str | None) -> str | None:
    """The region numbers without `+` are read in: the campaign's `region`, else its zone's country."""
    if written and re.fullmatch(r"[A-Za-z]{2}", written.strip()):
        return written.strip().upper()
    if not timezone:
        return None
    from babel.core import get_global

    return get_global("zone_territories").get(timezone)


@dataclass(frozen=True, slots=True)
class Identity:
    """What a person is known by: names first the main one, then aliases."""

    names: tuple[str, ...] = ()
    emails: tuple[str, ...] = ()
    phones: tuple[str, ...] = ()
    linkedin: str | None = None

    def keys(self, region: str | None, kinds: tuple[str, ...] = KINDS) -> Iterable[tuple[str, str]]:
        """(kind, key) for every identifier of these kinds (the names apart)."""
        for kind, texts, key_of in (("email", self.emails, email_key),
                                    ("phone", self.phones, lambda t: phone_key(t, region)),
                                    ("linkedin", (self.linkedin,) if self.linkedin else (), linkedin_key)):
            for text in texts if kind in kinds else ():
                key = key_of(text)
                if key:
                    yield kind, key

    def name_keys(self) -> list[str]:
        return list(dict.fromkeys(k for k in map(name_key, self.names) if k))


def shared_tails(phone_lists: list[tuple[str, ...]]) -> set[str]:
    """The phones whose last seven digits another list's phone also ends with: the only ones that may
    be one number (E.164 differs from what is written only in front: a `+`, a country code, a trunk
    `0`), so the only ones worth reading with phonenumbers when looking for duplicates."""
    owners: dict[str, set[int]] = {}
    for i, phones in enumerate(phone_lists):
        for phone in phones:
            owners.setdefault(_tail(phone), set()).add(i)
    return {phone for phones in phone_lists for phone in phones if len(owners[_tail(phone)]) > 1}


def _tail(phone: str) -> str:
    return _NOT_DIGIT.sub("", _EXTENSION.split(phone, maxsplit=1)[0])[-7:]


_NOT_DIGIT, _EXTENSION = re.compile(r"\D"), re.compile(r"[A-Za-z#]")


def split_list(value: str | None) -> tuple[str, ...]:
    """A contact's e-mails or phones as the reader gives them (a list joined with `, `)."""
    return tuple(v.strip() for v in (value or "").split(",") if v.strip())


class Index:
    """Persons (any hashable value: a note's path, a planned note) by each of their identifiers."""

    def __init__(self, region: str | None, kinds: tuple[str, ...] = KINDS):
        self.region, self.kinds = region, kinds
        self.by_key: dict[tuple[str, str], object] = {}
        self.by_name: dict[str, list] = {}

    def add(self, person, identity: Identity) -> list[tuple[str, str, object]]:
        """Index `person`; return (kind, key, other) for each identifier another person already had."""
        shared = []
        for kind_key in identity.keys(self.region, self.kinds):
            other = self.by_key.setdefault(kind_key, person)
            if other is not person and other != person:
                shared.append((*kind_key, other))
        for key in identity.name_keys():
            found = self.by_name.setdefault(key, [])
            if person not in found:
                found.append(person)
        return shared

    def find(self, identity: Identity) -> tuple[dict, list]:
        """The persons `identity` matches: {person: [kinds]} by identifiers, and those by its main name."""
        by_id: dict = {}
        for kind, key in identity.keys(self.region, self.kinds):
            person = self.by_key.get((kind, key))
            if person is not None:
                kinds = by_id.setdefault(person, [])
                if kind not in kinds:
                    kinds.append(kind)
        key = name_key(identity.names[0]) if identity.names else None
        return by_id, list(self.by_name.get(key, ())) if key else []
