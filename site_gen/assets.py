"""The theme's static files (and generated ones, such as the Pygments stylesheet) as output files,
each with a content hash in its name, so hosts can cache them for good."""

from __future__ import annotations

import hashlib
import posixpath
import re
from collections.abc import Iterable
from pathlib import PurePosixPath

from .diagnostics import ConfigError, error, shown
from .markdown import known_style, pygments_css
from .model import OutputFile
from .record import record
from .theme import Theme


@record
class Assets:
    urls: dict[str, str]
    """Logical name (``site.css``) to site URL (``assets/site.1a2b3c4d.css``)."""
    files: tuple[OutputFile, ...]


def check_theme(theme: Theme) -> None:
    """Refuse a theme whose Pygments styles do not exist, naming its ``theme.toml`` line."""
    problems = [error(f"unknown Pygments style {shown(name)} in {key!r}", theme.location(key),
                      "see the style names at pygments.org/styles, e.g. \"friendly\" or \"monokai\"")
                for key, name in (("pygments_light", theme.pygments_light), ("pygments_dark", theme.pygments_dark))
                if not known_style(name)]
    if problems:
        raise ConfigError(problems)


def build_assets(theme: Theme, extra: Iterable[tuple[str, bytes]] = ()) -> Assets:
    """Theme static files (plus generated ones) under ``assets/``, every one with a content hash in
    its name, so hosts can cache them for good (``netlify.toml``). A stylesheet's ``url(...)`` of an
    asset that is not a stylesheet is rewritten to that asset's hashed name before the stylesheet is
    hashed (one stylesheet's reference to another would depend on which is hashed first)."""
    sources = theme.static_files()
    sources["pygments.css"] = pygments_css(theme.pygments_light, theme.pygments_dark).encode()
    sources.update(extra)
    others = {name: hashed_name(name, data) for name, data in sources.items() if not name.endswith(".css")}
    names = dict(others)
    for name in [name for name in sources if name.endswith(".css")]:
        sources[name] = _with_hashed_urls(name, sources[name], others)
        names[name] = hashed_name(name, sources[name])
    files = tuple(OutputFile("assets/" + names[name], data) for name, data in sorted(sources.items()))
    return Assets({name: "assets/" + hashed for name, hashed in names.items()}, files)


def hashed_name(name: str, data: bytes) -> str:
    path = PurePosixPath(name)
    digest = hashlib.sha256(data).hexdigest()[:10]
    return str(path.with_name(f"{path.stem}.{digest}{path.suffix}"))


_CSS_URL = re.compile(rb"""url\(\s*(['"]?)([^'")\s]+)\1\s*\)""")


def _with_hashed_urls(name: str, css: bytes, names: dict[str, str]) -> bytes:
    """``css`` with each ``url(...)`` naming another asset (relative to the stylesheet) pointing
    at that asset's hashed name; other URLs (absolute, ``data:``, unknown files) are left alone."""
    folder = posixpath.dirname(name)

    def hashed(match: re.Match[bytes]) -> bytes:
        reference = match.group(2).decode("utf-8", "replace")
        path, mark, rest = reference.partition("?") if "?" in reference else reference.partition("#")
        target = posixpath.normpath(posixpath.join(folder, path))
        if target not in names or "://" in reference or reference.startswith(("data:", "/")):
            return match.group(0)
        relative = posixpath.relpath(names[target], folder or ".")
        return b"url(" + match.group(1) + (relative + mark + rest).encode() + match.group(1) + b")"

    return _CSS_URL.sub(hashed, css)
