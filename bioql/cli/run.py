"""``bioql run``, ``bioql explain``, ``bioql backends`` and ``bioql demo``.

Qiskit and friends are imported inside the commands so that ``bioql --help`` stays fast.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from bioql.cli.common import console, err_console, print_json, user_errors

if TYPE_CHECKING:
    from bioql.chemistry import ChemistryResult, OptimizationResult
    from bioql.result import QuantumResult

DEMO = (
    "Create a Bell state",
    "Create a 5-qubit GHZ state",
    "Grover search for 101 on 3 qubits",
    "Quantum phase estimation of phase 0.375 with 3 counting qubits",
    "Crea un estado GHZ de 4 qubits y mide 2000 veces",
)


def register(app: typer.Typer) -> None:
    app.command("run")(run)
    app.command("explain")(explain)
    app.command("backends")(backends)
    app.command("demo")(demo)


def run(
    description: Annotated[str, typer.Argument(help="What to run, in English or Spanish.")],
    backend: Annotated[
        str | None,
        typer.Option(
            "--backend",
            "-b",
            help="simulator (default), statevector, "
            "fake_<device>, ibm_<device>, ionq_simulator, ionq_<qpu>.",
        ),
    ] = None,
    shots: Annotated[int | None, typer.Option("--shots", "-s", help="Default 1024.")] = None,
    seed: Annotated[int | None, typer.Option(help="Seed for reproducible sampling.")] = None,
    option: Annotated[
        list[str] | None,
        typer.Option("--option", "-o", help="Backend option KEY=VALUE, e.g. method=statevector."),
    ] = None,
    plot: Annotated[
        Path | None, typer.Option(help="Save a histogram to this file (PNG/SVG).")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False,
) -> None:
    """Compile a description into a circuit and run it."""
    with user_errors(as_json):
        from bioql.runtime import DEFAULT_BACKEND, DEFAULT_SHOTS, quantum

        # A spinner on stderr while compiling, transpiling and waiting for a (remote) job.
        with err_console.status(f"Running on {backend or 'simulator'}…"):
            result = quantum(
                description,
                backend=DEFAULT_BACKEND if backend is None else backend,
                shots=DEFAULT_SHOTS if shots is None else shots,
                seed=seed,
                **parse_options(option or []),
            )
        if plot is not None:
            result.plot(plot)
    if as_json:
        print_json(result.to_dict() | ({"plot": str(plot)} if plot else {}))
        return
    show_result(result)
    if plot is not None:
        console.print(f"[dim]plot saved to {plot}[/]")


def explain(
    description: Annotated[str, typer.Argument(help="What to compile, in English or Spanish.")],
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False,
) -> None:
    """Show the compiled steps and the circuit diagram; nothing is executed."""
    with user_errors(as_json):
        from bioql.language.chemistry import read_chemistry

        spec = read_chemistry(description)
    if spec is not None:  # a VQE or MaxCut request: how it was read; nothing is computed
        if as_json:
            print_json({"description": description, **spec.to_dict()})
        else:
            console.print(spec.reading, highlight=False, markup=False)
        return
    with user_errors(as_json):
        from bioql.circuits.qiskit import to_qiskit
        from bioql.language import compile_description

        program = compile_description(description)
        circuit = to_qiskit(program)
        diagram = draw(circuit)
    if as_json:
        from qiskit import qasm3

        print_json({
            "description": description,
            "reading": program.reading,
            "num_qubits": program.num_qubits,
            "measured_qubits": list(program.measured),
            "steps": [
                {"kind": s.kind, "text": s.text, "gates": [str(g) for g in s.gates]}
                for s in program.steps
            ],
            "clifford": program.is_clifford,
            "shots": program.shots,
            "backend": program.backend,
            "depth": circuit.depth(),
            "gate_counts": dict(circuit.count_ops()),
            "diagram": diagram,
            "qasm": qasm3.dumps(circuit),
        })  # fmt: skip
        return
    console.print(f"[bold]{description}[/]")
    console.print(f"Interpreted as: [cyan]{program.reading}[/]", highlight=False)
    console.print(program.explain(), highlight=False)
    extras = [f"{k}: {v}" for k, v in (("shots", program.shots), ("backend", program.backend)) if v]
    if extras:
        console.print("[dim]stated in the description — " + ", ".join(extras) + "[/]")
    console.print(diagram, highlight=False, markup=False, soft_wrap=True)


def backends(
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False,
) -> None:
    """List every backend, whether it can run here, and why not."""
    from bioql.backends import list_backends

    infos = list_backends()
    if as_json:
        print_json({"backends": [b.to_dict() for b in infos]})
        return
    from rich import box
    from rich.table import Table

    table = Table(title="BioQL backends", title_justify="left", box=box.SIMPLE_HEAD)
    table.add_column("name", no_wrap=True)
    table.add_column("", no_wrap=True)
    table.add_column("details")
    for b in infos:
        mark = "[green]✓[/]" if b.available else "[red]✗[/]"
        table.add_row(b.name, mark, b.description if b.available else f"[red]{b.reason}[/]")
    console.print(table)


def demo(
    as_json: Annotated[bool, typer.Option("--json", help="One JSON object per example.")] = False,
) -> None:
    """A short tour of the language on the simulator."""
    from bioql.runtime import quantum

    results = []
    for text in DEMO:
        with user_errors(as_json):
            result = quantum(text, backend="simulator", seed=7)
        if as_json:
            results.append(result.to_dict())
        else:
            show_result(result)
            console.rule(style="dim")
    if as_json:
        print_json({"examples": results})


def show_result(result: QuantumResult | ChemistryResult | OptimizationResult) -> None:
    from rich.table import Table

    from bioql.result import QuantumResult

    if not isinstance(result, QuantumResult):  # VQE and QAOA results print themselves
        console.print(str(result), highlight=False, markup=False)
        return

    method = result.details.get("method")
    console.print(f"[bold]{result.description}[/]")
    console.print(f"Interpreted as: [cyan]{result.reading}[/]", highlight=False)
    console.print(
        f"[dim]{result.backend}{f' · {method}' if method else ''} · {result.shots} shots · "
        f"{result.num_qubits} qubits · depth {result.depth}[/]"
    )
    table = Table(show_edge=False)
    table.add_column("outcome", style="cyan", no_wrap=True)
    table.add_column("count", justify="right")
    table.add_column("probability", justify="right")
    table.add_column("")
    outcomes = result.sorted_outcomes()
    for key, p in outcomes[:16]:
        table.add_row(key, str(result.counts.get(key, 0)), f"{p:.4f}", "█" * round(p * 30))
    console.print(table)
    if len(outcomes) > 16:
        console.print(f"[dim]… {len(outcomes) - 16} more outcomes[/]")
    console.print(f"most likely [bold cyan]{result.most_likely}[/] — {result.interpretation}")
    t = result.timing
    console.print(
        f"[dim]compile {t['compile_seconds'] * 1e3:.1f} ms · transpile "
        f"{t['transpile_seconds'] * 1e3:.1f} ms · run {t['execute_seconds'] * 1e3:.1f} ms[/]"
    )


# Beyond this a text diagram is unreadable (and slow to draw); the steps still explain it.
MAX_DIAGRAM_QUBITS, MAX_DIAGRAM_OPS = 40, 1500


def draw(circuit) -> str:
    if circuit.num_qubits > MAX_DIAGRAM_QUBITS or circuit.size() > MAX_DIAGRAM_OPS:
        return (
            f"(diagram omitted: {circuit.num_qubits} qubits, {circuit.size()} operations; "
            f"diagrams are drawn up to {MAX_DIAGRAM_QUBITS} qubits and {MAX_DIAGRAM_OPS} "
            "operations)"
        )
    return str(circuit.draw("text", fold=100))


def parse_options(pairs: list[str]) -> dict[str, Any]:
    """``["method=statevector", "optimization_level=2"]`` → typed keyword options."""
    from bioql.errors import BioQLValueError

    out: dict[str, Any] = {}
    for pair in pairs:
        key, sep, raw = pair.partition("=")
        if not sep or not key.strip():
            raise BioQLValueError(f"Options are KEY=VALUE, e.g. method=statevector; got {pair!r}.")
        out[key.strip()] = _typed(raw.strip())
    return out


def _typed(raw: str) -> Any:
    for cast in (int, float):
        try:
            return cast(raw)
        except ValueError:
            pass
    return raw
