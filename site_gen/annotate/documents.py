"""``annotate_all``: the annotate stage over every document, through the build cache and worker processes."""

from __future__ import annotations

import dataclasses

from ..cache import BuildCache, Stage, digest
from ..config import SiteConfig
from ..diagnostics import unexpected
from ..model import AnnotatedDocument, Document, Note
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
    found: dict[int, tuple]
    """The glossary matches of the document just annotated, for its check (found once, used twice)."""


def _annotate_one(index: int, annotator: Annotator) -> AnnotatedDocument:
    """Annotate one document (in a worker process when there are many). The document itself is not
    sent back: the caller has it."""
    document = annotator.documents[index]
    try:
        matches = _block_matches(document, annotator.matcher)
        item = annotate(document, annotator.matcher, annotator.notes[index], annotator.titles, annotator.options, matches)
    except Exception as exc:
        raise unexpected(exc, document.meta.seed) from exc
    annotator.found.clear()
    annotator.found[index] = matches
    return dataclasses.replace(item, document=None)


def _matches(index: int, annotator: Annotator, _: AnnotatedDocument) -> str:
    """The check of an annotated document: the glossary matches in its text (another glossary leaves
    it alone unless its text matches differently)."""
    found = annotator.found.pop(index, None)
    return digest(found if found is not None else _block_matches(annotator.documents[index], annotator.matcher))


ANNOTATE = Stage("annotated", _annotate_one, parallel=True, check=_matches)


def annotate_all(documents: list[Document], terms: Terms, notes: dict[str, tuple[Note, ...]], config: SiteConfig,
                 cache: BuildCache, jobs: int) -> list[AnnotatedDocument]:
    """Annotate every document (each carries its diagnostics); a document is re-annotated only when
    something it uses changed: its text, its notes, the articles its "(See: ...)" name, or (its
    check) the glossary matches in its text."""
    titles = {title_key(d.meta.title): d.meta.slug for d in documents}
    options = AnnotateOptions(config.glossary.link, config.notes.fuzzy_threshold)
    settings = digest(options)
    used = [notes.get(document.meta.slug, ()) for document in documents]
    keys = [(cache.key_of(document), cache.keys_of(found), settings,
             tuple((ref.title, titles.get(title_key(ref.title))) for ref in document.cross_refs))
            for document, found in zip(documents, used, strict=True)]
    annotator = Annotator(terms.matcher, titles, options, documents, used, {})
    made = cache.run(ANNOTATE, keys, lambda i: i, annotator, jobs, context=terms.key)
    return [cache.remember(dataclasses.replace(item, document=document), cache.key_of(item))
            for item, document in zip(made, documents, strict=True)]


def _block_matches(document: Document, matcher: TermMatcher) -> tuple:
    return tuple(tuple(matcher.find(block.text)) for block in document.blocks)
