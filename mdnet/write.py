"""The commands that write notes: a new vault (`init`), new contact and meeting notes (`new`), and
what happened at a meeting or with a contact (`log`).

New notes are rendered from templates (`contact.md.j2`, `meeting.md.j2`, `campaign.md.j2`,
overridable like the agenda's) in the campaign's language, never over an existing note, and
written whole or not at all. `log` changes only the properties it sets, keeping every other byte
(see `edit`), and gives each new referral a contact note that says who referred them.
A refusal (a name Obsidian cannot use, a note that exists) is checked before anything is written,
so a refused command leaves the vault as it was.

Each command holds the vault's lock for writing notes (`files.writing`) from reading the vault to
the last note written: of two commands at once, the second waits and then reads what the first
wrote, so neither undoes the other's edit. A note changed meanwhile by anything that takes no lock
(Obsidian, a sync client) is not written over: the command stops and says to run it again.
"""

from __future__ import annotations

import difflib
import functools
import json
import os
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from mdnet import edit, fast, fields, files, i18n, listing, pipeline, render, vault as vault_reader
from mdnet.brief import briefer
from mdnet.errors import NoteRefused, OutputError, Unfit
from mdnet.links import link_key
from mdnet.model import Contact, Link, Meeting, Vault
from mdnet.notes import read_note

# Folder names the reader types notes by (SPEC section 2), the locale's own first.
FOLDERS = {
    "contact": {"en": ("Contacts", "People", "Contactos", "Personas"),
                "es": ("Contactos", "Personas", "Contacts", "People")},
    "meeting": {"en": ("Meetings", "Citas", "Reuniones"),
                "es": ("Reuniones", "Citas", "Meetings")},
}
CAMPAIGN_NOTE = {"en": "Campaign", "es": "Campaña"}
TEMPLATES_FOLDER = {"en": "Templates", "es": "Plantillas"}
OBSIDIAN_TEMPLATES = {  # note name in the templates folder -> built-in template
    "en": {"Contact": "obsidian-contact.md.j2", "Meeting": "obsidian-meeting.md.j2"},
    "es": {"Contacto": "obsidian-contact.md.j2", "Reunión": "obsidian-meeting.md.j2"},
}
# `* " \ / < > : | ?` cannot be in a file name on some system Obsidian runs on; `# ^ [ ]` cannot be
# in a link to it.
_FORBIDDEN = {**{c: "Obsidian does not allow it in file names" for c in '*"\\/<>:|?'},
              **{c: "it breaks Obsidian links to the note" for c in "#^[]"}}

MEETING_FLAGS = ("done", "cancel", "referrals", "thanked", "thanked_referrer", "outcomes")
_FLAG_NAMES = {"done": "--done", "cancel": "--cancel", "referrals": "--referral", "thanked": "--thanked",
               "thanked_referrer": "--thanked-referrer", "outcomes": "--outcome", "contacted": "--contacted"}


@dataclass(frozen=True, slots=True)
class Report:
    """What a writing command did: the files it wrote (vault-relative), one line per change, and
    warnings for the user (a meeting with someone who has no note…)."""

    root: Path
    written: tuple[str, ...] = ()
    lines: tuple[str, ...] = ()
    warnings: tuple[str, ...] = ()


