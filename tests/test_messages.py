"""Messages: in the user's language (gettext's variables), complete in Spanish, each problem with a
stable code that the README lists; the hints they give (did you mean, the corrected date)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from conftest import Clock
from mdnet import i18n, listing, notes, render
from mdnet.model import CODES

PACKAGE = Path(__file__).resolve().parent.parent / "mdnet"
README = Path(__file__).resolve().parent.parent / "README.md"
CAMPAIGN = "---\ntype: campaign\ngoal: Move into product\ntimezone: Europe/Madrid\n---\n"
CAMPAÑA = "---\ntype: campaign\ngoal: Pasar a producto\ntimezone: Europe/Madrid\nlocale: es\n---\n"
ENV = ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG")


@pytest.fixture
def language(monkeypatch):
    """language("es_ES.UTF-8") sets LANG alone, as a user's shell does."""

    def set_to(lang: str) -> None:
        for variable in ENV:
            monkeypatch.delenv(variable, raising=False)
        monkeypatch.setenv("LANG", lang)

    return set_to


# --- the catalogue --------------------------------------------------------------------------------

def used_messages() -> dict[str | tuple, str]:
    """Every message of the user's catalogue the code uses (`tr`, `ntr`, `N_`), and where."""
    found = {}
    for filename, lineno, message, _, _ in extract_from_dir(
            PACKAGE, method_map=[("**.py", "python")], keywords={"tr": None, "ntr": (1, 2), "N_": None}):
        found.setdefault(message, f"{filename}:{lineno}")
    return found


def placeholders(text: str) -> list[str]:
    return sorted(re.findall(r"%\(\w+\)[-#0 +]*\d*(?:\.\d+)?[srdf]", text))


def test_every_message_the_code_prints_has_a_spanish_translation_with_the_same_placeholders():
    with (PACKAGE / "locale" / "es" / "LC_MESSAGES" / "messages.po").open("rb") as f:
        catalogue = read_po(f, locale="es")
    used = used_messages()
    assert len(used) > 100
    for message, where in used.items():
        msgid = message[0] if isinstance(message, tuple) else message
        entry = catalogue.get(msgid)
        assert entry is not None, f"{where}: {msgid!r} has no Spanish translation"
        assert not entry.fuzzy, f"{msgid!r} is fuzzy"
        strings = entry.string if isinstance(entry.string, tuple) else (entry.string,)
        assert all(strings) and len(strings) == (2 if isinstance(message, tuple) else 1), msgid
        for string in strings:
            assert placeholders(string) == placeholders(msgid), (msgid, string)
    kept = {m.id[0] if isinstance(m.id, tuple) else m.id for m in catalogue if m.id}
    assert kept == {m[0] if isinstance(m, tuple) else m for m in used}, "entries no code uses"


def test_every_text_of_the_built_in_templates_has_a_spanish_translation():
    with (PACKAGE / "locale" / "es" / "LC_MESSAGES" / "mdnet.po").open("rb") as f:
        catalogue = read_po(f, locale="es")
    env = render.environment(None, "en")
    templates = sorted(render.builtin_dir().glob("*.j2"))
    assert {"agenda.md.j2", "page.html.j2", "draft-thank.md.j2", "report.md.j2"} <= {p.name for p in templates}
    missing = []
    for path in templates:
        for line, _, message in env.extract_translations(path.read_text(encoding="utf-8")):
            msgid = message if isinstance(message, str) else message[0]
            entry = catalogue.get(msgid)
            if entry is None or not (entry.string if isinstance(entry.string, str) else all(entry.string)):
                missing.append(f"{path.name}:{line}: {msgid}")
    assert missing == []


# --- codes --------------------------------------------------------------------------------------

def test_the_readme_lists_exactly_the_codes_the_code_can_produce():
    text = README.read_text(encoding="utf-8")
    section = text[text.index("## Messages and problem codes"):]
    section = section[:section.index("\n## ", 1)]
    listed = re.findall(r"^- `([a-z0-9-]+)`: \S", section, re.M)
    assert sorted(listed) == sorted(CODES) and len(listed) == len(set(listed))
    source = "".join(p.read_text(encoding="utf-8") for p in PACKAGE.rglob("*.py") if p.name != "model.py")
    for code in CODES:  # each is given to a problem somewhere
        assert f'"{code}"' in source, code


