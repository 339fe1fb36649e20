"""Hostile use of the commands: a --site that is no site, --regenerate aimed at what must not be
replaced, pages that would take a built-in page's URL, text direction controls in titles, template
errors at run time, and ``check`` against ``build``: each a clear message, never a traceback, and
nothing the user made deleted or overwritten."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from site_gen.cli import main

from ..conftest import cache_saved, write_tree

SEED = "Alpha\n\nAnn Author 1 May 2020\n\nThe first article.\n"


class Text(HTMLParser):
    """The text of some elements of a page (``<title>``, the page list), as a browser reads it."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.open: list[str] = []
        self.found: dict[str, list[str]] = {}

    def handle_starttag(self, tag: str, attrs: list) -> None:
        self.open.append(tag)

    def handle_endtag(self, tag: str) -> None:
        while self.open and self.open.pop() != tag:
            pass

    def handle_data(self, data: str) -> None:
        if self.open:
            self.found.setdefault(self.open[-1], []).append(data)


def text_of(page: Path, tag: str) -> list[str]:
    parser = Text()
    parser.feed(page.read_text(encoding="utf-8"))
    return parser.found.get(tag, [])


def problems(stream: str) -> list[str]:
    """The first line of every diagnostic in a command's output, but the one every site without a
    ``base_url`` gets (tests/test_cli.py has it)."""
    return [line for line in stream.splitlines() if re.match(r"^(\S+: )?(error|warning): ", line)
            and "'site.base_url' is empty" not in line]


@pytest.mark.parametrize("command", ["build", "check", "serve"])
@pytest.mark.parametrize("case", ["missing", "empty", "unrelated", "file"])
def test_a_site_folder_that_is_no_site_is_an_error_and_nothing_is_created(tmp_path: Path, capsys, command: str,
                                                                          case: str) -> None:
    where = tmp_path / "here"
    if case == "empty":
        where.mkdir()
    elif case == "unrelated":
        write_tree(where, {"notes.txt": "my notes", "photos/a.jpg": b"\xff\xd8"})
    elif case == "file":
        where.write_text("a file")
    before = sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*"))
    assert main([command, "--site", str(where)]) == 1
    err = capsys.readouterr().err
    expected = {"missing": "the site folder does not exist", "file": "the site folder is not a folder"}.get(
        case, "not a site folder (it holds no site.toml, seeds/ or content/)")
    assert err.startswith(f"error: --site {where}: {expected}\n  hint: ")
    assert sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*")) == before


@pytest.fixture
def regenerate_site(tree, capsys) -> Path:
    """A site with a generated article edited by hand, a hand-written article, and a hand-written
    article at the very file name a seed wants."""
    site = tree({"seeds/alpha.txt": SEED, "seeds/beta.txt": "Beta\n\nThe second article.\n"})
    assert main(["build", "--quiet", "--site", str(site)]) == 0
    alpha = site / "content/articles/alpha.md"
    alpha.write_text(alpha.read_text().replace("The first article.", "The first article, EDITED."))
    (site / "content/articles/beta.md").unlink()
    write_tree(site, {"content/articles/beta.md": "---\ntitle: My beta\n---\nMy own beta.\n",
                      "content/articles/mine.md": "---\ntitle: Mine\n---\nMy own words.\n"})
    capsys.readouterr()
    return site


def test_regenerate_all_never_replaces_a_hand_written_article(regenerate_site: Path, capsys) -> None:
    site = regenerate_site
    assert main(["build", "--regenerate", "all", "--site", str(site)]) == 1
    assert problems(capsys.readouterr().err) == [
        "seeds/beta.txt:1: error: content/articles/beta.md was written by hand, so the article from seeds/beta.txt "
        "cannot be written there"]
    assert "EDITED" not in (site / "content/articles/alpha.md").read_text(), "the generated one is regenerated"
    assert (site / "content/articles/beta.md").read_text() == "---\ntitle: My beta\n---\nMy own beta.\n"
    assert (site / "content/articles/mine.md").read_text() == "---\ntitle: Mine\n---\nMy own words.\n"


