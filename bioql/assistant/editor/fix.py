"""``bioql fix``: repair the mistakes people (and the seeds' model) make with the BioQL API.

Handled, each with one sentence in ``changes``: descriptions too terse to compile
(``quantum("QFT", 4)``), qubit counts written as arguments (``quantum("Bell", 2 qubits)``),
shots given as strings, wrong keyword names (``shot=``, ``device=``, ``qubits=``), wrong
backend spellings, misspelled or missing imports, and calls left unclosed. Edits are made
in place on the source text, so comments and layout elsewhere are untouched.
"""

from __future__ import annotations

import ast
import difflib
import json
import re

from bioql.assistant import checks, intent
from bioql.assistant.api import FixResult
from bioql.assistant.numbers import normalise_numerals, words_to_numbers
from bioql.assistant.validate import validate
from bioql.errors import BioQLError

SHOT_NAMES = {
    "shot",
    "n_shots",
    "num_shots",
    "nshots",
    "shots_count",
    "repetitions",
    "reps",
    "samples",
    "disparos",
    "nshot",
    "shoots",
}
BACKEND_NAMES = {
    "device",
    "backend_name",
    "provider",
    "target",
    "machine",
    "hardware",
    "qpu",
    "simulator",
    "dispositivo",
}
QUBIT_NAMES = {
    "qubits",
    "n_qubits",
    "num_qubits",
    "nqubits",
    "qubit",
    "size",
    "n",
    "width",
    "cubits",
}
DESCRIPTION_NAMES = {
    "desc",
    "text",
    "prompt",
    "query",
    "program",
    "circuit",
    "descripcion",
    "instruction",
}
SEED_NAMES = {"random_seed", "seed_simulator", "rng_seed"}
DOCK_RENAMES = {
    "smiles": "ligand_smiles", "ligand": "ligand_smiles", "ligand_smile": "ligand_smiles",
    "protein": "protein_pdb", "pdb": "protein_pdb", "receptor": "protein_pdb",
    "protein_file": "protein_pdb", "pdb_file": "protein_pdb", "receptor_pdb": "protein_pdb",
}  # fmt: skip


def fix(code: str) -> FixResult:
    changes: list[str] = []
    code = _fix_text(code, changes)
    try:
        tree = ast.parse(code)
    except SyntaxError as exc:
        changes.append(f"Could not repair the syntax error on line {exc.lineno}: {exc.msg}.")
        return FixResult(code=code, changes=changes, valid=False)
    code = _fix_calls(code, tree, changes)
    code = _fix_missing_imports(code, changes)
    checked = validate(code, require_call=False, strict=False)
    return FixResult(code=code, changes=changes, valid=checked.ok)


# ---------------------------------------------------------------- text-level repairs


def _fix_text(code: str, changes: list[str]) -> str:
    code = _fix_import_lines(code, changes)

    def inline_qubits(m: re.Match[str]) -> str:
        changes.append(
            f"Removed the argument '{m.group(1)} {m.group(2)}' (not valid Python) and put the "
            "qubit count into the description, where quantum() reads it."
        )
        return f", __bioql_qubits__={m.group(1)}"

    code = re.sub(r",\s*(\d+)\s+(qubits?|cubits?)\b", inline_qubits, code)
    for _ in range(6):
        try:
            ast.parse(code)
            break
        except SyntaxError as exc:
            repaired = _close_line(code, exc)
            if repaired is None:
                break
            code, sentence = repaired
            changes.append(sentence)
    return code


