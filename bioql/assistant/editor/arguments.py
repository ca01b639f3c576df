"""``bioql fix`` for the arguments of one ``quantum()`` or ``dock()`` call.

Each repair returns the call's new source text and says what it did, one sentence per change
in ``changes``; what it cannot repair goes to ``problems`` (shown as what remains). Keywords
that describe the circuit (``n_qubits=3``, ``marked=["101"]``, ``secret="1011"``) move into
the description, which is then checked with BioQL's compiler.
"""

from __future__ import annotations

import ast
import difflib
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeGuard

from bioql.assistant.checking import checks
from bioql.assistant.reading import read_request
from bioql.errors import BioQLError
from bioql.language.classify import tokenize
from bioql.language.docking import smiles_parses
from bioql.language.options import extract_options
from bioql.language.segments import plain_text

SHOT_NAMES = {
    "shot", "n_shots", "num_shots", "nshots", "shots_count", "repetitions", "reps", "samples",
    "disparos", "nshot", "shoots",
}  # fmt: skip
BACKEND_NAMES = {
    "device", "backend_name", "provider", "target", "machine", "hardware", "qpu", "simulator",
    "dispositivo",
}  # fmt: skip
QUBIT_NAMES = {
    "qubits", "n_qubits", "num_qubits", "nqubits", "qubit", "size", "n", "width", "cubits",
}  # fmt: skip
#: keywords naming the states a search looks for ("target" only when it is not a backend)
MARKED_NAMES = {"marked", "marked_states", "marked_state", "target", "targets", "solution"}
SECRET_NAMES = {"secret", "secret_string", "hidden_string", "s"}
DESCRIPTION_NAMES = {
    "desc", "text", "prompt", "query", "program", "circuit", "descripcion", "instruction",
}  # fmt: skip
SEED_NAMES = {"random_seed", "seed_simulator", "rng_seed"}
QUANTUM_KEYWORDS = ("description", "backend", "shots", "seed")
DOCK_RENAMES = {
    "smiles": "ligand_smiles", "ligand": "ligand_smiles", "ligand_smile": "ligand_smiles",
    "protein": "protein_pdb", "pdb": "protein_pdb", "receptor": "protein_pdb",
    "protein_file": "protein_pdb", "pdb_file": "protein_pdb", "receptor_pdb": "protein_pdb",
}  # fmt: skip
PDB_ID = re.compile(r"[0-9][A-Za-z0-9]{3}")
#: the placeholder ``fix`` writes for "N qubits" (not Python) before parsing the program
INLINE_QUBITS = "__bioql_qubits__"


@dataclass
class CallFix:
    """What repairing one call found: its new source (None if unchanged) and the sentences."""

    source: str | None = None
    changes: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


@dataclass
class _Quantum:
    """The pieces of a ``quantum()`` call as they are being repaired."""

    description: ast.expr | None = None
    qubits: int | None = None
    phrases: list[str] = field(default_factory=list)  # circuit details moved into the text
    keywords: dict[str, str] = field(default_factory=dict)  # name → source of the value
    rest: list[str] = field(default_factory=list)  # **options, kept as written


def fix_quantum(code: str, node: ast.Call) -> CallFix:
    result = CallFix()
    call = _Quantum(description=node.args[0] if node.args else None)
    for extra in node.args[1:]:
        _positional(code, extra, call, result)
    for keyword in node.keywords:
        _keyword(code, keyword, call, result)
    description = _description(code, call, result)
    if result.changes:
        parts = [description, *(f"{k}={v}" for k, v in call.keywords.items()), *call.rest]
        result.source = f"{source_of(code, node.func)}({', '.join(parts)})"
    return result


