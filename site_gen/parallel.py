"""Run a pure function over many jobs, in worker processes when there are enough to pay for them.

Python threads cannot render Markdown in parallel (the GIL), so full builds fork one worker per CPU.
Workers are forked after ``shared`` exists, so they inherit it without copying; callers send small
jobs (page numbers) and get results back. The parent's objects are frozen out of the garbage
collector while workers fork, so a collection in a worker never walks (and so copies) the whole
inherited heap. Each worker builds its expensive context once
(``setup(shared)``: a Markdown parser, a Jinja environment...) and keeps it in :data:`_CONTEXT`,
the one per-process global this needs. Results come back in job order, so the output is the same
with one process or many. A worker exits as soon as the build that forked it dies, even by
``kill -9``: a killed build leaves no process behind.
"""

from __future__ import annotations

import ctypes
import gc
import multiprocessing
import os
import signal
import sys
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any, TypeVar

from .record import record

J = TypeVar("J")
R = TypeVar("R")

MIN_PARALLEL_JOBS = 64
"""Below this, starting workers costs more than it saves."""
FORK_SHARE = 16
"""A batch under this share of the whole it is part of (``out_of``: say, the site's pages) runs in
this process: forking costs in proportion to the process, which grows with the site, more than a
few dozen pages take to render."""
MIN_BATCH = 8
"""The smallest run of jobs sent to a worker at once."""

_CONTEXT: dict[str, Any] = {}


@record
class Workers:
    """How work may spread: over ``processes`` (0: one per CPU) when there are at least ``min_jobs``
    jobs (few but large jobs are worth it, many tiny ones not) and, if they are a batch ``out_of`` a
    larger whole, at least :data:`FORK_SHARE` of it; and where its progress goes."""

    processes: int = 0
    progress: Callable[[str, int, int], None] | None = None
    min_jobs: int = MIN_PARALLEL_JOBS
    out_of: int = 0

PR_SET_PDEATHSIG = 1
"""Linux's ``prctl`` option: a signal for this process when the thread that forked it ends."""


def as_is(shared: Any) -> Any:
    """The ``setup`` of work that needs nothing made once per process: each job gets ``shared`` itself."""
    return shared


def _initialise(parent: int, setup: Callable[[Any], Any], shared: Any) -> None:
    exit_with_parent(parent)
    _CONTEXT["value"] = setup(shared)


def exit_with_parent(parent: int) -> None:
    """End this forked process when its parent ``parent`` ends, however it ends. On Linux the kernel
    kills it (``PR_SET_PDEATHSIG``); elsewhere a thread watches the parent's process id."""
    if sys.platform.startswith("linux"):
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    else:
        threading.Thread(target=_watch_parent, args=(parent,), name="site-gen-parent-watch", daemon=True).start()
    if os.getppid() != parent:  # the parent died before the signal was asked for
        os._exit(1)


def _watch_parent(parent: int) -> None:
    while os.getppid() == parent:
        time.sleep(0.5)
    os._exit(1)


def _run(function: Callable[[Any, Any], Any], job: Any) -> Any:
    return function(job, _CONTEXT["value"])


def map_parallel(function: Callable[[J, Any], R], jobs: Sequence[J], setup: Callable[[Any], Any], shared: Any,
                 workers: Workers = Workers()) -> list[R]:
    """``[function(job, setup(shared)) for job in jobs]``, spread as ``workers`` allows."""
    return list(iter_parallel(function, jobs, setup, shared, workers))