def _fix_import_lines(code: str, changes: list[str]) -> str:
    lines = code.splitlines(keepends=True)
    for i, line in enumerate(lines):
        m = re.match(r"^(\s*)from\s+([\w.]+)\s+import\s+(.+?)(\s*)$", line)
        if m:
            module = _closest(m.group(2), ["bioql", "bioql.docking"]) or m.group(2)
            names = [n.strip() for n in m.group(3).strip("()").split(",") if n.strip()]
            fixed_names = [
                _closest(n.split(" as ")[0], ["quantum", "dock", "compile_description"]) or n
                for n in names
            ]
            if module == "bioql.docking":
                fixed_names = ["dock" if n == "quantum" else n for n in fixed_names]
            new = f"{m.group(1)}from {module} import {', '.join(fixed_names)}{m.group(4)}"
            if new.rstrip() != line.rstrip():
                changes.append(f"Fixed the import: '{line.strip()}' → '{new.strip()}'.")
                lines[i] = new + ("\n" if line.endswith("\n") and not new.endswith("\n") else "")
            continue
        m = re.match(r"^(\s*)import\s+(\w+)(\s*)$", line)
        if m and m.group(2) != "bioql" and _closest(m.group(2), ["bioql"]):
            old = m.group(2)
            changes.append(f"Fixed the import: 'import {old}' → 'import bioql'.")
            lines[i] = f"{m.group(1)}import bioql{m.group(3)}"
            rest = "".join(lines[i + 1 :])
            lines[i + 1 :] = [re.sub(rf"\b{re.escape(old)}\.", "bioql.", rest)]
            break
    return "".join(lines)


def _closest(name: str, options: list[str]) -> str | None:
    if name in options:
        return name
    lowered = name.lower()
    if lowered in options:
        return lowered
    close = difflib.get_close_matches(lowered, options, n=1, cutoff=0.7)
    return close[0] if close else None


def _close_line(code: str, exc: SyntaxError) -> tuple[str, str] | None:
    """Close an unterminated string or call on the line the parser complains about."""
    msg = exc.msg or ""
    if not exc.lineno or not (
        "never closed" in msg
        or "unterminated string" in msg
        or "was never closed" in msg
        or "unexpected EOF" in msg
    ):
        return None
    lines = code.splitlines()
    idx = exc.lineno - 1
    if "never closed" in msg and exc.offset and msg.startswith("'('"):
        # the line where the unclosed '(' opened: close the call at the end of its last line
        end = idx
        while (
            end + 1 < len(lines)
            and lines[end + 1].strip()
            and lines[end + 1].startswith((" ", "\t"))
        ):
            end += 1
        target = lines[end]
        body, comment = _split_comment(target)
        closers = _missing_closers(body if end == idx else "\n".join(lines[idx : end + 1]))
        lines[end] = body.rstrip() + closers + comment
        return "\n".join(
            lines
        ) + "\n", f"Closed the call left open on line {exc.lineno} (added {closers!r})."
    if "unterminated string" in msg:
        line = lines[idx]
        quote = '"' if line.count('"') % 2 else "'"
        body = line.rstrip()
        stripped = body.rstrip(")")
        closing = body[len(stripped) :]
        lines[idx] = stripped + quote + closing
        return "\n".join(lines) + "\n", f"Closed the string left open on line {exc.lineno}."
    return None


def _split_comment(line: str) -> tuple[str, str]:
    in_str: str | None = None
    for i, ch in enumerate(line):
        if in_str:
            if ch == in_str:
                in_str = None
        elif ch in "\"'":
            in_str = ch
        elif ch == "#":
            return line[:i], "  " + line[i:]
    return line, ""


def _missing_closers(text: str) -> str:
    stack: list[str] = []
    in_str: str | None = None
    pairs = {"(": ")", "[": "]", "{": "}"}
    for ch in text:
        if in_str:
            if ch == in_str:
                in_str = None
        elif ch in "\"'":
            in_str = ch
        elif ch in pairs:
            stack.append(pairs[ch])
        elif ch in ")]}" and stack:
            stack.pop()
    return (in_str or "") + "".join(reversed(stack))


# ---------------------------------------------------------------- call-level repairs


def _fix_calls(code: str, tree: ast.Module, changes: list[str]) -> str:
    calls = [
        node
        for node in ast.walk(tree)
        if isinstance(node, ast.Call) and _name(node) in ("quantum", "dock")
    ]
    # edit from the end so earlier offsets stay valid
    calls.sort(key=lambda n: (n.lineno, n.col_offset), reverse=True)
    lines = code.splitlines(keepends=True)
    offsets = [0]
    for line in lines:
        offsets.append(offsets[-1] + len(line))
    for node in calls:
        rebuilt = (
            _fix_quantum(code, node, changes)
            if _name(node) == "quantum"
            else _fix_dock(code, node, changes)
        )
        if rebuilt is None:
            continue
        start = offsets[node.lineno - 1] + _char_col(lines[node.lineno - 1], node.col_offset)
        end = offsets[node.end_lineno - 1] + _char_col(
            lines[node.end_lineno - 1], node.end_col_offset
        )
        code = code[:start] + rebuilt + code[end:]
    return code


