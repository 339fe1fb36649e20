"""Words in scripts that spaces do not separate, or that attach words to each other, made into index
terms the way the browser makes them from a query (``search-engine.js``, the same rules):

- Thai, Lao, Khmer and Myanmar text is cut into words by ICU's dictionaries (``icu4py``), the
  dictionaries the browser's ``Intl.Segmenter`` uses for the query;
- a run of CJK characters (Han, kana, Hangul) indexes each character and each pair of adjacent
  characters, so a query of several characters finds them standing together, not anywhere;
- an Arabic word is found with or without its common attached prefixes (the article, "and",
  "with", "for"...): a word longer than its prefix by enough letters indexes without it, as the
  query does (after the light normalisation in ``terms.normalise``).
"""

from __future__ import annotations

import re

from icu4py.breakers import WordBreaker

DICTIONARY_SCRIPTS = re.compile("[\u0e00-\u0eff\u1000-\u109f\u1780-\u17ff\u19e0-\u19ff]")
"""Thai, Lao, Myanmar and Khmer letters: scripts written without spaces between words."""
CJK_RUN = re.compile("[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff]+")
"""Kana, CJK ideographs and Hangul syllables: each character may be a word, or part of one."""
_ARABIC_LETTER = re.compile("[\u0620-\u064a]")
ARABIC_PREFIXES = (("وبال", 2), ("وكال", 2), ("وال", 2), ("فال", 2), ("بال", 2), ("كال", 2), ("ولل", 2), ("لل", 2),
                   ("ال", 2), ("و", 3), ("ف", 4), ("ب", 4), ("ل", 4), ("ك", 4))
"""Attached prefixes, longest first, each with the fewest letters that must remain after it (a
single letter is taken off only a long word: it is more often part of the word)."""


def dictionary_words(text: str) -> list[str]:
    """``text`` cut into words by ICU (punctuation and spaces left out)."""
    return [word for word in WordBreaker(text, "th") if any(c.isalnum() for c in word)]


def cjk_terms(run: str) -> list[str]:
    """Each character of a CJK run, then each pair of adjacent characters."""
    return list(run) + [run[i:i + 2] for i in range(len(run) - 1)]


def without_arabic_prefix(word: str) -> str:
    """``word`` less its first attached prefix, when it is an Arabic word long enough to carry one."""
    if not _ARABIC_LETTER.match(word):
        return word
    for prefix, rest in ARABIC_PREFIXES:
        if word.startswith(prefix) and len(word) - len(prefix) >= rest:
            return word[len(prefix):]
    return word
