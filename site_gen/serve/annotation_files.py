"""Edit the editors' files as an editor would: notes files (``content/notes/<slug>.yml``) and
glossary entries (``content/glossary/<slug>.md``), with ruamel.yaml's round trip for what an edit
rewrites and the build's own reader for the rest.

The files stay the source of truth and stay readable. A note is added at the end of its file, and
an edited or deleted note changes only its own lines: every other line, comment and blank line is
kept as it was. A glossary entry's front matter keeps its comments and key order, and its body is
left alone unless the definition is edited. A file is written whole to a temporary file and renamed
over the old one, keeping its byte-order mark and line ends, and only if it still hashes to what the
page was built from (:class:`Conflict` otherwise), so a save made meanwhile in a text editor is
never overwritten.
"""

from __future__ import annotations

import copy
import hashlib
import io
import os
import re
import textwrap
from collections.abc import Iterator
from pathlib import Path

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import YAMLError
from ruamel.yaml.scalarstring import FoldedScalarString, LiteralScalarString
from ruamel.yaml.tokens import CommentToken

from .. import frontmatter
from ..diagnostics import InputError, SiteGenError
from ..reading import read_bytes
from ..record import record
from ..tempfiles import write_atomically

NOTE_KEYS = ("quote", "prefix", "suffix", "note", "sources")
ENTRY_KEYS = ("term", "aliases", "category", "see_also", "sources")
FOLD_WIDTH = 88
"""Long one-line notes are folded (``note: >``) at about this width, as the bundled notes are."""
_FENCE = re.compile(r"^---[ \t]*$", re.MULTILINE)
_BOM = b"\xef\xbb\xbf"


class Conflict(Exception):
    """The file changed on disk since the page was loaded: nothing was written."""


class Unusable(Exception):
    """The file cannot be edited here (not UTF-8, invalid YAML, not the expected shape)."""


@record
class NoteItem:
    """One note of a notes file as written there, with the line its item starts on (1-based)."""

    line: int
    quote: str
    note: str
    prefix: str = ""
    suffix: str = ""
    sources: tuple[str, ...] = ()


@record
class EntryFields:
    """A glossary entry's editable parts as written in its file."""

    term: str
    definition: str
    aliases: tuple[str, ...] = ()
    category: str = ""
    sources: tuple[str, ...] = ()


def digest(path: Path) -> str:
    """The hash a page keeps of a file it may change; '' for a file that does not exist."""
    return hashlib.sha256(_read(path)).hexdigest() if os.path.lexists(path) else ""


def _read(path: Path) -> bytes:
    """A notes file's or glossary entry's bytes, through the build's one reader: a FIFO is never
    opened, a link out of the site folder (two levels up: ``content/notes/x.yml``) never followed."""
    try:
        return read_bytes(path, "/".join(path.parts[-3:]), path.parents[2])
    except InputError as exc:
        raise Unusable(f"{exc.diagnostics[0].message}: fix it in a text editor first") from None


def read_unchanged(path: Path, expected: str, name: str) -> str:
    """The file's text (line ends as ``\\n``), if it still hashes to ``expected``; '' for a missing
    file. ``name``: the file as messages name it."""
    if digest(path) != expected:
        what = "changed on disk" if expected and path.exists() else "was deleted" if expected else "was made"
        raise Conflict(f"{name} {what} since this page was loaded (saved in a text editor?). Nothing was "
                       "written: reload the page to see the file as it is now, then make your change again.")
    if not expected:
        return ""
    try:
        return _read(path).removeprefix(_BOM).decode("utf-8").replace("\r\n", "\n")
    except UnicodeDecodeError:
        raise Unusable(f"{name} is not UTF-8 text: fix it in a text editor first") from None


def write_file(path: Path, text: str) -> None:
    """Replace ``path`` with ``text`` atomically, with the byte-order mark and line ends the file had."""
    old = _read(path) if os.path.lexists(path) else b""
    if b"\r\n" in old:
        text = text.replace("\n", "\r\n")
    write_atomically(path, (_BOM if old.startswith(_BOM) else b"") + text.encode("utf-8"))


def _yaml() -> YAML:
    yaml = YAML()
    yaml.preserve_quotes = True
    yaml.width = 4096
    yaml.indent(mapping=2, sequence=4, offset=2)
    return yaml


