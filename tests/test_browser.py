"""The pages of `mdnet serve` in a real browser: Debian's headless Chromium, run as a command.

No browser-driving library: Chromium's own switches do what these tests need. `--dump-dom`
prints the page as its scripts left it (`--virtual-time-budget` lets Mermaid finish drawing
first), `--screenshot` saves what a phone 412 px wide shows, and `--log-net-log` records every
request, with who made it. Names outside the machine resolve to nothing (`--host-resolver-rules`),
so a page that tried to reach a CDN would also draw nothing. Skipped, saying so, only where no
Chromium can be found (`.ci/run` installs it).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import struct
import subprocess
from pathlib import Path

import pytest

from mdnet import report, serve

TODAY = "2026-11-27"
EXAMPLE = Path(__file__).resolve().parent.parent / "example-vault"
BROWSER = shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")
SECONDS = 60  # at most, for one run of the browser; a run takes about three

pytestmark = pytest.mark.skipif(BROWSER is None, reason="no Chromium on this machine (apt-get install chromium)")

# Names as hostile as a file name allows (no `/`, no `[`, `]` or `|`, which no link can hold), and a
# name given in a meeting, without a note, which may hold anything.
EVE = 'Eve" --> X; click n1 call alert(1) %% ```'
IMG = "<img src=x onerror=alert(1)>"
SCRIPT = "<script>alert(2)</script> Ana"


def _contact(referrer: str) -> str:
    return f"---\ntype: contact\ncircle: personal\nreferred_by: '[[{referrer}]]'\n---\n"


HOSTILE = {
    f"Contactos/{EVE}.md": _contact("José Núñez"),
    f"Contactos/{IMG}.md": _contact("José Núñez"),
    "Reuniones/2026-11-25 Beatriz Soler.md": (
        "---\ntype: meeting\nwith: ['[[Beatriz Soler]]']\ndate: 2026-11-25\nstatus: done\nthanked: true\n"
        f"referrals: ['[[{SCRIPT}]]']\n---\n"
    ),
}


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """The example vault with hostile names, served; its requests logged, by path."""
    root = tmp_path_factory.mktemp("browser") / "vault"
    shutil.copytree(EXAMPLE, root)
    for rel, text in HOSTILE.items():
        (root / rel).write_text(text, encoding="utf-8")
    mp = pytest.MonkeyPatch()
    mp.setenv("MDNET_TODAY", TODAY)
    server = serve.create(root, "127.0.0.1", 0, interval=0)
    requests: list[str] = []
    server.site.log = requests.append
    server.start()
    host, port = server.server_address[:2]
    yield {"base": f"http://{host}:{port}", "token": server.page_token, "feed_token": server.token,
           "requests": requests, "root": root}
    server.close()
    mp.undo()


def browse(url: str, tmp_path: Path, *switches: str) -> tuple[str, list[dict]]:
    """Run headless Chromium on `url`: (what it prints, the requests the page made, each
    {"url", "initiator"})."""
    netlog = tmp_path / "netlog.json"
    args = [BROWSER, "--headless", "--disable-gpu", "--hide-scrollbars", "--no-first-run",
            f"--user-data-dir={tmp_path / 'profile'}", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", "--disable-default-apps",
            "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
            "--virtual-time-budget=10000", f"--log-net-log={netlog}", *switches, url]
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        args.insert(1, "--no-sandbox")  # Chromium's sandbox refuses to run as root (as in CI containers)
    done = subprocess.run(args, capture_output=True, timeout=SECONDS, text=True)
    assert done.returncode == 0, done.stderr[-2000:]
    log = json.loads(netlog.read_text(encoding="utf-8"))
    kinds = {number: name for name, number in log["constants"]["logEventTypes"].items()}
    made = [e["params"] for e in log["events"]
            if kinds[e["type"]] == "URL_REQUEST_START_JOB" and "url" in e.get("params", {})]
    return done.stdout, made


def page_requests(made: list[dict], site) -> list[str]:
    """The URLs the page asked for: requests with the page's origin as initiator; Chromium's own
    (its updater, its sign-in) have none and are refused by the resolver rules anyway."""
    return [r["url"] for r in made if r.get("initiator", "not an origin") != "not an origin"]


def png_size(path: Path) -> tuple[int, int]:
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", data[16:24])


def test_the_report_page_draws_every_picture_from_the_server_alone(site, tmp_path):
    url = f"{site['base']}/{site['token']}/report"
    served = _get(url)
    diagrams = served.count('<pre class="mermaid">')
    assert diagrams >= 5  # funnel, weeks, tree, circles, benefits

    dom, made = browse(url, tmp_path, "--dump-dom")

    assert 'data-mermaid="drawn"' in dom
    drawn = re.findall(r'<svg[^>]* id="mermaid-\d+"', dom)
    assert len(drawn) == diagrams
    assert "Syntax error" not in dom and "mermaid version" not in dom.lower()
    assert "xychart" in served and len(re.findall(r'class="[^"]*\bbar-plot', dom)) >= 2
    # Every request of the page went to the server, under the token (and the browser's favicon).
    asked = page_requests(made, site)
    assert asked, "the page asked for nothing: its scripts never loaded"
    for u in asked:
        assert u.startswith(site["base"] + "/"), u
        assert u.startswith(f"{site['base']}/{site['token']}/") or u == f"{site['base']}/favicon.ico", u
    assert {u.rsplit("/", 1)[1] for u in asked} >= {"mermaid.min.js", "report.js"}


def test_names_from_notes_cannot_inject_markup_or_mermaid(site, tmp_path):
    tree = report.build(_result(site["root"])).tree
    names = {n.name: n.id for n in tree.nodes}
    assert {EVE, IMG, SCRIPT} <= set(names)

    dom, _ = browse(f"{site['base']}/{site['token']}/report", tmp_path, "--dump-dom")

    assert 'data-mermaid="drawn"' in dom
    # No element made from a name: no image, no script, no handler.
    assert "<img" not in dom
    assert not re.search(r"<script>\s*alert", dom)
    assert not re.search(r"<[^>]*\sonerror=", dom)
    # The tree has exactly its nodes: none added by `-->` or `click` in a name.
    nodes = re.findall(r'<g class="node [^"]*" id="flowchart-(.+?)-\d+"', dom)
    assert sorted(nodes) == sorted(n.id for n in tree.nodes)
    edges = set(re.findall(r'<path [^>]*\bid="L_(n\d+)_(n\d+)_\d+"', dom))
    assert edges == set(tree.edges)
    # The names are shown as text, whole.
    text = _text(dom)
    for name in (EVE, IMG, SCRIPT):
        assert name in text, name


def test_the_report_reads_on_a_phone(site, tmp_path):
    shot = tmp_path / "report-412.png"
    browse(f"{site['base']}/{site['token']}/report", tmp_path, "--window-size=412,3000", f"--screenshot={shot}")
    assert png_size(shot) == (412, 3000)
    assert shot.stat().st_size > 20_000  # drawn, not blank


def test_the_agenda_page_links_the_report_and_shows_names_as_text(site, tmp_path):
    url = f"{site['base']}/{site['token']}/"
    dom, made = browse(url, tmp_path, "--dump-dom")
    assert 'href="report"' in dom
    assert "<img" not in dom and "<script" not in dom
    assert IMG in _text(dom)
    assert all(u.startswith(site["base"] + "/") for u in page_requests(made, site))
    shot = tmp_path / "agenda-412.png"
    browse(url, tmp_path, "--window-size=412,2000", f"--screenshot={shot}")
    assert png_size(shot) == (412, 2000)


def test_the_pages_are_served_with_a_strict_content_security_policy(site):
    for name in ("", "report"):
        headers = _headers(f"{site['base']}/{site['token']}/{name}")
        policy = headers["Content-Security-Policy"]
        assert "default-src 'none'" in policy and "script-src 'self'" in policy
        assert "http" not in policy and "unsafe-eval" not in policy
    assert _headers(f"{site['base']}/{site['token']}/mermaid.min.js")["Content-Type"].startswith("text/javascript")


def test_the_feeds_token_opens_neither_the_report_nor_its_scripts(site):
    from urllib.error import HTTPError

    for name in ("report", "mermaid.min.js", "report.js"):
        with pytest.raises(HTTPError) as refused:
            _get(f"{site['base']}/{site['feed_token']}/{name}")
        assert refused.value.code == 404


def _get(url: str) -> str:
    from urllib.request import urlopen

    with urlopen(url, timeout=10) as r:
        return r.read().decode("utf-8")


def _headers(url: str):
    from urllib.request import urlopen

    with urlopen(url, timeout=10) as r:
        return r.headers


def _result(root: Path):
    from mdnet import pipeline

    return pipeline.run(root)


def _text(dom: str) -> str:
    """The page's text: tags dropped, entities read, spaces made one."""
    import html

    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", dom)).split())
