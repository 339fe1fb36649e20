"""Articles in other languages and scripts in a real browser: an Arabic one laid out right to left
(sidenotes in the left margin, popovers ending where their link ends), a Georgian one as written.
The texts are the opening of the Universal Declaration of Human Rights (tests/fixtures/languages)."""

from __future__ import annotations

import shutil

import pytest

from ..conftest import REPO, write_tree
from .conftest import build_site, screenshot

pytestmark = pytest.mark.browser
TEXTS = REPO / "tests" / "fixtures" / "languages"
ARABIC, GEORGIAN = "articles/udhr-arabic/", "articles/udhr-georgian/"


@pytest.fixture(scope="module")
def languages_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    site = tmp_path_factory.mktemp("languages") / "site"
    write_tree(site, {
        "site.toml": '[site]\ntitle = "Declarations"\nlanguage = "en"\n',
        "seeds/arb.yml": "language: ar\nslug: udhr-arabic\n",
        "seeds/kat.yml": "language: ka\nslug: udhr-georgian\n",
        "content/glossary/general-assembly.md": "---\nterm: الجمعية العامة\ncategory: organisation\n---\n"
                                                 "The General Assembly of the United Nations, which adopted the "
                                                 "Declaration on 10 December 1948.\n",
        "content/notes/udhr-arabic.yml": "- quote: يولد جميع الناس أحرارًا متساوين في الكرامة والحقوق\n"
                                         "  note: Article 1, the best-known sentence of the Declaration.\n",
    })
    for name in ("arb.txt", "kat.txt"):
        shutil.copy(TEXTS / name, site / "seeds" / name)
    return build_site(site)


def _open(browser, url: str, width: int):
    context = browser.new_context(viewport={"width": width, "height": 900}, is_mobile=width < 700)
    tab = context.new_page()
    tab.goto(url)
    return context, tab


def test_an_arabic_article_reads_right_to_left_with_its_notes_in_the_left_margin(browser, languages_url: str) -> None:
    context, tab = _open(browser, languages_url + ARABIC, 1400)
    assert tab.evaluate("[document.documentElement.dir, document.documentElement.lang]") == ["ltr", "en"]
    article = tab.locator("article.article")
    assert (article.get_attribute("dir"), article.get_attribute("lang")) == ("rtl", "ar")
    paragraph = tab.locator(".article-body p").first.bounding_box()
    title = tab.locator("h1").bounding_box()
    assert abs((title["x"] + title["width"]) - (paragraph["x"] + paragraph["width"])) < 2, "lines start on the right"
    note = tab.locator("#sn1").bounding_box()
    body = tab.locator(".article-body").bounding_box()
    assert note["x"] + note["width"] <= body["x"], "the sidenote sits in the left margin"
    term = tab.locator("a.term").first
    term.click()
    popover, link = tab.locator("#popover").bounding_box(), term.bounding_box()
    assert abs((popover["x"] + popover["width"]) - (link["x"] + link["width"])) < 2, "the card ends where the link ends"
    tab.keyboard.press("Escape")
    screenshot(tab, "article-arabic-1400.png")
    context.close()


def test_an_arabic_article_on_a_phone(browser, languages_url: str) -> None:
    context, tab = _open(browser, languages_url + ARABIC, 375)
    assert tab.evaluate("document.documentElement.scrollWidth") <= 375
    assert tab.evaluate("getComputedStyle(document.querySelector('.article-body p')).direction") == "rtl"
    assert tab.locator(".footnotes").is_visible() and not tab.locator("#sn1").is_visible()
    screenshot(tab, "article-arabic-375.png")
    context.close()


@pytest.mark.parametrize("width", [1400, 375])
def test_a_georgian_article_keeps_its_letters(browser, languages_url: str, width: int) -> None:
    context, tab = _open(browser, languages_url + GEORGIAN, width)
    assert tab.locator("h1").inner_text() == "ადამიანის უფლებათა საყოველთაო დეკლარაცია"
    assert tab.locator("article.article").get_attribute("lang") == "ka"
    assert tab.evaluate("document.documentElement.scrollWidth") <= width
    screenshot(tab, f"article-georgian-{width}.png")
    context.close()


def test_the_home_page_isolates_the_right_to_left_title(browser, languages_url: str) -> None:
    context, tab = _open(browser, languages_url, 1400)
    link = tab.locator(f"a.article-link[href$='{ARABIC}']")
    assert (link.get_attribute("dir"), link.get_attribute("lang")) == ("rtl", "ar")
    assert link.evaluate("element => getComputedStyle(element).unicodeBidi") == "isolate"
    assert tab.locator("a.article-link").count() == 2
    context.close()


def test_a_search_result_in_another_language_says_its_language(browser, languages_url: str) -> None:
    context, tab = _open(browser, languages_url + "search/?q=الكرامة", 1400)
    result = tab.locator("#search-page-results .search-result").first
    result.wait_for()
    title, snippet = result.locator(".search-result-title"), result.locator(".search-result-snippet")
    assert title.inner_text() == "الإعلان العالمي لحقوق الإنسان"
    assert [(part.get_attribute("lang"), part.get_attribute("dir")) for part in (title, snippet)] == [("ar", "rtl")] * 2
    assert tab.evaluate("getComputedStyle(document.querySelector('.search-result-snippet')).direction") == "rtl"
    tab.fill("#search-page-input", "ადამიანის")
    tab.wait_for_function("document.querySelector('.search-result-title')?.lang === 'ka'")
    assert tab.locator(".search-result-title").first.get_attribute("dir") is None, "Georgian reads as the site does"
    context.close()
