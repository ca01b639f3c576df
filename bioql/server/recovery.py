"""Crash recovery: which process holds a reservation, and the sweeper that frees dead ones.

Every hold names the server process that took it as ``host:pid:start-time`` (the start time
tells a reused pid apart). When the service starts, and every ``interval`` seconds after, holds
whose process is gone from this host are released at once; holds of other hosts are released
when their lease ends (see ``Billing.sweep``).
"""

from __future__ import annotations

import contextlib
import logging
import os
import socket
from functools import cache

import anyio

from bioql.server.billing import Billing

log = logging.getLogger("bioql.server")
SWEEP_INTERVAL_SECONDS = 30.0


def _start_time(pid: int) -> str | None:
    """The process's start time in clock ticks since boot (/proc/PID/stat field 22)."""
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii", errors="replace") as handle:
            stat = handle.read()
    except OSError:
        return None
    # The command name (field 2) may hold spaces: count fields after its closing parenthesis.
    return stat.rsplit(")", 1)[1].split()[19]


@cache
def _host() -> str:
    return socket.gethostname()


def process_identity() -> str:
    pid = os.getpid()
    return f"{_host()}:{pid}:{_start_time(pid) or '?'}"


def owner_alive(owner: str) -> bool:
    """False only when ``owner`` is a process of this host that is certainly gone."""
    parts = owner.rsplit(":", 2)
    if len(parts) != 3:
        return True
    host, pid, started = parts
    if host != _host() or not pid.isdigit() or started == "?":
        return True
    return _start_time(int(pid)) == started


def sweep_once(billing: Billing) -> None:
    report = billing.sweep(owner_alive)
    if report.holds or report.idempotency_records:
        log.warning(
            "released %d reservation(s) of requests that died; forgot %d idempotency record(s)",
            report.holds,
            report.idempotency_records,
        )


async def sweep_forever(billing: Billing, interval: float = SWEEP_INTERVAL_SECONDS) -> None:
    """The background sweeper; a database that is busy or down is tried again next time."""
    while True:
        await anyio.sleep(interval)
        with contextlib.suppress(Exception):
            await anyio.to_thread.run_sync(sweep_once, billing)
