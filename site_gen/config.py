"""The ``site.toml`` schema, declared once with defaults, and its validation.

Every key is a dataclass field with a type, a default and a docstring (``docs/configuration.md`` is
written from the same fields). :func:`load_config` reports *every* problem at once, each naming the
file, line and key, the bad value and what is allowed.
"""

from __future__ import annotations

import dataclasses
import difflib
import re
import tomllib
import typing
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from .diagnostics import ConfigError, Diagnostic, SourceLocation, error, warning

CONFIG_FILE = "site.toml"

DEFAULT_FOOTERS = (
    r"^To contact the WSWS",
    r"^Reuters?$",
)


@dataclass(frozen=True, slots=True)
class SiteSection:
    title: str = "An Annotated Reader"
    """The site's name, shown in every page header and in the feed."""
    description: str = ""
    """One sentence about the site, for the home page, feed and search engines."""
    base_url: str = ""
    """Absolute URL the site is published at (e.g. ``https://example.github.io/reader/``); used for the
    feed, sitemap and canonical links. Internal links are relative, so the site works without it."""
    language: str = "en"
    """BCP 47 language tag of the texts (``lang`` attribute, search stemming)."""
    author: str = ""
    """Default author when a seed has no byline."""
    theme: str = "default"
    """Theme folder name, looked up in the site's ``themes/`` then in the bundled themes."""
    copyright: str = ""
    """Shown in the footer of every page."""
    articles_per_page: int = 100
    """Articles listed on the home page; older ones continue on ``page/2/``, ``page/3/``... (a long
    list stays light to download, and an edit re-renders only the list page that shows the article)."""


@dataclass(frozen=True, slots=True)
class BuildSection:
    output_dir: str = "public"
    """Where the site is written, relative to the site folder."""
    build_date: str = ""
    """Fixed date for "updated" stamps (ISO 8601). Empty: the newest article date, so builds are reproducible."""


@dataclass(frozen=True, slots=True)
class SeedsSection:
    footer_patterns: tuple[str, ...] = DEFAULT_FOOTERS
    """Regular expressions; the first paragraph matching one, and everything after it, is dropped."""
    slug_from: Literal["title", "filename"] = "title"
    """Make article slugs (URLs) from the headline or from the seed's file name."""
    titlecase_headlines: bool = True
    """Turn ALL-CAPS wire headlines into title case."""


@dataclass(frozen=True, slots=True)
class GlossarySection:
    link: Literal["first", "all", "first-per-section"] = "first"
    """Which occurrences of a term become links: the first in each article, every one, or the first per section."""
    uses_per_page: int = 100
    """Articles listed on a term's page; more continue on ``glossary/<term>/page/2/``... (a frequent
    term's page stays light, and an edit re-renders only the page that lists the article)."""


@dataclass(frozen=True, slots=True)
class NotesSection:
    fuzzy_threshold: float = 0.8
    """Similarity (0-1) a fuzzy match must reach to anchor a note whose exact quote is gone."""


@dataclass(frozen=True, slots=True)
class SearchSection:
    enabled: bool = True
    """Build the client-side search index and the search page."""
    shard_threshold: int = 200
    """Sites with more documents than this get a sharded index (loaded per query term)."""
    shard_budget_kb: int = 200
    """``check`` warns when one index shard is larger than this many kilobytes (gzipped)."""


@dataclass(frozen=True, slots=True)
class ServeSection:
    host: str = "127.0.0.1"
    """Address the preview server binds to; anything but loopback is reachable by others and warned about."""
    port: int = 8000


@dataclass(frozen=True, slots=True)
class SiteConfig:
    """The whole ``site.toml`` plus where it was read from."""

    root: Path = Path(".")
    """The site folder (holding ``site.toml``, ``seeds/``, ``content/``)."""
    site: SiteSection = field(default_factory=SiteSection)
    build: BuildSection = field(default_factory=BuildSection)
    seeds: SeedsSection = field(default_factory=SeedsSection)
    glossary: GlossarySection = field(default_factory=GlossarySection)
    notes: NotesSection = field(default_factory=NotesSection)
    search: SearchSection = field(default_factory=SearchSection)
    serve: ServeSection = field(default_factory=ServeSection)
    key_lines: tuple[tuple[str, int], ...] = ()
    """``("site.theme", 4)``: the line each key was set on, for later error messages."""

    def location(self, key: str) -> SourceLocation:
        """Where ``key`` (``section.name``) was set, or the file itself if it was not."""
        return SourceLocation(CONFIG_FILE, dict(self.key_lines).get(key, 0))


def base_url_warnings(config: SiteConfig) -> list[Diagnostic]:
    """The site builds without ``base_url``; this says which parts of it need the address."""
    if config.site.base_url:
        return []
    where = config.location("site.base_url")
    return [warning(
        "'site.base_url' is empty: the 404 page then works only at the top level of the site and from disk "
        "(not for missing pages in folders, nor under a subpath), and the sitemap, canonical links and "
        "the feed's full links need it too",
        where if where.line else config.location("site"),
        'set it to the address the site is published at, e.g. base_url = "https://example.github.io/reader/" '
        "in [site]", code="no-base-url")]


