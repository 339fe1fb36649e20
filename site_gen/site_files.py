"""The site's files besides its HTML pages: the Atom feed, robots.txt and the sitemap, each
article's citation downloads, and the EPUB book. Each is a function of the renderer (the site and
its build date) and the build cache, listed in ``render.OUTPUTS``."""

from __future__ import annotations

from typing import TYPE_CHECKING

from . import citation, feeds, urls
from .cache import BuildCache, Stage
from .config import SiteSection
from .epub import make_epub, site_book
from .model import OutputFile

if TYPE_CHECKING:
    from .model import Page
    from .render import SiteRenderer


def _downloads(article: Page, site: SiteSection) -> dict:
    return citation.downloads(citation.work_of(site, article))


CITE_FILES = Stage("cite-files", _downloads)
FEED, SITEMAP, EPUB = "feed", "sitemap", "epub"


def machine_files(renderer: SiteRenderer, cache: BuildCache) -> list[OutputFile]:
    """The Atom feed, robots.txt and (with a base URL) the sitemap."""
    site, build_date = renderer.site, renderer.build_date
    base_url, title = site.config.site.base_url, site.config.site.title
    latest, language = site.articles[:feeds.FEED_ENTRIES], site.config.site.language
    files = [
        cache.one(FEED, (title, base_url, build_date, latest, language), lambda: OutputFile(
            "feed.xml", feeds.atom_feed(title, base_url, latest, build_date, "feed.xml", language))),
        OutputFile("robots.txt", feeds.robots(base_url)),
    ]
    if base_url:
        listed = tuple([(urls.HOME, build_date)] + [(p.url, p.meta.date) for p in
                                                    (*site.articles, *site.pages, *site.glossary_pages)]
                       + [("glossary/", "")])
        files.append(cache.one(SITEMAP, (base_url, listed),
                               lambda: OutputFile("sitemap.xml", feeds.sitemap(base_url, dict(listed)))))
    return files


def citation_files(renderer: SiteRenderer, cache: BuildCache) -> list[OutputFile]:
    """Each article's ``cite.bib``, ``cite.ris`` and ``cite.json`` downloads."""
    site = renderer.site
    settings = (site.config.site.base_url, site.config.site.title, site.config.site.language)
    made = cache.run(CITE_FILES, [(article, settings) for article in site.articles], site.articles.__getitem__,
                     site.config.site)
    return [OutputFile(article.url + name, data) for article, files in zip(site.articles, made, strict=True)
            for name, data in files.items()]


def book(renderer: SiteRenderer, cache: BuildCache) -> list[OutputFile]:
    """The edition as an EPUB book (``[epub] enabled``), linked from the home page."""
    site, build_date, config = renderer.site, renderer.build_date, renderer.site.config
    book = site_book(site)
    if not book:
        return []
    return [cache.one(EPUB, (site.articles, site.glossary, config, build_date), lambda: OutputFile(
        book, make_epub(site, build_date, config.epub.tag)))]
