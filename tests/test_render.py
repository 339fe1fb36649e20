"""What the templates make of a site, read as a reader without CSS would (reader mode, a copy, a text
browser): bylines, navigation, dated lists, short definitions, pagers, the 404 page."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from site_gen.config import load_config
from site_gen.pipeline import build
from site_gen.render import display_date

from .conftest import write_tree
from .html_tree import Node, parse
from .search.test_lunr_index import read_search_file

GLOSSARY = ('---\nterm: Karachi\nsources: [https://example.org/karachi, "Port Authority, 1999"]\n---\n'
            "Pakistan's \"largest\" port -- and its first capital...\n\nMore.\n")
PAGES = {
    "content/pages/method.md": "---\ntitle: Method\nnav: 1\n---\nHow.\n",
    "content/pages/about.md": "---\ntitle: About\nnav: 2\n---\nWho.\n",
    "content/pages/colophon.md": "---\ntitle: Colophon\n---\nType.\n",
}


def _seeds() -> dict[str, str]:
    """Twenty-two articles, one a month from January 2011: enough for the home page's year headings."""
    files = {}
    for n in range(22):
        year, month = 2011 + n // 12, n % 12 + 1
        files[f"seeds/{n:02d}.txt"] = f"Story {n}\n\nAlex Lantier {month} June {year}\n\nMarkets met in Karachi.\n"
        files[f"seeds/{n:02d}.yml"] = f"date: {year}-{month:02d}-08\n"
    return files


@pytest.fixture(scope="module")
def public(tmp_path_factory: pytest.TempPathFactory) -> Path:
    site = write_tree(tmp_path_factory.mktemp("render"), {
        **_seeds(), **PAGES, "content/glossary/karachi.md": GLOSSARY, "site.toml": '[site]\ntitle = "R"\n'})
    assert build(load_config(site)).ok
    return site / "public"


def page(public: Path, url: str) -> Node:
    return parse((public / url / "index.html").read_text(encoding="utf-8"))


def test_dates_under_a_year_heading_leave_the_year_out() -> None:
    assert [display_date(iso) for iso in ("2012-06-08", "2012-06", "2012", "")] == [
        "8 June 2012", "June 2012", "2012", ""]
    assert [display_date(iso, within="2012") for iso in ("2012-06-08", "2012-06", "2012", "2011-01-02")] == [
        "8 June", "June", "", "2 January 2011"]


def test_the_byline_keeps_its_separators_without_css(public: Path) -> None:
    article = page(public, "articles/story-0")
    assert article.find("p", "byline").text() == "Alex Lantier · 8 January 2011 · 1 min read"


def test_home_lists_under_year_headings_do_not_repeat_the_year(public: Path) -> None:
    home = page(public, "")
    years = [heading.text() for heading in home.find_all("h2", "year")]
    assert years == ["2012", "2011"]
    lists = home.find_all("ul", "article-list")
    assert [meta.text() for meta in lists[0].find_all("span", "article-meta")][:2] == [
        "Alex Lantier · 8 October", "Alex Lantier · 8 September"]
    assert lists[1].find_all("span", "article-meta")[-1].text() == "Alex Lantier · 8 January"


def test_navigation_items_are_separate_words_and_pages_join_them_in_order(public: Path) -> None:
    nav = page(public, "about").find("nav", "site-nav")
    assert nav.text() == "Articles Glossary Search Method About"
    assert [a.attrs.get("aria-current") for a in nav.find_all("a")] == [None, None, None, None, "page"]
    assert page(public, "colophon").find("nav", "site-nav").text() == "Articles Glossary Search Method About"


def test_short_definitions_are_set_like_the_text(public: Path) -> None:
    """Curly quotes, dashes and ellipses, as in the body: in an article's list of terms (which its
    popovers show), the glossary index and the search documents."""
    short = "Pakistan’s “largest” port – and its first capital…"
    assert page(public, "articles/story-0").find("section", "terms").find("dd").text() == short
    assert page(public, "glossary").find("dl", "glossary-list").find("dd").text() == short
    stores = [read_search_file(path.read_bytes()) for path in (public / "search" / "s").glob("*.js")]
    documents = [document for store in stores for document in (store if isinstance(store, list) else store.values())]
    assert any(short in json.dumps(document, ensure_ascii=False) for document in documents)


def test_sources_that_are_web_addresses_are_links_and_the_others_text(public: Path) -> None:
    sources = page(public, "glossary/karachi").find("section", "sources").find_all("li")
    assert [(item.text(), [a.attrs["href"] for a in item.find_all("a")]) for item in sources] == [
        ("https://example.org/karachi", ["https://example.org/karachi"]), ("Port Authority, 1999", [])]


def test_rel_next_always_leads_to_what_is_older(public: Path, tmp_path: Path) -> None:
    """Newest first everywhere: the next article, the next page of the home page and of a term's uses."""
    def rels(node: Node) -> dict[str, str]:
        return {a.attrs["rel"]: a.attrs["class"] for a in node.find("nav", "pager").find_all("a")}

    assert rels(page(public, "articles/story-5")) == {"next": "pager-older", "prev": "pager-newer"}
    site = write_tree(tmp_path / "paged", {
        **_seeds(), "content/glossary/karachi.md": GLOSSARY,
        "site.toml": "[site]\narticles_per_page = 10\n[glossary]\nuses_per_page = 10\n"})
    assert build(load_config(site)).ok
    assert rels(page(site / "public", "page/2")) == {"next": "pager-older", "prev": "pager-newer"}
    assert rels(page(site / "public", "glossary/karachi/page/2")) == {"next": "pager-older", "prev": "pager-newer"}


def test_the_404_page_starts_its_links_from_base_url_or_from_its_own_place(public: Path, tmp_path: Path) -> None:
    without = parse((public / "404.html").read_text(encoding="utf-8"))
    assert without.find_all("base") == []
    stylesheet = [link.attrs["href"] for link in without.find_all("link") if link.attrs.get("rel") == "stylesheet"]
    assert stylesheet and stylesheet[0].startswith("assets/site.")
    site = write_tree(tmp_path / "based", {"seeds/a.txt": "A\n\nBody.\n",
                                           "site.toml": '[site]\nbase_url = "https://example.org/reader/"\n'})
    assert build(load_config(site)).ok
    assert parse((site / "public/404.html").read_text(encoding="utf-8")).find("base").attrs["href"] == "/reader/"
