"""`mdnet draft` and the agenda's mail and phone links (SPEC section 8): each kind of message in
both languages, the method's rules, `mailto:` URLs, templates, and names and texts that try to
break the links."""

from __future__ import annotations

import os
import re
from datetime import date
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

import html

import pytest
from conftest import Clock
from markdown_it import MarkdownIt
from test_store import updates

from mdnet import agenda, draft, people, pipeline, render

GOLDEN = Path(__file__).parent / "golden" / "drafts"
TODAY = "2026-11-27"
PITCH = {
    "en": "I have been an accountant for eight years and want to move into product management. "
          "I am looking for advice from people who have made that move.",
    "es": "Llevo ocho años de contable y quiero pasar a gestión de producto. "
          "Busco consejo de quien ya ha hecho ese camino.",
}
GOAL = {"en": "Move from accounting into product management.", "es": "Pasar de la contabilidad a producto."}


def campaign_note(locale: str, pitch: str | None = None, extra: str = "") -> str:
    pitch = PITCH[locale] if pitch is None else pitch
    return (f"---\ntype: campaign\ngoal: {GOAL[locale]}\npitch: {pitch}\ntimezone: Europe/Madrid\n"
            f"locale: {locale}\n{extra}---\n")


def contact(extra: str = "") -> str:
    return f"---\ntype: contact\ncircle: personal\n{extra}---\n"


def meeting(who: str, day: str, extra: str = "") -> str:
    return f'---\ntype: meeting\nwith: "[[{who}]]"\ndate: {day}\nstatus: done\n{extra}---\n'


def campaign_files(locale: str = "en", **campaign) -> dict[str, str]:
    """A campaign where every kind of writing action is due for someone on TODAY."""
    return {
        "Campaign.md": campaign_note(locale, **campaign),
        # met two days ago, named Sofía, not thanked: thank; and one name of two: ask-referrals
        "Contacts/José Núñez.md": contact("closeness: 1\nemail: jose@example.com\nphone: 600 111 222\n"),
        "Meetings/2026-11-25 José Núñez.md": meeting("José Núñez", "2026-11-25", 'referrals: ["[[Sofía Ramos]]"]\n'),
        # José gave her name: contact-referral
        "Contacts/Sofía Ramos.md": contact("email: sofia@example.com\n"),
        # met in September and thanked: follow-up; she named Luis and Pepe
        "Contacts/Marta Ruiz.md": contact("closeness: 2\nemail: marta@example.com\n"),
        "Meetings/2026-09-20 Marta Ruiz.md": meeting(
            "Marta Ruiz", "2026-09-20", 'thanked: true\nreferrals: ["[[Luis Gil]]", "[[Pepe Díaz]]"]\n'),
        # met thanks to Marta, thanked, no names given: thank-referrer (to Marta) and ask-referrals
        "Contacts/Luis Gil.md": contact("email: luis@example.com\n"),
        "Meetings/2026-11-24 Luis Gil.md": meeting("Luis Gil", "2026-11-24", "thanked: true\n"),
        # written to on the 10th, no answer yet: a follow-up that tries again
        "Contacts/Pepe Díaz.md": contact("email: pepe@example.com\nlast_contact: 2026-11-10\n"),
        # never met, nobody's referral: first-meeting
        "Contacts/Ana Peña.md": contact("closeness: 1\nemail: ana@example.com\n"),
    }


ADDRESS = {"José Núñez": "jose@example.com", "Sofía Ramos": "sofia@example.com", "Marta Ruiz": "marta@example.com",
           "Luis Gil": "luis@example.com", "Pepe Díaz": "pepe@example.com", "Ana Peña": "ana@example.com"}
CASES = [  # (golden name, person, kind)
    ("first-meeting", "Ana Peña", "first-meeting"),
    ("contact-referral", "Sofía Ramos", "contact-referral"),
    ("follow-up", "Marta Ruiz", "follow-up"),
    ("follow-up-waiting", "Pepe Díaz", "follow-up"),
    ("thank", "José Núñez", "thank"),
    ("thank-referrer", "Marta Ruiz", "thank-referrer"),
    ("ask-referrals", "Luis Gil", "ask-referrals"),
]


def check_golden(name: str, text: str) -> None:
    """Compare with tests/golden/drafts/NAME; MDNET_UPDATE_GOLDEN=1 rewrites it instead."""
    path = GOLDEN / name
    if os.environ.get("MDNET_UPDATE_GOLDEN") == "1":
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8", newline="")
        return
    assert path.exists(), f"no golden file {path}; run the tests with MDNET_UPDATE_GOLDEN=1 to create it"
    assert text == path.read_text(encoding="utf-8"), f"{name} changed; if on purpose, rerun with MDNET_UPDATE_GOLDEN=1"


