"""``build``: the only place that knows the order of the stages.

    read seeds -> parse -> annotate -> content/articles -> read content -> render Markdown
    -> assemble -> text integrity -> search index -> templates -> write (staging folder, then swap)

Each stage is timed; every input problem is collected as a diagnostic and the build carries on, so
one bad seed never hides the others. Every stage result goes through the :class:`BuildCache`, keyed
by what it depends on, so a rebuild redoes only what a change affects.
"""

from __future__ import annotations

import gc
import os
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

from . import content, fingerprint, integrity, passage_records
from .annotate import glossary as glossary_files
from .annotate import notes as note_files
from .annotate.documents import annotate_all
from .annotate.matcher import TermMatcher, Terms
from .assets import check_theme
from .cache import BuildCache, digest
from .config import SiteConfig, epoch_date
from .diagnostics import Diagnostics, InputError, SiteGenError, SourceLocation, unexpected, warning
from .epub import book_warnings
from .fingerprint import build_fingerprints, recorded
from .inputs import display_path, listed, read_all
from .model import AnnotatedDocument, Document, Glossary, Note, OutputFile, Seed
from .options import BuildOptions, Fingerprints, output_dir
from .output import BackgroundWrites, check_output_dir, staged_output, update_output
from .pages import Site, assemble_site, render_pages, without_url_clashes
from .parallel import Forked, Ready, as_is
from .reading import check_folders
from .record import record
from .render import render_site
from .search import MANIFEST, Cancelled, SearchBundle, build_search_index
from .seed_parser import ParseSettings, assign_slugs, parse_seed, with_slug
from .seeds import SEEDS_DIR, find_seeds, read_seed, seed_folders
from .theme import load_theme

T = TypeVar("T")
INPUT_FOLDERS = (SEEDS_DIR, "content", content.ARTICLES_DIR, content.PAGES_DIR, glossary_files.GLOSSARY_DIR,
                 note_files.NOTES_DIR, passage_records.IDS_DIR, "templates", "themes")
