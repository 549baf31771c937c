"""`mdnet agenda`: the Markdown note in both languages, JSON, the web page, the terminal, templates."""

from __future__ import annotations

import json
import io
import os
import re
import shutil
import subprocess
import sys
from datetime import date, timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner

from mdnet import agenda, pipeline
from mdnet.cli import cli, main
from mdnet.errors import OutputError
from mdnet.files import atomic_write, state_dir
from mdnet.notes import read_note
from mdnet.vault import load

REPO = Path(__file__).parent.parent
EXAMPLE = REPO / "example-vault"
GOLDEN = Path(__file__).parent / "golden"
DEMO_DAY = "2026-11-27"
TODAY = date(2026, 11, 27)


def campaign(locale="es", status="activa", goal="Pasar de la contabilidad a producto"):
    return (f"---\ntype: campaign\ngoal: {goal}\npitch: Soy contable y quiero pasar a producto.\n"
            f"status: {status}\ntimezone: Europe/Madrid\nlocale: {locale}\n---\n")


def small_vault(make_vault, locale="es", **files):
    """José (met three days ago, not thanked, named Ana) and Ana (a meeting planned in two days)."""
    done, planned = TODAY - timedelta(days=3), TODAY + timedelta(days=2)
    return make_vault({
        "Campaña.md": campaign(locale),
        "Contactos/José Núñez.md": "---\ntype: contacto\ncircle: personal\ncloseness: 1\nrelation: antiguo jefe\n---\n",
        "Contactos/Ana Peña.md": "---\ntype: contacto\ncircle: profesional\n---\n",
        f"Reuniones/{done} José Núñez.md":
            f"---\ntype: reunión\nwith: \"[[José Núñez]]\"\ndate: {done}\nstatus: hecha\n"
            "referrals:\n  - \"[[Ana Peña]]\"\n---\n",
        f"Reuniones/{planned} Ana Peña.md":
            f"---\ntype: reunión\nwith: \"[[Ana Peña]]\"\ndate: {planned}T10:30\nask: empleo\n---\n",
        **files,
    })


def run(*args, env=None):
    """The command as a pipe would see it (CliRunner's stdout is not a terminal)."""
    return CliRunner().invoke(cli, list(args), env=env, catch_exceptions=False)


def run_main(monkeypatch, capsys, *args):
    """Through `main`, the CLI's error boundary: (exit code, stdout, stderr)."""
    monkeypatch.setattr(sys, "argv", ["mdnet", *args])
    with pytest.raises(SystemExit) as exit_:
        main()
    out, err = capsys.readouterr()
    return exit_.value.code, out, err


def check_golden(name: str, text: str) -> None:
    """Compare with tests/golden/NAME; MDNET_UPDATE_GOLDEN=1 rewrites it instead."""
    path = GOLDEN / name
    if os.environ.get("MDNET_UPDATE_GOLDEN") == "1":
        path.parent.mkdir(exist_ok=True)
        path.write_text(text, encoding="utf-8", newline="")
        return
    assert path.exists(), f"no golden file {path}; run the tests with MDNET_UPDATE_GOLDEN=1 to create it"
    assert text == path.read_text(encoding="utf-8"), f"{name} changed; if on purpose, rerun with MDNET_UPDATE_GOLDEN=1"


# --- the example campaign, in both languages -------------------------------------------------

def test_example_agenda_in_spanish_is_the_golden_file(tmp_path):
    root = shutil.copytree(EXAMPLE, tmp_path / "example-vault")  # the agenda keeps its cache in the vault
    out = run("agenda", "--vault", str(root), "--today", DEMO_DAY).output
    check_golden("agenda-es.md", out)


def test_example_agenda_in_english_is_the_golden_file(tmp_path):
    root = shutil.copytree(EXAMPLE, tmp_path / "example-vault")
    note = root / "Campaña.md"
    note.write_text(note.read_text(encoding="utf-8").replace("locale: es", "locale: en"), encoding="utf-8")
    out = run("agenda", "--vault", str(root), "--today", DEMO_DAY).output
    assert "# Agenda — Friday, November 27, 2026" in out
    check_golden("agenda-en.md", out)


