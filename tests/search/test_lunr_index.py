"""The Python Lunr builder writes what lunr.py and lunr.js write, and lunr.js answers queries on it;
the sharded index ranks exactly like the single one."""

from __future__ import annotations

import dataclasses
import json
import shutil
from collections import Counter
from itertools import pairwise
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from lunr.builder import Builder
from lunr.pipeline import Pipeline

from site_gen.config import load_config
from site_gen.pipeline import BuildOptions, build
from site_gen.search import FIELDS, STORE_BLOCK, WRAPPER, build_search_index, search_documents
from site_gen.search.lunr_index import IndexBuilder
from site_gen.search.terms import _SEPARATOR, _is_word_char, _term, _trim, normalise, part_terms, term_counts, terms

from ..conftest import CORPUS, require_shared
from .conftest import query_site, run_node

QUERIES = ["oil", "oil prices", "bank*", "opec~1", "title:coffee", "+oil +saudi", "oil -iran", "dlrs mln",
           "interest rate", "wheat^10 corn", "exchange", "japan trade surplus", "cocoa", "stock*", "gold",
           "federal reserve", "tokyo", "brazil coffee", "shipping", "dividend", "acquisition", "bonds"]
BAD_QUERIES = ["title:", "oil:", "~", "^", "+", "-", '"unclosed', "*", "a::b", "  "]


def read_search_file(data: bytes) -> object:
    """The data of a search file: JSON wrapped in a call that registers it when loaded as a script."""
    assert data.startswith(WRAPPER[0]) and data.endswith(WRAPPER[1])
    return json.loads(data[len(WRAPPER[0]):-len(WRAPPER[1])])


def reuters_site(tmp_path: Path, count: int, threshold: int) -> Path:
    folder = require_shared(CORPUS / "reuters21578")
    site = tmp_path / "site"
    (site / "seeds").mkdir(parents=True)
    for path in sorted(folder.glob("*.txt"))[:count]:
        shutil.copy(path, site / "seeds" / path.name)
    (site / "site.toml").write_text(f"[search]\nshard_threshold = {threshold}\n")
    return site


def test_terms_follow_lunr_rules_plus_normalisation() -> None:
    assert terms("The drone-strikes, in Pakistan’s North!") == ["drone", "strike", "pakistan", "north"]
    assert terms("Malmö café") == ["malmo", "cafe"]
    assert terms("Президент — “Россия”") == ["президент", "россия"]
    assert terms("世界人权") == ["世", "界", "人", "权", "世界", "界人", "人权"]
    assert normalise("O’Brien's") == "O'Brien"
    assert terms("afraid\u2014zanzibar\u2014to quokka\u2013wombat") == ["afraid", "zanzibar", "quokka", "wombat"]


def whole_text_terms(text: str) -> list[str]:
    """The definition ``terms`` must equal: normalise the whole text, then split it as lunr.js does."""
    return [t for token in _SEPARATOR.split(normalise(text).lower()) if token for t in part_terms(token)]


SEPARATOR_EDGES = "\t\n\x1c\x1f\x85\xa0\u1680\u2003\u2028\u202f\u3000\ufeff\u180e-"


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.one_of(st.characters(), st.sampled_from(SEPARATOR_EDGES + "'’ʼsS東京é\u0301")), max_size=60))
def test_terms_of_each_token_equal_terms_of_the_whole_text(text: str) -> None:
    assert terms(text) == whole_text_terms(text)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(["oil's", "Oil's.", "a's", "it's", "O'Brien", "rock-'n'-roll", "drone-strikes",
                                 "the", "Strikes!", "'s", "s'", "--"]) | st.text(alphabet="aeiouOstrdS's-.,!", max_size=8),
                max_size=12))
def test_terms_of_ascii_tokens_equal_terms_of_the_whole_text(words: list[str]) -> None:
    """Plain ASCII tokens take a faster path (nothing to fold, no possessive, no hyphen)."""
    text = " ".join(words)
    assert terms(text) == whole_text_terms(text)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(["oil", "Oil's", "the", "drone-strikes", "世界", "—", "a-the", "Malmö", "oil-oil",
                                 "\ufeff", " ", "\n", "-"]) | st.text(max_size=8), max_size=30))
