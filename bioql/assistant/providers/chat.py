"""What a general chat model (OpenAI-compatible or Claude) is told, and the repair message.

Chat models are asked for the same short plan the local model emits (cheaper, and rendered
into code deterministically); a ```python block is accepted too. Either way the answer goes
through the validator.
"""

from __future__ import annotations

from functools import lru_cache

PLAN_RULES = """You write BioQL programs. BioQL runs quantum circuits described in plain English:
    quantum("<description>", backend="<backend>", shots=<int>)
and docks ligands:
    dock(ligand_smiles="<SMILES>", protein_pdb="<file.pdb>", backend="vina" or "quantum")
and screens ligand libraries:
    screen(ligands="<library.smi|.csv|.sdf>", protein_pdb="<file.pdb>", <options>)
and runs VQE ground-state energies and MaxCut by QAOA from one sentence:
    quantum("Estimate the ground-state energy of H2 at 0.735 Å with VQE")

Answer with a PLAN only, one line per call, nothing else:
    Q <description> | <backend> | <shots>
    D <ligand SMILES> | <protein.pdb> | <vina or quantum>[ | center=x,y,z | size=a,b,c]
    S <library file> | <protein.pdb>[ | reference_ligand=<file> | box_from=<file or residue>
      | center=x,y,z | size=a,b,c | exhaustiveness=N | num_poses=N | seed=N | workers=N
      | cluster=<address> | out=<folder>]   (only the options the request states)
    V <VQE or MaxCut sentence>   (backend and shots only if the request states them, inside
      the sentence: "... with VQE on fake_manila with 4000 shots")
Files, paths and values are copied exactly as the request writes them.
To repeat one call over values, write `L n=2,3,4` (or shots=..., backend=...) and use {n}
(or {shots}, {backend}) in the next Q line; add a line `C` to compare the results.
If the request is not about quantum programs, chemistry, docking or screening, answer exactly: R

Descriptions are short English sentences such as:
{examples}
Backends: simulator (default), statevector (exact probabilities), fake_<ibm device> (local
noisy simulation, e.g. fake_brisbane), ibm_<device> (IBM hardware, e.g. ibm_torino),
ionq_simulator, ionq_qpu, ionq_aria-1, ionq_forte-1. Shots default to 1024.
Never put the qubit count or shots as extra positional arguments; they belong in the
description or the shots field.

Example: "Create a Bell state and run it 2000 times on IBM Brisbane" →
Q Create a Bell state | ibm_brisbane | 2000"""


@lru_cache(maxsize=1)
def system_prompt() -> str:
    try:
        from bioql.language import EXAMPLES

        lines = [v[0] for k, v in EXAMPLES.items() if k not in ("options",) and v]
    except ImportError:  # pragma: no cover - the compiler ships with the package
        lines = ["Create a Bell state", "Create a 3-qubit GHZ state", "Run QFT on 4 qubits"]
    return PLAN_RULES.replace("{examples}", "\n".join(f"    {line}" for line in lines))


def repair_message(feedback: str) -> str:
    return (
        f"That answer was rejected by the BioQL validator: {feedback} "
        "Reply again with only the corrected plan."
    )
