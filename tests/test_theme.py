"""Themes: the extends chain, overrides by a child theme or the site, and clear errors."""

from __future__ import annotations

import re

import pytest

from site_gen.config import load_config
from site_gen.diagnostics import ConfigError, TemplateError
from site_gen.pipeline import BuildOptions, build
from site_gen.templates import create_environment
from site_gen.theme import load_theme

SEED = {"seeds/a.txt": "A title\n\nBody text.\n"}


def test_plain_extends_default_and_adds_its_stylesheet(tree) -> None:
    site = tree({**SEED, "site.toml": '[site]\ntheme = "plain"\n'})
    theme = load_theme(load_config(site))
    assert [f.name for f in theme.folders] == ["plain", "default"]
    build(load_config(site))
    html = (site / "public/articles/a-title/index.html").read_text()
    assert "assets/plain." in html and "assets/site." in html


def test_site_template_overrides_one_template(tree) -> None:
    site = tree({**SEED, "templates/_byline.html":
                 "{% macro byline(page, reading_minutes=0) %}<p class=\"mine\">By {{ page.meta.author }}</p>{% endmacro %}"
                 "{% macro article_list(articles, link, year=\"\") %}{% endmacro %}"})
    build(load_config(site))
    assert '<p class="mine">By </p>' in (site / "public/articles/a-title/index.html").read_text()


def test_site_theme_extending_a_bundled_one(tree) -> None:
    site = tree({**SEED, "site.toml": '[site]\ntheme = "mine"\n',
                 "themes/mine/theme.toml": 'extends = "default"\n',
                 "themes/mine/static/site.css": "body { color: red }\n"})
    build(load_config(site))
    css = next((site / "public/assets").glob("site.*.css")).read_text()
    assert css == "body { color: red }\n"


def test_circular_inheritance_is_an_error(tree) -> None:
    site = tree({**SEED, "site.toml": '[site]\ntheme = "a"\n',
                 "themes/a/theme.toml": 'extends = "b"\n', "themes/b/theme.toml": 'extends = "a"\n'})
    with pytest.raises(ConfigError) as caught:
        load_theme(load_config(site))
    assert caught.value.diagnostics[0].format().startswith(
        "themes/b/theme.toml:1: error: theme inheritance is circular: a -> b -> a")


def test_theme_extending_itself_is_an_error(tree) -> None:
    site = tree({**SEED, "site.toml": '[site]\ntheme = "a"\n', "themes/a/theme.toml": 'extends = "a"\n'})
    with pytest.raises(ConfigError) as caught:
        load_theme(load_config(site))
    assert "circular: a -> a" in caught.value.diagnostics[0].message


def test_missing_parent_is_an_error(tree) -> None:
    site = tree({**SEED, "site.toml": '[site]\ntheme = "a"\n', "themes/a/theme.toml": 'extends = "gone"\n'})
    with pytest.raises(ConfigError) as caught:
        load_theme(load_config(site))
    message = caught.value.diagnostics[0].format()
    assert message.startswith("themes/a/theme.toml:1: error: parent theme of 'a' 'gone' not found")
    assert "available themes: a, default, plain" in message


def test_missing_template_is_an_error(tree) -> None:
    site = tree({**SEED, "site.toml": '[site]\ntheme = "bare"\n', "themes/bare/theme.toml": 'name = "bare"\n'})
    with pytest.raises(ConfigError) as caught:
        create_environment(load_theme(load_config(site)))
    assert "theme 'bare' has no template 'article.html'" in caught.value.diagnostics[0].message


def test_template_syntax_error_names_file_and_line(tree) -> None:
    site = tree({**SEED, "templates/page.html": "line one\n{% if %}\n"})
    with pytest.raises(TemplateError) as caught:
        build(load_config(site), BuildOptions(write=False))
    diagnostic = caught.value.diagnostics[0]
    assert diagnostic.location.path.endswith("templates/page.html") and diagnostic.location.line == 2


def test_every_asset_has_a_hashed_name_and_stylesheets_point_at_them(tree) -> None:
    """Hosts cache ``assets/`` for good, so every file there carries its content hash; a stylesheet's
    url() of an image or font is rewritten to the hashed name (other URLs are left alone)."""
    site = tree({
        "site.toml": '[site]\ntheme = "mine"\n',
        "seeds/a.txt": "Title\n\nBody.\n",
        "themes/mine/theme.toml": 'extends = "default"\n',
        "themes/mine/static/logo.png": "not really a png",
        "themes/mine/static/css/extra.css": 'h1 { background: url("../logo.png#x") } p { background: url(data:,x) }',
    })
    result = build(load_config(site), BuildOptions(write=False))
    assets = {file.path: file.data for file in result.outputs if file.path.startswith("assets/")}
    assert all(re.fullmatch(r"assets/(.+/)?[^/]+\.[0-9a-f]{10}\.[a-z0-9]+", path) for path in assets), sorted(assets)
    logo = next(path for path in assets if path.startswith("assets/logo."))
    css = next(data for path, data in assets.items() if path.startswith("assets/css/extra."))
    assert css == f'h1 {{ background: url("../{logo.removeprefix("assets/")}#x") }} p {{ background: url(data:,x) }}'.encode()
