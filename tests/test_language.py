"""Language tags, their direction, and the script a text is mostly written in."""

from __future__ import annotations

import io
import json
import re
import xml.etree.ElementTree as ET
import zipfile
from html.parser import HTMLParser
from pathlib import Path

import pytest

from site_gen.config import load_config
from site_gen.epub import make_epub
from site_gen.language import _RTL_LETTER, Direction, is_language_tag, language_direction, script_direction, text_direction
from site_gen.pipeline import build

from .html_tree import parse
from .test_epub import epubcheck


@pytest.mark.parametrize("tag,direction", [
    ("ar", "rtl"), ("he", "rtl"), ("fa", "rtl"), ("ur", "rtl"), ("yi", "rtl"), ("arb", "rtl"), ("ydd", "rtl"),
    ("ms-Arab", "rtl"), ("ar-Latn", "ltr"), ("en", "ltr"), ("ka", "ltr"), ("zh-Hans", "ltr"), ("pt_BR", "ltr"),
])
def test_direction_of_a_language(tag: str, direction: str) -> None:
    assert language_direction(tag) == direction


@pytest.mark.parametrize("tag,valid", [("en", True), ("pt-BR", True), ("zh-Hant-TW", True), ("arb", True),
                                       ("", False), ("e", False), ("en_US!", False), ("english language", False)])
def test_language_tags(tag: str, valid: bool) -> None:
    assert is_language_tag(tag) is valid


@pytest.mark.parametrize("text,expected", [
    ("الإعلان العالمي لحقوق الإنسان", ("rtl", "ARABIC")),
    ("הכרזה לכל באי עולם (1948)", ("rtl", "HEBREW")),
    ("ܒܘܕܩܐ ܬܝܒ݂ܠܝܐ", ("rtl", "SYRIAC")),
    ("Universal Declaration, الإعلان", ("ltr", "LATIN")),  # fewer than half the letters
    ("Всеобщая декларация", ("ltr", "CYRILLIC")),
    ("1948 — 1998", ("", "")),
])
def test_script_of_a_text(text: str, expected: tuple[str, str]) -> None:
    assert script_direction(text) == Direction(*expected)


def test_right_to_left_letters_are_the_letters_of_those_blocks() -> None:
    """Every code point of the right-to-left blocks and around them: a letter (not a digit, mark or
    punctuation) of those blocks is found, nothing else."""
    blocks = [(0x0590, 0x08FF), (0xFB1D, 0xFDFF), (0xFE70, 0xFEFE), (0x10800, 0x10FFF), (0x1E800, 0x1EFFF)]
    points = [point for first, last in blocks for point in range(first - 64, last + 65)]
    text = "".join(chr(point) for point in points)
    expected = [index for index, point in enumerate(points)
                if any(first <= point <= last for first, last in blocks) and re.fullmatch(r"[^\W\d_]", chr(point))]
    assert [match.start() for match in _RTL_LETTER.finditer(text)] == expected
    assert len(expected) > 1000


def test_a_script_contradicting_the_site_language_decides_unless_the_text_has_its_own() -> None:
    arabic = "الإعلان العالمي لحقوق الإنسان"
    assert text_direction("en", False, arabic) == Direction("rtl", "ARABIC")
    assert text_direction("en", True, arabic) == Direction("ltr")  # the editor said so
    assert text_direction("ar", False, arabic) == Direction("rtl")
    assert text_direction("ar", False, "An English text") == Direction("ltr", "LATIN")
    assert text_direction("en", False, "An English text") == Direction("ltr")


