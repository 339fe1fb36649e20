"""markdown-it plugin: footnotes that are also sidenotes.

Each footnote reference is followed by a ``<span class="sidenote" hidden>`` holding the note, so the
theme can set it in the margin on wide screens (Tufte style) with CSS alone; the footnote list at the
end stays for narrow screens, print and readers without CSS. The theme shows one or the other, never
both, so screen readers meet each note once; ``hidden``, which only the theme's CSS overrides, keeps
the copy out of the text that reader modes, text browsers and pages without CSS show. A note's text
takes the direction of its own letters (``dir="auto"``): an English note on an Arabic article reads
left to right, in the left margin. The brackets of a marker (``[1]``) are text, so that it does not
run into the word before it without CSS or in copied text; a theme may hide them (``.footnote-bracket``).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from markdown_it import MarkdownIt
from markdown_it.rules_core import StateCore
from markdown_it.token import Token

_BLOCK_TAGS = re.compile(r"<(/?)(p|ul|ol|li|blockquote)\b[^>]*>")
_ID = re.compile(r' id="[^"]*"')
"""Ids inside a note body are dropped in its sidenote copy: the footnote list keeps them, once."""


def sidenote_plugin(md: MarkdownIt, *, heading: str = "Notes") -> None:
    """Call after ``footnote_plugin``; ``heading`` titles the footnote list."""
    md.core.ruler.push("sidenote_bodies", _collect_bodies)
    md.add_render_rule("footnote_ref", _render_ref)
    md.add_render_rule("footnote_block_open", lambda self, tokens, idx, options, env: (
        f'<section class="footnotes" role="doc-endnotes" aria-labelledby="notes-heading">\n'
        f'<h2 id="notes-heading">{heading}</h2>\n<ol class="footnotes-list">\n'
    ))
    md.add_render_rule("footnote_block_close", lambda self, tokens, idx, options, env: "</ol>\n</section>\n")
    md.add_render_rule("footnote_anchor", _render_backref)
    item = md.renderer.rules["footnote_open"]
    md.add_render_rule("footnote_open", lambda self, tokens, idx, options, env: (
        item(tokens, idx, options, env).replace(">", ' dir="auto">', 1)))


def _collect_bodies(state: StateCore) -> None:
    """Render each footnote's content once, as phrasing content, for the sidenotes."""
    bodies: dict[int, str] = {}
    current: list[Token] | None = None
    number = -1
    for token in state.tokens:
        if token.type == "footnote_open":
            current, number = [], token.meta["id"]
        elif token.type == "footnote_close" and current is not None:
            html = state.md.renderer.render(current, state.md.options, state.env)
            bodies[number] = _ID.sub("", _BLOCK_TAGS.sub(_to_span, html)).strip()
            current = None
        elif current is not None and token.type != "footnote_anchor":
            current.append(token)
    state.env["sidenotes"] = bodies


def _to_span(match: re.Match[str]) -> str:
    return f"<{match.group(1)}span class=\"sidenote-{match.group(2)}\">" if not match.group(1) else "</span>"


def _render_ref(self, tokens: Sequence[Token], idx: int, options, env) -> str:
    meta = tokens[idx].meta
    number = meta["id"] + 1
    ref_id = f"fnref{number}" + (f"-{meta['subId']}" if meta.get("subId", 0) > 0 else "")
    body = env.get("sidenotes", {}).get(meta["id"], "")
    reference = (
        f'<sup class="footnote-ref"><a href="#fn{number}" id="{ref_id}" data-note="{number}" '
        f'role="doc-noteref" aria-label="Note {number}"><span class="footnote-bracket">[</span>{number}'
        f'<span class="footnote-bracket">]</span></a></sup>'
    )
    if meta.get("subId", 0) > 0 or not body:
        return reference
    return reference + (
        f'<span class="sidenote" id="sn{number}" role="note" hidden><span class="sidenote-text" dir="auto">'
        f'<span class="sidenote-number">{number}</span> {body}</span></span>'
    )


def _render_backref(self, tokens: Sequence[Token], idx: int, options, env) -> str:
    meta = tokens[idx].meta
    number = meta["id"] + 1
    ref_id = f"fnref{number}" + (f"-{meta['subId']}" if meta.get("subId", 0) > 0 else "")
    return f' <a href="#{ref_id}" class="footnote-backref" aria-label="Back to the text of note {number}">↩︎</a>'
