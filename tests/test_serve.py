"""`mdnet serve`: the token, the answers (200, 304, 404, HEAD), rebuilds, sturdiness, and a real subscriber."""

from __future__ import annotations

import http.client
import io
import os
import re
import shutil
import signal
import socket
import stat
import struct
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from urllib.request import urlopen

import pytest
from icalendar import Calendar

from conftest import wait_until
from mdnet import ics, pipeline, serve
from mdnet.errors import MdnetError

TODAY = "2026-11-27"

FILES = {
    "Campaign.md": "---\ntype: campaign\ngoal: Move into product\ntimezone: Europe/Madrid\n---\n",
    "Contacts/José Núñez.md": "---\ntype: contact\ncircle: professional\n---\n",
    "Meetings/2026-11-20 José Núñez.md": (
        "---\ntype: meeting\nwith: [\"[[José Núñez]]\"]\ndate: 2026-11-20T10:30\nduration: 45\n---\n"
    ),
    "Contacts/Ana Ruiz.md": "---\ntype: contact\ncircle: personal\n---\n",
    # Done and not thanked: an all-day reminder, overdue, so on today.
    "Meetings/2026-11-19 Ana Ruiz.md": (
        "---\ntype: meeting\nwith: [\"[[Ana Ruiz]]\"]\ndate: 2026-11-19T18:00\nstatus: done\n"
        "referrals: [\"[[José Núñez]]\", \"[[Luis Gil]]\"]\nnext_follow_up: 2027-01-10\n---\n"
    ),
}


class Served:
    def __init__(self, root: Path, server: serve.Server):
        self.root, self.server = root, server
        self.host, self.port = server.server_address[:2]
        self.feed = f"/{server.token}/calendar.ics"
        self.page = f"/{server.page_token}/"

    def fetch(self, path: str, method: str = "GET", headers: dict | None = None):
        conn = http.client.HTTPConnection(self.host, self.port, timeout=10)
        try:
            conn.request(method, path, headers=headers or {})
            response = conn.getresponse()
            # Field names are case-insensitive (waitress sends "Etag"), and so is this mapping.
            return response.status, response.headers, response.read()
        finally:
            conn.close()

    def rebuilt(self, etag: str, within: float = 10.0):
        """The feed once its ETag is no longer `etag`: the watcher rebuilds it a moment after a save."""
        deadline = time.monotonic() + within
        while time.monotonic() < deadline:
            answer = self.fetch(self.feed)
            if answer[1]["ETag"] != etag:
                return answer
            time.sleep(0.02)
        raise AssertionError(f"the feed was not rebuilt within {within} s")


@pytest.fixture
def served(make_vault, monkeypatch):
    monkeypatch.setenv("MDNET_TODAY", TODAY)
    server = serve.create(make_vault(FILES), "127.0.0.1", 0, interval=0)
    server.start()
    yield Served(server.site.root, server)
    server.close()


def test_token_is_created_owner_only_and_reused(make_vault):
    root = make_vault(FILES)
    token = serve.token(root)
    path = root / ".mdnet" / "token"
    assert len(token) >= 22  # 128 bits of base64url
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert (root / ".mdnet" / ".gitignore").read_text() == "*\n"
    path.chmod(0o644)
    assert serve.token(root) == token
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    path.write_text("short\n")
    assert serve.token(root) not in (token, "short")


def test_feed_and_page_are_served_under_the_token(served):
    status, headers, body = served.fetch(served.feed)
    assert status == 200
    assert headers["Content-Type"] == "text/calendar; charset=utf-8"
    assert body == ics.feed(pipeline.run(served.root, date.fromisoformat(TODAY)))
    assert int(headers["Content-Length"]) == len(body)
    assert headers["ETag"].startswith('"') and not headers["ETag"].startswith("W/")

    status, headers, page = served.fetch(served.page)
    assert status == 200
    assert headers["Content-Type"] == "text/html; charset=utf-8"
    assert headers["Referrer-Policy"] == "no-referrer"
    assert "José Núñez" in page.decode("utf-8")


