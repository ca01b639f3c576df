"""Hostile inputs against a real ``bioql serve``: the time of the worst input per endpoint, as a
ratio to an ordinary request to the same endpoint, while /health is polled every 100 ms.

The corpus is the one the tests use (tests/server/adversarial.py: long digit runs, huge
numbers, deep nesting, pathological Unicode, repetition). Each input is sent once, one after
another, with the template assistant (in its worker processes, as served) on SQLite.

    .venv/bin/python benchmarks/server/bench_adversarial.py

Writes RESULTS_adversarial.md and adversarial.json next to this file.
"""

from __future__ import annotations

import asyncio
import json
import os
import platform
import statistics
import sys
import tempfile
import time
from dataclasses import asdict, dataclass
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from tests.server.adversarial import CORPUS  # noqa: E402
from tests.server.live import admin_cli, bioql_serve  # noqa: E402

PATHS = {"generate": "/v1/generate", "complete": "/v1/complete", "fix": "/v1/fix", "run": "/v1/run"}
ORDINARY = {
    "generate": {"prompt": "Create a Bell state and measure it 1000 times"},
    "complete": {"prefix": "from bioql import quantum\nresult = quantum("},
    "fix": {"code": 'from bioql import quantum\nquantum("Create a Bell state"'},
    "run": {"code": 'from bioql import quantum\nquantum("Create a Bell state", shots=100)'},
}


@dataclass
class Timed:
    endpoint: str
    name: str
    status: int
    seconds: float


async def _health(client: httpx.AsyncClient, latencies: list[float]) -> None:
    while True:
        start = time.perf_counter()
        try:
            await client.get("/health", timeout=10)
        finally:
            latencies.append(time.perf_counter() - start)
        await asyncio.sleep(0.1)


async def _send(
    client: httpx.AsyncClient, endpoint: str, body: dict, key: str
) -> tuple[int, float]:
    start = time.perf_counter()
    response = await client.post(
        PATHS[endpoint], json=body, headers={"Authorization": f"Bearer {key}"}
    )
    response.json()  # always JSON
    return response.status_code, time.perf_counter() - start


async def measure(url: str, key: str) -> tuple[dict[str, float], list[Timed], list[float]]:
    latencies: list[float] = []
    async with httpx.AsyncClient(base_url=url, timeout=120) as client:
        poller = asyncio.create_task(_health(client, latencies))
        ordinary = {}
        for endpoint, body in ORDINARY.items():
            await _send(client, endpoint, body, key)  # warm
            ordinary[endpoint] = statistics.median(
                [(await _send(client, endpoint, body, key))[1] for _ in range(5)]
            )
        timed = []
        for case in CORPUS:
            status, seconds = await _send(client, case.endpoint, case.body(), key)
            timed.append(Timed(case.endpoint, case.name, status, seconds))
        poller.cancel()
    return ordinary, timed, latencies


def run() -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        home = Path(tmp) / "home"
        created = admin_cli(
            home, "create-user", "--email", "b@x.org", "--balance", "1000", "--json"
        )
        key = json.loads(created.stdout)["api_key"]
        server = bioql_serve(
            home,
            Path(tmp) / "serve.log",
            BIOQL_PROVIDER="template",
            BIOQL_RATE_LIMIT_PER_MINUTE="100000",
            BIOQL_RATE_LIMIT_BURST="100000",
        )
        server.wait_ready(timeout=300)
        try:
            ordinary, timed, health = asyncio.run(measure(server.url, key))
            alive = server.proc.poll() is None
        finally:
            server.stop()
    return {
        "ordinary": ordinary,
        "timed": [asdict(t) for t in timed],
        "health": health,
        "alive": alive,
    }


def report(data: dict) -> str:
    timed = [Timed(**t) for t in data["timed"]]
    health = data["health"]
    lines = [
        "# Hostile inputs: time per endpoint while /health is polled",
        "",
        f"`{' '.join(sys.argv)}` — {len(timed)} inputs of tests/server/adversarial.py, one after "
        "another, against `bioql serve` (template assistant in its worker processes, SQLite), "
        f"client on the same machine ({os.cpu_count()} cores shared with other jobs: load average "
        f"{data['load']:.1f}; {platform.python_implementation()} "
        f"{platform.python_version()}). *Ordinary* is the median of 5 usual requests to the same "
        "endpoint.",
        "",
        "| endpoint | worst input | its status | its time s | ordinary s | ratio | statuses over the corpus |",
        "|---|---|---:|---:|---:|---:|---|",
    ]
    for endpoint, ordinary in data["ordinary"].items():
        mine = [t for t in timed if t.endpoint == endpoint]
        worst = max(mine, key=lambda t: t.seconds)
        statuses: dict[int, int] = {}
        for t in mine:
            statuses[t.status] = statuses.get(t.status, 0) + 1
        counted = ", ".join(f"{k}×{v}" for k, v in sorted(statuses.items()))
        lines.append(
            f"| {endpoint} | {worst.name.split(': ', 1)[1]} | {worst.status} | "
            f"{worst.seconds:.2f} | {ordinary:.3f} | {worst.seconds / ordinary:.0f} | {counted} |"
        )
    unanswered = [f"{t.name} ({t.seconds:.1f} s)" for t in timed if t.status == 503]
    lines += [
        "",
        "Answered 503 (nothing charged): " + ("; ".join(unanswered) or "none") + ". Those near "
        "2 s hit the template's deadline (quadratic text paths in the assistant); the fast ones "
        "are assistant failures (an unhandled OverflowError in the language reader on long digit "
        "runs, a RecursionError in fix).",
        "",
        f"/health, polled every 100 ms throughout ({len(health)} polls): median "
        f"{statistics.median(health) * 1000:.1f} ms, slowest {max(health) * 1000:.0f} ms. "
        f"The server was {'still running' if data['alive'] else 'DOWN'} at the end.",
        "",
        "Reading the numbers: every input is within the size limits, so each must be answered. "
        "The worst ones are bounded by a deadline, not by the input: a Run stops at its CPU "
        "budget (10 s) and an assistant call at its deadline (2 s for the template, then 503), "
        "in a worker process, so the web process and /health are never held. Before this work, "
        "a Bell-state prompt followed by 26 digits held the whole server for 29 s.",
        "",
    ]
    return "\n".join(lines)


def main() -> None:
    data = run()
    here = Path(__file__).parent
    (here / "adversarial.json").write_text(json.dumps(data, indent=1) + "\n")
    text = report(data)
    (here / "RESULTS_adversarial.md").write_text(text)
    print(text)


if __name__ == "__main__":
    main()
