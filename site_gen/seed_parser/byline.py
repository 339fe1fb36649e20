"""Headlines and bylines: "Alex Lantier 8 June 2012", "By A. Name", "June 8, 2012", "2012-06-08"."""

from __future__ import annotations

import re
from dataclasses import dataclass

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

MAX_HEADLINE_WORDS = 25
MAX_BYLINE_WORDS = 10


@dataclass(frozen=True, slots=True)
class Byline:
    author: str
    date: str


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


def is_headline(line: str, next_line: str | None) -> bool:
    """Does the first line of a seed read as a headline (not a salutation, note or paragraph)?"""
    text = line.strip()
    if not any(c.isalnum() for c in text) or len(text) > 200 or text[0] in "[(":
        return False
    if len(text.split()) > MAX_HEADLINE_WORDS or text.endswith((":", ",", ";")):
        return False
    if text.endswith(".") and len(text.split()) > 12:
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
