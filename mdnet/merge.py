"""`mdnet merge KEEP DROP`: two contact notes of one person made one (SPEC section 7, "Merge").

KEEP's empty properties take DROP's values, lists (e-mails, phones, tags…) are joined, DROP's name
and aliases become KEEP's aliases, DROP's text goes at the end of KEEP under a heading of DROP's
name, every link to DROP in any note (by name, path or alias; in properties and in the text) is
re-pointed to KEEP, and DROP moves to the vault's `.trash/` (Obsidian's own trash: flat, the file
name kept, a number added when taken). A value of DROP's that differs from KEEP's is a conflict:
listed, and KEEP's kept. Every edit keeps every other byte of the notes (`edit`), and nothing is
written unless every note could be edited: the edits are planned first, as `write` plans.
"""

from __future__ import annotations

import difflib
import os
import re
import stat
from dataclasses import dataclass, fields as dataclass_fields, replace
from datetime import date
from pathlib import Path

from mdnet import edit, fast, files, listing, names, vcard, write
from mdnet.errors import NoteRefused, OutputError, Unfit
from mdnet.fields import fold
from mdnet.frontmatter import is_generated, split
from mdnet.i18n import tr
from mdnet.links import Resolver, link_key
from mdnet.model import ERROR, Contact, Link, Vault

TRASH = ".trash"
# A wikilink (`[[Target#Heading|shown]]`, its `|` escaped as `\|` inside a table), or code, where
# `[[…]]` is no link and is left alone.
_TARGET = r"((?:[^\[\]|#\n\\]|\\(?!\|))*)"  # up to `#` or `|` (or `\|`)
_LINK = re.compile(r"(`{3,}[\s\S]*?`{3,}|`[^`\n]+`)|\[\[" + _TARGET + r"(#(?:[^\[\]|\n\\]|\\(?!\|))*)?"
                   r"(\\?\|[^\[\]\n]*)?\]\]")
_WHOLE_LINK = re.compile(r"\[\[" + _TARGET + r"(?:#[^\[\]|\n]*)?(?:\\?\|[^\[\]\n]*)?\]\]")
_LISTS = {"email": str.casefold, "tags": lambda t: fold(t.lstrip("#"))}  # phone: by E.164, below
_NOT_MERGED = {"type", "aliases", "alias"}
_CONTACT_FIELDS = {f.name for f in dataclass_fields(Contact)} - {"path", "name", "line"}


def person(root: Path, vault: Vault, name: str) -> Contact:
    """The contact a name means to `merge` (its name, path, alias or the start of its name), as
    every write command reads a name (`names`), or a refusal with exit 2."""
    try:
        found = names.resolve(vault, name, meetings=True, prefix=True, root=root)
    except NoteRefused as e:  # a note given by its path that cannot be read
        raise Unfit(str(e), e.advice) from None
    contact = next((c for c in vault.contacts if c.path == found.path), None)
    if contact is None:  # a meeting, or a file given by its path that the reader skipped
        raise Unfit((tr("%(path)s is a meeting, not a contact mdnet could read; nothing was written")
                     if found.kind == "meeting" else
                     tr("%(path)s is a contact note mdnet could not read; nothing was written"))
                    % {"path": found.path},
                    tr("Run `mdnet check`, fix that note, and give the names of two contact notes."))
    return contact