@pytest.fixture
def drafts(make_vault, mdnet, monkeypatch):
    """draft(person, kind, locale, *options) -> (exit code, stdout, stderr) in the campaign above."""
    monkeypatch.setenv("MDNET_NO_CACHE", "1")
    vaults = {}

    def run(person: str, kind: str | None = None, locale: str = "en", *options: str, **campaign):
        key = (locale, tuple(sorted(campaign.items())))
        if key not in vaults:
            vaults[key] = make_vault(campaign_files(locale, **campaign))
        args = ["draft", person, "--vault", str(vaults[key]), "--today", TODAY, *options]
        return mdnet(*args, *(["--kind", kind] if kind else []))

    return run


def split(out: str) -> tuple[str, str]:
    """(subject, body) of what `mdnet draft` prints."""
    first, blank, body = out.split("\n", 2)
    assert blank == "" and re.fullmatch(r"(Subject|Asunto): .+", first), out
    return first.split(": ", 1)[1], body


# --- each kind, in both languages -------------------------------------------------------------

@pytest.mark.parametrize("locale", ["en", "es"])
@pytest.mark.parametrize("name, person, kind", CASES)
def test_each_kind_of_draft_is_its_golden_file(drafts, name, person, kind, locale):
    code, out, err = drafts(person, kind, locale)
    assert code == 0, err
    check_golden(f"{name}.{locale}.txt", out)


@pytest.mark.parametrize("locale", ["en", "es"])
def test_without_kind_the_most_urgent_writing_action_is_drafted(drafts, locale):
    # José has a thank-you (overdue) and an ask-referrals (due today): the thank-you comes first.
    assert drafts("José Núñez", None, locale)[1] == drafts("José Núñez", "thank", locale)[1]


# --- the method's rules -----------------------------------------------------------------------

@pytest.mark.parametrize("locale", ["en", "es"])
def test_a_first_meeting_draft_asks_for_advice_and_20_minutes_and_never_for_a_job(drafts, locale):
    subject, body = split(drafts("Ana Peña", "first-meeting", locale)[1])
    words = set(re.findall(r"\w+", (subject + " " + body).casefold()))
    assert not words & {"empleo", "trabajo", "vacante", "job", "jobs", "position", "hiring", "contratar"}
    assert "20" in body and PITCH[locale] in body
    assert ("advice" in words and "coffee" in words) if locale == "en" else ("consejo" in words and "café" in words)
    assert subject.endswith("?")


@pytest.mark.parametrize("locale", ["en", "es"])
def test_a_contact_referral_names_who_gave_the_name_and_uses_the_pitch(drafts, locale):
    subject, body = split(drafts("Sofía Ramos", "contact-referral", locale)[1])
    assert "José Núñez" in subject and "José Núñez" in body
    assert body.startswith("Hi Sofía," if locale == "en" else "Hola, Sofía:")
    assert PITCH[locale] in body and "20" in body


@pytest.mark.parametrize("locale", ["en", "es"])
def test_a_thank_you_names_the_names_given_and_says_what_comes_next(drafts, locale):
    _, body = split(drafts("José Núñez", "thank", locale)[1])
    assert "Sofía Ramos" in body
    assert ("this week" in body and "mentioning you" in body) if locale == "en" else (
        "esta semana de tu parte" in body)


@pytest.mark.parametrize("locale", ["en", "es"])
def test_a_follow_up_after_a_meeting_tells_how_the_search_goes_and_asks_nothing(drafts, locale):
    _, body = split(drafts("Marta Ruiz", "follow-up", locale)[1])
    assert "?" not in body and "¿" not in body
    assert GOAL[locale].rstrip(".")[1:] in body  # the goal, its initial written to follow a colon
    assert "3" in body  # the meetings held so far


@pytest.mark.parametrize("locale", ["en", "es"])
def test_a_follow_up_without_an_answer_tries_again_naming_the_referrer(drafts, locale):
    _, body = split(drafts("Pepe Díaz", "follow-up", locale)[1])
    assert "Marta Ruiz" in body and "20" in body


@pytest.mark.parametrize("locale", ["en", "es"])
def test_the_referrer_is_told_who_was_met(drafts, locale):
    subject, body = split(drafts("Marta Ruiz", "thank-referrer", locale)[1])
    assert "Luis Gil" in subject and "Luis Gil" in body


