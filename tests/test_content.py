"""content/articles: generated files are refreshed, hand-edited ones are never overwritten or lost."""

from __future__ import annotations

import dataclasses
import tempfile
from pathlib import Path

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from site_gen import content, frontmatter
from site_gen.config import load_config
from site_gen.diagnostics import InputError
from site_gen.model import AnnotatedDocument, Document, DocumentMeta
from site_gen.pipeline import BuildOptions, build

SEED = "Drone war\n\nAnn Author 8 June 2012\n\nThe first paragraph.\n"


def run(site: Path, **options):
    return build(load_config(site), BuildOptions(**options))


def article(site: Path) -> Path:
    return site / "content" / "articles" / "drone-war.md"


def test_generated_file_is_written_and_refreshed(tree) -> None:
    site = tree({"seeds/a.txt": SEED})
    run(site)
    assert "The first paragraph." in article(site).read_text()
    (site / "seeds/a.txt").write_text(SEED.replace("first", "updated"))
    result = run(site)
    assert "The updated paragraph." in article(site).read_text()
    assert result.diagnostics.warnings == 0


def test_hand_edited_file_is_kept_and_the_warning_names_the_command(tree) -> None:
    site = tree({"seeds/a.txt": SEED})
    run(site)
    edited = article(site).read_text().replace("The first paragraph.", "An editor's own words.")
    article(site).write_text(edited)
    quiet = run(site)
    assert article(site).read_text() == edited
    warned = [d.code for d in quiet.diagnostics.items if d.severity >= 1]
    assert warned == ["integrity"], "nothing changed upstream: only the words the edit removed are named"
    (site / "seeds/a.txt").write_text(SEED.replace("first", "changed"))
    result = run(site)
    assert article(site).read_text() == edited
    [warning] = [d for d in result.diagnostics.items if d.code == "hand-edited"]
    assert warning.location.path == "content/articles/drone-war.md"
    assert "site-gen build --regenerate content/articles/drone-war.md" in warning.hint
    assert "An editor&#39;s own words." in (site / "public/articles/drone-war/index.html").read_text() or \
        "An editor’s own words." in (site / "public/articles/drone-war/index.html").read_text()


def test_regenerate_overwrites_on_purpose(tree) -> None:
    site = tree({"seeds/a.txt": SEED})
    run(site)
    article(site).write_text(article(site).read_text().replace("first", "edited"))
    run(site, regenerate=frozenset({"content/articles/drone-war.md"}))
    assert "The first paragraph." in article(site).read_text()


def test_hand_edited_file_survives_a_title_change(tree) -> None:
    site = tree({"seeds/a.txt": SEED})
    run(site)
    edited = article(site).read_text().replace("first", "edited")
    article(site).write_text(edited)
    (site / "seeds/a.txt").write_text(SEED.replace("Drone war", "Renamed"))
    run(site)
    assert article(site).read_text() == edited
    assert not (site / "content/articles/renamed.md").exists()


def test_generated_file_of_a_deleted_seed_is_removed_but_an_edited_one_stays(tree) -> None:
    site = tree({"seeds/a.txt": SEED, "seeds/b.txt": "Other\n\nText.\n"})
    run(site)
    other = site / "content/articles/other.md"
    other.write_text(other.read_text() + "\nAdded by an editor.\n")
    (site / "seeds/a.txt").unlink()
    (site / "seeds/b.txt").unlink()
    run(site)
    assert not article(site).exists()
    assert other.exists()


def test_hand_written_article_is_never_touched(tree) -> None:
    own = "---\ntitle: Mine\n---\nWritten by hand.\n"
    site = tree({"content/articles/mine.md": own, "seeds/a.txt": SEED})
    run(site)
    assert (site / "content/articles/mine.md").read_text() == own
    assert (site / "public/articles/mine/index.html").exists()


