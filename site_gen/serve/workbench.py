"""The annotation workbench's API: what a browser showing the live preview may read and change.

Every request names what it changes by what the page shows (an article's slug, a note by the line
its item starts on, a glossary entry's slug), never by a path: the files are found from the
published build, and only ``content/notes/`` and ``content/glossary/`` of the served site are
ever written, never through a symbolic link. Every field is checked (type, length, one line where
one line is meant, no control characters), each change is read back with the build's own reader
before it is written, and a change to an existing file carries the hash the page got with it
(:func:`~.annotation_files.read_unchanged`). The server (:mod:`.server`) has checked the origin and
the session's token before any of this runs.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable
from pathlib import Path
from urllib.parse import unquote

from ..annotate import glossary as glossary_files
from ..annotate import notes as note_files
from ..annotate.anchoring import anchorable_texts
from ..content import article_path
from ..diagnostics import SiteGenError
from ..model import AnnotatedDocument, GlossaryEntry
from ..text import slugify
from . import annotation_files as files
from .annotation_files import Conflict, EntryFields, Unusable
from .problems import Shown
from .quoting import NotQuotable, Selection, passage_for

LIMITS = {"note": 10_000, "definition": 10_000, "exact": 2_000, "prefix": 300, "suffix": 300, "source": 1_000,
          "term": 120, "alias": 120, "category": 40, "path": 1_000, "slug": 200}
"""The most characters each field may hold."""
MAX_ITEMS = 50
"""The most sources or aliases one request may set, and ``terms`` asked about is 20 times that."""
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029]")
_SLUG = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]*")
_HASH = re.compile(r"|[0-9a-f]{64}")


class Refused(Exception):
    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status = status


class Workbench:
    """Answers the API's actions for the site in ``root``; ``shown()`` is what the browsers show."""

    def __init__(self, root: Path, shown: Callable[[], Shown]):
        self.root = root.resolve()
        self.shown = shown
        self.lock = threading.Lock()
        """One change at a time: each reads, checks and writes its file whole."""
        self.actions: dict[str, Callable[[dict], dict]] = {
            "page": self.page, "glossary": self.glossary, "note-add": self.add_note, "note-edit": self.edit_note,
            "note-delete": self.delete_note, "note-reanchor": self.reanchor_note, "term-add": self.add_term,
            "term-alias": self.add_alias, "term-edit": self.edit_term, "term-delete": self.delete_term,
        }

    def handle(self, action: str, payload: dict) -> tuple[int, dict]:
        run = self.actions.get(action)
        if run is None:
            return 404, {"error": f"no such action: {action[:40]!r}"}
        try:
            with self.lock:
                return 200, run(payload)
        except Refused as exc:
            return exc.status, {"error": str(exc)}
        except Conflict as exc:
            return 409, {"error": str(exc)}
        except (Unusable, NotQuotable) as exc:
            return 422, {"error": str(exc)}
        except OSError as exc:
            return 500, {"error": f"could not write the file: {exc.strerror or exc}"}

    # Reading ------------------------------------------------------------------------------------

    def page(self, payload: dict) -> dict:
        """What the page at ``path`` can change: its article's notes (with the notes file's hash),
        and the glossary entries of the ``terms`` on it (each with its file's hash)."""
        url = unquote(_text(payload, "path")).lstrip("/").removesuffix("index.html")
        shown = self.shown()
        slugs = _list(payload, "terms", "slug", MAX_ITEMS * 20)
        article = re.fullmatch(r"articles/([^/]+)/", url)
        entry_page = re.fullmatch(r"glossary/([^/]+)/", url)
        item = shown.annotated.get(article.group(1)) if article else None
        entries = shown.glossary.by_slug()
        wanted = [*slugs, entry_page.group(1)] if entry_page else slugs
        return {"article": self._article_info(item) if item else None,
                "entry": entry_page.group(1) if entry_page and entry_page.group(1) in entries else None,
                "terms": {slug: self._entry_info(entries[slug]) for slug in dict.fromkeys(wanted) if slug in entries}}

    def glossary(self, payload: dict) -> dict:
        """Every glossary entry (for "add as an alias of..."), each with its file's hash now."""
        entries = sorted(self.shown().glossary.entries, key=lambda entry: entry.term.lower())
        return {"entries": [{"slug": e.slug, "term": e.term, "hash": files.digest(self._entry_path(e))} for e in entries]}

    def _article_info(self, item: AnnotatedDocument) -> dict:
        slug = item.document.meta.slug
        path = self._notes_path(slug)
        hash_ = files.digest(path)
        relative = self._relative(path)
        shown = self.root / article_path(slug)
        try:
            if shown.read_text(encoding="utf-8") != item.markdown:
                raise Unusable(f"{article_path(slug)} was edited by hand: the page shows its notes as written there")
            written = {note.line: note for note in files.note_items(files.read_unchanged(path, hash_, relative), relative)}
        except (OSError, Unusable, Conflict) as exc:
            return {"slug": slug, "file": relative, "hash": hash_, "notes": [], "orphans": [], "problem": str(exc)}

        def as_written(note, **extra) -> dict | None:
            found = written.get(note.location.line)
            if found is None or found.quote != note.quote:
                return None
            return {"line": found.line, "quote": found.quote, "note": found.note, "sources": list(found.sources), **extra}

        notes = [as_written(a.note, number=a.number) for a in item.anchored_notes]
        orphans = [as_written(o.note) for o in item.orphans]
        return {"slug": slug, "file": relative, "hash": hash_, "notes": [n for n in notes if n],
                "orphans": [o for o in orphans if o]}

    def _entry_info(self, entry: GlossaryEntry) -> dict:
        path = self._entry_path(entry)
        hash_ = files.digest(path)
        try:
            fields = files.entry_fields(files.read_unchanged(path, hash_, entry.location.path), entry.location.path)
        except (Unusable, Conflict) as exc:
            return {"file": self._relative(path), "hash": hash_, "problem": str(exc)}
        return {"file": self._relative(path), "hash": hash_, "term": fields.term, "definition": fields.definition,
                "aliases": list(fields.aliases), "category": fields.category, "sources": list(fields.sources)}

    # Notes --------------------------------------------------------------------------------------

    def add_note(self, payload: dict) -> dict:
        item, hash_, chosen = self._article(payload), _hash(payload), _selection(payload)
        fields = {"note": _text(payload, "note", multiline=True), "sources": _list(payload, "sources", "source")}
        passage = passage_for(chosen, anchorable_texts(item.document.blocks))
        path = self._notes_path(item.document.meta.slug)
        text = files.read_unchanged(path, hash_, self._relative(path))
        fields |= {"quote": passage.quote, "prefix": passage.prefix, "suffix": passage.suffix}
        self._write_notes(path, files.append_note(text, self._relative(path), fields))
        return {"message": f"Note added to {self._relative(path)}.", "quote": passage.quote,
                "prefix": passage.prefix, "suffix": passage.suffix}

    def edit_note(self, payload: dict) -> dict:
        line = _line(payload)
        changes = {"note": _text(payload, "note", multiline=True), "sources": _list(payload, "sources", "source")}
        path, text = self._notes_file(payload)
        self._write_notes(path, files.replace_note(text, self._relative(path), line, changes))
        return {"message": f"Note changed in {self._relative(path)}."}

    def delete_note(self, payload: dict) -> dict:
        line = _line(payload)
        path, text = self._notes_file(payload)
        self._write_notes(path, files.remove_note(text, self._relative(path), line))
        return {"message": f"Note deleted from {self._relative(path)}."}

    def reanchor_note(self, payload: dict) -> dict:
        line, item, chosen = _line(payload), self._article(payload), _selection(payload)
        passage = passage_for(chosen, anchorable_texts(item.document.blocks))
        path, text = self._notes_file(payload)
        changes = {"quote": passage.quote, "prefix": passage.prefix, "suffix": passage.suffix}
        self._write_notes(path, files.replace_note(text, self._relative(path), line, changes))
        return {"message": f"Note anchored again in {self._relative(path)}.", "quote": passage.quote}

    def _article(self, payload: dict) -> AnnotatedDocument:
        slug = _text(payload, "slug")
        item = self.shown().annotated.get(slug)
        if item is None:
            raise Refused(404, f"no article {slug!r} in the site as it is shown: reload the page")
        return item

    def _notes_file(self, payload: dict) -> tuple[Path, str]:
        path = self._notes_path(self._article(payload).document.meta.slug)
        return path, files.read_unchanged(path, _hash(payload), self._relative(path))

    def _notes_path(self, slug: str) -> Path:
        folder = self._folder(note_files.NOTES_DIR)
        found = next((folder / f"{slug}{suffix}" for suffix in note_files.NOTE_SUFFIXES if (folder / f"{slug}{suffix}").exists()),
                     folder / f"{slug}.yml")
        return self._writable(found)

    def _write_notes(self, path: Path, text: str) -> None:
        self._write(path, text, note_files.parse_notes)

    # Glossary -----------------------------------------------------------------------------------

    def add_term(self, payload: dict) -> dict:
        fields = _entry_fields(payload)
        slug = slugify(fields.term)
        if not slug:
            raise Refused(400, "the term has no letters or digits to name its file with")
        self._check_clashes((fields.term, *fields.aliases), None)
        path = self._writable(self._folder(glossary_files.GLOSSARY_DIR) / f"{slug}.md")
        if path.exists():
            raise Conflict(f"{self._relative(path)} exists already: add the term as an alias of that entry, or edit it")
        self._write_entry(path, files.new_entry(fields))
        return {"message": f"Glossary entry {self._relative(path)} written.", "slug": slug}

    def add_alias(self, payload: dict) -> dict:
        entry = self._entry(payload)
        alias = _text(payload, "alias", one_line=True)
        self._check_clashes((alias,), entry)
        path, text = self._entry_file(entry, payload)
        self._write_entry(path, files.add_alias(text, entry.location.path, alias))
        return {"message": f"{alias!r} added to the aliases in {self._relative(path)}."}

    def edit_term(self, payload: dict) -> dict:
        entry = self._entry(payload)
        fields = _entry_fields(payload)
        self._check_clashes((fields.term, *fields.aliases), entry)
        path, text = self._entry_file(entry, payload)
        self._write_entry(path, files.update_entry(text, entry.location.path, fields))
        return {"message": f"Glossary entry {self._relative(path)} changed."}

    def delete_term(self, payload: dict) -> dict:
        entry = self._entry(payload)
        path, _ = self._entry_file(entry, payload)
        path.unlink()
        return {"message": f"Glossary entry {self._relative(path)} deleted."}

    def _entry(self, payload: dict) -> GlossaryEntry:
        slug = _text(payload, "slug")
        entry = self.shown().glossary.by_slug().get(slug)
        if entry is None:
            raise Refused(404, f"no glossary entry {slug!r} in the site as it is shown: reload the page")
        return entry

    def _entry_file(self, entry: GlossaryEntry, payload: dict) -> tuple[Path, str]:
        """The entry's file and its text, unchanged since the page was built (:class:`Conflict` otherwise)."""
        path = self._entry_path(entry)
        return path, files.read_unchanged(path, _hash(payload), self._relative(path))

    def _entry_path(self, entry: GlossaryEntry) -> Path:
        return self._writable(self._folder(glossary_files.GLOSSARY_DIR) / Path(entry.location.path).name)

    def _check_clashes(self, forms: tuple[str, ...], own: GlossaryEntry | None) -> None:
        for entry in self.shown().glossary.entries:
            if own is not None and entry.slug == own.slug:
                continue
            for form in forms:
                if form in (entry.term, *entry.aliases):
                    what = "term" if form == entry.term else "an alias"
                    raise Conflict(f"{form!r} is already {what} of {entry.location.path}: "
                                   + ("add it there, or choose another" if own is None else "choose another"))

    def _write_entry(self, path: Path, text: str) -> None:
        self._write(path, text, glossary_files.parse_entry)

    # Where files may be written -----------------------------------------------------------------

    def _write(self, path: Path, text: str, read: Callable[[str, str], object]) -> None:
        """Write ``text`` to ``path`` once the build's reader (``read(text, name)``) accepts it."""
        try:
            read(text, self._relative(path))
        except SiteGenError as exc:
            raise Unusable(f"the change would break {self._relative(path)} ({exc.diagnostics[0].message}); "
                           "nothing was written") from None
        path.parent.mkdir(parents=True, exist_ok=True)
        files.write_file(path, text)

    def _folder(self, relative: str) -> Path:
        """``relative`` (``content/notes``) in the site, refused if a symbolic link leads it elsewhere."""
        folder = self.root / relative
        if folder.exists() and folder.resolve() != folder:
            raise Refused(403, f"{relative} is a symbolic link: the preview writes only inside the site folder")
        return folder

    def _writable(self, path: Path) -> Path:
        if path.is_symlink():
            raise Refused(403, f"{self._relative(path)} is a symbolic link: the preview does not write through links")
        return path

    def _relative(self, path: Path) -> str:
        return path.relative_to(self.root).as_posix()


