#!/usr/bin/env python3
"""The Python floor: the least a Python generator of the benchmark's article pages can cost.

    python benchmarks/python_floor.py POSTS OUTPUT

Reads every ``POSTS/*.md`` (front matter with a title and a date, then Markdown), renders it with
markdown-it-py configured as site-gen's renderer is (CommonMark, tables, strikethrough, footnotes,
smart quotes and dashes, heading ids; not site-gen's own plugins) into one Jinja2 template, and
writes ``OUTPUT/<name>/index.html``: one process, one thread, nothing else (no glossary, notes,
lists, feeds or search). ``compare.py`` runs it as a reference row next to the peers.

    python benchmarks/python_floor.py POSTS OUTPUT --stages

does the same work a step at a time (every post read, then rendered, then put in the template, then
written) and prints the CPU seconds of each step as JSON, for docs/performance.md's table of
stages.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

from jinja2 import Environment
from markdown_it import MarkdownIt
from mdit_py_plugins.anchors import anchors_plugin
from mdit_py_plugins.footnote import footnote_plugin

PAGE = """<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ title }} · Benchmark</title>
<link rel="stylesheet" href="../style.css">
</head>
<body>
<header><a href="../">Benchmark</a></header>
<main>
<article>
<h1>{{ title }}</h1>
<p><time datetime="{{ date }}">{{ date }}</time></p>
{{ body|safe }}
</article>
</main>
<footer>Benchmark</footer>
</body>
</html>
"""


def markdown() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": False, "typographer": True})
    md.enable(["table", "strikethrough", "replacements", "smartquotes"])
    md.use(footnote_plugin, inline=False)
    md.use(anchors_plugin, min_level=2, max_level=3)
    return md


def front_matter(text: str) -> tuple[dict[str, str], str]:
    """The ``key: value`` lines between the two ``---`` lines (quotes around a value dropped), and the body."""
    _, head, body = text.split("---\n", 2)
    fields = {}
    for line in head.splitlines():
        key, _, value = line.partition(":")
        fields[key.strip()] = value.strip().strip('"')
    return fields, body


def build(posts: Path, output: Path) -> None:
    """Write a page for every post."""
    md = markdown()
    template = Environment(autoescape=True).from_string(PAGE)
    for path in sorted(posts.glob("*.md")):
        fields, body = front_matter(path.read_text(encoding="utf-8"))
        page = template.render(title=fields["title"], date=fields["date"], body=md.render(body))
        folder = output / path.stem
        folder.mkdir(parents=True)
        (folder / "index.html").write_text(page, encoding="utf-8")


def stage_seconds(posts: Path, output: Path) -> dict[str, float]:
    """:func:`build`'s work a step at a time, with the CPU seconds of each step."""
    clock = [time.process_time()]

    def lap() -> float:
        clock.append(time.process_time())
        return round(clock[-1] - clock[-2], 3)

    md = markdown()
    template = Environment(autoescape=True).from_string(PAGE)
    setup = lap()
    posts_read = [(path.stem, *front_matter(path.read_text(encoding="utf-8"))) for path in sorted(posts.glob("*.md"))]
    read = lap()
    bodies = [md.render(body) for _, _, body in posts_read]
    rendered = lap()
    pages = [template.render(title=fields["title"], date=fields["date"], body=body)
             for (_, fields, _), body in zip(posts_read, bodies, strict=True)]
    templated = lap()
    for (name, _, _), page in zip(posts_read, pages, strict=True):
        (output / name).mkdir(parents=True)
        (output / name / "index.html").write_text(page, encoding="utf-8")
    return {"setup": setup, "read": read, "markdown": rendered, "template": templated, "write": lap()}


if __name__ == "__main__":
    if sys.argv[3:] == ["--stages"]:
        print(json.dumps(stage_seconds(Path(sys.argv[1]), Path(sys.argv[2]))))
    else:
        build(Path(sys.argv[1]), Path(sys.argv[2]))
