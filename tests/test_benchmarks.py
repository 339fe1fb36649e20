"""A small run of the build benchmark, so the benchmark scripts cannot rot (figures are not checked:
speed is measured by running benchmarks/run.py, not by tests)."""

from __future__ import annotations

import json
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

from .conftest import CORPUS, REPO, require_shared


def test_run_py_smoke(tmp_path: Path) -> None:
    require_shared(CORPUS / "reuters21578")
    output = tmp_path / "results.json"
    done = subprocess.run([sys.executable, str(REPO / "benchmarks" / "run.py"), "--sizes", "100", "--repeat", "1",
                           "--terms", "50", "--work", str(tmp_path / "work"), "--json", str(output)],
                          capture_output=True, text=True, check=False, timeout=600)
    assert done.returncode == 0, done.stderr
    figures = json.loads(output.read_text())["100"]
    assert figures["articles"] == 100 and figures["pages"] > 100
    assert set(figures["stages_s"]) >= {"read", "annotate", "markdown", "search", "templates", "write"}
    assert figures["search_gzip_kb"] > 0 and "full s" in done.stdout
    assert all(figures[key] > 0 for key in ("full_build_peak_mb", "full_build_all_mb", "no_change_peak_mb",
                                            "one_edit_peak_mb", "next_edit_rebuild_s"))
    assert figures["full_build_cpu_s"] > 0 and figures["live_preview_edit_ms"] > 0
    assert figures["cache_mb"] > 0, "the full build kept its cache in .cache/"
    assert 1 <= figures["one_edit_pages_rendered"] <= 3, "the edit's new process took the other pages from the cache"
    assert 1 <= figures["one_edit_html_made"] < figures["pages"] / 4, "and most of their HTML"


def test_set_aside_moves_old_outputs_and_deletes_them_only_at_the_end(tmp_path: Path) -> None:
    """Clean builds in the benchmarks must not follow a mass deletion (benchmarks/set_aside.py)."""
    sys.path.insert(0, str(REPO / "benchmarks"))
    from set_aside import SetAside

    output = tmp_path / "site" / "public"
    (output / "articles").mkdir(parents=True)
    (output / "articles" / "index.html").write_text("old")
    with SetAside(tmp_path / "aside") as aside:
        aside.move(output)
        aside.move(tmp_path / "site" / "never-built")
        assert not output.exists()
        assert (tmp_path / "aside" / "1" / "articles" / "index.html").read_text() == "old"
        assert sorted(p.name for p in (tmp_path / "aside").iterdir()) == ["1"]
    assert not (tmp_path / "aside").exists()


