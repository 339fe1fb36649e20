"""Content files and glossary entries to rendered :class:`Page` values, and the :class:`Site` around them.

``render_page`` is a pure function of one file and the link context, so pages can be rendered in any
order, in parallel and from a cache. ``assemble_site`` adds what needs all pages at once: order,
previous/next and tags (each term's concordance is made from the pages' own occurrences).
``render_pages`` is the stage: every file through the build cache, the misses in worker processes.
"""

from __future__ import annotations

import dataclasses
import posixpath
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field

from . import passage_records, urls
from .annotate.matcher import TermMatcher, Terms
from .cache import BuildCache, Stage, digest, value_digest
from .config import SiteConfig
from .diagnostics import Diagnostic, SourceLocation, error, unexpected, warning
from .language import suggested_language, text_direction
from .markdown import MARKDOWN_RENDERER, LinkContext, MarkdownRenderer
from .model import ContentFile, DocumentMeta, Glossary, GlossaryEntry, Occurrence, Page, PassageIds
from .options import BuildOptions
from .parallel import Workers
from .passages import assigner
from .record import record
from .text import DIRECTION_CONTROLS, natural_key, shorten, slugify, without_direction_controls, word_count

EXCERPT_CHARS = 280


@record(eq=False)
class Tag:
    """A tag and its articles (in the site's order)."""

    name: str
    """As the first article to have it writes it."""
    articles: tuple[Page, ...]


@dataclass(frozen=True, slots=True)
class Site:
    """Everything the templates, feeds, search index and checks read; built once per build."""

    config: SiteConfig
    articles: tuple[Page, ...]
    """Newest first, those of one date in their seeds' order; the undated last, by title (natural order)."""
    pages: tuple[Page, ...]
    glossary_pages: tuple[Page, ...]
    """In A-Z order of the term."""
    glossary: Glossary
    tags: dict[str, Tag] = field(default_factory=dict)
    """By the tag's slug."""
    files: tuple[ContentFile, ...] = ()
    """The content files the pages were rendered from (the e-book renders the articles again)."""

    @property
    def nav_pages(self) -> tuple[Page, ...]:
        """The pages in the site's navigation (front matter ``nav``), in their order, then by title."""
        return tuple(sorted((page for page in self.pages if page.nav is not None),
                            key=lambda page: (page.nav, natural_key(page.meta.title))))


def url_for_file(path: str, kind: str, slug: str) -> str:
    if kind == "article":
        return urls.article_url(slug)
    if kind == "glossary":
        return urls.glossary_url(slug)
    return urls.page_url(slug)


def link_resolver(page_file: str, url_by_file: dict[str, str]) -> Callable[[str], str | None]:
    """Resolve ``.md`` links written relative to ``page_file`` to the site URLs of their pages."""
    folder = posixpath.dirname(page_file)

    def resolve(href: str) -> str | None:
        return url_by_file.get(posixpath.normpath(posixpath.join(folder, href)))

    return resolve


def render_page(markdown: MarkdownRenderer, file: ContentFile, url: str, context: LinkContext,
                site_language: str = "en") -> tuple[Page, list[Diagnostic]]:
    rendered = markdown.render(file.body, context)
    meta, diagnostics = _without_direction_controls(file)
    diagnostics += [
        warning(f"link to a file that is not in the site: {href}", SourceLocation(file.path, file.body_line),
                "check the file name; links between content files end in .md", code="broken-link")
        for href in rendered.broken_links
    ]
    language = file.meta.language or site_language
    layout = text_direction(language, bool(file.meta.language) or file.kind == "glossary", rendered.text)
    direction, script = layout.direction, layout.script
    if script:
        diagnostics.append(_script_warning(file, script, direction, language))
    occurrences: dict[str, list[Occurrence]] = defaultdict(list)
    for o in rendered.occurrences if file.kind == "article" else ():
        occurrences[o["term"]].append(Occurrence(o["term"], file.meta.slug, o["anchor"], o["before"], o["keyword"],
                                                 o["after"], o["linked"]))
    description = file.description or (rendered.first_paragraph if file.kind == "glossary"
                                        else shorten(rendered.first_paragraph, EXCERPT_CHARS))
    page = Page(
        kind=file.kind,
        meta=meta,
        url=url,
        body_html=rendered.html,
        source=SourceLocation(file.path, file.body_line),
        description=description,
        toc=rendered.toc,
        footnote_count=rendered.footnote_count,
        occurrences=tuple((term, tuple(items)) for term, items in occurrences.items()),
        word_count=word_count(rendered.text),
        text=rendered.text,
        links=rendered.linked_files,
        nav=file.nav,
        passage_ids=rendered.passage_ids,
        language=language,
        direction=direction,
    )
    return page, diagnostics


