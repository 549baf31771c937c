"""Reading one note: its record (a campaign, a contact or a meeting) and its problems, on its own.

`read_note` is pure, so a cache can hold what it gives. A note's kind is its `type`, else its
folder's; its properties come from `frontmatter` and are converted by `fields`, each problem at
its line. Links are left as written: the vault resolves them once every note is read.
"""

from __future__ import annotations

import functools
import re
from datetime import datetime

from mdnet import fields
from mdnet.fields import Bad, fold, nfc
from mdnet.frontmatter import Entry, as_text, generated, properties
from mdnet.i18n import N_
from mdnet.model import ERROR, WARNING, Campaign, Contact, Link, Meeting, NoteResult, Problem, problem

CONTACT_FOLDERS = {"contacts", "people", "contactos", "personas"}
MEETING_FOLDERS = {"meetings", "reuniones", "citas"}


def _folder_kind(path: str) -> str | None:
    return _kind_of_folder(path[:path.rfind("/") + 1])


@functools.lru_cache(maxsize=1024)  # a vault has few folders and many notes in each
def _kind_of_folder(folder: str) -> str | None:
    for part in folder.split("/")[:-1]:
        key = part.casefold()
        if key in CONTACT_FOLDERS:
            return "contact"
        if key in MEETING_FOLDERS:
            return "meeting"
    return None


def read_note(path: str, data: bytes) -> NoteResult:
    """One note's record and problems, from its vault-relative path and its bytes. Never raises."""
    folder_kind = _folder_kind(path)
    read = properties(path, data, folder_kind)
    if isinstance(read, NoteResult):
        return read
    entries, problems = read

    if generated(entries):
        return NoteResult(path, None, None)

    kind = folder_kind
    if "type" in entries:
        declared = fields.NOTE_TYPES.get(fold(as_text(entries["type"].value)))
        kind = declared or folder_kind
    aliases = _aliases(entries)
    if kind is None:
        return NoteResult(path, None, None, (), aliases)

    name = nfc(path.rsplit("/", 1)[-1][:-3])
    record, more = _READERS[kind](path, name, entries)
    problems.extend(more)
    problems.extend(_typos(path, kind, entries))
    return NoteResult(path, kind, record, tuple(problems), aliases)


def _typos(path: str, kind: str, entries: dict[str, Entry]) -> list[Problem]:
    """A property that is almost one of mdnet's names is most likely a typo (`closenes`, `cirlce`) or
    a name cut short (`next`); any other is the user's own, and mdnet keeps quiet about it."""
    known = _KNOWN_KEYS[kind]
    found = []
    for key, entry in entries.items():
        if key not in known and (meant := _did_you_mean(key, kind)) is not None:
            found.append(problem(path, entry.line, WARNING, "unknown-property",
                                 N_("'%(name)s' is not a property mdnet reads; did you mean '%(known)s'?"),
                                 name=entry.key, known=_SPELLED.get(meant, meant)))
    return found


@functools.lru_cache(maxsize=4096)  # a vault's own properties come back in note after note
def _did_you_mean(key: str, kind: str) -> str | None:
    """The known property of a `kind` of note that `key` most likely meant: the nearest within two
    edits (one for a name of four letters or fewer: `note` is two from `role`, and no typo of it),
    else the only one it begins (three letters at least: `next` -> next_follow_up); None when none
    is that close."""
    known, most = _KNOWN_KEYS[kind], 1 if len(key) <= 4 else 2
    near = sorted((d, name) for name in known if (d := _edits(key, name, most)) <= most)
    if near:
        return near[0][1]
    started = [name for name in known if name.startswith(key)] if len(key) >= 3 else []
    return started[0] if len(started) == 1 else None


