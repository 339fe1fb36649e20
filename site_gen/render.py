"""``render_site``: the Site through the theme's templates to output files.

Template contexts are built here and only here. Every page gets ``link(url)`` (a relative link from
that page), ``asset(name)`` (a theme file, content-hashed), ``site`` and ``page``; each template
gets a few more values, listed in ``docs/themes.md``.
"""

from __future__ import annotations

import json
import math
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import Any

import jinja2

from . import citation, redirects, site_files, urls
from .assets import Assets, build_assets
from .cache import BuildCache, Stage, digest, local
from .concordance import Use, term_uses
from .diagnostics import SourceLocation
from .epub import site_book
from .language import language_direction
from .model import DocumentMeta, GlossaryEntry, OutputFile, Page
from .pages import Site
from .record import record
from .templates import compile_all, create_environment, template_error
from .text import slugify
from .theme import Theme

WORDS_PER_MINUTE = 230
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
          "October", "November", "December")
YEAR_GROUPING_THRESHOLD = 20
TOC_MIN_HEADINGS = 3


def display_date(iso: str, within: str = "") -> str:
    """``2012-06-08`` as "8 June 2012"; partial dates as "June 2012" or "1790". ``within``: the year
    of the heading the date is listed under, left out ("8 June", "June", or '' for the year alone)."""
    parts = iso.split("-") if iso else []
    year = "" if within and parts and parts[0] == within else parts[0] if parts else ""
    if len(parts) == 3:
        return f"{int(parts[2])} {MONTHS[int(parts[1]) - 1]} {year}".rstrip()
    if len(parts) == 2:
        return f"{MONTHS[int(parts[1]) - 1]} {year}".rstrip()
    return year if parts else iso


@dataclass(frozen=True, slots=True)
class Link:
    """Another page as a template shows it: where it is and what it is called."""

    url: str
    title: str
    date: str = ""


@dataclass(frozen=True, slots=True)
class Pager:
    """Where a page of a list (the articles, a term's uses: newest first) is among the others (None
    where there is no such page)."""

    number: int
    count: int
    newer_url: str | None
    older_url: str | None


def _paged(items: tuple, size: int, url: Callable[[int], str]) -> list[tuple[tuple, Pager]]:
    """``items`` in runs of ``size`` (one empty run if there are none), each with its :class:`Pager`;
    ``url(n)``: the URL of page ``n``."""
    chunks = [items[start:start + size] for start in range(0, len(items), size)] or [()]
    return [(chunk, Pager(number, len(chunks), url(number - 1) if number > 1 else None,
                          url(number + 1) if number < len(chunks) else None))
            for number, chunk in enumerate(chunks, start=1)]


@record
class Job:
    """Everything one page's HTML depends on, besides the site-wide values."""

    template: str
    url: str
    items: tuple[tuple[str, Any], ...]
    """The template's own values, sorted by name."""


class SiteRenderer:
    """Renders pages of one site with one theme; holds the Jinja environment and the shared values."""

    def __init__(self, site: Site, env: jinja2.Environment, assets: Assets, build_date: str, search_manifest: str,
                 key: str = ""):
        self.site = site
        self.key = key
        """A digest of everything every page depends on (theme, settings, build date...), for cache keys."""
        self.assets = assets
        self.build_date = build_date
        self.search_manifest = search_manifest
        self.env = env
        self.nav_pages = nav_links(site)
        self.formatter: citation.Formatter | None = None

    def citations(self) -> citation.Formatter:
        """The citation styles: the build's (kept in its cache, so live preview formats each shape of
        reference once), else parsed when a page first needs them."""
        if self.formatter is None:
            self.formatter = citation.Formatter(self.site.config.citation.styles)
        return self.formatter

    def render(self, template: str, url: str, **context: Any) -> OutputFile:
        link = urls.relative_from(url)

        def asset(name: str) -> str:
            return link(self.assets.urls[name])

        config = self.site.config
        values = {
            "site": config.site,
            "site_direction": language_direction(config.site.language),
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
            "nav_pages": self.nav_pages,
            **context,
        }
        try:
            html = self.env.get_template(template).render(values)
        except Exception as exc:  # any exception a template raises is that template's error, named by file and line
            raise template_error(exc, config.root) from None
        return OutputFile(urls.output_path(url), html.encode("utf-8"))

    def render_job(self, job: Job) -> OutputFile:
        return self.render(job.template, job.url, **dict(job.items))