def test_a_problem_of_an_unknown_code_is_a_bug():
    from mdnet.fields import Bad
    from mdnet.model import WARNING, problem

    with pytest.raises(ValueError):
        problem("Contacts/Ana.md", 1, WARNING, "no-such-code", "text")
    with pytest.raises(ValueError):
        Bad("no-such-code", "text")


def test_check_and_agenda_give_each_problem_its_code(make_vault, mdnet, language):
    language("C.UTF-8")
    root = make_vault({
        "Campaign.md": CAMPAIGN,
        "Contacts/Ana.md": "---\ncirlce: personal\nnext_follow_up: 2026-12-5\nreferred_by: [[Luis]]\n---\n",
        "Meetings/m.md": "---\nwith: \"[[Ana]]\"\nask: a job\n---\n",
    })
    code, out, _ = mdnet("check", "--vault", str(root), "--format", "json")
    checked = json.loads(out)["problems"]
    assert code == 1
    assert sorted((p["path"], p["line"], p["code"]) for p in checked) == [
        ("Contacts/Ana.md", 1, "no-circle"),
        ("Contacts/Ana.md", 2, "unknown-property"),
        ("Contacts/Ana.md", 3, "bad-date"),
        ("Contacts/Ana.md", 4, "broken-link"),
        ("Contacts/Ana.md", 4, "unquoted-link"),
        ("Meetings/m.md", 1, "missing-property"),
        ("Meetings/m.md", 3, "job-or-sale"),
    ]
    code, out, _ = mdnet("agenda", "--vault", str(root), "--format", "json", "--today", "2026-11-27")
    assert code == 0 and json.loads(out)["problems"] == checked


# --- the user's language --------------------------------------------------------------------------

@pytest.mark.parametrize("variables, expected", [
    ({}, "en"),
    ({"LANG": "es_ES.UTF-8"}, "es"),
    ({"LANG": "es"}, "es"),
    ({"LANG": "C.UTF-8"}, "en"),
    ({"LANG": "fr_FR.UTF-8"}, "en"),
    ({"LC_MESSAGES": "es_MX.UTF-8", "LANG": "en_US.UTF-8"}, "es"),
    ({"LC_ALL": "en_GB.UTF-8", "LC_MESSAGES": "es_ES.UTF-8"}, "en"),
    ({"LANGUAGE": "es", "LC_ALL": "en_US.UTF-8"}, "es"),
    ({"LANGUAGE": "fr:es:en", "LANG": "en_US.UTF-8"}, "es"),  # the first language mdnet speaks
    ({"LANGUAGE": "", "LANG": "es_AR.UTF-8"}, "es"),  # an empty variable is not set
    ({"LANGUAGE": "C:es"}, "en"),  # gettext stops at C
])
def test_the_users_language_is_found_as_gettext_finds_it(monkeypatch, variables, expected):
    for variable in ENV:
        monkeypatch.delenv(variable, raising=False)
    for variable, value in variables.items():
        monkeypatch.setenv(variable, value)
    assert i18n.user_language() == expected


def test_check_speaks_the_users_language_whatever_the_campaigns(make_vault, mdnet, language):
    root = make_vault({"Campaign.md": CAMPAIGN, "Contacts/José Núñez.md": "---\ncircle: amigo\n---\n",
                       "Meetings/m.md": "---\nwith: \"[[José Núñez]]\"\ndate: 20/11/2026\n---\n"})
    language("es_ES.UTF-8")
    code, out, _ = mdnet("check", "--vault", str(root))
    assert code == 1
    assert out.splitlines() == [
        "Contacts/José Núñez.md:2: aviso: 'circle' es 'amigo', que mdnet no conoce; usa uno de: "
        "opportunity, personal, professional",
        "Meetings/m.md:3: error: 'date' es '20/11/2026'; escribe 2026-11-20, o con su hora como 2026-11-20T10:30",
        "1 error, 1 aviso en 2 notas; 3 notas leídas",
    ]
    language("en_US.UTF-8")
    assert mdnet("check", "--vault", str(root))[1].splitlines()[-1] == "1 error, 1 warning in 2 notes; 3 notes read"


def test_an_error_of_the_environment_speaks_the_users_language(tmp_path, mdnet, language):
    language("es_ES.UTF-8")
    code, _, err = mdnet("check", "--vault", str(tmp_path / "nowhere"))
    assert code == 3
    assert "no hay bóveda en" in err and "ejecuta `mdnet init CARPETA`" in err


