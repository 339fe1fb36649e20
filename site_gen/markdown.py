"""The one Markdown parser configuration, and ``render_markdown``: Markdown text to HTML plus facts.

CommonMark with tables, strikethrough, footnotes (as sidenotes), smart quotes and dashes, heading
ids, Pygments highlighting, and our plugins. Raw HTML is off: HTML written in a seed or note is
shown as text, never passed through.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.rules_core import StateCore
from mdit_py_plugins.anchors import anchors_plugin
from mdit_py_plugins.footnote import footnote_plugin
from pygments import highlight
from pygments.formatters import HtmlFormatter
from pygments.lexers import get_lexer_by_name
from pygments.styles import get_style_by_name
from pygments.util import ClassNotFound

from .cache import local
from .mdit_plugins.content_links import content_links_plugin
from .mdit_plugins.epub_notes import epub_notes_plugin
from .mdit_plugins.glossary_link import glossary_link_plugin
from .mdit_plugins.passages import passages_plugin
from .mdit_plugins.sidenote import sidenote_plugin
from .model import Heading
from .text import slugify

_FORMATTER = HtmlFormatter(nowrap=True)
MARKDOWN_RENDERER = local("markdown-renderer")
"""The build cache's table of the :class:`MarkdownRenderer` (one per process)."""


def _highlight(code: str, language: str, attrs: str) -> str:
    """Pygments spans for a fenced block with a known language; '' lets markdown-it escape it plainly."""
    if not language or language in ("text", "plain"):
        return ""
    try:
        lexer = get_lexer_by_name(language)
    except ClassNotFound:
        return ""
    return highlight(code, lexer, _FORMATTER)


def _heading_id(text: str) -> str:
    return slugify(text, max_length=60) or "section"


def create_markdown(target: str = "web") -> MarkdownIt:
    """The single factory for the parser every page is rendered with: for the web pages, or (``epub``)
    for the e-book, whose notes are EPUB footnotes instead of sidenotes."""
    md = MarkdownIt("commonmark", {"html": False, "typographer": True, "highlight": _highlight})
    md.enable(["table", "strikethrough", "replacements", "smartquotes"])
    md.use(footnote_plugin, inline=False)
    md.use(anchors_plugin, min_level=2, max_level=3, slug_func=_heading_id)
    md.use(glossary_link_plugin)
    md.use(content_links_plugin)
    md.use(epub_notes_plugin if target == "epub" else sidenote_plugin)
    md.use(passages_plugin)
    md.core.ruler.at("normalize", _normalize)
    return md


def _normalize(state: StateCore) -> None:
    """markdown-it's own first rule (CR and CRLF to LF, NUL to U+FFFD), without its regex pass
    over every newline when there is nothing to change (most pages)."""
    text = state.src
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    if "\0" in text:
        text = text.replace("\0", "\ufffd")
    state.src = text


@dataclass(frozen=True, slots=True)
class RenderedMarkdown:
    html: str
    toc: tuple[Heading, ...]
    text: str
    """The body as plain text (search, excerpts, reading time)."""
    footnote_count: int
    occurrences: tuple[dict[str, Any], ...] = ()
    broken_links: tuple[str, ...] = ()
    linked_files: tuple[str, ...] = ()
    """Every ``.md`` link, as the content links plugin resolved it (without its ``#fragment``)."""
    first_paragraph: str = ""
    passage_ids: Any = None
    """What ``LinkContext.passages`` made of the passages (None when it is not given)."""


@dataclass(frozen=True, slots=True)
class LinkContext:
    """What the plugins need to know about the page being rendered."""

    resolve: Callable[[str], str | None]
    """A ``.md`` link (relative to the content file) to the site URL of its page, None if there is none."""
    relative: Callable[[str], str]
    """A site URL to the link that reaches it from this page."""
    find_terms: Callable[[str], Sequence[Any]] | None = None
    term_mode: str = "mentions"
    exclude_term: str = ""
    passages: Callable[[list[tuple[str, str]]], Any] | None = None
    """Articles: gives the passages (kind, plain text) their stable ids (see ``mdit_plugins.passages``)."""
    passage_links: bool = True
    """Add a pilcrow link beside each passage."""


class MarkdownRenderer:
    """The configured parser, created once and reused for every page (parsing setup is not free)."""

    def __init__(self, target: str = "web") -> None:
        self.md = create_markdown(target)

    def render(self, text: str, context: LinkContext) -> RenderedMarkdown:
        return render_markdown(self.md, text, context)


def render_markdown(md: MarkdownIt, text: str, context: LinkContext) -> RenderedMarkdown:
    env: dict[str, Any] = {
        "links": {"resolve": context.resolve, "relative": context.relative},
        "glossary": {"mode": context.term_mode, "exclude": context.exclude_term},
    }
    if context.find_terms is not None:
        env["glossary"]["find"] = context.find_terms
    if context.passages is not None:
        env["passages"] = {"assign": context.passages, "links": context.passage_links}
    tokens = md.parse(text, env)
    body = md.renderer.render(tokens, md.options, env)
    return RenderedMarkdown(
        html=body,
        toc=_toc(tokens),
        text=_plain_text(tokens),
        footnote_count=len(env.get("sidenotes", {})),
        occurrences=tuple(env["glossary"].get("occurrences", ())),
        broken_links=tuple(env["links"].get("broken", ())),
        linked_files=tuple(env["links"].get("files", ())),
        first_paragraph=_first_paragraph(tokens),
        passage_ids=env["passages"].get("result") if "passages" in env else None,
    )


def _toc(tokens: Sequence) -> tuple[Heading, ...]:
    headings = []
    for index, token in enumerate(tokens):
        if token.type == "heading_open" and token.attrGet("id") and token.tag in ("h2", "h3"):
            headings.append(Heading(int(token.tag[1]), tokens[index + 1].content, str(token.attrGet("id"))))
    return tuple(headings)


def _plain_text(tokens: Sequence) -> str:
    parts = []
    in_footnotes = False
    for token in tokens:
        if token.type == "footnote_block_open":
            in_footnotes = True
        if token.type == "inline" and not in_footnotes:
            parts.append(_inline_text(token))
        elif token.type in ("fence", "code_block"):
            parts.append(token.content)
    return "\n".join(part for part in parts if part)


def _inline_text(token) -> str:
    return "".join(
        child.content if child.type in ("text", "code_inline") else " " if child.type.endswith("break") else ""
        for child in token.children or ()
    )


def _first_paragraph(tokens: Sequence) -> str:
    for index, token in enumerate(tokens):
        if token.type == "paragraph_open" and index + 1 < len(tokens):
            text = _inline_text(tokens[index + 1]).strip()
            if text:
                return text
    return ""


def known_style(name: str) -> bool:
    """True when Pygments has a style of that name (a theme's ``pygments_light``/``pygments_dark``)."""
    try:
        get_style_by_name(name)
    except ClassNotFound:
        return False
    return True


def pygments_css(light: str, dark: str, selector: str = "pre code") -> str:
    """Highlighting rules for both colour schemes: dark when the reader chose it, or when the system
    prefers it and the reader did not choose light."""
    light_css = HtmlFormatter(style=light).get_style_defs(selector)
    chosen = HtmlFormatter(style=dark).get_style_defs(f"[data-theme=dark] {selector}")
    system = HtmlFormatter(style=dark).get_style_defs(f":root:not([data-theme=light]) {selector}")
    return f"{light_css}\n{chosen}\n@media (prefers-color-scheme: dark) {{\n{system}\n}}\n"
