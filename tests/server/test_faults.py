"""Fault injection on SQLite and PostgreSQL: a held database lock, a database that is down,
a server killed with SIGKILL in the middle of a request, heavy simulations and a client that
goes away. The money must stay exact and the service must keep answering."""

from __future__ import annotations

import asyncio
import contextlib
import json
import signal
import sqlite3
import time

import httpx
import pytest
from fastapi.testclient import TestClient

from bioql.server.billing import verify
from tests.server.conftest import bearer
from tests.server.live import admin_cli, bioql_serve, uvicorn_fake


def _hold_lock(db_url: str, user_id: int):  # type: ignore[no-untyped-def]
    """Another client that takes the account's lock and keeps it (an operator's open session)."""
    if db_url.startswith("sqlite"):
        conn = sqlite3.connect(db_url.removeprefix("sqlite:///"), isolation_level=None)
        conn.execute("BEGIN IMMEDIATE")
        return conn
    import psycopg

    conn = psycopg.connect(db_url.replace("postgresql+psycopg", "postgresql"))
    conn.execute("SELECT * FROM users WHERE id = %s FOR UPDATE", (user_id,))
    return conn


def test_a_held_database_lock_is_a_json_503_within_the_timeout(make_env, db_url):
    env = make_env(db_url, db_timeout_seconds=1.0)
    user = env.user()
    client = TestClient(env.app)
    holder = _hold_lock(db_url, user["user_id"])
    try:
        start = time.monotonic()
        response = client.post(
            "/v1/generate", json={"prompt": "Bell"}, headers=bearer(user["api_key"])
        )
        waited = time.monotonic() - start
        health = client.get("/health")
    finally:
        holder.rollback()
        holder.close()
    assert response.status_code == 503 and response.headers["Retry-After"] == "2"
    assert "database is busy" in response.json()["detail"]
    assert waited < 10  # one second of lock timeout, not the minute it used to hang
    assert health.status_code == 200 and health.json()["database"]["ok"]
    assert env.assistant.calls == 0
    after = client.post("/v1/generate", json={"prompt": "Bell"}, headers=bearer(user["api_key"]))
    assert after.status_code == 200
    assert verify(env.db).mismatches == [] and env.ledger_count() == 2


def test_a_database_that_is_down_shows_in_health_and_answers_json_503(make_env):
    from bioql.server.app import create_app
    from bioql.server.config import load_settings
    from bioql.server.db import Database

    settings = load_settings().with_(database_url="postgresql+psycopg://nobody@127.0.0.1:9/x")
    db = Database(settings.database_url, timeout=1.0)
    from tests.server.fakes import FakeAssistant

    app = create_app(settings, assistant=FakeAssistant(), database=db, migrate=False)
    client = TestClient(app)
    health = client.get("/health")
    assert health.status_code == 503 and health.json()["database"]["ok"] is False
    response = client.post(
        "/v1/generate", json={"prompt": "Bell"}, headers=bearer("bioql_" + "k" * 43)
    )
    assert response.status_code == 503 and "database is unavailable" in response.json()["detail"]
    app.state.service.close()
    db.dispose()


