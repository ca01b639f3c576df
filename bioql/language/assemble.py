"""Requests → Program: agree on the register size, build the steps, choose what is measured.

Size rules (documented in the README):

* a construct whose words fix its size ("GHZ on 4 qubits", "QFT of |101>", "Grover for 101")
  and a count stated next to gates ("on 3 qubits") must all agree, else a clear error;
* constructs without a size adopt that register size, or their default when nothing fixes it;
* gate-only programs use max(index) + 1 qubits unless a count is stated;
* the output register is every qubit except the constructs' ancillas (oracle qubit of BV/DJ,
  eigenstate qubit of QPE, sender qubits of teleportation), unless "measure qubits ..." names
  the qubits; "measure all" means the whole output register.
"""

from __future__ import annotations

from bioql.circuits import library as lib
from bioql.circuits.ir import GATE_ARITY, Gate, Program, Step
from bioql.errors import BioQLValueError
from bioql.language.gates import GATE_NAMES
from bioql.language.reader import Index
from bioql.language.requests import GateSpec, Request

MAX_REGISTER = lib.MAX_QUBITS


def assemble(description: str, requests: list[Request]) -> Program:
    requests = [r for r in requests if r.initial] + [r for r in requests if not r.initial]
    _check_measure_last(requests)
    n = _register_size(requests)
    _resolve_pending(requests, n)
    steps: list[Step] = []
    last: list[Step] = []  # the steps of the request before ("… followed by its inverse")
    start = 0  # steps of the initial state ("starting from |11>, a Bell state")
    for req in requests:
        before = len(steps)
        if req.kind == "inverse":
            if not last:
                raise BioQLValueError(f"'{req.source}' has no step before it to undo.")
            steps += [s for step in reversed(last) for s in lib.inverse(step)]
        elif req.gate is not None:
            step = gate_step(req.gate, n, _named_elsewhere(requests, req, n))
            steps += _sandwiched(req.gate, [step] * req.gate.repeat, n)  # "P(pi/2) twice"
        elif req.build is not None:
            built = _construct_steps(req, n)
            if req.kind in _PREPARATIONS:
                _check_fresh(req, built, steps)
            elif req.kind in _ENTANGLED and not req.initial:
                _check_fresh(req, built, steps[start:])  # "superpose both, then entangle them"
            steps += built
        last = steps[before:]
        if req.initial or (req.kind in _PREPARATIONS and start == before):
            start = len(steps)  # "with qubit 0 initially in |1>, make a Bell state"
    measured = _measured(requests, steps, n)
    return Program(description=description, num_qubits=n, steps=steps, measured=measured)


def _check_measure_last(requests: list[Request]) -> None:
    seen = False
    for req in requests:
        if req.kind == "measure":
            seen = True
        elif seen:
            raise BioQLValueError(
                f"BioQL measures at the end of the circuit, but '{req.source}' comes after the "
                "measurement; move 'measure ...' to the end."
            )


def _register_size(requests: list[Request]) -> int:
    fixed = [(r.size, r.source) for r in requests if r.size is not None and r.placement is None]
    fixed += [(r.declared, r.source) for r in requests if r.declared is not None]
    sizes = {size for size, _ in fixed}
    if len(sizes) > 1:
        (a, src_a), (b, src_b) = fixed[0], next(f for f in fixed if f[0] != fixed[0][0])
        raise BioQLValueError(
            f"The steps disagree on the number of qubits: '{src_a}' uses {a} qubit(s) but "
            f"'{src_b}' uses {b}. Give every step the same number of qubits."
        )
    lowest = max((_highest_qubit(r) + 1 for r in requests), default=0)
    if sizes:
        n = sizes.pop()
        if lowest > n:
            req = max(requests, key=_highest_qubit)
            raise BioQLValueError(
                f"'{req.source}' uses qubit {lowest - 1}, but the program has {n} qubit(s) "
                f"(0..{n - 1})."
            )
    else:
        defaults = [r.default for r in requests if r.default is not None and r.placement is None]
        defaults += _with_the_rest(requests)
        n = max([*defaults, lowest], default=0)
    if n < 1:
        raise BioQLValueError(
            "The description names no qubits to work on; e.g. 'apply H to qubit 0' or "
            "'create a Bell state'."
        )
    if n > MAX_REGISTER:
        raise BioQLValueError(
            f"{n} qubits is more than BioQL builds (at most {MAX_REGISTER}); no backend could "
            "run it."
        )
    return n


