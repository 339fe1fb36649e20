"""Snippets: the best passage of the whole text, and marks on whole words of the matched terms only
(search-engine.js, run under Node)."""

from __future__ import annotations

import json
from pathlib import Path

from .conftest import run_node


def passages(node: str, tmp_path: Path, cases: list[dict]) -> list[dict]:
    (tmp_path / "cases.json").write_text(json.dumps(cases))
    return json.loads(run_node(node, "passage.js", str(tmp_path / "cases.json")))


def test_marks_cover_whole_words_of_the_matched_stems_only(node: str, tmp_path: Path) -> None:
    text = "Warren warned of war; the wars, a warring world, and the constructor of peace."
    war, constructor = passages(node, tmp_path, [{"text": text, "terms": [["war"]]},
                                                 {"text": text, "terms": [["constructor"]]}])
    assert war["marks"] == ["war", "wars", "warring"]
    assert constructor["marks"] == ["constructor"], "terms that are names of object properties are terms too"


def test_the_passage_is_where_most_of_the_words_stand_together(node: str, tmp_path: Path) -> None:
    text = ("Tariff. " * 20 + "Nothing to see here for a long while. " * 2000
            + "The tariff on wool and the wool tariff bill. " + "Filler words follow. " * 50)
    found, = passages(node, tmp_path, [{"text": text, "terms": [["tariff"], ["wool"]]}])
    assert "wool" in found["snippet"] and found["marks"][:2] == ["tariff", "wool"], found
    assert len(found["snippet"]) <= 220


def test_cjk_pairs_are_marked_as_one_run(node: str, tmp_path: Path) -> None:
    found, = passages(node, tmp_path, [{"text": "世界人权宣言，人人有权。", "terms": [["人权"], ["权宣"]]}])
    assert found["marks"] == ["人权宣"]
