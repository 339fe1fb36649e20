"""Reading input files through the build cache: a file whose stat is unchanged is not read again.

The key is the file's path, modification time, size and inode, plus a generation number that the
live-preview watcher bumps for every path it saw change (so even an edit within one timestamp tick,
keeping the size, is never missed). While a watcher runs, a file's stat is reused until the watcher
reports it (or the build itself rewrites it).
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from .cache import BuildCache
from .diagnostics import InputError, unexpected

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


def stat_key(path: Path, cache: BuildCache) -> tuple:
    name = str(path)
    if cache.watching:
        known = cache.stat_keys.get(name)
        if known is not None:
            return known
    try:
        stat = path.stat()
    except OSError:  # gone, or not to be read: reading it says which
        return (name, None)
    key = (name, stat.st_mtime_ns, stat.st_size, stat.st_ino, cache.generation(name))
    if cache.watching:
        cache.stat_keys[name] = key
    return key


def stat_keys(paths: list[Path], cache: BuildCache) -> list[tuple]:
    """:func:`stat_key` of each path; while a watcher runs, the known ones in one pass (a rebuild
    looks at every input of the site, several per article)."""
    if not cache.watching:
        return [stat_key(path, cache) for path in paths]
    known = cache.stat_keys.get
    keys = [known(str(path)) for path in paths]
    for i in [i for i, key in enumerate(keys) if key is None]:
        keys[i] = stat_key(paths[i], cache)
    return keys


def listed(cache: BuildCache, table: str, folders: list[Path], find: Callable[[], T]) -> T:
    """``find()``'s listing of ``folders``, from the cache while they are unchanged (adding, removing
    or renaming a file changes its folder's modification time; the watcher reports it too)."""
    return cache.memo(table, tuple(stat_key(folder, cache) for folder in folders), find)


def read_all(cache: BuildCache, table: str, files: list[tuple[Path, ...]],
             read: Callable[[int], T]) -> list[T | InputError]:
    """``read(i)``'s result for each ``files[i]`` (a path and its companion files), or the
    :class:`InputError` it raised (cached too); from the cache for the files that did not change."""
    keys: list = stat_keys([file[0] for file in files], cache)
    for i in [i for i, file in enumerate(files) if len(file) > 1]:  # with companions: a key for each
        keys[i] = (keys[i], *stat_keys(list(files[i][1:]), cache))
    return cache.memo_all(table, keys, lambda i: _read_or_error(read, i, files[i][0]))


def _read_or_error(read: Callable[[int], T], index: int, path: Path) -> T | InputError:
    try:
        return read(index)
    except InputError as exc:
        return exc
    except Exception as exc:  # a bug: the command line names the file it happened on
        raise unexpected(exc, str(path)) from exc
