#!/usr/bin/env python3
"""Glossary matching and annotation throughput with a large glossary over a large corpus.

    python benchmarks/annotation.py [--articles 4000] [--terms 5000] [--json out.json]

Articles are Reuters-21578 seeds from ../shared/corpus; the glossary is the corpus's own most
frequent capitalised phrases. Three matchers run over the same text in the same process:

- ``automaton``: site-gen's TermMatcher (all terms in one Aho-Corasick automaton);
- ``alternation``: one compiled regex of all terms (longest first), a common alternative;
- ``per-term regex``: one regex pass per term, what a naive implementation does (on a sample of
  the articles, scaled up: it is too slow to run in full).

Then ``annotate()`` (matching, anchoring one note per article, writing the Markdown) runs in full.
Figures are reported as ratios to the per-term baseline, measured in the same run.
"""

from __future__ import annotations

import argparse
import re
import sys
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from corpus_site import emit

from site_gen.annotate.annotator import AnnotateOptions, annotate
from site_gen.annotate.matcher import TermMatcher
from site_gen.config import SeedsSection
from site_gen.diagnostics import SourceLocation
from site_gen.model import Note, Seed
from site_gen.seed_parser import parse_seed
from site_gen.text import slugify

CORPUS = Path(__file__).resolve().parent.parent.parent / "shared" / "corpus" / "reuters21578"
PHRASE = re.compile(r"\b[A-Z][a-z]+(?:\s+(?:of\s+)?[A-Z][a-z]+)*\b")


def load_documents(count: int):
    files = sorted(CORPUS.glob("*.txt"))
    documents = []
    for path in files:
        text = path.read_text(encoding="utf-8")
        document = parse_seed(Seed(f"seeds/{path.name}", text, "utf-8"), SeedsSection())
        if document.blocks:
            documents.append(document)
        if len(documents) == count:
            break
    return documents


def frequent_terms(documents, count: int) -> list[str]:
    counts = Counter(match.group(0) for d in documents for b in d.blocks for match in PHRASE.finditer(b.text))
    return [term for term, _ in counts.most_common(count)]


def timed(function) -> tuple[float, object]:
    start = time.perf_counter()
    value = function()
    return time.perf_counter() - start, value


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=4000)
    parser.add_argument("--terms", type=int, default=5000)
    parser.add_argument("--baseline-sample", type=int, default=100, help="articles for the per-term baseline")
    parser.add_argument("--json", type=Path, help="also write the figures here")
    args = parser.parse_args()
    if not CORPUS.exists():
        sys.exit(f"{CORPUS} not found: the corpora live in ../shared/corpus")

    documents = load_documents(args.articles)
    texts = [block.text for d in documents for block in d.blocks]
    characters = sum(len(t) for t in texts)
    terms = frequent_terms(documents, args.terms)
    entries = {slugify(t) or f"t{i}": t for i, t in enumerate(terms)}
    pairs = [(term, slug) for slug, term in entries.items()]

    build_seconds, matcher = timed(lambda: TermMatcher(pairs))
    automaton_seconds, found = timed(lambda: sum(len(matcher.find(t)) for t in texts))

    alternation = re.compile(r"\b(?:" + "|".join(re.escape(t) for t in sorted(terms, key=len, reverse=True)) + r")\b")
    alternation_seconds, _ = timed(lambda: sum(len(alternation.findall(t)) for t in texts))

    sample = texts[: max(1, len(texts) * args.baseline_sample // max(1, len(documents)))]
    per_term = [re.compile(r"\b" + re.escape(t) + r"\b") for t in terms]
    sample_seconds, _ = timed(lambda: sum(len(p.findall(t)) for t in sample for p in per_term))
    per_term_seconds = sample_seconds * len(texts) / len(sample)

    notes = {d.meta.slug: (Note(d.blocks[0].text[:40], "A note.", SourceLocation("n.yml", 1)),) for d in documents}
    annotate_seconds, _ = timed(lambda: [
        annotate(d, matcher, notes[d.meta.slug], {}, AnnotateOptions()) for d in documents])

    figures = {
        "articles": len(documents), "terms": len(terms), "surface_forms": matcher.size,
        "characters": characters, "matches": found,
        "automaton_build_s": round(build_seconds, 3),
        "automaton_match_s": round(automaton_seconds, 3),
        "alternation_regex_s": round(alternation_seconds, 3),
        "per_term_regex_s_estimated": round(per_term_seconds, 2),
        "annotate_all_s": round(annotate_seconds, 3),
        "annotate_articles_per_s": round(len(documents) / annotate_seconds),
        "match_mb_per_s": round(characters / automaton_seconds / 1e6, 2),
        "ratio_automaton_to_per_term": round(automaton_seconds / per_term_seconds, 4),
        "ratio_alternation_to_per_term": round(alternation_seconds / per_term_seconds, 4),
    }
    print(f"{len(documents)} articles ({characters / 1e6:.1f} M characters), {len(terms)} terms "
          f"({matcher.size} surface forms), {found} matches\n")
    print(f"{'matcher':<26}{'seconds':>10}{'ratio to per-term':>20}")
    for name, seconds in (("automaton (site-gen)", automaton_seconds), ("one alternation regex", alternation_seconds),
                          ("per-term regex (est.)", per_term_seconds)):
        print(f"{name:<26}{seconds:>10.3f}{seconds / per_term_seconds:>20.4f}")
    print(f"\nautomaton build {build_seconds:.3f} s; annotate() of every article {annotate_seconds:.3f} s "
          f"({figures['annotate_articles_per_s']} articles/s)")
    emit(figures, args.json)
    return 0


if __name__ == "__main__":
    sys.exit(main())
