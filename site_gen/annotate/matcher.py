"""``TermMatcher``: find glossary terms in text, all terms at once, linear in the text length.

Every surface form a term can take (its casing rules, plural, possessive) is enumerated once into an
Aho-Corasick automaton, so matching costs one pass over the text whatever the glossary size. The
rules, from the editors' point of view:

- the longest match wins ("North Waziristan" before "Waziristan");
- a term written with capitals matches only that casing ("US" never matches "us");
- a lower-case term also matches capitalised at a sentence start, and in simple plural forms
  ("drone strike", "Drone strikes");
- a match never starts or ends inside a word; "Pakistan's" links "Pakistan".
"""

from __future__ import annotations

from collections.abc import Iterable

import ahocorasick

from ..model import Glossary
from ..record import record
from ..text import is_word_char

_SENTENCE_END = ".!?…:"
_OPENERS = "\"“”'‘’(["


@record
class TermMatch:
    start: int
    end: int
    slug: str


def inflections(term: str) -> list[str]:
    """Simple English plural forms of a lower-case term's last word."""
    head, _, last = term.rpartition(" ")
    prefix = head + " " if head else ""
    if not last.isalpha() or not last.isascii():
        return []
    if last.endswith("y") and len(last) > 2 and last[-2] not in "aeiou":
        return [prefix + last[:-1] + "ies"]
    if last.endswith(("s", "x", "z", "ch", "sh")):
        return [prefix + last + "es"]
    return [prefix + last + "s"]


def surface_forms(term: str) -> list[tuple[str, bool]]:
    """Every form of ``term`` to look for, each with "must begin a sentence"."""
    if term != term.lower():
        return [(term, False)]
    forms = [term, *inflections(term)]
    capitalised = [(form[:1].upper() + form[1:], True) for form in forms if form[:1].upper() != form[:1]]
    return [(form, False) for form in forms] + capitalised


class TermMatcher:
    """All glossary terms and aliases compiled into one automaton."""

    def __init__(self, terms: Iterable[tuple[str, str]]):
        """``terms``: (surface text, entry slug) pairs; terms and aliases alike."""
        self._automaton = ahocorasick.Automaton()
        self.size = 0
        for text, slug in terms:
            for form, sentence_start in surface_forms(" ".join(text.split())):
                if form and form not in self._automaton:
                    self._automaton.add_word(form, (len(form), slug, sentence_start))
                    self.size += 1
        if self.size:
            self._automaton.make_automaton()

    def find(self, text: str) -> list[TermMatch]:
        """Non-overlapping matches, leftmost first, the longest at each position."""
        if not self.size:
            return []
        candidates = []
        for last, (length, slug, sentence_start) in self._automaton.iter(text):
            start, end = last + 1 - length, last + 1
            if _is_whole_word(text, start, end) and (not sentence_start or _starts_sentence(text, start)):
                candidates.append((start, -length, slug))
        candidates.sort()
        matches = []
        position = 0
        for start, negative_length, slug in candidates:
            if start >= position:
                matches.append(TermMatch(start, start - negative_length, slug))
                position = start - negative_length
        return matches


def _is_whole_word(text: str, start: int, end: int) -> bool:
    before = text[start - 1] if start > 0 else " "
    after = text[end] if end < len(text) else " "
    return not is_word_char(before) and not is_word_char(after)


def _starts_sentence(text: str, start: int) -> bool:
    """Only quotes, brackets and spaces between ``start`` and the previous sentence end (or the text start)."""
    index = start - 1
    while index >= 0 and (text[index].isspace() or text[index] in _OPENERS):
        index -= 1
    return index < 0 or text[index] in _SENTENCE_END


@record(eq=False)
class Terms:
    """The glossary ready for matching: its entries, one matcher of all their terms and aliases, and
    a digest of those forms for the cache keys of what the matches decide."""

    glossary: Glossary
    matcher: TermMatcher
    key: str
