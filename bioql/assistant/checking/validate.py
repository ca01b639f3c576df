"""The validator: every answer the assistant returns has passed :func:`validate`.

It never executes the code. It parses it, resolves names, and checks each ``quantum()`` /
``dock()`` / ``screen()`` call against the real API: argument names and types, backend names,
shot counts, and every description compiled with BioQL's compiler (a VQE or MaxCut description
read by the chemistry reader, as ``quantum()`` reads it). It also rejects the failure modes of
the original model (seed 000/001): the prompt echoed back, punctuation garbage such as
``(   (``, prompt-format markers leaking into code, and generic database code
(``BioQL.connect(...)``) that calls things BioQL does not have.
"""

from __future__ import annotations

import ast
import builtins
import difflib
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from bioql.assistant.checking import checks
from bioql.calls import Call, Unresolved, find_calls, parse_source
from bioql.errors import BioQLError

if TYPE_CHECKING:
    from bioql.chemistry.spec import ChemistrySpec, MaxCutSpec
    from bioql.circuits.ir import Program

# quantum()'s own arguments plus the backend options bioql.runtime accepts
QUANTUM_KWARGS = (
    "description",
    "backend",
    "shots",
    "seed",
    "method",
    "optimization_level",
    "noise_model",
)
# bioql.docking.dock's keyword arguments
DOCK_KWARGS = (
    "description", "ligand_smiles", "protein_pdb", "backend", "reference_ligand", "box_from",
    "center", "size", "padding", "exhaustiveness", "num_poses", "energy_range", "seed", "cpu",
    "ph", "ring_conformers", "keep_hetero", "remove_hetero", "cofactor_smiles", "qaoa_layers",
    "shots", "max_qubits",
)  # fmt: skip
# bioql.docking.screen's arguments
SCREEN_KWARGS = (
    "ligands", "protein_pdb", "reference_ligand", "box_from", "center", "size", "padding",
    "exhaustiveness", "num_poses", "energy_range", "seed", "ph", "ring_conformers",
    "max_stereoisomers", "keep_hetero", "remove_hetero", "cofactor_smiles", "workers", "cluster",
    "out", "results_format", "top", "progress",
)  # fmt: skip
BIOQL_EXPORTS = {
    "bioql": {
        "quantum", "dock", "compile_description", "QuantumResult", "BioQLError",
        "BioQLParseError", "BioQLValueError", "BioQLBackendError", "BioQLCredentialsError",
        "BioQLResourceError",
    },
    "bioql.docking": {"dock", "DockingResult", "screen", "ScreenSummary"},
}  # fmt: skip
ALLOWED_MODULES = {"math", "json", "time", "statistics", "pathlib", "collections"}
RESULT_ATTRS = {
    "counts", "probabilities", "shots", "backend", "most_likely", "circuit", "qasm",
    "description", "interpretation", "to_dict", "plot", "depth", "gate_counts", "timing",
    "program", "seed", "metadata",
    # DockingResult
    "ligand", "receptor", "box", "poses", "settings", "warnings", "quantum", "reference_ligand",
    "best_affinity_kcal_mol", "best_pose", "best_rmsd", "poses_sdf", "save", "timings",
    # ChemistryResult / OptimizationResult
    "spec", "points", "optimizer", "details", "total_seconds", "energy_hartree",
    "reference_hartree", "error_mha", "within_chemical_accuracy", "num_qubits", "num_parameters",
    "iterations", "evaluations", "converged", "convergence", "parameters", "cut", "cut_value",
    "optimum", "optimal_cuts", "approximation_ratio", "expected_cut_value",
    "probability_of_optimum", "distribution", "bond_length", "hartree_fock_hartree", "is_scan",
    "max_error_mha", "molecule", "point", "reading", "reference_method", "is_optimal",
    # ScreenSummary
    "ligands", "docked", "failed", "skipped", "results", "report", "seconds", "workers",
    "cluster", "top",
}  # fmt: skip
FORBIDDEN_CALLS = {"eval", "exec", "compile", "open", "__import__", "input", "globals", "locals"}
FORMAT_MARKERS = re.compile(
    r"<\|[a-z_]+\|>|^#{2,}\s*(Instruction|Reasoning|Code|Plan)\b", re.I | re.M
)