def _load(text: str, name: str):
    try:
        frontmatter.load_yaml(text, name)  # the build's limits first: nesting, aliases ("billion laughs")
    except InputError as exc:
        raise Unusable(f"{name}: {exc.diagnostics[0].message}: fix it in a text editor first") from None
    try:
        return _yaml().load(text)
    except YAMLError as exc:
        raise Unusable(f"{name} is not valid YAML ({str(exc).splitlines()[0]}): fix it in a text editor first") from None


def _dump(value) -> str:
    stream = io.StringIO()
    _yaml().dump(value, stream)
    return stream.getvalue()


# Notes files ------------------------------------------------------------------------------------


@record
class _Place:
    """Where a note's item is: the 0-based line and column its first key starts on, and its value."""

    line: int
    column: int
    value: object


def _places(text: str, name: str) -> list[_Place]:
    """Each note's place, read with the build's own (fast) YAML reader; ruamel.yaml's round trip, in
    pure Python, is kept for the note an edit changes."""
    try:
        node, values = frontmatter.load_yaml_tree(text, name) if text.strip() else (None, None)
    except SiteGenError as exc:
        problem = exc.diagnostics[0]
        where = f" (line {problem.location.line})" if problem.location and problem.location.line else ""
        raise Unusable(f"{name}: {problem.message}{where}: fix it in a text editor first") from None
    if node is None:
        return []
    if not isinstance(values, list):
        raise Unusable(f"{name} is not a list of notes: fix it in a text editor first")
    return [_Place(item.start_mark.line, item.start_mark.column, value) for item, value in zip(node.value, values,
                                                                                                strict=True)]


def note_items(text: str, name: str) -> list[NoteItem]:
    """The notes of a notes file, in file order."""
    items = []
    for place in _places(text, name):
        item = place.value
        if isinstance(item, dict):
            sources = item.get("sources") or []
            items.append(NoteItem(place.line + 1, str(item.get("quote", "")).strip(), str(item.get("note", "")).strip(),
                                  str(item.get("prefix") or ""), str(item.get("suffix") or ""),
                                  tuple(str(s) for s in ([sources] if isinstance(sources, str) else sources))))
    return items


def append_note(text: str, name: str, fields: dict[str, object]) -> str:
    """``text`` with a note of ``fields`` added at the end."""
    places = _places(text, name)
    column = places[0].column - 2 if places else 0
    item = CommentedMap((key, _styled(key, fields[key])) for key in NOTE_KEYS if fields.get(key))
    body = text.rstrip("\n")
    gap = "\n\n" if _blank_between(text, places) else "\n"
    return (body + gap if body else "") + _item_text(item, column)


def replace_note(text: str, name: str, line: int, changes: dict[str, object]) -> str:
    """``text`` with the note whose item starts on ``line`` changed: each key of ``changes`` set (a
    falsy value removes the key); only that note's lines change."""
    places = _places(text, name)
    index = _index_of(places, line, name)
    item = _load(text, name)[index]
    column = places[index].column - 2
    _drop_trailing_lines(item, column)
    for key in NOTE_KEYS:
        if key not in changes:
            continue
        value = changes[key]
        if not value:
            item.pop(key, None)
        elif item.get(key) != value and not (key == "note" and str(item.get(key, "")).strip() == value):
            old = item.pop(key, None)
            item.insert(_key_position(item, key), key, _styled(key, value, old))
    start, end = _item_lines(text, places, index)
    lines = text.split("\n")
    return "\n".join(lines[:start] + _item_text(item, column).rstrip("\n").split("\n") + lines[end:])


def remove_note(text: str, name: str, line: int) -> str:
    """``text`` without the note whose item starts on ``line`` (and the blank lines after it)."""
    places = _places(text, name)
    start, end = _item_lines(text, places, _index_of(places, line, name))
    lines = text.split("\n")
    while end < len(lines) - 1 and not lines[end].strip():
        end += 1
    kept = "\n".join(lines[:start] + lines[end:])
    return kept.rstrip("\n") + "\n" if kept.strip() else ""


def _index_of(places: list[_Place], line: int, name: str) -> int:
    for index, place in enumerate(places):
        if place.line + 1 == line and isinstance(place.value, dict):
            return index
    raise Unusable(f"{name} has no note starting on line {line}: reload the page")


