#!/usr/bin/env python3
"""What citing costs per article: the formatted references (by shape, and by citeproc-py alone),
and the ``cite.bib``, ``cite.ris`` and ``cite.json`` downloads.

    python benchmarks/citations.py [--articles 4000] [--direct 200] [--json out.json]

The articles are the benchmark corpus's seeds (``corpus_site.corpus_texts``), parsed for their
titles, authors and dates. Processor time (``time.process_time``) in this one process: the
references by shape for every article with a fresh formatter (so the cost of formatting each
shape's probes is included), by citeproc-py alone for the first ``--direct`` articles (it is about
a hundred times slower), and the three downloads for every article.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from corpus_site import corpus_texts, emit

from site_gen import citation
from site_gen.config import SeedsSection
from site_gen.model import Seed
from site_gen.seed_parser import parse_seed
from site_gen.text import slugify


def works(count: int) -> list[citation.Work]:
    """The corpus's first ``count`` articles, as their citations describe them."""
    made = []
    for name, text in corpus_texts(count):
        meta = parse_seed(Seed(f"seeds/{name}", text, "utf-8"), SeedsSection()).meta
        url = f"https://example.org/reader/articles/{slugify(meta.title) or 'article'}/"
        made.append(citation.Work(meta, url, "Benchmark Reader", "en"))
    return made


def per_article_ms(items: list[citation.Work], make: object) -> float:
    start = time.process_time()
    for work in items:
        make(work)
    return (time.process_time() - start) / max(1, len(items)) * 1000


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=4000)
    parser.add_argument("--direct", type=int, default=200, help="articles formatted by citeproc-py alone")
    parser.add_argument("--json", type=Path, help="also write the figures here")
    args = parser.parse_args()
    items = works(args.articles)
    shaped = citation.Formatter()
    by_shape = per_article_ms(items, shaped.references)
    direct = per_article_ms(items[:args.direct], citation.Formatter(by_shape=False).references)
    downloads = per_article_ms(items, citation.downloads)
    shapes = {name: len(style.templates) for name, style in shaped.styles.items()}
    figures = {"articles": len(items), "references_by_shape_ms": round(by_shape, 3),
               "references_direct_ms": round(direct, 3), "direct_articles": min(args.direct, len(items)),
               "speed_up": round(direct / by_shape, 1), "shapes": shapes, "downloads_ms": round(downloads, 4)}
    print(f"{'per article (processor ms)':<44}{'ms':>10}")
    print(f"{'references by shape (' + str(len(items)) + ' articles)':<44}{by_shape:>10.3f}")
    print(f"{'references by citeproc-py alone (' + str(figures['direct_articles']) + ')':<44}{direct:>10.3f}")
    print(f"{'cite.bib + cite.ris + cite.json':<44}{downloads:>10.4f}")
    print(f"shapes: {shapes}")
    emit(figures, args.json)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
