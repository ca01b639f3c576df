"""The explanation returned with every answer, derived from the compiled circuits.

Nothing here is free text from a model: each sentence comes from a compiled
:class:`~bioql.circuits.ir.Program` (its steps, qubits and output register) or from the
call's own arguments, so the reasoning always agrees with what the code will run.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from bioql.assistant.checking import checks
from bioql.calls import Call, Unresolved
from bioql.circuits.ir import Program
from bioql.errors import BioQLError

BACKEND_NOTES = {
    "simulator": "the ideal Qiskit Aer simulator",
    "statevector": "the statevector simulator (exact probabilities)",
}


def backend_note(backend: str) -> str:
    if backend in BACKEND_NOTES:
        return BACKEND_NOTES[backend]
    if backend.startswith("fake_"):
        return f"a local noisy simulation with IBM {backend[5:].title()}'s noise model"
    if backend.startswith("ibm_"):
        return f"IBM Quantum hardware ({backend}, needs IBM_QUANTUM_TOKEN)"
    if backend == "ionq_simulator":
        return "IonQ's cloud simulator (needs IONQ_API_KEY)"
    if backend.startswith("ionq_"):
        return f"IonQ hardware ({backend}, needs IONQ_API_KEY)"
    return backend


def _gate_summary(program: Program) -> str:
    counts = Counter(g.name for g in program.gates())
    if not counts:
        return "no gates"
    return ", ".join(f"{n}×{name.upper()}" for name, n in counts.most_common())


def describe_program(program: Program) -> str:
    steps = "; ".join(f"{i}) {s.text.rstrip('.')}" for i, s in enumerate(program.steps, 1))
    measured = "".join(f"q{q} " for q in program.measured).strip()
    return (
        f"{program.num_qubits} qubit(s). Steps: {steps}. Gates: {_gate_summary(program)}. "
        f"Measured output register: {measured} (qubit 0 is the leftmost bit of each outcome)."
    )


def _chemistry(call: Call) -> Any:
    if call.func != "quantum":
        return None
    try:
        return checks.check_chemistry(call.argument("description", 0))
    except BioQLError:
        return None


def _chemistry_note(spec: Any) -> str:
    where = backend_note(spec.backend) if spec.backend else None
    if spec.shots:
        where = f"{where or 'the ideal Qiskit Aer simulator'} with {spec.shots} shots per estimate"
    run = f"Runs on {where}." if where else "Runs on the statevector simulator (exact energies)."
    if hasattr(spec, "edges"):
        return (
            f'"{spec.reading}" builds the MaxCut cost Hamiltonian of a {spec.nodes}-node graph '
            f"({len(spec.edges)} edges), optimises a depth-{spec.depth} QAOA circuit with SciPy and "
            f"reports the best cut (node 0 leftmost), its value, the brute-force optimum and the "
            f"approximation ratio. {run}"
        )
    return (
        f'"{spec.reading}" computes the molecular Hamiltonian with PySCF, maps it to qubits and '
        f"minimises the VQE energy with SciPy; the result reports the total energy (hartree), "
        f"the exact reference in the same basis and active space, the error in mHa and whether "
        f"it is within chemical accuracy. {run}"
    )


def _screen_note(call: Call) -> str:
    ligands, protein = call.argument("ligands", 0), call.argument("protein_pdb", 1)
    where = (
        f"the Dask cluster at {call.kwargs['cluster']}"
        if call.kwargs.get("cluster")
        else f"{call.kwargs['workers']} local worker processes"
        if call.kwargs.get("workers")
        else "every local core"
    )
    return (
        f"Screens every ligand of {ligands} against {protein}: the receptor and its box are "
        f"prepared once, each ligand is prepared and docked with AutoDock Vina on {where}, "
        f"results are written as they arrive (rerunning resumes) and ranked by best score in "
        f"an HTML report."
    )


def for_calls(calls: list[Call]) -> str:
    """One paragraph per BioQL call (identical calls explained once)."""
    parts: list[str] = []
    explained: set[str] = set()
    for i, call in enumerate(calls, 1):
        head = f"Call {i}: " if len(calls) > 1 else ""
        chemistry = _chemistry(call)
        if chemistry is not None:
            parts.append(f"{head}{_chemistry_note(chemistry)}")
        elif call.func == "screen":
            parts.append(f"{head}{_screen_note(call)}")
        elif call.func == "quantum":
            description = call.argument("description", 0)
            backend = call.kwargs.get("backend", "simulator")
            shots = call.kwargs.get("shots", 1024)
            where = backend_note(backend) if isinstance(backend, str) else "the chosen backend"
            run = (
                f"Runs on {where} with {shots} shots."
                if not isinstance(shots, Unresolved)
                else f"Runs on {where}."
            )
            if isinstance(description, str) and description not in explained:
                explained.add(description)
                program = checks.compile_description(description)
                parts.append(f'{head}"{description}" compiles to {describe_program(program)} {run}')
            else:
                parts.append(f"{head}the same circuit. {run}")
        else:
            smiles = call.kwargs.get("ligand_smiles")
            protein = call.kwargs.get("protein_pdb")
            backend = call.kwargs.get("backend", "vina")
            how = (
                "AutoDock Vina searches ligand poses in the box and scores them (kcal/mol)"
                if backend == "vina"
                else "the pose search is posed as a QUBO and solved with QAOA on a quantum simulator"
            )
            parts.append(
                f"{head}Docks ligand {smiles} into {protein}: RDKit builds and protonates the ligand "
                f"in 3D, Meeko prepares both molecules, and {how}; the result lists poses by affinity."
            )
    return "\n".join(parts)
