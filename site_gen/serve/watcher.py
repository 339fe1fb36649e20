"""Watch the site folder with watchdog and report changes in batches, after the saving settles.

Editors save in several steps (write a temporary file, rename it over the old one, touch a backup);
events are collected until :data:`QUIET` seconds pass without a new one, then reported once, so one
save causes one rebuild. Temporary, swap and backup files, hidden folders and the output folder are
ignored.
"""

from __future__ import annotations

import os
import re
import threading
from collections.abc import Callable, Iterable
from pathlib import Path

from watchdog.events import FileSystemEvent, FileSystemEventHandler
from watchdog.observers import Observer

QUIET = 0.03
"""Seconds without events before a batch is reported: editors' multi-step saves (temporary file,
rename, backup) land within a few milliseconds of each other."""
_IGNORED_NAME = re.compile(r"(^\.|~$|\.sw[a-p]$|\.tmp\d*$|^4913$|\.bak$|^#.*#$)")


def is_ignored(path: str, ignored_folders: Iterable[Path]) -> bool:
    """Editor droppings and generated folders never trigger a rebuild."""
    if any(path.startswith(f"{folder}{os.sep}") for folder in ignored_folders):
        return True
    pure = Path(path)
    if _IGNORED_NAME.search(pure.name) or "__pycache__" in pure.parts:
        return True
    if any(part.startswith(".") for part in pure.parts[:-1] if part not in (".", "..")):
        return True
    return any(pure == folder or folder in pure.parents for folder in ignored_folders)


class Watcher:
    def __init__(self, folders: list[Path], ignored: list[Path], on_change: Callable[[set[str]], None]):
        self.folders = [f.resolve() for f in folders if f.is_dir()]
        self.ignored = [f.resolve() for f in ignored]
        self.on_change = on_change
        self.pending: set[str] = set()
        self.lock = threading.Lock()
        self.timer: threading.Timer | None = None
        self.observer = Observer()

    def start(self) -> None:
        handler = _Handler(self)
        for folder in self.folders:
            self.observer.schedule(handler, str(folder), recursive=True)
        self.observer.start()

    def stop(self) -> None:
        with self.lock:
            if self.timer:
                self.timer.cancel()
        self.observer.stop()
        self.observer.join()

    def notice(self, paths: list[str]) -> None:
        changed = [p for p in paths if p and not is_ignored(p, self.ignored)]
        if not changed:
            return
        with self.lock:
            self.pending.update(changed)
            if self.timer:
                self.timer.cancel()
            self.timer = threading.Timer(QUIET, self._flush)
            self.timer.daemon = True
            self.timer.start()

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
        if event.event_type in ("opened", "closed_no_write") or (event.is_directory and event.event_type == "modified"):
            return
        paths = [str(event.src_path), str(getattr(event, "dest_path", "") or "")]
        self.watcher.notice(paths)
