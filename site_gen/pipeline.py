"""``build``: the only place that knows the order of the stages.

    read seeds -> parse -> annotate -> content/articles -> read content -> render Markdown
    -> assemble -> text integrity -> search index -> templates -> write (staging folder, then swap)

Each stage is timed; every input problem is collected as a diagnostic and the build carries on, so
one bad seed never hides the others. Every stage result goes through the :class:`BuildCache`, keyed
by what it depends on, so a rebuild redoes only what a change affects.
"""

from __future__ import annotations

import dataclasses
import gc
import os
import re
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

from . import content, integrity, passage_records, urls
from .annotate import glossary as glossary_files
from .annotate import notes as note_files
from .annotate.annotator import AnnotateOptions, annotate, title_key
from .annotate.matcher import TermMatcher
from .cache import BuildCache, digest
from .config import SeedsSection, SiteConfig, epoch_date
from .diagnostics import Diagnostic, Diagnostics, InputError, SiteGenError, SourceLocation, unexpected, warning
from .epub import make_epub, site_book
from .fingerprint import build_fingerprints, record, recorded
from .inputs import display_path, listed, read_all, stat_keys
from .markdown import LinkContext, MarkdownRenderer
from .mdit_plugins.glossary_link import GLOSSARY_HREF
from .model import AnnotatedDocument, ContentFile, Document, Glossary, Note, OutputFile, Page, PassageIds, Seed
from .options import BuildOptions, output_dir
from .output import BackgroundWrites, check_output_dir, staged_output, update_output
from .pages import Site, assemble_site, glossary_file, link_resolver, render_page, url_for_file, without_url_clashes
from .parallel import Forked, Ready, as_is, map_parallel
from .passages import assigner
from .reading import check_folders
from .render import check_theme, render_site
from .search import MANIFEST, Cancelled, SearchBundle, build_search_index
from .seed_parser import assign_slugs, parse_seed, with_slug
from .seeds import SEEDS_DIR, find_seeds, read_seed, seed_folders
from .theme import load_theme

T = TypeVar("T")
INPUT_FOLDERS = (SEEDS_DIR, "content", content.ARTICLES_DIR, content.PAGES_DIR, glossary_files.GLOSSARY_DIR,
                 note_files.NOTES_DIR, passage_records.IDS_DIR, "templates", "themes")
"""The site's input folders: none may lead out of the site (checked before anything is written)."""
SERIAL = 1
"""Parsing runs in this process: measured, sending documents back from workers costs as much as the
work (benchmarks/run.py). Annotating, Markdown, templates and the search index are worth workers:
they inherit the documents and send back only what they made."""


@dataclass
class BuildResult:
    site: Site | None
    outputs: list[OutputFile]
    diagnostics: Diagnostics
    timings: dict[str, float] = field(default_factory=dict)
    out: Path | None = None
    annotated: list[AnnotatedDocument] = field(default_factory=list)
    search: SearchBundle | None = None
    build_date: str = ""
    written: dict[str, str] = field(default_factory=dict)
    """The ``content/articles`` files this build wrote: path -> text (live preview tells its own writes
    from an editor's by them)."""
    up_to_date: bool = False
    """Nothing changed since the last build: nothing was built (``diagnostics`` are that build's)."""
    files: list[ContentFile] = field(default_factory=list)
    """The content files the pages were rendered from (the e-book renders the articles again)."""

    @property
    def ok(self) -> bool:
        return self.diagnostics.errors == 0


