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
    box, marker = popover.bounding_box(), tab.locator(".footnote-ref a").first.bounding_box()
    assert box["y"] > marker["y"] and box["x"] >= 0 and box["x"] + box["width"] <= 375, \
        "the note expands below the line, inside the screen, instead of covering the text"
    tab.keyboard.press("Escape")
    screenshot(tab, "article-375.png")
    context.close()


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


@pytest.mark.parametrize("path", ["", ARTICLE, "glossary/", "glossary/haqqani-network/", "search/"])
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
