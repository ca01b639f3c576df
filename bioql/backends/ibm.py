"""``ibm_<device>``: IBM Quantum hardware through qiskit-ibm-runtime's SamplerV2.

The circuit is transpiled for the device with a preset pass manager (ISA circuit), then
sampled with ``SamplerV2(mode=backend)``. The account lookup is :func:`service_factory`, a
module-level seam: tests replace it with a service whose ``backend()`` returns a fake device,
which puts SamplerV2 in qiskit-ibm-runtime's local testing mode on the same code path.

Credentials: ``IBM_QUANTUM_TOKEN`` (optionally ``IBM_QUANTUM_INSTANCE``, the instance CRN or
name), else the account saved with ``QiskitRuntimeService.save_account(...)``.
"""

from __future__ import annotations

import json
import os
import warnings
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from bioql.backends.base import Backend, Execution, Stopwatch, used_qubits
from bioql.backends.fake import fake_device_classes, optimization_level, restricted_noise_model
from bioql.backends.resources import check_device_size
from bioql.errors import BioQLBackendError, BioQLCredentialsError

if TYPE_CHECKING:
    from qiskit.providers import BackendV2
    from qiskit_ibm_runtime import QiskitRuntimeService

TOKEN_ENV = "IBM_QUANTUM_TOKEN"
INSTANCE_ENV = "IBM_QUANTUM_INSTANCE"
CHANNEL = "ibm_quantum_platform"


def saved_account_file() -> Path:
    """Where qiskit-ibm-runtime saves accounts (``QiskitRuntimeService.save_account``)."""
    return Path("~/.qiskit/qiskit-ibm.json").expanduser()


def has_saved_account() -> bool:
    # Read the file ourselves: the SDK's saved_accounts() creates it when it is missing.
    try:
        accounts = json.loads(saved_account_file().read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return any(isinstance(a, dict) and a.get("channel") != "ibm_quantum" for a in accounts.values())


def credential_status() -> str | None:
    """None when a credential is configured, else why not (for ``bioql backends``)."""
    if os.environ.get(TOKEN_ENV) or has_saved_account():
        return None
    return f"no IBM Quantum credential: set {TOKEN_ENV} or save an account"


def service_factory() -> QiskitRuntimeService:
    """The account's runtime service. Tests replace this function (the seam)."""
    reason = credential_status()
    if reason:
        raise BioQLCredentialsError(
            f"IBM Quantum backends need an API token: set the {TOKEN_ENV} environment variable "
            f"(and {INSTANCE_ENV} if your account has several instances), or save an account "
            "once with QiskitRuntimeService.save_account(token=..., set_as_default=True)."
        )
    from qiskit_ibm_runtime import QiskitRuntimeService

    token = os.environ.get(TOKEN_ENV)
    try:
        if token:
            return QiskitRuntimeService(
                channel=CHANNEL, token=token, instance=os.environ.get(INSTANCE_ENV) or None
            )
        return QiskitRuntimeService()
    except Exception as exc:  # the SDK raises many kinds for auth / network failures
        raise BioQLBackendError(f"Could not connect to IBM Quantum: {exc}") from exc


def _is_local(backend: BackendV2) -> bool:
    from qiskit_ibm_runtime.fake_provider.fake_backend import FakeBackendV2

    return isinstance(backend, FakeBackendV2)


class IBMBackend(Backend):
    options: Mapping[str, str] = {
        "optimization_level": "transpiler optimisation 0-3 (default 1)",
        "timeout": "seconds to wait for the job (default: no limit)",
    }

    def __init__(self, name: str) -> None:
        self.name = name
        self._device: BackendV2 | None = None

    def device(self) -> BackendV2:
        if self._device is None:
            service = service_factory()
            try:
                self._device = service.backend(self.name)
            except Exception as exc:
                raise BioQLBackendError(
                    f"IBM Quantum has no device {self.name!r} for this account: {exc}"
                ) from exc
        return self._device

    def check(self, program) -> None:
        check_device_size(program.num_qubits, self.device().num_qubits, self.name)

    def run(self, program, circuit, *, shots, seed, options) -> Execution:
        from qiskit.transpiler import generate_preset_pass_manager

        device = self.device()
        level = optimization_level(dict(options))
        with Stopwatch() as t_transpile:
            pm = generate_preset_pass_manager(
                optimization_level=level, backend=device, seed_transpiler=seed
            )
            isa = pm.run(circuit)
        sampler = self._sampler(device, isa, seed)
        with Stopwatch() as t_run:
            try:
                job = sampler.run([isa], shots=shots)
                timeout = options.get("timeout")
                # Local testing mode's job.result() takes no timeout.
                results = job.result() if timeout is None else job.result(timeout=timeout)
                pub = results[0]
            except Exception as exc:
                raise BioQLBackendError(f"IBM Quantum job on {self.name} failed: {exc}") from exc
        from bioql.circuits.qiskit import to_display_counts

        return Execution(
            counts=to_display_counts(pub.join_data().get_counts()),
            executed_circuit=isa,
            transpile_seconds=t_transpile.seconds,
            execute_seconds=t_run.seconds,
            details={
                "device": device.name,
                "job_id": job.job_id(),
                "local_testing_mode": _is_local(device),
                "optimization_level": level,
            },
        )

    def _sampler(self, device: BackendV2, isa, seed: int | None) -> Any:
        from qiskit_ibm_runtime import SamplerV2

        simulator: dict[str, Any] = {}
        if _is_local(device):
            # Local testing mode only: seed the simulator, and hand it the noise model
            # restricted to the circuit's qubits (same errors, no 127-qubit serialisation).
            if seed is not None:
                simulator["seed_simulator"] = seed
            if device.name in fake_device_classes():
                simulator["noise_model"] = restricted_noise_model(device.name, used_qubits(isa))
        with warnings.catch_warnings():
            # SamplerV2 is deprecated in favour of the executor-based Sampler (0.50); it is
            # still the documented primitive for hardware and local testing mode.
            warnings.simplefilter("ignore", DeprecationWarning)
            return SamplerV2(mode=device, options={"simulator": simulator} if simulator else None)
