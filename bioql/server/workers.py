"""Worker processes: the work a request asks for runs here, never in the web process.

A simulation can crash in native code, use all the memory it is given, or run for minutes.
Each worker is a separate process (started with ``spawn``, so it inherits no threads or
locks from the server) that runs one job at a time under limits it cannot escape:

* memory: ``RLIMIT_AS`` set once when the worker starts (an allocation beyond it fails);
* CPU: ``RLIMIT_CPU`` moved before each job to the CPU time used so far plus the job's
  budget (the kernel stops the process with SIGXCPU when it is spent);
* wall clock: the server stops waiting after ``wall_seconds`` and kills the worker;
* cancellation: the server kills the worker when the client goes away.

A killed or crashed worker is replaced on the next job; the web process only sees a
:class:`JobFailed` saying which limit ended the job.
"""

from __future__ import annotations

import importlib
import math
import multiprocessing
import os
import resource
import signal
import threading
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from multiprocessing.connection import Connection
from typing import Any, Literal

import anyio

FailureKind = Literal["cpu", "wall", "memory", "crash", "cancelled"]
# Native libraries start one thread per core by default; a job gets one core.
_ONE_THREAD = ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "RAYON_NUM_THREADS")
# A worker is restarted after this many jobs so no state (caches, fragmentation) accumulates
# (a pool may choose another number: see WorkerPool).
JOBS_PER_WORKER = 1000
# Longest a new worker may take to import and load what it preloads (a model, Qiskit).
STARTUP_SECONDS = 120.0


@dataclass(frozen=True)
class JobLimits:
    cpu_seconds: float
    wall_seconds: float


@dataclass(frozen=True)
class JobResult:
    value: Any
    cpu_seconds: float


class JobFailed(Exception):
    """The job did not finish: ``kind`` says which limit (or crash) ended it."""

    def __init__(self, kind: FailureKind, detail: str, cpu_seconds: float) -> None:
        super().__init__(detail)
        self.kind = kind
        self.cpu_seconds = cpu_seconds


class JobError(Exception):
    """The job raised an exception (its type name and message are kept)."""

    def __init__(self, type_name: str, message: str, user_error: bool, cpu_seconds: float) -> None:
        super().__init__(message)
        self.type_name = type_name
        self.user_error = user_error
        self.cpu_seconds = cpu_seconds


class PoolBusy(Exception):
    """Every worker is busy and the queue is full."""


# --- inside the worker process -----------------------------------------------------------


def _cpu_used() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _worker_main(conn: Connection, memory_bytes: int, preload: tuple[str, ...]) -> None:
    for name in _ONE_THREAD:
        os.environ[name] = "1"
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the server stops its workers itself
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    resource.setrlimit(resource.RLIMIT_AS, (memory_bytes, memory_bytes))
    # Imports happen before the first job, so they do not count against its CPU budget.
    for target in preload:
        _run_one(target, (), _cpu_used())
    conn.send(("ready",))
    while True:
        try:
            target, args, cpu_seconds = conn.recv()
        except EOFError:
            return
        start = _cpu_used()
        _, hard = resource.getrlimit(resource.RLIMIT_CPU)
        resource.setrlimit(resource.RLIMIT_CPU, (math.ceil(start + cpu_seconds), hard))
        conn.send(_run_one(target, args, start))


def _run_one(target: str, args: tuple[Any, ...], start: float) -> tuple[Any, ...]:
    from bioql.errors import BioQLError

    try:
        module, _, name = target.partition(":")
        value = getattr(importlib.import_module(module), name)(*args)
    except MemoryError:
        return ("memory", _cpu_used() - start)
    except Exception as exc:
        user = isinstance(exc, BioQLError)
        return ("error", type(exc).__name__, str(exc), user, _cpu_used() - start)
    return ("ok", value, _cpu_used() - start)


# --- in the server ---------------------------------------------------------------------------


