"""A small element tree of an HTML page for tests that look at what a page shows (its text, its links)
the way a reader without CSS would: ``parse(html).find_all("li", "kwic")[0].text()``."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser

UNRENDERED = {"head", "script", "style", "template"}
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


@dataclass
class Node:
    tag: str
    attrs: dict[str, str] = field(default_factory=dict)
    children: list[Node | str] = field(default_factory=list)

    @property
    def classes(self) -> list[str]:
        return self.attrs.get("class", "").split()

    def walk(self) -> Iterator[Node]:
        for child in self.children:
            if isinstance(child, Node):
                yield child
                yield from child.walk()

    def find_all(self, tag: str | None = None, cls: str | None = None) -> list[Node]:
        return [node for node in self.walk()
                if (tag is None or node.tag == tag) and (cls is None or cls in node.classes)]

    def find(self, tag: str | None = None, cls: str | None = None) -> Node:
        found = self.find_all(tag, cls)
        assert found, f"no <{tag or '*'} class={cls!r}>"
        return found[0]

    def text(self) -> str:
        """The text content, whitespace collapsed (as a text browser or a copy would give it)."""
        parts = [child if isinstance(child, str) else child.text() for child in self.children]
        return re.sub(r"\s+", " ", "".join(parts)).strip()

    def unstyled_text(self) -> str:
        """The text a browser shows without CSS and without JavaScript (reader modes and text browsers
        read as it does): :meth:`text` less what HTML itself leaves unrendered, elements with the
        ``hidden`` attribute, ``<head>``, ``<script>``, ``<style>``, ``<template>``, and the content of
        a closed ``<details>`` but its ``<summary>``."""
        if "hidden" in self.attrs or self.tag in UNRENDERED:
            return ""
        closed = self.tag == "details" and "open" not in self.attrs
        parts = [child if isinstance(child, str) else child.unstyled_text() for child in self.children
                 if not closed or (isinstance(child, Node) and child.tag == "summary")]
        return re.sub(r"\s+", " ", "".join(parts)).strip()


class _Builder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Node("#document")
        self.stack = [self.root]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        node = Node(tag, {key: value or "" for key, value in attrs})
        self.stack[-1].children.append(node)
        if tag not in VOID:
            self.stack.append(node)

    def handle_endtag(self, tag: str) -> None:
        for depth in range(len(self.stack) - 1, 0, -1):
            if self.stack[depth].tag == tag:
                del self.stack[depth:]
                return

    def handle_data(self, data: str) -> None:
        self.stack[-1].children.append(data)


def parse(html: str) -> Node:
    builder = _Builder()
    builder.feed(html)
    return builder.root
