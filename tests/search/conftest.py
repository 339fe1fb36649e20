"""Helpers to run lunr.js (the vendored, unmodified 2.3.9) under Node for cross-checks."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from ..conftest import IN_CI

HERE = Path(__file__).parent


@pytest.fixture(scope="session")
def node() -> str:
    found = shutil.which("node")
    if not found:
        if IN_CI:
            pytest.fail("node is required in CI for the lunr.js cross-checks")
        pytest.skip("node not found: the lunr.js cross-checks need Node.js")
    return found


def run_node(node: str, script: str, *args: str) -> str:
    done = subprocess.run([node, str(HERE / script), *args], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    return done.stdout


def query_site(node: str, site: Path, queries: list[str], tmp_path: Path, single: bool = False,
               progress: bool = False, prefetch: bool = False, mode: str = "") -> list | dict:
    """``query.js``'s answer; ``mode`` (or one of the flags) picks what it reports."""
    queries_file = tmp_path / "queries.json"
    queries_file.write_text(json.dumps(queries))
    flag = "--single" if single else "--progress" if progress else "--prefetch" if prefetch else mode
    output = run_node(node, "query.js", str(site), str(queries_file), *([flag] if flag else []))
    return json.loads(output)
