"""Shared fixtures: small site trees, the example site, golden-file comparison, environment checks."""

from __future__ import annotations

import fcntl
import hashlib
import hmac
import os
import shutil
from pathlib import Path

import pytest

from site_gen.cache_file import FORMAT, cache_key

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared"
CORPUS = SHARED / "corpus"
IN_CI = bool(os.environ.get("CI"))


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--update-golden", action="store_true", help="rewrite golden files from the current output")


@pytest.fixture
def update_golden(request: pytest.FixtureRequest) -> bool:
    return bool(request.config.getoption("--update-golden"))


def signed(data: bytes) -> bytes:
    """A build cache file holding the pickle ``data``, signed with this machine's key: written here
    from the file format (``FORMAT``, the pickle, its HMAC-SHA256), apart from site-gen's writer."""
    key = cache_key()
    assert key is not None
    return FORMAT + data + hmac.new(key, data, hashlib.sha256).digest()


def cache_saved(kept: Path) -> Path:
    """``kept``, the build cache file, once the child process a build left saving it is done (its
    lock is free), as the next build would read it."""
    lock = kept.with_suffix(".lock")
    if lock.exists():
        with lock.open("rb") as handle:
            fcntl.flock(handle, fcntl.LOCK_SH)
    return kept


def write_tree(root: Path, files: dict[str, str | bytes]) -> Path:
    """Create ``files`` (relative path -> text or bytes) under ``root``."""
    for name, data in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(data, bytes):
            path.write_bytes(data)
        else:
            path.write_text(data, encoding="utf-8")
    return root


@pytest.fixture
def tree(tmp_path: Path):
    """``tree({"seeds/a.txt": "..."})`` writes a small site into a temporary folder and returns it."""
    def make(files: dict[str, str | bytes]) -> Path:
        return write_tree(tmp_path / "site", files)
    return make


def copy_example(folder: Path) -> Path:
    """A copy of the bundled example site (site.toml, seeds/, content/) in ``folder``/example."""
    site = folder / "example"
    site.mkdir()
    shutil.copy(REPO / "site.toml", site / "site.toml")
    shutil.copytree(REPO / "seeds", site / "seeds")
    shutil.copytree(REPO / "content", site / "content")
    return site


@pytest.fixture
def example_site(tmp_path: Path) -> Path:
    """A copy of the bundled example site in a temporary folder."""
    return copy_example(tmp_path)


def require_shared(path: Path) -> Path:
    """Skip (with the reason) when ../shared is absent, as in a user's fresh clone; CI always has it."""
    if not path.exists():
        if IN_CI:
            pytest.fail(f"{path} is missing in CI")
        pytest.skip(f"{path} not found: the shared corpora live beside the repository (../shared)")
    return path


def compare_golden(actual: str, golden: Path, update: bool) -> None:
    """Assert ``actual`` equals the golden file, or rewrite it with ``--update-golden``."""
    if update or not golden.exists():
        if not update and IN_CI:
            pytest.fail(f"golden file {golden} is missing")
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_text(actual, encoding="utf-8")
        if not update:
            pytest.fail(f"golden file {golden} was missing and has been written; review and commit it")
        return
    expected = golden.read_text(encoding="utf-8")
    assert actual == expected, f"output differs from {golden.relative_to(REPO)} (pytest --update-golden rewrites it)"


@pytest.fixture(autouse=True, scope="session")
def _own_cache_key(tmp_path_factory: pytest.TempPathFactory) -> None:
    """Builds sign their caches with a key of the test run's own, never the user's (``cache_file.cache_key``)."""
    os.environ["XDG_CACHE_HOME"] = str(tmp_path_factory.mktemp("user-cache"))
    os.environ.pop("SITE_GEN_CACHE_KEY", None)
