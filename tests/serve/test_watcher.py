"""The watcher on real folders: what reaches the kernel's watch list, folders made later, lost events."""

from __future__ import annotations

import logging
import queue
import threading
from pathlib import Path

import pytest

from site_gen.serve.watcher import OVERFLOW_LOGGER, Watcher


@pytest.fixture
def site(tmp_path: Path) -> Path:
    for folder in ("seeds", "content/notes", "public/articles", ".git/objects", ".cache"):
        (tmp_path / folder).mkdir(parents=True)
    return tmp_path


@pytest.fixture
def watching(site: Path):
    batches: queue.Queue[set[str]] = queue.Queue()
    lost = threading.Event()
    watcher = Watcher([site], [site / "public", site / ".cache"], batches.put, lost.set)
    watcher.start()
    yield watcher, batches, lost
    watcher.stop()


def test_only_source_folders_are_given_to_the_kernel(site: Path, watching) -> None:
    watcher, batches, _ = watching
    assert sorted(watcher.watched) == [site / "content", site / "seeds"]
    for n in range(200):
        (site / "public" / "articles" / f"{n}.html").write_text("page")
        (site / ".git" / "objects" / f"{n}").write_text("object")
    (site / "seeds" / "a.txt").write_text("A seed")
    assert batches.get(timeout=5) == {str(site / "seeds" / "a.txt")}


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
    watcher = Watcher([site], [site / "public"], batches.put)
    watcher.start()
    try:
        (site / "seeds" / ".drafts" / "draft.txt").write_text("Not yet")
        (site / "seeds" / "a.txt").write_text("A seed")
        assert batches.get(timeout=5) == {str(site / "seeds" / "a.txt")}
    finally:
        watcher.stop()
