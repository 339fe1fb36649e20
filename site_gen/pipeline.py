"""``build``: the only place that knows the order of the stages.

    read seeds -> parse -> annotate -> content/articles -> read content -> render Markdown
    -> assemble -> search index -> templates -> write (staging folder, then swap)

Each stage is timed; every input problem is collected as a diagnostic and the build carries on, so
one bad seed never hides the others.
"""

from __future__ import annotations

import datetime
import os
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from . import content, urls
from .annotate import glossary as glossary_files
from .annotate import notes as note_files
from .annotate.annotator import AnnotateOptions, annotate, title_key
from .annotate.matcher import TermMatcher
from .config import SiteConfig
from .diagnostics import Diagnostics, InputError, SourceLocation, warning
from .markdown import LinkContext, MarkdownRenderer
from .model import AnnotatedDocument, ContentFile, Document, Glossary, Note, OutputFile, Page
from .output import check_output_dir, write_output
from .pages import Site, assemble_site, glossary_file, link_resolver, render_page, url_for_file
from .render import render_site
from .search import build_search_index
from .seed_parser import assign_slugs, parse_seed
from .seeds import find_seeds, read_seed
from .theme import load_theme

Progress = Callable[[str, int, int], None]


@dataclass(frozen=True, slots=True)
class BuildOptions:
    out: Path | None = None
    """Output folder; default ``[build] output_dir`` in the site folder."""
    strict: bool = False
    regenerate: frozenset[str] = frozenset()
    """``content/articles/x.md`` files to overwrite even though they were edited by hand."""
    progress: Progress | None = None
    write: bool = True
    """False: build everything in memory but write nothing (``check``)."""


@dataclass
class BuildResult:
    site: Site | None
    outputs: list[OutputFile]
    diagnostics: Diagnostics
    timings: dict[str, float] = field(default_factory=dict)
    out: Path | None = None
    annotated: list[AnnotatedDocument] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.diagnostics.errors == 0


def output_dir(config: SiteConfig, options: BuildOptions) -> Path:
    return options.out if options.out is not None else config.root / config.build.output_dir


def build(config: SiteConfig, options: BuildOptions = BuildOptions()) -> BuildResult:
    diagnostics = Diagnostics()
    timings: dict[str, float] = {}
    timer = _timer(timings)
    out = output_dir(config, options)
    if options.write:
        check_output_dir(out, config.root)
    theme = load_theme(config)
    with timer("read"):
        documents = _read_documents(config, diagnostics)
    with timer("glossary"):
        glossary = _read_glossary(config.root, diagnostics)
        matcher = TermMatcher(
            (form, entry.slug) for entry in glossary.entries for form in (entry.term, *entry.aliases)
        )
        notes = _read_notes(config.root, {d.meta.slug for d in documents}, diagnostics)
    with timer("annotate"):
        annotated = _annotate_all(documents, glossary, matcher, notes, config, diagnostics, options.progress)
    with timer("content"):
        diagnostics.extend(content.write_articles(config.root, annotated, options.regenerate))
        files = _read_content(config.root, diagnostics)
    with timer("markdown"):
        pages = _render_pages(files, glossary, matcher, diagnostics, options.progress)
        site = assemble_site(config, pages, glossary)
    build_date = _build_date(config, site)
    with timer("search"):
        search = build_search_index(site) if config.search.enabled else None
    with timer("templates"):
        outputs = render_site(site, theme, build_date, search)
    if options.strict:
        diagnostics = diagnostics.strict()
    if options.write:
        with timer("write"):
            write_output(out, outputs)
    return BuildResult(site, outputs, diagnostics, timings, out, annotated)


def _timer(timings: dict[str, float]):
    @contextmanager
    def timer(stage: str) -> Iterator[None]:
        start = time.perf_counter()
        yield
        timings[stage] = timings.get(stage, 0.0) + time.perf_counter() - start

    return timer


