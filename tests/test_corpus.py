"""A sample of every real corpus in ../shared/corpus builds: each document becomes a page with a
sensible title (or gets a clear error), and nothing crashes. Skipped where ../shared is absent."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import pytest

from site_gen.config import load_config
from site_gen.pipeline import BuildOptions, build

from .conftest import CORPUS, require_shared

pytestmark = pytest.mark.corpus


def build_sample(tmp_path: Path, files: list[Path]):
    site = tmp_path / "site"
    (site / "seeds").mkdir(parents=True)
    for path in files:
        shutil.copy(path, site / "seeds" / path.name)
    result = build(load_config(site), BuildOptions(write=False))
    return {page.meta.seed: page for page in result.site.articles}, result


def assert_sensible(title: str) -> None:
    assert title.strip() and len(title) <= 200 and any(c.isalpha() for c in title), repr(title)


def test_reuters_sample(tmp_path: Path) -> None:
    folder = require_shared(CORPUS / "reuters21578")
    rows = list(csv.DictReader((folder / "metadata.csv").open(encoding="utf-8")))
    by_type: dict[str, list[dict]] = {}
    for row in rows:
        by_type.setdefault(row["text_type"], []).append(row)
    sample = [row for kind in sorted(by_type) for row in by_type[kind][:25]]
    pages, result = build_sample(tmp_path, [folder / row["file"] for row in sample])
    assert result.diagnostics.errors == 0
    assert len(pages) == len(sample)
    for row in sample:
        page = pages[f"seeds/{row['file']}"]
        assert_sensible(page.meta.title)
        if row["text_type"] != "UNPROC":
            assert page.meta.title.lower() == " ".join(row["title"].split()).lower()
            assert page.meta.date == row["date"][:10]
            assert not page.text.rstrip().endswith("Reuter"), "the wire sign-off is dropped"


def test_sotu_sample(tmp_path: Path) -> None:
    folder = require_shared(CORPUS / "sotu")
    rows = list(csv.DictReader((folder / "metadata.csv").open(encoding="utf-8")))[::25]
    pages, result = build_sample(tmp_path, [folder / f"{row['fileid']}.txt" for row in rows])
    assert result.diagnostics.errors == 0
    for row in rows:
        page = pages[f"seeds/{row['fileid']}.txt"]
        assert_sensible(page.meta.title)
        assert page.meta.date[:4] == row["year"]
        assert page.word_count > 0.9 * int(row["word_count"])


def test_udhr_every_language(tmp_path: Path) -> None:
    folder = require_shared(CORPUS / "udhr")
    files = sorted(folder.glob("*.txt"))
    pages, result = build_sample(tmp_path, files)
    assert result.diagnostics.errors == 0
    assert len(pages) == len(files)
    slugs = [page.meta.slug for page in pages.values()]
    assert len(set(slugs)) == len(slugs)
    assert all(slug.isascii() and "/" not in slug for slug in slugs)
    for path in files:
        page = pages[f"seeds/{path.name}"]
        assert_sensible(page.meta.title)
        first_line = next(line for line in path.read_text(encoding="utf-8").splitlines() if line.strip())
        if not first_line[0].isspace() and len(first_line) <= 100 and any(c.isalnum() for c in first_line):
            assert page.meta.title.lower() == " ".join(first_line.split()).lower()
        lines = [line for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
        assert page.word_count > 5 or len(lines) == 1, "the body is kept"