@dataclass(frozen=True, slots=True)
class _Relinker:
    """Re-points every link that reaches DROP to KEEP, in a form Obsidian follows."""

    resolver: Resolver
    drop: Contact
    keep_target: str  # KEEP's name, or its path when another note shares the name
    keep_shown: str | None  # with a path, the name to show

    @classmethod
    def of(cls, vault: Vault, keep: Contact, drop: Contact) -> _Relinker:
        resolver = Resolver(list(vault.notes), {c.path: c.aliases for c in vault.contacts})
        shared = [p for p in vault.notes if p not in (keep.path, drop.path)
                  and link_key(p.rsplit("/", 1)[-1][:-3]) == link_key(keep.name)]
        if shared:
            return cls(resolver, drop, keep.path[:-3], keep.name)
        return cls(resolver, drop, keep.name, None)

    def reaches(self, target: str) -> str | None:
        """The path of the note a link's target reaches, as a person's link resolves."""
        return self.resolver.person(Link(target, 1), "", "with", []).note

    def text(self, text: str) -> str:
        return _LINK.sub(self._link, text)

    def _link(self, m: re.Match) -> str:
        code, target, heading, shown = m.groups()
        if code or not target.strip() or self.reaches(target.strip()) != self.drop.path:
            return m.group(0)
        separator = "|"
        if shown:
            separator, shown = ("\\|", shown[2:]) if shown.startswith("\\") else ("|", shown[1:])
        elif link_key(target.strip().rsplit("/", 1)[-1]) != link_key(self.drop.name):
            shown = target.strip()  # an alias: shown as it was written
        shown = shown if shown is not None else self.keep_shown
        return f"[[{self.keep_target}{heading or ''}" + (f"{separator}{shown}" if shown is not None else "") + "]]"

    def same(self, text: str | None):
        """What two links that name one note have in common (for no person twice in one list)."""
        m = _WHOLE_LINK.fullmatch(text or "")
        return (self.reaches(m.group(1).strip()) or link_key(m.group(1).strip())) if m else None

    def note(self, data: bytes, path: str) -> bytes:
        """A note with its links to DROP re-pointed, in its properties and its text."""
        text = data.decode("utf-8")
        folded = link_key(text)
        if not any(link_key(name) in folded for name in (self.drop.name, *self.drop.aliases)):
            return data  # no link can reach DROP without its name or an alias: nothing to parse
        bom = "\ufeff" if text.startswith("\ufeff") else ""
        if split(text[len(bom):]) is None:  # no properties: all of it is text
            return self.text(text).encode("utf-8")
        fm = edit.parse(edit.replace_texts(data, path, self.text, self.same), path)
        return (fm.bom + fm.head + fm.yaml + self.text(fm.tail)).encode("utf-8")


def merge(root: Path, keep: str, drop: str, dry_run: bool = False) -> write.Report:
    """Merge DROP into KEEP (see the module's docstring): what was done, or with `dry_run`, the
    edits as diffs and what would be done, with nothing written."""
    with files.writing(root):
        vault = fast.load(root, with_checks=False)
        keeper, dropped = person(root, vault, keep), person(root, vault, drop)
        if keeper.path == dropped.path:
            raise Unfit(tr("'%(keep)s' and '%(drop)s' are the same note, %(path)s; nothing was written") % {
                "keep": keep, "drop": drop, "path": keeper.path}, tr("Give the names of two different contact notes."))
        _refuse_broken(vault, keeper, dropped)
        relink = _Relinker.of(vault, keeper, dropped)
        plan = write._Plan(root)
        lines, olds = [], {}
        listed, _ = listing.scan(root)
        for f in listed:
            if f.path in (keeper.path, dropped.path):
                continue
            data = _bytes(root, f.path)
            if b"[[" not in data or is_generated(data):
                continue
            try:
                new = relink.note(data, f.path)
            except (NoteRefused, UnicodeDecodeError) as e:
                plan.warnings.append(tr("warning: %(path)s: its links were not re-pointed: %(reason)s") % {
                    "path": f.path, "reason": e if isinstance(e, NoteRefused) else tr("it is not UTF-8 text")})
                continue
            if new != data:
                olds[f.path] = data
                plan.change(f.path, data, new)
                lines.append(tr("%(path)s: links to %(drop)s now lead to %(keep)s") % {
                    "path": f.path, "drop": dropped.name, "keep": keeper.name})
        keep_data, drop_data = _bytes(root, keeper.path), _bytes(root, dropped.path)
        try:
            merged, taken, conflicts = _merged(vault, keeper, dropped, keep_data, drop_data, relink)
        except NoteRefused as e:
            raise Unfit(str(e), e.advice) from None
        olds[keeper.path] = keep_data
        plan.change(keeper.path, keep_data, merged)
        lines.insert(0, f"{keeper.path}: " + ("; ".join(taken) if taken else tr("nothing to take")))
        if dry_run:
            moving = {"path": dropped.path, "trash": _trash_name(root, dropped.path)}
            return write.Report(root, (), (*_diffs(plan, olds), tr("would move %(path)s to %(trash)s") % moving,
                                           *conflicts, tr("nothing was written (--dry-run)")), tuple(plan.warnings))
        _trash(root)  # refused before any note is written, not after
        report = plan.commit()
        trash = _to_trash(root, dropped.path, drop_data)
        return replace(report, written=(*report.written, trash),
                       lines=(*lines, tr("moved %(path)s to %(trash)s") % {"path": dropped.path, "trash": trash},
                              *conflicts))


