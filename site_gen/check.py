"""``site-gen check``: what is broken or doubtful in a built site, each with its file and line.

The site is built by the same code path as ``site-gen build`` (in memory), so every error and
warning the build reports is reported here too (the text integrity check's among them), and the
site footers dropped from seeds are listed; the checks below come on top. Errors (exit status
1): links to pages or anchors that do not exist, links to glossary entries that do not exist,
orphaned notes (a warning in a build). Warnings: glossary entries no article uses, articles without
a date, search index shards over the budget in ``[search] shard_budget_kb``.
"""

from __future__ import annotations

import gzip
import posixpath
from html.parser import HTMLParser
from urllib.parse import unquote, urlsplit

from .diagnostics import Diagnostic, Diagnostics, Severity, SourceLocation, error, warning
from .model import OutputFile
from .parallel import Workers, as_is, map_parallel
from .pipeline import BuildResult

BROKEN = {"orphan-note"}
"""Build warnings that ``check`` counts as errors: a note that is not on its page is lost to readers."""


class _Links(HTMLParser):
    """The ids a page defines and the links it makes (with the line of each)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.ids: set[str] = set()
        self.links: list[tuple[str, int]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if values.get("id"):
            self.ids.add(values["id"] or "")
        for name in ("href", "src"):
            target = values.get(name)
            if target:
                self.links.append((target, self.getpos()[0]))


def check_site(result: BuildResult, budget_kb: int = 200, jobs: int = 0) -> Diagnostics:
    """Every problem found in ``result`` (built in memory: nothing is written); ``jobs``: the
    processes parsing its pages (0: one per CPU)."""
    found = Diagnostics()
    found.extend([d.promoted() if d.code in BROKEN else d for d in result.diagnostics.items
                  if d.severity >= Severity.WARNING or d.code == "footer"])
    found.extend(_links(result.outputs, jobs))
    if result.site is not None:
        found.extend(_unused_entries(result))
        found.extend(warning("article has no date: it is listed last and has no date in the feed",
                             SourceLocation(page.source.path, 1), "add date: YYYY-MM-DD to its front matter "
                             "or to the seed's sidecar .yml", code="no-date")
                     for page in result.site.articles if not page.meta.date)
    if result.search is not None:
        found.extend(_shard_sizes(result.search.files, budget_kb))
    return found


def _links(outputs: list[OutputFile], jobs: int) -> list[Diagnostic]:
    pages = {f.path: f for f in outputs}
    html = [f for f in outputs if f.path.endswith(".html")]
    links = map_parallel(_page_links, range(len(html)), as_is, html, Workers(jobs))
    parsed = dict(zip([f.path for f in html], links, strict=True))
    problems = []
    for path, (_, links) in sorted(parsed.items()):
        if path == "404.html":
            continue
        for target, line in links:
            problem = _broken(path, target, pages, parsed)
            if problem:
                code = "missing-term" if "/glossary/" in "/" + problem[1] else "broken-link"
                problems.append(error(f"{problem[0]}: {target}", SourceLocation(f"public/{path}", line),
                                      "fix the link in the page's source file, or the template", code=code))
    return problems


def _page_links(index: int, html: list[OutputFile]) -> tuple[set[str], list[tuple[str, int]]]:
    """The ids page ``index`` defines and the links it makes. Python's HTML parser is slow and a
    large site has tens of megabytes of pages, so they are parsed in worker processes."""
    parser = _Links()
    parser.feed(html[index].data.decode("utf-8", errors="replace"))
    parser.close()
    return parser.ids, parser.links


def _broken(page: str, target: str, pages: dict[str, OutputFile],
            parsed: dict[str, tuple[set[str], list]]) -> tuple[str, str] | None:
    """(what is wrong, the site path it resolved to) for an internal link that goes nowhere."""
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or target.startswith(("mailto:", "data:", "javascript:")):
        return None
    resolved = page
    if parts.path:
        joined = posixpath.join(posixpath.dirname(page), unquote(parts.path))
        if parts.path.endswith("/"):
            joined = posixpath.join(joined, "index.html")
        resolved = posixpath.normpath(joined)
    if resolved.startswith("../") or resolved == "..":
        return "link leaves the site", resolved
    if resolved not in pages and posixpath.join(resolved, "index.html") not in pages:
        return "link to a page that does not exist", resolved
    anchor = unquote(parts.fragment)
    target_page = resolved if resolved in parsed else posixpath.join(resolved, "index.html")
    if anchor and target_page in parsed and anchor not in parsed[target_page][0]:
        return f"anchor #{anchor} does not exist in {target_page}", resolved
    return None


def _unused_entries(result: BuildResult) -> list[Diagnostic]:
    site = result.site
    used = {term for article in site.articles for term, _ in article.occurrences}
    return [warning(f"glossary entry '{entry.term}' is not used in any article", entry.location,
                    "check its term and aliases against the articles, or remove it", code="unused-term")
            for entry in site.glossary.entries if entry.slug not in used]


def _shard_sizes(files: tuple[OutputFile, ...], budget_kb: int) -> list[Diagnostic]:
    problems = []
    for file in files:
        if file.path.startswith("search/i/"):
            size = len(gzip.compress(file.data, 6))
            if size > budget_kb * 1024:
                problems.append(warning(
                    f"search index shard is {size // 1024} KB gzipped, over the budget of {budget_kb} KB",
                    SourceLocation(f"public/{file.path}"), "raise [search] shard_budget_kb, or report it: "
                    "shards are cut by term and one term's postings cannot be split", code="shard-size"))
    return problems


def summary(found: Diagnostics) -> str:
    errors, warnings = found.count(Severity.ERROR), found.count(Severity.WARNING)
    if not errors and not warnings:
        return "check: no problems found"
    return f"check: {errors} errors, {warnings} warnings"
