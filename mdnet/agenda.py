"""The agenda: what is due, the campaign's progress and a brief per meeting, rendered for people.

One template (`templates/agenda.md.j2`) gives the Markdown note; the same text is shown rendered
in a terminal (rich), converted to the web page of `mdnet serve` (markdown-it), and written as the
vault note `Agenda.md`. `as_json` is the machine-readable form of SPEC section 4. This module
imports rich and markdown-it for the agenda's outputs.
"""

from __future__ import annotations

import html
import os
import re
import sys
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from urllib.parse import quote

from mdnet import frontmatter, i18n, listing
from mdnet.campaign import KIND
from mdnet.errors import OutputError
from mdnet.i18n import tr
from mdnet.files import atomic_write
from mdnet.model import ERROR, Action, Brief
from mdnet.pipeline import Result

NOTE_NAME = "Agenda.md"

_WIKILINK = re.compile(r"\[\[([^\[\]|]+)(?:\|([^\[\]]*))?\]\]")


@dataclass(frozen=True, slots=True)
class Day:
    """The actions due on one of the coming days."""

    date: date
    actions: tuple[Action, ...]


@dataclass(frozen=True, slots=True)
class MeetingBrief:
    """A meeting in the window (its `meeting` action, for the date and time) and its brief."""

    action: Action
    brief: Brief


def context(result: Result, templates: Path | None = None) -> dict:
    """Everything `agenda.md.j2` may use; a user's template gets the same names. `templates` is
    where the drafts that the actions' links open are found first (`--templates`)."""
    plan = result.plan
    actions = plan.in_window()
    coming: dict[date, list[Action]] = {}
    for a in actions:
        if not a.overdue and a.due > plan.today:
            coming.setdefault(a.due, []).append(a)
    briefs = tuple(MeetingBrief(a, result.brief(a.note)) for a in actions if KIND[a.kind].briefed and not a.overdue)
    errors = sum(p.severity == ERROR for p in result.problems)
    return {
        "campaign": result.campaign,
        "vault_name": result.name,
        "today": plan.today,
        "window_days": plan.window_days,
        "stats": plan.stats,
        "actions": actions,
        "overdue": tuple(a for a in actions if a.overdue),
        "due_today": tuple(a for a in actions if not a.overdue and a.due <= plan.today),
        "coming": tuple(Day(d, tuple(acts)) for d, acts in sorted(coming.items())),
        "briefs": briefs,
        "problems": {"errors": errors, "warnings": len(result.problems) - errors},
        "links": contact_links(result, templates),
    }


def _environment(result: Result, templates: Path | None):
    return _render().environment(result.root, result.campaign.locale, templates)


def _render():
    """The templates' module, imported on first use: JSON needs no Jinja."""
    from mdnet import render

    return render


def action_line_for(locale: str):
    """The templates' `action_line(a, show_due=false)`. A function rather than a Jinja macro: a
    large vault's agenda has thousands of lines, and a macro call is much slower."""
    _ = i18n.gettext_for(locale)
    labels = {name: _(kind.label) for name, kind in KIND.items()}
    due_in, date_format = _("due %(date)s"), _("MMMM d")

    def action_line(a: Action, show_due: bool = False, links=None) -> str:
        who = wikilink(a.contact_path, a.contact) if a.contact_path else markdown_text(a.contact)
        when = " " + a.time.strftime("%H:%M") if a.time else ""
        note = " · " + wikilink(a.note) if a.note != a.contact_path else ""
        due = f" ({due_in % {'date': i18n.format_date(a.due, locale, date_format)}})" if show_due else ""
        return f"- **{labels[a.kind]}**{when} {who} — {markdown_text(a.reason)}{note}{due}{links(a) if links else ''}\n"

    return action_line


def contact_links(result: Result, templates: Path | None = None):
    """The links that end an action's line (the templates' `links(a)`): ` · [✉ write](mailto:…)`,
    opening the draft of an action that asks the user to write (SPEC section 8) when its contact
    has an e-mail, and ` · [☎ +34600111222](tel:+34600111222)` when its contact has a phone.
    Obsidian opens both with the system's mail and phone programs. Both URLs are percent-encoded
    or digits only: no name, pitch or address from the vault can end the link early."""
    from mdnet import draft, people

    campaign = result.campaign
    write = i18n.gettext_for(campaign.locale)("✉ write")
    region = people.region_of(campaign.region, campaign.timezone)
    drafter = None

    def links(a: Action) -> str:
        nonlocal drafter
        found = ""
        to = draft.address(a.email) if a.kind in draft.WRITING else None
        if to:
            drafter = drafter or draft.Drafter(campaign, result.plan.stats, _environment(result, templates))
            url = drafter.mailto(a, to)
            if url is not None:
                found += f" · [{write}]({url})"
        number = draft.first(a.phone)
        tel = people.e164(number, region) if number else None
        if tel:
            found += f" · [☎ {tel}](tel:{tel})"
        return found

    return links


def render_markdown(result: Result, templates: Path | None = None) -> str:
    """The agenda as an Obsidian note (front matter `generated: true`)."""
    return _render().render(_environment(result, templates), "agenda.md.j2", **context(result, templates))