def nav_links(site: Site) -> tuple[Link, ...]:
    """The pages in the site's navigation, as every page links to them."""
    return tuple(Link(page.url, page.meta.title) for page in site.nav_pages)


def _job(template: str, url: str, **context: Any) -> Job:
    return Job(template, url, tuple(sorted(context.items())))


@record
class ArticlePage:
    """An article's page: the key of everything its HTML depends on (pages compare by identity)."""

    article: Page
    newer: Page | None
    older: Page | None
    terms: tuple[tuple[GlossaryEntry, str], ...]
    """The glossary entries it uses, each with its short definition."""

    def job(self, renderer: SiteRenderer) -> Job:
        return _article_job(renderer, self)


@record
class PlainPage:
    """A page of ``content/pages``."""

    page: Page

    def job(self, renderer: SiteRenderer) -> Job:
        return _job("page.html", self.page.url, page=self.page)


@record
class TermPage:
    """One page of a glossary term: its definition and first uses, or (``pager.number`` > 1) more uses."""

    page: Page
    entry: GlossaryEntry
    uses: tuple[Use, ...]
    see_also: tuple[tuple[str, GlossaryEntry | None], ...]
    counts: tuple[int, int]
    """The term's mentions and articles in all."""
    pager: Pager
    first: int
    """The number of the first use on this page."""

    def job(self, renderer: SiteRenderer) -> Job:
        return _term_job(self)


PageKind = ArticlePage | PlainPage | TermPage


def _terms_used(article: Page, glossary: tuple[dict[str, GlossaryEntry], dict[str, str]]) -> tuple:
    """The glossary entries an article uses, each with its short definition (for the term list)."""
    entries, shorts = glossary
    return tuple((entries[term], shorts.get(term, "")) for term, _ in article.occurrences if term in entries)


def _term_keys_job(inputs: tuple, context: tuple[int, dict[str, GlossaryEntry]]) -> list[TermPage]:
    size, names = context
    return _term_keys(*inputs[:3], size, names)


TERMS_USED = Stage("terms-used", _terms_used)
TERM_KEYS = Stage("term-keys", _term_keys_job)
GLOSSARY_SHORTS, ENTRY_NAMES, GLOSSARY_INDEX, HOME = "glossary-shorts", "entry-names", "glossary-index", "home"
TAG, TAGS, FIXED_PAGES, REDIRECT = "tag", "tags", "fixed-pages", "redirect"
ASSETS = "assets"
TEMPLATES, CITATION_STYLES = local("templates"), local("citation-styles")
COMPILED_TEMPLATES = "compiled-templates"


def page_keys(site: Site, uses_by_term: dict[str, tuple[Use, ...]], cache: BuildCache) -> list[PageKind]:
    """Every article, page and term page: a key naming everything its HTML depends on (pages, entries
    and uses compare by identity), which makes its job when it must be rendered."""
    entries = site.glossary.by_slug()
    articles = site.articles
    shorts = cache.one(GLOSSARY_SHORTS, site.glossary_pages, lambda: {
        page.meta.slug: page.description for page in site.glossary_pages})
    used = cache.run(TERMS_USED, [(article, site.glossary) for article in articles], articles.__getitem__,
                     (entries, shorts))
    last = len(articles) - 1
    keys: list[PageKind] = [ArticlePage(article, articles[i - 1] if i > 0 else None,
                                        articles[i + 1] if i < last else None, used[i])
                            for i, article in enumerate(articles)]
    keys += [PlainPage(page) for page in site.pages]
    terms = [(page, entries[page.meta.slug]) for page in site.glossary_pages]
    names = cache.one(ENTRY_NAMES, site.glossary, lambda: {
        name.lower(): e for e in site.glossary.entries for name in (e.slug, e.term, *e.aliases)})
    size = site.config.glossary.uses_per_page
    inputs = [(page, entry, uses_by_term.get(entry.slug, ()), site.glossary, size) for page, entry in terms]
    for term_keys in cache.run(TERM_KEYS, inputs, inputs.__getitem__, (size, names)):
        keys += term_keys
    return keys


