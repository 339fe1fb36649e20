"""Every setting is validated with its line: site.toml and theme.toml values by type and range,
with the file and line (or the command-line option that set it) and what is allowed; nothing a
setting holds reaches the build as a traceback."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from site_gen.assets import check_theme
from site_gen.cli import main
from site_gen.config import load_config
from site_gen.diagnostics import ConfigError
from site_gen.pipeline import BuildOptions, build
from site_gen.theme import load_theme

from ..conftest import write_tree

SEED = {"seeds/a.txt": "A title\n\nBody text.\n"}


def first_error(site: Path) -> str:
    with pytest.raises(ConfigError) as caught:
        check_theme(load_theme(load_config(site)))
    return caught.value.diagnostics[0].format()


SITE_TOML = [
    ("footer regex", '[seeds]\nfooter_patterns = ["^ok", "(unclosed"]\n',
     "site.toml:2: error: 'seeds.footer_patterns' must be regular expressions: '(unclosed' is not one "
     "(missing ), unterminated subpattern at position 0), got ['^ok', '(unclosed']"),
    ("threshold above 1", "[notes]\nfuzzy_threshold = 7\n",
     "site.toml:2: error: 'notes.fuzzy_threshold' must be from 0 to 1, got 7"),
    ("threshold nan", "[notes]\nfuzzy_threshold = nan\n",
     "site.toml:2: error: 'notes.fuzzy_threshold' must be from 0 to 1, got nan"),
    ("threshold -inf", "[notes]\n\nfuzzy_threshold = -inf\n",
     "site.toml:3: error: 'notes.fuzzy_threshold' must be from 0 to 1, got -inf"),
    ("port too big", "[serve]\nport = 65536\n", "site.toml:2: error: 'serve.port' must be from 0 to 65535, got 65536"),
    ("port negative", "[serve]\nport = -1\n", "site.toml:2: error: 'serve.port' must be from 0 to 65535, got -1"),
    ("port true", "[serve]\nport = true\n", "site.toml:2: error: 'serve.port' must be an integer, got True"),
    ("page size huge", "[site]\narticles_per_page = 9223372036854775807\n",
     "site.toml:2: error: 'site.articles_per_page' must be from 1 to 1000000, got 9223372036854775807"),
    ("build date words", '[build]\nbuild_date = "yesterday"\n',
     "site.toml:2: error: 'build.build_date' must be an ISO date like \"2012-06-08\" (or empty), got 'yesterday'"),
    ("build date impossible", '[build]\nbuild_date = "2012-02-30"\n',
     "site.toml:2: error: 'build.build_date' must be an ISO date like \"2012-06-08\" (or empty), got '2012-02-30'"),
    ("build date compact", '[build]\nbuild_date = "20120608"\n',
     "site.toml:2: error: 'build.build_date' must be an ISO date like \"2012-06-08\" (or empty), got '20120608'"),
    ("base_url javascript", '[site]\nbase_url = "javascript:alert(1)//"\n',
     "site.toml:2: error: 'site.base_url' must be an http:// or https:// URL like \"https://example.org/reader/\" "
     "(or empty), got 'javascript:alert(1)//'"),
    ("base_url data", '[site]\nbase_url = "data:text/html,<script>alert(1)</script>"\n',
     "site.toml:2: error: 'site.base_url' must be an http:// or https:// URL like \"https://example.org/reader/\" "
     "(or empty), got 'data:text/html,<script>alert(1)</script>'"),
    ("base_url no host", '[site]\nbase_url = "https:/reader"\n',
     "site.toml:2: error: 'site.base_url' must be an http:// or https:// URL like \"https://example.org/reader/\" "
     "(or empty), got 'https:/reader'"),
    ("dotted key", "site.title = 5\n", "site.toml:1: error: 'site.title' must be a string, got 5"),
    ("array of tables", "[site]\n[[glossary]]\nlink = 'all'\n",
     "site.toml:2: error: 'glossary' must be a table ([glossary])"),
    ("long value cut", f'[site]\ntheme = ["{"x" * 5000}"]\n',
     "site.toml:2: error: 'site.theme' must be a string, got ['xxxxxxxxxxxxxxxxxxxxxxxxxxx...xxxxxxxxxxxxxxxxxxxxxxxxxxx…"),
    ("nested too deeply", "a = " + "[" * 50_000 + "]" * 50_000 + "\n", "site.toml: error: invalid TOML: nested too deeply"),
    ("not UTF-8", b'[site]\ntitle = "Caf\xe9"\n', "site.toml:2: error: cannot decode byte 0xe9 at offset 19 (not UTF-8)"),
]


@pytest.mark.parametrize("text,message", [c[1:] for c in SITE_TOML], ids=[c[0] for c in SITE_TOML])
def test_a_bad_site_toml_value_is_named_with_its_line(tree, text: str | bytes, message: str) -> None:
    assert first_error(tree({**SEED, "site.toml": text})).splitlines()[0] == message


THEME_TOML = [
    ("wrong type", 'extends = "default"\n\nname = 5\n', "themes/t/theme.toml:3: error: 'name' must be a string, got 5"),
    ("unknown key", 'extends = "default"\ncolour = "red"\n',
     "themes/t/theme.toml:2: error: unknown key 'colour' at the top level"),
    ("unknown style", 'extends = "default"\npygments_dark = "no-such-style"\n',
     "themes/t/theme.toml:2: error: unknown Pygments style 'no-such-style' in 'pygments_dark'"),
    ("not UTF-8", b'extends = "default"\nname = "Caf\xe9"\n',
     "themes/t/theme.toml:2: error: cannot decode byte 0xe9 at offset 31 (not UTF-8)"),
    ("missing parent", '\nextends = "nowhere"\n', "themes/t/theme.toml:2: error: parent theme of 't' 'nowhere' not found"),
]


@pytest.mark.parametrize("text,message", [c[1:] for c in THEME_TOML], ids=[c[0] for c in THEME_TOML])
def test_a_bad_theme_toml_value_is_named_with_its_line(tree, text: str | bytes, message: str) -> None:
    site = tree({**SEED, "site.toml": '[site]\ntheme = "t"\n', "themes/t/theme.toml": text})
    assert first_error(site).splitlines()[0] == message


def test_a_site_toml_that_is_a_fifo_is_refused_without_blocking(tree) -> None:
    site = tree(SEED)
    os.mkfifo(site / "site.toml")
    assert first_error(site).startswith("site.toml: error: settings file is a FIFO (named pipe), not a regular file")


def test_every_problem_of_a_file_is_reported_at_once(tree) -> None:
    site = tree({"site.toml": '[serve]\nport = 0.5\n[notes]\nfuzzy_threshold = 1.5\n[seeds]\nfooter_patterns = ["["]\n'})
    with pytest.raises(ConfigError) as caught:
        load_config(site)
    assert [(d.location.line, d.message.split(" must")[0]) for d in caught.value.diagnostics] == [
        (2, "'serve.port'"), (4, "'notes.fuzzy_threshold'"), (6, "'seeds.footer_patterns'")]


@pytest.mark.parametrize("option,value,message", [
    ("--port", "70000", "error: --port must be from 0 to 65535, got 70000"),
    ("--port", "-5", "error: --port must be from 0 to 65535, got -5"),
])
def test_a_bad_command_line_option_names_the_option_not_site_toml(tree, capsys, option: str, value: str,
                                                                  message: str) -> None:
    site = tree({**SEED, "site.toml": "[serve]\nport = 8001\n"})
    assert main(["serve", "--site", str(site), option, value]) == 1
    err = capsys.readouterr().err
    assert err.splitlines() == [message, "  hint: --port sets [serve] port of site.toml for this run"]


def test_a_toml_date_where_text_is_expected_is_taken_as_its_iso_text(tree) -> None:
    assert load_config(tree({"site.toml": "[build]\nbuild_date = 2012-06-08\n"})).build.build_date == "2012-06-08"


@pytest.mark.parametrize("epoch", ["99999999999999999999", "yesterday", "-1", "１２３"])
def test_a_bad_source_date_epoch_is_an_error_naming_it(tree, monkeypatch, epoch: str) -> None:
    site = tree(SEED)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", epoch)
    with pytest.raises(ConfigError) as caught:
        build(load_config(site), BuildOptions(write=False))
    assert caught.value.diagnostics[0].message.startswith("SOURCE_DATE_EPOCH must be seconds since 1970")


def test_a_good_source_date_epoch_sets_the_build_date(tree, monkeypatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1339113600")
    assert build(load_config(tree(SEED)), BuildOptions(write=False)).build_date == "2012-06-08"


def test_the_bad_setting_stops_the_build_before_anything_is_written(tmp_path: Path) -> None:
    site = write_tree(tmp_path / "site", {**SEED, "site.toml": "[seeds]\nfooter_patterns = ['(?P<x']\n"})
    with pytest.raises(ConfigError):
        build(load_config(site))
    assert sorted(p.name for p in site.iterdir()) == ["seeds", "site.toml"]
