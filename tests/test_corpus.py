"""The real corpora in ../shared/corpus build: each document becomes a page with a sensible title
(or gets a clear error), nothing crashes, and no text is lost: every State of the Union address and
every UDHR translation (97 languages, 32 scripts) in one build, a sample of Reuters. Skipped where
../shared is absent."""

from __future__ import annotations

import csv
import shutil
from collections import Counter
from pathlib import Path

import pytest

from site_gen.config import load_config
from site_gen.pipeline import BuildOptions, build
from site_gen.text import words

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


RIGHT_TO_LEFT_SCRIPTS = {"ARABIC", "HEBREW", "SYRIAC", "THAANA"}


@pytest.fixture(scope="module")
def whole_corpora(tmp_path_factory: pytest.TempPathFactory):
    """Every State of the Union address and every UDHR translation, built once as one English site."""
    sotu, udhr = require_shared(CORPUS / "sotu"), require_shared(CORPUS / "udhr")
    files = sorted(sotu.glob("*.txt")) + sorted(udhr.glob("*.txt"))
    return build_sample(tmp_path_factory.mktemp("corpora"), files)


def test_whole_corpora_build_with_no_lost_text(whole_corpora) -> None:
    pages, result = whole_corpora
    assert result.diagnostics.errors == 0
    assert len(pages) == len(list((CORPUS / "sotu").glob("*.txt"))) + len(list((CORPUS / "udhr").glob("*.txt")))
    assert [d.format() for d in result.diagnostics.items if d.code == "integrity"] == []
    for seed, page in pages.items():  # an oracle of its own: every word of the seed (runs of \w, as
        # tests/test_text.py holds them) is on the page or in its title, which title case may have lowered
        text = (CORPUS / ("sotu" if seed[6:7].isdigit() and "-" in seed else "udhr") / seed[6:]).read_text(encoding="utf-8")
        missing = Counter(words(text.casefold())) - Counter(words((page.text + " " + page.meta.title).casefold()))
        assert not missing, f"{seed}: {sorted(missing)[:10]}"


def test_sotu_speeches_keep_their_first_lines_and_order(whole_corpora) -> None:
    pages, result = whole_corpora
    rows = list(csv.DictReader((CORPUS / "sotu" / "metadata.csv").open(encoding="utf-8")))
    for row in rows:
        page = pages[f"seeds/{row['fileid']}.txt"]
        assert_sensible(page.meta.title)
        assert page.meta.date[:4] == row["year"]
        assert page.word_count > 0.9 * int(row["word_count"])
        first = next(line for line in (CORPUS / "sotu" / f"{row['fileid']}.txt").read_text(encoding="utf-8").splitlines()
                     if line.strip())
        if first.startswith(("The President.", "Mr.", "Madam", "Fellow")):
            assert page.text.startswith(" ".join(first.split())[:40]), row["fileid"]
            assert page.meta.title == row["fileid"].replace("-", " ")
        assert not any(heading.text.isupper() and heading.text.split()[-1] in row["president"].upper()
                       for heading in page.toc), f"{row['fileid']}: a signature became a heading"
    seeds = [page.meta.seed for page in result.site.articles if page.meta.seed.startswith("seeds/1973-Nixon-")]
    assert seeds == sorted(seeds, key=lambda seed: int(seed.rsplit("-", 1)[1][:-4]))
    assert seeds[:2] == ["seeds/1973-Nixon-1.txt", "seeds/1973-Nixon-2.txt"]


def test_udhr_every_language_and_script(whole_corpora) -> None:
    pages, result = whole_corpora
    rows = list(csv.DictReader((CORPUS / "udhr" / "index.csv").open(encoding="utf-8")))
    slugs = [page.meta.slug for page in pages.values()]
    assert len(set(slugs)) == len(slugs) and all(slug.isascii() and "/" not in slug for slug in slugs)
    turned = sorted(d.location.path for d in result.diagnostics.items if d.code == "language-script")
    assert turned == sorted(f"seeds/{row['file']}" for row in rows if row["dominant_script"] in RIGHT_TO_LEFT_SCRIPTS)
    for row in rows:
        path = CORPUS / "udhr" / row["file"]
        page = pages[f"seeds/{row['file']}"]
        assert_sensible(page.meta.title)
        assert page.direction == ("rtl" if row["dominant_script"] in RIGHT_TO_LEFT_SCRIPTS else "ltr"), row["file"]
        first_line = next(line for line in path.read_text(encoding="utf-8").splitlines() if line.strip())
        if not first_line[0].isspace() and len(first_line) <= 100 and any(c.isalnum() for c in first_line):
            assert page.meta.title.lower() == " ".join(first_line.split()).lower()
        lines = [line for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
        assert page.word_count > 5 or len(lines) == 1, "the body is kept"
    assert pages["seeds/kat.txt"].meta.title == "ადამიანის უფლებათა საყოველთაო დეკლარაცია", "no capital inserted"
    assert pages["seeds/ell_monotonic.txt"].meta.title == "ΟΙΚΟΥΜΕΝΙΚΗ ΔΙΑΚΗΡΥΞΗ ΓΙΑ ΤΑ ΑΝΘΡΩΠΙΝΑ ΔΙΚΑΙΩΜΑΤΑ"
    assert pages["seeds/azj_latn.txt"].meta.title == "İNSAN HÜQUQLARI HAQQINDA ÜMUMİ BƏYANNAMƏ", "left as written"
    assert pages["seeds/rus.txt"].meta.title == "Всеобщая декларация прав человека"
