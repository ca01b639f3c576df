"""Ray or Dask for screening? Measure what matters for docking tasks on this machine.

For each engine, a local cluster of two single-threaded worker processes:
- startup: from nothing to the first task's result;
- overhead per task: 200 no-op tasks, 4 in flight (as the screen keeps them), wall time each;
- a worker killed mid-run: 8 one-second tasks, SIGKILL the process running one of them after
  0.5 s; are all 8 results returned, once each, and how many tasks ran twice;
- memory: resident set of the cluster's processes (scheduler/raylet, workers) at the end.

    .venv/bin/pip install -e ".[bench]"   # ray
    .venv/bin/python benchmarks/docking/bench_engines.py   # writes engines.json next to it

Docking one small ligand takes seconds, so per-task overheads of a millisecond are noise; the
deciding figures are startup (paid by every `bioql screen`), memory (2 cores, shared) and the
behaviour on a killed worker.
"""

from __future__ import annotations

import json
import os
import signal
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import psutil

HERE = Path(__file__).resolve().parent
NOOP_TASKS = 200
SLEEP_TASKS = 8


def noop(i: int) -> int:
    return i


def sleep_and_mark(i: int, folder: str) -> int:
    """One second of 'work'; leaves a marker per execution and the running pid."""
    Path(folder, f"pid-{os.getpid()}").touch()
    Path(folder, f"run-{i}-{time.time_ns()}").touch()
    time.sleep(1.0)
    return i


def _kill_a_busy_worker(folder: str) -> None:
    time.sleep(0.5)
    pids = [int(p.name.split("-")[1]) for p in Path(folder).glob("pid-*")]
    os.kill(pids[0], signal.SIGKILL)


def _kill_outcome(results: list[int], folder: str, seconds: float) -> dict[str, Any]:
    runs = [p.name.split("-")[1] for p in Path(folder).glob("run-*")]
    return {
        "results_returned": len(results),
        "distinct_results": len(set(results)),
        "tasks_run_twice": len(runs) - len(set(runs)),
        "seconds": round(seconds, 2),
    }


def _rss_mb(roots: list[psutil.Process]) -> float:
    """Resident memory of ``roots`` and all their descendants."""
    procs = {p.pid: p for r in roots for p in [r, *r.children(recursive=True)]}
    return round(sum(p.memory_info().rss for p in procs.values() if p.is_running()) / 2**20)


def bench_dask() -> dict[str, Any]:
    from distributed import Client, LocalCluster, as_completed

    start = time.perf_counter()
    cluster = LocalCluster(
        n_workers=2,
        threads_per_worker=1,
        processes=True,
        host="127.0.0.1",
        dashboard_address=None,
    )
    client = Client(cluster)
    client.submit(noop, -1, pure=False).result()
    figures: dict[str, Any] = {"startup_s": round(time.perf_counter() - start, 2)}

    def run_window(fn: Callable, args: list[tuple]) -> list[Any]:
        pending, results, queue = list(args), [], as_completed()
        for _ in range(4):
            if pending:
                queue.add(client.submit(fn, *pending.pop(0), pure=False))
        for future in queue:
            results.append(future.result())
            if pending:
                queue.add(client.submit(fn, *pending.pop(0), pure=False))
        return results

    start = time.perf_counter()
    run_window(noop, [(i,) for i in range(NOOP_TASKS)])
    figures["ms_per_task"] = round(1000 * (time.perf_counter() - start) / NOOP_TASKS, 2)
    with tempfile.TemporaryDirectory() as folder:
        start = time.perf_counter()
        futures = [client.submit(sleep_and_mark, i, folder, pure=False) for i in range(SLEEP_TASKS)]
        _kill_a_busy_worker(folder)
        results = [f.result() for f in futures]
        figures["killed_worker"] = _kill_outcome(results, folder, time.perf_counter() - start)
    figures["memory_mb"] = _rss_mb(psutil.Process().children())
    client.close()
    cluster.close()
    return figures


def bench_ray() -> dict[str, Any]:
    import ray

    start = time.perf_counter()
    ray.init(
        num_cpus=2,
        include_dashboard=False,
        _node_ip_address="127.0.0.1",
        log_to_driver=False,
        configure_logging=False,
    )
    remote_noop = ray.remote(num_cpus=1)(noop)
    remote_sleep = ray.remote(num_cpus=1, max_retries=3)(sleep_and_mark)
    ray.get(remote_noop.remote(-1))
    figures: dict[str, Any] = {"startup_s": round(time.perf_counter() - start, 2)}

    start = time.perf_counter()
    pending, inflight = list(range(NOOP_TASKS)), []
    while pending or inflight:
        while pending and len(inflight) < 4:
            inflight.append(remote_noop.remote(pending.pop(0)))
        done, inflight = ray.wait(inflight, num_returns=1)
        ray.get(done)
    figures["ms_per_task"] = round(1000 * (time.perf_counter() - start) / NOOP_TASKS, 2)
    with tempfile.TemporaryDirectory() as folder:
        start = time.perf_counter()
        refs = [remote_sleep.remote(i, folder) for i in range(SLEEP_TASKS)]
        _kill_a_busy_worker(folder)
        results = ray.get(refs)
        figures["killed_worker"] = _kill_outcome(results, folder, time.perf_counter() - start)
    figures["memory_mb"] = _rss_mb(psutil.Process().children())  # GCS, raylet and its workers
    ray.shutdown()
    return figures


def main() -> None:
    import dask
    import distributed
    import ray

    figures = {
        "machine": {"cpus": os.cpu_count(), "workers": 2},
        "versions": {
            "dask": dask.__version__,
            "distributed": distributed.__version__,
            "ray": ray.__version__,
        },
        "dask": bench_dask(),
        "ray": bench_ray(),
    }
    (HERE / "engines.json").write_text(json.dumps(figures, indent=2) + "\n")
    print(json.dumps(figures, indent=2))


if __name__ == "__main__":
    main()
