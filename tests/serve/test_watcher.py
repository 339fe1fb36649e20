"""The watcher on real folders: what reaches the kernel's watch list, folders made later, lost events."""

from __future__ import annotations

import logging
import queue
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from site_gen.output import MARKER
from site_gen.serve.watcher import OVERFLOW_LOGGER, Watcher, is_input


@pytest.fixture
def site(tmp_path: Path) -> Path:
    for folder in ("seeds", "content/notes", "public/articles", ".git/objects", ".cache"):
        (tmp_path / folder).mkdir(parents=True)
    return tmp_path


@contextmanager
def running(watcher: Watcher) -> Iterator[Watcher]:
    watcher.start()
    try:
        yield watcher
    finally:
        watcher.stop()


@pytest.fixture
def watching(site: Path):
    batches: queue.Queue[set[str]] = queue.Queue()
    lost = threading.Event()
    with running(Watcher(site, [], [site / "public", site / ".cache"], batches.put, lost.set)) as watcher:
        yield watcher, batches, lost


def test_only_source_folders_are_given_to_the_kernel(site: Path, watching) -> None:
    watcher, batches, _ = watching
    assert sorted(watcher.watched) == [site / "content", site / "seeds"]
    for n in range(200):
        (site / "public" / "articles" / f"{n}.html").write_text("page")
        (site / ".git" / "objects" / f"{n}").write_text("object")
    (site / "seeds" / "a.txt").write_text("A seed")
    assert batches.get(timeout=5) == {str(site / "seeds" / "a.txt")}


def test_a_site_built_into_the_site_folder_is_not_watched(site: Path) -> None:
    """``site-gen build --out dist``: thousands of generated files, none of them an input."""
    (site / "dist" / "articles").mkdir(parents=True)
    (site / "dist" / MARKER).write_text("built")
    with running(Watcher(site, [], [site / "public"], lambda paths: None)) as watcher:
        assert site / "dist" not in watcher.watched and site / "seeds" in watcher.watched


def test_a_folder_made_after_the_start_is_watched_with_what_is_in_it(site: Path, watching) -> None:
    watcher, batches, _ = watching
    (site / "templates").mkdir()
    assert str(site / "templates") in batches.get(timeout=5)
    assert site / "templates" in watcher.watched
    (site / "templates" / "page.html").write_text("<p>")
    assert batches.get(timeout=5) == {str(site / "templates" / "page.html")}


def test_a_watched_folder_deleted_and_made_again_is_watched_again(site: Path, watching) -> None:
    _, batches, _ = watching
    (site / "seeds").rmdir()
    batches.get(timeout=5)
    (site / "seeds").mkdir()
    wait_for(batches, site / "seeds")
    (site / "seeds" / "b.txt").write_text("B")
    wait_for(batches, site / "seeds" / "b.txt")


def wait_for(batches: queue.Queue[set[str]], path: Path) -> None:
    while str(path) not in batches.get(timeout=5):
        pass


def test_a_kernel_queue_overflow_is_reported_as_lost_events(watching) -> None:
    _, _, lost = watching
    logging.getLogger(OVERFLOW_LOGGER).warning("Inotify queue overflowed; filesystem events were lost")
    assert lost.is_set()


def test_a_site_kept_under_a_hidden_folder_is_watched(tmp_path: Path) -> None:
    site = tmp_path / ".sites" / "reader"
    (site / "seeds" / ".drafts").mkdir(parents=True)
    batches: queue.Queue[set[str]] = queue.Queue()
    with running(Watcher(site, [], [site / "public"], batches.put)):
        (site / "seeds" / ".drafts" / "draft.txt").write_text("Not yet")
        (site / "seeds" / "a.txt").write_text("A seed")
        assert batches.get(timeout=5) == {str(site / "seeds" / "a.txt")}


def test_listing_and_reading_thousands_of_folders_loses_no_event(site: Path) -> None:
    """A build reads every seed and content file, and watchdog lists every folder it starts watching
    (again after each overflow): none of that may fill the kernel's event queue (16,384 events by
    default) and push a save out of it. Before the fix, a folder of 5,000 others (the site built
    into ``dist/`` while live preview writes elsewhere) overflowed it at once and for good: each
    overflow made watchdog list every folder again. Each save of a 4,000-article site then took
    1.2 s instead of 0.25, every rebuild looking at every file."""
    for n in range(5000):
        (site / "dist" / f"{n}").mkdir(parents=True)
        (site / "dist" / f"{n}" / "index.html").write_text("page")
    batches: queue.Queue[set[str]] = queue.Queue()
    lost = threading.Event()
    with running(Watcher(site, [], [site / "public"], batches.put, lost.set)):
        for n in range(5000):
            (site / "dist" / f"{n}" / "index.html").read_bytes()
        (site / "seeds" / "a.txt").write_text("A seed")
        assert batches.get(timeout=5) == {str(site / "seeds" / "a.txt")}
        assert not lost.wait(0.5)


@pytest.mark.parametrize("relative,directory,expected", [
    ("site.toml", False, True), ("serve.log", False, False), ("README.md", False, False),
    ("seeds/a.txt", False, True), ("seeds/a.yml", False, True), ("seeds/sub/b.md", False, True),
    ("seeds/notes.log", False, False), ("content/notes/a.yml", False, True), ("content/glossary/a.md", False, True),
    ("content/serve.log", False, False), ("content/notes", True, True), ("templates/x.html", False, True),
    ("themes/mine/static/a.woff2", False, True), ("seeds", True, True), ("drafts", True, False),
    ("drafts/a.txt", False, False), ("public", True, False),
])
def test_only_what_the_build_reads_is_an_input(tmp_path: Path, relative: str, directory: bool, expected: bool) -> None:
    assert is_input(str(tmp_path / relative), tmp_path, directory) is expected


def test_other_folders_and_files_of_the_site_are_not_watched(site: Path, watching) -> None:
    watcher, batches, _ = watching
    (site / "drafts").mkdir()
    for n in range(30):
        (site / "serve.log").write_text(f"line {n}\n")
        (site / "drafts" / "a.txt").write_text(f"draft {n}")
        (site / "content" / "serve.log").write_text(f"line {n}\n")
    assert site / "drafts" not in watcher.watched
    (site / "site.toml").write_text("[site]\n")
    assert batches.get(timeout=5) == {str(site / "site.toml")}
