"""Editor inline completion: a short insertion at the cursor, built from the template machinery.

Cases, in order: finishing an open ``quantum(`` / ``dock(`` call, completing a ``from bioql
import`` line, turning a comment that describes a program into the call that runs it, and
proposing ``print(result)`` after a call. Every insertion is checked: with it, the file
must parse (when it parsed, or nearly did, without it); otherwise nothing is proposed.
"""

from __future__ import annotations

import ast
import re

from bioql.assistant.checking.checks import compiles
from bioql.assistant.plan.plan import DEFAULT_SHOTS, QuantumCall
from bioql.assistant.reading import read_request


def complete(prefix: str, suffix: str = "") -> str:
    line = prefix.rsplit("\n", 1)[-1]
    for proposer in (_finish_import, _finish_call, _from_comment, _next_line):
        insertion = proposer(prefix, line)
        if insertion and _acceptable(prefix, insertion, suffix):
            return insertion
    return ""


def _acceptable(prefix: str, insertion: str, suffix: str) -> bool:
    try:
        ast.parse(prefix + insertion + suffix)
        return True
    except SyntaxError:
        pass
    try:  # the rest of the file may be unfinished; the completed part must still parse
        ast.parse(prefix + insertion)
        return True
    except SyntaxError:
        return False


def _finish_import(prefix: str, line: str) -> str:
    m = re.match(r"^\s*from\s+bioql(\.docking)?\s+import\s*(\w*)$", line)
    if not m:
        return ""
    name = "dock" if m.group(1) else "quantum"
    typed = m.group(2)
    return name[len(typed) :] + "\n" if name.startswith(typed) else ""


def _finish_call(prefix: str, line: str) -> str:
    m = re.search(r"\bquantum\((.*)$", line)
    if not m:
        return ""
    inside = m.group(1)
    if inside.count("(") < inside.count(")"):
        return ""
    if inside == "":
        text = _comment_above(prefix)
        call = _call_for(text) if text else None
        description = call.description if call else "Create a Bell state"
        return f'"{description}", backend="simulator", shots={DEFAULT_SHOTS})'
    quote = inside[0] if inside[:1] in "\"'" else ""
    if quote and inside.count(quote) == 1:  # inside the description string
        typed = inside[1:]
        rest = _finish_description(typed)
        if rest is None:
            return ""
        call = _call_for(typed + rest)
        backend = call.backend if call else "simulator"
        shots = call.shots if call else DEFAULT_SHOTS
        return f'{rest}{quote}, backend="{backend}", shots={shots})'
    if quote and inside.count(quote) >= 2:
        has_backend = "backend=" in inside
        has_shots = "shots=" in inside
        tail = "" if inside.rstrip().endswith(",") else ", "
        parts = []
        if not has_backend:
            parts.append('backend="simulator"')
        if not has_shots:
            parts.append(f"shots={DEFAULT_SHOTS}")
        return (tail + ", ".join(parts) if parts else "") + ")"
    return ""


KEYWORDS = (
    "GHZ state", "Bell state", "W state", "QFT", "qubits", "uniform superposition",
    "Grover search for", "Bernstein-Vazirani with secret", "Deutsch-Jozsa with a", "balanced",
    "constant", "oracle on", "phase", "counting qubits", "Teleport the state", "inverse QFT",
    "measure all",
)  # fmt: skip


def _finish_description(typed: str) -> str | None:
    """The rest of a half-typed description, or None when no completion compiles."""
    m = re.search(r"([A-Za-z-]+)$", typed)
    if m and len(m.group(1)) >= 2:
        word = m.group(1)
        for keyword in KEYWORDS:
            if keyword.lower().startswith(word.lower()) and len(keyword) > len(word):
                rest = keyword[len(word) :]
                if compiles(typed + rest):
                    return rest
    return "" if compiles(typed) else None


def _comment_above(prefix: str) -> str:
    lines = prefix.rstrip("\n").split("\n")
    for line in reversed(lines[:-1]):
        if line.strip().startswith("#"):
            return line.strip().lstrip("#").strip()
        if line.strip():
            break
    return ""


def _call_for(text: str) -> QuantumCall | None:
    plan = read_request(text).plan
    if plan is None or not plan.quantum_calls:
        return None
    return plan.quantum_calls[0]


def _from_comment(prefix: str, line: str) -> str:
    if line.strip():
        return ""
    text = _comment_above(prefix + "x")
    if not text:
        return ""
    call = _call_for(text)
    if call is None:
        return ""
    needs_import = "from bioql import quantum" not in prefix and "import bioql" not in prefix
    head = "from bioql import quantum\n\n" if needs_import and "quantum" not in prefix else ""
    return (
        f'{head}result = quantum("{call.description}", backend="{call.backend}", '
        f"shots={call.shots})\nprint(result)\n"
    )


def _next_line(prefix: str, line: str) -> str:
    if line.strip():
        return ""
    lines = [ln for ln in prefix.rstrip("\n").split("\n") if ln.strip()]
    if not lines:
        return "from bioql import quantum\n"
    m = re.match(r"^(\s*)(\w+)\s*=\s*quantum\(", lines[-1])
    if m and lines[-1].rstrip().endswith(")"):
        return f"{m.group(1)}print({m.group(2)})\n"
    return ""