def build(config: SiteConfig, options: BuildOptions = BuildOptions(), cache: BuildCache | None = None) -> BuildResult:
    cache = cache if cache is not None else BuildCache(kept=False)
    # A cache's first build freezes each stage's results out of the collector's scans until it
    # ends; a caller that keeps the cache (live preview) freezes the heap itself after that build.
    freezing = cache.empty
    cache.start()
    diagnostics = Diagnostics()
    timings: dict[str, float] = {}
    timer = _timer(timings)
    out = output_dir(config, options)
    check_folders(config.root, INPUT_FOLDERS)
    if options.write:
        diagnostics.extend(check_output_dir(out, config.root))
    theme = load_theme(config)
    check_theme(theme)
    reuse = options.reuse and options.write and not options.in_place
    if reuse:
        prints = options.fingerprints or build_fingerprints(config, options, theme.folders)
        previous = None if options.fingerprints else recorded(config.root, out, prints[0])
        if previous is not None:
            return BuildResult(None, [], Diagnostics(previous), out=out, up_to_date=True)
    writes = content.write_atomically if options.in_place else BackgroundWrites(content.write_atomically)
    inputs = Forked(_read_other_inputs, config.root) if freezing else None
    written = ArticleWrites()
    try:
        site, annotated, files = _make_site(config, options, cache, diagnostics, timer, writes,
                                            gc.freeze if freezing else _nothing, inputs, written)
        build_date = _build_date(config, site)
        with timer("search"):
            searching = _start_search(config, site, cache, options)
        try:
            with timer("templates"):
                outputs = render_site(site, theme, build_date, MANIFEST if searching else "", cache, options.jobs)
            if book := site_book(site):
                with timer("epub"):
                    outputs.append(cache.memo("epub", (site.articles, site.glossary, config, build_date), lambda: OutputFile(
                        book, make_epub(site, files, build_date, config.epub.tag))))
            with timer("content"):
                _wait(writes)
            if options.strict:
                diagnostics = diagnostics.strict()
            search = _publish(out, outputs, searching, cache, options, timer)
        finally:
            if searching:
                searching.cancel()
    finally:
        if inputs is not None:
            inputs.cancel()
        _wait(writes)
        # content/ was listed while the files were still being written: the next build lists it again
        cache.invalidate(written.added_or_removed + list(written.records))
        if freezing:
            gc.unfreeze()
    if reuse:
        _record_inputs(out, config, options, theme.folders, prints, diagnostics)
    cache.prune()
    return BuildResult(site, outputs, diagnostics, timings, out, annotated, search, build_date,
                       {path: item.markdown for path, item in written.files.items() if item is not None}
                       | {path: text for path, text in written.records.items() if text}, files=files)


@dataclass
class ArticleWrites:
    """What a build does to ``content/articles``."""

    files: dict[str, AnnotatedDocument | None] = field(default_factory=dict)
    """Path -> what the build writes there, or None for a file it removes."""
    added_or_removed: list[str] = field(default_factory=list)
    """The paths of those that were not there before, or are gone: their folder's listing changed."""
    records: dict[str, str] = field(default_factory=dict)
    """The ``content/ids`` records written (path -> text) or removed ('')."""


def _record_inputs(out: Path, config: SiteConfig, options: BuildOptions, theme_folders: tuple[Path, ...],
                   started: tuple[str, str], diagnostics: Diagnostics) -> None:
    """Record the inputs' fingerprint for the next build's "up to date" check, unless an input other
    than the ``content/articles`` files this build wrote changed while it ran (the output may not
    hold that change: the next build must run)."""
    ended = build_fingerprints(config, options, theme_folders)
    if ended[1] == started[1]:
        record(config.root, out, ended[0], diagnostics.items)


def _make_site(config: SiteConfig, options: BuildOptions, cache: BuildCache, diagnostics: Diagnostics,
               timer: Callable, write: Callable[[Path, str], None],
               settle: Callable[[], None], inputs: Forked | None,
               written: ArticleWrites) -> tuple[Site, list[AnnotatedDocument], list[ContentFile]]:
    """The input half: seeds, glossary and notes to annotated content files, and those (with the
    hand-written ones) to rendered pages. Each stage's results live to the end of the build, so
    ``settle()`` freezes them out of the garbage collector's scans: measured, full collections over
    them cost 0.6 s at 4,000 articles. ``inputs``: the cache entries :func:`_read_other_inputs` is
    making in a child process meanwhile. ``written`` collects what the build does to ``content/articles``
    (``write`` may still be writing when this returns)."""
    with timer("read"):
        seeds, documents, unread = _read_documents(config, cache, diagnostics)
        settle()
    with timer("glossary"):
        if inputs is not None:
            cache.adopt(inputs.result())
        glossary = _read_glossary(config.root, cache, diagnostics)
        forms = tuple(sorted((form, entry.slug) for entry in glossary.entries for form in (entry.term, *entry.aliases)))
        forms_key = digest(forms)
        matcher = cache.memo("matcher", forms_key, lambda: TermMatcher(forms))
        notes = _read_notes(config.root, cache, {d.meta.slug for d in documents}, diagnostics)
    with timer("annotate"):
        annotated = _annotate_all(documents, matcher, forms_key, notes, config, cache, diagnostics, options.jobs)
        settle()
    with timer("content"):
        # the article of a seed that could not be read (a bad byte, a permission) stays as it was
        existing = [file for file in _existing_files(config.root, cache) if not (file.pristine and file.seed in unread)]
        diagnostics.extend(content.write_articles(config.root, annotated, options.regenerate, existing, written.files,
                                                  write))
        there = {str(file.path) for file in existing} if written.files else set()
        written.added_or_removed += [path for path, item in written.files.items() if item is None or path not in there]
        cache.invalidate(list(written.files))
        files = _read_content(config.root, cache, diagnostics, written.files, options.jobs)
    with timer("markdown"):
        records = passage_records.read_records(config.root, cache, diagnostics)
        previous = passage_records.previous_records(config.root, files, records)
        rendered = _render_pages(files, glossary, (matcher, forms_key), previous, cache, diagnostics, options,
                                 config.site.language)
        pages, clashes = without_url_clashes(rendered)
        diagnostics.extend(clashes)
        site = assemble_site(config, pages, glossary)
        settle()
    with timer("integrity"):
        edited = {f"{content.ARTICLES_DIR}/{file.path.name}" for file in existing
                  if not file.pristine and str(file.path) not in written.files}
        diagnostics.extend(_check_integrity(seeds, documents, list(zip(files, rendered, strict=False)), edited, cache))
    if options.write:
        written.records = passage_records.keep_records(config.root, site.articles, records, write)
    return site, annotated, files


