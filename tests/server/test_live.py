"""The service as users run it: a real uvicorn process over TCP."""

from __future__ import annotations

import asyncio
import json
from collections import Counter
from pathlib import Path

import httpx
import pytest

from tests.server.live import admin_cli, bioql_serve, uvicorn_fake

pytestmark = pytest.mark.slow


def test_bioql_serve_end_to_end_with_the_real_assistant_and_a_restart(tmp_path):
    home = tmp_path / "home"
    server = bioql_serve(home, tmp_path / "serve1.log", BIOQL_PROVIDER="template")
    try:
        server.wait_ready(read_first_line=True)
        startup = json.loads(server.first_line)
        admin = startup["admin"]
        assert admin["email"] == "admin@localhost" and "api_key" not in admin
        key_file = Path(admin["api_key_file"])
        assert key_file.stat().st_mode & 0o777 == 0o600
        key = key_file.read_text().strip()
        assert key.startswith("bioql_")
        with httpx.Client(base_url=server.url, timeout=60) as c:
            health = c.get("/health").json()
            assert health["status"] == "ok" and health["assistant"]["pricing_unit"] == "second"
            body = {
                "api_key": key,
                "prompt": "Create a Bell state and measure it 1000 times",
                "include_reasoning": True,
                "max_length": 256,
                "temperature": 0.0,
            }
            answer = c.post("/generate", json=body)
            assert answer.status_code == 200, answer.text
            answer = answer.json()
            assert "quantum(" in answer["code"] and answer["model"] == health["assistant"]["model"]
            assert (
                answer["cost"]["markup_percent"] == 40.0
                and answer["cost"]["margin_percent"] == 28.57
            )
            auth = {"Authorization": f"Bearer {key}"}
            fixed = c.post(
                "/v1/fix",
                json={"code": 'from bioql import quantum\nquantum("Create a Bell state"'},
                headers=auth,
            )
            assert fixed.status_code == 200 and fixed.json()["changes"]
            completion = c.post(
                "/v1/complete",
                json={"prefix": "from bioql import quantum\nr = quantum("},
                headers=auth,
            )
            assert completion.status_code == 200
            assert c.post("/v1/generate", json={"prompt": "Bell"}).status_code == 401
            assert (
                c.post(
                    "/v1/generate",
                    content=b"{",
                    headers=auth | {"Content-Type": "application/json"},
                ).status_code
                == 422
            )
            account = c.get("/v1/account", headers=auth).json()
            balance = account["balance"]
            assert [t["kind"] for t in account["transactions"]] == [
                "charge",
                "charge",
                "charge",
                "credit",
            ]
            assert "bioql_http_requests_total" in c.get("/metrics").text
    finally:
        server.stop()
    assert key not in server.log_path.read_text() and key not in server.first_line
    database = home / "bioql.db"
    assert database.stat().st_mode & 0o777 == 0o600

    again = bioql_serve(home, tmp_path / "serve2.log", BIOQL_PROVIDER="template")
    try:
        again.wait_ready(read_first_line=True)
        assert json.loads(again.first_line)["admin"] is None  # created only on the first start
        account = httpx.get(
            again.url + "/v1/account", headers={"Authorization": f"Bearer {key}"}
        ).json()
        assert account["balance"] == balance
    finally:
        again.stop()
    verified = admin_cli(home, "ledger", "--verify", "--json")
    assert verified.returncode == 0, verified.stderr
    assert json.loads(verified.stdout) == {"users": 1, "entries": 4, "mismatches": []}


async def _forty(url: str, key: str) -> list[int]:
    async with httpx.AsyncClient(base_url=url, timeout=120) as c:
        responses = await asyncio.gather(
            *(
                c.post(
                    "/v1/generate",
                    json={"prompt": f"Bell {i}"},
                    headers={"Authorization": f"Bearer {key}"},
                )
                for i in range(40)
            )
        )
    return [r.status_code for r in responses]


@pytest.mark.parametrize(
    "backend", ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]
)
def test_forty_concurrent_requests_over_http_on_two_workers(tmp_path, request, backend):
    url = request.getfixturevalue("pg_url") if backend == "postgres" else None
    home = tmp_path / "home"
    # max charge 30 s × $0.000306 × 1.4 = $0.012852, and the fake bills exactly that
    created = admin_cli(
        home,
        "create-user",
        "--email",
        "c@example.org",
        "--balance",
        "0.06426",
        "--json",
        database_url=url,
    )
    assert created.returncode == 0, created.stderr
    key = json.loads(created.stdout)["api_key"]
    server = uvicorn_fake(home, tmp_path / "uvicorn.log", url, BIOQL_RATE_LIMIT_BURST="1000")
    try:
        server.wait_ready()
        statuses = asyncio.run(_forty(server.url, key))
    finally:
        server.stop()
    assert Counter(statuses) == {200: 5, 402: 35}
    users = json.loads(admin_cli(home, "users", "--json", database_url=url).stdout)
    assert users[0]["balance"] == 0
    verified = json.loads(admin_cli(home, "ledger", "--verify", "--json", database_url=url).stdout)
    assert verified == {"users": 1, "entries": 6, "mismatches": []}