class Worker:
    """One worker process and the server's end of its pipe."""

    def __init__(
        self,
        memory_bytes: int,
        preload: tuple[str, ...] = (),
        jobs_per_worker: int = JOBS_PER_WORKER,
    ) -> None:
        self.jobs_per_worker = jobs_per_worker
        context = multiprocessing.get_context("spawn")
        self.conn, child = context.Pipe()
        self.process = context.Process(
            target=_worker_main,
            args=(child, memory_bytes, preload),
            daemon=True,
            name="bioql-worker",
        )
        self.process.start()
        child.close()
        self.jobs = 0
        self.cancelled = False
        self.killed = False
        self.ready = False
        self.started = time.monotonic()

    @property
    def usable(self) -> bool:
        # ``killed``: a process just sent SIGKILL may still look alive for a moment.
        return not self.killed and self.process.is_alive() and self.jobs < self.jobs_per_worker

    def call(self, target: str, args: tuple[Any, ...], limits: JobLimits) -> JobResult:
        """Run one job and wait for it (blocking: call from a thread)."""
        self._wait_ready(limits)
        self.jobs += 1
        self.started = time.monotonic()
        self.conn.send((target, args, limits.cpu_seconds))
        if not self.conn.poll(limits.wall_seconds):
            self.kill()
            raise JobFailed(
                "wall", f"stopped after {limits.wall_seconds:g} s of wall-clock time", 0.0
            )
        try:
            message = self.conn.recv()
        except (EOFError, OSError):
            raise self._died(limits) from None
        return _result(message)

    async def call_async(self, target: str, args: tuple[Any, ...], limits: JobLimits) -> JobResult:
        """:meth:`call` for the event loop: the loop watches the pipe, so no thread waits for
        each job (a thread hand-off per job was a visible share of a short request's CPU)."""
        if not self.ready:  # a new worker: may take seconds to import what it preloads
            await anyio.to_thread.run_sync(self._wait_ready, limits, abandon_on_cancel=True)
        self.jobs += 1
        self.started = time.monotonic()
        self.conn.send((target, args, limits.cpu_seconds))  # the idle worker is reading
        with anyio.move_on_after(limits.wall_seconds) as timer:
            await anyio.wait_readable(self.conn.fileno())
        if timer.cancelled_caught:
            self.kill()
            raise JobFailed(
                "wall", f"stopped after {limits.wall_seconds:g} s of wall-clock time", 0.0
            )
        try:
            message = self.conn.recv()  # the worker writes its whole answer at once
        except (EOFError, OSError):
            raise await anyio.to_thread.run_sync(self._died, limits) from None
        return _result(message)

    def _wait_ready(self, limits: JobLimits) -> None:
        """The wall clock of a job starts once the worker has loaded what it preloads."""
        if self.ready:
            return
        try:
            if not self.conn.poll(STARTUP_SECONDS):
                self.kill()
                raise JobFailed("crash", f"a worker did not start in {STARTUP_SECONDS:g} s", 0.0)
            self.conn.recv()
        except (EOFError, OSError):
            raise self._died(limits) from None
        self.ready = True

    def _died(self, limits: JobLimits) -> JobFailed:
        self.process.join(timeout=5)
        code = self.process.exitcode
        if self.cancelled:
            # The process is gone with its CPU count: its wall time bounds it (one thread).
            spent = time.monotonic() - self.started
            return JobFailed("cancelled", "stopped because the client disconnected", spent)
        if code == -signal.SIGXCPU:
            return JobFailed(
                "cpu", f"stopped after {limits.cpu_seconds:g} CPU-seconds", limits.cpu_seconds
            )
        return JobFailed("crash", f"the worker process died (exit code {code})", 0.0)

    def kill(self, cancelled: bool = False) -> None:
        self.cancelled = self.cancelled or cancelled
        self.killed = True
        if self.process.is_alive():
            self.process.kill()

    def close(self) -> None:
        self.kill()
        self.process.join(timeout=5)
        self.conn.close()


def _result(message: tuple[Any, ...]) -> JobResult:
    if message[0] == "ok":
        return JobResult(message[1], message[2])
    if message[0] == "memory":
        raise JobFailed("memory", "ran out of its memory limit", message[1])
    _, type_name, text, user_error, cpu = message
    raise JobError(type_name, text, user_error, cpu)


