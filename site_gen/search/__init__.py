"""``build_search_index``: the client-side search files, sized so the first query stays small.

What the browser downloads (all names content-hashed, so hosts cache them forever):

- ``search/manifest.js``: the shard boundaries and file names (a few KB). Its name is stable so
  pages need not change when the index does; hosts should revalidate it (``netlify.toml``);
- ``search/i/<n>.<hash>.js``: the Lunr index split by term range, term frequencies in its
  postings; a query loads only the shards holding its terms (small sites get one shard);
- ``search/l/0.<hash>.js``: each document's field lengths, which turn the frequencies into lunr.js's
  BM25 scores in the browser (``lunr_index.py`` says why);
- ``search/s/<n>.<hash>.js``: the document store (title, URL, type, date, short excerpt, and the
  language and direction of a text not in the site's) in blocks of :data:`STORE_BLOCK`
  documents, fetched for results shown before their texts (partial results, more results, the
  idle prefetch); one block on a site small enough for one shard;
- ``search/f/<ref>.<hash>.js``: each document's whole text (and its store record), for its best
  passage and the order of its words, fetched per result shown or ranked by word order (sites
  whose texts are small keep them in the store instead). The hash is that of the texts of the
  document's store block, listed in the manifest, so a page knows a text's name from its ref
  alone: one round trip, not two.

Each file is JSON wrapped in ``siteGenSearch(...)``: a page fetches it and takes the wrapper off,
or, opened from disk (where browsers refuse ``fetch``), loads it as a script that hands over its data.

``docs/search.md`` explains the choice and the measurements behind it.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass

from ..cache import BuildCache, Stage
from ..language import language_direction
from ..model import OutputFile, Page
from ..pages import Site
from ..parallel import Workers, as_is, map_parallel
from .lunr_index import IndexBuilder
from .terms import term_counts

FIELDS = (("t", 10.0), ("m", 5.0), ("b", 1.0))
"""Short field names keep every posting small: title, metadata (aliases, author, tags), body."""
QUERY_FIELDS = {"title": "t", "term": "t", "alias": "m", "aliases": "m", "author": "m", "tags": "m", "tag": "m",
                "body": "b", "text": "b"}
STORE_BLOCK = 16
SHARD_BYTES = 50_000
"""Target raw size of one index shard (about a third of that gzipped). Smaller shards make each query
download and parse less (faster results); larger ones make the whole index, and a query that needs
every shard (a fuzzy one), a little smaller (``docs/search.md``)."""
MANIFEST = "search/manifest.js"
EXCERPT_CHARS = 160
INLINE_TEXT_CHARS = 200_000
"""Sites whose texts add up to no more than this keep them in the store: one download for all."""
WRAPPER = (b"siteGenSearch(", b");\n")
"""What each search file's JSON is wrapped in (``search-engine.js: parseFile``)."""


@dataclass(frozen=True, slots=True)
class SearchBundle:
    files: tuple[OutputFile, ...]
    manifest: str
    """Site URL of the manifest, the one file pages need to know about."""
    documents: int
    shards: int


def search_documents(site: Site) -> list[tuple[str, Page]]:
    """(kind, page) for everything searchable, in a stable order: its position is its ref."""
    return ([("article", p) for p in site.articles] + [("page", p) for p in site.pages]
            + [("glossary", p) for p in site.glossary_pages])


class Cancelled(Exception):
    """Raised when ``should_stop()`` says a newer build needs the CPU more than this index does."""


def build_search_index(site: Site, cache: BuildCache | None = None,
                       should_stop: Callable[[], bool] | None = None) -> SearchBundle:
    """The search files for ``site``. Each document's terms come from the cache when its text did not
    change; ``should_stop`` is polled between steps, so live preview can abandon a stale index."""
    cache = cache if cache is not None else BuildCache()
    stop = should_stop or (lambda: False)
    entries = site.glossary.by_slug()
    builder = IndexBuilder(FIELDS)
    records = []
    texts = []
    documents = search_documents(site)
    language = site.config.site.language
    direction = language_direction(language)
    values = []
    for kind, page in documents:
        metadata = [page.meta.author, *page.meta.tags]
        if kind == "glossary":
            metadata += entries[page.meta.slug].aliases
        values.append((page.meta.title, " ".join(metadata), page.text))
    keys = [(page, title, metadata) for (_, page), (title, metadata, _) in zip(documents, values, strict=True)]
    counts = cache.stream(SEARCH_TERMS, keys, values.__getitem__, None, 1 if should_stop else 0)
    for number, ((kind, page), count) in enumerate(zip(documents, counts, strict=True)):
        builder.add_counts(count)  # while the workers count the next documents
        if number % 256 == 255 and stop():
            raise Cancelled
        records.append({"t": page.meta.title, "u": page.url, "k": kind, "d": page.meta.date,
                        "e": _excerpt(page.description or page.text)})
        if kind == "glossary":
            records[-1]["a"] = list(entries[page.meta.slug].aliases)
        if page.language and page.language != language:
            records[-1]["l"] = page.language
        if page.direction != direction:
            records[-1]["r"] = page.direction
        texts.append(page.text)
    if stop():
        raise Cancelled
    sharded = len(records) > site.config.search.shard_threshold
    files: list[OutputFile] = []
    shards = _write_shards(builder, sharded, files, stop, should_stop is not None)
    block = STORE_BLOCK if sharded else max(len(records), 1)
    apart = sum(map(len, texts)) > INLINE_TEXT_CHARS
    text_hashes = _write_texts(records, texts, block, files) if apart else None
    stores = _write_stores(records, None if apart else texts, block, files)
    lengths = _hashed_file("search/l/0", builder.field_lengths())
    files.append(lengths)
    manifest = {
        "version": 4,
        "documents": len(records),
        "fields": QUERY_FIELDS,
        "boosts": dict(FIELDS),
        "lengths": lengths.path,
        "shards": shards,
        "stores": stores,
        "storeBlock": block,
        "fragments": "search/f/",
        "texts": text_hashes,
    }
    manifest_file = OutputFile(MANIFEST, _wrapped(_dump(manifest)))
    files.append(manifest_file)
    return SearchBundle(tuple(files), manifest_file.path, len(records), len(shards))


