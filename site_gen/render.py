"""``render_site``: the Site through the theme's templates to output files.

Template contexts are built here and only here. Every page gets ``link(url)`` (a relative link from
that page), ``asset(name)`` (a theme file, content-hashed), ``site`` and ``page``; each template
gets a few more values, listed in ``docs/themes.md``.
"""

from __future__ import annotations

import hashlib
import json
import math
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import Any

import jinja2

from . import feeds, urls
from .diagnostics import SourceLocation
from .markdown import pygments_css
from .model import DocumentMeta, GlossaryEntry, OutputFile, Page
from .pages import Site
from .search import SearchBundle
from .text import slugify
from .theme import Theme, create_environment, template_error

WORDS_PER_MINUTE = 230
HASHED_SUFFIXES = (".css", ".js", ".json")
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
          "October", "November", "December")
YEAR_GROUPING_THRESHOLD = 20
SNIPPETS_PER_ARTICLE = 3
TOC_MIN_HEADINGS = 3


def display_date(iso: str) -> str:
    """``2012-06-08`` as "8 June 2012"; partial dates as "June 2012" or "1790"."""
    parts = iso.split("-") if iso else []
    if len(parts) == 3:
        return f"{int(parts[2])} {MONTHS[int(parts[1]) - 1]} {parts[0]}"
    if len(parts) == 2:
        return f"{MONTHS[int(parts[1]) - 1]} {parts[0]}"
    return iso


@dataclass(frozen=True, slots=True)
class Assets:
    urls: dict[str, str]
    """Logical name (``site.css``) to site URL (``assets/site.1a2b3c4d.css``)."""
    files: tuple[OutputFile, ...]


def build_assets(theme: Theme, extra: Iterable[tuple[str, bytes]] = ()) -> Assets:
    """Theme static files (plus generated ones) under ``assets/``; CSS, JS and JSON get a content hash."""
    sources = {name: path.read_bytes() for name, path in theme.static_files().items()}
    sources["pygments.css"] = pygments_css(theme.pygments_light, theme.pygments_dark).encode()
    sources.update(extra)
    names: dict[str, str] = {}
    files = []
    for name, data in sorted(sources.items()):
        url = "assets/" + hashed_name(name, data)
        names[name] = url
        files.append(OutputFile(url, data))
    return Assets(names, tuple(files))


def hashed_name(name: str, data: bytes) -> str:
    path = PurePosixPath(name)
    if path.suffix not in HASHED_SUFFIXES:
        return name
    digest = hashlib.sha256(data).hexdigest()[:10]
    return str(path.with_name(f"{path.stem}.{digest}{path.suffix}"))