class _Attributes(HTMLParser):
    """The lang and dir of the html element, the article and the article links of a page."""

    def __init__(self) -> None:
        super().__init__()
        self.found: dict[str, dict[str, str | None]] = {}
        self.links: list[dict[str, str | None]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag in ("html", "article"):
            self.found[tag] = {"lang": values.get("lang"), "dir": values.get("dir")}
        if "article-link" in (values.get("class") or ""):
            self.links.append({"lang": values.get("lang"), "dir": values.get("dir")})


def attributes(path: Path) -> _Attributes:
    parser = _Attributes()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


ARABIC = "الإعلان العالمي لحقوق الإنسان\n\nلكل إنسان حق التمتع بكافة الحقوق والحريات الواردة في هذا الإعلان.\n"


def test_pages_carry_their_language_and_direction(tree) -> None:
    site = tree({"seeds/arb.txt": ARABIC, "seeds/arb.yml": "language: ar\n", "seeds/eng.txt": "Title\n\nSome text.\n"})
    result = build(load_config(site))
    assert result.diagnostics.warnings == 0
    arabic = attributes(site / "public/articles/l-ln-l-lmy-lhqwq-lnsn/index.html")
    assert arabic.found == {"html": {"lang": "en", "dir": "ltr"}, "article": {"lang": "ar", "dir": "rtl"}}
    english = attributes(site / "public/articles/title/index.html")
    assert english.found["article"] == {"lang": None, "dir": None}, "the site's language is said once, on <html>"
    home = attributes(site / "public/index.html")
    assert sorted(home.links, key=str) == sorted([{"lang": "ar", "dir": "rtl"}, {"lang": None, "dir": None}], key=str)
    front = (site / "content/articles/l-ln-l-lmy-lhqwq-lnsn.md").read_text(encoding="utf-8")
    assert '\nlanguage: "ar"\n' in front


XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


def test_the_feed_search_and_book_say_each_articles_language(tree, tmp_path: Path) -> None:
    """Where a format has a place for it, a text in another language than the site's says which:
    ``xml:lang`` in the Atom feed, ``lang``/``dir`` in the search store (set by the results page),
    ``lang``/``xml:lang``/``dir`` and ``dc:language`` in the EPUB."""
    site = tree({"seeds/arb.txt": ARABIC, "seeds/arb.yml": "language: ar\nslug: arabic\n",
                 "seeds/eng.txt": "Title\n\nAnn Author 1 May 2020\n\nSome text.\n"})
    result = build(load_config(site))
    assert result.diagnostics.warnings == 0

    feed = ET.fromstring((site / "public/feed.xml").read_bytes())
    assert feed.get(XML_LANG) == "en"
    languages = {entry.findtext("{http://www.w3.org/2005/Atom}title"): entry.get(XML_LANG)
                 for entry in feed.iter("{http://www.w3.org/2005/Atom}entry")}
    assert languages == {"الإعلان العالمي لحقوق الإنسان": "ar", "Title": None}

    records = [record for store in sorted((site / "public/search/s").iterdir())
               for record in json.loads(store.read_text(encoding="utf-8").removeprefix("siteGenSearch(")[:-3])]
    said = {record["t"]: (record.get("l"), record.get("r")) for record in records}
    assert said == {"الإعلان العالمي لحقوق الإنسان": ("ar", "rtl"), "Title": (None, None)}

    data = make_epub(result.site, result.build_date)
    (tmp_path / "book.epub").write_bytes(data)
    epubcheck(tmp_path / "book.epub")
    book = zipfile.ZipFile(io.BytesIO(data))
    opf = ET.fromstring(book.read("OEBPS/content.opf"))
    assert [e.text for e in opf.iter("{http://purl.org/dc/elements/1.1/}language")] == ["en", "ar"]
    for name, language, direction in (("text/arabic.xhtml", "ar", "rtl"), ("text/title.xhtml", "en", "ltr"),
                                      ("nav.xhtml", "en", "ltr")):
        page = ET.fromstring(book.read(f"OEBPS/{name}"))
        assert (page.get("lang"), page.get(XML_LANG), page.get("dir")) == (language, language, direction), name
    nav = ET.fromstring(book.read("OEBPS/nav.xhtml"))
    links = {a.get("href"): (a.get("lang"), a.get(XML_LANG), a.get("dir"))
             for a in nav.iter("{http://www.w3.org/1999/xhtml}a") if a.get("href", "").startswith("text/")}
    assert links == {"text/arabic.xhtml": ("ar", "ar", "rtl"), "text/title.xhtml": (None, None, None)}


def test_an_article_is_cited_in_its_own_language(tree) -> None:
    """Reference managers file an article under its language: every citation format says the
    article's own (``ar``), not the site's (``en``)."""
    site = tree({"seeds/arb.txt": ARABIC, "seeds/arb.yml": "language: ar\nslug: arabic\n",
                 "seeds/eng.txt": "Title\n\nAnn Author 1 May 2020\n\nSome text.\n"})
    assert build(load_config(site)).ok
    for slug, language in (("arabic", "ar"), ("title", "en")):
        folder = site / "public/articles" / slug
        page = parse((folder / "index.html").read_text(encoding="utf-8"))
        meta = {node.attrs.get("name"): node.attrs.get("content") for node in page.find_all("meta")}
        assert meta["citation_language"] == language, slug
        [ld] = [json.loads(node.text()) for node in page.find_all("script")
                if node.attrs.get("type") == "application/ld+json"]
        assert ld["inLanguage"] == language, slug
        assert json.loads((folder / "cite.json").read_text(encoding="utf-8"))[0]["language"] == language, slug
        assert f"langid = {{{language}}}" in (folder / "cite.bib").read_text(encoding="utf-8"), slug
        assert f"LA  - {language}" in (folder / "cite.ris").read_text(encoding="utf-8"), slug


def test_titles_in_another_direction_are_isolated_in_the_pager_and_the_concordance(tree) -> None:
    """A right-to-left title beside left-to-right words (the pager's "Older", a concordance line's
    date) is a ``<bdi>``, so it cannot pull the words around it into its own direction."""
    site = tree({"seeds/arb.txt": ARABIC, "seeds/arb.yml": "language: ar\nslug: arabic\ndate: 2020-01-01\n",
                 "seeds/eng.txt": "Title\n\nAnn Author 1 May 2020\n\nSome text on human rights.\n",
                 "content/glossary/rights.md": "---\nterm: human rights\naliases: [الحقوق]\n---\nRights.\n"})
    assert build(load_config(site)).ok
    english = parse((site / "public/articles/title/index.html").read_text(encoding="utf-8"))
    older = english.find("a", "pager-older")
    assert [node.text() for node in older.find_all("bdi")] == ["الإعلان العالمي لحقوق الإنسان"]
    term = parse((site / "public/glossary/rights/index.html").read_text(encoding="utf-8"))
    titles = {source.find("a", "concordance-article").text(): source.find("a", "concordance-article").find_all("bdi")
              for source in term.find_all("p", "concordance-source")}
    assert sorted(titles) == ["Title", "الإعلان العالمي لحقوق الإنسان"] and all(titles.values())


def test_a_script_the_site_language_does_not_use_turns_the_page_and_is_reported(tree) -> None:
    site = tree({"seeds/arb.txt": ARABIC})
    result = build(load_config(site))
    [problem] = [d for d in result.diagnostics.items if d.code == "language-script"]
    assert (problem.location.path, problem.location.line) == ("seeds/arb.txt", 1)
    assert "mostly in Arabic script" in problem.message and "seeds/arb.yml (language: ar" in problem.hint
    page = attributes(site / "public/articles/l-ln-l-lmy-lhqwq-lnsn/index.html")
    assert page.found["article"] == {"lang": None, "dir": "rtl"}


def test_a_right_to_left_site(tree) -> None:
    site = tree({"site.toml": '[site]\nlanguage = "he"\n', "seeds/heb.txt": "הכרזה\n\nכל בני האדם נולדו בני חורין.\n"})
    result = build(load_config(site))
    assert result.diagnostics.warnings == 0
    assert attributes(site / "public/index.html").found["html"] == {"lang": "he", "dir": "rtl"}
    book = zipfile.ZipFile(io.BytesIO(make_epub(result.site, result.build_date)))
    spine = ET.fromstring(book.read("OEBPS/content.opf")).find("{http://www.idpf.org/2007/opf}spine")
    assert spine.get("page-progression-direction") == "rtl", "an e-reader turns the pages right to left"
    assert ET.fromstring(book.read("OEBPS/nav.xhtml")).get("dir") == "rtl"


def test_a_bad_language_tag_is_an_error_naming_the_line(tree) -> None:
    site = tree({"seeds/a.txt": "T\n\nText.\n", "seeds/a.yml": "title: T\nlanguage: Arabic script\n"})
    result = build(load_config(site))
    [problem] = [d for d in result.diagnostics.items if d.severity == 2]
    assert (problem.location.path, problem.location.line) == ("seeds/a.yml", 2)
    assert "'language' must be a language tag" in problem.message
