"""A note's front matter: where it is in the note, and the properties it holds.

    split(text)                      where the properties are, between the `---` lines
    properties(path, bytes, kind)    a note's properties, or the NoteResult of a note whose front matter is broken
    compose(text)                    YAML's nodes, every scalar as text
    generated(properties)            whether mdnet wrote the note: the reader skips it, `agenda --write` replaces it

The reader, `edit` and the agenda find front matter with `split`, and parse it with `compose`,
the one place YAML is parsed (`edit` only walks the nodes). Every scalar is read as text (YAML's
base schema) and converted by `fields`, so YAML 1.1's implicit conversions (`10:30` -> 630,
`no` -> False) never happen.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import yaml

from mdnet.fields import fold
from mdnet.i18n import N_
from mdnet.model import ERROR, WARNING, NoteResult, Problem, problem

try:
    from yaml.cyaml import CParser as _Parser

    LIBYAML = True
except ImportError:  # PyYAML built without libyaml: correct, four times slower, and said so.
    from yaml.composer import Composer
    from yaml.parser import Parser
    from yaml.reader import Reader
    from yaml.scanner import Scanner

    class _Parser(Reader, Scanner, Parser, Composer):
        def __init__(self, stream):
            Reader.__init__(self, stream)
            Scanner.__init__(self)
            Parser.__init__(self)
            Composer.__init__(self)

        def dispose(self):
            pass

    LIBYAML = False


class _Composer(_Parser):
    """Composes nodes without resolving tags: every scalar is text, which is YAML's base schema.

    PyYAML's resolver would be called for every node only to answer "text"; skipping it is a
    third of the parsing time."""

    anchors: dict

    def descend_resolver(self, current_node, current_index):
        pass

    def ascend_resolver(self):
        pass

    def resolve(self, kind, value, implicit):
        return _TAGS[kind]


_TAGS = {yaml.ScalarNode: "tag:yaml.org,2002:str", yaml.SequenceNode: "tag:yaml.org,2002:seq",
         yaml.MappingNode: "tag:yaml.org,2002:map"}


def compose(text: str):
    """The node of a YAML text (None when it holds none), every scalar as text; raises yaml.YAMLError."""
    loader = _Composer(text)
    try:
        return loader.get_single_node()
    finally:
        loader.dispose()


# Notes bigger than this are read only this far: the front matter must close within it. A reader
# gives `properties` one byte more of a longer note, which tells it that the note goes on.
READ_LIMIT = 1 << 20
_FENCE = re.compile(r"^(?:---|\.\.\.)[ \t]*\r?$", re.M)
_TYPE_LINE = re.compile(r"^type\s*:", re.M | re.I)


def split(text: str) -> tuple[int, int] | None:
    """Where the front matter is in a note's text (without its BOM): (start, end) of the properties,
    which follow the opening `---` line and end where the closing `---` (or `...`) line starts;
    end is -1 when no line closes them. None when the note does not start with a `---` line."""
    first_end = text.find("\n")
    first = text if first_end < 0 else text[:first_end]
    if first.rstrip("\r \t") != "---":
        return None
    if first_end < 0:
        return len(text), -1
    close = _FENCE.search(text, first_end + 1)
    return first_end + 1, close.start() if close is not None else -1


def properties(path: str, data: bytes, folder_kind: str | None):
    """A note's properties (its front matter's top-level keys) and the problems reading them gave,
    from its vault-relative path and its bytes; or the NoteResult of a note whose front matter is
    broken (or not mdnet's business). Of a note longer than READ_LIMIT, the lines within it."""
    cut = len(data) > READ_LIMIT
    if cut:  # the rest is body: cut at a line end, so that no character or line is split in two
        data = data[:data.rfind(b"\n", 0, READ_LIMIT) + 1]
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as e:
        if folder_kind or _TYPE_LINE.search(data[:4096].decode("utf-8", "replace")):
            return _broken(path, 1, "not-utf8", N_("this note is not UTF-8 text (byte %(byte)s); save it as UTF-8"),
                           byte=e.start)
        return NoteResult(path, None, None)

    fences = split(text)
    if fences is None:
        if folder_kind:
            return _broken(path, 1, "no-front-matter", N_("this note has no front matter; start it with a '---' "
                                                          "line, its properties, and another '---' line"))
        return NoteResult(path, None, None)
    start, end = fences
    if end < 0:
        if folder_kind or _TYPE_LINE.search(text[:4096]):
            if cut:
                return _broken(path, 1, "front-matter-too-long", N_("the front matter does not close within the "
                               "note's first MiB, all mdnet reads of a note: end it with a '---' line, and keep long "
                               "text below it"))
            return _broken(path, 1, "unclosed-front-matter", N_("the front matter is not closed; end it with a "
                                                                "'---' line"))
        return NoteResult(path, None, None)
    block = text[start:end]
    return _simple_entries(path, block) or _composed_entries(path, block, folder_kind)


def generated(entries: dict[str, Entry]) -> bool:
    """Whether a note's properties say mdnet wrote it (`generated: true`, or yes, or sí, in any
    case): the reader skips such a note, and `agenda --write` writes over it."""
    entry = entries.get("generated")
    return entry is not None and fold(as_text(entry.value)) in ("true", "yes", "si")


def is_generated(data: bytes) -> bool:
    """`generated`, from a note's bytes; a note whose properties cannot be read is not mdnet's."""
    read = properties("", data, None)
    return not isinstance(read, NoteResult) and generated(read[0])


def _composed_entries(path: str, block: str, folder_kind: str | None):
    """The properties of front matter as libyaml composes it, or the NoteResult of a note whose
    front matter is broken (or not mdnet's business)."""
    try:
        node = compose(block)
    except yaml.YAMLError as e:
        if not (folder_kind or _TYPE_LINE.search(block)):
            return NoteResult(path, None, None)
        # A quote or a bracket left open is found only where the text ends: the line is the one that opened it.
        opened = (getattr(e, "context", None) or "").startswith(("while scanning a quoted", "while parsing a flow"))
        mark = (getattr(e, "context_mark", None) if opened else None) or getattr(e, "problem_mark", None) or \
            getattr(e, "context_mark", None)
        if mark is not None:
            line = mark.line + 2
        else:  # a character YAML refuses: only its position is known (in UTF-8 bytes, to libyaml)
            position = getattr(e, "position", None)
            text = block.encode("utf-8", "surrogatepass") if LIBYAML else block
            line = text.count(b"\n" if LIBYAML else "\n", 0, position) + 2 if isinstance(position, int) else 1
        what = getattr(e, "problem", None) or str(e).splitlines()[0]
        return _broken(path, line, "bad-yaml", N_("the front matter is not valid YAML: %(what)s; quote values "
                                                  "that hold ': ', '#', '[' or start with '@'"), what=what)
    if node is None:
        return {}, []
    if not isinstance(node, yaml.MappingNode):
        if folder_kind:
            return _broken(path, 1, "not-a-mapping", N_("the front matter is not a list of 'key: value' properties"))
        return NoteResult(path, None, None)
    return _entries(path, node)


def _broken(path: str, line: int, code: str, text: str, **params) -> NoteResult:
    return NoteResult(path, None, None, (problem(path, line, ERROR, code, text, **params),))


@dataclass(slots=True)
class Entry:
    """One property of a note, as its front matter writes it."""

    key: str  # as written
    value: object  # str, list or dict of plain values
    line: int  # the value's line in the file
    item_lines: list[int]  # each list item's own line, when the value is a list


_MAX_NODES = 10_000  # a guard against alias bombs: front matter is never this big


def _entries(path: str, node: yaml.MappingNode) -> tuple[dict[str, Entry], list[Problem]] | NoteResult:
    """The properties of a mapping node, or the NoteResult of a note holding more values than any
    front matter does (counting each use of an alias), which is read no further."""
    entries: dict[str, Entry] = {}
    problems: list[Problem] = []
    budget = [_MAX_NODES]
    for key_node, value_node in node.value:
        key_line = key_node.start_mark.line + 2
        if not isinstance(key_node, yaml.ScalarNode):
            problems.append(problem(path, key_line, WARNING, "bad-property-name",
                                    N_("a property name is not plain text; it is ignored")))
            continue
        key = key_node.value.strip().lower()
        if key in entries:
            problems.append(_twice(path, key_line, key_node.value))
        try:
            value = _plain(value_node, budget, 0)
        except RecursionError:
            if budget[0] < 0:
                return _broken(path, key_line, "front-matter-too-big", N_("the front matter is too big: here it "
                               "passes %(most)s values (an alias counts each time it is used), and mdnet reads no "
                               "more of this note; keep long data in the note's body"), most=f"{_MAX_NODES:,}")
            problems.append(problem(path, key_line, ERROR, "too-deep", N_("'%(name)s' is nested too deeply; it is "
                                                                          "ignored"), name=key_node.value))
            continue
        # A value on the key's line starts there; an empty value is reported on the key's line.
        items = [n.start_mark.line + 2 for n in value_node.value] if isinstance(value_node, yaml.SequenceNode) else []
        entries[key] = Entry(key_node.value, value, value_node.start_mark.line + 2 if value != "" else key_line,
                              items)
    return entries, problems


# Most front matter is written by Obsidian or by hand as one `key: value` a line, with lists of
# `- item` lines or `[a, b]`. That shape is read here directly, a third of the cost of composing
# it with libyaml; anything else (a block scalar, an anchor, an escape, a comment after a value,
# a list spread over lines, a tab...) returns None and goes to libyaml. Both must give the same
# entries: a property test holds them to it.
_SIMPLE_KEY = re.compile(r"([A-Za-z_][A-Za-z0-9_-]*):(?: +(.*))?")
_SIMPLE_ITEM = re.compile(r"( *)- +(.*)")
_MAX_SIMPLE_KEY = 1000  # a longer line's key is left to libyaml, which refuses keys over 1024
_INDICATORS = frozenset("-?:,[]{}#&*!|>'\"%@`")


def _simple_entries(path: str, block: str) -> tuple[dict[str, Entry], list[Problem]] | None:
    lines = block.split("\n")
    # Also what YAML takes for a line break (\r, NEL, LS, PS) or refuses (control characters).
    if not all(line.isprintable() for line in lines):
        return None
    entries: dict[str, Entry] = {}
    problems: list[Problem] = []
    i, end, nodes = 0, len(lines), 0
    while i < end:
        line = lines[i].rstrip(" ")
        i += 1
        if not line or line[0] == "#":
            continue
        m = _SIMPLE_KEY.fullmatch(line)
        if m is None or len(line) > _MAX_SIMPLE_KEY:  # YAML allows an implicit key 1024 characters
            return None
        key_line = i + 1
        if m.group(2):
            raw = m.group(2)
            value = _simple_flow(raw) if raw[0] == "[" else _simple_scalar(raw)
            if value is None:
                return None
            items: list[int] = [key_line] * len(value) if isinstance(value, list) else []
            at = key_line
        else:  # nothing, or a list of one line per item
            value, items, indent = "", [], None
            while i < end:
                line = lines[i].rstrip(" ")
                if not line or line.lstrip(" ")[0] == "#":
                    i += 1
                    continue
                if line[0] != " " and line[0] != "-":
                    break
                item = _SIMPLE_ITEM.fullmatch(line)
                if item is None or indent not in (None, len(item.group(1))):
                    return None
                indent = len(item.group(1))
                text = _simple_scalar(item.group(2))
                if text is None:
                    return None
                if not items:
                    value = []
                value.append(text)
                i += 1
                items.append(i + 1)
            at = items[0] if items else key_line
        key = m.group(1).lower()
        if key in entries:
            problems.append(_twice(path, key_line, m.group(1)))
        entries[key] = Entry(m.group(1), value, at, items)
        nodes += 1 + len(items)
        if nodes > _MAX_NODES:  # libyaml's reading reports it as an error
            return None
    return entries, problems


def _twice(path: str, line: int, key: str) -> Problem:
    return problem(path, line, WARNING, "duplicate-property",
                   N_("'%(name)s' is written twice; the last one counts: remove the other"), name=key)


def _simple_flow(raw: str) -> list[str] | None:
    """`[a, "[[b c]]"]`: a list on one line of plain words, or quoted text (brackets and all), with
    no commas; else None."""
    if raw[-1] != "]":
        return None
    inner = raw[1:-1]
    if not inner.strip(" "):
        return []
    found = []
    for part in inner.split(","):
        part = part.strip(" ")
        # Inside quotes `[`, `#` and `:` are text; a plain word holding one is YAML's business.
        if not part or part[0] not in "'\"" and any(c in _FLOW_STOPS for c in part):
            return None
        text = _simple_scalar(part)
        if text is None:
            return None
        found.append(text)
    return found


_FLOW_STOPS = frozenset("[]{}#:")


def _simple_scalar(raw: str) -> str | None:
    """The text of a value written on one line, plain or quoted without escapes; else None."""
    first = raw[0]
    if first == '"' or first == "'":
        inner = raw[1:-1]
        if len(raw) < 2 or raw[-1] != first or first in inner or (first == '"' and "\\" in inner):
            return None
        return inner
    if first in _INDICATORS or ": " in raw or " #" in raw or raw[-1] == ":":
        return None
    return raw


def _plain(node, budget: list[int], depth: int):
    budget[0] -= 1
    if budget[0] < 0 or depth > 30:
        raise RecursionError
    if isinstance(node, yaml.ScalarNode):
        return node.value
    if isinstance(node, yaml.SequenceNode):
        return [_plain(n, budget, depth + 1) for n in node.value]
    return {as_text(_plain(k, budget, depth + 1)): _plain(v, budget, depth + 1) for k, v in node.value}


def as_text(value) -> str:
    """A property's value as text; a list or a mapping is none."""
    return value if isinstance(value, str) else ""