def _key_position(item: CommentedMap, key: str) -> int:
    """Where a new key goes among the note's keys, in the usual order."""
    order = NOTE_KEYS.index(key)
    return sum(1 for existing in item if existing in NOTE_KEYS and NOTE_KEYS.index(existing) < order)


def _item_lines(text: str, places: list[_Place], index: int) -> tuple[int, int]:
    """The 0-based lines [start, end) of the note: from its dash to its last line, without the
    blank and comment lines between it and the next note."""
    lines = text.split("\n")
    start, column = places[index].line, places[index].column
    while start > 0 and not lines[start][:column].strip().startswith("-"):
        start -= 1
    end = places[index + 1].line if index + 1 < len(places) else len(lines)
    while end > start + 1 and _between(lines[end - 1], column - 2):
        end -= 1
    return start, end


def _between(line: str, column: int) -> bool:
    stripped = line.strip()
    return not stripped or (stripped.startswith("#") and len(line) - len(line.lstrip()) <= column)


def _blank_between(text: str, places: list[_Place]) -> bool:
    """The file separates its notes with blank lines (it does when it has fewer than two)."""
    if len(places) < 2:
        return True
    lines = text.split("\n")
    above = places[1].line - 1
    while above > 0 and lines[above].lstrip().startswith("#"):
        above -= 1
    return not lines[above].strip()


def _item_text(item: CommentedMap, column: int) -> str:
    """One note as a list item, its dash at ``column``, without comments that follow it. Its
    comments keep their columns: the dump sets a list's dashes two columns in, then they move to
    ``column``, so the comments are moved by as much first."""
    shift = 2 - column
    for token in _comments(item):
        mark = copy.copy(token.start_mark)
        mark.column += shift
        token.start_mark = mark
        first, *rest = token.value.split("\n")
        token.value = "\n".join([first, *(_shifted(line, shift) for line in rest)])
    dumped = _dump([item]).rstrip("\n").split("\n")
    lines = [line[2:] if line.startswith("  ") else line for line in dumped]
    while len(lines) > 1 and _between(lines[-1], 0):
        lines.pop()
    return "\n".join(" " * column + line if line else line for line in lines) + "\n"


def _drop_trailing_lines(item: CommentedMap, column: int) -> None:
    """Detach the blank and comment lines after the note (ruamel keeps them with its last value):
    they stay in the file, between this note and the next, whatever keys the edit adds."""
    node, key, slot = item, None, 2
    while isinstance(node, (CommentedMap, CommentedSeq)) and len(node):
        key = list(node)[-1] if isinstance(node, CommentedMap) else len(node) - 1
        slot = 2 if isinstance(node, CommentedMap) else 0
        if not isinstance(node[key], (CommentedMap, CommentedSeq)) or not len(node[key]):
            break
        node = node[key]
    entry = node.ca.items.get(key) if key is not None else None
    token = entry[slot] if entry else None
    if not isinstance(token, CommentToken):
        return
    lines = token.value.split("\n")
    kept = max(index for index, line in enumerate(lines) if index == 0 or not _between(line, column))
    token.value = "\n".join(lines[:kept + 1]) + "\n"
    if token.value == "\n":
        entry[slot] = None


def _shifted(line: str, shift: int) -> str:
    if not line.strip():
        return line
    return " " * shift + line if shift >= 0 else line[min(-shift, len(line) - len(line.lstrip())):]


def _comments(node) -> Iterator[CommentToken]:
    """Every comment attached to ``node`` and the nodes in it."""
    attached = getattr(node, "ca", None)
    if attached is None:
        return
    pending = [*attached.items.values(), attached.comment]
    while pending:
        value = pending.pop()
        if isinstance(value, CommentToken):
            yield value
        elif isinstance(value, list):
            pending.extend(value)
    for child in node.values() if isinstance(node, CommentedMap) else node:
        yield from _comments(child)


def _styled(key: str, value: object, old: object = None):
    """A value as the bundled files write it: sources as a list, a note of several lines as a
    literal block, a long one-line note folded at :data:`FOLD_WIDTH`."""
    if key == "sources":
        return CommentedSeq(list(value))
    text = str(value)
    if key != "note":
        return text
    if "\n" in text:
        return LiteralScalarString(text + "\n")
    if len(text) > 60 or isinstance(old, FoldedScalarString):
        folded = FoldedScalarString(text + "\n")
        lines = textwrap.wrap(text, FOLD_WIDTH, break_long_words=False, break_on_hyphens=False)
        positions, offset = [], 0
        for line in lines[:-1]:
            offset = text.index(line, offset) + len(line)
            positions.append(offset)
        folded.fold_pos = positions
        return folded
    return text


