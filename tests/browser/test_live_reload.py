"""Live preview in Chromium: the open page reloads by itself after a save, and shows a broken
template's error over the page until the next good save."""

from __future__ import annotations

from pathlib import Path

import pytest

from site_gen.serve.session import PreviewSession

from .conftest import SLUG

pytestmark = pytest.mark.browser
SEED = "seeds/000_1b2b8db6055a75fe.txt"


def test_page_reloads_after_an_edit_and_shows_errors(page, example_site: Path) -> None:
    session = PreviewSession(example_site, "127.0.0.1", 0, report=lambda line: None)
    session.start()
    try:
        url = f"http://127.0.0.1:{session.server.server_address[1]}/articles/{SLUG}/"
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
        assert "templates/article.html:1" in overlay.inner_text() and "template syntax error" in overlay.inner_text()
        (templates / "article.html").unlink()
        page.wait_for_function("document.getElementById('site-gen-overlay') === null", timeout=10_000)
    finally:
        session.stop()
