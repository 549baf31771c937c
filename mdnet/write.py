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

import functools
import itertools
import json
import os
import stat
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from mdnet import edit, fast, fields, files, i18n, listing, names, pipeline, render, vault as vault_reader, zones
from mdnet.brief import briefer
from mdnet.errors import NoteRefused, OutputError, Unfit, VaultNotFound
from mdnet.i18n import N_, ntr, tr
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
_FORBIDDEN = {**{c: N_("Obsidian does not allow it in file names") for c in '*"\\/<>:|?'},
              **{c: N_("it breaks Obsidian links to the note") for c in "#^[]"}}
# What `note_name` calls the name it reads, in its refusals.
_NAME_OF = {"note": N_("the note name"), "contact": N_("the contact name"), "referrer": N_("the referrer name"),
            "referral": N_("the referral name")}

MEETING_FLAGS = ("done", "cancel", "referrals", "thanked", "thanked_referrer", "outcomes")
_FLAG_NAMES = {"done": "--done", "cancel": "--cancel", "referrals": "--referral", "thanked": "--thanked",
               "thanked_referrer": "--thanked-referrer", "outcomes": "--outcome", "contacted": "--contacted"}


# Many files to write (an import) are flushed to disk together (`_Plan._write_all`) where the
# system allows it (`files.SYNC_WAITS`), else one by one.
_BATCH = 8


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
    folders: dict[Path, tuple[int, bool]] = field(default_factory=dict)  # name limit, inside the vault

    def create(self, rel: str, text: str, line: str) -> None:
        folder = (self.root / rel).parent
        if folder not in self.folders:  # asked of the file system once per folder, not per note
            self.folders[folder] = (_name_limit(self.root, folder), _inside(self.root, folder))
        limit, inside = self.folders[folder]
        _refuse_long(rel, limit)
        _refuse_existing(self.root, rel, self.planned, inside)
        self.files.append((rel, text.encode("utf-8"), None))
        self.planned.add(link_key(rel))
        self.lines.append(line)

    def change(self, rel: str, old: bytes, new: bytes) -> None:
        if new != old:
            self.files.append((rel, new, old))

    def commit(self) -> Report:
        """Write the planned files, once each is checked to hold still what was read (an edited note's
        bytes; no file at all for a new one): what changed meanwhile is never written over."""
        paths = [self.root / rel for rel, _, _ in self.files]  # made once: an import writes thousands
        for (rel, _, old), path in zip(self.files, paths):
            self._check(rel, path, old, first=True)
        folders = {path.parent for path in paths}
        for folder in folders:
            files.sweep(folder)
        if len(self.files) < _BATCH or not files.SYNC_WAITS:
            for (rel, data, old), path in zip(self.files, paths):
                self._write(rel, path, data, old)
        else:
            self._write_all(paths, folders)
        return Report(self.root, tuple(rel for rel, _, _ in self.files), tuple(self.lines), tuple(self.warnings))

    def _write(self, rel: str, path: Path, data: bytes, old: bytes | None) -> None:
        """One file, flushed to disk before it takes its name."""
        if old is None:
            path.parent.mkdir(parents=True, exist_ok=True)
            if not files.create(path, data):
                self._appeared(rel)
        else:
            self._check(rel, path, old, first=False)  # once more, as close to the rename as can be
            files.atomic_write(path, data)

    def _write_all(self, paths: list[Path], folders: set[Path]) -> None:
        """Many files (an import), the disk waited for once, not once per file (`files.write_staged`):
        a new note linked, never over a file; an edited one renamed over the old once it is checked
        to hold still what was read. The temporary files a crash may leave are swept by the next writer."""
        for folder in folders:
            folder.mkdir(parents=True, exist_ok=True)
        planned = {path: (rel, old) for (rel, _, old), path in zip(self.files, paths)}

        def name(tmp: str, path: Path) -> None:
            rel, old = planned[path]
            if old is None:
                if not files.place(tmp, path):
                    self._appeared(rel)
            else:
                self._check(rel, path, old, first=False)
                files.install(tmp, path)

        files.write_staged([(path, data) for (_, data, _), path in zip(self.files, paths)], name)

    @staticmethod
    def _appeared(rel: str) -> None:
        raise NoteRefused(tr("%(path)s appeared while mdnet was writing it; it was left as it is, "
                             "and nothing more was written") % {"path": rel},
                          tr("Edit that note, or choose another name."))

    def _check(self, rel: str, path: Path, old: bytes | None, first: bool) -> None:
        """Refuse the note `rel` (at `path`) when it does not hold `old`; `first`: before any note
        was written."""
        try:
            now = path.read_bytes()
        except FileNotFoundError:
            now = None
        except OSError as e:
            raise OutputError(tr("cannot read %(path)s: %(reason)s") % {"path": path, "reason": e.strerror or e},
                              tr("Check the file's permissions.")) from None
        if now == old:
            return
        if old is None:
            raise NoteRefused((tr("%(path)s appeared while mdnet was writing it; it was left as it is, and nothing "
                                  "was written") if first else
                               tr("%(path)s appeared while mdnet was writing it; it was left as it is, and nothing "
                                  "more was written")) % {"path": rel},
                              tr("Edit that note, or choose another name."))
        # Obsidian, a sync client, may have saved the note since it was read: never undo that edit.
        raise NoteRefused((tr("%(path)s changed while mdnet was editing it; nothing was written") if first else
                           tr("%(path)s changed while mdnet was editing it; nothing more was written"))
                          % {"path": rel}, tr("Run the command again: it reads the note as it is now."))


