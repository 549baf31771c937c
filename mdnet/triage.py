"""`mdnet triage`: a terminal screen that walks the contacts missing a circle or a closeness and
takes one key per answer, so that hundreds of imported contacts are sorted in minutes.

`Session` is the walk itself, with no terminal: which contacts, what is known of the current one,
what each key does. Each answer is written at once through `setting` (the editor `mdnet set`
uses), so quitting or a crash loses nothing; `u` puts back the bytes the last answer replaced.
The vault is read once when the screen opens; an answer reads and writes only its own note.
`run` draws it with prompt_toolkit (the one module that imports it), in the campaign's language.
"""

from __future__ import annotations

import os
import re
import threading
from dataclasses import dataclass
from pathlib import Path

from mdnet import fast, fields, i18n
from mdnet.errors import MdnetError
from mdnet.frontmatter import as_text, properties, split
from mdnet.model import Contact, Vault

CLOSENESS_KEYS = "12345"
CIRCLE_KEYS = {"p": "personal", "w": "professional", "o": "opportunity"}
SKIP, UNDO, QUIT = "s", "u", "q"
BODY_LINES = 5
# A closeness property with a value, in the front matter at the start of a note's bytes.
_FRONT_MATTER = re.compile(rb"(?:\xef\xbb\xbf)?---[ \t]*\r?\n(.*?)^(?:---|\.\.\.)[ \t]*\r?$", re.S | re.M)
_CLOSENESS = re.compile(rb"^closeness[ \t]*:[ \t]*[^\s#]", re.M | re.I)


def closeness_written(data: bytes) -> bool:
    found = _FRONT_MATTER.match(data)
    return found is not None and _CLOSENESS.search(found.group(1)) is not None


def maybe_to_triage(vault: Vault) -> list[Contact]:
    """The contacts that may miss a circle or a closeness, by name (accents and case ignored); not
    those one must not contact. A closeness other than the default was written; whether the
    default was is for `missing` to say."""
    found = [c for c in vault.contacts if c.status != "do-not-contact" and (c.circle is None or c.closeness == 3)]
    return sorted(found, key=lambda c: (fields.fold(c.name), c.path))


def missing(root: Path, contact: Contact) -> bool:
    """Whether a contact misses its circle or its closeness: for one whose closeness reads as the
    default, the first bytes of its note say whether it was written."""
    return contact.circle is None or not _written(os.path.join(root, contact.path))


def _written(path: str) -> bool:
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return True  # gone since the vault was read: nothing to ask
    try:
        return closeness_written(os.read(fd, 1 << 14))
    except OSError:
        return True
    finally:
        os.close(fd)


@dataclass(frozen=True, slots=True)
class Card:
    """What the screen shows of one contact, from its note as it is now."""

    path: str
    name: str
    circle: str | None
    closeness: int | None  # None: not written
    details: tuple[tuple[str, str], ...]  # (label, value) for what is known
    lines: tuple[str, ...]  # the note's first lines of text


def card(root: Path, contact: Contact) -> Card:
    try:
        data = (root / contact.path).read_bytes()
    except OSError as e:  # moved or deleted since the screen opened: said, and the walk goes on
        return Card(contact.path, contact.name, contact.circle, None, (), (f"({e.strerror or e})",))
    read = properties(contact.path, data, "contact")
    entries = read[0] if isinstance(read, tuple) else {}
    text = data.decode("utf-8", "replace").lstrip("\ufeff")
    fences = split(text)
    if fences is not None and fences[1] >= 0:
        text = text[fences[1]:].split("\n", 1)[1] if "\n" in text[fences[1]:] else ""
    lines = tuple(line.strip()[:200] for line in text.splitlines() if line.strip())[:BODY_LINES]
    source = as_text(entries["source"].value) if "source" in entries else None
    details = (("Company", contact.company), ("Role", contact.role), ("Relation", contact.relation),
               ("How you met", contact.met_at), ("Source", source))
    return Card(contact.path, contact.name, _value(entries, "circle", _CIRCLE),
                _value(entries, "closeness", _CLOSENESS_VALUE),
                tuple((label, value) for label, value in details if value), lines)


_CIRCLE = fields.enum(fields.CIRCLES, "circle")
_CLOSENESS_VALUE = fields.number("closeness", 1, 5)


def _value(entries: dict, key: str, convert):
    """A property as the note holds it now (None when missing or unusable: it is asked for)."""
    entry = entries.get(key)
    try:
        return convert(entry.value) if entry is not None and entry.value not in ("", []) else None
    except fields.Bad:
        return None


@dataclass(frozen=True, slots=True)
class _Step:
    """One answer written: the note's bytes before and after, and where the walk was."""

    path: str
    old: bytes
    new: bytes
    index: int
    done: int
    skipped: int