def _char_col(line: str, byte_col: int) -> int:
    return len(line.encode("utf-8")[:byte_col].decode("utf-8", errors="ignore"))


def _name(node: ast.Call) -> str | None:
    if isinstance(node.func, ast.Name):
        return node.func.id
    if isinstance(node.func, ast.Attribute):
        return node.func.attr
    return None


def _src(code: str, node: ast.AST) -> str:
    return ast.get_source_segment(code, node) or ast.unparse(node)


def _literal(node: ast.AST) -> object:
    try:
        return ast.literal_eval(node)
    except (ValueError, SyntaxError, TypeError):
        return _NOT_LITERAL


_NOT_LITERAL = object()


def _fix_quantum(code: str, node: ast.Call, changes: list[str]) -> str | None:
    before = len(changes)
    func = _src(code, node.func)
    description: ast.AST | None = node.args[0] if node.args else None
    args: dict[str, str] = {}
    qubits: int | None = None
    for extra in node.args[1:]:
        value = _literal(extra)
        if (
            isinstance(value, int)
            and not isinstance(value, bool)
            and value <= 64
            and qubits is None
            and "shots" not in args
        ):
            qubits = value
            changes.append(
                f"Moved the positional {value} into the description as the qubit count; quantum() takes only the description positionally."
            )
        elif isinstance(value, int) and not isinstance(value, bool):
            args["shots"] = str(value)
            changes.append(f"Passed the positional {value} as shots={value}.")
        elif isinstance(value, str) and _backend_name(value):
            args["backend"] = json.dumps(_backend_name(value))
            changes.append(f"Passed the positional {value!r} as backend={_backend_name(value)!r}.")
        else:
            changes.append(
                f"Removed the positional argument {_src(code, extra)}, which quantum() does not take."
            )
    for kw in node.keywords:
        if kw.arg is None:
            args["**"] = "**" + _src(code, kw.value)
            continue
        key, value_src = kw.arg, _src(code, kw.value)
        value = _literal(kw.value)
        if (key == "__bioql_qubits__" or key in QUBIT_NAMES) and isinstance(value, int):
            qubits = value
            if key != "__bioql_qubits__":
                changes.append(
                    f"Moved {key}={value} into the description; the qubit count is part of the description."
                )
            continue
        if key in DESCRIPTION_NAMES and description is None:
            description = kw.value
            changes.append(f"Passed {key}= as the description (the first argument).")
            continue
        if key in SHOT_NAMES:
            changes.append(f"Renamed {key}= to shots=.")
            key = "shots"
        elif key in BACKEND_NAMES:
            changes.append(f"Renamed {key}= to backend=.")
            key = "backend"
        elif key in SEED_NAMES:
            changes.append(f"Renamed {key}= to seed=.")
            key = "seed"
        elif key not in ("description", "backend", "shots", "seed"):
            close = difflib.get_close_matches(key, ["backend", "shots", "seed"], n=1, cutoff=0.6)
            if close:
                changes.append(f"Renamed {key}= to {close[0]}=.")
                key = close[0]
            else:
                changes.append(
                    f"Removed {key}={value_src}: quantum() accepts description, backend, shots and seed."
                )
                continue
        if key == "description":
            description = kw.value
            continue
        if key == "shots":
            value_src = _fix_shots(value, value_src, changes)
        if key == "backend" and isinstance(value, str):
            name = _backend_name(value)
            if name and name != value:
                changes.append(f"Changed backend {value!r} to {name!r}.")
                value_src = json.dumps(name)
        args[key] = value_src
    desc_src = _fix_description(code, description, qubits, changes)
    if len(changes) == before:
        return None
    parts = [desc_src] + [f"{k}={v}" for k, v in args.items() if k != "**"]
    if "**" in args:
        parts.append(args["**"])
    return f"{func}({', '.join(parts)})"