def test_term_counts_are_the_counts_of_the_terms(words: list[str]) -> None:
    """The counting fast path gives the frequencies and length of the ordered terms, however the tokens
    index (one term, none, or several: hyphenated words and CJK runs)."""
    text = " ".join(words)
    counts, length = term_counts(text)
    assert (counts, length) == (dict(Counter(terms(text))), len(terms(text)))
    assert all(isinstance(term, str) for term in counts)


@given(st.text(alphabet=st.characters(max_codepoint=127), max_size=12) | st.text(max_size=12))
def test_trim_keeps_from_the_first_to_the_last_word_character(token: str) -> None:
    """ASCII tokens take a faster path (``str.strip``); both trim by the same rule."""
    words = [i for i, char in enumerate(token) if _is_word_char(char)]
    assert _trim(token) == (token[words[0]:words[-1] + 1] if words else "")


def meaning(index: dict) -> tuple[dict, dict]:
    """What a serialized lunr index says, whatever its term numbering: the documents of each term
    per field, and each (field, document) vector as term -> score (empty vectors left out)."""
    names = {entry["_index"]: term for term, entry in index["invertedIndex"]}
    postings = {term: {f: sorted(refs) for f, refs in entry.items() if f != "_index"}
                for term, entry in index["invertedIndex"]}
    vectors = {}
    for key, flat in index["fieldVectors"]:
        if flat:
            vectors[key] = {names[flat[i]]: flat[i + 1] for i in range(0, len(flat), 2)}
    return postings, vectors


def frequencies(builder: IndexBuilder) -> dict[str, dict[str, int]]:
    """Each non-empty (field, document)'s term frequencies, keyed as lunr keys them (``b/1f``)."""
    found: dict[str, dict[str, int]] = {}
    for name, postings in builder.postings.items():
        for term, frequencies_by_ref in postings.items():
            for ref, frequency in frequencies_by_ref.items():
                found.setdefault(f"{name}/{ref}", {})[term] = frequency
    return found


