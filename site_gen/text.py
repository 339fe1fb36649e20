"""Pure text helpers shared by the stages: slugs, normalisation for matching, Markdown escaping."""

from __future__ import annotations

import re
import unicodedata

from unidecode import unidecode

MAX_SLUG_LENGTH = 80

# Characters that close a sentence or a clause in the scripts of our corpora (Latin, CJK, Arabic, Indic).
TERMINAL_PUNCTUATION = frozenset(".!?…:;\"”’')»]」』。！？؟۔।॥")

_TYPOGRAPHY = tuple({
    "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'",
    "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u201f": '"', "\u2033": '"',
    "\u00ab": '"', "\u00bb": '"',
    "\u2013": "-", "\u2014": "-", "\u2015": "-", "\u2212": "-", "\u2010": "-", "\u2011": "-",
    "\u00a0": " ", "\u2009": " ", "\u202f": " ", "\u2026": ".",
}.items())
"""Each typographic character and its plain form, replaced one after the other where the text has
it: ``str.translate`` would look up every character of a text that is not ASCII."""

_WINDOWS_RESERVED = frozenset(
    ["con", "prn", "aux", "nul"] + [f"com{i}" for i in range(10)] + [f"lpt{i}" for i in range(10)]
)


DIRECTION_CONTROLS = re.compile("[\u202a-\u202e\u2066-\u2069]")
"""Unicode's explicit text direction controls (embeddings, overrides, isolates): one left open in a
title reverses whatever follows it on the line (the rest of a ``<title>``, of a listing)."""


def without_direction_controls(text: str) -> str:
    return DIRECTION_CONTROLS.sub("", text)


def slugify(text: str, max_length: int = MAX_SLUG_LENGTH) -> str:
    """An ASCII, lower-case, hyphenated slug that is safe as a file and URL name ('' if none can be made).

    Non-Latin scripts are transliterated (unidecode), so a Chinese or Arabic title still gets a
    readable slug; '/', '.' and '..' can never survive, so a slug cannot leave its folder.
    """
    ascii_text = unidecode(text).lower()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text).strip("-")
    if len(slug) > max_length:
        cut = slug[:max_length]
        slug = cut.rsplit("-", 1)[0] if slug[max_length] != "-" and "-" in cut else cut.rstrip("-")
    if slug in _WINDOWS_RESERVED:
        slug += "-page"
    return slug


def normalise_typography(text: str) -> str:
    """Curly quotes, dashes, ellipses and odd spaces to their plain forms, one character for one.

    Length-preserving on purpose: offsets in the normalised text are offsets in the original.
    """
    if text.isascii():
        return text
    for mark, plain in _TYPOGRAPHY:
        if mark in text:
            text = text.replace(mark, plain)
    return text


def normalise_for_matching(text: str) -> tuple[str, list[int]]:
    """Typography normalised, case folded and runs of whitespace, dashes or full stops collapsed,
    with a map back to offsets: the page shows ``--`` and ``...`` as one dash and one ellipsis, so a
    passage copied from the page matches the text.

    Returns ``(normalised, positions)`` where ``positions[i]`` is the offset in ``text`` of
    normalised character ``i`` (plus a final entry for the end of the text).
    """
    plain = normalise_typography(text)
    out: list[str] = []
    positions: list[int] = []
    previous_space = True
    for index, char in enumerate(plain):
        if char.isspace():
            if previous_space:
                continue
            char = " "
            previous_space = True
        else:
            previous_space = False
            if char in "-." and out and out[-1] == char:
                continue
        lowered = char.lower()
        if len(lowered) != 1:
            lowered = char
        out.append(lowered)
        positions.append(index)
    while out and out[-1] == " ":
        out.pop()
        positions.pop()
    positions.append(len(text))
    return "".join(out), positions


def ends_clause(text: str) -> bool:
    """True when ``text`` ends with punctuation that can close a paragraph."""
    stripped = text.rstrip()
    return bool(stripped) and stripped[-1] in TERMINAL_PUNCTUATION


def starts_lower(text: str) -> bool:
    """True when the first letter of ``text`` is lower case (a continuation, not a new sentence).
    Georgian letters are lower case, but Georgian sentences start with them too: never a continuation."""
    for char in text.lstrip():
        if char.isalpha():
            return char.islower() and not ("\u10a0" <= char <= "\u10ff" or "\u2d00" <= char <= "\u2d2f")
        if char not in "\"'“‘(—–-":
            return False
    return False


def is_word_char(char: str) -> bool:
    """Letters, marks and digits: what a glossary match must not be glued to."""
    if char.isascii():
        return char.isalnum() or char == "_"
    return char.isalnum() or unicodedata.category(char).startswith("M")


