"""Site footers and wire sign-offs ("To contact the WSWS...", "Reuter") at the end of a seed."""

from __future__ import annotations

import re

from .paragraphs import Line

FOOTER_WINDOW = 5
"""Only the last few blocks can start a footer: a pattern never cuts the middle of an article."""


def compile_patterns(patterns: tuple[str, ...]) -> list[re.Pattern[str]]:
    return [re.compile(pattern, re.IGNORECASE) for pattern in patterns]


def drop_footer(blocks: list[list[Line]], patterns: list[re.Pattern[str]]) -> tuple[list[list[Line]], list[list[Line]]]:
    """Remove the first block (among the last few) that matches a footer pattern, and all after it.

    Returns the remaining blocks and the dropped ones (none when there was no footer).
    """
    start = max(0, len(blocks) - FOOTER_WINDOW)
    for index in range(start, len(blocks)):
        first_line = blocks[index][0][1].strip()
        if any(pattern.search(first_line) for pattern in patterns):
            return blocks[:index], blocks[index:]
    return blocks, []