def test_the_feeds_token_opens_the_feed_only_and_the_pages_token_everything(served):
    """A private feed is meant for a public URL: its token must not open the page, which shows
    full names; the page's token, kept to oneself, opens both (the page links to the feed)."""
    feed_key, page_key = served.server.token, served.server.page_token
    assert feed_key != page_key and len(page_key) >= 22
    assert served.fetch(f"/{feed_key}/")[0] == 404
    status, _, body = served.fetch(f"/{page_key}/calendar.ics")
    assert status == 200 and body == served.fetch(served.feed)[2]
    assert served.fetch(served.page)[0] == 200
    assert stat.S_IMODE((served.root / ".mdnet" / "page-token").stat().st_mode) == 0o600


@pytest.mark.parametrize("path", ["/", "/calendar.ics", "/{token}", "/{token}/other", "/{token}/calendar.ics/x",
                                  "/{token}x/calendar.ics", "/x{token}/", "//calendar.ics", "/../{token}/"])
def test_everything_else_is_not_found(served, path):
    status, _, body = served.fetch(path.format(token=served.server.token))
    assert status == 404
    assert served.server.token.encode() not in body


@pytest.mark.parametrize("path, status", [(b"/%C3%A9{token}/", b"404"), (b"/%FF{token}/", b"404"),
                                          (b"/%FF/calendar.ics", b"404"),
                                          # Bytes outside ASCII may be sent only percent-encoded.
                                          ("/José/calendar.ics".encode(), b"400"), (b"/Jos\xe9\xff/calendar.ics", b"400")])
def test_any_bytes_in_the_path_are_not_found_or_refused(served, capsys, path, status):
    with socket.create_connection((served.host, served.port)) as s:
        s.sendall(b"GET " + path.replace(b"{token}", served.server.token.encode()) + b" HTTP/1.0\r\n\r\n")
        assert s.makefile("rb").readline().startswith(b"HTTP/1.0 " + status)
    assert "Traceback" not in capsys.readouterr().err


def test_head_gives_the_headers_without_the_body(served):
    _, got, body = served.fetch(served.feed)
    status, headers, empty = served.fetch(served.feed, "HEAD")
    assert status == 200 and empty == b""
    assert headers["Content-Length"] == str(len(body))
    assert headers["ETag"] == got["ETag"] and headers["Last-Modified"] == got["Last-Modified"]


def test_conditional_requests_answer_304(served):
    _, headers, _ = served.fetch(served.feed)
    etag, modified = headers["ETag"], headers["Last-Modified"]
    assert served.fetch(served.feed, headers={"If-None-Match": etag})[0] == 304
    assert served.fetch(served.feed, headers={"If-None-Match": f'"other", W/{etag}'})[0] == 304
    assert served.fetch(served.feed, "HEAD", headers={"If-None-Match": etag})[0] == 304
    assert served.fetch(served.feed, headers={"If-None-Match": '"other"'})[0] == 200
    # If-None-Match decides alone when present.
    assert served.fetch(served.feed, headers={"If-None-Match": '"other"', "If-Modified-Since": modified})[0] == 200
    assert served.fetch(served.feed, headers={"If-Modified-Since": modified})[0] == 304
    later = (datetime.now(timezone.utc) + timedelta(days=1)).strftime("%a, %d %b %Y %H:%M:%S GMT")
    assert served.fetch(served.feed, headers={"If-Modified-Since": later})[0] == 304
    assert served.fetch(served.feed, headers={"If-Modified-Since": "Thu, 01 Jan 1970 00:00:00 GMT"})[0] == 200
    assert served.fetch(served.feed, headers={"If-Modified-Since": "yesterday"})[0] == 200
    status, headers, body = served.fetch(served.page, headers={"If-None-Match": served.fetch(served.page)[1]["ETag"]})
    assert status == 304 and body == b""


