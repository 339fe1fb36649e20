"""The ``site.toml`` schema, declared once with defaults, and its validation.

Every key is a dataclass field with a type, a default and a docstring (``docs/configuration.md`` is
written from the same fields). :func:`load_config` reports *every* problem at once, each naming the
file, line and key, the bad value and what is allowed.
"""

from __future__ import annotations

import dataclasses
import datetime
import difflib
import os
import re
import tomllib
import typing
import urllib.parse
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal, TypeVar

from .diagnostics import ConfigError, Diagnostic, InputError, SourceLocation, error, shown, warning
from .reading import read_text

CONFIG_FILE = "site.toml"
T = TypeVar("T")

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
class CitationSection:
    styles: tuple[str, ...] = ("chicago", "apa")
    """The formatted references each article offers, in this order; [] for none (the downloads and the
    metadata for reference managers stay). Each style adds processor time to every article page
    (figures in docs/performance.md)."""


@dataclass(frozen=True, slots=True)
class EpubSection:
    enabled: bool = False
    """Build the edition as an EPUB book with the site, and link it from the home page."""
    tag: str = ""
    """Make that book of the articles with this tag only ('' : the whole edition)."""


@dataclass(frozen=True, slots=True)
class ServeSection:
    host: str = "127.0.0.1"
    """Address the preview server binds to; anything but loopback is reachable by others and warned about, and
    annotating in the browser is off there unless ``--allow-edits`` is given."""
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
    citation: CitationSection = field(default_factory=CitationSection)
    epub: EpubSection = field(default_factory=EpubSection)
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


def _between(low: float, high: float) -> Check:
    def check(value: float) -> str:
        return "" if low <= value <= high else f"must be from {low} to {high}"  # NaN is in no range
    return check


def _among(*choices: str) -> Check:
    def check(values: tuple[str, ...]) -> str:
        return "" if set(values) <= set(choices) else "may hold only " + ", ".join(repr(c) for c in choices)
    return check


def _regexes(patterns: tuple[str, ...]) -> str:
    for pattern in patterns:
        try:
            re.compile(pattern)
        except (re.error, RecursionError, OverflowError) as exc:
            return f"must be regular expressions: {shown(pattern)} is not one ({exc})"
    return ""


def _iso_date(value: str) -> str:
    if not value:
        return ""
    try:
        datetime.datetime.fromisoformat(value)
    except ValueError:
        pass
    else:
        if re.match(r"\d{4}-\d{2}-\d{2}(?:[T ]|$)", value):
            return ""
    return "must be an ISO date like \"2012-06-08\" (or empty)"


def _web_url(value: str) -> str:
    if not value:
        return ""
    try:
        parts = urllib.parse.urlsplit(value)
    except ValueError:
        parts = None
    if parts is None or parts.scheme not in ("http", "https") or not parts.hostname or any(c.isspace() for c in value):
        return "must be an http:// or https:// URL like \"https://example.org/reader/\" (or empty)"
    return ""


Check = Callable[[Any], str]
CHECKS: dict[str, Check] = {
    "site.base_url": _web_url,
    "site.articles_per_page": _between(1, 1_000_000),
    "build.build_date": _iso_date,
    "seeds.footer_patterns": _regexes,
    "glossary.uses_per_page": _between(1, 1_000_000),
    "notes.fuzzy_threshold": _between(0, 1),
    "search.shard_threshold": _between(0, 1_000_000_000),
    "search.shard_budget_kb": _between(1, 1_000_000_000),
    "citation.styles": _among("chicago", "apa"),
    "serve.port": _between(0, 65535),
}
"""What a value must be beyond its type (``section.key``: a check giving '' or what is wrong)."""
SECTIONS = {f.name: f.type for f in dataclasses.fields(SiteConfig) if f.name not in ("root", "key_lines")}
_SECTION_TYPES = typing.get_type_hints(SiteConfig)


@dataclass(frozen=True, slots=True)
class SettingsFile:
    """A TOML settings file being validated: its name in messages, where each key is, what its values must be."""

    name: str
    key_lines: dict[str, int]
    checks: dict[str, Check]

    def location(self, key: str) -> SourceLocation:
        return SourceLocation(self.name, self.key_lines.get(key, 0))


def load_config(root: Path) -> SiteConfig:
    """Read and validate ``root/site.toml``; a missing file gives the defaults."""
    path = root / CONFIG_FILE
    if not os.path.lexists(path):
        return SiteConfig(root=root)
    data, source = read_settings(path, CONFIG_FILE, root, CHECKS)
    problems: list[Diagnostic] = []
    sections = {}
    for name, value in data.items():
        if name not in SECTIONS:
            problems.append(_unknown(name, "", list(SECTIONS), source))
        elif not isinstance(value, dict):
            problems.append(error(f"'{name}' must be a table ([{name}])", source.location(name)))
        else:
            sections[name], found = check_table(_SECTION_TYPES[name], value, name, source)
            problems += found
    if problems:
        raise ConfigError(problems)
    return SiteConfig(root=root, key_lines=tuple(sorted(source.key_lines.items())), **sections)


