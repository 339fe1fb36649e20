"""What live preview shows and tells: the published build's pages (:class:`Shown`), the overlay's
list of problems, each with the page and the place on it when there is one, and the terminal's
lines for the problems a rebuild found that the one before it had not."""

from __future__ import annotations

from collections.abc import Iterable
from functools import cached_property
from pathlib import PurePosixPath

from ..annotate.notes import NOTES_DIR
from ..diagnostics import Diagnostic, Diagnostics, Severity
from ..model import AnnotatedDocument, Glossary
from ..pipeline import BuildResult
from ..urls import article_url


class Shown:
    """The pages the browsers are shown: the last published build, looked up by the files its pages
    come from. Each lookup table is made when first asked for (most rebuilds need none)."""

    def __init__(self, result: BuildResult | None = None):
        self.result = result

    @cached_property
    def annotated(self) -> dict[str, AnnotatedDocument]:
        """The annotated articles by slug: their notes, as anchored, and their orphans."""
        return {item.document.meta.slug: item for item in self.result.annotated} if self.result else {}

    @cached_property
    def glossary(self) -> Glossary:
        site = self.result.site if self.result else None
        return site.glossary if site is not None else Glossary(())

    @cached_property
    def url_by_source(self) -> dict[str, str]:
        """Site-relative URL of the page made from each seed, content file and notes file."""
        urls: dict[str, str] = {}
        site = self.result.site if self.result else None
        if site is not None:
            for page in (*site.articles, *site.pages, *site.glossary_pages):
                urls[page.source.path] = page.url
                if page.meta.seed:
                    urls[page.meta.seed] = page.url
        for slug in self.annotated:
            urls.setdefault(f"{NOTES_DIR}/{slug}.yml", article_url(slug))
        return urls


def overlay(diagnostics: Iterable[Diagnostic], shown: Shown, held: bool) -> dict:
    """The overlay's content: whether the pages are the last good version (``held``: this build's
    errors kept it from being published) and every error and warning, errors first."""
    items = sorted((d for d in diagnostics if d.severity >= Severity.WARNING), key=lambda d: -d.severity)
    return {"held": held, "items": [_item(d, shown) for d in items]}


def _item(diagnostic: Diagnostic, shown: Shown) -> dict:
    item = {"severity": diagnostic.severity.label, "text": diagnostic.format(), "code": diagnostic.code}
    location = diagnostic.location
    if location is None:
        return item
    path = location.path
    if path.endswith(".yaml") and path.startswith(NOTES_DIR):
        path = path[:-5] + ".yml"
    url = shown.url_by_source.get(path)
    if url is not None:
        item["url"] = url
    slug = PurePosixPath(path).stem
    article = shown.annotated.get(slug) if path.startswith(NOTES_DIR) else None
    if article is not None:
        item.update(_note_place(diagnostic, article))
    elif diagnostic.code == "crossref-missing":
        item.update(_crossref_place(diagnostic, shown, url))
    return item


def _note_place(diagnostic: Diagnostic, article: AnnotatedDocument) -> dict:
    """A note anchored by a fuzzy match: its marker; an orphaned note: what re-anchoring it needs."""
    for anchored in article.anchored_notes:
        if anchored.note.location == diagnostic.location:
            return {"target": f"fnref{anchored.number}"}
    for orphan in article.orphans:
        if orphan.note.location == diagnostic.location:
            return {"orphan": {"slug": article.document.meta.slug, "line": orphan.note.location.line,
                               "quote": orphan.note.quote}}
    return {}


def _crossref_place(diagnostic: Diagnostic, shown: Shown, url: str | None) -> dict:
    """A "(See: ...)" naming no article: its text on the article's page."""
    for item in shown.annotated.values():
        if item.document.meta.seed == diagnostic.location.path and url is not None:
            for ref in item.document.cross_refs:
                if ref.line == diagnostic.location.line:
                    return {"text_on_page": ref.title}
    return {}


def told(diagnostics: Iterable[Diagnostic]) -> set[str]:
    """The warnings and errors as the terminal shows them."""
    return {d.format() for d in diagnostics if d.severity >= Severity.WARNING}


def new_problems(diagnostics: Iterable[Diagnostic], shown: set[str]) -> str:
    """The warnings and errors not in ``shown`` (the texts the terminal already showed), formatted
    as ``build`` prints them."""
    return Diagnostics([d for d in diagnostics if d.severity >= Severity.WARNING and d.format() not in shown]).format()