def _with_the_rest(requests: list[Request]) -> list[int]:
    """ "X on the first qubit and H on the other two": the qubits named plus those said to remain."""
    named: set[int] = set()
    for req in requests:
        named.update(req.placement or ())
        if req.gate is not None:
            named.update(ix.qubit for ix in req.gate.indices if not (ix.from_end or ix.middle))
    return [
        len(named) + req.gate.remaining_count
        for req in requests
        if req.gate is not None and req.gate.remaining_count is not None
    ]


def _highest_qubit(req: Request) -> int:
    qubits: list[int] = list(req.placement or ())
    indices = (req.gate.indices + req.gate.excluded if req.gate is not None else []) + (
        req.measure or []
    )
    qubits += [ix.qubit for ix in indices if not ix.from_end]
    lowest_from_end = max((ix.qubit for ix in indices if ix.from_end), default=-1)
    return max([*qubits, lowest_from_end], default=-1)


def _resolve_pending(requests: list[Request], n: int) -> None:
    """ "apply X, then H, then S to qubit 1": gates without a qubit take the next gate's qubits;
    "apply a Hadamard" on a one-qubit program acts on qubit 0. Otherwise the user must say."""
    following: list[Index] | None = None
    every_after = False
    only = _only_named_qubit(requests, n)
    for req in reversed(requests):
        spec = req.gate
        if spec is None:
            following, every_after = None, False
            continue
        if spec.pending and spec.again:
            earlier = _same_gate_before(requests, req)  # "then another Hadamard"
            if earlier is not None:
                spec.indices, spec.pending = list(earlier), False
        if spec.pending:
            if following is not None and GATE_ARITY[spec.name] == 1:
                spec.indices, spec.pending = list(following), False
            elif every_after and GATE_ARITY[spec.name] == 1:
                spec.all_qubits, spec.pending = True, False  # "H, then Z, then H to each qubit"
            elif n == 2 and spec.name in _SYMMETRIC:  # "start in |11>, apply a SWAP"
                spec.indices, spec.pending = [Index(0, None), Index(1, None)], False
            elif _span(spec) == n and n > 1:
                # "initialise the register to 011 and apply a Toffoli": the gate spans the register,
                # controls first, as it does on a state it acts on ("a CNOT on |10>")
                spec.indices, spec.pending = [Index(q, None) for q in range(n)], False
            elif n == 1 and GATE_ARITY[spec.name] == 1:
                spec.indices, spec.pending = [Index(0, None)], False
            elif only is not None and GATE_ARITY[spec.name] == 1:
                # "qubit 1 receives an X, then a Hadamard, then an S": the one qubit named
                spec.indices, spec.pending = [Index(only, None)], False
            else:
                raise BioQLValueError(
                    f"'{req.source}' does not say which qubit(s) {GATE_NAMES[spec.name]} acts on; "
                    f"e.g. '{GATE_NAMES[spec.name]} on qubit 0'."
                )
        one_qubit = GATE_ARITY[spec.name] == 1 and not spec.all_qubits and not spec.remaining
        following = spec.indices if one_qubit else None
        every_after = GATE_ARITY[spec.name] == 1 and spec.all_qubits


def _span(spec: GateSpec) -> int | None:
    """Qubits a gate spans when its name says how many: a CCZ or a C3X has no fixed arity."""
    arity = GATE_ARITY[spec.name]
    return arity if arity is not None else (spec.controls + 1 if spec.controls else None)


def _same_gate_before(requests: list[Request], this: Request) -> list[Index] | None:
    assert this.gate is not None
    before = requests[: requests.index(this)]
    for req in reversed(before):
        if req.gate is not None and req.gate.name == this.gate.name and req.gate.indices:
            return req.gate.indices
    return None