def _refuse_broken(vault: Vault, *people: Contact) -> None:
    for contact in people:
        errors = [p for p in vault.problems if p.path == contact.path and p.severity == ERROR]
        if errors:
            raise Unfit(tr("%(problem)s; nothing was written") % {"problem": errors[0].render()},
                        tr("Fix %(path)s first (mdnet check shows its problems), then merge again.") % {
                            "path": contact.path})


def _bytes(root: Path, rel: str) -> bytes:
    try:
        return (root / rel).read_bytes()
    except OSError as e:
        raise OutputError(tr("cannot read %(path)s: %(reason)s") % {"path": root / rel, "reason": e.strerror or e},
                          tr("Check the file's permissions.")) from None


def _merged(vault: Vault, keep: Contact, drop: Contact, keep_data: bytes, drop_data: bytes,
            relink: _Relinker) -> tuple[bytes, list[str], list[str]]:
    """KEEP's new bytes, what it took from DROP, and the conflicts."""
    keep_values = edit.values(edit.parse(keep_data, keep.path))
    drop_fm = edit.parse(relink.note(drop_data, drop.path), drop.path)
    region = vcard.region_of(vault.campaign)
    sets, appends, taken, conflicts = {}, {}, [], []
    for key, value in edit.values(drop_fm).items():
        if key in _NOT_MERGED or _empty(value):
            continue
        mine = keep_values.get(key)
        if key == "referred_by":
            _referrer(keep, drop, relink, value, mine, sets, conflicts)
        elif key in _LISTS or key == "phone" or isinstance(value, list) or isinstance(mine, list):
            if isinstance(value, dict) or isinstance(mine, dict):
                conflicts.append(_conflict(drop, key, mine, value))
                continue
            norm = _LISTS.get(key) or ((lambda p: vcard.e164(p, region)) if key == "phone" else (lambda t: t))
            have = {norm(i) for i in _as_list(mine) if isinstance(i, str)}
            new = [i for i in dict.fromkeys(_as_list(value)) if isinstance(i, str) and norm(i) not in have]
            if new:
                appends[key] = [edit.Quoted(i) if _WHOLE_LINK.fullmatch(i) else i for i in new]
                taken.append(f"{key}: " + ", ".join(f"+ {i}" for i in new))
        elif isinstance(value, dict):
            if _empty(mine) or mine != value:
                conflicts.append(_conflict(drop, key, mine, value, nested=True))
        elif _empty(mine):
            sets[key] = _typed(value)
            taken.append(f"{key}: {value}")
        elif _differ(keep, drop, key, mine, value):
            conflicts.append(_conflict(drop, key, mine, value))
    if keep.referred_by is not None and keep.referred_by.note == drop.path and "referred_by" not in sets:
        sets["referred_by"] = ""  # referred by DROP, who referred nobody: no one left to name
    names = [drop.name, *drop.aliases]
    known = {link_key(keep.name), *map(link_key, keep.aliases)}
    aliases = [n for n in dict.fromkeys(names) if link_key(n) not in known]
    if aliases:
        key = "alias" if "alias" in keep_values and "aliases" not in keep_values else "aliases"
        appends[key] = list(appends.get(key, [])) + aliases
        taken.append(f"{key}: " + ", ".join(f"+ {a}" for a in aliases))
    merged = edit.edit(relink.note(keep_data, keep.path), keep.path, sets, appends)
    body = drop_fm.tail.split("\n", 1)[1] if "\n" in drop_fm.tail else ""
    if body.strip():
        merged = _appended(merged, drop.name, body)
        taken.append(tr("the text of %(path)s under '## %(name)s'") % {"path": drop.path, "name": drop.name})
    return merged, taken, conflicts


def _referrer(keep: Contact, drop: Contact, relink: _Relinker, value, mine, sets: dict, conflicts: list) -> None:
    """`referred_by`: who referred DROP, unless it was KEEP; and KEEP referred by DROP is KEEP
    referred by whoever referred DROP (else by nobody: a person does not refer themselves)."""
    theirs = drop.referred_by.note if drop.referred_by else None
    if theirs == keep.path:
        return
    if keep.referred_by is not None and keep.referred_by.note == drop.path:
        sets["referred_by"] = edit.Quoted(value) if isinstance(value, str) else ""
    elif _empty(mine):
        sets["referred_by"] = edit.Quoted(value) if isinstance(value, str) else value
    elif (keep.referred_by.note if keep.referred_by else None) != theirs:
        conflicts.append(_conflict(drop, "referred_by", mine, value))