class WorkerPool:
    """``size`` worker processes shared by all requests, at most ``max_queue`` waiting.

    ``preload``: functions (``"module:function"``) each new worker runs before its first job.
    ``jobs_per_worker``: a worker is replaced after this many jobs.
    """

    def __init__(
        self,
        size: int,
        memory_bytes: int,
        max_queue: int,
        preload: tuple[str, ...] = (),
        jobs_per_worker: int = JOBS_PER_WORKER,
    ) -> None:
        self.size = size
        self.memory_bytes = memory_bytes
        self.max_queue = max_queue
        self.preload = preload
        self.jobs_per_worker = jobs_per_worker
        self._idle: list[Worker] = []
        self._closing: list[Worker] = []  # dead workers, joined from a thread
        self._lock = threading.Lock()
        self._slots: anyio.Semaphore | None = None
        self._waiting = 0

    def start(self) -> None:
        """Start the workers now (else on first use): the first job does not wait for them."""
        with self._lock:
            while len(self._idle) < self.size:
                self._idle.append(Worker(self.memory_bytes, self.preload, self.jobs_per_worker))

    async def run_once(self, target: str) -> Any:
        """``target()`` in a worker without limits that matter (start-up questions)."""
        limits = JobLimits(cpu_seconds=STARTUP_SECONDS, wall_seconds=STARTUP_SECONDS)
        return (await self.run(target, (), limits)).value

    def close(self) -> None:
        with self._lock:
            workers, self._idle, self._closing = self._idle + self._closing, [], []
        for worker in workers:
            worker.close()

    def _idle_worker(self) -> Worker | None:
        """A started worker ready for a job, without blocking (None: one must be started)."""
        with self._lock:
            while self._idle:
                worker = self._idle.pop()
                if worker.usable:
                    return worker
                self._closing.append(worker)
        return None

    def _take(self) -> Worker:
        """An idle worker, or a new one (blocking: call from a thread)."""
        with self._lock:
            closing, self._closing = self._closing, []
        for worker in closing:
            worker.close()
        return self._idle_worker() or Worker(self.memory_bytes, self.preload, self.jobs_per_worker)

    def _give_back(self, worker: Worker) -> None:
        with self._lock:
            if worker.usable:
                self._idle.append(worker)
            else:  # joined by the next _take, in a thread: never block the event loop
                worker.kill()
                self._closing.append(worker)

    async def run(
        self,
        target: str,
        args: tuple[Any, ...],
        limits: JobLimits,
        disconnected: Callable[[], Awaitable[bool]] | None = None,
    ) -> JobResult:
        """Run ``target(*args)`` (``"module:function"``) in a worker, within ``limits``."""
        if self._slots is None:
            self._slots = anyio.Semaphore(self.size)
        if self._waiting >= self.max_queue + self.size:
            raise PoolBusy(f"all {self.size} workers are busy and {self.max_queue} jobs wait")
        self._waiting += 1
        try:
            async with self._slots:
                return await self._run_on_worker(target, args, limits, disconnected)
        finally:
            self._waiting -= 1

    async def _run_on_worker(
        self,
        target: str,
        args: tuple[Any, ...],
        limits: JobLimits,
        disconnected: Callable[[], Awaitable[bool]] | None,
    ) -> JobResult:
        idle = self._idle_worker()
        worker = idle if idle is not None else await anyio.to_thread.run_sync(self._take)
        outcome: JobResult | JobError | JobFailed
        try:
            async with anyio.create_task_group() as group:
                if disconnected is not None:
                    group.start_soon(_kill_on_disconnect, worker, disconnected)
                try:
                    outcome = await worker.call_async(target, args, limits)
                except (JobError, JobFailed) as exc:
                    outcome = exc  # raised outside the task group, not as an ExceptionGroup
                finally:
                    group.cancel_scope.cancel()
        except BaseException:
            worker.kill(cancelled=True)  # never leave a job running for nobody
            raise
        finally:
            self._give_back(worker)
        if isinstance(outcome, JobResult):
            return outcome
        raise outcome


async def _kill_on_disconnect(worker: Worker, disconnected: Callable[[], Awaitable[bool]]) -> None:
    while not await disconnected():
        await anyio.sleep(0.2)
    worker.kill(cancelled=True)