class SiteRenderer:
    """Renders one site with one theme; holds the Jinja environment and the shared values."""

    def __init__(self, site: Site, theme: Theme, assets: Assets, build_date: str, search_manifest: str):
        self.site = site
        self.assets = assets
        self.build_date = build_date
        self.search_manifest = search_manifest
        self.env = create_environment(theme)
        self.env.filters["display_date"] = display_date
        self.entries = {entry.slug: entry for entry in site.glossary.entries}
        self.entry_by_name = {name.lower(): entry for entry in site.glossary.entries
                              for name in (entry.slug, entry.term, *entry.aliases)}

    def render(self, template: str, url: str, **context: Any) -> OutputFile:
        def link(target: str) -> str:
            return urls.relative(url, target)

        def asset(name: str) -> str:
            return link(self.assets.urls[name])

        config = self.site.config
        values = {
            "site": config.site,
            "search_enabled": bool(self.search_manifest),
            "search_manifest": self.search_manifest,
            "url": url,
            "link": link,
            "asset": asset,
            "absolute": lambda target: urls.absolute(config.site.base_url, target),
            "canonical": urls.absolute(config.site.base_url, url) if config.site.base_url else "",
            "root": link(urls.HOME),
            "build_date": self.build_date,
            "glossary_count": len(self.site.glossary.entries),
            **context,
        }
        try:
            html = self.env.get_template(template).render(values)
        except jinja2.TemplateError as exc:
            raise template_error(exc) from None
        return OutputFile(urls.output_path(url), html.encode("utf-8"))

    def article(self, index: int) -> OutputFile:
        article = self.site.articles[index]
        articles = self.site.articles
        seen: dict[str, GlossaryEntry] = {}
        for occurrence in article.occurrences:
            if occurrence.term in self.entries:
                seen.setdefault(occurrence.term, self.entries[occurrence.term])
        return self.render(
            "article.html", article.url,
            page=article,
            newer=articles[index - 1] if index > 0 else None,
            older=articles[index + 1] if index + 1 < len(articles) else None,
            terms=list(seen.values()),
            reading_minutes=max(1, math.ceil(article.word_count / WORDS_PER_MINUTE)),
            show_toc=len(article.toc) >= TOC_MIN_HEADINGS,
            json_ld=self._json_ld(article),
            tag_links=[(tag, urls.tag_url(slugify(tag) or "tag")) for tag in article.meta.tags],
        )

    def _json_ld(self, article: Page) -> str:
        data = {
            "@context": "https://schema.org",
            "@type": "Article",
            "headline": article.meta.title,
            "description": article.description,
        }
        if article.meta.author:
            data["author"] = {"@type": "Person", "name": article.meta.author}
        if article.meta.date:
            data["datePublished"] = article.meta.date
        if self.site.config.site.base_url:
            data["url"] = urls.absolute(self.site.config.site.base_url, article.url)
        return json.dumps(data, ensure_ascii=False, sort_keys=True).replace("<", "\\u003c")

    def term(self, page: Page) -> OutputFile:
        entry = self.entries[page.meta.slug]
        uses = self.site.concordance.get(entry.slug, ())
        see_also = [self.entry_by_name.get(name.lower()) for name in entry.see_also]
        return self.render(
            "term.html", page.url,
            page=page,
            entry=entry,
            see_also=[(name, e) for name, e in zip(entry.see_also, see_also)],
            uses=[(article, occurrences[:SNIPPETS_PER_ARTICLE], len(occurrences)) for article, occurrences in uses],
            use_count=sum(len(occurrences) for _, occurrences in uses),
        )

    def glossary_index(self) -> OutputFile:
        by_letter: dict[str, list[tuple[Page, GlossaryEntry]]] = defaultdict(list)
        by_category: dict[str, list[tuple[Page, GlossaryEntry]]] = defaultdict(list)
        for page in self.site.glossary_pages:
            entry = self.entries[page.meta.slug]
            letter = (slugify(entry.term)[:1] or "#").upper()
            by_letter[letter if letter.isalpha() else "#"].append((page, entry))
            by_category[entry.category or "other"].append((page, entry))
        meta = DocumentMeta(title="Glossary", slug="glossary")
        return self.render("glossary.html", "glossary/", page=_synthetic(meta, "glossary/"),
                           letters=sorted(by_letter.items()), categories=sorted(by_category.items()))

    def home(self) -> OutputFile:
        articles = self.site.articles
        groups: list[tuple[str, list[Page]]] = []
        if len(articles) > YEAR_GROUPING_THRESHOLD:
            for article in articles:
                year = article.meta.date[:4] or "Undated"
                if not groups or groups[-1][0] != year:
                    groups.append((year, []))
                groups[-1][1].append(article)
        else:
            groups = [("", list(articles))]
        meta = DocumentMeta(title=self.site.config.site.title, slug="")
        return self.render("home.html", urls.HOME, page=_synthetic(meta, urls.HOME), groups=groups,
                           pages=self.site.pages)

    def tags(self) -> list[OutputFile]:
        files = []
        for slug, (name, articles) in self.site.tags.items():
            meta = DocumentMeta(title=name, slug=slug)
            url = urls.tag_url(slug)
            files.append(self.render("tag.html", url, page=_synthetic(meta, url), articles=articles))
        if self.site.tags:
            meta = DocumentMeta(title="Tags", slug="tags")
            files.append(self.render("tags.html", "tags/", page=_synthetic(meta, "tags/"),
                                     tags=[(slug, name, len(items)) for slug, (name, items) in self.site.tags.items()]))
        return files

    def simple(self, template: str, url: str, title: str) -> OutputFile:
        meta = DocumentMeta(title=title, slug=PurePosixPath(url).stem)
        return self.render(template, url, page=_synthetic(meta, url),
                           base_path=urls.base_path(self.site.config.site.base_url))


def _synthetic(meta: DocumentMeta, url: str) -> Page:
    """A page with no Markdown body (home, indexes, search)."""
    return Page(kind="index", meta=meta, url=url, body_html="", source=SourceLocation(""))


def render_site(site: Site, theme: Theme, build_date: str, search: SearchBundle | None = None) -> list[OutputFile]:
    """Every page, index, feed and asset of the site (the search files are passed in, already built)."""
    assets = build_assets(theme)
    renderer = SiteRenderer(site, theme, assets, build_date, search.manifest if search else "")
    outputs: list[OutputFile] = list(assets.files) + list(search.files if search else ())
    outputs += [renderer.article(i) for i in range(len(site.articles))]
    outputs += [renderer.render("page.html", page.url, page=page) for page in site.pages]
    outputs += [renderer.term(page) for page in site.glossary_pages]
    outputs.append(renderer.glossary_index())
    outputs.append(renderer.home())
    outputs += renderer.tags()
    if search:
        outputs.append(renderer.simple("search.html", "search/", "Search"))
    outputs.append(renderer.simple("404.html", "404.html", "Page not found"))
    outputs += _machine_files(site, build_date)
    return outputs


def _machine_files(site: Site, build_date: str) -> list[OutputFile]:
    base_url = site.config.site.base_url
    files = [
        OutputFile("feed.xml", feeds.atom_feed(site.config.site.title, base_url, site.articles, build_date, "feed.xml")),
        OutputFile("robots.txt", feeds.robots(base_url)),
    ]
    if base_url:
        listed = [(urls.HOME, build_date)] + [(p.url, p.meta.date) for p in
                                              (*site.articles, *site.pages, *site.glossary_pages)]
        listed.append(("glossary/", ""))
        files.append(OutputFile("sitemap.xml", feeds.sitemap(base_url, listed)))
    return files