@pytest.mark.slow
@pytest.mark.parametrize(
    "backend", ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]
)
def test_sigkill_mid_request_then_restart_releases_the_hold_and_the_retry_is_charged_once(
    tmp_path, request, backend
):
    url = request.getfixturevalue("pg_url") if backend == "postgres" else None
    home = tmp_path / "home"
    created = admin_cli(
        home,
        "create-user",
        "--email",
        "k@example.org",
        "--balance",
        "0.02",
        "--json",
        database_url=url,
    )
    key = json.loads(created.stdout)["api_key"]
    auth = {"Authorization": f"Bearer {key}", "Idempotency-Key": "order-42"}
    # The fake assistant takes 20 s, so the request is in flight when the server dies.
    first = uvicorn_fake(home, tmp_path / "a.log", url, workers=1, FAKE_DELAY="20")
    first.wait_ready()
    with httpx.Client(base_url=first.url, timeout=60) as c:
        assert c.get("/v1/account", headers=auth).json()["available_balance"] == 0.02
    try:
        with httpx.Client(base_url=first.url, timeout=2) as c:
            c.post("/v1/generate", json={"prompt": "Bell"}, headers=auth)
    except httpx.TimeoutException:
        pass
    first.proc.send_signal(signal.SIGKILL)
    first.proc.wait()
    first.stop()

    second = uvicorn_fake(home, tmp_path / "b.log", url, workers=1, FAKE_DELAY="0.1")
    second.wait_ready()
    try:
        with httpx.Client(base_url=second.url, timeout=60) as c:
            account = c.get("/v1/account", headers=auth).json()
            retry = c.post("/v1/generate", json={"prompt": "Bell"}, headers=auth)
            again = c.post("/v1/generate", json={"prompt": "Bell"}, headers=auth)
    finally:
        second.stop()
    assert account["available_balance"] == account["balance"] == 0.02  # the hold is gone
    assert retry.status_code == 200, retry.text
    assert again.status_code == 200 and again.headers["Idempotent-Replayed"] == "true"
    assert again.json() == retry.json()
    verified = json.loads(admin_cli(home, "ledger", "--verify", "--json", database_url=url).stdout)
    assert verified == {"users": 1, "entries": 2, "mismatches": []}  # the credit, one charge


async def _heavy_runs_and_health(
    url: str, keys: list[str]
) -> tuple[list[int], list[tuple[int, float]]]:
    heavy = 'quantum("Grover search for 10110110110110110 on 17 qubits", shots=10)'
    polls: list[tuple[int, float]] = []
    async with httpx.AsyncClient(base_url=url, timeout=120) as c:

        async def poll() -> None:
            while True:
                start = time.perf_counter()
                response = await c.get("/health", timeout=5)
                polls.append((response.status_code, time.perf_counter() - start))
                await asyncio.sleep(0.2)

        poller = asyncio.create_task(poll())
        responses = await asyncio.gather(
            *(
                c.post("/v1/run", json={"code": heavy}, headers={"Authorization": f"Bearer {k}"})
                for k in keys
                for _ in range(3)
            )
        )
        poller.cancel()
    return [r.status_code for r in responses], polls


@pytest.mark.slow
def test_concurrent_heavy_runs_neither_crash_nor_freeze_the_server(tmp_path):
    home = tmp_path / "home"
    keys = [
        json.loads(
            admin_cli(
                home, "create-user", "--email", f"u{i}@x.org", "--balance", "1", "--json"
            ).stdout
        )["api_key"]
        for i in range(2)
    ]
    server = bioql_serve(home, tmp_path / "serve.log", BIOQL_PROVIDER="template")
    server.wait_ready()
    try:
        statuses, health = asyncio.run(_heavy_runs_and_health(server.url, keys))
        # a client that goes away: its run is stopped, and charged for the time it ran
        with contextlib.suppress(httpx.TimeoutException):
            httpx.post(
                server.url + "/v1/run",
                json={"code": 'quantum("Grover search for 10110110110110110 on 17 qubits")'},
                headers={"Authorization": f"Bearer {keys[0]}"},
                timeout=1.5,
            )
        time.sleep(1.5)
        alive = server.proc.poll() is None
    finally:
        server.stop()
    assert alive
    # two runs per key at a time; the third of each key is told to wait
    assert sorted(statuses) == [200, 200, 200, 200, 429, 429]
    assert health and {status for status, _ in health} == {200}
    assert max(seconds for _, seconds in health) < 1.0
    rows = json.loads(admin_cli(home, "ledger", "--email", "u0@x.org", "--json").stdout)
    cancelled = next(r for r in rows if r["kind"] == "charge")  # newest first
    assert 0 < cancelled["compute_seconds"] < 4  # the full run needs about 7 CPU-seconds
    verified = json.loads(admin_cli(home, "ledger", "--verify", "--json").stdout)
    assert verified["mismatches"] == []
