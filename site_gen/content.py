"""The ``content/`` folder: the contract between the ingest half and the render half.

``write_articles`` puts the annotated Markdown of each seed in ``content/articles/``, never
overwriting a file an editor changed (its ``generated:`` hash no longer matches) unless asked to
(``--regenerate``), never one written by hand (no ``seed:`` line) even then, and removing only
generated, untouched files whose seed is gone. ``read_content`` loads what is there, generated or
hand-written, for rendering.
"""

from __future__ import annotations

import os
import posixpath
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from . import frontmatter
from .cache import BuildCache, Stage, value_digest
from .diagnostics import Diagnostic, Diagnostics, InputError, SourceLocation, error, info, shown, unexpected, warning
from .inputs import InputTracker, display_path, listed
from .model import AnnotatedDocument, ContentFile, DocumentMeta
from .options import REGENERATE_ALL
from .reading import folder_files, read_bytes, read_text
from .record import record
from .seeds import overrides_from_mapping
from .tempfiles import remove_leftovers
from .tempfiles import write_atomically as write_bytes
from .text import slugify

ARTICLES_DIR = "content/articles"
PAGES_DIR = "content/pages"
CONTENT_KEYS = ("title", "author", "date", "slug", "seed", "source", "tags", "language", "generated", "description",
                "nav", "integrity")
INTEGRITY_EDITED = "edited"
"""``integrity: edited`` in an article's front matter: its differences from its seed are meant."""


@dataclass(frozen=True, slots=True)
class ExistingFile:
    """What the build needs to know about a file already in ``content/articles``."""

    path: Path
    text: str
    seed: str
    """The seed it says it came from ('' for a hand-written article)."""
    pristine: bool
    """Exactly as the build generated it."""
    recorded_hash: str
    readable: bool = True
    """False for a file that could not be read: it is never overwritten, and reading it as a content
    file is the one error about it."""


def article_path(slug: str) -> str:
    """Where the article of ``slug`` is generated, from the site folder."""
    return f"{ARTICLES_DIR}/{slug}.md"


def read_existing(root: Path, path: Path) -> ExistingFile:
    """What the hand-edit check needs to know of one file. One that cannot be read is never
    overwritten (reading it as a content file says what is wrong with it); bytes that are not UTF-8
    are kept as they are for that check."""
    shown = display_path(root, path)
    try:
        text = read_bytes(path, shown, root, "article").decode("utf-8-sig", "surrogateescape")
    except InputError:
        return ExistingFile(path, "", "", False, "", readable=False)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    try:
        data = frontmatter.split(text, shown).data
    except InputError:
        data = {}
    seed = data.get("seed", "")
    return ExistingFile(path, text, seed if isinstance(seed, str) else "", frontmatter.is_pristine(text),
                        frontmatter.recorded_hash(text))


def write_atomically(path: Path, text: str) -> None:
    """Write atomically (an editor's program never sees half a file), through a temporary file of
    this process's own. Only changed files are written, so unchanged ones keep their modification
    time and watchers see no change."""
    write_bytes(path, text.encode("utf-8"))


@record(eq=False)
class ArticleWrites:
    """What writing the articles did to ``content/articles``."""

    files: dict[str, AnnotatedDocument | None]
    """Path -> what was written there, or None for a file removed."""
    added_or_removed: tuple[str, ...]
    """The paths of those that were not there before, or are gone: their folder's listing changed."""
    diagnostics: list[Diagnostic]
    """What happened worth saying."""


