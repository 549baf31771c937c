"""`mdnet serve`: the calendar feed and the agenda page over HTTP, for calendar apps to subscribe to.

All live under secret tokens: the feed under the feed's (`/TOKEN/calendar.ics`), the pages and
the feed under the page's (`/PAGE_TOKEN/`, `/PAGE_TOKEN/report` and the scripts the report draws
its pictures with, shipped in `mdnet/static/`; `/PAGE_TOKEN/calendar.ics`). A private feed is meant
for a public URL, so its token opens nothing that shows more than it. Every other path is 404, so
only whoever was given a URL can read what it shows. The bytes are rebuilt when notes
change, as `mdnet watch` sees them (re-reading only those notes), and when the date or the
vault's templates change; built whole and then swapped in, so no client ever sees half a feed.
waitress serves them (a fixed pool of threads, size limits, idle connections closed), and
werkzeug answers conditional requests (ETag, Last-Modified, 304).
"""

from __future__ import annotations

import functools
import hashlib
import hmac
import ipaddress
import logging
import os
import re
import secrets
import select
import socket
import sys
import threading
import time
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

import waitress
from waitress import wasyncore
from werkzeug import http
from werkzeug.wrappers import Request, Response

from mdnet import agenda, files, ics, report, watch
from mdnet.errors import MdnetError
from mdnet.i18n import N_, tr

TOKEN_FILE = "token"  # opens the feed only: a private feed is meant for a public URL
PAGE_TOKEN_FILE = "page-token"  # opens the pages and the feed
FEED = "calendar.ics"
REPORT = "report"
HTML = "text/html; charset=utf-8"
SCRIPT = "text/javascript; charset=utf-8"
STATIC = ("mermaid.min.js", "report.js")  # files of mdnet/static/, served as they are
CONTENT_TYPES = {FEED: "text/calendar; charset=utf-8", "": HTML, REPORT: HTML, **dict.fromkeys(STATIC, SCRIPT)}
# The pages load nothing from elsewhere: the report's scripts come from beside it (no inline
# script, so text from notes can never run), and Mermaid's drawings need inline styles.
POLICY = ("default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
          "font-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'")
# 128 random bits are 22 characters of base64url; token_urlsafe(32) gives 256 bits.
_TOKEN = re.compile(r"[A-Za-z0-9_-]{22,}")
THREADS = 4  # workers answering requests; every one is answered from bytes kept in memory
CONNECTIONS = 1000  # clients held open at once, idle ones included
SELECT_CONNECTIONS = 500
IDLE = 10  # seconds a connection may stay silent before it is closed
CLEANUP = 1  # seconds between two looks for idle connections
MAX_HEADER = 16 * 1024  # bytes of request line and headers; more is answered 431
MAX_BODY = 1024  # a GET carries no body: a little is tolerated, more is answered 413


def token(root: Path, name: str = TOKEN_FILE) -> str:
    """A secret of the vault: read from `.mdnet/NAME`, or created there (owner-only) on first use."""
    path = files.state_dir(root) / name
    try:
        value = path.read_text(encoding="ascii", errors="replace").strip()
    except FileNotFoundError:
        value = ""
    if not _TOKEN.fullmatch(value):
        value = secrets.token_urlsafe(32)
        files.atomic_write(path, value.encode("ascii") + b"\n", mode=0o600)
    # Replacing a file keeps its mode: make sure a loosened or pre-existing file is owner-only.
    os.chmod(path, 0o600)
    return value


@dataclass(frozen=True, slots=True)
class Body:
    data: bytes
    content_type: str

    @property
    def etag(self) -> str:
        """A strong entity tag, unquoted: a hash of the bytes."""
        return hashlib.sha256(self.data).hexdigest()[:32]


