"""markdown-it plugin: glossary links and term mentions.

In the annotated Markdown a glossary link is an ordinary link to ``../glossary/<slug>.md``. This
plugin recognises such links and gives each a stable id (``t-<slug>-<n>``) and the attributes the
theme's popovers use. With a matcher in the env it also marks the *unlinked* mentions of terms
(so the concordance can point at every occurrence), or, for glossary pages, links the first mention
of other terms. Occurrences, with the sentence around each, are collected for the concordance.

State lives under ``env["glossary"]`` (a :class:`GlossaryEnv`).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
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
    known: frozenset[str]
    """Slugs of the glossary entries that exist."""
    occurrences: list[dict[str, Any]]
    """Output: ``{term, anchor, snippet, linked}`` in reading order."""
    missing: list[str]
    """Output: glossary slugs linked to that have no entry."""


def glossary_link_plugin(md: MarkdownIt) -> None:
    md.core.ruler.push("glossary_link", _glossary_rule)
    md.add_render_rule("term_mention_open", _render_mention_open)
    md.add_render_rule("term_mention_close", _render_mention_close)


def _glossary_rule(state: StateCore) -> None:
    env: GlossaryEnv | None = state.env.get("glossary")
    if env is None:
        return
    env.setdefault("occurrences", [])
    env.setdefault("missing", [])
    counts: dict[str, int] = {}
    linked_once: set[str] = set()
    in_heading = False
    for token in state.tokens:
        if token.type == "heading_open":
            in_heading = True
        elif token.type == "heading_close":
            in_heading = False
        elif token.type == "inline" and token.children and not in_heading:
            token.children = _process_inline(token.children, env, counts, linked_once, state)


def _process_inline(children: list[Token], env: GlossaryEnv, counts: dict[str, int],
                    linked_once: set[str], state: StateCore) -> list[Token]:
    plain = "".join(_plain(child) for child in children)
    found = list(env["find"](plain)) if "find" in env else []
    if not found and not any(child.type == "link_open" for child in children):
        return children
    result: list[Token] = []
    offset = 0
    in_link = False
    open_record: tuple[int, dict[str, Any]] | None = None
    for child in children:
        if child.type == "link_open":
            in_link = True
            slug = _glossary_slug(child)
            if slug:
                open_record = (offset, _link_occurrence(child, slug, env, counts))
                linked_once.add(slug)
        elif child.type == "link_close":
            in_link = False
            if open_record:
                start, record = open_record
                record["snippet"] = _snippet(plain, start, offset)
                open_record = None
        length = len(_plain(child))
        inside = [m for m in found if offset <= m.start and m.end <= offset + length] if found else []
        if child.type == "text" and not in_link and inside:
            result.extend(_split_mentions(child, offset, inside, plain, env, counts, linked_once))
        else:
            result.append(child)
        offset += length
    return result


def _glossary_slug(token: Token) -> str:
    match = GLOSSARY_HREF.search(str(token.attrGet("href") or ""))
    return match.group(1) if match else ""


def _link_occurrence(token: Token, slug: str, env: GlossaryEnv, counts: dict[str, int]) -> dict[str, Any]:
    if slug not in env.get("known", frozenset({slug})):
        env["missing"].append(slug)
    counts[slug] = counts.get(slug, 0) + 1
    anchor = f"t-{slug}-{counts[slug]}"
    token.attrSet("id", anchor)
    token.attrSet("class", "term")
    token.attrSet("data-term", slug)
    if token.attrs.get("title"):
        del token.attrs["title"]
    record = {"term": slug, "anchor": anchor, "snippet": "", "linked": True}
    env["occurrences"].append(record)
    return record


def _split_mentions(token: Token, offset: int, matches: list[Any], plain: str, env: GlossaryEnv,
                    counts: dict[str, int], linked_once: set[str]) -> list[Token]:
    """Wrap each term found in a text token (``matches``: found in the whole inline text, inside this
    token, which starts at ``offset``): a mention span, or (``links`` mode) a first link."""
    text = token.content
    pieces: list[Token] = []
    position = 0
    as_link = env.get("mode") == "links"
    for match in matches:
        slug, start, end = match.slug, match.start - offset, match.end - offset
        if slug == env.get("exclude") or (as_link and slug in linked_once):
            continue
        pieces.append(_text(text[position:start]))
        counts[slug] = counts.get(slug, 0) + 1
        anchor = f"t-{slug}-{counts[slug]}"
        inner = _text(text[start:end])
        if as_link:
            linked_once.add(slug)
            pieces.extend(_link_tokens(slug, anchor, inner))
        else:
            pieces.extend(_mention_tokens(slug, anchor, inner))
            env["occurrences"].append({"term": slug, "anchor": anchor, "linked": False,
                                       "snippet": _snippet(plain, match.start, match.end)})
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


def _snippet(text: str, start: int, end: int) -> str:
    """The sentence around ``text[start:end]``, cut to about :data:`SNIPPET_CHARS` with ellipses."""
    sentence_start = 0
    for match in _SENTENCE_START.finditer(text, 0, start):
        sentence_start = match.end()
    found = _SENTENCE_END.search(text, end)
    sentence_end = found.end() if found else len(text)
    left, right = sentence_start, sentence_end
    half = SNIPPET_CHARS // 2
    prefix = suffix = ""
    if start - left > half:
        left = text.rfind(" ", left, start - half) + 1 or start - half
        prefix = "…"
    if right - end > half:
        cut = text.find(" ", end + half, right)
        right = cut if cut > 0 else right
        suffix = "…" if right < sentence_end else ""
    return prefix + text[left:right].strip() + suffix


def _render_mention_open(self, tokens: Sequence[Token], idx: int, options, env) -> str:
    return "<span" + self.renderAttrs(tokens[idx]) + ">"


def _render_mention_close(self, tokens: Sequence[Token], idx: int, options, env) -> str:
    return "</span>"
