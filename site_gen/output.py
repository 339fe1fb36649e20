"""Write the built site safely: into a staging folder first, swapped in only when complete.

An interrupted or failed build leaves the previous site as it was. The output folder is checked
before anything is touched: it can never be the site folder, ``content/``, ``seeds/``, a folder
above the site, the home folder or ``/``, and an existing non-empty folder is replaced only if a
previous build made it (it holds the :data:`MARKER` file). site-gen deletes or recycles only
folders holding its marker, and never writes through a link: a ``.public.old`` someone else made is
left alone. A build holds a lock on its staging folder's marker, so a staging folder whose lock is
free was left by a build that was killed, and the next build removes it; two builds of one site
at once each write their own staging folder and never fail each other.
"""

from __future__ import annotations

import errno
import os
import posixpath
import re
import shutil
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager, suppress
from pathlib import Path
from stat import S_IRWXU, S_ISDIR, S_ISREG, S_IWUSR

from .diagnostics import ConfigError, Diagnostic, SourceLocation, error, warning
from .model import OutputFile
from .tempfiles import named, owner_gone, temporary_name, unique, write_atomically

try:
    import fcntl
except ImportError:  # no file locks: a staging folder is known abandoned by its process alone
    fcntl = None

MARKER = ".site-gen-output"
MARKER_TEXT = b"This folder is written by site-gen; each build replaces it.\n"
PROTECTED = ("content", "seeds", "themes", "templates", "tests", "site_gen", ".git", ".cache")


def check_output_dir(out: Path, root: Path) -> list[Diagnostic]:
    """Refuse an output folder whose replacement would destroy something that is not a built site;
    returns the warnings about what the build leaves alone (a ``.public.old`` site-gen did not make)."""
    out, root = out.resolve(), root.resolve()
    forbidden = {Path("/"), Path.home().resolve(), root, *(root / name for name in PROTECTED)}
    if out in forbidden or out in root.parents or any((root / name) in out.parents for name in PROTECTED):
        raise ConfigError(error(f"refusing to write the site to {out}: it holds sources, not output",
                                SourceLocation("site.toml"), "choose a folder of its own, e.g. --out public"))
    if out.exists() and not out.is_dir():
        raise ConfigError(error(f"output path {out} is a file", SourceLocation("site.toml"),
                                "remove it, or choose another --out"))
    if out.is_dir() and any(out.iterdir()) and not marked(out):
        raise ConfigError(error(
            f"refusing to replace {out}: it is not empty and was not made by site-gen",
            SourceLocation("site.toml"), "empty it yourself, or choose another --out folder"))
    old = previous_site(out)
    if not os.path.lexists(old) or marked(old):
        return []
    if old.is_dir() and not old.is_symlink():
        return [warning(f"{old} was not made by site-gen: it is left alone, and the replaced site is deleted "
                        "instead of kept there", hint=f"site-gen keeps the site a build replaces in {old.name}; "
                        "move your folder elsewhere", code="foreign-old-site")]
    raise ConfigError(error(f"{old} is in the way: site-gen keeps the site a build replaces there, and it is "
                            "a file or a link that site-gen did not make, so it is left alone",
                            hint=f"move or rename {old}, or choose another --out folder"))


def marked(folder: Path) -> bool:
    """``folder`` is a folder (not a link) holding site-gen's marker file (a plain file, not a link)."""
    try:
        return S_ISDIR(os.lstat(folder).st_mode) and S_ISREG(os.lstat(folder / MARKER).st_mode)
    except OSError:
        return False


def safe_relative(path: str) -> str:
    """``path``, checked to be an output path that cannot leave the output folder (not absolute, no
    ``..``, no backslash, not empty). String checks: a build checks thousands of paths."""
    parts = path.split("/")
    if path.startswith("/") or "\\" in path or ".." in parts or all(part in ("", ".") for part in parts):
        raise ValueError(f"unsafe output path: {path!r}")
    return path


def previous_site(out: Path) -> Path:
    """Where the site a build replaced is kept until the next build (``.public.old``)."""
    return out.parent / f".{out.name}.old"


