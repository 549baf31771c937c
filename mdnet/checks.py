"""The method's checks across notes: each rule is a pure function of the vault giving problems.

Field-level problems (a bad date, a missing circle) come from the reader, which knows their
lines; these rules need several notes at once. A new rule is a function and a list entry.
"""

from __future__ import annotations

from collections.abc import Iterable

from mdnet.fields import fold
from mdnet.model import WARNING, Problem, Vault


def referred_by_self(vault: Vault) -> Iterable[Problem]:
    for c in vault.contacts:
        if c.referred_by is not None and c.referred_by.contact == c.path:
            yield Problem(c.path, c.referred_by.line, WARNING,
                          "'referred_by' names this same contact: name who gave you this person's name")


def same_person_twice(vault: Vault) -> Iterable[Problem]:
    """Two contacts with one e-mail, or one name but for accents and case, are likely one person."""
    by_email: dict[str, str] = {}
    by_name: dict[str, str] = {}
    for c in vault.contacts:
        if c.email:
            first = by_email.setdefault(c.email.strip().casefold(), c.path)
            if first != c.path:
                yield Problem(c.path, c.line, WARNING, f"same e-mail as {first}: if they are one person, "
                                                       "merge the notes (keep one, add the other name to 'aliases')")
        first = by_name.setdefault(fold(c.name), c.path)
        if first != c.path and fold(c.name) != "":
            yield Problem(c.path, c.line, WARNING, f"same name as {first} but for accents or case: "
                                                   "if they are one person, merge the notes")


RULES = (referred_by_self, same_person_twice)


def run(vault: Vault) -> list[Problem]:
    return [p for rule in RULES for p in rule(vault)]
