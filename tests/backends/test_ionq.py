"""IonQ through qiskit-ionq, against a local HTTP stand-in that speaks IonQ's REST protocol."""

from __future__ import annotations

import pytest

from bioql.backends.ionq import sdk_backend_name
from bioql.errors import (
    BioQLBackendError,
    BioQLCredentialsError,
    BioQLResourceError,
    BioQLValueError,
)
from bioql.runtime import execute
from tests.backends.ionq_standin import IonQStandIn
from tests.backends.programs import bell, ghz, qft, x_on

FAST = {"poll_interval": 0.02, "timeout": 30}


@pytest.fixture
def ionq(monkeypatch):
    api = IonQStandIn(api_key="k-123", polls_before_done=2)
    url = api.start()
    monkeypatch.setenv("IONQ_API_KEY", "k-123")
    monkeypatch.setenv("IONQ_API_URL", url)  # qiskit-ionq's qubit lookup reads only this
    yield api
    api.stop()


def test_simulator_job_life_cycle_and_seeded_counts(ionq):
    result = execute(bell(), "ionq_simulator", shots=1000, seed=3, **FAST)
    assert set(result.counts) == {"00", "11"}
    assert sum(result.counts.values()) == 1000
    assert abs(result.probabilities["00"] - 0.5) < 0.06
    (job,) = ionq.jobs.values()
    assert result.details["job_id"] == job.id
    assert job.polls >= 3  # ready, started, completed: the adapter waited for the job
    body = job.body
    assert body["backend"] == "simulator" and body["shots"] == 1000
    assert body["noise"]["model"] == "ideal"
    assert body["input"]["circuit"][0] == {"gate": "h", "targets": [0]}
    assert body["input"]["circuit"][1] == {"gate": "x", "controls": [0], "targets": [1]}
    # Same seed, same sampled counts (qiskit-ionq samples the returned probabilities).
    assert execute(bell(), "ionq_simulator", shots=1000, seed=3, **FAST).counts == result.counts


def test_bit_order_on_ionq(ionq):
    assert execute(x_on(1, 2), "ionq_simulator", shots=100, seed=1, **FAST).counts == {"01": 100}
    assert execute(x_on(0, 3), "ionq_simulator", shots=100, seed=1, **FAST).counts == {"100": 100}


def test_qpu_probabilities_become_counts(ionq):
    # On a QPU qiskit-ionq turns the returned histogram into counts as round(p * shots).
    result = execute(bell(), "ionq_aria-1", shots=1000, **FAST)
    assert result.counts == {"00": 500, "11": 500}
    assert next(iter(ionq.jobs.values())).body["backend"] == "qpu.aria-1"


def test_non_clifford_circuit_is_sent_in_plain_gates(ionq):
    result = execute(qft(3), "ionq_simulator", shots=2000, seed=5, **FAST)
    assert len(result.counts) == 8  # QFT of |000> is uniform
    gates = {g["gate"] for g in next(iter(ionq.jobs.values())).body["input"]["circuit"]}
    assert gates <= {"x", "y", "z", "h", "s", "si", "t", "ti", "rx", "ry", "rz", "swap"}


def test_noise_model_option_is_sent_for_the_simulator(ionq):
    execute(bell(), "ionq_simulator", shots=10, noise_model="aria-1", **FAST)
    assert next(iter(ionq.jobs.values())).body["noise"]["model"] == "aria-1"
    with pytest.raises(BioQLValueError, match="noise_model"):
        execute(bell(), "ionq_qpu", noise_model="aria-1", **FAST)


def test_device_size_is_read_from_the_api(ionq):
    with pytest.raises(BioQLResourceError, match="only 25"):
        execute(ghz(26), "ionq_aria-1", **FAST)


def test_wrong_key_is_a_credentials_error(ionq, monkeypatch):
    monkeypatch.setenv("IONQ_API_KEY", "wrong")
    with pytest.raises(BioQLCredentialsError, match="IONQ_API_KEY"):
        execute(bell(), "ionq_simulator", **FAST)


def test_missing_key_names_the_variable(monkeypatch):
    monkeypatch.delenv("IONQ_API_KEY", raising=False)
    with pytest.raises(BioQLCredentialsError, match="IONQ_API_KEY"):
        execute(bell(), "ionq_simulator")


def test_unreachable_api_is_reported(monkeypatch):
    monkeypatch.setenv("IONQ_API_KEY", "k")
    monkeypatch.setenv("IONQ_API_URL", "http://127.0.0.1:9/v0.4")  # nothing listens on port 9
    with pytest.raises(BioQLBackendError, match="Could not reach the IonQ API"):
        execute(bell(), "ionq_simulator")


def test_backend_names():
    assert sdk_backend_name("ionq_simulator") == "simulator"
    assert sdk_backend_name("ionq_qpu") == "qpu"
    assert sdk_backend_name("ionq_aria-1") == "qpu.aria-1"
    assert sdk_backend_name("ionq_forte_1") == "qpu.forte-1"
    assert sdk_backend_name("ionq_forte1") == "qpu.forte-1"
