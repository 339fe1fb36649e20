"""Load editors' context notes (``content/notes/<article-slug>.yml``), each with its file and line.

The file is a YAML list; each item has ``quote`` (the exact passage), ``note`` (Markdown), and
optionally ``prefix``/``suffix`` (text just before/after the quote, to choose between repeats) and
``sources`` (a list).
"""

from __future__ import annotations

from pathlib import Path

import yaml

from .. import frontmatter
from ..diagnostics import InputError, SourceLocation, error, shown
from ..inputs import display_path
from ..model import Note
from ..reading import folder_files, read_text

NOTES_DIR = "content/notes"
NOTE_SUFFIXES = (".yml", ".yaml")
KEYS = ("quote", "note", "prefix", "suffix", "sources")


def find_note_files(root: Path) -> dict[str, Path]:
    """Note files by the article slug they belong to."""
    return {p.stem: p for p in folder_files(root / NOTES_DIR, root, NOTE_SUFFIXES)}


def read_notes(root: Path, path: Path) -> tuple[Note, ...]:
    relative = display_path(root, path)
    return parse_notes(read_text(path, relative, root, "notes file"), relative)


def parse_notes(text: str, relative: str) -> tuple[Note, ...]:
    """The notes in one file; every problem in it is reported at once, with its line."""
    node, values = frontmatter.load_yaml_tree(text, relative)
    if node is None:
        return ()
    if not isinstance(node, yaml.SequenceNode):
        raise InputError(error("a notes file must be a list of notes", SourceLocation(relative, node.start_mark.line + 1),
                               "start each note with '- quote: ...'"))
    notes = []
    problems = []
    for item, data in zip(node.value, values, strict=True):
        line = item.start_mark.line + 1
        location = SourceLocation(relative, line)
        if not isinstance(data, dict):
            problems.append(error("each note must be a mapping with 'quote' and 'note'", location))
            continue
        unknown = [key for key in data if key not in KEYS]
        for key in unknown:
            problems.append(error(f"unknown key {shown(key)} in note", location, "expected one of: " + ", ".join(KEYS)))
        missing = [key for key in ("quote", "note") if not isinstance(data.get(key), str) or not data[key].strip()]
        for key in missing:
            problems.append(error(f"note has no '{key}'", location, f"add '{key}: ...' (text)"))
        sources = data.get("sources", [])
        if isinstance(sources, str):
            sources = [sources]
        if not isinstance(sources, list):
            problems.append(error("'sources' must be a list", location))
            sources = []
        if unknown or missing:
            continue
        notes.append(Note(
            quote=data["quote"].strip(),
            text=data["note"].strip(),
            location=location,
            prefix=str(data.get("prefix") or ""),
            suffix=str(data.get("suffix") or ""),
            sources=tuple(str(s).strip() for s in sources if str(s).strip()),
        ))
    if problems:
        raise InputError(problems)
    return tuple(notes)
