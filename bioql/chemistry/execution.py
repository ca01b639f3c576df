"""Where energies and samples come from: Qiskit's V2 primitives on Aer, per backend name.

* ``statevector`` — Aer's EstimatorV2 with zero precision (exact expectation values) and exact
  output probabilities;
* ``simulator`` — an ideal AerSimulator measured with ``shots`` per Pauli group
  (BackendEstimatorV2, precision 1/sqrt(shots)) and sampled with BackendSamplerV2;
* ``fake_<device>`` — the same on the device's noise model, after transpiling for the device
  (the noise model is cut down to the qubits the circuit uses; see bioql.backends.fake).

Real hardware is refused: a VQE makes hundreds of estimator calls, each a queued job.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np

from bioql.errors import BioQLBackendError, BioQLValueError

if TYPE_CHECKING:
    from qiskit import QuantumCircuit
    from qiskit.quantum_info import SparsePauliOp

LOCAL_BACKENDS = "statevector (exact), simulator (ideal, with shots) or fake_<device> (noisy)"
# Gates Aer runs natively; circuits from the chemistry libraries are rewritten into these once.
_AER_BASIS = ["rz", "ry", "rx", "sx", "x", "h", "s", "sdg", "cx"]


@dataclass
class Runner:
    """One backend's estimator and sampler, with the circuit prepared for it once."""

    backend: str
    shots: int
    seed: int | None
    optimization_level: int = 1
    details: dict[str, Any] = field(default_factory=dict)
    calls: int = 0
    seconds: float = 0.0

    @property
    def exact(self) -> bool:
        return self.backend == "statevector"

    def energy_function(self, circuit: QuantumCircuit, observable: SparsePauliOp) -> Any:
        """``f(params[batch, n]) -> energies[batch]`` for ``circuit`` and ``observable``."""
        t0 = time.perf_counter()
        prepared, mapped = self._prepare(circuit, observable)
        estimator = self._estimator(prepared)
        self.details["transpile_seconds"] = time.perf_counter() - t0
        self.details["depth"] = prepared.depth()
        self.details["two_qubit_gates"] = prepared.num_nonlocal_gates()

        def energies(params: np.ndarray) -> np.ndarray:
            t = time.perf_counter()
            result = estimator.run([(prepared, mapped, np.atleast_2d(params))]).result()
            self.calls += 1
            self.seconds += time.perf_counter() - t
            return np.asarray(result[0].data.evs, dtype=float).reshape(-1)

        return energies

    def probabilities(self, circuit: QuantumCircuit, params: np.ndarray) -> dict[str, float]:
        """Outcome probabilities of ``circuit`` at ``params``, qubit 0 leftmost."""
        bound = circuit.assign_parameters(params)
        if self.exact:
            from qiskit.quantum_info import Statevector

            probs = Statevector(bound).probabilities_dict()
            return {k[::-1]: float(p) for k, p in probs.items() if p > 1e-12}
        measured = bound.copy()
        measured.measure_all()
        prepared, _ = self._prepare(measured, None)
        from qiskit.primitives import BackendSamplerV2

        sampler = BackendSamplerV2(
            backend=self._simulator(prepared),
            options={"default_shots": self.shots, "seed_simulator": self.seed},
        )
        counts = sampler.run([prepared]).result()[0].data.meas.get_counts()
        return {k[::-1]: n / self.shots for k, n in counts.items()}

    # -- per backend
    def _prepare(
        self, circuit: QuantumCircuit, observable: SparsePauliOp | None
    ) -> tuple[QuantumCircuit, SparsePauliOp | None]:
        from qiskit.transpiler import generate_preset_pass_manager

        if self.backend.startswith("fake_"):
            from bioql.backends.fake import pass_manager

            isa = pass_manager(self.backend, self.optimization_level, self.seed).run(circuit)
            layout = None if observable is None else observable.apply_layout(isa.layout)
            return isa, layout
        manager = generate_preset_pass_manager(
            optimization_level=self.optimization_level,
            basis_gates=_AER_BASIS,
            seed_transpiler=self.seed,
        )
        return manager.run(circuit), observable

    def _estimator(self, prepared: QuantumCircuit) -> Any:
        if self.exact:
            from qiskit_aer.primitives import EstimatorV2

            run_options = {} if self.seed is None else {"seed_simulator": self.seed}
            return EstimatorV2(options={"default_precision": 0.0, "run_options": run_options})
        from qiskit.primitives import BackendEstimatorV2

        return BackendEstimatorV2(
            backend=self._simulator(prepared),
            options={"default_precision": 1 / math.sqrt(self.shots), "seed_simulator": self.seed},
        )

    def _simulator(self, prepared: QuantumCircuit) -> Any:
        from qiskit_aer import AerSimulator

        if not self.backend.startswith("fake_"):
            return AerSimulator(method="statevector")
        from bioql.backends.base import used_qubits
        from bioql.backends.fake import fake_device, restricted_noise_model

        active = used_qubits(prepared)
        self.details["physical_qubits"] = sorted(active)
        self.details["device"] = fake_device(self.backend).name
        noise = restricted_noise_model(self.backend, active)
        return AerSimulator.from_backend(fake_device(self.backend), noise_model=noise)


def make_runner(backend: str, shots: int, seed: int | None, options: dict[str, Any]) -> Runner:
    """The runner for ``backend``; other backends and unknown options get a clear error."""
    name = backend.strip().lower() if isinstance(backend, str) else ""
    if name.startswith("fake_"):
        from bioql.backends.fake import fake_device

        fake_device(name)  # unknown devices fail here, with the list of known ones
    elif name not in ("statevector", "simulator"):
        raise BioQLBackendError(
            f"VQE and QAOA run on {LOCAL_BACKENDS}; got {backend!r}. A variational run makes "
            "hundreds of estimator calls, each of which would be a queued job on hardware."
        )
    level = options.get("optimization_level", 1)
    if level not in (0, 1, 2, 3):
        raise BioQLValueError(f"optimization_level must be 0, 1, 2 or 3, got {level!r}.")
    return Runner(name, shots, seed, level)