def _positional(code: str, extra: ast.expr, call: _Quantum, result: CallFix) -> None:
    value = literal(extra)
    written = source_of(code, extra)
    if _is_int(value) and value <= 64 and call.qubits is None and "shots" not in call.keywords:
        call.qubits = value
        result.changes.append(
            f"Moved the positional {value} into the description as the qubit count; "
            "quantum() takes only the description positionally."
        )
    elif _is_int(value):
        call.keywords["shots"] = str(value)
        result.changes.append(f"Passed the positional {value} as shots={value}.")
    elif isinstance(value, str) and backend_name(value):
        call.keywords["backend"] = json.dumps(backend_name(value))
        result.changes.append(
            f"Passed the positional {written} as backend={backend_name(value)!r}."
        )
    elif _states(value):
        call.phrases.append(f"for {_states(value)}")
        result.changes.append(f"Moved the positional {written} into the description.")
    else:
        result.changes.append(
            f"Removed the positional argument {written}, which quantum() does not take."
        )


def _keyword(code: str, keyword: ast.keyword, call: _Quantum, result: CallFix) -> None:
    if keyword.arg is None:
        call.rest.append("**" + source_of(code, keyword.value))
        return
    key, written, value = keyword.arg, source_of(code, keyword.value), literal(keyword.value)
    if _moves_into_description(key, value, written, call, result):
        return
    if key in DESCRIPTION_NAMES and call.description is None:
        call.description = keyword.value
        result.changes.append(f"Passed {key}= as the description (the first argument).")
        return
    name = _keyword_name(key, written, result)
    if name == "description":
        call.description = keyword.value
    elif name == "shots":
        call.keywords[name] = _shots(value, written, result)
    elif name == "backend":
        call.keywords[name] = _backend(value, written, result)
    elif name is not None:
        call.keywords[name] = written


def _moves_into_description(
    key: str, value: object, written: str, call: _Quantum, result: CallFix
) -> bool:
    """Keywords that describe the circuit: their value becomes words of the description."""
    if _is_int(value) and (key == INLINE_QUBITS or key in QUBIT_NAMES):
        call.qubits = value
        if key != INLINE_QUBITS:
            result.changes.append(
                f"Moved {key}={value} into the description; the qubit count is part of it."
            )
        return True
    phrase = _phrase(key, value)
    if phrase is None:
        return False
    call.phrases.append(phrase)
    result.changes.append(f'Moved {key}={written} into the description as "{phrase}".')
    return True


def _phrase(key: str, value: object) -> str | None:
    if key in SECRET_NAMES and _states(value):
        return f"with secret {_states(value)}"
    is_backend = isinstance(value, str) and backend_name(value) is not None
    if key in MARKED_NAMES and not is_backend and _states(value):
        return f"for {_states(value)}"
    return None


def _states(value: object) -> str | None:
    """Basis states written as bit strings ("101", [5, 3] as bits) joined for a description."""
    items = value if isinstance(value, (list, tuple, set)) else [value]
    bits = [_bits(item) for item in items]
    if not bits or any(b is None for b in bits):
        return None
    width = max(len(b) for b in bits if b is not None)
    return " and ".join(b.zfill(width) for b in bits if b is not None)


def _bits(item: object) -> str | None:
    if isinstance(item, str) and re.fullmatch(r"\|?[01]+>?", item.strip()):
        return item.strip().strip("|>")
    if _is_int(item) and item >= 0:
        return format(item, "b")
    return None


def _keyword_name(key: str, written: str, result: CallFix) -> str | None:
    """The quantum() keyword ``key`` was meant as, or None when it is dropped."""
    for names, right in ((SHOT_NAMES, "shots"), (BACKEND_NAMES, "backend"), (SEED_NAMES, "seed")):
        if key in names:
            result.changes.append(f"Renamed {key}= to {right}=.")
            return right
    if key in QUANTUM_KEYWORDS:
        return key
    close = difflib.get_close_matches(key, QUANTUM_KEYWORDS[1:], n=1, cutoff=0.6)
    if close:
        result.changes.append(f"Renamed {key}= to {close[0]}=.")
        return close[0]
    result.changes.append(
        f"Removed {key}={written}: quantum() accepts description, backend, shots and seed."
    )
    return None


