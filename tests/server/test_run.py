"""POST /v1/run: quantum() calls found by parsing, run in worker processes within fixed limits,
charged per CPU-second."""

from __future__ import annotations

import asyncio
from collections import Counter

import httpx
from fastapi.testclient import TestClient

from bioql.language import compile_description
from bioql.server.billing import verify
from bioql.server.config import RunLimits
from tests.server.conftest import bearer

PROGRAM = """
from bioql import quantum, dock
import os

result = quantum("Create a Bell state", backend="ibm_torino", shots=100000)
other = quantum(os.environ["DESCRIPTION"])
dock("dock aspirin", ligand_smiles="CC(=O)Oc1ccccc1C(=O)O")
os.system("rm -rf /")
"""
# About 7 CPU-seconds of statevector simulation (Grover on 17 qubits).
HEAVY = 'quantum("Grover search for 10110110110110110 on 17 qubits", shots=10)'


def test_run_executes_quantum_calls_on_the_simulator_and_charges_their_cpu_time(make_env):
    env = make_env(run=RunLimits(max_shots=500))
    user = env.user()
    response = TestClient(env.app).post(
        "/v1/run", json={"code": PROGRAM}, headers=bearer(user["api_key"])
    )
    assert response.status_code == 200, response.text
    body = response.json()
    [run] = body["runs"]
    assert run["backend"] == "simulator" and run["shots"] == 500 and run["line"] == 5
    assert "capped at 500" in run["note"] and "'ibm_torino' replaced" in run["note"]
    assert set(run["counts"]) == {"00", "11"} and sum(run["counts"].values()) == 500
    assert run["reading"] == compile_description(run["description"]).reading  # "Interpreted as"
    reasons = {s["line"]: s["reason"] for s in body["skipped"]}
    assert "not a literal string" in reasons[6] and "dock() is not run" in reasons[7]
    # billed like generation: the worker's CPU time, at most the 10-second reservation
    assert 0 < body["cost"]["user_cost_usd"] < 10 * 0.000306 * 1.4
    assert env.ledger_count() == 2 and verify(env.db).mismatches == []
    assert body["user"]["balance"] == env.balance_nano(user["user_id"]) / 1e9


def test_fixed_limits_refuse_big_programs_whatever_the_host_memory(make_env):
    env = make_env(run=RunLimits(max_qubits=12, max_gates=400))
    user = env.user()
    code = "\n".join(
        [
            'quantum("Quantum Fourier transform on 13 qubits")',
            'quantum("Create a 201-qubit GHZ state")',
            'quantum("Grover search for 1011011011 on 10 qubits")',
            'quantum("Create a 150-qubit GHZ state", shots=10)',
        ]
    )
    response = TestClient(env.app).post(
        "/v1/run", json={"code": code}, headers=bearer(user["api_key"])
    )
    runs = response.json()["runs"]
    assert "13 qubits" in runs[0]["error"] and "at most 12" in runs[0]["error"]
    assert "201 qubits" in runs[1]["error"] and "at most 200" in runs[1]["error"]
    assert "gates" in runs[2]["error"] and "at most 400" in runs[2]["error"]
    assert runs[3]["counts"] and set(runs[3]["counts"]) <= {"0" * 150, "1" * 150}


def test_the_cpu_budget_stops_a_heavy_call_and_charges_at_most_the_budget(make_env):
    env = make_env(run=RunLimits(cpu_seconds=1, max_gates=100_000))
    user = env.user()
    code = f'{HEAVY}\nquantum("Create a Bell state")'
    response = TestClient(env.app).post(
        "/v1/run", json={"code": code}, headers=bearer(user["api_key"])
    )
    heavy, bell = response.json()["runs"]
    assert "stopped after 1 CPU-seconds" in heavy["error"]
    assert "not run" in bell["error"] or bell["counts"]
    # at most the 1-second budget: 0.000306 × 1.4 dollars
    assert response.json()["cost"]["user_cost_usd"] <= 0.000306 * 1.4


def test_errors_per_call_and_programs_without_calls(env):
    user = env.user()
    c = TestClient(env.app)
    key = bearer(user["api_key"])
    body = c.post(
        "/v1/run", json={"code": 'quantum("Make me a sandwich", shots=10)'}, headers=key
    ).json()
    assert "sandwich" in body["runs"][0]["error"] and "counts" not in body["runs"][0]
    none = c.post("/v1/run", json={"code": "print('hello')"}, headers=key)
    assert none.status_code == 422 and "no quantum() call" in none.json()["detail"]
    broken = c.post("/v1/run", json={"code": "quantum('Bell'"}, headers=key)
    assert broken.status_code == 422 and "not valid Python" in broken.json()["detail"]
    assert c.post("/v1/run", json={"code": 'quantum("Bell")'}).status_code == 401


def test_one_key_may_not_hold_more_runs_than_its_share(make_env):
    env = make_env(run=RunLimits(per_key=1, workers=2, max_gates=100_000, cpu_seconds=3))
    user = env.user()

    async def burst() -> list[httpx.Response]:
        transport = httpx.ASGITransport(app=env.app)
        async with httpx.AsyncClient(transport=transport, base_url="http://t", timeout=60) as c:
            return await asyncio.gather(
                *(
                    c.post("/v1/run", json={"code": HEAVY}, headers=bearer(user["api_key"]))
                    for _ in range(3)
                )
            )

    responses = asyncio.run(burst())
    statuses = Counter(r.status_code for r in responses)
    assert statuses == {200: 1, 429: 2}
    refused = next(r for r in responses if r.status_code == 429)
    assert "in progress" in refused.json()["detail"] and refused.headers["Retry-After"]
    assert env.ledger_count() == 2  # the credit and one charge
