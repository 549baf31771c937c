"""`mdnet triage`: the walk through contacts missing a circle or a closeness, one key per answer,
each written at once. Driven through prompt_toolkit's own harness (a pipe for keys, a dummy
output), and in a real terminal: tmux, with send-keys and capture-pane."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from prompt_toolkit.input import create_pipe_input
from prompt_toolkit.output import DummyOutput

from conftest import wait_until
from mdnet import triage
from mdnet.vault import load

ANA = "# Ana\n\nMy sister's friend.\nWorks at a bakery in Seville.\n"  # a plain person note
BEA = ("---\ncircle: professional\ncompany: Acme\nrole: CTO\nsource: linkedin\n---\n\n"
       "Connected on LinkedIn in 2024.\n")
NOTES = {
    "People/Ána Núñez.md": ANA,
    "Contacts/Bea Ruiz.md": BEA,
    "Contacts/Carlos.md": "---\ncircle: personal\ncloseness: 1\n---\n",  # nothing to ask
    "Contacts/Dani.md": "---\ncloseness: 4\nstatus: do-not-contact\n---\n",  # never to be contacted
    "Contacts/Íñigo.md": "---\r\ncloseness: 2   # close\r\n---\r\nOld friend.\r\n",  # only the circle
}


def campaign(locale: str) -> dict[str, str]:
    return {"Campaign.md": f"---\ntype: campaign\ngoal: Move into product\nlocale: {locale}\n---\n"}


def keys(root: Path, typed: str) -> triage.Session:
    """The screen run on `root` with these keys typed, then q, through prompt_toolkit's test harness."""
    with create_pipe_input() as pipe:
        pipe.send_text(typed + "q")
        return triage.run(root, input=pipe, output=DummyOutput())


def text(session: triage.Session) -> str:
    return "".join(piece for _, piece in triage.screen(session))


def test_it_walks_the_contacts_missing_a_circle_or_a_closeness_by_name_accents_ignored(make_vault):
    root = make_vault({**campaign("en"), **NOTES})
    session = triage.Session.open(root)
    assert "mdnet triage: 0 done, … left" in text(session)  # counted beside the screen, once it shows
    session.count()
    assert [c.name for c in session.queue] == ["Ána Núñez", "Bea Ruiz", "Íñigo"]
    shown = text(session)
    assert "mdnet triage: 0 done, 3 left" in shown and "Ána Núñez" in shown
    assert "My sister's friend." in shown and "Works at a bakery in Seville." in shown
    assert "1-5 closeness (1 = closest), then p personal · w professional (work) · o opportunity" in shown


def test_the_screen_opens_on_the_first_contact_without_looking_at_the_others(make_vault, monkeypatch):
    root = make_vault({**campaign("en"), **{f"Contacts/Person {i:03}.md": BEA for i in range(200)}})
    looked = []
    real = triage._written
    monkeypatch.setattr(triage, "_written", lambda path: looked.append(path) or real(path))
    session = triage.Session.open(root)
    assert session.card.name == "Person 000" and len(looked) == 1
    session.press("2")
    session.press("w")
    assert session.card.name == "Person 001" and len(looked) == 2
    session.count()
    assert session.left == 199 and len(looked) == 200


def test_each_answer_is_written_at_once_and_moves_on(make_vault):
    root = make_vault({**campaign("en"), **NOTES})
    session = keys(root, "2p" + "3")  # Ana answered; Bea given a closeness, then the screen closed
    assert (root / "People/Ána Núñez.md").read_text(encoding="utf-8") == (
        "---\ncloseness: 2\ncircle: personal\n---\n" + ANA)
    assert (root / "Contacts/Bea Ruiz.md").read_text(encoding="utf-8") == BEA.replace(
        "source: linkedin\n", "source: linkedin\ncloseness: 3\n")
    assert (session.done, session.skipped, session.left) == (1, 0, 2)
    contacts = {c.name: (c.circle, c.closeness) for c in load(root).contacts}
    assert contacts["Ána Núñez"] == ("personal", 2) and contacts["Bea Ruiz"] == ("professional", 3)
    assert not [p for p in load(root).problems if p.path == "People/Ána Núñez.md"]


def test_the_details_known_are_shown(make_vault):
    root = make_vault({**campaign("en"), **NOTES})
    session = keys(root, "1o")
    shown = text(session)
    assert "Bea Ruiz" in shown and "mdnet triage: 1 done, 2 left" in shown
    for line in ("Company: Acme", "Role: CTO", "Source: linkedin", "Circle: professional", "Closeness: not set",
                 "Connected on LinkedIn in 2024."):
        assert line in shown


def test_skip_undo_and_quit(make_vault):
    root = make_vault({**campaign("en"), **NOTES})
    before = {rel: (root / rel).read_bytes() for rel in NOTES}
    # Ana: 4 then w; Bea skipped; undo twice puts Ana's note back as it was, and the walk on her.
    session = keys(root, "4w" + "s" + "uu")
    assert {rel: (root / rel).read_bytes() for rel in NOTES} == before
    assert (session.done, session.skipped, session.index) == (0, 0, 0)
    assert session.card.name == "Ána Núñez" and "Undone: Ána Núñez" in text(session)
    session = keys(root, "u")
    assert "Nothing to undo." in text(session)


def test_only_the_circle_is_asked_when_the_closeness_is_written(make_vault):
    root = make_vault({**campaign("en"), **NOTES})
    keys(root, "ss" + "p")
    assert (root / "Contacts/Íñigo.md").read_bytes() == (
        b"---\r\ncloseness: 2   # close\r\ncircle: personal\r\n---\r\nOld friend.\r\n")
    session = keys(root, "")
    assert [c.name for c in session.queue] == ["Ána Núñez", "Bea Ruiz"]