def test_rebuilt_when_a_note_or_the_date_changes_with_last_modified_from_first_serving(served, monkeypatch):
    clock = iter(datetime(2026, 11, 27, 9, minute, tzinfo=timezone.utc) for minute in range(60))
    monkeypatch.setattr(serve, "_now", lambda: next(clock))
    _, first, body = served.fetch(served.feed)
    assert first["Last-Modified"] == "Fri, 27 Nov 2026 09:00:00 GMT"

    note = served.root / "Meetings/2026-11-20 José Núñez.md"
    os.utime(note, (1_000_000_000, 1_000_000_000))  # touched, same bytes out: nothing new
    with pytest.raises(AssertionError, match="not rebuilt"):
        served.rebuilt(first["ETag"], within=0.5)
    _, same, _ = served.fetch(served.feed)
    assert same["ETag"] == first["ETag"] and same["Last-Modified"] == first["Last-Modified"]

    note.write_text(note.read_text(encoding="utf-8").replace("10:30", "11:15"), encoding="utf-8")
    _, edited, body = served.rebuilt(first["ETag"])
    assert b"DTSTART;TZID=Europe/Madrid:20261120T111500" in body
    assert edited["ETag"] != first["ETag"] and edited["Last-Modified"] != first["Last-Modified"]

    monkeypatch.setenv("MDNET_TODAY", "2026-11-28")
    _, _, body = served.fetch(served.feed)
    assert b"DTSTAMP:20261128T000000Z" in body


def test_a_save_made_while_the_server_starts_is_served(make_vault, monkeypatch):
    monkeypatch.setenv("MDNET_TODAY", TODAY)
    root = make_vault(FILES)
    note = root / "Meetings/2026-11-20 José Núñez.md"
    first_build = serve.Site.rebuild

    def build_then_save(site, paths=None):  # the save lands after the first build, before listening
        first_build(site, paths)
        monkeypatch.setattr(serve.Site, "rebuild", first_build)
        note.write_text(note.read_text(encoding="utf-8").replace("10:30", "11:15"), encoding="utf-8")

    monkeypatch.setattr(serve.Site, "rebuild", build_then_save)
    server = serve.create(root, "127.0.0.1", 0, interval=0)
    server.start()
    try:
        served = Served(root, server)
        deadline = time.monotonic() + 10
        while b"DTSTART;TZID=Europe/Madrid:20261120T111500" not in served.fetch(served.feed)[2]:
            assert time.monotonic() < deadline, "the save made while starting was never served"
            time.sleep(0.02)
    finally:
        server.close()


def test_a_broken_template_keeps_the_last_good_bytes_until_it_is_fixed(served, capsys):
    _, good, _ = served.fetch(served.feed)
    templates = served.root / ".mdnet" / "templates"
    templates.mkdir()
    (templates / "_brief.md.j2").write_text("{% if %}\n")
    # A request rebuilds and waits, unless a build (the watcher's) is already running: then it
    # gets the previous bytes, and a later one sees the change.
    said = []

    def reported() -> bool:
        served.fetch(served.feed)
        said.append(capsys.readouterr().err)
        return "template error" in "".join(said)

    assert wait_until(reported)
    status, headers, _ = served.fetch(served.feed)
    assert status == 200 and headers["ETag"] == good["ETag"]
    (templates / "_brief.md.j2").write_text("Bring your questions, {{ brief.people|join(', ') }}.\n")

    def described() -> bool:
        _, _, body = served.fetch(served.feed)
        meeting = next(e for e in Calendar.from_ical(body).walk("VEVENT") if "José" in str(e["SUMMARY"]))
        return "Bring your questions, José Núñez." in str(meeting["DESCRIPTION"])

    assert wait_until(described)


def test_while_a_rebuild_runs_requests_get_the_previous_bytes_whole(served, monkeypatch):
    _, before, old = served.fetch(served.feed)
    building, release = threading.Event(), threading.Event()
    real_feed = serve.ics.feed

    def slow_feed(result, private=False):
        building.set()
        release.wait(10)
        return real_feed(result, private)

    monkeypatch.setattr(serve.ics, "feed", slow_feed)
    note = served.root / "Meetings/2026-11-20 José Núñez.md"
    note.write_text(note.read_text(encoding="utf-8").replace("10:30", "12:00"), encoding="utf-8")
    assert building.wait(10)  # the watcher saw the save and is rebuilding
    assert served.fetch(served.feed)[2] == old  # not kept waiting, not half a feed
    release.set()
    assert b"T120000" in served.rebuilt(before["ETag"])[2]