def _locked(command):
    """`command(root, …)` holding the vault's lock for writing notes from its first read to its
    last write (see the module's docstring)."""

    @functools.wraps(command)
    def locked(root: Path, *args, **kwargs) -> Report:
        with files.writing(root):
            return command(root, *args, **kwargs)

    return locked


def _in_vault(command):
    """`_locked`, for a command that writes in a vault: only `init` makes one where there is none
    (SPEC section 2), so a folder never initialised gets no `Contacts/` made in it silently."""
    locked = _locked(command)

    @functools.wraps(command)
    def checked(root: Path, *args, **kwargs) -> Report:
        if not listing.is_vault(root):
            raise VaultNotFound(tr("%(folder)s is no vault: it holds no campaign note, no .obsidian/ or .mdnet/ "
                                   "folder and no contacts or meetings folder; nothing was written") % {"folder": root},
                                tr("Run `mdnet init %(folder)s` to make it one, or give your vault with --vault DIR.")
                                % {"folder": root})
        return locked(root, *args, **kwargs)

    return checked


# --- names and places ---------------------------------------------------------------------------

def note_name(name: str, what: str = "note") -> str:
    """The name as a file name (NFC, trimmed), or a refusal saying why Obsidian could not use it."""
    name = fields.nfc(name).strip()
    if not name:
        raise NoteRefused(tr("%(what)s is empty") % {"what": tr(_NAME_OF[what])},
                          tr("Give a name, e.g. \"Ana Núñez\"."))
    if name.startswith("."):
        raise NoteRefused(tr("'%(name)s' starts with '.', which hides the note from Obsidian and mdnet")
                          % {"name": name}, tr("Write the name without the leading dot."))
    hidden = listing.hidden_character(name)
    if hidden:
        raise NoteRefused(tr("%(what)s %(name)r holds %(hidden)s: a note's name may not hold a line break, a control "
                             "character, a zero-width character or a direction override") % {
                                 "what": tr(_NAME_OF[what]), "name": name, "hidden": hidden},
                          tr("Write the name without it."))
    for c in name:
        if c in _FORBIDDEN:
            raise NoteRefused(tr("'%(name)s' holds '%(char)s': %(reason)s") % {
                "name": name, "char": c, "reason": tr(_FORBIDDEN[c])}, tr("Write the name without it."))
    return name


# A new note is first written whole under a temporary name beside it, `files.create`'s
# `.NAME.<8 hex digits>.tmp`, which must fit too.
_TEMPORARY_BYTES = len(".NAME.01234567.tmp") - len("NAME")


