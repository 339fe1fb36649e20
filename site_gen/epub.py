"""The edition as an EPUB 3 book: a cover made from the site's title, a navigation document, the
articles as chapters in reading order (oldest first), their notes as EPUB footnotes (pop-ups in
e-readers) and the glossary as back matter, linked from the terms in the chapters.

Written with the standard library's ``zipfile`` (the container is a dozen small XML files; the
chapters are the articles' Markdown rendered again for the book). The same edition always gives the
same bytes: entries in a fixed order with a fixed timestamp, and an identifier made from the site.
"""

from __future__ import annotations

import html
import uuid
import zipfile
from dataclasses import dataclass
from io import BytesIO
from pathlib import Path

from . import urls
from .config import SiteSection
from .diagnostics import Diagnostic, SiteGenError, error, warning
from .language import language_direction
from .markdown import LinkContext, MarkdownRenderer
from .model import GlossaryEntry, Page
from .pages import Site, link_resolver
from .passage_records import article_source
from .passages import assigner
from .text import slugify

MIMETYPE = b"application/epub+zip"
TIMESTAMP = (2000, 1, 1, 0, 0, 0)
"""Every entry's date in the zip file (the book's date is in its metadata), so builds are reproducible."""
XHTML = "http://www.w3.org/1999/xhtml"
OPS = "http://www.idpf.org/2007/ops"
STYLE = """body { font-family: serif; line-height: 1.5; margin: 0 5%; }
h1 { font-size: 1.6em; line-height: 1.2; margin: 1.5em 0 0.3em; }
.byline { font-style: italic; margin: 0 0 1.5em; }
.footnotes { border-top: 1px solid #999; margin-top: 2em; font-size: 0.9em; }
blockquote { margin: 1em 1.5em; }
dt { font-weight: bold; margin-top: 1em; }
dd { margin: 0.3em 0 0 1.5em; }
.cover { text-align: center; }
.cover img { max-width: 100%; max-height: 95vh; }
"""


@dataclass(frozen=True, slots=True)
class Chapter:
    name: str
    """File name in the book (``text/<slug>.xhtml``)."""
    title: str
    body: str
    """XHTML of the chapter's ``<body>`` contents."""
    language: str = ""
    """The article's language (BCP 47), '' for the book's."""
    direction: str = ""


def book_name(settings: SiteSection, tag: str = "") -> str:
    """The book's file name: the site's title (and the tag) as a slug."""
    return (slugify(settings.title) or "edition") + (f"-{slugify(tag)}" if tag else "") + ".epub"


def write_book(path: Path, data: bytes) -> None:
    """Write the book atomically; a file already there is replaced only if it is an EPUB (a book
    written before), never another file."""
    if path.exists() and not (path.is_file() and path.read_bytes()[30:58] == b"mimetype" + MIMETYPE):
        raise SiteGenError(error(f"{path} is there and is not an EPUB book: it is left alone",
                                 hint="choose another file with --out, or move that one away"))
    temporary = path.with_name(f".{path.name}.tmp")
    temporary.write_bytes(data)
    temporary.replace(path)


def reading_order(articles: tuple[Page, ...]) -> list[Page]:
    """Oldest first, as an edition is read; undated articles last, by title."""
    dated = sorted((a for a in articles if a.meta.date), key=lambda a: (a.meta.date, a.meta.title.lower()))
    return dated + sorted((a for a in articles if not a.meta.date), key=lambda a: a.meta.title.lower())


def chosen_articles(site: Site, tag: str) -> tuple[Page, ...] | None:
    """The whole edition, or the articles of ``tag`` (by name or slug); None when no article has it."""
    if not tag:
        return site.articles
    found = site.tags.get(slugify(tag) or "tag")
    return found.articles if found else None


def site_book(site: Site) -> str:
    """The name of the book a build adds to the site (``[epub] enabled``), '' when it adds none
    (disabled, or no article to put in it)."""
    settings = site.config.epub
    return book_name(site.config.site, settings.tag) if settings.enabled and chosen_articles(site, settings.tag) else ""


