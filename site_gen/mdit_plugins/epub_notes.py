"""markdown-it plugin: footnotes as EPUB 3 footnotes, which e-readers show as pop-ups.

Each reference is ``<a epub:type="noteref">``, each note an ``<aside epub:type="footnote">`` at the
end of the chapter (readers that do not pop notes up show them there, with a link back). Used in
place of ``sidenote`` for the e-book; call after ``footnote_plugin``.
"""

from __future__ import annotations

from collections.abc import Sequence

from markdown_it import MarkdownIt
from markdown_it.token import Token


def epub_notes_plugin(md: MarkdownIt, *, heading: str = "Notes") -> None:
    md.add_render_rule("footnote_ref", _render_ref)
    md.add_render_rule("footnote_block_open", lambda self, tokens, idx, options, env: (
        f'<section class="footnotes" epub:type="footnotes" role="doc-endnotes">\n<h2>{heading}</h2>\n'))
    md.add_render_rule("footnote_block_close", lambda self, tokens, idx, options, env: "</section>\n")
    md.add_render_rule("footnote_open", lambda self, tokens, idx, options, env: (
        f'<aside id="fn{tokens[idx].meta["id"] + 1}" epub:type="footnote" role="doc-footnote">\n'))
    md.add_render_rule("footnote_close", lambda self, tokens, idx, options, env: "</aside>\n")
    md.add_render_rule("footnote_anchor", _render_backref)


def _ref_id(meta: dict) -> str:
    number = meta["id"] + 1
    return f"fnref{number}" + (f"-{meta['subId']}" if meta.get("subId", 0) > 0 else "")


def _render_ref(self, tokens: Sequence[Token], idx: int, options, env) -> str:
    meta = tokens[idx].meta
    number = meta["id"] + 1
    return (f'<sup><a epub:type="noteref" role="doc-noteref" href="#fn{number}" id="{_ref_id(meta)}">'
            f"{number}</a></sup>")


def _render_backref(self, tokens: Sequence[Token], idx: int, options, env) -> str:
    meta = tokens[idx].meta
    return f' <a href="#{_ref_id(meta)}" role="doc-backlink">↩</a>'