def _empty(value) -> bool:
    return value is None or value == "" or value == []


def _as_list(value) -> list:
    return [] if value is None else value if isinstance(value, list) else [value]


def _differ(keep: Contact, drop: Contact, key: str, mine, theirs) -> bool:
    """Whether two values say different things: as mdnet reads them for its own fields
    (`profesional` is `professional`), as text for the others."""
    if key in _CONTACT_FIELDS:
        return getattr(keep, key) != getattr(drop, key)
    return mine != theirs


def _typed(text: str):
    """A value as it was written: a date or a whole number stays one (written unquoted)."""
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        try:
            return date.fromisoformat(text)
        except ValueError:
            return text
    if re.fullmatch(r"[1-9]\d{0,8}|0", text):
        return int(text)
    return edit.Quoted(text) if _WHOLE_LINK.search(text) else text


def _conflict(drop: Contact, key: str, mine, theirs, nested: bool = False) -> str:
    said = {"key": key, "mine": _shown(mine), "name": drop.name, "theirs": _shown(theirs)}
    if nested:
        return tr("conflict: %(key)s: kept %(mine)s; %(name)s had %(theirs)s (a nested value: copy it by hand)") % said
    return tr("conflict: %(key)s: kept %(mine)s; %(name)s had %(theirs)s") % said


def _shown(value) -> str:
    return tr("nothing") if _empty(value) else repr(value) if not isinstance(value, str) else f"'{value}'"


def _appended(data: bytes, heading: str, body: str) -> bytes:
    """DROP's text at the end of KEEP, under a heading of DROP's name, in KEEP's line ends."""
    text = data.decode("utf-8")
    newline = "\r\n" if "\r\n" in text else "\n"
    body = body.replace("\r\n", "\n").strip("\n").replace("\n", newline)
    if not text.endswith(("\n", "\r")):
        text += newline
    return f"{text}{newline}## {heading}{newline}{newline}{body}{newline}".encode("utf-8")


def _diffs(plan, olds: dict[str, bytes]) -> list[str]:
    out = []
    for rel, new, _ in plan.files:
        old = olds[rel].decode("utf-8").splitlines(keepends=False)
        out += difflib.unified_diff(old, new.decode("utf-8").splitlines(keepends=False), f"a/{rel}", f"b/{rel}",
                                    lineterm="")
    return out


def _trash(root: Path) -> Path:
    """The vault's `.trash/` folder, made if missing; refused when it is a link (it could lead out)."""
    folder = root / TRASH
    try:
        folder.mkdir(exist_ok=True)
        if not stat.S_ISDIR(os.lstat(folder).st_mode):
            raise NoteRefused(tr("%(folder)s is a link or a file, not a folder; nothing was moved there")
                              % {"folder": folder}, tr("Make it a folder of the vault's own, and merge again."))
    except OSError as e:
        raise OutputError(tr("cannot create %(path)s: %(reason)s") % {"path": folder, "reason": e.strerror or e},
                          tr("Check that you may write in the vault.")) from None
    return folder


def _trash_name(root: Path, rel: str) -> str:
    """`.trash/NAME.md`, else `.trash/NAME 1.md`, `NAME 2.md`…: the first name not taken."""
    stem = rel.rsplit("/", 1)[-1][:-3]
    folder, n = root / TRASH, 0
    while True:
        name = f"{stem}.md" if n == 0 else f"{stem} {n}.md"
        if not (folder / name).exists() and not (folder / name).is_symlink():
            return f"{TRASH}/{name}"
        n += 1


def _to_trash(root: Path, rel: str, data: bytes) -> str:
    """Move a note to the trash under a name never taken (a hard link fails on a name that exists),
    once it is checked to hold still what was read."""
    folder = _trash(root)
    if _bytes(root, rel) != data:
        raise NoteRefused(tr("%(path)s changed while mdnet was merging it; the other notes were edited, and it was "
                             "left where it is") % {"path": rel},
                          tr("Move %(path)s to %(trash)s/ by hand once you have checked it.") % {
                              "path": rel, "trash": TRASH})
    while True:
        target = _trash_name(root, rel)
        try:
            os.link(root / rel, root / target)
        except FileExistsError:
            continue
        except OSError:  # no hard links here: the name was free a moment ago
            os.replace(root / rel, root / target)
            return target
        os.unlink(root / rel)
        files.sweep(folder)
        return target
