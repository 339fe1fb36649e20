#!/usr/bin/env python3
"""A small flame graph (SVG) from a profiler's collapsed stacks, for docs/performance.md.

    py-spy record --subprocesses -r 100 -f raw -o stacks.txt -- python benchmarks/flame_graph.py build SITE OUT
    python benchmarks/flame_graph.py svg stacks.txt docs/profile-1000.svg "title"
    python benchmarks/flame_graph.py stages SITE OUT

``build`` makes a clean build of SITE into OUT in one worker (``jobs=1``), so that a profile shows
each stage once rather than spread over worker processes (the search index is still made in a
process of its own). ``stages`` makes the same build without a profiler and prints, as JSON, the
CPU seconds of each stage (the build's stage timer reading this process's CPU time instead of the
clock: on a shared machine the clock counts other people's work too), of the whole build, and of
the search index made again in this process. ``svg`` merges the processes' stacks (``frame;frame;... count`` lines, as
py-spy's ``raw`` format and flamegraph.pl's input have them), leaves out frames under
``--min-share`` of the samples (so the file stays small) and colours frames by package:
site-gen orange, markdown-it blue, Jinja2 green, citeproc-py purple, the rest grey. Hover a frame
for its name and share.
"""

from __future__ import annotations

import argparse
import html
import json
import re
import sys
import time
import types
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

WIDTH = 1200
ROW = 16
COLOURS = (("site_gen/", "#e8833a"), ("<string>", "#e8833a"), ("markdown_it/", "#4a90d9"), ("mdit_py_plugins/", "#6aa8e8"),
           ("jinja2/", "#5cb85c"), (".html", "#8fd18f"), ("citeproc/", "#a678d6"), ("lunr", "#d9534f"))


def build_once(site: Path, out: Path) -> object:
    from site_gen.config import load_config
    from site_gen.pipeline import BuildOptions, build
    return build(load_config(site), BuildOptions(out=out, jobs=1))


def stage_seconds(site: Path, out: Path) -> dict[str, float]:
    """CPU seconds of each stage of a clean build in one worker, of the build, and of its search index."""
    from site_gen import pipeline
    from site_gen.search import build_search_index

    pipeline.time = types.SimpleNamespace(perf_counter=time.process_time)  # the stage timer's clock
    started = time.process_time()
    result = build_once(site, out)
    built = time.process_time()
    build_search_index(result.site, None, lambda: False)  # asked to poll: made here, not in a child
    seconds = {**result.timings, "build": built - started, "search index": time.process_time() - built}
    return {stage: round(value, 3) for stage, value in seconds.items()}


def frame_name(frame: str) -> str:
    """``function (file:line)`` as ``function (file)``, the file relative to its package's folder."""
    match = re.match(r"(.*) \((.*?)(?::\d+)?\)$", frame)
    if not match:
        return frame
    name, path = match.groups()
    path = re.sub(r".*/(site-packages|python3\.\d+)/", "", path)
    return f"{name} ({re.sub(r'.*/(?=site_gen/|benchmarks/)', '', path)})"


def stack_tree(lines: list[str]) -> dict:
    """The stacks as a tree of ``{"n": samples, "c": {frame: subtree}}``, every process's merged."""
    tree: dict = {"n": 0, "c": {}}
    for line in lines:
        stack, _, count = line.rstrip().rpartition(" ")
        if not stack or not count.isdigit():
            continue
        node = tree
        node["n"] += int(count)
        for frame in stack.split(";"):
            if not frame.startswith("process "):
                node = node["c"].setdefault(frame_name(frame), {"n": 0, "c": {}})
                node["n"] += int(count)
    return tree


def svg(tree: dict, title: str, min_share: float) -> str:
    total = tree["n"] or 1
    boxes: list[tuple[float, int, float, str, int]] = []

    def place(node: dict, name: str | None, x: float, depth: int) -> None:
        if node["n"] / total < min_share:
            return
        if name is not None:
            boxes.append((x, depth, node["n"] / total * WIDTH, name, node["n"]))
        for child_name, child in sorted(node["c"].items(), key=lambda item: -item[1]["n"]):
            place(child, child_name, x, depth + (name is not None))
            x += child["n"] / total * WIDTH

    place(tree, None, 0.0, 0)
    height = (max((depth for _, depth, *_ in boxes), default=0) + 2) * ROW + 30
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{height}" font-family="sans-serif" '
             f'font-size="11">', f'<text x="4" y="14" font-size="13">{html.escape(title)}</text>']
    for x, depth, width, name, samples in boxes:
        y = height - (depth + 1) * ROW - 4
        fits = int((width - 4) / 6.2)
        label = name if len(name) <= fits else name[:fits - 1] + "…" if fits > 4 else ""
        colour = next((c for key, c in COLOURS if key in name), "#c8c8c8")
        parts.append(f'<g><title>{html.escape(name)}: {samples / total:.1%} ({samples} samples)</title>'
                     f'<rect x="{x:.1f}" y="{y}" width="{max(width - 0.5, 0.5):.1f}" height="{ROW - 1}" fill="{colour}"/>'
                     + (f'<text x="{x + 2:.1f}" y="{y + 11}">{html.escape(label)}</text>' if label else "") + "</g>")
    return "\n".join([*parts, "</svg>"]) + "\n"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    to_profile = commands.add_parser("build", help="one clean build in one worker, to run under a profiler")
    to_profile.add_argument("site", type=Path)
    to_profile.add_argument("out", type=Path)
    to_time = commands.add_parser("stages", help="CPU seconds of each stage of the same build, as JSON")
    to_time.add_argument("site", type=Path)
    to_time.add_argument("out", type=Path)
    to_svg = commands.add_parser("svg", help="collapsed stacks to an SVG flame graph")
    to_svg.add_argument("stacks", type=Path)
    to_svg.add_argument("svg", type=Path)
    to_svg.add_argument("title")
    to_svg.add_argument("--min-share", type=float, default=0.004, help="leave out frames under this share of samples")
    args = parser.parse_args()
    if args.command == "build":
        build_once(args.site, args.out)
    elif args.command == "stages":
        print(json.dumps(stage_seconds(args.site, args.out)))
    else:
        args.svg.write_text(svg(stack_tree(args.stacks.read_text().splitlines()), args.title, args.min_share))
    return 0


if __name__ == "__main__":
    sys.exit(main())