@dataclass
class Validation:
    """The outcome: ``ok`` and, if not, one sentence per problem (fed back to the model)."""

    errors: list[str] = field(default_factory=list)
    calls: list[Call] = field(default_factory=list)
    programs: list[Program] = field(default_factory=list)
    chemistry: list[ChemistrySpec | MaxCutSpec] = field(default_factory=list)  # VQE / MaxCut

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def message(self) -> str:
        return " ".join(self.errors)


def validate(
    code: str | None,
    *,
    prompt: str | None = None,
    require_call: bool = True,
    strict: bool = True,
) -> Validation:
    """Check ``code``; ``strict`` (for generated answers) demands literal arguments."""
    result = Validation()
    if code is None or not code.strip():
        result.errors.append("The answer contains no code.")
        return result
    _check_text(code, prompt, result)
    if result.errors:
        return result
    try:
        tree = parse_source(code)
    except BioQLError as exc:
        result.errors.append(str(exc))
        return result
    _check_imports(tree, result)
    _check_names(tree, result)
    result.calls = find_calls(tree)
    if require_call and not result.calls:
        result.errors.append(
            "The code never calls quantum(), dock() or screen(); a BioQL program runs "
            'quantum("<description>", backend="simulator", shots=1024).'
        )
    for call in result.calls:
        _check_call(call, strict, result)
    _check_result_attributes(tree, result)
    return result


# ---------------------------------------------------------------- text-level checks


def _check_text(code: str, prompt: str | None, result: Validation) -> None:
    if FORMAT_MARKERS.search(code):
        result.errors.append(
            "The answer contains prompt-format markers (such as '### Reasoning' or '<|plan|>') "
            "instead of only Python code."
        )
    if prompt and _is_echo(code, prompt):
        result.errors.append("The answer repeats the prompt instead of giving code.")
    junk = [ln for ln in code.splitlines() if ln.strip() and not re.search(r"[A-Za-z0-9]", ln)]
    if junk and any(not re.fullmatch(r"\s*[\)\]\}]+,?\s*", ln) for ln in junk):
        result.errors.append(
            f"The answer contains lines of stray punctuation such as {junk[0].strip()!r}."
        )