def _name_limit(root: Path, folder: Path) -> int:
    """The bytes a file name may have in `folder` (in the vault, when the folder is yet to be made)."""
    try:
        limit = os.pathconf(folder if folder.is_dir() else root, "PC_NAME_MAX")
    except (AttributeError, OSError, ValueError):  # no pathconf (Windows), or no answer
        limit = -1
    return limit if limit > 0 else 255  # -1: the system did not say; 255 is the common limit


def _refuse_long(rel: str, limit: int) -> None:
    """Refuse a file name the file system cannot hold (`limit` bytes), or not its temporary names."""
    file_name = rel.rsplit("/", 1)[-1]
    size = len(file_name.encode("utf-8"))
    if size + _TEMPORARY_BYTES > limit:
        raise NoteRefused(tr("the note's file name would be %(size)s bytes long; a file name here may have "
                             "%(limit)s bytes, and mdnet writes the note first under a name %(more)s bytes longer")
                          % {"size": size, "limit": limit, "more": _TEMPORARY_BYTES},
                          tr("Shorten the name: the file name may have %(most)s bytes (a letter with an accent "
                             "takes two).") % {"most": limit - _TEMPORARY_BYTES})


def _inside(root: Path, path: Path) -> bool:
    return path.resolve().is_relative_to(root.resolve())


def _refuse_existing(root: Path, rel: str, planned: set[str], folder_inside: bool) -> None:
    """Refuse a note outside the vault, or one that exists or is planned (`planned`: link keys).
    `folder_inside`: whether the note's folder resolves inside the vault; the note itself then does
    unless it is a link."""
    path = root / rel
    try:
        there = os.lstat(path)  # one question for both: is there a file, is it a link (an import asks 10,000 times)
    except (FileNotFoundError, NotADirectoryError):
        there = None
    if not (folder_inside and not (there and stat.S_ISLNK(there.st_mode))) and not _inside(root, path):
        raise NoteRefused(tr("%(path)s would be outside the vault") % {"path": rel},
                          tr("Choose a name without folders in it."))
    if there is not None or link_key(rel) in planned:
        raise NoteRefused(tr("%(path)s already exists; mdnet never writes over a note") % {"path": rel},
                          tr("Edit that note, or choose another name."))


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


def current_date(vault: Vault, today: date | None) -> date:
    return today or pipeline.current_date(vault)


# --- init ------------------------------------------------------------------------------------

def init(root: Path, locale: str, goal: str | None, pitch: str | None, today: date | None,
         templates: Path | None = None, timezone: str | None = None) -> Report:
    """A new vault in `root` (made if missing, or an existing folder of notes): the campaign note,
    the contact and meeting folders, `.obsidian/` and Obsidian templates for notes made there.
    `timezone`: the campaign's zone (else this machine's); one that is no zone is refused with
    the real ones it may mean."""
    zone = _zone(timezone)
    root = Path(root)
    if root.exists() and not root.is_dir():
        raise NoteRefused(tr("%(path)s is a file, not a folder") % {"path": root}, tr("Give a folder for the vault."))
    try:
        root.mkdir(parents=True, exist_ok=True)  # made now: its `.mdnet/` holds the lock
    except OSError as e:
        raise OutputError(tr("cannot create %(path)s: %(reason)s") % {"path": root, "reason": e.strerror or e},
                          tr("Check that you may write there, or choose another folder.")) from None
    return _init(root, locale, goal, pitch, today, templates, zone)


def _zone(given: str | None) -> tuple[str, bool]:
    """The campaign's zone, and whether it was given (else it is this machine's)."""
    if given is None:
        return vault_reader.machine_zone(), False
    if fields.is_zone(given.strip()):
        return given.strip(), True
    near = zones.nearest(given)
    shown = {"zone": fields.shown(given), "near": _either(near)}
    raise Unfit((tr("'%(zone)s' is no time zone; did you mean %(near)s?") if near else
                 tr("'%(zone)s' is no time zone")) % shown,
                tr("Give a zone of the IANA database as Area/City, e.g. --timezone Europe/Madrid."))


def _either(texts: list[str]) -> str:
    """'A', 'A or B', 'A, B or C', in the user's language."""
    if len(texts) < 2:
        return "".join(texts)
    return tr("%(some)s or %(last)s") % {"some": ", ".join(texts[:-1]), "last": texts[-1]}


