"""The command line: sub-commands, --help, exit status, the summary line, init."""

from __future__ import annotations

import socket
import subprocess
import sys
from pathlib import Path

import pytest

from site_gen import content, fingerprint, passage_records
from site_gen.cli import main

from .conftest import REPO

BASE_URL = '[site]\nbase_url = "https://example.org/reader/"\n'


def test_default_command_is_build(tree, capsys) -> None:
    site = tree({"seeds/a.txt": "Title\n\nBody.\n", "site.toml": BASE_URL})
    assert main(["--site", str(site)]) == 0
    out = capsys.readouterr().out
    assert out.startswith("1 pages, 0 glossary entries, 0 notes; 0 warnings, 0 errors;")
    assert out.rstrip().endswith(f"-> {site / 'public'}")


def test_errors_give_exit_status_1_and_list_every_error(tree, capsys) -> None:
    site = tree({"seeds/a.txt": "", "seeds/b.txt": b"\x00bin", "seeds/c.txt": "Fine\n\nBody.\n"})
    assert main(["build", "--site", str(site)]) == 1
    err = capsys.readouterr().err
    assert "seeds/a.txt: error: seed is empty" in err and "seeds/b.txt: error: seed is a binary file" in err
    assert (site / "public/articles/fine/index.html").exists()


def test_config_error_exits_1_with_the_message(tree, capsys) -> None:
    site = tree({"site.toml": "[site]\nnope = 1\n"})
    assert main(["build", "--site", str(site)]) == 1
    assert capsys.readouterr().err.startswith("site.toml:2: error: unknown key 'nope' in [site]")


def test_bad_usage_exits_2(capsys) -> None:
    with pytest.raises(SystemExit) as caught:
        main(["build", "--no-such-option"])
    assert caught.value.code == 2


@pytest.mark.parametrize("command", ["build", "init", "serve", "check"])
def test_every_command_has_help(command: str, capsys) -> None:
    with pytest.raises(SystemExit) as caught:
        main([command, "--help"])
    assert caught.value.code == 0
    assert f"usage: site-gen {command}" in capsys.readouterr().out


def test_quiet_prints_nothing_on_success(tree, capsys) -> None:
    site = tree({"seeds/a.txt": "Title\n\nBody.\n", "site.toml": BASE_URL})
    assert main(["build", "--quiet", "--site", str(site)]) == 0
    assert capsys.readouterr() == ("", "")


def test_init_creates_a_site_that_builds_cleanly(tmp_path: Path, capsys) -> None:
    site = tmp_path / "reader"
    assert main(["init", str(site)]) == 0
    assert (site / "site.toml").exists() and (site / "seeds").is_dir()
    assert main(["build", "--site", str(site)]) == 0
    out, err = capsys.readouterr()
    assert "1 notes; 1 warnings, 0 errors" in out
    assert err.startswith("site.toml:4: warning: 'site.base_url' is empty")
    assert (site / "public/glossary/index.html").exists()
    ignored = (site / ".gitignore").read_text().splitlines()
    assert "/.cache/" in ignored and "/public/" in ignored
    assert (site / ".cache").is_dir(), "the build keeps its cache there"


def test_init_refuses_a_non_empty_folder(tree, capsys) -> None:
    site = tree({"keep.txt": "mine"})
    assert main(["init", str(site)]) == 1
    assert "not empty" in capsys.readouterr().err


def test_build_py_and_module_run_the_same_entry_point(tree) -> None:
    site = tree({"seeds/a.txt": "Title\n\nBody.\n"})
    for command in ([sys.executable, str(REPO / "build.py")], [sys.executable, "-m", "site_gen"]):
        done = subprocess.run([*command, "build", "--force", "--site", str(site)], capture_output=True, text=True,
                              check=False)
        assert done.returncode == 0, done.stderr
        assert "1 pages" in done.stdout


def test_unchanged_site_is_not_built_again_but_problems_are_repeated(tree, capsys) -> None:
    site = tree({"seeds/a.txt": "Title\n\nSee it. (See: Missing article)\n", "seeds/b.txt": "", "site.toml": BASE_URL})
    assert main(["build", "--site", str(site)]) == 1
    first = capsys.readouterr()
    assert main(["build", "--site", str(site)]) == 1
    again = capsys.readouterr()
    assert again.out.startswith("up to date: nothing changed since the last build (1 warnings, 1 errors)")
    assert "seeds/b.txt: error: seed is empty" in again.err and again.err == first.err
    (site / "seeds/b.txt").write_text("Now it has text\n\nBody.\n")
    assert main(["build", "--site", str(site)]) == 0
    assert "2 pages" in capsys.readouterr().out
    assert main(["build", "--force", "--site", str(site)]) == 0
    assert "2 pages" in capsys.readouterr().out


