"""How the build names input files."""

from __future__ import annotations

from pathlib import Path

from site_gen.inputs import display_path


def test_a_file_is_named_from_the_site_folder_or_whole_when_outside_it(tmp_path: Path) -> None:
    site = tmp_path / "site"
    assert display_path(site, site / "seeds" / "a b.txt") == "seeds/a b.txt"
    assert display_path(tmp_path / "x" / ".." / "site", tmp_path / "x" / ".." / "site" / "notes.yml") == "notes.yml"
    assert display_path(site, tmp_path / "x" / ".." / "site" / "a.txt") == f"{tmp_path.as_posix()}/x/../site/a.txt"
    assert display_path(site, tmp_path / "sitemap" / "a.txt") == f"{tmp_path.as_posix()}/sitemap/a.txt"
    assert display_path(site, Path("/elsewhere/theme.toml")) == "/elsewhere/theme.toml"
