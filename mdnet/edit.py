"""Round-trip edits of a note's front matter: set or extend a few top-level keys, keep every other byte.

Re-serialising YAML, even with a round-trip library, reflows the quoting, indentation, flow style
and comments of keys nobody asked to change. So the front matter is found and composed as the
reader finds and composes it (`frontmatter`), only to *locate* each top-level key's value (its
exact character span in the text), and ruamel.yaml only *emits* new values; the edit itself
splices text into those spans, in the note's own line ending. The result is parsed again and
compared with what was intended before the caller writes anything.

This is the one module that imports ruamel.yaml.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from datetime import date, datetime

from ruamel.yaml import YAML
from ruamel.yaml.scalarstring import DoubleQuotedScalarString
from yaml import YAMLError
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from mdnet.errors import NoteRefused
from mdnet.frontmatter import compose, split
from mdnet.i18n import tr

BOM = "\ufeff"
# A string written without quotes only when every YAML reader, 1.1 or 1.2, reads it back as the
# same text: it starts with a letter and holds nothing YAML gives a meaning to.
_PLAIN = re.compile(r"[^\W\d_](?:[\w.,'()&+/@-]| (?! ))*(?<! )")
_YAML11_WORDS = {"y", "n", "yes", "no", "on", "off", "true", "false", "null"}
_DEFAULT_ITEM_PREFIX = "  - "  # how Obsidian writes list items


@dataclass(frozen=True, slots=True)
class Quoted:
    """A value always written double-quoted: a link (unquoted, `[[x]]` is a nested list) or a phone."""

    text: str


def wikilink(name: str) -> Quoted:
    return Quoted(f"[[{name}]]")


def scalar(value) -> str:
    """One value as YAML text on one line, read back by any YAML reader as the same value."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%dT%H:%M:%S" if value.second else "%Y-%m-%dT%H:%M")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Quoted):
        return _double_quoted(value.text)
    if isinstance(value, str):
        if _PLAIN.fullmatch(value) and value.casefold() not in _YAML11_WORDS:
            return value
        return _double_quoted(value)
    raise TypeError(f"no YAML form for {value!r}")


def _double_quoted(text: str) -> str:
    if text.isprintable() and '"' not in text and "\\" not in text:
        return f'"{text}"'  # what ruamel.yaml writes for it, a thousand times sooner (an import writes thousands)
    yaml = YAML(typ="rt")
    yaml.width = 1 << 30  # never fold a long value onto a second line
    out = io.StringIO()
    yaml.dump({"k": DoubleQuotedScalarString(text)}, out)
    emitted = out.getvalue()
    assert emitted.startswith('k: "') and emitted.endswith('"\n') and "\n" not in emitted[:-1], emitted
    return emitted[3:-1]


def expected_text(value) -> str:
    """What a YAML reader gives back, as text, for a value written by `scalar`."""
    if isinstance(value, Quoted):
        return value.text
    if isinstance(value, (bool, int, date)):
        return scalar(value)
    return value


@dataclass(frozen=True, slots=True)
class FrontMatter:
    """A note split around its front matter; joining the parts gives back the same text."""

    bom: str
    head: str  # the opening `---` line, with its line end
    yaml: str  # the text between the fences
    tail: str  # the closing fence and the body
    newline: str  # the note's line end, used for every line added
    root: MappingNode | None  # None when the front matter is empty

    def text(self) -> str:
        return self.bom + self.head + self.yaml + self.tail