def _without_direction_controls(file: ContentFile) -> tuple[DocumentMeta, list[Diagnostic]]:
    """The file's title, author and tags without Unicode direction controls, with a warning if
    there were any: a ``<title>``, a feed or a search result cannot isolate them as ``<bdi>`` does."""
    meta = file.meta
    found = [name for name, values in (("title", [meta.title]), ("author", [meta.author]), ("tags", meta.tags))
             if any(DIRECTION_CONTROLS.search(value) for value in values)]
    if not found:
        return meta, []
    tags = tuple(tag for tag in map(without_direction_controls, meta.tags) if tag.strip())
    meta = dataclasses.replace(meta, title=without_direction_controls(meta.title).strip() or meta.slug,
                               author=without_direction_controls(meta.author), tags=tags)
    fields = ", ".join(found[:-1]) + " and " + found[-1] if len(found) > 1 else found[0]
    where = f" (in {file.meta.seed} or its sidecar .yml)" if file.meta.seed else ""
    return meta, [warning(f"text direction controls (U+202A-U+202E, U+2066-U+2069) removed from the {fields}: "
                          "they would turn the text after them around in titles and lists", SourceLocation(file.path, 1),
                          f"remove them{where}; right-to-left text shows the right way without them",
                          code="direction-controls")]


def _script_warning(file: ContentFile, script: str, direction: str, language: str) -> Diagnostic:
    """The text's script contradicts the site's language: said where the editor can set the text's own."""
    where = file.meta.seed or file.path
    setting = posixpath.splitext(where)[0] + ".yml" if file.meta.seed else f"the front matter of {file.path}"
    ways = "right to left" if direction == "rtl" else "left to right"
    return warning(f"the text is mostly in {script.title()} script, not in the site's language ({language}); "
                   f"it is laid out {ways}", SourceLocation(where, 1),
                   f"set its language in {setting} (language: {suggested_language(script)})", code="language-script")


def glossary_file(entry: GlossaryEntry) -> ContentFile:
    """A glossary entry seen as a content file, so it renders like any other page; its description is
    its short definition, the whole first paragraph, typeset as the text is."""
    meta = DocumentMeta(title=entry.term, slug=entry.slug)
    return ContentFile(entry.location.path, "glossary", meta, entry.body, entry.body_line)


def without_url_clashes(pages: list[Page]) -> tuple[list[Page], list[Diagnostic]]:
    """``pages`` without those whose URL is one of the site's own pages (:data:`urls.BUILT_IN`) or
    another page's, each left out with an error naming its file: nothing is silently replaced in the
    built site. Of two pages with one URL, the one named for it keeps it (``about.md`` rather than a
    page that says ``slug: about``), then the first by file name."""
    kept: list[Page] = []
    problems: list[Diagnostic] = []
    taken: dict[str, str] = {}
    for page in sorted(pages, key=lambda page: (not _named_for_its_url(page), page.source.path)):
        built_in = urls.BUILT_IN.get(page.url) if page.kind == "page" else None
        other = taken.get(page.url)
        if built_in or other:
            what = f"the site's own {built_in}" if built_in else f"the URL of {other}"
            problems.append(error(f"its URL {page.url} is {what}: this page is left out",
                                  SourceLocation(page.source.path, 1),
                                  "give it another slug in its front matter (slug: another-name), or rename the file",
                                  code="url-clash"))
            continue
        taken[page.url] = page.source.path
        kept.append(page)
    return kept, problems


def _named_for_its_url(page: Page) -> bool:
    return slugify(posixpath.splitext(posixpath.basename(page.source.path))[0]) == page.meta.slug


def assemble_site(config: SiteConfig, pages: list[Page], glossary: Glossary, files: tuple[ContentFile, ...] = ()) -> Site:
    """The pages in reading order: articles newest first, those of one date in their seeds' order
    ("1790 Washington 1" before "2"), the undated last; titles in natural order ("Nixon 2" before
    "Nixon 10"). ``files``: those the pages were rendered from."""
    articles = sorted((p for p in pages if p.kind == "article"), key=_title_key)
    articles.sort(key=lambda p: natural_key(p.meta.seed) if p.meta.date and p.meta.seed else ())
    articles.sort(key=lambda p: p.meta.date or "", reverse=True)
    others = tuple(sorted((p for p in pages if p.kind == "page"), key=_title_key))
    terms = tuple(sorted((p for p in pages if p.kind == "glossary"), key=_title_key))
    return Site(config, tuple(articles), others, terms, glossary, _tags(articles), files)


