"""The reading experience in a real browser: popovers, sidenotes, dark mode, no-JS, accessibility."""

from __future__ import annotations

import pytest

from .conftest import SLUG, screenshot

pytestmark = pytest.mark.browser
ARTICLE = f"articles/{SLUG}/"


def test_glossary_popover_opens_on_click_and_closes_on_escape(page, example_url: str) -> None:
    page.goto(example_url + ARTICLE)
    term = page.locator("a.term[data-term=haqqani-network]")
    term.click()
    popover = page.locator("#popover")
    assert popover.is_visible()
    assert "Haqqani network" in popover.inner_text() and "Afghan insurgent group" in popover.inner_text()
    assert term.get_attribute("aria-expanded") == "true" and term.get_attribute("aria-describedby") == "popover"
    assert popover.get_attribute("role") == "dialog"
    assert page.url.endswith(ARTICLE), "the first click opens the popover instead of leaving the page"
    page.keyboard.press("Escape")
    assert popover.count() == 0
    assert page.evaluate("document.activeElement.dataset.term") == "haqqani-network"
    assert page.errors == []


def test_popover_opens_on_keyboard_focus_and_is_reachable(page, example_url: str) -> None:
    page.goto(example_url + ARTICLE)
    page.evaluate("document.querySelector('.article-body').previousElementSibling.setAttribute('tabindex','-1')")
    page.focus(".article-header")
    for _ in range(40):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.matches('a.term')"):
            break
    assert page.evaluate("document.activeElement.matches('a.term')")
    popover = page.locator("#popover")
    assert popover.is_visible()
    page.keyboard.press("Tab")
    assert page.evaluate("document.getElementById('popover').contains(document.activeElement)"), \
        "Tab moves into the popover (its close button and link)"
    page.keyboard.press("Escape")
    assert page.locator("#popover").count() == 0


def test_sidenotes_in_the_margin_on_wide_screens(page, example_url: str) -> None:
    page.goto(example_url + ARTICLE)
    body = page.locator(".article-body p").first.bounding_box()
    note = page.locator("#sn1").bounding_box()
    assert note is not None and note["x"] >= body["x"] + body["width"]
    assert not page.locator(".footnotes").is_visible()
    screenshot(page, "article-1400.png")


NOTE_TEXTS = """Array.from(document.querySelectorAll('.footnote-item')).map(item =>
  item.textContent.split('Sources:')[0].replace('\u21a9\ufe0e', '').replace(/\\s+/g, ' ').trim())"""


@pytest.mark.parametrize("reading", ["1400 px", "375 px", "without CSS", "without CSS or JavaScript"])
def test_each_note_is_read_once(browser, example_url: str, reading: str) -> None:
    """The text the browser renders (``innerText``) holds each note once: the sidenote in the margin,
    or the footnote, never both; without CSS (reader mode, a text browser) the footnote."""
    context = browser.new_context(viewport={"width": 375 if reading == "375 px" else 1400, "height": 900},
                                  java_script_enabled=reading != "without CSS or JavaScript")
    tab = context.new_page()
    tab.goto(example_url + ARTICLE)
    if reading.startswith("without CSS"):
        tab.evaluate("document.querySelectorAll('link[rel=stylesheet], style').forEach(sheet => sheet.remove())")
    assert (tab.evaluate("document.styleSheets.length") == 0) == reading.startswith("without CSS")
    notes = tab.evaluate(NOTE_TEXTS)
    shown = tab.evaluate("document.body.innerText.replace(/\\s+/g, ' ')")
    assert len(notes) == 10 and [note[:60] for note in notes if shown.count(note) != 1] == []
    assert "Speaking in Kabul yesterday[1]" in shown, "the marker keeps its brackets"
    context.close()


def test_footnotes_and_no_horizontal_scroll_on_phones(browser, example_url: str) -> None:
    context = browser.new_context(viewport={"width": 375, "height": 800}, is_mobile=True)
    tab = context.new_page()
    tab.goto(example_url + ARTICLE)
    assert not tab.locator("#sn1").is_visible()
    assert tab.locator(".footnotes").is_visible()
    assert tab.evaluate("document.documentElement.scrollWidth") <= 375
    tab.locator(".footnote-ref a").first.click()
    popover = tab.locator("#popover")
    assert popover.is_visible() and "Kabul unannounced" in popover.inner_text()
    tab.keyboard.press("Escape")
    context.close()


