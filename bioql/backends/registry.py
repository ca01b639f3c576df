"""Backend names → adapters, and what ``bioql backends`` reports as available or not."""

from __future__ import annotations

import importlib.util
from dataclasses import asdict, dataclass

from bioql.backends.base import Backend
from bioql.errors import BioQLBackendError

FIXED_NAMES = ("simulator", "statevector")
PATTERNS = ("fake_<device>", "ibm_<device>", "ionq_simulator", "ionq_qpu", "ionq_<qpu>")


def get_backend(name: str) -> Backend:
    """The adapter for a backend name (docs/backends.md); unknown names get the valid forms."""
    if not isinstance(name, str) or not name.strip():
        raise BioQLBackendError(_unknown(repr(name)))
    key = name.strip().lower()
    if key == "simulator":
        from bioql.backends.aer import SimulatorBackend

        return SimulatorBackend()
    if key == "statevector":
        from bioql.backends.aer import StatevectorBackend

        return StatevectorBackend()
    if key.startswith("fake_"):
        _require("qiskit_ibm_runtime", key)
        from bioql.backends.fake import FakeDeviceBackend

        return FakeDeviceBackend(key)
    if key.startswith("ibm_") and len(key) > 4:
        _require("qiskit_ibm_runtime", key)
        from bioql.backends.ibm import IBMBackend

        return IBMBackend(key)
    if key.startswith("ionq_") and len(key) > 5:
        _require("qiskit_ionq", key)
        from bioql.backends.ionq import IonQBackend

        return IonQBackend(key)
    raise BioQLBackendError(_unknown(repr(name)))


def _unknown(name: str) -> str:
    return (
        f"Unknown backend {name}. Use one of: {', '.join(FIXED_NAMES + PATTERNS)} "
        "(e.g. fake_brisbane, ibm_torino, ionq_aria-1); `bioql backends` lists them."
    )


def _require(module: str, backend: str) -> None:
    if importlib.util.find_spec(module) is None:
        raise BioQLBackendError(
            f"Backend {backend!r} needs the Python package {module.replace('_', '-')}; "
            f"install it with `pip install {module.replace('_', '-')}`."
        )


@dataclass(frozen=True)
class BackendInfo:
    name: str
    kind: str  # ideal simulator · noisy simulator · cloud simulator · hardware
    provider: str
    description: str
    reason: str | None = None  # why it cannot run here; None when available

    @property
    def available(self) -> bool:
        return self.reason is None

    def to_dict(self) -> dict:
        return {**asdict(self), "available": self.available}


def _missing(*modules: str) -> str | None:
    absent = [m.replace("_", "-") for m in modules if importlib.util.find_spec(m) is None]
    return f"package {', '.join(absent)} is not installed" if absent else None


def list_backends() -> list[BackendInfo]:
    """Every backend name with whether it can run here and, if not, why (no network calls)."""
    aer = _missing("qiskit_aer")
    out = [
        BackendInfo("simulator", "ideal simulator", "Qiskit Aer",
                    "ideal Aer; method chosen per circuit", aer),
        BackendInfo("statevector", "ideal simulator", "Qiskit Aer",
                    "exact probabilities (Aer statevector)", aer),
    ]  # fmt: skip
    fake = _missing("qiskit_ibm_runtime", "qiskit_aer")
    if fake is None:
        from bioql.backends.fake import fake_device_classes

        out += [
            BackendInfo(name, "noisy simulator", "qiskit-ibm-runtime fake device",
                        f"IBM {name[5:].capitalize()} noise model, run locally on Aer")
            for name in fake_device_classes()
        ]  # fmt: skip
    else:
        out.append(BackendInfo("fake_<device>", "noisy simulator", "IBM", "", fake))
    ibm = _missing("qiskit_ibm_runtime")
    if ibm is None:
        from bioql.backends.ibm import credential_status

        ibm = credential_status()
    out.append(
        BackendInfo("ibm_<device>", "hardware", "IBM Quantum",
                    "IBM hardware via SamplerV2, e.g. ibm_torino", ibm)
    )  # fmt: skip
    ionq = _missing("qiskit_ionq")
    if ionq is None:
        from bioql.backends.ionq import credential_status as ionq_status

        ionq = ionq_status()
    for name, kind, what in (
        ("ionq_simulator", "cloud simulator", "IonQ cloud simulator, ideal or noisy"),
        ("ionq_qpu", "hardware", "IonQ trapped-ion QPU"),
        ("ionq_<qpu>", "hardware", "a named IonQ QPU, e.g. ionq_forte-1"),
    ):
        out.append(BackendInfo(name, kind, "IonQ", what, ionq))
    return out
