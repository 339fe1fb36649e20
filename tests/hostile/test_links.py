"""Links never lead outside the site: a symbolic link in any input folder (seeds/, content/*,
templates/, themes/, a theme's static files), or an input folder that is itself a link, is refused
with an error naming the link when it leads out of the site folder or into a hidden folder of it;
nothing it leads to is published, and a refused folder or theme file stops the build before anything
is written (``content/`` included)."""

from __future__ import annotations

from pathlib import Path

import pytest

from site_gen.config import load_config
from site_gen.diagnostics import FolderError, SiteGenError
from site_gen.pipeline import BuildOptions, build

from ..conftest import write_tree

GOOD = {"seeds/good.txt": "A good article\n\nAnn Author 1 May 2020\n\nIt builds.\n"}
SECRET = "ghp_secret_from_outside"
THEME = {"site.toml": '[site]\ntheme = "t"\n', "themes/t/theme.toml": 'extends = "default"\n'}


@pytest.fixture
def outside(tmp_path: Path) -> Path:
    """A folder beside the site with what a link must never publish."""
    return write_tree(tmp_path / "outside", {
        "secret.txt": f"Secret\n\n{SECRET}\n", "secret.md": f"---\ntitle: Secret\n---\n{SECRET}\n",
        "page.html": "{% extends 'base.html' %}{% block main %}" + SECRET + "{% endblock %}",
        "theme/theme.toml": 'extends = "default"\n', "theme/static/s.txt": SECRET,
        "content/pages/p.md": f"---\ntitle: P\n---\n{SECRET}\n", "seeds/s.txt": f"S\n\n{SECRET}\n"})


def published(site: Path) -> str:
    return "".join(p.read_text(errors="replace") for p in (site / "public").rglob("*") if p.is_file())


PAGE = {"content/pages/a.md": "---\ntitle: A\n---\nA page.\n"}
FOLDER_LINKS = [
    ("seeds", PAGE, "seeds", "seeds"),
    ("content", GOOD, "content", "content"),
    ("content/pages", GOOD, "content/pages", "content/pages"),
    ("content/glossary", GOOD, "content/pages", "content/glossary"),
    ("templates", GOOD, "theme", "templates"),
    ("theme folder", {**GOOD, "site.toml": THEME["site.toml"]}, "theme", "themes/t"),
    ("static subfolder", {**GOOD, **THEME}, "theme/static", "themes/t/static/sub"),
    ("templates subfolder", {**GOOD, "templates/page.html": "{% extends 'base.html' %}"}, "theme",
     "templates/partials"),
]


@pytest.mark.parametrize("files,target,link", [c[1:] for c in FOLDER_LINKS], ids=[c[0] for c in FOLDER_LINKS])
def test_a_folder_linked_out_of_the_site_stops_the_build(tmp_path: Path, outside: Path, files: dict, target: str,
                                                         link: str) -> None:
    site = write_tree(tmp_path / "site", files)
    (site / link).parent.mkdir(parents=True, exist_ok=True)
    (site / link).symlink_to(outside / target)
    before = sorted(p.relative_to(site).as_posix() for p in site.rglob("*"))
    with pytest.raises(SiteGenError) as caught:
        build(load_config(site))
    [problem] = caught.value.diagnostics
    assert problem.format().splitlines()[0] == (
        f"{link}: error: the folder {link} leads to {outside / target}, outside the site folder; nothing is built")
    assert not (site / "public").exists()
    assert sorted(p.relative_to(site).as_posix() for p in site.rglob("*")) == before, "nothing was written"
    assert sorted(p.relative_to(outside).as_posix() for p in outside.rglob("*") if p.is_file()) == [
        "content/pages/p.md", "page.html", "secret.md", "secret.txt", "seeds/s.txt", "theme/static/s.txt",
        "theme/theme.toml"], "nothing was written through the link"


def test_a_seeds_folder_linked_into_git_is_refused(tmp_path: Path) -> None:
    site = write_tree(tmp_path / "site", {".git/seeds/token.txt": f"Token\n\n{SECRET}\n"})
    (site / "seeds").symlink_to(".git/seeds")
    with pytest.raises(FolderError) as caught:
        build(load_config(site))
    assert caught.value.diagnostics[0].message == (
        f"the folder seeds leads to {site / '.git/seeds'}, inside the hidden folder .git/ of the site; nothing is built")


FILE_LINKS = [
    ("template", {}, "templates/page.html", "page.html",
     "templates/page.html: error: template is a link to {target}, outside the site folder; it is not read"),
    ("static file", THEME, "themes/t/static/leak.txt", "secret.txt",
     "themes/t/static/leak.txt: error: static file is a link to {target}, outside the site folder; it is not read"),
    ("template into .cache", {".cache/t.html": "{% extends 'base.html' %}"}, "templates/page.html", None,
     "templates/page.html: error: template is a link to ../.cache/t.html, inside the hidden folder .cache/ of the site;"
     " it is not read"),
]


@pytest.mark.parametrize("files,link,target,message", [c[1:] for c in FILE_LINKS], ids=[c[0] for c in FILE_LINKS])
def test_a_theme_file_linked_out_of_the_site_stops_the_build(tmp_path: Path, outside: Path, files: dict, link: str,
                                                            target: str | None, message: str) -> None:
    site = write_tree(tmp_path / "site", {**GOOD, **files})
    (site / link).parent.mkdir(parents=True, exist_ok=True)
    pointed = outside / target if target else Path("../.cache/t.html")
    (site / link).symlink_to(pointed)
    before = sorted(p.relative_to(site).as_posix() for p in site.rglob("*"))
    with pytest.raises(SiteGenError) as caught:
        build(load_config(site))
    assert caught.value.diagnostics[0].format().splitlines()[0] == message.format(target=pointed)
    assert not (site / "public").exists()
    assert sorted(p.relative_to(site).as_posix() for p in site.rglob("*")) == before, "nothing was written"


def test_links_inside_the_site_are_followed(tmp_path: Path) -> None:
    site = write_tree(tmp_path / "site", {**GOOD, **THEME, "texts/one.txt": "Linked one\n\nFrom texts.\n",
                                          "texts/more/two.txt": "Linked two\n\nFrom a linked folder.\n",
                                          "shared/style.css": "body { color: teal }\n",
                                          "shared/about.md": "---\ntitle: About us\n---\nLinked page.\n"})
    (site / "seeds/one.txt").symlink_to("../texts/one.txt")
    (site / "seeds/more").symlink_to("../texts/more")
    (site / "seeds/again").symlink_to(".")  # a loop is walked once
    (site / "themes/t/static").mkdir()
    (site / "themes/t/static/site.css").symlink_to(site / "shared/style.css")
    (site / "content/pages").mkdir(parents=True)
    (site / "content/pages/about.md").symlink_to("../../shared/about.md")
    result = build(load_config(site))
    assert result.ok, result.diagnostics.format()
    assert {page.meta.title for page in (*result.site.articles, *result.site.pages)} == {
        "A good article", "Linked one", "Linked two", "About us"}
    assert "color: teal" in published(site)


def test_a_link_to_nowhere_is_named(tmp_path: Path) -> None:
    site = write_tree(tmp_path / "site", GOOD)
    (site / "seeds/gone.txt").symlink_to(site / "seeds/deleted.txt")
    result = build(load_config(site), BuildOptions(write=False))
    assert [d.format().splitlines()[0] for d in result.diagnostics.items] == [
        "seeds/gone.txt: error: seed disappeared while the build read it (or is a link to nothing)"]
