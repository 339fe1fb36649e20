#!/usr/bin/env python3
"""Search at scale: the sharded index against a single one, on the same articles, in the same run.

    python benchmarks/search.py [--sizes 1000 4000] [--variants sharded single] [--json out.json]
                                [--against OLD_SEARCH_JS]

For each size (corpus articles from ``corpus_site.py``, with a 500-term glossary), the site is built
twice, with the sharded index (the default) and with one index file (``shard_threshold`` huge), and
for each this reports: the time to build the index, its total size (raw and gzipped), the shard
count and the largest shard; the bytes a reader downloads for the first query (cold cache: lunr.js,
search.js, the manifest, the shards, store blocks and snippet texts of the top ten results, all
gzipped) and for each later query (only what is new), median and worst over 24 typical queries;
and, in headless Chromium with a cold cache: the time from opening ``search/?q=...`` to the results
being shown (page, lunr.js and index included); for the first query on an open search page (lunr.js
and the manifest load with the page; the index shards with the query), from the query appearing in
the box and from its Enter key to its results; and the same for a later query on that page, typed at
once and typed after a reading pause (the figures without "enter" count from the text appearing:
the page starts loading the shards a query needs as it is typed).

``--against`` times the browser a second time with another ``search.js`` in place of the built one
(``git show HEAD~1:themes/default/static/search.js > old.js``), on the same site in the same run,
so a change to the page's script is measured against what it replaces (figures ``against_...``).
"""

from __future__ import annotations

import argparse
import functools
import gzip
import http.server
import json
import shutil
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import ClassVar
from urllib.parse import quote

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(HERE))

from corpus_site import emit, make_site  # noqa: E402

from site_gen.config import load_config  # noqa: E402
from site_gen.pipeline import BuildOptions, build  # noqa: E402
from site_gen.search import build_search_index  # noqa: E402

QUERIES = ["oil", "oil prices", "interest rates", "trade deficit", "coffee", "wheat exports", "federal reserve",
           "japan", "dollar", "gold", "merger", "profit", "strike", "union", "tax", "congress", "president",
           "war", "economy", "bank*", "opec~1", "title:bank", "+oil -iran", "crude"]
ALWAYS = ["assets/vendor/lunr", "assets/search."]


def gz(data: bytes) -> int:
    return len(gzip.compress(data, 6))


class GzipHandler(http.server.SimpleHTTPRequestHandler):
    """A static host like a CDN: keep-alive connections, gzip for text files, files read once."""

    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True
    """Headers and body go out as separate writes; with Nagle's algorithm on, the body of a kept-alive
    connection waits for the client's delayed ACK (40 ms), which no real static host adds."""
    cache: ClassVar[dict[str, bytes]] = {}
    """Gzipped files by path and modification time (a rebuilt file is compressed again)."""

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


def downloads(public: Path, work: Path) -> dict:
    (work / "queries.json").write_text(json.dumps(QUERIES))
    done = subprocess.run(["node", str(HERE / "search_downloads.js"), str(public), str(work / "queries.json")],
                          capture_output=True, text=True, check=True)
    fetched = json.loads(done.stdout)
    fixed = sum(gz(p.read_bytes()) for p in (public / "assets").rglob("*.js")
                if any(p.relative_to(public).as_posix().startswith(a) for a in ALWAYS))
    first = [fixed + sum(gz((public / f).read_bytes()) for f in files) for files in fetched["first"]]
    later = [sum(gz((public / f).read_bytes()) for f in files) for files in fetched["later"][1:]]
    return {"first_query_kb_median": round(statistics.median(first) / 1024, 1),
            "first_query_kb_worst": round(max(first) / 1024, 1),
            "later_query_kb_median": round(statistics.median(later) / 1024, 1),
            "later_query_kb_worst": round(max(later) / 1024, 1),
            "queries_with_results": sum(1 for c in fetched["counts"] if c)}


FIRST_RESULTS = """(() => {
  const check = () => {
    const status = document.querySelector('.search-status');
    const text = status ? status.textContent : '';
    if (text && !text.startsWith('Searching')) window.__first = performance.now();
    else requestAnimationFrame(check);
  };
  requestAnimationFrame(check);
})();"""
"""Installed before the page's own scripts: the time from navigation start (a cold cache, the query
in the address) to the results count being shown, whatever was downloaded for it."""

TIMER = """() => {
  const input = document.getElementById('search-page-input');
  const status = document.querySelector('.search-status');
  let typed = 0, entered = 0, shown = 0;
  const finish = () => { window.__done = [shown - typed, entered ? shown - entered : 0]; typed = entered = shown = 0; };
  input.addEventListener('input', () => { if (!typed) typed = performance.now(); }, true);
  input.addEventListener('keydown', (event) => {
    if (event.key !== 'Enter' || !typed) return;
    entered = performance.now();
    if (shown) { entered = shown; finish(); }
  }, true);
  new MutationObserver(() => {
    const text = status.textContent;
    if (typed && text && !text.startsWith('Searching')) {
      shown = performance.now();
      if (entered) finish();
    }
  }).observe(status, {childList: true, characterData: true, subtree: true});
}"""
"""Measured inside the page, to the results count being shown: from the query appearing in the box
(its ``input`` event: the page starts loading the shards it needs then) and from the Enter key.
When the typing pause ran the query before Enter came (Enter does not run it again), its results
count from Enter as 0 ms."""


