"""Gates that say how a state is built ("a Bell pair with a Hadamard and a CNOT").

Such a clause is not run as extra steps: it is checked against the state it describes. When it
builds exactly that state's gates (or, with no qubits named, names exactly the gates that state
uses), it is redundant and dropped; otherwise the description says two different things and is
refused, naming both.
"""

from __future__ import annotations

from collections import Counter

from bioql.circuits.ir import GATE_ARITY, Program
from bioql.errors import BioQLParseError
from bioql.language.assemble import gate_step
from bioql.language.gates import GATE_NAMES
from bioql.language.reader import Index
from bioql.language.requests import Request


def prepared_inputs(recipes: list[Request], requests: list[Request]) -> list[Request]:
    """ "Teleport a qubit prepared with RY(pi/3)": one-qubit gates with no qubit of their own,
    said of a protocol whose input state is not named, prepare that input (qubit 0) first.
    Returns the requests to run; the recipes are then used up."""
    opens = [r for r in requests if r.open_input is not None]
    specs = [r.gate for r in recipes]
    if len(opens) != 1 or not all(
        s is not None and s.pending and GATE_ARITY[s.name] == 1 and not s.sandwich for s in specs
    ):
        return requests
    target = opens[0]
    make = target.open_input
    assert make is not None
    step = make()
    protocol = Request(target.kind, target.source, size=target.size, build=lambda _n: [step])
    prepared = []
    for r in recipes:
        assert r.gate is not None
        r.gate.indices, r.gate.pending, r.recipe = [Index(0, None)], False, False
        prepared.append(r)
    at = requests.index(target)
    return [*requests[:at], *prepared, protocol, *requests[at + 1 :]]


def check_recipes(recipes: list[Request], program: Program) -> None:
    """Raise unless the recipe clauses build the program's one named state."""
    if not recipes:
        return
    said = ", ".join(r.source for r in recipes)
    built = [s for s in program.steps if s.kind != "gate"]
    if len(built) > 1:  # "the Bell-pair circuit (H, CNOT) on the input |11>": not the start
        built = [s for s in built if s.kind not in ("basis", "state", "amplitudes")]
    if len(built) != 1:
        raise BioQLParseError(
            f"BioQL cannot tell which state '{said}' says how to build; give the steps with "
            "'then' instead.",
            unknown_words=[said],
            suggestion=f"then {recipes[0].source}",
        )
    state = built[0]
    specs = [r.gate for r in recipes if r.gate is not None]
    if len(specs) != len(recipes):
        raise BioQLParseError(f"'{said}' does not say how to build a state.", unknown_words=[said])
    n = program.num_qubits
    plain = all(
        r.declared in (None, n) and r.acts_on is None and r.gate.repeat == 1 and not r.gate.sandwich
        for r in recipes
        if r.gate is not None
    )
    if not plain:  # "with a Hadamard on 7 qubits", "with two Hadamards": more than a recipe
        same = False
    elif any(spec.pending for spec in specs):  # "with a Hadamard and a CNOT": gates by name
        same = {spec.name for spec in specs} == {g.name for g in state.gates}
    else:
        gates = [g for spec in specs for g in gate_step(spec, n, set()).gates]
        same = Counter(gates) == Counter(state.gates)
    if not same:
        uses = " and ".join(dict.fromkeys(GATE_NAMES.get(g.name, g.name) for g in state.gates))
        raise BioQLParseError(
            f"'{said}' does not build the {state.text.split(' =')[0]} it describes (BioQL builds "
            f"it with {uses}). To add those gates as steps of their own, say 'then {said}'.",
            unknown_words=[said],
            suggestion=f"then {said}",
        )
