"""Search in a real browser: lazy loading, typing, keyboard, glossary card, highlighting, ?q=, bad
queries, hostile text (everything shown is text, never HTML), and a sharded index loading progressively."""

from __future__ import annotations

import bisect
import time
from pathlib import Path
from urllib.parse import quote

import pytest

from ..conftest import write_tree
from ..search.test_lunr_index import read_search_file
from .conftest import SLUG, build_site, escape_to_the_box, select_first_result

pytestmark = pytest.mark.browser

PREFETCH_BLOCKS = 4
"""The most store blocks the idle prefetch fetches after a query (search-ui.js: PREFETCH_BLOCKS)."""


def search_requests(page) -> list[str]:
    return [r for r in page.requested if "/search/" in r and r.endswith(".js")]


@pytest.fixture
def tracked(page):
    page.requested = []
    page.on("request", lambda request: page.requested.append(request.url))
    return page


def test_index_loads_lazily_once(tracked, example_url: str) -> None:
    tracked.goto(example_url)
    tracked.wait_for_load_state("networkidle")
    assert search_requests(tracked) == [], "nothing is fetched before the reader uses search"
    tracked.press("body", "/")
    assert tracked.evaluate("document.activeElement.id") == "search-input"
    tracked.keyboard.type("panetta")
    tracked.locator("#search-results .search-result").first.wait_for()
    tracked.keyboard.type(" pakistan")
    tracked.wait_for_timeout(400)
    manifests = [r for r in search_requests(tracked) if "manifest." in r]
    assert len(manifests) == 1


def test_typing_shows_results_with_glossary_card_first(page, example_url: str) -> None:
    page.goto(example_url)
    page.fill("#search-input", "haqqani network")
    card = page.locator("#search-results .search-card")
    card.wait_for()
    assert "Haqqani network" in card.inner_text() and "Afghan insurgent group" in card.inner_text()
    box = page.locator("#search-results")
    assert box.locator(".search-result").count() >= 2
    first = box.locator(".search-result").first
    assert first.locator(".search-result-meta").text_content() in ("Glossary", "Article · 8 June 2012")
    assert page.locator("#search-results .search-card").bounding_box()["y"] < first.bounding_box()["y"]


