"""Canonical HTML for golden comparisons: parsed, attributes sorted, whitespace collapsed outside <pre>.

Markup changes show up as diffs; indentation and line-break noise does not.
"""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
BLOCK = {"html", "head", "body", "header", "footer", "main", "nav", "article", "section", "aside", "div", "p",
         "h1", "h2", "h3", "h4", "ul", "ol", "li", "dl", "dt", "dd", "table", "tr", "pre", "title", "meta",
         "link", "script", "form", "blockquote", "figure", "noscript"}


class _Canon(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.out: list[str] = []
        self.pre = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        rendered = "".join(f' {k}="{html.escape(v or "", quote=True)}"' for k, v in sorted(attrs))
        self.out.append(("\n" if tag in BLOCK else "") + f"<{tag}{rendered}>")
        if tag == "pre":
            self.pre += 1

    def handle_endtag(self, tag: str) -> None:
        if tag == "pre":
            self.pre -= 1
        if tag not in VOID:
            self.out.append(f"</{tag}>")

    def handle_data(self, data: str) -> None:
        text = data if self.pre else re.sub(r"\s+", " ", data)
        self.out.append(html.escape(text, quote=False))


def canonical_html(markup: str) -> str:
    parser = _Canon()
    parser.feed(markup)
    parser.close()
    lines = "".join(parser.out).split("\n")
    return "\n".join(line.strip() for line in lines if line.strip()) + "\n"
