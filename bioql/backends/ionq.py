"""``ionq_simulator``, ``ionq_qpu`` and ``ionq_<qpu>`` (e.g. ``ionq_aria-1``, ``ionq_forte_1``)
through qiskit-ionq's IonQProvider.

The API key comes from ``IONQ_API_KEY``; the API address from ``IONQ_API_URL`` (default
``https://api.ionq.co/v0.4``), which is also how the tests point the SDK at a local stand-in:
qiskit-ionq's qubit-count lookup reads that variable and ignores the provider's ``url=``.

Circuits are transpiled to a plain gate set (1-qubit gates, rotations, CX, SWAP) that
qiskit-ionq serialises without its gate aliases (``p``→``z``, ``cp``→``cz`` with a rotation),
so what IonQ receives means exactly what the program says.
"""

from __future__ import annotations

import os
import re
import warnings
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from bioql.backends.base import Backend, Execution, Stopwatch
from bioql.backends.resources import check_device_size
from bioql.errors import BioQLBackendError, BioQLCredentialsError, BioQLValueError

if TYPE_CHECKING:
    from qiskit_ionq import IonQProvider
    from qiskit_ionq.ionq_backend import IonQBackend as SdkBackend

KEY_ENV = "IONQ_API_KEY"
URL_ENV = "IONQ_API_URL"
DEFAULT_URL = "https://api.ionq.co/v0.4"
IONQ_BASIS = ["x", "y", "z", "h", "s", "sdg", "t", "tdg", "rx", "ry", "rz", "cx", "swap"]


def credential_status() -> str | None:
    return None if os.environ.get(KEY_ENV) else f"no IonQ API key: set {KEY_ENV}"


def api_url() -> str:
    return os.environ.get(URL_ENV) or DEFAULT_URL


def sdk_backend_name(name: str) -> str:
    """BioQL name → qiskit-ionq name: ionq_simulator, ionq_qpu, ionq_aria_1 → qpu.aria-1."""
    rest = name.removeprefix("ionq_")
    if rest in ("simulator", "qpu"):
        return rest
    rest = rest.removeprefix("qpu.").replace("_", "-")
    rest = re.sub(r"^([a-z]+)(\d+)$", r"\1-\2", rest)  # forte1 → forte-1
    return f"qpu.{rest}"


@lru_cache(maxsize=4)
def provider(token: str, url: str) -> IonQProvider:
    from qiskit_ionq import IonQProvider

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the SDK warns about qubit lookups we redo below
        return IonQProvider(token=token, url=url)


def _quiet_sdk_warnings() -> None:
    from qiskit_ionq.exceptions import IonQTranspileLevelWarning

    warnings.simplefilter("ignore", IonQTranspileLevelWarning)


def _sdk_error(exc: Exception, name: str) -> BioQLBackendError:
    status = getattr(exc, "status_code", None)
    if status in (401, 403):
        return BioQLCredentialsError(
            f"IonQ rejected the API key in {KEY_ENV} (HTTP {status}). Check the key at "
            "https://cloud.ionq.com/settings/keys."
        )
    message = getattr(exc, "message", None) or str(exc)
    return BioQLBackendError(f"IonQ backend {name!r} failed: {message}")


class IonQBackend(Backend):
    def __init__(self, name: str) -> None:
        self.name = name
        self.sdk_name = sdk_backend_name(name)
        self.is_simulator = self.sdk_name == "simulator"
        self.options = {
            "timeout": "seconds to wait for the job (default: no limit)",
            "poll_interval": "seconds between job status checks (default 5)",
        }
        if self.is_simulator:
            self.options["noise_model"] = "'ideal' (default) or a QPU's noise, e.g. 'aria-1'"
        self._sdk: SdkBackend | None = None

    def device(self) -> SdkBackend:
        if self._sdk is not None:
            return self._sdk
        token = os.environ.get(KEY_ENV)
        if not token:
            raise BioQLCredentialsError(
                f"IonQ backends need an API key: set the {KEY_ENV} environment variable "
                "(create a key at https://cloud.ionq.com/settings/keys)."
            )
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            try:
                sdk = provider(token, api_url()).get_backend(self.sdk_name)
            except Exception as exc:
                raise _sdk_error(exc, self.name) from exc
        # qiskit-ionq falls back to 4 qubits, with a warning, when it cannot reach the API.
        failed = [w for w in caught if "Failed to get qubits" in str(w.message)]
        if failed:
            raise BioQLBackendError(
                f"Could not reach the IonQ API at {api_url()} to look up {self.name!r}: "
                f"{failed[0].message}"
            )
        self._sdk = sdk
        return sdk

    def check(self, program) -> None:
        device = self.device()
        # For the generic "qpu" the SDK's size lookup (GET /backends/qpu.qpu) has no answer
        # and silently falls back to 4 qubits; leave the size check to IonQ there.
        if self.sdk_name != "qpu":
            check_device_size(program.num_qubits, device.num_qubits, self.name)

    def run(self, program, circuit, *, shots, seed, options) -> Execution:
        from qiskit import transpile

        from bioql.circuits.qiskit import to_display_counts

        backend = self.device()
        run_options: dict[str, Any] = {"shots": shots}
        if seed is not None:
            run_options["sampler_seed"] = seed
        if self.is_simulator:
            run_options["noise_model"] = options.get("noise_model", "ideal")
        wait = _positive(options, "poll_interval", 5.0)
        timeout = options.get("timeout")
        with Stopwatch() as t_transpile:
            native = transpile(
                circuit, basis_gates=IONQ_BASIS, optimization_level=1, seed_transpiler=seed
            )
        with Stopwatch() as t_run, warnings.catch_warnings():
            _quiet_sdk_warnings()
            try:
                job = backend.run(native, **run_options)
                result = job.result(wait=wait, timeout=timeout)
                counts = result.get_counts()
            except Exception as exc:
                raise _sdk_error(exc, self.name) from exc
        return Execution(
            counts=to_display_counts(counts),
            executed_circuit=native,
            transpile_seconds=t_transpile.seconds,
            execute_seconds=t_run.seconds,
            details={"device": backend.name, "job_id": job.job_id(), "api": api_url()},
        )


def _positive(options: dict[str, Any] | Any, key: str, default: float) -> float:
    value = options.get(key, default)
    if not isinstance(value, (int, float)) or isinstance(value, bool) or value <= 0:
        raise BioQLValueError(f"{key} must be a positive number of seconds, got {value!r}.")
    return float(value)