def test_a_cancelled_meeting_makes_the_draft_ask_for_another_date(make_vault, mdnet):
    files = campaign_files("es")
    files["Meetings/2026-11-20 Ana Peña.md"] = meeting("Ana Peña", "2026-11-20").replace("done", "cancelled")
    code, out, _ = mdnet("draft", "Ana Peña", "--vault", str(make_vault(files)), "--today", TODAY)
    assert code == 0 and "Tuvimos que cancelar nuestra cita" in out


def test_spanish_drafts_use_tu():
    source = (Path(__file__).parent.parent / "mdnet/locale/es/LC_MESSAGES/mdnet.po").read_text(encoding="utf-8")
    drafts_part = source[source.index("# Drafts of the messages"):]
    assert not re.search(r"\b(usted|le agradecería|su opinión)\b", drafts_part, re.IGNORECASE)
    assert "tu opinión" in drafts_part


def test_each_kind_that_asks_to_write_has_its_draft_template():
    assert sorted(p.name for p in render.builtin_dir().glob("draft-*.md.j2")) == sorted(
        f"draft-{kind}.md.j2" for kind in draft.WRITING)


# --- what is not a draft ----------------------------------------------------------------------

def test_nothing_to_write_exits_2_saying_what_is_due_instead(make_vault, mdnet):
    files = campaign_files()
    files["Contacts/Eva Sanz.md"] = contact()
    files["Meetings/2026-12-01 Eva Sanz.md"] = meeting("Eva Sanz", "2026-12-01").replace("done", "planned")
    root = str(make_vault(files))
    code, out, err = mdnet("draft", "Eva Sanz", "--vault", root, "--today", TODAY)
    assert (code, out) == (2, "") and "meeting on 2026-12-01" in err
    code, _, err = mdnet("draft", "Luis Gil", "--kind", "thank", "--vault", root, "--today", TODAY)
    assert code == 2 and "no thank is due for Luis Gil" in err and "ask-referrals on 2026-11-26" in err


def test_a_meeting_note_means_its_first_person(drafts):
    assert drafts("2026-11-25 José", "thank")[1] == drafts("José Núñez", "thank")[1]


def test_an_unknown_or_ambiguous_name_is_a_usage_error(drafts):
    assert drafts("Nadie")[0] == 2
    code, _, err = drafts("2026")  # the start of three meetings' names
    assert code == 2 and "could be any of 3 notes" in err


def test_any_contact_not_met_can_be_drafted_a_first_meeting(make_vault, mdnet):
    # Only meetings_per_week first meetings are suggested; the others can still be asked.
    files = campaign_files(extra="meetings_per_week: 0\n")
    code, out, _ = mdnet("draft", "Ana Peña", "--vault", str(make_vault(files)), "--today", TODAY)
    assert code == 0 and "Could I ask for your advice?" in out


# --- mailto: URLs -----------------------------------------------------------------------------

def decoded(url: str) -> tuple[str, str, str]:
    """(address, subject, body) of a mailto: URL, as a mail program reads it."""
    parts = urlsplit(url)
    assert parts.scheme == "mailto"
    query = parse_qs(parts.query, strict_parsing=True)
    return unquote(parts.path), query["subject"][0], query["body"][0]


@pytest.mark.parametrize("locale", ["en", "es"])
@pytest.mark.parametrize("name, person, kind", CASES)
def test_mailto_round_trips_through_urllib(drafts, name, person, kind, locale):
    subject, body = split(drafts(person, kind, locale)[1])
    code, url, err = drafts(person, kind, locale, "--mailto")
    url = url.rstrip("\n")
    assert code == 0 and err == "" and len(url) <= draft.MAILTO_LIMIT
    assert re.fullmatch(r"mailto:[A-Za-z0-9%@._~-]+\?subject=[A-Za-z0-9%._~-]+&body=[A-Za-z0-9%._~-]+", url)
    assert "%0D%0A" in url and "%0A" not in url.replace("%0D%0A", "")
    to, got_subject, got_body = decoded(url)
    assert (to, got_subject, got_body.replace("\r\n", "\n")) == (ADDRESS[person], subject, body.rstrip("\n"))


