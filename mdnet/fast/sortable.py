"""Bytes that sort as the values they encode: a database orders rows by the engine's own keys.

`encode(key)` of tuples of None, integers (booleans among them), dates, times, texts and tuples of these:
`encode(a) < encode(b)` exactly when `a < b`, for any two keys Python can compare. The engine's
keys (the agenda's order, a suggestion's rank) stay the engine's: whatever they hold, the store
sorts by them without knowing what they are.
"""

from __future__ import annotations

from datetime import date, datetime, time

# Each value starts with a tag; the end of a tuple is 0, below every tag, so a tuple sorts
# before any longer one it begins.
_NONE, _INT, _DATE, _TIME, _TEXT, _TUPLE = range(1, 7)


def encode(key) -> bytes:
    out = bytearray()
    _put(out, key)
    return bytes(out)


def _put(out: bytearray, value) -> None:
    if value is None:
        out.append(_NONE)
    elif isinstance(value, int):  # booleans too, which compare as 0 and 1
        out.append(_INT)
        _int(out, int(value))
    elif isinstance(value, str):
        out.append(_TEXT)
        data = value.encode("utf-8", "surrogatepass")  # UTF-8 sorts as the code points do
        if b"\x00" in data or b"\x01" in data:
            data = data.replace(b"\x01", b"\x01\x02").replace(b"\x00", b"\x01\x01")
        out += data
        out.append(0)
    elif isinstance(value, tuple):
        out.append(_TUPLE)
        for item in value:
            _put(out, item)
        out.append(0)
    elif isinstance(value, date) and not isinstance(value, datetime):
        out.append(_DATE)
        out += value.toordinal().to_bytes(4, "big")
    elif isinstance(value, time) and value.tzinfo is None:
        out.append(_TIME)
        out += bytes((value.hour, value.minute, value.second)) + value.microsecond.to_bytes(3, "big")
    else:
        raise TypeError(f"no sortable encoding for {type(value).__name__}")


def _int(out: bytearray, n: int) -> None:
    # Sign, then length, then digits: more digits mean further from zero.
    size = (abs(n).bit_length() + 7) // 8
    if n >= 0:
        out += b"\x01" + size.to_bytes(4, "big") + n.to_bytes(size, "big")
    else:
        out += b"\x00" + ((1 << 32) - 1 - size).to_bytes(4, "big") + ((1 << (8 * size)) + n).to_bytes(size, "big")
