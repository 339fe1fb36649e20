"""The Jinja2 environment over a theme's template folders, and template errors as diagnostics.

Kept apart from ``theme.py`` so that resolving a theme (which the "up to date" check does before
every build) does not import Jinja2.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from contextlib import suppress
from pathlib import Path

import jinja2
from jinja2.bccache import Bucket
from jinja2.loaders import split_template_path

from .diagnostics import ConfigError, InputError, SourceLocation, TemplateError, error
from .inputs import display_path
from .reading import read_text
from .theme import Theme

REQUIRED_TEMPLATES = ("article.html", "home.html", "page.html", "404.html")


def create_environment(theme: Theme, compiled: dict[str, bytes] | None = None) -> jinja2.Environment:
    """Autoescaping, StrictUndefined Jinja2 over the theme's template folders; ``compiled``: templates
    compiled by an earlier build (see :class:`KeptCompiled`), filled with those compiled now.

    Seed text only ever reaches templates as *values*: it is escaped on output and never compiled as
    template code, so ``{{ 7*7 }}`` in a seed is printed as written.
    """
    env = jinja2.Environment(
        loader=ThemeLoader(theme),
        bytecode_cache=KeptCompiled(compiled) if compiled is not None else None,
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        auto_reload=False,  # the build makes a new environment when a template changes (Theme.fingerprint)
    )
    missing = [name for name in REQUIRED_TEMPLATES if not _template_exists(env, name)]
    if missing:
        folders = ", ".join(str(f) for f in theme.template_folders)
        raise ConfigError(error(f"theme {theme.name!r} has no template {missing[0]!r}",
                                SourceLocation(display_path(Path.cwd(), theme.folders[0] / "theme.toml"), 1),
                                f"add it to one of: {folders}, or extend a theme that has it (extends = \"default\")"))
    return env


class KeptCompiled(jinja2.BytecodeCache):
    """Compiled templates kept in a dict that the build cache keeps on disk, signed with the rest
    of it, so that a build in a new process does not compile the theme again. Jinja2 names each by
    its template and checks it against the template's source, and against the Python version."""

    def __init__(self, kept: dict[str, bytes]) -> None:
        self.kept = kept

    def load_bytecode(self, bucket: Bucket) -> None:
        if (data := self.kept.get(bucket.key)) is not None:
            bucket.bytecode_from_string(data)

    def dump_bytecode(self, bucket: Bucket) -> None:
        self.kept[bucket.key] = bucket.bytecode_to_string()


class ThemeLoader(jinja2.BaseLoader):
    """Templates from the theme's folders, in order, each read through :mod:`~site_gen.reading` (a
    template that is a link out of the site, a FIFO or not UTF-8 is an error naming it)."""

    def __init__(self, theme: Theme) -> None:
        self.theme = theme

    def get_source(self, environment: jinja2.Environment, template: str) -> tuple[str, str, Callable[[], bool]]:
        pieces = split_template_path(template)
        for folder in self.theme.template_folders:
            path = os.path.join(folder, *pieces)
            if os.path.lexists(path) and not os.path.isdir(path):
                try:
                    text = read_text(path, self.theme.shown(Path(path)), self.theme.within(folder), "template")
                except InputError as exc:
                    raise TemplateError(exc.diagnostics) from None
                return text, os.path.normpath(path), lambda: True
        folders = ", ".join(repr(str(folder)) for folder in self.theme.template_folders)
        raise jinja2.TemplateNotFound(template, f"{template!r} not found in search paths: {folders}")


def compile_all(env: jinja2.Environment, theme: Theme) -> None:
    """Compile every ``.html`` template of the theme now, once: the worker processes that render
    pages are forked afterwards and inherit them, instead of each compiling those it uses. A
    template that does not compile is left for the page that uses it to report."""
    names = {os.path.relpath(os.path.join(folder, name), top).replace(os.sep, "/")
             for top in theme.template_folders for folder, _, files in os.walk(top) for name in files
             if name.endswith(".html") and not name.startswith(".")}
    for name in sorted(names):
        with suppress(jinja2.TemplateError, TemplateError):
            env.get_template(name)


def _template_exists(env: jinja2.Environment, name: str) -> bool:
    try:
        env.get_template(name)
    except jinja2.TemplateNotFound:
        return False
    except jinja2.TemplateSyntaxError as exc:
        raise template_error(exc) from None
    return True


def template_error(exc: Exception, root: Path | None = None) -> TemplateError:
    """An error raised by a template (a Jinja2 error, or any exception while it renders: a division
    by zero, a missing attribute) as a diagnostic naming the template file and line, relative to the
    site folder ``root`` when it is in it."""
    if isinstance(exc, jinja2.TemplateSyntaxError):
        where = _shown(exc.filename or exc.name or "template", exc.lineno or 0, root)
        return TemplateError(error(f"template syntax error: {exc.message}", where))
    message = f"{exc}" if isinstance(exc, jinja2.TemplateError) else f"{type(exc).__name__}: {exc}"
    return TemplateError(error(f"template error: {message}", _template_frame(exc, root),
                               "fix the template at this line (or the value it uses)"))


def _template_frame(exc: Exception, root: Path | None) -> SourceLocation | None:
    """Where in a template ``exc`` was raised: the innermost frame of template code (Jinja2 marks the
    frames it rewrites to point at template lines)."""
    where = None
    trace = exc.__traceback__
    while trace is not None:
        if "__jinja_exception__" in trace.tb_frame.f_globals:
            where = (trace.tb_frame.f_code.co_filename, trace.tb_lineno)
        trace = trace.tb_next
    return _shown(*where, root) if where else None


def _shown(path: str, line: int, root: Path | None) -> SourceLocation:
    return SourceLocation(display_path(root, Path(path)) if root is not None else path, line)