def _term_keys(page: Page, entry: GlossaryEntry, uses: tuple[Use, ...], size: int,
               by_name: dict[str, GlossaryEntry]) -> list[TermPage]:
    """The keys of a term's pages, ``size`` uses to a page; ``by_name``: entries by any of their names."""
    see_also = tuple((name, by_name.get(name.lower())) for name in entry.see_also)
    counts = (sum(use.total for use in uses), len(uses))
    return [TermPage(page, entry, chunk, see_also, counts, pager, (pager.number - 1) * size + 1)
            for chunk, pager in _paged(uses, size, lambda number: urls.glossary_url(entry.slug, number))]


def _article_job(renderer: SiteRenderer, key: ArticlePage) -> Job:
    site = renderer.site
    article, newer, older = key.article, key.newer, key.older
    work = citation.work_of(site.config.site, article)
    ids = article.passage_ids
    return _job(
        "article.html", article.url,
        page=article,
        newer=Link(newer.url, newer.meta.title) if newer else None,
        older=Link(older.url, older.meta.title) if older else None,
        terms=key.terms,
        reading_minutes=max(1, math.ceil(article.word_count / WORDS_PER_MINUTE)),
        show_toc=len(article.toc) >= TOC_MIN_HEADINGS,
        json_ld=citation.json_ld(work, urls.absolute(site.config.site.base_url, "") if site.config.site.base_url else ""),
        citation_tags=tuple(citation.highwire_tags(work)),
        references=renderer.citations().references(work),
        cite_url=work.url,
        retired_json=json.dumps(dict(ids.retired), sort_keys=True).replace("<", "\\u003c") if ids and ids.retired else "",
        tag_links=tuple((tag, urls.tag_url(slugify(tag) or "tag")) for tag in article.meta.tags),
    )


def _term_job(key: TermPage) -> Job:
    return _job(
        "term.html", urls.glossary_url(key.entry.slug, key.pager.number),
        page=key.page,
        entry=key.entry,
        aliases=listed_aliases(key.entry),
        see_also=key.see_also,
        uses=key.uses,
        use_count=key.counts[0],
        article_count=key.counts[1],
        pager=key.pager,
        first_use=key.first,
    )


def listed_aliases(entry: GlossaryEntry) -> tuple[str, ...]:
    """The aliases a term's page lists: not those differing from the term (or an earlier alias) in
    case only, which read as the same name ("Haqqani Network" beside "Haqqani network")."""
    seen = {entry.term.casefold()}
    listed = []
    for alias in entry.aliases:
        if alias.casefold() not in seen:
            seen.add(alias.casefold())
            listed.append(alias)
    return tuple(listed)


def _index_pages(renderer: SiteRenderer, cache: BuildCache) -> list[OutputFile]:
    """Home pages, glossary index, tag pages, search and 404: each re-rendered only when what it lists changed."""
    site, shared_key, search = renderer.site, renderer.key, bool(renderer.search_manifest)
    glossary_key = (shared_key, site.glossary_pages, site.glossary.entries)
    files = [cache.one(GLOSSARY_INDEX, glossary_key, lambda: _glossary_index(renderer, site))]
    files += _home_pages(renderer, site, cache, shared_key)
    for slug, tag in site.tags.items():
        files.append(cache.one(TAG, (shared_key, slug, tag.name, tag.articles), lambda slug=slug, tag=tag:
                               renderer.render("tag.html", urls.tag_url(slug), page=_synthetic(tag.name, urls.tag_url(slug)),
                                               articles=tag.articles)))
    if site.tags:
        counts = tuple((slug, tag.name, len(tag.articles)) for slug, tag in site.tags.items())
        files.append(cache.one(TAGS, (shared_key, counts), lambda: renderer.render(
            "tags.html", "tags/", page=_synthetic("Tags", "tags/"), tags=list(counts))))
    return files + cache.one(FIXED_PAGES, (shared_key, search), lambda: _fixed_pages(renderer, site, search))


