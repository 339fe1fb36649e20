"""Body text to blocks: paragraphs (with stray-blank-line repair), tables and subheadings."""

from __future__ import annotations

import re

from ..model import Block
from ..text import ends_clause, starts_lower

Line = tuple[int, str]
"""A line number and the line's text."""

_COLUMNS = re.compile(r"\S(?: {2,}|\.{4,}|\t)\S")
_NOT_HEADING_END = tuple(",，、;；-–—")
_BULLETS = tuple("•◦▪‣·*-–—")
SPEAKER_LABEL = re.compile(
    r"(?:the\s+)?(?:president|vice[\s-]+president|speaker|chairman|chairwoman|chair|moderator|audience(?:\s+members?)?"
    r"|q|a|(?:mr|mrs|ms|dr|madam|senator)\.?\s+[\w'’-]+)(?:[.:](?:\s|$)|$)",
    re.IGNORECASE,
)
"""Who speaks next in a transcript ("The President.", "Q:", "Mr. Smith."), alone or opening a paragraph."""
SALUTATION = re.compile(r"(?:mr\.|mrs\.|ms\.|madam\b|madame\b|fellow\b|dear\b|ladies and\b|the president\.)",
                        re.IGNORECASE)
"""How a speech or a letter opens ("Mr. Speaker, ...", "Fellow-Citizens", "The President. Well, ...")."""
_PLACE_OR_DATE = re.compile(r"^[A-Z][^,]*,$|^(?:\S+ ){0,5}\S*\b[12]\d{3}\b\S*$")
"""A signature's place ("The White House,") or date ("January 20, 1972.") line."""
MAX_HEADING_CHARS = 70
HARD_WRAP_WIDTH = 60
MAX_WRAP_WIDTH = 100
"""Blocks with a longer line are one-paragraph-per-line texts, not hard-wrapped ones."""


def split_raw_blocks(lines: list[Line]) -> list[list[Line]]:
    """Groups of consecutive non-blank lines; whitespace-only lines count as blank."""
    blocks: list[list[Line]] = []
    current: list[Line] = []
    for number, text in lines:
        if text.strip():
            current.append((number, text))
        elif current:
            blocks.append(current)
            current = []
    if current:
        blocks.append(current)
    return blocks


def is_table(block: list[Line]) -> bool:
    """Column-aligned lines (runs of spaces or leader dots): keep them preformatted."""
    if len(block) < 2:
        return False
    aligned = sum(1 for _, text in block if _COLUMNS.search(text.strip()))
    return aligned * 2 >= len(block)


def block_paragraphs(block: list[Line]) -> list[Block]:
    """Split a raw block into paragraphs: hard-wrapped lines are joined, one-line paragraphs kept apart."""
    if len(block) == 1:  # most blocks of most seeds: one paragraph a line, so the short way first
        number, raw = block[0]
        return [Block("paragraph", " ".join(raw.split()), number)]
    if is_table(block):
        return [Block("preformatted", _dedent([text for _, text in block]), block[0][0])]
    paragraphs: list[Block] = []
    wrapped = max(len(raw.strip()) for _, raw in block) <= MAX_WRAP_WIDTH
    previous_line = ""
    for number, raw in block:
        text = " ".join(raw.split())
        if paragraphs and _continues(previous_line, text, wrapped):
            previous = paragraphs[-1]
            paragraphs[-1] = Block("paragraph", previous.text + " " + text, previous.line)
        else:
            paragraphs.append(Block("paragraph", text, number))
        previous_line = text
    return paragraphs


def _continues(previous: str, following: str, wrapped: bool) -> bool:
    """Hard wrap inside a block: the previous line stops mid-sentence.

    ``wrapped``: no line of the block is longer than a wrapping width, so a long line that stops
    without punctuation was cut by a line length, not by the author.
    """
    if ends_clause(previous):
        return False
    return starts_lower(following) or (wrapped and len(previous) >= HARD_WRAP_WIDTH)


def repair_breaks(blocks: list[Block]) -> list[Block]:
    """Join a paragraph broken by a stray blank line: no closing punctuation, next part in lower case."""
    repaired: list[Block] = []
    for block in blocks:
        previous = repaired[-1] if repaired else None
        if (
            previous is not None
            and previous.kind == block.kind == "paragraph"
            and not ends_clause(previous.text)
            and starts_lower(block.text)
        ):
            repaired[-1] = Block("paragraph", previous.text + " " + block.text, previous.line)
        else:
            repaired.append(block)
    return repaired


def mark_headings(blocks: list[Block]) -> list[Block]:
    """A short line without closing punctuation, followed by a paragraph, is a subheading; not a
    speaker label ("THE PRESIDENT"), a salutation ("Madam Speaker, ..."), a list item, or a line of
    the signature that closes a text (the short lines at its end: "RICHARD NIXON", "The White House,")."""
    closing = _signature_start(blocks)
    marked = []
    for index, block in enumerate(blocks):
        following = blocks[index + 1] if index + 1 < len(blocks) else None
        if (
            block.kind == "paragraph"
            and following is not None
            and following.kind == "paragraph"
            and index < closing
            and len(block.text) <= MAX_HEADING_CHARS
            and not ends_clause(block.text)
            and not block.text.endswith(_NOT_HEADING_END)
            and not block.text.startswith(_BULLETS)
            and not starts_lower(block.text)
            and not SPEAKER_LABEL.fullmatch(block.text)
            and not SALUTATION.match(block.text)
            and len(following.text) > len(block.text)
        ):
            marked.append(Block("heading", block.text, block.line))
        else:
            marked.append(block)
    return marked


def _signature_start(blocks: list[Block]) -> int:
    """Where the signature of a letter or message starts: the run of short lines that ends the text,
    when one of them is a place or a date ("The White House,", "January 20, 1972."); else the end."""
    start = len(blocks)
    while start > 0 and len(blocks[start - 1].text) <= MAX_HEADING_CHARS:
        start -= 1
    return start if any(_PLACE_OR_DATE.search(block.text) for block in blocks[start:]) else len(blocks)


def _dedent(lines: list[str]) -> str:
    indents = [len(text) - len(text.lstrip(" ")) for text in lines if text.strip()]
    cut = min(indents, default=0)
    return "\n".join(text[cut:].rstrip() for text in lines)
