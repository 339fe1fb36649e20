"""Hostile and broken input: every case either renders the text safely (escaped, never executed or
compiled as a template) or fails with a clear error naming the file (and line), while the other
pages still build and nothing outside the output folder, content/articles and content/ids changes."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from site_gen.config import load_config
from site_gen.diagnostics import ConfigError
from site_gen.pipeline import BuildOptions, build

from ..conftest import write_tree

GOOD = {"seeds/zz-good.txt": "A good article\n\nAnn Author 1 May 2020\n\nIt builds whatever else happens.\n"}
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01"


def snapshot(root: Path) -> dict[str, str]:
    """Every file outside the build's own outputs (public/, content/articles/, content/ids/, .cache/)."""
    return {p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file()
            and not p.relative_to(root).as_posix().startswith(("site/public/", "site/content/articles/",
                                                                     "site/content/ids/", "site/.cache/"))}


def run(tmp_path: Path, files: dict[str, str | bytes]):
    site = write_tree(tmp_path / "site", {**GOOD, **files})
    (tmp_path / "outside.txt").write_text("must not change")
    before = snapshot(tmp_path)
    result = build(load_config(site), BuildOptions())
    assert snapshot(tmp_path) == before, "a file outside the output changed"
    assert (site / "public/articles/a-good-article/index.html").exists(), "the other pages still build"
    return site, result


def page_text(site: Path, slug: str) -> str:
    return (site / "public/articles" / slug / "index.html").read_text(encoding="utf-8")


def errors(result) -> list[str]:
    return [d.format().splitlines()[0] for d in result.diagnostics.items if d.severity == 2]


ERROR_CASES = [
    ("empty seed", {"seeds/empty.txt": ""}, "seeds/empty.txt: error: seed is empty"),
    ("whitespace-only seed", {"seeds/blank.txt": " \n\t\n"}, "seeds/blank.txt: error: seed is empty"),
    ("byte-order mark only", {"seeds/bom.txt": b"\xef\xbb\xbf\r\n"}, "seeds/bom.txt: error: seed is empty"),
    ("binary seed", {"seeds/image.txt": PNG}, "seeds/image.txt: error: seed is a binary file, not text"),
    ("undecodable seed", {"seeds/bad.txt": b"Title\n\nbad \x90 byte\n"},
     "seeds/bad.txt:3: error: cannot decode byte 0x90 at offset 11 (not UTF-8, not cp1252)"),
    ("malformed sidecar", {"seeds/s.txt": "T\n\nB.\n", "seeds/s.yml": "title: [unclosed\n"},
     "seeds/s.yml:2:1: error: invalid YAML"),
    ("malformed front matter", {"content/pages/p.md": "---\ntitle: x: y: z\n---\nBody\n"},
     "content/pages/p.md:2:9: error: invalid YAML"),
    ("unclosed front matter", {"content/pages/q.md": "---\ntitle: Q\nBody\n"},
     "content/pages/q.md:1: error: front matter is not closed"),
    ("malformed glossary entry", {"content/glossary/g.md": "---\nterm: [a\n---\nDef.\n"},
     "content/glossary/g.md:3:1: error: invalid YAML"),
    ("malformed notes", {"content/notes/a-good-article.yml": "- quote: x\n  note: [unclosed\n"},
     "content/notes/a-good-article.yml:3:1: error: invalid YAML"),
    ("notes not a list", {"content/notes/a-good-article.yml": "quote: x\n"},
     "content/notes/a-good-article.yml:1: error: a notes file must be a list of notes"),
]


@pytest.mark.parametrize("name,files,message", ERROR_CASES, ids=[c[0] for c in ERROR_CASES])
def test_bad_input_is_a_clear_error_and_the_rest_builds(tmp_path: Path, name: str, files: dict, message: str) -> None:
    _, result = run(tmp_path, files)
    assert not result.ok
    assert any(line.startswith(message) for line in errors(result)), errors(result)


