"""A Lunr 2.3 index built in Python, in the exact serialized form ``lunr.Index.load`` reads.

The arithmetic is lunr.js's ``Builder``: BM25 field vectors (k1 = 1.2, b = 0.75, scores rounded to
three decimals the way JavaScript's ``Math.round(x * 1000) / 1000`` does, halves up), idf counted
over every field posting, term indices in order of first appearance. lunr.py does the same work
object by object and needs about 45 s for 4,000 articles; this does it with plain dicts and lists
in a fraction of that (``benchmarks/run.py`` measures both), and ``tests/search/`` checks that its
output equals lunr.py's and lunr.js's, and that lunr.js answers queries on it.

``serialize_shards(groups)`` writes the index split by term: for each group, the inverted index of
those terms, and for each (field, document) that contains one, the vector components of those
terms. Shards are produced one at a time, so a caller can stop between them. Scores of a query are
sums over its terms, so per-shard results can be merged exactly (``search.js: search``).
"""

from __future__ import annotations

import json
import math
from collections import Counter
from collections.abc import Iterator
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
        self.add_counts(ref, tuple(count_terms(text_terms(values.get(name, ""))) for name, _ in self.fields))

    def add_counts(self, ref: str, fields: tuple[tuple[dict[str, int], int], ...]) -> None:
        """Index one document given, per field (in field order), its term frequencies (in order of
        first appearance) and its length in terms: what :func:`count_terms` makes."""
        self.refs.append(ref)
        postings, term_index = self.postings, self.term_index
        for (name, _), (counts, length) in zip(self.fields, fields, strict=True):
            for term in counts:
                posting = postings.get(term)
                if posting is None:
                    term_index[term] = len(term_index)
                    posting = postings[term] = {n: [] for n, _ in self.fields}
                posting[name].append(ref)
            self.frequencies[(name, ref)] = counts
            self.lengths[(name, ref)] = length

    def build(self) -> BuiltIndex:
        documents = len(self.refs)
        average = {name: sum(self.lengths[(name, ref)] for ref in self.refs) / max(documents, 1)
                   for name, _ in self.fields}
        boosts = dict(self.fields)
        idf = {term: _idf(sum(len(refs) for refs in posting.values()), documents)
               for term, posting in self.postings.items()}
        vectors: dict[tuple[str, str], list[tuple[int, float]]] = {}
        term_index = self.term_index
        floor = math.floor
        for (name, ref), counts in self.frequencies.items():
            length_ratio = self.lengths[(name, ref)] / average[name] if average[name] else 0.0
            norm = K1 * (1 - B + B * length_ratio)
            boost = boosts[name]
            components = [
                (term_index[term], floor(idf[term] * ((K1 + 1) * frequency) / (norm + frequency) * boost * 1000 + 0.5)
                 / 1000)
                for term, frequency in counts.items()
            ]
            components.sort()
            vectors[(name, ref)] = components
        return BuiltIndex(tuple(name for name, _ in self.fields), self.term_index, self.postings, vectors)


def _idf(documents_with_term: int, documents: int) -> float:
    """lunr.idf: counts a document once per field the term is in, as lunr.js does."""
    x = (documents - documents_with_term + 0.5) / (documents_with_term + 0.5)
    return math.log(1 + abs(x))


def count_terms(items: list[str]) -> tuple[dict[str, int], int]:
    """Term frequencies in order of first appearance (lunr.js's term indices follow it) and the length."""
    return dict(Counter(items)), len(items)


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
        """The lunr.js JSON of the whole index, as Python values."""
        return json.loads(next(self.serialize_shards([self.sorted_terms()])))

    def serialize_shards(self, groups: list[list[str]]) -> Iterator[bytes]:
        """One lunr.js JSON document per group of terms: the postings of its terms and, for every
        (field, document) holding one of them, the vector components of those terms only.

        Written as text directly: the structure is fixed, refs and field names are plain ASCII,
        and terms go through ``json.dumps``; about three times faster than building dicts first.
        """
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
        refs_json = {ref: f'"{ref}":{{}}' for _, ref in self.vectors}
        header = f'{{"version":"{LUNR_VERSION}","fields":{json.dumps(list(self.fields))},"fieldVectors":['
        for number, group in enumerate(groups):
            vector_text = json.dumps([[f"{name}/{ref}", flat] for (name, ref), flat in vectors[number].items()],
                                     separators=(",", ":"))[1:-1]
            entries = []
            for term in sorted(group, key=js_sort_key):
                posting = self.postings[term]
                fields = ",".join(f'"{name}":{{{",".join(map(refs_json.__getitem__, posting[name]))}}}'
                                  for name in self.fields)
                entries.append(f'[{json.dumps(term, ensure_ascii=False)},{{"_index":{self.term_index[term]},{fields}}}]')
            parts = [header, vector_text, '],"invertedIndex":[', ",".join(entries), '],"pipeline":["stemmer"]}']
            yield "".join(parts).encode("utf-8")
