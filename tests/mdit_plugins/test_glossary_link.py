"""The glossary plugin: term mentions, their anchors and the sentence snippets of the concordance."""

from __future__ import annotations

from site_gen.annotate.matcher import TermMatcher
from site_gen.markdown import LinkContext, RenderedMarkdown, create_markdown, render_markdown


def render(source: str, mode: str = "mentions") -> RenderedMarkdown:
    matcher = TermMatcher([("United States", "united-states"), ("Congress", "congress")])
    context = LinkContext(resolve=lambda href: None, relative=lambda url: url, find_terms=matcher.find,
                          term_mode=mode, known_terms=frozenset({"united-states", "congress"}))
    return render_markdown(create_markdown(), source, context)


def test_mentions_get_anchors_and_the_sentence_around_them() -> None:
    rendered = render("War came. The United States asked *Congress* and Congress agreed. Peace.\n")
    assert rendered.html == (
        '<p>War came. The <span class="term-mention" id="t-united-states-1" data-term="united-states">United States'
        '</span> asked <em><span class="term-mention" id="t-congress-1" data-term="congress">Congress</span></em> and '
        '<span class="term-mention" id="t-congress-2" data-term="congress">Congress</span> agreed. Peace.</p>\n')
    sentence = "The United States asked Congress and Congress agreed."
    assert rendered.occurrences == (
        {"term": "united-states", "anchor": "t-united-states-1", "linked": False, "snippet": sentence},
        {"term": "congress", "anchor": "t-congress-1", "linked": False, "snippet": sentence},
        {"term": "congress", "anchor": "t-congress-2", "linked": False, "snippet": sentence},
    )


def test_a_term_split_by_emphasis_is_left_alone_and_links_are_recorded() -> None:
    rendered = render("The *United* States met. See [the States](../glossary/united-states.md) here.\n")
    assert "term-mention" not in rendered.html
    assert rendered.occurrences == ({"term": "united-states", "anchor": "t-united-states-1", "linked": True,
                                     "snippet": "See the States here."},)


def test_glossary_pages_link_only_the_first_mention() -> None:
    rendered = render("Congress met; Congress rose.\n", mode="links")
    assert rendered.html == ('<p><a href="../glossary/congress.md" id="t-congress-1" class="term" data-term="congress">'
                             'Congress</a> met; Congress rose.</p>\n')