def _title_key(page: Page) -> tuple:
    return natural_key(page.meta.title)


def _tags(articles: list[Page]) -> dict[str, Tag]:
    tagged: dict[str, tuple[str, list[Page]]] = {}
    for article in articles:
        for tag in article.meta.tags:
            slug = slugify(tag) or "tag"
            tagged.setdefault(slug, (tag, []))[1].append(article)
    return {slug: Tag(name, tuple(items)) for slug, (name, items) in sorted(tagged.items(), key=lambda t: natural_key(t[0]))}


@record(eq=False)
class PageRenderer:
    """What a worker rendering pages needs, besides the index of its file."""

    markdown: MarkdownRenderer
    matcher: TermMatcher
    url_by_file: dict[str, str]
    files: list[ContentFile]
    previous: dict[str, PassageIds | None]
    """Each article's last record of passage ids, by path."""
    language: str
    """The site's."""


@record(eq=False)
class RenderedPage:
    page: Page
    problems: list[Diagnostic]


def _render_one(index: int, renderer: PageRenderer) -> RenderedPage:
    """Render one page (in a worker process when rendering in parallel)."""
    file = renderer.files[index]
    url = renderer.url_by_file[file.path]
    ids = renderer.previous.get(file.path)
    context = LinkContext(
        resolve=link_resolver(file.path, renderer.url_by_file),
        relative=urls.relative_from(url),
        find_terms=renderer.matcher.find,
        term_mode="links" if file.kind == "glossary" else "mentions",
        exclude_term=file.meta.slug if file.kind == "glossary" else "",
        passages=assigner(ids, file.meta.slug, passage_records.article_source(file)) if file.kind == "article" else None,
    )
    try:
        return RenderedPage(*render_page(renderer.markdown, file, url, context, renderer.language))
    except Exception as exc:
        raise unexpected(exc, file.path) from exc


def _links_and_terms(index: int, renderer: PageRenderer, rendered: RenderedPage) -> str:
    """The check of a page: what its rendering read of the other pages and the glossary (where the
    links its renderer found lead, the glossary terms found in it), so an edit elsewhere re-renders
    only the pages it reaches."""
    file = renderer.files[index]
    resolve = link_resolver(file.path, renderer.url_by_file)
    links = tuple(sorted(set(rendered.page.links)))
    return digest((tuple((link, resolve(link)) for link in links), tuple(renderer.matcher.find(file.body))))


RENDER = Stage("page", _render_one, parallel=True, check=_links_and_terms)


def render_pages(files: list[ContentFile], terms: Terms, previous: dict[str, PassageIds | None], language: str,
                 cache: BuildCache, options: BuildOptions) -> tuple[list[Page], list[Diagnostic]]:
    """Every content file and glossary entry rendered, and the problems found; only pages whose
    inputs changed are rendered, in parallel worker processes when there are many. ``previous``:
    each article's record of passage ids; ``language``: the site's. A page's key is its file, URL
    and passage ids; the rest of the site reaches it through its check (the glossary terms found in
    it, where its links lead), so a glossary edit re-renders only the pages that use the edited term."""
    entries = list(terms.glossary.entries)
    all_files = files + [cache.remember(glossary_file(entry), digest(("glossary", cache.key_of(entry))))
                         for entry in entries]
    url_by_file = {f.path: url_for_file(f.path, f.kind, f.meta.slug) for f in all_files}
    context = digest((terms.key, sorted(url_by_file.items())))
    keys = [(cache.key_of(file), url_by_file[file.path], cache.key_of(previous.get(file.path)), language)
            for file in all_files]
    markdown = cache.one(MARKDOWN_RENDERER, "", MarkdownRenderer)
    renderer = PageRenderer(markdown, terms.matcher, url_by_file, all_files, previous, language)
    made = cache.run(RENDER, keys, lambda i: i, renderer, Workers(options.jobs, options.progress), context)
    for file, key, value in zip(all_files, keys, made, strict=True):  # rendered with the ids it assigned: the same page
        own, read = value.page.passage_ids, previous.get(file.path)
        if own is not None and (read is None or own.values() != read.values()):
            cache.also(RENDER, (*key[:2], value_digest(own), key[3]), key)
    pages = [cache.remember(value.page, cache.key_of(value)) for value in made]
    return pages, [problem for value in made for problem in value.problems]