def test_a_seed_saved_while_the_build_runs_is_built_next_time(tree, capsys, monkeypatch) -> None:
    """That build's output may not hold the change, so it must not count as up to date; the
    build's own writes to content/articles must not stop the next build from being up to date."""
    from site_gen import pipeline

    site = tree({"seeds/a.txt": "Title\n\nThe first words.\n"})
    real = pipeline.render_site

    def render_while_the_editor_saves(*args, **kwargs):
        (site / "seeds/a.txt").write_text("Title\n\nThe second words.\n")
        return real(*args, **kwargs)

    monkeypatch.setattr(pipeline, "render_site", render_while_the_editor_saves)
    assert main(["build", "--site", str(site)]) == 0
    monkeypatch.setattr(pipeline, "render_site", real)
    page = site / "public/articles/title/index.html"
    assert "The second words." not in page.read_text()
    capsys.readouterr()
    assert main(["build", "--site", str(site)]) == 0
    assert "up to date" not in capsys.readouterr().out
    assert "The second words." in page.read_text()
    assert main(["build", "--site", str(site)]) == 0
    assert capsys.readouterr().out.startswith("up to date")


def test_the_fingerprint_sets_apart_the_folders_the_build_writes_to() -> None:
    """fingerprint.py spells the folders out rather than import the stages; they must agree, or the
    build's own writes would make every next build run again (or hide an editor's save)."""
    assert (fingerprint.GENERATED, fingerprint.GENERATED_IDS) == (content.ARTICLES_DIR, passage_records.IDS_DIR)


def test_an_up_to_date_site_is_answered_without_importing_the_build(tree) -> None:
    """Importing the build's stages takes longer than the whole check, so the check comes first."""
    site = tree({"seeds/a.txt": "Title\n\nBody.\n"})
    probe = ("import sys; from site_gen.cli import main; status = main(['build', '--quiet', '--site', sys.argv[1]]); "
             "print(status, 'site_gen.pipeline' in sys.modules, 'markdown_it' in sys.modules, 'jinja2' in sys.modules)")
    runs = [subprocess.run([sys.executable, "-c", probe, str(site)], capture_output=True, text=True, check=False)
            for _ in range(2)]
    assert [run.stdout.split() for run in runs] == [["0", "True", "True", "True"], ["0", "False", "False", "False"]], runs


def test_a_build_without_base_url_warns_and_says_what_needs_it(tree, capsys) -> None:
    site = tree({"seeds/a.txt": "Title\n\nBody.\n", "site.toml": '[site]\ntitle = "R"\n'})
    assert main(["build", "--site", str(site)]) == 0
    first = capsys.readouterr()
    assert first.err == (
        "site.toml:1: warning: 'site.base_url' is empty: the 404 page then works only at the top level of the site "
        "and from disk (not for missing pages in folders, nor under a subpath), and the sitemap, canonical links and "
        "the feed's full links need it too\n"
        '  hint: set it to the address the site is published at, e.g. base_url = "https://example.github.io/reader/" '
        "in [site]\n")
    assert "; 1 warnings, 0 errors;" in first.out
    assert main(["build", "--site", str(site)]) == 0
    assert capsys.readouterr().err == first.err, "an up-to-date build says it again"
    assert main(["build", "--strict", "--force", "--site", str(site)]) == 1
    assert "site.toml:1: error: 'site.base_url' is empty" in capsys.readouterr().err


def test_an_unknown_command_suggests_the_closest(capsys) -> None:
    assert main(["bulid", "--site", "."]) == 2
    assert capsys.readouterr().err == ("error: unknown command 'bulid'; did you mean 'build'?\n"
                                       "  hint: the commands are build, init, serve, check, epub (site-gen --help)\n")
    assert main(["publish"]) == 2
    assert capsys.readouterr().err.startswith("error: unknown command 'publish'\n")


def test_a_port_in_use_suggests_the_next_free_one_or_port_0(tree, capsys) -> None:
    site = tree({"seeds/a.txt": "Title\n\nBody.\n"})
    with socket.create_server(("127.0.0.1", 0)) as taken:
        port = taken.getsockname()[1]
        assert main(["serve", "--site", str(site), "--port", str(port)]) == 1
    err = capsys.readouterr().err
    assert err.startswith(f"error: port {port} on 127.0.0.1 is in use")
    suggested = int(err.split("--port ")[1].split(",")[0])
    assert suggested > port and err.rstrip().endswith("or let the system choose: --port 0")
    with socket.create_server(("127.0.0.1", suggested)):
        pass
