"""Writing the site: staging then swap, stale files gone, nothing outside the output folder touched."""

from __future__ import annotations

from pathlib import Path

import pytest

from site_gen.config import load_config
from site_gen.diagnostics import ConfigError
from site_gen.model import OutputFile
from site_gen.output import MARKER, check_output_dir, safe_relative, staged_output
from site_gen.pipeline import BuildOptions, build


def write_output(out: Path, files) -> None:
    """One build's writes: a staging folder beside ``out``, swapped in when complete."""
    with staged_output(out) as staging:
        staging.write(files)


def test_write_replaces_the_whole_folder(tmp_path: Path) -> None:
    out = tmp_path / "public"
    write_output(out, [OutputFile("a/index.html", b"one"), OutputFile("old.txt", b"x")])
    write_output(out, [OutputFile("a/index.html", b"two")])
    assert (out / "a/index.html").read_bytes() == b"two"
    assert not (out / "old.txt").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == [".public.old", "public"], "no staging folder left behind"
    assert (tmp_path / ".public.old/old.txt").exists(), "the replaced site is kept aside until the next build"
    write_output(out, [OutputFile("b.txt", b"three"), OutputFile("./c//d.txt", b"four")])
    assert sorted(str(p.relative_to(out)) for p in out.rglob("*")) == [MARKER, "b.txt", "c", "c/d.txt"]
    assert sorted(str(p.relative_to(tmp_path / ".public.old")) for p in (tmp_path / ".public.old").rglob("*")) == [
        MARKER, "a", "a/index.html"], "the next build recycles the kept site: the one before it is gone"


def test_a_recycled_site_keeps_what_is_unchanged_and_never_writes_through_links(tmp_path: Path) -> None:
    """The third build writes into the first one's folder: unchanged files stay as they are (same
    file, same time), changed ones are overwritten, a folder and a file swap places, and a link or a
    second name planted in the old folder never lets the build write anything outside it; a
    read-only file is replaced, a read-only folder made writable."""
    out, old = tmp_path / "public", tmp_path / ".public.old"
    first = [OutputFile("same.html", b"same"), OutputFile("changed.html", b"v1"), OutputFile("stale/x.html", b"x"),
             OutputFile("was-file", b"f"), OutputFile("was-folder/y.html", b"y"), OutputFile("linked.html", b"l1"),
             OutputFile("hard.html", b"h1"), OutputFile("readonly.html", b"r1"), OutputFile("locked/in.html", b"i1")]
    write_output(out, first)
    write_output(out, [OutputFile("other.html", b"o")])
    outside = tmp_path / "outside.html"
    outside.write_bytes(b"precious")
    (old / "linked.html").unlink()
    (old / "linked.html").symlink_to(outside)
    (old / "dir-link").symlink_to(tmp_path, target_is_directory=True)
    (old / "hard.html").unlink()
    (old / "hard.html").hardlink_to(outside)
    (old / "readonly.html").chmod(0o444)
    (old / "locked").chmod(0o555)
    kept = (old / "same.html").stat()
    third = [OutputFile("same.html", b"same"), OutputFile("changed.html", b"v2"), OutputFile("was-file/z.html", b"z"),
             OutputFile("was-folder", b"now a file"), OutputFile("linked.html", b"l2"), OutputFile("hard.html", b"h2"),
             OutputFile("dir-link/escape.html", b"e"), OutputFile("readonly.html", b"r2"),
             OutputFile("locked/in.html", b"i2")]
    write_output(out, third)
    assert {str(p.relative_to(out)): p.read_bytes() for p in out.rglob("*") if p.is_file()} == {
        MARKER: (out / MARKER).read_bytes(), **{f.path: f.data for f in third}}
    assert outside.read_bytes() == b"precious"
    assert not (tmp_path / "escape.html").exists()
    assert not any(p.is_symlink() for p in out.rglob("*"))
    assert (out / "readonly.html").stat().st_mode & 0o200, "a read-only file is replaced, not kept read-only"
    assert (out / "locked").stat().st_mode & 0o200, "a read-only folder is made writable again"
    now = (out / "same.html").stat()
    assert (now.st_ino, now.st_mtime_ns) == (kept.st_ino, kept.st_mtime_ns), "an unchanged file is not rewritten"


@pytest.mark.parametrize("builds", [[b"good"], [b"one", b"good"]], ids=["fresh staging", "recycled staging"])
def test_failure_midway_leaves_the_previous_site_intact(tmp_path: Path, builds: list[bytes]) -> None:
    """Whether the failed build wrote into a new folder or recycled the site before the current one."""
    out = tmp_path / "public"
    for text in builds:
        write_output(out, [OutputFile("index.html", text)])

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


@pytest.mark.parametrize("out", [".", "content", "seeds", "content/articles", "..", "/", ".cache"])
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
