"""The build cache's file in the site's ``.cache/``, read as data only.

The site folder is untrusted input, ``.cache/`` included (a contributor can commit one), and
unpickling a file calls whatever it names. The cache is read by an unpickler that makes only the
types a build cache holds (:data:`ALLOWED`: site-gen's records, which are made by their generated
constructors and nothing else, its ``Severity`` and ``InputError``, and paths); a file naming
anything else is not used. It is read only from a real ``.cache`` folder of the site, never
through a link out of it, never from a FIFO or a device, and only when it is at most :data:`MAX_BYTES`
(then streamed to the unpickler, not read into memory first). A file is used only when it is signed
with a key kept outside every site (:func:`cache_key`), so a cache a contributor forged from
allowed types cannot change what the pages say.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import pickle
import secrets
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


KEY_VARIABLE = "SITE_GEN_CACHE_KEY"
"""The environment variable that, when set, is the key caches are signed with (a CI secret)."""
_TAG_BYTES = hashlib.sha256().digest_size


def cache_key() -> bytes | None:
    """The secret caches are signed with: :data:`KEY_VARIABLE`, else random bytes kept in this user's
    cache folder (``$XDG_CACHE_HOME/site-gen/cache-key``, made on first use); None when neither is
    there nor can be made (then no cache is kept)."""
    if value := os.environ.get(KEY_VARIABLE):
        return value.encode()
    folder = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "site-gen"
    path = folder / "cache-key"
    try:
        folder.mkdir(parents=True, exist_ok=True)
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        try:
            return path.read_bytes()[:64] or None
        except OSError:
            return None
    except OSError:
        return None
    key = secrets.token_bytes(32)
    with os.fdopen(descriptor, "wb") as handle:
        handle.write(key)
    return key


def signed(data: bytes) -> bytes | None:
    """A cache file's bytes: :data:`FORMAT`, the pickled ``data``, its signature; None without a key."""
    key = cache_key()
    return None if key is None else FORMAT + data + hmac.new(key, data, hashlib.sha256).digest()


class _Signing:
    """A file read through, every byte read added to a signature (the unpickler reads no further
    than its data)."""

    def __init__(self, handle, key: bytes) -> None:
        self.handle = handle
        self.mac = hmac.new(key, digestmod=hashlib.sha256)

    def read(self, size: int = -1) -> bytes:
        data = self.handle.read(size)
        self.mac.update(data)
        return data

    def readline(self) -> bytes:
        data = self.handle.readline()
        self.mac.update(data)
        return data


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
    key = cache_key()
    with os.fdopen(opened.descriptor, "rb") as handle:
        try:
            if handle.read(len(FORMAT)) != FORMAT:
                raise CacheRefused("it is not a build cache site-gen can read")
            if key is None:
                raise CacheRefused("no key to check it with (set SITE_GEN_CACHE_KEY)")
            reading = _Signing(handle, key)
            value = _DataOnly(reading).load()
            if not hmac.compare_digest(handle.read(_TAG_BYTES + 1), reading.mac.digest()):
                raise CacheRefused("it is not signed with this machine's key (SITE_GEN_CACHE_KEY)")
            return value
        except CacheRefused:
            raise
        except Exception as exc:  # a truncated or damaged file: any error unpickling it
            raise CacheRefused(f"it could not be read ({type(exc).__name__})") from None
