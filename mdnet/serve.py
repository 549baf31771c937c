"""`mdnet serve`: the calendar feed and the agenda page over HTTP, for calendar apps to subscribe to.

Both live under a secret token (`/TOKEN/calendar.ics`, `/TOKEN/`); every other path is 404, so
only whoever was given the URL can read the user's contacts. The bytes are rebuilt when notes
change, as `mdnet watch` sees them (re-reading only those notes), and when the date or the
vault's templates change; built whole and then swapped in, so no client ever sees half a feed.
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import os
import re
import secrets
import socket
import sys
import threading
import time
from dataclasses import dataclass
from datetime import datetime, timezone
from email.utils import format_datetime, parsedate_to_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

from mdnet import agenda, files, ics, watch
from mdnet.errors import MdnetError

TOKEN_FILE = "token"
FEED = "calendar.ics"
CONTENT_TYPES = {FEED: "text/calendar; charset=utf-8", "": "text/html; charset=utf-8"}
# 128 random bits are 22 characters of base64url; token_urlsafe(32) gives 256 bits.
_TOKEN = re.compile(r"[A-Za-z0-9_-]{22,}")


def token(root: Path) -> str:
    """The vault's secret: read from `.mdnet/token`, or created there (owner-only) on first use."""
    path = files.state_dir(root) / TOKEN_FILE
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
        return '"' + hashlib.sha256(self.data).hexdigest()[:32] + '"'


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
        """The bytes to serve for `name` (`calendar.ics` or `` for the page) and when they were first served."""
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
                "": Body(agenda.render_html(result, feed_url=FEED).encode("utf-8"), CONTENT_TYPES[""]),
            }
        except MdnetError as e:  # a broken template, say: keep serving the last good bytes
            if not self._bodies:
                raise
            # Not retried at every request: only once a note, the date or a template changes again.
            self.log(f"mdnet: {e}; still serving the previous version")
            return
        current = {b.etag for b in bodies.values()}
        with self._lock:
            self._first_served = {tag: t for tag, t in self._first_served.items() if tag in current}
            self._bodies = bodies


def _now() -> datetime:
    # HTTP dates have whole seconds; comparing If-Modified-Since needs the same precision.
    return datetime.now(timezone.utc).replace(microsecond=0)


class Handler(BaseHTTPRequestHandler):
    server: Server

    def version_string(self) -> str:
        return "mdnet"

    def do_GET(self):
        self._answer(send_body=True)

    def do_HEAD(self):
        self._answer(send_body=False)

    def _route(self) -> str | None:
        parts = urlsplit(self.path).path.split("/")
        # Bytes: compare_digest refuses str with non-ASCII, and a request line may hold any byte.
        if len(parts) == 3 and parts[2] in CONTENT_TYPES and \
                hmac.compare_digest(parts[1].encode("utf-8"), self.server.token.encode("ascii")):
            return parts[2]
        return None

    def _answer(self, send_body: bool) -> None:
        name = self._route()
        if name is None:
            self.send_error(404)
            return
        body, modified = self.server.site.get(name)
        fresh = _not_modified(self.headers.get("If-None-Match"), self.headers.get("If-Modified-Since"),
                              body.etag, modified)
        self.send_response(304 if fresh else 200)
        self.send_header("ETag", body.etag)
        self.send_header("Last-Modified", format_datetime(modified, usegmt=True))
        # Clients revalidate every time (cheap with the ETag) instead of guessing freshness.
        self.send_header("Cache-Control", "no-cache")
        if not fresh:
            self.send_header("Content-Type", body.content_type)
            self.send_header("Content-Length", str(len(body.data)))
            # The token is in the page's URL: never send it to a site the agenda links to.
            self.send_header("Referrer-Policy", "no-referrer")
            self.send_header("X-Content-Type-Options", "nosniff")
        self.end_headers()
        if send_body and not fresh:
            self.wfile.write(body.data)

    def log_request(self, code="-", size="-"):
        name = self._route()
        shown = "/…" if name is None else f"/<token>/{name}"
        self.log_message('"%s %s" %s', self.command, shown, code)

    def log_error(self, format, *args):
        """Quiet: every answer, errors included, is already one line from log_request."""

    def log_message(self, format, *args):
        # Whatever the message, the token never reaches the log.
        message = (format % args).replace(self.server.token, "<token>")
        sys.stderr.write(f"{self.log_date_time_string()} {message}\n")


