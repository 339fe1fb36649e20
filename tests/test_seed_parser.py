"""Seed quirks, one case each, in tests/fixtures/seeds/quirks.txt (markdown-it-py fixture format:
title, then input and expected output between '.' lines). Editors can add cases without Python."""

from __future__ import annotations

from pathlib import Path

import pytest
from markdown_it.utils import read_fixture_file

from site_gen.config import SeedsSection
from site_gen.model import Document, MetaOverrides, Seed
from site_gen.seed_parser import assign_slugs, parse_seed

FIXTURES = Path(__file__).parent / "fixtures" / "seeds" / "quirks.txt"


def describe(document: Document) -> str:
    lines = [f"title: {document.meta.title}", f"author: {document.meta.author}", f"date: {document.meta.date}"]
    for block in document.blocks:
        lines.append(f"{block.kind}@{block.line}: {block.text.replace(chr(10), '|')}")
    lines += [f"crossref@{ref.line}: {ref.title}" for ref in document.cross_refs]
    return "\n".join(lines) + "\n"


@pytest.mark.parametrize("line,title,text,expected", read_fixture_file(FIXTURES))
def test_quirk(line: int, title: str, text: str, expected: str) -> None:
    document = parse_seed(Seed("seeds/x.txt", text), SeedsSection())
    assert describe(document) == expected


def parse(text: str, path: str = "seeds/x.txt", overrides: MetaOverrides | None = None, **options) -> Document:
    return parse_seed(Seed(path, text, overrides=overrides or MetaOverrides()), SeedsSection(**options))


def test_title_and_date_from_file_name_when_there_is_no_headline() -> None:
    document = parse("Fellow-Citizens of the Senate:\n\nText.\n", path="seeds/1790-Washington-1.txt")
    assert (document.meta.title, document.meta.date) == ("1790 Washington 1", "1790")
    assert [d.code for d in document.diagnostics] == ["no-headline"]


def test_sidecar_overrides_win() -> None:
    overrides = MetaOverrides(title="Better", author="Ed", date="2001-02-03", tags=("a",), slug="pinned")
    document = parse("Raw title\n\nSomeone 1 May 2020\n\nBody.\n", overrides=overrides)
    meta = document.meta
    assert (meta.title, meta.author, meta.date, meta.tags, meta.slug) == ("Better", "Ed", "2001-02-03", ("a",), "pinned")


def test_slug_from_file_name_option() -> None:
    assert parse("A Title\n\nBody.\n", path="seeds/my-file.txt", slug_from="filename").meta.slug == "my-file"


def test_titlecase_can_be_turned_off() -> None:
    assert parse("LOUD HEADLINE HERE\n\nBody.\n", titlecase_headlines=False).meta.title == "LOUD HEADLINE HERE"


def test_footer_patterns_are_configurable() -> None:
    document = parse("T\n\nBody.\n\n-- sent from my phone\n", footer_patterns=(r"^-- sent",))
    assert [b.text for b in document.blocks] == ["Body."]


def test_footer_pattern_never_cuts_the_middle_of_a_long_article() -> None:
    body = "\n\n".join(f"Paragraph {i}." for i in range(10))
    document = parse(f"T\n\nReuter\n\n{body}\n")
    assert len(document.blocks) == 11


def test_colliding_slugs_are_made_unique_deterministically() -> None:
    first = parse("Same Title\n\nOne.\n", path="seeds/b.txt")
    second = parse("Same Title\n\nTwo.\n", path="seeds/a.txt")
    documents, problems = assign_slugs([first, second])
    slugs = {d.meta.seed: d.meta.slug for d in documents}
    assert slugs == {"seeds/a.txt": "same-title", "seeds/b.txt": "same-title-2"}
    assert problems[0].location.path == "seeds/b.txt" and problems[0].code == "slug-collision"


def test_hostile_title_cannot_escape_the_output_folder() -> None:
    for title in ("../../etc/passwd", "/etc/passwd", "CON", "..", "%2e%2e/x"):
        slug = parse(f"{title}\n\nBody.\n").meta.slug
        assert "/" not in slug and ".." not in slug and slug not in ("con", "")


def omissions(document: Document) -> list[tuple[str, int, int]]:
    return [(o.kind, o.first, o.last) for o in document.omitted]


def test_what_the_parser_takes_out_is_recorded_with_its_lines() -> None:
    document = parse("Title\n\nBy Jane Doe\nMarch 3, 2001\n\nBody.\n\nTo contact the WSWS visit:\n\nwsws.org\n")
    assert omissions(document) == [("headline", 1, 1), ("byline", 3, 4), ("footer", 8, 10)]
    footer = [d for d in document.diagnostics if d.code == "footer"]
    assert footer[0].location.line == 8 and "'To contact the WSWS visit: wsws.org'" in footer[0].message
    assert "(6 words)" in footer[0].message


def test_with_a_sidecar_title_the_first_line_stays_in_the_text() -> None:
    document = parse("Madam Speaker\n\nThank you.\n", overrides=MetaOverrides(title="State of the Union, 2023"))
    assert document.meta.title == "State of the Union, 2023"
    assert [b.text for b in document.blocks] == ["Madam Speaker", "Thank you."] and not document.omitted


def test_a_sidecar_title_still_takes_the_seeds_own_headline_and_byline() -> None:
    corrected = parse("RAW HEADLINE\n\nSomeone 1 May 2020\n\nBody.\n", overrides=MetaOverrides(title="Better"))
    assert [b.text for b in corrected.blocks] == ["Body."] and corrected.meta.author == "Someone"
    same = parse("The Title\n\nBody text here.\n", overrides=MetaOverrides(title="The title"))
    assert [b.text for b in same.blocks] == ["Body text here."] and omissions(same) == [("headline", 1, 1)]


def test_the_site_language_picks_the_title_case_rules() -> None:
    seed = Seed("seeds/x.txt", "ΟΙΚΟΥΜΕΝΙΚΉ ΔΙΑΚΉΡΥΞΗ\n\nΚείμενο.\n")
    assert parse_seed(seed, SeedsSection(), "", "el").meta.title == "Οικουμενική Διακήρυξη"
    assert parse_seed(seed, SeedsSection(), "", "en").meta.title == "ΟΙΚΟΥΜΕΝΙΚΉ ΔΙΑΚΉΡΥΞΗ"
    own = Seed("seeds/x.txt", "İNSAN HAKLARI\n\nMetin.\n", overrides=MetaOverrides(language="tr"))
    document = parse_seed(own, SeedsSection(), "", "en")
    assert (document.meta.title, document.meta.language) == ("İnsan Hakları", "tr")