def _nothing() -> None:
    """A stage boundary with nothing to do."""


def _wait(writes: Callable[[Path, str], None]) -> None:
    if isinstance(writes, BackgroundWrites):
        writes.wait()


def _publish(out: Path, outputs: list[OutputFile], searching: Forked | Ready | None, cache: BuildCache,
             options: BuildOptions, timer: Callable) -> SearchBundle | None:
    """Add the search files to ``outputs`` and write the site: into a staging folder swapped in whole
    (a build: the pages first, then the search files, which may still be in the making meanwhile),
    file by file (live preview), or not at all (``check``). Returns the search files."""
    staged = options.write and not options.in_place
    with staged_output(out) if staged else nullcontext() as staging:
        if staging is not None:
            with timer("write"):
                staging.write(outputs)
        with timer("search"):
            search = searching.result() if searching else None
        files = search.files if search else ()
        outputs += files
        if staging is not None:
            with timer("write"):
                staging.write(files)
        elif options.write:
            with timer("write"):
                update_output(out, outputs, cache.outputs)
    if search is not None:
        cache.store("search-last", 0, search)
    if options.write:
        cache.outputs = {f.path: f.data for f in outputs}
    return search


def _start_search(config: SiteConfig, site: Site, cache: BuildCache, options: BuildOptions) -> Forked | Ready | None:
    """The search index, or None when search is off. A one-shot build (no cache kept for later) makes
    it in a forked process while this one renders and writes the pages, which do not depend on it;
    live preview reuses the last one until it refreshes it after the reload."""
    if not config.search.enabled:
        return None
    found, previous = cache.lookup("search-last", 0)
    if found and not options.search:
        return Ready(previous)
    if not cache.kept:
        return Forked(build_search_index, site)
    return Ready(build_search_index(site, cache))


def refresh_search(config: SiteConfig, result: BuildResult, cache: BuildCache,
                   should_stop: Callable[[], bool] | None = None) -> SearchBundle | None:
    """Rebuild the search index of a finished build (live preview does it after the reload);
    None if search is off or ``should_stop()`` asked to abandon it."""
    if not config.search.enabled or result.site is None:
        return None
    try:
        search = build_search_index(result.site, cache, should_stop)
    except Cancelled:
        return None
    cache.store("search-last", 0, search)
    return search


def _timer(timings: dict[str, float]):
    """A stage boundary: the stage's time, and its name on any unexpected exception (a bug) that
    comes out of it, for the command line's one-line report (a stage's own input problems are
    diagnostics, and an ``OSError`` is the machine's, not a bug)."""
    @contextmanager
    def timer(stage: str) -> Iterator[None]:
        start = time.perf_counter()
        try:
            yield
        except (SiteGenError, OSError):
            raise
        except Exception as exc:
            raise unexpected(exc, stage=stage) from exc
        timings[stage] = timings.get(stage, 0.0) + time.perf_counter() - start

    return timer


