#!/usr/bin/env python3
"""What the text integrity check costs: its stage against the whole clean build, in one process.

    python benchmarks/integrity.py [--size 4000] [--terms 500] [--repeat 3] [--json results.json]

Builds a benchmark site (``corpus_site.py``, as ``run.py`` does) in this process, each run clean,
and reports the integrity stage's wall and CPU seconds against the build's wall seconds and CPU
seconds (this process and its workers together). On a machine other jobs load, wall time swells
with the load; the CPU shares are the ones to compare. Then the check alone, again over every
article with an empty cache, the least CPU time of ``--repeat`` runs.
"""

from __future__ import annotations

import argparse
import resource
import statistics
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))

from corpus_site import emit  # noqa: E402
from run import prepare  # noqa: E402
from set_aside import SetAside  # noqa: E402

from site_gen import integrity  # noqa: E402
from site_gen.cache import BuildCache  # noqa: E402
from site_gen.config import load_config  # noqa: E402
from site_gen.pipeline import BuildOptions, build  # noqa: E402


def cpu_seconds() -> float:
    return sum(usage.ru_utime + usage.ru_stime
               for usage in map(resource.getrusage, (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)))


def measure(site: Path, repeat: int, aside: SetAside) -> dict:
    stage: dict = {}
    check = integrity.check_integrity

    def timed(*args):  # the stage as the pipeline calls it, with its CPU time and its inputs
        started = time.process_time()
        found = check(*args)
        stage.update(cpu=time.process_time() - started, args=args)
        return found

    integrity.check_integrity = timed
    runs = []
    try:
        for _ in range(repeat):
            for path in (site / "public", site / ".public.old", site / "content" / "articles"):
                aside.move(path)
            cpu, started = cpu_seconds(), time.perf_counter()
            result = build(load_config(site), BuildOptions())
            runs.append({"build_s": time.perf_counter() - started, "build_cpu_s": cpu_seconds() - cpu,
                         "stage_s": result.timings["integrity"], "stage_cpu_s": stage["cpu"],
                         "warnings": sum(1 for d in result.diagnostics.items if d.code == "integrity")})
    finally:
        integrity.check_integrity = check
    alone = []
    for _ in range(repeat):
        started = time.process_time()
        check(*stage["args"][:-1], BuildCache())
        alone.append(time.process_time() - started)
    figures = {key: round(statistics.median(run[key] for run in runs), 3) for key in runs[0]}
    figures["check_alone_cpu_s"] = round(min(alone), 3)
    figures["stage_share_of_build"] = round(figures["stage_s"] / figures["build_s"], 4)
    figures["cpu_share_of_build"] = round(figures["check_alone_cpu_s"] / figures["build_cpu_s"], 4)
    figures["seed_mb"] = round(sum(p.stat().st_size for p in (site / "seeds").glob("*.txt")) / 1e6, 1)
    return figures


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", type=int, default=4000)
    parser.add_argument("--terms", type=int, default=500)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--work", type=Path, default=HERE / ".work")
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    with SetAside(args.work / "aside-integrity") as aside:
        site = prepare(args.size, args.terms, args.work, aside)
        figures = measure(site, args.repeat, aside)
    print(f"{'articles':>9} {'seeds MB':>9} {'build s':>8} {'build CPU s':>12} {'stage s':>8} {'check CPU s':>12} "
          f"{'share (wall)':>13} {'share (CPU)':>12}")
    print(f"{args.size:>9} {figures['seed_mb']:>9} {figures['build_s']:>8} {figures['build_cpu_s']:>12} "
          f"{figures['stage_s']:>8} {figures['check_alone_cpu_s']:>12} {figures['stage_share_of_build']:>13.1%} "
          f"{figures['cpu_share_of_build']:>12.1%}")
    emit({str(args.size): figures}, args.json)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
