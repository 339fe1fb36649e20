"""The module map is a contract (docs/architecture.md): each third-party library is owned by the
modules listed here, and only the command line prints or exits."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "site_gen"

OWNERS = {
    "markdown_it": {"markdown.py", "mdit_plugins/"},
    "mdit_py_plugins": {"markdown.py"},
    "pygments": {"markdown.py"},
    "jinja2": {"templates.py", "render.py"},
    "lunr": {"search/terms.py"},
    "yaml": {"frontmatter.py", "annotate/notes.py"},
    "watchdog": {"serve/watcher.py"},
    "ruamel": {"serve/annotation_files.py"},
    "ahocorasick": {"annotate/matcher.py"},
    "rapidfuzz": {"annotate/anchoring.py", "passages.py"},
    "unidecode": {"text.py"},
    "citeproc": {"reference_shapes.py"},
    "icu4py": {"search/scripts.py"},
}
LAYER0 = {"diagnostics.py", "model.py", "record.py", "text.py", "urls.py"}


def modules() -> list[Path]:
    return sorted(PACKAGE.rglob("*.py"))


def imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.add(node.module.split(".")[0])
    return found


def owned_by(relative: str, owners: set[str]) -> bool:
    return relative in owners or any(o.endswith("/") and relative.startswith(o) for o in owners)


@pytest.mark.parametrize("path", modules(), ids=lambda p: p.relative_to(PACKAGE).as_posix())
def test_third_party_imports_stay_with_their_owner(path: Path) -> None:
    relative = path.relative_to(PACKAGE).as_posix()
    for library in imports(path) & OWNERS.keys():
        assert owned_by(relative, OWNERS[library]), f"{relative} imports {library}, owned by {OWNERS[library]}"


@pytest.mark.parametrize("path", modules(), ids=lambda p: p.relative_to(PACKAGE).as_posix())
def test_only_interfaces_print_or_exit(path: Path) -> None:
    relative = path.relative_to(PACKAGE).as_posix()
    if relative in ("cli.py", "__main__.py") or relative.startswith("serve/"):
        return
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            name = ast.unparse(node.func)
            assert name not in ("print", "sys.exit", "exit"), f"{relative}:{node.lineno} calls {name}"


@pytest.mark.parametrize("name", sorted(LAYER0))
def test_foundation_modules_import_only_the_standard_library(name: str) -> None:
    relative_imports = {
        node.module for node in ast.walk(ast.parse((PACKAGE / name).read_text(encoding="utf-8")))
        if isinstance(node, ast.ImportFrom) and node.level > 0
    }
    assert relative_imports <= {"diagnostics", "model", "record", None}, f"{name} imports {relative_imports}"
    assert imports(PACKAGE / name) <= {"__future__", "dataclasses", "enum", "collections", "functools", "re", "unicodedata",
                                       "posixpath", "urllib", "unidecode", "operator", "typing", "reprlib"}
