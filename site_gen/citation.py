"""How an article is cited: one CSL-JSON item made from its metadata, and every format made from it.

The formatted references (Chicago notes and bibliography, 16th edition, and APA 7th edition) come
from citeproc-py with the CSL project's styles (vendored in ``site_gen/csl``, CC BY-SA 3.0), once per
shape of reference (``reference_shapes.py``); the downloads are the item itself (CSL-JSON), BibTeX
and RIS; the page's head carries Highwire Press ``citation_*`` tags (what reference managers such as
Zotero read) and schema.org JSON-LD. Two things citeproc-py does not do are done here: escaping HTML
in the values (it passes them through), and moving a period or comma inside closing quotation
marks, as the American English locale wants ("punctuation-in-quote").
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from . import urls
from .config import SiteSection
from .model import DocumentMeta, Page
from .reference_shapes import ShapedStyle, shape_of
from .text import slugify

STYLES = {
    "chicago": Path(__file__).parent / "csl" / "chicago-notes-bibliography-16th-edition.csl",
    "apa": Path(__file__).parent / "csl" / "apa.csl",
}
"""The formatted references every article offers, by name."""
PARTICLES = frozenset({"van", "von", "de", "da", "del", "della", "der", "di", "du", "la", "le", "dos", "das",
                       "ten", "ter", "bin", "ibn", "al", "el"})
SUFFIXES = frozenset({"jr", "jr.", "sr", "sr.", "ii", "iii", "iv"})
_ESCAPES = {"&": "\ue000", "<": "\ue001", ">": "\ue002"}
"""HTML's special characters stand in for these private-use characters while citeproc-py formats
(its text-casing must not see entities), and become entities again after."""
_STAND_INS = str.maketrans(_ESCAPES)
_RESTORED = {ord(v): k for k, v in _ESCAPES.items()}
_TAG = re.compile(r"<[^>]*>")


@dataclass(frozen=True, slots=True)
class Work:
    """What a citation says about an article."""

    meta: DocumentMeta
    url: str
    """The article's absolute URL ('' when the site has no ``base_url``)."""
    site_title: str
    language: str
    description: str = ""


@dataclass(frozen=True, slots=True)
class Reference:
    """One formatted reference: as HTML (escaped, with the style's italics) and as plain text."""

    style: str
    html: str
    text: str


def work_of(settings: SiteSection, article: Page) -> Work:
    """What the citations of ``article`` say about it, in the article's own language (an Arabic
    article on an English site is cited as Arabic)."""
    url = urls.absolute(settings.base_url, article.url) if settings.base_url else ""
    return Work(article.meta, url, settings.title, article.language or settings.language, article.description)


def downloads(work: Work) -> dict[str, bytes]:
    """The article's citation files, by name (beside its page): BibTeX, RIS and CSL-JSON."""
    item = csl_item(work)
    return {"cite.bib": bibtex(work, item).encode(), "cite.ris": ris(work, item).encode(),
            "cite.json": csl_json(work, item).encode()}


def authors(byline: str) -> list[dict[str, str]]:
    """CSL names from an author line: several authors split at ``;``, `` and `` or ``&``; "Family,
    Given" taken as written; a name of one word (an agency) as a literal; otherwise the last word
    (with particles such as "van" or "de" before it, and without a "Jr." after it) is the family name.
    "Name, Affiliation" (a space before the comma) keeps the name."""
    names = []
    for part in re.split(r"\s*;\s*|\s+and\s+|\s*&\s*", byline.strip()):
        if not part:
            continue
        if "," in part:
            before, after = (s.strip() for s in part.split(",", 1))
            if " " not in before and after:
                names.append({"family": before, "given": after})
                continue
            part = before
        words = part.split()
        suffix = words.pop() if len(words) > 2 and words[-1].lower() in SUFFIXES else ""
        if len(words) == 1:
            names.append({"literal": words[0]})
            continue
        start = len(words) - 1
        while start > 1 and words[start - 1].lower() in PARTICLES:
            start -= 1
        name = {"family": " ".join(words[start:]), "given": " ".join(words[:start])}
        names.append({**name, "suffix": suffix} if suffix else name)
    return names


def date_parts(iso: str) -> list[int]:
    """``2012-06-08`` as [2012, 6, 8] (partial dates give fewer parts; '' gives none)."""
    return [int(part) for part in iso.split("-") if part.isdigit()] if iso else []


