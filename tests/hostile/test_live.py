"""`mdnet watch` and `mdnet serve` keep going whatever note the user saves: each hostile save is
rebuilt (its problems said), and the next good save shows."""

from __future__ import annotations

import http.client
import io
from datetime import date

from test_values import HUGE, MEGABYTE, campaign, contact, meeting, vault

from conftest import wait_until
from mdnet import serve, watch

# (note, what is saved, what `watch` says of it on stderr), in the order saved.
SAVES = [
    ("Campaña.md", campaign(f"meetings_per_week: {HUGE}\n", zone="America"), "Campaña.md:4: warning: 'timezone'"),
    ("Reuniones/m.md", meeting("date: 2026-12-05T10:00+25:00\n"), "Reuniones/m.md:4: error: 'date'"),
    ("Reuniones/m.md", meeting("date: 9999-12-31\nstatus: done\n"), "Reuniones/m.md:4: error: 'date'"),
    ("Reuniones/m.md", meeting("date: 2999-12-31T23:30\nduration: 99999999999\n"),
     "Reuniones/m.md:5: warning: 'duration'"),
    ("Contactos/Ana.md", contact(f"next_follow_up: 9999-12-31\nfollow_up_every: {HUGE}\n"),
     "Contactos/Ana.md:4: error"),
    ("Reuniones/m.md", meeting("date: 2026-11-30T10:00\nlocation: a\x00b\n"), "Reuniones/m.md:5: error"),
    ("Reuniones/m.md", meeting(f"date: 2026-11-30T10:00\nlocation: {MEGABYTE}\n"), ""),
]
GOOD = {"Campaña.md": campaign(), "Contactos/Ana.md": contact(), "Reuniones/m.md": meeting("date: 2026-11-28T12:15\n")}


def test_watch_rebuilds_after_every_hostile_save(make_vault, monkeypatch):
    monkeypatch.setenv("TZ", "Europe")  # the machine's zone, a folder of the database, is used meanwhile
    root = make_vault(vault())
    out, err = io.StringIO(), io.StringIO()
    rebuilder = watch.Rebuilder(root, date(2026, 11, 27), None, out=out, err=err)
    watcher = watch.Watcher(root, rebuilder.rebuild, ignore=rebuilder.outputs)
    rebuilder.rebuild(None)
    watcher.start()
    try:
        for path, text, said in SAVES:
            rebuilt = out.getvalue().count("\n")
            (root / path).write_text(text, encoding="utf-8")
            assert wait_until(lambda: out.getvalue().count("\n") > rebuilt or watcher._failure is not None), path
            watcher.check()  # raises what failed in the rebuild
            assert said in err.getvalue()
        for path, text in GOOD.items():
            (root / path).write_text(text, encoding="utf-8")
        assert wait_until(lambda: "12:15" in (root / "Agenda.md").read_text(encoding="utf-8"))
        assert wait_until(lambda: "T121500" in (root / ".mdnet/calendar.ics").read_text(encoding="utf-8"))
        watcher.check()
    finally:
        watcher.stop()


def test_serve_rebuilds_after_every_hostile_save(make_vault, monkeypatch):
    monkeypatch.setenv("MDNET_TODAY", "2026-11-27")
    monkeypatch.setenv("TZ", "America")
    rebuilds = []
    rebuild = serve.Site.rebuild

    def counted(site, paths=None):
        rebuild(site, paths)
        rebuilds.append(paths)

    monkeypatch.setattr(serve.Site, "rebuild", counted)
    server = serve.create(make_vault(vault()), "127.0.0.1", 0, interval=0)
    server.start()
    root, feed = server.site.root, f"/{server.token}/calendar.ics"

    def fetch() -> tuple[int, bytes]:
        conn = http.client.HTTPConnection(*server.server_address[:2], timeout=10)
        try:
            conn.request("GET", feed)
            response = conn.getresponse()
            return response.status, response.read()
        finally:
            conn.close()

    try:
        assert wait_until(lambda: len(rebuilds) >= 2)  # the first build, and the look once listening
        for path, text, _ in SAVES:
            count = len(rebuilds)
            (root / path).write_text(text, encoding="utf-8")
            assert wait_until(lambda: len(rebuilds) > count or server.watcher._failure is not None), path
            server.watcher.check()
            status, body = fetch()
            assert status == 200 and body.startswith(b"BEGIN:VCALENDAR")
        for path, text in GOOD.items():
            (root / path).write_text(text, encoding="utf-8")
        assert wait_until(lambda: b"T121500" in fetch()[1])
        server.watcher.check()
    finally:
        server.close()
