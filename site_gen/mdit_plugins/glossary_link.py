"""markdown-it plugin: glossary links and term mentions.

In the annotated Markdown a glossary link is an ordinary link to ``../glossary/<slug>.md``. This
plugin recognises such links and gives each a stable id (``t-<slug>-<n>``) and the attributes the
theme's popovers use. With a matcher in the env it also marks the *unlinked* mentions of terms
(so the concordance can point at every occurrence), or, for glossary pages, links the first mention
of other terms. Occurrences are collected for the concordance as keyword-in-context lines: the words
of the term and the sentence around them.

State lives under ``env["glossary"]`` (a :class:`GlossaryEnv`).
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Sequence
from functools import cached_property
from typing import Any, TypedDict

from markdown_it import MarkdownIt
from markdown_it.rules_core import StateCore
from markdown_it.token import Token

GLOSSARY_HREF = re.compile(r"(?:^|/)glossary/([a-z0-9][a-z0-9-]*)\.md$")
SNIPPET_CHARS = 220


class GlossaryEnv(TypedDict, total=False):
    find: Callable[[str], Sequence[Any]]
    """The term matcher's ``find`` (matches with ``start``, ``end``, ``slug``); absent: links only."""
    mode: str
    """``mentions`` (mark unlinked mentions) or ``links`` (link the first mention of each term)."""
    exclude: str
    """A slug never linked or marked (a glossary page's own term)."""
    occurrences: list[dict[str, Any]]
    """Output: ``{term, anchor, before, keyword, after, linked}`` in reading order (the keyword and its
    context: see :class:`Contexts`)."""


class _PageTerms:
    """One page's glossary pass so far: its env, the anchors given to each term, the terms linked."""

    def __init__(self, env: GlossaryEnv) -> None:
        self.env = env
        self.counts: dict[str, int] = {}
        self.linked_once: set[str] = set()

    def anchor(self, slug: str) -> str:
        """The next anchor of the term ``slug``: ``t-<slug>-<n>``."""
        self.counts[slug] = self.counts.get(slug, 0) + 1
        return f"t-{slug}-{self.counts[slug]}"


def glossary_link_plugin(md: MarkdownIt) -> None:
    md.core.ruler.push("glossary_link", _glossary_rule)
    md.add_render_rule("term_mention_open", _render_mention_open)
    md.add_render_rule("term_mention_close", _render_mention_close)


def _glossary_rule(state: StateCore) -> None:
    env: GlossaryEnv | None = state.env.get("glossary")
    if env is None:
        return
    env.setdefault("occurrences", [])
    page = _PageTerms(env)
    in_heading = False
    for token in state.tokens:
        if token.type == "heading_open":
            in_heading = True
        elif token.type == "heading_close":
            in_heading = False
        elif token.type == "inline" and token.children and not in_heading:
            token.children = _process_inline(token.children, page)


def _process_inline(children: list[Token], page: _PageTerms) -> list[Token]:
    env = page.env
    plain = "".join(_plain(child) for child in children)
    found = list(env["find"](plain)) if "find" in env else []
    if not found and not any(child.type == "link_open" for child in children):
        return children
    contexts = Contexts(plain)
    result: list[Token] = []
    offset = 0
    next_match = 0
    in_link = False
    open_record: tuple[int, dict[str, Any]] | None = None
    for child in children:
        if child.type == "link_open":
            in_link = True
            slug = _glossary_slug(child)
            if slug:
                open_record = (offset, _link_occurrence(child, slug, page))
                page.linked_once.add(slug)
        elif child.type == "link_close":
            in_link = False
            if open_record:
                start, record = open_record
                record.update(contexts.around(start, offset))
                open_record = None
        length = len(_plain(child))
        inside, next_match = _matches_within(found, next_match, offset, offset + length)
        if child.type == "text" and not in_link and inside:
            result.extend(_split_mentions(child, offset, inside, contexts, page))
        else:
            result.append(child)
        offset += length
    return result


def _matches_within(found: Sequence[Any], first: int, start: int, end: int) -> tuple[list[Any], int]:
    """The matches lying wholly in ``[start, end)``, searched from ``found[first]`` on (``found`` is
    sorted and non-overlapping), and where the next search starts: one pass over all the children."""
    while first < len(found) and found[first].start < start:
        first += 1
    last = first
    while last < len(found) and found[last].start < end:
        last += 1
    return [match for match in found[first:last] if match.end <= end], last


def _glossary_slug(token: Token) -> str:
    match = GLOSSARY_HREF.search(str(token.attrGet("href") or ""))
    return match.group(1) if match else ""