def as_json(result: Result) -> dict:
    """SPEC section 4's object: the window's actions, the campaign, problems and stats."""
    c, plan = result.campaign, result.plan
    return {
        "actions": [a.as_json() for a in plan.in_window()],
        "campaign": {"goal": c.goal, "locale": c.locale, "status": c.status, "timezone": c.timezone},
        "problems": [p.as_json() for p in result.problems],
        "stats": plan.stats.as_json(),
        "today": plan.today.isoformat(),
        "window_days": plan.window_days,
    }


def render_html(result: Result, templates: Path | None = None, feed_url: str | None = None) -> str:
    """The agenda as a web page: the same Markdown, its links opening the notes in Obsidian.

    Raw HTML in notes is shown as text, never run: markdown-it escapes it (`html` off), and the
    page template escapes everything else it prints.
    """
    from markupsafe import Markup

    vault_name = result.name
    env = _environment(result, templates)
    markdown = _render().render(env, "agenda.md.j2", **context(result, templates))
    body = Markup(markdown_renderer(vault_name).render(_body(markdown)))
    return _render().render(
        env, "page.html.j2", body=body, campaign=result.campaign, today=result.plan.today,
        vault_name=vault_name, feed_url=feed_url,
    )


def markdown_renderer(vault_name: str):
    """markdown-it as the pages use it: raw HTML escaped, `[[wikilinks]]` opening notes in Obsidian."""
    from markdown_it import MarkdownIt

    md = MarkdownIt("commonmark", {"html": False, "typographer": False})
    md.inline.ruler.before("link", "wikilink", _wikilink_rule)

    def render_wikilink(self, tokens, idx, options, env):
        target, shown = tokens[idx].meta["target"], tokens[idx].meta["shown"]
        url = obsidian_url(vault_name, target)
        return f'<a href="{html.escape(url)}">{html.escape(shown)}</a>'

    md.add_render_rule("wikilink", render_wikilink)
    md.inline.ruler.before("link", "contact_link", _contact_link_rule)
    md.add_render_rule("contact_link", _render_contact_link)
    return md


def print_terminal(markdown: str, file=None) -> None:
    """Show the agenda with headings and colour; links are shown by their text.

    rich lays out Markdown beautifully but slowly: the agenda of a large campaign, thousands of
    lines, is shown line by line instead (headings, bullets, bold)."""
    text = _WIKILINK.sub(lambda m: m.group(2) or m.group(1), _body(markdown))
    text = _CONTACT_LINK.sub(r"\1", text)
    out = file or sys.stdout
    if text.count("\n") > RICH_LINES:
        color = "NO_COLOR" not in os.environ and os.environ.get("TERM") != "dumb"
        out.write(_lines_for_terminal(text, color))
        return
    from rich.console import Console
    from rich.markdown import Markdown

    Console(file=out).print(Markdown(text))


RICH_LINES = 1000
# A link `contact_links` writes: its URL holds only letters, digits, `%` escapes and `@+-._~?=&`.
_CONTACT_LINK = re.compile(r"\[([^\[\]\n]*)\]\(((?:mailto|tel):[A-Za-z0-9%@+\-._~?=&]*)\)")
_HEADING = re.compile(r"(#{1,6}) +(.*)")
_STRONG = re.compile(r"(?<!\\)\*\*(.+?)(?<!\\)\*\*")
_ESCAPED = re.compile(r"\\([\\`*_\[\]|<>#=~%$^])")  # as `markdown_text` escapes


def plain(text: str) -> str:
    """Text `markdown_text` escaped, as it reads where Markdown is not rendered (a terminal, a calendar)."""
    return _ESCAPED.sub(r"\1", text)


def _lines_for_terminal(text: str, color: bool) -> str:
    strong = (lambda m: f"\x1b[1m{m.group(1)}\x1b[22m") if color else (lambda m: m.group(1))
    shown = []
    for line in text.splitlines():
        heading = _HEADING.fullmatch(line)
        if heading:
            title = heading.group(2)
            shown.append(f"\x1b[1;{'4;' if len(heading.group(1)) == 1 else ''}36m{title}\x1b[0m" if color else
                         title.upper() if len(heading.group(1)) == 1 else title)
            continue
        if line.startswith("- "):
            line = "• " + line[2:]
        elif line.startswith("> "):
            line = "▌ " + line[2:]
        shown.append(plain(_STRONG.sub(strong, line)))
    return "\n".join(shown) + "\n"


