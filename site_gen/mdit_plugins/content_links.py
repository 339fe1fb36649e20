"""markdown-it plugin: links between content files (``other.md``, ``../glossary/x.md#y``) become page URLs.

Editors link files the way they see them in ``content/``; the site gets the relative URL of the page
built from that file. ``env["links"]["resolve"]`` maps a link (without its ``#fragment``) to the
site-relative URL of its page, or to None when no page is built from it (recorded in
``env["links"]["broken"]``); ``env["links"]["relative"]`` turns a site URL into a link from this page.
Every such link is listed in ``env["links"]["files"]``: the pages the rendered page depends on.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypedDict

from markdown_it import MarkdownIt
from markdown_it.rules_core import StateCore


class LinksEnv(TypedDict, total=False):
    resolve: Callable[[str], str | None]
    relative: Callable[[str], str]
    broken: list[str]
    """Output: ``.md`` links that point at no page."""
    files: list[str]
    """Output: every ``.md`` link (without its ``#fragment``), resolved or not, in order."""


def content_links_plugin(md: MarkdownIt) -> None:
    md.core.ruler.push("content_links", _rewrite_links)


def _rewrite_links(state: StateCore) -> None:
    env: LinksEnv | None = state.env.get("links")
    if env is None:
        return
    env.setdefault("broken", [])
    env.setdefault("files", [])
    for token in state.tokens:
        for child in token.children or ():
            if child.type != "link_open":
                continue
            href = str(child.attrGet("href") or "")
            path, _, fragment = href.partition("#")
            if not path.endswith(".md") or "://" in path:
                continue
            env["files"].append(path)
            url = env["resolve"](path)
            if url is None:
                env["broken"].append(href)
                continue
            child.attrSet("href", env["relative"](url) + (f"#{fragment}" if fragment else ""))
