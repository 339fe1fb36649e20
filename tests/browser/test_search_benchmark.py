"""benchmarks/search.py's site-gen half on a small site, so the benchmark cannot rot (Pagefind comes
from the registry when the benchmark runs; figures are not checked, only that they are made)."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

from ..conftest import REPO, write_tree
from .conftest import build_site

pytestmark = pytest.mark.browser


def _benchmark():
    spec = importlib.util.spec_from_file_location("search_benchmark", REPO / "benchmarks" / "search.py")
    module = sys.modules["search_benchmark"] = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_benchmark_drives_site_gen_search(browser, tmp_path: Path) -> None:
    bench = _benchmark()
    assert len(bench.QUERIES) >= 30, "the fixed list of queries the issue asks for"
    site = write_tree(tmp_path / "site", {f"seeds/h{n}.txt": f"Harbour report {n}\n\nThe harbour was busy on day {n}.\n"
                                          for n in range(12)})
    url = build_site(site)
    page = bench.harness(site / "public", "bench-site-gen.html", bench.SITE_GEN_HARNESS)
    runs = bench.drive(browser, {"site-gen": url + page}, ["harbour", "harbor", "zqxwv"])["site-gen"]
    assert [run["count"] for run in runs] == [12, 12, 0], "harbor: the one-typo pass"
    assert all(run["first_kb"] > 0 and run["first_ms"] > 0 and run["typed_ms"] > 0 and run["typed_kb"] >= 0 for run in runs)
    assert bench.TIMING in bench.SITE_GEN_HARNESS and bench.TIMING in bench.PAGEFIND_HARNESS, "both timed alike"
    figures = bench.summary(runs, {})
    assert figures["answered_with_nothing"] == ["zqxwv"] and figures["queries_with_results"] == 2
    figures.update(pages_indexed=12, index_build_s=0.5, index_gzip_kb=3)
    table = bench.markdown({"12": {"site-gen": figures}})
    assert "| 12 articles, site-gen |" in table and "| queries answered with nothing | `zqxwv` |" in table
    assert "| typed query download gzipped, median / worst (KB) | " in table