def test_a_long_message_is_cut_at_a_sentence_to_2000_characters(drafts):
    sentences = [f"Sentence number {i} of my situation, which takes a while to tell in full." for i in range(60)]
    pitch = " ".join(sentences)
    _, whole, _ = drafts("Ana Peña", "first-meeting", "en", pitch=pitch)
    code, url, err = drafts("Ana Peña", "first-meeting", "en", "--mailto", pitch=pitch)
    url = url.rstrip("\n")
    assert code == 0 and len(url) <= 2000 and "cut at a sentence" in err and "left out" in err
    _, _, body = decoded(url)
    assert body.endswith(".") and len(body) > 1000
    assert split(whole)[1].replace("\n", "\r\n").startswith(body)
    # what was left out is whole sentences: the next one would not have fitted
    left = split(whole)[1].replace("\n", "\r\n")[len(body):].lstrip()
    assert left.split(". ", 1)[0] + "." in sentences or left.startswith("Could we")


def test_without_an_email_mailto_exits_2_saying_so(make_vault, mdnet):
    files = campaign_files()
    files["Contacts/Ana Peña.md"] = contact("closeness: 1\n")
    code, out, err = mdnet("draft", "Ana Peña", "--mailto", "--vault", str(make_vault(files)), "--today", TODAY)
    assert (code, out) == (2, "") and "no e-mail address" in err


def test_mailto_gives_up_only_when_address_and_subject_cannot_fit():
    text = draft.Draft("Hello", "One. Two.")
    assert draft.mailto("a@example.com", text, limit=48) == ("mailto:a@example.com?subject=Hello&body=One.", 1)
    assert draft.mailto("a@example.com", text, limit=20) is None


# --- templates --------------------------------------------------------------------------------

def test_a_vault_template_overrides_a_draft_in_the_command_and_in_the_agenda(make_vault, mdnet, monkeypatch):
    monkeypatch.setenv("MDNET_NO_CACHE", "1")
    files = campaign_files()
    files[".mdnet/templates/draft-thank.md.j2"] = (
        "Thanks, {{ contact|upper }}!\n\nGreat to see you. Names: {{ names(about) }}.\n")
    root = make_vault(files)
    code, out, _ = mdnet("draft", "José Núñez", "--kind", "thank", "--vault", str(root), "--today", TODAY)
    assert out == "Subject: Thanks, JOSÉ NÚÑEZ!\n\nGreat to see you. Names: Sofía Ramos.\n"
    _, markdown, _ = mdnet("agenda", "--vault", str(root), "--today", TODAY)
    links = [decoded(u) for u in re.findall(r"\]\((mailto:[^)]*)\)", markdown)]
    assert ("jose@example.com", "Thanks, JOSÉ NÚÑEZ!", "Great to see you. Names: Sofía Ramos.") in links


def test_a_broken_draft_template_is_a_template_error(make_vault, mdnet):
    files = campaign_files()
    files[".mdnet/templates/draft-thank.md.j2"] = "{% if %}\n"
    code, _, err = mdnet("draft", "José Núñez", "--vault", str(make_vault(files)), "--today", TODAY)
    assert code == 5 and "draft-thank.md.j2:1" in err and "Traceback" not in err


def test_a_draft_template_runs_sandboxed(make_vault, mdnet):
    files = campaign_files()
    files[".mdnet/templates/draft-thank.md.j2"] = "{{ stats.__class__.__mro__ }}\n"
    code, _, err = mdnet("draft", "José Núñez", "--vault", str(make_vault(files)), "--today", TODAY)
    assert code == 5 and "template refused" in err


# --- the agenda's links -----------------------------------------------------------------------

def agenda_links(markdown: str) -> list[tuple[str, str]]:
    """(text, URL) of every link of the agenda that is not a wikilink, as CommonMark reads them."""
    found = []
    for block in MarkdownIt("commonmark").parse(markdown):
        for token in block.children or ():
            if token.type == "link_open":
                found.append(token.attrGet("href"))
    return found


@pytest.mark.parametrize("locale", ["en", "es"])
def test_agenda_links_each_writing_action_to_its_draft_and_each_phone(make_vault, mdnet, monkeypatch, locale):
    monkeypatch.setenv("MDNET_NO_CACHE", "1")
    root = make_vault(campaign_files(locale))
    _, markdown, _ = mdnet("agenda", "--vault", str(root), "--today", TODAY)
    result = pipeline.run(root, date(2026, 11, 27))
    env = render.environment(root, locale)
    expected = {draft.mailto(draft.address(a.email), draft.compose(a, result.campaign, result.plan.stats, env))[0]
                for a in result.plan.in_window() if a.kind in draft.WRITING and a.email}
    hrefs = agenda_links(markdown)
    assert {h for h in hrefs if h.startswith("mailto:")} == expected and len(expected) >= 6
    assert [h for h in hrefs if h.startswith("tel:")] == ["tel:+34600111222"] * 2  # José: thank, ask-referrals
    label = "✉ write" if locale == "en" else "✉ escribir"
    assert markdown.count(f"[{label}](mailto:") == len(expected)


