"""Text to index terms, the way lunr.js 2.3.9 turns text into terms, with deliberate additions.

lunr.js: lower-case, split on whitespace and hyphens, trim non-word characters at both ends, drop
stop words, stem (``stemmer.py``, a line-for-line port). The additions, applied identically to the
query and to the texts of the documents shown in the browser (``search-engine.js``: ``normalise``,
``tokenize``), so index, query and highlighting always agree:

1. ``normalise``: accents folded (NFD, marks dropped: "Malmö" finds "Malmo"), curly apostrophes
   straightened, possessive "'s" dropped ("Pakistan's" finds "Pakistan"), Arabic lightly
   normalised (diacritics and tatweel dropped, alef forms made bare alef, ta marbuta made heh, alef
   maksura made yeh), and CJK runs set apart from the letters around them.
2. words are split at every dash, not only the hyphen ("afraid—zanzibar—to" is three words).
3. the trimmer keeps letters, marks and digits of every script, where lunr.js keeps only ASCII ones
   (its trimmer turns a Russian or Arabic word into an empty term). Tokens that trim to nothing
   ("…") are dropped rather than indexed as an empty term that no query can reach.
4. scripts without spaces are cut into words, and Arabic words lose their attached prefixes
   (``scripts.py``).
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter

from lunr.stop_word_filter import WORDS as LUNR_STOP_WORDS

from ..text import ASCII_NON_WORD
from .scripts import CJK_RUN, DICTIONARY_SCRIPTS, cjk_terms, dictionary_words, without_arabic_prefix
from .stemmer import stem

STOP_WORDS = frozenset(LUNR_STOP_WORDS)
"""lunr.js's English stop words (lunr.py ships the same 119)."""

_SEPARATOR = re.compile("[\t\n\v\f\r \u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff"
                        "\u2010-\u2015\u2212\u2e3a\u2e3b\ufe58\ufe63\uff0d-]+")
"""lunr.tokenizer.separator (whitespace or hyphen), with exactly the characters JavaScript counts as
whitespace, and every dash."""
_APOSTROPHE = re.compile(r"[\u2018\u2019\u02bc]")
_POSSESSIVE = re.compile(r"(?<=\w)'s(?!\w)")
_MARKS = re.compile("[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f"
                    "\u0610-\u061a\u0640\u064b-\u065f\u0670\u06d6-\u06dc\u06df-\u06e8\u06ea-\u06ed]")
"""Combining diacritics of Latin, Greek and Cyrillic letters, Arabic diacritics (harakat, the hamza
and madda over alef) and tatweel; other scripts' marks are letters' parts."""
_ARABIC_FORMS = str.maketrans({"\u0671": "\u0627", "\u0629": "\u0647", "\u0649": "\u064a"})
"""Alef wasla to alef, ta marbuta to heh, alef maksura to yeh."""


def normalise(text: str) -> str:
    """The text pre-processing shared with the browser (see the module docstring)."""
    if text.isascii():
        return _POSSESSIVE.sub("", text)
    folded = unicodedata.normalize("NFC", _MARKS.sub("", unicodedata.normalize("NFD", text)))
    folded = _POSSESSIVE.sub("", _APOSTROPHE.sub("'", folded)).translate(_ARABIC_FORMS)
    return CJK_RUN.sub(r" \g<0> ", folded)


_PYTHON_ONLY_SPACES = "\x1c\x1d\x1e\x1f\x85"
"""Characters ``str.split`` takes for whitespace and JavaScript does not."""


class _TokenTerms(dict):
    """Token to what it indexes as: one term (most tokens), None (a stop word or punctuation) or a
    tuple of several (a hyphenated word, a run of CJK characters, a Thai phrase). A corpus repeats its tokens
    endlessly, so each distinct token is worked out once, on first sight (``__missing__``)."""

    def __missing__(self, token: str) -> str | tuple[str, ...] | None:
        found = _token_terms(token)
        value = self[token] = found[0] if len(found) == 1 else found or None
        return value


_TERMS = _TokenTerms()


def _tokens(text: str) -> list[str]:
    """The text split as lunr.js splits it, but at hyphens: ``str.split`` splits at JavaScript's
    whitespace but for :data:`_PYTHON_ONLY_SPACES`, and the few it misses (U+FEFF) and hyphens are
    split within each token (normalisation never makes or removes a separator)."""
    return _SEPARATOR.split(text) if any(c in text for c in _PYTHON_ONLY_SPACES) else text.split()


def terms(text: str) -> list[str]:
    """Index terms of one field's text, in order (repeats kept: they are term frequencies).

    Each distinct token is normalised (and split at hyphens) on its own: the same terms as
    normalising the whole text, without passing over every text four times more."""
    found: list[str] = []
    for value in map(_TERMS.__getitem__, _tokens(text)):
        if type(value) is str:
            found.append(value)
        elif value:
            found.extend(value)
    return found


def term_counts(text: str) -> tuple[dict[str, int], int]:
    """Each term's frequency in ``text`` and the number of terms (``Counter(terms(text))``,
    ``len(...)``), made by counting the tokens' terms with ``Counter`` (a loop in C) instead of
    listing them first: a quarter less time, and the search index counts every page's terms on
    every full build."""
    counts = Counter(map(_TERMS.__getitem__, _tokens(text)))
    counts.pop(None, None)
    for several in [value for value in counts if type(value) is tuple]:
        frequency = counts.pop(several)
        for term in several:
            counts[term] += frequency
    return dict(counts), sum(counts.values())


def _token_terms(token: str) -> tuple[str, ...]:
    if token.isascii() and "'" not in token and "-" not in token:  # most tokens: nothing to fold or split
        term = _term(token.lower())
        return (term,) if term is not None else ()
    found: list[str] = []
    for part in _SEPARATOR.split(normalise(token).lower()):
        if part:
            found.extend(part_terms(part))
    return tuple(found)


def part_terms(part: str) -> list[str]:
    """The terms of a part of a token between separators, normalised and lower-cased."""
    if CJK_RUN.fullmatch(part):
        return cjk_terms(part)
    words = dictionary_words(part) if DICTIONARY_SCRIPTS.search(part) else (part,)
    return [term for word in words if (term := _term(word)) is not None]


def _term(token: str) -> str | None:
    trimmed = _trim(token)
    if not trimmed or trimmed in STOP_WORDS:
        return None
    return stem(without_arabic_prefix(trimmed))


def _trim(token: str) -> str:
    if token.isascii():  # most tokens: the same trim, done by str.strip
        return token.strip(ASCII_NON_WORD)
    start, end = 0, len(token)
    while start < end and not _is_word_char(token[start]):
        start += 1
    while end > start and not _is_word_char(token[end - 1]):
        end -= 1
    return token[start:end]


def _is_word_char(char: str) -> bool:
    return char == "_" or unicodedata.category(char)[0] in "LMN"
