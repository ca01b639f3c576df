"""Ket algebra: "(|01> + |10>)/√2", "1/sqrt(2) (|00> - |11>)", "|0> + i|1>", "0.6|0> + 0.8|1>".

The amplitudes are read term by term (a sign, an optional coefficient — a number, ``i`` or
both — and a ket). A normalisation factor the user writes ("/√2", "1/sqrt(2)") must be right;
without one, terms that carry only signs and ``i`` are normalised for the user ("|0> + |1>"
is how people write |+>), but numeric coefficients must already have norm 1.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from bioql.errors import BioQLValueError
from bioql.language.tokens import Token, render

_BRACKETS = {"(", ")"}


@dataclass
class KetSum:
    amplitudes: dict[str, complex]  # basis label (qubit 0 first) -> amplitude, norm 1
    positions: list[int]


class _Cursor:
    def __init__(self, tokens: list[Token], free: set[int]) -> None:
        self.tokens, self.free, self.i = tokens, free, 0
        self.used: list[int] = []

    def peek(self) -> Token | None:
        while self.i < len(self.tokens) and self.i not in self.free:
            self.i += 1
        return self.tokens[self.i] if self.i < len(self.tokens) else None

    def take(self) -> Token:
        tok = self.peek()
        assert tok is not None
        self.used.append(self.i)
        self.i += 1
        return tok

    def skip_brackets(self) -> None:
        while (tok := self.peek()) is not None and tok.text in _BRACKETS:
            self.take()


def _is_i(tok: Token | None) -> bool:
    return tok is not None and tok.kind == "word" and (tok.text == "i" or tok.is_("IMAG"))


def read_ket_sum(tokens: list[Token], free: set[int]) -> KetSum | None:
    """The ket expression among the ``free`` positions of ``tokens``, or None if there is none.

    Only an expression with two or more kets, or one ket with a sign or coefficient, counts.
    """
    kets = [i for i in free if tokens[i].kind == "ket"]
    if not kets:
        return None
    start = min(kets)
    # a leading factor such as "1/sqrt(2) (" may come just before the first ket
    cur = _Cursor(tokens, {i for i in free if i >= _leading_start(tokens, free, start)})
    factor = _leading_factor(cur)
    terms = _terms(cur)
    if not terms:
        return None
    trailing = _trailing_factor(cur)
    explicit = [f for f in (factor, trailing) if f is not None]
    if len(terms) == 1 and not explicit and terms[0][1] == 1:
        return None  # a plain ket: "|101>"
    return KetSum(_normalise(terms, explicit, tokens, cur.used), sorted(cur.used))


def _leading_start(tokens: list[Token], free: set[int], first_ket: int) -> int:
    """Position where a leading factor ("1 / sqrt ( 2 ) (") before the first ket starts."""
    i = first_ket
    while i - 1 in free and (
        tokens[i - 1].kind == "num"
        or tokens[i - 1].text in _BRACKETS
        or tokens[i - 1].is_("OVER", "SQRT", "MINUS", "PLUS")
        or _is_i(tokens[i - 1])
    ):
        i -= 1
    return i


def _number(cur: _Cursor) -> float | None:
    """ "2", "sqrt 2", "sqrt(2)", "(2)"."""
    cur.skip_brackets()
    tok = cur.peek()
    root = tok is not None and tok.is_("SQRT")
    if root:
        cur.take()
        cur.skip_brackets()
        tok = cur.peek()
    if tok is None or tok.kind != "num":
        return None
    value = float(cur.take().value or 0)
    if root:
        while (tok := cur.peek()) is not None and tok.text == ")":
            cur.take()  # "sqrt(0.3)|0>": the root's own bracket closes here
    return math.sqrt(value) if root else value


def _leading_factor(cur: _Cursor) -> float | None:
    """ "1/sqrt(2) (...)", "1/√2 (...)": returns the factor, or None when the sum starts at once."""
    save_i, save_used = cur.i, list(cur.used)
    cur.skip_brackets()
    top = cur.peek()
    if (top is not None and top.is_("SQRT", "OVER")) or (top is not None and top.kind == "num"):
        numerator = 1.0
        if top.kind == "num":
            numerator = float(cur.take().value or 0)
        nxt = cur.peek()
        if nxt is not None and nxt.is_("OVER"):
            cur.take()
            denominator = _number(cur)
            if denominator and _opens_a_sum(cur):
                return numerator / denominator
    cur.i, cur.used = save_i, save_used
    return None


def _opens_a_sum(cur: _Cursor) -> bool:
    """A leading factor multiplies a bracketed sum; before a single ket it is a coefficient."""
    while (tok := cur.peek()) is not None and tok.text == ")":
        cur.take()
    tok = cur.peek()
    return tok is not None and tok.text == "("


def _terms(cur: _Cursor) -> list[tuple[str, complex]]:
    terms: list[tuple[str, complex]] = []
    while True:
        save_i, save_used = cur.i, list(cur.used)
        cur.skip_brackets()
        sign = 1.0
        tok = cur.peek()
        if tok is not None and tok.is_("PLUS", "MINUS") and tok.kind == "sym":
            sign = -1.0 if cur.take().is_("MINUS") else 1.0
        elif terms:
            cur.i, cur.used = save_i, save_used
            return terms
        coefficient = _coefficient(cur)
        tok = cur.peek()
        if tok is None or tok.kind != "ket":
            cur.i, cur.used = save_i, save_used
            return terms
        label = cur.take().text
        terms.append((label, sign * coefficient))


def _coefficient(cur: _Cursor) -> complex:
    value: complex = 1.0
    tok = cur.peek()
    if tok is not None and (tok.kind == "num" or tok.is_("SQRT")):
        value = _number(cur) or 0.0  # "0.6", "√3"
        tok = cur.peek()
        if tok is not None and tok.is_("OVER"):  # "1/2|0>", "√3/2|1>"
            cur.take()
            value /= _number(cur) or float("nan")
            tok = cur.peek()
    if _is_i(tok):
        cur.take()
        value *= 1j
    return value


def _trailing_factor(cur: _Cursor) -> float | None:
    save_i, save_used = cur.i, list(cur.used)
    cur.skip_brackets()
    tok = cur.peek()
    if tok is not None and tok.is_("OVER"):
        cur.take()
        denominator = _number(cur)
        if denominator:
            cur.skip_brackets()
            return 1.0 / denominator
    cur.i, cur.used = save_i, save_used
    return None


def _normalise(
    terms: list[tuple[str, complex]], factors: list[float], tokens: list[Token], used: list[int]
) -> dict[str, complex]:
    shown = render([tokens[i] for i in sorted(used)])
    labels = [label for label, _ in terms]
    if set("".join(labels)) - {"0", "1"}:
        raise BioQLValueError(
            f"In {shown!r}, write each term as a basis state of 0s and 1s, e.g. (|01> + |10>)/√2."
        )
    if len({len(label) for label in labels}) > 1:
        raise BioQLValueError(f"The kets in {shown!r} have different numbers of qubits.")
    if len(set(labels)) != len(labels):
        raise BioQLValueError(f"{shown!r} names the same basis state twice; combine the terms.")
    zero = next((label for label, c in terms if abs(c) < 1e-12), None)
    if zero is not None:
        raise BioQLValueError(
            f"In {shown!r} the term |{zero}> has amplitude 0; leave it out of the state."
        )
    scale = math.prod(factors) if factors else 1.0
    amplitudes = {label: c * scale for label, c in terms}
    norm = math.sqrt(sum(abs(a) ** 2 for a in amplitudes.values()))
    numeric = any(abs(abs(c) - 1) > 1e-12 for _, c in terms)
    if (factors or numeric) and not math.isclose(norm, 1.0, abs_tol=1e-6):
        raise BioQLValueError(
            f"The state {shown!r} is not normalised (its norm is {norm:.4g}); for equal weights "
            f"write e.g. (|01> + |10>)/√2."
        )
    if norm == 0:
        raise BioQLValueError(f"The state {shown!r} has no amplitude.")
    return {label: a / norm for label, a in amplitudes.items()}
