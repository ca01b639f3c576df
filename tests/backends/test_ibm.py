"""ibm_<device>: SamplerV2 on an ISA circuit, offline through qiskit-ibm-runtime's local mode.

The tests replace the account lookup (``bioql.backends.ibm.service_factory``) with a service
whose devices are fake backends; ``SamplerV2(mode=<fake backend>)`` then runs in local testing
mode, through the same transpile → sample → counts code as real hardware.
"""

from __future__ import annotations

import json

import pytest

from bioql.backends import fake, ibm
from bioql.circuits.ir import Gate, Step
from bioql.errors import BioQLBackendError, BioQLCredentialsError, BioQLResourceError
from bioql.runtime import execute
from tests.backends.programs import bell, ghz


class LocalService:
    """Stands in for QiskitRuntimeService: ibm_<x> → qiskit-ibm-runtime's Fake<X>."""

    def __init__(self) -> None:
        self.asked: list[str] = []

    def backend(self, name: str):
        self.asked.append(name)
        fake_name = "fake_" + name.removeprefix("ibm_")
        if fake_name not in fake.fake_device_classes():
            raise ValueError(f"No backend matches the criteria: {name}")
        # One instance per device per process: a fake device builds its noise model on first use.
        return fake.fake_device(fake_name)


@pytest.fixture
def service(monkeypatch):
    svc = LocalService()
    monkeypatch.setattr(ibm, "service_factory", lambda: svc)
    return svc


@pytest.fixture
def no_credentials(monkeypatch, tmp_path):
    monkeypatch.delenv(ibm.TOKEN_ENV, raising=False)
    monkeypatch.setenv("HOME", str(tmp_path))  # no saved account either


def bell_plus_x_on_2():
    """Bell pair on qubits 0,1 and X on qubit 2: outcomes 001 and 111 (qubit 0 leftmost)."""
    p = bell()
    p.num_qubits, p.measured = 3, (0, 1, 2)
    p.steps.append(Step("gate", "X on qubit 2", (Gate("x", (2,)),)))
    return p


@pytest.mark.slow
def test_sampler_v2_runs_an_isa_circuit_in_local_mode(service):
    # One run only: local mode deep-copies the fake backend per job, rebuilding its noise model.
    result = execute(bell_plus_x_on_2(), "ibm_brisbane", shots=1000, seed=7)
    assert service.asked == ["ibm_brisbane"]
    assert result.details["local_testing_mode"] is True
    assert result.details["job_id"]
    assert sum(result.counts.values()) == 1000
    assert result.most_likely in {"001", "111"}
    assert (result.counts.get("001", 0) + result.counts.get("111", 0)) / 1000 > 0.8
    # Transpiled by the preset pass manager for the device: only its native gates remain.
    assert set(result.executed_circuit.count_ops()) <= {"ecr", "rz", "sx", "x", "measure"}


def test_device_too_small(service):
    with pytest.raises(BioQLResourceError, match="only 5"):
        execute(ghz(7), "ibm_athens")


def test_unknown_device(service):
    with pytest.raises(BioQLBackendError, match="no device 'ibm_nowhere'"):
        execute(bell(), "ibm_nowhere")


def test_missing_credentials_name_the_variable(no_credentials):
    with pytest.raises(BioQLCredentialsError, match="IBM_QUANTUM_TOKEN"):
        execute(bell(), "ibm_brisbane")
    assert ibm.credential_status() is not None


def test_saved_account_or_token_counts_as_a_credential(no_credentials, monkeypatch, tmp_path):
    path = tmp_path / ".qiskit" / "qiskit-ibm.json"
    path.parent.mkdir()
    path.write_text(json.dumps({"default-ibm-quantum-platform": {
        "channel": "ibm_quantum_platform", "token": "x"}}))  # fmt: skip
    assert ibm.has_saved_account()
    path.unlink()
    assert not ibm.has_saved_account()
    monkeypatch.setenv(ibm.TOKEN_ENV, "abc")
    assert ibm.credential_status() is None