def test_the_fast_links_are_the_drafts_themselves(make_vault):
    # The agenda renders a built-in template once per kind of draft: the same URL as each draft's own.
    hostile = "Ana ]] ) [x](y) *b* <i> \u202e %E2 \ue0000\ue001"
    files = campaign_files("es", pitch='"Primera frase (con paréntesis).\\nSegunda ]] línea [[x]]."')
    files[f"Contacts/{hostile}.md"] = contact('email: x@example.com\nreferred_by: "[[José Núñez]]"\n')
    root = make_vault(files)
    result = pipeline.run(root, date(2026, 11, 27))
    env = render.environment(root, "es")
    drafter = draft.Drafter(result.campaign, result.plan.stats, env)
    actions = [a for a in result.plan.actions if a.kind in draft.WRITING and a.email]
    assert {a.kind for a in actions} == set(draft.WRITING)
    for a in actions:
        to = draft.address(a.email)
        assert drafter.mailto(a, to) == draft.mailto(to, draft.compose(a, result.campaign, result.plan.stats, env))[0]


def test_hostile_names_and_pitch_cannot_break_the_links_or_the_page(make_vault, mdnet, monkeypatch):
    monkeypatch.setenv("MDNET_NO_CACHE", "1")
    name = "Eva ]] ) [x](javascript:alert(1)) <script>alert(1) *b*"
    files = campaign_files("en", pitch='"I am (still) here.\\n]] [[x]] ) <script>alert(2)</script>"')
    address = "eva)?cc=all&body=x#y@example.com"  # one address, by its shape, that holds a URL's syntax
    files[f"Contacts/{name}.md"] = contact(f'closeness: 1\nemail: "{address}"\nphone: "+34 600 222 333"\n')
    files["Contacts/Ana Peña.md"] = contact("closeness: 5\nemail: ana@example.com\n")
    root = make_vault(files)
    _, markdown, _ = mdnet("agenda", "--vault", str(root), "--today", TODAY)
    line = next(li for li in markdown.splitlines() if li.startswith("- **First meeting**") and "Eva" in li)
    hrefs = agenda_links(line)
    assert [h[:7] for h in hrefs] == ["mailto:", "tel:+34"]
    to, subject, body = decoded(hrefs[0])
    assert to == address and set(parse_qs(urlsplit(hrefs[0]).query)) == {"subject", "body"}
    assert f"Hi {name.split()[0]}," in body and "I am (still) here. ]] [[x]] ) <script>alert(2)</script>" in body
    page = agenda.render_html(pipeline.run(root, date(2026, 11, 27)))
    assert "<script>" not in page and 'href="javascript' not in page
    assert f'<a href="{html.escape(hrefs[0])}">' in page
    assert '<a href="tel:+34600222333">☎ +34600222333</a>' in page


def test_an_address_that_is_no_address_gets_no_link(make_vault, mdnet, monkeypatch):
    monkeypatch.setenv("MDNET_NO_CACHE", "1")
    files = campaign_files()
    files["Contacts/Ana Peña.md"] = contact('closeness: 1\nemail: "ana at example dot com"\n')
    _, markdown, _ = mdnet("agenda", "--vault", str(make_vault(files)), "--today", TODAY)
    line = next(li for li in markdown.splitlines() if "Ana Peña" in li and "First meeting" in li)
    assert "mailto:" not in line


def test_agenda_links_follow_an_edit_through_the_store(make_vault, mdnet, monkeypatch):
    root = make_vault(campaign_files())
    clock = Clock()
    for path in root.rglob("*.md"):
        clock.stamp(path)
    mdnet("agenda", "--vault", str(root), "--today", TODAY)  # a full plan, kept in the store
    note = root / "Contacts/Sofía Ramos.md"
    note.write_text(contact("email: sofia.ramos@example.org\nphone: +44 20 7946 0000\n"), encoding="utf-8")
    clock.stamp(note)
    with updates() as found:
        _, updated, _ = mdnet("agenda", "--vault", str(root), "--today", TODAY)
    assert [changed for changed, _, _ in found] == [["Contacts/Sofía Ramos.md"]]  # the store's update, not a full plan
    monkeypatch.setenv("MDNET_NO_CACHE", "1")
    _, full, _ = mdnet("agenda", "--vault", str(root), "--today", TODAY)
    assert updated == full
    assert "mailto:sofia.ramos@example.org?" in updated and "(tel:+442079460000)" in updated


