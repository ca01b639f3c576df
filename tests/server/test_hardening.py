"""Findings of the hostile-conditions review, one test each: body limits on the stream, the
JSON error contract, empty idempotency keys, /metrics, anonymous floods, admin input."""

from __future__ import annotations

import asyncio
import json

import httpx
import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from tests.server.conftest import bearer


def test_a_chunked_body_over_the_limit_is_refused_before_auth_without_reading_it(make_env):
    env = make_env(max_body_bytes=10_000)
    sent = 0

    async def chunks():  # type: ignore[no-untyped-def]
        nonlocal sent
        for _ in range(1000):  # 10 MB in 10 KB chunks, no Content-Length
            sent += 10_000
            yield b"x" * 10_000

    async def post() -> httpx.Response:
        transport = httpx.ASGITransport(app=env.app)
        async with httpx.AsyncClient(transport=transport, base_url="http://t") as c:
            return await c.post("/v1/generate", content=chunks())

    response = asyncio.run(post())
    assert response.status_code == 413  # not 401: the body limit comes first
    assert "limit is 10,000" in response.json()["detail"]
    assert sent < 100_000  # it stopped reading at the limit


def test_unknown_paths_bad_methods_and_bugs_answer_json_sentences(env, monkeypatch):
    c = TestClient(env.app, raise_server_exceptions=False)
    missing = c.get("/v2/nothing")
    assert missing.status_code == 404 and "/docs" in missing.json()["detail"]
    wrong = c.delete("/v1/generate")
    assert wrong.status_code == 405 and "DELETE" in wrong.json()["detail"]
    deep = c.post(
        "/v1/generate",
        content=b'{"prompt": ' + b"[" * 100_000 + b"]" * 100_000 + b"}",
        headers={"Content-Type": "application/json"},
    )
    assert deep.status_code in (400, 422) and deep.json()["detail"].endswith(".")
    user = env.user()

    def bug(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise ZeroDivisionError("a bug")

    monkeypatch.setattr(env.app.state.service.billing, "_reserve", bug)
    crashed = c.post("/v1/generate", json={"prompt": "Bell"}, headers=bearer(user["api_key"]))
    assert crashed.status_code == 500
    assert crashed.json()["detail"].startswith("The server failed on this request (id ")
    assert crashed.headers["content-type"] == "application/json"


def test_an_empty_idempotency_key_is_422_and_charges_nothing(env):
    user = env.user()
    response = TestClient(env.app).post(
        "/v1/generate",
        json={"prompt": "Bell"},
        headers=bearer(user["api_key"]) | {"Idempotency-Key": "  "},
    )
    assert response.status_code == 422 and "Idempotency-Key header is empty" in response.text
    assert env.assistant.calls == 0 and env.ledger_count() == 1


def test_metrics_are_for_this_machine_or_the_token_holder(make_env):
    env = make_env()
    local = TestClient(env.app, client=("127.0.0.1", 5000))
    remote = TestClient(env.app, client=("203.0.113.9", 5000))
    assert local.get("/metrics").status_code == 200
    refused = remote.get("/metrics")
    assert refused.status_code == 403 and "BIOQL_METRICS_TOKEN" in refused.json()["detail"]
    assert "bioql_charged_usd" not in refused.text

    guarded = make_env(metrics_token="s3cret")
    remote = TestClient(guarded.app, client=("203.0.113.9", 5000))
    assert remote.get("/metrics").status_code == 401
    assert remote.get("/metrics", headers=bearer("wrong")).status_code == 401
    assert remote.get("/metrics", headers=bearer("s3cret")).status_code == 200


def test_requests_without_a_valid_key_are_rate_limited_per_address(make_env):
    env = make_env(anonymous_rate_limit_per_minute=3)
    attacker = TestClient(env.app, client=("198.51.100.7", 1))
    statuses = [
        attacker.post("/v1/generate", json={"prompt": "x"}, headers=bearer("bioql_" + "g" * 43))
        for _ in range(5)
    ]
    assert [r.status_code for r in statuses] == [401, 401, 401, 429, 429]
    assert statuses[-1].headers["Retry-After"] and "this address" in statuses[-1].json()["detail"]
    other = TestClient(env.app, client=("198.51.100.8", 1))
    assert other.get("/v1/account").status_code == 401  # another address has its own bucket
    user = env.user()  # a valid key from the flooded address is not blocked
    assert attacker.get("/v1/account", headers=bearer(user["api_key"])).status_code == 200


@pytest.mark.parametrize(
    ("amount", "fragment"),
    [
        ("1e10", "more than $1,000,000"),
        ("9" * 400, "more than $1,000,000"),
        ("NaN", "zero or more dollars"),
        ("ten", "not a number"),
    ],
)
def test_admin_credit_with_a_hostile_amount_is_a_sentence(_isolated_bioql_home, amount, fragment):
    from bioql.cli import app as cli

    runner = CliRunner()
    runner.invoke(cli, ["admin", "create-user", "--email", "a@b.org"])
    result = runner.invoke(
        cli, ["admin", "credit", "--email", "a@b.org", "--amount", amount, "--reference", "r"]
    )
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert fragment in result.output
    as_json = runner.invoke(
        cli,
        ["admin", "credit", "--email", "a@b.org", "--amount", amount, "--reference", "r", "--json"],
    )
    assert fragment in json.loads(as_json.stdout)["error"]


def test_the_sqlite_file_is_private_to_its_owner(make_env, tmp_path):
    env = make_env(url=f"sqlite:///{tmp_path / 'private.db'}")
    env.user()
    for suffix in ("", "-wal", "-shm"):
        path = tmp_path / f"private.db{suffix}"
        if path.exists():
            assert path.stat().st_mode & 0o077 == 0, path
