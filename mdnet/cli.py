"""The command line: options in, one core call, output out. The only module that imports click.

Environment failures (`errors.MdnetError`) are caught in one place, `main`, and turned into a
message with advice and the error's exit code.
"""

from __future__ import annotations

import functools
import json
import sys
from datetime import date
from pathlib import Path

import click

from mdnet import __version__
from mdnet.errors import MdnetError


class DateType(click.ParamType):
    name = "YYYY-MM-DD"

    def convert(self, value, param, ctx):
        if isinstance(value, date):
            return value
        try:
            return date.fromisoformat(value)
        except ValueError:
            self.fail(f"{value!r} is not a date; write it as YYYY-MM-DD, e.g. 2026-11-20", param, ctx)


DATE = DateType()


def vault_option(f):
    """--vault, shared by every command."""

    @click.option(
        "--vault",
        "vault_dir",
        type=click.Path(file_okay=False, path_type=Path),
        envvar="MDNET_VAULT",
        help="The vault folder (else $MDNET_VAULT, else found from the working directory).",
    )
    @functools.wraps(f)
    def wrapper(*args, vault_dir=None, **kwargs):
        from mdnet.vault import find_vault

        return f(*args, root=find_vault(vault_dir, Path.cwd()), **kwargs)

    return wrapper


def today_option(f):
    """--today, shared by every command that depends on the date."""
    return click.option(
        "--today",
        type=DATE,
        envvar="MDNET_TODAY",
        help="Plan as if today were this date (else $MDNET_TODAY, else the date in the campaign's zone).",
    )(f)


def dump_json(obj) -> str:
    return json.dumps(obj, ensure_ascii=False, sort_keys=True, indent=2) + "\n"


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="mdnet")
def cli():
    """mdnet runs a networking campaign from a folder of Markdown notes.

    \b
    Example:
      mdnet check --vault ~/Notes
      mdnet agenda --days 7
    """


@cli.command()
@vault_option
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
def check(root, fmt):
    """Report every problem in the vault's notes; exit 1 if any is an error.

    \b
    Example:
      mdnet check --vault example-vault
      mdnet check --format json
    """
    from mdnet import pipeline

    vault = pipeline.load(root)
    problems = vault.problems
    if fmt == "json":
        click.echo(dump_json({"problems": [p.as_json() for p in problems]}), nl=False)
    else:
        for p in problems:
            click.echo(p.render())
        errors = sum(p.severity == "error" for p in problems)
        warnings = len(problems) - errors
        notes = len({p.path for p in problems if p.path is not None})
        click.echo(f"{errors} error{'s' * (errors != 1)}, {warnings} warning{'s' * (warnings != 1)} "
                   f"in {notes} note{'s' * (notes != 1)}", err=fmt == "json")
    sys.exit(1 if any(p.severity == "error" for p in problems) else 0)


def main():
    try:
        cli.main(prog_name="mdnet", standalone_mode=True)
    except MdnetError as e:
        click.echo(f"mdnet: {e}", err=True)
        if e.advice:
            click.echo(e.advice, err=True)
        sys.exit(e.exit_code)