def book_warnings(site: Site) -> list[Diagnostic]:
    """A warning when ``[epub] enabled`` asks for the book of a tag no article has: no book is made,
    and no link to it, which would otherwise go unnoticed."""
    settings = site.config.epub
    if not settings.enabled or not site.articles or chosen_articles(site, settings.tag) is not None:
        return []
    tags = ", ".join(tag.name for tag in site.tags.values()) or "none"
    return [warning(f"no article has the tag {settings.tag!r} of [epub]: the site gets no book",
                    site.config.location("epub.tag"), f"tags in this edition: {tags}; or remove 'tag' for the whole "
                    "edition", code="epub-tag")]


def make_epub(site: Site, build_date: str, tag: str = "") -> bytes:
    """The book of ``site`` (or of the articles tagged ``tag``); the chapters are rendered again
    from the Markdown of the site's content files."""
    files = site.files
    articles = reading_order(chosen_articles(site, tag) or ())
    entries = site.glossary.entries if not tag else _used(site, articles)
    in_book = {article.url: f"text/{article.meta.slug}.xhtml" for article in articles}
    in_book |= {urls.glossary_url(entry.slug): f"glossary.xhtml#term-{entry.slug}" for entry in entries}
    url_by_file = {file.path: (urls.article_url(file.meta.slug) if file.kind == "article" else urls.page_url(file.meta.slug))
                   for file in files}
    url_by_file |= {entry.location.path: urls.glossary_url(entry.slug) for entry in site.glossary.entries}
    by_path = {file.path: file for file in files}
    renderer = MarkdownRenderer("epub")
    settings = site.config.site

    def link(from_name: str):
        def relative(url: str) -> str:
            if url in in_book:
                target = in_book[url]
                return target.removeprefix("text/") if from_name.startswith("text/") and target.startswith("text/") \
                    else ("../" + target if from_name.startswith("text/") else target)
            return urls.absolute(settings.base_url, url) if settings.base_url else "#"
        return relative

    chapters = []
    for article in articles:
        file = by_path[article.source.path]
        name = in_book[article.url]
        context = LinkContext(resolve=lambda href, f=file: link_resolver(f.path, url_by_file)(href) or "",
                              relative=link(name), passage_links=False,
                              passages=assigner(article.passage_ids, article.meta.slug, article_source(file)))
        body = renderer.render(file.body, context).html
        chapters.append(Chapter(name, article.meta.title, _chapter(article, body), article.language, article.direction))
    glossary = _glossary(entries, renderer, url_by_file, link("glossary.xhtml")) if entries else ""
    title = settings.title + (f": {tag}" if tag else "")
    return _package(settings, title, build_date, chapters, glossary)


def _used(site: Site, articles: list[Page]) -> tuple[GlossaryEntry, ...]:
    used = {term for article in articles for term, _ in article.occurrences}
    return tuple(entry for entry in site.glossary.entries if entry.slug in used)


def _chapter(article: Page, body: str) -> str:
    meta = article.meta
    byline = " · ".join(html.escape(part) for part in (meta.author, meta.date) if part)
    return (f'<section epub:type="chapter" role="doc-chapter">\n<h1>{html.escape(meta.title)}</h1>\n'
            + (f'<p class="byline">{byline}</p>\n' if byline else "") + body + "</section>\n")


def _glossary(entries: tuple[GlossaryEntry, ...], renderer: MarkdownRenderer, url_by_file: dict[str, str],
              relative) -> str:
    items = []
    for entry in sorted(entries, key=lambda e: e.term.lower()):
        context = LinkContext(resolve=lambda href, e=entry: link_resolver(e.location.path, url_by_file)(href) or "",
                              relative=relative)
        definition = renderer.render(entry.body, context).html
        items.append(f'<dt id="term-{entry.slug}" epub:type="glossterm"><dfn>{html.escape(entry.term)}</dfn></dt>\n'
                     f'<dd epub:type="glossdef">\n{definition}</dd>\n')
    return ('<section epub:type="glossary" role="doc-glossary">\n<h1>Glossary</h1>\n<dl>\n'
            + "".join(items) + "</dl>\n</section>\n")


