#!/usr/bin/env python3
"""Latency from saving a file to the reload event reaching a connected browser, in live preview.

    python benchmarks/live_reload.py [--articles 1000] [--repeat 7] [--edits seed note] [--json out.json]

With ``--articles 0`` the bundled example site is used; otherwise a site of that many corpus
articles (``corpus_site.py``: Reuters and State of the Union texts, a 500-term glossary, one note
per article). For each kind of edit (a seed, a note, a glossary entry, a template) the file is
changed ``--repeat`` times; the median and worst latency are reported next to a clean full build
measured in the same run. The ``workbench`` edit is a note added from the browser: the time from
sending the annotation workbench's request to the reload event (the server writes the notes file,
the watcher sees it, the site is rebuilt), each time on another passage of one article.
"""

from __future__ import annotations

import argparse
import http.client
import json
import shutil
import statistics
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from corpus_site import (
    add_notes,
    emit,
    make_site,
)

from site_gen.cache import BuildCache
from site_gen.config import load_config
from site_gen.pipeline import BuildOptions, build
from site_gen.serve.annotation_files import digest
from site_gen.serve.session import PreviewSession, Reports

REPO = Path(__file__).resolve().parent.parent


class EpochListener:
    """A browser stand-in: an SSE connection that records when each reload event arrives."""

    def __init__(self, port: int) -> None:
        self.arrivals: dict[int, float] = {}
        self.condition = threading.Condition()
        connection = http.client.HTTPConnection("127.0.0.1", port)
        connection.request("GET", "/__site-gen/events")
        self.response = connection.getresponse()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        kind = ""
        for raw in self.response.fp:
            line = raw.decode().rstrip("\n")
            if line.startswith("event: "):
                kind = line[7:]
            elif line.startswith("data: ") and kind == "epoch":
                with self.condition:
                    self.arrivals[int(line[6:])] = time.perf_counter()
                    self.condition.notify_all()

    def wait(self, epoch: int, timeout: float = 60) -> float:
        with self.condition:
            self.condition.wait_for(lambda: epoch in self.arrivals, timeout)
            return self.arrivals[epoch]


def time_saves(session: PreviewSession, listener: EpochListener, count: int, save: Callable[[int], None]) -> list[float]:
    """Seconds from each of ``count`` saves (``save(turn)``) to its reload event reaching ``listener``;
    saves 0.3 s apart, so each is a rebuild of its own."""
    latencies = []
    for turn in range(count):
        time.sleep(0.3)
        epoch = session.state.epoch + 1
        saved = time.perf_counter()
        save(turn)
        latencies.append(listener.wait(epoch) - saved)
    return latencies


def prepare(articles: int, folder: Path) -> Path:
    if articles == 0:
        site = folder / "example"
        site.mkdir()
        shutil.copy(REPO / "site.toml", site)
        shutil.copytree(REPO / "seeds", site / "seeds")
        shutil.copytree(REPO / "content", site / "content")
    else:
        site = make_site(folder / f"site{articles}", articles, 500)
        result = build(load_config(site), BuildOptions(write=False))
        add_notes(site, [(a.document.meta.slug, "\n".join(b.text for b in a.document.blocks)) for a in result.annotated])
    templates = site / "templates"
    templates.mkdir(exist_ok=True)
    shutil.copy(REPO / "themes/default/templates/_byline.html", templates / "_byline.html")
    return site


KINDS = ("seed", "note", "glossary", "template", "workbench")


