"""Note files: every problem with its line."""

from __future__ import annotations

import pytest

from site_gen.annotate.notes import parse_notes
from site_gen.diagnostics import InputError


def test_notes_with_lines() -> None:
    notes = parse_notes("# comment\n- quote: a\n  note: b\n\n- quote: c\n  note: d\n  prefix: x\n  sources: [s]\n",
                        "content/notes/x.yml")
    assert [(n.quote, n.location.line, n.prefix, n.sources) for n in notes] == [
        ("a", 2, "", ()), ("c", 5, "x", ("s",))]


def test_problems_are_reported_with_lines() -> None:
    with pytest.raises(InputError) as caught:
        parse_notes("- quote: a\n- note: b\n  quote: c\n  colour: red\n", "content/notes/x.yml")
    assert [d.format().splitlines()[0] for d in caught.value.diagnostics] == [
        "content/notes/x.yml:1: error: note has no 'note'",
        "content/notes/x.yml:2: error: unknown key 'colour' in note",
    ]


def test_yaml_error_names_the_line() -> None:
    with pytest.raises(InputError) as caught:
        parse_notes("- quote: a\n  note: b\n- quote: [unclosed\n", "content/notes/x.yml")
    assert caught.value.diagnostics[0].location.line == 4


def test_not_a_list() -> None:
    with pytest.raises(InputError) as caught:
        parse_notes("quote: a\nnote: b\n", "content/notes/x.yml")
    assert "must be a list" in caught.value.diagnostics[0].message