def test_a_cached_problem_is_printed_in_the_language_of_the_run_that_prints_it(make_vault, mdnet, language,
                                                                              monkeypatch):
    root = make_vault({"Campaña.md": CAMPAÑA, "Contactos/Ana.md": "---\ncircle: personal\ncloseness: uno\n---\n",
                       "Contactos/Luis.md": "---\ncircle: personal\n---\n"})
    clock = Clock()
    for path in root.rglob("*.md"):
        clock.stamp(path)
    language("en_US.UTF-8")
    english = mdnet("check", "--vault", str(root))[1]
    assert "'closeness' is 'uno'; write a whole number" in english
    read = []
    real = listing.read_file
    monkeypatch.setattr(listing, "read_file", lambda f: read.append(f.path) or real(f))
    language("es_ES.UTF-8")
    spanish = mdnet("check", "--vault", str(root))[1]
    assert read == []  # every note came from the cache
    assert "Contactos/Ana.md:3: error: 'closeness' es 'uno'; escribe un número entero" in spanish

    # The agenda's JSON: the answer kept for one language is not given in another, and a plan
    # updated from one changed note keeps the others' problems translatable.
    def problems() -> list[tuple[str, str]]:
        out = mdnet("agenda", "--vault", str(root), "--format", "json", "--today", "2026-11-27")[1]
        return [(p["code"], p["message"]) for p in json.loads(out)["problems"]]

    assert problems() == [("not-a-number", "'closeness' es 'uno'; escribe un número entero")]
    language("en_US.UTF-8")
    assert problems() == [("not-a-number", "'closeness' is 'uno'; write a whole number")]
    (root / "Contactos/Luis.md").write_text("---\ncircle: professional\n---\n", encoding="utf-8")
    clock.stamp(root / "Contactos/Luis.md")
    language("es_ES.UTF-8")
    assert problems() == [("not-a-number", "'closeness' es 'uno'; escribe un número entero")]


def test_the_agenda_footer_says_what_becomes_of_notes_with_errors(make_vault, mdnet, language):
    language("C.UTF-8")
    for campaign, footer in ((CAMPAIGN, "Where a note has an error, the property at fault is ignored; a note "
                                        "that cannot be read, or a meeting without its date or its people, is left out."),
                             (CAMPAÑA, "Donde una nota tiene un error, se ignora la propiedad que falla; una nota "
                                       "que no se puede leer, o una reunión sin su fecha o sin sus personas, queda "
                                       "fuera.")):
        root = make_vault({"Campaign.md": campaign,
                           "Contacts/Ana Núñez.md": "---\ncircle: personal\nnext_follow_up: mañana\n---\n",
                           "Meetings/m.md": "---\nwith: \"[[Ana Núñez]]\"\ndate: 20/11/2026\n---\n"})
        code, out, _ = mdnet("agenda", "--vault", str(root), "--today", "2026-11-27")
        assert code == 0
        assert " ".join(out.split()).endswith(footer)
        assert "Ana Núñez" in out  # the contact with an error in a field is shown, without that field
        data = json.loads(mdnet("agenda", "--vault", str(root), "--format", "json", "--today", "2026-11-27")[1])
        assert [a["contact"] for a in data["actions"]] == ["Ana Núñez"]  # and the meeting is left out
        assert {p["code"] for p in data["problems"]} == {"bad-date"}


# --- the hints --------------------------------------------------------------------------------------

def problems_of(path: str, text: str) -> list[tuple[int, str, str]]:
    return [(p.line, p.code, p.message) for p in notes.read_note(path, text.encode("utf-8")).problems]


@pytest.mark.parametrize("path, key, meant", [
    ("Contacts/Ana.md", "cirlce", "circle"),  # two letters swapped: one edit
    ("Contacts/Ana.md", "closenes", "closeness"),
    ("Contacts/Ana.md", "clossness", "closeness"),
    ("Contacts/Ana.md", "next", "next_follow_up"),  # a name cut short
    ("Contacts/Ana.md", "referred", "referred_by"),
    ("Contacts/Ana.md", "emial", "email"),
    ("Contacts/Ana.md", "Circel", "circle"),
    ("Meetings/m.md", "startime", "startTime"),
    ("Meetings/m.md", "fromat", "format"),
    ("Meetings/m.md", "referals", "referrals"),
    ("Campaign.md", "timezon", "timezone"),
])
def test_a_property_within_two_edits_of_a_known_one_gets_a_did_you_mean(path, key, meant):
    kind = {"Contacts": "contact", "Meetings": "meeting", "Campaign.md": "campaign"}[path.split("/")[0]]
    found = problems_of(path, f"---\ntype: {kind}\ncircle: personal\ngoal: g\n{key}: x\n---\n")
    assert (5, "unknown-property", f"'{key}' is not a property mdnet reads; did you mean '{meant}'?") in found


