"""Phone numbers: as written in the notes, read in E.164 (`+34600111222`) for `tel:` links and for
telling two notes of one person apart. The only module that imports phonenumbers; it is imported
when a number is first read, as most runs read none.

A number written without `+` is read in the campaign's region (SPEC section 2: `region`, else the
country of the campaign's `timezone`).
"""

from __future__ import annotations

import functools

from mdnet.model import Campaign


def region(campaign: Campaign) -> str | None:
    """The campaign's `region`, else the country of its zone (Europe/Madrid → ES), else None."""
    return campaign.region or zone_country(campaign.timezone)


@functools.cache
def zone_country(zone: str | None) -> str | None:
    """The country an IANA zone belongs to, from CLDR (Babel's data): None for `UTC` and the like."""
    if not zone:
        return None
    from babel.core import get_global

    return get_global("zone_territories").get(zone)


def is_region(code: str) -> bool:
    """Whether `code` is a country whose numbers can be read (ISO 3166, any case: `ES`, `mx`)."""
    import phonenumbers

    return code.upper() in phonenumbers.SUPPORTED_REGIONS


@functools.lru_cache(maxsize=1 << 16)  # `watch` links the same contacts' numbers on every save
def e164(number: str, region: str | None) -> str | None:
    """`+34 600 11 12 22`, or `600111222` in region ES → `+34600111222`; None when it is no number
    that could be dialled (too short, letters, no `+` and no region)."""
    import phonenumbers

    try:
        parsed = phonenumbers.parse(number, region)
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_possible_number(parsed):
        return None
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)


def main(value: str | None) -> str | None:
    """The main one of an `email` or `phone` written as a list (read as `a, b`): the first."""
    if not value:
        return None
    return value.split(",", 1)[0].strip() or None
