"""The adversarial corpus against every endpoint that reads text, with the real template
assistant in its worker processes (as ``bioql serve`` runs it): each input is answered with JSON within its budget, nothing crashes, and /health
keeps answering within a second the whole time."""

from __future__ import annotations

import asyncio
import time

import httpx
import pytest

from bioql.server.accounts import Accounts
from bioql.server.app import create_app
from bioql.server.config import load_settings
from tests.server.adversarial import CORPUS, Case
from tests.server.conftest import bearer

pytestmark = pytest.mark.slow
# Per request. The template deadline is 2 s, a run's CPU budget 10 s: a request may use its
# deadline, never hang. (Before the fixes, one prompt took 29 s and froze the server.)
BUDGET_SECONDS = {"generate": 8.0, "complete": 8.0, "fix": 8.0, "run": 30.0}
PATHS = {"generate": "/v1/generate", "complete": "/v1/complete", "fix": "/v1/fix", "run": "/v1/run"}


async def _health_poller(client: httpx.AsyncClient, latencies: list[float]) -> None:
    while True:
        start = time.perf_counter()
        response = await client.get("/health")
        latencies.append(time.perf_counter() - start)
        assert response.status_code == 200, response.text
        await asyncio.sleep(0.1)


async def _send_all(app, key: str) -> tuple[list[tuple[Case, httpx.Response, float]], list[float]]:  # type: ignore[no-untyped-def]
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://t", timeout=120) as c:
        latencies: list[float] = []
        poller = asyncio.create_task(_health_poller(c, latencies))
        results = []
        for case in CORPUS:
            start = time.perf_counter()
            response = await c.post(PATHS[case.endpoint], json=case.body(), headers=bearer(key))
            results.append((case, response, time.perf_counter() - start))
        poller.cancel()
    return results, latencies


@pytest.fixture
def served(monkeypatch, sqlite_url):  # type: ignore[no-untyped-def]
    """The app as ``bioql serve`` builds it: the template assistant in worker processes."""
    monkeypatch.setenv("BIOQL_PROVIDER", "template")
    settings = load_settings().with_(
        database_url=sqlite_url, rate_limit_per_minute=10_000, rate_limit_burst=10_000
    )
    app = create_app(settings)
    yield app, Accounts(app.state.service.db, settings)
    app.state.service.close()
    app.state.service.db.dispose()


def test_every_hostile_input_gets_a_json_answer_in_time_and_health_stays_up(served):
    app, accounts = served
    user = accounts.create_user("ada@example.org", "100")
    results, health = asyncio.run(_send_all(app, user["api_key"]))
    problems = []
    for case, response, seconds in results:
        body = response.json()  # JSON whatever happened
        if response.status_code not in (200, 413, 422, 503):
            problems.append(f"{case.name}: HTTP {response.status_code} {body}")
        elif response.status_code != 200 and not body["detail"].endswith((".", ".)")):
            problems.append(f"{case.name}: not a sentence: {body['detail']!r}")
        if seconds > BUDGET_SECONDS[case.endpoint]:
            problems.append(f"{case.name}: {seconds:.1f} s")
    assert problems == []
    assert health and max(health) < 1.0