def csl_item(work: Work) -> dict[str, Any]:
    """The article as a CSL-JSON item: the one description every other format is made from."""
    meta = work.meta
    item: dict[str, Any] = {"id": meta.slug, "type": "webpage", "title": meta.title,
                            "container-title": work.site_title, "language": work.language}
    if meta.author:
        item["author"] = authors(meta.author)
    if parts := date_parts(meta.date):
        item["issued"] = {"date-parts": [parts]}
    if work.url:
        item["URL"] = work.url
    if work.description:
        item["abstract"] = work.description
    if meta.tags:
        item["keyword"] = ", ".join(meta.tags)
    return item


class Formatter:
    """The CSL styles, parsed once (a process formats every article's references with them); each
    formats a reference once per shape, or with ``by_shape=False`` every one by citeproc-py alone."""

    def __init__(self, styles: tuple[str, ...] = tuple(STYLES), by_shape: bool = True) -> None:
        self.styles = {name: ShapedStyle(STYLES[name]) for name in styles}
        self.by_shape = by_shape
        self.no_date = next(iter(self.styles.values())).term("no date", "short") if self.styles else ""
        """The locale's "n.d." (the styles share the locale)."""

    def references(self, work: Work) -> tuple[Reference, ...]:
        """The article's reference in each style. An article without an author is cited under the
        site's name (as a group author), so that no style repeats the title in the author's place. An
        undated one has the style's "n.d." as its status, which APA prints as its date, as it
        prints "n.d." otherwise, but without the "Retrieved <date accessed>, from" that it adds to
        an undated web page: that date is the reader's."""
        item = self._item(work)
        shape = shape_of(item) if self.by_shape else None
        made = []
        for name, style in self.styles.items():
            raw = style.format(item, shape)
            marked = _punctuation_in_quotes(raw)
            text = html.unescape(_TAG.sub("", marked))
            made.append(Reference(name, _escaped(marked), _restored(text)))
        return tuple(made)

    def prepare(self, works: Iterable[Work]) -> None:
        """Make the template of each shape of reference among ``works`` now: worker processes forked
        afterwards inherit them, where each would make them all again (citeproc-py formats a shape
        twice per style)."""
        if not self.by_shape:
            return
        for work in works:
            item = self._item(work)
            if (shape := shape_of(item)) is not None:
                for style in self.styles.values():
                    style.prepare(item, shape)

    def _item(self, work: Work) -> dict[str, Any]:
        item = {key: _stand_in(value) for key, value in csl_item(work).items()}
        item.setdefault("author", [{"literal": _stand_in(work.site_title)}])
        if "issued" not in item:
            item["status"] = self.no_date
        return item


def _stand_in(value: Any) -> Any:
    """``value`` (strings, lists and dicts of them) with ``&``, ``<`` and ``>`` stood in for."""
    if isinstance(value, str):
        return value.translate(_STAND_INS)
    if isinstance(value, list):
        return [_stand_in(v) for v in value]
    if isinstance(value, dict):
        return {k: _stand_in(v) for k, v in value.items()}
    return value


def _escaped(marked: str) -> str:
    """The stand-ins as HTML entities (the rest of the text is citeproc-py's markup)."""
    return marked.replace("\ue000", "&amp;").replace("\ue001", "&lt;").replace("\ue002", "&gt;")


def _restored(text: str) -> str:
    return text.translate(_RESTORED)


def _punctuation_in_quotes(text: str) -> str:
    return text.replace("\u201d.", ".\u201d").replace("\u201d,", ",\u201d")


def csl_json(work: Work, item: dict[str, Any] | None = None) -> str:
    """``cite.json``: a CSL-JSON list of the one item (``item``: its :func:`csl_item`, when made)."""
    return json.dumps([item or csl_item(work)], ensure_ascii=False, indent=2) + "\n"


def bibtex(work: Work, item: dict[str, Any] | None = None) -> str:
    """``cite.bib``: a biblatex ``@online`` entry (with ``year``/``month`` for plain BibTeX too);
    ``item``: the work's :func:`csl_item`, when made."""
    item = item or csl_item(work)
    parts = date_parts(work.meta.date)
    fields = [("author", " and ".join(_bibtex_name(n) for n in item.get("author", []))),
              ("title", "{" + _bibtex_escape(work.meta.title) + "}"),
              ("organization", _bibtex_escape(work.site_title)),
              ("date", work.meta.date),
              ("year", str(parts[0]) if parts else ""),
              ("month", str(parts[1]) if len(parts) > 1 else ""),
              ("url", work.url),
              ("langid", work.language),
              ("keywords", _bibtex_escape(", ".join(work.meta.tags)))]
    body = ",\n".join(f"  {name} = {{{value}}}" for name, value in fields if value)
    return f"@online{{{_bibtex_key(work, item)},\n{body}\n}}\n"


