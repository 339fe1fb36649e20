"""The client-side search index: a Lunr index that lunr.js 2.3 loads, and a document store.

Files get content hashes in their names so hosts can cache them forever.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass

from lunr import lunr

from .model import OutputFile, Page
from .pages import Site

EXCERPT_CHARS = 200


@dataclass(frozen=True, slots=True)
class SearchBundle:
    files: tuple[OutputFile, ...]
    urls: dict[str, str]
    """Logical name (``index``, ``store``) to site URL."""


def search_documents(site: Site) -> list[tuple[str, Page]]:
    """(kind, page) for everything searchable, in a stable order."""
    docs = [("article", p) for p in site.articles]
    docs += [("page", p) for p in site.pages]
    docs += [("glossary", p) for p in site.glossary_pages]
    return docs


def build_search_index(site: Site) -> SearchBundle:
    entries = site.glossary.by_slug()
    documents = []
    store = {}
    for number, (kind, page) in enumerate(search_documents(site)):
        ref = str(number)
        aliases = " ".join(entries[page.meta.slug].aliases) if kind == "glossary" else ""
        documents.append({
            "id": ref,
            "title": page.meta.title,
            "body": page.text,
            "author": page.meta.author,
            "tags": " ".join(page.meta.tags),
            "aliases": aliases,
        })
        store[ref] = {"t": page.meta.title, "u": page.url, "k": kind, "d": page.meta.date,
                      "e": (page.description or page.text)[:EXCERPT_CHARS]}
    index = lunr(
        ref="id",
        fields=[{"field_name": "title", "boost": 10}, {"field_name": "aliases", "boost": 8},
                {"field_name": "tags", "boost": 3}, "author", "body"],
        documents=documents,
    )
    index_json = _dump(index.serialize())
    store_json = _dump(store)
    files = (
        OutputFile(_hashed("search/index", index_json), index_json),
        OutputFile(_hashed("search/store", store_json), store_json),
    )
    return SearchBundle(files, {"index": files[0].path, "store": files[1].path})


def _dump(value: object) -> bytes:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"), sort_keys=True).encode("utf-8")


def _hashed(stem: str, data: bytes) -> str:
    return f"{stem}.{hashlib.sha256(data).hexdigest()[:10]}.json"
