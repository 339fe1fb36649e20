"""Headlines and bylines: "Alex Lantier 8 June 2012", "By A. Name", "June 8, 2012", "2012-06-08",
"By Jane Doe" over "March 3, 2001"; and which first lines are not headlines (salutations, sentences,
speaker labels)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..model import Omission
from .paragraphs import SALUTATION, SPEAKER_LABEL, Line

_MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("january", "jan"), ("february", "feb"), ("march", "mar"), ("april", "apr"),
            ("may",), ("june", "jun"), ("july", "jul"), ("august", "aug"),
            ("september", "sep", "sept"), ("october", "oct"), ("november", "nov"), ("december", "dec"),
        ],
        start=1,
    )
    for name in names
}
_MONTH = r"(?P<month>" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")\.?"
_DATE_PATTERNS = [
    re.compile(rf"\b(?P<day>\d{{1,2}})(?:st|nd|rd|th)?\s+{_MONTH}\s+(?P<year>\d{{4}})\b", re.IGNORECASE),
    re.compile(rf"\b{_MONTH}\s+(?P<day>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<year>\d{{4}})\b", re.IGNORECASE),
    re.compile(r"\b(?P<year>\d{4})-(?P<month>\d{2})-(?P<day>\d{2})\b"),
    re.compile(rf"\b{_MONTH}\s+(?P<year>\d{{4}})\b", re.IGNORECASE),
]
_BY = re.compile(r"^\s*by\s+", re.IGNORECASE)
_FILENAME_DATE = re.compile(r"^(?P<year>\d{4})(?:[-_](?P<month>\d{2})(?:[-_](?P<day>\d{2}))?)?(?=[-_ ]|$)")


_SENTENCE_END = tuple(".!?。！？।॥།။።؟۔")
MAX_HEADLINE_WORDS = 25
MAX_SENTENCE_HEADLINE_WORDS = 12
"""A first line ending in a full stop after more words than this is a sentence."""
MAX_BYLINE_WORDS = 10


@dataclass(frozen=True, slots=True)
class Byline:
    author: str
    date: str


@dataclass(frozen=True, slots=True)
class Header:
    """The top of a plain-text seed: its headline and byline (if it has them) and the body below."""

    headline: str
    byline: Byline | None
    body: list[Line]
    omitted: tuple[Omission, ...]


def find_date(text: str) -> tuple[str, tuple[int, int]] | None:
    """The first date written in ``text`` as ISO (possibly partial), and its span."""
    for pattern in _DATE_PATTERNS:
        match = pattern.search(text)
        if not match:
            continue
        iso = _iso(match.groupdict())
        if iso:
            return iso, match.span()
    return None


def _iso(parts: dict[str, str | None]) -> str:
    year = int(parts["year"] or 0)
    month_text = parts.get("month") or ""
    month = int(month_text) if month_text.isdigit() else _MONTHS.get(month_text.lower().rstrip("."), 0)
    day = int(parts.get("day") or 0)
    if not (1000 <= year <= 2999 and 1 <= month <= 12 and 0 <= day <= 31):
        return ""
    return f"{year:04d}-{month:02d}-{day:02d}" if day else f"{year:04d}-{month:02d}"


def parse_byline(line: str) -> Byline | None:
    """Author and date from a byline, or None when the line reads like body text."""
    text = line.strip()
    if not text or len(text) > 120:
        return None
    found = find_date(text)
    starts_with_by = bool(_BY.match(text))
    if not found and not starts_with_by:
        return None
    date = ""
    if found:
        date, (start, end) = found
        text = text[:start] + " " + text[end:]
    author = _BY.sub("", text).strip(" \t,;|-–—·•")
    author = re.sub(r"\s+", " ", author)
    if len(author.split()) > MAX_BYLINE_WORDS or (author.endswith((".", ":")) and len(author.split()) > 4):
        return None
    return Byline(author, date)


def split_header(lines: list[Line], title: str | None) -> Header:
    """Headline and byline off the top of a plain-text seed. The first line is the headline when it
    reads as one (a seed of one sentence is not a headline); with a sidecar ``title`` only when it is that title or a
    byline follows it (the seed's own headline, corrected): otherwise it stays in the text."""
    content = [i for i, (_, text) in enumerate(lines) if text.strip()]
    if not content:
        return Header("", None, [], ())
    first = content[0]
    number, text = lines[first]
    below = _byline_below(lines, first + 1)
    if title:
        taken = _same_words(text, title) or (below is not None and is_headline(text, _line(lines, first + 1)))
    else:  # a seed of one sentence is its text, not a headline
        taken = not (len(content) == 1 and text.rstrip().endswith(_SENTENCE_END)) and is_headline(text, _line(lines, first + 1))
    if not taken:
        return Header("", None, lines, ())
    headline = (" ".join(text.split()), Omission("headline", number, number))
    if below is None:
        return Header(headline[0], None, lines[first + 1:], (headline[1],))
    found, start, end = below
    return Header(headline[0], found, lines[end:], (headline[1], Omission("byline", lines[start][0], lines[end - 1][0])))


def _line(lines: list[Line], index: int) -> str | None:
    return lines[index][1] if index < len(lines) else None


def _same_words(line: str, title: str) -> bool:
    return line.split() == title.split() or line.casefold().split() == title.casefold().split()


def _byline_below(lines: list[Line], start: int) -> tuple[Byline, int, int] | None:
    """The byline on the first text line at or after ``start`` (with the date line below an author-only
    "By ..." line): the byline and the index range ``[first, end)`` of its lines, or None."""
    texts = [i for i in range(start, len(lines)) if lines[i][1].strip()][:2]
    if not texts:
        return None
    index = texts[0]
    found = parse_byline(lines[index][1])
    if found is None:
        return None
    following = _line(lines, index + 1) or ""
    if found.author and not found.date and len(texts) > 1 and texts[1] <= index + 2:
        second = parse_byline(lines[texts[1]][1])
        if second is not None and second.date and not (_line(lines, texts[1] + 1) or "").strip():
            return Byline(found.author, second.date), index, texts[1] + 1
    return (found, index, index + 1) if not following.strip() else None


def is_headline(line: str, next_line: str | None) -> bool:
    """Does the first line of a seed read as a headline (not a salutation, speaker label, note or sentence)?"""
    text = line.strip()
    if not any(c.isalnum() for c in text) or len(text) > 200 or text[0] in "[(":
        return False
    words = len(text.split())
    if words > MAX_HEADLINE_WORDS or text.endswith((":", ",", ";")):
        return False
    if (text.endswith(".") and words > MAX_SENTENCE_HEADLINE_WORDS) or SALUTATION.match(text):
        return False
    label = SPEAKER_LABEL.match(text)
    if label and label.end() < len(text):  # "The President. Well, thank you..."
        return False
    if next_line is None or not next_line.strip():
        return True
    return next_line[:1].isspace() and not line[:1].isspace()


def date_from_filename(stem: str) -> str:
    """``1790-Washington-1`` gives ``1790``; ``2012-06-08-title`` gives ``2012-06-08``."""
    match = _FILENAME_DATE.match(stem)
    if not match:
        return ""
    year, month, day = match.group("year"), match.group("month"), match.group("day")
    if not 1000 <= int(year) <= 2999:
        return ""
    if month and not 1 <= int(month) <= 12:
        return year
    return "-".join(part for part in (year, month, day) if part)


def title_from_filename(stem: str) -> str:
    """A readable title from a file name, or '' when the name is only an id (``00099``, ``000_1b2b8d``)."""
    words = re.split(r"[-_\s]+", stem)
    if all(re.fullmatch(r"[0-9a-fA-F]*", word) and not re.fullmatch(r"\d{4}", word) for word in words):
        return ""
    return " ".join(word[:1].upper() + word[1:] for word in words if word)
