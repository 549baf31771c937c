"""Templates from the vault or from `--templates DIR` render in Jinja's sandbox: a template that
reaches for Python's internals to run code is refused, naming its file and line, and runs nothing."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest

from mdnet import agenda, pipeline
from mdnet.errors import TemplateProblem

TODAY = date(2026, 11, 27)

# Each would run `touch MARKER` in a plain Jinja environment (the last two only reach it).
PAYLOADS = {
    "cycler": "{{ cycler.__init__.__globals__.os.system('touch MARKER') }}",
    "self": "{{ self.__init__.__globals__.__builtins__.__import__('os').system('touch MARKER') }}",
    "lipsum": "{{ lipsum.__globals__['os'].system('touch MARKER') }}",
    "mro": ("{% for c in ''.__class__.__mro__[1].__subclasses__() %}{% if c.__name__ == 'catch_warnings' %}"
            "{{ c()._module.__builtins__['__import__']('os').system('touch MARKER') }}{% endif %}{% endfor %}"),
    "range": "{{ range.__init__.__globals__.os.system('touch MARKER') }}",
    "attr filter": "{{ (cycler|attr('__init__')|attr('__globals__')).os.system('touch MARKER') }}",
    "format": "{{ '{0.__init__.__globals__[os].system}'.format(cycler)('touch MARKER') }}",
}


def vault(make_vault, templates: dict[str, str] | None = None) -> Path:
    """A campaign with a meeting in two days: the agenda and the feed both render its brief."""
    planned = TODAY + timedelta(days=2)
    return make_vault({
        "Campaign.md": "---\ntype: campaign\ngoal: Product\ntimezone: Europe/Madrid\nlocale: en\n---\n",
        "Contacts/Ana Peña.md": "---\ntype: contact\ncircle: professional\n---\n",
        f"Meetings/{planned} Ana Peña.md":
            f"---\ntype: meeting\nwith: \"[[Ana Peña]]\"\ndate: {planned}T10:30\n---\n",
        **{f".mdnet/templates/{name}": text for name, text in (templates or {}).items()},
    })



@pytest.mark.parametrize("payload", PAYLOADS.values(), ids=PAYLOADS.keys())
@pytest.mark.parametrize("command, template", [
    (("agenda",), "agenda.md.j2"),
    (("agenda", "--write"), "agenda.md.j2"),
    (("agenda",), "_brief.md.j2"),
    (("ics",), "_brief.md.j2"),  # the feed renders each meeting's brief
])
def test_a_payload_in_a_vault_template_is_refused_and_runs_nothing(mdnet, make_vault, monkeypatch, capsys, tmp_path,
                                                                   payload, command, template):
    marker = tmp_path / "ran"
    root = vault(make_vault, {template: "Before\n" + payload.replace("MARKER", str(marker)) + "\nAfter\n"})
    code, out, err = mdnet(*command, "--vault", str(root), "--today", TODAY.isoformat())
    assert code >= 3
    assert f"{template}:2" in err and "Traceback" not in err
    assert out == ""
    assert not marker.exists()
    assert not (root / "Agenda.md").exists()


def test_a_payload_in_a_templates_option_folder_is_refused(mdnet, make_vault, monkeypatch, capsys, tmp_path):
    marker, mine = tmp_path / "ran", tmp_path / "mine"
    mine.mkdir()
    (mine / "agenda.md.j2").write_text(PAYLOADS["cycler"].replace("MARKER", str(marker)), encoding="utf-8")
    code, _, err = mdnet("agenda", "--vault", str(vault(make_vault)),
                            "--templates", str(mine), "--today", TODAY.isoformat())
    assert code >= 3 and "mine/agenda.md.j2:1" in err and "unsafe" in err
    assert not marker.exists()


def test_a_payload_in_a_new_note_template_writes_no_note(mdnet, make_vault, monkeypatch, capsys, tmp_path):
    marker = tmp_path / "ran"
    root = vault(make_vault, {"contact.md.j2": "---\ntype: contact\n---\n" + PAYLOADS["lipsum"].replace(
        "MARKER", str(marker))})
    code, _, err = mdnet("new", "contact", "Luis Gil", "--vault", str(root))
    assert code >= 3 and "contact.md.j2:4" in err
    assert not marker.exists() and not (root / "Contacts" / "Luis Gil.md").exists()


def test_a_payload_in_the_page_template_is_refused(make_vault, tmp_path):
    marker = tmp_path / "ran"
    root = vault(make_vault, {"page.html.j2": "<p>\n" + PAYLOADS["self"].replace("MARKER", str(marker))})
    with pytest.raises(TemplateProblem, match=r"page\.html\.j2:2"):
        agenda.render_html(pipeline.run(root, TODAY, 7))
    assert not marker.exists()


def test_a_template_cannot_change_the_values_it_is_given(make_vault):
    """`watch` and `serve` keep the plan between renders: a template may read it, never change it."""
    root = vault(make_vault, {"agenda.md.j2": "{{ stats.by_circle.update({'professional': 99}) }}\n"})
    result = pipeline.run(root, TODAY, 7)
    with pytest.raises(TemplateProblem, match=r"agenda\.md\.j2:1: .*unsafe"):
        agenda.render_markdown(result)
    assert result.plan.stats.by_circle["professional"] == 1


def test_a_template_extending_the_builtin_still_renders(make_vault):
    root = vault(make_vault, {"agenda.md.j2": '{% extends "builtin:agenda.md.j2" %}\n'
                                              '{% block progress %}\n## Mine: {{ stats.contacts|number }}\n'
                                              '{{ action_lines(actions) }}{% endblock %}\n'})
    text = agenda.render_markdown(pipeline.run(root, TODAY, 7))
    assert "## Mine: 1\n- **Meeting** 10:30 [[Contacts/Ana Peña|Ana Peña]]" in text
    assert "## Before each meeting" in text


def test_the_sandbox_asks_again_for_an_object_that_says_it_is_of_another_class():
    from jinja2.exceptions import SecurityError

    from mdnet import render

    class Proxy:  # says it is of the class it stands for, which `isinstance` believes
        def __init__(self, kind):
            self.kind = kind

        __class__ = property(lambda self: self.kind)

        def update(self):
            return "changed"

    template = render.environment(None, "en").from_string("{{ value.update() }}")
    assert template.render(value=Proxy(object)) == "changed"
    with pytest.raises(SecurityError):
        template.render(value=Proxy(dict))
    with pytest.raises(SecurityError):
        template.render(value={})


@pytest.mark.parametrize("expression", ["{{ 1 / 0 }}", "{{ range(10 ** 9) | list }}", "{{ [][3] }}",
                                        "{{ {}['x'] }}", "{{ 'a' ~ none + 1 }}"])
def test_an_error_in_a_vault_template_is_a_template_error_not_a_traceback(mdnet, make_vault, monkeypatch, capsys,
                                                                         expression):
    root = vault(make_vault, {"agenda.md.j2": f"line one\n{expression}\n"})
    code, out, err = mdnet("agenda", "--vault", str(root), "--today", str(TODAY))
    assert code >= 3 and "agenda.md.j2:2" in err and "Traceback" not in err


def test_the_feed_shows_names_as_written_not_as_markdown_escapes_them(make_vault):
    from mdnet import ics

    root = make_vault({
        "Campaign.md": "---\ntype: campaign\ngoal: Product\ntimezone: Europe/Madrid\nlocale: en\n---\n",
        "Contacts/Ana_Peña.md": "---\ntype: contact\ncircle: professional\nrelation: boss at *Acme_Corp*\n---\n",
        f"Meetings/{TODAY + timedelta(days=2)} Ana.md":
            f"---\ntype: meeting\nwith: \"[[Ana_Peña]]\"\ndate: {TODAY + timedelta(days=2)}T10:30\n---\n",
    })
    feed = ics.feed(pipeline.run(root, TODAY)).decode().replace("\r\n ", "")
    assert "Ana_Peña: boss at *Acme_Corp*" in feed and "\\_" not in feed
    page = agenda.render_markdown(pipeline.run(root, TODAY))
    assert "Ana\\_Peña: boss at \\*Acme\\_Corp\\*" in page
