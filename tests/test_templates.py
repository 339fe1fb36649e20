"""The theme's Jinja2 environment: every template compiled once, a broken one reported where it is used."""

from __future__ import annotations

import jinja2
import pytest

from site_gen.config import load_config
from site_gen.diagnostics import TemplateError
from site_gen.pipeline import BuildOptions, build
from site_gen.templates import compile_all, create_environment
from site_gen.theme import load_theme

SEED = {"seeds/a.txt": "A title\n\nBody text.\n"}


def test_compile_all_compiles_every_template_of_the_chain(tree) -> None:
    site = tree({**SEED, "templates/extra/aside.html": "<aside>{{ 1 + 1 }}</aside>"})
    theme = load_theme(load_config(site))
    env = create_environment(theme)
    compile_all(env, theme)
    compiled = {template.name for template in env.cache.values()}
    assert {"base.html", "term.html", "_byline.html", "redirect.html", "extra/aside.html"} <= compiled
    assert env.get_template("extra/aside.html").render() == "<aside>2</aside>"


def test_broken_template_no_page_uses_does_not_stop_the_build(tree) -> None:
    site = tree({**SEED, "templates/unused.html": "{% if %}"})
    theme = load_theme(load_config(site))
    env = create_environment(theme)
    compile_all(env, theme)
    with pytest.raises(jinja2.TemplateSyntaxError):
        env.get_template("unused.html")
    result = build(load_config(site))
    assert result.ok and (site / "public/articles/a-title/index.html").is_file()


def test_broken_template_a_page_uses_is_reported_at_its_line(tree) -> None:
    site = tree({**SEED, "templates/page.html": "{% extends \"base.html\" %}\n{% block main %}{% if %}{% endblock %}",
                 "content/pages/about.md": "---\ntitle: About\n---\nHello.\n"})
    with pytest.raises(TemplateError) as raised:
        build(load_config(site), BuildOptions(write=False))
    assert "page.html:2" in str(raised.value) and "template syntax error" in str(raised.value)


def test_templates_compiled_once_are_kept_and_a_changed_one_is_compiled_again(tree, monkeypatch) -> None:
    """A new environment given what an earlier one compiled does not compile those templates again
    (a build in a new process reads them from the build cache), but a template whose source
    changed is compiled from its new source."""
    site = tree({**SEED, "templates/extra/aside.html": "<aside>{{ 1 + 1 }}</aside>"})
    theme = load_theme(load_config(site))
    kept: dict[str, bytes] = {}
    compile_all(create_environment(theme, kept), theme)
    assert len(kept) >= 10
    compiled = []
    real = jinja2.Environment._parse
    monkeypatch.setattr(jinja2.Environment, "_parse", lambda env, *args: compiled.append(args[1]) or real(env, *args))
    env = create_environment(theme, kept)
    compile_all(env, theme)
    assert compiled == [] and env.get_template("extra/aside.html").render() == "<aside>2</aside>"
    (site / "templates/extra/aside.html").write_text("<aside>{{ 2 + 2 }}</aside>")
    env = create_environment(load_theme(load_config(site)), kept)
    assert env.get_template("extra/aside.html").render() == "<aside>4</aside>"
    assert compiled == ["extra/aside.html"]