def _fix_shots(value: object, value_src: str, changes: list[str]) -> str:
    if isinstance(value, str):
        text = (
            normalise_numerals(words_to_numbers(value.strip().lower())).replace("shots", "").strip()
        )
        if text.isdigit():
            changes.append(f"Changed shots from the string {value!r} to the number {int(text)}.")
            return str(int(text))
    if isinstance(value, float) and value.is_integer() and value > 0:
        changes.append(f"Changed shots from {value} to the whole number {int(value)}.")
        return str(int(value))
    return value_src


def _fix_description(
    code: str, node: ast.AST | None, qubits: int | None, changes: list[str]
) -> str:
    if node is None:
        changes.append('Added a description; quantum() needs one, e.g. "Create a Bell state".')
        return json.dumps("Create a Bell state")
    value = _literal(node)
    if not isinstance(value, str):
        return _src(code, node)
    text = value if qubits is None else f"{value} on {qubits} qubits"
    try:
        checks.check_description(text)
        if text != value:
            changes.append(f'Rewrote the description as "{text}".')
        return json.dumps(text, ensure_ascii=False)
    except BioQLError:
        pass
    understood = intent.understand(text)
    if understood.plan is not None and len(understood.plan.quantum_calls) == 1:
        new = understood.plan.quantum_calls[0].description
        changes.append(f'Rewrote the description "{value}" as "{new}", which BioQL compiles.')
        return json.dumps(new, ensure_ascii=False)
    return _src(code, node)


def _backend_name(value: str) -> str | None:
    raw = value.strip()
    low = raw.lower().replace("-", "_").replace(" ", "_")
    try:
        checks.check_backend(raw)
        return raw
    except BioQLError:
        pass
    if low in (
        "aer",
        "aer_simulator",
        "qasm_simulator",
        "simulador",
        "sim",
        "local",
        "qiskit",
        "simulator",
    ):
        return "simulator"
    if low in ("statevector_simulator", "state_vector", "aer_statevector"):
        return "statevector"
    if low.startswith("ibmq_"):
        low = "ibm_" + low[5:]
    m = re.fullmatch(r"fake_?([a-z]+?)(?:_?v2)?", low)
    if m and m.group(1) in checks.fake_devices():
        return f"fake_{m.group(1)}"
    if low in checks.fake_devices():
        return f"ibm_{low}"
    if low in ("ionq",):
        return "ionq_simulator"
    for candidate in (low,):
        try:
            checks.check_backend(candidate)
            return candidate
        except BioQLError:
            continue
    return None


def _fix_dock(code: str, node: ast.Call, changes: list[str]) -> str | None:
    before = len(changes)
    parts = [_src(code, a) for a in node.args[:1]]
    for extra in node.args[1:]:
        changes.append(
            f"Removed the positional argument {_src(code, extra)}; dock() takes keywords."
        )
    for kw in node.keywords:
        if kw.arg is None:
            parts.append("**" + _src(code, kw.value))
            continue
        key = kw.arg
        if key in DOCK_RENAMES:
            changes.append(f"Renamed {key}= to {DOCK_RENAMES[key]}=.")
            key = DOCK_RENAMES[key]
        parts.append(f"{key}={_src(code, kw.value)}")
    if len(changes) == before:
        return None
    return f"{_src(code, node.func)}({', '.join(parts)})"


def _fix_missing_imports(code: str, changes: list[str]) -> str:
    try:
        tree = ast.parse(code)
    except SyntaxError:
        return code
    imported = {
        a.asname or a.name
        for n in ast.walk(tree)
        if isinstance(n, (ast.Import, ast.ImportFrom))
        for a in n.names
    }
    used = {
        n.func.id
        for n in ast.walk(tree)
        if isinstance(n, ast.Call) and isinstance(n.func, ast.Name)
    }
    missing = []
    if "quantum" in used and "quantum" not in imported:
        missing.append("from bioql import quantum")
    if "dock" in used and "dock" not in imported:
        missing.append("from bioql.docking import dock")
    if not missing:
        return code
    for line in missing:
        changes.append(f"Added the missing import '{line}'.")
    return (
        "\n".join(missing)
        + "\n"
        + ("\n" if not code.startswith(("from ", "import ")) else "")
        + code
    )
