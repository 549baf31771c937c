"""`mdnet check`: text and JSON output, exit codes, and the one error boundary."""

from __future__ import annotations

import json

from click.testing import CliRunner

from mdnet.cli import cli

CAMPAIGN = "---\ntype: campaign\ngoal: Move into product\ntimezone: Europe/Madrid\n---\n"


def run(*args, env=None):
    return CliRunner().invoke(cli, list(args), env=env, catch_exceptions=False)


def test_clean_vault_exits_0(make_vault):
    root = make_vault({"Campaign.md": CAMPAIGN, "Contacts/Ana.md": "---\ncircle: personal\n---\n"})
    result = run("check", "--vault", str(root))
    assert result.exit_code == 0
    assert result.output == "0 errors, 0 warnings in 0 notes; 2 notes read\n"


def test_problems_as_path_line_severity_message_and_exit_1(make_vault):
    root = make_vault({
        "Campaign.md": CAMPAIGN,
        "Contactos/José Núñez.md": "---\ncircle: amigo\n---\n",
        "Reuniones/2026-11-20 José.md": "---\nwith: [\"[[José Núñez]]\"]\ndate: 20/11/2026\n---\n",
    })
    result = run("check", "--vault", str(root))
    assert result.exit_code == 1
    assert result.output.splitlines() == [
        "Contactos/José Núñez.md:2: warning: 'circle' is 'amigo', which mdnet does not know; "
        "use one of: opportunity, personal, professional",
        "Reuniones/2026-11-20 José.md:3: error: 'date' is '20/11/2026'; write it as 2026-11-20, "
        "or with its time as 2026-11-20T10:30",
        "1 error, 1 warning in 2 notes; 3 notes read",
    ]


def test_json_output_is_sorted_utf8_and_pinned(make_vault):
    root = make_vault({"Campaign.md": CAMPAIGN, "Contactos/Núñez.md": b"---\ncircle: [\n---\n"})
    result = run("check", "--vault", str(root), "--format", "json")
    assert result.exit_code == 1
    assert "Núñez" in result.output  # UTF-8, not \u escapes
    data = json.loads(result.output)
    assert list(data) == ["problems"]
    [p] = data["problems"]
    assert list(p) == ["code", "line", "message", "path", "severity"]
    assert (p["path"], p["line"], p["severity"], p["code"]) == ("Contactos/Núñez.md", 3, "error", "bad-yaml")
    assert result.output == json.dumps(data, ensure_ascii=False, sort_keys=True, indent=2) + "\n"


def test_vault_wide_problems_have_null_path_and_line(make_vault):
    root = make_vault({"Contacts/Ana.md": "---\ncircle: personal\n---\n"})
    data = json.loads(run("check", "--vault", str(root), "--format", "json").output)
    assert [(p["path"], p["line"]) for p in data["problems"]] == [(None, None)]


def test_missing_vault_is_a_fatal_error_with_advice(tmp_path):
    import subprocess, sys

    proc = subprocess.run([sys.executable, "-m", "mdnet", "check", "--vault", str(tmp_path / "nope")],
                          capture_output=True, text=True)
    assert proc.returncode == 3
    assert "no vault at" in proc.stderr and "mdnet init" in proc.stderr
    assert "Traceback" not in proc.stderr


def test_vault_from_environment_and_from_working_directory(make_vault, monkeypatch):
    root = make_vault({"Campaign.md": CAMPAIGN, "Contacts/Ana.md": "---\ncircle: nope\n---\n"})
    assert "Contacts/Ana.md:2" in run("check", env={"MDNET_VAULT": str(root)}).output
    monkeypatch.chdir(root / "Contacts")
    assert "Contacts/Ana.md:2" in run("check").output


def test_every_command_has_help_with_an_example():
    for name, command in cli.commands.items():
        help_text = command.help or ""
        assert "Example" in help_text, f"`mdnet {name} --help` has no example"
