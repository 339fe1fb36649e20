"""A hostile build cache: ``.cache/`` is in the site folder, so a contributor can commit one.

The cache is data only: a file that names a function (``os.system``, ``exec``, one of site-gen's
own), is damaged, is a FIFO, a link out of the site, or too large is not used, with a one-line
note, and the site is the one a clean build makes; nothing it names runs, and no build writes
through a ``.cache`` link."""

from __future__ import annotations

import builtins
import hashlib
import os
import pickle
import subprocess
import sys
from pathlib import Path

import pytest

from site_gen import tempfiles
from site_gen.cache import digest
from site_gen.cache_file import FORMAT, KEY_VARIABLE, MAX_BYTES
from site_gen.config import load_config
from site_gen.fingerprint import cache_path, code_version
from site_gen.pipeline import BuildOptions, BuildResult, build

from ..conftest import cache_saved, signed, write_tree

SITE = {"seeds/oil.txt": "Oil story\n\nOPEC met in Vienna.\n",
        "content/glossary/opec.md": "---\nterm: OPEC\n---\nOil exporters.\n"}
REPO = Path(__file__).resolve().parents[2]
BUILD = """
import sys
from pathlib import Path
from site_gen.config import load_config
from site_gen.pipeline import BuildOptions, build
result = build(load_config(Path(sys.argv[1])), BuildOptions(out=Path(sys.argv[2]), reuse=False))
print(*[d.message.split("; building")[0].split("was not used: ")[1] for d in result.diagnostics.items
        if d.code == "cache-not-used"], sep="\\n")
sys.exit(0 if result.ok else 1)
"""


def files(folder: Path) -> dict[str, str]:
    """Every file under ``folder`` (hidden ones too) by a digest of its bytes; a link by its target."""
    return {p.relative_to(folder).as_posix(): f"-> {os.readlink(p)}" if p.is_symlink()
            else hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.rglob("*")) if not p.is_dir()}


def run(site: Path, out: Path) -> BuildResult:
    """A ``site-gen build`` into ``out`` that runs even when nothing changed (it reads the kept cache)."""
    result = build(load_config(site), BuildOptions(out=out, reuse=False))
    cache_saved(cache_path(site, out))
    return result


def notes(result: BuildResult) -> list[str]:
    """The ``cache-not-used`` notes' messages."""
    return [d.message for d in result.diagnostics.items if d.code == "cache-not-used"]


@pytest.fixture
def site(tmp_path: Path) -> Path:
    """A site, and a clean build of it in ``tmp_path``/clean to compare with."""
    made = write_tree(tmp_path / "site", SITE)
    run(made, tmp_path / "clean")
    return made


def assert_built_without_cache(result: BuildResult, out: Path, clean: Path, why: str) -> None:
    """The site built, the cache set aside with one one-line note saying ``why``, the site a clean build's."""
    [note] = notes(result)
    assert "\n" not in note and why in note, note
    assert result.ok and result.cache_stats["page"][0] == 0
    assert files(out) == files(clean)


class _Call:
    """A pickle that calls ``function(*args)`` when it is loaded."""

    def __init__(self, function: object, *args: object) -> None:
        self.reduced = (function, args)

    def __reduce__(self) -> tuple:
        return self.reduced


def hostile(marker: Path) -> dict[str, bytes]:
    """Cache files whose loading would create ``marker`` (or run site-gen's command line)."""
    made = {
        "os.system": _Call(os.system, f"touch {marker}"),
        "builtins.exec": _Call(builtins.exec, f"open({str(marker)!r}, 'w').write('ran')"),
        "site-gen's own file writer": _Call(tempfiles.write_atomically, marker, b"ran"),
        "a code object through eval": _Call(builtins.eval, f"__import__('os').system('touch {marker}')"),
    }
    found = {name: FORMAT + pickle.dumps((code_version(), "x", {"page": {"k": call}}), 5) for name, call in made.items()}
    module, name = b"site_gen.__main__", b"main"  # importing it runs the command line
    found["an import that runs code"] = FORMAT + b"\x80\x05\x8c" + bytes([len(module)]) + module + b"\x8c" \
        + bytes([len(name)]) + name + b"\x93."
    return found


@pytest.mark.parametrize("case", ["os.system", "builtins.exec", "site-gen's own file writer",
                                  "a code object through eval", "an import that runs code"])
def test_a_cache_that_calls_a_function_is_refused_and_nothing_runs(site: Path, tmp_path: Path, case: str) -> None:
    marker = tmp_path / "marker"
    out = tmp_path / "out"
    kept = cache_path(site, out)
    kept.parent.mkdir(exist_ok=True)
    kept.write_bytes(hostile(marker)[case])
    result = run(site, out)
    assert not marker.exists()
    assert_built_without_cache(result, out, tmp_path / "clean", "which a build cache never holds")
    assert kept.read_bytes().startswith(FORMAT) and run(site, out).cache_stats["page"][0] > 0  # replaced by a real one


def forged(site: Path, tables: object, version: str = "") -> bytes:
    """A cache file with this code's version and the site's settings (anyone can work them out) and ``tables``,
    signed with this machine's key (as if the key had leaked: what the checks after the signature catch)."""
    settings = digest(repr(load_config(site)))
    return signed(pickle.dumps((version or code_version(), settings, tables), 5))