def _edits(a: str, b: str, most: int) -> int:
    """The edits (a letter added, removed, changed, or two swapped) from `a` to `b`, or `most` + 1
    when more than `most`."""
    if abs(len(a) - len(b)) > most:
        return most + 1
    before, row = None, list(range(len(b) + 1))
    for i, x in enumerate(a, 1):
        current = [i]
        for j, y in enumerate(b, 1):
            d = min(row[j] + 1, current[j - 1] + 1, row[j - 1] + (x != y))
            if before is not None and i > 1 and j > 1 and x == b[j - 2] and a[i - 2] == y:
                d = min(d, before[j - 2] + 1)
            current.append(d)
        before, row = row, current
        if min(row) > most:
            return most + 1
    return min(row[-1], most + 1)


def _aliases(entries: dict[str, Entry]) -> tuple[str, ...]:
    entry = entries.get("aliases") or entries.get("alias")
    if entry is None:
        return ()
    try:
        return tuple(nfc(a) for a in fields.texts(entry.value))
    except Bad:
        return ()


# Field tables: property -> (record attribute, converter). Link fields are read apart.
_CAMPAIGN = {
    "goal": ("goal", fields.text),
    "status": ("status", fields.enum(fields.CAMPAIGN_STATUSES, "status")),
    "start": ("start", fields.date_field("start")),
    "end": ("end", fields.date_field("end")),
    "pitch": ("pitch", fields.text),
    "meetings_per_week": ("meetings_per_week", fields.number("meetings_per_week", 0, 50)),
    "referrals_per_meeting": ("referrals_per_meeting", fields.number("referrals_per_meeting", 0, 20)),
    "follow_up_days": ("follow_up_days", fields.number("follow_up_days", 1, 3650)),
    "thank_within_days": ("thank_within_days", fields.number("thank_within_days", 0, 365)),
    "reply_days": ("reply_days", fields.number("reply_days", 1, 365)),
    "timezone": ("timezone", fields.zone("timezone")),
    "locale": ("locale", lambda v: _locale(fields.scalar(v))),
    "region": ("region", lambda v: _region(fields.scalar(v))),
    "feed_private": ("feed_private", fields.checkbox("feed_private")),
}
_CONTACT = {
    "circle": ("circle", fields.enum(fields.CIRCLES, "circle")),
    "relation": ("relation", fields.text),
    "closeness": ("closeness", fields.number("closeness", 1, 5)),
    "met_at": ("met_at", fields.text),
    "company": ("company", fields.text),
    "role": ("role", fields.text),
    "email": ("email", fields.text),
    "phone": ("phone", fields.text),
    "linkedin": ("linkedin", fields.text),
    "follow_up_every": ("follow_up_every", fields.number("follow_up_every", 1, 3650)),
    "next_follow_up": ("next_follow_up", fields.date_field("next_follow_up")),
    "last_contact": ("last_contact", fields.date_field("last_contact")),
    "status": ("status", fields.enum(fields.CONTACT_STATUSES, "status")),
    "created": ("created", fields.date_field("created")),
    "tags": ("tags", fields.texts),
    "aliases": ("aliases", fields.texts),
    "id": ("id", fields.text),
}
_MEETING = {
    "date": ("when", fields.datetime_field("date")),
    "starttime": ("start_time", fields.time_field("startTime")),
    "endtime": ("end_time", fields.time_field("endTime")),
    "allday": ("all_day", fields.checkbox("allDay")),
    "duration": ("duration", fields.minutes("duration")),
    "status": ("status", fields.enum(fields.MEETING_STATUSES, "status")),
    "format": ("format", fields.enum(fields.FORMATS, "format")),
    "location": ("location", fields.text),
    "thanked": ("thanked", fields.checkbox("thanked")),
    "thanked_referrer": ("thanked_referrer", fields.checkbox("thanked_referrer")),
    "next_follow_up": ("next_follow_up", fields.date_field("next_follow_up")),
    "id": ("id", fields.text),
}


def _locale(raw: str) -> str:
    lang = raw.replace("_", "-").split("-")[0].lower()
    if lang not in fields.LOCALES:
        raise Bad("unknown-value", N_("'%(name)s' is '%(value)s'; mdnet speaks en and es"), "warning",
                  name="locale", value=fields.shown(raw))
    return lang


