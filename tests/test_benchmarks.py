"""A small run of the build benchmark, so the benchmark scripts cannot rot (figures are not checked:
speed is measured by running benchmarks/run.py, not by tests)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from .conftest import CORPUS, REPO, require_shared


def test_run_py_smoke(tmp_path: Path) -> None:
    require_shared(CORPUS / "reuters21578")
    output = tmp_path / "results.json"
    done = subprocess.run([sys.executable, str(REPO / "benchmarks" / "run.py"), "--sizes", "100", "--repeat", "1",
                           "--terms", "50", "--work", str(tmp_path / "work"), "--json", str(output)],
                          capture_output=True, text=True, check=False, timeout=600)
    assert done.returncode == 0, done.stderr
    figures = json.loads(output.read_text())["100"]
    assert figures["articles"] == 100 and figures["pages"] > 100
    assert set(figures["stages_s"]) >= {"read", "annotate", "markdown", "search", "templates", "write"}
    assert figures["search_gzip_kb"] > 0 and "full s" in done.stdout
    assert all(figures[key] > 0 for key in ("full_build_peak_mb", "no_change_peak_mb", "one_edit_peak_mb",
                                            "next_edit_rebuild_s"))
