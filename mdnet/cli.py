"""The command line: options in, one core call, output out. The only module that imports click.

Environment failures (`errors.MdnetError`) are caught in one place, `main`, and turned into a
message with advice and the error's exit code.
"""

from __future__ import annotations

import functools
import os
import sys
from datetime import date
from pathlib import Path

import click

from mdnet import __version__
from mdnet.errors import MdnetError
from mdnet.i18n import ntr, tr, user_language


class DateType(click.ParamType):
    name = "YYYY-MM-DD"

    def convert(self, value, param, ctx):
        if isinstance(value, date):
            return value
        try:
            day = date.fromisoformat(value)
        except ValueError:
            self.fail(tr("%(value)r is not a date; write it as YYYY-MM-DD, e.g. 2026-11-20") % {"value": value}, param,
                      ctx)
        return _in_range(day, self, param, ctx)


def _in_range(day: date, param_type: click.ParamType, param, ctx) -> date:
    """A date within the years mdnet plans, as the reader bounds the notes' dates."""
    from mdnet.fields import FIRST_YEAR, LAST_YEAR

    if not FIRST_YEAR <= day.year <= LAST_YEAR:
        param_type.fail(tr("%(day)s is outside the years mdnet plans (%(first)s to %(last)s)") % {
            "day": day, "first": FIRST_YEAR, "last": LAST_YEAR}, param, ctx)
    return day


DATE = DateType()


def vault_option(f):
    """--vault, shared by every command."""

    @click.option(
        "--vault",
        "vault_dir",
        type=click.Path(file_okay=False, path_type=Path),
        envvar="MDNET_VAULT",
        help="The vault folder (else $MDNET_VAULT, else the nearest folder up from the working directory "
             "with a campaign note, .obsidian/, .mdnet/ or a contacts or meetings folder).",
    )
    @functools.wraps(f)
    def wrapper(*args, vault_dir=None, **kwargs):
        from mdnet.listing import find_vault

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
    """Indented JSON with sorted keys, in UTF-8 as written (what `json.dumps(obj, ensure_ascii=False,
    sort_keys=True, indent=2)` gives, made by orjson: the standard module's indenting encoder is
    pure Python, slow on a large vault's agenda)."""
    import orjson

    return orjson.dumps(obj, option=orjson.OPT_INDENT_2 | orjson.OPT_SORT_KEYS).decode("utf-8") + "\n"


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
    from mdnet import fast

    vault = fast.load(root)
    problems = vault.problems
    if fmt == "json":
        click.echo(dump_json({"problems": [p.as_json() for p in problems]}), nl=False)
    else:
        for p in problems:
            click.echo(p.render())
        errors = sum(p.severity == "error" for p in problems)
        warnings = len(problems) - errors
        notes = len({p.path for p in problems if p.path is not None})
        read = len(vault.notes)  # so that a clean report is not read as nothing read
        click.echo(tr("%(errors)s, %(warnings)s in %(notes)s; %(read)s") % {
            "errors": ntr("%(num)s error", "%(num)s errors", errors) % {"num": errors},
            "warnings": ntr("%(num)s warning", "%(num)s warnings", warnings) % {"num": warnings},
            "notes": ntr("%(num)s note", "%(num)s notes", notes) % {"num": notes},
            "read": ntr("%(num)s note read", "%(num)s notes read", read) % {"num": read}})
    sys.exit(1 if any(p.severity == "error" for p in problems) else 0)


@cli.command("agenda")
@vault_option
@today_option
@click.option("--days", type=click.IntRange(0, 3650), default=7, show_default=True,
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
    from mdnet import fast
    from mdnet.files import atomic_write

    if output is not None and write:
        raise click.UsageError(tr("-o and --write both say where to write; choose one."))
    if write and fmt == "json":
        raise click.UsageError(tr("--write writes the Markdown note Agenda.md; use -o FILE for JSON."))

    def make(result) -> bytes:  # only when the answer is not stored: templates are slow to load
        from mdnet import agenda

        text = dump_json(agenda.as_json(result)) if fmt == "json" else agenda.render_markdown(result, templates)
        return text.encode("utf-8")

    # The JSON's problems speak the user's language: an answer kept for one is not another's.
    what = ("agenda", fmt, user_language()) if fmt == "json" else ("agenda", fmt)
    text = fast.output(root, today, days, what, make, templates, partial=True, briefs=fmt == "md").decode("utf-8")
    if write:
        from mdnet import agenda

        click.echo(tr("wrote %(path)s") % {"path": agenda.write_note(root, text)}, err=True)
        return
    if output is not None:
        atomic_write(output, text.encode("utf-8"))
    elif fmt == "md" and sys.stdout.isatty():
        from mdnet import agenda

        agenda.print_terminal(text)
    else:
        click.echo(text, nl=False)


@cli.command("ics")
@vault_option
@today_option
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
              help="Write the feed to this file (atomically) instead of standard output.")
