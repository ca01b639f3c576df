"""The worker pool: a job that runs too long, uses too much memory or crashes ends in a clear
JobFailed, the worker is replaced, and the next job runs normally."""

from __future__ import annotations

import time

import anyio
import pytest

from bioql.server.workers import JobError, JobFailed, JobLimits, PoolBusy, WorkerPool

LIMITS = JobLimits(cpu_seconds=2, wall_seconds=10)


@pytest.fixture
def pool():  # type: ignore[no-untyped-def]
    workers = WorkerPool(size=1, memory_bytes=1024 * 2**20, max_queue=1)
    yield workers
    workers.close()


def run(pool: WorkerPool, target: str, *args: object, limits: JobLimits = LIMITS) -> object:
    async def main() -> object:
        return (await pool.run(f"tests.server.jobs:{target}", args, limits)).value

    return anyio.run(main)


def test_a_job_runs_in_another_process_that_is_reused(pool):
    import os

    assert run(pool, "square", 7) == 49
    first = run(pool, "pid")
    assert first != os.getpid() and run(pool, "pid") == first


def test_a_worker_is_replaced_after_its_pools_number_of_jobs():
    from bioql.server.service import ASSISTANT_JOBS_PER_WORKER
    from bioql.server.workers import JOBS_PER_WORKER

    assert ASSISTANT_JOBS_PER_WORKER > JOBS_PER_WORKER  # a start costs about a CPU-second
    workers = WorkerPool(size=1, memory_bytes=1024 * 2**20, max_queue=1, jobs_per_worker=2)
    try:
        first = run(workers, "pid")
        assert run(workers, "pid") == first
        assert run(workers, "pid") != first
    finally:
        workers.close()


def test_cpu_limit_kills_the_job_and_a_new_worker_takes_the_next(pool):
    first = run(pool, "pid")
    with pytest.raises(JobFailed) as failed:
        run(pool, "spin", 30.0, limits=JobLimits(cpu_seconds=1, wall_seconds=20))
    assert failed.value.kind == "cpu" and "CPU-seconds" in str(failed.value)
    assert run(pool, "pid") != first
    assert run(pool, "square", 3) == 9


def test_wall_clock_limit_kills_a_job_that_waits(pool):
    start = time.monotonic()
    with pytest.raises(JobFailed) as failed:
        run(pool, "sleep", 60.0, limits=JobLimits(cpu_seconds=5, wall_seconds=1))
    assert failed.value.kind == "wall" and time.monotonic() - start < 10
    assert run(pool, "square", 2) == 4


def test_memory_limit_is_a_failure_not_a_dead_server(pool):
    with pytest.raises(JobFailed) as failed:
        run(pool, "allocate", 4096)
    assert failed.value.kind == "memory"
    assert run(pool, "allocate", 10) == 10 * 2**20


def test_a_segfault_in_native_code_only_kills_the_worker(pool):
    with pytest.raises(JobFailed) as failed:
        run(pool, "segfault")
    assert failed.value.kind == "crash" and "exit code -11" in str(failed.value)
    assert run(pool, "square", 5) == 25


def test_an_exception_comes_back_with_its_type_and_the_worker_survives(pool):
    first = run(pool, "pid")
    with pytest.raises(JobError) as error:
        run(pool, "fail")
    assert error.value.type_name == "ValueError" and not error.value.user_error
    assert run(pool, "pid") == first


def test_a_disconnected_client_stops_its_job(pool):
    async def main() -> float:
        start = time.monotonic()

        async def gone() -> bool:
            return time.monotonic() - start > 0.5

        with pytest.raises(JobFailed) as failed:
            await pool.run("tests.server.jobs:spin", (30.0,), LIMITS, gone)
        assert failed.value.kind == "cancelled"
        return time.monotonic() - start

    assert anyio.run(main) < 5


def test_a_full_queue_is_refused_at_once(pool):
    async def main() -> list[str]:
        outcomes: list[str] = []

        async def one() -> None:
            try:
                await pool.run("tests.server.jobs:sleep", (1.0,), LIMITS)
                outcomes.append("ran")
            except PoolBusy:
                outcomes.append("busy")

        async with anyio.create_task_group() as group:
            for _ in range(4):
                group.start_soon(one)
        return sorted(outcomes)

    # one worker and a queue of one: two run, two are refused
    assert anyio.run(main) == ["busy", "busy", "ran", "ran"]