def _bibtex_key(work: Work, item: dict[str, Any]) -> str:
    first = item.get("author", [{}])[0]
    name = slugify(first.get("family") or first.get("literal") or work.site_title).replace("-", "")
    year = work.meta.date[:4]
    word = next((w for w in slugify(work.meta.title).split("-") if len(w) > 3), "")
    return f"{name or 'article'}{year}{word}"


def _bibtex_name(name: dict[str, str]) -> str:
    if "literal" in name:
        return "{" + _bibtex_escape(name["literal"]) + "}"
    family = _bibtex_escape(name["family"])
    suffix = f", {_bibtex_escape(name['suffix'])}" if name.get("suffix") else ""
    return f"{family}{suffix}, {_bibtex_escape(name['given'])}"


_BIBTEX_SPECIAL = str.maketrans({"\\": r"\textbackslash{}", "{": r"\{", "}": r"\}", "&": r"\&", "%": r"\%",
                                 "$": r"\$", "#": r"\#", "_": r"\_", "~": r"\textasciitilde{}",
                                 "^": r"\textasciicircum{}"})


def _bibtex_escape(text: str) -> str:
    return text.translate(_BIBTEX_SPECIAL)


def ris(work: Work, item: dict[str, Any] | None = None) -> str:
    """``cite.ris``: an ``ELEC`` (web page) record, lines ending in CR LF as RIS wants; ``item``:
    the work's :func:`csl_item`, when made."""
    item = item or csl_item(work)
    parts = date_parts(work.meta.date)
    lines = [("TY", "ELEC")]
    lines += [("AU", n.get("literal") or f"{n['family']}, {n['given']}" + (f", {n['suffix']}" if n.get("suffix") else ""))
              for n in item.get("author", [])]
    lines += [("TI", work.meta.title), ("T2", work.site_title)]
    if parts:
        lines.append(("PY", str(parts[0])))
        lines.append(("DA", "/".join(f"{p:02d}" if i else str(p) for i, p in enumerate(parts))))
    lines += [("UR", work.url), ("LA", work.language), ("AB", work.description)]
    lines += [("KW", tag) for tag in work.meta.tags]
    lines.append(("ER", ""))
    return "".join(f"{tag}  - {' '.join(value.split())}\r\n" for tag, value in lines if value or tag == "ER")


def highwire_tags(work: Work) -> list[tuple[str, str]]:
    """The Highwire Press ``<meta name="citation_...">`` tags, in the forms Zotero's "Embedded Metadata"
    translator reads: one ``citation_author`` per author as "Family, Given", dates as ``YYYY/MM/DD``."""
    meta = work.meta
    tags = [("citation_title", meta.title)]
    tags += [("citation_author", n.get("literal") or f"{n['family']}, {n['given']}") for n in authors(meta.author)]
    if parts := date_parts(meta.date):
        date = "/".join(f"{p:02d}" if i else str(p) for i, p in enumerate(parts))
        tags += [("citation_publication_date", date), ("citation_date", date)]
    tags += [("citation_journal_title", work.site_title), ("citation_language", work.language)]
    if work.url:
        tags += [("citation_public_url", work.url), ("citation_fulltext_html_url", work.url)]
    if meta.tags:
        tags.append(("citation_keywords", "; ".join(meta.tags)))
    return tags


def json_ld(work: Work, site_url: str) -> str:
    """schema.org ``Article`` JSON-LD, safe inside a ``<script>`` element."""
    meta = work.meta
    data: dict[str, Any] = {"@context": "https://schema.org", "@type": "Article", "headline": meta.title,
                            "name": meta.title, "inLanguage": work.language,
                            "isPartOf": {"@type": "WebSite", "name": work.site_title, **({"url": site_url} if site_url else {})}}
    if work.description:
        data["description"] = work.description
    people = [{"@type": "Organization", "name": n["literal"]} if "literal" in n else
              {"@type": "Person", "name": f"{n['given']} {n['family']}", "givenName": n["given"], "familyName": n["family"]}
              for n in authors(meta.author)]
    if people:
        data["author"] = people[0] if len(people) == 1 else people
    if meta.date:
        data["datePublished"] = meta.date
    if work.url:
        data["url"] = work.url
        data["mainEntityOfPage"] = work.url
    if meta.tags:
        data["keywords"] = ", ".join(meta.tags)
    return json.dumps(data, ensure_ascii=False, sort_keys=True).replace("<", "\\u003c")