def _page(title: str, language: str, body: str, direction: str = "") -> bytes:
    """One XHTML file of the book, in ``language`` and its ``direction`` (an article's own, when it has them)."""
    language = html.escape(language)
    return (f'<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE html>\n'
            f'<html xmlns="{XHTML}" xmlns:epub="{OPS}" lang="{language}" xml:lang="{language}" '
            f'dir="{direction or language_direction(language)}">\n'
            f'<head>\n<meta charset="utf-8" />\n<title>{html.escape(title)}</title>\n'
            f'<link rel="stylesheet" type="text/css" href="{{style}}" />\n</head>\n<body>\n{body}</body>\n</html>\n'
            ).encode()


def _cover_svg(title: str, subtitle: str) -> bytes:
    lines, line = [], ""
    for word in title.split():
        if line and len(line) + len(word) > 18:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    lines.append(line)
    text = "".join(f'<tspan x="300" dy="{0 if i == 0 else 62}">{html.escape(part)}</tspan>' for i, part in enumerate(lines))
    return (f'<?xml version="1.0" encoding="utf-8"?>\n'
            f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 600 900" width="600" height="900">\n'
            f'<rect width="600" height="900" fill="#f5f1e6"/>\n<rect x="40" y="40" width="520" height="820" '
            f'fill="none" stroke="#8a3a00" stroke-width="4"/>\n'
            f'<text x="300" y="{380 - 31 * (len(lines) - 1)}" font-family="serif" font-size="52" text-anchor="middle" '
            f'fill="#1b1b1b">{text}</text>\n'
            f'<text x="300" y="780" font-family="serif" font-size="26" text-anchor="middle" fill="#5c5c5c">'
            f'{html.escape(subtitle)}</text>\n</svg>\n').encode()


def _package(settings: SiteSection, title: str, build_date: str, chapters: list[Chapter], glossary: str) -> bytes:
    language = settings.language or "en"
    identifier = uuid.uuid5(uuid.NAMESPACE_URL, (settings.base_url or settings.title) + "#" + title)
    files: list[tuple[str, bytes]] = [
        ("META-INF/container.xml", b'<?xml version="1.0" encoding="utf-8"?>\n<container version="1.0" '
         b'xmlns="urn:oasis:names:tc:opendocument:xmlns:container">\n<rootfiles>\n<rootfile full-path="OEBPS/content.opf" '
         b'media-type="application/oebps-package+xml"/>\n</rootfiles>\n</container>\n'),
        ("OEBPS/style.css", STYLE.encode()),
        ("OEBPS/cover.svg", _cover_svg(title, settings.description[:60] if settings.description else build_date[:4])),
        ("OEBPS/cover.xhtml", _page(title, language, f'<section class="cover" epub:type="cover">\n'
                                    f'<img src="cover.svg" alt="{html.escape(title)}" />\n</section>\n')
         .replace(b"{style}", b"style.css")),
        ("OEBPS/nav.xhtml", _page(title, language, _nav(chapters, bool(glossary), language))
         .replace(b"{style}", b"style.css")),
    ]
    files += [(f"OEBPS/{c.name}", _page(c.title, c.language or language, c.body, c.direction)
               .replace(b"{style}", b"../style.css")) for c in chapters]
    if glossary:
        files.append(("OEBPS/glossary.xhtml", _page("Glossary", language, glossary).replace(b"{style}", b"style.css")))
    files.insert(1, ("OEBPS/content.opf", _opf(settings, title, str(identifier), build_date, chapters, bool(glossary))))
    out = BytesIO()
    with zipfile.ZipFile(out, "w") as book:
        book.writestr(zipfile.ZipInfo("mimetype", TIMESTAMP), MIMETYPE, compress_type=zipfile.ZIP_STORED)
        for name, data in files:
            book.writestr(zipfile.ZipInfo(name, TIMESTAMP), data, compress_type=zipfile.ZIP_DEFLATED)
    return out.getvalue()


def _full_date(iso: str) -> str:
    """A partial ISO date (``2012``, ``2012-06``) completed to a day, as ``dcterms:modified`` wants."""
    parts = [part for part in iso[:10].split("-") if part.isdigit()] or ["1970"]
    return "-".join([parts[0].zfill(4), *(p.zfill(2) for p in parts[1:3]), *["01"] * (3 - len(parts))])


