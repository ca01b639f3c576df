"""``bioql fix``: repair the mistakes people (and the seeds' model) make with the BioQL API.

Handled, each with one sentence in ``changes``: misspelled or missing imports (every use of a
misspelled name is renamed too), calls left unclosed, extra positional arguments, circuit
details given as keywords (``n_qubits=3``, ``marked=["101"]``, ``secret="1011"``: moved into
the description), wrong keyword names (``num_shots=``, ``device=``, ``backend_name=``), shots
given as strings or floats, wrong backend spellings, and ``dock()`` given a PDB ID or a file
that does not exist. Edits are made in place on the source text, so comments and layout
elsewhere are untouched. A program that is still not valid comes back with ``valid=False``
and ``remaining``, a sentence saying what is left to do.
"""

from __future__ import annotations

import ast
import difflib
import re
from pathlib import Path

from bioql.assistant.checking.validate import BIOQL_EXPORTS, validate
from bioql.assistant.contract import FixResult
from bioql.assistant.editor.arguments import INLINE_QUBITS, CallFix, fix_dock, fix_quantum


def fix(code: str, *, files: Path | None = None) -> FixResult:
    """Repair ``code``. ``files`` is the folder the program runs in, where the receptor files
    of ``dock()`` calls are looked for (None, as in the HTTP service: not checked)."""
    changes: list[str] = []
    renames: dict[str, str] = {}
    try:
        code = _fix_text(code, changes, renames)
        tree = ast.parse(code)
    except SyntaxError as exc:
        problem = f"the syntax error on line {exc.lineno} ({exc.msg}) could not be repaired"
        return _result(code, changes, [problem], valid=False)
    except (RecursionError, MemoryError):  # "1+1+1+…" thousands deep: Python's parser gives up
        problem = "the program is nested too deeply for Python to parse; split the expression"
        return _result(code, changes, [problem], valid=False)
    code = _rename_uses(code, tree, renames, changes)
    problems: list[str] = []
    code = _fix_calls(code, ast.parse(code), files, changes, problems)
    code = _fix_missing_imports(code, changes)
    checked = validate(code, require_call=False, strict=False)
    return _result(code, changes, problems + checked.errors, valid=checked.ok and not problems)


def _result(code: str, changes: list[str], problems: list[str], valid: bool) -> FixResult:
    remaining = "" if valid else "Still to do: " + " ".join(_sentence(p) for p in problems)
    return FixResult(code=code, changes=changes, valid=valid, remaining=remaining)


def _sentence(text: str) -> str:
    text = text.strip()
    text = text[:1].upper() + text[1:]
    return text if text.endswith((".", "?", "!")) else text + "."


# ---------------------------------------------------------------- text-level repairs


def _fix_text(code: str, changes: list[str], renames: dict[str, str]) -> str:
    code = _fix_import_lines(code, changes, renames)

    def inline_qubits(m: re.Match[str]) -> str:
        changes.append(
            f"Removed the argument '{m.group(1)} {m.group(2)}' (not valid Python) and put the "
            "qubit count into the description, where quantum() reads it."
        )
        return f", {INLINE_QUBITS}={m.group(1)}"

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


def _fix_import_lines(code: str, changes: list[str], renames: dict[str, str]) -> str:
    """Misspelled module and name imports; ``renames`` maps each misspelled name to its fix."""
    lines = code.splitlines(keepends=True)
    for i, line in enumerate(lines):
        fixed = _fixed_from_import(line, renames) or _fixed_module_import(line, renames)
        if fixed is not None and fixed.rstrip() != line.rstrip():
            changes.append(f"Fixed the import: '{line.strip()}' → '{fixed.strip()}'.")
            lines[i] = fixed + ("\n" if line.endswith("\n") and not fixed.endswith("\n") else "")
    return "".join(lines)


def _fixed_from_import(line: str, renames: dict[str, str]) -> str | None:
    m = re.match(r"^(\s*)from\s+([\w.]+)\s+import\s+(.+?)(\s*)$", line)
    if not m:
        return None
    module = _closest(m.group(2), list(BIOQL_EXPORTS))
    if module is None:
        return None  # another library: its names are not ours to correct
    names = [n.strip() for n in m.group(3).strip("()").split(",") if n.strip()]
    fixed = [_fixed_name(module, n, renames) for n in names]
    return f"{m.group(1)}from {module} import {', '.join(fixed)}{m.group(4)}"