def _region(raw: str) -> str:
    if not re.fullmatch(r"[A-Za-z]{2}", raw):
        raise Bad("unknown-value", N_("'%(name)s' is '%(value)s'; write a country's two-letter code, e.g. ES"),
                  "warning", name="region", value=fields.shown(raw))
    return raw.upper()


def _convert(path: str, entries: dict[str, Entry], table: dict) -> tuple[dict, list[Problem]]:
    values: dict = {}
    problems: list[Problem] = []
    for key, entry in entries.items():
        if key not in table or entry.value == "" or entry.value == []:
            continue
        attr, convert = table[key]
        try:
            values[attr] = convert(entry.value)
        except Bad as e:
            problems.append(_bad(path, entry, e))
    return values, problems


def _bad(path: str, entry: Entry, e: Bad, line: int | None = None) -> Problem:
    """A converter's complaint, with the field's name as written when the converter did not say it."""
    return problem(path, line or entry.line, e.severity, e.code, e.text, **{"name": entry.key, **e.params})


def _links(path: str, entries: dict[str, Entry], key: str, problems: list[Problem]) -> tuple[Link, ...]:
    entry = entries.get(key)
    if entry is None or entry.value in ("", []):
        return ()
    try:
        found, warnings = fields.links(key, entry.line, entry.item_lines)(entry.value)
    except Bad as e:
        problems.append(_bad(path, entry, e))
        return ()
    problems.extend(problem(path, line, WARNING, code, text, **params) for line, code, text, params in warnings)
    return found


def _read_campaign(path, name, entries):
    values, problems = _convert(path, entries, _CAMPAIGN)
    if not values.get("goal"):
        problems.append(problem(path, 1, WARNING, "no-goal", N_("the campaign has no 'goal': add one sentence "
                                "saying what professional objective this campaign serves")))
    return Campaign(path=path, **values), problems


def _read_contact(path, name, entries):
    values, problems = _convert(path, entries, _CONTACT)
    if not entries:
        problems.append(problem(path, 1, WARNING, "no-properties", N_(
            "this contact has no properties, so it has the defaults: add circle: personal, professional or "
            "opportunity, and closeness: 1 (closest) to 5, as properties, or with `mdnet triage`")))
    elif "circle" not in entries:
        problems.append(problem(path, 1, WARNING, "no-circle", N_("this contact has no 'circle': set circle: "
                                                                  "personal, professional or opportunity")))
    referred = _links(path, entries, "referred_by", problems)
    if len(referred) > 1:
        problems.append(problem(path, referred[1].line, WARNING, "several-referrers",
                                N_("'referred_by' names more than one person; the first counts")))
    return Contact(path=path, name=name, referred_by=referred[0] if referred else None, **values), problems


def _read_meeting(path, name, entries):
    values, problems = _convert(path, entries, _MEETING)
    with_ = _links(path, entries, "with", problems)
    referrals = _links(path, entries, "referrals", problems)
    outcome, ask, ask_text = _outcome(path, entries, problems), *_ask(path, entries, problems)
    start_time, end_time = values.pop("start_time", None), values.pop("end_time", None)
    all_day = values.pop("all_day", False)
    when = values.pop("when", None)
    if when is not None and not isinstance(when, datetime) and start_time is not None:
        when = datetime.combine(when, start_time)
    elif isinstance(when, datetime) and start_time is not None:
        problems.append(problem(path, entries["starttime"].line, WARNING, "time-twice",
                                N_("'date' has a time and 'startTime' too; the time in 'date' counts: remove one")))
    if "duration" not in values and end_time is not None and isinstance(when, datetime):
        span = (end_time.hour * 60 + end_time.minute) - (when.hour * 60 + when.minute)
        values["duration"] = span if span > 0 else span + 24 * 60
    if all_day and isinstance(when, datetime):
        when = when.date()
    no_with = not with_ and "with" not in _failed(problems, entries, "with")
    no_date = when is None and "date" not in _failed(problems, entries, "date")
    if no_with or no_date:
        problems.append(problem(path, 1, ERROR, "missing-property", _MISSING[no_with, no_date]))
    if not with_ or when is None:
        return None, problems
    return Meeting(path=path, name=name, with_=with_, when=when, referrals=referrals, outcome=outcome,
                   ask=ask, ask_text=ask_text, **values), problems


