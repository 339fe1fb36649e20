"""The passages plugin: which blocks are passages, their text, the ids set on them and the pilcrow links."""

from __future__ import annotations

from site_gen.markdown import LinkContext, RenderedMarkdown, create_markdown, render_markdown
from site_gen.passages import assigner


def render(source: str, links: bool = True) -> tuple[RenderedMarkdown, list[tuple[str, str]]]:
    found: list[tuple[str, str]] = []
    assign = assigner(None, "a", "s")

    def remember(passages: list[tuple[str, str]]):
        found.extend(passages)
        return assign(passages)

    context = LinkContext(resolve=lambda href: None, relative=lambda url: url, passages=remember, passage_links=links)
    return render_markdown(create_markdown(), source, context), found


SOURCE = """## A heading

A paragraph with a [link](x.md) and a note.[^1]

- first item
- second item
  - nested item

> A quoted paragraph.
>
> Its second paragraph.

[^1]: The note is not a passage.
"""


def test_paragraphs_headings_items_and_quotes_are_passages_in_reading_order() -> None:
    rendered, found = render(SOURCE)
    assert found == [
        ("heading", "A heading"),
        ("paragraph", "A paragraph with a link and a note."),
        ("item", "first item"),
        ("item", "second item"),
        ("item", "nested item"),
        ("quote", "A quoted paragraph. Its second paragraph."),
    ]
    ids = [passage_id for passage_id, _ in rendered.passage_ids.passages]
    assert ids[0] == "a-heading"
    assert len(set(ids)) == 6


def test_each_passage_carries_its_id_and_a_pilcrow_link_at_its_end() -> None:
    rendered, _ = render(SOURCE)
    ids = [passage_id for passage_id, _ in rendered.passage_ids.passages]
    link = '<a class="passage-link" href="#{}" aria-label="Link to this passage">¶</a>'
    html = rendered.html
    assert f'<h2 id="{ids[0]}" data-passage="">A heading{link.format(ids[0])}</h2>' in html
    assert f'<p id="{ids[1]}" data-passage="">A paragraph' in html
    assert f'<li id="{ids[3]}" data-passage="">second item{link.format(ids[3])}\n<ul>' in html
    assert f'<li id="{ids[4]}" data-passage="">nested item{link.format(ids[4])}</li>' in html
    assert f'<p>Its second paragraph.{link.format(ids[5])}</p>\n</blockquote>' in html
    loose = render("1. loose\n\n   more\n")[0].html
    assert '<p>loose<a class="passage-link"' in loose, "the pilcrow follows the item's first words"
    assert html.count("passage-link") == 6, "no link inside the footnotes"
    assert rendered.toc[0].id == ids[0] and rendered.toc[0].text == "A heading"
    assert "¶" not in rendered.text, "the pilcrows are not part of the text (search, excerpts)"


def test_the_e_book_gets_the_ids_without_the_links() -> None:
    rendered, _ = render(SOURCE, links=False)
    assert "passage-link" not in rendered.html
    assert rendered.html.count("data-passage") == 6


def test_pages_other_than_articles_get_no_passage_ids() -> None:
    context = LinkContext(resolve=lambda href: None, relative=lambda url: url)
    rendered = render_markdown(create_markdown(), "Text.\n", context)
    assert rendered.html == "<p>Text.</p>\n" and rendered.passage_ids is None
