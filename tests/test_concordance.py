"""The concordance on a term's page: keyword-in-context lines, a few per article, the rest on asking."""

from __future__ import annotations

import pytest

from site_gen.concordance import LINES_PER_ARTICLE, SHOWN_PER_ARTICLE
from site_gen.config import load_config
from site_gen.pipeline import build

from .html_tree import Node, parse

SENTENCES = " ".join(f"Witness {n} saw the Haqqani network at dawn." for n in range(1, 13))
GLOSSARY = ("---\nterm: Haqqani network\naliases: [Haqqani Network, HAQQANI NETWORK, Haqqanis]\n---\n"
            "An insurgent group.\n")


@pytest.fixture(scope="module")
def term_page(tmp_path_factory: pytest.TempPathFactory) -> Node:
    site = tmp_path_factory.mktemp("concordance")
    for path, text in {"seeds/hearing.txt": f"Hearing\n\nStaff 3 March 2011\n\n{SENTENCES}\n",
                       "seeds/brief.txt": "Brief\n\nStaff 2 March 2011\n\nThe Haqqanis met.\n",
                       "content/glossary/haqqani-network.md": GLOSSARY}.items():
        (site / path).parent.mkdir(parents=True, exist_ok=True)
        (site / path).write_text(text, encoding="utf-8")
    assert build(load_config(site)).ok
    return parse((site / "public/glossary/haqqani-network/index.html").read_text(encoding="utf-8"))


def _articles(term_page: Node) -> list[Node]:
    return [item for item in term_page.find("ol", "concordance-list").children if isinstance(item, Node)]


def _lines(parent: Node) -> list[tuple[str, str, str]]:
    """(line text, keyword, keyword's link) of each keyword-in-context line directly in ``parent``."""
    lines = []
    for item in parent.find("ul", "kwic-lines").find_all("li", "kwic"):
        keyword = item.find("a", "kwic-keyword")
        lines.append((item.text(), keyword.text(), keyword.attrs["href"]))
    return lines


def test_each_line_is_the_sentence_with_the_term_set_off_and_linked_to_its_place(term_page: Node) -> None:
    hearing, brief = _articles(term_page)
    url = "../../articles/hearing/"
    assert hearing.find("a", "concordance-article").attrs["href"] == url
    assert _lines(hearing) == [(f"Witness {n} saw the Haqqani network at dawn.", "Haqqani network",
                                f"{url}#t-haqqani-network-{n}") for n in range(1, SHOWN_PER_ARTICLE + 1)]
    assert _lines(brief) == [("The Haqqanis met.", "Haqqanis", "../../articles/brief/#t-haqqani-network-1")]


def test_and_n_more_shows_the_next_lines_then_sends_to_the_article(term_page: Node) -> None:
    hearing = _articles(term_page)[0]
    more = hearing.find("details", "more-uses")
    assert more.find("summary").text() == f"and {12 - SHOWN_PER_ARTICLE} more in this article"
    assert [keyword_href for _, _, keyword_href in _lines(more)] == [
        f"../../articles/hearing/#t-haqqani-network-{n}" for n in range(SHOWN_PER_ARTICLE + 1, LINES_PER_ARTICLE + 1)]
    rest = more.find("p", "more-in-article")
    assert rest.text() == f"{12 - LINES_PER_ARTICLE} more in the article itself"
    assert rest.find("a").attrs["href"] == "../../articles/hearing/"


def test_an_article_with_few_uses_has_nothing_more_to_show(term_page: Node) -> None:
    brief = _articles(term_page)[1]
    assert brief.find_all("details") == []


def test_aliases_differing_from_the_term_only_in_case_are_not_listed(term_page: Node) -> None:
    assert term_page.find("p", "aliases").text() == "Also: Haqqanis"
