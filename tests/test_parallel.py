"""Worker processes: same results in the same order as one process; when a batch is worth forking;
a forked job's value or error."""

from __future__ import annotations

import os
import time

import pytest

from site_gen.parallel import MIN_BATCH, Forked, Workers, _batches, map_parallel


def _square_plus(job: int, offset: int) -> tuple[int, int]:
    return job * job + offset, os.getpid()


def test_workers_return_what_one_process_returns_in_job_order() -> None:
    jobs = list(range(40))
    serial = map_parallel(_square_plus, jobs, lambda shared: shared, 3, Workers(processes=1))
    parallel = map_parallel(_square_plus, jobs, lambda shared: shared, 3, Workers(processes=2, min_jobs=2))
    assert [value for value, _ in parallel] == [value for value, _ in serial] == [j * j + 3 for j in jobs]
    assert {pid for _, pid in serial} == {os.getpid()}
    assert os.getpid() not in {pid for _, pid in parallel}


def test_jobs_go_to_workers_in_few_runs_that_shrink_to_the_end() -> None:
    """Each message costs the parent time: 4,000 jobs go in a few dozen runs, not hundreds; the last
    runs are short, so one worker is never left with a long run while the other idles."""
    jobs = list(range(4000))
    runs = [list(run) for run in _batches(jobs, 2)]
    sizes = [len(run) for run in runs]
    assert [job for run in runs for job in run] == jobs
    assert sizes == sorted(sizes, reverse=True)
    assert sizes[0] == 4000 // 8 and sizes[-1] <= MIN_BATCH
    assert len(runs) < 60


def test_progress_counts_every_job_once_in_order() -> None:
    seen: list[int] = []
    map_parallel(_square_plus, list(range(300)), lambda shared: shared, 0,
                 Workers(processes=2, min_jobs=2, progress=lambda stage, done, total: seen.append(done)))
    assert seen == sorted(set(seen)) and seen[-1] == 300


def test_a_small_share_of_a_large_whole_runs_in_this_process() -> None:
    """Forking costs in proportion to the process: 70 pages of a 4,500-page site are rendered here,
    the same 70 as a first build of a 70-page site in workers."""
    jobs = list(range(70))
    batch = map_parallel(_square_plus, jobs, lambda shared: shared, 0, Workers(processes=2, out_of=4500))
    whole = map_parallel(_square_plus, jobs, lambda shared: shared, 0, Workers(processes=2, out_of=70))
    assert [value for value, _ in batch] == [value for value, _ in whole] == [j * j for j in jobs]
    assert {pid for _, pid in batch} == {os.getpid()}
    assert os.getpid() not in {pid for _, pid in whole}


def _fail(message: str) -> None:
    raise ValueError(message)


def test_a_forked_job_returns_its_value_computed_in_another_process() -> None:
    job = Forked(_square_plus, 7, 1)
    value, pid = job.result()
    assert value == 50
    assert pid != os.getpid()


def test_a_forked_job_raises_its_error_in_the_parent() -> None:
    with pytest.raises(ValueError, match="seed 12 is unreadable"):
        Forked(_fail, "seed 12 is unreadable").result()


def test_cancel_stops_a_forked_job_that_is_still_running() -> None:
    job = Forked(time.sleep, 60)
    process = job._process
    started = time.perf_counter()
    job.cancel()
    assert time.perf_counter() - started < 5
    assert not process.is_alive()