def _normal(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip().lower()


def _is_echo(code: str, prompt: str) -> bool:
    code_n, prompt_n = _normal(code), _normal(prompt)
    if not prompt_n:
        return False
    if code_n.startswith(prompt_n[:40]) and len(prompt_n) >= 8:
        return True
    # the prompt's words outside string literals (inside a description they are fine)
    without_strings = re.sub(r"(\"[^\"\n]*\"|'[^'\n]*')", '""', code)
    return len(prompt_n) >= 12 and prompt_n in _normal(without_strings)


# ---------------------------------------------------------------- names and imports


def _check_imports(tree: ast.Module, result: Validation) -> None:
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            module = node.module or ""
            if module in BIOQL_EXPORTS:
                for alias in node.names:
                    if alias.name not in BIOQL_EXPORTS[module]:
                        result.errors.append(_unknown_export(module, alias.name))
            elif module not in ALLOWED_MODULES:
                result.errors.append(_unknown_module(module))
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name not in BIOQL_EXPORTS and alias.name not in ALLOWED_MODULES:
                    result.errors.append(_unknown_module(alias.name))


def _unknown_export(module: str, name: str) -> str:
    names = sorted(BIOQL_EXPORTS[module])
    close = difflib.get_close_matches(name, names, n=1)
    hint = f" Did you mean {close[0]!r}?" if close else f" It offers: {', '.join(names)}."
    return f"{module} has no {name!r}.{hint}"


def _unknown_module(module: str) -> str:
    close = difflib.get_close_matches(module.lower(), list(BIOQL_EXPORTS), n=1, cutoff=0.6)
    hint = f" Did you mean 'from {close[0]} import ...'?" if close else ""
    return (
        f"The code imports {module!r}; BioQL programs import from bioql "
        f"(from bioql import quantum).{hint}"
    )


class _Names(ast.NodeVisitor):
    def __init__(self) -> None:
        self.defined: set[str] = set(dir(builtins))
        self.used: list[ast.Name] = []
        self.module_attrs: list[tuple[str, str]] = []
        self.bioql_aliases: dict[str, str] = {}
        self.forbidden: list[str] = []

    def visit_Import(self, node: ast.Import) -> None:
        for alias in node.names:
            name = alias.asname or alias.name.split(".")[0]
            self.defined.add(name)
            if alias.name in BIOQL_EXPORTS:
                self.bioql_aliases[alias.asname or alias.name] = alias.name

    def visit_ImportFrom(self, node: ast.ImportFrom) -> None:
        for alias in node.names:
            self.defined.add(alias.asname or alias.name)

    def visit_Name(self, node: ast.Name) -> None:
        if isinstance(node.ctx, (ast.Store, ast.Del)):
            self.defined.add(node.id)
        else:
            self.used.append(node)

    def visit_arg(self, node: ast.arg) -> None:
        self.defined.add(node.arg)

    def visit_FunctionDef(self, node: ast.FunctionDef) -> None:
        self.defined.add(node.name)
        self.generic_visit(node)

    visit_AsyncFunctionDef = visit_FunctionDef  # type: ignore[assignment]

    def visit_ClassDef(self, node: ast.ClassDef) -> None:
        self.defined.add(node.name)
        self.generic_visit(node)

    def visit_ExceptHandler(self, node: ast.ExceptHandler) -> None:
        if node.name:
            self.defined.add(node.name)
        self.generic_visit(node)

    def visit_Attribute(self, node: ast.Attribute) -> None:
        if isinstance(node.value, ast.Name) and node.value.id in self.bioql_aliases:
            self.module_attrs.append((self.bioql_aliases[node.value.id], node.attr))
        self.generic_visit(node)

    def visit_Call(self, node: ast.Call) -> None:
        if isinstance(node.func, ast.Name) and node.func.id in FORBIDDEN_CALLS:
            self.forbidden.append(node.func.id)
        self.generic_visit(node)


def _check_names(tree: ast.Module, result: Validation) -> None:
    names = _Names()
    names.visit(tree)
    reported: set[str] = set()
    for node in names.used:
        if node.id not in names.defined and node.id not in reported:
            reported.add(node.id)
            if node.id in ("quantum", "dock", "screen"):
                module = "bioql" if node.id == "quantum" else "bioql.docking"
                result.errors.append(
                    f"{node.id}() is used but never imported; add 'from {module} import {node.id}'."
                )
            else:
                result.errors.append(
                    f"Line {node.lineno}: name {node.id!r} is not defined; BioQL code uses "
                    "quantum() and dock() imported from bioql, not database-style objects."
                )
    for module, attr in names.module_attrs:
        if attr not in BIOQL_EXPORTS[module] and attr != "docking":
            result.errors.append(_unknown_export(module, attr))
    for name in sorted(set(names.forbidden)):
        result.errors.append(f"The code calls {name}(), which a BioQL program never needs.")


# ---------------------------------------------------------------- the calls themselves


def _check_call(call: Call, strict: bool, result: Validation) -> None:
    allowed = {"quantum": QUANTUM_KWARGS, "screen": SCREEN_KWARGS}.get(call.func, DOCK_KWARGS)
    where = f"Line {call.lineno}: {call.func}()"
    for key in call.kwargs:
        if key not in allowed:
            close = difflib.get_close_matches(key, allowed, n=1, cutoff=0.5)
            hint = f"; did you mean {close[0]}=?" if close else f"; it accepts {', '.join(allowed)}"
            result.errors.append(f"{where} has no argument {key!r}{hint}")
    if call.func == "quantum":
        _check_quantum(call, strict, where, result)
    elif call.func == "screen":
        _check_screen(call, strict, where, result)
    else:
        _check_dock(call, strict, where, result)


def _literal_ok(value: Any, strict: bool, what: str, where: str, result: Validation) -> bool:
    """False when the value is not a literal (an error in strict mode, skipped otherwise)."""
    if isinstance(value, Unresolved):
        if strict:
            result.errors.append(
                f"{where}: {what} must be written out literally, got {value.source!r}."
            )
        return False
    return True


def _check_quantum(call: Call, strict: bool, where: str, result: Validation) -> None:
    if len(call.args) > 1:
        extra = ", ".join(repr(a.source if isinstance(a, Unresolved) else a) for a in call.args[1:])
        result.errors.append(
            f"{where} takes only the description positionally, got also {extra}; qubit counts "
            'belong in the description and the rest are keywords: quantum("Apply the QFT to 4 '
            'qubits", backend="simulator", shots=1024).'
        )
    description = call.argument("description", 0)
    program = None
    if description is None:
        result.errors.append(f'{where} needs a description, e.g. quantum("Create a Bell state").')
    elif _literal_ok(description, strict, "the description", where, result):
        try:
            spec = checks.check_chemistry(description)
            if spec is not None:  # quantum() runs VQE / QAOA for it, as it reads it first
                result.chemistry.append(spec)
                backend_arg, shots_arg = call.kwargs.get("backend"), call.kwargs.get("shots")
                _check_consistency(spec, backend_arg, shots_arg, where, result)
            else:
                program = checks.check_description(description)
                result.programs.append(program)
        except BioQLError as exc:
            result.errors.append(f"{where}: {exc}")
    backend = call.kwargs.get("backend")
    shots = call.kwargs.get("shots")
    for name, value, check in (
        ("backend", backend, checks.check_backend),
        ("shots", shots, checks.check_shots),
    ):
        if value is not None and _literal_ok(value, strict, name, where, result):
            try:
                check(value)
            except BioQLError as exc:
                result.errors.append(f"{where}: {exc}")
    seed = call.kwargs.get("seed")
    if (
        seed is not None
        and not isinstance(seed, Unresolved)
        and (isinstance(seed, bool) or not isinstance(seed, int))
    ):
        result.errors.append(f"{where}: seed must be a whole number, got {seed!r}.")
    if program is not None:
        _check_consistency(program, backend, shots, where, result)


def _check_consistency(
    program: Program | ChemistrySpec | MaxCutSpec,
    backend: Any,
    shots: Any,
    where: str,
    result: Validation,
) -> None:
    """A description that names its own backend or shots must agree with the keywords."""
    stated_backend = getattr(program, "backend", None)
    if stated_backend and isinstance(backend, str) and stated_backend != backend:
        result.errors.append(
            f"{where}: the description says backend {stated_backend!r} but backend={backend!r}."
        )
    stated_shots = getattr(program, "shots", None)
    if stated_shots and isinstance(shots, int) and stated_shots != shots:
        result.errors.append(
            f"{where}: the description says {stated_shots} shots but shots={shots}."
        )


def _check_dock(call: Call, strict: bool, where: str, result: Validation) -> None:
    if call.args and "description" in call.kwargs:
        result.errors.append(f"{where} got the description twice.")
    if len(call.args) > 1:
        result.errors.append(
            f"{where} takes only the description positionally; pass ligand_smiles=, "
            "protein_pdb= and backend= as keywords."
        )
    for key in ("ligand_smiles", "protein_pdb"):
        value = call.kwargs.get(key)
        if value is None:
            result.errors.append(f"{where} needs {key}=.")
        elif _literal_ok(value, strict, key, where, result) and (
            not isinstance(value, str) or not value.strip()
        ):
            result.errors.append(f"{where}: {key} must be a non-empty string, got {value!r}.")
    _check_dock_inputs(call, where, result)
    backend = call.kwargs.get("backend")
    if (
        backend is not None
        and _literal_ok(backend, strict, "backend", where, result)
        and backend not in ("vina", "quantum", "simulator")
    ):
        result.errors.append(
            f"{where}: docking backend must be 'vina', 'quantum' or 'simulator', got {backend!r}."
        )


def _check_screen(call: Call, strict: bool, where: str, result: Validation) -> None:
    """screen(ligands, protein_pdb, ...): a library file (or list) and a receptor file."""
    if len(call.args) > 2:
        result.errors.append(
            f"{where} takes the library and the receptor positionally; pass the rest as "
            "keywords (reference_ligand=, center=, size=, exhaustiveness=, workers=, out=...)."
        )
    for key, position in (("ligands", 0), ("protein_pdb", 1)):
        value = call.argument(key, position)
        if key in call.kwargs and position < len(call.args):
            result.errors.append(f"{where} got {key} twice.")
        if value is None:
            result.errors.append(f"{where} needs {key}=.")
        elif _literal_ok(value, strict, key, where, result):
            if key == "protein_pdb" and (
                not isinstance(value, str) or not value.lower().endswith((".pdb", ".pdbqt"))
            ):
                result.errors.append(
                    f"{where}: protein_pdb must be a .pdb or .pdbqt file, got {value!r}."
                )
            elif key == "ligands" and not (
                (isinstance(value, str) and value.strip()) or isinstance(value, (list, tuple))
            ):
                result.errors.append(
                    f"{where}: ligands must be a .smi, .csv or .sdf file or a list of SMILES "
                    f"strings, got {value!r}."
                )
    for key in ("exhaustiveness", "num_poses", "seed", "workers"):
        value = call.kwargs.get(key)
        if value is None or not _literal_ok(value, strict, key, where, result):
            continue
        if (
            isinstance(value, bool)
            or not isinstance(value, int)
            or value < (0 if key == "seed" else 1)
        ):
            result.errors.append(f"{where}: {key} must be a positive whole number, got {value!r}.")
    for key in ("center", "size"):
        value = call.kwargs.get(key)
        if value is None or not _literal_ok(value, strict, key, where, result):
            continue
        if isinstance(value, str):
            continue  # "10,20,5", as the command line writes it
        if not isinstance(value, (list, tuple)) or len(value) != 3:
            result.errors.append(f"{where}: {key} must be three numbers (x, y, z), got {value!r}.")
    if ("center" in call.kwargs) != ("size" in call.kwargs):
        result.errors.append(f"{where}: an explicit box needs both center= and size=.")


def _check_dock_inputs(call: Call, where: str, result: Validation) -> None:
    """A ligand that is really a file name, or a receptor that is not a PDB file (swapped)."""
    ligand, protein = call.kwargs.get("ligand_smiles"), call.kwargs.get("protein_pdb")
    if (
        isinstance(protein, str)
        and protein.strip()
        and not protein.lower().endswith((".pdb", ".pdbqt"))
    ):
        result.errors.append(
            f"{where}: protein_pdb must be a .pdb or .pdbqt file, got {protein!r}."
        )
    if isinstance(ligand, str) and ligand.strip():
        from bioql.language.docking import smiles_parses

        if ligand.lower().endswith((".pdb", ".pdbqt")) or not smiles_parses(ligand):
            result.errors.append(
                f"{where}: ligand_smiles must be a SMILES string such as 'CCO', got {ligand!r}."
            )


def _check_result_attributes(tree: ast.Module, result: Validation) -> None:
    """``result.connect()`` and friends: attributes that BioQL results do not have."""
    bound: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign) and isinstance(node.value, ast.Call):
            func = node.value.func
            name = func.id if isinstance(func, ast.Name) else getattr(func, "attr", None)
            if name in ("quantum", "dock", "screen"):
                bound |= {t.id for t in node.targets if isinstance(t, ast.Name)}
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Attribute)
            and isinstance(node.value, ast.Name)
            and node.value.id in bound
            and node.attr not in RESULT_ATTRS
            and not node.attr.startswith("_")
        ):
            close = difflib.get_close_matches(node.attr, sorted(RESULT_ATTRS), n=1)
            hint = f"; did you mean .{close[0]}?" if close else ""
            result.errors.append(
                f"Line {node.lineno}: results have no attribute {node.attr!r}{hint}"
            )