def test_agenda_coaches_the_method_in_each_section(make_vault):
    out = run("agenda", "--vault", str(small_vault(make_vault, "en")), "--today", DEMO_DAY).output
    assert out.startswith("---\ngenerated: true\n---\n")
    assert "**Goal:** Pasar de la contabilidad a producto" in out
    assert "- Meetings this week: 2 of 2\n" in out  # the one done on Tuesday and the one on Sunday
    assert "- Stages: listed 0 · contacted 0 · scheduled 1 · met 1" in out
    assert "- Contacts: 2 — personal 1 · professional 1 · opportunity 0" in out
    sections = re.findall(r"^#+ .*$", out, flags=re.M)
    assert sections == ["# Agenda — Friday, November 27, 2026", "## Progress", "## Overdue", "## Today",
                        "## The next 7 days", "### Sunday, November 29",
                        "## Before each meeting",
                        "### [[Reuniones/2026-11-29 Ana Peña|Ana Peña]] — Sunday, November 29, 10:30"]
    overdue = out.split("## Overdue")[1].split("## Today")[0]
    assert "- **Thank** [[Contactos/José Núñez|José Núñez]] — " in overdue
    assert "· [[Reuniones/2026-11-24 José Núñez|2026-11-24 José Núñez]] (due November 25)" in overdue
    brief = out.split("## Before each meeting")[1]
    assert "**Careful:** you plan to ask for a job." in brief
    assert "José Núñez gave you this name: mention them" in brief
    assert "at least 2 more people" in brief and "trends" in brief and "thank them" in brief


def test_spanish_agenda_has_spanish_days_and_numbers(make_vault):
    out = run("agenda", "--vault", str(small_vault(make_vault)), "--today", DEMO_DAY).output
    assert "# Agenda — viernes, 27 de noviembre de 2026" in out
    assert "### domingo, 29 de noviembre" in out
    assert "- Nombres por cita: 1 (objetivo 2)" in out
    assert "**Cuidado:** piensas pedir empleo." in out
    assert "Vienes de parte de José Núñez" in out


def test_a_new_campaign_is_told_where_to_start(make_vault):
    root = make_vault({"Campaign.md": "---\ntype: campaign\ntimezone: Europe/Madrid\n---\n"})
    out = run("agenda", "--vault", str(root), "--today", DEMO_DAY).output
    assert "**Goal:** not set yet: write your professional objective" in out
    assert "— first, list all your contacts" in out
    assert "Nothing due today." in out and "Nothing else is due in the next 7 days." in out
    assert "warning" in out and "`mdnet check`" in out  # the missing goal


def test_paused_campaign_shows_a_notice(make_vault):
    root = small_vault(make_vault, **{"Campaña.md": campaign("en", status="pausada")})
    out = run("agenda", "--vault", str(root), "--today", DEMO_DAY).output
    assert "> **The campaign is paused.**" in out


def test_days_zero_is_today_only_and_negative_is_a_usage_error(make_vault):
    root = small_vault(make_vault, "en")
    out = run("agenda", "--vault", str(root), "--today", DEMO_DAY, "--days", "0").output
    assert "## The next" not in out and "## Before each meeting" not in out
    assert run("agenda", "--vault", str(root), "--days", "-1").exit_code == 2
    assert run("agenda", "--vault", str(root), "--today", "27/11/2026").exit_code == 2
    assert run("agenda", "--vault", str(root), "--write", "-o", "x.md").exit_code == 2


# --- JSON ----------------------------------------------------------------------------------------

