"""The method's checks across notes: each rule is a pure function of the vault giving problems.

Field-level problems (a bad date, a missing circle) come from the reader, which knows their
lines; these rules need several notes at once. A new rule is a function and a list entry.
"""

from __future__ import annotations

from collections.abc import Iterable

from mdnet import people
from mdnet.i18n import N_
from mdnet.model import WARNING, Contact, Problem, Vault, problem


def referred_by_self(vault: Vault) -> Iterable[Problem]:
    for c in vault.contacts:
        if c.referred_by is not None and c.referred_by.contact == c.path:
            yield problem(c.path, c.referred_by.line, WARNING, "referred-by-self",
                          N_("'referred_by' names this same contact: name who gave you this person's name"))


def duplicate_person(vault: Vault) -> Iterable[Problem]:
    """Two contacts sharing an e-mail, a phone, a LinkedIn profile or a folded name are likely one
    person (`duplicate-person`, the same identity index as `mdnet import`): the later note by path
    is named, with the earlier one and the `mdnet merge` that joins them."""
    index = people.Index(people.region_of(vault.campaign.region, vault.campaign.timezone))
    phones = [people.split_list(c.phone) for c in vault.contacts]
    comparable = people.shared_tails(phones)
    first_named: dict[str, Contact] = {}
    for c, own in zip(vault.contacts, phones):
        identity = people.Identity((c.name,), people.split_list(c.email), tuple(p for p in own if p in comparable),
                                   c.linkedin)
        reported = set()
        for kind, _, other in index.add(c, identity):
            if other not in reported:
                reported.add(other)
                yield problem(c.path, c.line, WARNING, "duplicate-person", _SHARED[kind], first=other.path,
                              keep=other.name, drop=c.name)
        key = people.name_key(c.name)
        first = first_named.setdefault(key, c) if key is not None else c
        if first is not c and first not in reported:
            text = (N_("two contacts are named %(contact)s, here and in %(first)s: if they are one person, merge the "
                       "notes; if not, link to each by its path") if first.name == c.name else
                    N_("same name as %(first)s but for accents or case: if they are one person, merge the notes"))
            yield problem(c.path, c.line, WARNING, "duplicate-person", text, contact=c.name, first=first.path)


_SHARED = {
    "email": N_("same e-mail as %(first)s: if they are one person, run `mdnet merge \"%(keep)s\" \"%(drop)s\"`"),
    "phone": N_("same phone as %(first)s: if they are one person, run `mdnet merge \"%(keep)s\" \"%(drop)s\"`"),
    "linkedin": N_("same LinkedIn profile as %(first)s: if they are one person, run "
                   "`mdnet merge \"%(keep)s\" \"%(drop)s\"`"),
}


RULES = (referred_by_self, duplicate_person)


def run(vault: Vault) -> list[Problem]:
    return [p for rule in RULES for p in rule(vault)]
