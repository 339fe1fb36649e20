#!/usr/bin/env python3
"""site-gen against the generators a user would pick instead, on the same articles, same machine, same run.

    python benchmarks/compare.py [--articles 4000] [--repeat 3] [--peers pelican hugo] [--json out.json]

The articles come from ``corpus_site.py`` (real Reuters and State of the Union texts). site-gen
builds them with a 500-term glossary, one note per article and its search index; each peer builds
the same articles as plain Markdown, without any annotation:

- Pelican and MkDocs: installed by this script into ``benchmarks/.work/peers-venv`` (pip);
- Hugo: Debian's ``hugo`` package, if installed (``apt-get install hugo``);
- Eleventy: ``@11ty/eleventy`` from the npm registry, if ``npx`` can run it (``npm install -g @11ty/eleventy``).

A peer that is not available is reported as such. Each figure is the median of ``--repeat`` clean
builds, taken in rounds (each generator builds once per round), each into folders that do not exist
(the previous output is set aside, not deleted: ``set_aside.py``); the ratio is site-gen's time
divided by the peer's (under 1.0: site-gen is faster). This is
slow (minutes), so it is not part of CI; ``benchmarks/run.py`` has the site-gen figures in detail.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(HERE))

from corpus_site import add_notes, emit, make_site  # noqa: E402
from set_aside import SetAside  # noqa: E402

from site_gen.config import load_config  # noqa: E402
from site_gen.pipeline import BuildOptions, build  # noqa: E402

PEERS = ("pelican", "mkdocs", "hugo", "eleventy")
PEER_PACKAGES = ["pelican==4.12.0", "mkdocs==1.6.1", "markdown==3.11.3"]


def markdown_articles(site: Path) -> list[tuple[str, str, str, str]]:
    """(slug, title, date, Markdown body) of every article site-gen made, with no annotation."""
    result = build(load_config(site), BuildOptions(write=False))
    articles = []
    for page in result.site.articles:
        body = "\n\n".join(paragraph for paragraph in page.text.split("\n") if paragraph.strip())
        date = "-".join([*(page.meta.date or "2000").split("-"), "01", "01"])[:10]
        articles.append((page.meta.slug, page.meta.title.replace('"', "'"), date, body))
    return articles


def peers_python(work: Path) -> Path:
    venv = work / "peers-venv"
    python = venv / "bin" / "python"
    if not python.exists():
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
        subprocess.run([str(python), "-m", "pip", "install", "-q", *PEER_PACKAGES], check=True)
    return python


def pelican_site(folder: Path, articles) -> list[str]:
    content = folder / "content"
    content.mkdir(parents=True)
    for slug, title, date, body in articles:
        (content / f"{slug}.md").write_text(f"Title: {title}\nDate: {date}\nSlug: {slug}\n\n{body}\n", encoding="utf-8")
    (folder / "pelicanconf.py").write_text('SITENAME = "Benchmark"\nPATH = "content"\nTIMEZONE = "UTC"\n'
                                           'FEED_ALL_ATOM = None\nDEFAULT_LANG = "en"\n')
    return ["-m", "pelican", "content", "-o", "output", "-s", "pelicanconf.py", "-q"]


def mkdocs_site(folder: Path, articles) -> list[str]:
    docs = folder / "docs"
    docs.mkdir(parents=True)
    (docs / "index.md").write_text("# Benchmark\n")
    for slug, title, _, body in articles:
        (docs / f"{slug}.md").write_text(f"# {title}\n\n{body}\n", encoding="utf-8")
    (folder / "mkdocs.yml").write_text("site_name: Benchmark\nplugins:\n  - search\n")
    return ["-m", "mkdocs", "build", "-q"]


def hugo_site(folder: Path, articles) -> list[str]:
    posts = folder / "content" / "posts"
    posts.mkdir(parents=True)
    (folder / "hugo.toml").write_text('baseURL = "https://example.org/"\ntitle = "Benchmark"\n')
    layouts = folder / "layouts" / "_default"
    layouts.mkdir(parents=True)
    (layouts / "single.html").write_text("<html><body><h1>{{ .Title }}</h1>{{ .Content }}</body></html>")
    (layouts / "list.html").write_text("<html><body>{{ range .Pages }}<a href='{{ .RelPermalink }}'>{{ .Title }}</a>"
                                       "{{ end }}</body></html>")
    for slug, title, date, body in articles:
        (posts / f"{slug}.md").write_text(f'---\ntitle: "{title}"\ndate: {date}\n---\n{body}\n', encoding="utf-8")
    return ["--quiet"]


def eleventy_site(folder: Path, articles) -> list[str]:
    posts = folder / "posts"
    posts.mkdir(parents=True)
    for slug, title, date, body in articles:
        (posts / f"{slug}.md").write_text(f'---\ntitle: "{title}"\ndate: {date}\n---\n{body}\n', encoding="utf-8")
    return ["--quiet"]


@dataclass
class Contender:
    name: str
    command: list[str]
    cwd: Path
    clean: list[str]
    """Folders removed before each build, so every build is a clean one."""
    accept: tuple[int, ...] = (0,)
    """Exit statuses that still mean "built"."""
    times: list[float] = field(default_factory=list)
    failed: bool = False


def build_once(contender: Contender, aside: SetAside) -> None:
    for name in contender.clean:
        aside.move(contender.cwd / name)
    started = time.perf_counter()
    done = subprocess.run(contender.command, cwd=contender.cwd, capture_output=True, text=True, check=False)
    if done.returncode not in contender.accept:
        print(f"  {contender.name} failed: {done.stderr.strip()[-300:]}", file=sys.stderr)
        contender.failed = True
    contender.times.append(time.perf_counter() - started)


def race(contenders: list[Contender], repeat: int, aside: SetAside) -> dict[str, float | None]:
    """Median wall time of each contender's ``repeat`` clean builds, taken in rounds (each builds once
    per round), so a slow spell of this noisy machine falls on all of them alike. The previous
    outputs are set aside, not deleted, before each build (``set_aside.py`` says why)."""
    for _ in range(repeat):
        for contender in contenders:
            if not contender.failed:
                build_once(contender, aside)
    return {c.name: None if c.failed else statistics.median(c.times) for c in contenders}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=4000)
    parser.add_argument("--terms", type=int, default=500)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--json", type=Path)
    parser.add_argument("--work", type=Path, default=HERE / ".work")
    parser.add_argument("--peers", nargs="+", choices=PEERS, default=list(PEERS),
                        help="peers to build (default: all; MkDocs alone takes minutes at 4,000 articles)")
    args = parser.parse_args()
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

    clean = [str(site / "public"), str(site / "content" / "articles"), str(site / ".public.old")]
    contenders = [Contender("site-gen", [sys.executable, str(REPO / "build.py"), "build", "--quiet", "--site", str(site)],
                            REPO, clean, accept=(0, 1))]
    python = str(peers_python(args.work))
    for name, make, clean in (("pelican", pelican_site, ["output"]), ("mkdocs", mkdocs_site, ["site"])):
        if name in args.peers:
            folder = work / name
            contenders.append(Contender(name, [python, *make(folder, articles)], folder, clean))
    missing = []
    for name, program, make, clean, install in (
            ("hugo", "hugo", hugo_site, "public", "apt-get install hugo"),
            ("eleventy", "eleventy", eleventy_site, "_site", "npm install -g @11ty/eleventy")):
        if name not in args.peers:
            continue
        found = shutil.which(program)
        if found is None:
            missing.append(name)
            print(f"{name} not installed ({install}): skipped", file=sys.stderr)
            continue
        folder = work / name
        contenders.append(Contender(name, [found, *make(folder, articles)], folder, [clean]))
    results = race(contenders, args.repeat, aside) | dict.fromkeys(missing)

    ours = results["site-gen"]
    print(f"\n{args.articles} articles; site-gen with a {args.terms}-term glossary, notes and search; peers plain Markdown\n")
    print(f"{'generator':<10}{'seconds':>9}{'site-gen ratio':>16}")
    for name, seconds in results.items():
        shown = f"{seconds:9.2f}" if seconds is not None else f"{'n/a':>9}"
        ratio = f"{ours / seconds:16.2f}" if seconds and ours else f"{'':>16}"
        print(f"{name:<10}{shown}{ratio}")
    summary = {"articles": args.articles, "seconds": results,
               "ratios": {n: round(ours / s, 3) for n, s in results.items() if s and ours and n != "site-gen"}}
    emit(summary, args.json)
    return 0


if __name__ == "__main__":
    sys.exit(main())