def _only_named_qubit(requests: list[Request], n: int) -> int | None:
    """The qubit the description names, when it names exactly one and builds nothing else."""
    if any(r.build is not None and r.placement is None and not r.initial for r in requests):
        return None
    named = {ix.resolve(n) for r in requests for ix in (r.gate.indices if r.gate else [])}
    named |= {q for r in requests if not r.initial for q in (r.placement or ())}
    named |= {ix.resolve(n) for r in requests for ix in (r.measure or [])}
    return named.pop() if len(named) == 1 else None


_SYMMETRIC = frozenset({"swap", "cz"})  # the same gate whichever qubit is named first


def _named_elsewhere(requests: list[Request], this: Request, n: int) -> set[int]:
    """Qubits that the other steps name ("X on the remaining qubits" avoids them)."""
    out: set[int] = set()
    for req in requests:
        if req is not this and req.gate is not None:
            out.update(ix.resolve(n) for ix in req.gate.indices)
        if req is not this and req.placement is not None:
            out.update(req.placement)  # "the first three in superposition, X on the rest"
    return out


_PREPARATIONS = frozenset({"basis", "state", "amplitudes"})
# entangled states are built from |0...0> (or a stated start); after other steps on their
# qubits the construction would not make the state named
_ENTANGLED = frozenset({"bell", "ghz", "w"})


def _check_fresh(req: Request, built: list[Step], before: list[Step]) -> None:
    """A state is prepared on qubits still in |0>: "H on qubit 0, then |1> on qubit 0" would
    need a reset BioQL does not write, so it is refused rather than read as an X."""
    used = {q for step in before for gate in step.gates for q in gate.qubits}
    again = sorted(used & {q for step in built for gate in step.gates for q in gate.qubits})
    if again:
        raise BioQLValueError(
            f"'{req.source}' prepares qubit {again[0]} after earlier steps used it; BioQL prepares "
            "states at the start. Say the state first ('starting from |01>, ...') or apply the "
            "gates that change it."
        )


def _sandwiched(spec: GateSpec, steps: list[Step], n: int) -> list[Step]:
    """ "RZ(pi/2) on qubit 0 between two Hadamards": the outer gate on the named qubits, or on
    the qubits the inner gate acts on (its target, when it has controls)."""
    if spec.sandwich is None:
        return steps
    if spec.sandwich_on:
        qubits = [ix.resolve(n) for ix in spec.sandwich_on]
    else:
        qubits = list(dict.fromkeys(g.qubits[-1] for s in steps for g in s.gates))
    outer = gate_step(GateSpec(spec.sandwich, [Index(q, None) for q in qubits]), n, set())
    return [outer, *steps, outer]


def _construct_steps(req: Request, n: int) -> list[Step]:
    assert req.build is not None
    if req.placement is None:
        return req.build(n)
    if len(set(req.placement)) != len(req.placement):
        raise BioQLValueError(f"'{req.source}' names the same qubit twice: {list(req.placement)}.")
    return [lib.place(step, req.placement) for step in req.build(len(req.placement))]


def gate_step(spec: GateSpec, n: int, elsewhere: set[int]) -> Step:
    label = GATE_NAMES[spec.name]
    params = spec.angles
    angle = f"({', '.join(f'{a:.4g}' for a in params)})" if params else ""
    arity = GATE_ARITY[spec.name]
    if spec.all_qubits or spec.remaining:
        out = {ix.resolve(n) for ix in spec.excluded}
        targets = [q for q in range(n) if not (spec.remaining and q in elsewhere) and q not in out]
        if not targets:
            raise BioQLValueError(f"No qubits remain for {label}: every qubit is already named.")
        if spec.remaining_count is not None and spec.remaining_count != len(targets):
            raise BioQLValueError(
                f"The description says {spec.remaining_count} other qubit(s) for {label}, but "
                f"{len(targets)} remain ({', '.join(map(str, targets))}); name them by number."
            )
        gates = tuple(Gate(spec.name, (q,), params) for q in targets)
        where = "every qubit" if spec.all_qubits else f"qubits {', '.join(map(str, targets))}"
        return Step("gate", f"{label}{angle} on {where}", gates, {"gate": spec.name})
    qubits = [ix.resolve(n) for ix in spec.indices]
    if arity == 1 and len(set(qubits)) != len(qubits):
        twice = next(q for q in qubits if qubits.count(q) > 1)
        raise BioQLValueError(f"{label} names qubit {twice} twice; name each qubit once.")
    if arity == 1:
        gates = tuple(Gate(spec.name, (q,), params) for q in qubits)
        where = f"qubit{'s' if len(qubits) > 1 else ''} {', '.join(map(str, qubits))}"
        return Step("gate", f"{label}{angle} on {where}", gates, {"gate": spec.name})
    return _multi_qubit_step(spec, n, label, angle, params, arity)