def test_keyboard_opens_the_result_at_the_match_with_highlighting(page, example_url: str) -> None:
    page.goto(example_url)
    select_first_result(page, "islamabad")
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/articles/{SLUG}/**")
    page.locator("mark.search-hit").first.wait_for()
    marks = page.locator("mark.search-hit")
    assert marks.count() >= 3 and marks.first.inner_text().lower() == "islamabad"
    assert "highlight=" not in page.url, "the highlight parameter is removed so shared URLs stay clean"
    assert page.evaluate("window.scrollY") > 0, "the page opens at the passage, not at the top"


def test_search_page_reads_q_and_keeps_it_in_the_url(page, example_url: str) -> None:
    page.goto(example_url + "search/?q=drone%20strikes")
    page.locator("#search-page-results .search-result").first.wait_for()
    assert page.input_value("#search-page-input") == "drone strikes"
    snippet = page.locator("#search-page-results .search-result-snippet").first
    snippet.locator("mark").first.wait_for()
    page.fill("#search-page-input", "waziristan")
    page.wait_for_function("location.search === '?q=waziristan'")
    page.locator("#search-page-results .search-result a").first.click()
    page.wait_for_load_state()
    page.go_back()
    page.locator("#search-page-results .search-result").first.wait_for()
    assert page.input_value("#search-page-input") == "waziristan"


@pytest.mark.parametrize("query", ["title:", "pakistan:", "~", "^2", "+", "-", '"unclosed', "*", "a::b", "drone~", "+-+"])
def test_bad_queries_never_throw(page, example_url: str, query: str) -> None:
    page.goto(example_url + "search/")
    page.fill("#search-page-input", query)
    page.wait_for_function("document.querySelector('.search-status').textContent !== 'Searching…'"
                           " && document.querySelector('.search-status').textContent !== ''")
    text = page.inner_text("main")
    assert "result" in page.inner_text(".search-status").lower()
    assert ("No results" in text) or page.locator("#search-page-results .search-result").count() > 0
    assert page.errors == []


def test_field_wildcard_and_fuzzy_queries(page, example_url: str) -> None:
    page.goto(example_url + "search/?q=title:waziristan")
    page.locator("#search-page-results .search-result").first.wait_for()
    titles = page.locator("#search-page-results .search-result-title").all_inner_texts()
    assert set(titles) == {"North Waziristan", "Waziristan"}
    page.fill("#search-page-input", "wazir*")
    page.wait_for_timeout(500)
    assert page.locator("#search-page-results .search-result").count() >= 3
    page.fill("#search-page-input", "pakistn~1")
    page.wait_for_timeout(500)
    assert page.locator("#search-page-results .search-result").count() >= 3


def test_hostile_text_and_queries_are_shown_not_run(browser, tmp_path: Path) -> None:
    site = write_tree(tmp_path / "hostile", {
        "seeds/a.txt": '<img src=x onerror="window.__xss=1"> headline\n\nBody with <script>window.__xss=2</script> '
                       "and <b onmouseover=window.__xss=3>bold</b> words about onerror handlers.\n",
    })
    url = build_site(site)
    context = browser.new_context()
    tab = context.new_page()
    dialogs: list[str] = []
    tab.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    tab.goto(url + "search/?q=onerror")
    tab.locator("#search-page-results .search-result").first.wait_for()
    title = tab.locator(".search-result-title").first.inner_text()
    assert title.startswith('<img src=x onerror="window.__xss=1">')
    tab.fill("#search-page-input", '<img src=x onerror="window.__xss=4"> script')
    tab.wait_for_timeout(500)
    tab.fill("#search-input", "<script>window.__xss=5</script>")
    tab.wait_for_timeout(500)
    assert tab.evaluate("window.__xss") is None
    assert tab.locator("main img, #search-results img, main script").count() == 0
    assert dialogs == []
    context.close()


def _made_up_words(count: int, seed: int) -> list[str]:
    """Distinct pronounceable words ending in "a" (the stemmer leaves them alone), enough of them
    for the index to need several shards."""
    syllables = [c + v for c in "bdfgklmnprstvz" for v in "aeiou"]
    return [syllables[(seed * 7 + n) % 70] + syllables[(seed + n * 3) % 70] + syllables[n % 70] + "ka"
            for n in range(count)]


def _slowly(route) -> None:
    """A slow network: each file routed here arrives 100 ms after the last."""
    time.sleep(0.1)
    route.continue_()


def _kovaka(n: int) -> int:
    """How often story n has "kovaka": most in the first ten (the results shown, all in the first
    store block), then in one story of each block of 16 (the next results, spread over every block)."""
    return 9 if n < 10 else 5 if n % 16 == 8 else 1


@pytest.fixture(scope="module")
def sharded(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, dict, Path]:
    """A site of 240 stories in made-up words, "zebraka" in the first five, "kovaka" in all (see
    :func:`_kovaka`), its index in several
    shards and store blocks, its texts in files of their own: its URL, search manifest and folder."""
    seeds = {f"seeds/story-{n}.txt": f"Story number {n}\n\n" + " ".join(_made_up_words(300, n))
             + (" zebraka" if n < 5 else "") + " kovaka" * _kovaka(n) + ".\n" for n in range(240)}
    site = write_tree(tmp_path_factory.mktemp("sharded"), {"site.toml": "[search]\nshard_threshold = 10\n", **seeds})
    url = build_site(site)
    manifest = read_search_file((site / "public/search/manifest.js").read_bytes())
    assert len(manifest["shards"]) >= 3 and len(manifest["stores"]) >= 3
    return url, manifest, site


STATUSES = """window.__statuses = [];
      document.addEventListener('DOMContentLoaded', () => {
        const status = document.querySelector('.search-status');
        new MutationObserver(() => window.__statuses.push(status.textContent))
          .observe(status, {childList: true, characterData: true, subtree: true});
      });"""
"""Records every text the search page's status line shows, in window.__statuses."""

SHOWN_BLOCKS = """document.addEventListener('DOMContentLoaded', () => {
        const status = document.querySelector('.search-status');
        new MutationObserver(() => {
          if (window.__shownBlocks === undefined && status.textContent.endsWith(' results')) {
            window.__shownBlocks = performance.getEntriesByType('resource').filter(e => e.name.includes('/search/s/')).length;
          }
        }).observe(status, {childList: true, characterData: true, subtree: true});
      });"""
"""Records how many store blocks the page had fetched when it showed its results (window.__shownBlocks)."""

SHOWN_FILES = SHOWN_BLOCKS.replace("__shownBlocks", "__shownFiles").replace(
    ".filter(e => e.name.includes('/search/s/')).length", ".map(e => e.name)")
"""Records every file the page had fetched when it showed its results (window.__shownFiles)."""


def test_partial_results_while_shards_load_then_a_bounded_prefetch(browser, sharded: tuple[str, dict]) -> None:
    """A leading wildcard needs every shard: on a slow network the page says how far it got while
    they load (and never "No results" meanwhile), ends with the full count; then, when the browser
    is idle, it fetches the store blocks of the next results, each once and at most four, whatever
    the size of the site."""
    url, manifest, _ = sharded
    context = browser.new_context()
    context.add_init_script(STATUSES)
    tab = context.new_page()
    requested: list[str] = []
    tab.on("request", lambda request: requested.append(request.url))
    tab.route("**/search/i/**", _slowly)
    tab.goto(url + "search/?q=" + "*ka")
    tab.wait_for_function("document.querySelector('.search-status').textContent.endsWith('results')")
    statuses = tab.evaluate("window.__statuses")
    partial = [s for s in statuses if s.startswith("Searching\u2026 ") and " found in " in s]
    assert partial, statuses
    assert all(s.endswith(f" of {len(manifest['shards'])} parts of the index") for s in partial)
    assert not any(s.startswith("No results") for s in statuses)
    assert tab.inner_text(".search-status") == "240 results"
    context.close()

    context = browser.new_context()
    context.add_init_script(SHOWN_BLOCKS)
    tab = context.new_page()
    tab.on("request", lambda request: requested.append(request.url))
    requested.clear()
    tab.goto(url + "search/?q=" + "*ka")
    tab.wait_for_function("window.__shownBlocks !== undefined")  # 0 when the texts alone held what was shown
    shown = tab.evaluate("window.__shownBlocks")
    tab.wait_for_timeout(1500)
    stores = [r for r in requested if "/search/s/" in r]
    assert len(stores) == len(set(stores)), "each block fetched once"
    assert len(stores) <= shown + PREFETCH_BLOCKS < len(manifest["stores"]), (shown, stores)
    context.close()


def test_what_a_visit_fetches_after_its_first_query_is_bounded(browser, sharded: tuple[str, dict, Path]) -> None:
    """Once a query's results are shown, the page fetches their snippet texts and, when idle, at most
    PREFETCH_BLOCKS more store blocks, nothing else: bytes bounded by four blocks of 16 records,
    whatever the size of the site (its store is several times that). The results after the ten
    shown for "kovaka" are spread over every block."""
    url, manifest, site = sharded
    block_bytes = [(site / "public" / path).stat().st_size for path in manifest["stores"]]
    context = browser.new_context()
    context.add_init_script(SHOWN_FILES)
    tab = context.new_page()
    tab.goto(url + "search/?q=kovaka")
    shown = set(tab.wait_for_function("window.__shownFiles").json_value())
    assert tab.inner_text(".search-status") == "240 results"
    tab.wait_for_timeout(1500)
    entries = tab.evaluate("performance.getEntriesByType('resource').filter(e => e.name.includes('/search/'))"
                           ".map(e => [e.name, e.encodedBodySize])")
    later = [(name.split("/search/")[1], size) for name, size in entries if name not in shown]
    prefetched = [(path, size) for path, size in later if path.startswith("s/")]
    assert len(prefetched) <= PREFETCH_BLOCKS, prefetched
    assert sum(size for _, size in prefetched) <= PREFETCH_BLOCKS * max(block_bytes) < sum(block_bytes) / 3
    texts = [path for path, _ in later if path.startswith("f/")]
    assert len(later) == len(prefetched) + len(texts) and len(texts) <= 10, later
    context.close()


def test_the_results_shown_come_with_their_texts(browser, sharded: tuple[str, dict, Path]) -> None:
    """A text file's name follows from the result's ref and the manifest, and the file holds the
    result's record too: the page asks for the texts of the results it shows at once and shows them
    without a store block."""
    url, _, _ = sharded
    context = browser.new_context()
    context.add_init_script(SHOWN_FILES)
    tab = context.new_page()
    tab.goto(url + "search/?q=zebraka")
    files = tab.wait_for_function("window.__shownFiles").json_value()
    assert tab.locator("#search-page-results .search-result-title").count() == 5
    assert len([name for name in files if "/search/f/" in name]) == 5
    assert not [name for name in files if "/search/s/" in name], files
    context.close()


LAST_KEY = "document.addEventListener('input', () => { window.__lastKey = performance.now(); }, true);"
"""Records when the reader last typed in a search box (window.__lastKey)."""
TYPING_PAUSE = 80
"""How long after the last keystroke the page runs the search (search-ui.js: TYPING_PAUSE)."""


def test_typing_reads_the_texts_of_the_results_ahead(browser, sharded: tuple[str, dict, Path]) -> None:
    """As the reader types, once a word's shards are in, the page asks for the texts of the results
    it would show: when the typing pause runs the search, they are there or on their way."""
    url, _, _ = sharded
    context = browser.new_context()
    context.add_init_script(LAST_KEY)
    tab = context.new_page()
    tab.goto(url + "search/")
    tab.type("#search-page-input", "kovaka", delay=60)
    tab.wait_for_function("document.querySelector('.search-status').textContent === '240 results'")
    texts = "performance.getEntriesByType('resource').filter(e => e.name.includes('/search/f/'))"
    tab.wait_for_function(f"{texts}.length >= 10")
    asked = tab.evaluate(f"{texts}.map(e => e.startTime - window.__lastKey)")
    assert max(asked) < TYPING_PAUSE, asked
    context.close()


def test_a_query_whose_shards_are_in_is_drawn_once(browser, sharded: tuple[str, dict]) -> None:
    """Partial results are for a reader kept waiting: a two-shard query whose shards are already
    loaded shows its results at once, without first drawing (and fetching the store blocks of) the
    results of one shard."""
    url, manifest, _ = sharded
    first, last = _made_up_words(300, 0)[0], "zebraka"
    starts = [start for start, _ in manifest["shards"]]
    assert bisect.bisect(starts, first) != bisect.bisect(starts, last), "the two words are in different shards"
    context = browser.new_context()
    context.add_init_script(STATUSES)
    tab = context.new_page()
    tab.goto(url + "search/")
    tab.fill("#search-page-input", f"{first} {last}")
    tab.wait_for_function("document.querySelector('.search-status').textContent.endsWith('results')")
    tab.evaluate("window.__statuses = []")
    tab.fill("#search-page-input", f"{last} {first}")
    tab.press("#search-page-input", "Enter")
    tab.wait_for_timeout(300)
    statuses = tab.evaluate("window.__statuses")
    assert statuses and all(" found in " not in s for s in statuses), statuses
    context.close()


def test_results_come_ten_at_a_time(browser, tmp_path: Path) -> None:
    """The search page shows ten results (what a query downloads is the store blocks and snippet
    texts of the results shown); "Show more results" adds ten more."""
    site = write_tree(tmp_path / "many", {f"seeds/a{n:02}.txt": f"Harbour report {n}\n\nThe harbour was busy on day {n}.\n"
                                          for n in range(25)})
    context = browser.new_context()
    tab = context.new_page()
    tab.goto(build_site(site) + "search/?q=harbour")
    tab.locator("#search-page-results .search-result").first.wait_for()
    assert tab.inner_text(".search-status") == "25 results"
    assert tab.locator("#search-page-results .search-result").count() == 10
    tab.click(".search-more")
    tab.wait_for_function("document.querySelectorAll('#search-page-results .search-result').length === 20")
    tab.click(".search-more")
    tab.wait_for_function("document.querySelectorAll('#search-page-results .search-result').length === 25")
    assert tab.locator(".search-more").count() == 0
    context.close()


def test_search_works_from_disk(browser, sharded: tuple[str, dict, Path]) -> None:
    """Opened from disk, where browsers refuse fetch, the page loads the same search files as
    scripts: the header box and the search page find, mark and open results."""
    _, _, site = sharded
    public = site / "public"
    context = browser.new_context()
    tab = context.new_page()
    errors: list[str] = []
    tab.on("pageerror", lambda error: errors.append(str(error)))
    tab.goto((public / "search/index.html").as_uri() + "?q=zebraka")
    tab.wait_for_function("document.querySelector('.search-status').textContent === '5 results'")
    tab.locator("#search-page-results .search-result-snippet mark").first.wait_for()
    assert set(tab.locator("#search-page-results mark").all_inner_texts()) == {"zebraka"}
    article = next(public.glob("articles/*/index.html"))
    tab.goto(article.as_uri())
    tab.fill("#search-input", "zebraka")
    tab.locator("#search-results .search-result").first.wait_for()
    tab.locator("#search-results .search-result a").first.click()
    tab.wait_for_load_state()
    assert tab.url.startswith("file://") and "/articles/" in tab.url and tab.url.split("?")[0].endswith("/index.html")
    tab.locator("main mark.search-hit").first.wait_for()
    assert errors == []
    context.close()