def test_many_clients_at_once_and_clients_that_hang_up(served, capsys):
    for _ in range(10):  # ask, then leave before reading the answer
        with socket.create_connection((served.host, served.port)) as s:
            s.sendall(f"GET {served.feed} HTTP/1.0\r\n\r\n".encode())
            s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))  # reset, not close
    with socket.create_connection((served.host, served.port)) as s:
        s.sendall(b"GET /half")  # and one that never finishes its request line
    with ThreadPoolExecutor(16) as pool:
        answers = list(pool.map(lambda _: served.fetch(served.feed), range(64)))
    assert {status for status, _, _ in answers} == {200}
    assert len({body for _, _, body in answers}) == 1
    assert "Traceback" not in capsys.readouterr().err


def _answer(s: socket.socket) -> bytes:
    """Everything the server sends on `s` until it closes the connection."""
    chunks = []
    while chunk := s.recv(65536):
        chunks.append(chunk)
    return b"".join(chunks)


@pytest.mark.parametrize("request_, status", [
    (b"GET / HTTP/2.0\r\n\r\n", b"404"),  # answered in HTTP/1.0, as RFC 9110 lets a server do
    (b"HELLO\r\n\r\n", b"400"),
    (b"get / HTTP/1.1\r\n\r\n", b"400"),
    (b"GET / HTTP/1.1\r\nNo colon here\r\n\r\n", b"400"),
    (b"GET /" + b"a" * (serve.MAX_HEADER - 5), b"431"),  # exactly the limit, and no end in sight
    (b"GET / HTTP/1.1\r\nContent-Length: 100000\r\n\r\n", b"413"),
])
def test_a_malformed_or_oversized_request_gets_a_client_error_and_no_traceback(served, capsys, request_, status):
    with socket.create_connection((served.host, served.port), timeout=10) as s:
        s.sendall(request_)
        assert re.match(rb"HTTP/1\.[01] " + status + b" ", _answer(s))
    err = capsys.readouterr().err
    assert "Traceback" not in err and served.server.token not in err


def test_a_url_over_64_kb_is_refused_and_the_server_goes_on(served, capsys):
    with socket.create_connection((served.host, served.port), timeout=10) as s:
        s.sendall(b"GET /" + b"a" * 70_000 + b" HTTP/1.1\r\n\r\n")
        try:
            assert _answer(s).startswith(b"HTTP/1.0 431 ")
        except ConnectionResetError:
            pass  # the server answered 431 and closed with the rest unread: the system sends a reset
    assert served.fetch(served.feed)[0] == 200
    assert "Traceback" not in capsys.readouterr().err


@pytest.mark.parametrize("since", ["Fri, 01 Jan 99999 00:00:00 GMT", "Fri, 01 Jan 99999999999999999999 00:00:00 GMT"])
def test_a_date_beyond_any_calendar_is_ignored(served, capsys, since):
    status, _, body = served.fetch(served.feed, headers={"If-Modified-Since": since})
    assert status == 200 and body.startswith(b"BEGIN:VCALENDAR")
    assert "Traceback" not in capsys.readouterr().err


def test_idle_and_half_sent_connections_keep_no_one_waiting(served, capsys):
    threads = threading.active_count()
    clients = []
    try:
        for i in range(500):
            clients.append(socket.create_connection((served.host, served.port), timeout=10))
            if i % 2:
                clients[-1].sendall(f"GET {served.feed} HTTP/1.1\r\nHost: x".encode())  # and never the end
        start = time.monotonic()
        status, _, body = served.fetch(served.feed)
        assert status == 200 and body.startswith(b"BEGIN:VCALENDAR")
        assert time.monotonic() - start < 1.0
        assert threading.active_count() < threads + 10  # not a thread each
        for s in clients[::2]:  # half of them dropped with a reset, the others closed
            s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    finally:
        for s in clients:
            s.close()
    start = time.monotonic()
    assert served.fetch(served.feed)[0] == 200
    assert time.monotonic() - start < 1.0
    assert "Traceback" not in capsys.readouterr().err


def test_slow_clients_hold_no_thread(served):
    request = f"GET {served.feed} HTTP/1.0\r\n\r\n".encode()
    slow = []
    try:
        for _ in range(2 * serve.THREADS):  # more than there are threads to answer
            slow.append(socket.create_connection((served.host, served.port), timeout=10))
        for i in range(len(request) - 1):  # a byte at a time, all but the last
            for s in slow:
                s.sendall(request[i:i + 1])
            if i % 10 == 0:
                start = time.monotonic()
                assert served.fetch(served.feed)[0] == 200
                assert time.monotonic() - start < 1.0
            time.sleep(0.005)
        for s in slow:
            s.sendall(request[-1:])
        assert all(_answer(s).startswith(b"HTTP/1.0 200 ") for s in slow)
    finally:
        for s in slow:
            s.close()


