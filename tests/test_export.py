"""`mdnet export vcard`: cards as SPEC section 7 lists them, a vdir that keeps UIDs and touches only
its own cards, and real clients reading it (vobject, khard, vdirsyncer syncing to Radicale)."""

from __future__ import annotations

import hashlib
import json
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
import vobject
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mdnet import vcard
from mdnet.model import Contact

BIN = Path(sys.executable).parent
CAMPAIGN = "---\ntype: campaign\ngoal: Pasar a producto\ntimezone: Europe/Madrid\nlocale: es\n---\n"
JOSE = """---
type: contact
circle: profesional
relation: antiguo jefe
met_at: boda de Lucía, 2019
company: Acme, S.L.
role: CTO
email:
  - jose@acme.example
  - pepe@casa.example
phone:
  - 600 11 12 22
  - ext. 12
linkedin: https://www.linkedin.com/in/jose-nunez/
status: no-contactar
tags: [madrid, erp]
---
Notas de José.
"""


def contact(name: str, **fields) -> str:
    lines = "".join(f"{k}: {v}\n" for k, v in fields.items())
    return f"---\ntype: contact\ncircle: personal\n{lines}---\n"


def cards(folder: Path) -> dict[str, vobject.base.Component]:
    return {p.name: vobject.readOne(p.read_text(encoding="utf-8")) for p in sorted(folder.glob("*.vcf"))}


def by_name(folder: Path) -> dict[str, Path]:
    return {vobject.readOne(p.read_text(encoding="utf-8")).fn.value: p for p in folder.glob("*.vcf")}


def stamps(folder: Path) -> dict[str, tuple[int, int]]:
    """Each file's inode and modification time: a file rewritten by a rename gets a new inode."""
    return {p.name: (p.stat().st_ino, p.stat().st_mtime_ns) for p in folder.iterdir()}


@pytest.fixture
def vault(make_vault):
    return make_vault({
        "Campaña.md": CAMPAIGN,
        "Contactos/José Núñez.md": JOSE,
        "Contactos/Ana López.md": contact("Ana López", email="ana@example.com", phone='"+34 611 22 33 44"'),
        "Contactos/Luis Gil.md": contact("Luis Gil", id="luis-gil-1"),
    })


def test_a_card_holds_the_fields_of_spec_section_7(vault, tmp_path, mdnet):
    code, out, err = mdnet("export", "vcard", "--vault", str(vault), str(tmp_path / "out"))
    assert code == 0, err
    assert "3 cards" in out and "3 written" in out
    card = {c.fn.value: c for c in cards(tmp_path / "out").values()}["José Núñez"]
    assert card.version.value == "3.0"
    assert (card.n.value.given, card.n.value.family) == ("José", "Núñez")
    assert [e.value for e in card.contents["email"]] == ["jose@acme.example", "pepe@casa.example"]
    assert "PREF" in card.contents["email"][0].params["TYPE"]
    # In E.164 where it reads as a number of the campaign's region (Europe/Madrid: Spain); else as written.
    assert [t.value for t in card.contents["tel"]] == ["+34600111222", "ext. 12"]
    assert card.org.value == ["Acme, S.L."] and card.title.value == "CTO"
    assert card.url.value == "https://www.linkedin.com/in/jose-nunez/"
    assert card.note.value.splitlines() == ["relation: antiguo jefe", "met_at: boda de Lucía, 2019",
                                            "status: do-not-contact"]
    assert card.categories.value == ["professional", "madrid", "erp"]
    assert (tmp_path / "out" / f"{card.uid.value}.vcf").is_file()


