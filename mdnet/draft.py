"""Messages the method asks for (SPEC section 8): the draft of each action that asks the user to
write to someone, and the `mailto:` URL that opens it in the mail program.

A draft is a pure function of the action (its kind, contact, the people it names, its occasion;
`campaign.py` puts them in it), the campaign (pitch, goal, language) and the plan's stats (how the
search is going), rendered from `templates/draft-KIND.md.j2`: the subject on the first line, then
the body. The agenda links each such action to its draft; `mdnet draft NAME` prints one.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from urllib.parse import quote

from mdnet import i18n
from mdnet.agenda import one_line
from mdnet.errors import Unfit
from mdnet.i18n import tr
from mdnet.model import Action, Campaign, Stats, Vault

# The kinds of action that ask the user to write to someone (SPEC section 8).
WRITING = ("first-meeting", "contact-referral", "follow-up", "thank", "thank-referrer", "ask-referrals")
# Longer URLs are cut short by some mail programs and browsers (RFC 6068 sets no limit).
MAILTO_LIMIT = 2000

_ADDRESS = re.compile(r"[^\s@]+@[^\s@]+")
# A sentence ends with . ! ? or … (and a closing quote or bracket), before a space or a line end.
_SENTENCE_END = re.compile(r"(?<=[.!?…])[\"'”’)»]*(?=\s)|\n")


@dataclass(frozen=True, slots=True)
class Draft:
    subject: str
    body: str

    def text(self, locale: str | None) -> str:
        """`Subject: …`, a blank line and the body, as `mdnet draft` prints it."""
        label = i18n.gettext_for(locale)("Subject")
        return f"{label}: {self.subject}\n\n{self.body}\n"


def compose(action: Action, campaign: Campaign, stats: Stats, env) -> Draft:
    """The draft of a writing action, rendered in `env` (`render.environment`, in the campaign's
    language) from `draft-KIND.md.j2`. Names and texts from the vault reach the template on one
    line each, so that none can add a line to the subject or end it early."""
    return _draft(_render_draft(env, action, _texts(action), campaign, stats))


def _texts(action: Action) -> tuple[str, ...]:
    """What a draft says of the people an action names, on one line each: the contact's name,
    their first name, then `about`, then `with_`."""
    name = _one_line(action.contact)
    return (name, name.split(" ", 1)[0], *map(_one_line, action.about), *map(_one_line, action.with_))


def _render_draft(env, action: Action, texts: tuple[str, ...], campaign: Campaign, stats: Stats) -> str:
    from mdnet import render

    about = 2 + len(action.about)
    return render.render(
        env, f"draft-{action.kind}.md.j2", kind=action.kind, contact=texts[0], first_name=texts[1],
        about=texts[2:about], with_=texts[about:], occasion=action.occasion,
        pitch=_one_line(campaign.pitch or "") or None, goal=_in_a_sentence(_one_line(campaign.goal or "")),
        stats=stats, names=_names(campaign.locale),
    )


def _draft(text: str) -> Draft:
    subject, _, body = text.lstrip("\n").partition("\n")
    return Draft(subject.strip(), body.strip("\n").rstrip())


class Drafter:
    """The `mailto:` URLs of many actions' drafts, for one agenda: `compose` and `mailto` for each,
    sooner. A large campaign's agenda has thousands of actions; rendering a template for each
    would take seconds on every save that `watch` sees. A built-in template passes the names it
    is given through as they are, so it is rendered once per kind of draft (kind, occasion, how
    many people it names) with placeholders for the names, percent-encoded once, and each
    action's names, encoded, take the placeholders' places. A user's template may do anything
    with a name: each action's draft is rendered from it."""

    def __init__(self, campaign: Campaign, stats: Stats, env):
        self.campaign, self.stats, self.env = campaign, stats, env
        self.shapes: dict[tuple, tuple[list, list] | None] = {}

    def mailto(self, action: Action, to: str) -> str | None:
        """`mailto(to, compose(action, …))`'s URL (cut when it must be)."""
        texts = _texts(action)
        shape = (action.kind, action.occasion, len(action.about), len(action.with_))
        encoded = self.shapes.get(shape, False)
        if encoded is False:
            encoded = self.shapes[shape] = self._encoded(action, len(texts))
        if encoded is not None:
            subject, body = ("".join([_encoded(texts[p]) if isinstance(p, int) else p for p in parts])
                             for parts in encoded)
            url = _HEAD.format(quote(to, safe="@"), subject, body)
            if len(url) <= MAILTO_LIMIT:
                return url
        link = mailto(to, compose(action, self.campaign, self.stats, self.env))
        return link and link[0]

    def _encoded(self, action: Action, count: int) -> tuple[list, list] | None:
        """The subject and body of this kind of draft, encoded, as pieces of text and the indexes
        of the names (`_texts`) between them; None when the template is not a built-in one."""
        from mdnet import render

        template = self.env.get_template(f"draft-{action.kind}.md.j2")
        if template.filename is None or Path(template.filename).parent != render.builtin_dir():
            return None
        draft = _draft(_render_draft(self.env, action, tuple(_token(i) for i in range(count)), self.campaign,
                                     self.stats))
        return tuple([int(p) if i % 2 else p for i, p in enumerate(_PLACEHOLDER.split(_encoded(text)))]
                     for text in (draft.subject, draft.body))


