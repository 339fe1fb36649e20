"""A browser selection becomes a note's quote as the build anchors it: the text's own spelling,
and prefix/suffix only when the quote alone is not unique, as short as they can be."""

from __future__ import annotations

import pytest

from site_gen.annotate.anchoring import anchor_note, anchorable_texts
from site_gen.diagnostics import SourceLocation
from site_gen.model import Anchor, Block, Note
from site_gen.serve.quoting import NotQuotable, Passage, Selection, passage_for

BLOCKS = (
    Block("paragraph", "Speaking in Kabul yesterday, Panetta threatened Pakistan with a ground intervention.", 3),
    Block("paragraph", "Panetta's trip to Kabul was part of a tour; Pakistan's army said \"no comment\" -- again.", 5),
    Block("preformatted", "Pakistan  1987  2012", 7),
    Block("paragraph", "Asked about Pakistan, he said: Pakistan must act. Pakistan must act now.", 9),
)
TEXTS = anchorable_texts(BLOCKS)


def anchored(passage: Passage) -> Anchor:
    found = anchor_note(Note(passage.quote, "", SourceLocation("n.yml", 1), passage.prefix, passage.suffix), TEXTS, 0.8)
    assert isinstance(found, Anchor)
    return found


def test_a_unique_selection_is_the_quote_alone() -> None:
    assert passage_for(Selection("ground intervention", "Pakistan with a ", "."), TEXTS) == Passage("ground intervention")


def test_the_quote_is_spelt_as_the_text_has_it_not_as_the_page_shows_it() -> None:
    """The page shows typographic quotes and dashes; the quote keeps the text's straight ones, so it anchors exactly."""
    passage = passage_for(Selection("Panetta\u2019s trip", "", " to Kabul"), TEXTS)
    assert passage == Passage("Panetta's trip")
    assert passage_for(Selection("said \u201cno comment\u201d \u2013 again", "army ", "."), TEXTS) == Passage(
        'said "no comment" -- again')
    assert anchored(passage) == Anchor(1, 0, 14, "exact")


@pytest.mark.parametrize("selection,expected,place", [
    (Selection("Pakistan", "Panetta threatened ", " with a ground"), Passage("Pakistan", "threatened "), (0, 48)),
    (Selection("Pakistan", "about ", ", he said"), Passage("Pakistan", "about "), (3, 12)),
    (Selection("Pakistan", "he said: ", " must act. Pakistan"), Passage("Pakistan", "said: "), (3, 31)),
    (Selection("Pakistan must act", "must act. ", " now."), Passage("Pakistan must act", "act. "), (3, 50)),
])
def test_a_repeated_quote_gets_the_fewest_words_that_make_it_unique(selection: Selection, expected: Passage,
                                                                    place: tuple[int, int]) -> None:
    passage = passage_for(selection, TEXTS)
    assert passage == expected
    found = anchored(passage)
    assert (found.block, found.start) == place, "the build anchors it where it was selected"


def test_preformatted_text_is_never_a_place_for_a_note() -> None:
    with pytest.raises(NotQuotable, match="not in the article's text"):
        passage_for(Selection("1987  2012"), TEXTS)


@pytest.mark.parametrize("exact", ["Pakistan's army said 1", "something else entirely", "   "])
def test_a_selection_that_is_not_in_the_text_is_refused(exact: str) -> None:
    with pytest.raises(NotQuotable):
        passage_for(Selection(exact), TEXTS)


def test_identical_places_cannot_be_told_apart() -> None:
    texts = ["Same words here.", "Same words here."]
    with pytest.raises(NotQuotable, match="select a longer passage"):
        passage_for(Selection("words", "Same ", " here."), texts)
