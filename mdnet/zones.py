"""The real time-zone names nearest one that is none, for `init --timezone` and the campaign's
`timezone` field: `Madrid` -> Europe/Madrid, `new york` -> America/New_York, `Europe/Madird` ->
Europe/Madrid."""

from __future__ import annotations

import difflib
import functools
import zoneinfo

from mdnet.fields import fold


def nearest(name: str, n: int = 3) -> list[str]:
    """Up to `n` zones of the database that `name` most likely means, best first; none when
    nothing is close. A zone whose whole name or city (the last part) is `name` written in any
    case, with or without accents, with spaces for `_`, comes first; else the closest by spelling."""
    key = _key(name)
    if not key:
        return []
    whole, city = _index()
    exact = whole.get(key) or city.get(key.rsplit("/", 1)[-1], [])
    if exact:
        return sorted(exact, key=_preferred)[:n]
    index = whole if "/" in key else city
    close = difflib.get_close_matches(key, list(index), n=n, cutoff=0.8)
    return list(dict.fromkeys(z for k in close for z in sorted(index[k], key=_preferred)))[:n]


def _key(name: str) -> str:
    """`Port-au-Prince`, `port au prince`, `PORT_AU_PRINCE` -> `port_au_prince`."""
    return "/".join("_".join(part.replace("-", " ").replace("_", " ").split()) for part in fold(name).split("/"))


@functools.cache
def _index() -> tuple[dict[str, list[str]], dict[str, list[str]]]:
    """The zones by their folded whole name, and by their folded last part."""
    whole: dict[str, list[str]] = {}
    city: dict[str, list[str]] = {}
    for zone in sorted(zoneinfo.available_timezones()):
        key = _key(zone)
        whole.setdefault(key, []).append(zone)
        city.setdefault(key.rsplit("/", 1)[-1], []).append(zone)
    return whole, city


def _preferred(zone: str) -> tuple:
    """Canonical names (`Area/City`) before the old ones (`US/Eastern`, `Etc/GMT+1`, `Cuba`)."""
    area = zone.split("/", 1)[0]
    return area not in _AREAS, zone


_AREAS = {"Africa", "America", "Antarctica", "Asia", "Atlantic", "Australia", "Europe", "Indian", "Pacific"}
