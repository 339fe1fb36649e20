"""Turn a passage selected in the browser into a note's quote, as the build will anchor it.

The browser sends the selected text with a little of the rendered text around it (typographic
quotes, no note markers). The passage is found in the article's block texts by the build's own
anchoring (:func:`~site_gen.annotate.anchoring.anchor_note`: exact, then normalised; never fuzzy),
and the quote is that passage as the text has it. ``prefix``/``suffix`` are added only when the
quote alone occurs more than once, with as few words as make it unique, and the result is checked
by anchoring it again.
"""

from __future__ import annotations

from collections.abc import Sequence

from ..annotate.anchoring import Ambiguous, anchor_note
from ..diagnostics import SourceLocation
from ..model import Anchor, Note
from ..record import record

CONTEXT_WORDS = 12
"""The most words of prefix or suffix tried before a passage counts as impossible to tell apart."""
NO_FUZZY = 1.01
"""A similarity threshold no passage reaches: a selection is in the text, or it is refused."""


@record
class Selection:
    """What the browser selected: the text, and the rendered text just before and after it in its block."""

    exact: str
    prefix: str = ""
    suffix: str = ""


@record
class Passage:
    """A note's TextQuoteSelector: ``quote``, and ``prefix``/``suffix`` only when the quote is not unique."""

    quote: str
    prefix: str = ""
    suffix: str = ""


class NotQuotable(ValueError):
    """The selection cannot be a note's quote; the message says why and what to do."""


def passage_for(selection: Selection, texts: Sequence[str | None]) -> Passage:
    """The quote (with the context it needs) for ``selection`` in the blocks' ``texts`` (as
    :func:`~site_gen.annotate.anchoring.anchorable_texts` gives them)."""
    exact = " ".join(selection.exact.split())
    if not exact:
        raise NotQuotable("select a passage of the article first")
    found = anchor_note(_note(exact, selection.prefix, selection.suffix), texts, NO_FUZZY)
    if isinstance(found, Ambiguous):
        raise NotQuotable(f"the passage occurs {len(found.places)} times with the same words around it: "
                          "select a longer passage")
    if not isinstance(found, Anchor):
        raise NotQuotable("the selection is not in the article's text as the build reads it: select within one "
                          "paragraph, leaving out note numbers and text shown by the theme")
    return _unique(found, texts)


def _note(quote: str, prefix: str = "", suffix: str = "") -> Note:
    return Note(quote=quote, text="", location=SourceLocation(""), prefix=prefix, suffix=suffix)


def _unique(place: Anchor, texts: Sequence[str | None]) -> Passage:
    """The quote at ``place`` with the shortest prefix, suffix, or both, that anchors it there alone."""
    text = texts[place.block] or ""
    quote = text[place.start:place.end]
    before, after = _words_before(text, place.start), _words_after(text, place.end)
    tries = [("", "")]
    for count in range(1, CONTEXT_WORDS + 1):
        prefix = before[-count:] if count <= len(before) else None
        suffix = after[:count] if count <= len(after) else None
        tries += [("".join(prefix), "")] if prefix else []
        tries += [("", "".join(suffix))] if suffix else []
        tries += [("".join(prefix or before), "".join(suffix or after))]
    for prefix, suffix in tries:
        if _anchors_at(Passage(quote, prefix, suffix), place, texts):
            return Passage(quote, prefix, suffix)
    raise NotQuotable("the passage occurs more than once with the same words around it: select a longer passage")


def _anchors_at(passage: Passage, place: Anchor, texts: Sequence[str | None]) -> bool:
    found = anchor_note(_note(passage.quote, passage.prefix, passage.suffix), texts, NO_FUZZY)
    return isinstance(found, Anchor) and (found.block, found.start, found.end) == (place.block, place.start, place.end)


def _words_before(text: str, start: int) -> list[str]:
    """The words before ``start``, each with the spaces after it ("threatened ")."""
    head = text[:start]
    words = []
    end = len(head)
    while end > 0:
        position = end
        while position > 0 and head[position - 1].isspace():
            position -= 1
        while position > 0 and not head[position - 1].isspace():
            position -= 1
        words.insert(0, head[position:end])
        end = position
    return words


def _words_after(text: str, end: int) -> list[str]:
    """The words after ``end``, each with the spaces before it (" in")."""
    tail = text[end:]
    words = []
    start = 0
    while start < len(tail):
        position = start
        while position < len(tail) and tail[position].isspace():
            position += 1
        while position < len(tail) and not tail[position].isspace():
            position += 1
        words.append(tail[start:position])
        start = position
    return words
