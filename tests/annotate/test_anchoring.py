"""Anchoring notes to quotes: exact, normalised, fuzzy, ambiguous, orphaned; and the properties that a
quote taken from the text always anchors to its place, and that a fuzzy match reports the real
similarity of a passage of about the quote's length."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rapidfuzz import fuzz

from site_gen.annotate.anchoring import Ambiguous, anchor_note
from site_gen.diagnostics import SourceLocation
from site_gen.model import Anchor, Note, Orphan
from site_gen.text import normalise_for_matching

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


def test_a_quote_is_never_anchored_to_a_shorter_passage_it_merely_contains() -> None:
    blocks = ["The General Assembly", "Its members met in the autumn, as every year since the founding."]
    result = anchor_note(note("the general assembly of the League of Nations met in Geneva"), blocks, 0.8)
    assert isinstance(result, Orphan) and result.similarity < 0.8
    heading = anchor_note(note("Article 1 of the Covenant of the League of Nations"), ["Article 1", "Text."], 0.8)
    assert isinstance(heading, Orphan) and heading.similarity < 0.5


def test_a_block_a_little_shorter_than_the_quote_is_compared_whole() -> None:
    result = anchor_note(note("The quick brown foxes jumped"), ["The quick brown fox jumped", "Other text."], 0.8)
    assert isinstance(result, Anchor) and result.kind == "fuzzy" and (result.start, result.end) == (0, 26)
    assert result.similarity == round(fuzz.ratio("the quick brown foxes jumped", "the quick brown fox jumped") / 100, 2)


def _real_similarity(quote: str, passage: str) -> float:
    return round(fuzz.ratio(normalise_for_matching(quote)[0], normalise_for_matching(passage)[0]) / 100, 2)


sentences = st.lists(st.sampled_from(["the", "general", "assembly", "of", "league", "nations", "met", "in", "geneva",
                                      "article", "one", "Covenant", "1920", "—", "said"]), min_size=1, max_size=12)


@settings(max_examples=300, deadline=None)
@given(st.lists(sentences.map(" ".join), min_size=1, max_size=4), sentences.map(" ".join), sentences.map(" ".join))
def test_fuzzy_similarity_is_that_of_the_passage_chosen(blocks: list[str], extra: str, quote_base: str) -> None:
    """Whatever is anchored by a fuzzy match, or reported as the closest passage, has the similarity
    the message says; and a quote that extends a block is never "1.00" like it."""
    for quote in (quote_base, blocks[0] + " " + extra):
        result = anchor_note(note(quote), blocks, 0.8)
        if isinstance(result, Anchor) and result.kind == "fuzzy":
            assert result.similarity == _real_similarity(quote, blocks[result.block][result.start:result.end])
            assert result.similarity >= 0.8
        elif isinstance(result, Orphan) and result.candidate:
            assert result.similarity == _real_similarity(quote, result.candidate) < 0.8
        if isinstance(result, Anchor) and result.kind == "fuzzy" and result.similarity == 1.0:
            assert normalise_for_matching(blocks[result.block][result.start:result.end])[0] == \
                normalise_for_matching(quote)[0]
