"""Jinja templates: the built-ins, overridable per vault or per run, in the campaign's language.
The only module that makes a Jinja environment.

Loader order (first match wins): `--templates DIR`, `<vault>/.mdnet/templates/`, the built-ins.
`{% extends "builtin:agenda.md.j2" %}` reaches a built-in from a user's template of the same name.

Every template renders in Jinja's immutable sandbox, the built-ins too, so that a user's template
that extends or includes a built-in shares its one environment: a template from a vault (synced,
shared, cloned from someone else) or from `--templates DIR` reaches no Python internals, runs no
code and changes none of the values it is given (`watch` and `serve` keep them for the next render).
"""

from __future__ import annotations

import functools
from pathlib import Path

import jinja2
from jinja2.sandbox import ImmutableSandboxedEnvironment

from mdnet import agenda, files, i18n
from mdnet.errors import TemplateProblem
from mdnet.i18n import tr


def builtin_dir() -> Path:
    """Installed wheels carry the templates inside the package; a checkout has them at the top."""
    inside = Path(__file__).parent / "templates"
    return inside if inside.is_dir() else Path(__file__).parent.parent / "templates"


def environment(root: Path | None, locale: str | None, templates: Path | None = None,
                new_notes: bool = False) -> ImmutableSandboxedEnvironment:
    """The templates in the campaign's language, with the names the built-ins use: `longdate`,
    `number`, `locale`, `md` (text from the vault, names above all, as Markdown on one line that
    shows it as written), and the agenda's `wikilink`, `action_line` and `action_lines`; or, for
    `new_notes`, the front matter's `yaml`, `quoted` and `wikilink` (a quoted `"[[name]]"`).

    Kept while none of the user's templates changes: `watch` and `serve` render the agenda and the
    feed's briefs on every save.
    """
    return _environment(root, locale, templates, new_notes, files.signature(root, templates))


class _Sandbox(ImmutableSandboxedEnvironment):
    """Jinja's immutable sandbox, keeping its answer on each attribute: a large campaign's agenda
    reads the same few attributes of the same few types tens of thousands of times."""

    def __init__(self, **options):
        super().__init__(**options)
        self._safe: dict[tuple[type, str], bool] = {}

    def is_safe_attribute(self, obj, attr: str, value) -> bool:
        # The sandbox's answer depends only on the name and on the classes the object is an
        # instance of: its type, unless it says it is of another class (a proxy), as `isinstance`
        # would believe.
        kind = type(obj)
        if obj.__class__ is not kind:
            return super().is_safe_attribute(obj, attr, value)
        safe = self._safe.get((kind, attr))
        if safe is None:
            safe = self._safe[kind, attr] = super().is_safe_attribute(obj, attr, value)
        return safe


@functools.lru_cache(maxsize=8)
def _environment(root: Path | None, locale: str | None, templates: Path | None, new_notes: bool,
                 state: frozenset) -> ImmutableSandboxedEnvironment:
    del state  # only part of the key: changed templates get an environment of their own
    builtin = jinja2.FileSystemLoader(builtin_dir())
    loaders = []
    if templates is not None:
        loaders.append(jinja2.FileSystemLoader(templates))
    if root is not None:
        loaders.append(jinja2.FileSystemLoader(root / ".mdnet" / "templates"))
    loaders += [builtin, jinja2.PrefixLoader({"builtin": builtin}, delimiter=":")]
    env = _Sandbox(
        loader=jinja2.ChoiceLoader(loaders),
        undefined=jinja2.StrictUndefined,
        extensions=["jinja2.ext.i18n"],
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
        # The web page is HTML; notes and the feed are text, where `&` stays `&`.
        autoescape=jinja2.select_autoescape(["html.j2"], default_for_string=False),
    )
    env.install_gettext_translations(i18n.translations(locale), newstyle=True)
    env.filters["longdate"] = lambda d, fmt="full": i18n.format_date(d, locale, fmt)
    env.filters["number"] = lambda n: i18n.format_number(n, locale)
    env.filters["md"] = agenda.markdown_text
    env.globals["locale"] = i18n.language(locale)
    # Users' templates of both kinds are told of a `wikilink` filter, and the two differ: hence
    # an environment for new notes and one for the rest.
    if new_notes:
        from mdnet import edit  # ruamel.yaml, which nothing else rendered needs

        env.filters.update(yaml=edit.scalar, wikilink=edit.wikilink, quoted=edit.Quoted)
    else:
        line = agenda.action_line_for(locale)

        # The agenda's context holds the links that end each action's line (`agenda.context`).
        @jinja2.pass_context
        def action_lines(ctx, actions, show_due=False):
            links = ctx.get("links")
            return "".join([line(a, show_due, links) for a in actions])

        env.globals["action_line"] = jinja2.pass_context(lambda ctx, a, show_due=False: line(a, show_due, ctx.get("links")))
        env.globals["action_lines"] = action_lines
        env.filters["wikilink"] = agenda.wikilink
    return env


def render(env: jinja2.Environment, name: str, **context) -> str:
    """Render a template; a broken or missing template is a TemplateProblem naming it and its line."""
    try:
        return env.get_template(name).render(**context)
    except jinja2.TemplateSyntaxError as e:
        where = f"{e.filename or e.name or name}:{e.lineno}"
        raise TemplateProblem(tr("template error at %(where)s: %(error)s") % {"where": where, "error": e.message},
                              tr("Fix the template, or remove it to use the built-in one.")) from None
    except jinja2.TemplateNotFound as e:
        raise TemplateProblem(tr("template not found: %(name)s") % {"name": e.name},
                              tr("The built-in templates are in %(folder)s.") % {"folder": builtin_dir()}) from None
    except jinja2.UndefinedError as e:
        raise TemplateProblem(tr("template error in %(where)s: %(error)s") % {"where": _frame(e, name),
                                                                              "error": e.message},
                              tr("Check the name's spelling against the built-in template.")) from None
    except jinja2.exceptions.SecurityError as e:
        raise TemplateProblem(tr("template refused in %(where)s: %(error)s") % {"where": _frame(e, name),
                                                                                "error": e.message},
                              tr("Templates run in a sandbox: use the names the built-in template uses, "
                                 "not Python's internals.")) from None
    except (ArithmeticError, LookupError, TypeError, ValueError, RecursionError) as e:
        if not _raised_by_template(e):
            raise  # a bug of mdnet's own, in a filter or a value: it surfaces
        raise TemplateProblem(tr("template error in %(where)s: %(error)s") % {"where": _frame(e, name), "error": e},
                              tr("Fix the template, or remove it to use the built-in one.")) from None


def _raised_by_template(exc: BaseException) -> bool:
    """Whether an error came from a template's own code (`{{ 1 / 0 }}`, a range too big for the
    sandbox), rather than from mdnet's Python code a template called."""
    tb = exc.__traceback__
    while tb.tb_next is not None:
        tb = tb.tb_next
    code = tb.tb_frame
    return code.f_code.co_filename.endswith(".j2") or "__jinja_template__" in code.f_globals or (
        code.f_globals.get("__name__", "").startswith("jinja2"))


def _frame(exc: BaseException, name: str) -> str:
    """The template file and line where a render-time error happened, from the traceback."""
    tb, where = exc.__traceback__, name
    while tb is not None:
        filename = tb.tb_frame.f_code.co_filename
        if filename.endswith(".j2") or tb.tb_frame.f_globals.get("__jinja_template__"):
            where = f"{filename}:{tb.tb_lineno}"
        tb = tb.tb_next
    return where
