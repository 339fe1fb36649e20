"""Anchoring notes to quotes: exact, normalised, fuzzy, ambiguous, orphaned; and the property that a
quote taken from the text always anchors to its place."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from site_gen.annotate.anchoring import Ambiguous, anchor_note
from site_gen.diagnostics import SourceLocation
from site_gen.model import Anchor, Note, Orphan

BLOCKS = [
    'He said, "Haqqani safe havens still exist on the other side of the border." It is so.',
    "The “kill list” was drawn up on Tuesdays — every week. Another kill list here.",
]


def note(quote: str, **kwargs) -> Note:
    return Note(quote, "n", SourceLocation("content/notes/x.yml", 3), **kwargs)


def test_exact() -> None:
    assert anchor_note(note("safe havens still exist"), BLOCKS, 0.8) == Anchor(0, 18, 41, "exact")


def test_normalised_quotes_dashes_case_and_spaces() -> None:
    result = anchor_note(note('the "KILL list"  was drawn up on Tuesdays - every'), BLOCKS, 0.8)
    assert isinstance(result, Anchor) and result.kind == "normalised"
    assert BLOCKS[1][result.start:result.end] == "The “kill list” was drawn up on Tuesdays — every"


@pytest.mark.parametrize("quote,text", [("a dash \u2013 as the page shows it", "a dash -- as the page shows it"),
                                        ("and so on\u2026 as the page shows it", "and so on... as the page shows it"),
                                        ("an em \u2014 dash", "an em --- dash")])
def test_a_passage_copied_from_the_page_matches_the_texts_double_dashes_and_dots(quote: str, text: str) -> None:
    """The page sets ``--``, ``---`` and ``...`` as one character each."""
    result = anchor_note(note(quote), ["Before it: " + text + "."], 0.8)
    assert isinstance(result, Anchor) and result.kind == "normalised"
    assert ("Before it: " + text)[result.start:result.end] == text


def test_fuzzy_after_an_edit_of_the_text() -> None:
    result = anchor_note(note("Haqqani safe heavens stil exist on the other side"), BLOCKS, 0.8)
    assert isinstance(result, Anchor) and result.kind == "fuzzy" and result.similarity >= 0.9
    assert BLOCKS[0][result.start:result.end] == "Haqqani safe havens still exist on the other side"


def test_orphan_reports_the_closest_passage() -> None:
    result = anchor_note(note("completely unrelated sentence about cocoa prices"), BLOCKS, 0.8)
    assert isinstance(result, Orphan) and result.similarity < 0.8 and result.candidate


def test_repeated_quote_without_context_is_ambiguous() -> None:
    result = anchor_note(note("kill list"), BLOCKS, 0.8)
    assert isinstance(result, Ambiguous) and len(result.places) == 2


def test_prefix_or_suffix_chooses() -> None:
    assert anchor_note(note("kill list", prefix="Another "), BLOCKS, 0.8).start == BLOCKS[1].index("Another ") + 8
    assert anchor_note(note("kill list", suffix="” was"), BLOCKS, 0.8).start == 5


def test_blocks_closed_to_notes_are_skipped() -> None:
    assert isinstance(anchor_note(note("safe havens"), [None, BLOCKS[1]], 0.8), Orphan)


words = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), min_size=1, max_size=12)


@settings(max_examples=150, deadline=None)
@given(st.lists(words, min_size=3, max_size=40), st.data())
def test_a_quote_taken_from_the_text_anchors_to_that_place(parts: list[str], data) -> None:
    text = " ".join(parts)
    start = data.draw(st.integers(0, len(text) - 1))
    end = data.draw(st.integers(start + 1, len(text)))
    quote = text[start:end]
    if not quote.strip():
        return
    result = anchor_note(note(quote), [text], 0.8)
    occurrences = sum(1 for i in range(len(text)) if text.startswith(quote, i))
    if occurrences == 1:
        assert result == Anchor(0, start, end, "exact")
    else:
        assert isinstance(result, Ambiguous) and any(p.start == start for p in result.places)


@settings(max_examples=150, deadline=None)
@given(st.text(max_size=300), st.text(max_size=60))
def test_arbitrary_text_never_crashes(text: str, quote: str) -> None:
    anchor_note(note(quote or "x"), [text, None, ""], 0.8)
