"""Watch what the build reads with watchdog and report changes in batches, after the saving settles.

Only the build's inputs count: ``site.toml``, seeds and their sidecars in ``seeds/``, Markdown and
YAML files in ``content/`` (not the passage-id records, ``content/ids/*.json``, which the build
itself keeps), ``templates/``, ``themes/`` and the theme's folders (templates and static files).
Anything else in the site folder (``site-gen serve > serve.log``, a README, a spreadsheet of
sources) is not watched: a log written there would otherwise rebuild on each line.

Editors save in several steps (write a temporary file, rename it over the old one, touch a backup);
events are collected until :data:`QUIET` seconds pass without a new one, then reported once, so one
save causes one rebuild. Temporary, swap and backup files, hidden folders and the output folder are
ignored.

The output folder, hidden folders and other sites built into the site folder (``site-gen build
--out dist``: a folder holding :data:`~site_gen.output.MARKER`) are not even given to the kernel to
watch: the search index alone rewrites thousands of files, and their events would fill the kernel's
event queue (16,384 by default) and push an editor's save out of it. For the same reason the kernel is asked only for
changes (:data:`EVENTS`), not for every file opened and closed unchanged: a build reads every
source, and watchdog lists every folder it watches. If the queue overflows all the same (a ``git
checkout`` of thousands of files), the watcher reports that events were lost, and the session
looks at every file again.
"""

from __future__ import annotations

import logging
import os
import re
import threading
from collections.abc import Callable, Iterable
from pathlib import Path

from watchdog.events import (
    DirCreatedEvent,
    DirDeletedEvent,
    DirMovedEvent,
    FileClosedEvent,
    FileCreatedEvent,
    FileDeletedEvent,
    FileModifiedEvent,
    FileMovedEvent,
    FileSystemEvent,
    FileSystemEventHandler,
)
from watchdog.observers import Observer

from ..config import CONFIG_FILE
from ..output import MARKER
from ..seeds import SEED_SUFFIXES, SEEDS_DIR, SIDECAR_SUFFIXES

QUIET = 0.03
"""Seconds without events before a batch is reported: editors' multi-step saves (temporary file,
rename, backup) land within a few milliseconds of each other."""
_IGNORED_NAME = re.compile(r"(^\.|~$|\.sw[a-p]$|\.tmp\d*$|^4913$|\.bak$|^#.*#$)")
OVERFLOW_LOGGER = "watchdog.observers.inotify_c"
"""watchdog's only sign of a kernel queue overflow is this logger's warning."""
EVENTS = [FileCreatedEvent, FileModifiedEvent, FileClosedEvent, FileDeletedEvent, FileMovedEvent,
          DirCreatedEvent, DirDeletedEvent, DirMovedEvent]
"""What the watcher asks the kernel for: without a filter, watchdog asks for every file opened and
closed unread too, and listing thousands of folders (as watchdog does when it starts, and again
after each overflow) would overflow the queue for good (``tests/serve/test_watcher.py``)."""


INPUT_FOLDERS: dict[str, tuple[str, ...] | None] = {
    SEEDS_DIR: SEED_SUFFIXES + SIDECAR_SUFFIXES,
    "content": (".md", ".yml", ".yaml"),
    "templates": None,
    "themes": None,
}
"""The folders of a site the build reads, and the file suffixes it reads in them (None: every file)."""


def is_input(path: str, root: Path, directory: bool = False) -> bool:
    """Whether the build reads ``path`` (a file, or a folder when ``directory``), a path in the site folder."""
    parts = Path(path).relative_to(root).parts
    if not parts:
        return False
    if len(parts) == 1:
        return parts[0] in INPUT_FOLDERS if directory else parts[0] == CONFIG_FILE
    if parts[0] not in INPUT_FOLDERS:
        return False
    suffixes = INPUT_FOLDERS[parts[0]]
    return directory or suffixes is None or Path(path).suffix.lower() in suffixes


