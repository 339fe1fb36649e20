#!/usr/bin/env python3
"""Build benchmark: sites of 100, 1,000 and 4,000 articles from the real corpora, timed.

    python benchmarks/run.py [--sizes 100 1000 4000] [--terms 500] [--repeat 3] [--json results.json]

For each size, each figure is the median of ``--repeat`` runs, every run a fresh ``site-gen build``
process (as a user would run it), measured with its peak memory (``measured.py``):

- clean full build (no output, no kept previous output, no generated content: set aside, not
  deleted, see ``set_aside.py``), with its CPU seconds and the memory of all its processes together;
- no-change rebuild (the same command again: the up-to-date check answers);
- one-article-edit rebuild (one seed changed: a new process reads the build cache the full build
  kept in ``.cache/``, and renders again only what the edit reaches), and the next edit (a second
  one: from then on each build recycles the folder of the site the previous build replaced, as an
  editor's builds do); the pages the edit rendered again, and the cache's size on disk;
- one-article edit in live preview (``site-gen serve``: its cache and dependency graph stay in
  memory): from saving the seed to the reload event reaching a browser, median of
  :data:`LIVE_EDITS` saves (``live_reload.py`` times every kind of edit);
- time per stage of the full build, pages per second, search index size (raw and gzipped, per
  article and against the gzipped article text).

Prints a table and a JSON document. Sites are made by ``corpus_site.py`` in ``benchmarks/.work``.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import statistics
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(HERE))

import measured  # noqa: E402
from corpus_site import CORPUS, add_notes, emit, make_site  # noqa: E402
from live_reload import EpochListener, time_saves  # noqa: E402
from set_aside import SetAside  # noqa: E402

from site_gen.config import load_config  # noqa: E402
from site_gen.pipeline import BuildOptions, build  # noqa: E402
from site_gen.serve.session import PreviewSession, Reports  # noqa: E402

LIVE_EDITS = 5

STAGE_SCRIPT = """
import json, sys
from pathlib import Path
from site_gen.config import load_config
from site_gen.pipeline import build, BuildOptions
result = build(load_config(Path(sys.argv[1])), BuildOptions(reuse=True))
print(json.dumps({"timings": {k: round(v, 3) for k, v in result.timings.items()}, "stats": result.cache_stats}))
"""


def prepare(size: int, terms: int, work: Path, aside: SetAside) -> Path:
    aside.move(work / f"site-{size}")
    site = make_site(work / f"site-{size}", size, terms)
    result = build(load_config(site), BuildOptions(write=False))
    add_notes(site, [(a.document.meta.slug, "\n".join(b.text for b in a.document.blocks)) for a in result.annotated])
    aside.move(site / "content" / "articles")
    return site


def run(command: list[str]) -> measured.Measured:
    """One fresh process and its workers, measured (``measured.py``); a build that reports errors
    in the site (exit status 1) still counts. CPU time varies less than wall time on a busy machine:
    compare code versions by both."""
    done = measured.measure(command, REPO)
    if done.returncode not in (0, 1):
        raise SystemExit(f"{command} failed:\n{done.stderr}")
    return done


def clean(site: Path, aside: SetAside) -> None:
    """The site as a fresh checkout has it: no output, no kept previous output, no generated content
    (set aside, not deleted: ``set_aside.py``)."""
    for path in (site / "public", site / ".public.old", site / ".cache", site / "content" / "articles"):
        aside.move(path)


def seed_to_edit(site: Path) -> Path:
    seeds = sorted((site / "seeds").glob("*.txt"))
    return seeds[len(seeds) // 3]


def edit_one(seed: Path, turn: int) -> None:
    """Change a sentence of ``seed`` (differently for each ``turn``)."""
    text = seed.read_text(encoding="utf-8")
    position = text.index(". ", text.index(". ") + 1)
    seed.write_text(text[:position] + f" (edit {turn})" + text[position:], encoding="utf-8")


def live_edit_seconds(site: Path, seed: Path, aside: SetAside) -> float:
    """Median seconds from saving one seed to the reload event, in a live preview session of ``site``
    (its first build not timed; its output in a folder of its own, set aside afterwards)."""
    out = site.parent / f"{site.name}-preview"
    session = PreviewSession(site, "127.0.0.1", 0, out=out, reports=Reports(lambda line: None))
    session.start()
    try:
        listener = EpochListener(session.server.server_address[1])
        listener.wait(1)
        latencies = time_saves(session, listener, LIVE_EDITS, lambda turn: edit_one(seed, 1000 + turn))
    finally:
        session.stop()
        aside.move(out)
    return statistics.median(latencies)


def measure(site: Path, repeat: int, aside: SetAside) -> dict:
    build_command = [sys.executable, "build.py", "build", "--quiet", "--site", str(site)]
    stage_command = [sys.executable, "-c", STAGE_SCRIPT, str(site)]
    full, nochange, edit, next_edit, stages, rendered, html = [], [], [], [], [], [], []
    seed = seed_to_edit(site)
    for turn in range(repeat):
        clean(site, aside)
        stats = run(stage_command)
        full.append(stats)
        stages.append(json.loads(stats.stdout)["timings"])
        nochange.append(run(build_command))
        edit_one(seed, 2 * turn)
        edit.append(run(stage_command))  # a new process: it reads the cache the full build kept
        rendered.append(json.loads(edit[-1].stdout)["stats"]["page"][1])
        html.append(json.loads(edit[-1].stdout)["stats"]["html"][1])
        edit_one(seed, 2 * turn + 1)  # the next edit: now the build recycles the folder the last one replaced
        next_edit.append(run(build_command))
    pages = sum(1 for _ in (site / "public").rglob("index.html"))
    articles = len(list((site / "public" / "articles").iterdir()))
    search = [p for p in (site / "public" / "search").rglob("*.js")]
    raw = sum(p.stat().st_size for p in search)
    packed = sum(len(gzip.compress(p.read_bytes(), 6)) for p in search)
    text = "\n".join((p / "index.html").read_text(encoding="utf-8") for p in (site / "public" / "articles").iterdir())
    shards = [p for p in search if "/i/" in p.as_posix()]
    live_edit = live_edit_seconds(site, seed, aside)
    median = statistics.median
    full_seconds = median(f.seconds for f in full)
    return {
        "articles": articles,
        "pages": pages,
        "full_build_s": round(full_seconds, 2),
        "full_build_peak_mb": round(max(f.peak_mb for f in full)),
        "full_build_all_mb": round(max(f.all_mb for f in full)),
        "full_build_cpu_s": round(median(f.cpu_seconds for f in full), 2),
        "no_change_rebuild_s": round(median(n.seconds for n in nochange), 2),
        "no_change_peak_mb": round(max(n.peak_mb for n in nochange)),
        "one_edit_rebuild_s": round(median(e.seconds for e in edit), 2),
        "one_edit_peak_mb": round(max(e.peak_mb for e in edit)),
        "next_edit_rebuild_s": round(median(e.seconds for e in next_edit), 2),
        "one_edit_pages_rendered": max(rendered),
        "one_edit_html_made": max(html),
        "cache_mb": round(sum(p.stat().st_size for p in (site / ".cache").glob("*.pickle")) / 1e6, 1),
        "live_preview_edit_ms": round(live_edit * 1000),
        "pages_per_s": round(pages / full_seconds),
        "stages_s": {stage: round(median(s.get(stage, 0) for s in stages), 2) for stage in stages[0]},
        "search_raw_kb": round(raw / 1024),
        "search_gzip_kb": round(packed / 1024),
        "search_gzip_bytes_per_article": round(packed / max(articles, 1)),
        "search_shards": len(shards),
        "largest_shard_gzip_kb": round(max((len(gzip.compress(p.read_bytes(), 6)) for p in shards), default=0) / 1024),
        "article_html_gzip_kb": round(len(gzip.compress(text.encode(), 6)) / 1024),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100, 1000, 4000])
    parser.add_argument("--terms", type=int, default=500)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--json", type=Path)
    parser.add_argument("--work", type=Path, default=HERE / ".work")
    args = parser.parse_args()
    if not CORPUS.exists():
        sys.exit(f"{CORPUS} not found: the corpora live in ../shared/corpus")
    args.work.mkdir(parents=True, exist_ok=True)
    results = {}
    with SetAside(args.work / "aside") as aside:
        for size in args.sizes:
            site = prepare(size, args.terms, args.work, aside)
            results[size] = measure(site, args.repeat, aside)
    print(f"site-gen build, {args.terms}-term glossary, one note per article; median of {args.repeat} fresh processes,"
          f" {os.cpu_count()} CPUs\n")
    header = f"{'articles':>8} {'full s':>7} {'CPU s':>6} {'peak MB':>8} {'all MB':>7} {'no-change s':>12} {'MB':>5}" \
             f" {'1 edit s':>9} {'MB':>5} {'next edit s':>12} {'live edit ms':>13} {'pages/s':>8}" \
             f" {'index gz KB':>12} {'B/article':>10} {'shards':>7}"
    print(header)
    for size, r in results.items():
        print(f"{size:>8} {r['full_build_s']:>7} {r['full_build_cpu_s']:>6} {r['full_build_peak_mb']:>8}"
              f" {r['full_build_all_mb']:>7}"
              f" {r['no_change_rebuild_s']:>12}"
              f" {r['no_change_peak_mb']:>5} {r['one_edit_rebuild_s']:>9} {r['one_edit_peak_mb']:>5}"
              f" {r['next_edit_rebuild_s']:>12} {r['live_preview_edit_ms']:>13} {r['pages_per_s']:>8} {r['search_gzip_kb']:>12}"
              f" {r['search_gzip_bytes_per_article']:>10} {r['search_shards']:>7}")
    print("\nbuild cache kept in .cache/ (MB), pages rendered again by the one-article edit (Markdown, HTML):")
    for size, r in results.items():
        print(f"{size:>8} {r['cache_mb']:>7} MB {r['one_edit_pages_rendered']:>5} {r['one_edit_html_made']:>5} pages")
    print("\nstages of the full build (s):")
    for size, r in results.items():
        print(f"{size:>8} " + "  ".join(f"{k} {v}" for k, v in r["stages_s"].items()))
    emit(results, args.json)
    return 0


if __name__ == "__main__":
    sys.exit(main())
