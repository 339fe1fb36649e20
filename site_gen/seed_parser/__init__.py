"""``parse_seed``: a decoded seed to a :class:`Document` (title, byline, body blocks, cross-references).

One module per quirk: ``byline`` (headline, author, date), ``paragraphs`` (joins, tables,
subheadings), ``footer`` (site footers and sign-offs), ``crossrefs`` ("(See: ...)").
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable
from pathlib import PurePosixPath

from ..casing import titlecase_headline
from ..config import SeedsSection
from ..diagnostics import Diagnostic, SourceLocation, info, warning
from ..model import Block, Document, DocumentMeta, Omission, Seed
from ..record import record
from ..text import shorten, slugify
from . import byline, footer, paragraphs
from .crossrefs import find_cross_refs

FALLBACK_TITLE_WORDS = 8


@record
class ParseSettings:
    """The site's settings every seed is parsed with (:func:`parse_seed`'s, for worker processes)."""

    seeds: SeedsSection
    author: str
    language: str


def parse_seed(seed: Seed, options: SeedsSection, default_author: str = "", default_language: str = "en") -> Document:
    """Understand one seed. The slug is provisional: :func:`assign_slugs` makes slugs unique.
    ``default_language``: the site's, for the headline's title case when the seed sets none."""
    stem = PurePosixPath(seed.path).stem
    diagnostics: list[Diagnostic] = list(seed.diagnostics)
    overrides = seed.overrides
    if seed.markdown:
        headline, blocks, omitted = _markdown_blocks(seed)
        found_byline = None
    else:
        lines = [(seed.body_line + i, line.rstrip()) for i, line in enumerate(seed.text.split("\n"))]
        header = byline.split_header(lines, overrides.title)
        headline, found_byline = header.headline, header.byline
        blocks, footer_omitted = _body_blocks(header.body, options, seed.path, diagnostics)
        omitted = header.omitted + footer_omitted
    language = overrides.language or ""
    if headline and options.titlecase_headlines:
        headline = titlecase_headline(headline, language or default_language)

    title = overrides.title or headline or byline.title_from_filename(stem) or _opening_words(blocks)
    if not (overrides.title or headline):
        diagnostics.append(
            info(f"no headline; using the title {title!r}", SourceLocation(seed.path, seed.body_line),
                 f"set one in {PurePosixPath(seed.path).with_suffix('.yml')} (title: ...)", code="no-headline")
        )
    date = overrides.date or (found_byline.date if found_byline else "") or byline.date_from_filename(stem)
    author = overrides.author or (found_byline.author if found_byline else "") or default_author
    slug_base = overrides.slug or (title if options.slug_from == "title" else stem)
    meta = DocumentMeta(
        title=title or stem,
        slug=slugify(slug_base) or slugify(stem) or "article",
        author=author,
        date=date,
        seed=seed.path,
        source=overrides.source or "",
        tags=overrides.tags or (),
        language=language,
    )
    block_tuple = tuple(blocks)
    return Document(meta, block_tuple, find_cross_refs(block_tuple), tuple(diagnostics), omitted)


def _body_blocks(lines: list[paragraphs.Line], options: SeedsSection, path: str,
                 diagnostics: list[Diagnostic]) -> tuple[list[Block], tuple[Omission, ...]]:
    raw = paragraphs.split_raw_blocks(lines)
    raw, dropped = footer.drop_footer(raw, footer.compile_patterns(options.footer_patterns))
    omitted: tuple[Omission, ...] = ()
    if dropped:
        first, last = dropped[0][0][0], dropped[-1][-1][0]
        text = " ".join(" ".join(line.split()) for block in dropped for _, line in block)
        diagnostics.append(info(f"dropped the site footer ({len(text.split())} words): {shorten(text)!r}",
                                SourceLocation(path, first), code="footer"))
        omitted = (Omission("footer", first, last),)
    blocks = [block for group in raw for block in paragraphs.block_paragraphs(group)]
    blocks = paragraphs.repair_breaks(blocks)
    return paragraphs.mark_headings(blocks), omitted


_MD_HEADING = re.compile(r"^#\s+(.+?)\s*#*\s*$", re.MULTILINE)


def _markdown_blocks(seed: Seed) -> tuple[str, list[Block], tuple[Omission, ...]]:
    """A Markdown seed is one block of Markdown; its first ``# heading`` can serve as the title."""
    text = seed.text
    match = _MD_HEADING.search(text)
    headline = ""
    omitted: tuple[Omission, ...] = ()
    if match and not text[: match.start()].strip():
        headline = match.group(1)
        heading_line = seed.body_line + text.count("\n", 0, match.start())
        omitted = (Omission("headline", heading_line, heading_line),)
        text = text[match.end() :].lstrip("\n")
    line = seed.body_line + seed.text.count("\n", 0, len(seed.text) - len(text))
    return headline, ([Block("markdown", text, line)] if text.strip() else []), omitted


def _opening_words(blocks: list[Block]) -> str:
    for block in blocks:
        words = block.text.split()
        if any(c.isalnum() for c in block.text):
            title = " ".join(words[:FALLBACK_TITLE_WORDS])
            return title + ("…" if len(words) > FALLBACK_TITLE_WORDS else "")
    return ""


def assign_slugs(documents: list[Document], rename: Callable[[Document, str], Document] | None = None,
                 ) -> tuple[list[Document], list[Diagnostic]]:
    """Make slugs unique: the first seed (by path) keeps the slug, later ones get ``-2``, ``-3``; reported.

    ``rename(document, slug)`` makes the renamed copy (the build passes a cached one)."""
    rename = rename or with_slug
    taken: set[str] = set()
    result = []
    diagnostics = []
    for document in sorted(documents, key=lambda d: d.meta.seed):
        slug = document.meta.slug
        if slug in taken:
            number = 2
            while f"{slug}-{number}" in taken:
                number += 1
            new_slug = f"{slug}-{number}"
            diagnostics.append(
                warning(f"another seed already has the slug '{slug}'; this one is '{new_slug}'",
                        SourceLocation(document.meta.seed, 1),
                        "give one of them a different title, or set slug: in its sidecar .yml",
                        code="slug-collision")
            )
            document = rename(document, new_slug)
        taken.add(document.meta.slug)
        result.append(document)
    return result, diagnostics


def with_slug(document: Document, slug: str) -> Document:
    meta = document.meta
    return dataclasses.replace(document, meta=dataclasses.replace(meta, slug=slug))