def test_the_end_and_an_empty_walk(make_vault):
    root = make_vault({**campaign("en"), **NOTES})
    session = keys(root, "1p2w3o")
    assert (session.done, session.left) == (3, 0) and "All walked: 3 answered, 0 skipped" in text(session)
    assert "Nothing to triage" in text(keys(root, ""))


def test_the_screen_speaks_the_campaign_s_language_with_the_same_keys(make_vault):
    root = make_vault({**campaign("es"), **NOTES})
    session = keys(root, "3w")
    shown = text(session)
    assert "mdnet triage: 1 hechos, 2 por hacer" in shown
    assert "1-5 cercanía (1 = más cercano), luego p personal · w profesional (trabajo) · o oportunidad" in shown
    assert "Empresa: Acme" in shown and "Círculo: profesional" in shown and "Cercanía: sin poner" in shown
    assert load(root).contacts[0].circle == "professional"


def test_an_answer_reads_and_writes_only_its_own_note(make_vault, monkeypatch):
    root = make_vault({**campaign("en"), **NOTES})
    session = triage.Session.open(root)
    read = []
    real = Path.read_bytes
    monkeypatch.setattr(Path, "read_bytes", lambda self: read.append(self.name) or real(self))
    monkeypatch.setattr(triage.fast, "load", lambda root: pytest.fail("the vault was read again"))
    for key in "2p1w":
        session.press(key)
    assert set(read) == {"Ána Núñez.md", "Bea Ruiz.md"}
    assert session.card.name == "Íñigo" and set(read) == {"Ána Núñez.md", "Bea Ruiz.md", "Íñigo.md"}


def test_a_note_changed_meanwhile_is_not_written_over(make_vault):
    root = make_vault({**campaign("en"), **NOTES})
    session = triage.Session.open(root)
    session.press("2")
    (root / "People/Ána Núñez.md").write_text("edited in Obsidian\n", encoding="utf-8")
    session.press("u")
    assert "Not undone" in text(session) and "changed while mdnet was editing it" in text(session)
    assert (root / "People/Ána Núñez.md").read_text(encoding="utf-8") == "edited in Obsidian\n"


def test_a_note_deleted_meanwhile_is_said_and_the_walk_goes_on(make_vault):
    root = make_vault({**campaign("en"), **NOTES})
    session = triage.Session.open(root)
    (root / "People/Ána Núñez.md").unlink()
    session.press("2")
    assert "(No such file or directory)" in text(session) and "Not written" in text(session)
    session.press("s")
    session.press("1")
    assert session.card.name == "Bea Ruiz" and session.card.closeness == 1


def test_triage_needs_a_terminal(make_vault, mdnet):
    root = make_vault({**campaign("en"), **NOTES})
    code, _, err = mdnet("triage", "--vault", str(root))
    assert code == 2 and "mdnet set" in err


# --- in a real terminal ----------------------------------------------------------------------

TMUX = shutil.which("tmux")


@pytest.fixture
def terminal(tmp_path):
    """A tmux server of its own, with one 120×40 window; `run(command)` starts it there; `screen()`
    is what the pane shows; `keys(...)` types. Everything bounded in time."""
    if TMUX is None:
        pytest.skip("tmux is not installed (apt-get install tmux); the screen is tested through the harness only")
    socket = str(tmp_path / "tmux")  # a server of its own, whose socket goes with the test's folder

    def tmux(*args: str) -> str:
        return subprocess.run([TMUX, "-S", socket, *args], capture_output=True, text=True, timeout=20,
                              check=True).stdout

    class Terminal:
        def run(self, command: str) -> None:
            """Run a shell command line in the window; the window stays while it sleeps after."""
            env = {"TERM": "xterm-256color", "LANG": "C.UTF-8", "MDNET_NO_CACHE": "1"}
            tmux("-f", "/dev/null", "new-session", "-d", "-x", "120", "-y", "40", "-s", "t",
                 *[f"-e{k}={v}" for k, v in env.items()], f"{command}; sleep 60")

        def screen(self) -> str:
            return tmux("capture-pane", "-p", "-t", "t")

        def keys(self, *typed: str) -> None:
            tmux("send-keys", "-t", "t", *typed)

    yield Terminal()
    subprocess.run([TMUX, "-S", socket, "kill-server"], capture_output=True, timeout=20)


def _quoted(arg: str) -> str:
    return "'" + arg.replace("'", "'\\''") + "'"


def test_in_a_real_terminal(make_vault, terminal):
    root = make_vault({**campaign("es"), **NOTES})
    terminal.run(f"{_quoted(sys.executable)} -m mdnet triage --vault {_quoted(str(root))}")
    assert wait_until(lambda: "mdnet triage: 0 hechos, 3 por hacer" in terminal.screen(), 20), terminal.screen()
    shown = terminal.screen()
    assert "Ána Núñez" in shown and "My sister's friend." in shown and "s saltar · u deshacer · q salir" in shown
    terminal.keys("2", "p")
    assert wait_until(lambda: "mdnet triage: 1 hechos, 2 por hacer" in terminal.screen(), 10), terminal.screen()
    assert "Bea Ruiz" in terminal.screen() and "Empresa: Acme" in terminal.screen()
    written = (root / "People/Ána Núñez.md").read_text(encoding="utf-8")
    assert written.startswith("---\ncloseness: 2\ncircle: personal\n")
    terminal.keys("q")
    assert wait_until(lambda: "triage: 1 answered, 0 skipped, 2 left" in terminal.screen(), 10), terminal.screen()