@pytest.mark.parametrize("value,message", [
    ("content/articles/nope.md", "error: --regenerate content/articles/nope.md: there is no article there"),
    ("seeds/alpha.txt", "error: --regenerate seeds/alpha.txt: there is no article there"),
    ("content/articles/../../site.toml", "error: --regenerate content/articles/../../site.toml: there is no article"),
    ("alpha.md", "error: --regenerate alpha.md: there is no article there"),
])
def test_regenerate_naming_no_article_is_an_error_before_anything_is_built(regenerate_site: Path, capsys,
                                                                           value: str, message: str) -> None:
    site = regenerate_site
    before = (site / "content/articles/alpha.md").read_text()
    assert main(["build", "--regenerate", value, "--site", str(site)]) == 1
    assert capsys.readouterr().err.startswith(message)
    assert (site / "content/articles/alpha.md").read_text() == before
    assert not (site / ".public.old").exists(), "nothing was built"


def test_regenerate_naming_a_hand_written_article_is_an_error_naming_it(regenerate_site: Path, capsys,
                                                                        monkeypatch) -> None:
    site = regenerate_site
    monkeypatch.chdir(site.parent)
    assert main(["build", "--regenerate", f"{site.name}/content/articles/mine.md", "--regenerate",
                 "content/articles/alpha.md", "--site", str(site)]) == 1
    assert "content/articles/mine.md:1: error: --regenerate content/articles/mine.md: it was written by hand" in \
        capsys.readouterr().err
    assert (site / "content/articles/mine.md").read_text() == "---\ntitle: Mine\n---\nMy own words.\n"
    assert "EDITED" not in (site / "content/articles/alpha.md").read_text(), "a path from here names the article"


def test_a_folder_where_a_generated_article_goes_is_an_error_and_kept(tree, capsys) -> None:
    site = tree({"seeds/alpha.txt": SEED, "seeds/beta.txt": "Beta\n\nThe second.\n",
                 "content/articles/alpha.md/mine.txt": "my file"})
    assert main(["build", "--site", str(site)]) == 1
    assert problems(capsys.readouterr().err) == [
        "seeds/alpha.txt:1: error: content/articles/alpha.md is not a file (a folder?), so the article from "
        "seeds/alpha.txt cannot be written there"]
    assert (site / "content/articles/alpha.md/mine.txt").read_text() == "my file"
    assert (site / "public/articles/beta/index.html").is_file()


def test_a_page_taking_a_built_in_url_is_an_error_naming_it(tree, capsys) -> None:
    site = tree({
        "seeds/alpha.txt": SEED, "seeds/alpha.yml": "tags: [one]\n",
        "content/pages/search.md": "---\ntitle: My search\n---\nMine.\n",
        "content/pages/glossary.md": "---\ntitle: My glossary\n---\nMine.\n",
        "content/pages/list.md": "---\ntitle: My tags\nslug: tags\n---\nMine.\n",
        "content/pages/about.md": "---\ntitle: About\n---\nAbout us.\n",
        "content/pages/about-too.md": "---\ntitle: About again\nslug: about\n---\nAgain.\n",
        "content/articles/copy.md": "---\ntitle: Copy\nslug: alpha\n---\nA copy.\n",
        "content/glossary/term.md": "---\nterm: Term\n---\nA term.\n",
    })
    assert main(["build", "--site", str(site)]) == 1
    hint = "  hint: give it another slug in its front matter (slug: another-name), or rename the file"
    err = capsys.readouterr().err
    assert problems(err) == [
        "content/articles/copy.md:1: error: its URL articles/alpha/ is the URL of content/articles/alpha.md: "
        "this page is left out",
        "content/pages/about-too.md:1: error: its URL about/ is the URL of content/pages/about.md: this page is left out",
        "content/pages/glossary.md:1: error: its URL glossary/ is the site's own glossary index: this page is left out",
        "content/pages/list.md:1: error: its URL tags/ is the site's own list of tags: this page is left out",
        "content/pages/search.md:1: error: its URL search/ is the site's own search page: this page is left out",
    ]
    assert err.count(hint) == 5
    public = site / "public"
    assert text_of(public / "search/index.html", "h1") == ["Search"]
    assert text_of(public / "glossary/index.html", "h1") == ["Glossary"]
    assert text_of(public / "tags/index.html", "h1") == ["Tags"]
    assert text_of(public / "about/index.html", "h1") == ["About"]
    assert "The first article." in (public / "articles/alpha/index.html").read_text()


RLO, LRE, RLI, PDF = "\u202e", "\u202a", "\u2067", "\u202c"
CONTROLS = re.compile("[\u202a-\u202e\u2066-\u2069]")