MINIMUMS = {"site.articles_per_page": 1, "glossary.uses_per_page": 1, "search.shard_threshold": 0, "search.shard_budget_kb": 1}
"""Numbers with a lower bound (checked with the types)."""
SECTIONS = {f.name: f.type for f in dataclasses.fields(SiteConfig) if f.name not in ("root", "key_lines")}
_SECTION_TYPES = typing.get_type_hints(SiteConfig)


def load_config(root: Path) -> SiteConfig:
    """Read and validate ``root/site.toml``; a missing file gives the defaults."""
    path = root / CONFIG_FILE
    if not path.exists():
        return SiteConfig(root=root)
    text = path.read_text(encoding="utf-8-sig")
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        line = int(m.group(1)) if (m := re.search(r"line (\d+)", str(exc))) else 0
        raise ConfigError(error(f"invalid TOML: {exc}", SourceLocation(CONFIG_FILE, line))) from None
    key_lines = _key_lines(text)
    problems: list[Diagnostic] = []
    sections = {}
    for name, value in data.items():
        if name not in SECTIONS:
            problems.append(_unknown(name, "", list(SECTIONS), key_lines))
        elif not isinstance(value, dict):
            problems.append(error(f"'{name}' must be a table ([{name}])", _loc(name, key_lines)))
        else:
            sections[name] = _load_section(name, value, key_lines, problems)
    if problems:
        raise ConfigError(problems)
    return SiteConfig(root=root, key_lines=tuple(sorted(key_lines.items())), **sections)


def _load_section(name: str, values: dict, key_lines: dict[str, int], problems: list[Diagnostic]):
    schema = _SECTION_TYPES[name]
    hints = typing.get_type_hints(schema)
    allowed = [f.name for f in dataclasses.fields(schema)]
    accepted = {}
    for key, value in values.items():
        if key not in allowed:
            problems.append(_unknown(key, name, allowed, key_lines))
            continue
        problem = _check_type(value, hints[key])
        if problem:
            problems.append(
                error(f"'{name}.{key}' {problem}, got {value!r}", _loc(f"{name}.{key}", key_lines))
            )
            continue
        smallest = MINIMUMS.get(f"{name}.{key}")
        if smallest is not None and value < smallest:
            problems.append(error(f"'{name}.{key}' must be at least {smallest}, got {value!r}",
                                  _loc(f"{name}.{key}", key_lines)))
            continue
        accepted[key] = tuple(value) if isinstance(value, list) else value
    return schema(**accepted)


def _check_type(value: object, expected: object) -> str:
    """'' when ``value`` fits ``expected``, otherwise what was expected."""
    origin = typing.get_origin(expected)
    if origin is Literal:
        options = typing.get_args(expected)
        return "" if value in options else "must be one of " + ", ".join(repr(o) for o in options)
    if origin is tuple:
        if isinstance(value, list) and all(isinstance(v, str) for v in value):
            return ""
        return "must be a list of strings"
    if expected is float:
        ok = isinstance(value, (int, float)) and not isinstance(value, bool)
        return "" if ok else "must be a number"
    if expected is int:
        ok = isinstance(value, int) and not isinstance(value, bool)
        return "" if ok else "must be an integer"
    if expected is bool:
        return "" if isinstance(value, bool) else "must be true or false"
    return "" if isinstance(value, expected) else "must be a string"


def _unknown(key: str, section: str, allowed: list[str], key_lines: dict[str, int]) -> Diagnostic:
    full = f"{section}.{key}" if section else key
    where = f"in [{section}]" if section else "at the top level"
    suggestion = _closest(key, allowed)
    hint = "expected one of: " + ", ".join(allowed)
    if suggestion:
        hint = f"did you mean '{suggestion}'? " + hint
    return error(f"unknown key '{key}' {where}", _loc(full, key_lines), hint)


def _closest(key: str, allowed: list[str]) -> str:
    matches = difflib.get_close_matches(key, allowed, n=1, cutoff=0.6)
    return matches[0] if matches else ""


def _loc(key: str, key_lines: dict[str, int]) -> SourceLocation:
    return SourceLocation(CONFIG_FILE, key_lines.get(key, 0))


_TABLE = re.compile(r"^\s*\[\s*([A-Za-z0-9_.-]+)\s*\]")
_KEY = re.compile(r"^\s*([A-Za-z0-9_-]+)\s*=")


def _key_lines(text: str) -> dict[str, int]:
    """Map ``section.key`` (and ``section``) to the line it is written on; tomllib keeps no positions."""
    lines: dict[str, int] = {}
    section = ""
    for number, line in enumerate(text.splitlines(), start=1):
        if match := _TABLE.match(line):
            section = match.group(1)
            lines.setdefault(section, number)
        elif match := _KEY.match(line):
            key = f"{section}.{match.group(1)}" if section else match.group(1)
            lines.setdefault(key, number)
    return lines