@_locked
def _init(root: Path, locale: str, goal: str | None, pitch: str | None, today: date | None,
          templates: Path | None, zone: tuple[str, bool]) -> Report:
    lang = i18n.language(locale)
    found = vault_reader.load(root)
    existing = found.campaign.path
    if existing is not None:
        raise NoteRefused(tr("%(folder)s already holds a campaign note, %(note)s; mdnet init leaves it as it is")
                          % {"folder": root, "note": existing}, tr("Run `mdnet check` there, or init another folder."))
    zone, given = zone
    today = today or datetime.now(ZoneInfo(zone)).date()
    env = render.environment(root, lang, templates, new_notes=True)
    plan = _Plan(root)
    contacts, meetings = typed_folder(root, "contact", lang), typed_folder(root, "meeting", lang)
    campaign_note = f"{CAMPAIGN_NOTE[lang]}.md"
    text = render.render(env, "campaign.md.j2", goal=(goal or "").strip(), pitch=(pitch or "").strip(),
                         start=today, timezone=zone, locale=lang, contacts=contacts, meetings=meetings,
                         templates=list(OBSIDIAN_TEMPLATES[lang]))
    plan.create(campaign_note, text, tr("created %(path)s") % {"path": campaign_note})

    config = root / ".obsidian" / "templates.json"
    folder = _templates_folder(config) or TEMPLATES_FOLDER[lang]
    if not config.exists():
        settings = {"folder": folder, "dateFormat": "YYYY-MM-DD", "timeFormat": "HH:mm"}
        plan.create(".obsidian/templates.json", json.dumps(settings, indent=2) + "\n",
                    tr("created .obsidian/templates.json (Obsidian's templates folder: %(folder)s)")
                    % {"folder": folder})
    for name, template in OBSIDIAN_TEMPLATES[lang].items():
        rel = f"{folder}/{name}.md"
        if (root / rel).exists():
            plan.lines.append(tr("kept %(path)s") % {"path": rel})
            continue
        text = render.render(env, template, contacts=contacts, meetings=meetings)
        if read_note(rel, text.encode("utf-8")).kind is not None:
            plan.warnings.append(tr("warning: Obsidian's templates folder %(folder)s is inside a contacts or "
                                    "meetings folder, where mdnet would read %(name)s.md as a note of yours, so it "
                                    "was not written: set a templates folder outside them in Obsidian's settings")
                                 % {"folder": folder, "name": name})
            continue
        plan.create(rel, text, tr("created %(path)s (an Obsidian template)") % {"path": rel})
    report = plan.commit()
    made = []
    for rel in (contacts, meetings):
        if not (root / rel).is_dir():
            (root / rel).mkdir(parents=True)
            made.append(tr("created %(path)s") % {"path": f"{rel}/"})
    said = (tr("timezone: %(zone)s; to change it, edit 'timezone' in %(note)s") if given else
            tr("timezone: %(zone)s (this machine's zone); to change it, edit 'timezone' in %(note)s")) % {
                "zone": zone, "note": campaign_note}
    return replace(report, lines=_found(found) + report.lines + tuple(made) + (said,))


def _found(vault: Vault) -> tuple[str, ...]:
    """What an existing folder of notes already holds, which init leaves as it is."""
    if not (vault.contacts or vault.meetings):
        return ()
    bare = len({p.path for p in vault.problems if p.code == "no-properties"})
    with_properties, meetings = len(vault.contacts) - bare, len(vault.meetings)
    counts = {"contacts": ntr("%(num)s contact", "%(num)s contacts", with_properties) % {"num": with_properties},
              "meetings": ntr("%(num)s meeting", "%(num)s meetings", meetings) % {"num": meetings},
              "bare": bare}
    if bare:
        return (tr("found %(contacts)s with properties, %(bare)s without (give them a circle and a closeness with "
                   "`mdnet triage`) and %(meetings)s; none of them was changed") % counts,)
    return (tr("found %(contacts)s with properties and %(meetings)s; none of them was changed") % counts,)


def _templates_folder(config: Path) -> str | None:
    """The templates folder an existing Obsidian configuration names, if any."""
    try:
        folder = json.loads(config.read_text(encoding="utf-8")).get("folder")
    except (OSError, ValueError, AttributeError):
        return None
    return folder.strip("/") if isinstance(folder, str) and folder.strip("/") else None