@pytest.mark.parametrize("key", ["notes", "note", "name", "birthday", "url", "mobile", "source", "company_size",
                                 "nickname", "x", "ne"])
def test_a_property_of_the_users_own_is_left_in_peace(key):
    found = problems_of("Contacts/Ana.md", f"---\ncircle: personal\n{key}: x\n---\n")
    assert found == []


@pytest.mark.parametrize("key, written, hint", [
    ("next_follow_up", "2026-12-5", "'next_follow_up' is '2026-12-5'; write it as 2026-12-05"),
    ("next_follow_up", "5/12/2026", "'next_follow_up' is '5/12/2026'; write it as 2026-12-05"),
    ("next_follow_up", "2026/12/05", "'next_follow_up' is '2026/12/05'; write it as 2026-12-05"),
    ("next_follow_up", "mañana", "'next_follow_up' is 'mañana', which is not a date; write it as YYYY-MM-DD, "
                                 "e.g. 2026-11-20"),
    ("date", "mañana", "'date' is 'mañana', which is not a date; write a date, YYYY-MM-DD (2026-11-20), or a date "
                       "and a time, YYYY-MM-DDTHH:MM (2026-11-20T10:30)"),
    ("date", "2026-12-5 10:00", "'date' is '2026-12-5 10:00'; write it as 2026-12-05T10:00"),
    ("date", "2026-12-05 10.00", "'date' is '2026-12-05 10.00'; write it as 2026-12-05T10:00"),
    ("date", "5/12/2026 9:30", "'date' is '5/12/2026 9:30'; write it as 2026-12-05T09:30"),
    ("date", "2026-12-5", "'date' is '2026-12-5'; write it as 2026-12-05, or with its time as 2026-12-05T10:30"),
    ("date", "2026-02-30", "'date' is '2026-02-30', which is not a real day; write it as YYYY-MM-DD"),
])
def test_a_date_written_another_way_gets_the_corrected_value(key, written, hint):
    found = problems_of("Meetings/m.md", f"---\nwith: \"[[Ana]]\"\n{key}: {written}\n"
                                         + ("date: 2026-11-20\n" if key != "date" else "") + "---\n")
    assert (3, "bad-date", hint) in found
    assert not any("YYYY-MM-DD (e.g." in message for _, _, message in found)


def test_two_contacts_of_one_name_are_told_so_and_a_name_but_for_accents_as_such(make_vault, mdnet, language):
    language("C.UTF-8")
    root = make_vault({
        "Campaign.md": CAMPAIGN,
        "Contacts/Work/Ana López.md": "---\ncircle: professional\n---\n",
        "Contacts/School/Ana López.md": "---\ncircle: personal\n---\n",
        "Contacts/Jose Nunez.md": "---\ncircle: personal\n---\n",
        "Contacts/José Núñez.md": "---\ncircle: personal\n---\n",
    })
    out = mdnet("check", "--vault", str(root))[1].splitlines()
    assert out[:2] == [
        "Contacts/José Núñez.md:1: warning: same name as Contacts/Jose Nunez.md but for accents or case: if they "
        "are one person, merge the notes",
        "Contacts/Work/Ana López.md:1: warning: two contacts are named Ana López, here and in "
        "Contacts/School/Ana López.md: if they are one person, merge the notes; if not, link to each by its path",
    ]


@pytest.mark.parametrize("domain", ["messages", "mdnet"])
def test_the_catalogue_reader_reads_what_babel_reads(domain):
    path = PACKAGE / "locale" / "es" / "LC_MESSAGES" / f"{domain}.po"
    with path.open("rb") as f:
        catalogue = read_po(f, locale="es")
    expected = {m.id: tuple(m.string) if isinstance(m.id, tuple) else m.string
                for m in catalogue if m.id and not m.fuzzy and all(m.string)}
    assert i18n.read_po(path) == expected and len(expected) > 50


