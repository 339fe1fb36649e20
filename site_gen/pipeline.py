"""``build``: the only place that knows the order of the stages.

    read seeds -> parse -> glossary and notes -> annotate -> write content/articles -> read content
    -> render Markdown -> assemble the site -> text integrity -> search index (alongside) -> templates
    -> write (staging folder, then swap)

What happens to a seed: ``seeds/x.txt`` is read and parsed into a ``Document`` (headline, byline,
paragraphs), given a unique slug, annotated with the glossary and its notes into Markdown, written
to ``content/articles/<slug>.md``, rendered from there to a ``Page``, checked against the seed's
words, placed in the site (order, tags, the concordance), and written as
``articles/<slug>/index.html`` by the theme's templates, with its search entry.

Each stage is timed; every input problem is collected as a diagnostic and the build carries on, so
one bad seed never hides the others. Every stage result goes through the :class:`BuildCache`, keyed
by what it depends on, so a rebuild redoes only what a change affects.
"""

from __future__ import annotations

import gc
import os
import time
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager, nullcontext
from dataclasses import dataclass, field
from pathlib import Path

from . import content, fingerprint, integrity, passage_records
from .annotate import glossary as glossary_files
from .annotate import notes as note_files
from .annotate.documents import annotate_all
from .assets import check_theme
from .cache import BuildCache, Loaded, digest
from .config import SiteConfig, epoch_date
from .diagnostics import Diagnostic, Diagnostics, SiteGenError, SourceLocation, info, unexpected
from .epub import book_warnings
from .fingerprint import build_fingerprints, recorded
from .inputs import InputTracker
from .model import AnnotatedDocument, OutputFile
from .options import BuildOptions, Fingerprints, output_dir
from .output import BackgroundWrites, check_output_dir, staged_output, update_output
from .pages import Site, assemble_site, render_pages, without_url_clashes
from .parallel import Forked, Ready
from .reading import check_folders
from .render import render_site
from .search import MANIFEST, SEARCH_TERMS, Cancelled, SearchBundle, build_search_index
from .seeds import SEEDS_DIR
from .sources import Sources, existing_articles, read_documents, read_independent, read_notes, read_terms
from .theme import Theme, load_theme

INPUT_FOLDERS = (SEEDS_DIR, "content", content.ARTICLES_DIR, content.PAGES_DIR, glossary_files.GLOSSARY_DIR,
                 note_files.NOTES_DIR, passage_records.IDS_DIR, "templates", "themes")
"""The site's input folders: none may lead out of the site (checked before anything is written)."""


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
    cache_stats: dict[str, tuple[int, int]] = field(default_factory=dict)
    """Per stage: (results reused from the cache, results made)."""

    @property
    def ok(self) -> bool:
        return self.diagnostics.errors == 0