# Where the text after a link is, in page coordinates, and the height of its paragraph.
LINE_AFTER = """trigger => {
    const range = document.createRange();
    let text = trigger.nextSibling;
    while (text.nodeType !== Node.TEXT_NODE) text = text.nextSibling;  // past the popover, once open
    range.setStart(text, 1); range.setEnd(text, 2);
    const rect = range.getBoundingClientRect();
    return [rect.left, rect.top + scrollY, trigger.closest('p').getBoundingClientRect().height];
}"""


def test_a_popover_on_a_phone_is_a_sheet_that_leaves_the_sentence_on_its_line(browser, example_url: str) -> None:
    context = browser.new_context(viewport={"width": 375, "height": 740}, is_mobile=True, device_scale_factor=2)
    tab = context.new_page()
    tab.goto(example_url + ARTICLE)
    term = tab.locator("a.term[data-term=haqqani-network]")
    term.scroll_into_view_if_needed()
    tab.evaluate("window.scrollBy(0, 200)")
    before = term.evaluate(LINE_AFTER)
    term.click()
    popover = tab.locator("#popover")
    assert "Afghan insurgent group" in popover.inner_text()
    assert term.evaluate(LINE_AFTER) == before, "the words after the link stay where they were, on the same line"
    sheet, link = popover.bounding_box(), term.bounding_box()
    assert sheet["x"] <= 1 and sheet["width"] >= 373 and abs(sheet["y"] + sheet["height"] - 740) <= 1, \
        "a sheet along the bottom of the screen"
    assert 0 <= link["y"] and link["y"] + link["height"] <= sheet["y"], "the link's line stays in view above the sheet"
    assert tab.evaluate("document.documentElement.scrollWidth") <= 375
    screenshot(tab, "phone-popover-375.png")
    tab.keyboard.press("Escape")
    assert popover.count() == 0
    context.close()


# Each sidenote's top, its marker's top, its height and line height, and whether it is collapsed.
NOTES = """() => [...document.querySelectorAll('.sidenote')].map(note => {
    const marker = document.getElementById('fnref' + note.id.slice(2)).getBoundingClientRect();
    const box = note.getBoundingClientRect();
    return {id: note.id, top: box.top, bottom: box.bottom, marker: marker.top, height: box.height,
            line: parseFloat(getComputedStyle(note).lineHeight), collapsed: note.classList.contains('is-collapsed')};
})"""


def test_sidenotes_start_by_their_markers_and_dense_ones_collapse(page, example_url: str) -> None:
    """Each note starts within 1.5 lines of its marker; one pushed further down by the notes above
    is collapsed to at most three lines and starts above the next note's marker. Notes never overlap."""
    page.goto(example_url + ARTICLE)
    page.wait_for_load_state("load")
    line = page.evaluate("parseFloat(getComputedStyle(document.querySelector('.article-body')).lineHeight)")
    notes = page.evaluate(NOTES)
    assert len(notes) == 10
    for note, following in zip(notes, [*notes[1:], None], strict=True):
        offset = note["top"] - note["marker"]
        assert offset >= -2, note
        if offset > 1.5 * line:
            assert note["collapsed"] and note["height"] <= 3 * note["line"] + 1, note
        if following:
            assert note["top"] < following["marker"], f"{note['id']} starts beside the next note's line"
            assert note["bottom"] <= following["top"], f"{note['id']} overlaps {following['id']}"
    assert any(note["collapsed"] for note in notes), "the example's dense notes need collapsing"
    screenshot(page, "article-1400-dense-notes.png")


def test_a_collapsed_sidenote_expands_in_place_on_click_and_on_focus(page, example_url: str) -> None:
    page.goto(example_url + ARTICLE)
    collapsed = page.locator(".sidenote.is-collapsed").first
    box = collapsed.bounding_box()
    more = collapsed.locator(".sidenote-more")
    assert more.get_attribute("aria-expanded") == "false" and "more" in more.inner_text()
    more.click()
    expanded = collapsed.bounding_box()
    assert expanded["y"] == box["y"] and expanded["height"] > box["height"] + 10, "it grows downwards, where it is"
    assert more.get_attribute("aria-expanded") == "true"
    page.keyboard.press("Escape")
    assert collapsed.bounding_box()["height"] == box["height"]
    link = page.locator(".sidenote.is-collapsed a[href^=http]").first
    link.focus()
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Tab")
    assert link.evaluate("a => a.matches(':focus-visible')")
    note = link.locator("xpath=ancestor::span[contains(@class,'sidenote')][1]")
    assert note.bounding_box()["height"] > 3 * note.evaluate("n => parseFloat(getComputedStyle(n).lineHeight)") + 5, \
        "a link inside a collapsed note shows the whole note when it has keyboard focus"


