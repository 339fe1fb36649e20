"""Anchor a note to the passage its quote names (the W3C Web Annotation TextQuoteSelector idea).

Three tries, each only if the one before found nothing:

1. exact: the quote as written;
2. normalised: quotes, dashes, ellipses, case and whitespace folded;
3. fuzzy: the passage most like the quote by edit distance (a passage of about the quote's length:
   never a shorter one it merely contains), accepted at or above a similarity threshold.

When a quote occurs more than once, ``prefix``/``suffix`` (the text just around it) choose; if they
cannot, the result is :class:`Ambiguous`, listing every place. Nothing close enough is an
:class:`~site_gen.model.Orphan` with the best candidate, so a note is never dropped silently.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from rapidfuzz import fuzz

from ..model import Anchor, Block, Note, Orphan
from ..text import is_word_char, normalise_for_matching


@dataclass(frozen=True, slots=True)
class Ambiguous:
    note: Note
    places: tuple[Anchor, ...]


def anchorable_texts(blocks: Sequence[Block]) -> list[str | None]:
    """Each block's text as notes are anchored in it; None for the blocks that take no notes
    (preformatted text). Live preview quotes a selection from the same texts."""
    return [block.text if block.kind != "preformatted" else None for block in blocks]


def anchor_note(note: Note, blocks: Sequence[str | None], threshold: float) -> Anchor | Orphan | Ambiguous:
    """Find ``note.quote`` in ``blocks`` (None for blocks notes may not anchor in)."""
    exact = [Anchor(i, start, start + len(note.quote), "exact")
             for i, text in enumerate(blocks) if text is not None
             for start in _find_all(text, note.quote)]
    if exact:
        return _choose(note, exact, blocks)
    normalised_blocks = [normalise_for_matching(text) if text is not None else None for text in blocks]
    quote, _ = normalise_for_matching(note.quote)
    if not quote:
        return Orphan(note, "", 0.0)
    normalised = [
        Anchor(i, positions[start], positions[start + len(quote) - 1] + 1, "normalised")
        for i, entry in enumerate(normalised_blocks) if entry is not None
        for positions in [entry[1]]
        for start in _find_all(entry[0], quote)
    ]
    if normalised:
        return _choose(note, normalised, blocks)
    return _fuzzy(note, quote, blocks, normalised_blocks, threshold)


def _find_all(text: str, quote: str) -> list[int]:
    starts = []
    position = text.find(quote)
    while position >= 0 and quote:
        starts.append(position)
        position = text.find(quote, position + 1)
    return starts


def _choose(note: Note, places: list[Anchor], blocks: Sequence[str | None]) -> Anchor | Ambiguous:
    """One place: take it. Several: the one whose surroundings best match prefix and suffix."""
    if len(places) == 1:
        return places[0]
    if not (note.prefix or note.suffix):
        return Ambiguous(note, tuple(places))
    scores = [_context_score(note, place, blocks[place.block] or "") for place in places]
    best = max(scores)
    winners = [place for place, score in zip(places, scores, strict=True) if score == best]
    return winners[0] if len(winners) == 1 and best > 0 else Ambiguous(note, tuple(places))


def _context_score(note: Note, place: Anchor, text: str) -> int:
    """How many characters of prefix and suffix agree with the text around ``place``."""
    before, _ = normalise_for_matching(text[: place.start])
    after, _ = normalise_for_matching(text[place.end :])
    prefix, _ = normalise_for_matching(note.prefix)
    suffix, _ = normalise_for_matching(note.suffix)
    score = 0
    if prefix and before.endswith(prefix):
        score += len(prefix)
    if suffix and after.startswith(suffix):
        score += len(suffix)
    return score


def _fuzzy(note: Note, quote: str, blocks: Sequence[str | None], normalised_blocks, threshold: float) -> Anchor | Orphan:
    """The passage most like the quote, compared like with like: in a block at least as long as
    the quote, the best-aligned window of the quote's length (widened to whole words); a shorter
    block whole, so a quote never matches a shorter passage it merely contains. The similarity is
    that of the quote and the passage chosen, both normalised."""
    best_score, best = -1.0, None
    for index, entry in enumerate(normalised_blocks):
        if entry is None or not entry[0]:
            continue
        text, (normalised, positions) = blocks[index] or "", entry
        if len(normalised) > len(quote):
            alignment = fuzz.partial_ratio_alignment(quote, normalised)
            window = (alignment.dest_start, alignment.dest_end) if alignment is not None else (0, len(normalised))
        else:
            window = (0, len(normalised))
        start, end = _snap_to_words(text, positions[window[0]], positions[max(window[1] - 1, window[0])] + 1)
        score = fuzz.ratio(quote, normalise_for_matching(text[start:end])[0])
        if score > best_score:
            best_score, best = score, (index, start, end)
    if best is None:
        return Orphan(note, "", 0.0)
    index, start, end = best
    similarity = round(best_score / 100, 2)
    if similarity >= threshold:
        return Anchor(index, start, end, "fuzzy", similarity)
    return Orphan(note, (blocks[index] or "")[start:end], similarity)


def _snap_to_words(text: str, start: int, end: int) -> tuple[int, int]:
    """Widen a span so it neither starts nor ends inside a word, and trim spaces at its edges."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    while start > 0 and is_word_char(text[start - 1]) and is_word_char(text[start]):
        start -= 1
    while end < len(text) and is_word_char(text[end - 1]) and is_word_char(text[end]):
        end += 1
    return start, end
