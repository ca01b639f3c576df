"""The adversarial corpus against every endpoint that reads text, with the real template
assistant in its worker processes (as ``bioql serve`` runs it): each input is answered with JSON within its budget, nothing crashes, and /health
keeps answering within a second the whole time."""

from __future__ import annotations

import asyncio
import time
from typing import Any

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


async def _health_poller(client: httpx.AsyncClient, polls: list[tuple[int, float]]) -> None:
    while True:
        start = time.perf_counter()
        response = await client.get("/health")
        polls.append((response.status_code, time.perf_counter() - start))
        await asyncio.sleep(0.1)


async def _send_all(
    app: Any, key: str
) -> tuple[list[tuple[Case, httpx.Response, float]], list[tuple[int, float]]]:  # type: ignore[no-untyped-def]
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://t", timeout=120) as c:
        await app.state.service.assistant.info()  # loaded, as after start-up
        polls: list[tuple[int, float]] = []
        poller = asyncio.create_task(_health_poller(c, polls))
        results = []
        for case in CORPUS:
            start = time.perf_counter()
            response = await c.post(PATHS[case.endpoint], json=case.body(), headers=bearer(key))
            results.append((case, response, time.perf_counter() - start))
        poller.cancel()
    return results, polls


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
    assert health and {status for status, _ in health} == {200}
    assert max(seconds for _, seconds in health) < 1.0