def edits(site: Path, kinds: list[str]) -> dict[str, tuple[Path, str, str]]:
    """For each kind: the file and two texts to alternate between (an edit to the words, never the syntax)."""
    seeds = sorted((site / "seeds").glob("*.txt"))
    seed = next(p for p in seeds[len(seeds) // 2:] + seeds if p.read_text(encoding="utf-8").count(". ") >= 3)
    note = sorted((site / "content" / "notes").glob("*.yml"))[0]
    entry = sorted((site / "content" / "glossary").glob("*.md"))[0]
    template = site / "templates" / "_byline.html"
    found = {}
    for kind, path in (("seed", seed), ("note", note), ("glossary", entry), ("template", template)):
        text = path.read_text(encoding="utf-8")
        if kind == "seed":
            position, insert = text.index(". ", text.index(". ") + 1), " edited"
        elif kind == "note":
            folded = text.find("note: >")
            position = text.index("\n    ", folded) + 5 if folded >= 0 else text.index("note: ") + 6
            insert = "Edited. "
        elif kind == "glossary":
            position, insert = text.index("\n", text.index("---\n", 4) + 4), " (edited)"
        else:
            position, insert = text.index("</p>"), "<!-- edited -->"
        found[kind] = (path, text, text[:position] + insert + text[position:])
    return {kind: found[kind] for kind in kinds if kind in found}


def add_note_from_the_browser(session: PreviewSession, site: Path) -> Callable[[int], None]:
    """``save(turn)``: the workbench's "add a note" request, on the ``turn``-th paragraph of the
    article in the middle of the site (its opening words, with the text after them as the page sends it)."""
    slugs = sorted(session.shown.annotated)
    document = session.shown.annotated[slugs[len(slugs) // 2]].document
    paragraphs = [block.text for block in document.blocks if block.kind == "paragraph" and len(block.text.split()) > 8]
    port = session.server.server_address[1]

    def save(turn: int) -> None:
        text = paragraphs[turn % len(paragraphs)]
        exact = " ".join(text.split()[:6])
        notes = site / "content" / "notes" / f"{document.meta.slug}.yml"
        payload = {"slug": document.meta.slug, "hash": digest(notes), "note": f"Benchmark note {turn}.",
                   "selection": {"exact": exact, "prefix": "", "suffix": text[len(exact):len(exact) + 60]}}
        connection = http.client.HTTPConnection("127.0.0.1", port)
        connection.request("POST", "/__site-gen/api/note-add", json.dumps(payload), {
            "Content-Type": "application/json", "Origin": f"http://127.0.0.1:{port}",
            "X-Site-Gen-Token": session.server.token})
        response = connection.getresponse()
        answer = response.read()
        if response.status != 200:
            raise RuntimeError(f"the workbench refused the note: {answer.decode()}")

    return save


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--json", type=Path)
    parser.add_argument("--edits", nargs="+", choices=KINDS, default=list(KINDS), help="kinds of edit to time")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        site = prepare(args.articles, Path(folder))
        started = time.perf_counter()
        build(load_config(site), BuildOptions(out=Path(folder) / "full"), BuildCache())
        full_build = time.perf_counter() - started
        session = PreviewSession(site, "127.0.0.1", 0, reports=Reports(lambda line: None), edits=True)
        session.start()
        listener = EpochListener(session.server.server_address[1])
        listener.wait(1)
        results = {}
        try:
            saves = {kind: lambda turn, path=path, original=original, changed=changed: path.write_text(
                changed if turn % 2 == 0 else original, encoding="utf-8")
                for kind, (path, original, changed) in edits(site, args.edits).items()}
            if "workbench" in args.edits:
                saves["workbench"] = add_note_from_the_browser(session, site)
            for kind, save in saves.items():
                latencies = time_saves(session, listener, args.repeat, save)
                rebuilds = session.latencies[-args.repeat:]
                results[kind] = {"median_ms": round(statistics.median(latencies) * 1000),
                                 "worst_ms": round(max(latencies) * 1000),
                                 "rebuild_median_ms": round(statistics.median(rebuilds) * 1000)}
        finally:
            session.stop()
    label = "example site" if args.articles == 0 else f"{args.articles} articles"
    print(f"save -> reload event, {label}, {args.repeat} saves each (watcher settle time included)\n")
    print(f"{'edit':<10}{'median ms':>11}{'worst ms':>10}{'of which rebuild ms':>21}{'ratio to full build':>22}")
    for kind, figures in results.items():
        ratio = figures["median_ms"] / 1000 / full_build
        print(f"{kind:<10}{figures['median_ms']:>11}{figures['worst_ms']:>10}{figures['rebuild_median_ms']:>21}"
              f"{ratio:>22.3f}")
    print(f"{'full build':<10}{full_build * 1000:>11.0f}")
    output = {"site": label, "full_build_ms": round(full_build * 1000), "edits": results}
    emit(output, args.json)
    return 0


if __name__ == "__main__":
    sys.exit(main())
