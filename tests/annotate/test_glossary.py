"""Glossary files: parsing, errors naming file and line."""

from __future__ import annotations

import pytest

from site_gen.annotate.glossary import check_clashes, parse_entry
from site_gen.diagnostics import InputError


def test_entry_fields() -> None:
    entry = parse_entry(
        "---\nterm: Haqqani network\naliases: [Haqqanis]\ncategory: Organisation\nsee_also: [Taliban]\n"
        "sources: [https://x.org]\n---\nAn *Afghan* group, see [Taliban](taliban.md).\n\nMore text.\n",
        "content/glossary/haqqani-network.md")
    assert (entry.slug, entry.term, entry.aliases, entry.category) == (
        "haqqani-network", "Haqqani network", ("Haqqanis",), "organisation")
    assert entry.body == "An *Afghan* group, see [Taliban](taliban.md).\n\nMore text.\n"
    assert entry.body_line == 8


def test_errors_name_the_file_and_line() -> None:
    with pytest.raises(InputError) as caught:
        parse_entry("---\nterm: X\naliases: 3\ncolour: red\n---\nBody.\n", "content/glossary/x.md")
    assert [d.format().splitlines()[0] for d in caught.value.diagnostics] == [
        "content/glossary/x.md:4: error: unknown key 'colour'",
        "content/glossary/x.md:3: error: 'aliases' must be a list of text values",
    ]


def test_yaml_syntax_error_names_the_line() -> None:
    with pytest.raises(InputError) as caught:
        parse_entry("---\nterm: X\naliases: [a, b\n---\nBody.\n", "content/glossary/x.md")
    assert caught.value.diagnostics[0].format().startswith("content/glossary/x.md:4:")


def test_missing_term() -> None:
    with pytest.raises(InputError) as caught:
        parse_entry("---\ncategory: place\n---\nBody.\n", "content/glossary/x.md")
    assert "has no 'term'" in caught.value.diagnostics[0].message


def test_duplicates_and_alias_collisions_name_both_files() -> None:
    a = parse_entry("---\nterm: Pakistan\n---\nA.\n", "content/glossary/a.md")
    b = parse_entry("---\nterm: Pakistan\n---\nB.\n", "content/glossary/b.md")
    c = parse_entry("---\nterm: Islamic Republic\naliases: [Pakistan]\n---\nC.\n", "content/glossary/c.md")
    glossary, problems = check_clashes([c, b, a])
    assert [e.slug for e in glossary.entries] == ["a"]
    assert [p.format().splitlines()[0] for p in problems] == [
        "content/glossary/b.md:1: error: 'Pakistan' is already the term of content/glossary/a.md; this entry is left out",
        "content/glossary/c.md:1: error: 'Pakistan' is already the term of content/glossary/a.md; this entry is left out",
    ]
    assert "content/glossary/a.md and content/glossary/b.md" in problems[0].hint