def test_the_catalogue_reader_leaves_out_the_header_and_fuzzy_and_untranslated_entries(tmp_path):
    path = tmp_path / "x.po"
    path.write_text('msgid ""\nmsgstr ""\n"Language: es\\n"\n\n#, fuzzy, python-format\nmsgid "a %(x)s"\n'
                    'msgstr "b %(x)s"\n\nmsgid "c"\nmsgstr ""\n\n#: here\nmsgid ""\n"d \\"e\\"\\n"\n"f"\n'
                    'msgstr "g"\n\nmsgid "%(n)s h"\nmsgid_plural "%(n)s hs"\nmsgstr[0] "%(n)s i"\n'
                    'msgstr[1] "%(n)s is"\n', encoding="utf-8")
    assert i18n.read_po(path) == {'d "e"\nf': "g", ("%(n)s h", "%(n)s hs"): ("%(n)s i", "%(n)s is")}


# --- the write commands ---------------------------------------------------------------------------

def test_the_write_commands_speak_the_users_language(make_vault, mdnet, language, tmp_path):
    language("es_ES.UTF-8")
    root = make_vault({"Campaign.md": CAMPAIGN,
                       "Contacts/Carmen Ruiz.md": "---\ncircle: personal\n---\n",
                       "Contacts/Carmen Soler.md": "---\ncircle: personal\n---\n",
                       "Contacts/José Núñez.md": "---\ncircle: professional\nemail: jose@example.com\n---\n",
                       "Contacts/Pepe Nunez.md": "---\ncircle: professional\nphone: '+34 600 000 000'\n---\n",
                       "Meetings/2026-12-10 José Núñez.md":
                           "---\nwith: \"[[José Núñez]]\"\ndate: 2026-12-10\n---\n"})
    before = {p: p.read_bytes() for p in root.rglob("*.md")}
    vault = ("--vault", str(root))

    code, out, err = mdnet("new", "meeting", "Carmen", *vault, "--date", "2026-11-24")
    assert (code, out) == (2, "")
    assert err.splitlines() == [
        "mdnet: 'Carmen' puede ser cualquiera de 2 contactos: Contacts/Carmen Ruiz.md, Contacts/Carmen Soler.md; "
        "no se ha escrito nada",
        'Da la ruta de la nota que quieres decir (p. ej. "Contacts/Carmen Ruiz").']
    code, out, err = mdnet("new", "meeting", "Carmela", *vault, "--date", "2026-11-24")
    assert (code, out) == (2, "")
    assert err.splitlines() == [
        "mdnet: ningún contacto se llama 'Carmela' (¿querías decir Carmen Ruiz, Carmen Soler?); "
        "no se ha escrito nada",
        'Crea antes el contacto con `mdnet new contact "Carmela"`, o añade --create-contact.']

    code, _, err = mdnet("log", "2026-12-10 José", *vault, "--done", "--today", "2026-11-27")
    assert code == 2
    assert err.splitlines()[0] == ("mdnet: Meetings/2026-12-10 José Núñez.md es el 2026-12-10, después de hoy "
                                   "(2026-11-27): aún no puede estar hecha; no se ha escrito nada")

    code, _, err = mdnet("merge", "José Núñez", "jose nunez", *vault)
    assert code == 2
    assert ("mdnet: 'José Núñez' y 'jose nunez' son la misma nota, Contacts/José Núñez.md; "
            "no se ha escrito nada") in err
    assert "Da los nombres de dos notas de contacto distintas." in err

    code, _, err = mdnet("set", "Carmela", "Luis", "José", *vault, "--closeness", "2")
    assert code == 2
    lines = err.splitlines()
    assert lines[0] == "mdnet: 2 de los nombres dados no son un único contacto; no se ha escrito nada:"
    assert "  Carmela: ningún contacto ni reunión se llama 'Carmela' (¿querías decir Carmen Ruiz, " \
           "Carmen Soler?); no se ha escrito nada Comprueba el nombre con `mdnet check`, o da la ruta de la " \
           "nota." in lines
    assert lines[-1] == "Escribe más de cada nombre, o da la ruta de la nota."

    code, _, err = mdnet("log", "José Núñez", *vault)
    assert code == 2 and "nada que registrar: da --done, --cancel" in err
    code, _, err = mdnet("new", "contact", "Eva", *vault, "--circle", "familia")
    assert code == 2 and "'familia'; usa uno de: opportunity, personal, professional" in err
    assert {p: p.read_bytes() for p in root.rglob("*.md")} == before  # every refusal wrote nothing

    code, out, err = mdnet("merge", "José Núñez", "Pepe Nunez", *vault, "--dry-run")
    assert code == 0, err
    assert out.endswith("\nmovería Contacts/Pepe Nunez.md a .trash/Pepe Nunez.md\nno se ha escrito nada (--dry-run)\n")
    code, out, err = mdnet("merge", "José Núñez", "Pepe Nunez", *vault)
    assert code == 0, err
    assert out.splitlines() == ["Contacts/José Núñez.md: phone: + +34 600 000 000; aliases: + Pepe Nunez",
                                "movida Contacts/Pepe Nunez.md a .trash/Pepe Nunez.md"]

    code, out, _ = mdnet("export", "vcard", *vault, "-o", str(tmp_path / "all.vcf"))
    assert (code, out) == (0, f"3 tarjetas escritas en {tmp_path / 'all.vcf'}\n")
    code, out, _ = mdnet("export", "vcard", *vault, str(tmp_path / "cards"))
    assert (code, out) == (0, f"3 tarjetas en {tmp_path / 'cards'}: 3 escritas, 0 sin cambios, 0 eliminadas\n")
    code, out, _ = mdnet("log", "José Núñez", *vault, "--contacted", "--on", "2026-11-20", "--today", "2026-11-27")
    assert (code, out) == (0, "Contacts/José Núñez.md: last_contact: 2026-11-20\n")
    code, out, _ = mdnet("log", "José Núñez", *vault, "--contacted", "--on", "2026-11-20", "--today", "2026-11-27")
    assert (code, out) == (0, "Contacts/José Núñez.md: nada que cambiar\n")


