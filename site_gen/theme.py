"""Themes: find one and resolve its ``extends`` chain (``templates.py`` builds the Jinja2 environment over it).

Lookup order for a template or static file: the site's own ``templates/`` (single overrides), then
the theme, then its parents. A theme is a folder with ``theme.toml``, ``templates/`` and ``static/``;
it is looked up in the site's ``themes/`` first, then among the bundled themes.
"""

from __future__ import annotations

import dataclasses
import os
from dataclasses import dataclass
from pathlib import Path

from .config import SettingsFile, SiteConfig, check_table, read_settings
from .diagnostics import ConfigError, Diagnostic, SourceLocation, error
from .inputs import display_path
from .reading import STATIC_LIMIT, check_link, input_folder, name_warning, read_bytes, valid_name, walk_folder

BUNDLED_THEMES = (
    Path(__file__).resolve().parent.parent / "themes",
    Path(__file__).resolve().parent / "themes",
)
THEME_FILE = "theme.toml"


@dataclass(frozen=True, slots=True)
class ThemeSettings:
    """A theme's ``theme.toml``; every key is optional."""

    name: str = ""
    description: str = ""
    extends: str = ""
    """The parent theme: templates and static files not in this theme come from it."""
    pygments_light: str = ""
    """Pygments style of code blocks in the light colour scheme ('' : the parent's, or "friendly")."""
    pygments_dark: str = ""


@dataclass(frozen=True, slots=True)
class Theme:
    name: str
    folders: tuple[Path, ...]
    """The theme first, then each parent."""
    template_folders: tuple[Path, ...]
    """Where templates are looked up, in order (site overrides first)."""
    pygments_light: str = "friendly"
    pygments_dark: str = "monokai"
    root: Path = Path(".")
    """The site folder: links in its ``templates/`` and ``themes/`` may not lead out of it."""
    settings: tuple[tuple[str, SourceLocation], ...] = ()
    """Where the Pygments styles were set (``theme.toml`` and line), for messages about them."""
    diagnostics: tuple[Diagnostic, ...] = ()
    """Static files skipped for their names (not UTF-8), found when the theme was loaded."""

    def location(self, key: str) -> SourceLocation | None:
        return dict(self.settings).get(key)

    def within(self, folder: Path) -> Path:
        """Where links among ``folder``'s files may lead: the bundled themes' folder for a bundled
        theme (site-gen's own files), the site folder for everything else."""
        name = os.fspath(folder)
        return next((bundled for bundled in BUNDLED_THEMES if name.startswith(os.path.join(bundled, ""))), self.root)

    def shown(self, path: Path) -> str:
        """A theme file as messages name it: from the site folder, or whole for a bundled theme's."""
        return display_path(self.root, path)

    def fingerprint(self) -> tuple:
        """Changes whenever a template or static file of the theme (or a site override) changes."""
        files = []
        for folder in (*self.template_folders, *(f / "static" for f in self.folders)):
            for directory, names in walk_folder(folder, self.root, self.within(folder), hidden=True):
                for name in sorted(names):
                    path = os.path.join(directory, name)
                    try:
                        stat = os.stat(path)
                    except OSError:
                        files.append((path, None, None))
                        continue
                    files.append((path, stat.st_mtime_ns, stat.st_size))
        return (self.name, self.pygments_light, self.pygments_dark, tuple(files))

    def static_files(self) -> dict[str, bytes]:
        """Static files by relative name, read through :mod:`~site_gen.reading` (a file it refuses
        stops the build: pages name their assets); a child theme's file replaces its parent's."""
        files: dict[str, Path] = {}
        for folder in reversed(self.folders):
            static = folder / "static"
            for directory, names in walk_folder(static, self.root, self.within(static), hidden=True):
                for name in filter(valid_name, names):  # the others were reported by load_theme
                    path = Path(directory, name)
                    files[path.relative_to(static).as_posix()] = path
        return {name: read_bytes(path, self.shown(path), self.within(path), "static file", STATIC_LIMIT)
                for name, path in sorted(files.items())}


def theme_search_path(root: Path) -> list[Path]:
    return [root / "themes", *BUNDLED_THEMES]


def available_themes(root: Path) -> list[str]:
    names = set()
    for folder in theme_search_path(root):
        try:
            names.update(entry.name for entry in os.scandir(folder) if valid_name(entry.name)
                         and os.path.isfile(os.path.join(entry.path, THEME_FILE)))
        except OSError:
            continue
    return sorted(names)


def load_theme(config: SiteConfig) -> Theme:
    """Resolve ``[site] theme`` and its parents; a missing theme or parent, or a cycle, is a ConfigError.
    Its template and static folders, every folder below them and their files' links are checked
    here, before anything is written: one that leads out of the site stops the build. A static file
    whose name is not UTF-8 is skipped, with a warning in the theme's ``diagnostics``."""
    root = config.root
    chain: list[Path] = []
    settings: dict[str, tuple[str, SourceLocation]] = {}
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
                                    SourceLocation(display_path(root, chain[-1] / THEME_FILE), 1),
                                    "a theme cannot extend itself or one of its children"))
        data, source = _read_theme_toml(root, folder)
        chain.append(folder)
        for key in ("pygments_light", "pygments_dark"):
            if getattr(data, key) and key not in settings:
                settings[key] = (getattr(data, key), source.location(key))
        name = data.extends
        location = source.location("extends")
    template_folders = [root / "templates"] if os.path.isdir(root / "templates") else []
    template_folders += [folder / "templates" for folder in chain]
    theme = Theme(config.site.theme, tuple(chain), tuple(template_folders), root=root,
                  settings=tuple((key, where) for key, (_, where) in settings.items()),
                  **{key: value for key, (value, _) in settings.items()})
    skipped = []
    for folder, what in [(f, "template") for f in template_folders] + [(f / "static", "static file") for f in chain]:
        for directory, names in walk_folder(folder, root, theme.within(folder), hidden=True):
            for name in names:
                path = os.path.join(directory, name)
                if not valid_name(name):  # a template is looked up by its name: one not UTF-8 is never read
                    skipped += [name_warning(theme.shown(Path(path)))] if what == "static file" else []
                    continue
                check_link(path, theme.shown(Path(path)), theme.within(folder), what)
    return dataclasses.replace(theme, diagnostics=tuple(skipped))


def _find_theme(root: Path, name: str) -> Path | None:
    if not name or "/" in name or "\\" in name or name.startswith("."):
        return None
    for folder in theme_search_path(root):
        candidate = folder / name
        if (candidate / THEME_FILE).is_file():
            return candidate
    return None


def _read_theme_toml(root: Path, folder: Path) -> tuple[ThemeSettings, SettingsFile]:
    path = folder / THEME_FILE
    within = next((bundled for bundled in BUNDLED_THEMES if bundled in folder.parents), root)
    input_folder(folder, root, within)
    data, source = read_settings(path, display_path(root, path), within, {})
    settings, problems = check_table(ThemeSettings, data, "", source)
    if problems:
        raise ConfigError(problems)
    return settings, source