def test_huge_seed_is_refused_quickly(tmp_path: Path) -> None:
    paragraph = "A paragraph of a very long seed that goes on and on. " * 20 + "\n\n"
    huge = "Huge\n\n" + paragraph * (50 * 1024 * 1024 // len(paragraph))
    _, result = run(tmp_path, {"seeds/huge.txt": huge})
    assert errors(result) == ["seeds/huge.txt: error: seed is 52 MB, over the 16 MiB limit"]


def test_symlink_out_of_the_site_is_not_read(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("Secret\n\nPrivate words.\n")
    site = write_tree(tmp_path / "site", GOOD)
    (site / "seeds" / "link.txt").symlink_to(secret)
    result = build(load_config(site), BuildOptions())
    assert errors(result) == [f"seeds/link.txt: error: seed is a link to {secret}, outside the site folder; it is not read"]
    assert not any("Private words" in p.read_text() for p in (site / "public").rglob("*.html"))


@pytest.mark.parametrize("title,slug", [
    ("../../etc/passwd", "etc-passwd"), ("/etc/passwd", "etc-passwd"), ("CON", "con-page"),
    ("مقالة عن الطائرات", "mql-n-lty-rt"), ("Ünïcödé Tïtlé", "unicode-title"),
    (" ".join(["headline"] * 20), "-".join(["headline"] * 9)),
])
def test_hostile_titles_give_safe_slugs(tmp_path: Path, title: str, slug: str) -> None:
    site, _ = run(tmp_path, {"seeds/t.txt": f"{title}\n\nBody.\n"})
    made = [p for p in (site / "public/articles").iterdir() if p.name != "a-good-article"]
    assert [p.name for p in made] == [slug]
    assert all(site / "public" in p.resolve().parents for p in (site / "public").rglob("*"))


@pytest.mark.parametrize("title", ["", "!!!???...", "    ", "—"])
def test_unusable_titles_fall_back_to_the_file_name(tmp_path: Path, title: str) -> None:
    body = "The body of the article is a long paragraph, " * 6 + "and it ends here."
    site, result = run(tmp_path, {"seeds/fallback-name.txt": f"{title}\n\n{body}\n"})
    assert result.ok
    html = page_text(site, "fallback-name")
    assert "<h1>Fallback Name</h1>" in html


def test_title_only_seed_builds(tmp_path: Path) -> None:
    site, result = run(tmp_path, {"seeds/only.txt": "Only a title here\n"})
    assert result.ok and "<h1>Only a title here</h1>" in page_text(site, "only-a-title-here")


def test_two_seeds_with_the_same_title(tmp_path: Path) -> None:
    site, _ = run(tmp_path, {"seeds/a.txt": "Same\n\nOne.\n", "seeds/b.txt": "Same\n\nTwo.\n"})
    assert "One." in page_text(site, "same") and "Two." in page_text(site, "same-2")


INJECTION = ('<script>alert(1)</script> <img src=x onerror=alert(2)> {{ 7*7 }} {% include "base.html" %} '
             '[click](javascript:alert(3)) ![x](javascript:alert(4)) <https://example.org> **bold** # not')


def test_injection_in_seed_text_is_shown_as_text(tmp_path: Path) -> None:
    site, result = run(tmp_path, {"seeds/i.txt": f"<b>Bold</b> {{{{ title }}}}\n\n{INJECTION}\n"})
    html = next(p for p in (site / "public/articles").rglob("index.html") if "a-good" not in str(p)).read_text()
    assert result.ok
    for dangerous in ("<script>alert", "<img src=x", 'href="javascript:', 'src="javascript:', "<b>Bold</b>",
                      "<strong>bold"):
        assert dangerous not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html and "{{ 7*7 }}" in html and "**bold**" in html
    assert "&lt;b&gt;Bold&lt;/b&gt; {{ title }}" in html


def test_injection_in_glossary_and_notes_is_escaped(tmp_path: Path) -> None:
    site, _ = run(tmp_path, {
        "content/glossary/evil.md": '---\nterm: Evil <script>alert(1)</script>\naliases: ["good"]\n---\n' + INJECTION + "\n",
        "content/notes/a-good-article.yml": f"- quote: It builds\n  note: {INJECTION!r}\n",
    })
    term = (site / "public/glossary/evil/index.html").read_text()
    article = page_text(site, "a-good-article")
    for html in (term, article):
        assert "<script>alert" not in html and "<img src=x" not in html and 'href="javascript:' not in html
        assert "{{ 7*7 }}" in html
    assert "<h1>Evil &lt;script&gt;alert(1)&lt;/script&gt;</h1>" in term


def test_huge_glossary_builds(tmp_path: Path) -> None:
    entries = {f"content/glossary/term-{i}.md": f"---\nterm: Term{i} Name\n---\nDefinition {i}.\n" for i in range(10_000)}
    site = write_tree(tmp_path / "site", {**entries, "seeds/a.txt": "Terms\n\nTerm17 Name and Term9999 Name.\n"})
    result = build(load_config(site), BuildOptions(write=False))
    assert result.ok and len(result.site.glossary_pages) == 10_000
    [article] = result.site.articles
    assert {term for term, _ in article.occurrences} == {"term-17", "term-9999"}


def test_circular_theme_and_missing_template_stop_before_writing(tmp_path: Path) -> None:
    site = write_tree(tmp_path / "site", {**GOOD, "site.toml": '[site]\ntheme = "a"\n',
                                           "themes/a/theme.toml": 'extends = "b"\n', "themes/b/theme.toml": 'extends = "a"\n'})
    with pytest.raises(ConfigError, match="circular"):
        build(load_config(site))
    assert not (site / "public").exists()
    (site / "site.toml").write_text('[site]\ntheme = "bare"\n')
    write_tree(site, {"themes/bare/theme.toml": 'name = "bare"\n'})
    with pytest.raises(ConfigError, match=r"has no template 'article\.html'"):
        build(load_config(site))


def test_interrupted_build_leaves_the_previous_site(tmp_path: Path, monkeypatch) -> None:
    site = write_tree(tmp_path / "site", GOOD)
    build(load_config(site))
    import site_gen.output as output

    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(output, "_write_if_changed", interrupted)
    (site / "seeds/zz-good.txt").write_text("Changed title\n\nNew body.\n")
    with pytest.raises(KeyboardInterrupt):
        build(load_config(site))
    assert (site / "public/articles/a-good-article/index.html").exists()
    assert not (site / "public/articles/changed-title").exists()
    assert [p.name for p in site.iterdir() if p.name.startswith(".public")] == [], "no staging folder left"
