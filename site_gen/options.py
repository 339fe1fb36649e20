"""``BuildOptions``: how a build is asked for, by the command line, live preview or a script.

Kept apart from the pipeline so that ``site-gen build`` can tell whether anything changed since the
last build without importing the build's stages (markdown-it, Jinja2, the search index...): that
import alone takes longer than the whole check.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from .config import SiteConfig
from .diagnostics import ConfigError, error
from .record import record

Progress = Callable[[str, int, int], None]
GENERATED = "content/articles"
"""Where a build writes the annotated articles (``content.ARTICLES_DIR``; importing the content stage
here would slow down the "up to date" answer)."""
GENERATED_IDS = "content/ids"
"""Where a build writes the records of passage ids (``passage_records.IDS_DIR``, likewise)."""
REGENERATE_ALL = "all"
"""``--regenerate all``: every generated article (never a hand-written one)."""


@record
class Fingerprints:
    """Digests of a site's input files by path, size and modification time (``fingerprint.py``)."""

    every: str
    """Of every input."""
    unwritten: str
    """Of every input but the files a build itself writes in ``content/``."""


@dataclass(frozen=True, slots=True)
class BuildOptions:
    out: Path | None = None
    """Output folder; default ``[build] output_dir`` in the site folder."""
    strict: bool = False
    regenerate: frozenset[str] = frozenset()
    """``content/articles/x.md`` files to overwrite even though they were edited by hand (or
    :data:`REGENERATE_ALL`); see :func:`regenerate_paths`."""
    progress: Progress | None = None
    write: bool = True
    """False: build everything in memory and write no output; nothing at all unless ``in_place``
    (``check``, ``epub``)."""
    in_place: bool = False
    """Update the output folder file by file (live preview) instead of staging and swapping it."""
    search: bool = True
    """False: keep the previous search files (live preview rebuilds them after the reload)."""
    jobs: int = 0
    """Worker processes for rendering many pages; 0: one per CPU."""
    reuse: bool = False
    """Skip the build when no input changed since the last complete one (``site-gen build``)."""
    fingerprints: Fingerprints | None = None
    """The inputs' fingerprints, when the caller has just taken them and found the site out of date
    (``site-gen build``): the build does not take them a second time."""

    @property
    def writes_content(self) -> bool:
        """Whether the build writes ``content/articles``: a build and live preview do (live preview
        publishes the output itself, ``write`` off), ``check`` and ``epub`` leave it as it is."""
        return self.write or self.in_place


def output_dir(config: SiteConfig, options: BuildOptions) -> Path:
    return options.out if options.out is not None else config.root / config.build.output_dir


def regenerate_paths(root: Path, values: list[str]) -> frozenset[str]:
    """``--regenerate`` values as site paths (``content/articles/x.md``): each names a Markdown file
    in ``content/articles``, from the site folder or from here, or is ``all``. One that names no
    article is an error naming it: a typo must not pass for "nothing to regenerate"."""
    paths = set()
    for value in values:
        if value == REGENERATE_ALL:
            paths.add(value)
            continue
        relative = _article_named(root, value)
        if relative is None:
            raise ConfigError(error(f"--regenerate {value}: there is no article there",
                                    hint=f"name a file of {GENERATED}/ as the build's warning names it "
                                         f"(site-gen build --regenerate {GENERATED}/<name>.md), or 'all'"))
        paths.add(relative)
    return frozenset(paths)


def _article_named(root: Path, value: str) -> str | None:
    folder = os.path.abspath(root / GENERATED)
    for candidate in (root / value, Path(value)):
        path = os.path.abspath(candidate)
        if os.path.dirname(path) == folder and path.endswith(".md") and os.path.isfile(path):
            return f"{GENERATED}/{os.path.basename(path)}"
    return None
