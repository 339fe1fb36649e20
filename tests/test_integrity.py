"""The text integrity check: each seed's words against the words of its rendered article."""

from __future__ import annotations

from pathlib import Path

import pytest

from site_gen import cli
from site_gen.cache import BuildCache
from site_gen.check import check_site
from site_gen.config import load_config
from site_gen.diagnostics import Severity
from site_gen.inputs import InputTracker
from site_gen.integrity import Source, check_page, kept_text
from site_gen.model import Omission
from site_gen.pipeline import BuildOptions, build
from site_gen.seed_parser import byline

SPEECH = """The President. Well, thank you very much, everybody. It's really an honor.

Speaker Johnson; Vice President Vance; Members of Congress: our Nation is back.

Less than 5 months from now, our country will celebrate an epic milestone: Article 5(c) of it.

To contact the WSWS visit:

wsws.org
"""


def integrity(result) -> list:
    return [d for d in result.diagnostics.items if d.code == "integrity"]


def test_the_same_words_pass_whatever_the_typography_and_layout() -> None:
    seed = 'Title\n\nHe said, "it\'s -- well... fine"\nand   left.\n'
    page = "He said, “it’s – well… fine” and left."
    assert check_page(Source("seeds/x.txt", kept_text(seed, 1, (Omission("headline", 1, 1),))), page, "a.md", False) == ()


def test_each_lost_passage_is_reported_at_its_seed_line() -> None:
    seed = "Title\n\nFirst paragraph stays.\n\nThis second paragraph was lost on the way.\n\nThe last one stays.\n"
    source = Source("seeds/x.txt", kept_text(seed, 1, (Omission("headline", 1, 1),)))
    problems = check_page(source, "First paragraph stays. The last one stays.", "content/articles/x.md", False)
    assert [(d.location.line, d.message, d.code) for d in problems] == [
        (5, "'This second paragraph was lost on the way.' (8 words) is not on the page", "integrity")]
    assert "site-gen lost this text" in problems[0].hint


def test_a_long_passage_is_cut_to_a_readable_length() -> None:
    lost = " ".join(f"word{i}" for i in range(60))
    problems = check_page(Source("seeds/x.txt", f"Kept.\n{lost}\nKept too.\n"), "Kept. Kept too.", "x.md", True)
    assert len(problems[0].message) < 130 and "…" in problems[0].message and "(60 words)" in problems[0].message
    assert "integrity: edited" in problems[0].hint


def test_a_markdown_seed_is_compared_as_rendered(tree) -> None:
    site = tree({"seeds/m.md": "---\ntitle: M\n---\nA [link](https://example.org/x) and *emphasis*.\n\n"
                                "[^1]: not a footnote here\n\nSecond paragraph.\n"})
    assert integrity(build(load_config(site))) == []


@pytest.fixture
def speech_site(tree) -> Path:
    return tree({"seeds/2026-Trump-1.txt": SPEECH, "seeds/other.txt": "Other\n\nAnother article.\n"})


def test_the_known_losses_are_gone(speech_site: Path) -> None:
    result = build(load_config(speech_site))
    assert integrity(result) == [] and result.diagnostics.warnings == 0
    page = next(a for a in result.site.articles if a.meta.seed == "seeds/2026-Trump-1.txt")
    assert page.text.startswith("The President. Well, thank you") and "Article 5(c)" in page.text


def test_a_line_dropped_without_saying_so_is_caught(speech_site: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def silent_split(lines, title):  # the old behaviour: the first line taken away, recorded nowhere
        header = byline.Header("Some title", None, lines[1:], ())
        return header

    monkeypatch.setattr(byline, "split_header", silent_split)
    problems = integrity(build(load_config(speech_site), BuildOptions(write=False)))
    assert sorted((d.location.path, d.location.line) for d in problems) == [("seeds/2026-Trump-1.txt", 1),
                                                                           ("seeds/other.txt", 1)]
    speech = next(d for d in problems if d.location.path == "seeds/2026-Trump-1.txt")
    assert speech.message.startswith('"The President. Well, thank you very much, everybody. It\'s really an honor." (13')


def test_an_edit_by_hand_is_reported_until_the_editor_says_it_is_meant(speech_site: Path) -> None:
    build(load_config(speech_site))
    article = next((speech_site / "content/articles").glob("2026*.md"))
    text = article.read_text(encoding="utf-8")
    article.write_text(text.replace("Speaker Johnson; Vice President Vance; ", ""), encoding="utf-8")
    problems = integrity(build(load_config(speech_site)))
    assert [(d.location.line, d.severity) for d in problems] == [(3, Severity.WARNING)]
    assert "'Speaker Johnson; Vice President Vance;' (5 words)" in problems[0].message
    assert "was edited by hand" in problems[0].hint
    strict = build(load_config(speech_site), BuildOptions(strict=True))
    assert [d.severity for d in integrity(strict)] == [Severity.ERROR] and not strict.ok
    checked = check_site(build(load_config(speech_site), BuildOptions(write=False)))
    assert [d.code for d in checked.items if d.code == "integrity"] == ["integrity"]
    article.write_text(article.read_text(encoding="utf-8").replace("\n---\n", "\nintegrity: edited\n---\n", 1),
                       encoding="utf-8")
    assert integrity(build(load_config(speech_site))) == []


def test_dropped_footers_are_listed(speech_site: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["build", "--site", str(speech_site)]) == 0
    assert "1 site footers dropped (site-gen check lists them)" in capsys.readouterr().out
    assert cli.main(["check", "--site", str(speech_site)]) == 0
    listed = capsys.readouterr().out
    assert "seeds/2026-Trump-1.txt:7: info: dropped the site footer (6 words): 'To contact the WSWS visit: wsws.org'" in listed


def test_a_rebuild_checks_only_the_changed_article(speech_site: Path) -> None:
    cache, tracker = BuildCache(), InputTracker()
    rebuild = BuildOptions(write=False, in_place=True, search=False)  # as live preview rebuilds
    for _ in range(2):  # the second build reads back the content files the first one wrote
        build(load_config(speech_site), rebuild, cache, tracker)
    (speech_site / "seeds/other.txt").write_text("Other\n\nAnother article, edited.\n", encoding="utf-8")
    tracker.invalidate([str(speech_site / "seeds/other.txt")])
    result = build(load_config(speech_site), rebuild, cache, tracker)
    assert cache.stats()["integrity"] == (1, 1) and integrity(result) == []
