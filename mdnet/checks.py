"""The method's checks across notes: each rule is a pure function of the vault giving problems.

Field-level problems (a bad date, a missing circle) come from the reader, which knows their
lines; these rules need several notes at once. A new rule is a function and a list entry.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from typing import NamedTuple

from mdnet import people
from mdnet.i18n import N_
from mdnet.model import WARNING, Problem, Vault, problem


def referred_by_self(vault: Vault) -> Iterable[Problem]:
    for c in vault.contacts:
        if c.referred_by is not None and c.referred_by.contact == c.path:
            yield problem(c.path, c.referred_by.line, WARNING, "referred-by-self",
                          N_("'referred_by' names this same contact: name who gave you this person's name"))


def duplicate_person(vault: Vault) -> Iterable[Problem]:
    """Two contacts sharing an e-mail, a phone, a LinkedIn profile or a folded name are likely one
    person (`duplicate-person`, the same identity index as `mdnet import`): the later note by path
    is named, with the earlier one and the `mdnet merge` that joins them."""
    region = people.region_of(vault.campaign.region, vault.campaign.timezone)
    return _duplicates(region, tuple([_Who(c.path, c.line, c.name, c.email, c.phone, c.linkedin)
                                      for c in vault.contacts]))


class _Who(NamedTuple):
    """What `duplicate-person` reads of a contact."""

    path: str
    line: int | None
    name: str
    email: str | None
    phone: str | None
    linkedin: str | None


@functools.lru_cache(maxsize=1)  # `watch` checks again on every save, mostly with no contact changed
def _duplicates(region: str | None, contacts: tuple[_Who, ...]) -> tuple[Problem, ...]:
    index = people.Index(region)
    phones = [people.split_list(c.phone) for c in contacts]
    comparable = people.shared_tails(phones)
    found: list[Problem] = []
    first_named: dict[str, _Who] = {}
    for c, own in zip(contacts, phones):
        # No names in the index: the folded names are compared below, each read once.
        identity = people.Identity((), people.split_list(c.email), tuple(p for p in own if p in comparable),
                                   c.linkedin)
        reported = set()
        for kind, _, other in index.add(c, identity):
            if other not in reported:
                reported.add(other)
                found.append(problem(c.path, c.line, WARNING, "duplicate-person", _SHARED[kind], first=other.path,
                                     keep=other.name, drop=c.name))
        key = people.name_key(c.name)
        first = first_named.setdefault(key, c) if key is not None else c
        if first is not c and first not in reported:
            text = (N_("two contacts are named %(contact)s, here and in %(first)s: if they are one person, merge the "
                       "notes; if not, link to each by its path") if first.name == c.name else
                    N_("same name as %(first)s but for accents or case: if they are one person, merge the notes"))
            found.append(problem(c.path, c.line, WARNING, "duplicate-person", text, contact=c.name,
                                 first=first.path))
    return tuple(found)


_SHARED = {
    "email": N_("same e-mail as %(first)s: if they are one person, run `mdnet merge \"%(keep)s\" \"%(drop)s\"`"),
    "phone": N_("same phone as %(first)s: if they are one person, run `mdnet merge \"%(keep)s\" \"%(drop)s\"`"),
    "linkedin": N_("same LinkedIn profile as %(first)s: if they are one person, run "
                   "`mdnet merge \"%(keep)s\" \"%(drop)s\"`"),
}


RULES = (referred_by_self, duplicate_person)


def run(vault: Vault) -> list[Problem]:
    return [p for rule in RULES for p in rule(vault)]