def _parse(seed: Seed, options: tuple[SeedsSection, str, str]) -> Document:
    try:
        return parse_seed(seed, *options)
    except Exception as exc:
        raise unexpected(exc, seed.path) from exc


def _read_documents(config: SiteConfig, cache: BuildCache,
                    diagnostics: Diagnostics) -> tuple[dict[str, Seed], list[Document], set[str]]:
    """The seeds (by path), their documents, and the seeds that could not be read (as the site names them)."""
    listing = listed(cache, "list-seeds", seed_folders(config.root), lambda: find_seeds(config.root))
    reads = read_all(cache, "seed", [(path, *sidecars) for path, sidecars in listing],
                     lambda i: read_seed(config.root, *listing[i]))
    unread = {display_path(config.root, listing[i][0]) for i, read in enumerate(reads) if isinstance(read, InputError)}
    seeds = _valid(reads, diagnostics)
    options = (config.seeds, config.site.author, config.site.language)
    settings = digest(options)  # one string in every key: hashed once, not once per seed
    keys = [(seed, settings) for seed in seeds]
    documents = cache.memo_parallel("document", keys, lambda i: seeds[i], _parse, as_is, options, SERIAL)
    for document in documents:
        diagnostics.extend(document.diagnostics)
    documents, slug_problems = assign_slugs(documents, lambda document, slug: cache.memo(
        "slugged", (document, slug), lambda: with_slug(document, slug)))
    diagnostics.extend(slug_problems)
    return {seed.path: seed for seed in seeds}, documents, unread


def _check_integrity(seeds: dict[str, Seed], documents: list[Document], articles: list[tuple[ContentFile, Page]],
                     edited: set[str], cache: BuildCache) -> list[Diagnostic]:
    """The text integrity check of every article made from a seed (``articles``: the content files
    with their pages), but those whose front matter says ``integrity: edited``; an article is checked
    again only when its page, its seed or what the parser took out of it changed."""
    omitted = {document.meta.seed: document.omitted for document in documents}
    checked = [(file, page) for file, page in articles if file.kind == "article" and file.meta.seed in omitted
               and file.integrity != content.INTEGRITY_EDITED and file.meta.seed in seeds]
    keys = [(seeds[file.meta.seed], omitted[file.meta.seed], page, file.path in edited) for file, page in checked]
    markdown = cache.memo("markdown-renderer", 0, MarkdownRenderer)

    def check(index: int) -> tuple[Diagnostic, ...]:
        seed, taken, page, by_hand = keys[index]
        return integrity.check_page(_integrity_source(seed, taken, markdown), page.text, checked[index][0].path, by_hand)

    return [problem for problems in cache.memo_all("integrity", keys, check) for problem in problems]


def _integrity_source(seed: Seed, omitted: tuple, markdown: MarkdownRenderer) -> integrity.Source:
    """What a seed's page must show: its text less the lines taken out; a Markdown seed's as rendered."""
    text = integrity.kept_text(seed.text, seed.body_line, omitted)
    if not seed.markdown:
        return integrity.Source(seed.path, text, seed.body_line)
    plain = markdown.render(text, LinkContext(resolve=lambda href: None, relative=lambda url: url)).text
    return integrity.Source(seed.path, plain, seed.body_line, text)


def _read_glossary(root: Path, cache: BuildCache, diagnostics: Diagnostics) -> Glossary:
    listing = listed(cache, "list-glossary", [root / glossary_files.GLOSSARY_DIR],
                     lambda: glossary_files.find_glossary_files(root))
    entries = _valid(read_all(cache, "glossary", [(path,) for path in listing],
                              lambda i: glossary_files.read_entry(root, listing[i])), diagnostics)
    glossary, problems = cache.memo("glossary-checked", tuple(entries), lambda: glossary_files.check_clashes(entries))
    diagnostics.extend(problems)
    return glossary


def _valid(values: list[T | InputError], diagnostics: Diagnostics) -> list[T]:
    """The values read, without the files that could not be read, whose problems go to ``diagnostics``."""
    valid = []
    for value in values:
        if isinstance(value, InputError):
            diagnostics.extend(value.diagnostics)
        else:
            valid.append(value)
    return valid


