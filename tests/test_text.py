"""Text helpers: the fast word count counts what the regex counts."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from site_gen.text import escape_markdown, natural_key, normalise_typography, shorten, word_count, words

TYPESET = "‘’‚“”„«»‹›–—…•·\u00a0 .,;:'\"-_()\n\t"


def regex_count(text: str) -> int:
    """The definition: runs of word characters, plus half the unspaced-script characters."""
    return len(re.findall(r"\w+", text)) + len(re.findall(r"[\u3040-\u30ff\u3400-\u9fff\u0e00-\u0e7f]", text)) // 2


@settings(max_examples=500)
@given(st.text(alphabet=st.sampled_from(TYPESET) | st.characters(max_codepoint=127) | st.sampled_from("éü½东京ไทย\u0301"),
               max_size=80))
def test_word_count_is_the_count_of_word_character_runs(text: str) -> None:
    assert word_count(text) == regex_count(text)


def test_word_count_examples() -> None:
    assert word_count("The drone’s “strike” — in U.S. airspace… 3.5 km") == 11
    assert word_count("Malmö café") == 2
    assert word_count("東京都") == 2, "one run, and three unspaced characters count one more"


PLAIN_FORMS = str.maketrans({"‘": "'", "’": "'", "‚": "'", "‛": "'", "′": "'", "“": '"', "”": '"', "„": '"',
                             "‟": '"', "″": '"', "«": '"', "»": '"', "–": "-", "—": "-", "―": "-", "−": "-",
                             "‐": "-", "‑": "-", "\u00a0": " ", "\u2009": " ", "\u202f": " ", "…": "."})
"""The definition: each typographic character to its plain form, one for one."""


@settings(max_examples=300)
@given(st.text(alphabet=st.sampled_from(TYPESET + "‛′″―−‐‑\u2009\u202f") | st.characters(max_codepoint=0x2100),
               max_size=80))
def test_typography_normalised_character_for_character(text: str) -> None:
    assert normalise_typography(text) == text.translate(PLAIN_FORMS)


def test_natural_order() -> None:
    titles = ["Nixon 10", "nixon 2", "Nixon 1", "1790 Washington 2", "1790 Washington 1", "Adams"]
    assert sorted(titles, key=natural_key) == ["1790 Washington 1", "1790 Washington 2", "Adams", "Nixon 1",
                                                "nixon 2", "Nixon 10"]


def test_escaped_text_keeps_what_the_typographer_would_replace() -> None:
    from site_gen.markdown import create_markdown

    text = "Article 5(c) and (R) and (tm), +-3 -- and ..."
    html = create_markdown().render(escape_markdown(text))
    assert html == "<p>Article 5(c) and (R) and (tm), +-3 – and …</p>\n"


def test_shorten() -> None:
    assert shorten("a  short\ntext") == "a short text"
    assert shorten("word " * 30, 20) == "word word word word…"
    assert shorten("世界人权宣言" * 20, 10) == "世界人权宣言世界人…"


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("ab Z9_\n\t-.,'\"é世“”—…\u00a0\u0301ßİ"))))
def test_words_are_the_runs_of_word_characters(text: str) -> None:
    assert words(text) == [word.encode() for word in re.findall(r"\w+", text)]