_MISSING = {
    (True, False): N_("this meeting has no 'with' (who you met, e.g. with: [\"[[Ana Núñez]]\"]); it is skipped "
                      "until you add it"),
    (False, True): N_("this meeting has no 'date' (e.g. date: 2026-11-20T10:30); it is skipped until you add it"),
    (True, True): N_("this meeting has no 'with' (who you met, e.g. with: [\"[[Ana Núñez]]\"]) and no 'date' "
                     "(e.g. date: 2026-11-20T10:30); it is skipped until you add it"),
}


def _failed(problems: list[Problem], entries: dict[str, Entry], key: str) -> set[str]:
    """Keys whose value was present but unusable (already reported: no 'missing' on top)."""
    entry = entries.get(key)
    if entry is not None and any(p.line == entry.line and p.severity == ERROR for p in problems):
        return {key}
    return set()


def _outcome(path, entries, problems) -> tuple[str, ...]:
    entry = entries.get("outcome")
    if entry is None or entry.value in ("", []):
        return ()
    items = entry.value if isinstance(entry.value, list) else [v for v in str(entry.value).split(",")]
    lines = entry.item_lines if isinstance(entry.value, list) else [entry.line] * len(items)
    convert = fields.enum(fields.OUTCOMES, "outcome")
    found: list[str] = []
    for item, line in zip(items, lines):
        try:
            value = convert(item)
        except Bad as e:
            problems.append(_bad(path, entry, e, line))
            continue
        if value not in found:
            found.append(value)
    return tuple(found)


_ASK_WORDS = re.compile(r"\b(job|empleo|trabajo|puesto|sale|venta|vender|sell)\b")


def _ask(path, entries, problems) -> tuple[str, str | None]:
    """`ask` is an enumeration or free text; free text that asks for a job or a sale counts as one."""
    entry = entries.get("ask")
    if entry is None or entry.value in ("", []):
        return "advice", None
    try:
        raw = fields.text(entry.value)
    except Bad as e:
        problems.append(_bad(path, entry, e))
        return "advice", None
    ask, words = fields.ASKS.get(fold(raw)), None
    if ask is None:
        word = _ASK_WORDS.search(fold(raw))
        ask = fields.ASKS.get(word.group(1), "job" if word.group(1) == "puesto" else "sale") if word else "advice"
        words = raw
    if ask in ("job", "sale"):
        problems.append(problem(path, entry.line, WARNING, "job-or-sale", _ASKS_THAT_FAIL[ask], value=fields.shown(raw)))
    return ask, words


_ASKS_THAT_FAIL = {
    "job": N_("'ask' is '%(value)s': the method says asking for a job gets you no time in their diary; ask for "
              "advice or their opinion (ask: advice)"),
    "sale": N_("'ask' is '%(value)s': the method says asking for a sale gets you no time in their diary; ask for "
               "advice or their opinion (ask: advice)"),
}

_READERS = {"campaign": _read_campaign, "contact": _read_contact, "meeting": _read_meeting}
_COMMON_KEYS = {"type", "tags", "aliases", "alias", "cssclasses", "title", "generated"}
_SPELLED = {"starttime": "startTime", "endtime": "endTime", "allday": "allDay"}  # as Full Calendar writes them
_KNOWN_KEYS = {
    "campaign": sorted(_COMMON_KEYS | set(_CAMPAIGN)),
    "contact": sorted(_COMMON_KEYS | set(_CONTACT) | {"referred_by"}),
    "meeting": sorted(_COMMON_KEYS | set(_MEETING) | {"with", "referrals", "ask", "outcome"}),
}