def test_seed_cannot_overwrite_a_hand_written_file_of_the_same_slug(tree) -> None:
    own = "---\ntitle: Mine\n---\nWritten by hand.\n"
    site = tree({"content/articles/drone-war.md": own, "seeds/a.txt": SEED})
    result = run(site)
    assert article(site).read_text() == own
    assert [d.code for d in result.diagnostics.items if d.severity == 2] == ["content-conflict"]


def test_unchanged_generated_file_keeps_its_modification_time(tree) -> None:
    site = tree({"seeds/a.txt": SEED})
    run(site)
    before = article(site).stat().st_mtime_ns
    run(site)
    assert article(site).stat().st_mtime_ns == before


def _read_back(root: Path, item: AnnotatedDocument) -> object:
    path = root / content.ARTICLES_DIR / f"{item.document.meta.slug}.md"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(item.markdown, encoding="utf-8")
    return _outcome(lambda: content.read_content_file(root, path, "article"))


def _outcome(make) -> object:
    """A content file's fields (its meta as a tuple), or the messages of the error it raises."""
    try:
        file = make()
    except InputError as exc:
        return [d.message for d in exc.diagnostics]
    return [*(getattr(file, f.name) for f in dataclasses.fields(file) if f.name != "meta"),
            dataclasses.astuple(file.meta)]


_TEXT = st.text(st.characters(blacklist_categories=("Cs",)), max_size=30)


@settings(max_examples=150, deadline=None)
@given(title=_TEXT, author=_TEXT, source=_TEXT, tags=st.lists(_TEXT, max_size=3),
       date=st.sampled_from(["", "2012", "2012-06", "2012-06-08", "2012-13", "June 2012", " 1999 "]),
       slug=st.from_regex(r"[a-z0-9][a-z0-9-]{0,20}", fullmatch=True),
       body=st.text(max_size=200))
@example(title="T", author="", source="", tags=[], date="", slug="a", body="one\rtwo\r\nthree\n")
def test_a_generated_file_is_what_reading_it_back_gives(title, author, source, tags, date, slug, body) -> None:
    """The build makes the content file of an article it has just written from the document instead
    of parsing the file back: the same file, or the same error, whatever the metadata holds."""
    meta = DocumentMeta(title=title, slug=slug, author=author, date=date, seed="seeds/a.txt", source=source,
                        tags=tuple(tags))
    text = frontmatter.stamp(frontmatter.join(content.front_matter(meta), body, "Generated\nby a test"))
    item = AnnotatedDocument(Document(meta, ()), text)
    with tempfile.TemporaryDirectory() as folder:
        assert _outcome(lambda: content.generated_file(item)) == _read_back(Path(folder), item)


@pytest.mark.parametrize(("path", "nav", "expected"), [
    ("content/pages/about.md", "2", 2),
    ("content/pages/about.md", "-1", -1),
    ("content/pages/about.md", "first", "content/pages/about.md:3: error: 'nav' must be a whole number on a page of "
                                        "content/pages, got 'first'\n  hint: e.g. nav: 1 (its place in the site's "
                                        "navigation, lower first)"),
    ("content/pages/about.md", "true", "content/pages/about.md:3: error: 'nav' must be a whole number on a page of "
                                       "content/pages, got True\n  hint: e.g. nav: 1 (its place in the site's "
                                       "navigation, lower first)"),
    ("content/articles/about.md", "1", "content/articles/about.md:3: error: 'nav' must be a whole number on a page "
                                       "of content/pages, got 1\n  hint: only pages in content/pages go in the "
                                       "navigation"),
])
def test_a_page_takes_its_place_in_the_navigation_from_nav(tmp_path: Path, path: str, nav: str,
                                                            expected: object) -> None:
    file = tmp_path / path
    file.parent.mkdir(parents=True)
    file.write_text(f"---\ntitle: About\nnav: {nav}\n---\nBody.\n", encoding="utf-8")
    kind = "page" if "/pages/" in path else "article"
    try:
        outcome: object = content.read_content_file(tmp_path, file, kind).nav
    except InputError as exc:
        outcome = "\n".join(d.format() for d in exc.diagnostics)
    assert outcome == expected