def test_uids_come_from_id_else_from_the_path_and_stay_across_runs_and_renames(vault, tmp_path, mdnet):
    out = tmp_path / "out"
    mdnet("export", "vcard", "--vault", str(vault), str(out))
    first = by_name(out)
    assert first["Luis Gil"].name == "luis-gil-1.vcf"
    before = stamps(out)
    code, printed, _ = mdnet("export", "vcard", "--vault", str(vault), str(out))
    assert code == 0 and "0 written, 3 unchanged" in printed
    assert stamps(out) == before  # nothing rewritten

    # Obsidian renames a note: same text, another name. Its card keeps its UID, with the new name.
    (vault / "Contactos/José Núñez.md").rename(vault / "Contactos/José Núñez García.md")
    code, printed, _ = mdnet("export", "vcard", "--vault", str(vault), str(out))
    assert "1 written" in printed and "0 removed" in printed
    after = by_name(out)
    assert after["José Núñez García"].name == first["José Núñez"].name
    assert "José Núñez" not in after

    # Renamed and edited at once: the shared e-mail tells it is the same person.
    text = (vault / "Contactos/Ana López.md").read_text(encoding="utf-8").replace("personal", "professional")
    (vault / "Contactos/Ana López.md").unlink()
    (vault / "Contactos/Ana López Vidal.md").write_text(text, encoding="utf-8")
    mdnet("export", "vcard", "--vault", str(vault), str(out))
    assert by_name(out)["Ana López Vidal"].name == first["Ana López"].name
    assert len(list(out.glob("*.vcf"))) == 3

    # Renamed and edited, the phone written another way: the same number tells it.
    text = (vault / "Contactos/José Núñez García.md").read_text(encoding="utf-8")
    text = text.replace("600 11 12 22", "+34 600-111-222").replace("ext. 12", "ext. 13").replace("antiguo jefe", "mentor")
    (vault / "Contactos/José Núñez García.md").unlink()
    text = text.replace("jose@acme.example", "otro@example.com").replace("pepe@casa.example", "otro@example.org")
    text = text.replace("jose-nunez", "pepe-nunez")
    (vault / "Contactos/Pepe Núñez.md").write_text(text, encoding="utf-8")
    mdnet("export", "vcard", "--vault", str(vault), str(out))
    assert by_name(out)["Pepe Núñez"].name == first["José Núñez"].name


@given(st.lists(st.text(alphabet=st.characters(blacklist_categories=("Cs",))), min_size=1, max_size=4))
@settings(deadline=None)
def test_a_name_based_uid_is_uuid5s(parts):
    import uuid

    assert vcard.name_uid(*parts) == str(uuid.uuid5(vcard.NAMESPACE, "\x1f".join(parts)))


def test_an_id_that_is_no_file_name_is_hashed_into_the_uid():
    card = vobject.readOne(vcard.card(Contact("Contacts/A.md", "A", id="a/b c"), vcard.uid_of(
        Contact("Contacts/A.md", "A", id="a/b c")), None).decode("utf-8"))
    assert "/" not in card.uid.value and len(card.uid.value) == 36


def test_only_the_changed_card_is_rewritten_and_only_mdnets_cards_removed(vault, tmp_path, mdnet):
    out = tmp_path / "out"
    out.mkdir()
    (out / "from-the-phone.vcf").write_text("BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Otra\r\nEND:VCARD\r\n")
    (out / "notes.txt").write_text("mine")
    mdnet("export", "vcard", "--vault", str(vault), str(out))
    names = {n: p.name for n, p in by_name(out).items()}
    before = stamps(out)

    note = vault / "Contactos/Ana López.md"
    note.write_text(note.read_text(encoding="utf-8").replace("personal", "opportunity"), encoding="utf-8")
    code, printed, _ = mdnet("export", "vcard", "--vault", str(vault), str(out))
    after = stamps(out)
    assert [n for n in after if after[n] != before.get(n)] == [names["Ana López"]]
    assert "1 written, 2 unchanged" in printed

    # A card changed since mdnet wrote it (by a sync) is not removed with its contact: it is said.
    (out / names["Luis Gil"]).write_bytes((out / names["Luis Gil"]).read_bytes().replace(b"END", b"NOTE:x\r\nEND"))
    (vault / "Contactos/Luis Gil.md").unlink()
    (vault / "Contactos/José Núñez.md").unlink()
    code, printed, _ = mdnet("export", "vcard", "--vault", str(vault), str(out))
    assert code == 0 and "1 removed" in printed and f"kept {out / names['Luis Gil']}" in printed
    assert sorted(p.name for p in out.iterdir()) == sorted(
        ["from-the-phone.vcf", "notes.txt", names["Ana López"], names["Luis Gil"]])
    assert (out / "notes.txt").read_text() == "mine"


def test_a_card_edited_by_hand_is_written_again_from_its_note(vault, tmp_path, mdnet):
    out = tmp_path / "out"
    mdnet("export", "vcard", "--vault", str(vault), str(out))
    path = by_name(out)["Ana López"]
    good = path.read_bytes()
    path.write_bytes(good.replace(b"ana@example.com", b"ana@elsewhere.example"))
    _, printed, _ = mdnet("export", "vcard", "--vault", str(vault), str(out))
    assert "1 written" in printed and path.read_bytes() == good


