"""site-gen's own temporary files: each process's are its own, and a later build can tell them
from anything a person made.

A temporary name holds the process id and a random part (``.x.md.1234-9f3a1c07.tmp``), so two builds
of one site at once never write to the same temporary file, and one left behind by a killed build (or
a full disk) is recognised by its pattern and removed by the next build once its process is gone.
"""

from __future__ import annotations

import os
import re
import secrets
from collections.abc import Callable
from contextlib import suppress
from pathlib import Path
from typing import BinaryIO

_LEFTOVER = re.compile(r"\..+\.(\d+)-[0-9a-f]{8}\.tmp")
_NO_FOLLOW = getattr(os, "O_NOFOLLOW", 0)


def unique() -> str:
    """``<pid>-<random>``: a name part unique to this process and call, from which a later build can
    tell whether the process that made it still runs (:func:`owner_gone`)."""
    return f"{os.getpid()}-{secrets.token_hex(4)}"


def temporary_name(name: str) -> str:
    """A name for a temporary file beside ``name``, unique to this process and call."""
    return f".{name}.{unique()}.tmp"


def write_atomically(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` through a new temporary file renamed over it: a reader never sees
    half a file, a link at ``path`` is replaced (never written through), and a failed write (a full
    disk) leaves no temporary file."""
    write_atomically_with(path, lambda handle: handle.write(data))


def write_atomically_with(path: Path, fill: Callable[[BinaryIO], object]) -> None:
    """:func:`write_atomically` of what ``fill`` writes into the file it is given (a large file is
    then written as it is made, never held whole in memory); an exception ``fill`` raises leaves
    ``path`` as it was."""
    temporary = path.with_name(temporary_name(path.name))
    try:
        descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL | _NO_FOLLOW, 0o666)
        try:
            with os.fdopen(descriptor, "wb") as handle:
                fill(handle)
            os.replace(temporary, path)
        except BaseException:
            with suppress(OSError):
                os.unlink(temporary)
            raise
    except OSError as exc:
        raise named(exc, path) from None


def named(exc: OSError, path: Path | str) -> OSError:
    """``exc``, naming ``path`` if it names no file (a write that fails on a full disk names none)."""
    if exc.filename is None:
        exc.filename = str(path)
    return exc


def process_running(pid: int) -> bool:
    """Whether process ``pid`` still runs on this machine (one that is not ours counts as running)."""
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OverflowError):
        return True
    return True


def owner_gone(name: str) -> bool:
    """Whether ``name``, ending in a :func:`unique` part (and ``.tmp``), was made by a process that no longer runs."""
    match = re.search(r"[.-](\d+)-[0-9a-f]{8}(?:\.tmp)?$", name)
    return match is not None and not process_running(int(match.group(1)))


def remove_leftovers(folder: Path) -> None:
    """Remove the temporary files in ``folder`` left by a process that no longer runs."""
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return
    for entry in entries:
        if _LEFTOVER.fullmatch(entry.name) and owner_gone(entry.name) and not entry.is_dir(follow_symlinks=False):
            with suppress(OSError):
                os.unlink(entry.path)
