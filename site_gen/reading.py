"""The one way site-gen reads its input: every file (seeds, sidecars, glossary entries, notes,
pages, articles, ``site.toml``, ``theme.toml``, templates, static files) and every folder it lists.

What it refuses, it does not read, and it says which file: a file name that is not UTF-8 (skipped
with a warning), a link that leads out of the site folder or into a hidden folder of it (``.git/``),
anything that is not a regular file (a FIFO is never opened, so nothing blocks), a file over its
size limit, text that is not UTF-8 (a seed may be Windows-1252), a seed holding a NUL byte. A
folder that cannot be listed stops the build (:class:`FolderError`) rather than looking empty.
Plain ``os`` calls: a build reads thousands of files, and one ``lstat``, ``open`` and ``fstat``
each is all a file costs.
"""

from __future__ import annotations

import errno
import os
import re
from pathlib import Path
from stat import S_ISCHR, S_ISDIR, S_ISFIFO, S_ISLNK, S_ISREG, S_ISSOCK

from .diagnostics import Diagnostic, FolderError, InputError, SourceLocation, error, warning
from .record import record

TEXT_LIMIT = 16 * 1024 * 1024
"""A text input larger than this is an error: no article is that long, and reading it would stall the build."""
STATIC_LIMIT = 64 * 1024 * 1024
"""The limit for a theme's static file (images, fonts)."""
_OPEN = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0)
"""Never blocks (a file swapped for a FIFO after the ``lstat``) and never follows a link the ``lstat`` did not see."""
_BOM = b"\xef\xbb\xbf"
_CP1252_UNDEFINED = frozenset(b"\x81\x8d\x8f\x90\x9d")


_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f]")


def escaped(name: str) -> str:
    """A file name as messages show it, on one line: bytes that are not UTF-8 as ``\\xe9``, control
    characters (a newline) as ``\\x0a``."""
    text = os.fsencode(name).decode("utf-8", "backslashreplace")
    return _CONTROL.sub(lambda match: f"\\x{ord(match.group()):02x}", text)


def valid_name(name: str) -> bool:
    """True when the name was valid UTF-8 (Python keeps other bytes as lone surrogates) and holds no
    control character (a newline in a name would split a message)."""
    if _CONTROL.search(name):
        return False
    if name.isascii():
        return True
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def read_bytes(path: str | os.PathLike, shown: str, within: str | os.PathLike,
               what: str = "file", limit: int = TEXT_LIMIT) -> bytes:
    """The bytes of one input file; :class:`InputError` naming ``shown`` (the path as the site names
    it) for anything refused. A link is followed only to a file inside ``within`` (the site folder,
    or the bundled themes for a bundled theme's file) and outside its hidden folders."""
    opened = open_input(path, shown, within, what, limit)
    try:
        return _read_all(opened.descriptor, opened.size, limit, shown, what)
    except OSError as exc:
        raise InputError(_os_problem(exc, shown, what)) from None
    finally:
        os.close(opened.descriptor)


@record
class OpenInput:
    """An input file opened for reading (the caller closes ``descriptor``), and its size when opened."""

    descriptor: int
    size: int


def open_input(path: str | os.PathLike, shown: str, within: str | os.PathLike,
               what: str = "file", limit: int = TEXT_LIMIT) -> OpenInput:
    """One input file, opened after the checks of :func:`read_bytes` (for a reader that streams it)."""
    if not valid_name(shown):
        raise InputError(name_warning(shown))
    try:
        status = os.lstat(path)
        if S_ISLNK(status.st_mode):
            path = _link_target(path, shown, within, what)
            status = os.stat(path)
        if not S_ISREG(status.st_mode):
            raise InputError(error(f"{what} is {_kind(status.st_mode)}, not a regular file; it is not read",
                                   SourceLocation(shown), "replace it with a regular file, or remove it"))
        if status.st_size > limit:
            raise InputError(error(f"{what} is {status.st_size / 1e6:.0f} MB, over the {limit // 2**20} MiB limit",
                                   SourceLocation(shown), "split it into several files"))
        handle = os.open(path, _OPEN)
        if not S_ISREG(os.fstat(handle).st_mode):
            os.close(handle)
            raise InputError(error(f"{what} was replaced while being read", SourceLocation(shown), "build again"))
        return OpenInput(handle, status.st_size)
    except OSError as exc:
        raise InputError(_os_problem(exc, shown, what)) from None


@record
class Decoded:
    """An input file's text, and how it was read."""

    text: str
    """With line ends normalised to ``\\n``."""
    encoding: str
    """``utf-8``, ``utf-8-sig`` (a BOM dropped) or ``cp1252``."""
    warnings: list[Diagnostic]


def name_warning(shown: str) -> Diagnostic:
    """The warning for a file skipped because its name is not valid UTF-8 or holds a control character."""
    what = "holds a control character" if _CONTROL.search(shown) else "is not valid UTF-8"
    return warning(f"the file name {what}; the file is skipped", SourceLocation(escaped(shown)),
                   "rename it (or move it out of the site folder)", code="file-name")