# --- new -------------------------------------------------------------------------------------

@_in_vault
def new_contact(root: Path, name: str, today: date | None = None, templates: Path | None = None,
                referred_by: str | None = None, **details) -> Report:
    """A contact note `Name.md` in the contacts folder. `referred_by`: who gave the name (a name,
    path or alias, as `names` resolves them); `details`: circle, closeness, relation, met_at,
    company, email, phone (None for those not given)."""
    vault = fast.load(root, with_checks=False)
    plan = _Plan(root)
    name = note_name(names.written(name), "contact")
    if referred_by is not None:
        referrer = names.find(vault, referred_by)
        if referrer is None:
            referred_by = note_name(names.written(referred_by), "referrer")
            near = names.suggestions(vault, referred_by)
            plan.warnings.append((tr("warning: %(name)s has no contact note yet (did you mean %(near)s?); the link "
                                     "[[%(name)s]] is written as given") if near else
                                  tr("warning: %(name)s has no contact note yet; the link [[%(name)s]] is written "
                                     "as given")) % {"name": referred_by, "near": ", ".join(near)})
        else:
            referred_by = names.link_text(vault, referrer.path)
    rel = _plan_contact(plan, vault, name, current_date(vault, today), templates, referred_by, **details)
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
    """A new contact note, refused when the name already means a contact. `referred_by`: the
    text of a link to the referrer (`names.link_text`)."""
    same = names.matches(vault, name)
    if same:
        raise NoteRefused(tr("there is already a contact named %(name)s: %(paths)s") % {
            "name": same[0].name, "paths": ", ".join(n.path for n in same)},
                          tr("Edit that note, or give this person a fuller name."))
    lang = vault.campaign.locale
    rel = f"{typed_folder(plan.root, 'contact', lang)}/{name}.md"
    env = render.environment(plan.root, lang, templates, new_notes=True)
    text = render.render(env, "contact.md.j2", title=name, created=today,
                         referred_by=referred_by, **{k: details.get(k) for k in _CONTACT_DETAILS})
    plan.create(rel, text, (tr("created %(path)s, referred by [[%(referrer)s]]") if referred_by else
                            tr("created %(path)s")) % {"path": rel, "referrer": referred_by})
    return rel


_CONTACT_DETAILS = ("circle", "closeness", "relation", "met_at", "company", "email", "phone")


@_in_vault
def new_meeting(root: Path, contact: str, when: date | datetime | None = None, today: date | None = None,
                duration: int | None = None, location: str | None = None, ask: str | None = None,
                format: str | None = None, create_contact: bool = False, templates: Path | None = None) -> Report:
    """A meeting note `YYYY-MM-DD Name.md` in the meetings folder, with the brief for that person.

    `contact` is a contact's name, path or alias, or the start of one name (`names`); a name that
    means no contact is refused, or with `create_contact` (then never read as a start) gets its note."""
    vault = fast.load(root, with_checks=False)
    today = current_date(vault, today)
    when = when or today
    day = when.date() if isinstance(when, datetime) else when
    plan = _Plan(root)
    if create_contact:
        person = names.find(vault, contact)
    else:
        given = names.written(contact)
        person = names.resolve(vault, contact, prefix=True,
                               advice=tr("Make the contact first with `mdnet new contact \"%(name)s\"`, or pass "
                                         "--create-contact.") % {"name": given})
    if person is None:
        name = note_name(names.written(contact), "contact")
        path = _plan_contact(plan, vault, name, today, templates)
        link = names.link_text(vault, path)
        vault = replace(vault, contacts=vault.contacts + (Contact(path=path, name=name, created=today),))
    else:
        name, path, link = person.name, person.path, names.link_text(vault, person.path)
    lang = vault.campaign.locale
    ask = (fields.ASKS.get(fields.fold(ask)) or ask.strip()) if ask and ask.strip() else "advice"
    folder = typed_folder(root, 'meeting', lang)
    stem = f"{day.isoformat()} {name}"
    cancelled = {link_key(m.path) for m in vault.meetings if m.status == "cancelled"}
    for n in itertools.count(2):  # a meeting cancelled and booked again that day: a note of its own
        rel = f"{folder}/{stem}.md"
        if link_key(rel) not in cancelled:
            break
        stem = f"{day.isoformat()} {name} {n}"
    env = render.environment(root, lang, templates, new_notes=True)
    meeting = Meeting(
        path=rel, name=stem, with_=(Link(link.split("|", 1)[0], 1, path, path),),
        when=when, date=day, time=when.time() if isinstance(when, datetime) else None,
        duration=duration or 60, ask=ask if ask in fields.ASKS.values() else "advice",
        format=format or "in-person", location=location)

    brief = briefer(vault)

    def note(meeting: Meeting) -> str:
        return render.render(env, "meeting.md.j2", title=stem, contact=link, when=when, duration=meeting.duration,
                             ask=ask, format=meeting.format, location=location, brief=brief(meeting))

    plan.create(rel, note(meeting), tr("created %(path)s") % {"path": rel})
    read = _read_back(plan, rel)
    if read is not None and read.ask != meeting.ask:
        # Free text that asks for a job or a sale: the brief warns as the reader does.
        plan.files[-1] = (rel, note(replace(meeting, ask=read.ask)).encode("utf-8"), None)
    return plan.commit()