def page_search(tab, url: str, query: str) -> dict:
    """The search page's status, titles and marks for ``query``."""
    tab.goto(url + "search/?q=" + quote(query))
    tab.wait_for_function("(() => { const s = document.querySelector('.search-status').textContent;"
                          " return s && !s.startsWith('Searching'); })()")
    items = tab.locator("#search-page-results .search-result")
    return {"status": tab.inner_text(".search-status"),
            "titles": tab.locator("#search-page-results .search-result-title").all_inner_texts(),
            "marks": [m.lower() for item in items.all() for m in item.locator(".search-result-snippet mark").all_inner_texts()],
            "matched": tab.locator("#search-page-results .search-result-matched").all_inner_texts()}


ARTICLE = "US Defense Secretary Panetta threatens ground intervention into Pakistan"


def test_query_forms_on_the_example_site(page, example_url: str) -> None:
    """The query forms of docs/search.md on the bundled article and glossary."""
    assert page_search(page, example_url, "Pakistan.")["titles"] == page_search(page, example_url, "pakistan")["titles"]
    assert page_search(page, example_url, '"safe haven"')["titles"][0] == ARTICLE
    typo = page_search(page, example_url, "pakistn")
    assert "similar" in typo["status"] and "pakistan" in typo["marks"]
    assert "too common" in page_search(page, example_url, "the")["status"]
    inflected = page_search(page, example_url, "attacking")
    assert inflected["marks"] and all(m.startswith("attack") for m in inflected["marks"])
    assert any(m.startswith("Matches: ") and "attacks" in m for m in inflected["matched"]), inflected["matched"]
    assert "villages" in page_search(page, example_url, "villages")["marks"], "the passage at the very end"
    marks = page_search(page, example_url, "pakistan")["marks"]
    assert "pakistan" in marks and not any(m.startswith("pakistani") for m in marks)
    page.goto(example_url)
    page.type("#search-input", "wazi", delay=30)
    page.wait_for_function("""() => {
        const marks = [...document.querySelectorAll('#search-results .search-result-snippet mark')];
        return marks.length > 0 && marks.every(m => m.textContent.toLowerCase().startsWith('wazi')); }""")
    assert page.errors == []