def _read_documents(config: SiteConfig, diagnostics: Diagnostics) -> list[Document]:
    documents = []
    for path in find_seeds(config.root):
        try:
            seed = read_seed(config.root, path)
        except InputError as exc:
            diagnostics.extend(exc.diagnostics)
            continue
        document = parse_seed(seed, config.seeds, config.site.author)
        diagnostics.extend(document.diagnostics)
        documents.append(document)
    documents, slug_problems = assign_slugs(documents)
    diagnostics.extend(slug_problems)
    return documents


def _read_glossary(root: Path, diagnostics: Diagnostics) -> Glossary:
    entries = []
    for path in glossary_files.find_glossary_files(root):
        try:
            entries.append(glossary_files.read_entry(root, path))
        except InputError as exc:
            diagnostics.extend(exc.diagnostics)
    glossary, problems = glossary_files.check_clashes(entries)
    diagnostics.extend(problems)
    return glossary


def _read_notes(root: Path, slugs: set[str], diagnostics: Diagnostics) -> dict[str, tuple[Note, ...]]:
    notes = {}
    for slug, path in note_files.find_note_files(root).items():
        relative = path.relative_to(root).as_posix()
        if slug not in slugs:
            diagnostics.add(warning(f"notes for an article that does not exist: {slug!r}", SourceLocation(relative),
                                    "rename the file to <article-slug>.yml (the slug is in the article's URL)",
                                    code="notes-unknown-article"))
            continue
        try:
            notes[slug] = note_files.read_notes(root, path)
        except InputError as exc:
            diagnostics.extend(exc.diagnostics)
    return notes


def _annotate_all(documents: list[Document], glossary: Glossary, matcher: TermMatcher,
                  notes: dict[str, tuple[Note, ...]], config: SiteConfig, diagnostics: Diagnostics,
                  progress: Progress | None) -> list[AnnotatedDocument]:
    titles = {title_key(d.meta.title): d.meta.slug for d in documents}
    options = AnnotateOptions(config.glossary.link, config.notes.fuzzy_threshold)
    entries = glossary.by_slug()
    annotated = []
    for index, document in enumerate(documents):
        item = annotate(document, matcher, entries, notes.get(document.meta.slug, ()), titles, options)
        diagnostics.extend(item.diagnostics)
        annotated.append(item)
        if progress:
            progress("annotate", index + 1, len(documents))
    return annotated


def _read_content(root: Path, diagnostics: Diagnostics) -> list[ContentFile]:
    files = []
    for path, kind in content.find_content_files(root):
        try:
            files.append(content.read_content_file(root, path, kind))
        except InputError as exc:
            diagnostics.extend(exc.diagnostics)
    return files


def _render_pages(files: list[ContentFile], glossary: Glossary, matcher: TermMatcher, diagnostics: Diagnostics,
                  progress: Progress | None) -> list[Page]:
    markdown = MarkdownRenderer()
    all_files = files + [glossary_file(entry) for entry in glossary.entries]
    url_by_file = {f.path: url_for_file(f.path, f.kind, f.meta.slug) for f in all_files}
    known = frozenset(entry.slug for entry in glossary.entries)
    pages = []
    for index, file in enumerate(all_files):
        url = url_by_file[file.path]
        context = LinkContext(
            resolve=link_resolver(file.path, url_by_file),
            relative=lambda target, url=url: urls.relative(url, target),
            find_terms=matcher.find,
            term_mode="links" if file.kind == "glossary" else "mentions",
            exclude_term=file.meta.slug if file.kind == "glossary" else "",
            known_terms=known,
        )
        page, problems = render_page(markdown, file, url, context)
        diagnostics.extend(problems)
        pages.append(page)
        if progress:
            progress("render", index + 1, len(all_files))
    return pages


def _build_date(config: SiteConfig, site: Site) -> str:
    """A reproducible "updated" date: configured, else SOURCE_DATE_EPOCH, else the newest article's."""
    if config.build.build_date:
        return config.build.build_date[:10]
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "")
    if epoch.isdigit():
        return datetime.datetime.fromtimestamp(int(epoch), datetime.timezone.utc).date().isoformat()
    dates = [a.meta.date for a in site.articles if a.meta.date]
    return max(dates) if dates else "1970-01-01"
