"""How the build names input files."""

from __future__ import annotations

from pathlib import Path

from site_gen.inputs import InputTracker, display_path


def test_a_file_is_named_from_the_site_folder_or_whole_when_outside_it(tmp_path: Path) -> None:
    site = tmp_path / "site"
    assert display_path(site, site / "seeds" / "a b.txt") == "seeds/a b.txt"
    assert display_path(tmp_path / "x" / ".." / "site", tmp_path / "x" / ".." / "site" / "notes.yml") == "notes.yml"
    assert display_path(site, tmp_path / "x" / ".." / "site" / "a.txt") == f"{tmp_path.as_posix()}/x/../site/a.txt"
    assert display_path(site, tmp_path / "sitemap" / "a.txt") == f"{tmp_path.as_posix()}/sitemap/a.txt"
    assert display_path(site, Path("/elsewhere/theme.toml")) == "/elsewhere/theme.toml"


def test_a_new_file_marks_every_folder_above_it_and_a_changed_one_only_itself(tmp_path: Path) -> None:
    folder = tmp_path / "content" / "articles"
    folder.mkdir(parents=True)
    changed, new = folder / "a.md", folder / "b.md"
    changed.write_text("a")
    tracker = InputTracker(watching=True)
    before = tracker.stat_key(changed)
    changed.write_text("b")
    assert tracker.stat_key(changed) == before, "while watching, a stat is trusted until the watcher reports it"
    tracker.invalidate([str(changed)])
    assert tracker.generations[str(changed)] == 1 and tracker.stat_key(changed) != before
    assert tracker.generations[str(folder)] == 0, "a file that was there and still is leaves the listing alone"
    new.write_text("b")
    tracker.invalidate([str(new), str(folder / "c.md")])
    assert tracker.generations[str(new)] == 1
    assert all(tracker.generations[str(path)] > 0 for path in (folder, folder.parent, tmp_path, Path(tmp_path.anchor)))
