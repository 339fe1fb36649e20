"""Find seed files and decode them into :class:`Seed` values (the I/O edge of the ingest half).

Encodings: UTF-8 with or without BOM; cp1252 as a fallback, with a warning. Empty, binary and
undecodable files are errors naming the file, and the other seeds still build; every file is read
through :mod:`~site_gen.reading`, which refuses links out of the site, FIFOs and the like.
"""

from __future__ import annotations

import datetime
import os
import re
from pathlib import Path

from . import frontmatter
from .diagnostics import InputError, SourceLocation, error, shown
from .inputs import display_path
from .language import is_language_tag
from .model import MetaOverrides, Seed
from .reading import Decoded, decode_text, read_bytes, read_text, walk_folder

SEEDS_DIR = "seeds"
SEED_SUFFIXES = (".txt", ".md")
SIDECAR_SUFFIXES = (".yml", ".yaml")
SIDECAR_KEYS = ("title", "author", "date", "source", "slug", "tags", "language")


def find_seeds(root: Path) -> list[tuple[Path, tuple[Path, ...]]]:
    """Each seed file under ``root/seeds`` with the sidecar files it has, in a stable order
    (sidecars and hidden files are not seeds); one walk of the folder finds both."""
    found = []
    for directory, names in _walk(root):
        present = set(names)
        for name in names:
            if name.endswith(SEED_SUFFIXES):
                stem = name.rsplit(".", 1)[0]
                sidecars = tuple(Path(directory, stem + suffix) for suffix in SIDECAR_SUFFIXES if stem + suffix in present)
                found.append((os.path.join(directory, name), sidecars))
    return [(Path(name), sidecars) for name, sidecars in sorted(found)]


def seed_folders(root: Path) -> list[Path]:
    """``root/seeds`` and the folders below it that :func:`find_seeds` looks in (their modification
    times tell whether a seed appeared or disappeared)."""
    return [Path(directory) for directory, _ in _walk(root)]


def _walk(root: Path) -> list[tuple[str, list[str]]]:
    """``(folder, file names)`` for ``root/seeds`` and its subfolders, hidden ones left out; a
    folder that cannot be read stops the build (:class:`~site_gen.diagnostics.FolderError`)."""
    return walk_folder(root / SEEDS_DIR, root)


def read_seed(root: Path, path: Path, sidecars: tuple[Path, ...] = ()) -> Seed:
    """Decode one seed and its sidecar (the first of ``sidecars``, as :func:`find_seeds` lists them);
    raises :class:`InputError` if it cannot be used. Plain ``os`` calls: a full build reads every
    seed in one process, where ``pathlib``'s objects and probing would cost as much as the reading."""
    relative = display_path(root, path)
    decoded = decode(read_bytes(path, relative, root, "seed"), relative)
    text, notes = decoded.text, decoded.warnings
    overrides = read_sidecar(root, sidecars[0]) if sidecars else MetaOverrides()
    if path.suffix == ".md":
        parts = frontmatter.split(text, relative)
        merged = _merge(overrides_from_mapping(parts.data, relative, 1), overrides)
        return Seed(relative, parts.body, True, parts.body_line, merged, tuple(notes))
    return Seed(relative, text, False, 1, overrides, tuple(notes))


def decode(data: bytes, path: str) -> Decoded:
    """Bytes to text with normalised newlines: UTF-8, or Windows-1252 with a warning."""
    decoded = decode_text(data, path, "seed", seed=True)
    if not decoded.text.strip():  # nothing but white space, or a byte-order mark
        raise InputError(error("seed is empty", SourceLocation(path), "add the article text, or delete the file"))
    return decoded


def read_sidecar(root: Path, sidecar: Path) -> MetaOverrides:
    """The editor's corrections in a seed's sidecar (none if it is gone, or a link to nothing)."""
    if not os.path.exists(sidecar):
        return MetaOverrides()
    relative = display_path(root, sidecar)
    text = read_text(sidecar, relative, root, "sidecar")
    data = frontmatter.load_yaml(text, relative)
    if data is None:
        return MetaOverrides()
    if not isinstance(data, dict):
        raise InputError(error("sidecar must be a mapping of keys to values", SourceLocation(relative, 1),
                               "e.g. title: \"A better title\""))
    return overrides_from_mapping(data, relative, 1, text)


def overrides_from_mapping(data: dict, path: str, first_line: int, text: str = "") -> MetaOverrides:
    """Validate editor-set metadata: known keys only, strings (tags: a list of strings), ISO dates."""
    problems = []
    values: dict = {}
    for key, value in data.items():
        def location(key: object = key) -> SourceLocation:
            return SourceLocation(path, frontmatter.key_line(text, str(key), first_line) if text else first_line)

        if key not in SIDECAR_KEYS:
            problems.append(error(f"unknown key {shown(key)}", location(), "expected one of: " + ", ".join(SIDECAR_KEYS)))
        elif key == "tags":
            if not isinstance(value, list) or not all(isinstance(t, (str, int)) for t in value):
                problems.append(error("'tags' must be a list of words", location(), "e.g. tags: [drones, Pakistan]"))
            else:
                values[key] = tuple(str(t) for t in value)
        elif key == "date":
            iso = _iso_date(value)
            if iso is None:
                problems.append(error(f"'date' must be a date like 2012-06-08, got {shown(value)}", location()))
            else:
                values[key] = iso
        elif key == "language":
            if not isinstance(value, str) or not is_language_tag(value.strip()):
                problems.append(error(f"'language' must be a language tag like en, ar or pt-BR, got {value!r}",
                                      location(), "see https://www.w3.org/International/articles/language-tags/"))
            else:
                values[key] = value.strip()
        elif not isinstance(value, (str, int, float)) or isinstance(value, bool):
            problems.append(error(f"'{key}' must be text, got {shown(value)}", location()))
        else:
            values[key] = str(value).strip()
    if problems:
        raise InputError(problems)
    return MetaOverrides(**values)


_ISO = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?", re.ASCII)
"""The usual forms (a day, a month, a year), checked without ``strptime``: it is slow, all the more
when it fails (a year tried as a day, then a month), and it runs for every article."""


def _iso_date(value: object) -> str | None:
    if isinstance(value, datetime.datetime):
        return value.date().isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, int) and 1000 <= value <= 9999:
        return str(value)
    if isinstance(value, str):
        text = value.strip()
        usual = _ISO.fullmatch(text)
        if usual and usual[1] >= "1000":
            year, month, day = usual.groups()
            if day:
                try:
                    return datetime.date(int(year), int(month), int(day)).isoformat()
                except ValueError:
                    pass
            elif month is None or 1 <= int(month) <= 12:
                return text
        for fmt in ("%Y-%m-%d", "%Y-%m", "%Y"):
            try:
                parsed = datetime.datetime.strptime(text, fmt)
            except ValueError:
                continue
            return parsed.strftime(fmt)
    return None


def _merge(base: MetaOverrides, top: MetaOverrides) -> MetaOverrides:
    """``top``'s values where set, otherwise ``base``'s."""
    fields = {name: getattr(top, name) if getattr(top, name) is not None else getattr(base, name)
              for name in MetaOverrides.__slots__}
    return MetaOverrides(**fields)
