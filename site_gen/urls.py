"""The one URL and output-path policy.

Pages live at ``<path>/index.html`` and are addressed as ``<path>/`` (site-relative, no leading
slash). Every link a page makes is *relative* to that page, so the same output works at a domain
root, under a GitHub Pages subpath and opened from disk. Absolute URLs (feed, sitemap, canonical,
Open Graph) need ``base_url``.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache
from urllib.parse import urlsplit

HOME = ""
BUILT_IN = {"glossary/": "glossary index", "tags/": "list of tags", "search/": "search page"}
"""The site's own pages at the URLs a page of ``content/pages`` could take (``<slug>/``): reserved
whether or not this build makes them, so a site never loses a page when it gets its first tag."""


def article_url(slug: str) -> str:
    return f"articles/{slug}/"


def glossary_url(slug: str, number: int = 1) -> str:
    """A term's page; ``number`` > 1: the page continuing its list of uses."""
    return f"glossary/{slug}/" if number <= 1 else f"glossary/{slug}/page/{number}/"


def page_url(slug: str) -> str:
    return f"{slug}/"


def tag_url(slug: str) -> str:
    return f"tags/{slug}/"


def home_url(number: int) -> str:
    """The home page's ``number``-th page of articles (1 is the home page itself)."""
    return HOME if number <= 1 else f"page/{number}/"


def output_path(url: str) -> str:
    """The file a URL is written to: directories get ``index.html``."""
    return url + "index.html" if url == "" or url.endswith("/") else url


@lru_cache(maxsize=65536)
def relative(from_url: str, to_url: str) -> str:
    """The link from the page at ``from_url`` to ``to_url`` (both site-relative)."""
    here = from_url.split("/")[:-1]
    there = to_url.split("/")
    common = 0
    while common < min(len(here), len(there) - 1) and here[common] == there[common]:
        common += 1
    target = "../" * (len(here) - common) + "/".join(there[common:])
    return target or "./"


def relative_from(from_url: str) -> Callable[[str], str]:
    """:func:`relative` for the links of one page, most of which lead out of its top folder (the
    site's navigation, assets, glossary and tag pages): those need no path comparison."""
    depth = from_url.count("/")
    up = "../" * depth
    top = from_url[:from_url.find("/") + 1]

    def link(to_url: str) -> str:
        if not depth:
            return to_url or "./"
        if not to_url.startswith(top):
            return up + to_url
        return relative(from_url, to_url)

    return link


def absolute(base_url: str, url: str) -> str:
    """A full URL for feeds and metadata; site-relative when no ``base_url`` is configured."""
    if not base_url:
        return url
    return base_url.rstrip("/") + "/" + url


_WEB_ADDRESS = re.compile(r"https?://[^\s<>]+")


def is_web_address(value: object) -> bool:
    """Whether a value (a source, a citation) is a web address to link to rather than text to show:
    ``http(s)://`` and no space or angle bracket, so it can also be written as a Markdown autolink."""
    return isinstance(value, str) and _WEB_ADDRESS.fullmatch(value) is not None


def base_path(base_url: str) -> str:
    """The path part of ``base_url`` ('/reader/'), used by the 404 page which is served at any depth."""
    path = urlsplit(base_url).path if base_url else "/"
    return path if path.endswith("/") else path + "/"
