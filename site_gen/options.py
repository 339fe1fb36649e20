"""``BuildOptions``: how a build is asked for, by the command line, live preview or a script.

Kept apart from the pipeline so that ``site-gen build`` can tell whether anything changed since the
last build without importing the build's stages (markdown-it, Jinja2, the search index...): that
import alone takes longer than the whole check.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from .config import SiteConfig

Progress = Callable[[str, int, int], None]


@dataclass(frozen=True, slots=True)
class BuildOptions:
    out: Path | None = None
    """Output folder; default ``[build] output_dir`` in the site folder."""
    strict: bool = False
    regenerate: frozenset[str] = frozenset()
    """``content/articles/x.md`` files to overwrite even though they were edited by hand."""
    progress: Progress | None = None
    write: bool = True
    """False: build everything in memory but write nothing (``check``)."""
    in_place: bool = False
    """Update the output folder file by file (live preview) instead of staging and swapping it."""
    search: bool = True
    """False: keep the previous search files (live preview rebuilds them after the reload)."""
    jobs: int = 0
    """Worker processes for rendering many pages; 0: one per CPU."""
    reuse: bool = False
    """Skip the build when no input changed since the last complete one (``site-gen build``)."""
    fingerprints: tuple[str, str] | None = None
    """The inputs' fingerprints, when the caller has just taken them and found the site out of date
    (``site-gen build``): the build does not take them a second time."""


def output_dir(config: SiteConfig, options: BuildOptions) -> Path:
    return options.out if options.out is not None else config.root / config.build.output_dir
