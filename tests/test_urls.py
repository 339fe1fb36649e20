"""URLs: every link is relative to the page that makes it."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from site_gen.urls import is_web_address, relative, relative_from

SEGMENTS = st.sampled_from(["articles", "glossary", "a", "b", "tags", "search", "feed.xml", "style.css"])
URLS = st.lists(SEGMENTS, max_size=4).map(lambda parts: "/".join(parts)) | st.lists(SEGMENTS, max_size=3).map(
    lambda parts: "".join(part + "/" for part in parts))


def test_relative_links() -> None:
    assert relative("articles/oil/", "articles/gas/") == "../gas/"
    assert relative("articles/oil/", "glossary/opec/") == "../../glossary/opec/"
    assert relative("articles/oil/", "") == "../../"
    assert relative("", "") == "./"
    assert relative("feed.xml", "articles/oil/") == "articles/oil/"


@given(URLS, URLS)
def test_one_page_links_as_relative_does(from_url: str, to_url: str) -> None:
    assert relative_from(from_url)(to_url) == relative(from_url, to_url)


def test_a_web_address_is_http_or_https_without_spaces() -> None:
    """Sources and citations: what is linked (and written as a Markdown autolink) and what is shown as text."""
    assert [is_web_address(v) for v in ("https://example.org/a?b=1", "http://x.org", "HTTPS://x.org", "https://",
                                         "https://x.org/a b", "https://x.org/<a>", "ftp://x.org", "See https://x.org",
                                         "Port Authority, 1999", None)] == [
        True, True, False, False, False, False, False, False, False, False]