@dataclass(slots=True)
class _Plan:
    """Notes to write, gathered so that every refusal happens before the first write.

    Each file is (path, new bytes, the bytes it must still hold: None for a new note)."""

    root: Path
    files: list[tuple[str, bytes, bytes | None]] = field(default_factory=list)
    lines: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    planned: set[str] = field(default_factory=set)  # the new notes' link keys

    def create(self, rel: str, text: str, line: str) -> None:
        _refuse_long(self.root, rel)
        _refuse_existing(self.root, rel, self.planned)
        self.files.append((rel, text.encode("utf-8"), None))
        self.planned.add(link_key(rel))
        self.lines.append(line)

    def change(self, rel: str, old: bytes, new: bytes) -> None:
        if new != old:
            self.files.append((rel, new, old))

    def commit(self) -> Report:
        """Write the planned files, once each is checked to hold still what was read (an edited note's
        bytes; no file at all for a new one): what changed meanwhile is never written over."""
        for rel, _, old in self.files:
            self._check(rel, old, "nothing was written")
        for folder in {(self.root / rel).parent for rel, _, _ in self.files}:
            files.sweep(folder)
        # Many notes (an import) reach the disk together, flushed once, not one by one: new notes, and
        # edited notes' new bytes before any is renamed into place.
        durable = len(self.files) < 8 or not hasattr(os, "sync")
        staged, installed = [], 0
        try:
            for rel, data, old in self.files:
                path = self.root / rel
                if old is None:
                    path.parent.mkdir(parents=True, exist_ok=True)
                    if not files.create(path, data, durable):
                        raise NoteRefused(f"{rel} appeared while mdnet was writing it; it was left as it is, and "
                                          "nothing more was written", "Edit that note, or choose another name.")
                elif durable:
                    self._check(rel, old, "nothing more was written")  # once more, as close to the rename as can be
                    files.atomic_write(path, data)
                else:
                    staged.append((rel, old, files.stage(path, data)))
            if not durable:
                os.sync()
            for rel, old, tmp in staged:
                self._check(rel, old, "nothing more was written")
                files.install(tmp, self.root / rel)
                installed += 1
        finally:
            for _, _, tmp in staged[installed:]:
                tmp.unlink(missing_ok=True)
        return Report(self.root, tuple(rel for rel, _, _ in self.files), tuple(self.lines), tuple(self.warnings))

    def _check(self, rel: str, old: bytes | None, outcome: str) -> None:
        path = self.root / rel
        try:
            now = path.read_bytes()
        except FileNotFoundError:
            now = None
        except OSError as e:
            raise OutputError(f"cannot read {path}: {e.strerror or e}", "Check the file's permissions.") from None
        if now == old:
            return
        if old is None:
            raise NoteRefused(f"{rel} appeared while mdnet was writing it; it was left as it is, and {outcome}",
                              "Edit that note, or choose another name.")
        # Obsidian, a sync client, may have saved the note since it was read: never undo that edit.
        raise NoteRefused(f"{rel} changed while mdnet was editing it; {outcome}",
                          "Run the command again: it reads the note as it is now.")


def _locked(command):
    """`command(root, …)` holding the vault's lock for writing notes from its first read to its
    last write (see the module's docstring)."""

    @functools.wraps(command)
    def locked(root: Path, *args, **kwargs) -> Report:
        with files.writing(root):
            return command(root, *args, **kwargs)

    return locked


# --- names and places ---------------------------------------------------------------------------

def note_name(name: str, what: str = "note") -> str:
    """The name as a file name (NFC, trimmed), or a refusal saying why Obsidian could not use it."""
    name = fields.nfc(name).strip()
    if not name:
        raise NoteRefused(f"the {what} name is empty", "Give a name, e.g. \"Ana Núñez\".")
    if name.startswith("."):
        raise NoteRefused(f"'{name}' starts with '.', which hides the note from Obsidian and mdnet",
                          "Write the name without the leading dot.")
    hidden = listing.hidden_character(name)
    if hidden:
        raise NoteRefused(f"the {what} name {name!r} holds {hidden}: a note's name may not hold a line break, "
                          "a control character, a zero-width character or a direction override",
                          "Write the name without it.")
    for c in name:
        if c in _FORBIDDEN:
            raise NoteRefused(f"'{name}' holds '{c}': {_FORBIDDEN[c]}", "Write the name without it.")
    return name


# A new note is first written whole under a temporary name beside it, `files.create`'s
# `.NAME.<8 hex digits>.tmp`, which must fit too.
_TEMPORARY_BYTES = len(".NAME.01234567.tmp") - len("NAME")