def _multi_qubit_step(
    spec: GateSpec, n: int, label: str, angle: str, params: tuple[float, ...], arity: int | None
) -> Step:
    controls = [ix.resolve(n) for ix in spec.indices if ix.role == "control"]
    plain = [ix.resolve(n) for ix in spec.indices if ix.role is None]
    targets = [ix.resolve(n) for ix in spec.indices if ix.role == "target"]
    named = (controls, targets, plain) if (controls or targets) and spec.pairs <= 1 else ()
    for role in named:
        if len(set(role)) != len(role):  # "controlled by qubits 0-3, ... qubits 0 through 3"
            twice = next(q for q in role if role.count(q) > 1)
            raise BioQLValueError(f"{label} names qubit {twice} twice; name each qubit once.")
    # "a CNOT between qubits 0 and 2 with qubit 0 as the control": the role names a listed qubit
    plain = [q for q in plain if q not in controls and q not in targets]
    if spec.controls and not controls and len(plain) + len(targets) == 1:
        controls, plain, targets = (
            _implied_controls(spec, n, label, (plain + targets)[0]),
            [],
            [(plain + targets)[0]],
        )
    if arity == 2 and not (controls or targets) and spec.pairs > 1 and len(plain) == 2 * spec.pairs:
        pairs = zip(plain[::2], plain[1::2], strict=True)  # "CNOT 0->1 and 0->2": two CNOTs
        gates = tuple(Gate(spec.name, pair, params) for pair in pairs)
    elif arity == 2 and len(controls) + len(plain) == 1 and len(targets) > 1:
        control = (controls + plain)[0]  # "CNOT with control 0 and targets 1 and 2": fan-out
        gates = tuple(Gate(spec.name, (control, t), params) for t in targets)
    else:
        qubits = tuple(controls + plain + targets)
        if arity is None and len(qubits) < 2:
            raise BioQLValueError(f"{label} needs control qubits and a target; got {list(qubits)}.")
        if arity is not None and len(qubits) != arity:
            raise BioQLValueError(
                f"{label} acts on {arity} qubits ({'controls then target' if arity == 3 else 'control then target'}), "
                f"but {len(qubits)} were given: {list(qubits)}."
            )
        gates = (Gate(spec.name, qubits, params),)
    text = "; ".join(f"{label}{angle} on qubits {', '.join(map(str, g.qubits))}" for g in gates)
    return Step("gate", text, gates, {"gate": spec.name})


def _implied_controls(spec: GateSpec, n: int, label: str, target: int) -> list[int]:
    """ "qubits 1 and 2 set to 1, then a Toffoli on qubit 0": with only the target named, the
    controls are the other qubits, when the register holds exactly as many as the gate needs."""
    others = [q for q in range(n) if q != target]
    if len(others) != spec.controls:
        if not others:
            raise BioQLValueError(
                f"{label} on qubit {target} needs {spec.controls} control qubit(s); name them, "
                f"e.g. 'controls 1 and 2 and target {target}'."
            )
        raise BioQLValueError(
            f"{label} on qubit {target} needs {spec.controls} control qubit(s), and the register "
            f"has {len(others)} other qubit(s); name the controls, e.g. 'controls "
            f"{' and '.join(map(str, others[: spec.controls]))} and target {target}'."
        )
    return others


def _measured(requests: list[Request], steps: list[Step], n: int) -> tuple[int, ...]:
    named = sorted({ix.resolve(n) for r in requests for ix in (r.measure or [])})
    if named:
        return tuple(named)
    if any(r.measure_all for r in requests):
        return tuple(range(n))  # "teleport |1> but measure all three qubits"
    ancillas = {q for s in steps for q in s.params.get("ancillas", ())}
    output = tuple(q for q in range(n) if q not in ancillas)
    return output or tuple(range(n))