def write_articles(root: Path, annotated: list[AnnotatedDocument], regenerate: frozenset[str],
                   present: list[ExistingFile] | None = None,
                   write: Callable[[Path, str], None] | None = write_atomically) -> ArticleWrites:
    """Write each annotated document, protecting hand-edited files.

    ``regenerate``: paths (``content/articles/x.md``) an editor asked to overwrite on purpose, or
    :data:`REGENERATE_ALL` for every generated one; a hand-written article is never overwritten.
    ``present``: the files now in ``content/articles``, as :func:`read_existing` reads them (the build
    passes cached reads).
    ``write``: how to write a file (a full build writes in a background thread while it renders), or
    None to write and remove nothing, only saying what would be done (``check``).
    """
    folder = root / ARTICLES_DIR
    if not Path(os.path.realpath(folder)).is_relative_to(os.path.realpath(root)):
        return ArticleWrites({}, (), [error(
            f"{ARTICLES_DIR} leads outside the site, to {os.path.realpath(folder)}: no article is written there",
            SourceLocation(ARTICLES_DIR), f"make {ARTICLES_DIR} a folder of the site")])
    if write is not None:
        folder.mkdir(parents=True, exist_ok=True)
        remove_leftovers(folder)
    files = present if present is not None else [read_existing(root, path) for path in article_files(root)]
    existing = {file.path.name: file for file in files}
    edited_by_seed = {f.seed: f for f in existing.values() if not f.pristine and f.seed}
    diagnostics = _hand_written_asked(existing.values(), regenerate)

    def asked(relative: str) -> bool:
        return relative in regenerate or REGENERATE_ALL in regenerate

    written: set[str] = set()
    touched: dict[str, AnnotatedDocument | None] = {}

    def remove(path: Path) -> None:
        if write is not None:
            path.unlink()
        touched[str(path)] = None

    for item in annotated:
        meta = item.document.meta
        name = f"{meta.slug}.md"
        relative = article_path(meta.slug)
        owner = edited_by_seed.get(meta.seed)
        owner_relative = f"{ARTICLES_DIR}/{owner.path.name}" if owner else ""
        if owner and not asked(owner_relative):
            written.add(owner.path.name)
            if owner.recorded_hash != frontmatter.content_hash(item.markdown):
                diagnostics.append(_kept_message(owner_relative, meta.seed))
            continue
        current = existing.get(name)
        if current and not current.readable:
            written.add(name)
            continue
        if current and (not current.seed or (not current.pristine and current.seed != meta.seed
                                             and not asked(relative))):
            diagnostics.append(error(
                f"{relative} was written by hand, so the article from {meta.seed} cannot be written there",
                SourceLocation(meta.seed, 1), f"rename {relative}, or give the seed another slug in its sidecar .yml",
                code="content-conflict"))
            continue
        if owner and owner.path.name != name:
            remove(owner.path)
        if current is None and os.path.lexists(folder / name) and not os.path.islink(folder / name):
            diagnostics.append(error(f"{relative} is not a file (a folder?), so the article from {meta.seed} cannot "
                                     "be written there", SourceLocation(meta.seed, 1),
                                     f"move {relative} away, or give the seed another slug in its sidecar .yml",
                                     code="content-conflict"))
            continue
        if current is None or current.text != item.markdown:
            target = folder / name
            if write is not None:
                write(target, item.markdown)
            touched[str(target)] = item
        written.add(name)
    for name, file in existing.items():
        if name not in written and file.pristine and file.seed:
            remove(file.path)
            diagnostics.append(info(f"removed {ARTICLES_DIR}/{name}: it was generated from "
                                    f"{file.seed}, which no longer makes it", code="content-removed"))
    there = {str(file.path) for file in files}
    return ArticleWrites(touched, tuple(path for path, item in touched.items() if item is None or path not in there),
                         diagnostics)


def _hand_written_asked(files: Iterable[ExistingFile], regenerate: frozenset[str]) -> list[Diagnostic]:
    """An error for each hand-written article (no ``seed:`` line) ``--regenerate`` names: only
    generated articles can be regenerated."""
    return [error(f"--regenerate {relative}: it was written by hand (it has no seed: line), so it is never replaced",
                  SourceLocation(relative, 1), "only articles generated from a seed can be regenerated; "
                  "to replace this one, delete or rename it yourself", code="regenerate-hand-written")
            for relative in (f"{ARTICLES_DIR}/{file.path.name}" for file in files if not file.seed and file.readable)
            if relative in regenerate]


def _kept_message(relative: str, seed: str) -> Diagnostic:
    return warning(
        f"{relative} was edited by hand, so it is kept as it is although {seed} or its annotations changed",
        SourceLocation(relative, 1),
        f"to replace it with a fresh version on purpose: site-gen build --regenerate {relative}",
        code="hand-edited",
    )


def find_content_files(root: Path) -> list[tuple[Path, str]]:
    """Markdown files of ``content/`` that become pages, with their kind."""
    pages = _markdown_files(root, PAGES_DIR)
    return [(path, "article") for path in article_files(root)] + [(path, "page") for path in pages]


def article_files(root: Path) -> list[Path]:
    """The Markdown files now in ``content/articles``, in a stable order."""
    return _markdown_files(root, ARTICLES_DIR)


def _markdown_files(root: Path, folder: str) -> list[Path]:
    return folder_files(root / folder, root, (".md",))


def read_content_file(root: Path, path: Path, kind: str) -> ContentFile:
    """One content file; bad front matter raises :class:`InputError` naming the file and line."""
    relative = display_path(root, path)
    text = read_text(path, relative, root, kind)
    parts = frontmatter.split(text, relative)
    return _content_file(relative, kind, dict(parts.data), parts.body, parts.body_line, text)


def front_matter(meta: DocumentMeta) -> dict[str, Any]:
    """The front matter of a generated article (besides its ``generated:`` hash)."""
    data: dict[str, Any] = {"title": meta.title, "author": meta.author, "date": meta.date, "slug": meta.slug,
                            "seed": meta.seed}
    if meta.source:
        data["source"] = meta.source
    if meta.tags:
        data["tags"] = list(meta.tags)
    if meta.language:
        data["language"] = meta.language
    return data


