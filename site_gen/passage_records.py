"""``content/ids/<slug>.json``: the committed record of each article's stable passage ids.

A build reads the records before it renders the articles (each article's is found by its slug, or,
after its slug changed, by the seed it comes from) and writes back those that changed, so the ids
survive clean builds and fresh clones. Writing is careful: only when the record's contents changed
(two builds of the same text write nothing), atomically, only ``.json`` files in ``content/ids``
that are records (a file that is not, say one with a merge conflict in it, is reported and left
alone), and never by ``site-gen check``.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from .cache import BuildCache, Stage
from .diagnostics import Diagnostics, InputError, SourceLocation, error
from .inputs import InputTracker, display_path, listed, read_all, reader
from .model import ContentFile, Page, PassageIds
from .passages import parse, serialize
from .reading import folder_files, read_text

IDS_DIR = "content/ids"


def record_path(root: Path, slug: str) -> Path:
    return root / IDS_DIR / f"{slug}.json"


def find_record_files(root: Path) -> list[Path]:
    """The ``.json`` files of ``content/ids``, in name order (read as every input folder is: never
    through a link out of the site)."""
    return folder_files(root / IDS_DIR, root, (".json",))


def read_record(root: Path, path: Path) -> PassageIds:
    """One record; a file that is not one raises :class:`InputError` naming the file and line."""
    relative = display_path(root, path)
    hint = ("it is made by the build: resolve the conflict or fix the JSON, or delete the file to give the "
            "article's passages new ids (links to the old ones will then land at the top of the article)")
    text = read_text(path, relative, root, "record of passage ids")
    try:
        return parse(text)
    except json.JSONDecodeError as exc:
        raise InputError(error(f"not a record of passage ids: {exc.msg}", SourceLocation(relative, exc.lineno),
                               hint, code="bad-ids")) from None
    except ValueError as exc:
        raise InputError(error(f"not a record of passage ids: {exc}", SourceLocation(relative, 1), hint,
                               code="bad-ids")) from None


READ_RECORDS = Stage("ids", reader(read_record), by_value=True)
LIST_RECORDS = "list-ids"


def read_records(root: Path, cache: BuildCache, tracker: InputTracker, diagnostics: Diagnostics) -> dict[str, PassageIds]:
    """Every readable record, by file path (through the cache: an unchanged file is not read again)."""
    paths = listed(cache, tracker, LIST_RECORDS, [root / IDS_DIR], lambda: find_record_files(root))
    records = {}
    for path, read in zip(paths, read_all(cache, tracker, READ_RECORDS, root, [(path,) for path in paths]),
                          strict=True):
        if isinstance(read, InputError):
            diagnostics.extend(read.diagnostics)
        else:
            records[str(path)] = read
    return records


def article_source(file: ContentFile) -> str:
    """What identifies an article across slug changes: its seed, or its own file if written by hand."""
    return file.meta.seed or file.path


def previous_records(root: Path, files: list[ContentFile], records: dict[str, PassageIds]) -> dict[str, PassageIds | None]:
    """Each article's record (by its file's path), None where it has none. An article's own
    ``<slug>.json`` counts when it comes from the same source; else the record of its source under
    another slug (its slug changed), so the ids and the old slugs carry over."""
    by_source: dict[str, PassageIds] = {}
    for record in records.values():
        by_source.setdefault(record.source, record)
    found: dict[str, PassageIds | None] = {}
    for file in files:
        if file.kind != "article":
            continue
        source = article_source(file)
        own = records.get(str(record_path(root, file.meta.slug)))
        found[file.path] = own if own is not None and own.source in (source, "") else by_source.get(source)
    return found


def keep_records(root: Path, articles: tuple[Page, ...], records: dict[str, PassageIds],
                 write: Callable[[Path, str], None]) -> dict[str, str]:
    """Write each article's record where it changed, and remove the files of records that moved to a
    new slug; returns what was written (path -> text; '' for a removed file). (A ``content/ids`` that
    leads out of the site was refused before the build began, as every input folder is.)"""
    done: dict[str, str] = {}
    bad = {str(path) for path in find_record_files(root)} - set(records)
    moved: set[str] = set()
    for article in articles:
        ids = article.passage_ids
        if ids is None:
            continue
        path = record_path(root, ids.slug)
        if str(path) in bad:
            continue
        old = records.get(str(path))
        if old is None or old.values() != ids.values():
            path.parent.mkdir(parents=True, exist_ok=True)
            text = serialize(ids)
            write(path, text)
            done[str(path)] = text
        if ids.slugs:
            moved.add(str(record_path(root, ids.slugs[-1])))
    slugs_now = {str(record_path(root, a.passage_ids.slug)) for a in articles if a.passage_ids is not None}
    for name in sorted(moved - slugs_now):
        record = records.get(name)
        if record is not None and any(a.passage_ids is not None and a.passage_ids.source == record.source
                                      for a in articles):
            Path(name).unlink(missing_ok=True)
            done[name] = ""
    return done