def _field_terms(values: tuple[str, str, str], _: object) -> tuple[tuple[dict[str, int], int], ...]:
    """The term counts of a document's title, metadata and body: the costly part, cached per document."""
    return tuple(term_counts(value) for value in values)


SEARCH_TERMS = Stage("search-terms", _field_terms, parallel=True)


def _excerpt(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= EXCERPT_CHARS else text[: EXCERPT_CHARS - 1].rsplit(" ", 1)[0] + "…"


def _write_shards(builder: IndexBuilder, sharded: bool, files: list[OutputFile], stop: Callable[[], bool],
                  cancellable: bool) -> list[list[str]]:
    """Index shards as ``[first term, site URL]`` pairs in term order: made one by one (checking
    ``stop`` between them) when ``cancellable``, otherwise in parallel worker processes."""
    terms = builder.sorted_terms()
    groups = _term_groups(builder.document_counts(), terms) if sharded else [terms]
    if cancellable:
        made = builder.shards(groups)
    else:
        firsts = [sum(len(g) for g in groups[:i]) for i in range(len(groups))]
        made = iter(map_parallel(_shard, list(zip(groups, firsts, strict=True)), as_is, builder, Workers(min_jobs=4)))
    shards = []
    for number, (group, data) in enumerate(zip(groups, made, strict=True)):
        if stop():
            raise Cancelled
        file = _hashed_bytes(f"search/i/{number}", _wrapped(data))
        files.append(file)
        shards.append([group[0] if group and number else "", file.path])
    return shards


def _shard(job: tuple[list[str], int], builder: IndexBuilder) -> bytes:
    group, first = job
    return builder.shard(group, first)


def _term_groups(counts: dict[str, int], terms: list[str]) -> list[list[str]]:
    """Contiguous runs of terms of about :data:`SHARD_BYTES` each."""
    groups: list[list[str]] = [[]]
    size = 0
    for term in terms:
        cost = len(term) + 30 + counts[term] * 8
        if size + cost > SHARD_BYTES and groups[-1]:
            groups.append([])
            size = 0
        groups[-1].append(term)
        size += cost
    return groups


def _write_texts(records: list[dict], texts: list[str], block: int, files: list[OutputFile]) -> list[str]:
    """Each document's store record and text in a file of its own, ``search/f/<ref>.<hash>.js``, the
    hash that of the texts of its store block (so an edit renames the block's texts, and no other
    file names them). A result whose text has arrived needs no store block."""
    hashes = []
    for start in range(0, len(texts), block):
        dumped = [_wrapped(_dump({**record, "x": text}))
                  for record, text in zip(records[start:start + block], texts[start:start + block], strict=True)]
        digest = hashlib.sha256(b"".join(hashlib.sha256(data).digest() for data in dumped)).hexdigest()[:10]
        hashes.append(digest)
        files.extend(OutputFile(f"search/f/{start + offset:x}.{digest}.js", data) for offset, data in enumerate(dumped))
    return hashes


def _write_stores(records: list[dict], texts: list[str] | None, block: int, files: list[OutputFile]) -> list[str]:
    """Store blocks; with ``texts``, each record holds its document's text too."""
    if texts is not None:
        for record, text in zip(records, texts, strict=True):
            record["x"] = text
    stores = []
    for start in range(0, max(len(records), 1), block):
        file = _hashed_file(f"search/s/{start // block}", records[start:start + block])
        files.append(file)
        stores.append(file.path)
    return stores


def _dump(value: object) -> bytes:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def _wrapped(data: bytes) -> bytes:
    return WRAPPER[0] + data + WRAPPER[1]


def _hashed_file(stem: str, value: object) -> OutputFile:
    return _hashed_bytes(stem, _wrapped(_dump(value)))


def _hashed_bytes(stem: str, data: bytes) -> OutputFile:
    return OutputFile(f"{stem}.{hashlib.sha256(data).hexdigest()[:10]}.js", data)
