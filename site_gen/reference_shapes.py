"""Formatted references at the cost of a few: citeproc-py formats each *shape* of item once, and an
item of that shape is the shape's template with the item's own values put in.

What a CSL style makes of an item depends on its values in few ways: which variables it has (and
how many names of which kinds, how precise its date), the punctuation at the end of a value (which
citeproc-py merges with the style's own), and what the style does to each value: text case, periods
stripped, given names as initials, a month as a name or a number. An item's *probe* keeps all that
and stands in distinct words (and numbers) for its values; items with equal probes have one shape.
citeproc-py formats the probe; each stand-in is found in the result as one of the renderings
citeproc-py's own functions give it (its text-case, period-stripping and initialising code, its
locale's month names), which makes the template. A second probe, with other stand-ins, must come
out of the template exactly, or the shape has none. An item is formatted by citeproc-py alone when
its shape has no template, when a value does not fit one (it starts with punctuation, is empty, is
not text), or when its renderings differ at their edges from the stand-in's.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from citeproc import DATES, NAMES, Citation, CitationItem, CitationStylesBibliography, CitationStylesStyle, formatter
from citeproc.model import Name, StrippedPeriods, TextCased
from citeproc.source.json import CiteProcJSON
from citeproc.string import SEAM_PUNCTUATION

KEPT = frozenset({"type", "language"})
"""Variables a probe keeps as they are: the style's choices depend on them."""
TEXTS = frozenset({"title", "container-title", "URL", "abstract", "keyword", "status"})
"""The text variables a probe stands in for (a style tests no other property of them than presence)."""
CASES = (None, "lowercase", "uppercase", "capitalize-first", "capitalize-all", "title", "sentence")
NAME_CASES = (None, "lowercase", "uppercase")
"""citeproc-py cases a name part as a plain string: only these apply to one."""
NAME_PARTS = frozenset({"family", "given", "suffix", "literal", "dropping-particle", "non-dropping-particle"})
UPPER, LOWER = "\U00010400", "\U00010428"
"""A capital and a small Deseret letter begin the stand-in words: nothing else in a reference has them."""
DESERET = ("\U00010400", "\U0001044f")
YEARS, MONTHS, DAYS = (2968, 5843), (9, 8), (7, 4)
"""The stand-in dates of the two probes (digits a year's, a month's and a day's rendering never share)."""
_SOURCE = CiteProcJSON([])


class Rendering(TextCased, StrippedPeriods):
    """One way a style renders a text value, by citeproc-py's own code: its periods stripped, then a
    text case; or, for a given name, initials (with the style's ``initialize-with`` mark)."""

    def __init__(self, case: str | None = None, periods_stripped: bool = False, initials: str | None = None,
                 hyphen: bool = False) -> None:
        self.options = {"text-case": case, "strip-periods": "true" if periods_stripped else "false"}
        self.initials = initials
        self.hyphen = hyphen

    def get(self, name: str, default: Any = None) -> Any:
        """The element attribute citeproc-py's text-case and period-stripping code reads."""
        value = self.options.get(name)
        return default if value is None else value

    def get_option(self, name: str, context: Any = None) -> bool:
        """The name option citeproc-py's initialising code reads (``initialize-with-hyphen``)."""
        return self.hyphen

    def render(self, value: str, language: str) -> str:
        if self.initials is not None:
            return str(Name.initialize(self, value, self.initials, None))
        return str(self.case(self.strip_periods(_SOURCE.parse_string(value)), language))


@dataclass(frozen=True, slots=True)
class Digits:
    """A date part written as a number, at least ``width`` digits."""

    width: int

    def render(self, value: int, language: str) -> str:
        return f"{value:0{self.width}d}"


@dataclass(frozen=True, slots=True)
class MonthName:
    """A month written as the locale's name for it (``names``: January to December, in one form)."""

    names: tuple[str, ...]

    def render(self, value: int, language: str) -> str:
        return self.names[value - 1]


@dataclass(frozen=True, slots=True)
class Slot:
    """Where a value goes in a template: ``renderings``, those that gave the probe's text there (they
    must agree on the item's value); ``edges``, the punctuation at either end of that text."""

    value: int
    renderings: tuple[Rendering | Digits | MonthName, ...]
    edges: tuple[str, str]


@dataclass(frozen=True, slots=True)
class Probe:
    """An item with stand-ins for its values: ``item`` the probe citeproc-py formats, ``values`` the
    item's own values and ``stand_ins`` the probe's, in the same order."""

    item: dict[str, Any]
    values: tuple[Any, ...]
    stand_ins: tuple[Any, ...]
    kinds: tuple[str, ...]
    """Of each value: ``text``, ``name`` (a part of one), ``year``, ``month`` or ``day``."""