def test_a_silent_connection_is_closed(make_vault, monkeypatch):
    monkeypatch.setenv("MDNET_TODAY", TODAY)
    monkeypatch.setattr(serve, "IDLE", 1)
    server = serve.create(make_vault(FILES), "127.0.0.1", 0)
    server.start()
    try:
        with socket.create_connection(server.server_address, timeout=10) as silent, \
                socket.create_connection(server.server_address, timeout=10) as half:
            half.sendall(b"GET / HTTP/1.1\r\n")
            start = time.monotonic()
            assert silent.recv(1) == b"" and half.recv(1) == b""
            assert time.monotonic() - start < 5
    finally:
        server.close()


def test_a_failure_while_answering_is_a_500_and_its_log_hides_the_token(served, caplog, monkeypatch):
    def broken(name):
        raise RuntimeError("a bug")

    monkeypatch.setattr(served.server.site, "get", broken)
    assert served.fetch(served.feed)[0] == 500
    assert "/<token>/calendar.ics" in caplog.text and "RuntimeError: a bug" in caplog.text
    assert served.server.token not in caplog.text


def test_the_log_never_shows_the_token(served, capsys):
    served.fetch(served.feed)
    served.fetch(f"/{served.server.token}/nothing")
    served.fetch(served.feed, "BREW")
    served.fetch(served.page)
    err = capsys.readouterr().err
    assert served.server.token not in err and served.server.page_token not in err
    assert '"GET /<token>/" 200' in err
    assert '"GET /<token>/calendar.ics" 200' in err
    assert '"GET /…" 404' in err


def test_run_prints_the_urls_and_how_to_subscribe(make_vault, monkeypatch):
    monkeypatch.setenv("MDNET_TODAY", TODAY)
    server = serve.create(make_vault(FILES), "127.0.0.1", 0)
    out, err = io.StringIO(), io.StringIO()
    thread = threading.Thread(target=serve.run, args=(server, out, err))
    thread.start()
    while "subscribe to that URL" not in out.getvalue():
        thread.join(0.01)
    server.close()
    thread.join()
    text = out.getvalue()
    base = f"127.0.0.1:{server.server_address[1]}/"
    assert f"http://{base}{server.token}/calendar.ics" in text and f"webcal://{base}{server.token}/calendar.ics" in text
    assert f"http://{base}{server.page_token}/\n" in text
    assert "File > New Calendar Subscription" in text and "Subscribe from web" in text
    assert "Google" in text and "mdnet ics -o" in text and "tunnel" in text
    assert err.getvalue() == ""


def test_other_addresses_warn_and_show_a_reachable_address(make_vault, monkeypatch):
    monkeypatch.setenv("MDNET_TODAY", TODAY)
    server = serve.create(make_vault(FILES), "0.0.0.0", 0)
    out, err = io.StringIO(), io.StringIO()
    thread = threading.Thread(target=serve.run, args=(server, out, err))
    thread.start()
    while "subscribe to that URL" not in out.getvalue():
        thread.join(0.01)
    server.close()
    thread.join()
    assert "warning" in err.getvalue() and "contacts" in err.getvalue()
    assert "0.0.0.0" not in out.getvalue()
    assert serve.is_loopback("127.0.0.1") and serve.is_loopback("::1") and serve.is_loopback("localhost")
    assert not serve.is_loopback("0.0.0.0") and not serve.is_loopback("192.168.1.5")


def test_a_port_in_use_is_an_error_with_advice(served):
    with pytest.raises(MdnetError, match="cannot listen") as raised:
        serve.create(served.root, "127.0.0.1", served.port)
    assert "--port" in raised.value.advice


def _tool(name: str) -> str | None:
    beside = Path(sys.executable).parent / name
    return str(beside) if beside.exists() else shutil.which(name)


