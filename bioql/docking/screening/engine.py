"""Where the docking runs: Dask distributed, on a local pool of processes or on a cluster.

The same code drives both: a ``LocalCluster`` of single-threaded worker processes on the
loopback interface by default, or the scheduler at ``cluster`` (``tcp://host:8786``). Dask
reschedules the tasks of a worker that dies; a ligand whose worker died ``allowed-failures``
times (3 by default) is recorded as failed instead of stopping the screen.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from itertools import islice
from typing import TYPE_CHECKING

from bioql.docking.screening.library import LibraryEntry
from bioql.docking.screening.store import FAILED, LigandResult
from bioql.docking.screening.worker import DockSettings, dock_ligand
from bioql.errors import BioQLDockingError

if TYPE_CHECKING:
    from distributed import Client

# Tasks kept queued per worker thread: enough that no worker waits for the next ligand, few
# enough that a huge library is never all in the scheduler's memory at once.
_QUEUED_PER_THREAD = 2
_CONNECT_TIMEOUT_S = 20


@contextmanager
def connect(workers: int, cluster: str | None) -> Iterator[Client]:
    """A Dask client: to the scheduler at ``cluster``, or to a fresh local pool."""
    from distributed import Client, LocalCluster

    if cluster:
        try:
            client = Client(cluster, timeout=_CONNECT_TIMEOUT_S)
        except (OSError, TimeoutError) as exc:
            raise BioQLDockingError(
                f"Could not reach the Dask scheduler at {cluster!r} ({exc}). Start one with "
                "`dask scheduler` and its workers with `dask worker ADDRESS --nthreads 1` on "
                "machines where bioql is installed, or omit cluster to use this machine."
            ) from None
        with client:
            yield client
        return
    pool = LocalCluster(
        n_workers=workers,
        threads_per_worker=1,
        processes=True,
        host="127.0.0.1",
        # None still serves on :8787 and warns when that port is taken (a second screen)
        dashboard_address="127.0.0.1:0",
        # Closing the pool can race a worker's heartbeat into a logged traceback ("Failed to
        # communicate with scheduler during heartbeat") after every ligand is recorded. What a
        # screen must know reaches it through the tasks: a ligand's error is its result, a
        # worker's death is KilledWorker; so the pool's own logs stay quiet.
        silence_logs=logging.CRITICAL,
    )
    with pool, Client(pool) as client:
        yield client


def dock_all(
    client: Client, settings: DockSettings, entries: Sequence[LibraryEntry]
) -> Iterator[LigandResult]:
    """Dock ``entries`` on the client's workers; yield each result as it arrives."""
    from distributed import as_completed
    from distributed.scheduler import KilledWorker

    threads = max(1, sum(client.nthreads().values()))
    shared = client.scatter(settings, broadcast=True)  # the receptor travels once per worker
    todo = iter(entries)
    by_future = {}

    def submit(entry: LibraryEntry) -> None:
        future = client.submit(dock_ligand, shared, entry.name, entry.smiles, pure=False)
        by_future[future.key] = entry
        running.add(future)

    running = as_completed()
    for entry in islice(todo, threads * _QUEUED_PER_THREAD):
        submit(entry)
    for future in running:
        entry = by_future.pop(future.key)
        try:
            yield future.result()
        except KilledWorker:
            yield LigandResult(
                entry.name,
                entry.smiles,
                FAILED,
                error="the worker process died each time it docked this ligand",
            )
        future.release()
        following = next(todo, None)
        if following is not None:
            submit(following)
