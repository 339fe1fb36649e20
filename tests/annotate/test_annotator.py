"""annotate(): glossary links, link modes, footnote placement, cross-references, protected spans."""

from __future__ import annotations

from site_gen.annotate.annotator import AnnotateOptions, annotate, title_key
from site_gen.annotate.matcher import TermMatcher
from site_gen.config import SeedsSection
from site_gen.diagnostics import SourceLocation
from site_gen.model import GlossaryEntry, Note, Seed
from site_gen.seed_parser import parse_seed


def entry(slug: str, term: str, aliases=()) -> GlossaryEntry:
    return GlossaryEntry(slug, term, tuple(aliases), "", (), (), "Def.", f"Short {term}.",
                         SourceLocation(f"content/glossary/{slug}.md"))


ENTRIES = [entry("pakistan", "Pakistan"), entry("drone-strike", "drone strike", ["drone attack"]),
           entry("north-waziristan", "North Waziristan")]


def run(text: str, notes=(), link="first", titles=None, markdown=False):
    seed = Seed("seeds/a.md" if markdown else "seeds/a.txt", text, markdown=markdown)
    document = parse_seed(seed, SeedsSection())
    matcher = TermMatcher([(form, e.slug) for e in ENTRIES for form in (e.term, *e.aliases)])
    result = annotate(document, matcher, tuple(notes), titles or {}, AnnotateOptions(link=link))
    return result, result.markdown.split("---\n", 2)[2]


def test_first_occurrence_is_linked_by_default() -> None:
    _, body = run("Title\n\nPakistan and Pakistan.\n\nPakistan again.\n")
    assert body == "[Pakistan](../glossary/pakistan.md) and Pakistan.\n\nPakistan again.\n"


def test_link_every_occurrence() -> None:
    _, body = run("Title\n\nPakistan and Pakistan.\n", link="all")
    assert body.count("](../glossary/pakistan.md") == 2


def test_link_first_per_section() -> None:
    text = "Title\n\nPakistan here.\n\nSection two\n\nPakistan there and Pakistan.\n"
    _, body = run(text, link="first-per-section")
    assert body.count("](../glossary/pakistan.md") == 2
    assert "## Section two" in body


def test_headings_are_never_linked() -> None:
    _, body = run("Title\n\nIntro text here.\n\nPakistan\n\nThe longer paragraph that follows the heading.\n")
    assert "## Pakistan\n" in body and "glossary" not in body


def test_existing_links_and_code_in_markdown_seeds_are_left_alone() -> None:
    text = "A [Pakistan](https://x.org) link, `Pakistan` code, and Pakistan.\n\n```\nPakistan\n```\n"
    _result, body = run(text, markdown=True)
    assert "A [Pakistan](https://x.org) link, `Pakistan` code, and [Pakistan](../glossary/pakistan.md" in body
    assert "```\nPakistan\n```" in body


def test_footnote_marker_goes_after_the_quote_and_notes_are_numbered_in_reading_order() -> None:
    notes = [Note("second passage", "Two.", SourceLocation("n.yml", 5)),
             Note("first passage", "One.\n\nMore.", SourceLocation("n.yml", 1), sources=("https://x.org/a",))]
    result, body = run("Title\n\nThe first passage, then the second passage.\n", notes=notes)
    assert body.startswith("The first passage[^1], then the second passage[^2].\n")
    assert "[^1]: One.\n\n    More.\n\n    Sources: <https://x.org/a>\n\n[^2]: Two.\n" in body
    assert [n.number for n in result.anchored_notes] == [1, 2]


def test_marker_inside_a_linked_term_moves_after_the_link() -> None:
    notes = [Note("in North", "N.", SourceLocation("n.yml", 1))]
    _, body = run("Title\n\nFighting in North Waziristan.\n", notes=notes)
    assert "[North Waziristan](../glossary/north-waziristan.md)[^1]" in body


def test_seed_markup_is_escaped() -> None:
    _, body = run("Title\n\n# not a heading *or emphasis* <b>tag</b> [link](x) &amp; 1. list\n")
    assert body == "\\# not a heading \\*or emphasis\\* \\<b\\>tag\\</b\\> \\[link\\](x) \\&amp; 1. list\n"


def test_cross_reference_link_and_self_reference() -> None:
    titles = {title_key("Other Story"): "other-story", title_key("Title"): "title"}
    result, body = run("Title\n\nRead this. (See: Other story.) And (See: Title).\n", titles=titles)
    assert "(See: [Other story.](other-story.md))" in body
    assert "(See: Title)" in body
    assert result.diagnostics == ()


def test_orphan_and_ambiguous_notes_are_reported_not_dropped_silently() -> None:
    notes = [Note("nothing like this at all in the text", "x", SourceLocation("content/notes/a.yml", 7)),
             Note("Pakistan", "y", SourceLocation("content/notes/a.yml", 12))]
    result, _ = run("Title\n\nPakistan and Pakistan.\n", notes=notes)
    messages = [d.format() for d in result.diagnostics]
    assert messages[0].startswith("content/notes/a.yml:7: warning: orphaned note: quote 'nothing like this")
    assert "closest passage" in messages[0]
    assert messages[1].startswith("content/notes/a.yml:12: error: quote 'Pakistan' occurs 2 times "
                                  "(seeds/a.txt:3 and seeds/a.txt:3)")
    assert len(result.orphans) == 1
