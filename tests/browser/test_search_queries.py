"""Every query form a reader types, in Chromium, on the State of the Union addresses
(``../shared/corpus/sotu``, 249 long speeches, skipped when absent): punctuation, quoted phrases and
word order, the last word as a prefix, one typo, stop words, the per-query cap on index parts, stem
collisions, best passages, whole-word marks. Each speech gets its file name as its title."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import quote

import pytest

from ..conftest import CORPUS, require_shared, write_tree
from .conftest import build_site, escape_to_the_box, select_first_result

pytestmark = pytest.mark.browser

SOTU = CORPUS / "sotu"
MAX_SHARDS = 10
"""The most index parts one query may fetch (search-engine.js: MAX_SHARDS)."""


@pytest.fixture(scope="module")
def sotu(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, Path]:
    folder = require_shared(SOTU)
    files = {"site.toml": "[site]\ntitle = \"State of the Union\"\n"}
    for path in sorted(folder.glob("*.txt")):
        files[f"seeds/{path.name}"] = path.read_text(encoding="utf-8")
        files[f"seeds/{path.stem}.yml"] = f'title: "{path.stem}"\n'
    site = write_tree(tmp_path_factory.mktemp("sotu"), files)
    return build_site(site), site


@pytest.fixture(scope="module")
def tab(browser):
    """One tab for the module: each test opens the pages it needs (a new query is a new page)."""
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    page = context.new_page()
    page.requested = []
    page.on("request", lambda request: page.requested.append(request.url))
    yield page
    context.close()


def search(tab, url: str, query: str) -> dict:
    """Open the search page for ``query``; its status line, titles, snippets' marks and the index
    parts (shards) it fetched."""
    tab.requested.clear()
    tab.goto(url + "search/?q=" + quote(query))
    tab.wait_for_function("(() => { const s = document.querySelector('.search-status').textContent;"
                          " return s && !s.startsWith('Searching'); })()")
    tab.wait_for_timeout(50)
    items = tab.locator("#search-page-results .search-result")
    return {
        "status": tab.inner_text(".search-status"),
        "titles": tab.locator("#search-page-results .search-result-title").all_inner_texts(),
        "marks": [item.locator(".search-result-snippet mark").all_inner_texts() for item in items.all()],
        "shards": [r for r in tab.requested if "/search/i/" in r],
    }


def containing(pattern: str) -> set[str]:
    found = re.compile(pattern, re.IGNORECASE)
    return {path.stem for path in SOTU.glob("*.txt") if found.search(path.read_text(encoding="utf-8"))}


@pytest.mark.parametrize(("query", "word"), [("war.", "war"), ("tariff?", "tariff"), ("(slavery)", "slavery"),
                                             ("Lincoln,", "lincoln"), ("U.S.", "u.s")])
def test_punctuation_never_empties_a_query(tab, sotu, query: str, word: str) -> None:
    url, _ = sotu
    found = search(tab, url, query)
    assert found["titles"] and found["titles"] == search(tab, url, word)["titles"], query


def test_a_quoted_phrase_finds_the_words_in_that_order_first(tab, sotu) -> None:
    url, _ = sotu
    phrase = containing(r"\bfour\W+freedoms?\b")
    assert phrase == {"1943-Roosevelt-1"}
    found = search(tab, url, '"four freedoms"')
    assert found["titles"][0] == "1943-Roosevelt-1"
    assert set(found["titles"]) <= containing(r"\bfour\b") & containing(r"\bfreedoms?\b")


@pytest.mark.parametrize(("query", "source"), [("four freedoms", "1943-Roosevelt-1"), ("axis of evil", "2002-Bush-1"),
                                               ("the era of big government is over", "1996-Clinton-1")])
def test_words_standing_together_in_order_rank_first(tab, sotu, query: str, source: str) -> None:
    url, _ = sotu
    assert search(tab, url, query)["titles"][0] == source


def test_documents_with_all_the_words_rank_above_those_with_some(tab, sotu) -> None:
    url, _ = sotu
    both = containing(r"\bcanal") & containing(r"\bpanama\b")
    titles = search(tab, url, "panama canal")["titles"]
    assert len(both) >= 10 and set(titles) <= both


def test_lunr_syntax_still_works(tab, sotu) -> None:
    url, _ = sotu
    assert search(tab, url, "title:roosevelt")["titles"][0].split("-")[1] == "Roosevelt"
    with_slavery = containing(r"\bslavery\b")
    titles = search(tab, url, "+tariff -slavery")["titles"]
    assert titles and not set(titles) & with_slavery


def test_the_last_word_is_a_prefix_while_typing(tab, sotu) -> None:
    url, _ = sotu
    tab.goto(url)
    for partial in ("nucl", "tarif"):
        tab.fill("#search-input", "")
        tab.type("#search-input", partial, delay=30)
        tab.wait_for_function("""start => {
            const marks = [...document.querySelectorAll('#search-results .search-result-snippet mark')];
            return marks.length > 3 && marks.every(m => m.textContent.toLowerCase().startsWith(start)); }""", arg=partial)
    assert "war" in [m.lower() for m in search(tab, url, "war")["marks"][0]]


def test_one_typo_is_forgiven_within_a_stated_number_of_index_parts(tab, sotu) -> None:
    url, _ = sotu
    found = search(tab, url, "goverment")
    assert found["titles"] and "similar" in found["status"], found["status"]
    assert any("government" in [m.lower() for m in marks] for marks in found["marks"])
    assert len(set(found["shards"])) <= 3
    assert search(tab, url, "zqxwv")["titles"] == []


def test_a_query_of_stop_words_says_why_it_has_no_results(tab, sotu) -> None:
    url, _ = sotu
    found = search(tab, url, "the")
    assert found["titles"] == [] and "too common" in found["status"]


@pytest.mark.parametrize("query", ["*tion", "freedom~2", "*"])
def test_no_query_fetches_more_than_the_cap_and_says_so(tab, sotu, query: str) -> None:
    url, _ = sotu
    found = search(tab, url, query)
    assert len(set(found["shards"])) <= MAX_SHARDS
    if query != "*":
        assert found["titles"] and "limited" in found["status"], found["status"]


def test_stem_collisions_show_which_words_matched(tab, sotu) -> None:
    url, _ = sotu
    found = search(tab, url, "détente")
    words = {m.lower() for marks in found["marks"] for m in marks}
    assert "detention" in words and "detente" in words, words


def test_the_snippet_is_the_best_passage_wherever_it_is(tab, sotu) -> None:
    url, _ = sotu
    text = (SOTU / "1912-Taft-1.txt").read_text(encoding="utf-8")
    assert text.lower().index("palisades") > 150_000
    found = search(tab, url, "palisades")
    assert found["marks"][found["titles"].index("1912-Taft-1")] == ["palisades"]


@pytest.mark.parametrize(("query", "never"), [("Pearl Harbor", "peace"), ("policy", "politic")])
def test_marks_cover_whole_words_of_the_stem_never_a_shared_prefix(tab, sotu, query: str, never: str) -> None:
    url, _ = sotu
    found = search(tab, url, query)
    words = {m.lower() for marks in found["marks"] for m in marks}
    assert words and not any(w.startswith(never) for w in words), words


def test_the_opened_page_highlights_whole_words(tab, sotu) -> None:
    """A result's link carries the words to highlight; on a speech that names Warren, "war" marks
    "war" and never "Warren"."""
    url, _ = sotu
    search(tab, url, "war")
    link = tab.locator("#search-page-results .search-result a").first.get_attribute("href")
    tab.goto(url + "articles/1812-madison-1/?" + link.split("?", 1)[1])
    tab.locator("main mark.search-hit").first.wait_for()
    marks = {m.lower() for m in tab.locator("main mark.search-hit").all_inner_texts()}
    assert "war" in marks and not any(m.startswith("warren") for m in marks), marks
    assert "Warren" in tab.inner_text("main")


def test_escape_then_enter_searches_what_is_typed(tab, sotu) -> None:
    """Select a result, Escape, Enter: the search page for the words typed, never the result that
    was selected; arrows do not reach into the closed dropdown, and no aria-activedescendant is
    left pointing at an element."""
    url, _ = sotu
    tab.goto(url)
    select_first_result(tab, "four freedoms")
    escape_to_the_box(tab)
    tab.keyboard.press("Enter")
    tab.wait_for_url("**/search/?q=four+freedoms")
    tab.locator("#search-page-results .search-result").first.wait_for()
    assert tab.locator("#search-page-results .search-result-title").first.inner_text() == "1943-Roosevelt-1"


AXE = "axe.run(document).then(r => r.violations.map(v => [v.id, v.impact, v.nodes.map(n => n.target.join(' '))]))"


def test_axe_finds_nothing_with_long_snippets_and_notes(tab, sotu, axe_source: str) -> None:
    """The search page with a "Matches:" note and a "limited" status line, and the open dropdown."""
    url, _ = sotu
    assert "limited" in search(tab, url, "*tion")["status"]
    found = search(tab, url, "détente")
    assert found["titles"]
    tab.locator("#search-page-results .search-result-matched", has_text="Matches:").first.wait_for()
    tab.fill("#search-input", "panama canal")
    tab.locator("#search-results .search-result").first.wait_for()
    tab.add_script_tag(content=axe_source)
    assert tab.evaluate(AXE) == []


def test_search_works_from_disk(browser, sotu) -> None:
    """The built site opened from disk: a quoted phrase on the search page, and the header box."""
    _, site = sotu
    public = site / "public"
    context = browser.new_context()
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto((public / "search" / "index.html").as_uri() + "?q=" + quote('"four freedoms"'))
    page.wait_for_function("(() => { const s = document.querySelector('.search-status').textContent;"
                           " return s && !s.startsWith('Searching'); })()")
    assert page.locator("#search-page-results .search-result-title").first.inner_text() == "1943-Roosevelt-1"
    page.locator("#search-page-results .search-result-snippet mark").first.wait_for()
    page.goto((public / "index.html").as_uri())
    page.fill("#search-input", "goverment")
    page.locator("#search-results .search-result").first.wait_for()
    page.locator("#search-results .search-result a").first.click()
    page.wait_for_load_state()
    assert page.url.startswith("file://") and page.url.split("?")[0].endswith("/index.html")
    page.locator("main mark.search-hit").first.wait_for()
    assert errors == []
    context.close()


ENGINE_RUN = """async (query) => {
    const add = (src) => new Promise((resolve) => { const s = document.createElement('script'); s.src = src;
                                                     s.onload = resolve; document.head.append(s); });
    await add(document.body.dataset.lunr);
    await add(document.body.dataset.searchEngine);
    const api = window.siteGenSearchEngine, loaded = [];
    const load = (path) => { loaded.push(path); return fetch(path).then(r => r.text()).then(api.parseFile); };
    const engine = api.createEngine({ lunr: window.lunr, load, manifestUrl: document.body.dataset.searchManifest });
    const outcome = await engine.search(query);
    const titles = await Promise.all(outcome.results.slice(0, 10).map(r => engine.record(r.ref).then(item => item.t)));
    return { titles, loaded };
}"""
"""Runs search-engine.js on a page of the site: the top ten titles of ``query`` and every file it loaded."""


def test_words_in_order_read_only_the_texts(tab, sotu) -> None:
    """Ranking "panama canal" by word order reads the texts of the best documents with both words;
    each text file holds its document's record too, so the ten results need no store block."""
    url, _ = sotu
    tab.goto(url)
    found = tab.evaluate(ENGINE_RUN, "panama canal")
    texts = [path for path in found["loaded"] if "/f/" in path]
    assert len(found["titles"]) == 10 and 10 <= len(texts) <= 20, found
    assert not [path for path in found["loaded"] if "/s/" in path], found["loaded"]
