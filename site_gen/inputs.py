"""Reading input files through the build cache: a file whose stat is unchanged is not read again.

The key is the file's path, modification and change times, size and inode, plus a generation number that the
live-preview watcher bumps for every path it saw change (so even an edit within one timestamp tick,
keeping the size, is never missed). While a watcher runs, a file's stat is reused until the watcher
reports it (or the build itself rewrites it).
"""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from .cache import BuildCache, Stage
from .diagnostics import InputError, unexpected

if TYPE_CHECKING:
    from .search import SearchBundle

T = TypeVar("T")


def display_path(root: Path, path: Path) -> str:
    """``path`` as the site names it (seeds, messages): relative to the site folder ``root``, with
    ``/``, or whole where it is outside. By string when ``path`` is spelt from ``root`` (as the
    finders spell it): ``Path.relative_to`` takes ten times longer, and a build names every seed."""
    name, prefix = os.fspath(path), os.path.join(os.fspath(root), "")
    if name.startswith(prefix):
        return name[len(prefix):].replace(os.sep, "/")
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return path.as_posix()


class InputTracker:
    """What live preview knows of the input files between builds: the watcher's reports. A build
    without one (``site-gen build``) looks at every file's stat."""

    def __init__(self, watching: bool = False) -> None:
        self.watching = watching
        """True while a watcher reports every change: then a file's last stat is trusted until it is
        reported (live preview skips thousands of stat calls per rebuild)."""
        self.generations: Counter[str] = Counter()
        """Bumped per path by the watcher, so a changed file is never served from the cache."""
        self.stat_keys: dict[str, tuple] = {}
        self.outputs: dict[str, bytes] = {}
        """The last build's output files (path -> content): what is on disk now."""
        self.search: SearchBundle | None = None
        """The last search index made, reused until live preview refreshes it."""

    def invalidate(self, paths: list[str]) -> None:
        """Mark files as changed (their stat may not show it: same size, same timestamp tick). A file
        that appeared or disappeared changes the listings of the folders above it too (each folder
        marked once: a first build writes thousands of files into one folder)."""
        folders: set[str] = set()
        for path in paths:
            self.generations[path] += 1
            known = self.stat_keys.pop(path, None)
            if known is None or known[1] is None or not os.path.exists(path):
                folders.add(os.path.dirname(path))
        for above in {str(up) for folder in folders for up in (Path(folder), *Path(folder).parents)}:
            self.generations[above] += 1
            self.stat_keys.pop(above, None)

    def forget_stats(self) -> None:
        """Stop trusting the files' last stats (the watcher lost events): each file is looked at again."""
        self.stat_keys.clear()

    def stat_key(self, path: Path) -> tuple:
        """What tells this version of a file from any other: path, modification and change times,
        size, inode, and the watcher's generation."""
        name = str(path)
        if self.watching:
            known = self.stat_keys.get(name)
            if known is not None:
                return known
        try:
            stat = path.stat()
        except OSError:  # gone, or not to be read: reading it says which
            return (name, None)
        key = (name, stat.st_mtime_ns, stat.st_ctime_ns, stat.st_size, stat.st_ino, self.generations[name])
        if self.watching:
            self.stat_keys[name] = key
        return key

    def stat_keys_of(self, paths: list[Path]) -> list[tuple]:
        """:meth:`stat_key` of each path; while a watcher runs, the known ones in one pass (a rebuild
        looks at 16,000 inputs at 4,000 articles)."""
        if not self.watching:
            return [self.stat_key(path) for path in paths]
        known = self.stat_keys.get
        keys = [known(str(path)) for path in paths]
        for i in [i for i, key in enumerate(keys) if key is None]:
            keys[i] = self.stat_key(paths[i])
        return keys


def listed(cache: BuildCache, tracker: InputTracker, table: str, folders: list[Path], find: Callable[[], T]) -> T:
    """``find()``'s listing of ``folders``, from the cache while they are unchanged (adding, removing
    or renaming a file changes its folder's modification time; the watcher reports it too)."""
    return cache.one(table, tuple(tracker.stat_key(folder) for folder in folders), find)


def read_all(cache: BuildCache, tracker: InputTracker, stage: Stage, root: Path, files: list[tuple[Path, ...]]) -> list:
    """``stage``'s reading of each ``files[i]`` (a path and its companion files: the job) in the site
    folder ``root``, or the :class:`InputError` it raised (cached too); from the cache for the files
    that did not change."""
    keys: list = tracker.stat_keys_of([file[0] for file in files])
    for i in [i for i, file in enumerate(files) if len(file) > 1]:  # with companions: a key for each
        keys[i] = (keys[i], *tracker.stat_keys_of(list(files[i][1:])))
    return cache.run(stage, keys, files.__getitem__, root)


def reader(read: Callable[..., T]) -> Callable[[tuple[Path, ...], Path], T | InputError]:
    """A stage's work that reads one file, ``read(root, path, *companions)``, returning the
    :class:`InputError` it raises (the setup is the site folder)."""
    return _Reader(read)


class _Reader:
    def __init__(self, read: Callable[..., Any]) -> None:
        self.read = read

    def __call__(self, files: tuple[Path, ...], root: Path) -> Any:
        return _read_or_error(lambda: self.read(root, *files), files[0])


def _read_or_error(read: Callable[[], T], path: Path) -> T | InputError:
    try:
        return read()
    except InputError as exc:
        return exc
    except Exception as exc:  # a bug: the command line names the file it happened on
        raise unexpected(exc, str(path)) from exc
