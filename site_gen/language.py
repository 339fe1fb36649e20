"""Languages and scripts: BCP 47 tags, the direction a language is written in, the script a text
is mostly written in.

A page is laid out in its language's direction (``dir``); a text whose letters are mostly in a
script of the other direction (Arabic text on an English site) follows its script instead, and
the editor is told to set its language.
"""

from __future__ import annotations

import re
import unicodedata

from .record import record

_TAG = re.compile(r"[A-Za-z]{2,8}(?:-[A-Za-z0-9]{1,8})*")

RTL_LANGUAGES = frozenset({
    # Arabic and the languages written in Arabic script
    "ar", "ara", "arb", "arz", "apc", "apd", "ary", "arq", "acm", "acq", "acw", "acx", "adf", "aeb", "afb",
    "ajp", "auz", "avl", "ayh", "ayl", "ayn", "ayp", "pga", "shu", "ssh",
    "fa", "fas", "per", "pes", "prs", "tgk-Arab", "ur", "urd", "ps", "pus", "pbu", "pbt", "pst", "sd", "snd",
    "ug", "uig", "ckb", "ks", "kas", "bal", "bgp", "bgn", "bcc", "glk", "mzn", "lrc", "bqi", "skr", "hnd", "khw",
    "bft", "haz", "azb",
    # Hebrew and the languages written in Hebrew script
    "he", "heb", "iw", "yi", "yid", "ydd", "yih", "ji", "lad", "jrb", "jpr",
    # Syriac, Thaana, N'Ko, Samaritan, Mandaic
    "syr", "syc", "aii", "cld", "tru", "arc", "dv", "div", "nqo", "smp", "sam", "myz", "mid",
})
"""Primary language subtags (ISO 639-1 and 639-3) written right to left."""

RTL_SCRIPTS = frozenset({"arab", "hebr", "syrc", "thaa", "nkoo", "samr", "mand", "adlm", "rohg", "mend", "yezi"})
"""ISO 15924 script subtags written right to left (``ms-Arab``, ``ff-Adlm``)."""

_RTL_LETTER = re.compile(
    "[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufefe\U00010800-\U00010fff\U0001e800-\U0001efff](?<=[^\\W\\d_])")
"""A letter of a right-to-left script (Hebrew, Arabic, Syriac, Thaana, N'Ko, Samaritan, Mandaic, Adlam...).
The character class comes first, the letter test after it: a pattern that starts with a class is
searched for by scanning for that class, where one starting with a lookahead is tried at every position."""
_LETTER = re.compile(r"[^\W\d_]")

SCRIPT_LANGUAGES = {"ARABIC": "ar, fa, ur...", "HEBREW": "he, yi...", "SYRIAC": "syr", "THAANA": "dv", "NKO": "nqo",
                    "ADLAM": "ff-Adlm", "SAMARITAN": "smp", "MANDAIC": "myz"}
"""The language tags to suggest for a text in a right-to-left script."""


def is_language_tag(tag: str) -> bool:
    """A well-formed BCP 47 tag (``en``, ``ar``, ``pt-BR``, ``ms-Arab``); its subtags are not looked up."""
    return bool(_TAG.fullmatch(tag))


def language_direction(tag: str) -> str:
    """``rtl`` for a language written right to left (by its script subtag when it has one), else ``ltr``."""
    parts = tag.replace("_", "-").split("-")
    scripts = [part.lower() for part in parts[1:] if len(part) == 4 and part.isalpha()]
    if scripts:
        return "rtl" if scripts[0] in RTL_SCRIPTS else "ltr"
    return "rtl" if parts[0].lower() in RTL_LANGUAGES else "ltr"


@record
class Direction:
    """The direction a text is laid out in, and the script that decided it."""

    direction: str
    """``ltr``, ``rtl``, or '' for a text without letters."""
    script: str = ""
    """The name of the script (``ARABIC``, ``LATIN``); '' when the language decided."""


def script_direction(text: str) -> Direction:
    """The direction of the letters of ``text``: ``rtl`` when more than half are in a right-to-left
    script, else ``ltr``, with the name of that script; neither when it has no letters. A text
    without right-to-left letters is answered after one scan."""
    first = _RTL_LETTER.search(text)
    if first is not None:
        right_to_left = sum(1 for _ in _RTL_LETTER.finditer(text))
        if 2 * right_to_left > sum(1 for _ in _LETTER.finditer(text)):
            return Direction("rtl", _script(first.group()))
    letter = _LETTER.search(_RTL_LETTER.sub("", text) if first is not None else text)
    return Direction("ltr", _script(letter.group())) if letter else Direction("")


def _script(letter: str) -> str:
    return unicodedata.name(letter, "UNKNOWN").split(" ")[0]


def text_direction(language: str, own: bool, text: str) -> Direction:
    """The direction a text is laid out in, with the script that contradicted its language (if any).

    ``own``: the editor set ``language`` for this text, so it is trusted; otherwise (the site's
    language) a text mostly in a script of the other direction follows its script."""
    direction = language_direction(language)
    if own:
        return Direction(direction)
    found = script_direction(text)
    if found.direction and found.direction != direction:
        return found
    return Direction(direction)


def suggested_language(script: str) -> str:
    """Language tags to suggest for a text written in ``script`` (a name from :func:`script_direction`)."""
    return SCRIPT_LANGUAGES.get(script, "the tag of the text's language")