def build(config: SiteConfig, options: BuildOptions = BuildOptions(), cache: BuildCache | None = None,
          tracker: InputTracker | None = None) -> BuildResult:
    """Build the site: each stage in order, given what it reads, naming what it makes."""
    theme, out, warnings = _check_inputs(config, options)
    prints = _fingerprints(config, options, theme) if _recorded(options) else None
    if prints is not None and not options.fingerprints and (last := recorded(config.root, out, prints.every)) is not None:
        return BuildResult(None, [], Diagnostics(last), out=out)
    kept = _kept_cache(config, options, out) if cache is None else None
    with _Build.running(config, options, kept.cache if kept else cache or BuildCache(), tracker or InputTracker()) as b:
        b.diagnostics.extend([*warnings, *_cache_notes(config, out, kept)])
        with b.stage("read"):
            seeds = read_documents(b.sources, config, b.diagnostics)
        with b.stage("glossary"):
            b.take_independent_inputs()
            terms = read_terms(b.sources, b.diagnostics)
            notes = read_notes(b.sources, {d.meta.slug for d in seeds.documents}, b.diagnostics)
        with b.stage("annotate"):
            annotated = b.report(annotate_all(seeds.documents, terms, notes, config, b.cache, options.jobs))
        with b.stage("content"):
            existing, written = _write_articles(b, annotated, seeds.unread)
            files = content.read_content(config.root, b.cache, b.tracker, b.diagnostics, written.files, options.jobs)
        with b.stage("markdown"):
            records = passage_records.read_records(config.root, b.cache, b.tracker, b.diagnostics)
            previous = passage_records.previous_records(config.root, files, records)
            rendered = b.report(*render_pages(files, terms, previous, config.site.language, b.cache, options))
            site = assemble_site(config, b.report(*without_url_clashes(rendered)), terms.glossary, tuple(files))
        with b.stage("integrity"):
            b.diagnostics.extend(integrity.check_integrity(seeds.by_path, seeds.documents, files, rendered,
                                                           _edited_by_hand(existing, written), b.cache))
        if options.write:
            b.records = passage_records.keep_records(config.root, site.articles, records, b.writes)
        build_date = _build_date(config, site)
        with b.stage("search"):
            searching = _start_search(b, site)
        with b.stage("templates"):
            outputs = render_site(site, theme, build_date, MANIFEST if searching else "", b.cache, options.jobs)
        b.diagnostics.extend(book_warnings(site))
        with b.stage("content"):
            b.wait_for_writes()
        search = _publish(b, out, outputs, searching)
    diagnostics = b.diagnostics.strict() if options.strict else b.diagnostics
    if prints is not None:
        _record_inputs(out, config, options, theme, prints, diagnostics)
    if kept is not None and (folder := fingerprint.cache_folder(config.root)) is not None:
        b.cache.save(fingerprint.cache_path(folder.parent, out), fingerprint.code_version(), digest(repr(config)))
    return BuildResult(site, outputs, diagnostics, b.timings, out, annotated, search, build_date, b.texts_written(),
                       b.cache.stats())


@dataclass
class _Build:
    """One build's state besides the stages' results: where inputs are read, the problems found, the
    time each stage took, the writes into ``content/`` (in the background for a one-shot build), and
    what must be stopped when the build ends, however it ends."""

    config: SiteConfig
    options: BuildOptions
    sources: Sources
    exits: ExitStack
    writes: Callable[[Path, str], None]
    freezing: bool
    """Each stage's results are frozen out of the garbage collector's scans until the build ends
    (full collections over them would cost more than the stages); live preview, once its first build
    is done, freezes the heap itself when saving pauses."""
    diagnostics: Diagnostics = field(default_factory=Diagnostics)
    timings: dict[str, float] = field(default_factory=dict)
    articles: content.ArticleWrites | None = None
    """What the build did to ``content/articles`` (None until it has written them)."""
    records: dict[str, str] = field(default_factory=dict)
    """The ``content/ids`` records written (path -> text) or removed ('')."""
    independent: Forked | None = None
    """A first build's reading of the inputs that do not depend on the seeds, in a child process."""

    @property
    def cache(self) -> BuildCache:
        return self.sources.cache

    @property
    def tracker(self) -> InputTracker:
        return self.sources.tracker

    @classmethod
    @contextmanager
    def running(cls, config: SiteConfig, options: BuildOptions, cache: BuildCache,
                tracker: InputTracker) -> Iterator[_Build]:
        """A build from start to end: the cache's results this build did not use are dropped when it
        completes, and every process and write it started is stopped or waited for whatever happens."""
        freezing = cache.empty or not tracker.watching
        first = cache.empty
        cache.start()
        with ExitStack() as exits:
            writes = content.write_atomically if options.in_place else BackgroundWrites(content.write_atomically)
            b = cls(config, options, Sources(config.root, cache, tracker), exits, writes, freezing)
            exits.callback(b.finish)
            if first:
                b.independent = Forked(read_independent, config.root)
                exits.callback(b.independent.cancel)
            yield b
        cache.prune()

    @contextmanager
    def stage(self, name: str) -> Iterator[None]:
        """A stage boundary: the stage's time, and its name on any unexpected exception (a bug) that
        comes out of it, for the command line's one-line report (a stage's own input problems are
        diagnostics, and an ``OSError`` is the machine's, not a bug)."""
        start = time.perf_counter()
        try:
            yield
        except (SiteGenError, OSError):
            raise
        except Exception as exc:
            raise unexpected(exc, stage=name) from exc
        self.timings[name] = self.timings.get(name, 0.0) + time.perf_counter() - start
        if self.freezing:
            gc.freeze()

    def report(self, made: list, problems: list | None = None) -> list:
        """``made``, with the problems found making it (those ``made`` carries, when not given) reported."""
        self.diagnostics.extend([p for item in made for p in item.diagnostics] if problems is None else problems)
        return made

    def take_independent_inputs(self) -> None:
        if self.independent is not None:
            self.cache.adopt(self.independent.result())

    def wait_for_writes(self) -> None:
        if isinstance(self.writes, BackgroundWrites):
            self.writes.wait()

    def finish(self) -> None:
        """The writes done; the listings of ``content/`` made while they were still being written are
        looked at again by the next build (all its folders, when the build stopped before it could say)."""
        self.wait_for_writes()
        if self.articles is None:
            self.tracker.invalidate([str(self.config.root / content.ARTICLES_DIR),
                                     str(self.config.root / passage_records.IDS_DIR)])
        else:
            self.tracker.invalidate([*self.articles.added_or_removed, *self.records])
        if self.freezing:
            gc.unfreeze()

    def texts_written(self) -> dict[str, str]:
        """Every file written into ``content/``, path -> text (live preview tells its own writes from
        an editor's by them)."""
        files = self.articles.files if self.articles is not None else {}
        return ({path: item.markdown for path, item in files.items() if item is not None}
                | {path: text for path, text in self.records.items() if text})


