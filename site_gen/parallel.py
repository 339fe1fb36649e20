"""Run a pure function over many jobs, in worker processes when there are enough to pay for them.

Python threads cannot render Markdown in parallel (the GIL), so full builds fork one worker per CPU.
Workers are forked after ``shared`` exists, so they inherit it without copying; callers send small
jobs (page numbers) and get results back. Each worker builds its expensive context once
(``setup(shared)``: a Markdown parser, a Jinja environment...) and keeps it in :data:`_CONTEXT`,
the one per-process global this needs. Results come back in job order, so the output is the same
with one process or many.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

J = TypeVar("J")
R = TypeVar("R")

MIN_PARALLEL_JOBS = 64
"""Below this, starting workers costs more than it saves."""
CHUNK = 16

_CONTEXT: dict[str, Any] = {}


def _initialise(setup: Callable[[Any], Any], shared: Any) -> None:
    _CONTEXT["value"] = setup(shared)


def _run(function: Callable[[Any, Any], Any], job: Any) -> Any:
    return function(job, _CONTEXT["value"])


def map_parallel(function: Callable[[J, Any], R], jobs: Sequence[J], setup: Callable[[Any], Any], shared: Any,
                 processes: int = 0, progress: Callable[[str, int, int], None] | None = None,
                 min_jobs: int = MIN_PARALLEL_JOBS) -> list[R]:
    """``[function(job, setup(shared)) for job in jobs]``, spread over ``processes`` (0: one per CPU)
    when there are at least ``min_jobs`` jobs (few but large jobs are worth it, many tiny ones not)."""
    if not jobs:
        return []
    count = processes or os.cpu_count() or 1
    if count <= 1 or len(jobs) < min_jobs or "fork" not in multiprocessing.get_all_start_methods():
        context = setup(shared)
        results = []
        for index, job in enumerate(jobs):
            results.append(function(job, context))
            if progress:
                progress("render", index + 1, len(jobs))
        return results
    pool = multiprocessing.get_context("fork").Pool(count, _initialise, (setup, shared))
    try:
        results = []
        chunk = max(1, min(CHUNK, len(jobs) // (count * 4)))
        for index, result in enumerate(pool.imap(_Call(function), jobs, chunksize=chunk)):
            results.append(result)
            if progress:
                progress("render", index + 1, len(jobs))
        return results
    finally:
        pool.terminate()
        pool.join()


class _Call:
    """A picklable ``job -> function(job, context)``."""

    def __init__(self, function: Callable[[Any, Any], Any]) -> None:
        self.function = function

    def __call__(self, job: Any) -> Any:
        return _run(self.function, job)
