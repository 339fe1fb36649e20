"""The build cache: a stage computes only the keys it has no result for, keys name values (not
objects), and a result made in another context is reused where its check is unchanged."""

from __future__ import annotations

import pickle

import site_gen.cache
from site_gen.cache import BuildCache, Stage, digest
from site_gen.record import record

real_digest = digest


def _double(job: int, _: object) -> int:
    return job * 2


def _upper(job: str, _: object) -> str:
    return job.upper()


def _words(job: str, _: object) -> list[str]:
    return job.split()


WORDS = Stage("words", _words)
DOUBLE = Stage("double", _double, parallel=True)
UPPER = Stage("upper", _upper)


def test_streamed_values_come_in_key_order_and_only_misses_are_computed() -> None:
    """stream hands out each value as soon as it is known (the search index adds a document's terms
    while workers count the next ones); the cached ones are not computed again."""
    cache = BuildCache()
    keys = list(range(200))
    cache.run(DOUBLE, [3], lambda i: -1, None, 1)
    stream = cache.stream(DOUBLE, keys, keys.__getitem__, None, 2)
    assert next(stream) == 0, "the first value is there before the others are asked for"
    values = [0, *stream]
    assert values == [2 * k if k != 3 else -2 for k in keys]
    assert cache.stats()["double"] == (1, 1 + 199)
    assert cache.run(DOUBLE, keys, keys.__getitem__) == values


def _build(cache: BuildCache, keys: list[str]) -> list[str]:
    cache.start()
    values = cache.run(UPPER, keys, keys.__getitem__)
    cache.prune()
    return values


def test_a_stage_keeps_the_results_of_its_last_keys_only() -> None:
    cache = BuildCache()
    assert _build(cache, ["a", "b", "c"]) == ["A", "B", "C"]
    assert _build(cache, ["a", "x", "c"]) == ["A", "X", "C"]
    assert cache.stats()["upper"] == (2, 1)
    assert len(cache.tables["upper"]) == 3, "the replaced key's result is dropped"
    cache.run(UPPER, ["a", "d"], ["a", "d"].__getitem__)  # between builds, as live preview's search index
    assert len(cache.tables["upper"]) == 2


def test_a_key_names_values_not_objects_so_it_means_the_same_in_another_process() -> None:
    """Two equal values made apart have one key; the key of a stage's result is the key it was made
    from; a cache pickled and loaded finds its results under the keys a new build makes."""
    cache = BuildCache()
    cache.start()
    one, other = ("".join(["a", "b"]), [1, 2]), ("ab", [1, 2])
    assert cache.key(one) == cache.key(other) and cache.key(one) != cache.key(("ab", [1, 3]))
    made = cache.run(WORDS, [("file", 1)], lambda i: "a text")[0]
    assert made == ["a", "text"] and cache.key_of(made) == cache.key(("file", 1))
    assert cache.key_of("a text") == cache.key("".join(["a ", "text"])), "a string is named by its value"
    assert cache.key_of(["not", "made", "here"]) == cache.key_of(["not", "made", "here"]) != cache.key_of(["made"])
    cache.prune()
    loaded = pickle.loads(pickle.dumps(cache.tables))
    fresh = BuildCache()
    fresh.adopt(loaded)
    fresh.start()
    assert fresh.run(WORDS, [("file", 1)], lambda i: "never") == [["a", "text"]]


def _first_letter(job: str, _: object) -> str:
    return job[0]


def _check(job: str, _: object, value: str) -> str:
    return job[:2]


CHECKED = Stage("checked", _first_letter, check=_check)


def test_a_result_made_in_another_context_is_reused_where_its_check_is_unchanged() -> None:
    cache = BuildCache()
    jobs = {"k1": "apple", "k2": "berry"}
    assert cache.run(CHECKED, list(jobs), lambda i: list(jobs.values())[i], context="glossary-1") == ["a", "b"]
    jobs = {"k1": "apricot", "k2": "cherry"}  # what the check reads changed for k2 only
    assert cache.run(CHECKED, list(jobs), lambda i: list(jobs.values())[i], context="glossary-2") == ["a", "c"]
    assert cache.stats()["checked"] == (1, 2 + 1)


@record
class _Entry:
    word: str
    uses: tuple[str, ...]


def test_a_record_alive_from_the_last_build_keeps_its_name_without_being_digested_again(monkeypatch) -> None:
    """A rebuild names the records it still holds as the last build did (they are immutable) and
    digests only new ones, whose names are those of equal values."""
    cache = BuildCache()
    kept = _Entry("seed", ("a", "b"))
    cache.start()
    first = cache.key_of(kept)
    cache.prune()
    digested = []
    monkeypatch.setattr(site_gen.cache, "digest", lambda value: digested.append(value) or real_digest(value))
    cache.start()
    assert cache.key_of(kept) == first and digested == [], "named as in the last build"
    assert cache.key_of(_Entry("seed", ("a", "b"))) == first and len(digested) == 1
    assert cache.key_of(_Entry("seed", ("a", "c"))) != first
    cache.prune()
    cache.start()
    cache.start()
    digested.clear()
    assert cache.key_of(kept) == first and len(digested) == 1, "a build that did not name it let it go"



def _entries(job: str, _: object) -> tuple[tuple[str, _Entry], ...]:
    return tuple((word, _Entry(word, (job,))) for word in job.split())


ENTRIES = Stage("entries", _entries, by_value=True)


def test_the_records_in_a_by_value_result_keep_their_names_in_a_new_process(monkeypatch) -> None:
    """A ``by_value`` stage names the records in its results (two levels down) by their own values
    once, when it makes them, and keeps those names with them: a build in a new process reading the
    cache names them without digesting them, as it would name equal records made anew."""
    cache = BuildCache()
    cache.start()
    made = cache.run(ENTRIES, ["k1"], lambda i: "two words")[0]
    cache.prune()
    fresh = BuildCache()
    fresh.adopt(pickle.loads(pickle.dumps(cache.tables)))
    fresh.start()
    loaded = fresh.run(ENTRIES, ["k1"], lambda i: "never")[0]
    assert loaded == made and loaded[1][1] is not made[1][1]
    digested = []
    monkeypatch.setattr(site_gen.cache, "digest", lambda value: digested.append(value) or real_digest(value))
    named = fresh.key_of(loaded[1][1])
    assert digested == [], "named without digesting"
    assert named == BuildCache().key_of(_Entry("words", ("two words",))) != BuildCache().key_of(_Entry("words", ("two",)))
