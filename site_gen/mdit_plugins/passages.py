"""markdown-it plugin: stable ids on an article's passages, and a pilcrow link beside each.

A passage is a paragraph or heading outside lists and quotes, a list item (nested ones too) or a
whole block quote; footnotes are not passages. The plugin finds them and their plain text, asks
``env["passages"]["assign"]`` for their ids (the caller keeps them stable across revisions), sets
each as the passage's ``id``, and (``links``) adds a ``¶`` link to it at the end of the passage.

State lives under ``env["passages"]`` (a :class:`PassagesEnv`).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, TypedDict

from markdown_it import MarkdownIt
from markdown_it.rules_core import StateCore
from markdown_it.token import Token


class PassagesEnv(TypedDict, total=False):
    assign: Callable[[list[tuple[str, str]]], Any]
    """Given each passage's (kind, plain text), in reading order: a value whose ``passages`` holds
    (id, ...) for each, in the same order."""
    links: bool
    """Add the pilcrow links (the web pages do; the e-book does not)."""
    result: Any
    """Output: what ``assign`` returned."""


def passages_plugin(md: MarkdownIt) -> None:
    """Call after the plugins that set heading ids: a passage's id replaces a heading's."""
    md.core.ruler.push("passages", _passages_rule)
    md.add_render_rule("passage_link", _render_link)


def _passages_rule(state: StateCore) -> None:
    env: PassagesEnv | None = state.env.get("passages")
    if env is None:
        return
    found = _find(state.tokens)
    env["result"] = result = env["assign"]([(kind, " ".join(text).strip()) for _, kind, text, _ in found])
    inserts: list[tuple[int, str]] = []
    for (token, _, _, link_at), (passage_id, *_) in zip(found, result.passages, strict=True):
        token.attrSet("id", passage_id)
        token.attrSet("data-passage", "")
        inserts.append((link_at, passage_id))
    if env.get("links", True):
        for position, passage_id in sorted(inserts, reverse=True):
            link = Token("passage_link", "a", 0)
            link.meta = {"id": passage_id}
            state.tokens.insert(position, link)


def _find(tokens: list[Token]) -> list[tuple[Token, str, list[str], int]]:
    """Each passage: its opening token, kind, text pieces and where its pilcrow link goes (the token
    index it is inserted before): the end of its text, so the pilcrow follows the last word (a
    paragraph's or heading's closing token, a list item's first paragraph's, a quote's last one's)."""
    found: list[tuple[Token, str, list[str], int]] = []
    open_items: list[int] = []  # indexes into found of the list items now open, innermost last
    quote: int | None = None
    quote_end = -1  # the last paragraph end seen in the open quote
    quote_depth = 0
    footnotes = False
    for index, token in enumerate(tokens):
        kind = token.type
        if kind in ("footnote_block_open", "footnote_block_close"):
            footnotes = kind == "footnote_block_open"
        elif footnotes:
            continue
        elif kind == "blockquote_open":
            if quote_depth == 0 and not open_items:
                quote = len(found)
                found.append((token, "quote", [], index))
            quote_depth += 1
        elif kind == "blockquote_close":
            quote_depth -= 1
            if quote_depth == 0 and quote is not None:
                found[quote] = (*found[quote][:3], quote_end if quote_end >= 0 else index)
                quote, quote_end = None, -1
        elif quote_depth:
            if kind == "inline" and quote is not None:
                found[quote][2].append(_plain(token))
            elif kind == "paragraph_close":
                quote_end = index
        elif kind == "list_item_open":
            open_items.append(len(found))
            found.append((token, "item", [], -1))
        elif kind == "list_item_close":
            item = open_items.pop()
            if found[item][3] < 0:
                found[item] = (*found[item][:3], index)
        elif kind in ("paragraph_close", "bullet_list_open", "ordered_list_open") and open_items \
                and found[open_items[-1]][3] < 0:
            found[open_items[-1]] = (*found[open_items[-1]][:3], index)
        elif kind == "inline" and open_items:
            found[open_items[-1]][2].append(_plain(token))
        elif kind in ("paragraph_open", "heading_open") and not open_items:
            found.append((token, "paragraph" if kind == "paragraph_open" else "heading", [], -1))
        elif kind == "inline" and found and found[-1][3] < 0 and found[-1][1] in ("paragraph", "heading"):
            found[-1][2].append(_plain(token))
        elif kind in ("paragraph_close", "heading_close") and not open_items and found and found[-1][3] < 0:
            found[-1] = (*found[-1][:3], index)
    return found


def _plain(token: Token) -> str:
    """The text a reader sees in an inline token: no link targets, no note markers."""
    return "".join(child.content if child.type in ("text", "code_inline")
                   else " " if child.type in ("softbreak", "hardbreak") else "" for child in token.children or ())


def _render_link(self, tokens: Sequence[Token], idx: int, options, env) -> str:
    passage_id = tokens[idx].meta["id"]
    return f'<a class="passage-link" href="#{passage_id}" aria-label="Link to this passage">¶</a>'
