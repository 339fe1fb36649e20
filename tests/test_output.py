"""Writing the site: staging then swap, stale files gone, nothing outside the output folder touched."""

from __future__ import annotations

from pathlib import Path

import pytest

from site_gen.config import load_config
from site_gen.diagnostics import ConfigError
from site_gen.model import OutputFile
from site_gen.output import MARKER, check_output_dir, safe_relative, start_cleanup, write_output
from site_gen.pipeline import BuildOptions, build


def test_write_replaces_the_whole_folder(tmp_path: Path) -> None:
    out = tmp_path / "public"
    write_output(out, [OutputFile("a/index.html", b"one"), OutputFile("old.txt", b"x")])
    write_output(out, [OutputFile("a/index.html", b"two")])
    assert (out / "a/index.html").read_bytes() == b"two"
    assert not (out / "old.txt").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == [".public.old", "public"], "no staging folder left behind"
    assert (tmp_path / ".public.old/old.txt").exists(), "the replaced site is kept aside until the next build"
    cleaner = start_cleanup(out)
    cleaner.result()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["public"]


def test_failure_midway_leaves_the_previous_site_intact(tmp_path: Path) -> None:
    out = tmp_path / "public"
    write_output(out, [OutputFile("index.html", b"good")])

    def files():
        yield OutputFile("index.html", b"half")
        raise RuntimeError("internal error during the build")

    with pytest.raises(RuntimeError):
        write_output(out, files())
    assert (out / "index.html").read_bytes() == b"good"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["public"]


@pytest.mark.parametrize("path", ["../x", "/etc/passwd", "a/../../b", "", "a\\..\\b"])
def test_unsafe_output_paths_are_refused(path: str) -> None:
    with pytest.raises(ValueError):
        safe_relative(path)


@pytest.mark.parametrize("out", [".", "content", "seeds", "content/articles", "..", "/"])
def test_output_folder_cannot_be_a_source_folder(tree, out: str) -> None:
    site = tree({"seeds/a.txt": "T\n\nB.\n", "content/x.md": "x"})
    target = Path(out) if out.startswith("/") else site / out
    with pytest.raises(ConfigError):
        check_output_dir(target, site)


def test_foreign_non_empty_folder_is_not_replaced(tree) -> None:
    site = tree({"seeds/a.txt": "T\n\nB.\n", "elsewhere/precious.txt": "keep me"})
    with pytest.raises(ConfigError) as caught:
        build(load_config(site), BuildOptions(out=site / "elsewhere"))
    assert "not made by site-gen" in caught.value.diagnostics[0].message
    assert (site / "elsewhere/precious.txt").read_text() == "keep me"


def test_previous_output_is_recognised_by_its_marker(tree) -> None:
    site = tree({"seeds/a.txt": "T\n\nB.\n"})
    build(load_config(site))
    assert (site / "public" / MARKER).exists()
    build(load_config(site))