def iter_parallel(function: Callable[[J, Any], R], jobs: Sequence[J], setup: Callable[[Any], Any], shared: Any,
                  workers: Workers = Workers()) -> Iterator[R]:
    """:func:`map_parallel`'s results one by one, in job order, each as soon as it is back: the caller
    can work on the first ones while the workers make the rest."""
    if not jobs:
        return
    count = workers.processes or os.cpu_count() or 1
    enough = max(workers.min_jobs, workers.out_of // FORK_SHARE)
    progress = workers.progress
    if count <= 1 or len(jobs) < enough or "fork" not in multiprocessing.get_all_start_methods():
        context = setup(shared)
        for index, job in enumerate(jobs):
            yield function(job, context)
            if progress:
                progress("render", index + 1, len(jobs))
        return
    with _frozen():
        pool = multiprocessing.get_context("fork").Pool(count, _initialise, (os.getpid(), setup, shared))
    try:
        done = 0
        for batch in pool.imap(_Batch(function), _batches(jobs, count)):
            yield from batch
            done += len(batch)
            if progress:
                progress("render", done, len(jobs))
    except Exception:
        # A job failed: let the others end. Killing workers mid-write (terminate) can leave the result
        # queue's lock held by a dead process, and the pool's own threads then wait for it forever.
        pool.close()
        pool.join()
        raise
    finally:
        pool.terminate()
        pool.join()


@contextmanager
def _frozen() -> Iterator[None]:
    """The heap frozen out of the collector while a child forks; afterwards as the caller had it
    (a build freezes each stage's results itself, until it ends)."""
    already = gc.get_freeze_count() > 0
    gc.freeze()
    try:
        yield
    finally:
        if not already:
            gc.unfreeze()


def _batches(jobs: Sequence[J], workers: int) -> Iterator[Sequence[J]]:
    """``jobs`` in runs that shrink as the work runs out (guided self-scheduling): each run is a
    quarter of a worker's share of what is left, so there are few messages (each costs the parent's
    pool threads time) and the last runs are short, so no worker is left alone with a long one."""
    start = 0
    while start < len(jobs):
        size = max(MIN_BATCH, (len(jobs) - start) // (workers * 4))
        yield jobs[start:start + size]
        start += size


class _Batch:
    """A picklable ``jobs -> [function(job, context) for job in jobs]``."""

    def __init__(self, function: Callable[[Any, Any], Any]) -> None:
        self.function = function

    def __call__(self, jobs: Sequence[Any]) -> list[Any]:
        return [_run(self.function, job) for job in jobs]


class Forked:
    """``function(*args)`` computed in a forked child process while this process does other work:
    a one-shot build makes the search index this way while it renders and writes the pages. Where
    there is no ``fork``, the value is computed at once."""

    def __init__(self, function: Callable[..., R], *args: Any) -> None:
        self._process: Any = None
        if "fork" not in multiprocessing.get_all_start_methods():
            self._value = function(*args)
            return
        context = multiprocessing.get_context("fork")
        self._receive, send = context.Pipe(duplex=False)
        self._process = context.Process(target=_send_result, args=(os.getpid(), send, function, args),
                                        name="site-gen-worker")
        with _frozen():
            self._process.start()
        send.close()

    def result(self) -> Any:
        """Wait for the value; an exception in the child is raised here."""
        if self._process is None:
            return self._value
        try:
            ok, value = self._receive.recv()
        except EOFError:
            raise RuntimeError(f"a worker process stopped (exit code {self._process.exitcode})") from None
        finally:
            self.cancel()
        if not ok:
            raise value
        return value

    def cancel(self) -> None:
        """Stop the child if it still runs (the build failed or was interrupted meanwhile)."""
        if self._process is not None:
            self._process.terminate()
            self._process.join()
            self._receive.close()
            self._process = None
            self._value = None


def _send_result(parent: int, connection: Any, function: Callable[..., Any], args: tuple) -> None:
    exit_with_parent(parent)
    try:
        result = (True, function(*args))
    except BaseException as exc:  # every failure must reach the parent, which raises it again
        result = (False, exc)
    try:
        connection.send(result)
    except Exception as exc:  # an exception that cannot be pickled
        connection.send((False, RuntimeError(f"{type(exc).__name__}: {exc}")))
    connection.close()


class Ready:
    """A value already computed, with :class:`Forked`'s interface."""

    def __init__(self, value: Any) -> None:
        self._value = value

    def result(self) -> Any:
        return self._value

    def cancel(self) -> None:
        """Nothing runs."""
