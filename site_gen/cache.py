"""The build cache: results of the pure stages, keyed by everything each result depends on.

A key holds the inputs themselves (file text, metadata, the glossary matches found in the text, the
resolved links...), so a cached result is reused exactly when recomputing it would give the same
value: one edited seed re-parses, re-annotates and re-renders one article, and a changed glossary
entry re-renders only the pages whose text contains one of its forms. This *is* the dependency
graph, kept as keys rather than edges, so it can never fall out of date (the approach of Bazel and
Salsa); ``BuildCache.stats`` reports what was reused. A stage gives the cache all its keys at once
(``lookup_all``): those equal to the last build's at the same position are not even looked up, so a
rebuild's cost follows what changed, not the size of the site.

The live-preview session keeps one cache in memory for its whole life. ``site-gen build`` starts
from an empty one that is not kept (it skips the build altogether when nothing changed: see
``fingerprint``), so its stages skip making keys that only a later build would look up.
"""

from __future__ import annotations

import hashlib
import os
from collections import Counter
from collections.abc import Callable, Hashable, Iterable, Iterator
from itertools import compress
from operator import ne
from pathlib import Path
from typing import Any, TypeVar

from .parallel import iter_parallel

T = TypeVar("T")
_MISSING = object()
_RUNS = "runs:"
"""Before a table's name: the table of its last :meth:`BuildCache.lookup_all` keys and values (one
per table, so a table a build does not touch, the search index's in live preview, keeps its own)."""


def digest(value: object) -> str:
    """A stable digest of a value made of strings, numbers and tuples (its ``repr``)."""
    return hashlib.blake2b(repr(value).encode("utf-8"), digest_size=16).hexdigest()


