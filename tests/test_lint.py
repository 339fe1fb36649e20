"""The code stays lint-clean (ruff, with the rules in pyproject.toml), so CI catches what review misses."""

from __future__ import annotations

import shutil
import subprocess
import sys

import pytest

from .conftest import IN_CI, REPO


def test_ruff_finds_nothing() -> None:
    if not shutil.which("ruff") and not IN_CI:
        pytest.skip("ruff is not installed (pip install -e '.[test]')")
    done = subprocess.run([sys.executable, "-m", "ruff", "check", "site_gen", "tests", "benchmarks", "scripts", "build.py"],
                          cwd=REPO, capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stdout + done.stderr
