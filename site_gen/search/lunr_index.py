"""A Lunr 2.3 index built in Python, in the exact serialized form ``lunr.Index.load`` reads.

The arithmetic is lunr.js's ``Builder``: BM25 field vectors (k1 = 1.2, b = 0.75, scores rounded to
three decimals), idf counted over every field posting, term indices in order of first appearance.
lunr.py does the same work object by object and needs about 45 s for 4,000 articles; this does it
with plain dicts and lists in a fraction of that (``benchmarks/run.py`` measures both), and
``tests/search/`` checks that its output equals lunr.py's and that lunr.js answers queries on it.

``serialize_shards(groups)`` writes the index split by term: for each group, the inverted index of those
terms, and for each (field, document) that contains one, the vector components of those terms.
Scores of a query are sums over its terms, so per-shard results can be merged exactly
(``search.js: mergeScores``).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from .terms import terms as text_terms

LUNR_VERSION = "2.3.9"
K1 = 1.2
B = 0.75


@dataclass
class IndexBuilder:
    fields: tuple[tuple[str, float], ...]
    """(field name, boost), in the order lunr.js iterates them."""
    term_index: dict[str, int] = field(default_factory=dict)
    postings: dict[str, dict[str, list[str]]] = field(default_factory=dict)
    """term -> field -> document refs, in the order they were added."""
    frequencies: dict[tuple[str, str], dict[str, int]] = field(default_factory=dict)
    """(field, ref) -> term -> term frequency."""
    lengths: dict[tuple[str, str], int] = field(default_factory=dict)
    refs: list[str] = field(default_factory=list)

    def add(self, ref: str, values: dict[str, str]) -> None:
        """Index one document; ``values`` maps field names to text (missing fields are empty)."""
        self.add_terms(ref, tuple(tuple(text_terms(values.get(name, ""))) for name, _ in self.fields))

    def add_terms(self, ref: str, field_terms: tuple[tuple[str, ...], ...]) -> None:
        """Index one document given the terms of each field (in field order), already made."""
        self.refs.append(ref)
        for (name, _), items in zip(self.fields, field_terms):
            counts: dict[str, int] = {}
            for term in items:
                counts[term] = counts.get(term, 0) + 1
                posting = self.postings.get(term)
                if posting is None:
                    self.term_index[term] = len(self.term_index)
                    posting = self.postings[term] = {n: [] for n, _ in self.fields}
                refs = posting[name]
                if not refs or refs[-1] != ref:
                    refs.append(ref)
            self.frequencies[(name, ref)] = counts
            self.lengths[(name, ref)] = len(items)

    def build(self) -> BuiltIndex:
        documents = len(self.refs)
        average = {name: sum(self.lengths[(name, ref)] for ref in self.refs) / max(documents, 1)
                   for name, _ in self.fields}
        boosts = dict(self.fields)
        idf = {term: _idf(sum(len(refs) for refs in posting.values()), documents)
               for term, posting in self.postings.items()}
        vectors: dict[tuple[str, str], list[tuple[int, float]]] = {}
        for (name, ref), counts in self.frequencies.items():
            length_ratio = self.lengths[(name, ref)] / average[name] if average[name] else 0.0
            norm = K1 * (1 - B + B * length_ratio)
            components = []
            for term, frequency in counts.items():
                score = idf[term] * ((K1 + 1) * frequency) / (norm + frequency) * boosts[name]
                components.append((self.term_index[term], _round3(score)))
            components.sort()
            vectors[(name, ref)] = components
        return BuiltIndex(tuple(name for name, _ in self.fields), self.term_index, self.postings, vectors)


def _idf(documents_with_term: int, documents: int) -> float:
    """lunr.idf: counts a document once per field the term is in, as lunr.js does."""
    x = (documents - documents_with_term + 0.5) / (documents_with_term + 0.5)
    return math.log(1 + abs(x))


def _round3(value: float) -> float:
    """JavaScript's Math.round(x * 1000) / 1000 (halves round up, not to even)."""
    return math.floor(value * 1000 + 0.5) / 1000


def js_sort_key(term: str) -> bytes:
    """JavaScript sorts strings by UTF-16 code units; lunr.js's TokenSet builder needs that order."""
    return term.encode("utf-16-be")


@dataclass(frozen=True)
class BuiltIndex:
    fields: tuple[str, ...]
    term_index: dict[str, int]
    postings: dict[str, dict[str, list[str]]]
    vectors: dict[tuple[str, str], list[tuple[int, float]]]

    def sorted_terms(self) -> list[str]:
        return sorted(self.postings, key=js_sort_key)

    def serialize(self) -> dict:
        """The lunr.js JSON of the whole index."""
        return self.serialize_shards([self.sorted_terms()])[0]

    def serialize_shards(self, groups: list[list[str]]) -> list[dict]:
        """One lunr.js JSON per group of terms: the postings of its terms and, for every (field,
        document) holding one of them, the vector components of those terms only."""
        shard_of = {}
        for number, group in enumerate(groups):
            for term in group:
                shard_of[self.term_index[term]] = number
        vectors: list[dict[tuple[str, str], list[float]]] = [{} for _ in groups]
        if len(groups) == 1:
            vectors[0] = {key: [] for key in self.vectors}  # lunr.js keeps empty fields' vectors too
        for key, components in self.vectors.items():
            for position, value in components:
                vectors[shard_of[position]].setdefault(key, []).extend((position, value))
        shards = []
        for number, group in enumerate(groups):
            inverted = []
            for term in sorted(group, key=js_sort_key):
                posting = self.postings[term]
                entry: dict = {"_index": self.term_index[term]}
                for name in self.fields:
                    entry[name] = dict.fromkeys(posting[name], _EMPTY)
                inverted.append([term, entry])
            shards.append({
                "version": LUNR_VERSION, "fields": list(self.fields),
                "fieldVectors": [[f"{name}/{ref}", flat] for (name, ref), flat in vectors[number].items()],
                "invertedIndex": inverted, "pipeline": ["stemmer"],
            })
        return shards


_EMPTY: dict = {}
"""lunr's per-posting metadata: always empty here (no positions), shared to save work."""