_MD_INLINE_SPECIAL = re.compile(r"[\\`*_\[\]<>~|]")
"""Found by a regex, not ``str.translate`` with a table: most text has none, and ``translate``
looks every character up."""
_MD_ENTITY = re.compile(r"&(?=#?\w+;)")
_MD_REPLACED = re.compile(r"(?<=\(c)\)|(?<=\(r)\)|(?<=\(tm)\)|(?<=\+)-", re.IGNORECASE)
"""Where the typographer would replace letters: ``(c)`` to ©, ``(tm)`` to ™, ``(r)`` to ®, ``+-`` to ±
(a seed's "Article 5(c)" must keep its letter)."""
_MD_LINE_START = re.compile(r"^(\s*)([#>+=-]|\d+[.)])")


def escape_markdown(text: str, line_start: bool = True) -> str:
    """Escape plain text so CommonMark shows it literally (no emphasis, links, HTML or lists).

    ``line_start``: the text begins a line, so a leading ``#``, ``-`` or ``1.`` must be escaped too.
    """
    escaped = _MD_INLINE_SPECIAL.sub(_backslashed, text) if _MD_INLINE_SPECIAL.search(text) else text
    if "&" in escaped:
        escaped = _MD_ENTITY.sub(r"\\&", escaped)
    if "(" in escaped or "+" in escaped:
        escaped = _MD_REPLACED.sub(_backslashed, escaped)
    if not line_start:
        return escaped
    return _MD_LINE_START.sub(lambda m: m.group(1) + _escape_line_start(m.group(2)), escaped)


def _backslashed(match: re.Match) -> str:
    return "\\" + match.group()


def _escape_line_start(marker: str) -> str:
    if marker[0].isdigit():
        return marker[:-1] + "\\" + marker[-1]
    return "\\" + marker


_WORD = re.compile(r"\w+")
_UNSPACED = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\u0e00-\u0e7f]")
ASCII_NON_WORD = "".join(c for c in map(chr, range(128)) if not (c.isalnum() or c == "_"))
"""The ASCII characters that are not word characters (``\\w``): what trims strip and counts split at."""
_NON_WORD_TO_SPACE = bytes.maketrans(ASCII_NON_WORD.encode() + bytes(range(128, 256)), b" " * (len(ASCII_NON_WORD) + 128))
"""ASCII non-word characters and every byte of a non-ASCII character to spaces."""
_ASCII = bytes(range(128))
_TYPOGRAPHIC_PUNCTUATION = re.compile(b"|".join(re.escape(mark.encode()) for mark in "‘’‚“”„«»‹›–—…•·\u00a0"))
"""What the typographer and the seed parser put in English text (UTF-8): no word characters."""


def word_count(text: str) -> int:
    """Words for reading time: runs of word characters (``\\w+``); unspaced scripts (CJK, Thai)
    count about two characters a word.

    Text whose only non-ASCII characters are typographic punctuation (most English text) is
    counted on its UTF-8 bytes, every non-word character turned into a space: the same count,
    without a regex match per word (the count is made for every page the build renders)."""
    data = _ascii_words(text)
    if data is None:
        return len(_WORD.findall(text)) + len(_UNSPACED.findall(text)) // 2
    return len(data.split())


def words(text: str) -> list[bytes]:
    """The runs of word characters (``\\w+``) of ``text`` in order, UTF-8 encoded: found on bytes
    like :func:`word_count` where the text allows, so comparing two texts' words is cheap."""
    data = _ascii_words(text)
    return data.split() if data is not None else [word.encode() for word in _WORD.findall(text)]


def _ascii_words(text: str) -> bytes | None:
    """``text`` as UTF-8 with every non-word character a space, when its only non-ASCII characters
    are typographic punctuation (found among its non-ASCII bytes alone, a few in most texts); else None."""
    data = text.encode()
    if not data.isascii() and _TYPOGRAPHIC_PUNCTUATION.sub(b"", data.translate(None, _ASCII)):
        return None
    return data.translate(_NON_WORD_TO_SPACE)


_DIGIT_RUNS = re.compile(r"(\d+)")


def natural_key(text: str) -> tuple:
    """Sort key in natural order: case folded, runs of digits compared as numbers ("Nixon 2" before
    "Nixon 10"). ``re.split`` with a group alternates text and digits, so keys compare like with like."""
    parts = _DIGIT_RUNS.split(text.casefold())
    return tuple(int(part) if index % 2 else part for index, part in enumerate(parts))


def shorten(text: str, limit: int = 80) -> str:
    """``text`` on one line, cut to at most ``limit`` characters at a space when there is one in its
    second half (unspaced scripts are cut anywhere), with "…" where it was cut."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    space = cut.rfind(" ")
    inside_word = text[limit - 1] != " "
    return (cut[:space] if inside_word and space > limit // 2 else cut.rstrip()) + "…"