def _refuse_long(root: Path, rel: str) -> None:
    """Refuse a file name the file system cannot hold, or not its temporary names."""
    folder = (root / rel).parent
    try:
        limit = os.pathconf(folder if folder.is_dir() else root, "PC_NAME_MAX")
    except (AttributeError, OSError, ValueError):  # no pathconf (Windows), or no answer
        limit = -1
    limit = limit if limit > 0 else 255  # -1: the system did not say; 255 is the common limit
    file_name = rel.rsplit("/", 1)[-1]
    size = len(file_name.encode("utf-8"))
    if size + _TEMPORARY_BYTES > limit:
        raise NoteRefused(f"the note's file name would be {size} bytes long; a file name here may have "
                          f"{limit} bytes, and mdnet writes the note first under a name {_TEMPORARY_BYTES} "
                          "bytes longer",
                          f"Shorten the name: the file name may have {limit - _TEMPORARY_BYTES} bytes "
                          "(a letter with an accent takes two).")


def _refuse_existing(root: Path, rel: str, planned: set[str] = frozenset()) -> None:
    """Refuse a note outside the vault, or one that exists or is planned (`planned`: link keys)."""
    path = root / rel
    if not path.resolve().is_relative_to(root.resolve()):
        raise NoteRefused(f"{rel} would be outside the vault", "Choose a name without folders in it.")
    if path.exists() or path.is_symlink() or link_key(rel) in planned:
        raise NoteRefused(f"{rel} already exists; mdnet never writes over a note",
                          "Edit that note, or choose another name.")


def typed_folder(root: Path, kind: str, locale: str) -> str:
    """The vault's folder for contacts or meetings: an existing one (the shallowest, the locale's
    name first), else the locale's name for it."""
    names = FOLDERS[kind][i18n.language(locale)]
    rank = {n.casefold(): i for i, n in enumerate(names)}
    found = []
    for folder, dirs, _ in os.walk(root):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        rel = Path(folder).relative_to(root).as_posix()
        depth = 0 if rel == "." else rel.count("/") + 1
        found += [(depth + 1, rank[d.casefold()], f"{d}" if rel == "." else f"{rel}/{d}")
                  for d in dirs if d.casefold() in rank]
    return fields.nfc(min(found)[2]) if found else names[0]


def _contact_named(vault: Vault, name: str) -> Contact | None:
    """The contact a link to `name` reaches: by name, else by alias (of several, the shallowest);
    else the one contact whose name is this one written without accents (`Jose Perez`)."""
    key = link_key(name)
    found = [c for c in vault.contacts if link_key(c.name) == key]
    found = found or [c for c in vault.contacts if key in map(link_key, c.aliases)]
    if found:
        return min(found, key=lambda c: (c.path.count("/"), len(c.path), c.path))
    unaccented = [c for c in vault.contacts if fields.fold(c.name) == fields.fold(name)]
    return unaccented[0] if len(unaccented) == 1 else None


def _suggest(vault: Vault, name: str) -> str:
    key = fields.fold(name)
    names = sorted({c.name for c in vault.contacts})
    close = [n for n in names if fields.fold(n).startswith(key)]
    close = close or difflib.get_close_matches(name, names, n=3, cutoff=0.75)
    return f" (did you mean {', '.join(close[:3])}?)" if close else ""


def current_date(vault: Vault, today: date | None) -> date:
    return today or pipeline.current_date(vault)


# --- init ------------------------------------------------------------------------------------

def init(root: Path, locale: str, goal: str | None, pitch: str | None, today: date | None,
         templates: Path | None = None) -> Report:
    """A new vault in `root` (made if missing, or an existing folder of notes): the campaign note,
    the contact and meeting folders, `.obsidian/` and Obsidian templates for notes made there."""
    root = Path(root)
    if root.exists() and not root.is_dir():
        raise NoteRefused(f"{root} is a file, not a folder", "Give a folder for the vault.")
    try:
        root.mkdir(parents=True, exist_ok=True)  # made now: its `.mdnet/` holds the lock
    except OSError as e:
        raise OutputError(f"cannot create {root}: {e.strerror or e}",
                          "Check that you may write there, or choose another folder.") from None
    return _init(root, locale, goal, pitch, today, templates)