class BuildCache:
    """Two generations of memo tables: ``previous`` (the last build's) and ``tables`` (this build's).
    A lookup moves an entry from the first to the second; at the end of a build the entries left
    behind were not used and are dropped, so the cache never outgrows the site."""

    def __init__(self, kept: bool = True) -> None:
        self.kept = kept
        """False for a one-shot build's cache, dropped with the build: stages skip making keys that
        only a later build would look up (a page's key needs a pass of the term matcher over it)."""
        self.tables: dict[str, dict[Hashable, Any]] = {}
        self.previous: dict[str, dict[Hashable, Any]] = {}
        self.hits: Counter[str] = Counter()
        self.misses: Counter[str] = Counter()
        self.outputs: dict[str, bytes] = {}
        """The last build's output files (path -> content): what is on disk now."""
        self.generations: Counter[str] = Counter()
        """Bumped per path by the watcher, so a changed file is never served from the cache."""
        self.watching = False
        """True while a watcher reports every change: then a file's last stat is trusted until it is
        reported (live preview skips thousands of stat calls per rebuild)."""
        self.stat_keys: dict[str, tuple] = {}
        self.carried: set[str] = set()
        """Tables whose last entries this build keeps without looking each up (see :meth:`lookup_all`)."""

    @property
    def empty(self) -> bool:
        """True before the first build that uses this cache."""
        return not self.tables and not self.previous

    def generation(self, path: str) -> int:
        return self.generations[path]

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

    def memo(self, table: str, key: Hashable, compute: Callable[[], T]) -> T:
        """The cached value for ``key`` in ``table``, computing (and keeping) it on a miss."""
        found, value = self.lookup(table, key)
        if not found:
            value = self.tables.setdefault(table, {})[key] = compute()
        return value

    def lookup(self, table: str, key: Hashable) -> tuple[bool, Any]:
        """``(found, value)`` without computing: for stages that compute their misses in bulk."""
        current = self.tables.get(table)
        if current is None:
            current = self.tables[table] = {}
        old = self.previous.get(table)
        if old:  # most lookups of a rebuild find last build's entry: one hash to take it, one to keep it
            value = old.pop(key, _MISSING)
            if value is not _MISSING:
                self.hits[table] += 1
                current[key] = value
                return True, value
        value = current.get(key, _MISSING)
        if value is not _MISSING:
            return True, value
        self.misses[table] += 1
        return False, None

    def store(self, table: str, key: Hashable, value: Any) -> None:
        self.tables.setdefault(table, {})[key] = value

    def lookup_all(self, table: str, keys: list) -> tuple[list, list[int]]:
        """``(values, missing)``: the cached value of each key (None where there is none) and the
        indices of the missing ones; then :meth:`store_all` with their values.

        The keys are first compared, position by position, with the last call's for ``table``: a
        rebuild's keys are mostly the very objects of the last build, and only the keys that differ
        are looked up; the other entries are kept whole (a one-article edit at 4,000 articles made
        47,000 lookups, a third of its rebuild). The entries of the keys they replace are dropped, as
        a lookup of every key would have left them behind."""
        found, last = self.lookup(_RUNS + table, 0)
        if found and len(last[0]) == len(keys):
            old_keys, values = last[0], list(last[1])
            changed: Iterable[int] = list(compress(range(len(keys)), map(ne, keys, old_keys)))
            self.carried.add(table)
            self.hits[table] += len(keys) - len(changed)
        else:
            old_keys, values, changed = [], [None] * len(keys), range(len(keys))
        missing = []
        for i in changed:
            found, values[i] = self.lookup(table, keys[i])
            if not found:
                missing.append(i)
        if old_keys:
            self._drop_superseded(table, [old_keys[i] for i in changed], {keys[i] for i in changed})
        return values, missing

    def _drop_superseded(self, table: str, old: list, fresh: set) -> None:
        """Forget the entries of the keys a :meth:`lookup_all` call replaced (not those it still uses),
        from the last build's entries or, between builds (live preview's search index), from this
        build's."""
        for entries in (self.previous.get(table), self.tables.get(table)):
            for key in old if entries else ():
                if key not in fresh:
                    entries.pop(key, None)

    def memo_all(self, table: str, keys: list, compute: Callable[[int], T]) -> list[T]:
        """The cached value of each key, ``compute(i)`` for the missing ones (see :meth:`lookup_all`)."""
        values, missing = self.lookup_all(table, keys)
        for i in missing:
            values[i] = compute(i)
        self.store_all(table, keys, values, missing)
        return values

    def memo_list(self, table: str, keys: list, compute: Callable[[], T]) -> T:
        """``compute()``, a value made from a whole list, reused while each of ``keys`` equals the last
        call's at its position: a list as a key without hashing it whole on every build."""
        found, last = self.lookup(table, 0)
        if found and last[0] == keys:
            return last[1]
        value = compute()
        self.store(table, 0, (keys, value))
        return value

    def store_all(self, table: str, keys: list, values: list, missing: list[int]) -> None:
        """Finish :meth:`lookup_all`: keep the missing values it named, and the keys for the next call."""
        for i in missing:
            self.store(table, keys[i], values[i])
        self.store(_RUNS + table, 0, (keys, list(values)))  # a copy: the caller may change its list

    def start(self) -> None:
        """Begin a build: this build's entries start empty, the last build's become ``previous``."""
        for table, entries in self.tables.items():
            self.previous.setdefault(table, {}).update(entries)
        self.tables = {}
        self.hits = Counter()
        self.misses = Counter()
        self.carried = set()

    def adopt(self, tables: dict[str, dict[Hashable, Any]]) -> None:
        """Take entries made elsewhere (another process's cache, for this same build): this build's
        lookups find them as they find the last build's."""
        for table, entries in tables.items():
            self.previous.setdefault(table, {}).update(entries)

    def prune(self) -> None:
        """End a build: forget the entries it did not use. Tables the build did not touch at all
        (the search index, when live preview defers it) are kept whole, and so are the entries
        :meth:`lookup_all` kept without looking them up."""
        for table, entries in self.previous.items():
            if table not in self.tables:
                self.tables[table] = entries
            elif table in self.carried:
                entries.update(self.tables[table])
                self.tables[table] = entries
        self.previous = {}
        self.carried = set()

    def memo_parallel(self, table: str, keys: list, jobs: Callable[[int], object], work: Callable,
                      setup: Callable, shared: object, processes: int = 0) -> list:
        """The cached value of each key; the missing ones computed together, ``work(jobs(i), setup(shared))``,
        in worker processes when there are many (see :func:`~site_gen.parallel.map_parallel`)."""
        return list(self.memo_stream(table, keys, jobs, work, setup, shared, processes))

    def memo_stream(self, table: str, keys: list, jobs: Callable[[int], object], work: Callable,
                    setup: Callable, shared: object, processes: int = 0) -> Iterator:
        """:meth:`memo_parallel`'s values one by one, in key order, each as soon as it is known."""
        values, missing = self.lookup_all(table, keys)
        computed = iter_parallel(work, [jobs(i) for i in missing], setup, shared, processes, out_of=len(keys))
        following = iter(missing)
        next_missing = next(following, None)
        for i in range(len(keys)):
            if i == next_missing:
                values[i] = next(computed)
                self.store(table, keys[i], values[i])  # kept even if the caller stops early
                next_missing = next(following, None)
            yield values[i]
        self.store_all(table, keys, values, [])

    def has_entries(self, table: str) -> bool:
        """True once the table holds anything, from this build or the last."""
        return bool(self.tables.get(table)) or bool(self.previous.get(table))

    def stats(self) -> dict[str, tuple[int, int]]:
        """Per table: (reused, computed) in the last build."""
        return {t: (self.hits[t], self.misses[t]) for t in sorted(set(self.hits) | set(self.misses))}