def _read_other_inputs(root: Path) -> dict[str, dict]:
    """The cache entries of the inputs that do not depend on the seeds: the glossary, the notes, and
    the ``content/articles`` files as they are before this build writes them (the hand-edit check).
    A first build reads them in a child process while this one parses the seeds (measured at 4,000
    articles: the glossary and notes stage 1.02 -> 0.28 s, writing ``content/`` 1.88 -> 1.08 s)."""
    cache = BuildCache()
    _read_glossary(root, cache, Diagnostics())
    _notes_files(root, cache, _notes_listing(root, cache))
    _existing_files(root, cache)
    return cache.tables


def _read_notes(root: Path, cache: BuildCache, slugs: set[str], diagnostics: Diagnostics) -> dict[str, tuple[Note, ...]]:
    notes = {}
    listing = _notes_listing(root, cache)
    for (slug, path), read in zip(listing.items(), _notes_files(root, cache, listing), strict=True):
        if isinstance(read, InputError):  # a file that could not be read says why, whatever its name
            diagnostics.extend(read.diagnostics)
        elif slug not in slugs:
            relative = display_path(root, path)
            diagnostics.add(warning(f"notes for an article that does not exist: {slug!r}", SourceLocation(relative),
                                    "rename the file to <article-slug>.yml (the slug is in the article's URL)",
                                    code="notes-unknown-article"))
        else:
            notes[slug] = read
    return notes


def _notes_listing(root: Path, cache: BuildCache) -> dict[str, Path]:
    return listed(cache, "list-notes", [root / note_files.NOTES_DIR], lambda: note_files.find_note_files(root))


def _article_listing(root: Path, cache: BuildCache) -> list[Path]:
    return listed(cache, "list-articles", [root / content.ARTICLES_DIR], lambda: content.article_files(root))


def _notes_files(root: Path, cache: BuildCache, listing: dict[str, Path]) -> list[tuple[Note, ...] | InputError]:
    paths = list(listing.values())
    return read_all(cache, "notes", [(path,) for path in paths], lambda i: note_files.read_notes(root, paths[i]))


def _annotate_all(documents: list[Document], matcher: TermMatcher, forms_key: str, notes: dict[str, tuple[Note, ...]],
                  config: SiteConfig, cache: BuildCache, diagnostics: Diagnostics, jobs: int) -> list[AnnotatedDocument]:
    """Annotate every document; a document is re-annotated only when something it uses changed:
    its text, its notes, the glossary entries its text matches, the articles its "(See: ...)" name.

    The glossary matches in a key take a pass over every document; on a first build (an empty
    cache) the workers find them while annotating instead, and the keys are made from what they found."""
    titles = {title_key(d.meta.title): d.meta.slug for d in documents}
    options = AnnotateOptions(config.glossary.link, config.notes.fuzzy_threshold)
    settings = digest(options)
    first_build = not cache.has_entries("annotated")
    everything = list(range(len(documents)))
    match_keys = [(document, forms_key) for document in documents]
    matched: list = [None] * len(documents) if first_build else cache.memo_all(
        "matches", match_keys, lambda i: _digested(_block_matches(documents[i], matcher)))
    keys = [(document, notes.get(document.meta.slug, ()), settings, found[1] if found else None,
             tuple((ref.title, titles.get(title_key(ref.title))) for ref in document.cross_refs))
            for document, found in zip(documents, matched, strict=True)]
    annotated, misses = ([None] * len(keys), everything) if first_build else cache.lookup_all("annotated", keys)
    shared = (matcher, titles, options, documents, [key[1] for key in keys],
              [found[0] if found else None for found in matched], cache.kept)
    made = map_parallel(_annotate_one, misses, as_is, shared, jobs, out_of=len(documents))
    for index, (item, matches) in zip(misses, made, strict=True):
        annotated[index] = dataclasses.replace(item, document=documents[index])
        if matched[index] is None and cache.kept:
            matched[index] = _digested(matches)
            keys[index] = (*keys[index][:3], matched[index][1], keys[index][4])
    if cache.kept:
        if first_build:
            cache.store_all("matches", match_keys, matched, everything)
        cache.store_all("annotated", keys, annotated, misses)
    for item in annotated:
        diagnostics.extend(item.diagnostics)
    return annotated


def _block_matches(document: Document, matcher: TermMatcher) -> tuple:
    return tuple(tuple(matcher.find(block.text)) for block in document.blocks)