class Staging:
    """The folder a build writes its site into. It may be a recycled older site: files already
    holding the right bytes are left alone, and what the build did not write is removed at the end."""

    def __init__(self, folder: Path, recycled: bool) -> None:
        self.folder = folder
        self.recycled = recycled
        self.written: set[str] = {MARKER}
        self.folders: set[str] = set()
        """The folders holding what was written (relative, like ``written``)."""

    def write(self, files: Iterable[OutputFile]) -> None:
        """Write ``files``, one after the other, in this thread: the writes are copies into memory,
        and several threads only contend for the interpreter and the folders."""
        root = str(self.folder)
        targets = []
        folders = set()
        for file in files:
            path = posixpath.normpath(safe_relative(file.path))  # as remove_stale will find it
            targets.append((os.path.join(root, path), file.data))
            self.written.add(path)
            folders.update(_folders_above(path))
        _make_folders(root, folders - self.folders)
        self.folders |= folders
        _write_if_changed(targets)

    def remove_stale(self) -> None:
        """Delete the recycled site's files that this build did not write, and the folders left empty."""
        if not self.recycled:
            return
        root = str(self.folder)
        for folder, folders, names in os.walk(root, topdown=False):
            prefix = folder[len(root) + 1:] + "/" if folder != root else ""
            for name in names:
                if prefix + name not in self.written:
                    os.unlink(os.path.join(folder, name))
            for name in folders:
                path = os.path.join(folder, name)
                if prefix + name in self.folders:
                    continue
                if os.path.islink(path):
                    os.unlink(path)
                else:  # nothing written below it: empty by now
                    os.rmdir(path)


def _folders_above(path: str) -> Iterator[str]:
    """``a/b/c.html`` -> ``a/b``, ``a``."""
    while "/" in path:
        path = path.rpartition("/")[0]
        yield path


@contextmanager
def staged_output(out: Path) -> Iterator[Staging]:
    """A staging folder beside ``out``, swapped in for it when the ``with`` block completes and
    deleted if it fails, so files can be written in several batches (pages first, the search index
    when it is ready) and the site is still replaced all at once.

    The staging folder is the site the previous build replaced, when there is one: most of its
    files already hold the right bytes (or nearly: they are overwritten in place), where deleting
    thousands of files and creating them again is slow: a file system creates files slowly right
    after many were deleted."""
    out = out.resolve()
    out.parent.mkdir(parents=True, exist_ok=True)
    remove_abandoned(out)
    staging = _staging_name(out)
    old = previous_site(out)
    old_lock = _claim(old) if marked(old) else None
    lock = None
    try:
        try:
            recycled = old_lock is not None and _moved(old, staging)
            if not recycled:
                staging.mkdir()
            lock = _mark(staging)
        finally:
            _release(old_lock)
        stage = Staging(staging, recycled)
        yield stage
        stage.remove_stale()
        _swap(staging, out)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    finally:
        _release(lock)


def _moved(old: Path, staging: Path) -> bool:
    """Move the previous site to ``staging`` to recycle it (False: another build took it first)."""
    try:
        old.rename(staging)
    except FileNotFoundError:
        return False
    return True


def _staging_name(out: Path) -> Path:
    """A folder name beside ``out`` unique to this build: ``.public.staging-<pid>-<random>``."""
    return out.parent / f".{out.name}.staging-{unique()}"


def _staging_pattern(out: Path) -> re.Pattern[str]:
    return re.compile(re.escape(f".{out.name}.staging-") + r"\d+-[0-9a-f]{8}")


def remove_abandoned(out: Path) -> None:
    """Remove the staging folders beside ``out`` that builds killed midway left: their name is a
    staging folder's and their marker is locked by no running build (or, made too early to hold a
    marker, their process is gone). Those of builds still running are left to them."""
    pattern = _staging_pattern(out)
    try:
        names = [name for name in os.listdir(out.parent) if pattern.fullmatch(name)]
    except OSError:
        return
    for name in names:
        folder = out.parent / name
        if os.path.islink(folder) or not folder.is_dir():
            continue
        if marked(folder) and fcntl is not None:
            lock = _claim(folder)
            if lock is not None:
                shutil.rmtree(folder, ignore_errors=True)
                _release(lock)
        elif owner_gone(name):
            shutil.rmtree(folder, ignore_errors=True)


def _mark(folder: Path) -> int:
    """Write site-gen's marker into ``folder`` and lock it for as long as the returned descriptor is
    open: it is locked before it is in place, so no other build ever sees it unlocked."""
    temporary = folder / temporary_name(MARKER)
    descriptor = os.open(temporary, os.O_RDWR | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0), 0o666)
    try:
        os.write(descriptor, MARKER_TEXT)
        if fcntl is not None:
            fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
        os.replace(temporary, folder / MARKER)
    except BaseException:
        os.close(descriptor)
        raise
    return descriptor