def test_json_is_spec_section_4_object(make_vault):
    root = small_vault(make_vault)
    out = run("agenda", "--vault", str(root), "--today", DEMO_DAY, "--days", "1", "--format", "json").output
    data = json.loads(out)
    assert list(data) == ["actions", "campaign", "problems", "stats", "today", "window_days"]
    assert data["campaign"] == {"goal": "Pasar de la contabilidad a producto", "locale": "es",
                                "status": "active", "timezone": "Europe/Madrid"}
    assert (data["today"], data["window_days"]) == (DEMO_DAY, 1)
    assert [(p["path"], p["line"], p["severity"]) for p in data["problems"]] == [
        ("Reuniones/2026-11-29 Ana Peña.md", 5, "warning")]  # ask: empleo
    assert list(data["stats"]) == sorted(data["stats"]) and data["stats"]["contacts"] == 2
    for action in data["actions"]:
        assert list(action) == ["contact", "due", "kind", "note", "overdue", "reason", "time", "with"]
    # The window's actions only: the meeting in two days is outside --days 1.
    assert all(a["overdue"] or a["due"] <= "2026-11-28" for a in data["actions"])
    assert "meeting" not in {a["kind"] for a in data["actions"]}
    assert "José Núñez" in out  # UTF-8, not \u escapes


# --- templates -----------------------------------------------------------------------------------

def test_user_overrides_one_block_of_the_builtin(make_vault):
    root = small_vault(make_vault, "en", **{".mdnet/templates/agenda.md.j2":
        '{% extends "builtin:agenda.md.j2" %}\n{% block progress %}\n## Mine: {{ stats.contacts }} people\n{% endblock %}\n'})
    out = run("agenda", "--vault", str(root), "--today", DEMO_DAY).output
    assert "## Mine: 2 people" in out
    assert "## Progress" not in out
    assert "## Today" in out and "## Before each meeting" in out


def test_user_brief_is_used_inside_the_builtin_agenda(make_vault):
    root = small_vault(make_vault, "en", **{".mdnet/templates/_brief.md.j2": "Ask {{ brief.people|join }}.\n"})
    out = run("agenda", "--vault", str(root), "--today", DEMO_DAY).output
    assert "Ask Ana Peña." in out and "**Your pitch:**" not in out


def test_templates_option_wins_over_the_vault_folder(make_vault, tmp_path):
    root = small_vault(make_vault, "en", **{".mdnet/templates/agenda.md.j2": "from the vault\n"})
    (tmp_path / "mine").mkdir()
    (tmp_path / "mine" / "agenda.md.j2").write_text("from the option\n")
    assert run("agenda", "--vault", str(root)).output == "from the vault\n"
    assert run("agenda", "--vault", str(root), "--templates", str(tmp_path / "mine")).output == "from the option\n"


@pytest.mark.parametrize("source, line, found", [
    ("# {{ today }}\n{% if %}\n", 2, "Expected an expression"),
    ("# {{ today }}\n\n{{ nonesuch.name }}\n", 3, "'nonesuch' is undefined"),
])
def test_broken_template_is_a_fatal_error_naming_template_and_line(make_vault, monkeypatch, capsys, source, line, found):
    root = small_vault(make_vault, **{".mdnet/templates/agenda.md.j2": source})
    code, out, err = run_main(monkeypatch, capsys, "agenda", "--vault", str(root), "--today", DEMO_DAY)
    assert code >= 3
    assert f"agenda.md.j2:{line}" in err and found in err
    assert "Traceback" not in err and out == ""


# --- where the agenda goes -------------------------------------------------------------------

def test_write_makes_a_generated_note_that_check_does_not_read(make_vault, monkeypatch, capsys):
    root = small_vault(make_vault)
    code, _, err = run_main(monkeypatch, capsys, "agenda", "--vault", str(root), "--today", DEMO_DAY, "--write")
    assert code == 0 and "Agenda.md" in err
    text = (root / "Agenda.md").read_text(encoding="utf-8")
    assert text.startswith("---\ngenerated: true\n---\n") and "## Hoy" in text
    # Read back as nothing, even where a contact would be, and without a problem.
    assert read_note("Contactos/Agenda.md", text.encode()).kind is None
    vault = load(root)
    assert "Agenda.md" not in {n.path for n in vault.contacts + vault.meetings}
    assert not any(p.path == "Agenda.md" for p in vault.problems)
    # Written again over itself, and no temporary file left behind.
    assert run_main(monkeypatch, capsys, "agenda", "--vault", str(root), "--write")[0] == 0
    assert [p.name for p in root.iterdir() if "Agenda" in p.name] == ["Agenda.md"]


