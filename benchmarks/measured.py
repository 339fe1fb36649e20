#!/usr/bin/env python3
"""Run one command in a fresh parent of its own and measure it: wall and CPU seconds, peak memory.

    python benchmarks/measured.py COMMAND...   (the figures are the last line of stderr, as JSON)

``measure()`` runs a command this way. A process's record of its children covers every child it
ever had (and theirs, once waited for), so each measured command gets a parent of its own. Two
memory figures: ``peak_mb``, the largest resident set of any one of its processes (exact, from that
record), and ``all_mb``, the largest sum of the proportional set sizes of all its processes at once
(sampled every 10 ms at first, then less often, down to every 0.1 s: pages that forked workers
share with their parent count once, not per process; a peak between two samples can be missed).
The wall time is taken in that parent, so the parent's own start is not in it.
"""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path

FIRST_SAMPLE_SECONDS = 0.01
SAMPLE_SECONDS = 0.1
RESCAN_EVERY = 5
"""Samples between two listings of the process table (a listing costs a few ms; workers live long)."""


@dataclass(frozen=True)
class Measured:
    """One run of a command, with its processes' figures."""

    seconds: float
    cpu_seconds: float
    peak_mb: float
    all_mb: float
    returncode: int
    stdout: str
    stderr: str


def measure(command: list[str], cwd: Path) -> Measured:
    """Run ``command`` in ``cwd`` through this script and return its figures and output."""
    done = subprocess.run([sys.executable, str(Path(__file__).resolve()), *command], cwd=cwd,
                          capture_output=True, text=True, check=False)
    stderr, _, last = done.stderr.rstrip("\n").rpartition("\n")
    figures = json.loads(last)
    return Measured(figures["seconds"], figures["cpu_seconds"], figures["peak_mb"], figures["all_mb"],
                    done.returncode, done.stdout, stderr)


def descendants(root: int) -> list[int]:
    """``root`` and every process under it, from the process table."""
    children: dict[int, list[int]] = {}
    for name in os.listdir("/proc"):
        if name.isdigit():
            try:
                with open(f"/proc/{name}/stat", encoding="ascii", errors="replace") as stat:
                    parent = int(stat.read().rpartition(")")[2].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            children.setdefault(parent, []).append(int(name))
    found, waiting = [], [root]
    while waiting:
        pid = waiting.pop()
        found.append(pid)
        waiting.extend(children.get(pid, ()))
    return found


def proportional_kb(pid: int) -> int:
    """The proportional set size of process ``pid`` (0 once it has ended)."""
    try:
        with open(f"/proc/{pid}/smaps_rollup", encoding="ascii") as rollup:
            for line in rollup:
                if line.startswith("Pss:"):
                    return int(line.split()[1])
    except (OSError, ValueError):
        pass
    return 0


def sample_tree(root: int, stop: threading.Event, peak: list[int]) -> None:
    """Keep in ``peak[0]`` the largest memory of ``root``'s processes together, until ``stop`` is set."""
    pids = [root]
    turn, pause = 0, FIRST_SAMPLE_SECONDS
    while not stop.wait(pause):
        if turn % RESCAN_EVERY == 0:
            pids = descendants(root)
        peak[0] = max(peak[0], sum(map(proportional_kb, pids)))
        turn, pause = turn + 1, min(pause * 1.5, SAMPLE_SECONDS)


def run_and_report(command: list[str]) -> int:
    """Run ``command``, print its figures as the last line of stderr, return its exit status."""
    stop, peak = threading.Event(), [0]
    started = time.perf_counter()
    try:
        child = subprocess.Popen(command)
    except OSError as error:
        print(f"cannot run {command[0]}: {error}", file=sys.stderr)
        returncode, seconds = 127, 0.0
    else:
        sampler = threading.Thread(target=sample_tree, args=(child.pid, stop, peak), daemon=True)
        sampler.start()
        returncode = child.wait()
        seconds = time.perf_counter() - started
        stop.set()
        sampler.join()
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    figures = {"seconds": seconds, "cpu_seconds": usage.ru_utime + usage.ru_stime,
               "peak_mb": usage.ru_maxrss / 1024, "all_mb": peak[0] / 1024}
    print(json.dumps(figures), file=sys.stderr)
    return returncode


if __name__ == "__main__":
    sys.exit(run_and_report(sys.argv[1:]))
