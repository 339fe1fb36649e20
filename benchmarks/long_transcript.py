#!/usr/bin/env python3
"""A glossary term in every sentence of one long hard-wrapped transcript: build time with and without it.

    python benchmarks/long_transcript.py [--megabytes 1] [--repeat 1] [--json out.json]

The seed is a single paragraph of about ``--megabytes`` MB, wrapped at 72 columns, as a court or
hearing transcript comes; every sentence names the term. The same site is built twice, clean, in
the same process: once with a glossary entry for the term (every mention marked, each with its
concordance line) and once without. The figure to watch is the ratio: the term's cost should grow
with the number of mentions, not with mentions times the paragraph's length.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import textwrap
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from corpus_site import emit

from site_gen.config import load_config
from site_gen.pipeline import BuildOptions, build

TERM = "Haqqani network"
SENTENCE = ("Witness {n} said that the {term} had moved its fighters across the border again in the spring, "
            "and the committee asked what the {term} was paid.")
GLOSSARY = f"---\nterm: {TERM}\n---\nAn insurgent group.\n"


def transcript(megabytes: float) -> str:
    """Headline, byline and one hard-wrapped paragraph of about ``megabytes`` MB."""
    sentences, size, n = [], 0, 0
    while size < megabytes * 1_000_000:
        n += 1
        sentence = SENTENCE.format(n=n, term=TERM)
        sentences.append(sentence)
        size += len(sentence) + 1
    body = textwrap.fill(" ".join(sentences), width=72)
    return f"Hearing transcript\n\nCommittee staff 3 March 2011\n\n{body}\n"


def timed_build(site: Path) -> float:
    start = time.perf_counter()
    result = build(load_config(site), BuildOptions())
    seconds = time.perf_counter() - start
    if not result.ok:
        sys.exit(result.diagnostics.format())
    return seconds


def make_site(folder: Path, text: str, with_term: bool) -> Path:
    (folder / "seeds").mkdir(parents=True)
    (folder / "seeds" / "hearing.txt").write_text(text, encoding="utf-8")
    (folder / "content" / "glossary").mkdir(parents=True)
    if with_term:
        (folder / "content" / "glossary" / "haqqani-network.md").write_text(GLOSSARY, encoding="utf-8")
    return folder


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--megabytes", type=float, default=1.0)
    parser.add_argument("--repeat", type=int, default=1, help="clean builds of each site; the best is kept")
    parser.add_argument("--json", type=Path, help="also write the figures here")
    args = parser.parse_args()
    text = transcript(args.megabytes)
    times: dict[str, float] = {}
    with tempfile.TemporaryDirectory(prefix="long-transcript-") as work:
        for name, with_term in (("without_term", False), ("with_term", True)):
            best = float("inf")
            for attempt in range(args.repeat):
                site = make_site(Path(work) / f"{name}-{attempt}", text, with_term)
                best = min(best, timed_build(site))
            times[name] = best
    mentions = text.count(TERM)
    figures = {
        "characters": len(text), "lines": text.count("\n"), "mentions": mentions,
        "without_term_s": round(times["without_term"], 3), "with_term_s": round(times["with_term"], 3),
        "ratio": round(times["with_term"] / times["without_term"], 2),
    }
    print(f"one paragraph of {len(text) / 1e6:.2f} MB in {figures['lines']} lines, {mentions} mentions of the term")
    print(f"{'site':<28}{'clean build s':>14}")
    print(f"{'without the glossary entry':<28}{times['without_term']:>14.3f}")
    print(f"{'with the glossary entry':<28}{times['with_term']:>14.3f}")
    emit(figures, args.json)
    return 0


if __name__ == "__main__":
    sys.exit(main())