def test_a_cache_signed_with_another_key_is_not_used(site: Path, tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    """A cache made elsewhere (a contributor's, committed; another machine's) may hold only allowed
    types and still say anything about the pages: without this machine's key it is not used."""
    out = tmp_path / "out"
    monkeypatch.setenv(KEY_VARIABLE, "the contributor's own key")
    run(site, out)
    kept = cache_path(site, out)
    assert kept.is_file()
    monkeypatch.setenv(KEY_VARIABLE, "this machine's key")
    result = run(site, out)
    assert_built_without_cache(result, out, tmp_path / "clean", "not signed with this machine's key")
    assert run(site, out).cache_stats["page"][0] > 0  # the build replaced it with one it signed


@pytest.mark.parametrize("case", ["tables of another shape", "a table of another shape", "a version of many lines"])
def test_a_damaged_cache_is_noted_on_one_line_and_the_site_built(site: Path, tmp_path: Path, case: str) -> None:
    """Damaged beyond what unpickling catches (a garbage or truncated file: tests/test_pipeline.py):
    a cache with this code's version holding something else, or a version that is not one."""
    out = tmp_path / "out"
    run(site, out)
    kept = cache_path(site, out)
    damage = {
        "tables of another shape": forged(site, {"page": 5}),
        "a table of another shape": forged(site, [("page", {})]),
        "a version of many lines": forged(site, {}, "9.9\nseeds/oil.txt:1: error: forged line " + "x" * 10_000),
    }[case]
    kept.write_bytes(damage)
    result = run(site, out)
    assert_built_without_cache(result, out, tmp_path / "clean", "the build cache was not used")
    assert len(notes(result)[0]) < 300


def test_a_cache_that_is_a_fifo_is_never_opened(site: Path, tmp_path: Path) -> None:
    """Opening a FIFO waits for a writer forever: the build goes on without it."""
    out = tmp_path / "out"
    kept = cache_path(site, out)
    kept.parent.mkdir(exist_ok=True)
    os.mkfifo(kept)
    done = subprocess.run([sys.executable, "-c", BUILD, str(site), str(out)], capture_output=True, text=True,
                          timeout=120, cwd=REPO)  # in a process of its own: a build that blocks is stopped
    assert done.returncode == 0, done.stderr
    assert done.stdout == "it is a FIFO (named pipe), not a regular file; it is not read\n", done.stdout
    assert files(out) == files(tmp_path / "clean")
    assert cache_saved(kept).is_file() and not kept.is_symlink()  # a new cache replaced the FIFO


@pytest.mark.parametrize("case", ["a FIFO", "a link out of the site"])
def test_a_cache_lock_that_is_not_a_file_is_never_opened_and_is_replaced(site: Path, tmp_path: Path,
                                                                          case: str) -> None:
    """The lock a build takes before reading the cache (a save may be under way) is opened as the
    cache is: never a FIFO (opening one waits forever), never through a link."""
    out = tmp_path / "out"
    run(site, out)
    lock = cache_path(site, out).with_suffix(".lock")
    lock.unlink()
    elsewhere = tmp_path / "elsewhere"
    if case == "a FIFO":
        os.mkfifo(lock)
    else:
        elsewhere.write_text("kept\n")
        lock.symlink_to(elsewhere)
    done = subprocess.run([sys.executable, "-c", BUILD, str(site), str(out)], capture_output=True, text=True,
                          timeout=120, cwd=REPO)
    assert done.returncode == 0, done.stderr
    assert done.stdout == f"{lock.name} is not a regular file; a cache is read only beside one\n", done.stdout
    assert files(out) == files(tmp_path / "clean")
    assert cache_saved(cache_path(site, out)).is_file() and lock.is_file() and not lock.is_symlink()
    assert case == "a FIFO" or elsewhere.read_text() == "kept\n"
    assert run(site, out).cache_stats["page"][0] > 0


def test_a_cache_that_links_out_of_the_site_is_not_read_nor_written_through(site: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    run(site, out)
    kept = cache_path(site, out)
    elsewhere = tmp_path / "elsewhere.pickle"
    kept.rename(elsewhere)
    kept.symlink_to(elsewhere)
    before = elsewhere.read_bytes()
    result = run(site, out)
    assert_built_without_cache(result, out, tmp_path / "clean", "outside the site folder; it is not read")
    assert elsewhere.read_bytes() == before
    assert kept.is_file() and not kept.is_symlink()


def test_a_cache_folder_that_links_out_of_the_site_is_not_read_nor_written_through(site: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    run(site, out)
    elsewhere = tmp_path / "elsewhere"
    (site / ".cache").rename(elsewhere)
    (site / ".cache").symlink_to(elsewhere)
    before = files(elsewhere)
    result = run(site, out)
    assert_built_without_cache(result, out, tmp_path / "clean", ".cache/ is a link")
    assert files(elsewhere) == before
    assert run(site, out).cache_stats["page"][0] == 0 and files(elsewhere) == before


def test_an_oversize_cache_is_not_read(site: Path, tmp_path: Path) -> None:
    """A cache over the limit is refused by its size, before a byte of it is read (a sparse file here)."""
    out = tmp_path / "out"
    run(site, out)
    kept = cache_path(site, out)
    with kept.open("r+b") as handle:
        handle.truncate(MAX_BYTES + 1)
    result = run(site, out)
    assert_built_without_cache(result, out, tmp_path / "clean", f"over the {MAX_BYTES // 2**20} MiB limit")
    assert kept.stat().st_size < MAX_BYTES

