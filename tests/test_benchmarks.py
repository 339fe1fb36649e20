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
    assert figures["full_build_cpu_s"] > 0 and figures["live_preview_edit_ms"] > 0


def test_set_aside_moves_old_outputs_and_deletes_them_only_at_the_end(tmp_path: Path) -> None:
    """Clean builds in the benchmarks must not follow a mass deletion (benchmarks/set_aside.py)."""
    sys.path.insert(0, str(REPO / "benchmarks"))
    from set_aside import SetAside

    output = tmp_path / "site" / "public"
    (output / "articles").mkdir(parents=True)
    (output / "articles" / "index.html").write_text("old")
    with SetAside(tmp_path / "aside") as aside:
        aside.move(output)
        aside.move(tmp_path / "site" / "never-built")
        assert not output.exists()
        assert (tmp_path / "aside" / "1" / "articles" / "index.html").read_text() == "old"
        assert sorted(p.name for p in (tmp_path / "aside").iterdir()) == ["1"]
    assert not (tmp_path / "aside").exists()
