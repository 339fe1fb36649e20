"""A Lunr 2.3 index built in Python, written as term-range shards that ``search-engine.js`` turns into
lunr.js's own serialized index.

A shard is the serialized lunr index of a run of sorted terms, without its field vectors: each
posting holds the document's term frequency where lunr.js keeps empty metadata
(``"b":{"a1":3}``). The field vectors (BM25 scores) repeat every posting with its score, so they
were most of an index's bytes and of its build time; they follow from the frequencies and each
document's field lengths (:meth:`IndexBuilder.field_lengths`, one small file for the whole index),
so ``search-engine.js`` works them out with lunr.js's own ``Builder`` arithmetic as a shard loads, and
the scores are exactly lunr.js's. ``tests/search/`` checks that the index the browser ends up with
means exactly what lunr.js (and lunr.py) make of the same documents, and that lunr.js answers
queries on it. lunr.py builds its index object by object, many times slower; this is one pass
over the postings (``benchmarks/lunr_build.py`` compares the two).

One difference of form, none of meaning: lunr.js numbers terms in order of first appearance; here
they are numbered in sorted order, so each shard holds a contiguous range of the numbers.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field

from .terms import term_counts

LUNR_VERSION = "2.3.9"


def js_sort_key(term: str) -> bytes:
    """JavaScript sorts strings by UTF-16 code units; lunr.js's TokenSet builder needs that order."""
    return term.encode("utf-16-be")


@dataclass
class IndexBuilder:
    fields: tuple[tuple[str, float], ...]
    """(field name, boost), in the order lunr.js iterates them."""
    postings: dict[str, defaultdict[str, dict[str, int]]] = field(default_factory=dict)
    """field -> term -> document ref -> the term's frequency in it, in the order the documents were
    added: one dictionary per field, so adding a posting is one lookup and one store (a build adds
    one for every distinct term of every field of every document)."""
    lengths: dict[str, list[int]] = field(default_factory=dict)
    """field -> each document's length in terms, in the order the documents were added."""
    documents: int = 0

    def __post_init__(self) -> None:
        for name, _ in self.fields:
            self.postings.setdefault(name, defaultdict(dict))
            self.lengths.setdefault(name, [])

    def add(self, values: dict[str, str]) -> str:
        """Index one document; ``values`` maps field names to text (missing fields are empty)."""
        return self.add_counts(tuple(term_counts(values.get(name, "")) for name, _ in self.fields))

    def add_counts(self, fields: tuple[tuple[dict[str, int], int], ...]) -> str:
        """Index one document given, per field (in field order), its term frequencies and length in
        terms (what :func:`~.terms.term_counts` makes). Returns its ref: its number, in hexadecimal,
        so ``search-engine.js`` finds its lengths (and its store record) by position."""
        ref = format(self.documents, "x")
        self.documents += 1
        for (name, _), (counts, length) in zip(self.fields, fields, strict=True):
            postings = self.postings[name]
            for term, frequency in counts.items():
                postings[term][ref] = frequency
            self.lengths[name].append(length)
        return ref

    def sorted_terms(self) -> list[str]:
        return sorted(set().union(*self.postings.values()), key=js_sort_key)

    def document_counts(self) -> dict[str, int]:
        """For each term, how many (field, document) postings it has: what a shard of it costs."""
        counts: dict[str, int] = {}
        for postings in self.postings.values():
            for term, refs in postings.items():
                counts[term] = counts.get(term, 0) + len(refs)
        return counts

    def field_lengths(self) -> dict[str, list[int]]:
        """Each field's length in terms, per document: with the postings' frequencies, all that
        lunr.js's BM25 needs (the documents' number and average lengths follow from it)."""
        return {name: self.lengths[name] for name, _ in self.fields}

    def shards(self, groups: list[list[str]]) -> Iterator[bytes]:
        """The JSON of each group of terms, in order; the groups are consecutive runs of
        :meth:`sorted_terms`. One group gives the whole index."""
        first = 0
        for group in groups:
            yield self.shard(group, first)
            first += len(group)

    def shard(self, group: list[str], first: int) -> bytes:
        """The JSON of one run of sorted terms, the first of which is term number ``first``:
        lunr.js's serialized index less the field vectors, each posting a term frequency.
        Independent of the other shards, so shards can be made in parallel. Each term's entry holds
        the postings' own dictionaries, so ``json.dumps`` (in C) writes them as they are, with no
        string formatted per posting."""
        names = [name for name, _ in self.fields]
        by_field = [(name, self.postings[name]) for name in names]
        inverted = [[term, {"_index": number} | {name: postings.get(term, {}) for name, postings in by_field}]
                    for number, term in enumerate(group, start=first)]
        index = {"version": LUNR_VERSION, "fields": names, "fieldVectors": [], "invertedIndex": inverted,
                 "pipeline": ["stemmer"]}
        return json.dumps(index, ensure_ascii=False, separators=(",", ":")).encode()
