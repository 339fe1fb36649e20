"""Sidenotes: each note is in the margin copy and in the footnote list, and a reader without CSS
(reader mode, a text browser) meets it once, in the list: the margin copy is ``hidden`` until the
theme's CSS sets it in the margin. The marker's brackets are text, so "[1]" never runs into the
word before it."""

from __future__ import annotations

import pytest

from site_gen.config import load_config
from site_gen.markdown import LinkContext, MarkdownRenderer
from site_gen.pipeline import build

from ..html_tree import parse

ARTICLE = "public/articles/us-defense-secretary-panetta-threatens-ground-intervention-into-pakistan/index.html"


def test_the_margin_copy_of_a_note_is_hidden_without_css() -> None:
    context = LinkContext(resolve=lambda href: None, relative=lambda url: url)
    html = MarkdownRenderer().render("A claim.[^1] More text.\n\n[^1]: The note, with *its* source.\n", context).html
    tree = parse(html)
    sidenote = tree.find("span", "sidenote")
    assert "hidden" in sidenote.attrs and sidenote.text() == "1 The note, with its source."
    assert tree.find("section", "footnotes").unstyled_text().count("The note, with its source.") == 1
    assert tree.unstyled_text().count("The note, with its source.") == 1
    assert tree.unstyled_text().startswith("A claim.[1] More text."), "the marker does not run into the word"
    assert tree.text().count("The note, with its source.") == 2, "both copies are in the page for the theme"


@pytest.fixture(scope="module")
def article(tmp_path_factory: pytest.TempPathFactory):
    from ..conftest import copy_example

    site = copy_example(tmp_path_factory.mktemp("sidenotes"))
    assert build(load_config(site)).ok
    return parse((site / ARTICLE).read_text(encoding="utf-8"))


def test_every_note_of_the_example_article_reads_once_without_css(article) -> None:
    notes = [item.unstyled_text().removesuffix("↩︎").strip() for item in article.find_all("li", "footnote-item")]
    assert len(notes) == 10
    shown = article.unstyled_text()
    for note in notes:
        first = note.split(" Sources: ")[0]
        assert shown.count(first) == 1, first
    assert len(article.find_all("span", "sidenote")) == 10
    assert all("hidden" in sidenote.attrs for sidenote in article.find_all("span", "sidenote"))