def _token(i: int) -> str:
    # Private-use characters: percent-encoded, they are found again in the encoded text.
    return f"\ue000{i}\ue001"


_PLACEHOLDER = re.compile(re.escape(quote("\ue000")) + r"(\d+)" + re.escape(quote("\ue001")))
_HEAD = "mailto:{}?subject={}&body={}"


def _names(locale: str | None):
    """The templates' `names(list)`: "Ana, Luis and Marta" in the campaign's language."""
    _ = i18n.gettext_for(locale)

    def names(items) -> str:
        items = list(items)
        if len(items) < 2:
            return "".join(items)
        return _("%(names)s and %(last)s") % {"names": ", ".join(items[:-1]), "last": items[-1]}

    return names


def _in_a_sentence(goal: str) -> str | None:
    """The goal, written as a sentence of its own, to go after a colon: "Move into product." →
    "move into product" (an initial kept where the next letter is a capital too: "UX design")."""
    goal = goal.rstrip(" .")
    if len(goal) > 1 and goal[1].islower():
        goal = goal[0].lower() + goal[1:]
    return goal or None


def _one_line(text: str) -> str:
    """Text from the vault as a draft puts it: on one line (`agenda.one_line`), spaces collapsed."""
    if text.isprintable() and "  " not in text and text.strip() == text:  # as most names are
        return text
    return " ".join(one_line(text).split())


def address(email: str | None) -> str | None:
    """The main e-mail address an action's contact has (`a, b` is a list: the first), if it is one."""
    main = first(email)
    return main if main and _ADDRESS.fullmatch(main) else None


def first(value: str | None) -> str | None:
    """The main one of a contact's e-mails or phones (the reader joins a list as `a, b`)."""
    return value.split(",", 1)[0].strip() or None if value else None


# --- mailto: URLs -----------------------------------------------------------------------------

def mailto(to: str, draft: Draft, limit: int = MAILTO_LIMIT) -> tuple[str, int] | None:
    """The RFC 6068 URL that opens `draft` to `to` in the mail program, and how many of the body's
    sentences it leaves out to stay within `limit` characters (0: none); None when even the
    address and the subject do not fit. Everything but letters, digits, `-._~` (and the address's
    `@`) is percent-encoded, line ends as `%0D%0A`: the URL holds no space, bracket or quote that
    could end a Markdown link or an HTML attribute early."""
    head = _HEAD.format(quote(to, safe="@"), _encoded(draft.subject), "")
    room = limit - len(head)
    if room < 0:
        return None
    sentences = _sentences(draft.body)
    kept, used = [], 0
    for sentence in sentences:
        size = len(_encoded(sentence))
        if used + size > room:
            break
        kept.append(sentence)
        used += size
    body = "".join(kept).rstrip()
    return head + _encoded(body), len(sentences) - len(kept)


