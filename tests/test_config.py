"""site.toml: defaults, validation messages naming the file, line, key and what is allowed."""

from __future__ import annotations

import pytest

from site_gen.config import SiteConfig, load_config
from site_gen.diagnostics import ConfigError
from site_gen.pipeline import build
from site_gen.theme import load_theme


def messages(site) -> list[str]:
    with pytest.raises(ConfigError) as caught:
        load_config(site)
    return [d.format() for d in caught.value.diagnostics]


def test_missing_file_gives_defaults(tmp_path) -> None:
    config = load_config(tmp_path)
    assert config.site.theme == "default" and config.glossary.link == "first" and config.serve.host == "127.0.0.1"


def test_values_are_read(tree) -> None:
    site = tree({"site.toml": '[site]\ntitle = "R"\n[glossary]\nlink = "all"\n[seeds]\nfooter_patterns = ["^x"]\n'})
    config = load_config(site)
    assert (config.site.title, config.glossary.link, config.seeds.footer_patterns) == ("R", "all", ("^x",))


def test_every_problem_is_reported_at_once(tree) -> None:
    site = tree({"site.toml": '[site]\ntitel = "R"\n[glossary]\nlink = "some"\n[serve]\nport = "80"\n[extra]\nx = 1\n'})
    assert messages(site) == [
        "site.toml:2: error: unknown key 'titel' in [site]\n  hint: did you mean 'title'? expected one of: "
        "title, description, base_url, language, author, theme, copyright, articles_per_page",
        "site.toml:4: error: 'glossary.link' must be one of 'first', 'all', 'first-per-section', got 'some'",
        "site.toml:6: error: 'serve.port' must be an integer, got '80'",
        "site.toml:7: error: unknown key 'extra' at the top level\n  hint: expected one of: "
        "site, build, seeds, glossary, notes, search, citation, epub, serve",
    ]


def test_a_list_of_choices_accepts_only_those(tree) -> None:
    site = tree({"site.toml": '[citation]\nstyles = ["apa", "mla"]\n'})
    assert messages(site) == ["site.toml:2: error: 'citation.styles' may hold only 'chicago', 'apa', got ['apa', 'mla']"]
    assert load_config(tree({"site.toml": '[citation]\nstyles = ["apa"]\n'})).citation.styles == ("apa",)


def test_toml_syntax_error_names_the_line(tree) -> None:
    site = tree({"site.toml": '[site]\ntitle = "unclosed\n'})
    assert messages(site)[0].startswith("site.toml:2: error: invalid TOML")


def test_missing_theme_lists_the_available_ones(tree) -> None:
    site = tree({"site.toml": '[site]\ntheme = "fancy"\n'})
    with pytest.raises(ConfigError) as caught:
        load_theme(load_config(site))
    text = caught.value.diagnostics[0].format()
    assert text.startswith("site.toml:2: error: theme 'fancy' not found")
    assert "available themes: default" in text


def test_build_refuses_a_bad_config_before_touching_anything(tree) -> None:
    site = tree({"site.toml": '[site]\ntheme = "nope"\n', "seeds/a.txt": "T\n\nB.\n"})
    with pytest.raises(ConfigError):
        build(load_config(site))
    assert not (site / "content").exists() and not (site / "public").exists()


def test_schema_defaults_are_documented() -> None:
    """Every key in the schema appears in docs/configuration.md."""
    import dataclasses
    from pathlib import Path

    docs = (Path(__file__).parent.parent / "docs" / "configuration.md").read_text(encoding="utf-8")
    for section in dataclasses.fields(SiteConfig):
        if section.name in ("root", "key_lines"):
            continue
        for key in dataclasses.fields(section.default_factory()):
            assert f"`{key.name}`" in docs, f"[{section.name}] {key.name} is not documented"
