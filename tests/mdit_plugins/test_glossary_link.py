"""The glossary plugin: term mentions, their anchors and their keyword-in-context lines."""

from __future__ import annotations

from site_gen.annotate.matcher import TermMatcher
from site_gen.markdown import LinkContext, RenderedMarkdown, create_markdown, render_markdown


def render(source: str, mode: str = "mentions") -> RenderedMarkdown:
    matcher = TermMatcher([("United States", "united-states"), ("Congress", "congress")])
    context = LinkContext(resolve=lambda href: None, relative=lambda url: url, find_terms=matcher.find,
                          term_mode=mode)
    return render_markdown(create_markdown(), source, context)


def test_mentions_get_anchors_and_the_sentence_around_them() -> None:
    rendered = render("War came. The United States asked *Congress* and Congress agreed. Peace.\n")
    assert rendered.html == (
        '<p>War came. The <span class="term-mention" id="t-united-states-1" data-term="united-states">United States'
        '</span> asked <em><span class="term-mention" id="t-congress-1" data-term="congress">Congress</span></em> and '
        '<span class="term-mention" id="t-congress-2" data-term="congress">Congress</span> agreed. Peace.</p>\n')
    assert rendered.occurrences == (
        {"term": "united-states", "anchor": "t-united-states-1", "linked": False,
         "before": "The ", "keyword": "United States", "after": " asked Congress and Congress agreed."},
        {"term": "congress", "anchor": "t-congress-1", "linked": False,
         "before": "The United States asked ", "keyword": "Congress", "after": " and Congress agreed."},
        {"term": "congress", "anchor": "t-congress-2", "linked": False,
         "before": "The United States asked Congress and ", "keyword": "Congress", "after": " agreed."},
    )


def test_a_term_split_by_emphasis_is_left_alone_and_links_are_recorded() -> None:
    rendered = render("The *United* States met. See [the States](../glossary/united-states.md) here.\n")
    assert "term-mention" not in rendered.html
    assert rendered.occurrences == ({"term": "united-states", "anchor": "t-united-states-1", "linked": True,
                                     "before": "See ", "keyword": "the States", "after": " here."},)


def test_glossary_pages_link_only_the_first_mention() -> None:
    rendered = render("Congress met; Congress rose.\n", mode="links")
    assert rendered.html == ('<p><a href="../glossary/congress.md" id="t-congress-1" class="term" data-term="congress">'
                             'Congress</a> met; Congress rose.</p>\n')


def test_long_sentences_are_cut_around_the_keyword_with_ellipses() -> None:
    words = " ".join(f"word{n}" for n in range(60))
    rendered = render(f"Before. {words} Congress {words} end. After.\n")
    (line,) = rendered.occurrences
    assert line["keyword"] == "Congress"
    assert line["before"].startswith("…") and line["before"].endswith(" word59 ")
    assert line["after"].startswith(" word0 ") and line["after"].endswith("…")
    assert 100 <= len(line["before"]) <= 120 and 100 <= len(line["after"]) <= 120
    assert "Before." not in line["before"] and "After." not in line["after"]


def test_each_mention_of_a_long_hard_wrapped_paragraph_gets_its_own_sentence() -> None:
    """One paragraph of many lines (soft breaks), a mention in every sentence: each line is that
    mention's sentence, wherever it falls among the lines."""
    sentences = [f"Witness {n} told Congress what it knew." for n in range(300)]
    wrapped = "\n".join(" ".join(sentences[i:i + 3]) for i in range(0, 300, 3))
    rendered = render(wrapped + "\n")
    assert [(o["before"], o["keyword"], o["after"]) for o in rendered.occurrences] == [
        (f"Witness {n} told ", "Congress", " what it knew.") for n in range(300)]
    assert [o["anchor"] for o in rendered.occurrences][-1] == "t-congress-300"