def _annotate_one(index: int, annotator: tuple) -> tuple[AnnotatedDocument, tuple | None]:
    """Annotate one document (in a worker process when there are many); also the glossary matches
    in its blocks, for its cache key, when the cache is kept. The document itself is not sent back:
    the caller has it."""
    matcher, titles, options, documents, notes, known, kept = annotator
    document = documents[index]
    try:
        matches = known[index] if known[index] is not None else _block_matches(document, matcher)
        item = annotate(document, matcher, notes[index], titles, options, matches)
    except Exception as exc:
        raise unexpected(exc, document.meta.seed) from exc
    return dataclasses.replace(item, document=None), matches if kept else None


def _digested(value: tuple) -> tuple[tuple, str]:
    """A value with a digest of it, so cache keys can hold the small digest instead."""
    return value, digest(value)


def _existing_files(root: Path, cache: BuildCache) -> list[content.ExistingFile]:
    """The files now in ``content/articles``, for the hand-edit check (reading them raises no :class:`InputError`)."""
    paths = _article_listing(root, cache)
    return read_all(cache, "existing", [(path,) for path in paths], lambda i: content.read_existing(root, paths[i]))


def _read_content(root: Path, cache: BuildCache, diagnostics: Diagnostics,
                  written: dict[str, AnnotatedDocument | None], jobs: int) -> list[ContentFile]:
    """Every content file, read in worker processes when there are many (one process took 0.9 s for
    4,000). Those this build has just written (``written``: path -> what it wrote, or None for
    removed) are made from what it wrote: a full build may still be writing them in the background."""
    folders = [root / content.ARTICLES_DIR, root / content.PAGES_DIR]
    found = listed(cache, "list-content", folders, lambda: content.find_content_files(root))
    on_disk = {str(path): path for path, _ in found}
    listing = _with_written(found, written)
    reads = [(on_disk[name], kind) for name, kind in listing if name not in written]
    keys = list(zip((kind for _, kind in reads), stat_keys([path for path, _ in reads], cache), strict=True))
    read = iter(cache.memo_parallel("content", keys, reads.__getitem__, _read_content_file, as_is, root, jobs))
    files = []
    for name, _ in listing:
        item = written.get(name)
        file = _generated_file(item) if item is not None else next(read)
        if isinstance(file, InputError):
            diagnostics.extend(file.diagnostics)
        else:
            files.append(file)
    return files


def _generated_file(item: AnnotatedDocument) -> ContentFile | InputError:
    return _or_error(item.document.meta.seed, content.generated_file, item)


def _read_content_file(read: tuple[Path, str], root: Path) -> ContentFile | InputError:
    return _or_error(str(read[0]), content.read_content_file, root, *read)


def _or_error(path: str, make: Callable[..., ContentFile], *args: object) -> ContentFile | InputError:
    """``make(*args)``, or the problem it raised: returned (and cached) rather than raised, so the
    other files are still read; an unexpected exception (a bug) names ``path``, the file it is about."""
    try:
        return make(*args)
    except InputError as exc:
        return exc
    except Exception as exc:
        raise unexpected(exc, path) from exc


def _with_written(listing: list[tuple[Path, str]],
                  written: dict[str, AnnotatedDocument | None]) -> list[tuple[str, str]]:
    """The content listing (path, kind) as it is once this build's writes are done, in the same name order."""
    articles = {str(path) for path, kind in listing if kind == "article"}
    for name, item in written.items():
        if item is None:
            articles.discard(name)
        else:
            articles.add(name)
    return [(name, "article") for name in sorted(articles)] + [(str(path), kind) for path, kind in listing
                                                               if kind != "article"]


_MD_LINK = re.compile(r"\]\(\s*<?([^)\s>]+?\.md)(?:#[^)\s>]*)?>?")