def read_text(path: str | os.PathLike, shown: str, within: str | os.PathLike, what: str = "file") -> str:
    """An input file as UTF-8 text (see :func:`read_bytes` and :func:`decode_text`)."""
    return decode_text(read_bytes(path, shown, within, what), shown, what).text


def decode_text(data: bytes, shown: str, what: str = "file", seed: bool = False) -> Decoded:
    """The text of ``data``: UTF-8 (a BOM dropped), with line ends normalised to ``\\n``; bytes that
    are not UTF-8 are an error at their offset. A ``seed`` follows the rules for raw texts: a NUL
    byte anywhere makes it a binary file, and text that is not UTF-8 is read as Windows-1252
    (cp1252) with a warning, when it can be."""
    if seed and b"\x00" in data:
        offset = data.index(b"\x00")
        raise InputError(error(f"{what} is a binary file, not text (a NUL byte at offset {offset})",
                               SourceLocation(shown), "save it as plain UTF-8 text"))
    start = 3 if data.startswith(_BOM) else 0
    notes: list[Diagnostic] = []
    try:
        text = data[start:].decode("utf-8") if start else data.decode("utf-8")
        encoding = "utf-8-sig" if start else "utf-8"
    except UnicodeDecodeError as exc:
        offset = start + exc.start
        line = SourceLocation(shown, data.count(b"\n", 0, offset) + 1)
        bad = next((i for i, byte in enumerate(data) if byte in _CP1252_UNDEFINED), None) if seed else offset
        if bad is not None:
            also = ", not cp1252" if seed else ""
            raise InputError(error(f"cannot decode byte 0x{data[bad]:02x} at offset {bad} (not UTF-8{also})",
                                   SourceLocation(shown, data.count(b"\n", 0, bad) + 1), "save the file as UTF-8")) from None
        text, encoding = data.decode("cp1252"), "cp1252"
        notes.append(warning(f"{what} is not UTF-8; read it as Windows-1252 (cp1252)", line,
                             "check the accented letters on the page, and save the file as UTF-8", code="encoding"))
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return Decoded(text, encoding, notes)


def _read_all(handle: int, size: int, limit: int, shown: str, what: str) -> bytes:
    """Everything up to the end of the file (two ``read`` calls when its size held), at most ``limit`` bytes."""
    parts: list[bytes] = []
    total = 0
    while chunk := os.read(handle, max(size + 1 - total, 1 << 16)):
        parts.append(chunk)
        total += len(chunk)
        if total > limit:
            raise InputError(error(f"{what} grew over the {limit // 2**20} MiB limit while being read",
                                   SourceLocation(shown), "build again once it is written"))
    return b"".join(parts)  # one part is returned as it is, not copied


def check_link(path: str | os.PathLike, shown: str, within: str | os.PathLike, what: str = "file") -> None:
    """Refuse, as :func:`read_bytes` would but without reading it, a file that is a link out of
    ``within`` or into a hidden folder of it (a theme's files are checked before anything is written)."""
    if os.path.islink(path):
        _link_target(path, shown, within, what)


def _link_target(path: str | os.PathLike, shown: str, within: str | os.PathLike, what: str) -> str:
    """Where the link ``path`` leads, if that is inside ``within`` and not in a hidden folder of it."""
    target = os.path.realpath(path)
    problem = _outside(target, within)
    if problem:
        raise InputError(error(f"{what} is a link to {escaped(os.readlink(path))}, {problem}; it is not read",
                               SourceLocation(shown), "copy the file into the site folder instead of linking to it"))
    return target


def _outside(real: str, within: str | os.PathLike) -> str:
    """'' when the real path ``real`` is inside ``within`` and not in a hidden folder of it, else why not."""
    base = os.path.realpath(within)
    relative = os.path.relpath(real, base)
    parts = relative.split(os.sep)
    if parts[0] == os.pardir:
        return "outside the site folder"
    hidden = next((part for part in parts if part.startswith(".") and part != os.curdir), None)
    if hidden:
        return f"inside the hidden folder {hidden}/ of the site"
    return ""


def _kind(mode: int) -> str:
    if S_ISFIFO(mode):
        return "a FIFO (named pipe)"
    if S_ISSOCK(mode):
        return "a socket"
    if S_ISCHR(mode):
        return "a character device"
    if S_ISDIR(mode):
        return "a folder"
    return "a device" if not S_ISREG(mode) else "a file"


def _os_problem(exc: OSError, shown: str, what: str) -> Diagnostic:
    location = SourceLocation(escaped(shown))
    if isinstance(exc, PermissionError):
        return error(f"cannot read {what}: permission denied", location,
                     "let site-gen read it (chmod a+r), or move it out of the site folder")
    if isinstance(exc, FileNotFoundError):
        return error(f"{what} disappeared while the build read it (or is a link to nothing)", location,
                     "build again; remove a link that leads nowhere")
    if exc.errno == errno.ELOOP:
        return error(f"{what} is a link that leads in a circle, or was replaced by a link while being read", location,
                     "replace it with a regular file")
    return error(f"cannot read {what}: {exc.strerror or exc}", location)


