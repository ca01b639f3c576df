"""Specs → one canonical English sentence that the chemistry reader reads back to the same spec."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bioql.chemistry.molecules import BASIS_SETS, _short

if TYPE_CHECKING:
    from bioql.chemistry.spec import ChemistrySpec, MaxCutSpec

MULTIPLICITY_NAMES = {1: "singlet", 2: "doublet", 3: "triplet", 4: "quartet", 5: "quintet"}


def chemistry_reading(spec: ChemistrySpec) -> str:
    words = [_what(spec), f"in the {BASIS_SETS[spec.basis]} basis"]
    if spec.charge:
        words.append(f"with charge {spec.charge:+d}")
    if spec.spin:
        mult = spec.spin + 1
        words.append(f"as a {MULTIPLICITY_NAMES[mult]}" if mult in MULTIPLICITY_NAMES else
                     f"with multiplicity {mult}")  # fmt: skip
    if spec.active_space:
        a = spec.active_space
        words.append(f"with an active space of {a.electrons} electrons in {a.orbitals} orbitals")
    elif spec.frozen_core:
        words.append("with a frozen core")
    elif _has_core(spec):
        words.append("with all electrons active")
    parts = [_ansatz(spec), f"the {spec.mapping} mapping"]
    if spec.optimizer:
        parts.append(f"the {spec.optimizer} optimizer")
    method = "by VQE with " + ", ".join(parts[:-1]) + " and " + parts[-1]
    words[-1] += ","
    words += [method, *_where(spec.backend, spec.shots)]
    return " ".join(words) + "."


def maxcut_reading(spec: MaxCutSpec) -> str:
    if spec.family:
        noun = "complete graph" if spec.family == "complete" else spec.family
        graph = f"on a {spec.nodes}-node {noun}"
    else:
        edges = ", ".join(
            f"{u}-{v}" + ("" if w == 1 else f":{_short(w)}") for u, v, w in spec.edges
        )
        implied = max(max(u, v) for u, v, _ in spec.edges) + 1
        graph = (
            f"on {spec.nodes} nodes " if spec.nodes != implied else ""
        ) + f"for the edges {edges}"
        graph = graph.replace("nodes for", "nodes with")
    words = [f"Solve MaxCut {graph} with QAOA of depth {spec.depth}"]
    if spec.optimizer:
        words.append(f"and the {spec.optimizer} optimizer")
    words += _where(spec.backend, spec.shots)
    return " ".join(words) + "."


def _what(spec: ChemistrySpec) -> str:
    name = spec.formula if spec.atoms is None else f"the molecule {_xyz(spec)}"
    if spec.scan:
        s = spec.scan
        return (
            f"Compute the dissociation curve of {name} from {_short(s.start)} to "
            f"{_short(s.stop)} Å in {s.points} points"
        )
    at = f" at {_short(spec.bond_length)} Å" if spec.bond_length is not None else ""
    return f"Estimate the ground-state energy of {name}{at}"


def _xyz(spec: ChemistrySpec) -> str:
    return "; ".join(
        f"{s} {_short(x)} {_short(y)} {_short(z)}" for s, (x, y, z) in spec.atoms or ()
    )


def _ansatz(spec: ChemistrySpec) -> str:
    if spec.ansatz == "uccsd":
        return "the UCCSD ansatz"
    return f"the hardware-efficient ansatz with {spec.layers} layers"


def _where(backend: str | None, shots: int | None) -> list[str]:
    out = [f"on {backend}"] if backend else []
    return out + ([f"with {shots} shots"] if shots else [])


def _has_core(spec: ChemistrySpec) -> bool:
    return any(s not in ("H", "He") for s, _ in spec.molecules()[0].atoms)