@_locked
def _init(root: Path, locale: str, goal: str | None, pitch: str | None, today: date | None,
          templates: Path | None) -> Report:
    lang = i18n.language(locale)
    existing = vault_reader.load(root).campaign.path
    if existing is not None:
        raise NoteRefused(f"{root} already holds a campaign note, {existing}; mdnet init leaves it as it is",
                          "Run `mdnet check` there, or init another folder.")
    zone = vault_reader.machine_zone()
    today = today or datetime.now(ZoneInfo(zone)).date()
    env = render.environment(root, lang, templates, new_notes=True)
    plan = _Plan(root)
    contacts, meetings = typed_folder(root, "contact", lang), typed_folder(root, "meeting", lang)
    campaign_note = f"{CAMPAIGN_NOTE[lang]}.md"
    text = render.render(env, "campaign.md.j2", goal=(goal or "").strip(), pitch=(pitch or "").strip(),
                         start=today, timezone=zone, locale=lang, contacts=contacts, meetings=meetings,
                         templates=list(OBSIDIAN_TEMPLATES[lang]))
    plan.create(campaign_note, text, f"created {campaign_note}")

    config = root / ".obsidian" / "templates.json"
    folder = _templates_folder(config) or TEMPLATES_FOLDER[lang]
    if not config.exists():
        settings = {"folder": folder, "dateFormat": "YYYY-MM-DD", "timeFormat": "HH:mm"}
        plan.create(".obsidian/templates.json", json.dumps(settings, indent=2) + "\n",
                    f"created .obsidian/templates.json (Obsidian's templates folder: {folder})")
    for name, template in OBSIDIAN_TEMPLATES[lang].items():
        rel = f"{folder}/{name}.md"
        if (root / rel).exists():
            plan.lines.append(f"kept {rel}")
            continue
        text = render.render(env, template, contacts=contacts, meetings=meetings)
        if read_note(rel, text.encode("utf-8")).kind is not None:
            plan.warnings.append(f"warning: Obsidian's templates folder {folder} is inside a contacts or meetings "
                                 f"folder, where mdnet would read {name}.md as a note of yours, so it was not written: "
                                 "set a templates folder outside them in Obsidian's settings")
            continue
        plan.create(rel, text, f"created {rel} (an Obsidian template)")
    report = plan.commit()
    made = []
    for rel in (contacts, meetings):
        if not (root / rel).is_dir():
            (root / rel).mkdir(parents=True)
            made.append(f"created {rel}/")
    return replace(report, lines=report.lines + tuple(made))


def _templates_folder(config: Path) -> str | None:
    """The templates folder an existing Obsidian configuration names, if any."""
    try:
        folder = json.loads(config.read_text(encoding="utf-8")).get("folder")
    except (OSError, ValueError, AttributeError):
        return None
    return folder.strip("/") if isinstance(folder, str) and folder.strip("/") else None


# --- new -------------------------------------------------------------------------------------

@_locked
def new_contact(root: Path, name: str, today: date | None = None, templates: Path | None = None,
                **details) -> Report:
    """A contact note `Name.md` in the contacts folder. `details`: circle, closeness, relation,
    referred_by, met_at, company, email, phone (None for those not given)."""
    vault = fast.load(root)
    plan = _Plan(root)
    rel = _plan_contact(plan, vault, note_name(_unlink(name), "contact"), current_date(vault, today), templates,
                        **details)
    _read_back(plan, rel)
    return plan.commit()


def _read_back(plan: _Plan, rel: str):
    """Read a planned note as `mdnet check` will, so that what it would say is said now."""
    data = next(data for path, data, _ in plan.files if path == rel)
    result = read_note(rel, data)
    plan.warnings += [p.render() for p in result.problems]
    return result.record


