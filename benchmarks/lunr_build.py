#!/usr/bin/env python3
"""Building a Lunr index: lunr.py against site-gen's builder, on the same documents, in one run.

    python benchmarks/lunr_build.py [--documents 1000 4000] [--json out.json]

Documents are corpus articles (``corpus_site.py``), three fields (title boosted, metadata, body),
both builders with the same text pipeline (site-gen's, which follows lunr.js). Reports build
seconds (tokenising included), the serialized size (site-gen's: its index and the field lengths file
the browser makes lunr's scores from), and the ratio of site-gen's time to lunr.py's.
"""

from __future__ import annotations

import argparse
import gzip
import json
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))

from corpus_site import corpus_texts, emit  # noqa: E402
from lunr.builder import Builder  # noqa: E402
from lunr.pipeline import Pipeline  # noqa: E402

from site_gen.search import FIELDS  # noqa: E402
from site_gen.search.lunr_index import IndexBuilder  # noqa: E402
from site_gen.search.terms import _term, normalise  # noqa: E402


def documents(count: int) -> list[dict[str, str]]:
    docs = []
    for number, (_, text) in enumerate(corpus_texts(count)):
        title, _, body = text.partition("\n")
        docs.append({"ref": format(number, "x"), "t": title, "m": "", "b": body})
    return docs


def site_terms(token, i=None, tokens=None):
    term = _term(str(token))
    return None if term is None else token.update(lambda s, m=None: term)


def with_lunr_py(docs: list[dict[str, str]]) -> bytes:
    builder = Builder()
    builder.pipeline.add(site_terms)
    builder.ref("ref")
    for name, boost in FIELDS:
        builder.field(name, boost=boost)
    for doc in docs:
        builder.add({"ref": doc["ref"], **{name: normalise(doc[name]) for name, _ in FIELDS}})
    return json.dumps(builder.build().serialize(), separators=(",", ":")).encode()


def with_site_gen(docs: list[dict[str, str]]) -> bytes:
    builder = IndexBuilder(FIELDS)
    for doc in docs:
        builder.add(doc)
    index = next(builder.shards([builder.sorted_terms()]))
    return index + json.dumps(builder.field_lengths(), separators=(",", ":")).encode()


def timed(function, docs) -> tuple[float, bytes]:
    started = time.perf_counter()
    data = function(docs)
    return time.perf_counter() - started, data


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--documents", type=int, nargs="+", default=[1000, 4000])
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    Pipeline.register_function(site_terms, "site_gen_terms")
    results = {}
    for count in args.documents:
        docs = documents(count)
        ours, ours_data = timed(with_site_gen, docs)
        theirs, theirs_data = timed(with_lunr_py, docs)
        results[count] = {"site_gen_s": round(ours, 2), "lunr_py_s": round(theirs, 2), "ratio": round(ours / theirs, 3),
                          "site_gen_gzip_kb": round(len(gzip.compress(ours_data, 6)) / 1024),
                          "lunr_py_gzip_kb": round(len(gzip.compress(theirs_data, 6)) / 1024)}
    print(f"{'documents':>10}{'site-gen s':>12}{'lunr.py s':>11}{'ratio':>8}{'site-gen gz KB':>16}{'lunr.py gz KB':>15}")
    for count, r in results.items():
        print(f"{count:>10}{r['site_gen_s']:>12}{r['lunr_py_s']:>11}{r['ratio']:>8}{r['site_gen_gzip_kb']:>16}"
              f"{r['lunr_py_gzip_kb']:>15}")
    emit(results, args.json)
    return 0


if __name__ == "__main__":
    sys.exit(main())
