"""content/ids/<slug>.json through whole builds: written only when it changes, never by check, kept
across edits and clean builds of a fresh clone, moved with a changed slug (old URLs redirect), and
left alone (with an error naming the line) when it is not a record."""

from __future__ import annotations

import json
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest

from site_gen.config import load_config
from site_gen.diagnostics import FolderError
from site_gen.pipeline import BuildOptions, build

from .conftest import write_tree

PARAGRAPHS = [
    "Speaking in Kabul yesterday, the defense secretary threatened Pakistan with a ground intervention.",
    "Panetta singled out the so-called Haqqani network, a militia based in North Waziristan.",
    "He continued that it is difficult to achieve a secure Afghanistan while there is a safe haven.",
    "Asked if the US might send ground troops, he said that it was for Pakistan to act.",
]
SEED = "seeds/kabul.txt"
SLUG = "panetta-in-kabul"


def seed(paragraphs: list[str], title: str = "Panetta in Kabul") -> str:
    return f"{title}\n\nAlex Lantier 8 June 2012\n\n" + "\n\n".join(paragraphs) + "\n"


class _Passages(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.ids: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if "data-passage" in values:
            self.ids.append(str(values["id"]))


def passage_ids(site: Path, slug: str = SLUG) -> list[str]:
    parser = _Passages()
    parser.feed((site / "public" / "articles" / slug / "index.html").read_text(encoding="utf-8"))
    return parser.ids


def run(site: Path, write: bool = True):
    result = build(load_config(site), BuildOptions(write=write))
    assert result.ok, result.diagnostics.format()
    return result


def test_the_record_is_written_once_and_two_builds_leave_identical_bytes(tree) -> None:
    site = tree({SEED: seed(PARAGRAPHS)})
    run(site)
    record = site / "content" / "ids" / f"{SLUG}.json"
    data = json.loads(record.read_text(encoding="utf-8"))
    assert [passage_id for passage_id, _ in data["passages"]] == passage_ids(site)
    assert data["source"] == SEED and data["slug"] == SLUG
    before = (record.read_bytes(), record.stat().st_mtime_ns)
    shutil.rmtree(site / "public")
    result = run(site)
    assert (record.read_bytes(), record.stat().st_mtime_ns) == before, "an unchanged record is not written again"
    assert str(record) not in result.written


def test_check_reads_the_records_but_never_writes_them(tree) -> None:
    site = tree({SEED: seed(PARAGRAPHS)})
    run(site, write=False)
    assert not (site / "content" / "ids").exists()


def test_ids_survive_an_edit_of_another_paragraph_and_a_light_edit_of_the_same_one(tree) -> None:
    site = tree({SEED: seed(PARAGRAPHS)})
    run(site)
    first = passage_ids(site)
    other = [PARAGRAPHS[0], "Something entirely different is said in this new paragraph now.", *PARAGRAPHS[2:]]
    (site / SEED).write_text(seed(other), encoding="utf-8")
    run(site)
    second = passage_ids(site)
    assert second[0] == first[0] and second[2:] == first[2:] and second[1] != first[1]
    light = list(other)
    light[2] = "He went on that it is difficult to achieve a secure Afghanistan while there is a safe haven."
    (site / SEED).write_text(seed(light), encoding="utf-8")
    run(site)
    assert passage_ids(site) == second, "the lightly edited paragraph keeps its id, whose first words changed"
    html = (site / "public" / "articles" / SLUG / "index.html").read_text(encoding="utf-8")
    assert f'"{first[1]}": "{first[0]}"' in html, "the retired id leads to the nearest surviving passage"


def git(folder: Path, *args: str) -> None:
    subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@t", *args], cwd=folder, check=True,
                   capture_output=True)


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
def test_ids_survive_a_clean_build_of_a_fresh_clone(tmp_path: Path) -> None:
    site = write_tree(tmp_path / "site", {SEED: seed(PARAGRAPHS), ".gitignore": "public/\n.cache/\n"})
    git(site, "init", "-q")
    run(site)
    light = list(PARAGRAPHS)
    light[1] = "Mr Panetta singled out the so-called Haqqani network, a militia based in North Waziristan."
    (site / SEED).write_text(seed(light), encoding="utf-8")
    run(site)
    kept = passage_ids(site)
    git(site, "add", "-A")
    git(site, "commit", "-q", "-m", "edition")
    clone = tmp_path / "clone"
    git(tmp_path, "clone", "-q", str(site), str(clone))
    assert not (clone / "public").exists()
    run(clone)
    assert passage_ids(clone) == kept
    assert (clone / "content" / "ids" / f"{SLUG}.json").read_bytes() == (site / "content" / "ids" / f"{SLUG}.json").read_bytes()


def test_a_new_slug_keeps_the_ids_and_the_old_url_redirects(tree) -> None:
    site = tree({SEED: seed(PARAGRAPHS)})
    run(site)
    first = passage_ids(site)
    (site / "seeds" / "kabul.yml").write_text("title: Panetta threatens Pakistan\n", encoding="utf-8")
    run(site)
    new_slug = "panetta-threatens-pakistan"
    assert passage_ids(site, new_slug) == first
    assert not (site / "content" / "ids" / f"{SLUG}.json").exists(), "the record moved with the article"
    data = json.loads((site / "content" / "ids" / f"{new_slug}.json").read_text(encoding="utf-8"))
    assert data["earlier_slugs"] == [SLUG]
    redirect = (site / "public" / "articles" / SLUG / "index.html").read_text(encoding="utf-8")
    assert '<link rel="canonical" href="../panetta-threatens-pakistan/">' in redirect
    assert '<meta http-equiv="refresh" content="0; url=../panetta-threatens-pakistan/">' in redirect
    assert (site / "public" / "_redirects").read_text() == (
        f"/articles/{SLUG}/ /articles/{new_slug}/ 301!\n")


def test_a_record_that_is_not_one_is_reported_and_left_alone(tree) -> None:
    conflict = '{\n<<<<<<< HEAD\n  "slug": "a"\n=======\n  "slug": "b"\n>>>>>>> other\n}\n'
    site = tree({SEED: seed(PARAGRAPHS), f"content/ids/{SLUG}.json": conflict})
    result = build(load_config(site), BuildOptions())
    problems = [d.format() for d in result.diagnostics.items if d.code == "bad-ids"]
    assert len(problems) == 1 and problems[0].startswith(f"content/ids/{SLUG}.json:2: error: not a record of passage ids")
    assert (site / "content" / "ids" / f"{SLUG}.json").read_text(encoding="utf-8") == conflict
    assert len(passage_ids(site)) == 4, "the article still builds, with ids made from its words"


def test_no_record_is_read_or_written_through_a_link_out_of_the_site(tree, tmp_path: Path) -> None:
    site = tree({SEED: seed(PARAGRAPHS)})
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / f"{SLUG}.json").write_text("not read", encoding="utf-8")
    (site / "content").mkdir(exist_ok=True)
    (site / "content" / "ids").symlink_to(outside)
    with pytest.raises(FolderError) as refused:
        build(load_config(site), BuildOptions())
    assert refused.value.diagnostics[0].format().startswith(
        f"content/ids: error: the folder content/ids leads to {outside.resolve()}")
    assert [p.name for p in outside.iterdir()] == [f"{SLUG}.json"] and not (site / "public").exists()