def _nav(chapters: list[Chapter], glossary: bool, language: str) -> str:
    items = "".join(f'<li><a href="{c.name}"{_language_attributes(c, language)}>{html.escape(c.title)}</a></li>\n'
                    for c in chapters)
    if glossary:
        items += '<li><a href="glossary.xhtml">Glossary</a></li>\n'
    landmarks = ('<li><a epub:type="cover" href="cover.xhtml">Cover</a></li>\n'
                 '<li><a epub:type="toc" href="nav.xhtml">Contents</a></li>\n')
    if chapters:
        landmarks += f'<li><a epub:type="bodymatter" href="{chapters[0].name}">{html.escape(chapters[0].title)}</a></li>\n'
    if glossary:
        landmarks += '<li><a epub:type="glossary" href="glossary.xhtml">Glossary</a></li>\n'
    return (f'<nav epub:type="toc" id="toc" role="doc-toc">\n<h1>Contents</h1>\n<ol>\n{items}</ol>\n</nav>\n'
            f'<nav epub:type="landmarks" id="landmarks" hidden="hidden">\n<h2>Landmarks</h2>\n<ol>\n{landmarks}</ol>\n</nav>\n')


def _language_attributes(chapter: Chapter, language: str) -> str:
    """A chapter title's language and direction, where they are not the book's (``language``)."""
    attributes = ""
    if chapter.language and chapter.language != language:
        own = html.escape(chapter.language)
        attributes += f' lang="{own}" xml:lang="{own}"'
    if chapter.direction and chapter.direction != language_direction(language):
        attributes += f' dir="{chapter.direction}"'
    return attributes


def _opf(settings: SiteSection, title: str, identifier: str, build_date: str, chapters: list[Chapter],
         glossary: bool) -> bytes:
    esc = html.escape
    items = ['<item id="nav" href="nav.xhtml" media-type="application/xhtml+xml" properties="nav"/>',
             '<item id="style" href="style.css" media-type="text/css"/>',
             '<item id="cover-image" href="cover.svg" media-type="image/svg+xml" properties="cover-image"/>',
             '<item id="cover" href="cover.xhtml" media-type="application/xhtml+xml" properties="svg"/>']
    spine = ['<itemref idref="cover" linear="no"/>', '<itemref idref="nav"/>']
    for number, chapter in enumerate(chapters, start=1):
        items.append(f'<item id="chapter-{number}" href="{chapter.name}" media-type="application/xhtml+xml"/>')
        spine.append(f'<itemref idref="chapter-{number}"/>')
    if glossary:
        items.append('<item id="glossary" href="glossary.xhtml" media-type="application/xhtml+xml"/>')
        spine.append('<itemref idref="glossary"/>')
    language = settings.language or "en"
    languages = dict.fromkeys([language, *(chapter.language for chapter in chapters if chapter.language)])
    progression = ' page-progression-direction="rtl"' if language_direction(language) == "rtl" else ""
    metadata = [f'<dc:identifier id="book-id">urn:uuid:{identifier}</dc:identifier>', f"<dc:title>{esc(title)}</dc:title>",
                *(f"<dc:language>{esc(tag)}</dc:language>" for tag in languages),
                f'<meta property="dcterms:modified">{_full_date(build_date)}T00:00:00Z</meta>']
    if settings.author:
        metadata.append(f"<dc:creator>{esc(settings.author)}</dc:creator>")
    if settings.description:
        metadata.append(f"<dc:description>{esc(settings.description)}</dc:description>")
    if settings.copyright:
        metadata.append(f"<dc:rights>{esc(settings.copyright)}</dc:rights>")
    if settings.base_url:
        metadata.append(f"<dc:source>{esc(settings.base_url)}</dc:source>")
    return ('<?xml version="1.0" encoding="utf-8"?>\n<package xmlns="http://www.idpf.org/2007/opf" version="3.0" '
            f'unique-identifier="book-id" xml:lang="{esc(language)}">\n'
            '<metadata xmlns:dc="http://purl.org/dc/elements/1.1/">\n' + "\n".join(metadata) + "\n</metadata>\n"
            "<manifest>\n" + "\n".join(items) + "\n</manifest>\n<spine" + progression + ">\n" + "\n".join(spine) + "\n</spine>\n"
            "</package>\n").encode()
