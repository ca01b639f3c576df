"""ChemistryResult and OptimizationResult: what ``quantum()`` returns for VQE and QAOA requests.

Energies are in hartree, totals (nuclear repulsion and frozen core included). Errors are in
millihartree against the exact energy in the same basis and active space. Cuts read node 0 first
(leftmost), like every BioQL bitstring.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from bioql.chemistry.molecules import BASIS_SETS
from bioql.chemistry.reading import MULTIPLICITY_NAMES
from bioql.errors import BioQLValueError

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

    from bioql.chemistry.spec import ChemistrySpec, MaxCutSpec

CHEMICAL_ACCURACY_MHA = 1.6  # 1 kcal/mol


@dataclass
class EnergyPoint:
    """One VQE energy at one geometry."""

    bond_length: float | None  # Å; None for an XYZ geometry
    energy_hartree: float
    reference_hartree: float
    reference_method: str  # FCI, or CASCI in the active space
    hartree_fock_hartree: float
    num_qubits: int
    num_parameters: int
    active_electrons: int
    active_orbitals: int
    iterations: int
    evaluations: int
    estimator_calls: int
    converged: bool
    convergence: list[float]  # energy at the start, then after each optimizer iteration
    parameters: list[float]
    seconds: dict[str, float] = field(default_factory=dict)

    @property
    def error_mha(self) -> float:
        return (self.energy_hartree - self.reference_hartree) * 1000.0

    @property
    def within_chemical_accuracy(self) -> bool:
        return abs(self.error_mha) <= CHEMICAL_ACCURACY_MHA

    def to_dict(self) -> dict[str, Any]:
        return {
            "bond_length_angstrom": self.bond_length,
            "energy_hartree": self.energy_hartree,
            "reference_hartree": self.reference_hartree,
            "reference_method": self.reference_method,
            "hartree_fock_hartree": self.hartree_fock_hartree,
            "error_mha": self.error_mha,
            "within_chemical_accuracy": self.within_chemical_accuracy,
            "num_qubits": self.num_qubits,
            "num_parameters": self.num_parameters,
            "active_space": {"electrons": self.active_electrons, "orbitals": self.active_orbitals},
            "iterations": self.iterations,
            "evaluations": self.evaluations,
            "estimator_calls": self.estimator_calls,
            "converged": self.converged,
            "convergence": list(self.convergence),
            "parameters": list(self.parameters),
            "seconds": dict(self.seconds),
        }


@dataclass
class ChemistryResult:
    """A VQE ground-state energy, or a dissociation curve of them.

    For a single geometry the scalar attributes describe it; for a scan they describe the point
    of lowest energy (the predicted equilibrium), and ``points`` holds the whole curve.
    """

    spec: ChemistrySpec
    points: list[EnergyPoint]
    backend: str
    shots: int | None  # None: exact expectation values
    optimizer: str
    seed: int | None = None
    details: dict[str, Any] = field(default_factory=dict)
    total_seconds: float = 0.0
    description: str = ""

    # -- the answer
    @property
    def reading(self) -> str:
        return self.spec.reading

    @property
    def molecule(self) -> str:
        return self.spec.name

    @property
    def is_scan(self) -> bool:
        return self.spec.scan is not None

    @property
    def point(self) -> EnergyPoint:
        """The single point, or the lowest-energy point of a scan."""
        return min(self.points, key=lambda p: p.energy_hartree)

    @property
    def energy_hartree(self) -> float:
        return self.point.energy_hartree

    @property
    def reference_hartree(self) -> float:
        return self.point.reference_hartree

    @property
    def reference_method(self) -> str:
        return self.point.reference_method

    @property
    def hartree_fock_hartree(self) -> float:
        return self.point.hartree_fock_hartree

    @property
    def error_mha(self) -> float:
        return self.point.error_mha

    @property
    def max_error_mha(self) -> float:
        """The largest |error| over every point (the single point's for one geometry)."""
        return max(abs(p.error_mha) for p in self.points)

    @property
    def within_chemical_accuracy(self) -> bool:
        """Every point within 1.6 mHa of the exact energy."""
        return all(p.within_chemical_accuracy for p in self.points)

    @property
    def bond_length(self) -> float | None:
        return self.point.bond_length

    @property
    def num_qubits(self) -> int:
        return self.point.num_qubits

    @property
    def num_parameters(self) -> int:
        return self.point.num_parameters

    @property
    def iterations(self) -> int:
        return sum(p.iterations for p in self.points)

    @property
    def convergence(self) -> list[float]:
        return self.point.convergence

    @property
    def timing(self) -> dict[str, float]:
        keys = sorted({k for p in self.points for k in p.seconds})
        sums = {f"{k}_seconds": sum(p.seconds.get(k, 0.0) for p in self.points) for k in keys}
        return {**sums, "seconds_per_point": self.total_seconds / len(self.points),
                "total_seconds": self.total_seconds}  # fmt: skip

    def to_dict(self) -> dict[str, Any]:
        """Everything as plain JSON types."""
        return {
            "kind": "vqe",
            "description": self.description,
            "reading": self.reading,
            "molecule": self.molecule,
            "basis": self.spec.basis,
            "charge": self.spec.charge,
            "multiplicity": self.spec.spin + 1,
            "ansatz": self.spec.ansatz,
            "mapping": self.spec.mapping,
            "optimizer": self.optimizer,
            "backend": self.backend,
            "shots": self.shots,
            "seed": self.seed,
            "energy_hartree": self.energy_hartree,
            "reference_hartree": self.reference_hartree,
            "reference_method": self.reference_method,
            "hartree_fock_hartree": self.hartree_fock_hartree,
            "error_mha": self.error_mha,
            "max_error_mha": self.max_error_mha,
            "within_chemical_accuracy": self.within_chemical_accuracy,
            "chemical_accuracy_mha": CHEMICAL_ACCURACY_MHA,
            "bond_length_angstrom": self.bond_length,
            "num_qubits": self.num_qubits,
            "num_parameters": self.num_parameters,
            "iterations": self.iterations,
            "convergence": list(self.convergence),
            "points": [p.to_dict() for p in self.points],
            "timing": self.timing,
            "details": {k: v for k, v in self.details.items() if _plain(v)},
        }

    # -- showing it
    def __str__(self) -> str:
        s, p = self.spec, self.point
        where = self.backend + ("" if self.shots is None else f" · {self.shots} shots")
        lines = [
            f"BioQL VQE · {where} · {self.optimizer}",
            f"“{self.reading}”",
            "",
            f"molecule     {self.molecule}, {BASIS_SETS[s.basis]}, "
            f"{_state(s.charge, s.spin)}; {p.active_electrons} electrons in "
            f"{p.active_orbitals} orbitals → {p.num_qubits} qubits, {p.num_parameters} "
            "parameters",
        ]
        if self.is_scan:
            lines += self._curve_table()
        lines += [
            f"energy       {p.energy_hartree:.6f} Ha"
            + (f" at {p.bond_length:g} Å" if self.is_scan else ""),
            f"exact        {p.reference_hartree:.6f} Ha ({p.reference_method})",
            f"error        {_mha(p.error_mha)} mHa — "
            + ("within" if p.within_chemical_accuracy else "outside")
            + f" chemical accuracy ({CHEMICAL_ACCURACY_MHA} mHa)",
            f"Hartree–Fock {p.hartree_fock_hartree:.6f} Ha",
            f"iterations   {self.iterations} · {self.total_seconds:.2f} s",
        ]
        return "\n".join(lines)

    def _curve_table(self) -> list[str]:
        rows = ["", f"{'R (Å)':>8}  {'VQE (Ha)':>12}  {'exact (Ha)':>12}  {'error (mHa)':>11}"]
        for q in self.points:
            rows.append(
                f"{q.bond_length:>8.3f}  {q.energy_hartree:>12.6f}  {q.reference_hartree:>12.6f}"
                f"  {_mha(q.error_mha):>11}"
            )
        rows.append(f"largest |error| {self.max_error_mha:.3f} mHa; lowest energy:")
        return rows

    def __repr__(self) -> str:
        return (
            f"ChemistryResult(molecule={self.molecule!r}, energy_hartree={self.energy_hartree:.6f}"
            f", error_mha={self.error_mha:+.3f}, points={len(self.points)})"
        )

    def _repr_html_(self) -> str:
        """Jupyter's display: the reading, the energy against the exact one, the plot."""
        from bioql.display import summary_html

        s, p = self.spec, self.point
        where = self.backend + ("" if self.shots is None else f" · {self.shots} shots")
        at = f" at {p.bond_length:g} Å (lowest of the curve)" if self.is_scan else ""
        rows = [
            ("molecule", f"{self.molecule}, {BASIS_SETS[s.basis]}, {_state(s.charge, s.spin)}; "
                         f"{p.active_electrons} electrons in {p.active_orbitals} orbitals"),
            ("energy", f"{p.energy_hartree:.6f} Ha{at}"),
            ("exact", f"{p.reference_hartree:.6f} Ha ({p.reference_method})"),
            ("error", f"{_mha(p.error_mha)} mHa — "
                      + ("within" if p.within_chemical_accuracy else "outside")
                      + f" chemical accuracy ({CHEMICAL_ACCURACY_MHA} mHa)"),
        ]  # fmt: skip
        if self.is_scan:
            rows.append(("curve", f"{len(self.points)} points, largest |error| "
                                  f"{_mha(self.max_error_mha).lstrip('+')} mHa"))  # fmt: skip
        rows += [
            ("Hartree–Fock", f"{p.hartree_fock_hartree:.6f} Ha"),
            ("qubits / parameters", f"{p.num_qubits} / {p.num_parameters}"),
            ("iterations", f"{self.iterations} · {self.total_seconds:.2f} s"),
        ]
        alt = "VQE curve against the exact one" if self.is_scan else "VQE convergence"
        heading = f"VQE · {where} · {self.optimizer}"
        return summary_html(self, heading, rows, self.plot(), alt)

    def plot(self, path: str | Path | None = None) -> Figure:
        """Convergence against the exact energy; for a scan, the curve against the exact one."""
        fig, axes = _figure(2 if self.is_scan else 1)
        if self.is_scan:
            self._plot_curve(axes[0])
            self._plot_errors(axes[1])
        else:
            self._plot_convergence(axes[0])
        return _save(fig, path)

    def _plot_convergence(self, ax: Axes) -> None:
        p = self.point
        ax.plot(range(len(p.convergence)), p.convergence, "o-", ms=3, label="VQE")
        ax.axhline(p.reference_hartree, color="k", lw=1, label=f"exact ({p.reference_method})")
        ax.axhspan(p.reference_hartree - CHEMICAL_ACCURACY_MHA / 1000,
                   p.reference_hartree + CHEMICAL_ACCURACY_MHA / 1000, color="g", alpha=0.15,
                   label="chemical accuracy")  # fmt: skip
        ax.axhline(p.hartree_fock_hartree, color="grey", ls="--", lw=1, label="Hartree–Fock")
        ax.set_xlabel("optimizer iteration")
        ax.set_ylabel("energy (Ha)")
        ax.set_title(f"{self.molecule}: VQE on {self.backend}", fontsize=10)
        ax.legend(fontsize=8)

    def _bond_lengths(self) -> list[float]:
        return [q.bond_length or 0.0 for q in self.points]  # a scan always has them

    def _plot_curve(self, ax: Axes) -> None:
        r = self._bond_lengths()
        ax.plot(r, [q.reference_hartree for q in self.points], "k-", label="exact")
        ax.plot(r, [q.hartree_fock_hartree for q in self.points], "--", color="grey",
                label="Hartree–Fock")  # fmt: skip
        ax.plot(r, [q.energy_hartree for q in self.points], "o", label="VQE")
        ax.set_xlabel("bond length (Å)")
        ax.set_ylabel("energy (Ha)")
        ax.set_title(f"{self.molecule} dissociation curve ({self.backend})", fontsize=10)
        ax.legend(fontsize=8)

    def _plot_errors(self, ax: Axes) -> None:
        r = self._bond_lengths()
        ax.plot(r, [abs(q.error_mha) for q in self.points], "o-")
        ax.axhline(CHEMICAL_ACCURACY_MHA, color="g", ls="--", label="chemical accuracy")
        ax.set_yscale("log")
        ax.set_xlabel("bond length (Å)")
        ax.set_ylabel("|VQE − exact| (mHa)")
        ax.legend(fontsize=8)


@dataclass
class OptimizationResult:
    """MaxCut by QAOA: the cut found, its value, the brute-force optimum and how close."""

    spec: MaxCutSpec
    cut: str  # node i is on side cut[i]
    cut_value: float
    optimum: float
    optimal_cuts: list[str]  # every maximum cut (both sides of each)
    expected_cut_value: float  # over the QAOA output distribution
    probability_of_optimum: float  # of measuring a maximum cut
    distribution: dict[str, float]  # outcome probabilities, node 0 leftmost
    parameters: list[float]  # gammas then betas
    iterations: int
    evaluations: int
    converged: bool
    convergence: list[float]  # expected cut value at the start, then after each iteration
    backend: str
    shots: int | None
    optimizer: str
    seed: int | None = None
    details: dict[str, Any] = field(default_factory=dict)
    timing: dict[str, float] = field(default_factory=dict)
    description: str = ""

    @property
    def reading(self) -> str:
        return self.spec.reading

    @property
    def approximation_ratio(self) -> float:
        """Expected cut value of the QAOA state over the optimum (1 is perfect)."""
        return self.expected_cut_value / self.optimum if self.optimum else 1.0

    @property
    def is_optimal(self) -> bool:
        return self.cut in self.optimal_cuts

    @property
    def num_qubits(self) -> int:
        return self.spec.nodes

    def to_dict(self) -> dict[str, Any]:
        top = sorted(self.distribution.items(), key=lambda kv: (-kv[1], kv[0]))[:32]
        return {
            "kind": "qaoa",
            "description": self.description,
            "reading": self.reading,
            "nodes": self.spec.nodes,
            "edges": [list(e) for e in self.spec.edges],
            "depth": self.spec.depth,
            "cut": self.cut,
            "cut_value": self.cut_value,
            "optimum": self.optimum,
            "optimal_cuts": list(self.optimal_cuts),
            "is_optimal": self.is_optimal,
            "expected_cut_value": self.expected_cut_value,
            "approximation_ratio": self.approximation_ratio,
            "probability_of_optimum": self.probability_of_optimum,
            "top_outcomes": dict(top),
            "parameters": list(self.parameters),
            "iterations": self.iterations,
            "evaluations": self.evaluations,
            "converged": self.converged,
            "convergence": list(self.convergence),
            "num_qubits": self.num_qubits,
            "backend": self.backend,
            "shots": self.shots,
            "optimizer": self.optimizer,
            "seed": self.seed,
            "timing": dict(self.timing),
            "details": {k: v for k, v in self.details.items() if _plain(v)},
        }

    def __str__(self) -> str:
        where = self.backend + ("" if self.shots is None else f" · {self.shots} shots")
        sides = [[i for i, b in enumerate(self.cut) if b == side] for side in "01"]
        return "\n".join([
            f"BioQL QAOA · {where} · {self.optimizer}",
            f"“{self.reading}”",
            "",
            f"cut          {self.cut}  (nodes {sides[0]} | {sides[1]})",
            f"cut value    {self.cut_value:g} of optimum {self.optimum:g}"
            + (" — optimal" if self.is_optimal else ""),
            f"approx ratio {self.approximation_ratio:.3f} (expected cut "
            f"{self.expected_cut_value:.3f}); P(optimal cut) = {self.probability_of_optimum:.3f}",
            f"iterations   {self.iterations} · {self.timing.get('total_seconds', 0.0):.2f} s",
        ])  # fmt: skip

    def __repr__(self) -> str:
        return (
            f"OptimizationResult(cut={self.cut!r}, cut_value={self.cut_value:g}, "
            f"optimum={self.optimum:g}, approximation_ratio={self.approximation_ratio:.3f})"
        )

    def _repr_html_(self) -> str:
        """Jupyter's display: the reading, the cut against the optimum, the graph and curve."""
        from bioql.display import summary_html

        where = self.backend + ("" if self.shots is None else f" · {self.shots} shots")
        sides = [[i for i, b in enumerate(self.cut) if b == side] for side in "01"]
        rows = [
            ("cut", f"{self.cut} (nodes {sides[0]} | {sides[1]})"),
            ("cut value", f"{self.cut_value:g}" + (" — optimal" if self.is_optimal else "")),
            ("optimum", f"{self.optimum:g} (brute force)"),
            ("approximation ratio", f"{self.approximation_ratio:.3f} (expected cut "
                                    f"{self.expected_cut_value:.3f})"),
            ("P(optimal cut)", f"{self.probability_of_optimum:.3f}"),
            ("graph", f"{self.spec.nodes} nodes, {len(self.spec.edges)} edges; QAOA depth "
                      f"{self.spec.depth}"),
            ("iterations", f"{self.iterations} · {self.timing.get('total_seconds', 0.0):.2f} s"),
        ]  # fmt: skip
        heading = f"QAOA · {where} · {self.optimizer}"
        return summary_html(self, heading, rows, self.plot(), "the cut on the graph and the curve")

    def plot(self, path: str | Path | None = None) -> Figure:
        """The graph coloured by the cut (cut edges dashed), and the optimisation curve."""
        fig, (graph_ax, curve_ax) = _figure(2)
        self._plot_graph(graph_ax)
        curve_ax.plot(range(len(self.convergence)), self.convergence, "o-", ms=3,
                      label="expected cut")  # fmt: skip
        curve_ax.axhline(self.optimum, color="k", lw=1, label="optimum (brute force)")
        curve_ax.set_xlabel("optimizer iteration")
        curve_ax.set_ylabel("cut value")
        curve_ax.legend(fontsize=8)
        return _save(fig, path)

    def _plot_graph(self, ax: Axes) -> None:
        import math

        n = self.spec.nodes
        xy = [(math.cos(2 * math.pi * i / n), math.sin(2 * math.pi * i / n)) for i in range(n)]
        for u, v, w in self.spec.edges:
            cut = self.cut[u] != self.cut[v]
            ax.plot([xy[u][0], xy[v][0]], [xy[u][1], xy[v][1]], "--" if cut else "-",
                    color="#c0392b" if cut else "#7f8c8d", lw=1 + w / 2, zorder=1)  # fmt: skip
        colours = ["#3b6ea8" if b == "0" else "#f2b134" for b in self.cut]
        xs, ys = [x for x, _ in xy], [y for _, y in xy]
        ax.scatter(xs, ys, s=420, c=colours, edgecolors="k", zorder=2)
        for i, (x, y) in enumerate(xy):
            ax.annotate(str(i), (x, y), ha="center", va="center", fontsize=9, zorder=3)
        ax.set_title(f"cut {self.cut}: {self.cut_value:g} of {self.optimum:g}", fontsize=10)
        ax.set_aspect("equal")
        ax.axis("off")


def _mha(error: float) -> str:
    """Millihartree with a sign; errors far below a microhartree in scientific notation."""
    return f"{error:+.3f}" if abs(error) >= 1e-3 else f"{error:+.1e}"


def _state(charge: int, spin: int) -> str:
    mult = spin + 1
    name = MULTIPLICITY_NAMES.get(mult, f"multiplicity {mult}")
    return name if not charge else f"charge {charge:+d}, {name}"


def _plain(value: Any) -> bool:
    return value is None or isinstance(value, (bool, int, float, str, list))


def _figure(panels: int) -> tuple[Figure, list[Axes]]:
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    fig = Figure(figsize=(5.2 * panels, 3.8), layout="constrained")
    FigureCanvasAgg(fig)
    return fig, [fig.add_subplot(1, panels, i + 1) for i in range(panels)]


def _save(fig: Figure, path: str | Path | None) -> Figure:
    if path is not None:
        try:
            fig.savefig(path, dpi=120)
        except (OSError, ValueError) as exc:
            raise BioQLValueError(
                f"Cannot save the plot to {str(path)!r}: {exc}. Use a writable path ending in "
                ".png, .svg or .pdf."
            ) from exc
    return fig