# Glossary entries ---------------------------------------------------------------------------------


def _split_entry(text: str, name: str) -> tuple[CommentedMap, str, str]:
    """Front matter (parsed), its YAML text, and the body of a glossary entry."""
    first = text.find("\n")
    closing = _FENCE.search(text, first + 1) if text.startswith("---") and first >= 0 else None
    if closing is None or text[:first].strip() != "---":
        raise Unusable(f"{name} has no front matter between --- lines: fix it in a text editor first")
    source = text[first + 1:closing.start()]
    data = _load(source, name) if source.strip() else CommentedMap()
    if not isinstance(data, CommentedMap):
        raise Unusable(f"{name}: the front matter is not a mapping of keys to values")
    body_start = text.find("\n", closing.end())
    return data, source, text[body_start + 1:] if body_start >= 0 else ""


def entry_fields(text: str, name: str) -> EntryFields:
    """A glossary entry's editable parts, read with the build's own front matter reader."""
    try:
        parts = frontmatter.split(text, name)
    except SiteGenError as exc:
        raise Unusable(f"{name}: {exc.diagnostics[0].message}: fix it in a text editor first") from None
    data, body = parts.data, parts.body
    return EntryFields(str(data.get("term", data.get("title", ""))), body.strip("\n"), _texts(data.get("aliases")),
                       str(data.get("category") or ""), _texts(data.get("sources")))


def _texts(value: object) -> tuple[str, ...]:
    if value is None:
        return ()
    return (str(value),) if isinstance(value, str) else tuple(str(v) for v in value)


def new_entry(fields: EntryFields) -> str:
    """A new glossary entry file."""
    data = CommentedMap(term=fields.term)
    _set_entry_keys(data, fields)
    return f"---\n{_dump(data)}---\n{fields.definition.strip()}\n"


def update_entry(text: str, name: str, fields: EntryFields) -> str:
    """``text`` with the entry's term, aliases, category, sources and definition set to ``fields``."""
    data, source, body = _split_entry(text, name)
    term_key = "term" if "term" in data or "title" not in data else "title"
    if data.get(term_key) != fields.term:
        data[term_key] = fields.term
    _set_entry_keys(data, fields)
    if body.strip("\n") != fields.definition.strip("\n"):
        body = fields.definition.strip("\n") + "\n"
    return f"---\n{_dump_like(data, source)}---\n{body}"


def add_alias(text: str, name: str, alias: str) -> str:
    """``text`` with ``alias`` added to the entry's aliases; nothing else changes."""
    fields = entry_fields(text, name)
    return update_entry(text, name, EntryFields(fields.term, fields.definition, (*fields.aliases, alias),
                                                fields.category, fields.sources))


def _set_entry_keys(data: CommentedMap, fields: EntryFields) -> None:
    wanted = {"aliases": list(fields.aliases), "category": fields.category, "sources": list(fields.sources)}
    for key, value in wanted.items():
        old = data.get(key)
        if not value:
            data.pop(key, None)
        elif key == "category":
            if old != value:
                data[key] = value
        elif _texts(old) != tuple(value):
            if isinstance(old, CommentedSeq):
                old[:] = value
            else:
                seq = CommentedSeq(value)
                if key == "aliases":
                    seq.fa.set_flow_style()
                position = sum(1 for existing in data if existing in ENTRY_KEYS
                               and ENTRY_KEYS.index(existing) < ENTRY_KEYS.index(key))
                data.pop(key, None)
                data.insert(position, key, seq)


def _dump_like(data: CommentedMap, source: str) -> str:
    """The front matter dumped in the indentation its file uses (as its unchanged text shows)."""
    styles = [(2, 4, 2), (2, 2, 0), (4, 4, 2), (4, 6, 4)]
    original = _load(source, "") if source.strip() else CommentedMap()
    for mapping, sequence, offset in styles:
        yaml = _yaml()
        yaml.indent(mapping=mapping, sequence=sequence, offset=offset)
        stream = io.StringIO()
        yaml.dump(original, stream)
        if stream.getvalue() == source:
            stream = io.StringIO()
            yaml.dump(data, stream)
            return stream.getvalue()
    return _dump(data)
