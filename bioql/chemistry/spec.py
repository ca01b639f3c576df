"""What a chemistry or MaxCut request asks for, as read from words (no computation here).

The language reader (:mod:`bioql.language.chemistry`) produces these; :func:`bioql.chemistry.solve`
runs them. Each spec's ``reading`` is one canonical sentence that reads back to the same spec.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from bioql.chemistry.molecules import BASIS_SETS as BASIS_SETS  # re-exported for problem.py
from bioql.chemistry.molecules import Atom, Molecule, hill_formula, make_builtin

DEFAULT_BASIS = "sto-3g"
ANSATZES = ("uccsd", "hardware-efficient")
MAPPINGS = ("parity", "jordan-wigner", "bravyi-kitaev")
# SciPy's names; the gradient ones get exact finite-difference gradients (statevector only).
OPTIMIZERS = ("COBYLA", "L-BFGS-B", "SLSQP", "BFGS", "Nelder-Mead", "Powell")
GRADIENT_OPTIMIZERS = ("L-BFGS-B", "SLSQP", "BFGS")
GRAPH_FAMILIES = ("ring", "complete", "path", "star")
MAX_VQE_QUBITS = 16  # UCCSD beyond this is hours of statevector simulation on a laptop
MAX_SCAN_POINTS = 50
MAX_NODES = 16  # QAOA statevector and the brute-force optimum stay fast up to here
MAX_DEPTH = 10


@dataclass(frozen=True)
class ActiveSpace:
    electrons: int
    orbitals: int  # spatial orbitals


@dataclass(frozen=True)
class Scan:
    """Bond lengths from ``start`` to ``stop`` (Å), ``points`` evenly spaced, both ends included."""

    start: float
    stop: float
    points: int

    def bond_lengths(self) -> list[float]:
        if self.points == 1:
            return [self.start]
        step = (self.stop - self.start) / (self.points - 1)
        return [round(self.start + i * step, 10) for i in range(self.points)]


@dataclass(frozen=True)
class ChemistrySpec:
    """A ground-state energy (or a curve of them) by VQE.

    ``formula`` names a built-in molecule, ``atoms`` an XYZ geometry (then ``formula`` is "").
    ``active_space`` None means every orbital but the frozen core when ``frozen_core``.
    ``optimizer`` None lets the run choose (L-BFGS-B on exact energies, COBYLA with shots).
    ``backend`` / ``shots`` are set only when the words name them.
    """

    formula: str = ""
    atoms: tuple[Atom, ...] | None = None
    bond_length: float | None = None
    scan: Scan | None = None
    basis: str = DEFAULT_BASIS
    charge: int = 0
    spin: int = 0
    active_space: ActiveSpace | None = None
    frozen_core: bool = True
    ansatz: str = "uccsd"
    layers: int = 2  # hardware-efficient ansatz only
    mapping: str = "parity"
    optimizer: str | None = None
    backend: str | None = None
    shots: int | None = None

    @property
    def name(self) -> str:
        return self.formula or hill_formula(self.atoms or ())

    def molecules(self) -> list[Molecule]:
        """One geometry per energy point (a scan's bond lengths, in order)."""
        if self.atoms is not None:
            return [Molecule(self.atoms, self.charge, self.spin)]
        lengths = self.scan.bond_lengths() if self.scan else [self.bond_length]
        return [make_builtin(self.formula, d, self.charge, self.spin) for d in lengths]

    @property
    def reading(self) -> str:
        from bioql.chemistry.reading import chemistry_reading

        return chemistry_reading(self)

    def to_dict(self) -> dict[str, Any]:
        """The request as plain JSON types (what ``bioql explain --json`` prints)."""
        data = asdict(self)
        data["atoms"] = [[s, list(xyz)] for s, xyz in self.atoms] if self.atoms else None
        return {"kind": "vqe", "molecule": self.name, **data, "reading": self.reading}


@dataclass(frozen=True)
class MaxCutSpec:
    """MaxCut on a graph by QAOA. ``edges`` are (u, v, weight) with u < v, sorted."""

    nodes: int
    edges: tuple[tuple[int, int, float], ...]
    family: str | None = None  # set when the graph was named ("a 6-node ring")
    depth: int = 1
    optimizer: str | None = None
    backend: str | None = None
    shots: int | None = None

    @property
    def weighted(self) -> bool:
        return any(w != 1 for _, _, w in self.edges)

    @property
    def reading(self) -> str:
        from bioql.chemistry.reading import maxcut_reading

        return maxcut_reading(self)

    def to_dict(self) -> dict[str, Any]:
        """The request as plain JSON types (what ``bioql explain --json`` prints)."""
        data = asdict(self)
        data["edges"] = [list(e) for e in self.edges]
        return {"kind": "qaoa", **data, "reading": self.reading}


def family_edges(family: str, nodes: int) -> tuple[tuple[int, int, float], ...]:
    """Unit-weight edges of a named graph on ``nodes`` nodes."""
    if family == "ring":
        pairs = [(i, (i + 1) % nodes) for i in range(nodes)] if nodes > 2 else [(0, 1)]
    elif family == "path":
        pairs = [(i, i + 1) for i in range(nodes - 1)]
    elif family == "star":
        pairs = [(0, i) for i in range(1, nodes)]
    else:
        pairs = [(i, j) for i in range(nodes) for j in range(i + 1, nodes)]
    return tuple(sorted((min(u, v), max(u, v), 1.0) for u, v in pairs))


STATED_FIELDS = ("basis", "charge", "spin", "ansatz", "layers", "mapping", "optimizer", "backend",
                 "shots")  # fmt: skip


def stated(fields: dict[str, Any]) -> dict[str, Any]:
    """The optional :class:`ChemistrySpec` fields a request states; the rest keep the spec's
    own defaults (one place for them)."""
    return {k: fields[k] for k in STATED_FIELDS if k in fields}
