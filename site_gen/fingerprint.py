"""Is the built site up to date? A fingerprint of every input, kept in the site's ``.cache/``.

The fingerprint covers every file of the site folder (but the output, ``.cache`` and hidden
folders) and of the theme folders, by path, size and modification time, plus site-gen's version
and the build options. When it equals the one the last complete build recorded, and that build's
output is still there, the build has nothing to do: ``site-gen build`` says so, repeats the last
build's problems, and exits with the same status, in a fraction of a second at any size.

A build takes the fingerprints as it starts and again as it ends, and records the last one only if
nothing but its own writes (the generated ``content/articles`` files) changed in between: a file
saved while a build runs may be missing from its output, so the next build runs again. (Its own
writes are the generated ``content/articles`` files and the ``content/ids`` records of passage ids.)

The record (the fingerprint and the build's problems, which name source files) is kept in
``.cache/``, one per output folder, never in the output: a deploy publishes pages only, and two
builds of one site into two folders are the same, byte for byte. The build cache (``cache.py``) is
kept there too, next to the record of the build that made it (:func:`cache_path`).
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
from pathlib import Path

from . import __version__
from .config import SiteConfig
from .diagnostics import Diagnostic, Severity, SourceLocation
from .options import GENERATED, GENERATED_IDS, BuildOptions, Fingerprints, output_dir
from .output import marked
from .tempfiles import remove_leftovers, write_atomically
from .theme import load_theme

CACHE = ".cache"
"""The site's folder for what builds keep between them."""

def unchanged(config: SiteConfig, options: BuildOptions) -> tuple[list[Diagnostic] | None, Fingerprints]:
    """The last build's problems when no input changed since it (None when there is something to
    build), and the inputs' fingerprints now. ``site-gen build`` asks this before it imports the
    build's stages."""
    prints = build_fingerprints(config, options, load_theme(config).folders)
    return recorded(config.root, output_dir(config, options), prints.every), prints


def build_fingerprints(config: SiteConfig, options: BuildOptions, theme_folders: tuple[Path, ...]) -> Fingerprints:
    """The fingerprints of building ``config`` with ``options``: with the options that change the output."""
    out = output_dir(config, options)
    settings = (options.strict, tuple(sorted(options.regenerate)), str(out.resolve()))
    return fingerprints(config.root, out, theme_folders, settings)


def fingerprints(root: Path, out: Path, theme_folders: tuple[Path, ...], options: tuple) -> Fingerprints:
    """Both fingerprints in one walk of the folders."""
    skip = {str(out.resolve()), str((root / CACHE).resolve())}
    generated = {str((root / folder).resolve()) for folder in (GENERATED, GENERATED_IDS)}
    digests = [hashlib.blake2b(repr((__version__, options)).encode(), digest_size=16) for _ in range(2)]
    for folder in (root, *theme_folders):
        _add_folder(digests, str(folder), skip, generated, False)
    return Fingerprints(digests[0].hexdigest(), digests[1].hexdigest())


def _add_folder(digests: list, folder: str, skip: set[str], generated: set[str], inside: bool) -> None:
    """Every file under ``folder`` by path, size and modification time, in name order (hidden files
    and folders, and the ``skip`` folders, left out); files under ``generated`` (``inside`` it) go
    into the first digest only."""
    try:
        entries = sorted(os.scandir(folder), key=lambda entry: entry.name)
    except OSError:
        return
    for entry in entries:
        if entry.name.startswith("."):
            continue
        try:
            if entry.is_dir(follow_symlinks=False):
                real = os.path.realpath(entry.path)
                if real not in skip:
                    _add_folder(digests, entry.path, skip, generated, inside or real in generated)
                continue
            stat = entry.stat()
        except OSError:
            continue
        line = os.fsencode(f"{entry.path}\0{stat.st_size}\0{stat.st_mtime_ns}\n")  # any file name, UTF-8 or not
        for digest in digests[:1] if inside else digests:
            digest.update(line)


def record_path(root: Path, out: Path) -> Path:
    """Where the record of the builds of ``root`` into ``out`` is kept."""
    name = hashlib.blake2b(str(out.resolve()).encode(), digest_size=8).hexdigest()
    return root / CACHE / f"build-{name}.json"


@functools.cache
def code_version() -> str:
    """site-gen's version and a digest of its code: a build cache made by other code is not used
    (an installed release, or a working copy between two edits)."""
    code = hashlib.blake2b(digest_size=8)
    package = Path(__file__).parent
    for path in sorted(package.rglob("*.py")):
        code.update(path.relative_to(package).as_posix().encode() + b"\0" + path.read_bytes())
    return f"{__version__}+{code.hexdigest()}"


def cache_path(root: Path, out: Path) -> Path:
    """Where the build cache of the builds of ``root`` into ``out`` is kept between builds."""
    return record_path(root, out).with_name(record_path(root, out).stem.replace("build-", "cache-") + ".pickle")


def cache_folder(root: Path) -> Path | None:
    """``.cache``, made if need be; None when it is a link or a file (nothing is written through a link)."""
    folder = root / CACHE
    try:
        folder.mkdir(exist_ok=True)
    except OSError:
        return None
    if folder.is_symlink() or not folder.is_dir():
        return None
    remove_leftovers(folder)
    return folder


def record(root: Path, out: Path, value: str, diagnostics: list[Diagnostic]) -> None:
    """Remember a complete build: its fingerprint and the problems it reported. Not when ``.cache``
    is a link or a file (nothing is written through a link): the next build then runs again."""
    items = [{"severity": d.severity.value, "message": d.message, "hint": d.hint, "code": d.code,
              "path": d.location.path if d.location else None,
              "line": d.location.line if d.location else 0, "column": d.location.column if d.location else 0}
             for d in diagnostics]
    if cache_folder(root) is not None:
        write_atomically(record_path(root, out), json.dumps({"fingerprint": value, "diagnostics": items}).encode())


def recorded(root: Path, out: Path, value: str) -> list[Diagnostic] | None:
    """The last build's problems if its fingerprint is ``value`` (nothing changed since) and its
    output is still there, else None."""
    if not marked(out):
        return None
    try:
        data = json.loads(record_path(root, out).read_text())
    except (OSError, ValueError):
        return None
    if not isinstance(data, dict) or data.get("fingerprint") != value:
        return None
    return [Diagnostic(Severity(item["severity"]), item["message"],
                       SourceLocation(item["path"], item["line"], item["column"]) if item["path"] is not None else None,
                       item["hint"], item["code"]) for item in data.get("diagnostics", [])]
