"""The brief for a meeting: what to have in mind before it, from the method (who they are, the
goal and the pitch, ask for advice and for names, who gave us their name, to mention and thank).
"""

from __future__ import annotations

from dataclasses import dataclass

from mdnet.campaign import DONE, Facts, People, Referral, _in_date_order, _referral
from mdnet.model import Brief, Campaign, Contact, Meeting, Vault

def _relation(contact: Contact) -> str | None:
    # "former boss (Acme)", not "former boss at Acme": the company is where they work now, which
    # need not be where the relation began.
    if contact.relation and contact.company:
        text = f"{contact.relation} ({contact.company})"
    else:
        text = contact.relation or contact.company
    return f"{contact.name}: {text}" if text else None


@dataclass(frozen=True, slots=True)
class Briefer:
    """Briefs for the meetings of one vault: who named whom is worked out once, when it is made,
    as the feed asks for a brief for each of thousands of meetings. Make a new one for a new vault."""

    campaign: Campaign
    contacts: dict[str, Contact]
    persons: People
    named: dict[str, Meeting]  # the earliest done meeting naming each contact in its `referrals`

    @classmethod
    def of(cls, f: Facts) -> Briefer:
        """The briefs of the vault `f` was worked out from."""
        return cls(f.campaign, f.contacts, f.who, f.named)

    def referral(self, contact: Contact) -> Referral | None:
        naming = self.named.get(contact.path)
        return _referral(contact, naming, self.persons.among(naming.with_) if naming else (), self.persons)

    def __call__(self, meeting: Meeting) -> Brief:
        """What to have in mind before `meeting`: who, the goal and pitch, the ask, who gave us their names.

        `referrers` lists each referrer once, in the order of the people; `relations` holds one
        "Name: relation (company)" line per person whose relation or company is known.
        """
        people = self.persons.among(meeting.with_)
        referrers: dict[str, str] = {}
        relations = []
        for p in people:
            if p.path is None:
                continue
            contact = self.contacts[p.path]
            r = self.referral(contact)
            if r is not None:
                referrers.setdefault(r.referrer.key, r.referrer.name)
            relation = _relation(contact)
            if relation:
                relations.append(relation)
        campaign = self.campaign
        return Brief(
            note=meeting.path,
            people=tuple(p.name for p in people),
            goal=campaign.goal,
            pitch=campaign.pitch,
            ask=meeting.ask,
            format=meeting.format,
            referrers=tuple(referrers.values()),
            referrals_target=campaign.referrals_per_meeting,
            relations=tuple(relations),
        )


def briefer(vault: Vault) -> Briefer:
    """The briefs of `vault`'s meetings: make it once, then call it for each meeting."""
    persons = People.of_contacts(vault.contacts)
    named: dict[str, Meeting] = {}
    for m in _in_date_order(m for m in vault.meetings if m.status == DONE and m.referrals):
        for link in m.referrals:
            if link.contact:
                named.setdefault(link.contact, m)
    return Briefer(vault.campaign, {c.path: c for c in vault.contacts}, persons, named)


def brief(vault: Vault, meeting: Meeting) -> Brief:
    """The brief for one meeting; for many meetings of a vault, make a `briefer` once."""
    return briefer(vault)(meeting)
