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


@cli.command("agenda")
@vault_option
@today_option
@click.option("--days", type=click.IntRange(min=0), default=7, show_default=True,
              help="Show what is due up to this many days ahead (0: today only); overdue is always shown.")
@click.option("--format", "fmt", type=click.Choice(["md", "json"]), default="md", show_default=True)
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
              help="Write to this file instead of the screen.")
@click.option("--write", is_flag=True, help="Write the vault note Agenda.md (never read back as a note).")
@click.option("--templates", type=click.Path(exists=True, file_okay=False, path_type=Path),
              help="A folder of templates that win over <vault>/.mdnet/templates/ and the built-ins.")
def agenda_command(root, today, days, fmt, output, write, templates):
    """What is due (overdue, today, the coming days), the campaign's progress and a brief per meeting.

    Markdown, shown with headings and colour in a terminal; plain when piped or written to a file.

    \b
    Example:
      mdnet agenda --vault example-vault --today 2026-11-27
      mdnet agenda --days 14 --format json > agenda.json
      mdnet agenda --write          # the note Agenda.md, to read in Obsidian
    """
    from mdnet import agenda, pipeline
    from mdnet.files import atomic_write

    if output is not None and write:
        raise click.UsageError("-o and --write both say where to write; choose one.")
    if write and fmt == "json":
        raise click.UsageError("--write writes the Markdown note Agenda.md; use -o FILE for JSON.")
    result = pipeline.run(root, today, days)
    if write:
        path = agenda.write_note(result, templates)
        click.echo(f"wrote {path}", err=True)
        return
    text = dump_json(agenda.as_json(result)) if fmt == "json" else agenda.render_markdown(result, templates)
    if output is not None:
        atomic_write(output, text.encode("utf-8"))
    elif fmt == "md" and sys.stdout.isatty():
        agenda.print_terminal(text)
    else:
        click.echo(text, nl=False)


@cli.command("ics")
@vault_option
@today_option
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
              help="Write the feed to this file (atomically) instead of standard output.")
@click.option("--private", is_flag=True,
              help="Initials instead of names, no descriptions, no locations (also the campaign's feed_private).")
def ics_command(root, today, output, private):
    """The iCalendar feed: meetings, and every follow-up as an all-day event, for a calendar app.

    \b
    Example:
      mdnet ics --vault example-vault --today 2026-11-27 > campaign.ics
      mdnet ics -o ~/public/campaign.ics --private
    """
    from mdnet import ics, pipeline
    from mdnet.files import atomic_write

    data = ics.feed(pipeline.run(root, today), private)
    if output is not None:
        atomic_write(output, data)
    else:
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()


@cli.command("serve")
@vault_option
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on; anything but loopback lets other machines ask for the feed.")
@click.option("--port", type=click.IntRange(0, 65535), default=8765, show_default=True)
def serve_command(root, host, port):
    """Serve the feed and the agenda page under a secret URL, rebuilt when the notes change.

    Prints the http:// and webcal:// URLs to subscribe to, and how, for Apple, Outlook and
    Google calendars. Today is $MDNET_TODAY when set, else the date in the campaign's zone.

    \b
    Example:
      mdnet serve --vault example-vault
      mdnet serve --port 9000
    """
    from mdnet import serve

    serve.run(serve.create(root, host, port))


def main():
    try:
        cli.main(prog_name="mdnet", standalone_mode=True)
    except MdnetError as e:
        click.echo(f"mdnet: {e}", err=True)
        if e.advice:
            click.echo(e.advice, err=True)
        sys.exit(e.exit_code)
