"""The built site obeys the Content-Security-Policy that netlify.toml sends, in Chromium, while a
reader uses popovers, the theme toggle and search; and it works from disk and under a subpath."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from site_gen.config import load_config
from site_gen.pipeline import BuildOptions, build

from ..conftest import REPO, write_tree
from .conftest import SLUG, build_site

pytestmark = pytest.mark.browser
HASHED = re.compile(r"\.[0-9a-f]{10}\.[a-z0-9]+$")


def netlify_headers(path: str) -> dict[str, str]:
    """The headers netlify.toml assigns to ``path`` (later, more specific rules win)."""
    rules = tomllib.loads((REPO / "netlify.toml").read_text())["headers"]
    headers: dict[str, str] = {}
    for rule in rules:
        pattern = rule["for"]
        if pattern == path or (pattern.endswith("*") and path.startswith(pattern[:-1])):
            headers.update(rule["values"])
    return headers


def test_cache_headers_match_the_file_names(tree) -> None:
    """Every file a build writes whose name carries a content hash is cached for good, every other
    one revalidated: a new kind of hashed file without its rule fails here."""
    seeds = {f"seeds/story-{n}.txt": f"Story {n}\n\n" + f"Markets met in Karachi on day {n}. " * 2000 + "\n" for n in range(5)}
    result = build(load_config(tree({"site.toml": "[search]\nshard_threshold = 2\n", **seeds})), BuildOptions(write=False))
    paths = [file.path for file in (*result.outputs, *result.search.files)]
    hashed = [path for path in paths if HASHED.search(path)]
    assert {path.split("/")[1] for path in hashed if path.startswith("search/")} == {"i", "s", "f", "l"}
    for path in paths:
        expected = "immutable" if path in hashed else "must-revalidate"
        assert expected in netlify_headers("/" + path)["Cache-Control"], path
    assert "must-revalidate" in netlify_headers("/articles/x/")["Cache-Control"]
    headers = netlify_headers("/")
    assert headers["X-Content-Type-Options"] == "nosniff" and headers["Referrer-Policy"]


@pytest.mark.parametrize("path", ["", f"articles/{SLUG}/", "glossary/", "glossary/haqqani-network/",
                                  "search/?q=drone", "404.html"])
def test_pages_obey_the_content_security_policy(browser, example_url: str, path: str) -> None:
    context = browser.new_context(viewport={"width": 1400, "height": 900})

    def with_headers(route) -> None:
        response = route.fetch()
        headers = {**response.headers, **netlify_headers(urlsplit(route.request.url).path)}
        route.fulfill(response=response, headers=headers)

    context.route("**/*", with_headers)
    tab = context.new_page()
    violations: list[str] = []
    tab.on("console", lambda message: violations.append(message.text) if "Content Security Policy" in message.text
           else None)
    tab.goto(example_url + path)
    tab.evaluate("""() => { window.__csp = []; document.addEventListener('securitypolicyviolation',
        e => window.__csp.push(e.violatedDirective + ' ' + e.blockedURI)); }""")
    if "articles/" in path:
        tab.click("a.term[data-term=haqqani-network]")
        tab.click(".theme-toggle")
        tab.fill("#search-input", "drone")
        tab.locator("#search-results .search-result").first.wait_for()
    if "search/" in path:
        tab.locator("#search-page-results .search-result").first.wait_for()
    tab.wait_for_timeout(200)
    assert violations == [] and tab.evaluate("window.__csp") == []
    context.close()


def test_works_under_a_subpath_and_from_disk(browser, tmp_path: Path) -> None:
    site = write_tree(tmp_path / "sub", {
        "site.toml": '[site]\nbase_url = "https://example.github.io/reader/"\n',
        "seeds/a.txt": "First article\n\nAnn 1 May 2020\n\nSee the other one. (See: Second article)\n",
        "seeds/b.txt": "Second article\n\nAnn 2 May 2020\n\nBody.\n",
    })
    url = build_site(site)
    mounted = tmp_path / "mount" / "reader"
    mounted.parent.mkdir()
    mounted.symlink_to(site / "public", target_is_directory=True)
    base = build_site_root(tmp_path / "mount")
    tab = browser.new_page()
    tab.goto(base + "reader/articles/first-article/")
    tab.click("text=Second article")
    assert tab.url == base + "reader/articles/second-article/"
    tab.click(".site-title")
    assert tab.url == base + "reader/"
    sitemap = (site / "public/sitemap.xml").read_text()
    assert "<loc>https://example.github.io/reader/articles/first-article/</loc>" in sitemap
    tab.goto((site / "public/articles/first-article/index.html").as_uri())
    tab.click("text=Second article")
    assert tab.url.endswith("/articles/second-article/index.html")
    assert "Body." in tab.inner_text("main")
    tab.close()
    assert url


def build_site_root(folder: Path) -> str:
    """Serve ``folder`` as it is (the site mounted under a subpath of it)."""
    from .conftest import _serve

    return _serve(str(folder))


STYLED = "getComputedStyle(document.querySelector('.site-header')).display === 'flex'"


def test_the_404_page_works_for_a_missing_page_under_a_subpath(browser, tmp_path: Path) -> None:
    """With base_url set, the host's 404 page for a missing address deep in the site (here the
    address is answered with it, as a host does) is styled and its links lead into the site."""
    site = write_tree(tmp_path / "sub", {
        "site.toml": '[site]\nbase_url = "https://example.github.io/reader/"\n',
        "seeds/a.txt": "First article\n\nAnn 1 May 2020\n\nBody.\n",
    })
    build_site(site)
    mounted = tmp_path / "mount" / "reader"
    mounted.parent.mkdir()
    mounted.symlink_to(site / "public", target_is_directory=True)
    base = build_site_root(tmp_path / "mount")
    not_found = (site / "public" / "404.html").read_bytes()
    context = browser.new_context()
    context.route("**/reader/articles/gone/", lambda route: route.fulfill(status=404, body=not_found,
                                                                          content_type="text/html"))
    tab = context.new_page()
    tab.goto(base + "reader/articles/gone/")
    assert tab.evaluate(STYLED)
    tab.click(".site-title")
    assert tab.url == base + "reader/"
    context.close()


def test_the_404_page_without_base_url_works_from_disk(browser, tmp_path: Path) -> None:
    site = write_tree(tmp_path / "plain", {"seeds/a.txt": "First article\n\nAnn 1 May 2020\n\nBody.\n"})
    build_site(site)
    tab = browser.new_page()
    tab.goto((site / "public" / "404.html").as_uri())
    assert tab.evaluate(STYLED)
    tab.click(".site-title")
    assert tab.url == (site / "public" / "index.html").as_uri()
    tab.close()
