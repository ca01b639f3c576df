"""``fake_<device>``: local noisy simulation with an IBM device's noise model and layout.

The devices are qiskit-ibm-runtime's fake backends (snapshots of real calibrations).
Circuits are transpiled for the device with a preset pass manager, then run on Aer with the
device's noise model.

Two caches make this fast: the full noise model per device (building it takes seconds),
and a copy restricted to the physical qubits a circuit actually uses. Aer serialises the whole
noise model on every run, so a 127-qubit model is slow even for a Bell pair; the restricted
model gives the same counts (same errors on the same qubits) far faster (measured in
benchmarks/quantum/RESULTS.md, "fake_brisbane").
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import cache, lru_cache
from typing import TYPE_CHECKING, Any

from bioql.backends.aer import seed_options
from bioql.backends.base import Backend, Execution, Stopwatch, used_qubits
from bioql.backends.resources import check_device_size, check_statevector
from bioql.errors import BioQLBackendError, BioQLValueError

if TYPE_CHECKING:
    from qiskit.transpiler import PassManager
    from qiskit_aer import AerSimulator
    from qiskit_aer.noise import NoiseModel
    from qiskit_ibm_runtime.fake_provider.fake_backend import FakeBackendV2

    from bioql.circuits.ir import Program

# Fake backends of the provider that are test fixtures rather than devices.
_NOT_DEVICES = {"FakeFractionalBackend"}


@cache
def fake_device_classes() -> dict[str, str]:
    """``fake_<device>`` name -> class name in qiskit_ibm_runtime.fake_provider."""
    from qiskit_ibm_runtime import fake_provider
    from qiskit_ibm_runtime.fake_provider.fake_backend import FakeBackendV2

    out: dict[str, str] = {}
    for attr in sorted(dir(fake_provider)):
        obj = getattr(fake_provider, attr)
        if (
            isinstance(obj, type)
            and issubclass(obj, FakeBackendV2)
            and attr.startswith("Fake")
            and attr not in _NOT_DEVICES
        ):
            device = re.sub(r"V2$", "", attr[len("Fake") :]).lower()
            out[f"fake_{device}"] = attr
    return out


@cache
def fake_device(name: str) -> FakeBackendV2:
    from qiskit_ibm_runtime import fake_provider

    classes = fake_device_classes()
    if name not in classes:
        close = [n for n in classes if n[5:8] == name[5:8]] or list(classes)[:8]
        raise BioQLBackendError(
            f"Unknown fake device {name!r}. Known ones include {', '.join(close)} "
            "(`bioql backends` lists all)."
        )
    return getattr(fake_provider, classes[name])()


@cache
def full_noise_model(name: str) -> NoiseModel:
    """The device's noise model (gate, readout and thermal-relaxation errors); seconds to build."""
    from qiskit_aer.noise import NoiseModel

    return NoiseModel.from_backend(fake_device(name))


@cache
def device_simulator(name: str) -> AerSimulator:
    from qiskit_aer import AerSimulator

    return AerSimulator.from_backend(fake_device(name), noise_model=full_noise_model(name))


@lru_cache(maxsize=256)
def restricted_noise_model(name: str, qubits: frozenset[int]) -> NoiseModel:
    """The device's noise model with only the errors acting within ``qubits``.

    NoiseModel has no public filter, so this reads its error tables; the result is the same
    model as far as a circuit on ``qubits`` can tell.
    """
    from qiskit_aer.noise import NoiseModel

    full = full_noise_model(name)
    model = NoiseModel(basis_gates=sorted(full.basis_gates))
    for gate, per_qubits in full._local_quantum_errors.items():
        for qargs, error in per_qubits.items():
            if set(qargs) <= qubits:
                model.add_quantum_error(error, gate, qargs, warnings=False)
    for qargs, error in full._local_readout_errors.items():
        if set(qargs) <= qubits:
            model.add_readout_error(error, qargs, warnings=False)
    for gate, error in full._default_quantum_errors.items():
        model.add_all_qubit_quantum_error(error, gate, warnings=False)
    if full._default_readout_error is not None:
        model.add_all_qubit_readout_error(full._default_readout_error, warnings=False)
    model._custom_noise_passes = list(full._custom_noise_passes)  # relaxation during delays
    return model


@lru_cache(maxsize=32)
def pass_manager(name: str, optimization_level: int, seed: int | None) -> PassManager:
    from qiskit.transpiler import generate_preset_pass_manager

    return generate_preset_pass_manager(
        optimization_level=optimization_level, backend=fake_device(name), seed_transpiler=seed
    )


def optimization_level(options: dict[str, Any]) -> int:
    level = options.get("optimization_level", 1)
    if level not in (0, 1, 2, 3):
        raise BioQLValueError(f"optimization_level must be 0, 1, 2 or 3, got {level!r}.")
    return level


class FakeDeviceBackend(Backend):
    options: Mapping[str, str] = {"optimization_level": "transpiler optimisation 0-3 (default 1)"}

    def __init__(self, name: str) -> None:
        self.name = name
        fake_device(name)  # unknown names fail here, before anything is built

    def check(self, program: Program) -> None:
        check_device_size(program.num_qubits, fake_device(self.name).num_qubits, self.name)

    def run(self, program, circuit, *, shots, seed, options) -> Execution:
        level = optimization_level(dict(options))
        with Stopwatch() as t_transpile:
            isa = pass_manager(self.name, level, seed).run(circuit)
        active = used_qubits(isa)
        # Noisy simulation is density-matrix or trajectory statevector over the active qubits.
        check_statevector(len(active), self.name, hint="Noisy simulation needs fewer qubits.")
        with Stopwatch() as t_run:
            noise = restricted_noise_model(self.name, active)
            result = (
                device_simulator(self.name)
                .run(isa, shots=shots, noise_model=noise, **seed_options(seed))
                .result()
            )
        from bioql.circuits.qiskit import to_display_counts

        return Execution(
            counts=to_display_counts(result.get_counts()),
            executed_circuit=isa,
            transpile_seconds=t_transpile.seconds,
            execute_seconds=t_run.seconds,
            details={
                "device": fake_device(self.name).name,
                "method": result.results[0].metadata.get("method"),
                "physical_qubits": sorted(active),
                "optimization_level": level,
            },
        )