@pytest.mark.parametrize("mine", [
    "My own agenda.\n",
    "---\ntags: [mine]\n---\nMy own agenda.\n",
    "---\ntags: [mine]\n---\ngenerated: true\n",  # in the text, not the front matter
    "---\nmeta:\n  generated: true\n---\nMy own agenda.\n",  # not a property of the note
    "---\ngenerated: no\n---\nMy own agenda.\n",
])
def test_write_never_overwrites_a_note_of_the_user(make_vault, monkeypatch, capsys, mine):
    root = small_vault(make_vault, **{"Agenda.md": mine})
    code, _, err = run_main(monkeypatch, capsys, "agenda", "--vault", str(root), "--write")
    assert code >= 3 and "will not overwrite" in err and "-o FILE" in err
    assert (root / "Agenda.md").read_text() == mine


@pytest.mark.parametrize("said", ["sí", "Sí", "SI", "yes", "True", "'si'"])
def test_write_replaces_a_note_the_reader_skips_as_generated(make_vault, monkeypatch, capsys, said):
    # A note is mdnet's own by one definition: what the reader skips, --write replaces.
    earlier = f"---\ngenerated: {said}\ntype: contact\n---\nAn earlier agenda.\n"
    assert read_note("Agenda.md", earlier.encode()).kind is None
    root = small_vault(make_vault, **{"Agenda.md": earlier})
    code, _, err = run_main(monkeypatch, capsys, "agenda", "--vault", str(root), "--today", DEMO_DAY, "--write")
    assert code == 0, err
    assert (root / "Agenda.md").read_text(encoding="utf-8").startswith("---\ngenerated: true\n---\n")


def test_output_file_is_plain_markdown_and_unwritable_output_has_advice(make_vault, tmp_path, monkeypatch, capsys):
    root = small_vault(make_vault)
    target = tmp_path / "agenda.md"
    assert run("agenda", "--vault", str(root), "--today", DEMO_DAY, "-o", str(target)).output == ""
    assert target.read_text(encoding="utf-8") == run("agenda", "--vault", str(root), "--today", DEMO_DAY).output
    code, _, err = run_main(monkeypatch, capsys, "agenda", "--vault", str(root), "-o", str(tmp_path / "no" / "a.md"))
    assert code == OutputError.exit_code and "cannot write" in err and "choose another file" in err


def test_terminal_gets_rendered_text_and_a_pipe_plain_markdown(make_vault):
    pty = pytest.importorskip("pty")  # a real terminal, as the user's shell gives one
    root = small_vault(make_vault, "en")
    env = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "FORCE_COLOR", "TERM")}
    env.update(TERM="xterm-256color", COLUMNS="100", MDNET_TODAY=DEMO_DAY)
    main_fd, child_fd = pty.openpty()
    proc = subprocess.Popen([sys.executable, "-m", "mdnet", "agenda", "--vault", str(root)],
                            stdout=child_fd, stderr=subprocess.PIPE, env=env)
    os.close(child_fd)
    chunks = []
    while True:
        try:
            chunk = os.read(main_fd, 65536)
        except OSError:  # EIO: the child closed the terminal
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(main_fd)
    assert proc.wait(timeout=30) == 0, proc.stderr.read()
    shown = b"".join(chunks).decode("utf-8")
    assert "\x1b[" in shown  # colour and weight
    assert "Progress" in shown and "Ana Peña" in shown
    assert "## " not in shown and "[[" not in shown and "generated: true" not in shown

    piped = run("agenda", "--vault", str(root), env={"MDNET_TODAY": DEMO_DAY}).output
    assert "\x1b[" not in piped and "## Progress" in piped and "[[Contactos/Ana Peña|Ana Peña]]" in piped