# --- phone numbers ----------------------------------------------------------------------------

@pytest.mark.parametrize("number, region, e164", [
    ("600 111 222", "ES", "+34600111222"),
    ("+34 600 111 222", None, "+34600111222"),
    ("(555) 123-4567", "US", "+15551234567"),
    ("600 111 222", None, None),  # no + and no region: cannot be read
    ("call me", "ES", None),
    ("12", "ES", None),
])
def test_numbers_are_read_in_e164(number, region, e164):
    assert people.e164(number, region) == e164


def test_the_region_is_the_campaign_s_else_its_zone_s_country():
    assert people.region_of(None, "Europe/Madrid") == "ES"
    assert people.region_of(None, "America/Mexico_City") == "MX"
    assert people.region_of("es", "America/Mexico_City") == "ES"
    assert people.region_of(None, "UTC") is None


def test_campaign_region_is_read_and_an_unknown_one_is_a_warning(make_vault, mdnet, monkeypatch):
    monkeypatch.setenv("MDNET_NO_CACHE", "1")
    files = campaign_files(extra="region: mx\n")
    files["Contacts/José Núñez.md"] = contact("closeness: 1\nemail: jose@example.com\nphone: 55 1234 5678\n")
    root = make_vault(files)
    _, markdown, _ = mdnet("agenda", "--vault", str(root), "--today", TODAY)
    assert "(tel:+525512345678)" in markdown
    (root / "Campaign.md").write_text(campaign_note("en", extra="region: Spain\n"), encoding="utf-8")
    code, out, _ = mdnet("check", "--vault", str(root))
    assert "Campaign.md:" in out and "'region' is 'Spain'" in out and "warning" in out


@pytest.mark.parametrize("lines", [10, 5000])
def test_a_terminal_shows_the_links_by_their_text(make_vault, mdnet, monkeypatch, lines):
    import io

    monkeypatch.setenv("MDNET_NO_CACHE", "1")
    monkeypatch.setattr(agenda, "RICH_LINES", lines)  # rich's layout, and the line-by-line one
    _, markdown, _ = mdnet("agenda", "--vault", str(make_vault(campaign_files())), "--today", TODAY)
    shown = io.StringIO()
    agenda.print_terminal(markdown, shown)
    assert "mailto:" in markdown and "mailto:" not in shown.getvalue() and "tel:" not in shown.getvalue()
    assert "✉ write" in shown.getvalue() and "☎ +34600111222" in shown.getvalue()


def test_the_command_offers_every_kind_of_draft():
    # cli.py names them itself, so that `mdnet --help` need not import the drafts.
    from mdnet.cli import draft_command

    kind = next(p for p in draft_command.params if p.name == "kind")
    assert tuple(kind.type.choices) == draft.WRITING


def test_watch_rewrites_the_links_when_a_contact_s_email_or_phone_changes(make_vault, capsys):
    from mdnet import watch

    root = make_vault(campaign_files("es"))
    rebuilder = watch.Rebuilder(root, date(2026, 11, 27), None)
    rebuilder.rebuild(None)
    note = root / "Agenda.md"
    assert "mailto:sofia@example.com?" in note.read_text(encoding="utf-8")
    (root / "Contacts/Sofía Ramos.md").write_text(contact("email: sofia@example.org\nphone: 611 222 333\n"),
                                                  encoding="utf-8")
    rebuilder.rebuild({"Contacts/Sofía Ramos.md"})
    text = note.read_text(encoding="utf-8")
    assert "mailto:sofia@example.com?" not in text and "mailto:sofia@example.org?" in text
    assert "(tel:+34611222333)" in text


def test_a_follow_up_after_a_cancelled_meeting_asks_for_another_date(make_vault, mdnet):
    files = campaign_files()
    files["Meetings/2026-11-20 Marta Ruiz.md"] = meeting("Marta Ruiz", "2026-11-20").replace("done", "cancelled")
    code, out, _ = mdnet("draft", "Marta Ruiz", "--kind", "follow-up", "--vault", str(make_vault(files)),
                         "--today", TODAY)
    assert code == 0 and "We had to cancel our meeting" in out and "20 minutes" in out
