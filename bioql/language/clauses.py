"""Concept tokens → clauses, one per step the user asked for.

Boundaries are "then" words, punctuation and "and". A clause with no head of its own
("... and 2", "..., 110") continues the previous one, so lists such as "qubits 0, 1 and 2"
or "marked 101 and 110" stay together. A clause is also split where a gate follows a named
state ("Bell state apply X to qubit 0") or a measurement follows anything.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from itertools import pairwise

from bioql.errors import BioQLParseError
from bioql.language.tokens import Token, render

CONSTRUCT_HEADS = frozenset(
    [
        "BELL",
        "SINGLET",
        "GHZ",
        "W",
        "SUPERPOSITION",
        "QFT",
        "IQFT",
        "GROVER",
        "BV",
        "DJ",
        "QPE",
        "ESTIMATION",
        "PHASE",
        "TELEPORT",
        "PHI",
        "PSI",
        "ENTANGLE",
        "JOZSA",
        "SEARCH",
        "COIN",
        "RANDOM",
        "AGREE",
        "DIFFER",
    ]
)


@dataclass
class Clause:
    tokens: list[Token] = field(default_factory=list)
    after_then: bool = False  # introduced by "then"/"luego" rather than "and"/","
    prefix: int = 0  # leading tokens from a headless clause before it ("On 3 qubits, ...")
    goes_first: bool = False  # introduced by "after applying" / "después de aplicar"
    recipe: bool = False  # says how a state beside it is built ("a Bell pair with H and CNOT")
    order: int = 0  # position in the text (clauses are reordered by "after ...")
    antecedent: tuple[int, ...] = ()  # the qubits "it" / "them" / "both" refer to
    superposed: bool = False  # the clause that named them put them in superposition

    def has(self, *concepts: str) -> bool:
        return any(t.concept in concepts for t in self.tokens)

    @property
    def category(self) -> str:
        return _category(self.tokens)

    @property
    def meaningful(self) -> list[Token]:
        return [t for t in self.tokens if not _ignorable(t)]


def _ignorable(tok: Token) -> bool:
    return tok.is_("FILLER", "AND") or (tok.kind in ("sep", "sym") and not tok.concept)


def token_category(tok: Token) -> str | None:
    if tok.kind == "ket" or tok.is_("BINARY", "ONES", "ZEROS"):
        return "ket"
    if tok.kind != "word":
        return None
    if tok.concept in CONSTRUCT_HEADS:
        return "construct"
    if tok.concept.startswith("GATE:") or tok.concept in ("CONTROLLED", "ROTATE", "MULTI", "FLIP"):
        return "gate"
    if tok.concept == "MEASURE":
        return "measure"
    if tok.concept == "INVERSE_OF":
        return "inverse"
    if tok.concept == "IDLE":
        return "idle"
    if tok.concept == "CONTROLS_SET":
        return "controls"
    return None


def _category(tokens: list[Token]) -> str:
    cats = {token_category(t) for t in tokens} - {None}
    for cat in ("construct", "gate", "measure", "controls", "idle", "ket", "inverse"):
        if cat in cats:
            return cat
    if _names_a_state(tokens):
        return "ket"
    return "none"


def _names_a_state(tokens: list[Token]) -> bool:
    """ "the plus state", "estado cero": a single-qubit state said in words."""
    if not any(t.is_("STATE") for t in tokens):
        return False
    return any(t.is_("PLUS", "MINUS") or (t.kind == "num" and t.value in (0, 1)) for t in tokens)


def split_clauses(tokens: list[Token]) -> list[Clause]:
    rough = _split_on_boundaries(tokens)
    fine = [part for clause in rough for part in _split_on_heads(clause)]
    _mark_recipes(fine)
    merged = _merge_continuations(fine)
    for order, clause in enumerate(merged):
        clause.order = order
        if clause.has("BEFOREHAND"):
            clause.goes_first = True
            for tok in clause.tokens:
                if tok.is_("BEFOREHAND"):
                    tok.concept = "FILLER"
    return _conditions_first(_reorder(merged))


_CONDITION_WORDS = frozenset({"with", "con", "given", "dado", "dada", "assuming", "where"})
_PREPARED = frozenset({"prepared", "preparado", "preparada", "preparados", "preparadas"})


def _conditions_first(clauses: list[Clause]) -> list[Clause]:
    """ "Apply a CZ between two Hadamards, with qubit 0 in |1>", "...; qubit 0 prepared with X":
    a state said as a condition or as how a qubit was prepared is where the circuit starts,
    wherever it is written."""
    first = [
        c
        for c in clauses[1:]
        if not c.after_then
        and (
            (c.category == "ket" and c.tokens[0].text in _CONDITION_WORDS)
            or (c.category in ("gate", "ket") and any(t.raw.lower() in _PREPARED for t in c.tokens))
        )
    ]
    return first + [c for c in clauses if c not in first]


# "a Bell pair with a Hadamard and a CNOT", "superposition by applying H to each qubit"
_RECIPE_LINKS = frozenset(
    {"by", "using", "with", "via", "through", "mediante", "usando", "aplicando", "con"}
)
# "apply a Hadamard and a CNOT to make a Bell pair", "... para crear un par de Bell"
_PURPOSE_VERBS = frozenset(
    {"make", "create", "get", "build", "prepare", "produce", "obtain", "form", "crear", "obtener",
     "hacer", "preparar", "generar", "formar", "construir", "producir"}
)  # fmt: skip


def _trailing_words(clause: Clause) -> list[str]:
    """The filler words after the last meaningful token of a clause."""
    out: list[str] = []
    for tok in reversed(clause.tokens):
        if not _ignorable(tok):
            break
        out.insert(0, tok.text)
    return out


def _mark_recipes(parts: list[Clause]) -> None:
    """Gate clauses that say how the state beside them is built: checked against it by the
    compiler rather than run as extra steps."""
    for k, part in enumerate(parts):
        if part.recipe and k + 1 < len(parts) and parts[k + 1].category == "gate":
            parts[k + 1].recipe = True  # "(H on 0, CNOT 0→1)": the bracket goes on
        how = part.category == "ket" and set(_trailing_words(part)) & _RECIPE_LINKS
        if how and k + 1 < len(parts) and parts[k + 1].category == "gate":
            parts[k + 1].recipe = True  # "put qubit 0 in |+> with H": how, not a step
        if part.category != "construct":
            continue
        nxt = parts[k + 1] if k + 1 < len(parts) else None
        if (
            part.has("TELEPORT")
            and nxt is not None
            and nxt.category == "gate"
            and not nxt.after_then
        ):
            nxt.recipe = True  # "teleport a qubit that was rotated by RY(pi/3)": its input
        if set(_trailing_words(part)) & _RECIPE_LINKS:
            # "using H on 0 then CNOT 0→3": the compiler keeps the longest run of these that
            # builds the state; what follows it stays a step of its own
            j = k + 1
            while j < len(parts) and parts[j].category == "gate":
                parts[j].recipe = True
                j += 1
        before = _trailing_words(parts[k - 1]) if k else []
        purpose = any(a in ("to", "para") and b in _PURPOSE_VERBS for a, b in pairwise(before))
        j = k - 1
        while purpose and j >= 0 and parts[j].category == "gate":
            parts[j].recipe = True
            if parts[j].after_then:
                break
            j -= 1


def _reorder(clauses: list[Clause]) -> list[Clause]:
    """ "Measure qubit 1 after applying X": the 'after' clause happens before the one it follows."""
    out: list[Clause] = []
    for clause in clauses:
        if clause.goes_first and len(out) > 1 and not out[-1].after_then:
            # "CNOT q0 q1, CNOT q1 q2 after H q0": before the last step only, or before both?
            raise BioQLParseError(
                f"BioQL cannot tell which steps '{render(clause.tokens)}' comes before; say the "
                "order with 'then' (e.g. 'H on qubit 0, then CNOT from 0 to 1, then …').",
                unknown_words=[render(clause.tokens)],
                suggestion="Apply H to qubit 0, then CNOT from 0 to 1",
            )
        if clause.goes_first and out:
            out.insert(len(out) - 1, clause)
        elif out and _in_after_group(out, clause):
            out.insert(len(out) - 1, clause)  # "... after applying H to 0 and X to 1"
        else:
            out.append(clause)
    return out


def _in_after_group(out: list[Clause], clause: Clause) -> bool:
    """A gate clause joined by "and" to an "after ..." clause that went before the step it
    follows: it is part of what happens first."""
    if len(out) < 2 or clause.after_then or clause.category != "gate":
        return False
    moved = out[-2]
    return moved.goes_first and out[-1].category != "gate"


def _is_after_doing(tokens: list[Token], i: int) -> bool:
    """ "after applying", "después de aplicar": a 'then' word that means 'before this'."""
    if tokens[i].text == "tras":  # "tras poner el qubit 0 en superposición, ..."
        return True
    if tokens[i].text not in ("after", "despues") or i + 1 >= len(tokens):
        return False
    nxt = tokens[i + 1].text
    if tokens[i].text == "after":  # "X after H" puts H first; "after that, X" does not
        return nxt not in ("that", "this", "which", "it", "all", "wards")
    after = tokens[i + 2].text if i + 2 < len(tokens) else ""
    return nxt == "de" and after not in ("eso", "esto", "ello", "aquello", "lo")  # "después de eso"


def _split_on_boundaries(tokens: list[Token]) -> list[Clause]:
    clauses = [Clause()]
    for i, tok in enumerate(tokens):
        joins = _joins_numbers(tokens, i)  # "qubits 0, 1 and 2": one list
        boundary = (tok.kind == "sep" or tok.is_("THEN", "AND")) and not joins
        if not boundary:
            clauses[-1].tokens.append(tok)
            continue
        if clauses[-1].tokens:
            clauses.append(Clause())
        if tok.is_("THEN"):
            clauses[-1].after_then = True
            clauses[-1].goes_first = _is_after_doing(tokens, i)
    return [c for c in clauses if c.tokens]


def _joins_numbers(tokens: list[Token], i: int) -> bool:
    """ "qubits 1 and 2", "2 and 3 qubits": an "and" inside a list of numbers joins them."""
    return (
        (tokens[i].is_("AND") or tokens[i].text == ",")
        and 0 < i < len(tokens) - 1
        and tokens[i - 1].kind == "num"
        and tokens[i + 1].kind == "num"
    )


def _split_on_heads(clause: Clause) -> list[Clause]:
    parts = [Clause(after_then=clause.after_then, goes_first=clause.goes_first)]
    current: str | None = None  # category of the head already in the current part
    prev: Token | None = None
    for at, tok in enumerate(clause.tokens):
        cat = token_category(tok)
        if tok.is_("CONTROLLED") and _followed_by(clause.tokens, at, ("by", "por")):
            cat = None  # "X on qubit 3 controlled by qubits 0-2": roles, not a second gate
        if cat == "ket" and current in ("construct", "ket", "idle"):
            cat = None  # "QFT of |101>", "teleport |1>", "left in |0>": the ket is an argument
        if cat == "gate" and current == "construct" and _estimates_a_gate(parts[-1], tok):
            cat = None  # "estimate the phase of the T gate": the gate is the argument
        if (
            cat == "gate"
            and current == "gate"
            and parts[-1].has("FLIP")
            and not parts[-1].has("GATE:x")
        ):
            cat = None  # "flip a qubit with X": the X says how, it is not a second gate
        if (
            cat == "gate"
            and tok.is_("GATE:swap")
            and tok.text != "swap"
            and parts[-1].has("GATE:swap", "GATE:cswap")
        ):
            tok.concept, cat = "FILLER", None  # "a SWAP gate exchanges the two qubits"
        if cat == "gate" and tok.is_("CONTROLLED") and prev is not None and _postfix(tok, prev):
            cat = None  # "una Y controlada": the Spanish adjective follows its gate
        if (
            cat == "gate"
            and current == "gate"
            and tok.is_("FLIP")
            and tok.text in _FLIPS
            and _flips_with(parts[-1])
        ):
            tok.concept, cat = "TARGET", None  # "a CNOT with control 0 flips qubit 1"
        if cat == "construct" and current == "gate" and tok.is_("COIN") and parts[-1].has("FLIP"):
            cat = None  # "flip a coin" is one thing
        # "a uniform superposition (H on both qubits)", "superposition: H on one qubit": the
        # gates say how the state before them is built
        restates = (
            cat == "gate"
            and current == "construct"
            and (_in_brackets(clause.tokens, at) or any(t.text == ":" for t in parts[-1].tokens))
        )
        if cat and current and _starts_new_part(cat, current, prev):
            parts.append(Clause(after_then=False, recipe=restates))
            current = None
        if cat and current is None:
            current = cat
        parts[-1].tokens.append(tok)
        if not _ignorable(tok):
            prev = tok
    parts = [p for p in parts if p.tokens]
    return _measured_object_first(parts)


def _postfix(tok: Token, prev: Token) -> bool:
    return tok.text in ("controlada", "controlado") and prev.concept.startswith("GATE:")


_FLIPS = frozenset({"flip", "flips", "invert", "inverts", "invierte"})  # not "flipped"


def _flips_with(part: Clause) -> bool:
    """A controlled X already named: a "flips" after it says which qubit it flips."""
    return part.has("GATE:cx", "GATE:ccx") or (part.has("CONTROLLED") and part.has("GATE:x"))


def _in_brackets(tokens: list[Token], at: int) -> bool:
    depth = 0
    for tok in tokens[:at]:
        depth += tok.text == "("
        depth -= tok.text == ")" and depth > 0
    return depth > 0


def _measured_object_first(parts: list[Clause]) -> list[Clause]:
    """ "measure the first qubit of a GHZ state": the state is built, then measured."""
    out = list(parts)
    for k in range(len(out) - 1):
        if out[k].category == "measure" and out[k + 1].category == "construct":
            out[k], out[k + 1] = out[k + 1], out[k]
            out[k].after_then, out[k + 1].after_then = out[k + 1].after_then, False
    return out


_PHASE_GATES = frozenset(
    {"GATE:t", "GATE:s", "GATE:z", "GATE:tdg", "GATE:sdg", "GATE:p", "GATE:rz"}
)


def _estimates_a_gate(part: Clause, tok: Token) -> bool:
    return tok.concept in _PHASE_GATES and part.has("QPE", "ESTIMATION", "PHASE")


def _followed_by(tokens: list[Token], at: int, words: tuple[str, ...]) -> bool:
    return at + 1 < len(tokens) and tokens[at + 1].text in words


def _starts_new_part(cat: str, current: str, prev: Token | None) -> bool:
    if cat == "gate" and current == "gate":
        # "controlled X": one gate; "H 0 X 1": two gates
        # "controlled X", "flip qubit 0 with X": one gate; "H 0 X 1": two gates
        return not (prev is not None and prev.is_("CONTROLLED", "ROTATE", "MULTI", "FLIP"))
    if cat == "construct" and current == "construct":
        return False  # "Grover search", "quantum phase estimation"
    if cat == "measure" and current == "measure":
        return False
    if cat == "ket" and current == "gate":
        return False  # "apply X to |0>" is still one gate clause (and will be rejected)
    return cat != current


def _merge_continuations(clauses: list[Clause]) -> list[Clause]:
    merged: list[Clause] = []
    pending: list[Token] = []  # a leading headless clause ("On 3 qubits, ...") joins the next
    for clause in clauses:
        if not clause.meaningful:
            continue
        if merged and _continues(merged[-1], clause):
            merged[-1].tokens.extend(clause.tokens)
            continue
        if clause.category == "none" and not merged:
            pending.extend(clause.tokens)
            continue
        if pending:
            clause.tokens[:0] = pending
            clause.prefix = len(pending)
            pending = []
        merged.append(clause)
    if pending:
        merged.append(Clause(tokens=pending))
    return merged


def _continues(prev: Clause, clause: Clause) -> bool:
    cat = clause.category
    if (
        cat == "construct"
        and not clause.after_then
        and _only_phase(clause)
        and prev.has("QPE", "ESTIMATION")
    ):
        return True  # "QPE, phase 0.125, 3 counting qubits"
    if cat == "construct" and _only_behaviour(clause) and prev.has(*_ENTANGLED):
        return True  # "a maximally entangled pair, anti-correlated": one Bell state
    if (
        cat == "construct"
        and not clause.after_then
        and _only_behaviour(prev, _BEHAVIOUR | {"ENTANGLE"})
        and clause.has(*_ENTANGLED)
    ):
        return True  # "three qubits maximally entangled, a cat state": one GHZ state
    if (
        cat == "construct"
        and not clause.after_then
        and _only_heads(clause, {"GROVER"})
        and _only_words(clause)
        and _only_heads(prev, _SEARCHING)
    ):
        return True  # "find the one labelled 011 in a list of 8, can Grover help?"
    if not clause.after_then and prev.category == "gate" and _starts_with_role(clause):
        return True  # "a CH with control qubit 0 and target qubit 1 acts on |10>"
    if (
        cat == "ket"
        and not clause.after_then
        and prev.category == "gate"
        and clause.has("TARGET", "CONTROL")
    ):
        return True  # "... and qubit 2 as target on |110>": the gate's last role and its state
    if cat == "none":
        return not clause.after_then or not _only_words(clause)
    if (
        cat == "ket"
        and not clause.after_then
        and prev.has(*_NAMED_STATES)
        and _writes_a_sum(clause)
    ):
        return True  # "the singlet written out, (|01> - |10>)/√2": the same state, checked
    if cat == "ket" and not clause.after_then and prev.has("QPE", "ESTIMATION"):
        return True  # "phase estimation of RZ(π/2), on its eigenstate |1>"
    if cat == "ket" and not clause.after_then and prev.category == "gate" and _acts_on(clause):
        return True  # "a CCZ on qubits 0, 1 and 2, on the state |110>": the state it acts on
    if cat == "ket" and prev.category == "ket" and prev.has("QUBIT") and clause.has("QUBIT"):
        return False  # "(|0> + |1>)/√2 on qubit 0 and |1> on qubit 1": each on its qubit
    if cat == "ket" and not clause.after_then:
        # "Grover search for |101> and |110>", "prepare |0> and |1>"
        return prev.has("GROVER", "SUPERPOSITION") or prev.category == "ket"
    return False


_NAMED_STATES = ("BELL", "SINGLET", "GHZ", "W", "PHI", "PSI")


def _writes_a_sum(clause: Clause) -> bool:
    """Two kets or more, or one with a sign or a factor: a state written out."""
    kets = sum(t.kind == "ket" for t in clause.tokens)
    return kets > 1 or (
        kets == 1 and any(t.is_("PLUS", "MINUS", "OVER", "SQRT") for t in clause.tokens)
    )


def _starts_with_role(clause: Clause) -> bool:
    first = next((t for t in clause.tokens if not _ignorable(t)), None)
    return first is not None and first.is_("TARGET", "CONTROL")


def _acts_on(clause: Clause) -> bool:
    first = clause.tokens[0].text if clause.tokens else ""
    return first in ("on", "to", "onto", "upon", "en", "sobre", "a", "al")


_ENTANGLED = ("BELL", "ENTANGLE", "AGREE", "DIFFER", "GHZ")


_BEHAVIOUR = frozenset({"AGREE", "DIFFER"})
_SEARCHING = frozenset({"SEARCH", "GROVER"})


def _only_heads(clause: Clause, heads: frozenset[str] | set[str]) -> bool:
    named = {t.concept for t in clause.tokens if token_category(t) == "construct"}
    return bool(named) and named <= heads


def _only_behaviour(clause: Clause, behaviour: frozenset[str] = _BEHAVIOUR) -> bool:
    heads = {t.concept for t in clause.tokens if token_category(t) == "construct"}
    return bool(heads) and heads <= behaviour


def _only_phase(clause: Clause) -> bool:
    heads = {t.concept for t in clause.tokens if token_category(t) == "construct"}
    return heads == {"PHASE"}


def _only_words(clause: Clause) -> bool:
    return all(t.kind == "word" for t in clause.meaningful)
