"""A Lunr 2.3 index built in Python, written as term-range shards that ``search.js`` turns into
lunr.js's own serialized index.

A shard is the serialized lunr index of a run of sorted terms, without its field vectors: each
posting holds the document's term frequency where lunr.js keeps empty metadata
(``"b":{"a1":3}``). The field vectors (BM25 scores) repeat every posting with its score, so they
were most of an index's bytes and of its build time; they follow from the frequencies and each
document's field lengths (:meth:`IndexBuilder.field_lengths`, one small file for the whole index),
so ``search.js`` works them out with lunr.js's own ``Builder`` arithmetic as a shard loads, and
the scores are exactly lunr.js's. ``tests/search/`` checks that the index the browser ends up with
means exactly what lunr.js (and lunr.py) make of the same documents, and that lunr.js answers
queries on it. lunr.py builds its index object by object and needs about 45 s for 4,000 articles;
this is one pass over the postings (``benchmarks/lunr_build.py`` measures both).

One difference of form, none of meaning: lunr.js numbers terms in order of first appearance; here
they are numbered in sorted order, so each shard holds a contiguous range of the numbers.
"""

from __future__ import annotations

import json
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
    postings: dict[str, dict[str, dict[str, int]]] = field(default_factory=dict)
    """term -> field -> document ref -> the term's frequency in it, in the order the documents were
    added: the shape of a shard's posting, so a shard is one ``json.dumps``."""
    lengths: dict[str, list[int]] = field(default_factory=dict)
    """field -> each document's length in terms, in the order the documents were added."""
    documents: int = 0

    def add(self, values: dict[str, str]) -> str:
        """Index one document; ``values`` maps field names to text (missing fields are empty)."""
        return self.add_counts(tuple(term_counts(values.get(name, "")) for name, _ in self.fields))

    def add_counts(self, fields: tuple[tuple[dict[str, int], int], ...]) -> str:
        """Index one document given, per field (in field order), its term frequencies and length in
        terms (what :func:`~.terms.term_counts` makes). Returns its ref: its number, in hexadecimal,
        so ``search.js`` finds its lengths (and its store record) by position."""
        ref = format(self.documents, "x")
        self.documents += 1
        postings = self.postings
        names = [name for name, _ in self.fields]
        for name, (counts, length) in zip(names, fields, strict=True):
            for term, frequency in counts.items():
                posting = postings.get(term)
                if posting is None:
                    posting = postings[term] = {n: {} for n in names}
                posting[name][ref] = frequency
            self.lengths.setdefault(name, []).append(length)
        return ref

    def sorted_terms(self) -> list[str]:
        return sorted(self.postings, key=js_sort_key)

    def document_counts(self) -> dict[str, int]:
        """For each term, how many (field, document) postings it has: what a shard of it costs."""
        return {term: sum(map(len, posting.values())) for term, posting in self.postings.items()}

    def field_lengths(self) -> dict[str, list[int]]:
        """Each field's length in terms, per document: with the postings' frequencies, all that
        lunr.js's BM25 needs (the documents' number and average lengths follow from it)."""
        return {name: self.lengths.get(name, []) for name, _ in self.fields}

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
        Independent of the other shards, so shards can be made in parallel. The postings are kept
        in this shape, so ``json.dumps`` (in C) writes them as they are: 4,000 articles' shards
        took 1.10 s when joined from formatted strings, 0.62 s so."""
        names = [name for name, _ in self.fields]
        postings = self.postings
        inverted = [[term, {"_index": number, **postings[term]}] for number, term in enumerate(group, start=first)]
        index = {"version": LUNR_VERSION, "fields": names, "fieldVectors": [], "invertedIndex": inverted,
                 "pipeline": ["stemmer"]}
        return json.dumps(index, ensure_ascii=False, separators=(",", ":")).encode()