def _check_inputs(config: SiteConfig, options: BuildOptions) -> tuple[Theme, Path, list[Diagnostic]]:
    """The theme, the output folder and the warnings about it, once the input folders, the output
    folder and the theme are known to be safe to use (a problem stops the build before anything is
    written)."""
    out = output_dir(config, options)
    check_folders(config.root, INPUT_FOLDERS)
    warnings = check_output_dir(out, config.root) if options.write else []
    theme = load_theme(config)
    check_theme(theme)
    return theme, out, [*warnings, *theme.diagnostics]


def _kept_cache(config: SiteConfig, options: BuildOptions, out: Path) -> Loaded | None:
    """The build cache kept by the last build into ``out``, for a build that writes a site (a check
    keeps none; live preview keeps its own in memory)."""
    if not options.write or options.in_place:
        return None
    return BuildCache.load(fingerprint.cache_path(config.root, out), fingerprint.code_version(), digest(repr(config)))


def _cache_notes(config: SiteConfig, out: Path, kept: Loaded | None) -> list[Diagnostic]:
    """A note when the kept build cache was not used (another version's, or damaged)."""
    if kept is None or not kept.note:
        return []
    where = fingerprint.cache_path(config.root, out).relative_to(config.root).as_posix()
    return [info(f"the build cache was not used: {kept.note}; building without it", SourceLocation(where),
                 "nothing to do: this build writes a new one (the folder .cache/ is safe to delete)",
                 code="cache-not-used")]


def _recorded(options: BuildOptions) -> bool:
    """A build whose inputs' fingerprint is recorded for the next build's "up to date" check."""
    return options.reuse and options.write and not options.in_place


def _fingerprints(config: SiteConfig, options: BuildOptions, theme: Theme) -> Fingerprints:
    return options.fingerprints or build_fingerprints(config, options, theme.folders)


def _write_articles(b: _Build, annotated: list[AnnotatedDocument],
                    unread: set[str]) -> tuple[list[content.ExistingFile], content.ArticleWrites]:
    """Write the annotated articles into ``content/articles`` (never over a file edited by hand);
    returns the files that were there, and what was written. The article of a seed that could not
    be read (a bad byte, a permission) stays as it was."""
    existing = [file for file in existing_articles(b.sources) if not (file.pristine and file.seed in unread)]
    b.articles = content.write_articles(b.config.root, annotated, b.options.regenerate, existing,
                                        b.writes if b.options.writes_content else None)
    b.diagnostics.extend(b.articles.diagnostics)
    b.tracker.invalidate(list(b.articles.files))
    return existing, b.articles