class _Page(HTMLParser):
    """The tags of a page, and the text inside each ``h1``, ``td`` and ``p``."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.text: dict[str, list[str]] = {"h1": [], "td": [], "p": []}
        self.open: list[str] = []
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.open.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag in self.open:
            del self.open[len(self.open) - 1 - self.open[::-1].index(tag):]

    def handle_data(self, data: str) -> None:
        for tag in set(self.open) & self.text.keys():
            self.text[tag].append(data)


def test_python_floor_builds_every_article_and_a_build_missing_pages_fails(tmp_path: Path) -> None:
    """compare.py's reference row renders real pages, and a generator that leaves out an article's
    page is reported as failed rather than timed (benchmarks/peers.py, benchmarks/compare.py)."""
    sys.path.insert(0, str(REPO / "benchmarks"))
    import compare
    import peers
    from set_aside import SetAside

    body = 'It\'s "quoted" -- see the note.[^1]\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n[^1]: The note.'
    articles = [peers.Article("one", "One & only", "1987-03-02", body), peers.Article("two", "Two", "1990-01-01", "Text.")]
    floor = peers.floor(tmp_path / "floor", articles)
    with SetAside(tmp_path / "aside") as aside:
        measured = compare.build_once(floor, articles, aside)
        assert not isinstance(measured, str), measured
        assert measured.seconds > 0 and measured.cpu_seconds > 0 and measured.peak_mb > 0
        page = _Page((tmp_path / "floor" / "out" / "one" / "index.html").read_text(encoding="utf-8"))
        assert page.text["h1"] == ["One & only"] and page.text["td"] == ["1", "2"]
        assert "It\u2019s \u201cquoted\u201d \u2013 see the note." in "".join(page.text["p"])
        assert "sup" in page.tags and "table" in page.tags
        unwritten = peers.Article("three", "Three", "1990-01-01", "Never given to the floor.")
        assert compare.build_once(floor, [*articles, unwritten], aside) == "wrote 2 of 3 article pages"
        assert sorted(p.name for p in (tmp_path / "floor" / "out").iterdir()) == ["one", "two"]


def test_long_transcript_smoke(tmp_path: Path) -> None:
    output = tmp_path / "results.json"
    done = subprocess.run([sys.executable, str(REPO / "benchmarks" / "long_transcript.py"), "--megabytes", "0.02",
                           "--json", str(output)], capture_output=True, text=True, check=False, timeout=300)
    assert done.returncode == 0, done.stderr
    figures = json.loads(output.read_text())
    assert figures["mentions"] > 150 and figures["characters"] >= 20_000
    assert figures["with_term_s"] > 0 and figures["without_term_s"] > 0 and "with the glossary entry" in done.stdout


def test_citations_smoke(tmp_path: Path) -> None:
    require_shared(CORPUS / "reuters21578")
    output = tmp_path / "results.json"
    done = subprocess.run([sys.executable, str(REPO / "benchmarks" / "citations.py"), "--articles", "40", "--direct", "5",
                           "--json", str(output)], capture_output=True, text=True, check=False, timeout=300)
    assert done.returncode == 0, done.stderr
    figures = json.loads(output.read_text())
    assert figures["articles"] == 40 and figures["direct_articles"] == 5 and set(figures["shapes"]) == {"chicago", "apa"}
    assert figures["references_by_shape_ms"] > 0 and figures["references_direct_ms"] > 0 and figures["downloads_ms"] > 0
    assert "references by shape" in done.stdout


def test_flame_graph_merges_processes_and_leaves_out_small_frames() -> None:
    """benchmarks/flame_graph.py: a frame's width is its share of all samples, whichever process
    they came from; a frame under the minimum share is left out."""
    import xml.etree.ElementTree as ElementTree

    sys.path.insert(0, str(REPO / "benchmarks"))
    import flame_graph

    stacks = ['process 1:"python build.py";build (site_gen/pipeline.py:10);render (site_gen/render.py:5) 60',
              'process 2:"python build.py";build (site_gen/pipeline.py:10);parse (/x/site-packages/markdown_it/main.py:3) 39',
              'process 1:"python build.py";build (site_gen/pipeline.py:12);tiny (site_gen/text.py:1) 1']
    svg = ElementTree.fromstring(flame_graph.svg(flame_graph.stack_tree(stacks), "t", 0.05))
    namespace = {"s": "http://www.w3.org/2000/svg"}
    boxes = {g.find("s:title", namespace).text: float(g.find("s:rect", namespace).get("width"))
             for g in svg.findall("s:g", namespace)}
    assert set(boxes) == {"build (site_gen/pipeline.py): 100.0% (100 samples)",
                          "render (site_gen/render.py): 60.0% (60 samples)",
                          "parse (markdown_it/main.py): 39.0% (39 samples)"}
    assert boxes["render (site_gen/render.py): 60.0% (60 samples)"] == flame_graph.WIDTH * 0.6 - 0.5


def test_stage_seconds_of_site_gen_and_of_the_floor(tmp_path: Path, tree) -> None:
    """The CPU seconds per stage docs/performance.md tabulates: flame_graph.py's ``stages`` (a clean
    build in one worker, then its search index) and python_floor.py's ``--stages`` (its steps)."""
    sys.path.insert(0, str(REPO / "benchmarks"))
    import peers

    site = tree({"seeds/a.txt": "A title\n\nBody text.\n", "seeds/b.txt": "Another\n\nMore text.\n"})
    done = subprocess.run([sys.executable, str(REPO / "benchmarks" / "flame_graph.py"), "stages", str(site),
                           str(tmp_path / "out")], capture_output=True, text=True, check=False, timeout=300)
    assert done.returncode == 0, done.stderr
    stages = json.loads(done.stdout)
    assert {"read", "markdown", "templates", "write", "build", "search index"} <= set(stages)
    assert stages["build"] >= stages["markdown"] > 0 and (tmp_path / "out" / "articles" / "a-title" / "index.html").is_file()
    peers.write_front_matter_posts(tmp_path / "posts", [peers.Article("one", "One", "1987-03-02", "Some *text*.")])
    done = subprocess.run([sys.executable, str(REPO / "benchmarks" / "python_floor.py"), str(tmp_path / "posts"),
                           str(tmp_path / "floor"), "--stages"], capture_output=True, text=True, check=False, timeout=60)
    assert done.returncode == 0, done.stderr
    assert set(json.loads(done.stdout)) == {"setup", "read", "markdown", "template", "write"}
    assert "<em>text</em>" in (tmp_path / "floor" / "one" / "index.html").read_text(encoding="utf-8")
