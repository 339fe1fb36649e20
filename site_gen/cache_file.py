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

A build writes the file in a forked child process once the site is published (:func:`write_cache`),
so the command returns without waiting for it. The child holds an exclusive lock on the file's
``.lock`` beside it until the file is renamed into place; a build that reads the cache waits for
that lock first, so it reads the new cache, never races the save.
"""

from __future__ import annotations

import gc
import hashlib
import hmac
import os
import pickle
import secrets
from collections.abc import Callable
from pathlib import Path
from stat import S_ISREG
from typing import BinaryIO

from .diagnostics import InputError, shown
from .reading import open_input
from .tempfiles import write_atomically_with

try:
    import fcntl
except ImportError:  # not a POSIX system: no lock, and no fork either (the cache is saved in process)
    fcntl = None  # type: ignore[assignment]

FORMAT = b"site-gen build cache 1\n"
"""The first bytes of a cache file: anything else is not one (or of an older layout)."""
MAX_BYTES = 1 << 30
"""A cache file larger than this is neither written nor read (the next build starts from an empty cache)."""
_LOCK_OPEN = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0)
_savers: list[int] = []
"""The child processes saving a cache that this process has not yet waited for."""

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


def _write_signed(handle: BinaryIO, key: bytes, dump: Callable[[BinaryIO], object]) -> None:
    """Write :data:`FORMAT`, what ``dump`` writes, and its signature into ``handle``; :class:`_TooLarge`
    as soon as the file would be larger than :data:`MAX_BYTES`."""
    handle.write(FORMAT)
    signing = _SigningWriter(handle, key, MAX_BYTES - len(FORMAT) - _TAG_BYTES)
    dump(signing)  # type: ignore[arg-type]
    handle.write(signing.mac.digest())


class _TooLarge(Exception):
    """A cache that would be larger than :data:`MAX_BYTES`: it is not written."""


class _SigningWriter:
    """A file written through, every byte written added to a signature, up to ``limit`` bytes."""

    def __init__(self, handle: BinaryIO, key: bytes, limit: int) -> None:
        self.handle = handle
        self.mac = hmac.new(key, digestmod=hashlib.sha256)
        self.left = limit

    def write(self, data: bytes) -> int:
        self.left -= len(data)
        if self.left < 0:
            raise _TooLarge
        self.mac.update(data)
        return self.handle.write(data)


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
    if not os.path.lexists(path) and not os.path.lexists(path.with_suffix(".lock")):
        return None
    if os.path.islink(folder) or not os.path.isdir(folder):
        raise CacheRefused(f"{folder.name}/ is a link; a cache is read only from a folder of the site")
    lock = _lock(path, create=False)
    try:
        if lock is not None and fcntl is not None:
            fcntl.flock(lock, fcntl.LOCK_SH)  # a save in progress ends first
        return _read(path, folder) if os.path.lexists(path) else None
    finally:
        if lock is not None:
            os.close(lock)


def _read(path: Path, folder: Path) -> object:
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


def write_cache(path: Path, dump: Callable[[BinaryIO], object]) -> None:
    """Write the cache file ``path`` (``dump(file)`` writes what it holds, a pickle, as it is made),
    atomically, in a forked child process that holds the lock file's exclusive lock until it is done:
    this process goes on at once (where there is no ``fork``, or no lock file can be made, it is
    written here and now), signed (:func:`_write_signed`). Nothing is written, and an older file is
    removed, when it would be larger than :data:`MAX_BYTES` or there is no key to sign it."""
    _wait_for_savers()
    lock = _lock(path, create=True)
    if lock is None or fcntl is None or not hasattr(os, "fork"):
        try:
            if lock is not None and fcntl is not None:
                fcntl.flock(lock, fcntl.LOCK_EX)
            _write(path, dump)
        finally:
            if lock is not None:
                os.close(lock)
        return
    try:
        fcntl.flock(lock, fcntl.LOCK_EX)
        pid = os.fork()
    except BaseException:
        os.close(lock)
        raise
    if pid == 0:
        _save_and_exit(path, dump, lock)
    os.close(lock)  # the child's copy keeps the lock until it ends
    _savers.append(pid)


def _save_and_exit(path: Path, dump: Callable[[BinaryIO], object], lock: int) -> None:
    """The forked child: no terminal, no pipe of the parent's held open, nothing printed, nothing raised."""
    try:
        gc.disable()
        quiet = os.open(os.devnull, os.O_RDWR)
        for descriptor in (0, 1, 2):
            os.dup2(quiet, descriptor)
        os.closerange(3, lock)
        os.closerange(lock + 1, os.sysconf("SC_OPEN_MAX") if hasattr(os, "sysconf") else 1024)
        _write(path, dump)
    finally:  # whatever happened: the next build starts from the older cache, or none
        os._exit(0)


def _write(path: Path, dump: Callable[[BinaryIO], object]) -> None:
    key = cache_key()
    if key is not None:
        try:
            write_atomically_with(path, lambda handle: _write_signed(handle, key, dump))
            return
        except _TooLarge:
            pass
    path.unlink(missing_ok=True)


def _wait_for_savers() -> None:
    """Collect the children that have ended (a long-running process makes many builds)."""
    for pid in list(_savers):
        try:
            ended, _ = os.waitpid(pid, os.WNOHANG)
        except ChildProcessError:
            ended = pid
        if ended:
            _savers.remove(pid)


def _lock(path: Path, create: bool) -> int | None:
    """A descriptor of the regular file ``<cache>.lock`` beside ``path``, never followed through a
    link nor a FIFO; None when there is none (or, when ``create``, none can be made: one that is not
    a regular file is replaced)."""
    lock = path.with_suffix(".lock")
    for _ in range(2):
        try:
            descriptor = os.open(lock, _LOCK_OPEN | (os.O_CREAT if create else 0), 0o666)
        except FileNotFoundError:
            return None
        except OSError:  # a link
            descriptor = None
        if descriptor is not None and S_ISREG(os.fstat(descriptor).st_mode):
            return descriptor
        if descriptor is not None:
            os.close(descriptor)
        if not create:
            raise CacheRefused(f"{lock.name} is not a regular file; a cache is read only beside one")
        try:
            os.unlink(lock)
        except OSError:
            return None
    return None