# --- log -------------------------------------------------------------------------------------

@_in_vault
def log(root: Path, note: str, today: date | None = None, done: bool = False, cancel: bool = False,
        referrals: tuple[str, ...] = (), thanked: bool | date | None = None,
        thanked_referrer: bool | date | None = None, outcomes: tuple[str, ...] = (),
        next_follow_up: date | None = None, contacted: bool = False, on: date | None = None,
        templates: Path | None = None, cwd: Path | None = None) -> Report:
    """Record what happened. On a meeting: status, referrals, thanked, outcomes, next follow-up; on
    a contact: `contacted` (`last_contact` set to `on`, else today) and next follow-up. Only the
    properties set change; every other byte stays.

    `note` is a contact's or meeting's name, path or alias, or the start of one name (`names`).
    A referral that is a contact's name, path or alias is linked to that contact, whose note is
    left as it is; any other gets a new contact note referred by the meeting's first person."""
    vault = fast.load(root, with_checks=False)
    today = current_date(vault, today)
    found = names.resolve(vault, note, meetings=True, prefix=True, root=root, cwd=cwd)
    _refuse_misplaced(vault, found, {
        "done": done, "cancel": cancel, "referrals": referrals, "thanked": thanked is not None,
        "thanked_referrer": thanked_referrer is not None, "outcomes": outcomes, "contacted": contacted})
    meeting = next((m for m in vault.meetings if m.path == found.path), None)
    if done and meeting is not None and meeting.date is not None and meeting.date > today:
        raise Unfit(tr("%(path)s is on %(day)s, after today (%(today)s): it cannot be done yet; nothing was "
                       "written") % {"path": found.path, "day": meeting.date, "today": today},
                    tr("Record it once it has taken place, or change its date first."))
    data = (root / found.path).read_bytes()
    current = edit.values(edit.parse(data, found.path))
    last_contact, kept = _last_contact(vault, found, on or today, today) if contacted else (None, None)
    sets = {key: value for key, value in (
        ("status", "done" if done else "cancelled" if cancel else None),
        ("thanked", thanked),
        ("thanked_referrer", thanked_referrer),
        ("last_contact", last_contact),
        ("next_follow_up", next_follow_up),
    ) if value is not None}
    people = _referrals(vault, referrals)
    listed = {_key(link.contact, link.target) for link in (meeting.referrals if meeting else
                                                              _links(current.get("referrals")))}
    new_referrals = [link for key, (link, _) in people.items() if key not in listed]
    listed_outcomes = {fields.OUTCOMES.get(fields.fold(o)) for o in _texts(current.get("outcome"))}
    new_outcomes = [o for o in dict.fromkeys(outcomes) if o not in listed_outcomes]

    plan = _Plan(root)
    changed = edit.edit(data, found.path, sets, {"referrals": [edit.wikilink(n) for n in new_referrals],
                                                 "outcome": new_outcomes})
    plan.change(found.path, data, changed)
    summary = [f"{key}: {edit.scalar(value)}" for key, value in sets.items()
               if edit.expected_text(value) != current.get(key)] + ([kept] if kept else [])
    if new_referrals:
        summary.append("referrals: " + ", ".join(f"+ [[{n}]]" for n in new_referrals))
    if new_outcomes:
        summary.append("outcome: " + ", ".join(f"+ {o}" for o in new_outcomes))
    summary += [tr("[[%(name)s]] already in referrals") % {"name": n} for n, _ in people.values()
                if n not in new_referrals]
    plan.lines.append(f"{found.path}: " + ("; ".join(summary) if summary else tr("nothing to change")))
    referrer = _first_person(vault, found.path, current.get("with"))
    for name, person in people.values():
        if person is None:
            # Professional: the circle a referral most often is, and one that raises no warning;
            # the user changes it where it is not.
            _plan_contact(plan, vault, name, today, templates, referrer, circle="professional")
    return plan.commit()


