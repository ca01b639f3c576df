"""The plan: what a generated program does, in a form short enough for a small model to emit.

A plan is a few lines of a tiny line format (the model's whole output, see ``model/prompt.py``)::

    Q Create a Bell state | simulator | 1000          one quantum() call
    D CCO | 1hsg.pdb | vina                           one dock() call
    L n=2..4                                          repeat the next Q line for each value
                                                      (or L n=2,3,5 / L shots=100,1000),
    Q Create a {n}-qubit GHZ state | simulator | 1000   substituting {n} (or {shots}, {backend})
    C                                                 print a comparison of the results
    V <chemistry or MaxCut reading>                   one quantum() call running VQE or QAOA
    S lib.smi | receptor.pdb | reference_ligand=ligand.sdf   one screen() call (its options)

:func:`render_code` turns a plan into Python deterministically, so the model never writes
boilerplate and the code is always well formed; every call in the rendered code has literal
arguments, so the validator can compile each description and check each argument.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field, replace
from typing import Any

from bioql.errors import BioQLAssistantError

DEFAULT_BACKEND = "simulator"
DEFAULT_SHOTS = 1024
DOCK_OPTIONS = ("center", "size", "exhaustiveness", "num_poses", "seed")
#: screen()'s options a request states (bioql.language.screening.SCREEN_OPTIONS)
SCREEN_OPTIONS = (
    "reference_ligand", "box_from", "center", "size", "exhaustiveness", "num_poses", "seed",
    "workers", "cluster", "out",
)  # fmt: skip
#: the options whose values are text (files, a residue, an address, a folder)
SCREEN_TEXT_OPTIONS = ("reference_ligand", "box_from", "cluster", "out")


@dataclass(frozen=True)
class QuantumCall:
    description: str
    backend: str = DEFAULT_BACKEND
    shots: int = DEFAULT_SHOTS


@dataclass(frozen=True)
class DockCall:
    ligand_smiles: str
    protein_pdb: str
    backend: str = "vina"
    options: tuple[tuple[str, Any], ...] = ()


@dataclass(frozen=True)
class ChemistryCall:
    """``quantum(description)`` for a VQE or MaxCut request: the description is the chemistry
    reader's canonical reading, and no backend or shots are added (a chemistry request runs on
    statevector unless its words name a backend or shots, which the reading then carries)."""

    description: str


@dataclass(frozen=True)
class ScreenCall:
    """``screen(ligands, protein_pdb, **options)``: files and values exactly as written."""

    ligands: str
    protein_pdb: str
    options: tuple[tuple[str, Any], ...] = ()


Call = QuantumCall | DockCall | ChemistryCall | ScreenCall


@dataclass
class Plan:
    """Ordered calls (loops already expanded) plus how to present several results."""

    calls: list[Call] = field(default_factory=list)
    compare: bool = False
    loop_var: str | None = None  # which argument varies between calls, for labels

    @property
    def quantum_calls(self) -> list[QuantumCall]:
        return [c for c in self.calls if isinstance(c, QuantumCall)]


# ---------------------------------------------------------------- plan text (model output)


def _fmt_value(value: Any) -> str:
    if isinstance(value, (list, tuple)):
        return ",".join(_fmt_value(v) for v in value)
    return str(value)


def _fmt_loop(values: list[Any]) -> str:
    """ "4..7" for a run of consecutive sizes ("from 4 to 7 qubits"), else "4,5,7"."""
    ints = [v for v in values if isinstance(v, int)]
    if len(ints) == len(values) >= 3 and ints == list(range(ints[0], ints[-1] + 1)):
        return f"{ints[0]}..{ints[-1]}"
    return ",".join(str(v) for v in values)


def _loop_values(text: str, number: int) -> list[str]:
    values = [v.strip() for v in text.split(",") if v.strip()]
    if len(values) == 1 and re.fullmatch(r"\d+\.\.\d+", values[0]):
        low, high = (int(v) for v in values[0].split(".."))
        if high < low or high - low > 64:
            raise BioQLAssistantError(
                f"Plan line {number}: the range {values[0]} must go up, by at most 64 values."
            )
        return [str(v) for v in range(low, high + 1)]
    return values


def to_text(plan: Plan) -> str:
    """The plan as the model emits it (loops are written out as a loop when possible)."""
    lines: list[str] = []
    looped = _as_loop(plan)
    if looped is not None:
        var, values, template = looped
        lines.append(f"L {var}={_fmt_loop(values)}")
        lines.append(_q_line(template))
    else:
        for call in plan.calls:
            lines.append(_line(call))
    if plan.compare:
        lines.append("C")
    return "\n".join(lines)


def _line(call: Call) -> str:
    if isinstance(call, QuantumCall):
        return _q_line(call)
    if isinstance(call, ChemistryCall):
        return f"V {call.description}"
    if isinstance(call, ScreenCall):
        parts = [call.ligands, call.protein_pdb]
        parts += [f"{k}={_fmt_value(v)}" for k, v in call.options]
        return "S " + " | ".join(parts)
    return _d_line(call)


def _q_line(call: QuantumCall) -> str:
    return f"Q {call.description} | {call.backend} | {call.shots}"


def _d_line(call: DockCall) -> str:
    parts = [call.ligand_smiles, call.protein_pdb, call.backend]
    parts += [f"{k}={_fmt_value(v)}" for k, v in call.options]
    return "D " + " | ".join(parts)


def _as_loop(plan: Plan) -> tuple[str, list[Any], QuantumCall] | None:
    """Recover ``L var=...`` + template when the calls differ only in one looped argument."""
    calls = plan.quantum_calls
    if plan.loop_var is None or len(calls) < 2 or len(calls) != len(plan.calls):
        return None
    var = plan.loop_var
    if var == "shots" and len({(c.description, c.backend) for c in calls}) == 1:
        return var, [c.shots for c in calls], replace(calls[0], shots="{shots}")  # type: ignore[arg-type]
    if var == "backend" and len({(c.description, c.shots) for c in calls}) == 1:
        return var, [c.backend for c in calls], replace(calls[0], backend="{backend}")
    if var == "n":
        values = []
        template = None
        for c in calls:
            m = re.search(r"\b(\d+)(?=-qubit\b| qubits?\b)", c.description)
            if not m:
                return None
            value = m.group(1)
            t = c.description[: m.start()] + "{n}" + c.description[m.end() :]
            if template not in (None, t):
                return None
            template = t
            values.append(int(value))
        if len({(c.backend, c.shots) for c in calls}) != 1 or template is None:
            return None
        return var, values, replace(calls[0], description=template)
    return None


def from_text(text: str) -> Plan:
    """Parse plan text; raise :class:`BioQLAssistantError` naming the first bad line."""
    plan = Plan()
    pending: tuple[str, list[str]] | None = None
    lines = [ln.strip() for ln in text.strip().splitlines() if ln.strip()]
    if not lines:
        raise BioQLAssistantError(
            "The plan is empty: expected a line such as 'Q <description> | simulator | 1024'."
        )
    for number, line in enumerate(lines, 1):
        head, _, rest = line.partition(" ")
        if head == "L":
            var, eq, written = rest.partition("=")
            var = var.strip()
            if not eq or var not in ("n", "shots", "backend"):
                raise BioQLAssistantError(
                    f"Plan line {number}: a loop reads 'L n=2,3,4' or 'L n=2..4' (n, shots or backend), got {line!r}."
                )
            pending = (var, _loop_values(written, number))
            if not pending[1]:
                raise BioQLAssistantError(f"Plan line {number}: the loop has no values.")
        elif head == "Q":
            if pending:
                var, values = pending
                if "{" + var + "}" not in rest:
                    raise BioQLAssistantError(
                        f"Plan line {number}: the loop variable {{{var}}} does not appear in {line!r}."
                    )
                for value in values:
                    plan.calls.append(_parse_q(rest.replace("{" + var + "}", value), number))
                plan.loop_var = var
                pending = None
            else:
                plan.calls.append(_parse_q(rest, number))
        elif head == "D":
            plan.calls.append(_parse_d(rest, number))
        elif head == "V" and rest.strip():
            plan.calls.append(ChemistryCall(rest.strip()))
        elif head == "S":
            plan.calls.append(_parse_s(rest, number))
        elif head == "C" and not rest:
            plan.compare = True
        else:
            raise BioQLAssistantError(
                f"Plan line {number} must start with Q, D, V, S, L or C, got {line[:40]!r}."
            )
    if pending:
        raise BioQLAssistantError("The plan ends with a loop line and no Q line to repeat.")
    if not plan.calls:
        raise BioQLAssistantError("The plan has no Q, D, V or S line.")
    if plan.loop_var is None and len(plan.quantum_calls) > 1:
        plan.loop_var = _varying(plan.quantum_calls)
    return plan


def _parse_q(rest: str, number: int) -> QuantumCall:
    parts = [p.strip() for p in rest.rsplit(" | ", 2)]
    if len(parts) != 3 or not parts[0]:
        raise BioQLAssistantError(
            f"Plan line {number}: expected 'Q <description> | <backend> | <shots>', got {rest!r}."
        )
    description, backend, shots = parts
    if not shots.isdigit():
        raise BioQLAssistantError(
            f"Plan line {number}: shots must be a whole number, got {shots!r}."
        )
    return QuantumCall(description=description, backend=backend, shots=int(shots))


def _parse_d(rest: str, number: int) -> DockCall:
    parts = [p.strip() for p in rest.split(" | ")]
    if len(parts) < 3:
        raise BioQLAssistantError(
            f"Plan line {number}: expected 'D <smiles> | <protein.pdb> | <backend>', got {rest!r}."
        )
    options = []
    for extra in parts[3:]:
        key, eq, value = extra.partition("=")
        if not eq or key not in DOCK_OPTIONS:
            raise BioQLAssistantError(
                f"Plan line {number}: unknown docking option {extra!r}; supported: {', '.join(DOCK_OPTIONS)}."
            )
        options.append((key, _parse_option(value, key, number)))
    return DockCall(
        ligand_smiles=parts[0], protein_pdb=parts[1], backend=parts[2], options=tuple(options)
    )


def _parse_s(rest: str, number: int) -> ScreenCall:
    parts = [p.strip() for p in rest.split(" | ")]
    if len(parts) < 2 or not all(parts[:2]):
        raise BioQLAssistantError(
            f"Plan line {number}: expected 'S <library file> | <protein.pdb>', got {rest!r}."
        )
    options = []
    for extra in parts[2:]:
        key, eq, value = extra.partition("=")
        if not eq or key not in SCREEN_OPTIONS:
            raise BioQLAssistantError(
                f"Plan line {number}: unknown screening option {extra!r}; supported: "
                f"{', '.join(SCREEN_OPTIONS)}."
            )
        parsed = value if key in SCREEN_TEXT_OPTIONS else _parse_option(value, key, number)
        options.append((key, parsed))
    return ScreenCall(ligands=parts[0], protein_pdb=parts[1], options=tuple(options))


def _parse_option(value: str, key: str, number: int) -> Any:
    items = [v.strip() for v in value.split(",")]
    try:
        nums = [float(v) if "." in v else int(v) for v in items]
    except ValueError:
        raise BioQLAssistantError(
            f"Plan line {number}: {key} takes numbers (e.g. {key}=10.5,-3,4), got {value!r}."
        ) from None
    return tuple(nums) if len(nums) > 1 else nums[0]


def _varying(calls: list[QuantumCall]) -> str:
    if len({c.backend for c in calls}) > 1 and len({c.description for c in calls}) == 1:
        return "backend"
    if len({c.shots for c in calls}) > 1 and len({c.description for c in calls}) == 1:
        return "shots"
    return "description"


# ---------------------------------------------------------------- plan → Python


def _q_source(call: QuantumCall) -> str:
    return (
        f"quantum({json.dumps(call.description, ensure_ascii=False)}, "
        f"backend={json.dumps(call.backend)}, shots={call.shots})"
    )


def _d_source(call: DockCall) -> str:
    args = [
        f"ligand_smiles={json.dumps(call.ligand_smiles)}",
        f"protein_pdb={json.dumps(call.protein_pdb)}",
        f"backend={json.dumps(call.backend)}",
    ]
    args += [f"{k}={v!r}" for k, v in call.options]
    return "dock(" + ", ".join(args) + ")"


def _c_source(call: ChemistryCall) -> str:
    return f"quantum({json.dumps(call.description, ensure_ascii=False)})"


def _s_source(call: ScreenCall) -> str:
    args = [
        f"ligands={json.dumps(call.ligands, ensure_ascii=False)}",
        f"protein_pdb={json.dumps(call.protein_pdb, ensure_ascii=False)}",
    ]
    args += [
        f"{k}={json.dumps(v, ensure_ascii=False) if isinstance(v, str) else repr(v)}"
        for k, v in call.options
    ]
    return "screen(" + ", ".join(args) + ")"


def _source(call: Call) -> str:
    if isinstance(call, QuantumCall):
        return _q_source(call)
    if isinstance(call, ChemistryCall):
        return _c_source(call)
    if isinstance(call, ScreenCall):
        return _s_source(call)
    return _d_source(call)


def _label(call: Call, var: str | None) -> str:
    if isinstance(call, DockCall):
        return call.ligand_smiles
    if isinstance(call, ScreenCall):
        return call.ligands
    if isinstance(call, ChemistryCall):
        return call.description
    if var == "backend":
        return call.backend
    if var == "shots":
        return str(call.shots)
    if var == "n":
        m = re.search(r"(\d+)", call.description)
        return m.group(1) if m else call.description
    return call.description


def _has(plan: Plan, kind: type) -> bool:
    return any(isinstance(c, kind) for c in plan.calls)


def render_code(plan: Plan) -> str:
    """Python source for ``plan`` using only the public BioQL API."""
    imports = []
    if any(isinstance(c, (QuantumCall, ChemistryCall)) for c in plan.calls):
        imports.append("from bioql import quantum")
    docking = [n for t, n in ((DockCall, "dock"), (ScreenCall, "screen")) if _has(plan, t)]
    if docking:
        imports.append(f"from bioql.docking import {', '.join(docking)}")
    head = "\n".join(imports) + "\n\n"
    if len(plan.calls) == 1:
        return head + f"result = {_source(plan.calls[0])}\nprint(result)\n"
    var = plan.loop_var
    key = {"n": "qubits", "shots": "shots", "backend": "backend"}.get(var or "", "run")
    lines = ["results = {"]
    for call in plan.calls:
        src = _source(call)
        lines.append(f"    {json.dumps(_label(call, var), ensure_ascii=False)}: {src},")
    lines.append("}")
    if all(isinstance(c, QuantumCall) for c in plan.calls):
        lines.append(f"for {key}, result in results.items():")
        lines.append(f"    print({key}, result.most_likely, result.probabilities)")
    else:
        lines.append(f"for {key}, result in results.items():")
        lines.append(f"    print({key}, result)")
    if plan.compare and len(plan.quantum_calls) >= 2:
        lines += [
            "",
            "# Total variation distance of each run from the first one",
            "first = next(iter(results.values()))",
            f"for {key}, result in results.items():",
            "    outcomes = set(first.probabilities) | set(result.probabilities)",
            "    distance = sum(",
            "        abs(first.probabilities.get(k, 0.0) - result.probabilities.get(k, 0.0)) for k in outcomes",
            "    ) / 2",
            f'    print(f"{{{key}}}: total variation distance {{distance:.3f}}")',
        ]
    return head + "\n".join(lines) + "\n"
