"""The example vault is the demo and the user's first sight of mdnet: it must check clean and show
every part of the method (three circles, referral chains, thank-yous, every meeting status)."""

from __future__ import annotations

import json
import shutil
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner

from mdnet.cli import cli
from mdnet.vault import load

EXAMPLE = Path(__file__).resolve().parent.parent / "example-vault"
DEMO_TODAY = date(2026, 11, 27)


@pytest.fixture(scope="module")
def vault():
    return load(EXAMPLE)


def test_check_reports_no_problem_at_all(tmp_path):
    root = shutil.copytree(EXAMPLE, tmp_path / "example-vault")  # check keeps its cache in the vault
    result = CliRunner().invoke(cli, ["check", "--vault", str(root), "--format", "json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout) == {"problems": []}


def test_campaign_is_spanish_and_started_seven_weeks_before_the_demo_day(vault):
    campaign = vault.campaign
    assert campaign.path == "Campaña.md"
    assert (campaign.locale, campaign.timezone) == ("es", "Europe/Madrid")
    assert campaign.goal and campaign.pitch
    assert (DEMO_TODAY - campaign.start).days == 49


def test_contacts_fill_the_three_circles(vault):
    assert len(vault.contacts) >= 30
    circles = {c.circle for c in vault.contacts}
    assert circles == {"personal", "professional", "opportunity"}
    assert all(c.met_at for c in vault.contacts if c.circle == "opportunity")
    assert {c.status for c in vault.contacts} == {"active", "paused", "do-not-contact"}
    assert len({c.email for c in vault.contacts}) == len(vault.contacts)
    assert all(c.phone.startswith("+34") for c in vault.contacts)


def test_meetings_cover_every_status_format_and_date_form(vault):
    meetings = vault.meetings
    assert len(meetings) >= 15
    assert all(date(2026, 10, 16) <= m.date <= date(2026, 12, 11) for m in meetings)
    assert {m.status for m in meetings} == {"done", "planned", "cancelled"}
    assert {m.format for m in meetings} == {"in-person", "call", "video"}
    assert any(m.time is None for m in meetings) and any(m.time is not None for m in meetings)
    assert any(len(m.with_) == 2 for m in meetings)
    assert any(m.status == "planned" and m.date < DEMO_TODAY for m in meetings)
    assert any("interview" in m.outcome for m in meetings if m.status == "done")
    done = [m for m in meetings if m.status == "done"]
    assert any(not m.thanked for m in done) and any(m.thanked for m in done)
    assert any(len(m.referrals) < 2 for m in done)


def test_every_person_link_resolves_to_a_contact(vault):
    links = [link for m in vault.meetings for link in (*m.with_, *m.referrals)]
    links += [c.referred_by for c in vault.contacts if c.referred_by]
    assert links and all(link.contact for link in links)


def test_referrals_chain_at_least_three_meetings_deep(vault):
    """A's meeting names B, B's meeting names C, C's meeting names D: the network grows."""
    names = {}  # contact path -> paths its done meetings named
    for m in vault.meetings:
        if m.status == "done":
            names.setdefault(m.with_[0].contact, set()).update(r.contact for r in m.referrals)

    def depth(person, seen=frozenset()):
        return max((1 + depth(n, seen | {person}) for n in names.get(person, ()) if n not in seen), default=0)

    assert max(depth(person) for person in names) >= 3
