"""ALL-CAPS headlines and their title case, by Unicode letter categories and each language's rules.

Only scripts whose texts use capitals (Latin, Greek, Cyrillic, Armenian, Georgian) are looked at:
Cherokee, written in its capital letters, or a Chinese title with an acronym is never "all caps".
A language without known rules, or a headline with a letter those rules do not expect, is left as
written: a wrong capital is worse than a shouted headline.
"""

from __future__ import annotations

import re
import unicodedata

CASED_SCRIPTS = frozenset({"LATIN", "GREEK", "CYRILLIC", "ARMENIAN", "GEORGIAN"})
MIN_CAPITALS = 4
ENGLISH_SMALL_WORDS = frozenset(
    {"a", "an", "and", "as", "at", "but", "by", "for", "in", "of", "on", "or", "the", "to", "vs", "with"})
_TURKIC = frozenset({"tr", "tur", "az", "aze", "azj", "azb", "crh", "gag", "tk", "tuk", "kaa"})
_RULES = {"en": ("LATIN", "english"), "eng": ("LATIN", "english"), "el": ("GREEK", "greek"),
          "ell": ("GREEK", "greek"), "grc": ("GREEK", "greek"), "ka": ("GEORGIAN", "georgian"),
          "kat": ("GEORGIAN", "georgian"), **{code: ("LATIN", "turkic") for code in _TURKIC}}
"""Primary language subtag -> (the script its headlines are expected in, its casing rule)."""
_TURKIC_LOWER = str.maketrans({"I": "ı", "İ": "i"})
_PARTS = re.compile(r"([-/'’])")


def _script(char: str) -> str:
    return unicodedata.name(char, "UNKNOWN").split(" ")[0]


def is_all_caps(text: str) -> bool:
    """True when ``text`` is written in capitals: at least :data:`MIN_CAPITALS` letters with case,
    every one a capital, in scripts whose texts use capitals, and most of its letters have case."""
    letters = [c for c in text if unicodedata.category(c).startswith("L")]
    cased = [c for c in letters if unicodedata.category(c) in ("Lu", "Ll", "Lt")]
    if len(cased) < MIN_CAPITALS or 2 * len(cased) < len(letters):
        return False
    return all(unicodedata.category(c) != "Ll" for c in cased) and all(_script(c) in CASED_SCRIPTS for c in cased)


def titlecase_headline(text: str, language: str = "en") -> str:
    """An ALL-CAPS headline in title case by the rules of ``language`` (a BCP 47 tag), or ``text``
    as written when those rules are unknown or do not fit its letters. Each word keeps its first
    letter as written and lowers the rest: no capital is ever made, only lowered."""
    rule = _RULES.get(language.replace("_", "-").split("-")[0].lower())
    if rule is None or not is_all_caps(text):
        return text
    script, style = rule
    if any(_script(c) != script for c in text if unicodedata.category(c) in ("Lu", "Lt", "Ll")):
        return text
    if style == "georgian":
        return text.lower()  # Mtavruli capitals to Mkhedruli: Georgian capitalises no word
    if style == "greek" and not _accented(text):
        return text  # capitals drop the accents a lower-case word needs
    if style == "english" and any(len(c.lower()) != 1 for c in text):
        return text
    words = text.split(" ")
    return " ".join(_title_word(word, style, index) for index, word in enumerate(words))


def _accented(text: str) -> bool:
    return any(unicodedata.combining(c) for c in unicodedata.normalize("NFD", text))


def _title_word(word: str, style: str, index: int) -> str:
    if word.startswith("<") or "." in word.strip(".") or not any(c.isalpha() for c in word):
        return word  # tickers (<SRD>), dotted acronyms (U.S.), numbers
    if style == "english" and index > 0 and word.lower() in ENGLISH_SMALL_WORDS:
        return word.lower()
    parts = _PARTS.split(word)
    titled = []
    for number, part in enumerate(parts):
        after_apostrophe = number > 1 and parts[number - 1] in "'’"
        keep_first = number % 2 == 0 and not (after_apostrophe and len(part) < 3)
        titled.append(_keep_first_letter(part, style) if keep_first else _lower(part, style))
    return "".join(titled)


def _keep_first_letter(part: str, style: str) -> str:
    """``part`` in lower case but for its first letter ("OIL" -> "Oil", '"OIL"' -> '"Oil"')."""
    first = next((index for index, char in enumerate(part) if char.isalpha()), len(part))
    return part[: first + 1] + _lower(part[first + 1 :], style)


def _lower(text: str, style: str) -> str:
    return text.translate(_TURKIC_LOWER).lower() if style == "turkic" else text.lower()