def test_escape_then_enter_never_opens_a_stale_result(page, example_url: str) -> None:
    """Arrow down to a result, Escape, Enter: the dropdown closes, the box has the focus, and Enter
    goes to the search page for what is typed, never to the result that was selected; no
    aria-activedescendant is left pointing anywhere."""
    page.goto(example_url + "glossary/")
    select_first_result(page, "islamabad")
    escape_to_the_box(page)
    page.keyboard.press("Enter")
    page.wait_for_url("**/search/?q=islamabad")


FOCUSED_PART = """(document.activeElement.closest('#search-results')
    && document.activeElement.closest('.search-result, .search-card, .search-all') || {}).className"""
"""The class of the part of the dropdown that has the focus (undefined outside it)."""


def test_results_are_reached_with_tab(page, example_url: str) -> None:
    """Tab goes from the box into the results (the glossary card's link first, then each result)."""
    page.goto(example_url + "glossary/")
    page.fill("#search-input", "drone")
    page.locator("#search-results .search-result").first.wait_for()
    links = page.evaluate("[...document.querySelectorAll('#search-results a')].length")
    reached = []
    for _ in range(links):
        page.keyboard.press("Tab")
        reached.append(page.evaluate(FOCUSED_PART))
    assert reached[0] and all(reached) and reached.count("search-result") >= 2, reached


AXE = "axe.run(document).then(r => r.violations.map(v => [v.id, v.impact, v.nodes.map(n => n.target.join(' '))]))"


def test_axe_finds_nothing_on_the_search_page_and_the_open_dropdown(page, example_url: str, axe_source: str) -> None:
    page.goto(example_url + "search/?q=drone")
    page.locator("#search-page-results .search-result-snippet mark").first.wait_for()
    page.fill("#search-input", "haqqani")
    page.locator("#search-results .search-result").first.wait_for()
    page.add_script_tag(content=axe_source)
    assert page.evaluate(AXE) == []
    page.goto(example_url + "glossary/")
    page.fill("#search-input", "waziristan")
    page.locator("#search-results .search-result").first.wait_for()
    page.add_script_tag(content=axe_source)
    assert page.evaluate(AXE) == []