def _glossary_index(renderer: SiteRenderer, site: Site) -> OutputFile:
    entries = site.glossary.by_slug()
    by_letter: dict[str, list[tuple[Page, GlossaryEntry]]] = defaultdict(list)
    by_category: dict[str, list[tuple[Page, GlossaryEntry]]] = defaultdict(list)
    for page in site.glossary_pages:
        entry = entries[page.meta.slug]
        letter = (slugify(entry.term)[:1] or "#").upper()
        by_letter[letter if letter.isalpha() else "#"].append((page, entry))
        by_category[entry.category or "other"].append((page, entry))
    return renderer.render("glossary.html", "glossary/", page=_synthetic("Glossary", "glossary/"),
                           letters=sorted(by_letter.items()), categories=sorted(by_category.items()))


def _home_pages(renderer: SiteRenderer, site: Site, cache: BuildCache, shared_key: str) -> list[OutputFile]:
    """The article list, ``articles_per_page`` to a page: the home page, then ``page/2/``..."""
    files = []
    book = site_book(site)
    for chunk, pager in _paged(site.articles, site.config.site.articles_per_page, urls.home_url):
        files.append(cache.one(HOME, (shared_key, chunk, pager, site.pages, book), lambda chunk=chunk, pager=pager:
                               _home_page(renderer, site, chunk, pager, book)))
    return files


def _home_page(renderer: SiteRenderer, site: Site, articles: tuple[Page, ...], pager: Pager, book: str) -> OutputFile:
    """One page of the article list; ``book``: the e-book the home page links to ('' for none)."""
    title = site.config.site.title if pager.number == 1 else f"{site.config.site.title} (page {pager.number})"
    url = urls.home_url(pager.number)
    return renderer.render("home.html", url, page=_synthetic(title, url), groups=_year_groups(articles),
                           pages=site.pages, pager=pager, epub_url=book if pager.number == 1 else "")


def _fixed_pages(renderer: SiteRenderer, site: Site, search: bool) -> list[OutputFile]:
    base_path = urls.base_path(site.config.site.base_url) if site.config.site.base_url else ""
    files = []
    if search:
        files.append(renderer.render("search.html", "search/", page=_synthetic("Search", "search/"),
                                     base_path=base_path))
    files.append(renderer.render("404.html", "404.html", page=_synthetic("Page not found", "404.html"),
                                 base_path=base_path))
    return files


def _year_groups(articles: tuple[Page, ...]) -> list[tuple[str, list[Page]]]:
    if len(articles) <= YEAR_GROUPING_THRESHOLD:
        return [("", list(articles))]
    groups: list[tuple[str, list[Page]]] = []
    for article in articles:
        year = article.meta.date[:4] or "Undated"
        if not groups or groups[-1][0] != year:
            groups.append((year, []))
        groups[-1][1].append(article)
    return groups


def _synthetic(title: str, url: str) -> Page:
    """A page with no Markdown body (home, indexes, search)."""
    meta = DocumentMeta(title=title, slug=PurePosixPath(url).stem)
    return Page(kind="index", meta=meta, url=url, body_html="", source=SourceLocation(""))


