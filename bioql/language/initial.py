"""Initial states said anywhere in a description: "starting from |011>", "initialise the
register to 011", "acting on the state |10>", "with all qubits initially in one".

An initial state is never ignored: it becomes the first step of the program, whatever the
position of its words. A word that announces one ("starting", "initialise"...) without a state
the reader can take is an error that names it.
"""

from __future__ import annotations

from collections.abc import Callable

from bioql.circuits import library as lib
from bioql.circuits.ir import Step
from bioql.errors import BioQLParseError, BioQLValueError
from bioql.language.lexicon import SETTING
from bioql.language.requests import Request
from bioql.language.tokens import Token, render

# Words that may sit between "starting" and the state: "starting from the state |011>",
# "initialise the register to 011", "inicializa todos los qubits a 1".
_BETWEEN = frozenset({"FILLER", "STATE", "QUBIT", "ALL", "INPUT"})
_WINDOW = 8


def extract_initial_state(tokens: list[Token]) -> tuple[list[Token], Request | None]:
    """Remove the words of an initial state from ``tokens`` and return it as a first step."""
    for i, tok in enumerate(tokens):
        if tok.is_("INIT") and _names_qubits_next(tokens, i):
            # "start with qubit 1 in |1>", "starting with qubit 2 flipped": the clause after it
            # places the state or the gate itself; the word only says it comes first
            return [t for k, t in enumerate(tokens) if k != i], None
        if tok.is_("INIT"):
            found = _state_after(tokens, i) or _state_before(tokens, i)
            if found is None:
                raise BioQLParseError(
                    f"'{tok.raw}' announces an initial state, but none follows it; write e.g. "
                    "'starting from |011>, swap qubits 0 and 2'.",
                    unknown_words=[tok.raw],
                    suggestion="Starting from |011>, swap qubits 0 and 2",
                )
            used, request = found
            last = max(used) + 1  # "initialised to |11> first": the "first" is about time
            if last < len(tokens) and tokens[last].kind == "ord" and tokens[last].value == 0:
                used.add(last)
            return [t for k, t in enumerate(tokens) if k not in used], request
    found = _qubits_in_a_value(tokens)
    if found is not None:
        used, request = found
        return [t for k, t in enumerate(tokens) if k not in used], request
    return tokens, None


_VALUE_LINKS = frozenset({"to", "in", "en", "a", "at", "into", "al"})


def listed_qubits_in_a_value(tokens: list[Token]) -> None:
    """ "set qubits 1 and 2 to 1", "con los qubits 0, 1 y 2 en 1", "qubits 0 and 2 flipped to 1":
    the value is a one-qubit ket on each listed qubit (written |1>, which the ket grammar
    places), and a "flipped" beside it says the same thing again."""
    i = 0
    while i < len(tokens):
        if not tokens[i].is_("QUBIT") or i + 1 >= len(tokens) or tokens[i + 1].kind != "num":
            i += 1
            continue
        j = i + 1
        while j < len(tokens) and (
            tokens[j].kind == "num" or tokens[j].is_("AND") or tokens[j].text == ","
        ):
            j += 1
        said: list[int] = []
        while (
            j < len(tokens)
            and tokens[j].is_("FILLER", "FLIP", "INIT")
            and tokens[j].text not in _VALUE_LINKS
        ):
            said.append(j)
            j += 1
        if not _sets_values(tokens, i, said):
            i = j + 1
            continue  # "a CZ from qubit 0 to 1" names two qubits; no value is set
        value = tokens[j + 1] if j + 1 < len(tokens) else None
        after = tokens[j + 2] if j + 2 < len(tokens) else None
        if (
            j < len(tokens)
            and tokens[j].text in _VALUE_LINKS
            and value is not None
            and (
                (value.kind == "num" and value.value in (0, 1) and len(value.text) == 1)
                or (value.kind == "ket" and value.text in ("0", "1"))
            )
            and not (after is not None and (after.is_("QUBIT") or after.kind == "num"))
        ):
            for k in said:
                if tokens[k].is_("FLIP", "INIT"):
                    tokens[k].concept = "FILLER"
            if value.kind == "num":
                tokens[j + 1] = Token("ket", value.text, value.raw)
        i = j + 1


def _sets_values(tokens: list[Token], i: int, said: list[int]) -> bool:
    """A word that sets the listed qubits: "set qubits 1 and 2 to 1", "with qubits 0, 1 in 1"."""
    before = [t for t in tokens[max(0, i - 3) : i]]
    words = [t for t in before if t.text not in ("the", "los", "las", "el", "la")][-1:]
    return any(t.text in SETTING or t.is_("INIT") for t in words + [tokens[k] for k in said])


def _names_qubits_next(tokens: list[Token], i: int) -> bool:
    """Whether qubits named by number follow the word (fillers aside): "start with qubit 1 ..."."""
    j = i + 1
    while j < len(tokens) and tokens[j].is_("FILLER"):
        j += 1
    return j + 1 < len(tokens) and tokens[j].is_("QUBIT") and tokens[j + 1].kind == "num"


