"""Browser tests: Playwright driving Debian's Chromium against built sites served on 127.0.0.1.

Skipped with a reason where /usr/bin/chromium is missing (a user's machine); in CI they must run.
Screenshots go to tests/output/ for a person to look at.
"""

from __future__ import annotations

import functools
import http.server
import shutil
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from site_gen.config import load_config
from site_gen.pipeline import BuildOptions, build
from site_gen.serve.session import PreviewSession, Reports

from ..conftest import IN_CI, REPO
from ..test_fetch_vendor import fetch_vendor

CHROMIUM = Path("/usr/bin/chromium")
AXE = REPO / "tests" / ".vendor" / "axe.min.js"
OUTPUT = REPO / "tests" / "output"
SLUG = "us-defense-secretary-panetta-threatens-ground-intervention-into-pakistan"
LAUNCH_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]


def _need(condition: bool, reason: str) -> None:
    if not condition:
        if IN_CI:
            pytest.fail(f"{reason} (browser tests must run in CI)")
        pytest.skip(reason)


@pytest.fixture(scope="session")
def browser():
    _need(CHROMIUM.exists(), "Debian's chromium is not installed (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=LAUNCH_ARGS)
        yield instance
        instance.close()


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args) -> None:
        pass


@functools.cache
def _serve(folder: str) -> str:
    handler = functools.partial(_QuietHandler, directory=folder)
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return f"http://127.0.0.1:{server.server_address[1]}/"


def build_site(root: Path) -> str:
    """Build the site in ``root`` and serve its output; returns the base URL."""
    result = build(load_config(root), BuildOptions())
    assert result.ok, result.diagnostics.format()
    return _serve(str(root / "public"))


@pytest.fixture(scope="session")
def example_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    site = tmp_path_factory.mktemp("browser") / "example"
    site.mkdir()
    shutil.copy(REPO / "site.toml", site / "site.toml")
    shutil.copytree(REPO / "seeds", site / "seeds")
    shutil.copytree(REPO / "content", site / "content")
    return build_site(site)


@pytest.fixture
def page(browser) -> Iterator:
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    tab = context.new_page()
    errors: list[str] = []
    tab.on("pageerror", lambda error: errors.append(str(error)))
    tab.errors = errors
    yield tab
    context.close()


@pytest.fixture(scope="session")
def axe_source() -> str:
    """axe-core's own axe.min.js, fetched (with its licences) by scripts/fetch_vendor.py, which checks
    the package's and the file's checksums; a copy that differs from the pinned one is fetched again."""
    fetched = AXE.exists() and not fetch_vendor.problems(REPO)
    if not fetched and shutil.which("npm"):
        subprocess.run([sys.executable, str(REPO / "scripts" / "fetch_vendor.py"), "axe-core"], check=True)
    _need(AXE.exists(), "axe-core is not available (python scripts/fetch_vendor.py axe-core needs npm)")
    assert not fetch_vendor.problems(REPO)
    return AXE.read_text(encoding="utf-8")


def select_first_result(tab, query: str) -> None:
    """Type ``query`` in the header search box, wait for its results, and arrow down to the first."""
    tab.fill("#search-input", query)
    tab.locator("#search-results .search-result").first.wait_for()
    tab.keyboard.press("ArrowDown")
    assert tab.evaluate("document.activeElement.closest('#search-results .search-result') !== null")


def escape_to_the_box(tab) -> None:
    """Escape from a selected result: the dropdown closes, the box has the focus, the arrows no
    longer reach into the closed dropdown, and no aria-activedescendant points at a missing element."""
    tab.keyboard.press("Escape")
    assert tab.locator("#search-results").is_hidden()
    assert tab.evaluate("document.activeElement.id") == "search-input"
    tab.keyboard.press("ArrowDown")
    assert tab.evaluate("document.activeElement.id") == "search-input", "arrows never reach a closed dropdown"
    assert tab.evaluate("""[...document.querySelectorAll('[aria-activedescendant]')]
        .filter(e => !document.getElementById(e.getAttribute('aria-activedescendant'))).length""") == 0


def screenshot(tab, name: str) -> Path:
    OUTPUT.mkdir(parents=True, exist_ok=True)
    path = OUTPUT / name
    tab.screenshot(path=str(path), full_page=False)
    return path


@pytest.fixture
def preview(example_site: Path) -> Iterator[PreviewSession]:
    """Live preview of a copy of the example site, with the annotation workbench."""
    session = PreviewSession(example_site, "127.0.0.1", 0, reports=Reports(lambda line: None), edits=True)
    session.start()
    yield session
    session.stop()