@click.option("--private", is_flag=True,
              help="Initials instead of names; no descriptions, locations or note links (also feed_private: true).")
def ics_command(root, today, output, private):
    """The iCalendar feed: meetings, and every follow-up as an all-day event, for a calendar app.

    \b
    Example:
      mdnet ics --vault example-vault --today 2026-11-27 > campaign.ics
      mdnet ics -o ~/public/campaign.ics --private
    """
    from mdnet import fast, ics
    from mdnet.files import atomic_write

    data = fast.output(root, today, 7, ("ics", private), lambda r: ics.feed(r, private))
    if output is not None:
        atomic_write(output, data)
    else:
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()


@cli.command("serve")
@vault_option
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on; anything but loopback lets other machines ask for the feed.")
@click.option("--port", type=click.IntRange(0, 65535), default=8765, show_default=True,
              help="Port to listen on (0: any free one).")
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

    serve.main(root, host, port)


@cli.command("watch")
@vault_option
@today_option
@click.option("--ics", "feed", type=click.Path(dir_okay=False, path_type=Path),
              help="The feed file to keep up to date (default: <vault>/.mdnet/calendar.ics).")
@click.option("--poll", is_flag=True,
              help="Scan the vault every second instead of waiting for the system's change events "
                   "(for network drives and folders where events do not arrive).")
def watch_command(root, today, feed, poll):
    """Keep Agenda.md and the feed file up to date as notes change, until Ctrl-C.

    Prints one line per rebuild, and the problems of the notes that changed.

    \b
    Example:
      mdnet watch --vault example-vault
      mdnet watch --ics ~/public/campaign.ics
    """
    from mdnet import watch

    try:
        watch.run(root, today, feed, poll)
    except KeyboardInterrupt:
        click.echo(tr("stopped"), err=True)


class OptionalDateType(click.ParamType):
    """A date, or nothing: `--thanked` alone means true, `--thanked 2026-11-21` the day it was done."""

    name = "[YYYY-MM-DD]"

    def convert(self, value, param, ctx):
        if value is True or isinstance(value, date):
            return value
        if value == "":
            return True
        try:
            return date.fromisoformat(value)
        except ValueError:
            self.fail(tr("%(value)r is not a date; write it as YYYY-MM-DD (and put NOTE before this option)")
                      % {"value": value}, param, ctx)


class WhenType(click.ParamType):
    """A meeting's date, with a time or without: 2026-11-20, 2026-11-20T10:30, '2026-11-20 10:30'."""

    name = "YYYY-MM-DD[THH:MM]"

    def convert(self, value, param, ctx):
        from mdnet import fields

        try:
            when = fields.datetime_field("--date")(value)
        except fields.Bad as e:
            self.fail(str(e), param, ctx)
        if getattr(when, "tzinfo", None) is not None:
            self.fail(tr("give the time without an offset: it is read in the campaign's zone"), param, ctx)
        return when


def _word(table_name: str):
    """A callback reading an English or Spanish word of one of the SPEC's enumerations."""

    def callback(ctx, param, value):
        from mdnet import fields

        table = getattr(fields, table_name)
        words = [value] if isinstance(value, str) else list(value or ())
        found = [table.get(fields.fold(w)) for w in words]
        for word, canonical in zip(words, found):
            if canonical is None:
                raise click.BadParameter(tr("%(word)r; use one of: %(words)s") % {
                    "word": word, "words": ", ".join(sorted(set(table.values())))})
        return found[0] if isinstance(value, str) else tuple(found) if value is not None else None

    return callback


templates_option = click.option(
    "--templates", type=click.Path(exists=True, file_okay=False, path_type=Path),
    help="A folder of templates that win over <vault>/.mdnet/templates/ and the built-ins.")


def _report(report, paths: bool = False) -> None:
    """Warnings to stderr; then either the full path of each file written (for an editor) or what changed."""
    for warning in report.warnings:
        click.echo(warning, err=True)
    if paths:
        for rel in report.written:
            click.echo(report.root / rel)
    else:
        for line in report.lines:
            click.echo(line)