def parse(data: bytes, path: str) -> FrontMatter:
    """Split and parse a note; anything mdnet could not edit safely is refused, not rewritten."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise NoteRefused(tr("%(path)s is not UTF-8 text; mdnet leaves it as it is.") % {"path": path}) from None
    bom = BOM if text.startswith(BOM) else ""
    text = text[len(bom):]
    fences = split(text)
    if fences is None:
        raise NoteRefused(tr("%(path)s has no front matter (a first line '---'); mdnet leaves it as it is.")
                          % {"path": path})
    start, end = fences
    if end < 0:
        raise NoteRefused(tr("%(path)s: the front matter is not closed by a line '---'; fix it first.")
                          % {"path": path})
    yaml_text = text[start:end]
    try:
        root = compose(yaml_text)
    except YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        where = f"{path}:{mark.line + 2}" if mark is not None else path
        raise NoteRefused(tr("%(where)s: the front matter does not parse as YAML, so mdnet does not rewrite it; fix "
                             "it (mdnet check shows the problem) and run this again.") % {"where": where}) from None
    if root is not None and not isinstance(root, MappingNode):
        raise NoteRefused(tr("%(path)s: the front matter is not a list of 'key: value' lines; fix it first.")
                          % {"path": path})
    head = text[:start]
    return FrontMatter(bom, head, yaml_text, text[end:], "\r\n" if head.endswith("\r\n") else "\n", root)


def entries(fm: FrontMatter) -> dict[str, tuple[ScalarNode, Node]]:
    """Top-level keys (compared as mdnet's reader does: trimmed, lower case) and their nodes; for a
    key written twice, the last one, as readers take it."""
    if fm.root is None:
        return {}
    return {k.value.strip().lower(): (k, v) for k, v in fm.root.value if isinstance(k, ScalarNode)}


def plain(node: Node | None):
    """A node as plain data, every scalar as text (None for an empty value or a plain `null`)."""
    if node is None:
        return None
    if isinstance(node, ScalarNode):
        return None if not node.style and node.value in _NULLS else node.value
    if isinstance(node, SequenceNode):
        return [plain(item) for item in node.value]
    return {str(plain(k)): plain(v) for k, v in node.value}


_NULLS = {"", "~", "null", "Null", "NULL"}  # YAML 1.2's words for no value


def values(fm: FrontMatter) -> dict:
    return {key: plain(node) for key, (_, node) in entries(fm).items()}


@dataclass(frozen=True, slots=True)
class _Splice:
    start: int
    end: int
    text: str


def edit(data: bytes, path: str, sets: dict | None = None, appends: dict | None = None) -> bytes:
    """The note with top-level `sets` (key -> value) replaced or added and `appends` (key -> items)
    added to the end of list keys; every other byte is kept. Keys are edited in the order given."""
    sets, appends = sets or {}, appends or {}
    fm = parse(data, path)
    found = entries(fm)
    splices, added = [], []
    for key, value in sets.items():
        if key in found:
            splices.append(_set(fm, key, *found[key], value, path))
        else:
            added.append(f"{key}: {scalar(value)}{fm.newline}")
    for key, items in appends.items():
        if not items:
            continue
        if key in found:
            splices.append(_extend(fm, key, *found[key], items, path))
        else:
            prefix = _item_prefix(fm)
            added.append(f"{key}:{fm.newline}" + "".join(f"{prefix}{scalar(i)}{fm.newline}" for i in items))
    yaml_text = fm.yaml
    for s in sorted(splices, key=lambda s: s.start, reverse=True):
        yaml_text = yaml_text[:s.start] + s.text + yaml_text[s.end:]
    if added:
        if yaml_text and not yaml_text.endswith(("\n", "\r")):
            yaml_text += fm.newline
        yaml_text += "".join(added)
    new = FrontMatter(fm.bom, fm.head, yaml_text, fm.tail, fm.newline, None)
    _verify(fm, new.text(), sets, appends, path)
    return new.text().encode("utf-8")


def _colon(fm: FrontMatter, key_node: Node, path: str) -> int:
    """The index of the `:` that ends a key."""
    m = re.compile(r"[ \t]*:").match(fm.yaml, key_node.end_mark.index)
    if not m:
        raise NoteRefused(tr("%(path)s: the key %(key)r is written in a form mdnet does not edit; edit it by hand.")
                          % {"path": path, "key": key_node.value})
    return m.end() - 1


def _line_end(text: str, index: int) -> int:
    m = re.compile(r"[^\r\n]*").match(text, index)
    return m.end()


def _value_span(fm: FrontMatter, key_node: Node, node: Node, path: str) -> tuple[int, int] | None:
    """Where a key's value is written: None when it is empty (`key:` alone on its line)."""
    if node.start_mark.index < key_node.end_mark.index:
        raise NoteRefused(tr("%(path)s: %(key)r refers to another value (a YAML alias); edit it by hand.")
                          % {"path": path, "key": key_node.value})
    if isinstance(node, ScalarNode) and node.start_mark.index == node.end_mark.index:
        return None
    end = _last_end(node)
    while end > node.start_mark.index and fm.yaml[end - 1] in " \t\r\n":
        end -= 1  # block values end where the next token starts; keep what follows the value
    return node.start_mark.index, end


def _last_end(node: Node) -> int:
    """The end of a value's last character: a block collection ends at its last item's end."""
    if isinstance(node, (SequenceNode, MappingNode)) and not node.flow_style and node.value:
        last = node.value[-1]
        return _last_end(last[1] if isinstance(last, tuple) else last)
    return node.end_mark.index


def _set(fm: FrontMatter, key: str, key_node: Node, node: Node, value, path: str) -> _Splice:
    span = _value_span(fm, key_node, node, path)
    new = scalar(value)
    if span is None:
        colon = _colon(fm, key_node, path)
        end = _line_end(fm.yaml, colon + 1)
        rest = fm.yaml[colon + 1:end]
        if rest.strip():  # a comment after an empty value stays after the new one
            return _Splice(colon + 1, colon + 1, f" {new}" + ("" if rest[0] in " \t" else " "))
        return _Splice(colon + 1, end, f" {new}")
    start, end = span
    one_line_scalar = isinstance(node, ScalarNode) and node.style not in ("|", ">")
    if one_line_scalar:
        return _Splice(start, end, new)
    # A block value (a list, a mapping, a `|` text) becomes a one-line value after the colon.
    return _Splice(_colon(fm, key_node, path) + 1, end, f" {new}")


def _item_prefix(fm: FrontMatter, node: Node | None = None) -> str:
    """How list items are written: like the given list's first item, else the note's first block
    list, else the way Obsidian writes them."""
    candidates = [node] if node is not None else [v for _, v in entries(fm).values()]
    for seq in candidates:
        if isinstance(seq, SequenceNode) and not seq.flow_style and seq.value:
            mark = seq.value[0].start_mark
            line_start = fm.yaml.rfind("\n", 0, mark.index) + 1
            line_start = max(line_start, fm.yaml.rfind("\r", 0, mark.index) + 1)
            prefix = fm.yaml[line_start:mark.index]
            if re.fullmatch(r"[ ]*-[ ]+", prefix):
                return prefix
    return _DEFAULT_ITEM_PREFIX


def _extend(fm: FrontMatter, key: str, key_node: Node, node: Node, items, path: str) -> _Splice:
    nl = fm.newline
    if isinstance(node, MappingNode):
        raise NoteRefused(tr("%(path)s: %(key)r is a mapping, not a list; fix it first.") % {"path": path, "key": key})
    span = _value_span(fm, key_node, node, path)
    if isinstance(node, SequenceNode) and node.value:
        end = _last_end(node.value[-1])
        if node.flow_style:
            return _Splice(end, end, "".join(f", {scalar(i)}" for i in items))
        prefix = _item_prefix(fm, node)
        after = _line_end(fm.yaml, end)
        return _Splice(after, after, "".join(f"{nl}{prefix}{scalar(i)}" for i in items))
    prefix = _item_prefix(fm)
    lines = "".join(f"{nl}{prefix}{scalar(i)}" for i in items)
    if span is None:  # `key:` with nothing after it (perhaps a comment): the list goes below
        end = _line_end(fm.yaml, _colon(fm, key_node, path) + 1)
        return _Splice(end, end, lines)
    start, end = span
    if isinstance(node, SequenceNode):  # `[]`
        return _Splice(_colon(fm, key_node, path) + 1, end, lines)
    # One value written as a scalar: it becomes the list's first item, as written.
    return _Splice(_colon(fm, key_node, path) + 1, end, f"{nl}{prefix}{fm.yaml[start:end]}{lines}")


def _verify(old: FrontMatter, new_text: str, sets: dict, appends: dict, path: str) -> None:
    """Parse the result again: untouched keys must read the same, edited keys as intended."""
    new = parse(new_text.encode("utf-8"), path)
    before, after = values(old), values(new)
    changed = set(sets) | {k for k, items in appends.items() if items}
    intended = {k: v for k, v in before.items() if k not in changed}
    for key, value in sets.items():
        intended[key] = expected_text(value)
    for key, items in appends.items():
        if items:
            old_value = before.get(key)
            old_items = [] if old_value is None else old_value if isinstance(old_value, list) else [old_value]
            intended[key] = old_items + [expected_text(i) for i in items]
    if after != intended or new.tail != old.tail or new.bom != old.bom:
        raise NoteRefused(tr("%(path)s: mdnet could not change it without disturbing other lines; edit it by hand.")
                          % {"path": path}, tr("intended %(intended)r, got %(after)r") % {
                              "intended": intended, "after": after})


def replace_texts(data: bytes, path: str, change, same=None) -> bytes:
    """The note with every text value of its front matter, at any depth, replaced by `change(text)`
    where that differs (an unquoted `[[X]]`, a list in YAML, counts as the text `[[X]]`), each in
    its own quoting where it can be; every other byte is kept. In a list, a changed item for which
    `same(new text)` gives what another item of the list gives is removed rather than kept twice
    (two links that now name one person). Keys are never changed."""
    fm = parse(data, path)
    if fm.root is None:
        return data
    splices: dict[int, _Splice] = {}

    def walk(node: Node) -> None:
        text = _as_text(node)
        if text is not None:
            new = change(text)
            if new != text:
                splices[node.start_mark.index] = _Splice(node.start_mark.index, node.end_mark.index,
                                                         _restyled(node, new))
        elif isinstance(node, SequenceNode):
            for item, keep in zip(node.value, _kept([_as_text(i) for i in node.value], change, same)):
                if keep:
                    walk(item)
                else:
                    splices[item.start_mark.index] = _removed(fm.yaml, node, item)
        elif isinstance(node, MappingNode):
            for _, value in node.value:
                walk(value)

    walk(fm.root)
    yaml_text = fm.yaml
    for s in sorted(splices.values(), key=lambda s: s.start, reverse=True):
        yaml_text = yaml_text[:s.start] + s.text + yaml_text[s.end:]
    new_text = FrontMatter(fm.bom, fm.head, yaml_text, fm.tail, fm.newline, None).text()
    intended = _replaced(plain(fm.root), change, same)
    if plain(parse(new_text.encode("utf-8"), path).root) != intended:
        raise NoteRefused(tr("%(path)s: mdnet could not change its links without disturbing other lines; edit it "
                             "by hand.") % {"path": path})
    return new_text.encode("utf-8")


def _as_text(node) -> str | None:
    """The text of a value that holds one: a one-line or quoted scalar, or an unquoted `[[X]]`."""
    if isinstance(node, ScalarNode):
        return node.value if node.style not in ("|", ">") else None
    if isinstance(node, list):  # the same, of plain data
        return f"[[{node[0][0]}]]" if len(node) == 1 and isinstance(node[0], list) and len(node[0]) == 1 \
            and isinstance(node[0][0], str) else None
    if isinstance(node, SequenceNode) and node.flow_style and len(node.value) == 1:
        inner = node.value[0]
        if isinstance(inner, SequenceNode) and len(inner.value) == 1 and isinstance(inner.value[0], ScalarNode):
            return f"[[{inner.value[0].value}]]"
    return None


def _kept(texts: list[str | None], change, same) -> list[bool]:
    """Which items of a list stay: a changed one goes when another item is the same as it."""
    if same is None:
        return [True] * len(texts)
    new = [change(t) if t is not None else None for t in texts]
    changed = [t is not None and n != t for t, n in zip(texts, new)]
    seen = {same(n) for n, c in zip(new, changed) if n is not None and not c} - {None}
    kept = []
    for n, c in zip(new, changed):
        key = same(n) if c else None
        kept.append(key is None or key not in seen)
        seen.add(key)
    return kept


def _replaced(value, change, same):
    """What `replace_texts` makes of a front matter's plain data."""
    text = _as_text(value) if isinstance(value, list) else value if isinstance(value, str) else None
    if text is not None and (isinstance(value, str) or change(text) != text):
        return change(text)
    if isinstance(value, list):
        keep = _kept([_as_text(v) if isinstance(v, list) else v if isinstance(v, str) else None for v in value],
                     change, same)
        return [_replaced(v, change, same) for v, k in zip(value, keep) if k]
    if isinstance(value, dict):
        return {k: _replaced(v, change, same) for k, v in value.items()}
    return value


def _restyled(node: Node, text: str) -> str:
    """New text for a value, quoted as the old one was where it can be."""
    if isinstance(node, ScalarNode) and node.style == "'" and text.isprintable():
        return "'" + text.replace("'", "''") + "'"
    if isinstance(node, ScalarNode) and node.style == '"':
        return scalar(Quoted(text))
    return scalar(text)


def _removed(yaml_text: str, seq: SequenceNode, item: Node) -> _Splice:
    """A splice that removes one item of a list: its line in a block list, it and a comma in a flow one."""
    if not seq.flow_style:  # the item's whole line, with its line end (else the one before it)
        start = max(yaml_text.rfind("\n", 0, item.start_mark.index),
                    yaml_text.rfind("\r", 0, item.start_mark.index)) + 1
        end = _line_end(yaml_text, _last_end(item))
        line_end = re.compile(r"\r\n|\r|\n").match(yaml_text, end)
        if line_end:
            return _Splice(start, line_end.end(), "")
        return _Splice(max(start - (2 if yaml_text[start - 2:start] == "\r\n" else 1), 0), end, "")
    at = seq.value.index(item)
    if at > 0:
        return _Splice(_last_end(seq.value[at - 1]), _last_end(item), "")
    if len(seq.value) > 1:
        return _Splice(item.start_mark.index, seq.value[1].start_mark.index, "")
    return _Splice(item.start_mark.index, _last_end(item), "")