def _plan_contact(plan: _Plan, vault: Vault, name: str, today: date, templates: Path | None,
                  referred_by: str | None = None, **details) -> str:
    existing = _contact_named(vault, name)
    if existing is not None:
        raise NoteRefused(f"there is already a contact named {existing.name}: {existing.path}",
                          "Edit that note, or give this person a fuller name.")
    if referred_by is not None:
        referred_by = note_name(_unlink(referred_by), "referrer")
        referrer = _contact_named(vault, referred_by)
        if referrer is None:
            plan.warnings.append(f"warning: {referred_by} has no contact note yet{_suggest(vault, referred_by)}; "
                                 f"the link [[{referred_by}]] is written as given")
        else:
            referred_by = referrer.name
    lang = vault.campaign.locale
    rel = f"{typed_folder(plan.root, 'contact', lang)}/{name}.md"
    env = render.environment(plan.root, lang, templates, new_notes=True)
    text = render.render(env, "contact.md.j2", title=name, created=today,
                         referred_by=referred_by, **{k: details.get(k) for k in _CONTACT_DETAILS})
    plan.create(rel, text, f"created {rel}" + (f", referred by [[{referred_by}]]" if referred_by else ""))
    return rel


_CONTACT_DETAILS = ("circle", "closeness", "relation", "met_at", "company", "email", "phone")


@_locked
def new_meeting(root: Path, contact: str, when: date | datetime | None = None, today: date | None = None,
                duration: int | None = None, location: str | None = None, ask: str | None = None,
                format: str | None = None, create_contact: bool = False, templates: Path | None = None) -> Report:
    """A meeting note `YYYY-MM-DD Name.md` in the meetings folder, with the brief for that person."""
    vault = fast.load(root)
    today = current_date(vault, today)
    when = when or today
    day = when.date() if isinstance(when, datetime) else when
    name = note_name(_unlink(contact), "contact")
    plan = _Plan(root)
    person = _contact_named(vault, name)
    if person is None:
        if create_contact:
            rel = _plan_contact(plan, vault, name, today, templates)
            person = Contact(path=rel, name=name, created=today)
            vault = replace(vault, contacts=vault.contacts + (person,))
        else:
            plan.warnings.append(f"warning: {name} has no contact note{_suggest(vault, name)}; the meeting links to "
                                 f"[[{name}]] as given: create it with `mdnet new contact \"{name}\"`, "
                                 "or pass --create-contact")
    else:
        name = person.name
    lang = vault.campaign.locale
    ask = (fields.ASKS.get(fields.fold(ask)) or ask.strip()) if ask and ask.strip() else "advice"
    stem = f"{day.isoformat()} {name}"
    rel = f"{typed_folder(root, 'meeting', lang)}/{stem}.md"
    env = render.environment(root, lang, templates, new_notes=True)
    meeting = Meeting(
        path=rel, name=stem,
        with_=(Link(name, 1, person.path if person else None, person.path if person else None),),
        when=when, date=day, time=when.time() if isinstance(when, datetime) else None,
        duration=duration or 60, ask=ask if ask in fields.ASKS.values() else "advice",
        format=format or "in-person", location=location)

    brief = briefer(vault)

    def note(meeting: Meeting) -> str:
        return render.render(env, "meeting.md.j2", title=stem, contact=name, when=when, duration=meeting.duration,
                             ask=ask, format=meeting.format, location=location, brief=brief(meeting))

    plan.create(rel, note(meeting), f"created {rel}")
    read = _read_back(plan, rel)
    if read is not None and read.ask != meeting.ask:
        # Free text that asks for a job or a sale: the brief warns as the reader does.
        plan.files[-1] = (rel, note(replace(meeting, ask=read.ask)).encode("utf-8"), None)
    return plan.commit()


# --- log -------------------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class Found:
    path: str  # vault-relative
    kind: str  # contact or meeting
    name: str


