"""The stemmer port agrees with lunr.js's own stemmer, word for word."""

from __future__ import annotations

import json
import re
from pathlib import Path

from site_gen.search.stemmer import stem

from ..conftest import CORPUS, require_shared
from .conftest import run_node


def test_known_stems() -> None:
    assert [stem(w) for w in ["always", "drones", "strikes", "yelling", "relational", "by", "say"]] == [
        "alway", "drone", "strike", "yell", "relat", "by", "say"]


def test_port_equals_lunr_js_on_a_corpus_vocabulary(node: str, tmp_path: Path) -> None:
    folder = require_shared(CORPUS / "sotu")
    words = sorted({w for path in sorted(folder.glob("*.txt"))[::10]
                    for w in re.findall(r"[a-z]+", path.read_text(encoding="utf-8").lower())})
    (tmp_path / "words.json").write_text(json.dumps(words))
    expected = json.loads(run_node(node, "stem.js", str(tmp_path / "words.json")))
    mismatches = [(w, e, stem(w)) for w, e in zip(words, expected, strict=True) if stem(w) != e]
    assert len(words) > 5000 and mismatches == []