def _link_occurrence(token: Token, slug: str, page: _PageTerms) -> dict[str, Any]:
    anchor = page.anchor(slug)
    token.attrSet("id", anchor)
    token.attrSet("class", "term")
    token.attrSet("data-term", slug)
    if token.attrs.get("title"):
        del token.attrs["title"]
    record = {"term": slug, "anchor": anchor, "before": "", "keyword": "", "after": "", "linked": True}
    page.env["occurrences"].append(record)
    return record


def _split_mentions(token: Token, offset: int, matches: list[Any], contexts: Contexts, page: _PageTerms) -> list[Token]:
    """Wrap each term found in a text token (``matches``: found in the whole inline text, inside this
    token, which starts at ``offset``): a mention span, or (``links`` mode) a first link."""
    text = token.content
    pieces: list[Token] = []
    position = 0
    env = page.env
    as_link = env.get("mode") == "links"
    for match in matches:
        slug, start, end = match.slug, match.start - offset, match.end - offset
        if slug == env.get("exclude") or (as_link and slug in page.linked_once):
            continue
        pieces.append(_text(text[position:start]))
        anchor = page.anchor(slug)
        inner = _text(text[start:end])
        if as_link:
            page.linked_once.add(slug)
            pieces.extend(_link_tokens(slug, anchor, inner))
        else:
            pieces.extend(_mention_tokens(slug, anchor, inner))
            env["occurrences"].append({"term": slug, "anchor": anchor, "linked": False,
                                       **contexts.around(match.start, match.end)})
        position = end
    if not pieces:
        return [token]
    pieces.append(_text(text[position:]))
    return [piece for piece in pieces if piece.type != "text" or piece.content]


def _text(content: str) -> Token:
    token = Token("text", "", 0)
    token.content = content
    return token


def _mention_tokens(slug: str, anchor: str, inner: Token) -> list[Token]:
    opening = Token("term_mention_open", "span", 1)
    opening.attrs = {"class": "term-mention", "id": anchor, "data-term": slug}
    return [opening, inner, Token("term_mention_close", "span", -1)]


def _link_tokens(slug: str, anchor: str, inner: Token) -> list[Token]:
    opening = Token("link_open", "a", 1)
    opening.attrs = {"href": f"../glossary/{slug}.md", "id": anchor, "class": "term", "data-term": slug}
    return [opening, inner, Token("link_close", "a", -1)]


def _plain(token: Token) -> str:
    if token.type in ("text", "code_inline"):
        return token.content
    if token.type in ("softbreak", "hardbreak"):
        return " "
    return ""


_SENTENCE_START = re.compile(r"[.!?…][\"'”’)]*\s+")
_SENTENCE_END = re.compile(r"[.!?…][\"'”’)]*(?=\s|$)")


class Contexts:
    """Keyword-in-context lines for the terms of one text: the sentence around each, cut to about
    :data:`SNIPPET_CHARS` with ellipses. The sentence bounds are found once for the whole text, so
    a long paragraph naming a term in every sentence costs its length, not its length times its
    mentions."""

    def __init__(self, text: str) -> None:
        self.text = text

    @cached_property
    def _bounds(self) -> tuple[list[int], list[int], list[int]]:
        """Where sentences start, and where each sentence end's punctuation starts and stops."""
        starts = [match.end() for match in _SENTENCE_START.finditer(self.text)]
        ends = [(match.start(), match.end()) for match in _SENTENCE_END.finditer(self.text)]
        return starts, [found for found, _ in ends], [after for _, after in ends]

    def around(self, start: int, end: int) -> dict[str, str]:
        """``{before, keyword, after}`` for the keyword ``text[start:end]``."""
        text = self.text
        sentence_start, sentence_end = self._sentence(start, end)
        left, right = sentence_start, sentence_end
        half = SNIPPET_CHARS // 2
        prefix = suffix = ""
        if start - left > half:
            left = text.rfind(" ", max(left, start - SNIPPET_CHARS), start - half) + 1 or start - half
            prefix = "…"
        if right - end > half:
            cut = text.find(" ", end + half, min(right, end + SNIPPET_CHARS))
            right = cut if cut > 0 else right
            suffix = "…" if right < sentence_end else ""
        return {"before": prefix + text[left:start].lstrip(), "keyword": text[start:end],
                "after": text[end:right].rstrip() + suffix}

    def _sentence(self, start: int, end: int) -> tuple[int, int]:
        """Where the sentence holding ``text[start:end]`` starts and ends."""
        starts, end_marks, ends = self._bounds
        before = bisect_right(starts, start) - 1
        after = bisect_left(end_marks, end)
        return starts[before] if before >= 0 else 0, ends[after] if after < len(ends) else len(self.text)


def _render_mention_open(self, tokens: Sequence[Token], idx: int, options, env) -> str:
    return "<span" + self.renderAttrs(tokens[idx]) + ">"


def _render_mention_close(self, tokens: Sequence[Token], idx: int, options, env) -> str:
    return "</span>"