def find_note(root: Path, vault: Vault, note: str, cwd: Path | None = None) -> Found:
    """A note from its path, its name, or an unambiguous start of its name (any case, any accents)."""
    for candidate in _as_paths(root, note, cwd or Path.cwd()):
        rel = fields.nfc(candidate.resolve().relative_to(root.resolve()).as_posix())
        kind = _kind_of(vault, rel, candidate)
        if kind not in ("contact", "meeting"):
            raise NoteRefused(f"{rel} is neither a contact nor a meeting",
                              "Give it 'type: contact' or 'type: meeting', or put it in the right folder.")
        return Found(rel, kind, rel.rsplit("/", 1)[-1][:-3])
    notes = [Found(c.path, "contact", c.name) for c in vault.contacts]
    notes += [Found(m.path, "meeting", m.name) for m in vault.meetings]
    key = fields.fold(fields.nfc(note))
    for match in (lambda n: fields.fold(n.name) == key, lambda n: fields.fold(n.name).startswith(key)):
        found = [n for n in notes if match(n)] if key else []
        if len(found) == 1:
            return found[0]
        if found:
            listed = ", ".join(n.path for n in sorted(found, key=lambda n: n.path)[:10])
            more = f" and {len(found) - 10} more" if len(found) > 10 else ""
            raise NoteRefused(f"'{note}' could be any of {len(found)} notes: {listed}{more}",
                              "Write more of the name, or the note's path.")
    close = difflib.get_close_matches(note, sorted({n.name for n in notes}), n=3, cutoff=0.6)
    hint = f"Did you mean {', '.join(close)}?" if close else "Check the name with `mdnet check`, or give the path."
    raise NoteRefused(f"no contact or meeting is named '{note}'", hint)


def _as_paths(root: Path, note: str, cwd: Path):
    """Files inside the vault that `note` names as a path (from the working folder or the vault)."""
    given = Path(note)
    tries = [given] if given.is_absolute() else [cwd / given, root / given]
    for path in tries:
        for p in (path, path.with_name(path.name + ".md")):
            if p.suffix.lower() == ".md" and p.is_file() and p.resolve().is_relative_to(root.resolve()):
                yield p
                return


def _kind_of(vault: Vault, rel: str, path: Path) -> str | None:
    for c in vault.contacts:
        if c.path == rel:
            return "contact"
    for m in vault.meetings:
        if m.path == rel:
            return "meeting"
    result = read_note(rel, path.read_bytes())
    errors = [p for p in result.problems if p.severity == "error" and result.record is None]
    if result.kind is None and errors:
        raise NoteRefused(f"{errors[0].render()}", "Fix it first; mdnet does not rewrite a note it cannot read.")
    return result.kind


@_locked
def log(root: Path, note: str, today: date | None = None, done: bool = False, cancel: bool = False,
        referrals: tuple[str, ...] = (), thanked: bool | date | None = None,
        thanked_referrer: bool | date | None = None, outcomes: tuple[str, ...] = (),
        next_follow_up: date | None = None, contacted: date | bool | None = None,
        templates: Path | None = None, cwd: Path | None = None) -> Report:
    """Record what happened. On a meeting: status, referrals (each becomes a contact referred by the
    meeting's first person), thanked, outcomes, next follow-up; on a contact: last contact (True:
    today) and next follow-up. Only the properties set change; every other byte stays."""
    vault = fast.load(root)
    today = current_date(vault, today)
    found = find_note(root, vault, note, cwd)
    _refuse_misplaced(vault, found, {
        "done": done, "cancel": cancel, "referrals": referrals, "thanked": thanked is not None,
        "thanked_referrer": thanked_referrer is not None, "outcomes": outcomes, "contacted": contacted is not None})
    meeting = next((m for m in vault.meetings if m.path == found.path), None)
    if done and meeting is not None and meeting.date is not None and meeting.date > today:
        raise Unfit(f"{found.path} is on {meeting.date}, after today ({today}): it cannot be done yet; "
                    "nothing was written", "Record it once it has taken place, or change its date first.")
    data = (root / found.path).read_bytes()
    current = edit.values(edit.parse(data, found.path))
    sets = {key: value for key, value in (
        ("status", "done" if done else "cancelled" if cancel else None),
        ("thanked", thanked),
        ("thanked_referrer", thanked_referrer),
        ("last_contact", today if contacted is True else contacted),
        ("next_follow_up", next_follow_up),
    ) if value is not None}
    # Each referral as the contact it names (by name or alias), else as written.
    people = {}
    for given in referrals:
        name = note_name(_unlink(given), "referral")
        person = _contact_named(vault, name)
        people.setdefault(link_key(person.name if person else name), (person.name if person else name, person))
    listed = {link_key(link.target) for link in _links(current.get("referrals"))}
    new_referrals = [name for key, (name, _) in people.items() if key not in listed]
    listed_outcomes = {fields.OUTCOMES.get(fields.fold(o)) for o in _texts(current.get("outcome"))}
    new_outcomes = [o for o in dict.fromkeys(outcomes) if o not in listed_outcomes]

    plan = _Plan(root)
    changed = edit.edit(data, found.path, sets, {"referrals": [edit.wikilink(n) for n in new_referrals],
                                                 "outcome": new_outcomes})
    plan.change(found.path, data, changed)
    summary = [f"{key}: {edit.scalar(value)}" for key, value in sets.items()
               if edit.expected_text(value) != current.get(key)]
    if new_referrals:
        summary.append("referrals: " + ", ".join(f"+ [[{n}]]" for n in new_referrals))
    if new_outcomes:
        summary.append("outcome: " + ", ".join(f"+ {o}" for o in new_outcomes))
    summary += [f"[[{n}]] already in referrals" for n, _ in people.values() if n not in new_referrals]
    plan.lines.append(f"{found.path}: " + ("; ".join(summary) if summary else "nothing to change"))
    _plan_referrals(plan, vault, today, templates, list(people.values()),
                    _first_person(vault, found.path, current.get("with")))
    return plan.commit()


