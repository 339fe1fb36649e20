"""The whole build: determinism, collect-and-continue, strict mode."""

from __future__ import annotations

import hashlib
import pickle
from html.parser import HTMLParser
from pathlib import Path

import pytest

from site_gen.annotate.notes import read_notes
from site_gen.cache import BuildCache
from site_gen.check import check_site
from site_gen.config import ConfigError, load_config
from site_gen.diagnostics import InputError, Severity
from site_gen.fingerprint import cache_path
from site_gen.pipeline import BuildOptions, build

from .conftest import cache_saved, signed


def digest(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def test_same_input_gives_a_byte_identical_site(example_site: Path, tmp_path: Path) -> None:
    config = load_config(example_site)
    build(config, BuildOptions(out=tmp_path / "one"))
    build(config, BuildOptions(out=tmp_path / "two"))
    assert digest(tmp_path / "one") == digest(tmp_path / "two")


def test_bad_seeds_are_reported_and_the_others_still_build(tree) -> None:
    site = tree({
        "seeds/good.txt": "Good one\n\nBody.\n",
        "seeds/empty.txt": "",
        "seeds/binary.txt": b"\x00\x01\x02garbage",
        "seeds/bad.txt": b"T\n\n\x81\x8d\n",
        "seeds/also-good.txt": "Also good\n\nBody.\n",
    })
    result = build(load_config(site))
    assert not result.ok
    assert sorted(d.location.path for d in result.diagnostics.items if d.severity == 2) == [
        "seeds/bad.txt", "seeds/binary.txt", "seeds/empty.txt"]
    assert (site / "public/articles/good-one/index.html").exists()
    assert (site / "public/articles/also-good/index.html").exists()


def test_strict_turns_warnings_into_errors(tree) -> None:
    site = tree({"seeds/a.txt": "T\n\nSee it. (See: Missing article) End.\n"})
    assert build(load_config(site)).ok
    strict = build(load_config(site), BuildOptions(strict=True))
    assert not strict.ok and strict.diagnostics.items[0].code == "crossref-missing"


def test_cross_reference_becomes_a_link_when_the_title_is_in_the_site(tree) -> None:
    site = tree({
        "seeds/a.txt": "First article\n\nRead this. (See: Second “Article”) Done.\n",
        "seeds/b.txt": 'Second "Article"\n\nBody.\n',
    })
    result = build(load_config(site))
    assert result.diagnostics.warnings == 0
    markdown = (site / "content/articles/first-article.md").read_text()
    assert "(See: [Second “Article”](second-article.md))" in markdown
    html = (site / "public/articles/first-article/index.html").read_text()
    assert '<a href="../second-article/">Second “Article”</a>' in html


def test_seed_html_and_template_syntax_are_shown_not_run(tree) -> None:
    site = tree({"seeds/a.txt": "<script>alert(1)</script> {{ 7*7 }}\n\n"
                                "Body <img src=x onerror=alert(1)> {% include 'base.html' %} *not emphasis*\n"})
    build(load_config(site))
    html = next((site / "public/articles").rglob("index.html")).read_text()
    assert "<script>alert" not in html and "<img src=x" not in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html
    assert "{{ 7*7 }}" in html and "{% include ‘base.html’ %}" in html
    assert "*not emphasis*" in html


class _Anchors(HTMLParser):
    """(class, href) of every link in a page."""

    def __init__(self) -> None:
        super().__init__()
        self.links: list[tuple[str, str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "a":
            self.links.append((values.get("class") or "", values.get("href") or ""))


def _anchors(path: Path) -> list[tuple[str, str]]:
    parser = _Anchors()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser.links


def _dated_articles(body: str) -> dict[str, str]:
    """Five seeds, ``Article 0`` to ``Article 4``, one a day from 2024-01-01; ``body`` may hold ``{n}``."""
    files = {f"seeds/{n}.txt": f"Article {n}\n\n{body.format(n=n)}\n" for n in range(5)}
    return files | {f"seeds/{n}.yml": f"date: 2024-01-{n + 1:02d}\n" for n in range(5)}


def _pagers(pages: list[Path]) -> list[list[tuple[str, str]]]:
    return [[(cls, href) for cls, href in _anchors(p) if cls.startswith("pager-")] for p in pages]


def test_home_lists_articles_a_page_at_a_time(tree) -> None:
    site = tree({**_dated_articles("Body {n}."), "site.toml": "[site]\narticles_per_page = 2\n"})
    assert build(load_config(site)).ok
    public = site / "public"
    pages = [public / "index.html", public / "page/2/index.html", public / "page/3/index.html"]
    listed = [[href for cls, href in _anchors(p) if cls == "article-link"] for p in pages]
    assert listed == [["articles/article-4/", "articles/article-3/"],
                      ["../../articles/article-2/", "../../articles/article-1/"],
                      ["../../articles/article-0/"]]
    assert _pagers(pages) == [[("pager-older", "page/2/")],
                      [("pager-older", "../3/"), ("pager-newer", "../../")],
                      [("pager-newer", "../2/")]]
    assert not (public / "page/4").exists()


class _TermPage(HTMLParser):
    """What a term page shows: its title, whether it has the definition, where its list starts."""

    def __init__(self) -> None:
        super().__init__()
        self.title = ""
        self.in_title = False
        self.definition = False
        self.start = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        classes = (values.get("class") or "").split()
        self.in_title = tag == "title"
        self.definition = self.definition or "definition" in classes
        if tag == "ol" and "concordance-list" in classes:
            self.start = values.get("start") or "1"

    def handle_data(self, data: str) -> None:
        if self.in_title:
            self.title += data

    def handle_endtag(self, tag: str) -> None:
        self.in_title = False


def test_a_term_page_lists_its_uses_a_page_at_a_time(tree) -> None:
    site = tree({**_dated_articles("Traders met in Karachi {n}."),
                 "site.toml": '[site]\ntitle = "R"\n[glossary]\nuses_per_page = 2\n',
                 "content/glossary/karachi.md": "---\nterm: Karachi\n---\nA port city.\n"})
    result = build(load_config(site))
    assert result.ok
    public = site / "public" / "glossary" / "karachi"
    pages = [public / "index.html", public / "page/2/index.html", public / "page/3/index.html"]
    listed = [[href for cls, href in _anchors(p) if cls == "concordance-article"] for p in pages]
    assert listed == [["../../articles/article-4/", "../../articles/article-3/"],
                      ["../../../../articles/article-2/", "../../../../articles/article-1/"],
                      ["../../../../articles/article-0/"]]
    assert _pagers(pages) == [[("pager-older", "page/2/")],
                      [("pager-older", "../3/"), ("pager-newer", "../../")],
                      [("pager-newer", "../2/")]]
    shown = []
    for path in pages:
        parsed = _TermPage()
        parsed.feed(path.read_text(encoding="utf-8"))
        shown.append((parsed.title, parsed.definition, parsed.start))
    assert shown == [("Karachi · R", True, "1"), ("Karachi (uses, page 2) · R", False, "3"),
                     ("Karachi (uses, page 3) · R", False, "5")]
    assert not (public / "page/4").exists()
    assert [d.code for d in check_site(result).items if d.severity >= Severity.WARNING] == []


def test_articles_per_page_must_be_positive(tree) -> None:
    site = tree({"site.toml": "[site]\narticles_per_page = 0\n"})
    with pytest.raises(ConfigError) as caught:
        load_config(site)
    assert caught.value.diagnostics[0].format() == "site.toml:2: error: 'site.articles_per_page' must be from 1 to 1000000, got 0"


def test_search_made_in_a_forked_process_equals_the_one_made_in_process(tree, tmp_path: Path) -> None:
    """A one-shot build makes the search index in a forked process while it writes the pages; the
    files must be the ones an in-process build (live preview's) makes, sharded index included."""
    seeds = {f"seeds/article-{n}.txt": f"Article number {n}\n\nMarkets and {n} traders met in Karachi: "
             + " ".join(f"lot{n}x{i}" for i in range(2500)) + ".\n" for n in range(12)}
    site = tree({"site.toml": "[search]\nshard_threshold = 4\n", **seeds})
    config = load_config(site)
    forked = build(config, BuildOptions(out=tmp_path / "forked"))
    in_process = build(config, BuildOptions(out=tmp_path / "in-process"), BuildCache())
    search_files = {path: sha for path, sha in digest(tmp_path / "forked").items() if path.startswith("search/")}
    assert sum(path.startswith("search/i/") for path in search_files) > 1, "expected a sharded index"
    assert any(path.startswith("search/f/") for path in search_files), "expected texts in files of their own"
    assert digest(tmp_path / "forked") == digest(tmp_path / "in-process")
    assert forked.search == in_process.search


def test_worker_processes_make_the_same_site_as_one_process(tree, tmp_path: Path) -> None:
    """Enough articles for annotation, Markdown and templates to go to worker processes (and a
    glossary and notes so annotation has work): the site must not depend on it."""
    seeds = {f"seeds/story-{n}.txt": f"Story {n} about OPEC\n\nBy Ann Lee, 2012-06-{n % 28 + 1:02d}\n\n"
             f"The OPEC ministers met in Vienna on day {n}. Prices rose.\n" for n in range(70)}
    notes = {f"content/notes/story-{n}-about-opec.yml": f"- quote: ministers met in Vienna on day {n}\n  note: Note {n}.\n"
             for n in range(0, 70, 7)}
    site = tree({**seeds, **notes, "content/glossary/opec.md": "---\nterm: OPEC\n---\nOil exporters.\n"})
    config = load_config(site)
    serial = build(config, BuildOptions(out=tmp_path / "serial", jobs=1))
    parallel = build(config, BuildOptions(out=tmp_path / "parallel", jobs=2))
    assert serial.ok and parallel.ok, serial.diagnostics.format()
    assert sum(len(a.anchored_notes) for a in parallel.annotated) == 10
    assert digest(tmp_path / "serial") == digest(tmp_path / "parallel")


def test_a_first_build_reads_glossary_notes_and_content_in_a_child_process(tree) -> None:
    """They do not depend on the seeds, so a first build reads them in a child process while it parses
    the seeds: this build finds every one of them there (none read twice), and what went wrong in
    the child (a notes file that is not YAML) is reported as if read here."""
    site = tree({
        "seeds/oil.txt": "Oil story\n\nOPEC met in Vienna.\n",
        "seeds/gas.txt": "Gas story\n\nGas prices rose.\n",
        "content/glossary/opec.md": "---\nterm: OPEC\n---\nOil exporters.\n",
        "content/notes/oil-story.yml": "- quote: OPEC met in Vienna\n  note: A note.\n",
        "content/notes/gas-story.yml": "- quote: [unclosed\n",
        "content/articles/old.md": "---\ntitle: Written by hand\n---\nBody.\n",
    })
    cache = BuildCache()
    result = build(load_config(site), BuildOptions(), cache)
    assert {table: cache.stats()[table] for table in ("glossary", "notes", "existing")} == {
        "glossary": (1, 0), "notes": (2, 0), "existing": (1, 0)}
    with pytest.raises(InputError) as read_here:
        read_notes(site, site / "content/notes/gas-story.yml")
    assert [d for d in result.diagnostics.items if d.location and d.location.path.endswith("gas-story.yml")] == (
        read_here.value.diagnostics)
    assert read_here.value.diagnostics[0].location.line == 2
    assert len(result.annotated[[a.document.meta.slug for a in result.annotated].index("oil-story")].anchored_notes) == 1
    assert (site / "content/articles/old.md").read_text() == "---\ntitle: Written by hand\n---\nBody.\n"


def test_a_damaged_or_foreign_build_cache_is_noted_and_the_site_built_without_it(tree, tmp_path: Path) -> None:
    """``.cache/`` is safe to damage or delete: a file that is not a cache, a truncated one or one of
    another version is set aside with a one-line note, and the site is the one a clean build makes."""
    site = tree({"seeds/oil.txt": "Oil story\n\nOPEC met in Vienna.\n",
                 "content/glossary/opec.md": "---\nterm: OPEC\n---\nOil exporters.\n"})
    config = load_config(site)
    build(config, BuildOptions(out=tmp_path / "clean"), BuildCache())
    out, kept = tmp_path / "kept", cache_path(site, tmp_path / "kept")
    again = BuildOptions(out=out, reuse=False)  # built even when nothing changed
    assert build(config, again).cache_stats["page"][0] == 0 and cache_saved(kept).stat().st_size > 0
    whole = kept.read_bytes()
    for damage, why in [(b"not a cache", "it is not a build cache site-gen can read"),
                        (whole[:len(whole) // 2], "it could not be read (UnpicklingError)"),
                        (whole.replace(b"0.1.0+", b"9.9.9+", 1), "it is not signed with this machine's key"),
                        (signed(pickle.dumps(("9.9.9+", "", {}), 5)), "it was made by site-gen 9.9.9+")]:
        kept.write_bytes(damage)
        result = build(config, again)
        cache_saved(kept)  # the new cache is in place before the next damage
        [note] = [d for d in result.diagnostics.items if d.code == "cache-not-used"]
        assert note.format().startswith(f".cache/{kept.name}: info: the build cache was not used: {why}"), note
        assert result.cache_stats["page"][0] == 0 and digest(out) == digest(tmp_path / "clean")
    result = build(config, again)
    assert result.cache_stats["page"][0] > 0 and not [d for d in result.diagnostics.items if d.code == "cache-not-used"]
    assert digest(out) == digest(tmp_path / "clean")
