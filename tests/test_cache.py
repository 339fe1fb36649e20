"""The build cache's change marks: what a reported change invalidates."""

from __future__ import annotations

from pathlib import Path

from site_gen.cache import BuildCache
from site_gen.inputs import stat_key


def test_a_new_file_marks_every_folder_above_it_and_a_changed_one_only_itself(tmp_path: Path) -> None:
    folder = tmp_path / "content" / "articles"
    folder.mkdir(parents=True)
    changed, new = folder / "a.md", folder / "b.md"
    changed.write_text("a")
    cache = BuildCache()
    cache.watching = True
    stat_key(changed, cache)
    changed.write_text("changed")
    cache.invalidate([str(changed)])
    assert cache.generation(str(changed)) == 1
    assert cache.generation(str(folder)) == 0, "a file that was there and still is leaves the listing alone"
    new.write_text("b")
    cache.invalidate([str(new), str(folder / "c.md")])
    assert cache.generation(str(new)) == 1
    assert all(cache.generation(str(path)) > 0 for path in (folder, folder.parent, tmp_path, Path(tmp_path.anchor)))


def _double(job: int, _: object) -> int:
    return job * 2


def test_streamed_values_come_in_key_order_and_only_misses_are_computed() -> None:
    """memo_stream hands out each value as soon as it is known (the search index adds a document's
    terms while workers count the next ones); the cached ones are not computed again."""
    cache = BuildCache()
    cache.store("t", 3, "kept")
    keys = list(range(200))
    stream = cache.memo_stream("t", keys, keys.__getitem__, _double, lambda shared: shared, None, processes=2)
    assert next(stream) == 0, "the first value is there before the others are asked for"
    values = [0, *stream]
    assert values == [2 * k if k != 3 else "kept" for k in keys]
    assert cache.misses["t"] == 199 and cache.hits["t"] == 0
    assert cache.memo_parallel("t", keys, keys.__getitem__, _double, lambda shared: shared, None) == values


def _build(cache: BuildCache, keys: list) -> tuple[list, list[int]]:
    """One build's pass over ``keys`` with :meth:`BuildCache.lookup_all`, computing ``key.upper()``."""
    cache.start()
    values, missing = cache.lookup_all("t", keys)
    for i in missing:
        values[i] = keys[i].upper()
    cache.store_all("t", keys, values, missing)
    cache.prune()
    return values, missing


def test_lookup_all_looks_up_only_the_keys_that_changed_and_keeps_the_others_entries() -> None:
    cache = BuildCache()
    assert _build(cache, ["a", "b", "c"]) == (["A", "B", "C"], [0, 1, 2])
    assert _build(cache, ["a", "x", "c"]) == (["A", "X", "C"], [1])
    assert (cache.hits["t"], cache.misses["t"]) == (2, 1), "the unchanged keys count as reused, not looked up"
    assert set(cache.tables["t"]) == {"a", "x", "c"}, "kept without a lookup; the replaced key's entry dropped"
    assert _build(cache, ["c", "a", "x", "y"]) == (["C", "A", "X", "Y"], [3]), \
        "another length: every key is looked up, and the kept entries are found"
    assert set(cache.tables["t"]) == {"a", "x", "c", "y"}


def test_lookup_all_compares_keys_by_equality_as_a_lookup_does() -> None:
    """A rebuild makes new key objects (a file's stat key after the watcher lost events): equal ones
    are reused all the same."""
    cache = BuildCache()
    _build(cache, ["ab", "cd"])
    fresh = ["".join(["a", "b"]), "".join(["c", "e"])]
    assert _build(cache, fresh) == (["AB", "CE"], [1])


def test_lookup_all_between_builds_drops_what_it_replaced_too() -> None:
    """Live preview refreshes the search index after a build has ended (its entries then are this
    build's, not the last one's): the entries of replaced keys must not pile up there either."""
    cache = BuildCache()
    for keys in (["a", "b"], ["a", "c"], ["a", "d"]):
        values, missing = cache.lookup_all("t", keys)
        for i in missing:
            values[i] = keys[i].upper()
        cache.store_all("t", keys, values, missing)
    assert set(cache.tables["t"]) == {"a", "d"}
