"""Live preview in Chromium: the open page reloads by itself after a save; a broken template's
error shows over the page until the next good save, readable in both colour schemes; warnings
wait behind a small badge and lead to their place on the page."""

from __future__ import annotations

from pathlib import Path

import pytest

from site_gen.serve.session import PreviewSession, Reports

from .conftest import SLUG, screenshot

pytestmark = pytest.mark.browser
SEED = "seeds/000_1b2b8db6055a75fe.txt"
AXE_RUN = ("axe.run(document).then(r => r.violations.filter(v => v.impact === 'serious' || v.impact === 'critical')"
           ".map(v => [v.id, v.nodes.map(n => n.target.join(' ') + ' ' + n.failureSummary)]))")


@pytest.fixture
def preview(example_site: Path):
    session = PreviewSession(example_site, "127.0.0.1", 0, reports=Reports(lambda line: None))
    session.start()
    yield session
    session.stop()


def test_page_reloads_after_an_edit_and_shows_errors(page, preview, example_site: Path, axe_source: str) -> None:
    url = f"http://127.0.0.1:{preview.server.server_address[1]}/articles/{SLUG}/"
    page.goto(url)
    page.wait_for_function("document.querySelector('script[data-epoch]') !== null")
    page.evaluate("window.__marker = 'before reload'")
    seed = example_site / SEED
    with page.expect_navigation(timeout=10_000):
        seed.write_text(seed.read_text().replace("Speaking in Kabul yesterday", "Speaking in Kabul on Thursday"))
    assert "on Thursday, US Defense Secretary" in page.inner_text("main")
    assert page.evaluate("window.__marker") is None, "the page really reloaded"
    templates = example_site / "templates"
    templates.mkdir()
    (templates / "article.html").write_text("{% extends 'base.html' %}{% block main %}{{ oops( }}{% endblock %}")
    overlay = page.locator("#site-gen-overlay")
    overlay.wait_for(timeout=10_000)
    text = overlay.inner_text()
    assert "Not updated: 1 error. The page shows the last good version." in text
    assert "templates/article.html:1" in text and "template syntax error" in text
    for scheme in ("light", "dark"):
        if scheme == "dark":
            page.click(".theme-toggle")
            page.wait_for_function("document.getElementById('site-gen-preview').dataset.scheme === 'dark'")
        screenshot(page, f"preview-overlay-{scheme}.png")
        page.add_script_tag(content=axe_source)
        assert page.evaluate(AXE_RUN) == [], f"{scheme} scheme"
    with page.expect_navigation(timeout=10_000):
        (templates / "article.html").unlink()
    page.locator("#site-gen-badge").wait_for()
    assert page.locator("#site-gen-overlay").is_hidden() and page.locator("#site-gen-badge").inner_text() == "2 warnings"


def test_warnings_wait_behind_a_badge_and_show_their_place(page, preview) -> None:
    page.goto(f"http://127.0.0.1:{preview.server.server_address[1]}/articles/{SLUG}/")
    badge = page.locator("#site-gen-badge")
    badge.wait_for()
    assert badge.inner_text() == "1 warning" and badge.get_attribute("aria-expanded") == "false"
    assert page.locator("#site-gen-overlay").is_hidden(), "warnings do not cover the page"
    badge.click()
    overlay = page.locator("#site-gen-overlay")
    assert "cross-reference to an article that is not in the site" in overlay.inner_text()
    overlay.get_by_role("button", name="Show it on the page").click()
    marked = page.evaluate("""[...document.querySelectorAll('main p')].filter(p => p.style.outline)
                              .map(p => p.textContent)""")
    assert len(marked) == 1 and "(See: Obama’s role in the selection of drone missile targets)" in marked[0]
    overlay.get_by_role("button", name="Hide").click()
    assert overlay.is_hidden() and page.evaluate("document.activeElement.id") == "site-gen-preview"
