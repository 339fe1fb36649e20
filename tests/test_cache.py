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


def _entries(job: str, _: object) -> list[tuple[str, _Entry]]:
    return [(word, _Entry(word, (job,))) for word in job.split()]


ENTRIES = Stage("entries", _entries)


def test_the_records_in_a_stage_result_are_named_from_its_key_without_being_digested(monkeypatch) -> None:
    """The items of a list or tuple a stage made (two levels down) are named by their place in it:
    a later key holding them is made without digesting them, and a result of another key names its
    items apart, however equal their values."""
    cache = BuildCache()
    cache.start()
    made = cache.run(ENTRIES, ["k1", "k2"], lambda i: "same words")
    digested = []
    monkeypatch.setattr(site_gen.cache, "digest", lambda value: digested.append(value) or real_digest(value))
    first, second = made[0][1][1], made[1][1][1]
    assert first.word == second.word and first.uses == second.uses, "equal values"
    assert cache.key_of(first) != cache.key_of(second), "named by the key they were made from"
    assert cache.key_of(first) == cache.key_of(made[0]) + ".1.1" and digested == []
    loose = _Entry("words", ("same words",))
    assert cache.key_of(loose) not in {cache.key_of(first), cache.key_of(second)} and len(digested) == 1


def _with_nothing(job: str, _: object) -> tuple:
    return (job, ())


def test_the_empty_tuple_in_a_result_keeps_its_own_name() -> None:
    """``()`` is one object in the whole process: named after one result's place, every key holding
    an empty tuple would change with that result."""
    cache = BuildCache()
    cache.start()
    made = cache.run(Stage("with-nothing", _with_nothing), ["k1"], lambda i: "job")[0]
    assert made[1] == () and cache.key_of(()) == digest(())