def test_one_file_for_a_phone_holds_every_card_in_name_order(vault, tmp_path, mdnet):
    code, printed, _ = mdnet("export", "vcard", "--vault", str(vault), "-o", str(tmp_path / "all.vcf"))
    assert code == 0 and printed.startswith("3 cards written to")
    read = list(vobject.readComponents((tmp_path / "all.vcf").read_text(encoding="utf-8")))
    assert [c.fn.value for c in read] == ["Ana López", "José Núñez", "Luis Gil"]
    # The same UIDs as the folder's cards.
    mdnet("export", "vcard", "--vault", str(vault), str(tmp_path / "out"))
    assert sorted(f"{c.uid.value}.vcf" for c in read) == sorted(p.name for p in (tmp_path / "out").iterdir())


def test_a_folder_or_a_file_not_both(vault, tmp_path, mdnet):
    assert mdnet("export", "vcard", "--vault", str(vault))[0] == 2
    assert mdnet("export", "vcard", "--vault", str(vault), str(tmp_path / "d"), "-o", str(tmp_path / "f.vcf"))[0] == 2


def test_without_the_cache_the_same_cards(vault, tmp_path, mdnet, monkeypatch):
    mdnet("export", "vcard", "--vault", str(vault), str(tmp_path / "cached"))
    note = vault / "Contactos/José Núñez.md"
    note.write_text(note.read_text(encoding="utf-8").replace("CTO", "CEO"), encoding="utf-8")
    mdnet("export", "vcard", "--vault", str(vault), str(tmp_path / "cached"))
    monkeypatch.setenv("MDNET_NO_CACHE", "1")
    mdnet("export", "vcard", "--vault", str(vault), str(tmp_path / "plain"))
    read = lambda d: {p.name: p.read_bytes() for p in d.iterdir()}  # noqa: E731
    assert read(tmp_path / "cached") == read(tmp_path / "plain")
    assert b"TITLE:CEO" in b"".join(read(tmp_path / "plain").values())


texts = st.text(st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=40).filter(lambda t: t.strip())


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(name=texts, company=texts, relation=texts, tags=st.lists(texts, max_size=3))
def test_any_text_reads_back_from_the_card(name, company, relation, tags):
    name = " ".join(name.split()) or "x"
    c = Contact("Contacts/x.md", name, company=company, relation=relation, tags=tuple(tags), circle="personal")
    card = vobject.readOne(vcard.card(c, "u-1", "ES").decode("utf-8"))
    # Control characters dropped; a line break, of any kind, read back as one.
    clean = lambda t: vcard._CONTROLS.sub("", t).replace("\r\n", "\n").replace("\r", "\n")  # noqa: E731
    assert card.fn.value == clean(name)
    assert card.org.value == [clean(company)]
    assert card.note.value == f"relation: {clean(' '.join(relation.split()))}"
    assert card.categories.value[0] == "personal"


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(name=texts, company=texts, role=st.text(min_size=60, max_size=90), emails=st.lists(texts, max_size=3))
def test_each_line_is_what_vobject_writes_of_it(name, company, role, emails):
    """Short lines are written without vobject: byte for byte what vobject writes of the same
    content line (long ones, which it folds, included)."""
    import io

    from vobject.base import ContentLine

    c = Contact("Contacts/x.md", " ".join(name.split()) or "x", company=company, role=role,
                email=", ".join(emails), phone="600 11 12 22, +1 650 253 0000")
    by_vobject = io.StringIO()
    for name, params, value in vcard.content_lines(c, "u-1", "ES"):
        line = ContentLine(name, [list(p) for p in params], "", encoded=True)
        line.value = value
        line.serialize(by_vobject, validate=False)
    assert vcard.card(c, "u-1", "ES") == by_vobject.getvalue().encode("utf-8")