def test_text_direction_controls_in_titles_authors_and_tags_are_removed_with_a_warning(tree, capsys) -> None:
    site = tree({
        "seeds/alpha.txt": SEED,
        "seeds/alpha.yml": f'title: "Invoice {RLO}fdp.exe"\nauthor: "Ann {RLI}Author"\ntags: ["{RLO}news", "{PDF}"]\n',
        "content/pages/about.md": f"---\ntitle: {LRE}About\n---\nAbout us.\n",
        "content/articles/mine.md": "---\ntitle: Plain\ndate: 2020-01-02\n---\nThe body may keep \u202eits controls.\n",
    })
    assert main(["build", "--site", str(site)]) == 0
    assert problems(capsys.readouterr().err) == [
        "content/articles/invoice-fdp-exe.md:1: warning: text direction controls (U+202A-U+202E, U+2066-U+2069) "
        "removed from the title, author and tags: they would turn the text after them around in titles and lists",
        "content/pages/about.md:1: warning: text direction controls (U+202A-U+202E, U+2066-U+2069) removed from the "
        "title: they would turn the text after them around in titles and lists",
    ]
    public = site / "public"
    article = public / "articles/invoice-fdp-exe/index.html"
    assert text_of(article, "title")[0].startswith("Invoice fdp.exe · ")
    assert text_of(public / "about/index.html", "title")[0].startswith("About · ")
    published = {path: path.read_text(encoding="utf-8") for path in public.rglob("*")
                 if path.is_file() and path.suffix in (".html", ".xml", ".json", ".js")}
    for control in (RLO, LRE, RLI, PDF):
        assert [path for path, text in published.items() if re.search(f"{control}(fdp|Author|news|About)", text)] == []
    assert CONTROLS.search((public / "articles/mine/index.html").read_text()), "the body keeps its text as written"
    assert sorted(p.name for p in (public / "tags").iterdir()) == ["index.html", "news"]
    feed = (public / "feed.xml").read_text(encoding="utf-8")
    assert "<title>Invoice fdp.exe</title>" in feed and "<name>Ann Author</name>" in feed
    search = "".join(text for path, text in published.items() if "search" in path.parts)
    assert "Invoice fdp.exe" in search


def test_text_direction_controls_in_glossary_names_are_removed_with_a_warning(tree, capsys) -> None:
    site = tree({
        "seeds/alpha.txt": "Alpha\n\nAnn Author 1 May 2020\n\nA Drone strike was reported.\n",
        "content/glossary/drone.md": f'---\nterm: "Drone {RLO}strike"\naliases: ["{RLI}drones"]\n'
                                     f'category: "{LRE}weapons"\n---\nA strike by a drone.\n',
    })
    assert main(["build", "--site", str(site)]) == 0
    assert problems(capsys.readouterr().err) == [
        f"content/glossary/drone.md:{line}: warning: text direction controls (U+202A-U+202E, U+2066-U+2069) removed "
        f"from '{key}': they would turn the text after them around in titles and lists"
        for line, key in ((2, "term"), (3, "aliases"), (4, "category"))
    ]
    public = site / "public"
    published = {path: path.read_text(encoding="utf-8") for path in public.rglob("*")
                 if path.is_file() and path.suffix in (".html", ".xml", ".json", ".js")}
    assert [path for path, text in published.items() if CONTROLS.search(text)] == []
    assert text_of(public / "glossary/drone/index.html", "h1") == ["Drone strike"]
    assert "Drone strike" in text_of(public / "glossary/index.html", "a")
    assert re.search(r"data-term=\"drone\">Drone strike</a>", (public / "articles/alpha/index.html").read_text())

TEMPLATE = '{% extends "base.html" %}\n{% block main %}\n<p>x</p>\n{{ BODY }}\n{% endblock %}\n'


@pytest.mark.parametrize("body,message", [
    ("{{ page.nope.deeper }}", "template error: 'site_gen.model.Page object' has no attribute 'nope'"),
    ("{{ 1 / 0 }}", "template error: ZeroDivisionError: division by zero"),
    ('{% include "nothere.html" %}', "template error: 'nothere.html' not found in search paths"),
    ("{{ link(None) }}", "template error: AttributeError: 'NoneType' object has no attribute"),
])
@pytest.mark.parametrize("command", ["build", "check"])
def test_a_template_error_at_run_time_names_the_template_and_line(tree, capsys, body: str, message: str,
                                                                  command: str) -> None:
    site = tree({"seeds/alpha.txt": SEED, "content/pages/about.md": "---\ntitle: About\n---\nAbout.\n",
                 "templates/page.html": TEMPLATE.replace("{{ BODY }}", body)})
    assert main([command, "--site", str(site)]) == 1
    captured = capsys.readouterr()
    assert captured.err.startswith(f"templates/page.html:4: error: {message}")
    assert "Traceback" not in captured.err + captured.out


