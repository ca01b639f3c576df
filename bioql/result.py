"""QuantumResult: what ``quantum()`` returns.

Bitstrings read qubit 0 first (leftmost), over the program's output register only.
``probabilities`` are exact for ``backend="statevector"`` and counts/shots elsewhere.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from matplotlib.figure import Figure
    from qiskit import QuantumCircuit

    from bioql.circuits.ir import Program

# Histogram and table show at most this many outcomes (the most probable ones).
MAX_SHOWN = 32


@dataclass(eq=False)
class QuantumResult:
    """What :func:`bioql.quantum` returns: the outcomes over the program's output register
    (qubit 0 leftmost), the circuit as built and as run, timings and an interpretation.

    ``print(result)`` gives a text summary; in Jupyter the result displays as HTML.
    """

    counts: dict[str, int]
    probabilities: dict[str, float]
    shots: int
    backend: str
    circuit: QuantumCircuit
    program: Program
    timing: dict[str, float]
    exact: bool = False  # probabilities are exact rather than counts/shots
    seed: int | None = None
    details: dict[str, Any] = field(default_factory=dict)  # method, device, job id...
    executed_circuit: QuantumCircuit | None = None  # as run: transpiled for the backend

    @property
    def description(self) -> str:
        return self.program.description

    @property
    def num_qubits(self) -> int:
        return self.program.num_qubits

    @property
    def most_likely(self) -> str:
        """The outcome with the highest probability (ties: the smallest bitstring)."""
        return min(self.probabilities, key=lambda k: (-self.probabilities[k], k))

    @cached_property
    def depth(self) -> int:
        return self.circuit.depth(lambda inst: inst.operation.name not in ("barrier", "measure"))

    @cached_property
    def gate_counts(self) -> dict[str, int]:
        ops = self.circuit.count_ops()
        return {name: int(n) for name, n in ops.items() if name not in ("barrier", "measure")}

    @cached_property
    def qasm(self) -> str:
        """The program as OpenQASM 3 (the logical circuit, before transpilation)."""
        from qiskit import qasm3

        return qasm3.dumps(self.circuit)

    @property
    def reading(self) -> str:
        """How BioQL read the description: one canonical sentence that compiles back to it."""
        if not self.program.reading:
            from bioql.language import describe

            self.program.reading = describe(self.program)
        return self.program.reading

    @cached_property
    def interpretation(self) -> str:
        """One sentence on what the outcome means for this program."""
        from bioql.language import interpret

        return interpret(self.program, self.probabilities)

    def sorted_outcomes(self) -> list[tuple[str, float]]:
        return sorted(self.probabilities.items(), key=lambda kv: (-kv[1], kv[0]))

    def to_dict(self) -> dict[str, Any]:
        """Everything as plain JSON types (``json.dumps`` works on it directly)."""
        return {
            "description": self.description,
            "backend": self.backend,
            "shots": self.shots,
            "seed": self.seed,
            "counts": dict(self.counts),
            "probabilities": dict(self.probabilities),
            "probabilities_exact": self.exact,
            "most_likely": self.most_likely,
            "reading": self.reading,
            "interpretation": self.interpretation,
            "num_qubits": self.num_qubits,
            "measured_qubits": list(self.program.measured),
            "steps": [{"kind": s.kind, "text": s.text} for s in self.program.steps],
            "depth": self.depth,
            "gate_counts": self.gate_counts,
            "qasm": self.qasm,
            "timing": dict(self.timing),
            "details": _jsonable(self.details),
        }

    def plot(self, path: str | Path | None = None, *, title: str | None = None) -> Figure:
        """Histogram of the outcome probabilities; saved to ``path`` (PNG, SVG, PDF...) if given."""
        from matplotlib.backends.backend_agg import FigureCanvasAgg
        from matplotlib.figure import Figure

        shown = sorted(self.sorted_outcomes()[:MAX_SHOWN])
        keys = [k for k, _ in shown]
        values = [p for _, p in shown]
        fig = Figure(figsize=(max(4.0, 0.45 * len(keys) + 1.5), 3.6), layout="constrained")
        FigureCanvasAgg(fig)
        ax = fig.add_subplot()
        bars = ax.bar(keys, values, color="#3b6ea8")
        for bar, key in zip(bars, keys, strict=True):
            label = f"{self.probabilities[key]:.3f}" if self.exact else str(self.counts.get(key, 0))
            ax.annotate(label, (bar.get_x() + bar.get_width() / 2, bar.get_height()),
                        ha="center", va="bottom", fontsize=8)  # fmt: skip
        ax.set_ylabel("probability" + ("" if self.exact else f" ({self.shots} shots)"))
        ax.set_xlabel("outcome (qubit 0 leftmost)")
        ax.set_ylim(0, min(1.0, max(values, default=1.0) * 1.18) or 1.0)
        ax.tick_params(axis="x", rotation=90 if len(keys) > 8 else 0)
        hidden = len(self.probabilities) - len(shown)
        suffix = f" (top {len(shown)} of {len(self.probabilities)})" if hidden > 0 else ""
        ax.set_title(_shorten(title or self.description, 70) + suffix, fontsize=10)
        if path is not None:
            try:
                fig.savefig(path, dpi=120)
            except (OSError, ValueError) as exc:  # missing folder, unknown extension...
                from bioql.errors import BioQLValueError

                raise BioQLValueError(
                    f"Cannot save the plot to {str(path)!r}: {exc}. Use a writable path "
                    "ending in .png, .svg or .pdf."
                ) from exc
        return fig

    def __str__(self) -> str:
        header = f"BioQL · {self.backend} · {self.shots} shots"
        if method := self.details.get("method"):
            header += f" · {method}"
        lines = [
            header,
            f"“{_shorten(self.description, 72)}”",
            f"Interpreted as: {self.reading}",
            "",
        ]
        width = max(7, self.num_qubits_measured)
        lines.append(f"{'outcome':<{width}}  {'count':>7}  {'probability':>11}")
        outcomes = self.sorted_outcomes()
        for key, p in outcomes[:16]:
            lines.append(f"{key:<{width}}  {self.counts.get(key, 0):>7}  {p:>11.4f}")
        if len(outcomes) > 16:
            lines.append(f"… {len(outcomes) - 16} more outcomes")
        lines += ["", f"most likely: {self.most_likely}", self.interpretation]
        return "\n".join(lines)

    def _repr_html_(self) -> str:
        """Jupyter's display: the reading, the counts and the histogram (bioql.display)."""
        from bioql.display import quantum_html

        return quantum_html(self)

    @property
    def num_qubits_measured(self) -> int:
        return len(self.program.measured)

    def __repr__(self) -> str:
        return (
            f"QuantumResult(backend={self.backend!r}, shots={self.shots}, "
            f"most_likely={self.most_likely!r}, outcomes={len(self.counts)})"
        )


def probabilities_from_counts(counts: dict[str, int], shots: int) -> dict[str, float]:
    return {k: v / shots for k, v in sorted(counts.items())}


def _shorten(text: str, width: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


def _jsonable(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set, frozenset)):
        return [_jsonable(v) for v in value]
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    return str(value)