def _qubits_in_a_value(tokens: list[Token]) -> tuple[set[int], Request] | None:
    """ "with the two qubits in one", "con todos los qubits en 1": every qubit starts there.

    Only when the register is named as a whole (a count or "all"/"both") right before it; the
    count stays in the text, where it sizes the register.
    """
    for i, tok in enumerate(tokens[:-2]):
        at = i + 2
        if tokens[at].is_("STATE") and at + 1 < len(tokens):  # "three qubits in state zero"
            at += 1
        nxt, value = tokens[i + 1], tokens[at]
        if not (tok.is_("QUBIT") and nxt.text in ("in", "en", "at", "a") and i > 0):
            continue
        whole = tokens[i - 1].kind == "num" or tokens[i - 1].is_("ALL", "BOTH")
        if not whole and i >= 2 and tokens[i - 1].text in ("los", "las", "the"):
            whole = tokens[i - 2].is_("ALL", "BOTH")  # "con todos los qubits en uno"
        single = value.kind == "num" and value.value in (0, 1) and len(value.text) == 1
        later = tokens[at + 1] if at + 1 < len(tokens) else None
        if whole and single and not (later is not None and later.is_("QUBIT")):
            used = set(range(i + 1, at + 1)) | (
                {i - 1} if tokens[i - 1].is_("ALL", "BOTH") else set()
            )
            return used, _every_qubit(str(int(value.value or 0)), tokens, used)
    return None


def _state_after(tokens: list[Token], i: int) -> tuple[set[int], Request] | None:
    used = {i}
    every = False  # "all qubits": a single 0 or 1 then sets each of them
    for j in range(i + 1, min(i + 1 + _WINDOW, len(tokens))):
        tok = tokens[j]
        single = tok.kind == "num" and tok.value in (0, 1) and len(tok.text) == 1
        if tok.is_("ONES", "ZEROS") or (single and every):
            used.update({j, *_all_words(tokens, i, j)})
            bit = "1" if tok.is_("ONES") or tok.value == 1 else "0"
            return used, _every_qubit(bit, tokens, used)
        if tok.kind == "ket" or tok.is_bitstring or single:
            used.update({j, *_all_words(tokens, i, j)})  # "start with the qubits in |101>"
            return used, _product(tok.text, tokens, used)
        if tok.is_("BINARY"):
            return _binary(tokens, j, used)
        if tok.kind == "num" and _a_number(tokens, j):  # "encode the number 6", "load 3 in binary"
            used.update(k for k in range(j + 1, min(j + 3, len(tokens))) if tokens[k].is_("BINARY"))
            return _binary(tokens, j - 1, used)
        if tok.kind == "num" and j + 1 < len(tokens) and tokens[j + 1].is_("QUBIT"):
            every = True  # "start with the 3 qubits in one": the count stays for the register
            continue
        if tok.kind == "sep" or not (tok.concept in _BETWEEN or tok.kind == "sym"):
            return None
        every = every or tok.is_("ALL")
    return None


def _state_before(tokens: list[Token], i: int) -> tuple[set[int], Request] | None:
    """ "all four qubits in one to begin with": the state comes before the word."""
    j = i - 1
    while j >= 0 and tokens[j].is_("FILLER"):
        j -= 1
    if j < 0:
        return None
    tok = tokens[j]
    if tok.kind == "ket":
        return {i, j}, _product(tok.text, tokens, {i, j})
    if tok.is_("ONES", "ZEROS") or (tok.kind == "num" and tok.value in (0, 1)):
        before = {k for k in range(max(j - 6, 0), j) if tokens[k].is_("ALL")}
        if tok.is_("ONES", "ZEROS") or before:
            bit = "1" if tok.is_("ONES") or tok.value == 1 else "0"
            used = {i, j, *before}
            return used, _every_qubit(bit, tokens, used)
    return None


def _all_words(tokens: list[Token], i: int, j: int) -> set[int]:
    """The words of "all (the) qubits in state ..." that say nothing more; a count's "qubits"
    ("the 3 qubits in one") stays in the text, where it sizes the register."""
    counted = {k for k in range(i + 1, j) if tokens[k].is_("QUBIT") and tokens[k - 1].kind == "num"}
    return {k for k in range(i, j) if tokens[k].is_("ALL", "QUBIT", "STATE")} - counted


def starting_state(label: str, source: str) -> Request:
    """The first step of a program that starts in |label> (kets hold only 0, 1, + and -)."""
    step = lib.product_state(label)
    return Request(step.kind, source, size=len(label), build=lambda _n: [step], initial=True)


def _product(label: str, tokens: list[Token], used: set[int]) -> Request:
    return starting_state(label, render([tokens[k] for k in sorted(used)]))


def _every_qubit(bit: str, tokens: list[Token], used: set[int]) -> Request:
    source = render([tokens[k] for k in sorted(used)])
    return Request("basis", source, build=lambda n: [lib.product_state(bit * n)], initial=True)


def _a_number(tokens: list[Token], j: int) -> bool:
    """A whole number said as a number: "the number 6", "el número 5", "3 in binary"."""
    before = tokens[j - 1].text if j else ""
    after = [t for t in tokens[j + 1 : j + 3] if not t.is_("FILLER")]
    return before in ("number", "numero", "integer", "entero") or bool(
        after and after[0].is_("BINARY")
    )


def _binary(tokens: list[Token], j: int, used: set[int]) -> tuple[set[int], Request] | None:
    """ "initialised to the binary value 5": the register's size decides the width."""
    for k in range(j + 1, min(j + 4, len(tokens))):
        if tokens[k].kind == "num":
            value = tokens[k].value
            if value is None or value != int(value) or value < 0:
                raise BioQLValueError(f"A binary state needs a whole number, got {tokens[k].raw}.")
            used.update({j, k})
            source = render([tokens[m] for m in sorted(used)])
            build = _binary_builder(int(value))
            return used, Request("basis", source, build=build, initial=True,
                                 default=max(int(value).bit_length(), 1))  # fmt: skip
    return None


def _binary_builder(number: int) -> Callable[[int], list[Step]]:
    def build(n: int) -> list[Step]:
        if number >= 2**n:
            raise BioQLValueError(f"{number} does not fit in {n} qubits (0..{2**n - 1}).")
        return [lib.product_state(format(number, f"0{n}b"))]

    return build
