"""The classes a build cache file may make: each is data, made without side effects, and together
they are every class a build's cache holds (else a site's cache would never be used)."""

from __future__ import annotations

import dataclasses
import enum
import importlib
import os
import pathlib
import pickle
from pathlib import Path

import pytest

from site_gen import cache_file
from site_gen.cache_file import ALLOWED
from site_gen.config import load_config
from site_gen.diagnostics import Diagnostic, InputError, SiteGenError, SourceLocation, error
from site_gen.pipeline import BuildOptions, build

from .conftest import cache_saved, write_tree
from .test_incremental import SITE, _build_in_a_new_process


@pytest.mark.parametrize(("module", "name"), sorted(ALLOWED), ids=lambda part: part)
def test_an_allowed_class_is_made_from_its_values_and_nothing_else(module: str, name: str) -> None:
    """A cache file can call each allowed class with any values, and set any state on it: its
    constructor and ``__setstate__`` must be the generated ones (a dataclass's, an enum's lookup)."""
    made = getattr(importlib.import_module(module), name)
    assert isinstance(made, type) and made.__module__ == module and made.__qualname__ == name
    if module == "pathlib":
        assert issubclass(made, pathlib.PurePath)
    elif issubclass(made, enum.Enum):
        assert made.__new__ is enum.Enum.__new__ or "__new__" not in vars(made)
    elif issubclass(made, SiteGenError):
        assert set(vars(made)) <= {"__module__", "__doc__", "__qualname__"}
    else:
        assert dataclasses.is_dataclass(made) and not hasattr(made, "__post_init__")
        assert made.__init__.__code__.co_filename == "<string>"  # made by dataclasses, not written by hand
        assert made.__new__ is object.__new__
        assert getattr(made, "__setstate__", None) in (None, dataclasses._dataclass_setstate)


def test_site_gen_error_is_made_from_any_value_without_side_effects() -> None:
    """``InputError(values)`` (how it unpickles) keeps what it is given: a list of diagnostics, or
    whatever else, failing only as a value of the wrong type does."""
    made = InputError([error("bad", SourceLocation("seeds/a.txt"))])
    assert [d.message for d in made.diagnostics] == ["bad"] and isinstance(made.diagnostics[0], Diagnostic)
    assert InputError("ab").diagnostics == ["a", "b"]  # str.format() of each letter: no side effect
    with pytest.raises(TypeError):
        InputError(5)


def test_every_class_a_build_cache_holds_is_allowed(tmp_path: Path) -> None:
    """A site with every kind of input (a broken seed, an orphaned note, pages, a hand-written
    article): its kept cache is used by the next build."""
    site = write_tree(tmp_path / "site", {
        **SITE, "seeds/8.txt": "", "content/notes/story-two.yml": "- quote: nowhere in the text\n  note: Orphan.\n",
        "content/articles/essay.md": "---\ntitle: An essay\ndate: 2012-06-20\n---\nOPEC.\n"})
    options = BuildOptions(out=tmp_path / "out", reuse=False)
    build(load_config(site), options)
    again = build(load_config(site), options)
    assert not [d.format() for d in again.diagnostics.items if d.code == "cache-not-used"]
    assert again.cache_stats["page"] == (again.cache_stats["page"][0], 0) and again.cache_stats["page"][0] > 0


def test_a_build_leaves_the_save_to_a_child_and_the_next_build_waits_for_it(tmp_path: Path) -> None:
    """The cache is saved by a forked child after the build returns; a build in a new process started
    at once (a one-article edit) reads the whole new cache, and renders that article's page only."""
    site = write_tree(tmp_path / "site", SITE)
    out = tmp_path / "out"
    build(load_config(site), BuildOptions(out=out))
    assert cache_file._savers and cache_file._savers[-1] != os.getpid()
    seed = site / "seeds" / "6.txt"
    seed.write_text(seed.read_text(encoding="utf-8").replace("Brent rose.", "Brent fell."), encoding="utf-8")
    edited = _build_in_a_new_process(site, out)
    assert edited["stats"]["page"][1] == 1 and edited["stats"]["page"][0] > 0
    assert "Brent fell." in (out / "articles" / "story-six" / "index.html").read_text(encoding="utf-8")


def test_a_cache_is_written_as_it_is_pickled_and_never_past_the_limit(tmp_path: Path, monkeypatch) -> None:
    """The child pickles straight into the file, signed as it goes (so the file reads back), and a
    cache that grows past the size limit is not written: the older one is removed, nothing is left
    behind."""
    folder = tmp_path / ".cache"
    folder.mkdir()
    kept = folder / "cache-1.pickle"

    def dump(file) -> None:
        for _ in range(64):
            file.write(b"x" * 1024)

    cache_file.write_cache(kept, lambda file: pickle.dump(("a version", "settings", {"t": {}}), file, 5))
    assert cache_file.read_cache(cache_saved(kept)) == ("a version", "settings", {"t": {}})
    monkeypatch.setattr(cache_file, "MAX_BYTES", 40 * 1024)
    cache_file.write_cache(kept, dump)
    cache_saved(kept)
    assert not kept.exists() and sorted(p.name for p in folder.iterdir()) == ["cache-1.lock"]
