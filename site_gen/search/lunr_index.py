"""A Lunr 2.3 index built in Python, in the serialized form ``lunr.Index.load`` reads.

The arithmetic is lunr.js's ``Builder``: BM25 field vectors (k1 = 1.2, b = 0.75, scores rounded to
three decimals the way JavaScript's ``Math.round(x * 1000) / 1000`` does, halves up) and idf
counted over every field posting. lunr.py does the same work object by object and needs about
45 s for 4,000 articles; this does it in one pass over the postings (``benchmarks/run.py``
measures both), and ``tests/search/`` checks that its index means exactly what lunr.py's and
lunr.js's mean for the same documents, and that lunr.js answers queries on it.

One difference of form, none of meaning: lunr.js numbers terms in order of first appearance; here
they are numbered in sorted order, so each shard (a run of sorted terms) holds a contiguous range
of the numbers and every document vector comes out already sorted.

:meth:`IndexBuilder.shards` writes the index split by term: each shard is a complete lunr index
of a run of terms, with, for each (field, document) that contains one of them, the vector
components of those terms only. Scores of a query are sums over its terms, so per-shard results
merge exactly (``search.js: search``). Shards come one at a time, so a caller can stop between them.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterator
from dataclasses import dataclass, field

from .terms import term_counts

LUNR_VERSION = "2.3.9"
K1 = 1.2
B = 0.75


def js_sort_key(term: str) -> bytes:
    """JavaScript sorts strings by UTF-16 code units; lunr.js's TokenSet builder needs that order."""
    return term.encode("utf-16-be")


def _idf(documents_with_term: int, documents: int) -> float:
    """lunr.idf: counts a document once per field the term is in, as lunr.js does."""
    x = (documents - documents_with_term + 0.5) / (documents_with_term + 0.5)
    return math.log(1 + abs(x))


def _posting_count(posting: dict[str, list]) -> int:
    """(field, document) pairs a term is in: its interleaved lists hold a ref and a frequency each."""
    return sum(len(interleaved) for interleaved in posting.values()) // 2


class _ScoreText(dict):
    """A score in thousandths to its JSON text, as ``repr(thousandths / 1000)`` (lunr.js rounds scores
    to three decimals): an index has far fewer distinct scores than postings, so each is written once."""

    def __missing__(self, thousandths: int) -> str:
        text = self[thousandths] = repr(thousandths / 1000)
        return text


@dataclass
class IndexBuilder:
    fields: tuple[tuple[str, float], ...]
    """(field name, boost), in the order lunr.js iterates them."""
    postings: dict[str, dict[str, list]] = field(default_factory=dict)
    """term -> field -> document refs and the term's frequency in each, interleaved
    (``[ref, frequency, ref, frequency...]``), in the order they were added."""
    lengths: dict[str, dict[str, int]] = field(default_factory=dict)
    """field -> ref -> length in terms."""
    refs: list[str] = field(default_factory=list)
    _weights: tuple[int, list[tuple]] | None = field(default=None, init=False, repr=False)

    def add(self, ref: str, values: dict[str, str]) -> None:
        """Index one document; ``values`` maps field names to text (missing fields are empty)."""
        self.add_counts(ref, tuple(term_counts(values.get(name, "")) for name, _ in self.fields))

    def add_counts(self, ref: str, fields: tuple[tuple[dict[str, int], int], ...]) -> None:
        """Index one document given, per field (in field order), its term frequencies and length in
        terms: what :func:`~.terms.term_counts` makes."""
        self.refs.append(ref)
        postings = self.postings
        names = [name for name, _ in self.fields]
        for (name, _), (counts, length) in zip(self.fields, fields, strict=True):
            for term, frequency in counts.items():
                posting = postings.get(term)
                if posting is None:
                    posting = postings[term] = {n: [] for n in names}
                posting[name] += (ref, frequency)
            self.lengths.setdefault(name, {})[ref] = length

    def sorted_terms(self) -> list[str]:
        return sorted(self.postings, key=js_sort_key)

    def document_counts(self) -> dict[str, int]:
        """For each term, how many (field, document) postings it has: what a shard of it costs."""
        return {term: _posting_count(posting) for term, posting in self.postings.items()}

    def shards(self, groups: list[list[str]]) -> Iterator[bytes]:
        """The lunr.js JSON of each group of terms, in order; the groups are consecutive runs of
        :meth:`sorted_terms`. One group gives the whole index."""
        first = 0
        for group in groups:
            yield self.shard(group, first)
            first += len(group)

    def shard(self, group: list[str], first: int) -> bytes:
        """The lunr.js JSON of one run of sorted terms, the first of which is term number ``first``.
        Independent of the other shards, so shards can be made in parallel.

        The JSON is joined from strings rather than made by ``json.dumps`` from nested dicts: a
        posting is ``"ref":{}`` and refs are hexadecimal, so nothing needs escaping but the terms;
        the output is the compact ``json.dumps`` of the same values (tested), made in less time."""
        documents = len(self.refs)
        floor = math.floor
        weights = self._field_weights()
        vectors: dict[str, dict[str, list[str]]] = {name: {} for name, *_ in weights}
        scores = _ScoreText()
        inverted = []
        for number, term in enumerate(group, start=first):
            posting = self.postings[term]
            idf = _idf(_posting_count(posting), documents)
            component = f"{number},"
            fields = []
            for name, boost, norms in weights:
                interleaved = posting[name]
                refs = interleaved[::2]
                scale = idf * (K1 + 1) * boost
                field_vectors = vectors[name]
                for ref, frequency in zip(refs, interleaved[1::2], strict=True):
                    text = component + scores[floor(scale * frequency / (norms[ref] + frequency) * 1000 + 0.5)]
                    vector = field_vectors.get(ref)
                    if vector is None:
                        field_vectors[ref] = [text]
                    else:
                        vector.append(text)
                fields.append(f'"{name}":{{"' + '":{},"'.join(refs) + '":{}}' if refs else f'"{name}":{{}}')
            inverted.append(f'[{json.dumps(term, ensure_ascii=False)},{{"_index":{number},{",".join(fields)}}}]')
        vector_list = ",".join(f'["{name}/{ref}",[{",".join(parts)}]]'
                               for name, *_ in weights for ref, parts in vectors[name].items())
        names = json.dumps([name for name, *_ in weights], separators=(",", ":"))
        return (f'{{"version":"{LUNR_VERSION}","fields":{names},"fieldVectors":[{vector_list}],'
                f'"invertedIndex":[{",".join(inverted)}],"pipeline":["stemmer"]}}').encode()

    def _field_weights(self) -> list[tuple]:
        """Per field: name, boost, each document's BM25 length normalisation (``k1 (1 - b + b
        length / average)``: it needs every document's length, so it is worked out once, not once
        per shard)."""
        if self._weights is None or self._weights[0] != len(self.refs):
            documents = max(len(self.refs), 1)
            weights = []
            for name, boost in self.fields:
                lengths = self.lengths.get(name, {})
                average = sum(lengths.values()) / documents
                slope = K1 * B / average if average else 0.0
                base = K1 * (1 - B)
                norms = {ref: base + slope * length for ref, length in lengths.items()}
                weights.append((name, boost, norms))
            self._weights = (len(self.refs), weights)
        return self._weights[1]

    def serialize(self) -> dict:
        """The whole index as Python values (one shard)."""
        return json.loads(next(self.shards([self.sorted_terms()])))

