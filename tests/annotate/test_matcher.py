"""TermMatcher: longest match, case rules, inflections, possessives, word boundaries."""

from __future__ import annotations

import pytest

from site_gen.annotate.matcher import TermMatcher, inflections

TERMS = [("North Waziristan", "nw"), ("Waziristan", "w"), ("drone strike", "ds"), ("US", "us"),
         ("Pakistan", "pk"), ("Haqqani network", "hn"), ("party", "party"), ("bus", "bus")]


def found(text: str) -> list[tuple[str, str]]:
    return [(text[m.start:m.end], m.slug) for m in TermMatcher(TERMS).find(text)]


@pytest.mark.parametrize("text,expected", [
    ("in North Waziristan today", [("North Waziristan", "nw")]),
    ("in South Waziristan", [("Waziristan", "w")]),
    ("Pakistan's army", [("Pakistan", "pk")]),
    ("Pakistan’s army", [("Pakistan", "pk")]),
    ("the US and us", [("US", "us")]),
    ("focus thus", []),
    ("drone strikes and a drone strike", [("drone strikes", "ds"), ("drone strike", "ds")]),
    ("Drone strikes began. Then drone strike.", [("Drone strikes", "ds"), ("drone strike", "ds")]),
    ("the Drone Strike Act", []),
    ("parties and buses", [("parties", "party"), ("buses", "bus")]),
    ("“Drone strike,” he said", [("Drone strike", "ds")]),
    ("Pakistani officials", []),
    ("the Haqqani network's base", [("Haqqani network", "hn")]),
    ("the haqqani network", []),
])
def test_matches(text: str, expected: list[tuple[str, str]]) -> None:
    assert found(text) == expected


def test_inflections_of_the_last_word() -> None:
    assert inflections("drone strike") == ["drone strikes"]
    assert inflections("party") == ["parties"]
    assert inflections("day") == ["days"]
    assert inflections("tax") == ["taxes"]
    assert inflections("kill list") == ["kill lists"]


def test_empty_glossary_finds_nothing() -> None:
    assert TermMatcher([]).find("anything at all") == []


def test_unicode_terms_and_boundaries() -> None:
    matcher = TermMatcher([("Universal Declaration", "ud"), ("Déclaration", "dec"), ("人权", "hr")])
    assert [m.slug for m in matcher.find("la Déclaration universelle")] == ["dec"]
    assert [m.slug for m in matcher.find("Déclarations")] == []


def test_large_glossary_is_linear_and_correct() -> None:
    terms = [(f"Term{i} Name", f"t{i}") for i in range(10_000)]
    matcher = TermMatcher(terms)
    text = " ".join(f"Term{i} Name." for i in range(0, 10_000, 7))
    matches = matcher.find(text)
    assert [m.slug for m in matches] == [f"t{i}" for i in range(0, 10_000, 7)]