def _fixed_name(module: str, imported: str, renames: dict[str, str]) -> str:
    name, _, alias = (part.strip() for part in imported.partition(" as "))
    if module == "bioql.docking" and name == "quantum":
        # quantum() lives in bioql: its calls stay, and the missing import is added later
        return "dock"
    right = _closest(name, sorted(BIOQL_EXPORTS[module]))
    if right is None or right == name:
        return imported
    if not alias:
        renames[name] = right  # the program's uses of the misspelled name follow
    return f"{right} as {alias}" if alias else right


def _fixed_module_import(line: str, renames: dict[str, str]) -> str | None:
    m = re.match(r"^(\s*)import\s+(\w+)(\s*)$", line)
    if not m or m.group(2) == "bioql" or not _closest(m.group(2), ["bioql"]):
        return None
    renames[m.group(2)] = "bioql"
    return f"{m.group(1)}import bioql{m.group(3)}"


def _rename_uses(code: str, tree: ast.Module, renames: dict[str, str], changes: list[str]) -> str:
    """Every use of a misspelled imported name, renamed to the fixed one (never inside strings)."""
    uses = [n for n in ast.walk(tree) if isinstance(n, ast.Name) and n.id in renames]
    if not uses:
        return code
    for old in sorted({n.id for n in uses}):
        count = sum(1 for n in uses if n.id == old)
        plural = "s" if count > 1 else ""
        changes.append(f"Renamed {count} use{plural} of {old} to {renames[old]}.")
    return _replace(code, [(n, renames[n.id]) for n in uses])


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


def _fix_calls(
    code: str, tree: ast.Module, files: Path | None, changes: list[str], problems: list[str]
) -> str:
    edits: list[tuple[ast.expr, str]] = []
    for node in sorted(_bioql_calls(tree), key=lambda n: (n.lineno, n.col_offset)):
        repaired: CallFix = (
            fix_quantum(code, node) if _name(node) == "quantum" else fix_dock(code, node, files)
        )
        changes.extend(repaired.changes)
        problems.extend(repaired.problems)
        if repaired.source is not None:
            edits.append((node, repaired.source))
    return _replace(code, _outermost(edits))


def _bioql_calls(tree: ast.Module) -> list[ast.Call]:
    return [
        node
        for node in ast.walk(tree)
        if isinstance(node, ast.Call) and _name(node) in ("quantum", "dock")
    ]


def _outermost(edits: list[tuple[ast.expr, str]]) -> list[tuple[ast.expr, str]]:
    """Edits not nested in another one (a call inside a call's arguments is rewritten whole)."""
    spans = [_span(node) for node, _ in edits]
    return [
        edit
        for edit, (start, end) in zip(edits, spans, strict=True)
        if not any(s <= start and end <= e and (s, e) != (start, end) for s, e in spans)
    ]


def _span(node: ast.expr) -> tuple[tuple[int, int], tuple[int, int]]:
    end_line = node.end_lineno or node.lineno
    end_col = node.end_col_offset if node.end_col_offset is not None else node.col_offset
    return (node.lineno, node.col_offset), (end_line, end_col)


def _replace(code: str, edits: list[tuple[ast.expr, str]]) -> str:
    """``code`` with each node's source replaced by its text (nodes must not overlap)."""
    lines = code.splitlines(keepends=True)
    offsets = [0]
    for line in lines:
        offsets.append(offsets[-1] + len(line))

    def offset(line: int, byte_col: int) -> int:
        return offsets[line - 1] + _char_col(lines[line - 1], byte_col)

    # from the end, so earlier offsets stay valid
    for node, text in sorted(edits, key=lambda e: _span(e[0]), reverse=True):
        (first, col), (last, end_col) = _span(node)
        code = code[: offset(first, col)] + text + code[offset(last, end_col) :]
    return code


def _char_col(line: str, byte_col: int) -> int:
    return len(line.encode("utf-8")[:byte_col].decode("utf-8", errors="ignore"))


def _name(node: ast.Call) -> str | None:
    if isinstance(node.func, ast.Name):
        return node.func.id
    if isinstance(node.func, ast.Attribute):
        return node.func.attr
    return None


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