"""The site's input folders: none may lead out of the site (checked before anything is written)."""
SERIAL = 1
"""Parsing runs in this process: sending documents back from workers costs as much as the work.
Annotating, Markdown, templates and the search index are worth workers:
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
    diagnostics.extend(theme.diagnostics)
    check_theme(theme)
    reuse = options.reuse and options.write and not options.in_place
    if reuse:
        prints = options.fingerprints or build_fingerprints(config, options, theme.folders)
        previous = None if options.fingerprints else recorded(config.root, out, prints.every)
        if previous is not None:
            return BuildResult(None, [], Diagnostics(previous), out=out)
    writes = content.write_atomically if options.in_place else BackgroundWrites(content.write_atomically)
    inputs = Forked(_read_other_inputs, config.root) if freezing else None
    made: MadeSite | None = None
    try:
        made = _make_site(config, options, cache, diagnostics, timer, writes, gc.freeze if freezing else _nothing,
                          inputs)
        site = made.site
        build_date = _build_date(config, site)
        with timer("search"):
            searching = _start_search(config, site, cache, options)
        try:
            with timer("templates"):
                outputs = render_site(site, theme, build_date, MANIFEST if searching else "", cache, options.jobs)
            diagnostics.extend(book_warnings(site))
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
        cache.invalidate(_listings_changed(config.root, made))
        if freezing:
            gc.unfreeze()
    if reuse:
        _record_inputs(out, config, options, theme.folders, prints, diagnostics)
    cache.prune()
    return BuildResult(site, outputs, diagnostics, timings, out, made.annotated, search, build_date,
                       {path: item.markdown for path, item in made.writes.files.items() if item is not None}
                       | {path: text for path, text in made.records.items() if text})


@record(eq=False)
class MadeSite:
    """What the input half makes: the site, and what it wrote into ``content/``."""

    site: Site
    annotated: list[AnnotatedDocument]
    writes: content.ArticleWrites
    records: dict[str, str]
    """The ``content/ids`` records written (path -> text) or removed ('')."""


def _listings_changed(root: Path, made: MadeSite | None) -> list[str]:
    """The files whose folders' listings the build changed; when it stopped before it could say,
    the folders it may have written into."""
    if made is None:
        return [str(root / content.ARTICLES_DIR), str(root / passage_records.IDS_DIR)]
    return [*made.writes.added_or_removed, *made.records]


def _record_inputs(out: Path, config: SiteConfig, options: BuildOptions, theme_folders: tuple[Path, ...],
                   started: Fingerprints, diagnostics: Diagnostics) -> None:
    """Record the inputs' fingerprint for the next build's "up to date" check, unless an input other
    than the ``content/articles`` files this build wrote changed while it ran (the output may not
    hold that change: the next build must run)."""
    ended = build_fingerprints(config, options, theme_folders)
    if ended.unwritten == started.unwritten:
        fingerprint.record(config.root, out, ended.every, diagnostics.items)


def _make_site(config: SiteConfig, options: BuildOptions, cache: BuildCache, diagnostics: Diagnostics,
               timer: Callable, write: Callable[[Path, str], None],
               settle: Callable[[], None], inputs: Forked | None) -> MadeSite:
    """The input half: seeds, glossary and notes to annotated content files, and those (with the
    hand-written ones) to rendered pages. Each stage's results live to the end of the build, so
    ``settle()`` freezes them out of the garbage collector's scans, where full collections over them
    would cost more than the stages. ``inputs``: the cache entries :func:`_read_other_inputs` is
    making in a child process meanwhile. ``write`` may still be writing the articles when this returns."""
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
        terms = Terms(glossary, matcher, forms_key)
        notes = _read_notes(config.root, cache, {d.meta.slug for d in documents}, diagnostics)
    with timer("annotate"):
        annotated = annotate_all(documents, terms, notes, config, cache, options.jobs)
        diagnostics.extend([problem for item in annotated for problem in item.diagnostics])
        settle()
    with timer("content"):
        # the article of a seed that could not be read (a bad byte, a permission) stays as it was
        existing = [file for file in _existing_files(config.root, cache) if not (file.pristine and file.seed in unread)]
        written = content.write_articles(config.root, annotated, options.regenerate, existing,
                                         write if options.writes_content else None)
        diagnostics.extend(written.diagnostics)
        cache.invalidate(list(written.files))
        files = content.read_content(config.root, cache, diagnostics, written.files, options.jobs)
    with timer("markdown"):
        records = passage_records.read_records(config.root, cache, diagnostics)
        previous = passage_records.previous_records(config.root, files, records)
        rendered, problems = render_pages(files, terms, previous, config.site.language, cache, options)
        diagnostics.extend(problems)
        pages, clashes = without_url_clashes(rendered)
        diagnostics.extend(clashes)
        site = assemble_site(config, pages, glossary, tuple(files))
        settle()
    with timer("integrity"):
        edited = {f"{content.ARTICLES_DIR}/{file.path.name}" for file in existing
                  if not file.pristine and str(file.path) not in written.files}
        diagnostics.extend(integrity.check_integrity(seeds, documents, files, rendered, edited, cache))
    kept = passage_records.keep_records(config.root, site.articles, records, write) if options.write else {}
    return MadeSite(site, annotated, written, kept)


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


def _parse(seed: Seed, settings: ParseSettings) -> Document:
    try:
        return parse_seed(seed, settings.seeds, settings.author, settings.language)
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
    options = ParseSettings(config.seeds, config.site.author, config.site.language)
    settings = digest(options)  # one string in every key: hashed once, not once per seed
    keys = [(seed, settings) for seed in seeds]
    documents = cache.memo_parallel("document", keys, lambda i: seeds[i], _parse, as_is, options, SERIAL)
    for document in documents:
        diagnostics.extend(document.diagnostics)
    documents, slug_problems = assign_slugs(documents, lambda document, slug: cache.memo(
        "slugged", (document, slug), lambda: with_slug(document, slug)))
    diagnostics.extend(slug_problems)
    return {seed.path: seed for seed in seeds}, documents, unread


def _read_glossary(root: Path, cache: BuildCache, diagnostics: Diagnostics) -> Glossary:
    listing = listed(cache, "list-glossary", [root / glossary_files.GLOSSARY_DIR],
                     lambda: glossary_files.find_glossary_files(root))
    entries = _valid(read_all(cache, "glossary", [(path,) for path in listing],
                              lambda i: glossary_files.read_entry(root, listing[i])), diagnostics)
    diagnostics.extend(problem for entry in entries for problem in entry.diagnostics)
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
    A first build reads them in a child process while this one parses the seeds."""
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


def _existing_files(root: Path, cache: BuildCache) -> list[content.ExistingFile]:
    """The files now in ``content/articles``, for the hand-edit check (reading them raises no :class:`InputError`)."""
    paths = _article_listing(root, cache)
    return read_all(cache, "existing", [(path,) for path in paths], lambda i: content.read_existing(root, paths[i]))


def _build_date(config: SiteConfig, site: Site) -> str:
    """A reproducible "updated" date: configured, else SOURCE_DATE_EPOCH, else the newest article's."""
    if config.build.build_date:
        return config.build.build_date[:10]
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "")
    if epoch:
        return epoch_date(epoch)
    dates = [a.meta.date for a in site.articles if a.meta.date]
    return max(dates) if dates else "1970-01-01"
