"""Thin adapters to the rest of BioQL that the assistant checks against.

Kept in one module so that the validator, the generator and the dataset builder agree on
what a valid description, backend name and shot count are.
"""

from __future__ import annotations

import functools
import re
from typing import TYPE_CHECKING

from bioql.config import MAX_SHOTS
from bioql.errors import BioQLAssistantError, BioQLError, BioQLValueError

if TYPE_CHECKING:
    from bioql.chemistry.spec import ChemistrySpec, MaxCutSpec
    from bioql.circuits.ir import Program

_FAKE_DEVICES_FALLBACK = (
    "brisbane", "torino", "kyiv", "sherbrooke", "osaka", "kyoto", "cusco", "nazca", "fez",
    "marrakesh", "quebec", "washington", "manila", "jakarta", "perth", "lagos", "nairobi",
)  # fmt: skip
_IBM_RE = re.compile(r"^ibm_[a-z]+$")
_IONQ_RE = re.compile(r"^ionq_(simulator|qpu|qpu\.[a-z]+-\d+|[a-z]+-\d+|[a-z]+)$")


@functools.lru_cache(maxsize=4096)
def compile_description(description: str) -> Program:
    """Compile with BioQL's compiler (cached: the validator compiles the same text often)."""
    try:
        from bioql.language import compile_description as compile_
    except ImportError as exc:  # only while the compiler is being installed / built
        raise BioQLAssistantError(f"BioQL's compiler is not available: {exc}.") from None
    return compile_(description)


@functools.lru_cache(maxsize=1)
def fake_devices() -> frozenset[str]:
    """IBM device names that have a local fake (noise model) in qiskit-ibm-runtime.

    The compiler's lexicon lists exactly those names; using it avoids importing
    qiskit-ibm-runtime (seconds) just to check a backend name.
    """
    try:
        from bioql.language.lexicon import IBM_DEVICES

        return frozenset(IBM_DEVICES)
    except ImportError:  # pragma: no cover - the compiler ships with the package
        return frozenset(_FAKE_DEVICES_FALLBACK)


def check_backend(name: object) -> None:
    """Raise :class:`BioQLValueError` unless ``name`` is a backend name BioQL runs (docs/backends.md)."""
    if not isinstance(name, str):
        raise BioQLValueError(
            f"backend must be a string such as 'simulator', got {type(name).__name__} {name!r}."
        )
    if name in ("simulator", "statevector") or _IBM_RE.match(name) or _IONQ_RE.match(name):
        return
    if name.startswith("fake_"):
        device = name[5:]
        if device in fake_devices():
            return
        raise BioQLValueError(
            f"Unknown fake device {device!r} in backend {name!r}; "
            f"available: {', '.join(sorted(fake_devices())[:12])}, ..."
        )
    raise BioQLValueError(
        f"Unknown backend {name!r}; use simulator, statevector, fake_<device> (e.g. fake_brisbane), "
        "ibm_<device> (e.g. ibm_brisbane), ionq_simulator or ionq_qpu."
    )


def check_shots(shots: object) -> None:
    if isinstance(shots, bool) or not isinstance(shots, int):
        raise BioQLValueError(
            f"shots must be a whole number such as shots=1024, got {type(shots).__name__} {shots!r}."
        )
    if not 1 <= shots <= MAX_SHOTS:
        raise BioQLValueError(f"shots must be between 1 and {MAX_SHOTS:,}, got {shots}.")


def check_description(description: object) -> Program:
    """Compile ``description``; re-raise the compiler's error with the description quoted."""
    if not isinstance(description, str) or not description.strip():
        raise BioQLValueError(
            'quantum() needs a description string first, e.g. quantum("Create a Bell state").'
        )
    try:
        return compile_description(description)
    except BioQLError as exc:
        raise type(exc)(f"The description {description!r} does not compile: {exc}") from None


def check_chemistry(description: object) -> ChemistrySpec | MaxCutSpec | None:
    """The VQE / MaxCut spec ``description`` reads as (as ``quantum()`` reads it first), None
    when it is no such request; re-raise the reader's error with the description quoted."""
    from bioql.language.chemistry import read_chemistry

    try:
        return read_chemistry(description)  # type: ignore[arg-type]
    except BioQLError as exc:
        raise type(exc)(f"The description {description!r} does not read: {exc}") from None


def compiles(description: object) -> bool:
    """Whether ``description`` compiles (:func:`check_description` without the sentence)."""
    try:
        check_description(description)
        return True
    except BioQLError:
        return False
