"""The build cache: each stage's results, keyed by a digest of everything a result depends on.

A stage (:class:`Stage`) is a pure function run over a list of jobs; :meth:`BuildCache.run` gives
it the job of each key it has no result for, in worker processes when it is ``parallel``, and
keeps the results for the next build. Keys are digests of values (file stats, settings, the keys
of the results a job is made from: :meth:`BuildCache.key_of`), never of object identities, so a
key means the same in any process and the cache can be kept on disk between builds
(``cache_file``). One edited seed re-parses, re-annotates and re-renders one article, and a changed
glossary entry re-renders only the pages whose text contains one of its forms: this *is* the
dependency graph, kept as keys rather than edges (the approach of Bazel and Salsa).

A stage's result may also depend on something too large to put in every key (the whole glossary,
every page's URL): its ``check`` digests the part of it that one result used (the terms found in
one text), and a result made in another ``context`` is reused when its check is unchanged.
"""

from __future__ import annotations

import dataclasses
import gc
import hashlib
import pickle
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any, TypeVar

from .cache_file import CacheRefused, read_cache, write_cache
from .diagnostics import shown
from .parallel import Workers, as_is, iter_parallel
from .record import record

T = TypeVar("T")
_MISSING = object()
_PLAIN = {str, int, float, bool, type(None), bytes}
_FIELDS: dict[type, tuple[str, ...]] = {}
PROCESS_LOCAL: set[str] = set()
"""Tables of values that only mean something in this process (a parser, a template environment)."""


def local(table: str) -> str:
    """``table``'s name, marked as holding values that are not kept on disk (see :data:`PROCESS_LOCAL`)."""
    PROCESS_LOCAL.add(table)
    return table


def digest(value: object) -> str:
    """A stable digest of a value made of strings, numbers and tuples (its ``repr``)."""
    return hashlib.blake2b(repr(value).encode("utf-8"), digest_size=16).hexdigest()


def value_digest(value: object) -> str:
    """A digest of a value: plain values, containers and records by what they hold (not by which
    objects they share, as a pickle would), anything else by its pickle."""
    return digest(_plain(value, {}, {}))


def _plain(value: object, known: dict[int, tuple[Any, str]], earlier: dict[int, tuple[Any, str]]) -> object:
    """``value`` as plain values, for a digest: records field by field, values in ``known`` (id ->
    (value, name)) by their name, and those in ``earlier`` (the last build's) too, moved to ``known``."""
    kind = type(value)
    if kind in _PLAIN:
        return value
    named = known.get(id(value)) or _promote(value, known, earlier)
    if named is not None:
        return ("@", named[1])
    if kind is tuple or kind is list:
        return tuple([item if type(item) in _PLAIN else _plain(item, known, earlier) for item in value])  # type: ignore[attr-defined]
    if kind is dict:
        return ("{}", tuple([(_plain(k, known, earlier), _plain(v, known, earlier)) for k, v in value.items()]))  # type: ignore[attr-defined]
    if kind is set or kind is frozenset:
        return ("{", tuple(sorted(repr(_plain(item, known, earlier)) for item in value)))  # type: ignore[attr-defined]
    names = _FIELDS.get(kind)
    if names is None:
        names = _FIELDS[kind] = tuple(f.name for f in dataclasses.fields(value)) if dataclasses.is_dataclass(value) \
            else ()
    if names:  # a record: named once, whoever holds it
        fields = [getattr(value, name) for name in names]
        plain = tuple([item if type(item) in _PLAIN else _plain(item, known, earlier) for item in fields])
        name = digest((kind.__qualname__, plain))
        known[id(value)] = (value, name)
        return ("@", name)
    if isinstance(value, BaseException):
        return (kind.__qualname__, _plain(getattr(value, "diagnostics", value.args), known, earlier))
    return ("=", hashlib.blake2b(pickle.dumps(value, 5), digest_size=16).hexdigest())


def _promote(value: object, known: dict[int, tuple[Any, str]], earlier: dict[int, tuple[Any, str]]) -> tuple | None:
    """The name ``earlier`` holds for ``value`` (this very object: ``earlier`` holds it, so its id
    is not reused), kept in ``known`` for this build too."""
    named = earlier.get(id(value))
    if named is not None:
        known[id(value)] = named
    return named