@cli.command("init")
@click.argument("directory", required=False, type=click.Path(file_okay=False, path_type=Path))
@click.option("--locale", type=click.Choice(["es", "en"]),
              help="Language of the notes and agendas (else from $LANG: es for Spanish, else en).")
@click.option("--goal", help="Your professional objective, one sentence (asked for in a terminal).")
@click.option("--pitch", help="Your situation in two sentences, for meeting briefs (asked for in a terminal).")
@click.option("--timezone", help="The campaign's time zone, e.g. Europe/Madrid (else this machine's).")
@today_option
@templates_option
def init_command(directory, locale, goal, pitch, timezone, today, templates):
    """Make a new vault: the campaign note, contact and meeting folders, Obsidian templates.

    Works in an empty folder or an existing one of notes; never writes over a note. Prints the
    time zone it wrote, which dates, times and the calendar feed are read in.

    \b
    Example:
      mdnet init ~/Networking --locale es --timezone Europe/Madrid --goal "Pasar de contabilidad a producto"
      mdnet init            # here, asking for the goal and the pitch
    """
    import os

    from mdnet import write

    root = directory or Path.cwd()
    if locale is None:
        locale = "es" if os.environ.get("LANG", "").lower().startswith("es") else "en"
    if sys.stdin.isatty():
        if goal is None:
            goal = click.prompt(tr("Your goal, in one sentence"), default="", show_default=False)
        if pitch is None:
            pitch = click.prompt(tr("Your situation, in two sentences"), default="", show_default=False)
    report = write.init(root, locale, goal, pitch, today, templates, timezone)
    _report(report)
    click.echo(tr("Next: mdnet new contact \"Name\" --vault %(folder)s") % {"folder": root}, err=True)


@cli.group("new")
def new_group():
    """Make a contact or meeting note from a template, in the campaign's language; never overwrites.

    \b
    Example:
      mdnet new contact "Ana Núñez" --circle personal --closeness 1
      mdnet new meeting "Ana Núñez" --date 2026-11-20T10:30
    """


@new_group.command("contact")
@vault_option
@today_option
@templates_option
@click.argument("name")
@click.option("--circle", callback=_word("CIRCLES"), help="personal, professional or opportunity.")
@click.option("--closeness", type=click.IntRange(1, 5), help="1 = closest; the closest are met first.")
@click.option("--relation", help="Best friend, former boss, met at a wedding…")
@click.option("--referred-by", help="The contact who gave you this name.")
@click.option("--met-at", help="Where and when you met (opportunity contacts).")
@click.option("--company")
@click.option("--email")
@click.option("--phone")
def new_contact_command(root, today, templates, name, **details):
    """A contact note NAME.md in the contacts folder; prints its path.

    \b
    Example:
      mdnet new contact "Ana Núñez" --circle personal --closeness 1 --relation "best friend"
      $EDITOR "$(mdnet new contact "Luis Gil" --referred-by "Ana Núñez")"
    """
    from mdnet import write

    _report(write.new_contact(root, name, today, templates, **details), paths=True)


@new_group.command("meeting")
@vault_option
@today_option
@templates_option
@click.argument("contact")
@click.option("--date", "when", type=WhenType(), help="When: 2026-11-20 or 2026-11-20T10:30 (default: today).")
@click.option("--duration", callback=lambda ctx, param, v: _minutes(v), help="Minutes (90) or h:mm (1:30).")
@click.option("--location")
@click.option("--ask", help="advice (default) or opinion; asking for a job or a sale earns a warning.")
@click.option("--format", "format_", callback=_word("FORMATS"), help="in-person (default), call or video.")
@click.option("--create-contact", is_flag=True, help="Make the contact's note too when there is none.")
def new_meeting_command(root, today, templates, contact, when, duration, location, ask, format_, create_contact):
    """A meeting note 'YYYY-MM-DD CONTACT.md' holding the brief for that person; prints its path.

    CONTACT is a contact's name, alias or path (Contactos/Trabajo/Ana López), in any case, with or
    without accents, or the start of one name; a name that could be several contacts, or none,
    writes nothing (exit 2) unless --create-contact makes the contact.

    \b
    Example:
      mdnet new meeting "Ana Núñez" --date 2026-11-20T10:30 --location "Café Central"
      mdnet new meeting "Luis Gil" --format call --create-contact
    """
    from mdnet import write

    report = write.new_meeting(root, contact, when, today, duration, location, ask, format_, create_contact,
                               templates)
    _report(report, paths=True)


