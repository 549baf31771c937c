"""The method's checks across notes: each rule is a pure function of the vault giving problems.

Field-level problems (a bad date, a missing circle) come from the reader, which knows their
lines; these rules need several notes at once. A new rule is a function and a list entry.
"""

from __future__ import annotations

from collections.abc import Iterable

from mdnet import people
from mdnet.model import WARNING, Contact, Problem, Vault


def referred_by_self(vault: Vault) -> Iterable[Problem]:
    for c in vault.contacts:
        if c.referred_by is not None and c.referred_by.contact == c.path:
            yield Problem(c.path, c.referred_by.line, WARNING,
                          "'referred_by' names this same contact: name who gave you this person's name")


def duplicate_person(vault: Vault) -> Iterable[Problem]:
    """Two contacts sharing an e-mail, a phone, a LinkedIn profile or a folded name are likely one
    person (`duplicate-person`): the later note by path is named, with the earlier one."""
    index = people.Index(people.region_of(vault.campaign.region, vault.campaign.timezone))
    phones = [people.split_list(c.phone) for c in vault.contacts]
    comparable = people.shared_tails(phones)
    first_named: dict[str, Contact] = {}
    for c, own in zip(vault.contacts, phones):
        identity = people.Identity((c.name,), people.split_list(c.email), tuple(p for p in own if p in comparable),
                                   c.linkedin)
        shared = {}
        for kind, _, other in index.add(c, identity):
            shared.setdefault(other, []).append(_SHARED[kind])
        key = people.name_key(c.name)
        if key is not None:
            other = first_named.setdefault(key, c)
            if other is not c:
                shared.setdefault(other, []).append("name")
        for other, what in shared.items():
            yield Problem(c.path, c.line, WARNING,
                          f"same {' and '.join(dict.fromkeys(what))} as {other.path}: if they are one person, "
                          f"run `mdnet merge \"{other.name}\" \"{c.name}\"`")


_SHARED = {"email": "e-mail", "phone": "phone", "linkedin": "LinkedIn profile"}


RULES = (referred_by_self, duplicate_person)


def run(vault: Vault) -> list[Problem]:
    return [p for rule in RULES for p in rule(vault)]