def _last_contact(vault: Vault, found: names.Note, day: date, today: date) -> tuple[date | None, str | None]:
    """The `last_contact` of a contact reached on `day`: that day; or, when its note holds a later
    one, None and a line saying it stays. A day after today is refused."""
    if day > today:
        raise Unfit(tr("--on %(day)s is after today (%(today)s): a contact not yet made cannot be recorded; nothing "
                       "was written") % {"day": day, "today": today},
                    tr("Record it on the day, or give the day it was made."))
    contact = next((c for c in vault.contacts if c.path == found.path), None)
    if contact is not None and contact.last_contact is not None and contact.last_contact > day:
        return None, tr("last_contact stays %(last)s, later than %(day)s") % {"last": contact.last_contact, "day": day}
    return day, None


def _referrals(vault: Vault, given: tuple[str, ...]) -> dict[str, tuple[str, names.Note | None]]:
    """Each referral given, once: the text of the link to the contact it means (never by a start of
    a name: a new "Luis" is not "Luis Gil"), else its name as written, with no contact."""
    people = {}
    for text in given:
        person = names.find(vault, text)
        if person is None:
            name = note_name(names.written(text), "referral")
            people.setdefault(_key(None, name), (name, None))
        else:
            people.setdefault(_key(person.path, ""), (names.link_text(vault, person.path), person))
    return people


def _key(contact: str | None, target: str) -> str:
    """A person in a meeting's referrals: the contact's path, else the link's target folded."""
    return contact if contact is not None else "?" + fields.fold(target)


def _refuse_misplaced(vault: Vault, found: names.Note, given: dict) -> None:
    flags = [_FLAG_NAMES[k] for k, v in given.items() if v and (k in MEETING_FLAGS) != (found.kind == "meeting")]
    if not flags:
        return
    said = {"path": found.path, "name": found.name, "flags": ", ".join(flags)}
    if found.kind == "meeting":
        raise NoteRefused(ntr("%(path)s is a meeting; %(flags)s records a contact",
                              "%(path)s is a meeting; %(flags)s records a contact", len(flags)) % said,
                          tr("Name the contact's note instead."))
    key = link_key(found.path)
    theirs = sorted((m for m in vault.meetings if any(link_key(link.contact or "") == key
                                                       for link in m.with_)),
                    key=lambda m: (m.status != "planned", -m.date.toordinal() if m.date else 0))
    hint = tr("Their meetings: %(names)s.") % {"names": ", ".join(m.name for m in theirs[:3])} if theirs else \
        tr("Make one with `mdnet new meeting \"%(name)s\"`.") % said
    raise NoteRefused(ntr("%(name)s is a contact; %(flags)s records a meeting: name the meeting",
                          "%(name)s is a contact; %(flags)s records a meeting: name the meeting", len(flags)) % said,
                      hint)


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
    """The text of a link to the meeting's first person: to its contact's note, else as written."""
    meeting = next((m for m in vault.meetings if m.path == path), None)
    links = meeting.with_ if meeting else _links(with_value)
    if not links:
        return None
    first = links[0]
    return names.link_text(vault, first.contact) if first.contact is not None else first.target