@record
class Stage:
    """A cached stage: ``work(job, setup(shared))`` makes the result of one key. ``parallel``: in
    worker processes when there are many jobs; ``check(job, context, value)``: see the module;
    ``by_value``: its results, and the records in them, are named by their own digests
    (:func:`value_digest`), not their key, for the stages after it (a file read by its stat is then
    the same as the same text made by the build; a record made again equal keeps its name)."""

    name: str
    work: Callable[[Any, Any], Any]
    setup: Callable[[Any], Any] = as_is
    parallel: bool = False
    check: Callable[[Any, Any, Any], str] | None = None
    by_value: bool = False


@record
class _Named:
    """A result of a ``by_value`` stage, with its digest and those of the records in it."""

    name: str
    value: Any
    parts: tuple[tuple[tuple[int, ...], str], ...] = ()
    """(place, digest) of each record in ``value`` two levels down, if a list or tuple: kept with
    it, so a build in a new process need not digest them again."""


@record
class _Checked:
    """A result of a stage with a ``check``: the context it was made in and its check's digest."""

    context: str
    check: str
    value: Any


class BuildCache:
    """Two generations of results: ``previous`` (the last build's) and ``tables`` (this build's),
    table by table. A stage's run replaces its table with the results of its keys; a single value
    (:meth:`one`) moves from the last build's table to this one's when it is looked up, and at the
    end of a build (:meth:`prune`) those left behind are dropped, so the cache never outgrows the
    site. A table the build did not touch (the search index, when live preview defers it) is kept."""

    def __init__(self) -> None:
        self.tables: dict[str, dict[str, Any]] = {}
        self.previous: dict[str, dict[str, Any]] = {}
        self.hits: Counter[str] = Counter()
        self.misses: Counter[str] = Counter()
        self._keys: dict[int, tuple[Any, str]] = {}
        """id -> (value, the key it was made from), for this build's values: held, so no id is reused."""
        self._earlier: dict[int, tuple[Any, str]] = {}
        """The last build's ``_keys``: a value still alive is named as it was, not digested again
        (values are immutable); one this build does not name is let go at the next."""
        self._last_names: dict[str, dict[object, str]] = {}
        """Per table, the digests of its last run's keys (this process only: never kept on disk)."""

    @property
    def empty(self) -> bool:
        """True before the first build that uses this cache."""
        return not self.tables and not self.previous

    def start(self) -> None:
        """Begin a build: this build's entries start empty, the last build's become ``previous``."""
        for table, entries in self.tables.items():
            self.previous.setdefault(table, {}).update(entries)
        self.tables = {}
        self.hits = Counter()
        self.misses = Counter()
        self._earlier, self._keys = self._keys, {}

    def prune(self) -> None:
        """End a build: forget the entries it did not use; tables it did not touch are kept whole."""
        for table, entries in self.previous.items():
            self.tables.setdefault(table, entries)
        self.previous = {}

    def adopt(self, tables: dict[str, dict[str, Any]]) -> None:
        """Take results made elsewhere for this build (a forked process's): found as the last build's."""
        for table, entries in tables.items():
            self.previous.setdefault(table, {}).update(entries)

    def also(self, stage: Stage, key: object, like: object) -> None:
        """Keep the result of ``like`` under ``key`` too, for the next build: one result of two keys.
        The result is named from ``key`` from now on, as the next build, finding it under ``key``,
        will name it, so the results made from it keep their keys from this build to the next."""
        table = self.tables[stage.name]
        name = self.key(key)
        table[name] = entry = table[self.key(like)]
        self._result(stage, entry, name)

    def holds(self, table: str) -> bool:
        """True when ``table`` has results, of this build or the last one."""
        return bool(self.tables.get(table) or self.previous.get(table))

    def take(self, table: str, entries: dict[str, Any]) -> None:
        """Make ``entries`` this build's ``table``: a stage's run in another process (the search index's)."""
        self.previous.pop(table, None)
        self.tables[table] = entries

    def one(self, table: str, key: object, compute: Callable[[], T]) -> T:
        """The cached value for ``key`` (a digest, or values to digest) in ``table``, computed on a miss."""
        key = key if type(key) is str else self.key(key)
        current = self.tables.setdefault(table, {})
        value = current.get(key, _MISSING)
        if value is _MISSING:
            value = self.previous.get(table, {}).pop(key, _MISSING)
            if value is _MISSING:
                self.misses[table] += 1
                value = compute()
            else:
                self.hits[table] += 1
            current[key] = value
        return self.remember(value, key)

    def run(self, stage: Stage, keys: Sequence[object], jobs: Callable[[int], object], shared: object = None,
            workers: Workers | int = 0, context: str = "") -> list:
        """The result of each key, ``stage.work`` run on the job of each missing one (``jobs(i)``);
        ``workers``: how many processes a parallel stage may use (0: one per CPU), or :class:`Workers`."""
        return list(self.stream(stage, keys, jobs, shared, workers, context))

    def stream(self, stage: Stage, keys: Sequence[object], jobs: Callable[[int], object], shared: object = None,
               workers: Workers | int = 0, context: str = "") -> Iterator:
        """:meth:`run`'s results one by one, in key order, each as soon as it is known. The stage's
        table then holds the results of these keys only (a stage runs once per build)."""
        names = self._names(stage.name, keys)
        old = self.previous.pop(stage.name, None) or self.tables.get(stage.name) or {}
        table: dict[str, Any] = {}
        self.tables[stage.name] = table
        found = [old.get(key, _MISSING) for key in names]
        if stage.check is not None:
            self._recheck(stage, found, jobs, shared, context)
        missing = [i for i, value in enumerate(found) if value is _MISSING]
        self.hits[stage.name] += len(names) - len(missing)
        self.misses[stage.name] += len(missing)
        work = _with_check if stage.check is not None else _by_value if stage.by_value else stage.work
        workers = workers if isinstance(workers, Workers) else Workers(workers)
        spread = Workers(workers.processes if stage.parallel else 1, workers.progress, out_of=len(names))
        made = iter_parallel(work, [jobs(i) for i in missing], _Setup(stage, context), shared, spread)
        following = iter(missing)
        next_missing = next(following, None)
        for i, key in enumerate(names):
            if i == next_missing:
                found[i] = next(made)
                next_missing = next(following, None)
            table[key] = entry = found[i]
            yield self._result(stage, entry, key)

    def _names(self, table: str, keys: Sequence[object]) -> list[str]:
        """The digest of each key; one equal to a key of the table's last run in this process is not
        digested again (a rebuild's keys are mostly the last build's, many holding the same objects)."""
        last, made = self._last_names.get(table, {}), {}
        names = []
        for key in keys:
            try:
                name = key if type(key) is str else last.get(key) or made.get(key)
            except TypeError:  # a key holding a list: digested every time
                names.append(self.key(key))
                continue
            if name is None:
                name = self.key(key)
            made[key] = name
            names.append(name)
        self._last_names[table] = made
        return names

    def _recheck(self, stage: Stage, found: list, jobs: Callable[[int], object], shared: object, context: str) -> None:
        """Results made in another context are kept where their check is unchanged, else dropped."""
        stale = [i for i, value in enumerate(found) if value is not _MISSING and value.context != context]
        if not stale:
            return
        made = stage.setup(shared)
        for i in stale:
            entry = found[i]
            same = stage.check(jobs(i), made, entry.value) == entry.check
            found[i] = _Checked(context, entry.check, entry.value) if same else _MISSING

    def remember(self, value: T, key: str) -> T:
        """Name ``value`` by ``key`` for the rest of this build (:meth:`key_of`): a value made from
        the result of ``key`` and nothing else."""
        if type(value) not in _PLAIN and value != ():  # shared objects: named by their value
            self._keys[id(value)] = (value, key)
        return value

    def _result(self, stage: Stage, entry: Any, key: str) -> Any:
        """The value of a table's ``entry`` found under the digest ``key``, named for the stages after
        it: by its key and its check's digest (a result made again is a new value), by its own digest
        and its records by theirs (``by_value``), else by its key."""
        if stage.check is not None:
            return self.remember(entry.value, digest((key, entry.check)))
        if not stage.by_value:
            return self.remember(entry, key)
        keys = self._keys
        for place, name in entry.parts:
            item = entry.value
            for i in place:
                item = item[i]
            if id(item) not in keys:
                keys[id(item)] = (item, name)
        return self.remember(entry.value, entry.name)

    def key_of(self, value: object) -> str:
        """A digest naming ``value``: the key it was made from when a stage made it in this build
        (its result follows from that key), else a digest of the value itself."""
        if type(value) in _PLAIN:
            return digest(value)
        known = self._keys.get(id(value)) or _promote(value, self._keys, self._earlier)
        if known is not None:
            return known[1]
        known = self._keys.get(id(value)) if (named := _plain(value, self._keys, self._earlier)) else None  # a record: named now
        return known[1] if known is not None else digest(named)

    def key(self, value: object) -> str:
        """The digest of a key: any value, by :meth:`key_of`."""
        return self.key_of(value)

    def keys_of(self, values: Sequence[object]) -> str:
        """One digest naming a list of values (see :meth:`key_of`)."""
        return digest([self.key_of(value) for value in values])

    def save(self, path: Path, version: str, settings: str) -> None:
        """Keep the tables on disk for the next build of the same site, with the ``version`` of
        site-gen and the ``settings`` they were made with, written in a child process while this one
        goes on (:func:`~site_gen.cache_file.write_cache`, which signs it); the values only this
        process can use are left out."""
        kept = {table: entries for table, entries in self.tables.items() if table not in PROCESS_LOCAL}
        write_cache(path, lambda file: pickle.dump((version, settings, kept), file, 5))

    @classmethod
    def load(cls, path: Path, version: str, settings: str) -> Loaded:
        """The cache kept at ``path`` if it was made by this ``version`` of site-gen with these
        ``settings``, else an empty one; with why a file that is there was not used, if it is foreign
        or damaged (another version, not a cache, a truncated file, a class no cache holds, a link
        out of the site: :func:`~site_gen.cache_file.read_cache` reads it as data only)."""
        cache = cls()
        enabled = gc.isenabled()
        gc.disable()  # many objects, none of them garbage: no collection while they load
        try:
            kept = read_cache(path)
        except CacheRefused as exc:
            return Loaded(cache, str(exc))
        finally:
            if enabled:
                gc.enable()
        if kept is None:
            return Loaded(cache, "")
        if not (type(kept) is tuple and len(kept) == 3 and type(kept[0]) is str and type(kept[1]) is str
                and _tables(kept[2])):
            return Loaded(cache, "it does not hold what a build cache holds")
        made_by, made_with, tables = kept
        if made_by != version:
            return Loaded(cache, f"it was made by site-gen {shown(made_by)[1:-1]}")
        if made_with == settings:
            gc.freeze()  # what was loaded lives to the end of the build: out of the collector's scans
            cache.previous = tables
        return Loaded(cache, "")

    def stats(self) -> dict[str, tuple[int, int]]:
        """Per table: (reused, computed) in the last build."""
        return {t: (self.hits[t], self.misses[t]) for t in sorted(set(self.hits) | set(self.misses))}


