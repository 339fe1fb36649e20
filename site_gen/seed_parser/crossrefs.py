""""(See: Title of another article)" cross-references inside paragraphs."""

from __future__ import annotations

import re

from ..model import Block, CrossRef

_SEE = re.compile(r"\((?:See|see|SEE):\s*(?P<title>[^()]*(?:\([^()]*\)[^()]*)*?)\s*\)")


def find_cross_refs(blocks: tuple[Block, ...]) -> tuple[CrossRef, ...]:
    """Every "(See: ...)" in paragraph blocks, with the span of the title inside the block text."""
    refs = []
    for index, block in enumerate(blocks):
        if block.kind != "paragraph":
            continue
        for match in _SEE.finditer(block.text):
            title = match.group("title")
            if title.strip():
                refs.append(CrossRef(title.strip(), index, match.start("title"), match.end("title"), block.line))
    return tuple(refs)
