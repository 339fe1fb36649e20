"""The text integrity check: every word of a seed is on its article's page.

A seed's words, less what the parser takes out on purpose (the headline and byline, which become
the title and byline, and a site footer, listed when it is dropped), are compared with the words of
the rendered article body. Words are runs of letters and digits, so the intended changes (paragraphs
joined, typographic quotes and dashes, Markdown escapes) compare equal, and what differs is text a
reader would not see: each passage is reported at its seed line, cut to a readable length.

The words are compared in one pass; only an article whose words differ is aligned with its seed
(``difflib``) to find the passages. ``check_integrity`` is the stage: every article, through the build cache.
"""

from __future__ import annotations

import difflib
import re

from .cache import BuildCache, Stage
from .content import INTEGRITY_EDITED
from .diagnostics import Diagnostic, SourceLocation, warning
from .markdown import MARKDOWN_RENDERER, LinkContext, MarkdownRenderer
from .model import ContentFile, Document, Omission, Page, Seed
from .record import record
from .text import shorten, words

_WORD = re.compile(r"\w+")
PASSAGE_CHARS = 80
"""A lost passage is quoted up to this length."""
EXACT_ALIGNMENT_WORDS = 5000
"""Texts with more differing words than this are aligned with difflib's heuristic for frequent
words (fast; the passages it finds may be a little longer than the loss)."""


@record
class Source:
    """The words a page must show: a seed's text less the lines taken out on purpose."""

    path: str
    """The seed (``seeds/x.txt``)."""
    text: str
    """The text to compare, line for line from ``first_line`` on (taken-out lines are empty)."""
    first_line: int = 1
    markdown: str = ""
    """For a Markdown seed, its Markdown (``text`` is then its plain text, whose lines are not the
    seed's): where a passage is looked up for its line."""


def kept_text(text: str, first_line: int, omitted: tuple[Omission, ...]) -> str:
    """``text`` (a seed body starting at ``first_line``) with the omitted lines emptied, so every
    other word stays on its line."""
    if not omitted:
        return text
    lines = text.split("\n")
    for omission in omitted:
        for number in range(omission.first, omission.last + 1):
            if 0 <= number - first_line < len(lines):
                lines[number - first_line] = ""
    return "\n".join(lines)


def check_page(source: Source, page_text: str, article: str, edited: bool) -> tuple[Diagnostic, ...]:
    """A warning for each passage of ``source`` that is not in ``page_text`` (the plain text of the
    rendered article ``article``); ``edited``: the article was edited by hand."""
    if words(source.text) == words(page_text):
        return ()
    found = list(_WORD.finditer(source.text))
    expected = [match.group() for match in found]
    shown = _WORD.findall(page_text)
    hint = (f"{article} was edited by hand: if this was removed on purpose, add 'integrity: edited' to its front matter"
            if edited else f"site-gen lost this text of the seed in {article}: please report it, with the seed")
    problems = []
    for start, end in _missing(expected, shown):
        passage = _widened(source.text, found[start].start(), found[end - 1].end())
        problems.append(warning(f"{shorten(passage, PASSAGE_CHARS)!r} ({end - start} words) is not on the page",
                                SourceLocation(source.path, _line(source, found[start].start(), expected[start:end])),
                                hint, code="integrity"))
    return tuple(problems)


def _missing(expected: list[str], shown: list[str]) -> list[tuple[int, int]]:
    """The runs ``[start, end)`` of ``expected`` that ``shown`` does not have, in order."""
    head = 0
    while head < min(len(expected), len(shown)) and expected[head] == shown[head]:
        head += 1
    tail = 0
    while tail < min(len(expected), len(shown)) - head and expected[-1 - tail] == shown[-1 - tail]:
        tail += 1
    middle, other = expected[head:len(expected) - tail], shown[head:len(shown) - tail]
    fast = len(middle) + len(other) > EXACT_ALIGNMENT_WORDS
    matcher = difflib.SequenceMatcher(None, middle, other, autojunk=fast)
    return [(head + i1, head + i2) for tag, i1, i2, _, _ in matcher.get_opcodes() if tag in ("delete", "replace")]


def _widened(text: str, start: int, end: int) -> str:
    """``text[start:end]`` with the punctuation around it, to the spaces on either side ("“lost.”")."""
    while start > 0 and not text[start - 1].isspace():
        start -= 1
    while end < len(text) and not text[end].isspace():
        end += 1
    return text[start:end]


def _line(source: Source, offset: int, passage: list[str]) -> int:
    """The seed line of a passage: counted in the text, or looked up in a Markdown seed's Markdown."""
    if not source.markdown:
        return source.first_line + source.text.count("\n", 0, offset)
    found = re.search(r"\W+".join(re.escape(word) for word in passage[:5]), source.markdown)
    return source.first_line + (source.markdown.count("\n", 0, found.start()) if found else 0)


def _check_one(job: tuple[Seed, tuple, Page, str, bool], markdown: MarkdownRenderer) -> tuple[Diagnostic, ...]:
    seed, omitted, page, path, by_hand = job
    return check_page(_integrity_source(seed, omitted, markdown), page.text, path, by_hand)


INTEGRITY = Stage("integrity", _check_one)


def check_integrity(seeds: dict[str, Seed], documents: list[Document], files: list[ContentFile], pages: list[Page],
                    edited: set[str], cache: BuildCache) -> list[Diagnostic]:
    """The text integrity check of every article made from a seed (``pages``: those rendered, the
    first of them from ``files``, in order), but those whose front matter says ``integrity:
    edited``; an article is checked again only when its page, its seed or what the parser took out
    of it changed."""
    omitted = {document.meta.seed: document.omitted for document in documents}
    checked = [(file, page) for file, page in zip(files, pages, strict=False)
               if file.kind == "article" and file.meta.seed in omitted
               and file.integrity != INTEGRITY_EDITED and file.meta.seed in seeds]
    jobs = [(seeds[file.meta.seed], omitted[file.meta.seed], page, file.path, file.path in edited)
            for file, page in checked]
    keys = [(cache.key_of(seed), cache.key_of(taken), cache.key_of(page), path, by_hand)
            for seed, taken, page, path, by_hand in jobs]
    markdown = cache.one(MARKDOWN_RENDERER, "", MarkdownRenderer)
    return [problem for problems in cache.run(INTEGRITY, keys, jobs.__getitem__, markdown) for problem in problems]


def _integrity_source(seed: Seed, omitted: tuple, markdown: MarkdownRenderer) -> Source:
    """What a seed's page must show: its text less the lines taken out; a Markdown seed's as rendered."""
    text = kept_text(seed.text, seed.body_line, omitted)
    if not seed.markdown:
        return Source(seed.path, text, seed.body_line)
    plain = markdown.render(text, LinkContext(resolve=lambda href: None, relative=lambda url: url)).text
    return Source(seed.path, plain, seed.body_line, text)