def is_ignored(path: str, roots: Iterable[Path], ignored_folders: Iterable[Path]) -> bool:
    """Editor droppings and generated folders never trigger a rebuild. Hidden folders count only
    below the watched root: a site kept in ``~/.sites/reader`` is still watched."""
    if any(path == str(folder) or path.startswith(f"{folder}{os.sep}") for folder in ignored_folders):
        return True
    pure = Path(path)
    below = next((pure.relative_to(root) for root in roots if pure.is_relative_to(root)), pure)
    if _IGNORED_NAME.search(pure.name) or "__pycache__" in below.parts:
        return True
    return any(part.startswith(".") for part in below.parts[:-1] if part not in (".", ".."))


class Watcher:
    """Reports changed inputs with ``on_change(paths)``, and ``on_lost()`` when the kernel dropped events."""

    def __init__(self, root: Path, theme_folders: list[Path], ignored: list[Path],
                 on_change: Callable[[set[str]], None], on_lost: Callable[[], None] = lambda: None):
        """``root``: the site folder; ``theme_folders``: the theme's folders outside it (all they hold is read)."""
        self.root = root.resolve()
        self.folders = [self.root, *(f.resolve() for f in theme_folders if f.is_dir())]
        self.ignored = [f.resolve() for f in ignored]
        self.on_change = on_change
        self.on_lost = on_lost
        self.pending: set[str] = set()
        self.lock = threading.Lock()
        self.timer: threading.Timer | None = None
        self.observer = Observer()
        self.handler = _Handler(self)
        self.overflow = _OverflowSignal(on_lost)
        self.watched: dict[Path, object] = {}

    def start(self) -> None:
        for folder in self.folders:
            self.observer.schedule(self.handler, str(folder), recursive=False, event_filter=EVENTS)
            for child in sorted(folder.iterdir()):
                self.watch_subfolder(child)
        logging.getLogger(OVERFLOW_LOGGER).addHandler(self.overflow)
        self.observer.start()

    def watch_subfolder(self, path: Path) -> None:
        """Watch a folder at the top of a watched one, with everything below it, unless the build
        does not read it, it is ignored or holds a built site (a folder deleted and made again gets a
        new watch)."""
        if not path.is_dir() or is_ignored(str(path), self.folders, self.ignored) or (path / MARKER).exists():
            return
        if path.parent == self.root and not is_input(str(path), self.root, directory=True):
            return
        if path in self.watched:
            self.observer.unschedule(self.watched.pop(path))
        self.watched[path] = self.observer.schedule(self.handler, str(path), recursive=True, event_filter=EVENTS)

    def stop(self) -> None:
        logging.getLogger(OVERFLOW_LOGGER).removeHandler(self.overflow)
        with self.lock:
            if self.timer:
                self.timer.cancel()
        self.observer.stop()
        self.observer.join()

    def notice(self, paths: list[str], directory: bool = False) -> None:
        changed = [p for p in paths if p and not is_ignored(p, self.folders, self.ignored) and self._reads(p, directory)]
        if not changed:
            return
        with self.lock:
            self.pending.update(changed)
            if self.timer:
                self.timer.cancel()
            self.timer = threading.Timer(QUIET, self._flush)
            self.timer.daemon = True
            self.timer.start()

    def _reads(self, path: str, directory: bool) -> bool:
        inside = Path(path).is_relative_to(self.root)
        return not inside or is_input(path, self.root, directory)

    def _flush(self) -> None:
        with self.lock:
            batch, self.pending = self.pending, set()
            self.timer = None
        if batch:
            self.on_change(batch)


class _Handler(FileSystemEventHandler):
    def __init__(self, watcher: Watcher) -> None:
        self.watcher = watcher

    def on_any_event(self, event: FileSystemEvent) -> None:
        paths = [str(event.src_path), str(getattr(event, "dest_path", "") or "")]
        if event.is_directory and event.event_type in ("created", "moved"):
            for path in paths:
                if path and Path(path).parent in self.watcher.folders:
                    self.watcher.watch_subfolder(Path(path))
        self.watcher.notice(paths, event.is_directory)


class _OverflowSignal(logging.Handler):
    def __init__(self, on_lost: Callable[[], None]) -> None:
        super().__init__(logging.WARNING)
        self.on_lost = on_lost

    def emit(self, record: logging.LogRecord) -> None:
        if "overflow" in record.getMessage():
            self.on_lost()
