"""``annotate_all``: the annotate stage over every document, through the build cache and worker processes."""

from __future__ import annotations

import dataclasses

from ..cache import BuildCache, digest
from ..config import SiteConfig
from ..diagnostics import unexpected
from ..model import AnnotatedDocument, Document, Note
from ..parallel import as_is, map_parallel
from ..record import record
from .annotator import AnnotateOptions, annotate, title_key
from .matcher import TermMatcher, Terms


@record(eq=False)
class Annotator:
    """What a worker annotating documents needs, besides the index of its document."""

    matcher: TermMatcher
    titles: dict[str, str]
    """Article titles (as :func:`title_key` makes them) to slugs, for the "(See: ...)" links."""
    options: AnnotateOptions
    documents: list[Document]
    notes: list[tuple[Note, ...]]
    """Each document's notes, by index."""
    known: list[tuple | None]
    """Each document's glossary matches, where the caller already has them."""
    kept: bool
    """Send the matches back (a kept cache makes keys of them)."""


@record
class AnnotationKey:
    """Everything a document's annotation depends on: the cache key of an annotated document."""

    document: Document
    notes: tuple[Note, ...]
    settings: str
    matches: str | None
    """The digest of the glossary matches in its blocks (None until a first build's worker finds them)."""
    cross_refs: tuple[tuple[str, str | None], ...]
    """Each "(See: ...)" title with the slug it names, if any."""


def annotate_all(documents: list[Document], terms: Terms, notes: dict[str, tuple[Note, ...]], config: SiteConfig,
                 cache: BuildCache, jobs: int) -> list[AnnotatedDocument]:
    """Annotate every document (each carries its diagnostics); a document is re-annotated only when
    something it uses changed: its text, its notes, the glossary entries its text matches, the
    articles its "(See: ...)" name.

    The glossary matches in a key take a pass over every document; on a first build (an empty
    cache) the workers find them while annotating instead, and the keys are made from what they found."""
    matcher, forms_key = terms.matcher, terms.key
    titles = {title_key(d.meta.title): d.meta.slug for d in documents}
    options = AnnotateOptions(config.glossary.link, config.notes.fuzzy_threshold)
    settings = digest(options)
    first_build = not cache.has_entries("annotated")
    everything = list(range(len(documents)))
    match_keys = [(document, forms_key) for document in documents]
    matched: list = [None] * len(documents) if first_build else cache.memo_all(
        "matches", match_keys, lambda i: _digested(_block_matches(documents[i], matcher)))
    keys = [AnnotationKey(document, notes.get(document.meta.slug, ()), settings, found[1] if found else None,
                          tuple((ref.title, titles.get(title_key(ref.title))) for ref in document.cross_refs))
            for document, found in zip(documents, matched, strict=True)]
    annotated, misses = ([None] * len(keys), everything) if first_build else cache.lookup_all("annotated", keys)
    annotator = Annotator(matcher, titles, options, documents, [key.notes for key in keys],
                          [found[0] if found else None for found in matched], cache.kept)
    made = map_parallel(_annotate_one, misses, as_is, annotator, jobs, out_of=len(documents))
    for index, (item, matches) in zip(misses, made, strict=True):
        annotated[index] = dataclasses.replace(item, document=documents[index])
        if matched[index] is None and cache.kept:
            matched[index] = _digested(matches)
            keys[index] = dataclasses.replace(keys[index], matches=matched[index][1])
    if cache.kept:
        if first_build:
            cache.store_all("matches", match_keys, matched, everything)
        cache.store_all("annotated", keys, annotated, misses)
    return annotated


def _block_matches(document: Document, matcher: TermMatcher) -> tuple:
    return tuple(tuple(matcher.find(block.text)) for block in document.blocks)


def _annotate_one(index: int, annotator: Annotator) -> tuple[AnnotatedDocument, tuple | None]:
    """Annotate one document (in a worker process when there are many); also the glossary matches
    in its blocks, for its cache key, when the cache is kept. The document itself is not sent back:
    the caller has it."""
    document = annotator.documents[index]
    known = annotator.known[index]
    try:
        matches = known if known is not None else _block_matches(document, annotator.matcher)
        item = annotate(document, annotator.matcher, annotator.notes[index], annotator.titles, annotator.options, matches)
    except Exception as exc:
        raise unexpected(exc, document.meta.seed) from exc
    return dataclasses.replace(item, document=None), matches if annotator.kept else None


def _digested(value: tuple) -> tuple[tuple, str]:
    """A value with a digest of it, so cache keys can hold the small digest instead."""
    return value, digest(value)
