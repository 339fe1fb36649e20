"""The build cache's file in the site's ``.cache/``, read as data only.

The site folder is untrusted input, ``.cache/`` included (a contributor can commit one), and
unpickling a file calls whatever it names. The cache is read by an unpickler that makes only the
types a build cache holds (:data:`ALLOWED`: site-gen's records, which are made by their generated
constructors and nothing else, its ``Severity`` and ``InputError``, and paths); a file naming
anything else is not used. It is read only from a real ``.cache`` folder of the site, never
through a link out of it, never from a FIFO or a device, and only when it is at most :data:`MAX_BYTES`
(then streamed to the unpickler, not read into memory first).
"""

from __future__ import annotations

import os
import pickle
from pathlib import Path

from .diagnostics import InputError, shown
from .reading import open_input

FORMAT = b"site-gen build cache 1\n"
"""The first bytes of a cache file: anything else is not one (or of an older layout)."""
MAX_BYTES = 1 << 30
"""A cache file larger than this is neither written nor read (the next build starts from an empty cache)."""

_MODEL = ("Anchor", "AnchoredNote", "AnnotatedDocument", "Block", "ContentFile", "CrossRef", "Document",
          "DocumentMeta", "Glossary", "GlossaryEntry", "Heading", "MetaOverrides", "Note", "Occurrence", "Omission",
          "Orphan", "OutputFile", "Page", "PassageIds", "Seed", "TermHit")
ALLOWED: frozenset[tuple[str, str]] = frozenset({
    *(("site_gen.model", name) for name in _MODEL),
    ("site_gen.assets", "Assets"),
    ("site_gen.cache", "_Checked"),
    ("site_gen.cache", "_Named"),
    ("site_gen.concordance", "Use"),
    ("site_gen.content", "ExistingFile"),
    ("site_gen.diagnostics", "Diagnostic"),
    ("site_gen.diagnostics", "InputError"),
    ("site_gen.diagnostics", "Severity"),
    ("site_gen.diagnostics", "SourceLocation"),
    ("site_gen.pages", "RenderedPage"),
    ("site_gen.render", "Pager"),
    ("site_gen.render", "TermPage"),
    ("pathlib", "PosixPath"),
    ("pathlib", "WindowsPath"),
})
"""``(module, name)`` of every class a build cache may make: frozen dataclasses of site-gen (built
by their fields, with no ``__post_init__``), an enum, an exception that keeps its diagnostics, and
paths. Lists, dicts, sets, tuples, strings, numbers and bytes need no class. No function, and no
other attribute of a module: a file could call it."""


class CacheRefused(Exception):
    """Why the file at hand cannot be used as a build cache (one line, for the ``cache-not-used`` note)."""


class _DataOnly(pickle.Unpickler):
    """An unpickler that makes the classes of :data:`ALLOWED` and nothing else."""

    def find_class(self, module: str, name: str) -> type:
        if (module, name) not in ALLOWED:
            raise CacheRefused(f"it names {shown(f'{module}.{name}')}, which a build cache never holds")
        return super().find_class(module, name)


def read_cache(path: Path) -> object | None:
    """What the cache file ``path`` (in the ``.cache`` folder of a site) holds, made of :data:`ALLOWED`
    types only; None when there is no file. :class:`CacheRefused` when it is not read (a link out of
    the site, a FIFO, too large, ``.cache`` a link) or is not a cache site-gen made."""
    folder = path.parent
    if not os.path.lexists(path):
        return None
    if os.path.islink(folder) or not os.path.isdir(folder):
        raise CacheRefused(f"{folder.name}/ is a link; a cache is read only from a folder of the site")
    try:
        opened = open_input(path, f"{folder.name}/{path.name}", folder.parent, "it", MAX_BYTES)
    except InputError as exc:
        raise CacheRefused(exc.diagnostics[0].message) from None
    with os.fdopen(opened.descriptor, "rb") as handle:
        try:
            if handle.read(len(FORMAT)) != FORMAT:
                raise CacheRefused("it is not a build cache site-gen can read")
            return _DataOnly(handle).load()
        except CacheRefused:
            raise
        except Exception as exc:  # a truncated or damaged file: any error unpickling it
            raise CacheRefused(f"it could not be read ({type(exc).__name__})") from None