class Site:
    """The served bytes for one vault, rebuilt when its notes, the date or its templates change.

    The watcher calls `rebuild` with the notes that changed (`watch.Builder` reads and plans). A
    request finding the date or the templates changed (it looks at most once per `interval`
    seconds) rebuilds and waits for it. One build runs at a time, outside the lock that guards the
    bytes: every other request meanwhile gets the previous bytes, whole, instead of waiting for a
    big vault to be read again.
    """

    def __init__(self, root: Path, interval: float = 1.0, log=None):
        self.root = root
        self.interval = interval
        self.log = log or (lambda message: print(message, file=sys.stderr))
        self.builder = watch.Builder(root)
        self._lock = threading.Lock()  # guards the bytes and when they were first served
        self._building = threading.Lock()  # one build and swap at a time
        self._bodies: dict[str, Body] = {}
        self._first_served: dict[str, datetime] = {}
        self._checked = float("-inf")

    def rebuild(self, paths: set[str] | None = None) -> None:
        """Read the notes at `paths` again (None or empty: look at the whole vault), plan, and
        swap in the new feed and page."""
        with self._building:
            self._build(paths)

    def get(self, name: str) -> tuple[Body, datetime]:
        """The bytes to serve for `name` (`calendar.ics`, `` for the agenda page, `report`, a script)
        and when they were first served."""
        if self._due() and self.builder.stale() and self._building.acquire(blocking=False):
            try:
                self._build(None)
            finally:
                self._building.release()
        with self._lock:
            body = self._bodies[name]
            first = self._first_served.setdefault(body.etag, _now())
        return body, first

    def _due(self) -> bool:
        with self._lock:
            now = time.monotonic()
            if now - self._checked < self.interval:
                return False
            self._checked = now
            return True

    def _build(self, paths: set[str] | None) -> None:
        try:
            build = self.builder.build(paths)
            if build is None:
                return  # a look at the whole vault that found nothing new
            result = build.result
            bodies = {
                FEED: Body(ics.feed(result), CONTENT_TYPES[FEED]),
                "": Body(agenda.render_html(result, feed_url=FEED).encode("utf-8"), HTML),
                REPORT: Body(report.render_html(result).encode("utf-8"), HTML),
                **_static(),
            }
        except MdnetError as e:  # a broken template, say: keep serving the last good bytes
            if not self._bodies:
                raise
            # Not retried at every request: only once a note, the date or a template changes again.
            self.log(tr("mdnet: %(error)s; still serving the previous version") % {"error": e})
            return
        current = {b.etag for b in bodies.values()}
        with self._lock:
            self._first_served = {tag: t for tag, t in self._first_served.items() if tag in current}
            self._bodies = bodies


@functools.cache
def _static() -> dict[str, Body]:
    folder = Path(__file__).parent / "static"
    return {name: Body((folder / name).read_bytes(), SCRIPT) for name in STATIC}


def _now() -> datetime:
    # HTTP dates have whole seconds; comparing If-Modified-Since needs the same precision.
    return datetime.now(timezone.utc).replace(microsecond=0)


class App:
    """The WSGI application: the feed and the page under the token, each answered conditionally
    (werkzeug's ETag and date comparisons); everything else 404, and every answer one log line."""

    def __init__(self, site: Site, secret: str, page_secret: str):
        self.site = site
        self._secret = secret.encode("ascii")
        self._page_secret = page_secret.encode("ascii")

    def __call__(self, environ, start_response):
        _drop_unreadable_date(environ)
        request = Request(environ)
        name = self._route(environ["PATH_INFO"])
        if name is None:
            response = Response("Not Found\n", 404, content_type="text/plain; charset=utf-8")
        elif request.method not in ("GET", "HEAD"):
            response = Response("Method Not Allowed\n", 405, {"Allow": "GET, HEAD"},
                                content_type="text/plain; charset=utf-8")
        else:
            body, first_served = self.site.get(name)
            response = Response(body.data, content_type=body.content_type)
            response.set_etag(body.etag)
            response.last_modified = first_served
            response.make_conditional(request)
        # Clients revalidate every time (cheap with the ETag) instead of guessing freshness.
        response.cache_control.no_cache = True
        # The token is in the page's URL: never send it to a site the agenda links to.
        response.headers["Referrer-Policy"] = "no-referrer"
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["Content-Security-Policy"] = POLICY
        shown = "/…" if name is None else f"/<token>/{name}"
        self.site.log(f'{datetime.now():%d/%b/%Y %H:%M:%S} "{request.method} {shown}" {response.status_code}')
        return response(environ, start_response)

    def _route(self, path: str) -> str | None:
        # PATH_INFO holds the path's bytes, percent-decoded, as latin-1: any byte may come, and
        # compare_digest refuses str with non-ASCII.
        parts = path.split("/")
        if len(parts) != 3 or parts[2] not in CONTENT_TYPES:
            return None
        key = parts[1].encode("latin-1")
        if hmac.compare_digest(key, self._page_secret) or \
                (parts[2] == FEED and hmac.compare_digest(key, self._secret)):
            return parts[2]
        return None