def _tables(value: object) -> bool:
    """True when ``value`` is shaped as a cache's tables: names -> (keys -> results)."""
    return type(value) is dict and all(type(name) is str and type(table) is dict for name, table in value.items())


class _Setup:
    """A stage's per-process setup, with the stage and the context for :func:`_with_check`."""

    def __init__(self, stage: Stage, context: str) -> None:
        self.stage = stage
        self.context = context

    def __call__(self, shared: object) -> Any:
        made = self.stage.setup(shared)
        return made if self.stage.check is None and not self.stage.by_value else (self.stage, self.context, made)


def _with_check(job: object, setup: tuple[Stage, str, Any]) -> _Checked:
    stage, context, made = setup
    value = stage.work(job, made)
    return _Checked(context, stage.check(job, made, value), value)


def _by_value(job: object, setup: tuple[Stage, str, Any]) -> _Named:
    value = setup[0].work(job, setup[2])
    known: dict[int, tuple[Any, str]] = {}
    name = digest(_plain(value, known, {}))
    return _Named(name, value, _places(value, known, ()))


def _places(value: object, known: dict[int, tuple[Any, str]], place: tuple[int, ...]) -> tuple:
    """(place, name) of each record ``known`` names in ``value``, a list or tuple, two levels down."""
    if type(value) is not list and type(value) is not tuple:
        return ()
    found: list = []
    for i, item in enumerate(value):  # type: ignore[arg-type]
        if (named := known.get(id(item))) is not None:
            found.append(((*place, i), named[1]))
        if not place:
            found += _places(item, known, (i,))
    return tuple(found)


@dataclasses.dataclass(frozen=True)
class Loaded:
    """A cache read from disk, and why the file was not used ('' when it was, or there was none)."""

    cache: BuildCache
    note: str
