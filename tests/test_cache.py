"""The build cache's change marks: what a reported change invalidates."""

from __future__ import annotations

from pathlib import Path

from site_gen.cache import BuildCache
from site_gen.inputs import stat_key


def test_a_new_file_marks_every_folder_above_it_and_a_changed_one_only_itself(tmp_path: Path) -> None:
    folder = tmp_path / "content" / "articles"
    folder.mkdir(parents=True)
    changed, new = folder / "a.md", folder / "b.md"
    changed.write_text("a")
    cache = BuildCache()
    cache.watching = True
    stat_key(changed, cache)
    changed.write_text("changed")
    cache.invalidate([str(changed)])
    assert cache.generation(str(changed)) == 1
    assert cache.generation(str(folder)) == 0, "a file that was there and still is leaves the listing alone"
    new.write_text("b")
    cache.invalidate([str(new), str(folder / "c.md")])
    assert cache.generation(str(new)) == 1
    assert all(cache.generation(str(path)) > 0 for path in (folder, folder.parent, tmp_path, Path(tmp_path.anchor)))