def _plan_referrals(plan: _Plan, vault: Vault, today: date, templates: Path | None,
                    people: list[tuple[str, Contact | None]], referrer: str | None) -> None:
    """A contact note for each referral without one; `referred_by` for those that have none."""
    for name, person in people:
        if person is None:
            _plan_contact(plan, vault, name, today, templates, referred_by=referrer)
        elif person.referred_by is None and referrer and link_key(referrer) != link_key(person.name):
            data = (plan.root / person.path).read_bytes()
            plan.change(person.path, data, edit.edit(data, person.path, {"referred_by": edit.wikilink(referrer)}))
            plan.lines.append(f"{person.path}: referred_by: [[{referrer}]]")


def _refuse_misplaced(vault: Vault, found: Found, given: dict) -> None:
    flags = [_FLAG_NAMES[k] for k, v in given.items() if v and (k in MEETING_FLAGS) != (found.kind == "meeting")]
    if not flags:
        return
    if found.kind == "meeting":
        raise NoteRefused(f"{found.path} is a meeting; {', '.join(flags)} records a contact",
                          "Name the contact's note instead.")
    key = link_key(found.path)
    theirs = sorted((m for m in vault.meetings if any(link_key(link.contact or "") == key
                                                       for link in m.with_)),
                    key=lambda m: (m.status != "planned", -m.date.toordinal() if m.date else 0))
    hint = f"Their meetings: {', '.join(m.name for m in theirs[:3])}." if theirs else \
        f"Make one with `mdnet new meeting \"{found.name}\"`."
    raise NoteRefused(f"{found.name} is a contact; {', '.join(flags)} records a meeting: name the meeting", hint)


def _unlink(text: str) -> str:
    """`[[Ana Núñez]]` or `Ana Núñez` -> `Ana Núñez`."""
    text = text.strip()
    return fields.link_target(text[2:-2]) if text.startswith("[[") and text.endswith("]]") else text


def _links(value) -> tuple[Link, ...]:
    if value is None:
        return ()
    items = value if isinstance(value, list) else [value]
    try:
        found, _ = fields.links("referrals", 1, [1] * len(items))(items)
    except fields.Bad:
        return ()
    return found


def _texts(value) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        return [v.strip() for v in value.split(",")]
    return [v for v in value if isinstance(v, str)]


def _first_person(vault: Vault, path: str, with_value) -> str | None:
    """The name of the meeting's first person: its contact's name, else the link as written."""
    meeting = next((m for m in vault.meetings if m.path == path), None)
    links = meeting.with_ if meeting else _links(with_value)
    if not links:
        return None
    contacts = {c.path: c for c in vault.contacts}
    first = links[0]
    return contacts[first.contact].name if first.contact in contacts else first.target.rsplit("/", 1)[-1]