class Irregular(Exception):
    """A value a template cannot hold: the item is formatted by citeproc-py alone."""


def formatted(style: CitationStylesStyle, item: dict[str, Any]) -> str:
    """citeproc-py's bibliography entry for ``item``, as HTML (values are not escaped)."""
    bibliography = CitationStylesBibliography(style, CiteProcJSON([item]), formatter.html)
    bibliography.register(Citation([CitationItem(str(item["id"]))]))
    return str(bibliography.bibliography()[0])


class ShapedStyle:
    """A CSL style that formats an item through its shape's template, made on first use."""

    def __init__(self, path: Path) -> None:
        self.style = CitationStylesStyle(str(path), validate=False)
        marks = sorted({str(mark) for mark in self.style.root.xpath("//@initialize-with")})
        self.renderings: dict[str, tuple[Rendering | Digits | MonthName, ...]] = {
            "text": tuple(Rendering(case, stripped) for stripped in (False, True) for case in CASES),
            "name": tuple(Rendering(case) for case in NAME_CASES) + tuple(
                Rendering(initials=mark, hyphen=hyphen) for mark in marks for hyphen in (True, False)),
            "year": (Digits(1), Digits(2)),
            "month": (Digits(1), Digits(2), *(MonthName(tuple(self.term(f"month-{month:02d}", form)
                                                              for month in range(1, 13))) for form in (None, "short"))),
            "day": (Digits(1), Digits(2)),
        }
        self.default_language = str(self.style.root.get("default-locale", "en"))
        self.templates: dict[str, tuple[str | Slot, ...] | None] = {}

    def format(self, item: dict[str, Any], shape: Shape | None) -> str:
        """The style's entry for ``item`` (whose :func:`shape_of` is ``shape``), equal to
        :meth:`format_directly`'s."""
        if shape is None:
            return self.format_directly(item)
        self.prepare(item, shape)
        template = self.templates[shape.key]
        made = fill(template, shape.probe.values, self._language(item)) if template is not None else None
        return made if made is not None else self.format_directly(item)

    def prepare(self, item: dict[str, Any], shape: Shape) -> None:
        """Make the template of ``item``'s shape, unless it is made."""
        if shape.key not in self.templates:
            self.templates[shape.key] = self._template(item, shape.probe)

    def term(self, name: str, form: str | None) -> str:
        """A term of the style's locale (``"no date"`` in the short form is "n.d.")."""
        self.style.root.formatter = formatter.html
        return str(self.style.root.get_single_term(name=name, form=form))

    def format_directly(self, item: dict[str, Any]) -> str:
        """The style's entry for ``item``, formatted by citeproc-py for it alone."""
        return formatted(self.style, item)

    def _language(self, item: dict[str, Any]) -> str:
        """The language citeproc-py cases text in (the item's, else the style's)."""
        return str(item.get("language", self.default_language))[:2]

    def _template(self, item: dict[str, Any], probe: Probe) -> tuple[str | Slot, ...] | None:
        """The shape's template, made from ``probe`` and checked against a second probe."""
        language = self._language(item)
        template = template_of(formatted(self.style, probe.item), probe, self.renderings, language)
        second = make_probe(item, 1)
        if template is None or fill(template, second.stand_ins, language) != formatted(self.style, second.item):
            return None
        return template


@dataclass(frozen=True, slots=True)
class Shape:
    """An item's shape: its probe, and the probe as text (what items of one shape share)."""

    probe: Probe
    key: str


def shape_of(item: dict[str, Any]) -> Shape | None:
    """The shape of ``item``, or None when a value cannot be stood in for (the item is then
    formatted by citeproc-py alone)."""
    try:
        probe = make_probe(item, 0)
    except Irregular:
        return None
    return Shape(probe, json.dumps(probe.item, ensure_ascii=False, sort_keys=True))


