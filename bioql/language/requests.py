"""What one clause asks for, before the register size of the whole description is known."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from bioql.circuits.ir import Step
from bioql.language.reader import Index


@dataclass
class GateSpec:
    name: str  # the IR gate name ("h", "cx", "mcz", "u"...)
    indices: list[Index]
    angles: tuple[float, ...] = ()
    all_qubits: bool = False  # "on every qubit", "on both qubits"
    remaining: bool = False  # "on the remaining qubits": those no other gate step names
    pending: bool = False  # no qubit named: the next gate's qubit, or the only qubit there is
    repeat: int = 1  # "P(pi/2) twice"
    controls: int = 0  # controls the name implies ("a Toffoli on qubit 2": two, not named)
    excluded: list[Index] = field(default_factory=list)  # "on all qubits except qubit 2"
    remaining_count: int | None = None  # "the other two": how many qubits must remain
    again: bool = False  # "another Hadamard", "H again": on the qubits of the last one
    pairs: int = 0  # "CNOT from 0 to 1 and from 1 to 2": qubits written as pairs
    sandwich: str | None = None  # "between two Hadamards": this gate before and after
    sandwich_on: list[Index] = field(default_factory=list)  # its qubits, if named


@dataclass
class Request:
    kind: str
    source: str
    size: int | None = None  # total qubits fixed by the words (None: adopt the register's)
    default: int | None = None  # total qubits when nothing else fixes the size
    build: Callable[[int], list[Step]] | None = None
    placement: tuple[int, ...] | None = None  # "GHZ on qubits 1, 2, 3"
    declared: int | None = None  # register size stated in a gate or measure clause
    gate: GateSpec | None = None
    measure: list[Index] | None = field(default=None)
    measure_all: bool = False  # "measure all three qubits": ancillas too
    initial: bool = False  # an initial state ("starting from |011>"): always the first step
    acts_on: str | None = None  # "a CZ applied to |11>": the state the gate acts on
    recipe: bool = False  # says how a state beside it is built: checked, not run
    open_input: Callable[[], Step] | None = None  # teleport "a qubit prepared with RY(pi/3)"
