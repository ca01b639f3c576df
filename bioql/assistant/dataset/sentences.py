"""The dataset's answer sentence for each construct: one short English description per construct
that BioQL's compiler accepts, the phrasing the shipped model learnt to emit.

Only the dataset writes these (the template generator writes the language's own canonical
reading, :func:`bioql.language.describe`); a model's sentence is never compared as text, only
by the program it compiles to.
"""

from __future__ import annotations

from typing import Any

BELL_NAMES = {"phi+": "Φ+", "phi-": "Φ-", "psi+": "Ψ+", "psi-": "Ψ-"}


def describe(kind: str, p: dict[str, Any]) -> str:
    """The description of construct ``kind`` with parameters ``p``."""
    n = p.get("n")
    if kind == "bell":
        variant = p.get("variant")
        return f"Create the Bell state {BELL_NAMES[variant]}" if variant else "Create a Bell state"
    if kind == "ghz":
        return f"Create a {n or 3}-qubit GHZ state"
    if kind == "w":
        return f"Create a {n or 3}-qubit W state"
    if kind == "superposition":
        n = n or 1
        return f"Put {n} qubit{'s' if n > 1 else ''} in uniform superposition"
    if kind == "basis":
        return f"Prepare the basis state |{p['bits']}>"
    if kind == "single":
        return f"Prepare the state |{p['state']}>"
    if kind in ("qft", "iqft"):
        name = "QFT" if kind == "qft" else "inverse QFT"
        if p.get("bits"):
            return f"Apply the {name} to the basis state |{p['bits']}>"
        return f"Apply the {name} to {n or 3} qubits"
    if kind == "grover":
        return f"Run Grover search for {' and '.join(p['marked'])}"
    if kind == "bv":
        return f"Run Bernstein-Vazirani with secret {p['secret']}"
    if kind == "dj":
        return f"Run Deutsch-Jozsa with a {p.get('oracle', 'balanced')} oracle on {n or 3} qubits"
    if kind == "qpe":
        return f"Estimate the phase {phase_text(p['phase'])} with {p['k']} counting qubits"
    if kind == "teleport":
        return f"Teleport the state |{p['state']}>"
    raise ValueError(f"unknown construct {kind!r}")


def phase_text(phase: float) -> str:
    """A phase as a short decimal ("0.375", "0")."""
    return f"{phase:.6f}".rstrip("0").rstrip(".") if phase else "0"