class Session:
    """The walk through the contacts to triage: `press(key)` for each key; `card` is the current
    contact (None once the walk is over).

    Whether a contact misses its closeness is known from its note's first bytes, so the walk opens
    on the first that does and looks at the others as it reaches them; `count` looks at all of
    them, to say how many are left (`left` is None until then), and the screen runs it beside."""

    def __init__(self, root: Path, vault: Vault):
        self.root = Path(root)
        self.gettext = i18n.gettext_for(vault.campaign.locale)
        self.walk = maybe_to_triage(vault)
        self._missing: list[bool | None] = [None] * len(self.walk)
        self.counted = False
        self.index = self._next(0)
        self.done = 0
        self.skipped = 0
        self.history: list[_Step] = []
        self.message = ""
        self._card: Card | None = None

    @classmethod
    def open(cls, root: Path) -> Session:
        return cls(root, fast.load(root, with_checks=False))

    def _is_missing(self, i: int) -> bool:
        found = self._missing[i]
        if found is None:  # the counting thread may be looking too: both find the same
            found = self._missing[i] = missing(self.root, self.walk[i])
        return found

    def _next(self, i: int) -> int:
        """The first contact from `i` on that misses something (the walk's end when none does)."""
        while i < len(self.walk) and not self._is_missing(i):
            i += 1
        return i

    def count(self) -> None:
        for i in range(len(self.walk)):
            self._is_missing(i)
        self.counted = True

    @property
    def queue(self) -> list[Contact]:
        """Every contact the walk asks about, by name."""
        return [c for i, c in enumerate(self.walk) if self._is_missing(i)]

    @property
    def left(self) -> int | None:
        return sum(self._missing[self.index:]) if self.counted else None

    @property
    def card(self) -> Card | None:
        if self.index >= len(self.walk):
            return None
        if self._card is None or self._card.path != self.walk[self.index].path:
            self._card = card(self.root, self.walk[self.index])
        return self._card

    def press(self, key: str) -> bool:
        """Do what a key says; False once the screen should close."""
        if key == QUIT:
            return False
        self.message = ""
        if key == UNDO:
            self._undo()
        elif self.card is None:
            return True
        elif key in CLOSENESS_KEYS:
            self._answer({"closeness": int(key)}, finished=False)
        elif key in CIRCLE_KEYS:
            self._answer({"circle": CIRCLE_KEYS[key]}, finished=True)
        elif key == SKIP:
            self.index = self._next(self.index + 1)
            self.skipped += 1
        return True

    def _answer(self, sets: dict, finished: bool) -> None:
        from mdnet import setting  # with the first answer: it is not needed to open the screen

        path = self.walk[self.index].path
        try:
            old = (self.root / path).read_bytes()
            new = setting.changed(old, path, sets)
            setting.write_note(self.root, path, old, new)
        except OSError as e:
            self.message = self.gettext("Not written: %(reason)s") % {"reason": e.strerror or e}
            return
        except MdnetError as e:
            self.message = self.gettext("Not written: %(reason)s") % {"reason": e}
            return
        self.history.append(_Step(path, old, new, self.index, self.done, self.skipped))
        self._card = None
        if finished:
            self.index = self._next(self.index + 1)
            self.done += 1

    def _undo(self) -> None:
        from mdnet import setting

        if not self.history:
            self.message = self.gettext("Nothing to undo.")
            return
        step = self.history[-1]
        try:
            setting.write_note(self.root, step.path, step.new, step.old)
        except MdnetError as e:
            self.message = self.gettext("Not undone: %(reason)s") % {"reason": e}
            return
        self.history.pop()
        self.index, self.done, self.skipped = step.index, step.done, step.skipped  # those skipped since come again
        self._card = None
        self.message = self.gettext("Undone: %(name)s") % {"name": self.walk[step.index].name}


def screen(session: Session) -> list[tuple[str, str]]:
    """The screen as (style, text) pieces, in the campaign's language."""
    _ = session.gettext
    left = "…" if session.left is None else session.left
    out = [("bold", _("mdnet triage: %(done)s done, %(left)s left") % {"done": session.done, "left": left}),
           ("", "\n\n")]
    current = session.card
    if current is None:
        text = (_("Nothing to triage: every contact has a circle and a closeness.")
                if session.done == session.skipped == 0
                else _("All walked: %(done)d answered, %(skipped)d skipped (run mdnet triage again to see "
                       "them). mdnet agenda proposes whom to meet first.")
                % {"done": session.done, "skipped": session.skipped})
        out += [("", text + "\n\n"), ("reverse", _("q quit · u undo")), ("", "\n")]
    else:
        unset = _("not set")
        out += [("bold underline", current.name), ("", f"   {current.path}\n\n")]
        for label, value in current.details:
            out.append(("", f"{_(label)}: {value}\n"))
        out += [("", f"{_('Circle')}: "), ("bold", _(current.circle) if current.circle else unset),
                ("", f"   {_('Closeness')}: "),
                ("bold", str(current.closeness) if current.closeness else unset), ("", "\n\n")]
        out += [("italic", f"  {line}\n") for line in current.lines]
        out += [("", "\n"), ("reverse", _("1-5 closeness (1 = closest), then p personal · w professional (work) · "
                                         "o opportunity")), ("", "\n"),
                ("reverse", _("s skip · u undo · q quit")), ("", "\n")]
    if session.message:
        out += [("", "\n"), ("bold", session.message), ("", "\n")]
    return out


def run(root: Path, input=None, output=None) -> Session:
    """Open the screen on the vault and take keys until `q`; the session as it ended. `input` and
    `output` are prompt_toolkit's (a pipe and a dummy output in tests), else the terminal."""
    from prompt_toolkit.application import Application
    from prompt_toolkit.key_binding import KeyBindings
    from prompt_toolkit.layout import Layout, Window
    from prompt_toolkit.layout.controls import FormattedTextControl

    session = Session.open(root)
    keys = KeyBindings()

    def bind(key: str) -> None:
        @keys.add(key)
        def handle(event):
            if not session.press(key):
                event.app.exit()

    for key in [*CLOSENESS_KEYS, *CIRCLE_KEYS, SKIP, UNDO, QUIT]:
        bind(key)
    keys.add("c-c")(lambda event: event.app.exit())
    control = FormattedTextControl(lambda: screen(session))
    app = Application(layout=Layout(Window(control, wrap_lines=True)), key_bindings=keys, full_screen=True,
                      input=input, output=output)

    def count() -> None:  # after the screen is up; then it shows how many are left
        session.count()
        app.invalidate()

    counter = threading.Thread(target=count, daemon=True)
    counter.start()
    app.run()
    counter.join()
    return session