def test_init_speaks_the_users_language(tmp_path, mdnet, language):
    language("es_ES.UTF-8")
    code, out, err = mdnet("init", str(tmp_path / "red"), "--locale", "es", "--goal", "G", "--timezone", "Madrid")
    assert (code, out) == (2, "")
    assert err.splitlines() == [
        "mdnet: 'Madrid' no es una zona horaria; ¿querías decir Europe/Madrid?",
        "Da una zona de la base de datos IANA como Área/Ciudad, p. ej. --timezone Europe/Madrid."]
    code, out, err = mdnet("init", str(tmp_path / "red"), "--locale", "es", "--goal", "G", "--timezone",
                           "Europe/Madrid", "--today", "2026-11-27")
    assert code == 0, err
    assert "creada Campaña.md" in out.splitlines()
    assert out.splitlines()[-1] == "zona horaria: Europe/Madrid; para cambiarla, edita 'timezone' en Campaña.md"
    assert err == f'Siguiente paso: mdnet new contact "Nombre" --vault {tmp_path / "red"}\n'
    code, _, err = mdnet("init", str(tmp_path / "red"), "--locale", "es", "--goal", "G")
    assert code == 6 and "ya tiene una nota de campaña, Campaña.md; mdnet init la deja como está" in err


# Where an error's message or a command's output is written straight from text: an f-string or
# a literal there is English whatever the user speaks; it goes through `tr`/`ntr` instead. (A
# line of output may begin with a placeholder, a note's path, and hold what was translated.)
UNTRANSLATED = re.compile(r"(?:raise (?:Unfit|NoteRefused|OutputError|MdnetError|VaultNotFound|TemplateProblem|"
                          r"Ambiguous|NotFound)\(|UsageError\(|BadParameter\(|\.fail\(|click\.prompt\()\s*f?[\"']"
                          r"|(?:warnings|plan\.lines)\.append\(\s*f?[\"'][A-Za-z]")


def test_no_message_for_the_user_is_written_in_english_alone():
    found = [f"{path.relative_to(PACKAGE.parent)}:{text[:m.start()].count(chr(10)) + 1}: {m.group()}"
             for path in sorted(PACKAGE.rglob("*.py")) for text in [path.read_text(encoding="utf-8")]
             for m in UNTRANSLATED.finditer(text)]
    assert found == []
    assert all(UNTRANSLATED.search(code) for code in (
        'raise Unfit(f"{path} is on {day}"', 'raise NoteRefused(\n    "a note"', 'click.UsageError("nothing")',
        'plan.warnings.append(f"warning: {name}"'))
    assert not any(UNTRANSLATED.search(code) for code in ('raise Unfit(tr("nothing to set"))',
                                                           'plan.lines.append(f"{path}: " + tr("nothing to change"))'))
