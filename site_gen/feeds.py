"""Machine-readable outputs: the Atom feed, ``sitemap.xml`` and ``robots.txt``.

Built with ElementTree, so titles with ``<``, ``&`` or quotes are always escaped correctly.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET

from . import urls
from .model import Page

ATOM = "http://www.w3.org/2005/Atom"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
FEED_ENTRIES = 50


def _timestamp(date: str) -> str:
    """Atom wants a full RFC 3339 timestamp; partial dates are completed to the first day at midnight."""
    parts = (date or "1970-01-01").split("-")
    while len(parts) < 3:
        parts.append("01")
    return "-".join(parts) + "T00:00:00Z"


def atom_feed(title: str, base_url: str, articles: tuple[Page, ...], updated: str, feed_url: str,
              language: str) -> bytes:
    """The feed in the site's ``language`` (``xml:lang``); an entry whose text is in another says its
    own, so a reader's feed program hyphenates, speaks and lays it out as that language."""
    ET.register_namespace("", ATOM)
    feed = ET.Element(f"{{{ATOM}}}feed", {XML_LANG: language})
    ET.SubElement(feed, f"{{{ATOM}}}title").text = title
    ET.SubElement(feed, f"{{{ATOM}}}id").text = urls.absolute(base_url, "") or "urn:site-gen:feed"
    ET.SubElement(feed, f"{{{ATOM}}}updated").text = _timestamp(updated)
    ET.SubElement(feed, f"{{{ATOM}}}link", rel="self", href=urls.absolute(base_url, feed_url))
    ET.SubElement(feed, f"{{{ATOM}}}link", rel="alternate", href=urls.absolute(base_url, "") or "./")
    for article in articles[:FEED_ENTRIES]:
        entry = ET.SubElement(feed, f"{{{ATOM}}}entry")
        if article.language and article.language != language:
            entry.set(XML_LANG, article.language)
        link = urls.absolute(base_url, article.url)
        ET.SubElement(entry, f"{{{ATOM}}}title").text = article.meta.title
        ET.SubElement(entry, f"{{{ATOM}}}id").text = link if base_url else f"urn:site-gen:{article.meta.slug}"
        ET.SubElement(entry, f"{{{ATOM}}}link", rel="alternate", href=link)
        ET.SubElement(entry, f"{{{ATOM}}}updated").text = _timestamp(article.meta.date or updated)
        if article.meta.author:
            author = ET.SubElement(entry, f"{{{ATOM}}}author")
            ET.SubElement(author, f"{{{ATOM}}}name").text = article.meta.author
        ET.SubElement(entry, f"{{{ATOM}}}summary").text = article.description
    return _serialize(feed)


def sitemap(base_url: str, pages: dict[str, str]) -> bytes:
    """``pages``: site URL -> ISO date, or ''."""
    namespace = "http://www.sitemaps.org/schemas/sitemap/0.9"
    ET.register_namespace("", namespace)
    root = ET.Element(f"{{{namespace}}}urlset")
    for url, date in pages.items():
        item = ET.SubElement(root, f"{{{namespace}}}url")
        ET.SubElement(item, f"{{{namespace}}}loc").text = urls.absolute(base_url, url)
        if len(date) == 10:
            ET.SubElement(item, f"{{{namespace}}}lastmod").text = date
    return _serialize(root)


def robots(base_url: str) -> bytes:
    lines = ["User-agent: *", "Allow: /"]
    if base_url:
        lines.append(f"Sitemap: {urls.absolute(base_url, 'sitemap.xml')}")
    return ("\n".join(lines) + "\n").encode()


def _serialize(element: ET.Element) -> bytes:
    ET.indent(element)
    return b'<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(element, encoding="unicode").encode() + b"\n"