def walk_folder(folder: Path, root: Path, within: Path | None = None, hidden: bool = False) -> list[tuple[str, list[str]]]:
    """``(folder, names of the files in it)`` for an input folder and every folder below it, as
    ``os.walk`` gives them (hidden ones left out unless ``hidden``), names of anything but folders
    included, so :func:`read_bytes` can refuse what is not a file. A missing folder gives nothing.
    A linked folder is followed when it leads inside ``within`` (default: the site folder ``root``)
    and outside its hidden folders, once; one that does not, or a folder that cannot be listed,
    raises :class:`FolderError` naming it: a folder that seems empty would remove what was made
    from its files."""
    within = within if within is not None else root
    top = os.fspath(folder)
    if not _present(top, root):
        return []
    input_folder(top, root, within)
    found = []
    pending = [top]
    seen = {os.path.realpath(top)}
    while pending:
        current = pending.pop()
        names, subfolders = [], []
        for entry in _scan(current, root):
            if not hidden and entry.name.startswith("."):
                continue
            if entry.is_dir(follow_symlinks=False):
                subfolders.append(entry.path)
            elif entry.is_symlink() and os.path.isdir(entry.path):
                real = input_folder(entry.path, root, within)
                if real not in seen:
                    seen.add(real)
                    subfolders.append(entry.path)
            else:
                names.append(entry.name)
        found.append((current, names))
        pending.extend(sorted(subfolders, reverse=True))
    return found


def folder_files(folder: Path, root: Path, suffixes: tuple[str, ...], within: Path | None = None) -> list[Path]:
    """The files of one input folder (not below it) whose names end with one of ``suffixes``, hidden
    ones left out, in name order; a folder that cannot be listed raises as :func:`walk_folder` does."""
    top = os.fspath(folder)
    if not _present(top, root):
        return []
    input_folder(top, root, within if within is not None else root)
    names = sorted(entry.name for entry in _scan(top, root) if entry.name.endswith(suffixes)
                   and not entry.name.startswith(".") and not entry.is_dir())
    return [folder / name for name in names]


def check_folders(root: Path, names: tuple[str, ...]) -> None:
    """Refuse, before anything is built or written, an input folder of the site (``names``, from the
    site folder) that leads out of it or into a hidden folder of it, or cannot be read."""
    for name in names:
        path = os.path.join(root, name)
        if _present(path, root):
            input_folder(path, root, root)
            try:
                os.stat(os.path.join(path, os.curdir))  # searchable: the folders below it can be told apart
            except OSError as exc:
                raise _folder_error(path, root, exc) from None


def input_folder(path: str | os.PathLike, root: Path, within: Path) -> str:
    """The real path of an input folder; :class:`FolderError` if it leads out of ``within`` or into
    a hidden folder of it, or is not a folder."""
    path = os.fspath(path)
    real = os.path.realpath(path)
    shown = _shown(path, root)
    if not os.path.isdir(real):
        raise FolderError(error(f"{shown} is not a folder", SourceLocation(shown), "site-gen expects a folder here"))
    problem = _outside(real, within)
    if problem:
        raise FolderError(error(f"the folder {shown} leads to {escaped(real)}, {problem}; nothing is built",
                                SourceLocation(shown), "copy the files into the site folder instead of linking to them"))
    return real


def _present(path: str, root: Path) -> bool:
    """True when the folder is there, False when it is not; :class:`FolderError` when that cannot
    be told (a folder above it that cannot be searched)."""
    try:
        os.lstat(path)
    except (FileNotFoundError, NotADirectoryError):
        return False
    except OSError as exc:
        raise _folder_error(path, root, exc) from None
    return True


def _scan(path: str, root: Path) -> list[os.DirEntry]:
    """The entries of a folder, which must be readable and searchable (a folder that can be listed but
    not searched would give names whose files all fail)."""
    try:
        os.stat(os.path.join(path, os.curdir))
        with os.scandir(path) as entries:
            return list(entries)
    except OSError as exc:
        raise _folder_error(path, root, exc) from None


def _folder_error(path: str, root: Path, exc: OSError) -> FolderError:
    shown = _shown(path, root)
    reason = "permission denied" if isinstance(exc, PermissionError) else (exc.strerror or str(exc))
    return FolderError(error(f"cannot read the folder {shown}: {reason}; nothing is built", SourceLocation(shown),
                             "let site-gen read it (chmod a+rx), or move it out of the site folder"))


def _shown(path: str, root: Path) -> str:
    """A folder as messages name it: from the site folder, escaped."""
    name, prefix = path, os.path.join(os.fspath(root), "")
    return escaped(name[len(prefix):] if name.startswith(prefix) else name).replace(os.sep, "/")