def _claim(folder: Path) -> int | None:
    """Lock ``folder``'s marker (an open descriptor), or None when another build holds it."""
    try:
        descriptor = os.open(folder / MARKER, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
    except OSError:
        return None
    if fcntl is not None:
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            os.close(descriptor)
            return None
    return descriptor


def _release(lock: int | None) -> None:
    if lock is not None:
        os.close(lock)


def _make_folders(root: str, folders: set[str]) -> None:
    """Create ``folders`` (relative to ``root``, every folder on the way included), removing whatever
    a recycled site has in their place (a file, or a link that could lead outside the output
    folder), and making a recycled folder that was made read-only writable again."""
    for relative in sorted(folders):  # a folder sorts before the folders in it
        folder = os.path.join(root, relative)
        try:
            mode = os.lstat(folder).st_mode
            if S_ISDIR(mode):
                if not mode & S_IWUSR:
                    os.chmod(folder, mode | S_IRWXU)
                continue
            os.unlink(folder)
        except FileNotFoundError:
            pass
        os.mkdir(folder)


def _write_if_changed(targets: list[tuple[str, bytes]]) -> None:
    """Write each file, but leave one that already holds its bytes; overwrite one that differs in
    place (no new file), unless it is not a plain, writable file of its own (a folder, a link, a
    file with other names, a read-only file: those are replaced)."""
    for target, data in targets:
        try:
            stat = os.lstat(target)
        except FileNotFoundError:
            stat = None
        if stat is not None:
            if S_ISDIR(stat.st_mode):
                shutil.rmtree(target)
            elif not S_ISREG(stat.st_mode) or stat.st_nlink > 1 or not stat.st_mode & S_IWUSR:
                os.unlink(target)
            elif stat.st_size == len(data) and _read(target) == data:
                continue
        try:
            with open(target, "wb") as handle:
                handle.write(data)
        except OSError as exc:
            raise named(exc, target) from None


def _read(path: str) -> bytes:
    with open(path, "rb") as handle:
        return handle.read()


def _swap(staging: Path, out: Path) -> None:
    """Put ``staging`` in ``out``'s place; the site it replaces becomes :func:`previous_site` (or is
    deleted, when that name is taken). Another build swapping its own site in meanwhile is no failure:
    the last one to swap wins, as if they had run one after the other."""
    replaced = None
    for _ in range(8):
        if os.path.lexists(out):
            replaced = _staging_name(out)
            try:
                out.rename(replaced)
            except FileNotFoundError:  # another build moved it just now
                replaced = None
        try:
            staging.rename(out)
            break
        except OSError as exc:
            if exc.errno not in (errno.ENOTEMPTY, errno.EEXIST):
                raise
            _discard(replaced)
            replaced = None
    else:
        raise OSError(errno.EBUSY, f"{out} kept being replaced by other builds")
    if replaced is None:
        return
    old = previous_site(out)
    if not marked(replaced) or os.path.lexists(old):
        _discard(replaced)
        return
    try:
        replaced.rename(old)
    except OSError:
        _discard(replaced)


def _discard(folder: Path | None) -> None:
    """Delete a site this build replaced (it holds site-gen's marker, or was an empty folder)."""
    if folder is not None:
        shutil.rmtree(folder, ignore_errors=True)


class BackgroundWrites:
    """``write(path, text)`` calls carried out by a thread while the build goes on: a full build writes
    thousands of ``content/`` files while its workers render (the disk and the CPUs work at once).
    One thread: more only contend with each other (as in :meth:`Staging.write`). :meth:`wait`
    returns when all are done and raises the first error."""

    def __init__(self, write: Callable[[Path, str], None]) -> None:
        self._write = write
        self._pool = ThreadPoolExecutor(1, thread_name_prefix="site-gen-writer")
        self._pending: list[Future] = []

    def __call__(self, path: Path, text: str) -> None:
        self._pending.append(self._pool.submit(self._write, path, text))

    def wait(self) -> None:
        try:
            for future in self._pending:
                future.result()
        finally:
            self._pool.shutdown(cancel_futures=True)


def update_output(out: Path, files: list[OutputFile], previous: dict[str, bytes]) -> int:
    """Bring ``out`` up to date file by file (live preview): write what changed, each file atomically,
    and remove what the build no longer makes. ``previous`` is what the last update wrote. The folders
    on the way are checked as a staged build checks them: a link or a file where a folder belongs is
    replaced by a folder, so nothing is ever written, or removed, through a link."""
    out = out.resolve()
    out.mkdir(parents=True, exist_ok=True)
    root = str(out)
    if not marked(out):
        write_atomically(out / MARKER, MARKER_TEXT)
    current = {file.path for file in files}
    changed = [(posixpath.normpath(safe_relative(file.path)), file.data) for file in files
               if previous.get(file.path) != file.data]
    _make_folders(root, {folder for path, _ in changed for folder in _folders_above(path)})
    for path, data in changed:
        write_atomically(Path(root, path), data)
    for path in previous.keys() - current:
        path = posixpath.normpath(safe_relative(path))
        if all(_is_folder(os.path.join(root, folder)) for folder in _folders_above(path)):
            with suppress(FileNotFoundError, IsADirectoryError):
                os.unlink(os.path.join(root, path))
    return len(changed)


def _is_folder(path: str) -> bool:
    """A real folder, not a link to one."""
    try:
        return S_ISDIR(os.lstat(path).st_mode)
    except OSError:
        return False
