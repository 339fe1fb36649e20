"""Themes: find one and resolve its ``extends`` chain (``templates.py`` builds the Jinja2 environment over it).

Lookup order for a template or static file: the site's own ``templates/`` (single overrides), then
the theme, then its parents. A theme is a folder with ``theme.toml``, ``templates/`` and ``static/``;
it is looked up in the site's ``themes/`` first, then among the bundled themes.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path

from .config import SiteConfig
from .diagnostics import ConfigError, SourceLocation, error
from .inputs import display_path

BUNDLED_THEMES = (
    Path(__file__).resolve().parent.parent / "themes",
    Path(__file__).resolve().parent / "themes",
)
THEME_KEYS = ("name", "description", "extends", "pygments_light", "pygments_dark")


@dataclass(frozen=True, slots=True)
class Theme:
    name: str
    folders: tuple[Path, ...]
    """The theme first, then each parent."""
    template_folders: tuple[Path, ...]
    """Where templates are looked up, in order (site overrides first)."""
    pygments_light: str = "friendly"
    pygments_dark: str = "monokai"

    def fingerprint(self) -> tuple:
        """Changes whenever a template or static file of the theme (or a site override) changes."""
        files = []
        for folder in (*self.template_folders, *(f / "static" for f in self.folders)):
            if folder.is_dir():
                for path in sorted(folder.rglob("*")):
                    if path.is_file():
                        stat = path.stat()
                        files.append((str(path), stat.st_mtime_ns, stat.st_size))
        return (self.name, self.pygments_light, self.pygments_dark, tuple(files))

    def static_files(self) -> dict[str, Path]:
        """Static files by relative name; a child theme's file replaces its parent's."""
        files: dict[str, Path] = {}
        for folder in reversed(self.folders):
            static = folder / "static"
            if static.is_dir():
                for path in sorted(static.rglob("*")):
                    if path.is_file():
                        files[path.relative_to(static).as_posix()] = path
        return files


def theme_search_path(root: Path) -> list[Path]:
    return [root / "themes", *BUNDLED_THEMES]


def available_themes(root: Path) -> list[str]:
    names = {p.name for folder in theme_search_path(root) if folder.is_dir()
             for p in folder.iterdir() if (p / "theme.toml").is_file()}
    return sorted(names)


def load_theme(config: SiteConfig) -> Theme:
    """Resolve ``[site] theme`` and its parents; a missing theme or parent, or a cycle, is a ConfigError."""
    root = config.root
    chain: list[Path] = []
    settings: dict[str, str] = {}
    name = config.site.theme
    location = config.location("site.theme")
    while name:
        folder = _find_theme(root, name)
        if folder is None:
            allowed = ", ".join(available_themes(root)) or "(none found)"
            what = "theme" if not chain else f"parent theme of {chain[-1].name!r}"
            raise ConfigError(error(f"{what} {name!r} not found", location, f"available themes: {allowed}"))
        if folder in chain:
            cycle = " -> ".join([p.name for p in chain] + [name])
            raise ConfigError(error(f"theme inheritance is circular: {cycle}",
                                    SourceLocation(display_path(root, chain[-1] / "theme.toml"), 1),
                                    "a theme cannot extend itself or one of its children"))
        data = _read_theme_toml(root, folder)
        chain.append(folder)
        for key in ("pygments_light", "pygments_dark"):
            settings.setdefault(key, data.get(key, ""))
        name = data.get("extends", "")
        location = SourceLocation(display_path(root, folder / "theme.toml"), 1)
    template_folders = [root / "templates"] if (root / "templates").is_dir() else []
    template_folders += [folder / "templates" for folder in chain]
    extra = {key: value for key, value in settings.items() if value}
    return Theme(config.site.theme, tuple(chain), tuple(template_folders), **extra)


def _find_theme(root: Path, name: str) -> Path | None:
    if not name or "/" in name or "\\" in name or name.startswith("."):
        return None
    for folder in theme_search_path(root):
        candidate = folder / name
        if (candidate / "theme.toml").is_file():
            return candidate
    return None


def _read_theme_toml(root: Path, folder: Path) -> dict[str, str]:
    path = folder / "theme.toml"
    shown = display_path(root, path)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(error(f"invalid TOML: {exc}", SourceLocation(shown, 1))) from None
    problems = [error(f"unknown key '{key}' in theme.toml", SourceLocation(shown, 1),
                      "expected one of: " + ", ".join(THEME_KEYS)) for key in data if key not in THEME_KEYS]
    problems += [error(f"'{key}' must be text", SourceLocation(shown, 1))
                 for key, value in data.items() if key in THEME_KEYS and not isinstance(value, str)]
    if problems:
        raise ConfigError(problems)
    return data
