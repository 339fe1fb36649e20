"""``site-gen init``: a new site folder that builds as it is (one seed, glossary entry, note and page)."""

from __future__ import annotations

import shutil
from pathlib import Path

from .diagnostics import InputError, SourceLocation, error

TEMPLATE = Path(__file__).parent / "scaffold"
GITIGNORE = """# What site-gen makes: the site, the site a build replaced, and what builds keep (safe to delete)
/public/
/.public.old/
/.public.staging-*/
/.cache/
"""


def create_site(target: Path) -> None:
    """Copy the scaffold into ``target``, which must be absent or empty (nothing is overwritten)."""
    if target.exists() and (not target.is_dir() or any(target.iterdir())):
        raise InputError(error(f"{target} is not empty; nothing was written", SourceLocation(str(target)),
                               "choose a new folder name"))
    shutil.copytree(TEMPLATE, target, dirs_exist_ok=True, ignore=shutil.ignore_patterns("__pycache__"))
    (target / "content" / "articles").mkdir(exist_ok=True)
    (target / ".gitignore").write_text(GITIGNORE, encoding="utf-8")