def _minutes(value):
    from mdnet import fields

    if value is None:
        return None
    try:
        return fields.minutes("--duration")(value)
    except fields.Bad as e:
        raise click.BadParameter(str(e)) from None


@cli.command("log")
@vault_option
@today_option
@templates_option
@click.argument("note")
@click.option("--done", is_flag=True, help="The meeting took place.")
@click.option("--cancel", is_flag=True, help="The meeting was cancelled.")
@click.option("--referral", "referrals", multiple=True, metavar="NAME",
              help="A person they suggested (repeat it); each gets a contact note.")
@click.option("--thanked", type=OptionalDateType(), is_flag=False, flag_value="",
              help="The thank-you was sent (optionally the day).")
@click.option("--thanked-referrer", type=OptionalDateType(), is_flag=False, flag_value="",
              help="Whoever referred this person was thanked (optionally the day).")
@click.option("--outcome", "outcomes", multiple=True, callback=_word("OUTCOMES"),
              help="information, referral, interview, offer, prospect or visibility (repeat it).")
@click.option("--next", "next_follow_up", type=DATE, help="The date agreed for the next contact.")
@click.option("--contacted", is_flag=True,
              help="On a contact: you reached out or were in touch outside a meeting (sets last_contact).")
@click.option("--on", type=DATE, help="With --contacted: the day you were in touch (default: today).")
def log_command(root, today, templates, note, done, cancel, referrals, thanked, thanked_referrer, outcomes,
                next_follow_up, contacted, on):
    """Record what happened at a meeting or with a contact, changing only those properties.

    NOTE is a note's name, alias or path, in any case, with or without accents, or the start of
    its name. A --referral that names a contact (name, alias or path, never the start of a name)
    is linked to it, and its note left as it is; any other gets a new contact note. A name that
    could be several notes writes nothing (exit 2).

    \b
    Example:
      mdnet log "2026-11-20 Ana" --done --referral "Luis Gil" --referral "Marta Ruiz" --thanked
      mdnet log "Luis Gil" --contacted --next 2026-12-15
      mdnet log "Luis Gil" --contacted --on 2026-12-01
    """
    from mdnet import write

    if done and cancel:
        raise click.UsageError(tr("--done and --cancel contradict each other; choose one."))
    if on is not None and not contacted:
        raise click.UsageError(tr("--on says when you were in touch with a contact: give --contacted too."))
    if not (done or cancel or referrals or outcomes or next_follow_up or thanked is not None
            or thanked_referrer is not None or contacted):
        raise click.UsageError(tr("nothing to record: give --done, --cancel, --referral, --thanked, --outcome, --next "
                                  "or --contacted."))
    report = write.log(root, note, today, done=done, cancel=cancel, referrals=referrals, thanked=thanked,
                       thanked_referrer=thanked_referrer, outcomes=outcomes, next_follow_up=next_follow_up,
                       contacted=contacted, on=on, templates=templates)
    _report(report)


@cli.command("report")
@vault_option
@today_option
@click.option("--format", "fmt", type=click.Choice(["md", "json"]), default="md", show_default=True)
@click.option("--write", is_flag=True, help="Write the vault note Report.md (Informe.md in Spanish), never read back.")
@templates_option
def report_command(root, today, fmt, write, templates):
    """The campaign at a glance: the funnel, meetings per week, who gave whose name, the circles,
    what the meetings brought and who waits longest, with Mermaid pictures Obsidian draws.

    \b
    Example:
      mdnet report --vault example-vault --today 2026-11-27
      mdnet report --format json > report.json
      mdnet report --write          # the note Report.md, to look at in Obsidian
    """
    from mdnet import fast, report

    if write:
        if fmt == "json":
            raise click.UsageError(tr("--write writes the Markdown note; leave out --format json."))
        click.echo(tr("wrote %(path)s") % {"path": report.write(root, today, templates)}, err=True)
        return

    def make(result) -> bytes:
        text = dump_json(report.as_json(result)) if fmt == "json" else report.render_markdown(result, templates)
        return text.encode("utf-8")

    click.echo(fast.output(root, today, 7, ("report", fmt), make, templates).decode("utf-8"), nl=False)


@cli.group("export")
def export_group():
    """Contacts out, for an address book.

    \b
    Example:
      mdnet export vcard ~/.contacts/networking
      mdnet export vcard -o contacts.vcf
    """