def _drop_unreadable_date(environ) -> None:
    """werkzeug reads an unreadable If-Modified-Since as absent, but lets through the
    OverflowError of a year of twenty digits: such a date is dropped, as unreadable."""
    try:
        http.parse_date(environ.get("HTTP_IF_MODIFIED_SINCE"))
    except OverflowError:
        del environ["HTTP_IF_MODIFIED_SINCE"]


class _HideToken(logging.Filter):
    """waitress logs the path of a request it failed to serve: the token never reaches the log."""

    def __init__(self, *secrets: str):
        super().__init__()
        self.secrets = secrets

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if any(secret in message for secret in self.secrets):
            for secret in self.secrets:
                message = message.replace(secret, "<token>")
            record.msg, record.args = message, ()
        return True


class Server:
    """waitress serving one `Site`: listening once made, answering from `start` until `close`.

    Its loop reads requests whole before a worker thread answers them, so an idle or slow client
    costs a socket, never a thread; connections idle for `IDLE` seconds are closed, requests over
    the size limits refused, and past `_connection_limit()` open ones new clients wait in the listen
    queue.
    """

    def __init__(self, site: Site, secret: str, page_secret: str, sock: socket.socket):
        self.site, self.token, self.page_token = site, secret, page_secret
        self._sockets: dict = {}  # waitress's socket map: the listener, its wake-up pipe, the clients
        self._waitress = waitress.create_server(
            App(site, secret, page_secret), map=self._sockets, sockets=[sock], threads=THREADS, ident="mdnet",
            channel_timeout=IDLE, cleanup_interval=CLEANUP, connection_limit=_connection_limit(),
            max_request_header_size=MAX_HEADER, max_request_body_size=MAX_BODY,
            asyncore_use_poll=hasattr(select, "poll"))
        self._hide = _HideToken(secret, page_secret)
        logging.getLogger("waitress").addFilter(self._hide)
        host, port = self._waitress.effective_host, self._waitress.effective_port
        self.server_address = (host, int(port))
        self._loop = threading.Thread(target=self._serve, name="mdnet-serve", daemon=True)
        self._state = threading.Lock()  # start and close, each once, whichever thread calls them
        self._stopping = threading.Event()
        self.watcher = watch.Watcher(site.root, site.rebuild)
        self.watcher.start()
        # A note saved between the first build and now raised no event: look at the vault once more.
        self.watcher.request()

    def start(self) -> None:
        """Answer requests, from a thread of its own, until `close`."""
        with self._state:
            if not self._stopping.is_set():
                self._loop.start()

    def serving(self) -> bool:
        return self._loop.is_alive()

    def _serve(self) -> None:
        # waitress's loop, one wait at a time: `close` ends it by a flag, not by closing its sockets
        # under it (worker threads wake the loop through a pipe that must stay open meanwhile).
        adj = self._waitress.adj
        while not self._stopping.is_set():
            wasyncore.loop(timeout=adj.asyncore_loop_timeout, use_poll=adj.asyncore_use_poll,
                           map=self._sockets, count=1)

    def close(self) -> None:
        """Stop answering (from any thread; once), stop watching, and keep the index for the next run."""
        with self._state:
            if self._stopping.is_set():
                return
            self._stopping.set()
        if self._loop.is_alive():
            self._waitress.pull_trigger()  # wake the loop to see the flag
            self._loop.join()
        # With no loop left: let the workers finish what they answer, then close every socket.
        self._waitress.task_dispatcher.shutdown()
        wasyncore.close_all(self._sockets)
        logging.getLogger("waitress").removeFilter(self._hide)
        self.watcher.stop()
        self.site.builder.save()


def _connection_limit() -> int:
    """How many clients to hold at once: `CONNECTIONS`, or half the files this process may open
    (the rest is for the notes, the watcher and the index), its limit raised first when it can be;
    where there is no poll(), select() watches at most 512 sockets."""
    if not hasattr(select, "poll"):
        return SELECT_CONNECTIONS
    import resource  # Unix only, as poll() is

    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    wanted = 2 * CONNECTIONS
    if soft != resource.RLIM_INFINITY and soft < wanted:
        try:
            resource.setrlimit(resource.RLIMIT_NOFILE, (wanted if hard == resource.RLIM_INFINITY
                                                        else min(wanted, hard), hard))
        except (ValueError, OSError):
            pass  # keep the limit there is, and hold fewer clients
        soft = resource.getrlimit(resource.RLIMIT_NOFILE)[0]
    return CONNECTIONS if soft == resource.RLIM_INFINITY else min(CONNECTIONS, soft // 2)


def _listen(host: str, port: int) -> socket.socket:
    """One socket bound to `host` (an IPv6 address when it has a colon) and `port` (0: any free one)."""
    sock = socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET, socket.SOCK_STREAM)
    try:
        if os.name == "posix":  # restart at once on the same port while old connections linger
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((host, port))
    except BaseException:
        sock.close()
        raise
    return sock