def write_note(root: Path, markdown: str, name: str = NOTE_NAME) -> Path:
    """Write the vault note `Agenda.md` (`render_markdown`'s text), or another note of mdnet's
    (`name`), atomically, never over a note the user wrote. The vault's lock for writing notes is
    held from the check that the note is mdnet's to the rename, so that no other mdnet command
    writes it in between."""
    from mdnet import files

    path = root / name
    with files.writing(root):
        try:
            data = listing.note_bytes(str(path))
        except FileNotFoundError:
            data = None
        except OSError as e:
            raise OutputError(tr("cannot read %(path)s: %(reason)s") % {"path": path, "reason": e.strerror or e},
                              tr("Check the file's permissions.")) from None
        if data is not None and not frontmatter.is_generated(data):
            raise OutputError(
                tr("%(path)s is a note of yours (no 'generated: true' in its front matter); mdnet will not "
                   "overwrite it") % {"path": path},
                tr("Rename that note, or write the agenda elsewhere with -o FILE.") if name == NOTE_NAME else
                tr("Rename that note: mdnet writes its own there."),
            )
        files.sweep(root)  # what an earlier writer, killed, left beside it
        atomic_write(path, markdown.encode("utf-8"))
    return path


def wikilink(path: str, shown: str | None = None) -> str:
    """`[[Contacts/Ana Núñez|Ana Núñez]]`: an Obsidian link to a note by its vault path, its text on
    one line. A path that no link can hold gives the name as text instead: with a line break, `[`,
    `]` or `|` the link would end early, and with a direction override it would reverse the rest of
    its line in Obsidian's editor."""
    target = path[:-3] if path.endswith(".md") else path
    if _UNLINKABLE.search(target):
        return markdown_text(shown or target.rsplit("/", 1)[-1])
    if shown is None:
        shown = target.rsplit("/", 1)[-1]
    elif _UNLINKABLE.search(shown):
        shown = one_line(shown).replace("|", "/").replace("[", "(").replace("]", ")")
    return f"[[{target}|{shown}]]"


# Names come from the vault: file names, and links as written. Printed into Markdown, control
# characters and line breaks would end the name's line (or reach a terminal as escape codes),
# direction overrides and isolates would reverse the rest of it, and Markdown's syntax, with
# Obsidian's (`#tag`, `==highlight==`, `~~strike~~`, `%%comment%%`, `$math$`, `^block`), would
# format it.
_BREAKS, _REORDERS, _SYNTAX = "\x00-\x1f\x7f-\x9f\u2028\u2029", "\u202a-\u202e\u2066-\u2069", r"\\`*_\[\]|<>#=~%$^"
_BREAK, _REORDER, _MARKUP = re.compile(f"[{_BREAKS}]"), re.compile(f"[{_REORDERS}]"), re.compile(f"[{_SYNTAX}]")
_UNSAFE = re.compile(f"[{_BREAKS}{_REORDERS}{_SYNTAX}]")
_UNLINKABLE = re.compile(f"[{_BREAKS}{_REORDERS}\\[\\]|]")  # in a link's target, or the text it shows


def markdown_text(text: str) -> str:
    """Text from the vault (a name, or a line naming people) as Markdown that shows it as written,
    on one line: line breaks and control characters become spaces, direction overrides are left
    out, and Markdown's and Obsidian's syntax is escaped with backslashes. The templates' `md`."""
    if _UNSAFE.search(text) is None:
        return text
    return _MARKUP.sub(r"\\\g<0>", one_line(text))


def one_line(text: str) -> str:
    """Text with its line breaks and control characters as spaces, and no direction override."""
    return _REORDER.sub("", _BREAK.sub(" ", text))


def obsidian_url(vault_name: str, target: str) -> str:
    """The URL that opens a note in Obsidian, vault and note fully percent-encoded, from the note's
    vault path (`.md` dropped) or a link's target (`#heading` and `.md` dropped). A path is kept
    whole: a note's name may hold `#`, which Obsidian cannot link to but can open."""
    file = target if target.endswith(".md") else target.split("#", 1)[0]
    file = file.removesuffix(".md")
    return f"obsidian://open?vault={quote(vault_name, safe='')}&file={quote(file, safe='')}"


def _body(markdown: str) -> str:
    """The note without its front matter, for the page and the terminal."""
    fences = frontmatter.split(markdown)
    if fences is None or fences[1] < 0:
        return markdown
    after = markdown.find("\n", fences[1])  # the end of the closing line
    return markdown[after + 1:].lstrip("\n") if after >= 0 else ""


def _contact_link_rule(state, silent: bool) -> bool:
    """markdown-it inline rule for the links `contact_links` writes, read at once: markdown-it's
    own reading of a link goes through a 2,000-character `mailto:` URL a character at a time."""
    m = _CONTACT_LINK.match(state.src, state.pos)
    if m is None:
        return False
    if not silent:
        state.push("contact_link", "", 0).meta = {"text": m.group(1), "url": m.group(2)}
    state.pos = m.end()
    return True


def _render_contact_link(self, tokens, idx, options, env) -> str:
    meta = tokens[idx].meta
    return f'<a href="{html.escape(meta["url"])}">{html.escape(meta["text"])}</a>'


def _wikilink_rule(state, silent: bool) -> bool:
    """markdown-it inline rule for `[[target|shown]]`."""
    m = _WIKILINK.match(state.src, state.pos)
    if m is None:
        return False
    if not silent:
        token = state.push("wikilink", "", 0)
        token.meta = {"target": m.group(1), "shown": m.group(2) or m.group(1)}
    state.pos = m.end()
    return True
