"""The playground's Run endpoint: quantum() calls found by parsing, run on the local simulator."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.server.conftest import bearer

PROGRAM = """
from bioql import quantum, dock
import os

result = quantum("Create a Bell state", backend="ibm_torino", shots=100000)
other = quantum(os.environ["DESCRIPTION"])
dock("dock aspirin", ligand_smiles="CC(=O)Oc1ccccc1C(=O)O")
os.system("rm -rf /")
"""


def test_run_executes_quantum_calls_on_the_simulator_only(make_env):
    env = make_env(run_max_shots=500)
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
    assert run["most_likely"] in {"00", "11"}
    reasons = {s["line"]: s["reason"] for s in body["skipped"]}
    assert "not a literal string" in reasons[6] and "dock() is not run" in reasons[7]
    assert env.ledger_count() == 1  # runs are not billed


def test_run_reports_errors_per_call_and_rejects_programs_without_calls(env):
    user = env.user()
    c = TestClient(env.app)
    key = bearer(user["api_key"])
    body = c.post(
        "/v1/run", json={"code": 'quantum("Make me a sandwich", shots=10)'}, headers=key
    ).json()
    assert body["runs"][0]["error"] and body["runs"][0]["counts"] is None
    none = c.post("/v1/run", json={"code": "print('hello')"}, headers=key)
    assert none.status_code == 422 and "no quantum() call" in none.json()["detail"]
    broken = c.post("/v1/run", json={"code": "quantum('Bell'"}, headers=key)
    assert broken.status_code == 422 and "not valid Python" in broken.json()["detail"]
    assert c.post("/v1/run", json={"code": 'quantum("Bell")'}).status_code == 401