READING_PAUSE = 1500
"""Milliseconds between a query's results and the next query in the "after a pause" figure: a reader
glancing at the results (the page fetches the document store meanwhile)."""


def browser_times(public: Path) -> dict:
    from playwright.sync_api import sync_playwright

    url = serve(public)
    opened, typed, later, paused = [], [], [], []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", headless=True,
                                             args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"])
        for query in QUERIES[:12]:
            context = browser.new_context()
            context.add_init_script(FIRST_RESULTS)
            page = context.new_page()
            page.goto(url + "search/?q=" + quote(query))
            opened.append(page.wait_for_function("() => window.__first", timeout=60_000).json_value())
            context.close()
            context = browser.new_context()
            page = context.new_page()
            page.goto(url + "search/")
            page.wait_for_timeout(300)
            page.evaluate(TIMER)
            for times, text in ((typed, query), (later, query + " market")):
                times.append(enter(page, text))
            page.wait_for_timeout(READING_PAUSE)
            paused.append(enter(page, query + " prices"))
            context.close()
        browser.close()
    figures = {"open_to_results_ms_median": round(statistics.median(opened)),
               "open_to_results_ms_worst": round(max(opened))}
    for name, times in (("keystroke_to_results", typed), ("later_results", later), ("after_pause_results", paused)):
        for start, index in (("", 0), ("enter_", 1)):
            figures[f"{name}_{start}ms_median"] = round(statistics.median(t[index] for t in times))
            figures[f"{name}_{start}ms_worst"] = round(max(t[index] for t in times))
    return figures


def enter(page, text: str) -> list[float]:
    """Put ``text`` in the search page's box and press Enter: milliseconds until its results show,
    from the text appearing and from the Enter key."""
    page.evaluate("() => { window.__done = null; }")
    page.fill("#search-page-input", text)
    page.press("#search-page-input", "Enter")
    return page.wait_for_function("() => window.__done", timeout=60_000).json_value()


def against_times(public: Path, script: Path) -> dict:
    """:func:`browser_times` with ``script`` in place of the built search.js (put back afterwards)."""
    built = next((public / "assets").glob("search.*.js"))
    original = built.read_bytes()
    built.write_bytes(script.read_bytes())
    try:
        return {f"against_{key}": value for key, value in browser_times(public).items()}
    finally:
        built.write_bytes(original)


def measure(site: Path, threshold: int, work: Path, against: Path | None = None) -> dict:
    (site / "site.toml").write_text(f'[site]\ntitle = "Benchmark"\n[search]\nshard_threshold = {threshold}\n')
    shutil.rmtree(site / "public", ignore_errors=True)
    result = build(load_config(site), BuildOptions())
    started = time.perf_counter()
    build_search_index(result.site)
    index_build = time.perf_counter() - started
    public = site / "public"
    files = [f for f in result.search.files]
    shards = [f for f in files if f.path.startswith("search/i/")]
    figures = {
        "index_build_s": round(index_build, 2),
        "total_raw_kb": round(sum(len(f.data) for f in files) / 1024),
        "total_gzip_kb": round(sum(gz(f.data) for f in files) / 1024),
        "shards": len(shards),
        "largest_shard_gzip_kb": round(max(gz(f.data) for f in shards) / 1024, 1),
        **downloads(public, work),
        **browser_times(public),
        **(against_times(public, against) if against else {}),
    }
    return figures


VARIANTS = {"sharded": 200, "single": 10**9}
"""Each variant's ``shard_threshold``: the same site with a sharded and with a single index."""


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 4000])
    parser.add_argument("--json", type=Path)
    parser.add_argument("--work", type=Path, default=HERE / ".work")
    parser.add_argument("--variants", nargs="+", choices=list(VARIANTS), default=list(VARIANTS))
    parser.add_argument("--against", type=Path, help="another search.js to time on the same sites")
    args = parser.parse_args()
    results = {}
    for size in args.sizes:
        site = make_site(args.work / f"search-{size}", size, 500)
        results[size] = {variant: measure(site, VARIANTS[variant], args.work, args.against) for variant in args.variants}
    columns = [(size, variant) for size in results for variant in args.variants]
    print(f"{'':<30}" + "".join(f"{f'{size} {variant}':>16}" for size, variant in columns))
    for key in results[args.sizes[0]][args.variants[0]]:
        print(f"{key:<30}" + "".join(f"{results[size][variant][key]:>16}" for size, variant in columns))
    emit(results, args.json)
    return 0


if __name__ == "__main__":
    sys.exit(main())