def _text(payload: dict, key: str, *, multiline: bool = False, one_line: bool = False, required: bool = True) -> str:
    """A text field, checked: text, at most its :data:`LIMITS`, no control characters, one line unless ``multiline``."""
    value = payload.get(key, "")
    if not isinstance(value, str):
        raise Refused(400, f"'{key}' must be text")
    value = value.replace("\r\n", "\n").replace("\r", "\n").strip()
    limit = LIMITS.get(key, LIMITS["path"])
    if len(value) > limit:
        raise Refused(400, f"'{key}' is longer than {limit} characters")
    if "\n" in value and (one_line or not multiline):
        raise Refused(400, f"'{key}' must be one line")
    if _CONTROL.search(value):
        raise Refused(400, f"'{key}' holds control characters")
    if required and not value:
        raise Refused(400, f"'{key}' is empty")
    return value


def _list(payload: dict, key: str, item: str, most: int = MAX_ITEMS) -> list[str]:
    values = payload.get(key, [])
    if not isinstance(values, list) or len(values) > most:
        raise Refused(400, f"'{key}' must be a list of at most {most} texts")
    checked = [_text({item: value}, item, one_line=True, required=False) for value in values]
    if item == "slug" and not all(_SLUG.fullmatch(value) for value in checked):
        raise Refused(400, f"'{key}' holds something that is not a slug")
    return [value for value in checked if value]


def _line(payload: dict) -> int:
    line = payload.get("line")
    if not isinstance(line, int) or isinstance(line, bool) or not 0 < line < 10_000_000:
        raise Refused(400, "'line' must be the line number the note starts on")
    return line


def _hash(payload: dict) -> str:
    value = payload.get("hash", "")
    if not isinstance(value, str) or not _HASH.fullmatch(value):
        raise Refused(400, "'hash' must be the file's hash the page got (or '' for a file that did not exist)")
    return value


def _selection(payload: dict) -> Selection:
    selection = payload.get("selection")
    if not isinstance(selection, dict):
        raise Refused(400, "'selection' must be the selected text with the text around it")
    return Selection(" ".join(_text(selection, "exact", multiline=True).split()),
                     " ".join(_text(selection, "prefix", multiline=True, required=False).split()),
                     " ".join(_text(selection, "suffix", multiline=True, required=False).split()))


def _entry_fields(payload: dict) -> EntryFields:
    return EntryFields(_text(payload, "term", one_line=True), _text(payload, "definition", multiline=True),
                       tuple(_list(payload, "aliases", "alias")), _text(payload, "category", one_line=True, required=False),
                       tuple(_list(payload, "sources", "source")))
