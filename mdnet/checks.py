"""The method's checks across notes: each rule is a pure function of the vault giving problems.

Field-level problems (a bad date, a missing circle) come from the reader, which knows their
lines; these rules need several notes at once. A new rule is a function and a list entry.
"""

from __future__ import annotations

from collections.abc import Iterable

from mdnet.fields import fold
from mdnet.i18n import N_
from mdnet.model import WARNING, Contact, Problem, Vault, problem


def referred_by_self(vault: Vault) -> Iterable[Problem]:
    for c in vault.contacts:
        if c.referred_by is not None and c.referred_by.contact == c.path:
            yield problem(c.path, c.referred_by.line, WARNING, "referred-by-self",
                          N_("'referred_by' names this same contact: name who gave you this person's name"))


def same_person_twice(vault: Vault) -> Iterable[Problem]:
    """Two contacts with one e-mail, or one name (the same, or but for accents and case), are likely
    one person."""
    by_email: dict[str, str] = {}
    by_name: dict[str, Contact] = {}
    for c in vault.contacts:
        if c.email:
            first = by_email.setdefault(c.email.strip().casefold(), c.path)
            if first != c.path:
                yield problem(c.path, c.line, WARNING, "duplicate-person", N_("same e-mail as %(first)s: if they are "
                              "one person, merge the notes (keep one, add the other name to 'aliases')"), first=first)
        first = by_name.setdefault(fold(c.name), c)
        if first is not c and fold(c.name) != "":
            text = (N_("two contacts are named %(contact)s, here and in %(first)s: if they are one person, merge the "
                       "notes; if not, link to each by its path") if first.name == c.name else
                    N_("same name as %(first)s but for accents or case: if they are one person, merge the notes"))
            yield problem(c.path, c.line, WARNING, "duplicate-person", text, contact=c.name, first=first.path)


RULES = (referred_by_self, same_person_twice)


def run(vault: Vault) -> list[Problem]:
    return [p for rule in RULES for p in rule(vault)]