# --- the web page --------------------------------------------------------------------------------

@pytest.mark.parametrize("target, file", [
    ("Reuniones/2026-11-20 José Núñez #1?.md", "Reuniones%2F2026-11-20%20Jos%C3%A9%20N%C3%BA%C3%B1ez%20%231%3F"),
    ("Contactos/José Núñez", "Contactos%2FJos%C3%A9%20N%C3%BA%C3%B1ez"),
    ("Contactos/José Núñez#Notas", "Contactos%2FJos%C3%A9%20N%C3%BA%C3%B1ez"),
    ("Contactos/José Núñez.md#Notas", "Contactos%2FJos%C3%A9%20N%C3%BA%C3%B1ez"),
])
def test_obsidian_url_from_a_path_or_a_link_percent_encodes_vault_and_note(target, file):
    # A path is taken whole (`#` may be in a note's name); a link's `#heading` is not part of the note.
    url = agenda.obsidian_url("Mis notas & más", target)
    assert url == f"obsidian://open?vault=Mis%20notas%20%26%20m%C3%A1s&file={file}"


def test_web_page_escapes_user_text_and_links_notes_into_obsidian(make_vault):
    root = small_vault(make_vault, **{
        "Campaña.md": campaign(goal='"<script>alert(1)</script> & más"'),
        "Contactos/Zoë <b>.md": "---\ntype: contacto\ncircle: personal\ncloseness: 1\n---\n",
    })
    page = agenda.render_html(pipeline.run(root, TODAY, 7), feed_url="webcal://host/t/calendar.ics")
    assert '<html lang="es">' in page and 'name="viewport"' in page
    assert "<script>" not in page and "&lt;script&gt;alert(1)&lt;/script&gt; &amp; más" in page
    assert "<b>" not in page and "Zoë &lt;b&gt;" in page
    assert f'href="obsidian://open?vault={root.name}&amp;file=Contactos%2FJos%C3%A9%20N%C3%BA%C3%B1ez">José Núñez</a>' in page
    assert "<h2>Hoy</h2>" in page and "[[" not in page and "generated: true" not in page
    assert 'href="webcal://host/t/calendar.ics"' in page


def test_web_page_escapes_a_script_in_a_note_s_name_and_the_vault_s_name(make_vault):
    root = small_vault(make_vault, **{"Contactos/Eva <script>.md": "---\ntype: contacto\ncircle: personal\ncloseness: 1\n---\n"})
    root = root.rename(root.with_name("<script> & notas"))
    page = agenda.render_html(pipeline.run(root, TODAY, 7), feed_url="webcal://host/t/calendar.ics?a=<1>&b=2")
    assert "<script>" not in page
    assert "<title>Agenda · &lt;script&gt; &amp; notas</title>" in page
    assert "Eva &lt;script&gt;</a>" in page and "file=Contactos%2FEva%20%3Cscript%3E" in page
    assert 'href="webcal://host/t/calendar.ics?a=&lt;1&gt;&amp;b=2"' in page


# --- writing files ---------------------------------------------------------------------------------

def test_atomic_write_replaces_whole_keeps_mode_and_leaves_nothing_behind(tmp_path):
    path = tmp_path / "Agenda.md"
    atomic_write(path, "uno\n".encode())
    path.chmod(0o640)
    atomic_write(path, "dos ñ\n".encode())
    assert path.read_text(encoding="utf-8") == "dos ñ\n"
    assert path.stat().st_mode & 0o777 == 0o640
    atomic_write(tmp_path / "token", b"secret", mode=0o600)
    assert (tmp_path / "token").stat().st_mode & 0o077 == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == ["Agenda.md", "token"]
    with pytest.raises(OutputError):
        atomic_write(tmp_path / "missing" / "x", b"")