@export_group.command("vcard")
@vault_option
@click.argument("directory", required=False, type=click.Path(dir_okay=True, file_okay=False, path_type=Path))
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
              help="Write every card into this one .vcf file (for a phone) instead of a folder.")
def export_vcard_command(root, directory, output):
    """Every contact as a vCard 3.0: one UID.vcf per contact in DIRECTORY (what khard and
    vdirsyncer read), or all in one file with -o.

    Only cards whose bytes change are written; a card mdnet wrote for a contact that is gone is
    removed; no other file in DIRECTORY is touched. UIDs stay the same across runs and renames.

    \b
    Example:
      mdnet export vcard ~/.contacts/networking && vdirsyncer sync
      mdnet export vcard -o ~/Desktop/contacts.vcf
    """
    from mdnet import export

    if (directory is None) == (output is None):
        raise click.UsageError(tr("give a DIRECTORY for one card per file, or -o FILE.vcf for one file."))
    done = export.vdir(root, directory) if directory is not None else export.one_file(root, output)
    for line in export.lines(done):
        click.echo(line)


@cli.command("merge")
@vault_option
@click.argument("keep")
@click.argument("drop")
@click.option("--dry-run", is_flag=True, help="Show the edits and the conflicts; write nothing.")
def merge_command(root, keep, drop, dry_run):
    """Make two contact notes of one person one: DROP's person becomes part of KEEP.

    KEEP's empty properties take DROP's values, lists are joined, DROP's name and aliases become
    KEEP's aliases, DROP's text goes under a heading at the end of KEEP, every link to DROP in
    any note points to KEEP, and DROP moves to the vault's .trash/ folder. Conflicting values
    are listed; KEEP's are kept.

    \b
    Example:
      mdnet merge "José Núñez" "Pepe Nunez" --dry-run
      mdnet merge "José Núñez" "Pepe Nunez"
    """
    from mdnet import merge

    _report(merge.merge(root, keep, drop, dry_run))


@cli.command("set")
@vault_option
@click.argument("names", nargs=-1, required=True, metavar="NAME...")
@click.option("--circle", callback=_word("CIRCLES"), help="personal, professional or opportunity.")
@click.option("--closeness", type=click.IntRange(1, 5), help="1 = closest; the closest are met first.")
@click.option("--status", callback=_word("CONTACT_STATUSES"), help="active, paused or do-not-contact.")
def set_command(root, names, circle, closeness, status):
    """Set the circle, closeness or status of one or many contacts, changing only those properties.

    Each NAME is a contact's name, its path, or the start of its name (any case, any accents). A
    person note without properties gets them above its text. When a name is no contact, or
    several, nothing is written.

    \b
    Example:
      mdnet set "Ana Núñez" "José Pérez" --circle personal --closeness 1
      mdnet set "Luis Gil" --status do-not-contact
    """
    from mdnet import setting

    if circle is None and closeness is None and status is None:
        raise click.UsageError(tr("nothing to set: give --circle, --closeness or --status."))
    _report(setting.set_contacts(root, list(names), circle, closeness, status))


@cli.command("triage")
@vault_option
def triage_command(root):
    """Walk the contacts missing a circle or a closeness, one key per answer, each written at once.

    Keys: 1-5 closeness (1 = closest), then p personal, w professional (work), o opportunity,
    which writes the circle and moves on; s skip, u undo, q quit. In the campaign's language.

    \b
    Example:
      mdnet import Connections.csv && mdnet triage
    """
    from mdnet import triage
    from mdnet.errors import Unfit

    if not (sys.stdin.isatty() and sys.stdout.isatty()):
        raise Unfit(tr("triage is a screen for a terminal, and this is none"),
                    tr("In a script, use `mdnet set NAME... --circle C --closeness N`."))
    session = triage.run(root)
    left = session.left
    click.echo(tr("triage: %(answered)s, %(skipped)s, %(left)s") % {
        "answered": ntr("%(num)s answered", "%(num)s answered", session.done) % {"num": session.done},
        "skipped": ntr("%(num)s skipped", "%(num)s skipped", session.skipped) % {"num": session.skipped},
        "left": ntr("%(num)s left", "%(num)s left", left or 0) % {"num": "…" if left is None else left}}, err=True)


@cli.command("import")
@vault_option
@today_option
@templates_option
@click.argument("sources", nargs=-1, required=True, type=click.Path(path_type=Path), metavar="FILE_OR_FOLDER...")
@click.option("--from", "source", type=click.Choice(["linkedin", "google", "outlook", "vcard"]),
              help="The format, when it should not be recognised from the content.")