def _shots(value: object, written: str, result: CallFix) -> str:
    if isinstance(value, str):
        text = plain_text(value.strip())
        text = text.replace("shots", "").replace(",", "").replace("_", "").strip()
        if text.isdigit():
            result.changes.append(
                f"Changed shots from the string {value!r} to the number {int(text)}."
            )
            return str(int(text))
    if isinstance(value, float) and value.is_integer() and value > 0:
        result.changes.append(f"Changed shots from {value} to the whole number {int(value)}.")
        return str(int(value))
    return written


def _backend(value: object, written: str, result: CallFix) -> str:
    name = backend_name(value) if isinstance(value, str) else None
    if name and name != value:
        result.changes.append(f"Changed backend {value!r} to {name!r}.")
        return json.dumps(name)
    return written


def _description(code: str, call: _Quantum, result: CallFix) -> str:
    """The description's source, with the moved details, rewritten until it compiles."""
    if call.description is None:
        result.changes.append(
            'Added a description; quantum() needs one, e.g. "Create a Bell state".'
        )
        return json.dumps("Create a Bell state")
    value = literal(call.description)
    if not isinstance(value, str):
        return source_of(code, call.description)
    sized = [f"on {call.qubits} qubits"] if call.qubits is not None else []
    text = " ".join([value, *call.phrases, *sized])
    if checks.compiles(text):
        if text != value:
            result.changes.append(f'Rewrote the description as "{text}".')
        return json.dumps(text, ensure_ascii=False)
    rewritten = _canonical(text)
    # a rewrite that lost a moved value would quietly run a different circuit
    moved = [*call.phrases, *sized]
    if rewritten is not None and all(_values_of(p) <= _values_of(rewritten) for p in moved):
        result.changes.append(
            f'Rewrote the description "{text}" as "{rewritten}", which BioQL compiles.'
        )
        return json.dumps(rewritten, ensure_ascii=False)
    if text != value:  # keep what was moved: dropping it would quietly change the program
        result.changes.append(f'Rewrote the description as "{text}".')
        return json.dumps(text, ensure_ascii=False)
    return source_of(code, call.description)


def _values_of(text: str) -> set[str]:
    return set(re.findall(r"\d+", text))


def _canonical(text: str) -> str | None:
    plan = read_request(text).plan
    if plan is not None and len(plan.calls) == len(plan.quantum_calls) == 1:
        return plan.quantum_calls[0].description
    return None


def backend_name(value: str) -> str | None:
    """The backend name (docs/backends.md) that ``value`` is a spelling of, else None.

    A name BioQL runs is kept; an identifier-like spelling ("aer_simulator", "ionq",
    "fake_torino_v2", "statevector_simulator") is read by the language's backend rules, the
    ones a description's "on IonQ" follows; "FakeTorino" is qiskit's class name for a device.
    """
    raw = value.strip()
    low = raw.lower().replace("-", "_").replace(" ", "_")
    for candidate in (raw, low):
        try:
            checks.check_backend(candidate)
            return candidate
        except BioQLError:
            pass
    if len(raw.split()) > 2 or not re.fullmatch(r"[\w.]+", low):
        return None  # a sentence is a description, not a backend
    named = _language_backend(low.replace("_", " "))
    if named is not None:
        return named
    fake = re.fullmatch(r"fake_?([a-z]+?)(?:_?v2)?", low)
    if fake and fake.group(1) in checks.fake_devices():
        return f"fake_{fake.group(1)}"
    return None


def _language_backend(words: str) -> str | None:
    try:
        _, options = extract_options(tokenize(words))
        if options.backend is not None:
            checks.check_backend(options.backend)
    except BioQLError:
        return None
    return options.backend


# ---------------------------------------------------------------- dock()


