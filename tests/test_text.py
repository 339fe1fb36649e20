"""Text helpers: the fast word count counts what the regex counts."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from site_gen.text import word_count

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