def test_dark_mode_toggles_and_persists(page, example_url: str) -> None:
    page.goto(example_url + ARTICLE)
    light = page.evaluate("getComputedStyle(document.body).backgroundColor")
    page.click(".theme-toggle")
    assert page.evaluate("document.documentElement.dataset.theme") == "dark"
    assert page.locator(".theme-toggle").get_attribute("aria-pressed") == "true"
    page.goto(example_url + "glossary/")
    assert page.evaluate("document.documentElement.dataset.theme") == "dark"
    dark = page.evaluate("getComputedStyle(document.body).backgroundColor")
    assert dark != light
    page.click(".theme-toggle")
    page.reload()
    assert page.evaluate("document.documentElement.dataset.theme") == "light"


def test_complete_without_javascript(browser, example_url: str) -> None:
    context = browser.new_context(java_script_enabled=False, viewport={"width": 375, "height": 800})
    tab = context.new_page()
    tab.goto(example_url + ARTICLE)
    assert tab.locator(".footnotes li").count() == 10
    assert tab.locator(".footnotes").is_visible()
    href = tab.locator("a.term[data-term=haqqani-network]").get_attribute("href")
    tab.locator("a.term[data-term=haqqani-network]").click()
    assert tab.url.endswith("glossary/haqqani-network/") and href == "../../glossary/haqqani-network/"
    assert "Where it is used" in tab.inner_text("main")
    tab.goto(example_url + "search/")
    assert "Search needs JavaScript" in tab.inner_text("main")
    context.close()


@pytest.mark.parametrize("path", ["", ARTICLE, "about/", "glossary/", "glossary/haqqani-network/", "tags/",
                                  "tags/drones/", "search/", "404.html"])
def test_no_serious_accessibility_violations(page, example_url: str, axe_source: str, path: str) -> None:
    page.goto(example_url + path)
    page.add_script_tag(content=axe_source)
    violations = page.evaluate("axe.run(document).then(r => r.violations.map(v => [v.id, v.impact, v.nodes.length]))")
    serious = [v for v in violations if v[1] in ("serious", "critical")]
    assert serious == [], serious


def test_no_serious_accessibility_violations_in_dark_mode(page, example_url: str, axe_source: str) -> None:
    page.goto(example_url + ARTICLE)
    page.click(".theme-toggle")
    page.add_script_tag(content=axe_source)
    violations = page.evaluate("axe.run(document).then(r => r.violations.map(v => [v.id, v.impact, v.nodes.length]))")
    assert [v for v in violations if v[1] in ("serious", "critical")] == []


def test_a_link_into_a_note_shows_its_sidenote_on_wide_screens(page, example_url: str) -> None:
    """The concordance links to every use, those in notes too: with the footnotes hidden beside
    the margin, the sidenote is shown (opened, marked, scrolled to) instead."""
    page.goto(example_url + ARTICLE + "#t-haqqani-network-5")
    note = page.locator("#sn5")
    assert "is-highlighted" in note.get_attribute("class")
    box = note.bounding_box()
    assert 0 <= box["y"] and box["y"] + box["height"] <= 900
    assert not page.locator("#t-haqqani-network-5").is_visible()


def test_print_has_endnotes_with_sources_and_nothing_to_click(page, example_url: str) -> None:
    page.goto(example_url + ARTICLE)
    page.emulate_media(media="print")
    assert page.locator(".footnotes").is_visible()
    notes = page.locator(".footnotes-list > li")
    assert notes.count() == 10
    assert "Sources: https://en.wikipedia.org/wiki/2011_NATO_attack_in_Pakistan" in notes.nth(1).inner_text()
    assert page.evaluate("getComputedStyle(document.querySelector('.footnotes-list')).listStyleType") == "decimal"
    visible = """sel => [...document.querySelectorAll(sel)].filter(e => e.getClientRects().length > 0).length"""
    for selector in (".footnote-backref", "button", ".sidenote", ".site-header", ".site-search", ".pager", "input"):
        assert page.evaluate(visible, selector) == 0, selector
    assert page.locator(".print-url").inner_text() == example_url + ARTICLE
    assert page.locator(".footnote-ref").first.inner_text() == "1", "a superscript number, no brackets"
    term = page.locator("a.term").first
    assert term.evaluate("a => getComputedStyle(a).textDecorationStyle") == "dotted"
    page.set_viewport_size({"width": 794, "height": 1123})
    screenshot(page, "print-article.png")