def _not_modified(if_none_match: str | None, if_modified_since: str | None, etag: str, modified: datetime) -> bool:
    """RFC 9110: If-None-Match decides when present (weak comparison); else If-Modified-Since."""
    if if_none_match is not None:
        tags = [t.strip().removeprefix("W/") for t in if_none_match.split(",")]
        return "*" in tags or etag in tags
    if if_modified_since is not None:
        try:
            since = parsedate_to_datetime(if_modified_since)
        except (TypeError, ValueError):
            return False
        return since.tzinfo is not None and modified <= since
    return False


class Server(ThreadingHTTPServer):
    daemon_threads = True  # a slow or stuck client never keeps Ctrl-C from exiting
    # socketserver's backlog of 5 drops connections beyond it, and their clients wait a second
    # to retry: a calendar app opening several at once, or many clients, would feel that.
    request_queue_size = 128

    def __init__(self, address, site: Site, token_: str):
        self.site, self.token = site, token_
        self.watcher = watch.Watcher(site.root, site.rebuild)  # started once listening
        if ":" in address[0]:
            self.address_family = socket.AF_INET6
        super().__init__(address, Handler)

    def server_activate(self) -> None:
        super().server_activate()
        self.watcher.start()
        # A note saved between the first build and now raised no event: look at the vault once more.
        self.watcher.request()

    def server_close(self) -> None:
        super().server_close()
        self.watcher.stop()
        self.site.builder.save()

    def handle_error(self, request, client_address):
        # A client that hangs up mid-response is normal for calendar apps; anything else is a bug.
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


def create(root: Path, host: str = "127.0.0.1", port: int = 8765, interval: float = 1.0) -> Server:
    """Build the feed and page once (a broken template fails here, not at the first request), then listen."""
    site = Site(root, interval)
    site.rebuild()
    site.builder.save()
    secret = token(root)
    try:
        return Server((host, port), site, secret)
    except OSError as e:
        raise MdnetError(f"cannot listen on {host}:{port}: {e.strerror or e}",
                         "Another program may be using that port: choose another with --port.") from None


def urls(server: Server) -> dict[str, str]:
    host, port = server.server_address[:2]
    shown = reachable(host)
    shown = f"[{shown}]" if ":" in shown else shown
    base = f"{shown}:{port}/{server.token}/"
    return {"feed": f"http://{base}{FEED}", "webcal": f"webcal://{base}{FEED}", "page": f"http://{base}"}


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
        print("Stopped.")
        return
    run(server)


def run(server: Server, out=sys.stdout, err=sys.stderr) -> None:
    """Print the subscription URLs and how to use them, then serve until Ctrl-C."""
    host, port = server.server_address[:2]
    if not is_loopback(host):
        print(f"warning: listening on {host or '0.0.0.0'} port {port}: anyone who can reach this machine "
              "and learns the URL can read your contacts' names and meetings. "
              "Use --host 127.0.0.1 to keep the feed on this machine.", file=err)
    u = urls(server)
    print(f"""Serving the calendar feed and the agenda of {server.site.root} (Ctrl-C to stop).

  Feed:    {u['feed']}
  Webcal:  {u['webcal']}
  Agenda:  {u['page']}

Keep these URLs to yourself: the token in them is the only key to your contacts.

To subscribe:
  Apple Calendar: File > New Calendar Subscription, and paste the webcal:// URL.
  Outlook: Add calendar > Subscribe from web, and paste the http:// URL.
  Google Calendar: Other calendars > + > From URL. Google fetches the feed from its own
    servers, which cannot reach this machine (Outlook on the web neither): publish the output
    of `mdnet ics -o FILE` at a public URL, or reach this server through a tunnel, and
    subscribe to that URL.
""", file=out, flush=True)
    serving = threading.Thread(target=server.serve_forever, name="mdnet-serve", daemon=True)
    serving.start()
    try:
        watch.listen(server.watcher, server.site.builder, serving.is_alive)
    except KeyboardInterrupt:
        print("Stopped.", file=out)
    finally:
        server.shutdown()
        server.server_close()