@click.option("--circle", callback=_word("CIRCLES"),
              help="The circle of people without one (LinkedIn's default: professional).")
@click.option("--closeness", type=click.IntRange(1, 5), help="The closeness of people without one.")
@click.option("--dry-run", is_flag=True, help="Show what would be created, merged and skipped; write nothing.")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
def import_command(root, today, templates, sources, source, circle, closeness, dry_run, fmt):
    """Contacts from LinkedIn's Connections.csv, a Google or Outlook CSV, or vCards: one note per person.

    A person already in the vault (same e-mail, phone, LinkedIn profile, or one note of that
    name) has their note's empty fields filled and new e-mails and phones added; a value you
    wrote is never changed. Exit 1 when some rows were skipped (each is listed).

    \b
    Example:
      mdnet import ~/Downloads/Connections.csv --dry-run
      mdnet import contacts.csv phone.vcf --circle personal
    """
    from mdnet.importers import report

    outcome = report.run(root, sources, today, source, circle, closeness, dry_run, templates,
                         progress=sys.stderr.isatty())
    if fmt == "json":
        click.echo(dump_json(outcome.as_json()), nl=False)
    else:
        for line in report.lines(outcome):
            click.echo(line)
        click.echo(report.summary(outcome, dry_run))
    sys.exit(1 if outcome.of("skipped") else 0)


@cli.command("draft")
@vault_option
@today_option
@templates_option
@click.argument("name")
@click.option("--kind", type=click.Choice(["first-meeting", "contact-referral", "follow-up", "thank",
                                           "thank-referrer", "ask-referrals"]),
              help="The kind of message (else the most urgent one that asks you to write to them).")
@click.option("--mailto", is_flag=True,
              help="Print a mailto: URL that opens the draft in your mail program (at most 2,000 characters).")
def draft_command(root, today, templates, name, kind, mailto):
    """The message an action asks you to write to NAME: the subject on the first line, then the body.

    NAME is a contact's or a meeting's name (a meeting: its first person), its path, or the start of
    its name. Exit 2 when nothing asks you to write to them, saying what is due instead.

    \b
    Example:
      mdnet draft "Sofía Ramos"
      mdnet draft "Luis Gil" --kind thank
      open "$(mdnet draft "Luis Gil" --mailto)"
    """
    from mdnet import draft
    from mdnet.errors import Unfit

    written = draft.for_name(root, name, today, kind, templates)
    if not mailto:
        click.echo(written.draft.text(written.locale), nl=False)
        return
    if written.to is None:
        raise Unfit(tr("%(name)s has no e-mail address in their note") % {"name": written.action.contact},
                    tr("Add `email: name@example.com` to the contact note, or print the draft without --mailto."))
    link = draft.mailto(written.to, written.draft)
    if link is None:
        raise Unfit(tr("the address and subject alone are longer than %(limit)s characters")
                    % {"limit": draft.MAILTO_LIMIT}, tr("Print the draft without --mailto and copy it."))
    url, left_out = link
    if left_out:
        click.echo(ntr("the message was cut at a sentence to fit a %(limit)s-character link (%(num)s sentence "
                       "left out); without --mailto it is printed whole",
                       "the message was cut at a sentence to fit a %(limit)s-character link (%(num)s sentences "
                       "left out); without --mailto it is printed whole", left_out)
                   % {"limit": draft.MAILTO_LIMIT, "num": left_out}, err=True)
    click.echo(url)


def main():
    try:
        cli.main(prog_name="mdnet", standalone_mode=True)
    except MdnetError as e:
        click.echo(f"mdnet: {e}", err=True)
        if e.advice:
            click.echo(e.advice, err=True)
        sys.exit(e.exit_code)


def program() -> None:
    """The `mdnet` command: `main`, then, once its output is flushed, an exit that does not free
    the vault object by object (slow for a large one, for memory the system takes back anyway).
    Files are all written and closed by then; writers of the cache are processes of their own."""
    try:
        main()
        code = 0
    except SystemExit as e:
        code = e.code if isinstance(e.code, int) else 0 if e.code is None else 1
        if not isinstance(e.code, (int, type(None))):
            print(e.code, file=sys.stderr)
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (BrokenPipeError, ValueError):  # a reader that left early (`| head`), or closed
            pass
    os._exit(code)