def create(root: Path, host: str = "127.0.0.1", port: int = 8765, interval: float = 1.0) -> Server:
    """Build the feed and page once (a broken template fails here, not at the first request), then listen."""
    site = Site(root, interval)
    site.rebuild()
    site.builder.save()
    secret, page_secret = token(root), token(root, PAGE_TOKEN_FILE)
    try:
        sock = _listen(host, port)
    except OSError as e:
        raise MdnetError(tr("cannot listen on %(host)s:%(port)s: %(reason)s") % {
            "host": host, "port": port, "reason": e.strerror or e},
            tr("Another program may be using that port: choose another with --port.")) from None
    return Server(site, secret, page_secret, sock)


def urls(server: Server) -> dict[str, str]:
    host, port = server.server_address[:2]
    shown = reachable(host)
    shown = f"[{shown}]" if ":" in shown else shown
    feed, page = (f"{shown}:{port}/{secret}/" for secret in (server.token, server.page_token))
    return {"feed": f"http://{feed}{FEED}", "webcal": f"webcal://{feed}{FEED}", "page": f"http://{page}",
            "report": f"http://{page}{REPORT}"}


def reachable(host: str) -> str:
    """The address other machines reach: a wildcard bind is shown as the machine's outgoing address."""
    if host not in ("", "0.0.0.0", "::"):
        return host
    family, probe = (socket.AF_INET6, "2001:db8::1") if host == "::" else (socket.AF_INET, "192.0.2.1")
    with socket.socket(family, socket.SOCK_DGRAM) as s:
        try:
            s.connect((probe, 9))  # a UDP connect sends nothing: it only picks the route
            return s.getsockname()[0]
        except OSError:
            return socket.gethostname()


def is_loopback(host: str) -> bool:
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return host == "localhost"


def main(root: Path, host: str = "127.0.0.1", port: int = 8765) -> None:
    """`mdnet serve`: build, listen, print the URLs, serve; Ctrl-C at any point stops it quietly."""
    try:
        server = create(root, host, port)
    except KeyboardInterrupt:
        print(tr("Stopped."))
        return
    run(server)


_SUBSCRIBE = N_("""Serving the calendar feed and the agenda of %(root)s (Ctrl-C to stop).

  Feed:    %(feed)s
  Webcal:  %(webcal)s
  Agenda:  %(page)s
  Report:  %(report)s

Keep these URLs to yourself: the tokens in them are the only keys to your contacts. The feed's
URL opens the feed only; the agenda's opens everything.

To subscribe:
  Apple Calendar: File > New Calendar Subscription, and paste the webcal:// URL.
  Outlook: Add calendar > Subscribe from web, and paste the http:// URL.
  Google Calendar: Other calendars > + > From URL. Google fetches the feed from its own
    servers, which cannot reach this machine (Outlook on the web neither): publish the output
    of `mdnet ics -o FILE` at a public URL, or reach this server through a tunnel, and
    subscribe to that URL.
""")


def run(server: Server, out=sys.stdout, err=sys.stderr) -> None:
    """Print the subscription URLs and how to use them, then serve until Ctrl-C."""
    host, port = server.server_address[:2]
    if not is_loopback(host):
        print(tr("warning: listening on %(host)s port %(port)s: anyone who can reach this machine and learns the "
                 "URL can read your contacts' names and meetings. Use --host 127.0.0.1 to keep the feed on this "
                 "machine.") % {"host": host or "0.0.0.0", "port": port}, file=err)
    print(tr(_SUBSCRIBE) % {"root": server.site.root, **urls(server)}, file=out, flush=True)
    server.start()
    try:
        watch.listen(server.watcher, server.site.builder, server.serving)
    except KeyboardInterrupt:
        print(tr("Stopped."), file=out)
    finally:
        server.close()