def test_khard_lists_every_contact_with_name_phone_and_email(vault, tmp_path, mdnet):
    out = tmp_path / "out"
    mdnet("export", "vcard", "--vault", str(vault), str(out))
    config = tmp_path / "khard.conf"
    config.write_text(f"[addressbooks]\n[[networking]]\npath = {out}\n[general]\ndefault_action = list\n"
                      "editor = true\nmerge_editor = true\n[contact table]\ndisplay = formatted_name\n")
    done = subprocess.run([BIN / "khard", "-c", str(config), "list"], capture_output=True, text=True, timeout=60,
                          env={**os.environ, "HOME": str(tmp_path)})
    assert done.returncode == 0 and done.stderr == ""
    rows = {line.split()[1]: line for line in done.stdout.splitlines()[2:]}
    assert "+34600111222" in rows["José"] and "jose@acme.example" in rows["José"]
    assert "+34611223344" in rows["Ana"] and "ana@example.com" in rows["Ana"]
    assert "Luis Gil" in done.stdout


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def radicale(tmp_path):
    """A CardDAV server on loopback with an address book `me/book` in a temporary storage; stopped
    after the test, however it ends."""
    storage = tmp_path / "radicale"
    book = storage / "collection-root" / "me" / "book"
    book.mkdir(parents=True)
    (book / ".Radicale.props").write_text('{"tag": "VADDRESSBOOK"}')
    port = free_port()
    server = subprocess.Popen([sys.executable, "-m", "radicale", "--storage-filesystem-folder", str(storage),
                               "--server-hosts", f"127.0.0.1:{port}", "--auth-type", "none",
                               "--rights-type", "owner_only"],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 20
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                if time.monotonic() > deadline or server.poll() is not None:
                    pytest.fail("Radicale did not start")
                time.sleep(0.1)
        yield f"http://127.0.0.1:{port}/me/book/", book
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


def test_vdirsyncer_uploads_the_export_then_only_the_card_that_changed(vault, tmp_path, mdnet, radicale):
    url, book = radicale
    out = tmp_path / "out"
    mdnet("export", "vcard", "--vault", str(vault), str(out))
    config = tmp_path / "vdirsyncer.conf"
    config.write_text(f'[general]\nstatus_path = "{tmp_path / "status"}/"\n'
                      '[pair book]\na = "local"\nb = "server"\ncollections = null\n'
                      f'[storage local]\ntype = "filesystem"\npath = "{out}/"\nfileext = ".vcf"\n'
                      f'[storage server]\ntype = "carddav"\nurl = "{url}"\nusername = "me"\npassword = "x"\n')

    def vdirsyncer(*args: str) -> str:
        done = subprocess.run([BIN / "vdirsyncer", "-c", str(config), *args], capture_output=True, text=True,
                              timeout=120, env={**os.environ, "HOME": str(tmp_path)})
        assert done.returncode == 0, done.stdout + done.stderr
        return done.stdout + done.stderr

    vdirsyncer("discover")
    first = vdirsyncer("sync")
    assert first.count("Copying (uploading)") == 3
    on_server = {p.name: p.stat().st_mtime_ns for p in book.glob("*.vcf")}
    assert len(on_server) == 3

    note = vault / "Contactos/Ana López.md"
    note.write_text(note.read_text(encoding="utf-8").replace("personal", "professional"), encoding="utf-8")
    mdnet("export", "vcard", "--vault", str(vault), str(out))
    second = vdirsyncer("sync")
    assert second.count("Copying (updating)") == 1 and "Copying (uploading)" not in second
    uid = vobject.readOne(by_name(out)["Ana López"].read_text(encoding="utf-8")).uid.value
    assert uid in second
    stored = [p for p in book.glob("*.vcf") if on_server.get(p.name) != p.stat().st_mtime_ns]
    assert len(stored) == 1 and b"professional" in stored[0].read_bytes()


def test_importing_the_export_into_the_same_vault_changes_no_byte(vault, tmp_path, mdnet):
    pytest.importorskip("mdnet.importers", reason="the importer (mdnet import) is not in this tree yet")
    out = tmp_path / "out"
    mdnet("export", "vcard", "--vault", str(vault), str(out))
    before = {p: p.read_bytes() for p in vault.rglob("*.md")}
    code, _, err = mdnet("import", "--vault", str(vault), str(out))
    assert code == 0, err
    assert {p: p.read_bytes() for p in vault.rglob("*.md")} == before


def test_a_planted_record_cannot_lead_outside_the_folder(vault, tmp_path, mdnet):
    """`.mdnet/vcard.json` comes with the vault: a UID or a card's name in it that names a file
    elsewhere makes mdnet throw the record away, not write or remove that file."""
    victim = tmp_path / "victim.vcf"
    victim.write_text("precious")
    out = tmp_path / "out"
    mdnet("export", "vcard", "--vault", str(vault), str(out))
    state = vault / ".mdnet" / "vcard.json"
    record = json.loads(state.read_text(encoding="utf-8"))
    record["uids"]["Contactos/Ana López.md"][0] = "../victim"
    record["folders"][str(out.resolve())]["../victim.vcf"] = [
        hashlib.sha256(b"precious").hexdigest(), 8, victim.stat().st_mtime_ns, "x"]
    state.write_text(json.dumps(record), encoding="utf-8")
    code, _, _ = mdnet("export", "vcard", "--vault", str(vault), str(out))
    assert code == 0 and victim.read_text() == "precious"
    assert len(list(out.glob("*.vcf"))) == 3 and not list(out.glob("..*"))


def _aged(root: Path) -> None:
    """Every note an hour older: past the clock's tick the caches distrust, as a user's notes are."""
    for path in root.rglob("*.md"):
        os.utime(path, ns=(path.stat().st_atime_ns, path.stat().st_mtime_ns - 3600 * 10**9))


EDITS = {
    "one contact's fields": ("Contactos/Ana López.md", "circle: personal", "circle: opportunity", False),
    "a line above its referrer": ("Contactos/Ana López.md", "circle: personal\n",
                                  "circle: personal\ncompany: Otra\n", False),
    "its referrer": ("Contactos/Ana López.md", "[[José Núñez]]", "[[Luis Gil]]", True),
    "its aliases": ("Contactos/Ana López.md", "circle: personal\n", "circle: personal\naliases: [Anita]\n", True),
    "a contact that becomes a meeting": ("Contactos/Luis Gil.md", "type: contact", "type: meeting", True),
    "the campaign": ("Campaña.md", "locale: es", "locale: en", True),
}


@pytest.mark.parametrize("edit", EDITS.values(), ids=EDITS.keys())
def test_after_an_export_an_edited_contact_alone_is_read_again(vault, tmp_path, monkeypatch, edit):
    """The export after one contact changed reads that note, not the vault; any change that could
    resolve a link otherwise reads the whole vault. Either way, the contacts a full read gives."""
    from mdnet import export, fast
    from mdnet.fast import roster
    from mdnet.vault import load

    path, old, new, whole = edit
    (vault / "Contactos/Ana López.md").write_text(
        contact("Ana López", referred_by='"[[José Núñez]]"'), encoding="utf-8")
    _aged(vault)
    export.vdir(vault, tmp_path / "out")
    note = vault / path
    note.write_text(note.read_text(encoding="utf-8").replace(old, new), encoding="utf-8")
    os.utime(note, ns=(time.time_ns(), time.time_ns() - 1800 * 10**9))  # saved, a while ago
    indexed, real = [], fast.indexed

    def spy(*args, **kwargs):
        indexed.append(args[0])
        return real(*args, **kwargs)

    monkeypatch.setattr(fast, "indexed", spy)
    campaign, people, digests = fast.contacts(vault)
    full = load(vault)
    assert (campaign, people) == (full.campaign, full.contacts)
    assert digests == {c.path: roster.digest(c) for c in full.contacts}
    assert bool(indexed) == whole


def test_several_contacts_changed_are_each_read_again_in_their_place(vault, tmp_path, monkeypatch):
    from mdnet import export, fast
    from mdnet.fast import roster
    from mdnet.vault import load

    _aged(vault)
    export.vdir(vault, tmp_path / "out")
    before = fast.contacts(vault)[2]
    for i, note in enumerate(sorted((vault / "Contactos").glob("*.md"))):
        note.write_text(note.read_text(encoding="utf-8").replace("---\n", f"---\nlast_contact: 2026-11-0{i + 1}\n", 1),
                        encoding="utf-8")
        os.utime(note, ns=(time.time_ns(), time.time_ns() - 1800 * 10**9))
    indexed, real = [], fast.indexed
    monkeypatch.setattr(fast, "indexed", lambda *a, **k: indexed.append(a) or real(*a, **k))
    campaign, people, digests = fast.contacts(vault, fast.scan_ahead(vault))
    full = load(vault)
    assert (campaign, people) == (full.campaign, full.contacts) and indexed == []
    assert digests == {c.path: roster.digest(c) for c in full.contacts}
    assert all(digests[path] != before[path] for path in before) and len(before) == 3


@pytest.mark.parametrize("rewrite, read_next_time", [(8, 2), (1, 0)])
def test_the_contacts_record_is_written_again_once_more_than_a_few_notes_changed(vault, monkeypatch, rewrite,
                                                                                  read_next_time):
    from mdnet import fast, listing
    from mdnet.fast import roster

    monkeypatch.setattr(roster, "_REWRITE", rewrite)
    _aged(vault)
    fast.contacts(vault)
    for note in sorted((vault / "Contactos").glob("*.md"))[:2]:
        note.write_text(note.read_text(encoding="utf-8").replace("---\n", "---\nlast_contact: 2026-11-02\n", 1),
                        encoding="utf-8")
        os.utime(note, ns=(time.time_ns(), time.time_ns() - 1800 * 10**9))
    first = fast.contacts(vault)
    read, real = [], listing.read_file
    monkeypatch.setattr(listing, "read_file", lambda f: read.append(f.path) or real(f))
    assert fast.contacts(vault) == first and len(read) == read_next_time


def test_a_note_whose_name_is_not_in_nfc_is_read_again_where_it_is(vault, tmp_path, monkeypatch):
    """A file named with decomposed accents (as macOS may write it) is listed under its NFC path;
    read again after an edit, it is read from its own name on the disk, not through the index."""
    import unicodedata

    from mdnet import export, fast

    decomposed = vault / "Contactos" / unicodedata.normalize("NFD", "Íñigo Núñez.md")
    decomposed.write_text(contact("Íñigo Núñez", company="Uno"), encoding="utf-8")
    _aged(vault)
    export.vdir(vault, tmp_path / "out")
    decomposed.write_text(contact("Íñigo Núñez", company="Dos"), encoding="utf-8")
    os.utime(decomposed, ns=(time.time_ns(), time.time_ns() - 1800 * 10**9))
    scanned = fast.scan_ahead(vault)()
    assert scanned.odd and scanned.files == fast.scan(vault)[0]
    indexed, real = [], fast.indexed
    monkeypatch.setattr(fast, "indexed", lambda *a, **k: indexed.append(a) or real(*a, **k))
    done = export.vdir(vault, tmp_path / "out")
    card = by_name(tmp_path / "out")["Íñigo Núñez"].read_text(encoding="utf-8")
    assert len(done.written) == 1 and "ORG:Dos" in card and indexed == []


def test_a_command_that_read_the_whole_vault_spares_the_export_reading_it(vault, monkeypatch):
    """`check` (any full read) leaves the contacts with the index: the first export reads no note."""
    from mdnet import fast
    from mdnet.fast import roster
    from mdnet.vault import load

    _aged(vault)
    fast.load(vault)  # what `mdnet check` reads
    indexed, real = [], fast.indexed
    monkeypatch.setattr(fast, "indexed", lambda *a, **k: indexed.append(a) or real(*a, **k))
    campaign, people, digests = fast.contacts(vault)
    full = load(vault)
    assert (campaign, people) == (full.campaign, full.contacts) and len(people) == 3
    assert digests == {c.path: roster.digest(c) for c in full.contacts}
    assert indexed == []


def test_many_cards_reach_the_disk_before_any_takes_its_name(vault, tmp_path, monkeypatch):
    """A first export (cards made in two processes at once) stages every card, waits for the disk
    once, and only then names them: a crash leaves no card half written."""
    from mdnet import export, files
    from mdnet.fast import forked

    out = tmp_path / "cards"
    out.mkdir()
    (out / "other.vcf").write_bytes(b"not mdnet's")
    seen = []

    def sync() -> None:
        seen.append((sorted(p.read_bytes()[:11] for p in out.iterdir() if p.name.endswith(".tmp")),
                     sorted(p.name for p in out.glob("*.vcf"))))

    monkeypatch.setattr(files, "SYNC_WAITS", True)
    monkeypatch.setattr(files, "sync", sync)
    monkeypatch.setattr(export, "_DURABLE_CARDS", 1)
    monkeypatch.setattr(forked, "LEAST", 2)
    done = export.vdir(vault, out)
    assert seen == [([b"BEGIN:VCARD"] * 3, ["other.vcf"])]
    assert len(done.written) == 3 and sorted(p.name for p in out.iterdir()) == sorted([*done.written, "other.vcf"])
    assert export.vdir(vault, out).unchanged == 3


def test_a_card_that_cannot_be_staged_stops_the_export_and_names_none(vault, tmp_path, monkeypatch):
    from mdnet import export, files
    from mdnet.errors import OutputError
    from mdnet.fast import forked

    out = tmp_path / "cards"
    real, calls = export._stage, []

    def stage(folder, name, data):
        calls.append(name)
        if len(calls) > 1:
            raise OutputError("cannot write: no space left on device", "Free some space.")
        return real(folder, name, data)

    monkeypatch.setattr(files, "SYNC_WAITS", True)
    monkeypatch.setattr(export, "_DURABLE_CARDS", 1)
    monkeypatch.setattr(forked, "LEAST", 2)
    monkeypatch.setattr(export, "_stage", stage)
    with pytest.raises(OutputError, match="no space"):
        export.vdir(vault, out)
    assert sorted(p.name for p in out.iterdir()) == []