def prepared_formatter(site: Site) -> citation.Formatter:
    """The site's citation styles with the shapes of its articles' references made, once, before
    the page workers fork (a cache keeps it, so live preview makes each shape once too)."""
    formatter = citation.Formatter(site.config.citation.styles)
    formatter.prepare(citation.work_of(site.config.site, article) for article in site.articles)
    return formatter


def theme_environment(theme: Theme, compiled: dict[str, bytes]) -> jinja2.Environment:
    """The theme's Jinja2 environment with our filters and its templates compiled (or taken from
    ``compiled``, which the build cache keeps); built once per theme version."""
    env = create_environment(theme, compiled)
    env.filters["display_date"] = display_date
    env.tests["url"] = urls.is_web_address
    compile_all(env, theme)
    return env


@record(eq=False)
class PageRendering:
    """What a worker rendering pages needs: its renderer and the page keys. Worker processes are
    forked, so they inherit the site and the citation formatter, and only page numbers and finished
    HTML cross between processes."""

    renderer: SiteRenderer
    keyed: list[PageKind]


def _render_job(index: int, context: PageRendering) -> OutputFile:
    return context.renderer.render_job(context.keyed[index].job(context.renderer))


HTML = Stage("html", _render_job, parallel=True)


def render_site(site: Site, theme: Theme, build_date: str, manifest: str = "",
                cache: BuildCache | None = None, jobs: int = 0) -> list[OutputFile]:
    """Every page, index, feed and asset of the site but the search files; ``manifest`` is the URL
    of the search manifest ('' when search is off), all that pages need to know of the index.

    A page is rendered again only when its context, the theme, the settings or the build date
    changed; many pages are rendered in parallel worker processes.
    """
    cache = cache if cache is not None else BuildCache()
    theme_key = theme.fingerprint()
    assets = cache.one(ASSETS, theme_key, lambda: build_assets(theme))
    compiled = cache.one(COMPILED_TEMPLATES, theme_key, dict)
    env = cache.one(TEMPLATES, theme_key, lambda: theme_environment(theme, compiled))
    shared_key = digest((theme_key, site.config, build_date, manifest, len(site.glossary.entries), nav_links(site)))
    keyed = page_keys(site, term_uses(site, cache), cache)
    keys = [(shared_key, key) for key in keyed]
    styles = site.config.citation.styles
    warm = cache.holds(HTML.name)  # few pages to render: each shape of reference is made when first met
    formatter = cache.one(CITATION_STYLES, styles, lambda: citation.Formatter(styles) if warm else prepared_formatter(site))
    renderer = SiteRenderer(site, env, assets, build_date, manifest, shared_key)
    renderer.formatter = formatter
    shared = PageRendering(renderer, keyed)
    pages = cache.run(HTML, keys, lambda index: index, shared, jobs)
    outputs: list[OutputFile] = list(assets.files)
    outputs += pages
    for output in OUTPUTS:
        outputs += output(renderer, cache)
    return outputs


def _redirects(renderer: SiteRenderer, cache: BuildCache) -> list[OutputFile]:
    """A redirect page at each old URL of a moved article, and ``_redirects`` for hosts that read it."""
    site, shared_key = renderer.site, renderer.key
    moves = redirects.moved_articles(site.articles, site.pages)
    if not moves:
        return []
    files = [cache.one(REDIRECT, (shared_key, old, article.url, article.meta.title), lambda old=old, article=article:
                       renderer.render("redirect.html", old, page=article, target=article.url))
             for old, article in moves.items()]
    base_path = urls.base_path(site.config.site.base_url)
    files.append(OutputFile("_redirects", redirects.netlify_redirects(
        base_path, {old: article.url for old, article in moves.items()})))
    return files


Output = Callable[[SiteRenderer, BuildCache], list[OutputFile]]
OUTPUTS: tuple[Output, ...] = (_index_pages, site_files.machine_files, site_files.citation_files, _redirects,
                               site_files.book)
"""The output files besides the assets and the pages of articles, pages and terms, in the order they
are listed: each a function of the renderer (the site, the build date, the templates) and the build
cache. An output format is one more function here."""
