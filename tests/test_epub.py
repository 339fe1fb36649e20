"""The edition as an EPUB 3 book: its container, chapters in reading order, notes as EPUB footnotes,
the glossary linked from the terms, reproducible bytes, a tag's book, the command and the build
option; and epubcheck finds no error in the example's book nor in 50 State of the Union addresses."""

from __future__ import annotations

import csv
import shutil
import subprocess
import zipfile
from io import BytesIO
from pathlib import Path
from xml.etree import ElementTree as ET

import pytest

from site_gen.cli import main
from site_gen.config import load_config
from site_gen.epub import make_epub
from site_gen.pipeline import BuildOptions, build

from .conftest import CORPUS, IN_CI, require_shared

EPUBCHECK_JAR = Path("/usr/share/java/epubcheck.jar")
OPF = "{http://www.idpf.org/2007/opf}"
XHTML = "{http://www.w3.org/1999/xhtml}"
EPUB_TYPE = "{http://www.idpf.org/2007/ops}type"


def epubcheck(book: Path) -> None:
    """Run epubcheck (Debian's package: a jar run by java); skipped with the reason where it is absent."""
    if not (EPUBCHECK_JAR.exists() and shutil.which("java")):
        if IN_CI:
            pytest.fail("epubcheck is missing in CI (apt-get install epubcheck)")
        pytest.skip("epubcheck is not installed (apt-get install epubcheck)")
    java = ["java", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xshare:auto"]  # a short run: start fast
    run = subprocess.run([*java, "-jar", str(EPUBCHECK_JAR), str(book)], capture_output=True, text=True, check=False)
    assert run.returncode == 0 and "0 errors" in run.stdout + run.stderr, run.stdout + run.stderr


@pytest.fixture(scope="module")
def example(tmp_path_factory: pytest.TempPathFactory):
    site = tmp_path_factory.mktemp("epub") / "example"
    root = Path(__file__).resolve().parent.parent
    site.mkdir()
    shutil.copy(root / "site.toml", site / "site.toml")
    for folder in ("seeds", "content"):
        shutil.copytree(root / folder, site / folder)
    result = build(load_config(site), BuildOptions(write=False))
    return site, result, make_epub(result.site, result.build_date)


def parts(book: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(BytesIO(book)) as archive:
        return {info.filename: archive.read(info) for info in archive.infolist()}


def test_the_container_is_an_epub_3_package(example) -> None:
    _, result, book = example
    with zipfile.ZipFile(BytesIO(book)) as archive:
        first = archive.infolist()[0]
        assert first.filename == "mimetype" and first.compress_type == zipfile.ZIP_STORED
    files = parts(book)
    assert files["mimetype"] == b"application/epub+zip"
    package = ET.fromstring(files["OEBPS/content.opf"])
    assert package.get("version") == "3.0"
    items = {item.get("id"): item for item in package.iter(f"{OPF}item")}
    assert items["nav"].get("properties") == "nav" and items["cover-image"].get("properties") == "cover-image"
    spine = [ref.get("idref") for ref in package.iter(f"{OPF}itemref")]
    assert spine == ["cover", "nav", "chapter-1", "glossary"]
    assert b"Drone War Reader" in files["OEBPS/cover.svg"]
    nav = ET.fromstring(files["OEBPS/nav.xhtml"])
    titles = [a.text for a in nav.iter(f"{XHTML}a")][:2]
    assert titles == [result.site.articles[0].meta.title, "Glossary"]


def test_notes_are_epub_footnotes_and_terms_link_the_glossary(example) -> None:
    _, result, book = example
    files = parts(book)
    slug = result.site.articles[0].meta.slug
    chapter = ET.fromstring(files[f"OEBPS/text/{slug}.xhtml"])
    notes = [a for a in chapter.iter(f"{XHTML}a") if a.get(EPUB_TYPE) == "noteref"]
    asides = {aside.get("id") for aside in chapter.iter(f"{XHTML}aside") if aside.get(EPUB_TYPE) == "footnote"}
    assert len(notes) == 10 and {a.get("href")[1:] for a in notes} == asides
    glossary = ET.fromstring(files["OEBPS/glossary.xhtml"])
    terms = {dt.get("id") for dt in glossary.iter(f"{XHTML}dt")}
    assert len(terms) == 21
    links = [a.get("href") for a in chapter.iter(f"{XHTML}a") if a.get("class") == "term"]
    assert links and all(href.split("#")[1] in terms for href in links)
    assert all(href.startswith("../glossary.xhtml#term-") for href in links)
    page_ids = [pid for pid, _ in result.site.articles[0].passage_ids.passages]
    assert [p.get("id") for p in chapter.iter() if p.get("data-passage") is not None] == page_ids, \
        "the book's passages have the site's ids"
    assert b"passage-link" not in files[f"OEBPS/text/{slug}.xhtml"] and b"sidenote" not in files[f"OEBPS/text/{slug}.xhtml"]


def test_the_same_edition_gives_the_same_bytes(example) -> None:
    _, result, book = example
    assert make_epub(result.site, result.build_date) == book


def test_the_example_book_passes_epubcheck(example, tmp_path: Path) -> None:
    path = tmp_path / "example.epub"
    path.write_bytes(example[2])
    epubcheck(path)


def test_a_tag_book_the_command_and_the_build_option(tree, capsys) -> None:
    site = tree({
        "site.toml": '[site]\ntitle = "Two Tags"\n\n[epub]\nenabled = true\n',
        "seeds/a.txt": "Older article\n\nAnn Author 1 May 2019\n\nThe first text.\n",
        "seeds/a.yml": "tags: [Alpha]\n",
        "seeds/b.txt": "Newer article\n\nAnn Author 1 May 2020\n\nThe second text.\n",
        "seeds/b.yml": "tags: [Alpha, Beta]\n",
        "seeds/c.txt": "Other article\n\nAnn Author 1 May 2021\n\nThe third text.\n",
    })
    out = site / "alpha.epub"
    assert main(["epub", "--site", str(site), "--tag", "alpha", "--out", str(out)]) == 0
    assert capsys.readouterr().out.endswith(f"2 chapters; 0 warnings, 0 errors -> {out}\n")
    nav = ET.fromstring(parts(out.read_bytes())["OEBPS/nav.xhtml"])
    assert [a.text for a in nav.iter(f"{XHTML}a")][:2] == ["Older article", "Newer article"], "oldest first"
    assert main(["epub", "--site", str(site), "--tag", "gamma", "--out", str(out)]) == 1
    assert "no article has the tag 'gamma'" in capsys.readouterr().err
    mine = site / "notes.epub"
    mine.write_text("my notes")
    assert main(["epub", "--site", str(site), "--out", str(mine)]) == 1
    assert mine.read_text() == "my notes", "a file that is not a book is never overwritten"
    assert main(["build", "--site", str(site)]) == 0
    book = site / "public" / "two-tags.epub"
    assert len(ET.fromstring(parts(book.read_bytes())["OEBPS/content.opf"]).findall(f".//{OPF}itemref")) == 5
    assert 'href="two-tags.epub" download>' in (site / "public" / "index.html").read_text(encoding="utf-8")


def test_a_build_option_tag_no_article_has_is_a_warning_naming_its_line(tree, capsys) -> None:
    site = tree({
        "site.toml": '[site]\ntitle = "Tagged"\nbase_url = "https://example.org/"\n\n[epub]\nenabled = true\n'
                     'tag = "gamma"\n',
        "seeds/a.txt": "An article\n\nAnn Author 1 May 2019\n\nThe text.\n", "seeds/a.yml": "tags: [Alpha]\n",
    })
    message = ["site.toml:7: warning: no article has the tag 'gamma' of [epub]: the site gets no book",
               "  hint: tags in this edition: Alpha; or remove 'tag' for the whole edition"]
    assert main(["build", "--site", str(site)]) == 0
    assert capsys.readouterr().err.splitlines() == message
    assert not list((site / "public").glob("*.epub")) and "download>" not in (site / "public/index.html").read_text()
    assert main(["check", "--site", str(site)]) == 0
    assert capsys.readouterr().out.splitlines()[:2] == message


@pytest.mark.corpus
def test_fifty_state_of_the_union_addresses_pass_epubcheck(tmp_path: Path) -> None:
    folder = require_shared(CORPUS / "sotu")
    rows = list(csv.DictReader((folder / "metadata.csv").open(encoding="utf-8")))[::5][:50]
    site = tmp_path / "sotu"
    (site / "seeds").mkdir(parents=True)
    (site / "site.toml").write_text('[site]\ntitle = "State of the Union"\n', encoding="utf-8")
    for row in rows:
        shutil.copy(folder / f"{row['fileid']}.txt", site / "seeds")
    result = build(load_config(site), BuildOptions(write=False))
    assert len(result.site.articles) == 50
    book = tmp_path / "sotu.epub"
    book.write_bytes(make_epub(result.site, result.build_date))
    nav = ET.fromstring(parts(book.read_bytes())["OEBPS/nav.xhtml"])
    assert len([a for a in nav.iter(f"{XHTML}a") if a.get("href", "").startswith("text/")]) == 51  # + landmarks
    epubcheck(book)


def test_an_edition_without_articles_makes_no_book(tree, capsys) -> None:
    site = tree({"site.toml": "[epub]\nenabled = true\n", "content/pages/about.md": "---\ntitle: About\n---\nText.\n"})
    assert main(["build", "--site", str(site)]) == 0
    assert not list((site / "public").glob("*.epub"))
    assert "e-book" not in (site / "public" / "index.html").read_text(encoding="utf-8")
    assert main(["epub", "--site", str(site), "--out", str(site / "x.epub")]) == 1
    assert "error: the edition has no article to put in a book" in capsys.readouterr().err
    assert not (site / "x.epub").exists()