def test_state_dir_is_created_with_a_gitignore_of_everything(tmp_path):
    folder = state_dir(tmp_path)
    assert folder == tmp_path / ".mdnet"
    assert (folder / ".gitignore").read_text() == "*\n"
    (folder / ".gitignore").write_text("*\n!templates/\n")
    state_dir(tmp_path)
    assert (folder / ".gitignore").read_text() == "*\n!templates/\n"


def test_a_long_agenda_is_shown_in_a_terminal_line_by_line(monkeypatch):
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.setenv("TERM", "xterm-256color")
    lines = "".join(f"- **Follow up** [[Contactos/Persona {i}|Persona {i}]] — tell them how it goes\n"
                    for i in range(agenda.RICH_LINES + 1))
    out = io.StringIO()
    agenda.print_terminal(f"---\ngenerated: true\n---\n# Agenda\n\n## Overdue\n\n{lines}", file=out)
    shown = out.getvalue()
    assert "\x1b[1mFollow up\x1b[22m" in shown and "• " in shown and "Persona 1000" in shown
    assert "## " not in shown and "[[" not in shown and "**" not in shown and "generated" not in shown
    monkeypatch.setenv("NO_COLOR", "1")
    out = io.StringIO()
    agenda.print_terminal(f"# Agenda\n\n{lines}", file=out)
    assert "\x1b[" not in out.getvalue() and out.getvalue().startswith("AGENDA\n")


def test_a_reader_that_leaves_early_gets_no_traceback(tmp_path):
    """`mdnet agenda | head -1`: the program ends quietly when the pipe closes."""
    from mdnet import synth

    synth.write(tmp_path / "Vault", contacts=400, meetings=2000)  # an agenda more than a pipe holds
    proc = subprocess.Popen([sys.executable, "-m", "mdnet", "agenda", "--vault", str(tmp_path / "Vault"),
                             "--today", DEMO_DAY], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert proc.stdout.read(3) == b"---"
    proc.stdout.close()
    err = proc.stderr.read().decode("utf-8")
    assert proc.wait(timeout=30) == 0
    assert "Traceback" not in err and "Exception" not in err


@pytest.mark.parametrize("locale, shown", [("es", "Contactos: 46.698"), ("en", "Contacts: 46,698")])
def test_large_counts_are_grouped_the_locale_s_way(locale, shown):
    from dataclasses import replace

    from mdnet.model import Plan, Stats
    from mdnet.vault import load

    vault = load(REPO / "example-vault")
    vault = replace(vault, campaign=replace(vault.campaign, locale=locale))
    stats = Stats(contacts=46698, meetings_done=12345)
    text = agenda.render_markdown(pipeline.result_of(REPO / "example-vault", vault, Plan(date(2026, 11, 27), 7, (), stats)))
    assert shown in text


@pytest.mark.parametrize("locale, said", [("en", "**Face to face:** networking works face to face"),
                                          ("es", "**En persona:** el networking funciona cara a cara")])
def test_a_call_or_video_meeting_s_brief_suggests_meeting_face_to_face(make_vault, locale, said):
    root = make_vault({
        "Campaign.md": f"---\ntype: campaign\ntimezone: Europe/Madrid\nlocale: {locale}\n---\n",
        "Contacts/Ana.md": "---\ntype: contact\ncircle: personal\n---\n",
        "Contacts/Luis.md": "---\ntype: contact\ncircle: personal\n---\n",
        "Meetings/a.md": "---\ntype: meeting\nwith: \"[[Ana]]\"\ndate: 2026-11-30T10:00\nformat: videollamada\n---\n",
        "Meetings/l.md": "---\ntype: meeting\nwith: \"[[Luis]]\"\ndate: 2026-11-30T12:00\n---\n",
    })
    text = agenda.render_markdown(pipeline.run(root, date(2026, 11, 27)))
    assert text.count(said) == 1  # Ana's brief, not Luis's (in person)