def _render_pages(files: list[ContentFile], glossary: Glossary, terms: tuple[TermMatcher, str],
                  previous: dict[str, PassageIds | None], cache: BuildCache, diagnostics: Diagnostics,
                  options: BuildOptions, language: str) -> list[Page]:
    """Render every content file and glossary entry; only pages whose inputs changed are rendered,
    in parallel worker processes when there are many. ``terms``: the term matcher and its key;
    ``previous``: each article's record of passage ids; ``language``: the site's.

    A page's key names the glossary terms found in it, so a glossary edit re-renders only the pages
    that use the edited term. Finding them takes a pass over every page; on a first build (an empty
    cache) the workers do it while rendering instead, and make the keys themselves."""
    matcher, forms_key = terms
    entries = list(glossary.entries)
    all_files = files + cache.memo_all("glossary-file", entries, lambda i: glossary_file(entries[i]))
    url_by_file = dict(zip((f.path for f in all_files), cache.memo_all("url", all_files, lambda i: url_for_file(
        all_files[i].path, all_files[i].kind, all_files[i].meta.slug)), strict=True))
    known = frozenset(entry.slug for entry in entries)
    urls_key = cache.memo_list("urls-digest", list(url_by_file.items()), lambda: digest(sorted(url_by_file.items())))
    context_key = (forms_key, urls_key, digest(sorted(known)), language)
    first_build = not cache.has_entries("page")
    everything = list(range(len(all_files)))
    key_keys = [(file, context_key, previous.get(file.path)) for file in all_files]
    if first_build:
        keys: list = [None] * len(all_files)
        values, misses = [None] * len(all_files), everything
    else:
        keys = cache.memo_all("page-key", key_keys, lambda i: _page_key(all_files[i], url_by_file, (known, language), cache.memo(
            "matches-text", (all_files[i], forms_key), lambda: tuple(matcher.find(all_files[i].body))), key_keys[i][2]))
        values, misses = cache.lookup_all("page", keys)
    markdown = cache.memo("markdown-renderer", 0, MarkdownRenderer)
    shared = (markdown, matcher, url_by_file, known, all_files, previous, first_build and cache.kept, language)
    rendered = map_parallel(_render_one, misses, as_is, shared, options.jobs, options.progress, out_of=len(all_files))
    for index, (page, problems, key) in zip(misses, rendered, strict=True):
        values[index] = (page, problems)
        keys[index] = keys[index] or key
    if cache.kept:
        if first_build:
            cache.store_all("page-key", key_keys, keys, everything)
        cache.store_all("page", keys, values, misses)
    pages = []
    for page, problems in values:
        diagnostics.extend(problems)
        pages.append(page)
    return pages


def _page_key(file: ContentFile, url_by_file: dict[str, str], site: tuple[frozenset[str], str], matches: tuple,
              ids: PassageIds | None) -> tuple:
    """Everything a page's rendering depends on besides its own text: the pages its links resolve
    to, the glossary terms found in it (so other glossary edits leave it alone), the site's language
    (``site``: the known terms and the language) and an article's record of passage ids. Digested:
    the key is hashed on every rebuild, a string's hash only once."""
    known, language = site
    resolve = link_resolver(file.path, url_by_file)
    hrefs = tuple(sorted(set(_MD_LINK.findall(file.body))))
    slugs = {m.slug for m in matches} | {m.group(1) for h in hrefs if (m := GLOSSARY_HREF.search(h))}
    return file, digest((url_by_file[file.path], tuple((h, resolve(h)) for h in hrefs), matches,
                         tuple(sorted((s, s in known) for s in slugs)), language)), ids


def _render_one(index: int, renderer: tuple) -> tuple[Page, list, tuple | None]:
    """Render one page (in a worker process when rendering in parallel); also its cache key when
    ``with_key`` (a kept cache's first build: made here, it costs the parent nothing, 0.33 s at 4,000
    articles; a one-shot build needs none, and skips a pass of the term matcher over the page)."""
    markdown, matcher, url_by_file, known, files, previous, with_key, language = renderer
    file = files[index]
    url = url_by_file[file.path]
    ids = previous.get(file.path)
    context = LinkContext(
        resolve=link_resolver(file.path, url_by_file),
        relative=urls.relative_from(url),
        find_terms=matcher.find,
        term_mode="links" if file.kind == "glossary" else "mentions",
        exclude_term=file.meta.slug if file.kind == "glossary" else "",
        known_terms=known,
        passages=assigner(ids, file.meta.slug, passage_records.article_source(file)) if file.kind == "article" else None,
    )
    try:
        page, problems = render_page(markdown, file, url, context, language)
    except Exception as exc:
        raise unexpected(exc, file.path) from exc
    key = _page_key(file, url_by_file, (known, language), tuple(matcher.find(file.body)), ids) if with_key else None
    return page, problems, key


def _build_date(config: SiteConfig, site: Site) -> str:
    """A reproducible "updated" date: configured, else SOURCE_DATE_EPOCH, else the newest article's."""
    if config.build.build_date:
        return config.build.build_date[:10]
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "")
    if epoch:
        return epoch_date(epoch)
    dates = [a.meta.date for a in site.articles if a.meta.date]
    return max(dates) if dates else "1970-01-01"
