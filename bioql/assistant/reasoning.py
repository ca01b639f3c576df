"""The explanation returned with every answer, derived from the compiled circuits.

Nothing here is free text from a model: each sentence comes from a compiled
:class:`~bioql.circuits.ir.Program` (its steps, qubits and output register) or from the
call's own arguments, so the reasoning always agrees with what the code will run.
"""

from __future__ import annotations

from collections import Counter

from bioql.assistant.checking import checks
from bioql.calls import Call, Unresolved
from bioql.circuits.ir import Program

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


def for_calls(calls: list[Call]) -> str:
    """One paragraph per BioQL call (identical calls explained once)."""
    parts: list[str] = []
    explained: set[str] = set()
    for i, call in enumerate(calls, 1):
        head = f"Call {i}: " if len(calls) > 1 else ""
        if call.func == "quantum":
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
