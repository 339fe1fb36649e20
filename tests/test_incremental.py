"""Rebuilds with a kept cache (live preview's in memory, site-gen build's on disk) make the site a
clean build makes, edit after edit.

A rebuild takes most results from the cache, comparing each stage's keys with the last build's; a
result kept that should have been made again would show here as a page that differs."""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from site_gen.cache import BuildCache
from site_gen.config import load_config
from site_gen.inputs import InputTracker
from site_gen.pipeline import BuildOptions, build, refresh_search


def _story(n: int, title: str, day: int, body: str) -> str:
    return f"{title}\n\nBy Ann Lee, 2012-06-{day:02d}\n\n{body}\n"


SITE = {
    "site.toml": '[site]\ntitle = "Reader"\narticles_per_page = 3\n\n[glossary]\nuses_per_page = 2\n',
    "content/glossary/opec.md": "---\nterm: OPEC\naliases: [oil cartel]\nsee_also: [Vienna]\n---\nOil exporters.\n",
    "content/glossary/vienna.md": "---\nterm: Vienna\n---\nA city on the Danube.\n",
    "content/glossary/brent.md": "---\nterm: Brent\n---\nA crude oil benchmark.\n",
    "content/notes/story-one.yml": "- quote: ministers met in Vienna\n  note: The first meeting.\n",
    "content/pages/about.md": "---\ntitle: About\n---\nSee [the first story](../articles/story-one.md).\n",
    "content/pages/sources.md": "---\ntitle: Sources\n---\nSee [the essay][essay].\n\n[essay]: ../articles/essay.md\n",
    **{f"seeds/{n}.txt": _story(n, f"Story {word}", n + 1, f"The OPEC ministers met in Vienna on day {n}. "
                                f"Brent rose. (See: Story {'two' if n == 1 else 'one'})")
       for n, word in enumerate(["one", "two", "three", "four", "five", "six"], start=1)},
}

EDITS: list[tuple[str, dict[str, str | Callable[[str], str] | None]]] = [
    ("a body edit adding a term", {"seeds/1.txt": _story(1, "Story one", 2, "The oil cartel met in Vienna. Brent fell.")}),
    ("a title that a cross-reference names", {"seeds/2.txt": _story(2, "Story two, revised", 3, "OPEC met. (See: Story one)")}),
    ("a date that moves an article to the front", {"seeds/4.txt": _story(4, "Story four", 28, "Brent rose in Vienna.")}),
    ("a note", {"content/notes/story-one.yml": "- quote: oil cartel met in Vienna\n  note: Changed note.\n"}),
    ("a definition", {"content/glossary/opec.md": "---\nterm: OPEC\naliases: [oil cartel]\n---\nExporters of oil.\n"}),
    ("a new alias", {"content/glossary/vienna.md": "---\nterm: Vienna\naliases: [Danube]\n---\nA city.\n"}),
    ("a new seed", {"seeds/7.txt": _story(7, "Story seven", 9, "The Danube froze. OPEC met.")}),
    ("a removed seed", {"seeds/5.txt": None}),
    ("a broken seed", {"seeds/3.txt": ""}),
    ("the broken seed mended", {"seeds/3.txt": _story(3, "Story three", 4, "Brent and OPEC.")}),
    ("a page", {"content/pages/about.md": "---\ntitle: About us\n---\nNo links now.\n"}),
    ("a setting", {"site.toml": '[site]\ntitle = "Reader"\narticles_per_page = 2\n\n[glossary]\nuses_per_page = 1\n'}),
    ("a removed glossary entry", {"content/glossary/brent.md": None}),
    ("a generated article edited by hand", {"content/articles/story-six.md": lambda text: text + "\nAn added line.\n"}),
    ("its seed edited after that", {"seeds/6.txt": _story(6, "Story six", 7, "OPEC met again.")}),
    ("an article written by hand", {"content/articles/essay.md": "---\ntitle: An essay\ndate: 2012-06-20\n---\nOPEC.\n"}),
]


def _files(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file() and not p.relative_to(folder).parts[0] == "search"}


def _apply(site: Path, edit: dict[str, str | Callable[[str], str] | None]) -> list[str]:
    for name, text in edit.items():
        path = site / name
        if text is None:
            path.unlink()
        else:
            path.write_text(text(path.read_text(encoding="utf-8")) if callable(text) else text, encoding="utf-8")
    return [str(site / name) for name in edit]


@pytest.fixture
def site(tree) -> Path:
    return tree(SITE)


def test_each_rebuild_makes_what_a_clean_build_makes(site: Path, tmp_path: Path) -> None:
    cache, tracker = BuildCache(), InputTracker(watching=True)
    live = tmp_path / "live"
    build(load_config(site), BuildOptions(out=live), cache, tracker)
    for number, (what, edit) in enumerate(EDITS):
        tracker.invalidate(_apply(site, edit))
        config = load_config(site)
        rebuilt = build(config, BuildOptions(out=live, in_place=True, search=False), cache, tracker)
        search = refresh_search(config, rebuilt, cache, tracker)
        clean = build(config, BuildOptions(out=tmp_path / f"clean-{number}"))
        assert _files(live) == _files(tmp_path / f"clean-{number}"), f"after {what}"
        assert search.files == clean.search.files, f"search index after {what}"
        assert rebuilt.diagnostics.format() == clean.diagnostics.format(), f"messages after {what}"
        assert cache.stats()["page"][0] > 0, "the rebuild reused pages"


PERSISTENT = """
import json, sys
from pathlib import Path
from site_gen.config import load_config
from site_gen.pipeline import BuildOptions, build
result = build(load_config(Path(sys.argv[1])), BuildOptions(out=Path(sys.argv[2])))
print(json.dumps({"messages": result.diagnostics.format(), "stats": result.cache_stats}))
"""


def _build_in_a_new_process(site: Path, out: Path) -> dict:
    done = subprocess.run([sys.executable, "-c", PERSISTENT, str(site), str(out)], capture_output=True, text=True,
                          check=False, timeout=300)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def _all_files(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def test_each_build_in_a_new_process_reading_the_kept_cache_makes_what_a_clean_build_makes(site: Path,
                                                                                             tmp_path: Path) -> None:
    """``site-gen build`` keeps its cache in ``.cache/``: each edit is built by a new process that
    reads it, and the site (search index included) and the messages are a clean build's."""
    kept = tmp_path / "kept"
    first = _build_in_a_new_process(site, kept)
    assert first["stats"]["page"][0] == first["stats"]["html"][0] == 0, "nothing was kept before the first build"
    for number, (what, edit) in enumerate(EDITS):
        _apply(site, edit)
        made = _build_in_a_new_process(site, kept)
        clean = build(load_config(site), BuildOptions(out=tmp_path / f"clean-{number}"), BuildCache())
        assert _all_files(kept) == _all_files(tmp_path / f"clean-{number}"), f"after {what}"
        assert made["messages"] == clean.diagnostics.format(), f"messages after {what}"
        if what != "a setting":  # other settings: the kept cache is not used
            assert made["stats"]["page"][0] > 0, f"the build after {what} reused pages"
        if number == 0:  # the pages were named alike by the clean build (no passage ids yet) and this one
            assert made["stats"]["uses"] == [5, 1] and made["stats"]["integrity"] == [5, 1], made["stats"]
