"""Search finds every word a reader can see, in every script: lunr.js in Chromium on the UDHR in 97
languages (``../shared/corpus/udhr``, skipped when absent), plus a seed with words joined by dashes.

Each document gets a sidecar title naming its file (``udhr arb``), so a result says which text it is."""

from __future__ import annotations

from urllib.parse import quote

import pytest

from ..conftest import CORPUS, require_shared, write_tree
from .conftest import build_site

pytestmark = pytest.mark.browser

DASHES = "Dashes on the page\n\nThey were afraid\u2014zanzibar\u2014to say it. The quokka\u2013wombat pact held.\n"


@pytest.fixture(scope="module")
def udhr_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    folder = require_shared(CORPUS / "udhr")
    files = {"site.toml": "[search]\nshard_threshold = 10\n", "seeds/dashes.txt": DASHES,
             "seeds/dashes.yml": "title: dashes sample\n"}
    for path in sorted(folder.glob("*.txt")):
        files[f"seeds/{path.name}"] = path.read_text(encoding="utf-8")
        files[f"seeds/{path.stem}.yml"] = f'title: "udhr {path.stem}"\n'
    return build_site(write_tree(tmp_path_factory.mktemp("udhr"), files))


def titles(page, url: str, query: str) -> list[str]:
    """The titles the search page lists for ``query`` (all of them: at most 10 are asked for here)."""
    page.goto(url + "search/?q=" + quote(query))
    page.wait_for_function("(() => { const s = document.querySelector('.search-status').textContent;"
                           " return s && !s.startsWith('Searching'); })()")
    return page.locator("#search-page-results .search-result-title").all_inner_texts()


@pytest.mark.parametrize("query", ["zanzibar", "afraid", "wombat", "quokka\u2013wombat", "afraid\u2014zanzibar"])
def test_words_joined_by_dashes_are_found_one_by_one(page, udhr_url: str, query: str) -> None:
    assert titles(page, udhr_url, query) == ["dashes sample"]


@pytest.mark.parametrize("query", ["อิสรภาพ", "ยุติธรรม", "สิทธิมนุษยชน", "ครอบครัว"])
def test_thai_words_are_found_inside_unspaced_text(page, udhr_url: str, query: str) -> None:
    assert titles(page, udhr_url, query) == ["udhr tha"]


@pytest.mark.parametrize(("query", "what"), [
    ("كرامة", "bare word, text has الكرامة and بالكرامة"),
    ("تعليم", "bare word, text has التعليم and للتعليم"),
    ("الاعلان", "bare alef, text has الإعلان"),
    ("اعتمد", "no diacritics, text has اعتُمد"),
    ("العامه", "heh for ta marbuta, text has العامة"),
    ("حقـوق", "tatweel in the query"),
])
def test_arabic_words_are_found_in_their_written_forms(page, udhr_url: str, query: str, what: str) -> None:
    assert "udhr arb" in titles(page, udhr_url, query), what


@pytest.mark.parametrize(("query", "expected"), [("人权", "udhr cmn_hans"), ("人權", "udhr cmn_hant"),
                                                 ("権利", "udhr jpn"), ("인권", "udhr kor")])
def test_cjk_words_are_found(page, udhr_url: str, query: str, expected: str) -> None:
    assert expected in titles(page, udhr_url, query)


def test_cjk_characters_must_stand_together(page, udhr_url: str) -> None:
    """Both characters of 人权 are in the Chinese text, but never as 权人."""
    text = (CORPUS / "udhr" / "cmn_hans.txt").read_text(encoding="utf-8")
    assert "权人" not in text and "权" in text and "人" in text
    assert titles(page, udhr_url, "权人") == []


def test_cjk_snippets_and_pages_are_highlighted(page, udhr_url: str) -> None:
    titles(page, udhr_url, "人权")
    snippet = page.locator("#search-page-results .search-result-snippet").first
    snippet.locator("mark").first.wait_for()
    assert set(snippet.locator("mark").all_inner_texts()) == {"人权"}
    page.locator("#search-page-results .search-result a").first.click()
    page.locator("main mark.search-hit").first.wait_for()
    marks = page.locator("main mark.search-hit").all_inner_texts()
    assert len(marks) >= 5 and set(marks) == {"人权"}, marks


def test_latin_greek_and_cyrillic_words_still_found(page, udhr_url: str) -> None:
    assert "udhr eng" in titles(page, udhr_url, "brotherhood")
    assert "udhr rus" in titles(page, udhr_url, "достоинстве")
    assert "udhr ell_monotonic" in titles(page, udhr_url, "αξιοπρέπεια")