@pytest.fixture
def served_process(make_vault, tmp_path):
    """`mdnet serve` as the user runs it, in its own process; stopped with Ctrl-C (SIGINT)."""
    root = make_vault(FILES)
    env = {**os.environ, "MDNET_TODAY": TODAY, "PYTHONUNBUFFERED": "1"}
    proc = subprocess.Popen([sys.executable, "-m", "mdnet", "serve", "--vault", str(root), "--port", "0"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    try:
        url = None
        for line in proc.stdout:
            if line.strip().startswith("Feed:"):
                url = line.split()[-1]
                break
        assert url, proc.stderr.read()
        yield root, url
    finally:
        proc.send_signal(signal.SIGINT)
        out, err = proc.communicate(timeout=10)
    assert proc.returncode == 0, err
    assert "Stopped." in out
    assert "Traceback" not in err


def test_a_real_subscriber_syncs_the_feed_and_shows_the_meeting_at_its_local_time(served_process, tmp_path):
    root, url = served_process
    vdirsyncer, khal = _tool("vdirsyncer"), _tool("khal")
    if not (vdirsyncer and khal):
        pytest.skip("vdirsyncer and khal are test dependencies (pip install -e '.[test]'); not installed here")
    calendar = tmp_path / "calendar"
    calendar.mkdir()
    config = tmp_path / "vdirsyncer.conf"
    config.write_text(f"""[general]
status_path = "{tmp_path / 'status'}/"

[pair feed]
a = "feed_remote"
b = "feed_local"
collections = null

[storage feed_remote]
type = "http"
url = "{url}"

[storage feed_local]
type = "filesystem"
path = "{calendar}/"
fileext = ".ics"
""")
    env = {**os.environ, "VDIRSYNCER_CONFIG": str(config), "XDG_CONFIG_HOME": str(tmp_path), "XDG_DATA_HOME": str(tmp_path)}
    for command in ("discover", "sync"):
        done = subprocess.run([vdirsyncer, command], input="y\n", capture_output=True, text=True, env=env, timeout=60)
        assert done.returncode == 0, done.stdout + done.stderr
    synced = len(list(calendar.glob("*.ics")))  # one file per event
    assert synced == len(Calendar.from_ical(urlopen(url).read()).walk("VEVENT"))

    def khal_list(zone: str, day: str = "2026-11-20") -> list[str]:
        conf = tmp_path / f"khal-{zone.replace('/', '-')}.conf"
        conf.write_text(f"""[calendars]
[[feed]]
path = {calendar}/
type = calendar

[locale]
timeformat = %H:%M
dateformat = %Y-%m-%d
longdateformat = %Y-%m-%d
datetimeformat = %Y-%m-%d %H:%M
longdatetimeformat = %Y-%m-%d %H:%M
local_timezone = {zone}
default_timezone = {zone}

[sqlite]
path = {tmp_path / conf.stem}.db
""")
        done = subprocess.run([khal, "-c", str(conf), "list", "--format", "{start-time} {title}", day, "2d"],
                              capture_output=True, text=True, env=env, timeout=60)
        assert done.returncode == 0, done.stderr
        return done.stdout.splitlines()

    assert "10:30 Meeting with José Núñez" in khal_list("Europe/Madrid")
    # Read from another zone, the VTIMEZONE puts it at the same instant: 10:30 CET is 04:30 in New York.
    assert "04:30 Meeting with José Núñez" in khal_list("America/New_York")
    # All-day reminders: the overdue thank-you on today, in the khal listing too.
    assert " Thank Ana Ruiz" in khal_list("Europe/Madrid", "2026-11-27")

    # The note is edited: the next sync updates the same event (same UID), it does not add one.
    etag = urlopen(url).headers["ETag"]
    note = root / "Meetings/2026-11-20 José Núñez.md"
    note.write_text(note.read_text(encoding="utf-8").replace("10:30", "11:00"), encoding="utf-8")
    deadline = time.monotonic() + 10
    while urlopen(url).headers["ETag"] == etag and time.monotonic() < deadline:
        time.sleep(0.1)  # the server rebuilds a moment after the save
    done = subprocess.run([vdirsyncer, "sync"], capture_output=True, text=True, env=env, timeout=60)
    assert done.returncode == 0, done.stdout + done.stderr
    assert len(list(calendar.glob("*.ics"))) == synced
    listed = khal_list("Europe/Madrid")
    assert "11:00 Meeting with José Núñez" in listed and "10:30 Meeting with José Núñez" not in listed
