"""Golden files for the bundled example: the annotated Markdown byte for byte, and the rendered pages
compared after canonicalising the HTML (tests/html_canon.py). ``pytest --update-golden`` rewrites them."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest

from site_gen.config import load_config
from site_gen.pipeline import BuildOptions, build

from .conftest import REPO, compare_golden
from .html_canon import canonical_html

GOLDEN = REPO / "tests" / "golden" / "example"
SLUG = "us-defense-secretary-panetta-threatens-ground-intervention-into-pakistan"
PAGES = [
    f"articles/{SLUG}/index.html",
    "glossary/haqqani-network/index.html",
    "glossary/index.html",
    "index.html",
    "404.html",
    "about/index.html",
]
HASHED = re.compile(r"\.[0-9a-f]{10}\.([a-z0-9]+)\b")


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory):
    import shutil

    site = tmp_path_factory.mktemp("golden") / "site"
    site.mkdir()
    shutil.copy(REPO / "site.toml", site / "site.toml")
    shutil.copytree(REPO / "seeds", site / "seeds")
    shutil.copytree(REPO / "content", site / "content")
    for generated in (site / "content" / "articles").glob("*.md"):
        generated.unlink()
    result = build(load_config(site), BuildOptions())
    return site, result


def test_annotated_markdown_matches_golden(built, update_golden: bool) -> None:
    site, _ = built
    actual = (site / "content" / "articles" / f"{SLUG}.md").read_text(encoding="utf-8")
    compare_golden(actual, GOLDEN / "content" / "articles" / f"{SLUG}.md", update_golden)


def test_committed_example_content_is_the_generated_one(built) -> None:
    """The repository's own content/articles file is what the build generates (nobody edited it by accident)."""
    site, _ = built
    committed = (REPO / "content" / "articles" / f"{SLUG}.md").read_text(encoding="utf-8")
    assert committed == (site / "content" / "articles" / f"{SLUG}.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("page", PAGES)
def test_rendered_page_matches_golden(built, page: str, update_golden: bool) -> None:
    site, _ = built
    html = (site / "public" / page).read_text(encoding="utf-8")
    compare_golden(HASHED.sub(r".HASH.\1", canonical_html(html)), GOLDEN / "public" / (page + ".canon"), update_golden)


def test_output_manifest_matches_golden(built, update_golden: bool) -> None:
    site, _ = built
    files = sorted(p.relative_to(site / "public").as_posix() for p in (site / "public").rglob("*") if p.is_file())
    names = sorted(HASHED.sub(r".HASH.\1", f) for f in files)
    compare_golden("\n".join(names) + "\n", GOLDEN / "manifest.txt", update_golden)


class _Text(HTMLParser):
    """Collects text and the footnote/term structure of the article body."""

    def __init__(self) -> None:
        super().__init__()
        self.stack: list[str] = []
        self.h1 = ""
        self.paragraphs: list[str] = []
        self.current: list[str] | None = None
        self.classes: list[str] = []

    def handle_starttag(self, tag, attrs):
        cls = dict(attrs).get("class") or ""
        self.classes.append(cls)
        self.stack.append(tag)
        if tag == "p" and "article-body" in " ".join(self.classes):
            self.current = []

    def handle_endtag(self, tag):
        if tag == "p" and self.current is not None:
            self.paragraphs.append("".join(self.current))
            self.current = None
        if self.stack:
            self.stack.pop()
            self.classes.pop()

    def handle_data(self, data):
        if self.stack and self.stack[-1] == "h1":
            self.h1 += data
        if self.current is not None and "sidenote" not in " ".join(self.classes):
            self.current.append(data)


def test_article_reads_correctly(built) -> None:
    """The issue's bar: repaired paragraph, no footer, title/author/date in place."""
    site, _ = built
    html = (site / "public" / "articles" / SLUG / "index.html").read_text(encoding="utf-8")
    parser = _Text()
    parser.feed(html)
    assert parser.h1 == "US Defense Secretary Panetta threatens ground intervention into Pakistan"
    assert '<span class="author">Alex Lantier</span>' in html
    assert '<time datetime="2012-06-08">8 June 2012</time>' in html
    repaired = [p for p in parser.paragraphs if "the importance of investigating such cases" in p]
    assert len(repaired) == 1
    assert "such cases and ensuring compensation and redress to the victims" in repaired[0]
    assert not any("WSWS" in p or "wsws.org" in p for p in parser.paragraphs)
    assert all("To contact" not in p for p in parser.paragraphs)