def fix_dock(code: str, node: ast.Call, files: Path | None) -> CallFix:
    """Positional ligands and receptors as keywords, keyword spellings, the receptor file."""
    result = CallFix()
    parts: list[str] = []
    keywords: dict[str, ast.expr] = {}
    for index, arg in enumerate(node.args):
        name = _dock_positional(literal(arg), first=index == 0)
        if name == "description":
            parts.append(source_of(code, arg))
        elif name is not None and name not in keywords:
            keywords[name] = arg
            result.changes.append(f"Passed the positional {source_of(code, arg)} as {name}=.")
        else:
            result.changes.append(
                f"Removed the positional argument {source_of(code, arg)}; dock() takes keywords."
            )
    for keyword in node.keywords:
        if keyword.arg is None:
            parts.append("**" + source_of(code, keyword.value))
            continue
        key = DOCK_RENAMES.get(keyword.arg, keyword.arg)
        if key != keyword.arg:
            result.changes.append(f"Renamed {keyword.arg}= to {key}=.")
        keywords[key] = keyword.value
    for key, value in keywords.items():
        written = source_of(code, value)
        if key == "protein_pdb":
            written = _receptor(literal(value), written, files, result)
        parts.append(f"{key}={written}")
    if result.changes:
        result.source = f"{source_of(code, node.func)}({', '.join(parts)})"
    return result


def _dock_positional(value: object, first: bool) -> str | None:
    """Which dock() argument a positional value is: a receptor, a ligand or the description."""
    if not isinstance(value, str):
        return None
    text = value.strip()
    if text.lower().endswith((".pdb", ".pdbqt")) or PDB_ID.fullmatch(text):
        return "protein_pdb"
    if " " not in text and smiles_parses(text):
        return "ligand_smiles"
    return "description" if first else None


def _receptor(value: object, written: str, files: Path | None, result: CallFix) -> str:
    """A PDB ID or a missing file: a local file of that name when there is one, else a problem."""
    if not isinstance(value, str):
        return written
    found = _local_file(value, files)
    if found is not None and found != value:
        result.changes.append(f"Changed protein_pdb {value!r} to the file {found!r}.")
        return json.dumps(found)
    if found is not None:
        return written
    if PDB_ID.fullmatch(value.strip()):
        result.problems.append(
            f"protein_pdb={value!r} is a PDB ID, but dock() reads a local PDB file: download "
            f"https://files.rcsb.org/download/{value.strip().upper()}.pdb and pass its path, "
            f"e.g. protein_pdb='{value.strip().lower()}.pdb'."
        )
    elif files is not None:
        result.problems.append(
            f"The receptor file {value!r} does not exist in {files}; pass the path of a PDB file."
        )
    return written


def _local_file(value: str, files: Path | None) -> str | None:
    """``value`` itself, or the one file in ``files`` it names in another case or spelling."""
    if files is None:
        return None
    path = Path(value.strip())
    if (files / path).is_file():
        return value
    wanted = path.name.lower() if path.suffix else f"{path.name.lower()}.pdb"
    folder = files / path.parent
    names = [p.name for p in folder.glob("*") if p.suffix.lower() in (".pdb", ".pdbqt")]
    same = [n for n in names if n.lower() == wanted]
    close = same or difflib.get_close_matches(wanted, names, n=1, cutoff=0.85)
    return str(path.parent / close[0]) if close else None


# ---------------------------------------------------------------- shared


def source_of(code: str, node: ast.AST) -> str:
    return ast.get_source_segment(code, node) or ast.unparse(node)


def literal(node: ast.AST) -> object:
    try:
        return ast.literal_eval(node)
    except (ValueError, SyntaxError, TypeError):
        return NOT_LITERAL


NOT_LITERAL = object()


def _is_int(value: object) -> TypeGuard[int]:
    return isinstance(value, int) and not isinstance(value, bool)
