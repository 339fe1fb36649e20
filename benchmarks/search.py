#!/usr/bin/env python3
"""Search side by side with Pagefind: the same built pages, the same queries, in one run.

    python benchmarks/search.py [--sotu] [--sizes 4000] [--json out.json] [--work benchmarks/.work]

For each size, a site of corpus articles (``corpus_site.py``, with a 500-term glossary), and with
``--sotu`` a site of the whole State of the Union addresses (one article each, its file name as its
title), is built with site-gen; Pagefind (installed from the npm registry into ``--work``, version :data:`PAGEFIND`)
indexes a copy of the same built pages, ``data-pagefind-body`` on the article text (the element
site-gen's index reads: articles, pages, glossary entries) and ``data-pagefind-meta="title"`` on
their heading. Then, in headless Chromium over a local server that gzips like a CDN (keep-alive),
for every query in :data:`QUERIES`, both engines are driven the same way by a small harness page
that loads nothing of either before the first query:

- **first query** (cold cache, a fresh page): from the query being issued to its results being
  ready (the count and the top ten results' titles and excerpts: site-gen's snippets, Pagefind's
  ``data()``), engine scripts included; and the bytes that took (response bodies as transferred,
  gzipped, Pagefind's web worker's included);
- **typed query** (the page warm from one earlier query): the query typed a character every
  60 ms, each keystroke handed to the engine's preload (``engine.preload``, ``pagefind.preload``),
  timed from the search being issued, 60 ms after the last keystroke (a typing pause, as a page
  searches when the reader pauses), to the same results; and the bytes downloaded from the first
  keystroke to those results (what preloading while typing costs);
- per query: the number of results, and how many of the top five hold every word of the query.

It also reports each index's build time and size. Timings on a shared machine are noisy: compare
the two columns of one run, not runs with each other.
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import gzip
import http.server
import re
import shutil
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import ClassVar

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(HERE))

from corpus_site import CORPUS, emit, make_site  # noqa: E402

from site_gen.config import load_config  # noqa: E402
from site_gen.pipeline import BuildOptions, build  # noqa: E402
from site_gen.search import build_search_index, search_documents  # noqa: E402
from site_gen.search.terms import terms  # noqa: E402

PAGEFIND = "1.6.0"
QUERIES = [
    # everyday words and pairs
    "oil", "oil prices", "interest rates", "trade deficit", "coffee", "wheat exports", "federal reserve", "japan",
    "dollar", "gold", "merger", "profit", "strike", "union", "tax", "congress", "president", "war", "economy",
    "crude", "opec", "bank of japan", "cocoa prices", "sugar quota", "drought in brazil", "petroleum",
    # famous lines, typed with and without quotes
    '"four freedoms"', "axis of evil", "the era of big government is over",
    # punctuation, typos, words not finished, accents
    "U.S.", "tariff?", "(slavery)", "Lincoln,", "goverment", "econmy", "nucl", "tarif", "détente",
]
"""The fixed list of queries both engines answer (written down here so runs compare)."""
TYPING_DELAY_MS = 60


def gz(data: bytes) -> int:
    return len(gzip.compress(data, 6))


class GzipHandler(http.server.SimpleHTTPRequestHandler):
    """A static host like a CDN: keep-alive connections, every file gzipped, files read once."""

    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True
    """Headers and body go out as separate writes; with Nagle's algorithm on, the body of a kept-alive
    connection waits for the client's delayed ACK (40 ms), which no real static host adds."""
    cache: ClassVar[dict[str, bytes]] = {}
    extensions_map: ClassVar[dict[str, str]] = {**http.server.SimpleHTTPRequestHandler.extensions_map,
                                                ".wasm": "application/wasm", ".js": "text/javascript"}

    def log_message(self, *args) -> None:
        pass

    def do_GET(self) -> None:
        path = self.translate_path(self.path.split("?")[0])
        if Path(path).is_dir():
            path = str(Path(path) / "index.html")
        if not Path(path).is_file():
            self.send_error(404)
            return
        key = f"{path}:{Path(path).stat().st_mtime_ns}"
        body = self.cache.get(key)
        if body is None:
            body = self.cache[key] = gzip.compress(Path(path).read_bytes(), 6)
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(path))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


class QuietServer(http.server.ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address) -> None:
        """Browsers drop connections they no longer need; that is not worth a traceback."""


