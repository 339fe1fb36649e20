"""Load the editors' glossary (``content/glossary/<slug>.md``) and check it for clashes.

A duplicated term or alias, or an alias that is another entry's term, is an error that names both
files; the later file (by path) is the one left out, so the rest of the site still builds.
"""

from __future__ import annotations

from pathlib import Path

from .. import frontmatter
from ..diagnostics import Diagnostic, InputError, SourceLocation, error, shown, warning
from ..inputs import display_path
from ..model import Glossary, GlossaryEntry
from ..reading import folder_files, read_text
from ..text import DIRECTION_CONTROLS, slugify, without_direction_controls

GLOSSARY_DIR = "content/glossary"
KEYS = ("term", "aliases", "category", "see_also", "sources", "title")


def find_glossary_files(root: Path) -> list[Path]:
    return folder_files(root / GLOSSARY_DIR, root, (".md",))


def read_entry(root: Path, path: Path) -> GlossaryEntry:
    """One glossary file to an entry; raises :class:`InputError` naming the file and line."""
    relative = display_path(root, path)
    return parse_entry(read_text(path, relative, root, "glossary entry"), relative)


def parse_entry(text: str, relative: str) -> GlossaryEntry:
    parts = frontmatter.split(text, relative)
    data = parts.data

    def location(key: str) -> SourceLocation:
        return SourceLocation(relative, frontmatter.key_line(text, key, 1))

    problems = [
        error(f"unknown key {shown(key)}", location(str(key)), "expected one of: " + ", ".join(KEYS))
        for key in data if key not in KEYS
    ]
    term = data.get("term", data.get("title"))
    if not isinstance(term, str) or not term.strip():
        problems.append(error("glossary entry has no 'term'", SourceLocation(relative, 1),
                              "add a line 'term: The Term' to the front matter"))
    lists = {}
    for key in ("aliases", "see_also", "sources"):
        value = data.get(key, [])
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list) or not all(isinstance(v, (str, int, float)) for v in value):
            problems.append(error(f"'{key}' must be a list of text values", location(key), f"e.g. {key}: [one, two]"))
            value = []
        lists[key] = tuple(str(v).strip() for v in value if str(v).strip())
    category = data.get("category", "")
    if not isinstance(category, str):
        problems.append(error("'category' must be text", location("category")))
        category = ""
    if problems:
        raise InputError(problems)
    names = {"term": (term,), "aliases": lists["aliases"], "see_also": lists["see_also"], "category": (category,)}
    found = [key for key, values in names.items() if any(DIRECTION_CONTROLS.search(value) for value in values)]
    aliases, see_also = (tuple(name for name in map(_name, lists[key]) if name) for key in ("aliases", "see_also"))
    return GlossaryEntry(
        slug=slugify(Path(relative).stem) or "term",
        term=_name(term) or " ".join(term.split()),
        aliases=aliases,
        category=_name(category).lower(),
        see_also=see_also,
        sources=lists["sources"],
        body=parts.body,
        location=SourceLocation(relative, 1),
        body_line=parts.body_line,
        diagnostics=tuple(_direction_warning(key, location(key)) for key in found),
    )


def _name(text: str) -> str:
    """A term, alias or category as shown in titles and lists: one line, no direction controls."""
    return " ".join(without_direction_controls(text).split())


def _direction_warning(key: str, where: SourceLocation) -> Diagnostic:
    """Direction controls in a name would turn around what follows it in a ``<title>``, a list of
    terms or a search result, none of which can isolate them as ``<bdi>`` does in a page."""
    return warning(f"text direction controls (U+202A-U+202E, U+2066-U+2069) removed from '{key}': "
                   "they would turn the text after them around in titles and lists", where,
                   "remove them; right-to-left text shows the right way without them", code="direction-controls")


def check_clashes(entries: list[GlossaryEntry]) -> tuple[Glossary, list[Diagnostic]]:
    """Drop entries whose term or alias another (earlier) entry already uses, reporting both files."""
    owners: dict[str, GlossaryEntry] = {}
    kept: list[GlossaryEntry] = []
    problems: list[Diagnostic] = []
    for entry in sorted(entries, key=lambda e: e.location.path):
        clashes = []
        for form in (entry.term, *entry.aliases):
            owner = owners.get(form)
            if owner is not None and owner is not entry:
                clashes.append((form, owner))
        if clashes:
            for form, owner in clashes:
                what = "term" if form == owner.term else "alias"
                problems.append(error(
                    f"'{form}' is already the {what} of {owner.location.path}; this entry is left out",
                    entry.location,
                    f"remove '{form}' from one of {owner.location.path} and {entry.location.path}",
                    code="glossary-clash",
                ))
            continue
        for form in (entry.term, *entry.aliases):
            owners[form] = entry
        kept.append(entry)
    return Glossary(tuple(kept)), problems