def _edited_by_hand(existing: list[content.ExistingFile], written: content.ArticleWrites) -> set[str]:
    """The generated articles an editor has changed (the integrity check tells them apart)."""
    return {f"{content.ARTICLES_DIR}/{file.path.name}" for file in existing
            if not file.pristine and str(file.path) not in written.files}


def _record_inputs(out: Path, config: SiteConfig, options: BuildOptions, theme: Theme, started: Fingerprints,
                   diagnostics: Diagnostics) -> None:
    """Record the inputs' fingerprint for the next build's "up to date" check, unless an input other
    than the ``content/articles`` files this build wrote changed while it ran (the output may not
    hold that change: the next build must run)."""
    ended = build_fingerprints(config, options, theme.folders)
    if ended.unwritten == started.unwritten:
        fingerprint.record(config.root, out, ended.every, diagnostics.items)


def _publish(b: _Build, out: Path, outputs: list[OutputFile], searching: Forked | Ready | None) -> SearchBundle | None:
    """Add the search files to ``outputs`` and write the site: into a staging folder swapped in whole
    (a build: the pages first, then the search files, which may still be in the making meanwhile),
    file by file (live preview), or not at all (``check``). Returns the search files."""
    options, tracker, timer = b.options, b.tracker, b.stage
    staged = options.write and not options.in_place
    with staged_output(out) if staged else nullcontext() as staging:
        if staging is not None:
            with timer("write"):
                staging.write(outputs)
        with timer("search"):
            made = searching.result() if searching else None
            search = made.bundle if made else None
            if made is not None and made.terms is not None:
                b.cache.take(SEARCH_TERMS.name, made.terms)
        files = search.files if search else ()
        outputs += files
        if staging is not None:
            with timer("write"):
                staging.write(files)
        elif options.write:
            with timer("write"):
                update_output(out, outputs, tracker.outputs)
    if search is not None:
        tracker.search = search
    if options.write:
        tracker.outputs = {f.path: f.data for f in outputs}
    return search


def _start_search(b: _Build, site: Site) -> Forked | Ready | None:
    """The search index, or None when search is off. A one-shot build makes it in a forked process
    while this one renders and writes the pages, which do not depend on it; live preview (a
    watching tracker) reuses the last one until it refreshes it after the reload."""
    tracker = b.tracker
    if not b.config.search.enabled:
        return None
    if tracker.search is not None and not b.options.search:
        return Ready(SearchMade(tracker.search, None))
    if not tracker.watching:
        searching = Forked(_search_alongside, site, b.cache)
        b.exits.callback(searching.cancel)
        return searching
    return Ready(SearchMade(build_search_index(site, b.cache), None))


@dataclass(frozen=True)
class SearchMade:
    """The search index, and the search stage's cache table when it was made in another process."""

    bundle: SearchBundle
    terms: dict | None


def _search_alongside(site: Site, cache: BuildCache) -> SearchMade:
    """The search index, made in a forked process from the cache it inherited; its table comes back
    with it, for the next build."""
    return SearchMade(build_search_index(site, cache), cache.tables.get(SEARCH_TERMS.name, {}))


def refresh_search(config: SiteConfig, result: BuildResult, cache: BuildCache, tracker: InputTracker,
                   should_stop: Callable[[], bool] | None = None) -> SearchBundle | None:
    """Rebuild the search index of a finished build (live preview does it after the reload);
    None if search is off or ``should_stop()`` asked to abandon it."""
    if not config.search.enabled or result.site is None:
        return None
    try:
        search = build_search_index(result.site, cache, should_stop)
    except Cancelled:
        return None
    tracker.search = search
    return search


def _build_date(config: SiteConfig, site: Site) -> str:
    """A reproducible "updated" date: configured, else SOURCE_DATE_EPOCH, else the newest article's."""
    if config.build.build_date:
        return config.build.build_date[:10]
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "")
    if epoch:
        return epoch_date(epoch)
    dates = [a.meta.date for a in site.articles if a.meta.date]
    return max(dates) if dates else "1970-01-01"