@functools.lru_cache(maxsize=1 << 14)  # names, in many actions' links
@functools.lru_cache(maxsize=1 << 14)  # an agenda encodes the same names for many actions
def _encoded(text: str) -> str:
    return quote(text.replace("\r\n", "\n").replace("\n", "\r\n"), safe="")


def _sentences(body: str) -> list[str]:
    """The body cut after each sentence and each line, every piece holding the spaces after it."""
    pieces, start = [], 0
    for m in _SENTENCE_END.finditer(body):
        end = m.end()
        while end < len(body) and body[end].isspace():
            end += 1
        if end > start:
            pieces.append(body[start:end])
            start = end
    if start < len(body):
        pieces.append(body[start:])
    return pieces


# --- `mdnet draft NAME` -----------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class Written:
    """What `mdnet draft` prints: the draft, the action it is for, and the contact's address."""

    draft: Draft
    action: Action
    to: str | None
    locale: str


def for_name(root: Path, name: str, today: date | None = None, kind: str | None = None,
             templates: Path | None = None) -> Written:
    """The draft of the most urgent writing action (or of `kind`) for the contact `name` names (a
    meeting: its first person); Unfit (exit 2) saying what is due instead when there is none."""
    from mdnet import fast, pipeline, render
    from mdnet.engine import Planning

    vault = fast.load(root)
    planning = Planning.of(vault, today or pipeline.current_date(vault), 7)
    path, who = _person(root, vault, name)
    mine = [a for a in planning.plan.actions if _is_for(a, path, who)]
    # A contact that is not among the week's first-meeting suggestions can still be asked for one.
    mine += [a for _, a, _ in planning.parts.offers if _is_for(a, path, who) and a not in mine]
    wanted = [a for a in mine if a.kind == kind] if kind else [a for a in mine if a.kind in WRITING]
    if not wanted:
        raise Unfit(_nothing_to_write(who, kind, mine), tr("Run `mdnet agenda` to see what is due."))
    action = wanted[0]
    campaign = vault.campaign
    env = render.environment(root, campaign.locale, templates)
    return Written(compose(action, campaign, planning.plan.stats, env), action, address(action.email),
                   campaign.locale)


def _person(root: Path, vault: Vault, name: str) -> tuple[str | None, str]:
    """The contact a name means (its note's path, or None for a meeting's person with no note) and
    that person's name: a contact's or a meeting's name, path or unique start (`names.resolve`;
    no such note, or several, exit 2)."""
    from mdnet import names

    found = names.resolve(vault, name, meetings=True, prefix=True, root=root)
    if found.kind == "contact":
        return found.path, found.name
    meeting = next(m for m in vault.meetings if m.path == found.path)
    if not meeting.with_:
        raise Unfit(tr("%(path)s names nobody in 'with'") % {"path": found.path}, tr("Add the people met, as links."))
    first = meeting.with_[0]
    contacts = {c.path: c for c in vault.contacts}
    if first.contact in contacts:
        return first.contact, contacts[first.contact].name
    return None, first.target


def _is_for(a: Action, path: str | None, who: str) -> bool:
    from mdnet.fields import fold

    return a.contact_path == path if path is not None else a.contact_path is None and fold(a.contact) == fold(who)


def _nothing_to_write(who: str, kind: str | None, due: list[Action]) -> str:
    what = (tr("no %(kind)s is due for %(name)s") if kind else tr("nothing asks you to write to %(name)s now")) % {
        "kind": kind, "name": who}
    if not due:
        return tr("%(what)s, and nothing else is due for them") % {"what": what}
    shown = "; ".join(tr("%(kind)s on %(date)s") % {"kind": a.kind, "date": a.due.isoformat()} for a in due[:5])
    return tr("%(what)s; due for them: %(due)s") % {"what": what, "due": shown}