def write_index(builder: IndexBuilder, folder: Path, parts: int) -> Path:
    """The builder's index as ``parts`` shards, its field lengths and a manifest naming them."""
    folder.mkdir()
    terms = builder.sorted_terms()
    cuts = [len(terms) * i // parts for i in range(parts + 1)]
    groups = [terms[a:b] for a, b in pairwise(cuts)]
    shards = []
    for number, data in enumerate(builder.shards(groups)):
        (folder / f"{number}.json").write_bytes(data)
        shards.append([groups[number][0] if number else "", f"{number}.json"])
    (folder / "lengths.json").write_text(json.dumps(builder.field_lengths()))
    manifest = folder / "manifest.json"
    manifest.write_text(json.dumps({"documents": builder.documents, "boosts": dict(FIELDS),
                                    "lengths": "lengths.json", "shards": shards}))
    return manifest


def test_builder_counts_equal_lunr_py(tmp_path: Path) -> None:
    """The terms, their frequencies and the field lengths: all that lunr's scores are made of."""
    docs = [{"ref": format(i, "x"), "t": f"Title {i} drone", "m": "Ann Author", "b": text}
            for i, text in enumerate(["Drone strikes in Pakistan.", "Strikes and more strikes; drones!",
                                      "Nothing relevant here at all.", "Pakistan’s north, Waziristan."])]

    def site_terms(token, i=None, tokens=None):
        term = _term(str(token))
        return None if term is None else token.update(lambda s, m=None: term)

    Pipeline.register_function(site_terms, "site_gen_terms_test")
    builder = Builder()
    builder.pipeline.add(site_terms)
    builder.ref("ref")
    for name, boost in FIELDS:
        builder.field(name, boost=boost)
    for doc in docs:
        builder.add({"ref": doc["ref"], **{k: normalise(doc[k]) for k in ("t", "m", "b")}})
    ours = IndexBuilder(FIELDS)
    assert [ours.add(doc) for doc in docs] == [doc["ref"] for doc in docs]
    assert frequencies(ours) == {key: dict(counts) for key, counts in builder.field_term_frequencies.items() if counts}
    lengths = ours.field_lengths()
    assert {f"{name}/{format(i, 'x')}": n for name, row in lengths.items() for i, n in enumerate(row)} == builder.field_lengths
    expected = builder.build().serialize()
    assert ours.sorted_terms() == [t for t, _ in expected["invertedIndex"]]


def test_shards_load_as_the_index_lunr_js_builds(node: str, tmp_path: Path) -> None:
    """The shards, read as search-engine.js reads them, are lunr.js's own index of the terms the
    browser makes of the same texts: the same postings and, to the last digit, the same BM25 scores.
    So the Python and JavaScript tokenisers agree on every script (Thai cut by the same ICU
    dictionaries, Arabic prefixes, CJK pairs)."""
    site = reuters_site(tmp_path, 300, 10_000)
    udhr = require_shared(CORPUS / "udhr")
    for name in ("rus.txt", "arb.txt", "pes_1.txt", "cmn_hans.txt", "jpn.txt", "kor.txt", "tha.txt", "lao.txt", "khm.txt",
                 "mya.txt", "fra.txt", "hin.txt", "ell_monotonic.txt"):
        shutil.copy(udhr / name, site / "seeds" / name)
    result = build(load_config(site), BuildOptions(write=False))
    docs = []
    builder = IndexBuilder(FIELDS)
    for _, page in search_documents(result.site):
        doc = {"t": page.meta.title, "m": page.meta.author, "b": page.text}
        doc["ref"] = builder.add(doc)
        docs.append(doc)
    (tmp_path / "docs.json").write_text(json.dumps(docs))
    run_node(node, "build_lunr.js", str(tmp_path / "docs.json"), str(tmp_path / "lunr.json"))
    expected = json.loads((tmp_path / "lunr.json").read_text())
    run_node(node, "expand.js", str(write_index(builder, tmp_path / "index", 3)), str(tmp_path / "ours.json"))
    actual = json.loads((tmp_path / "ours.json").read_text())
    assert [t for t, _ in actual["invertedIndex"]] == [t for t, _ in expected["invertedIndex"]]
    ours, theirs = meaning(actual), meaning(expected)
    assert ours[0] == theirs[0] and len(ours[1]) == len(theirs[1]) > 800
    assert ours[1] == theirs[1]


@pytest.mark.parametrize("count", [400])
def test_sharded_scores_equal_single_index_scores(node: str, tmp_path: Path, count: int) -> None:
    site = reuters_site(tmp_path, count, 0)
    result = build(load_config(site), BuildOptions(out=site / "public"))
    bundle = build_search_index(result.site)
    assert bundle.shards > 2
    docs = [{"ref": format(number, "x"), "t": page.meta.title, "m": page.meta.author, "b": page.text}
            for number, (_, page) in enumerate(search_documents(result.site))]
    (tmp_path / "docs.json").write_text(json.dumps(docs))
    run_node(node, "build_lunr.js", str(tmp_path / "docs.json"), str(site / "public" / "single.json"))
    sharded = query_site(node, site / "public", QUERIES, tmp_path)
    single = query_site(node, site / "public", QUERIES, tmp_path, single=True)
    for query, ours, theirs in zip(QUERIES, sharded, single, strict=True):
        scores = {r["ref"]: r["score"] for r in ours}
        assert scores == pytest.approx({r["ref"]: r["score"] for r in theirs}, rel=1e-9), query
    assert sum(len(r) for r in sharded) > 100
    leading_wildcard, fuzzy = query_site(node, site / "public", ["*ing", "opec~1"], tmp_path, progress=True)
    assert [p[:2] for p in leading_wildcard["progress"]] == [[n, bundle.shards] for n in range(1, bundle.shards)]
    counts = [p[2] for p in leading_wildcard["progress"]] + [len(leading_wildcard["hits"])]
    assert counts == sorted(counts) and counts[0] < counts[-1]
    assert [p[1] for p in fuzzy["progress"]] == [bundle.shards] * (bundle.shards - 1)
    assert fuzzy["hits"] == sharded[QUERIES.index("opec~1")]
    store = query_site(node, site / "public", ["oil"], tmp_path, prefetch=True)
    blocks = read_search_file((site / "public/search/manifest.js").read_bytes())["stores"]
    assert len(blocks) > len(store["before"]) > 0 and 0 < store["prefetched"] <= 4, store
    assert len(store["all"]) == len(set(store["all"])) == len(store["before"]) + store["prefetched"], "each block fetched once"
    typed = query_site(node, site / "public", ["oil", "oil pri", "oil prices", "*ing"], tmp_path, mode="--preload")
    assert typed[0]["preloaded"] and all(not t["searched"] and t["hits"] for t in typed[:3]), typed
    assert typed[3]["preloaded"] == [] and len(typed[3]["searched"]) == bundle.shards - len(
        {f for t in typed[:3] for f in t["preloaded"]}), "a query that needs every shard is not preloaded"
    read = query_site(node, site / "public", ["coffee", "oil prices", "oil prices "], tmp_path, mode="--read-ahead")
    coffee, oil, same = read["asked"]
    assert 0 < len(coffee) <= 10 < len(oil), "the shown, and those ranked by word order"
    assert sorted(read["aborted"]) == sorted(coffee), "a query needing new shards abandons what is read ahead"
    assert same == [], "one needing none keeps the texts it still wants (none abandoned), asking for nothing"
    assert read["searched"] == [], "the search and its snippets find every text they need"
    assert read["prepared"] and read["same"], "the search prepared while typing, as a fresh one would rank it"
    retried = query_site(node, site / "public", ["oil", "opec~1"], tmp_path, mode="--retry")
    assert [first for first, _ in retried] == ["failed", "failed"] and all(second > 0 for _, second in retried)


def test_bad_queries_never_throw(node: str, tmp_path: Path, example_site: Path) -> None:
    build(load_config(example_site))
    results = query_site(node, example_site / "public", [*BAD_QUERIES, "haqqani"], tmp_path)
    assert len(results) == len(BAD_QUERIES) + 1
    assert results[-1][0]["ref"] is not None


def test_small_site_has_one_shard_and_inline_texts(example_site: Path) -> None:
    result = build(load_config(example_site), BuildOptions(write=False))
    bundle = build_search_index(result.site)
    files = {f.path: read_search_file(f.data) for f in bundle.files}
    manifest = files[bundle.manifest]
    assert bundle.shards == 1 and len(manifest["stores"]) == 1
    store = files[manifest["stores"][0]]
    assert len(store) == 23 and all("x" in record for record in store)
    kinds = {record["k"] for record in store}
    assert kinds == {"article", "glossary", "page"}
    entry = next(r for r in store if r["t"] == "Haqqani network")
    assert entry["u"] == "glossary/haqqani-network/" and entry["a"] == ["Haqqani Network"]
    assert manifest == files["search/manifest.js"]
    hashed = [path for path in files if path != "search/manifest.js"]
    assert all(path.startswith("search/") and len(path.rsplit(".", 2)[1]) == 10 for path in hashed)


def test_a_shard_holds_term_frequencies_and_the_lengths_file_each_documents_length() -> None:
    builder = IndexBuilder(FIELDS)
    assert [builder.add({"t": "Oil prices", "b": "Oil, oil and more oil."}), builder.add({"m": "Oil Desk"})] == ["0", "1"]
    terms = builder.sorted_terms()
    assert terms == ["desk", "more", "oil", "price"]
    index = json.loads(builder.shard(terms[2:], 2))
    assert index["fields"] == ["t", "m", "b"] and index["fieldVectors"] == []
    assert index["invertedIndex"] == [["oil", {"_index": 2, "t": {"0": 1}, "m": {"1": 1}, "b": {"0": 3}}],
                                      ["price", {"_index": 3, "t": {"0": 1}, "m": {}, "b": {}}]]
    assert builder.field_lengths() == {"t": [2, 0], "m": [0, 2], "b": [4, 0]}


def test_an_edit_changes_only_the_index_files_of_its_own_terms(tmp_path: Path) -> None:
    """Shards hold frequencies, not scores that depend on every document's length: an edit leaves
    the other shards byte for byte (so hosts and browsers keep them cached across builds). The
    texts of the edited document's store block are renamed (their names share its hash); the store
    block itself holds no text, and its excerpt did not change."""
    site = reuters_site(tmp_path, 400, 0)
    built = build(load_config(site), BuildOptions(write=False)).site
    before = {file.path for file in build_search_index(built).files}
    number = next(i for i, page in enumerate(built.articles) if len(page.text) > 1000)
    articles = list(built.articles)
    articles[number] = dataclasses.replace(articles[number], text=articles[number].text + " zyzzyva")
    after = {file.path for file in build_search_index(dataclasses.replace(built, articles=tuple(articles))).files}
    changed = sorted(path.rsplit(".", 2)[0] for path in after - before)
    shards = [path for path in changed if path.startswith("search/i/")]
    assert len([path for path in before if path.startswith("search/i/")]) >= 10
    first = number // STORE_BLOCK * STORE_BLOCK
    texts_of_its_block = [f"search/f/{ref:x}" for ref in range(first, first + STORE_BLOCK)]
    assert 1 <= len(shards) <= 2 and changed == sorted([*shards, *texts_of_its_block, "search/l/0"]), changed
