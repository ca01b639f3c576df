"""Resource guard: refuse circuits a backend cannot hold before any memory is spent.

A dense statevector of ``n`` qubits holds ``2**n`` complex128 amplitudes, 16 bytes each.
Aer allocates it up front, so an oversized circuit would not fail gracefully: it would
swap, be killed by the kernel, or hang the machine. We check first and explain.
"""

from __future__ import annotations

import os

from bioql.errors import BioQLResourceError

BYTES_PER_AMPLITUDE = 16  # complex128
# Aer's matrix-product-state method addresses at most 63 qubits (configuration().n_qubits).
MPS_MAX_QUBITS = 63


def available_memory_bytes() -> int:
    """Memory the kernel says a new allocation can use without swapping (MemAvailable)."""
    try:
        with open("/proc/meminfo", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("MemAvailable:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return os.sysconf("SC_AVPHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")


def statevector_bytes(num_qubits: int) -> int:
    return BYTES_PER_AMPLITUDE * (1 << num_qubits)


def statevector_ceiling(available: int | None = None) -> int:
    """Largest qubit count whose statevector fits in the available memory."""
    available = available_memory_bytes() if available is None else available
    return max(0, (available // BYTES_PER_AMPLITUDE).bit_length() - 1)


def human_bytes(n: float) -> str:
    for unit in ("B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"):
        if n < 1024 or unit == "EiB":
            return f"{n:.0f} {unit}" if unit == "B" else f"{n:.1f} {unit}"
        n /= 1024
    raise AssertionError("unreachable")


def check_statevector(num_qubits: int, backend: str, *, hint: str = "") -> None:
    """Raise :class:`BioQLResourceError` if a dense statevector of ``num_qubits`` won't fit."""
    available = available_memory_bytes()
    ceiling = statevector_ceiling(available)
    if num_qubits <= ceiling:
        return
    need = statevector_bytes(num_qubits) if num_qubits < 200 else float(16 * 2.0**num_qubits)
    raise BioQLResourceError(
        f"{num_qubits} qubits is too large for backend {backend!r}: an exact statevector needs "
        f"16·2^{num_qubits} bytes = {human_bytes(need)} of memory, but only "
        f"{human_bytes(available)} is available (ceiling here: {ceiling} qubits). "
        + (hint or "Use fewer qubits.")
    )


def check_device_size(num_qubits: int, device_qubits: int, backend: str) -> None:
    if num_qubits > device_qubits:
        raise BioQLResourceError(
            f"The circuit uses {num_qubits} qubits but {backend!r} has only {device_qubits}. "
            "Use fewer qubits or a larger device."
        )