def make_probe(item: dict[str, Any], variant: int) -> Probe:
    """``item`` with stand-ins (set ``variant``) for its values; raises :class:`Irregular` when a
    value cannot be stood in for."""
    values: list[Any] = []
    stand_ins: list[Any] = []
    kinds: list[str] = []

    def text(value: Any, kind: str) -> str:
        if (not isinstance(value, str) or not value or value != value.strip() or value[0] in SEAM_PUNCTUATION
                or "<" in value):
            raise Irregular
        stand_in = _word(len(values), variant, kind == "name") + (value[-1] if value[-1] in SEAM_PUNCTUATION else "")
        values.append(value)
        stand_ins.append(stand_in)
        kinds.append(kind)
        return stand_in

    def number(value: Any, stand_in: int, kind: str) -> int:
        values.append(value)
        stand_ins.append(stand_in)
        kinds.append(kind)
        return stand_in

    probe: dict[str, Any] = {"id": "probe"}
    for key, value in item.items():
        variable = key.replace("-", "_")
        if key in KEPT:
            probe[key] = value
        elif key in TEXTS:
            probe[key] = text(value, "text")
        elif variable in NAMES and isinstance(value, list):
            if not all(isinstance(name, dict) and set(name) <= NAME_PARTS for name in value):
                raise Irregular
            probe[key] = [{part: text(name[part], "name") for part in name} for name in value]
        elif variable in DATES:
            parts = _date_parts(value)
            stand_in_date = (YEARS[variant], MONTHS[variant], DAYS[variant])
            probe[key] = {"date-parts": [[number(part, stand_in_date[i], ("year", "month", "day")[i])
                                          for i, part in enumerate(parts)]]}
        elif key != "id":
            raise Irregular
    return Probe(probe, tuple(values), tuple(stand_ins), tuple(kinds))


def _date_parts(value: Any) -> list[int]:
    """A CSL date's single [year, month, day] (the last two optional), if a template can hold it."""
    if not isinstance(value, dict) or set(value) != {"date-parts"} or len(value["date-parts"]) != 1:
        raise Irregular
    parts = value["date-parts"][0]
    if not (1 <= len(parts) <= 3 and all(type(part) is int for part in parts) and 1000 <= parts[0] <= 9999
            and (len(parts) < 2 or 1 <= parts[1] <= 12) and (len(parts) < 3 or 1 <= parts[2] <= 31)):
        raise Irregular
    return list(parts)


def _word(index: int, variant: int, name: bool) -> str:
    """The stand-in for value ``index``: words that each text case, period stripping and initialising
    changes in its own way (a name part's words mostly begin with a capital, as names do, so that
    initials are made of them)."""
    code = chr(97 + index % 26) + chr(97 + index // 26 % 26) + "jkq"[variant]
    upper, lower = chr(ord(UPPER) + variant), chr(ord(LOWER) + variant)
    if name:
        return f"{upper}{code} {lower}{code} {upper}{code}-{upper}{code}.{code}"
    return f"{lower}{code} of {lower}{code}: of {upper}{code}{upper} {lower}{code}.{code}"


def template_of(text: str, probe: Probe, renderings: dict[str, tuple[Rendering | Digits | MonthName, ...]],
                language: str) -> tuple[str | Slot, ...] | None:
    """The probe's entry ``text`` cut at each stand-in's rendering (one of ``renderings`` of its
    kind); None when something of a stand-in is left outside them or two overlap."""
    found: list[tuple[int, int, Slot]] = []
    for index, (stand_in, kind) in enumerate(zip(probe.stand_ins, probe.kinds, strict=True)):
        numeric = isinstance(stand_in, int)
        by_text: dict[str, list[Rendering | Digits | MonthName]] = {}
        for rendering in renderings[kind]:
            by_text.setdefault(rendering.render(stand_in, language), []).append(rendering)
        for made, same in by_text.items():
            start = text.find(made)
            while start >= 0:
                end = start + len(made)
                if not numeric or not (text[start - 1:start].isdigit() or text[end:end + 1].isdigit()):  # whole numbers
                    found.append((start, end, Slot(index, tuple(same), edges(made))))
                start = text.find(made, start + 1)
    pieces: list[str | Slot] = []
    position = 0
    for start, end, slot in sorted(found, key=lambda match: match[:2]):
        if start < position:
            return None
        pieces += [text[position:start], slot]
        position = end
    pieces.append(text[position:])
    if any(isinstance(piece, str) and any(DESERET[0] <= char <= DESERET[1] for char in piece) for piece in pieces):
        return None
    return tuple(piece for piece in pieces if piece != "")


def fill(template: tuple[str | Slot, ...], values: tuple[Any, ...], language: str) -> str | None:
    """The template with ``values`` rendered in; None when a slot's renderings disagree on its value
    or give it other edges than the probe's (citeproc-py would join it to its neighbours otherwise)."""
    parts = []
    for piece in template:
        if isinstance(piece, str):
            parts.append(piece)
            continue
        value = values[piece.value]
        made = {rendering.render(value, language) for rendering in piece.renderings}
        if len(made) != 1:
            return None
        text = made.pop()
        if not text or edges(text) != piece.edges:
            return None
        parts.append(text)
    return "".join(parts)


def edges(text: str) -> tuple[str, str]:
    """What citeproc-py's joining looks at in a rendered value: its first and last character, when
    they are punctuation it merges or a space, else ''."""
    return _edge(text[:1]), _edge(text[-1:])


def _edge(char: str) -> str:
    return char if char in SEAM_PUNCTUATION or char == " " else ""