def test_a_template_error_in_a_worker_process_names_the_template_and_line(tree, capsys) -> None:
    """Over 64 pages, pages render in worker processes: the error comes back with its place."""
    site = tree({**{f"content/articles/a{n:02}.md": f"---\ntitle: A{n}\n---\nText.\n" for n in range(80)},
                 "templates/article.html": TEMPLATE.replace("{{ BODY }}", "{{ page.meta.title / 2 }}")})
    assert main(["build", "--site", str(site)]) == 1
    assert capsys.readouterr().err.startswith(
        "templates/article.html:4: error: template error: TypeError: unsupported operand type(s) for /: 'str' and 'int'")


def test_check_reports_every_problem_build_reports(tree, capsys) -> None:
    """One code path: a binary seed, an empty one, a bad sidecar, a page at a built-in URL, direction
    controls, a missing cross-reference and an orphaned note, all reported by both."""
    site = tree({
        "seeds/alpha.txt": "Alpha\n\nAnn Author 1 May 2020\n\nThe first article. (See: Nothing like it)\n",
        "seeds/image.txt": b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR",
        "seeds/empty.txt": "",
        "seeds/beta.txt": "Beta\n\nThe second.\n", "seeds/beta.yml": "title: [unclosed\n",
        "seeds/gamma.txt": "Gamma\n\nThe third.\n", "seeds/gamma.yml": f'title: "{RLO}Gamma"\n',
        "content/pages/search.md": "---\ntitle: Mine\n---\nMine.\n",
        "content/notes/alpha.yml": "- quote: words that are nowhere\n  note: Lost.\n",
    })
    assert main(["build", "--site", str(site)]) == 1
    built = problems(capsys.readouterr().err)
    assert len(built) >= 7
    assert main(["check", "--site", str(site)]) == 1
    checked = problems(capsys.readouterr().out)
    orphan = "content/notes/alpha.yml:1: warning: "
    assert [line for line in built if line not in checked] == [line for line in built if line.startswith(orphan)]
    assert any(line.startswith("content/notes/alpha.yml:1: error: ") for line in checked), "check: a lost note is an error"


def _snapshot(site: Path) -> dict[str, tuple]:
    """Every file and folder of the site folder (itself included): kind, modification time, bytes."""
    return {path.relative_to(site).as_posix(): (path.is_dir(), path.lstat().st_mtime_ns,
                                                None if path.is_dir() else path.read_bytes())
            for path in (site, *site.rglob("*"))}


@pytest.mark.parametrize("case", ["never built", "seed removed", "seed changed", "hand-edited"])
def test_check_writes_nothing_anywhere(tree, capsys, case: str) -> None:
    """``check`` writes, removes and touches nothing in the site folder, even where ``build`` would
    write a new article, remove one whose seed is gone, or replace one whose seed changed."""
    site = tree({"seeds/alpha.txt": SEED, "seeds/beta.txt": "Beta\n\nBob Writer 2 May 2020\n\nThe second.\n",
                 "content/pages/about.md": "---\ntitle: About\n---\nAbout us.\n",
                 "content/notes/alpha.yml": "- quote: first article\n  note: A note.\n"})
    if case != "never built":
        assert main(["build", "--site", str(site)]) == 0
        for lock in (site / ".cache").glob("*.lock"):  # the build's cache saved by its child
            cache_saved(lock.with_suffix(".pickle"))
    if case == "seed removed":
        (site / "seeds/beta.txt").unlink()
    elif case == "seed changed":
        (site / "seeds/alpha.txt").write_text(SEED + "\nA new paragraph.\n", encoding="utf-8")
    elif case == "hand-edited":
        article = site / "content/articles/alpha.md"
        article.write_text(article.read_text(encoding="utf-8") + "\nAn editor's line.\n", encoding="utf-8")
    before = _snapshot(site)
    assert main(["check", "--site", str(site)]) == 0
    assert capsys.readouterr().out.splitlines()[-1].startswith("check: 0 errors")
    assert _snapshot(site) == before
