"""A permission error on one file is that file's error and the rest builds; an input folder that
cannot be read is an error that stops the build, never an empty site (it used to remove every
generated article and publish an empty site with exit status 0). Run through the real command line
with real permissions: as root, without the capabilities that let root read anything."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from ..conftest import write_tree

FILES = {
    "seeds/good.txt": "A good article\n\nAnn Author 1 May 2020\n\nIt builds whatever else happens.\n",
    "seeds/other.txt": "Other article\n\nIts body.\n",
    "content/pages/about.md": "---\ntitle: About\n---\nAbout us.\n",
    "content/glossary/body.md": "---\nterm: body\n---\nThe main text.\n",
    "site.toml": '[site]\ntitle = "Reader"\nbase_url = "https://example.org/reader/"\n',
}


def _command() -> list[str]:
    """How to run site-gen so that permissions apply to it (root reads anything otherwise)."""
    if os.geteuid() != 0:
        return [sys.executable, "-m", "site_gen"]
    setpriv = shutil.which("setpriv")
    if setpriv is None:
        pytest.skip("running as root without setpriv: file permissions cannot be made to apply")
    return [setpriv, "--bounding-set=-dac_override,-dac_read_search", "--", sys.executable, "-m", "site_gen"]


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A site built once, whole; each case copies it and takes a permission away."""
    site = write_tree(tmp_path_factory.mktemp("permissions") / "site", FILES)
    subprocess.run([sys.executable, "-m", "site_gen", "build", "--site", str(site)], check=True, capture_output=True)
    return site


def _state(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in sorted(site.rglob("*"))
            if p.is_file() and not p.relative_to(site).as_posix().startswith(".cache/")}


def _build_without(built: Path, tmp_path: Path, unreadable: tuple[str, ...],
                   mode: int, options: tuple[str, ...] = ()) -> tuple[Path, subprocess.CompletedProcess]:
    """A copy of ``built`` built again with the ``unreadable`` files or folders set to ``mode``."""
    command = _command()
    site = tmp_path / "site"
    shutil.copytree(built, site, symlinks=True)
    before = [os.stat(site / path).st_mode for path in unreadable]
    for path in unreadable:
        os.chmod(site / path, mode)
    try:
        run = subprocess.run([*command, "build", "--force", "--site", str(site), *options], capture_output=True, text=True,
                             timeout=300)
        if run.returncode == 1 and "Operation not permitted" in run.stderr:
            pytest.skip(f"privileges cannot be dropped here: {run.stderr.strip()}")
    finally:
        for path, mode_before in zip(unreadable, before, strict=True):
            os.chmod(site / path, mode_before)
    assert "Traceback" not in run.stderr
    return site, run


FOLDERS = [
    ("seeds/", "seeds", 0o000, "seeds: error: cannot read the folder seeds: permission denied; nothing is built"),
    ("seeds/ listed, not searchable", "seeds", 0o600,
     "seeds: error: cannot read the folder seeds: permission denied; nothing is built"),
    ("content/", "content", 0o000, "content: error: cannot read the folder content: permission denied; nothing is built"),
    ("content/articles/", "content/articles", 0o000,
     "content/articles: error: cannot read the folder content/articles: permission denied; nothing is built"),
    ("content/glossary/", "content/glossary", 0o000,
     "content/glossary: error: cannot read the folder content/glossary: permission denied; nothing is built"),
]


@pytest.mark.parametrize("folder,mode,message", [c[1:] for c in FOLDERS], ids=[c[0] for c in FOLDERS])
def test_an_unreadable_folder_stops_the_build_and_changes_nothing(built: Path, tmp_path: Path, folder: str, mode: int,
                                                                  message: str) -> None:
    site, run = _build_without(built, tmp_path, (folder,), mode)
    assert run.returncode == 1
    assert run.stderr.splitlines()[0] == message
    assert _state(site) == _state(built), "no article removed, the published site unchanged"


FILES_CASES = [
    ("seed", "seeds/other.txt: error: cannot read seed: permission denied"),
    ("glossary entry", "content/glossary/body.md: error: cannot read glossary entry: permission denied"),
    ("page", "content/pages/about.md: error: cannot read page: permission denied"),
]


@pytest.fixture(scope="module")
def files_unreadable(built: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, subprocess.CompletedProcess]:
    """One build with a seed, a glossary entry and a page that cannot be read."""
    return _build_without(built, tmp_path_factory.mktemp("files"), ("seeds/other.txt", "content/glossary/body.md",
                                                                   "content/pages/about.md"), 0o000)


@pytest.mark.parametrize("message", [c[1] for c in FILES_CASES], ids=[c[0] for c in FILES_CASES])
def test_an_unreadable_file_is_its_own_error(files_unreadable, message: str) -> None:
    _, run = files_unreadable
    assert message in run.stderr.splitlines()


def test_the_rest_of_the_site_builds(files_unreadable) -> None:
    site, run = files_unreadable
    # the warning: the kept article links to the glossary entry that could not be read
    assert run.returncode == 1 and run.stdout.startswith("2 pages, 0 glossary entries, 0 notes; 1 warnings, 3 errors;")
    assert (site / "public/articles/a-good-article/index.html").exists()


def test_the_article_of_an_unreadable_seed_stays_published(built: Path, files_unreadable) -> None:
    site, _ = files_unreadable
    assert (site / "content/articles/other-article.md").read_bytes() == (built / "content/articles/other-article.md"
                                                                          ).read_bytes()
    assert "Its body." in (site / "public/articles/other-article/index.html").read_text()


def test_an_unreadable_article_is_its_only_error_and_is_kept(built: Path, tmp_path: Path) -> None:
    """Not "written by hand" besides: whether it was cannot be known, and it is not overwritten either way."""
    base = tmp_path / "base"
    shutil.copytree(built, base, symlinks=True)
    (base / "content/articles/mine.md").write_text("---\ntitle: Mine\n---\nMy own article.\n", encoding="utf-8")
    unreadable = ("content/articles/mine.md", "content/articles/other-article.md")
    site, run = _build_without(base, tmp_path / "run", unreadable, 0o000,
                               ("--regenerate", "content/articles/mine.md"))
    assert run.returncode == 1
    assert [line for line in run.stderr.splitlines() if "error:" in line] == [
        f"{path}: error: cannot read article: permission denied" for path in unreadable]
    assert _state(site)["content/articles/other-article.md"] == _state(built)["content/articles/other-article.md"]
    assert "My own article." in (site / "content/articles/mine.md").read_text(encoding="utf-8")


def test_an_unreadable_site_toml_stops_the_build(built: Path, tmp_path: Path) -> None:
    site, run = _build_without(built, tmp_path, ("site.toml",), 0o000)
    assert run.returncode == 1 and run.stderr.splitlines()[0] == "site.toml: error: cannot read settings file: permission denied"
    assert _state(site) == _state(built)