def serve(folder: Path) -> str:
    server = QuietServer(("127.0.0.1", 0), functools.partial(GzipHandler, directory=str(folder)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return f"http://127.0.0.1:{server.server_address[1]}/"


TIMING = """
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
window.first = async (query) => {
  const t0 = performance.now();
  const found = await results(await start(), query);
  return { ...found, ms: performance.now() - t0 };
};
window.typed = async (query) => {
  const e = await start();
  for (let i = 1; i <= query.length; i++) { e.preload(query.slice(0, i)); await sleep(DELAY); }
  const t0 = performance.now();
  const found = await results(e, query);
  return { ...found, ms: performance.now() - t0 };
};
</script>"""
"""What both harness pages time, the same way: ``first(query)`` on a cold page, ``typed(query)``, a
character every DELAY ms handed to the engine's preload, from the search DELAY ms after the last
keystroke; each page defines
``start()`` (its engine, loaded once) and ``results(engine, query)`` (the count and the top ten's URLs,
once their titles and excerpts are ready)."""

SITE_GEN_HARNESS = """<!doctype html><meta charset="utf-8"><title>site-gen</title>
<script>
function script(src) {
  return new Promise((resolve, reject) => {
    const s = document.createElement("script"); s.src = src; s.onload = resolve; s.onerror = reject; document.head.append(s);
  });
}
let engine = null;
async function start() {
  if (!engine) {
    await Promise.all([script("LUNR"), script("ENGINE")]);
    const api = window.siteGenSearchEngine;
    const load = (path, signal) => fetch(path, { signal }).then((r) => r.text()).then(api.parseFile);
    engine = api.createEngine({ lunr: window.lunr, load, manifestUrl: "search/manifest.js" });
    await engine.load();
  }
  return engine;
}
async function results(e, query) {
  const outcome = await e.search(query);
  const top = outcome.results.slice(0, 10);
  top.forEach((r) => e.text(r.ref));  /* as search-ui.js does: the texts first, they hold the records */
  const shown = await Promise.all(top.map((r) => Promise.all([e.record(r.ref), e.snippet(r.ref, outcome)])));
  return { count: outcome.results.length, urls: shown.map(([item]) => item.u) };
}""" + TIMING

PAGEFIND_HARNESS = """<!doctype html><meta charset="utf-8"><title>Pagefind</title>
<script>
let pagefind = null;
async function start() {
  if (!pagefind) { pagefind = await import("./pagefind/pagefind.js"); await pagefind.init(); }
  return pagefind;
}
async function results(p, query) {
  const search = await p.search(query);
  const top = await Promise.all(search.results.slice(0, 10).map((r) => r.data()));
  return { count: search.results.length, urls: top.map((d) => d.url.replace(/^\\//, "")) };
}""" + TIMING


def install_pagefind(work: Path) -> Path:
    """The Pagefind binary, from the npm registry package (its platform binary comes as a
    dependency package), installed once into ``work``."""
    folder = work / f"pagefind-{PAGEFIND}"
    binary = folder / "node_modules" / ".bin" / "pagefind"
    if not binary.exists():
        folder.mkdir(parents=True, exist_ok=True)
        subprocess.run(["npm", "install", "--silent", "--no-audit", "--no-fund", "--prefix", str(folder),
                        f"pagefind@{PAGEFIND}"], check=True)
    return binary


BODY = re.compile(r'<div class="article-body( definition)?">')
HEADING = re.compile(r"(<header class=\"article-header\">.*?<h1)>", re.DOTALL)


def pagefind_copy(public: Path, folder: Path) -> int:
    """A copy of the built site whose article, page and glossary texts carry Pagefind's attributes
    (the other pages are then left out of its index, as site-gen's index leaves them out)."""
    shutil.rmtree(folder, ignore_errors=True)
    shutil.copytree(public, folder, ignore=shutil.ignore_patterns("search"))
    marked = 0
    for page in folder.rglob("index.html"):
        html = page.read_text(encoding="utf-8")
        if BODY.search(html):
            html = BODY.sub(lambda match: match.group(0)[:-1] + " data-pagefind-body>", html, count=1)
            html = HEADING.sub(r'\1 data-pagefind-meta="title">', html, count=1)
            page.write_text(html, encoding="utf-8")
            marked += 1
    return marked


def index_pagefind(binary: Path, folder: Path) -> dict:
    started = time.perf_counter()
    subprocess.run([str(binary), "--site", str(folder), "--quiet"], check=True)
    seconds = time.perf_counter() - started
    files = [p for p in (folder / "pagefind").rglob("*") if p.is_file()]
    return {"index_build_s": round(seconds, 2), "index_files": len(files),
            "index_gzip_kb": round(sum(gz(p.read_bytes()) for p in files) / 1024)}


def index_site_gen(site: Path) -> tuple[dict, dict[str, str]]:
    """Build the site; the search index's figures and each searchable page's text by URL."""
    result = build(load_config(site), BuildOptions())
    started = time.perf_counter()
    bundle = build_search_index(result.site)
    seconds = time.perf_counter() - started
    texts = {page.url: f"{page.meta.title}\n{page.text}" for _, page in search_documents(result.site)}
    return ({"index_build_s": round(seconds, 2), "index_files": len(bundle.files),
             "index_gzip_kb": round(sum(gz(f.data) for f in bundle.files) / 1024)}, texts)


def harness(public: Path, name: str, template: str) -> str:
    assets = {p.name.split(".")[0]: p.relative_to(public).as_posix() for p in (public / "assets").rglob("*.js")}
    page = (template.replace("LUNR", assets.get("lunr", "")).replace("ENGINE", assets.get("search-engine", ""))
            .replace("DELAY", str(TYPING_DELAY_MS)))
    (public / name).write_text(page, encoding="utf-8")
    return name


@contextlib.contextmanager
def chromium():
    """Debian's Chromium, headless, as the browser tests launch it."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", headless=True,
                                             args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"])
        yield browser
        browser.close()


def drive(browser, pages: dict[str, str], queries: list[str]) -> dict[str, list[dict]]:
    """Each query first on a cold page (results, time, bytes), then typed on a warm one, with each
    engine (``pages``: engine -> harness page URL) in turn, query by query, so a busy moment of a
    shared machine falls on both."""
    runs: dict[str, list[dict]] = {engine: [] for engine in pages}
    for query in queries:
        for engine, url in pages.items():
            runs[engine].append(one_query(browser, url, query))
    return runs


def timed(browser, url: str, ready: Callable, script: str, query: str) -> dict:
    """What ``script`` returns for ``query`` on a page at ``url`` in a browser context of its own,
    once ``ready(tab)`` is done, with the KB it downloaded meanwhile (``kb``)."""
    context = browser.new_context()
    finished: list = []
    context.on("requestfinished", lambda request: finished.append(request))
    tab = context.new_page()
    tab.goto(url)
    ready(tab)
    finished.clear()
    figures = tab.evaluate(script, query)
    figures["kb"] = sum(request.sizes()["responseBodySize"] for request in finished) / 1024
    context.close()
    return figures


def one_query(browser, url: str, query: str) -> dict:
    first = timed(browser, url, lambda tab: tab.wait_for_load_state("load"), "query => window.first(query)", query)
    typed = timed(browser, url, lambda tab: tab.evaluate("() => window.first('market')"),
                  "query => window.typed(query)", query)
    return {"query": query, "count": first["count"], "urls": first["urls"], "first_ms": first["ms"],
            "first_kb": first["kb"], "typed_ms": typed["ms"], "typed_kb": typed["kb"]}


def holds_every_word(text: str, query: str) -> bool:
    wanted = set(terms(query.replace('"', " ")))
    return wanted <= set(terms(text))


def summary(runs: list[dict], texts: dict[str, str]) -> dict:
    def stats(key: str, digits: int = 0) -> tuple[float, float]:
        values = [run[key] for run in runs]
        return round(statistics.median(values), digits), round(max(values), digits)

    top5 = sum(holds_every_word(texts.get(url, ""), run["query"]) for run in runs for url in run["urls"][:5])
    return {
        "queries": len(runs),
        "results_found": sum(run["count"] for run in runs),
        "queries_with_results": sum(1 for run in runs if run["count"]),
        "top5_with_every_word": top5,
        "first_query_kb_median": stats("first_kb", 1)[0], "first_query_kb_worst": stats("first_kb", 1)[1],
        "first_result_ms_median": stats("first_ms")[0], "first_result_ms_worst": stats("first_ms")[1],
        "typed_query_ms_median": stats("typed_ms")[0], "typed_query_ms_worst": stats("typed_ms")[1],
        "typed_query_kb_median": stats("typed_kb", 1)[0], "typed_query_kb_worst": stats("typed_kb", 1)[1],
        "answered_with_nothing": [run["query"] for run in runs if not run["count"]],
        "per_query": {run["query"]: [run["count"], round(run["first_ms"]), round(run["first_kb"], 1), round(run["typed_ms"]),
                                    round(run["typed_kb"], 1)]
                      for run in runs},
    }


def sotu_site(folder: Path) -> Path:
    """A site of the State of the Union addresses, whole, each titled with its file name."""
    shutil.rmtree(folder, ignore_errors=True)
    (folder / "seeds").mkdir(parents=True)
    for path in sorted((CORPUS / "sotu").glob("*.txt")):
        (folder / "seeds" / path.name).write_text(path.read_text(encoding="utf-8"), encoding="utf-8")
        (folder / "seeds" / f"{path.stem}.yml").write_text(f'title: "{path.stem}"\n', encoding="utf-8")
    return folder


def measure(label: str, work: Path) -> dict:
    """Both engines on one site: ``sotu``, or a number of corpus articles."""
    site = sotu_site(work / "search-sotu") if label == "sotu" else make_site(work / f"search-{label}", int(label), 500)
    (site / "site.toml").write_text('[site]\ntitle = "Benchmark"\n')
    shutil.rmtree(site / "public", ignore_errors=True)
    ours, texts = index_site_gen(site)
    public = site / "public"
    copy = work / f"pagefind-site-{label}"
    marked = pagefind_copy(public, copy)
    theirs = index_pagefind(install_pagefind(work), copy)
    theirs["pages_indexed"] = marked
    ours["pages_indexed"] = len(texts)
    with chromium() as browser:
        runs = drive(browser, {"site-gen": serve(public) + harness(public, "bench-site-gen.html", SITE_GEN_HARNESS),
                               "pagefind": serve(copy) + harness(copy, "bench-pagefind.html", PAGEFIND_HARNESS)},
                     QUERIES)
    ours.update(summary(runs["site-gen"], texts))
    theirs.update(summary(runs["pagefind"], texts))
    return {"site-gen": ours, "pagefind": theirs}


def table(results: dict) -> str:
    columns = [(size, engine) for size in results for engine in results[size]]
    lines = [f"{'':<28}" + "".join(f"{f'{size} {engine}':>18}" for size, engine in columns)]
    first = results[next(iter(results))]["site-gen"]
    for key in first:
        if key in ("per_query", "answered_with_nothing"):
            continue
        lines.append(f"{key:<28}" + "".join(f"{results[size][engine][key]!s:>18}" for size, engine in columns))
    for size, engine in columns:
        lines.append(f"{size} {engine} answered with nothing: {results[size][engine]['answered_with_nothing']}")
    lines.append(f"{'query':<36}" + "".join(f"{f'{size} {engine}':>38}" for size, engine in columns))
    lines.append(f"{'':<36}" + "".join(f"{'results ms KB typed-ms typed-KB':>38}" for _ in columns))
    for query in QUERIES:
        cells = ["{:>7} {:>6} {:>6} {:>7} {:>7}".format(*results[size][engine]["per_query"][query])
                 for size, engine in columns]
        lines.append(f"{query:<36}" + "".join(f"{cell:>38}" for cell in cells))
    return "\n".join(lines)


ROWS = [
    ("pages indexed", "pages_indexed", None),
    ("index build (s) / all its files gzipped (KB)", "index_build_s", "index_gzip_kb"),
    ("results found (all queries)", "results_found", None),
    ("of the top five, results holding every word", "top5_with_every_word", None),
    ("queries answered with nothing", "answered_with_nothing", None),
    ("first query download gzipped, median / worst (KB)", "first_query_kb_median", "first_query_kb_worst"),
    ("time to first result, median / worst (ms)", "first_result_ms_median", "first_result_ms_worst"),
    ("typed query, median / worst (ms)", "typed_query_ms_median", "typed_query_ms_worst"),
    ("typed query download gzipped, median / worst (KB)", "typed_query_kb_median", "typed_query_kb_worst"),
]
"""The rows of the Markdown summary: a label and the one or two figures it shows."""


def markdown(results: dict) -> str:
    """The summary as a Markdown table, a column per site and engine (``docs/search.md`` quotes it)."""
    columns = [(label, engine) for label in results for engine in results[label]]
    lines = ["| | " + " | ".join(f"{_site(label)}, {engine}" for label, engine in columns) + " |",
             "|---" * (len(columns) + 1) + "|"]
    for title, first, second in ROWS:
        cells = []
        for label, engine in columns:
            figures = results[label][engine]
            value = figures[first]
            if isinstance(value, list):
                cells.append(", ".join(f"`{query}`" for query in value) or "none")
            else:
                cells.append(_figure(value) + (f" / {_figure(figures[second])}" if second else ""))
        lines.append(f"| {title} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def _site(label: str) -> str:
    return "State of the Union" if label == "sotu" else f"{int(label):,} articles"


def _figure(value: float) -> str:
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,}"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="*", default=[4000])
    parser.add_argument("--sotu", action="store_true", help="also the State of the Union addresses, whole")
    parser.add_argument("--json", type=Path)
    parser.add_argument("--work", type=Path, default=HERE / ".work")
    args = parser.parse_args()
    args.work.mkdir(parents=True, exist_ok=True)
    labels = (["sotu"] if args.sotu else []) + [str(size) for size in args.sizes]
    results = {label: measure(label, args.work) for label in labels}
    print(table(results))
    print(markdown(results))
    emit(results, args.json)
    return 0


if __name__ == "__main__":
    sys.exit(main())