def generated_file(item: AnnotatedDocument) -> ContentFile:
    """What :func:`read_content_file` makes of ``item.markdown``, without reading it back: its front
    matter is :func:`front_matter` of the document (one JSON value a line, so the first ``---`` line
    after the opening one closes it), checked the same way. A full build writes thousands of these
    files, and parsing them again would only give back what it has in hand."""
    text = item.markdown
    body_start = text.index("\n---\n", 4) + 5
    body = text[body_start:]
    if "\r" in body:  # as reading the file back gives it (text mode: a lone CR is a line break)
        body = body.replace("\r\n", "\n").replace("\r", "\n")
    relative = article_path(item.document.meta.slug)
    return _content_file(relative, "article", front_matter(item.document.meta), body,
                         text.count("\n", 0, body_start) + 1, text)


def _content_file(relative: str, kind: str, data: dict, body: str, body_line: int, text: str) -> ContentFile:
    """A content file from its front matter (``data``, which this consumes) and its body."""
    problems = [error(f"unknown key {shown(key)}", SourceLocation(relative, frontmatter.key_line(text, str(key))),
                      "expected one of: " + ", ".join(CONTENT_KEYS)) for key in data if key not in CONTENT_KEYS]
    extra = {key: data.pop(key, "") for key in ("seed", "generated", "description", "integrity")}
    nav = data.pop("nav", None)
    if nav is not None and (kind != "page" or not isinstance(nav, int) or isinstance(nav, bool)):
        problems.append(error(f"'nav' must be a whole number on a page of {PAGES_DIR}, got {shown(nav)}",
                              SourceLocation(relative, frontmatter.key_line(text, "nav")),
                              "e.g. nav: 1 (its place in the site's navigation, lower first)"
                              if kind == "page" else "only pages in content/pages go in the navigation"))
    if extra["integrity"] not in ("", INTEGRITY_EDITED):
        problems.append(error(f"'integrity' must be '{INTEGRITY_EDITED}', got {extra['integrity']!r}",
                              SourceLocation(relative, frontmatter.key_line(text, "integrity")),
                              "integrity: edited stops the build comparing this article with its seed"))
    overrides = overrides_from_mapping({k: v for k, v in data.items() if k in CONTENT_KEYS and v not in ("", None)},
                                       relative, 1, text)
    if problems:
        raise InputError(problems)
    stem = posixpath.splitext(posixpath.basename(relative))[0]
    slug = slugify(overrides.slug or stem) or "page"
    meta = DocumentMeta(
        title=overrides.title or stem.replace("-", " ").capitalize(),
        slug=slug,
        author=overrides.author or "",
        date=overrides.date or "",
        seed=str(extra["seed"] or ""),
        source=overrides.source or "",
        tags=overrides.tags or (),
        language=overrides.language or "",
    )
    return ContentFile(relative, kind, meta, body, body_line, str(extra["description"] or ""), nav,
                       str(extra["integrity"]))


def _read_content_file(read: tuple[Path, str], root: Path) -> ContentFile | InputError:
    return _or_error(str(read[0]), read_content_file, root, *read)


READ_CONTENT = Stage("content", _read_content_file, parallel=True, by_value=True)
LIST_CONTENT = "list-content"


def read_content(root: Path, cache: BuildCache, tracker: InputTracker, diagnostics: Diagnostics,
                 written: dict[str, AnnotatedDocument | None], jobs: int) -> list[ContentFile]:
    """Every content file, read in worker processes when there are many. Those this build has just
    written (``written``: path -> what it wrote, or None for removed) are made from what it wrote: a
    full build may still be writing them in the background. A file is named by what it holds, so
    one made here and the same one read back by the next build are the same to the stages after."""
    folders = [root / ARTICLES_DIR, root / PAGES_DIR]
    found = listed(cache, tracker, LIST_CONTENT, folders, lambda: find_content_files(root))
    on_disk = {str(path): path for path, _ in found}
    listing = _with_written(found, written)
    reads = [(on_disk[name], kind) for name, kind in listing if name not in written]
    keys = list(zip((kind for _, kind in reads), tracker.stat_keys_of([path for path, _ in reads]), strict=True))
    read = iter(cache.run(READ_CONTENT, keys, reads.__getitem__, root, jobs))
    files = []
    for name, _ in listing:
        item = written.get(name)
        file = _generated_file(item, cache) if item is not None else next(read)
        if isinstance(file, InputError):
            diagnostics.extend(file.diagnostics)
        else:
            files.append(file)
    return files


def _generated_file(item: AnnotatedDocument, cache: BuildCache) -> ContentFile | InputError:
    return cache.remember(made := _or_error(item.document.meta.seed, generated_file, item), value_digest(made))


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
