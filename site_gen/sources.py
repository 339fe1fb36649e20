"""The site's input files through the build cache: seeds to documents, the glossary to its term
matcher, notes, and the ``content/articles`` files as they are before a build writes them.

Each reader is given a :class:`Sources` (the site folder, the build cache and the input tracker)
and reads only the files whose stat changed since the last build; a file that cannot be read is
reported in ``diagnostics`` and left out, and the rest of the site is read.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

from . import content
from .annotate import glossary as glossary_files
from .annotate import notes as note_files
from .annotate.matcher import TermMatcher, Terms
from .cache import BuildCache, Stage, digest, local
from .config import SiteConfig
from .diagnostics import Diagnostics, InputError, SourceLocation, unexpected, warning
from .inputs import InputTracker, display_path, listed, read_all, reader
from .model import Document, Glossary, Note, Seed
from .seed_parser import ParseSettings, assign_slugs, parse_seed, with_slug
from .seeds import find_seeds, read_seed, seed_folders

T = TypeVar("T")


@dataclass(frozen=True)
class Sources:
    """Where a build reads its inputs: the site folder, through the cache and the tracker's stats."""

    root: Path
    cache: BuildCache
    tracker: InputTracker


@dataclass(frozen=True)
class Seeds:
    """The seeds read (by path), their documents, and the seeds that could not be read (as the site names them)."""

    by_path: dict[str, Seed]
    documents: list[Document]
    unread: set[str]


def _read_seed(root: Path, path: Path, *sidecars: Path) -> Seed:
    return read_seed(root, path, sidecars)


def _parse(seed: Seed, settings: ParseSettings) -> Document:
    try:
        return parse_seed(seed, settings.seeds, settings.author, settings.language)
    except Exception as exc:
        raise unexpected(exc, seed.path) from exc


READ_SEEDS = Stage("seed", reader(_read_seed), by_value=True)
PARSE = Stage("document", _parse)
"""In this process: sending documents back from workers would cost as much as parsing them."""
READ_GLOSSARY = Stage("glossary", reader(glossary_files.read_entry), by_value=True)
READ_NOTES = Stage("notes", reader(note_files.read_notes), by_value=True)
READ_EXISTING = Stage("existing", reader(content.read_existing), by_value=True)
LIST_SEEDS, LIST_GLOSSARY, LIST_NOTES, LIST_ARTICLES = "list-seeds", "list-glossary", "list-notes", "list-articles"
SLUGGED, CHECK_GLOSSARY = "slugged", "glossary-checked"
MATCHER = local("matcher")


def read_documents(sources: Sources, config: SiteConfig, diagnostics: Diagnostics) -> Seeds:
    """Every seed, parsed, with a slug unique in the site."""
    root, cache = sources.root, sources.cache
    listing = listed(cache, sources.tracker, LIST_SEEDS, seed_folders(root), lambda: find_seeds(root))
    reads = read_all(cache, sources.tracker, READ_SEEDS, root, [(path, *sidecars) for path, sidecars in listing])
    unread = {display_path(root, listing[i][0]) for i, read in enumerate(reads) if isinstance(read, InputError)}
    seeds = _valid(reads, diagnostics)
    options = ParseSettings(config.seeds, config.site.author, config.site.language)
    settings = digest(options)  # one string in every key: hashed once, not once per seed
    documents = cache.run(PARSE, [(cache.key_of(seed), settings) for seed in seeds], seeds.__getitem__, options)
    for document in documents:
        diagnostics.extend(document.diagnostics)
    documents, slug_problems = assign_slugs(documents, lambda document, slug: cache.one(
        SLUGGED, (cache.key_of(document), slug), lambda: with_slug(document, slug)))
    diagnostics.extend(slug_problems)
    return Seeds({seed.path: seed for seed in seeds}, documents, unread)


def read_terms(sources: Sources, diagnostics: Diagnostics) -> Terms:
    """The glossary, checked for clashes, and the matcher of all its terms and aliases."""
    glossary = _read_glossary(sources, diagnostics)
    forms = tuple(sorted((form, entry.slug) for entry in glossary.entries for form in (entry.term, *entry.aliases)))
    forms_key = digest(forms)
    return Terms(glossary, sources.cache.one(MATCHER, forms_key, lambda: TermMatcher(forms)), forms_key)


def _read_glossary(sources: Sources, diagnostics: Diagnostics) -> Glossary:
    root, cache = sources.root, sources.cache
    listing = listed(cache, sources.tracker, LIST_GLOSSARY, [root / glossary_files.GLOSSARY_DIR],
                     lambda: glossary_files.find_glossary_files(root))
    entries = _valid(read_all(cache, sources.tracker, READ_GLOSSARY, root, [(path,) for path in listing]), diagnostics)
    diagnostics.extend(problem for entry in entries for problem in entry.diagnostics)
    checked = cache.one(CHECK_GLOSSARY, cache.keys_of(entries), lambda: glossary_files.check_clashes(entries))
    glossary, problems = checked
    diagnostics.extend(problems)
    return cache.remember(glossary, cache.key_of(checked))


def read_notes(sources: Sources, slugs: set[str], diagnostics: Diagnostics) -> dict[str, tuple[Note, ...]]:
    """Each article's notes, by slug (``slugs``: the articles'); a notes file for no article is reported."""
    notes = {}
    listing = _notes_listing(sources)
    for (slug, path), read in zip(listing.items(), _notes_files(sources, listing), strict=True):
        if isinstance(read, InputError):  # a file that could not be read says why, whatever its name
            diagnostics.extend(read.diagnostics)
        elif slug not in slugs:
            relative = display_path(sources.root, path)
            diagnostics.add(warning(f"notes for an article that does not exist: {slug!r}", SourceLocation(relative),
                                    "rename the file to <article-slug>.yml (the slug is in the article's URL)",
                                    code="notes-unknown-article"))
        else:
            notes[slug] = read
    return notes


def existing_articles(sources: Sources) -> list[content.ExistingFile]:
    """The files now in ``content/articles``, for the hand-edit check (reading them raises no :class:`InputError`)."""
    root = sources.root
    paths = listed(sources.cache, sources.tracker, LIST_ARTICLES, [root / content.ARTICLES_DIR],
                   lambda: content.article_files(root))
    return read_all(sources.cache, sources.tracker, READ_EXISTING, root, [(path,) for path in paths])


def read_independent(root: Path) -> dict[str, dict]:
    """The cache tables of the inputs that do not depend on the seeds: the glossary, the notes, and
    the ``content/articles`` files as they are before this build writes them. A first build reads
    them in a child process while it parses the seeds, and takes them into its cache."""
    sources = Sources(root, BuildCache(), InputTracker())
    _read_glossary(sources, Diagnostics())
    _notes_files(sources, _notes_listing(sources))
    existing_articles(sources)
    return sources.cache.tables


def _notes_listing(sources: Sources) -> dict[str, Path]:
    root = sources.root
    return listed(sources.cache, sources.tracker, LIST_NOTES, [root / note_files.NOTES_DIR],
                  lambda: note_files.find_note_files(root))


def _notes_files(sources: Sources, listing: dict[str, Path]) -> list[tuple[Note, ...] | InputError]:
    return read_all(sources.cache, sources.tracker, READ_NOTES, sources.root, [(path,) for path in listing.values()])


def _valid(values: list[T | InputError], diagnostics: Diagnostics) -> list[T]:
    """The values read, without the files that could not be read, whose problems go to ``diagnostics``."""
    valid = []
    for value in values:
        if isinstance(value, InputError):
            diagnostics.extend(value.diagnostics)
        else:
            valid.append(value)
    return valid