def read_settings(path: Path, shown_as: str, root: Path, checks: dict[str, Check]) -> tuple[dict, SettingsFile]:
    """A TOML file's values and where each was set; any problem reading it is a :class:`ConfigError`."""
    try:
        text = read_text(path, shown_as, root, "settings file")
    except InputError as exc:
        raise ConfigError(exc.diagnostics) from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        line = int(m.group(1)) if (m := re.search(r"line (\d+)", str(exc))) else 0
        raise ConfigError(error(f"invalid TOML: {exc}", SourceLocation(shown_as, line))) from None
    except RecursionError:
        raise ConfigError(error("invalid TOML: nested too deeply", SourceLocation(shown_as))) from None
    return data, SettingsFile(shown_as, _key_lines(text), checks)


def check_table(schema: type[T], values: dict, section: str, source: SettingsFile) -> tuple[T, list[Diagnostic]]:
    """One table of settings as ``schema`` (a dataclass: each field's type and default), and the
    problems of the values that do not fit: unknown keys, wrong types, what :data:`CHECKS` refuses.
    ``section``: the table's name ('' for the top level of a file)."""
    hints = typing.get_type_hints(schema)
    allowed = [f.name for f in dataclasses.fields(schema)]
    accepted = {}
    problems = []
    for key, value in values.items():
        full = f"{section}.{key}" if section else key
        if key not in allowed:
            problems.append(_unknown(key, section, allowed, source))
            continue
        if hints[key] is str and isinstance(value, datetime.date):  # build_date = 2012-06-08, unquoted
            value = value.isoformat()
        problem = _value_problem(value, hints[key], source.checks.get(full))
        if problem:
            problems.append(error(f"'{full}' {problem}, got {shown(value)}", source.location(full)))
            continue
        accepted[key] = tuple(value) if isinstance(value, list) else value
    return schema(**accepted), problems


def with_options(config: SiteConfig, options: dict[str, tuple[object, str]]) -> SiteConfig:
    """``config`` with settings given on the command line (``{"serve.port": (8001, "--port")}``;
    None: not given), checked as ``site.toml``'s are; a problem names the option."""
    problems = []
    for full, (value, option) in options.items():
        if value is None:
            continue
        name, key = full.split(".")
        section = getattr(config, name)
        problem = _value_problem(value, typing.get_type_hints(type(section))[key], CHECKS.get(full))
        if problem:
            problems.append(error(f"{option} {problem}, got {shown(value)}",
                                  hint=f"{option} sets [{name}] {key} of {CONFIG_FILE} for this run"))
            continue
        config = dataclasses.replace(config, **{name: dataclasses.replace(section, **{key: value})})
    if problems:
        raise ConfigError(problems)
    return config


def epoch_date(value: str) -> str:
    """The date of ``SOURCE_DATE_EPOCH`` (seconds since 1970, UTC), checked like a setting."""
    seconds = int(value) if value.isascii() and value.isdigit() and len(value) <= 12 else -1
    if not 0 <= seconds <= 253_402_300_799:  # up to 9999-12-31
        raise ConfigError(error(f"SOURCE_DATE_EPOCH must be seconds since 1970 (a whole number), got {shown(value)}",
                                hint="unset it, or set it to a time like $(git log -1 --format=%ct)"))
    return datetime.datetime.fromtimestamp(seconds, datetime.UTC).date().isoformat()


def _value_problem(value: object, expected: object, check: Check | None) -> str:
    """'' when ``value`` fits the type ``expected`` and passes ``check``, otherwise what it must be."""
    return _check_type(value, expected) or (check(value) if check else "")


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


def _unknown(key: str, section: str, allowed: list[str], source: SettingsFile) -> Diagnostic:
    full = f"{section}.{key}" if section else key
    where = f"in [{section}]" if section else "at the top level"
    suggestion = _closest(key, allowed)
    hint = "expected one of: " + ", ".join(allowed)
    if suggestion:
        hint = f"did you mean '{suggestion}'? " + hint
    return error(f"unknown key {shown(key)} {where}", source.location(full), hint)


def _closest(key: str, allowed: list[str]) -> str:
    matches = difflib.get_close_matches(key, allowed, n=1, cutoff=0.6)
    return matches[0] if matches else ""


_TABLE = re.compile(r"^\s*\[\[?\s*([A-Za-z0-9_.-]+)\s*\]")
_KEY = re.compile(r"^\s*([A-Za-z0-9_.-]+)\s*=")


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
