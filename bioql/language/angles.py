"""Angles and fractions written in words or symbols: ``pi/2``, ``π/4``, ``-pi``, ``3pi/4``,
``0.3``, ``90 degrees``, ``pi over 2``, ``noventa grados``, ``3/8``.

The value is computed from the tokens by arithmetic on numbers; nothing is evaluated as code.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from bioql.errors import BioQLValueError
from bioql.language.tokens import Token, render

_SKIP_SYMBOLS = {"(", ")", "[", "]", "*"}


@dataclass
class Expr:
    value: float  # radians when ``is_angle``, otherwise the plain number
    is_angle: bool  # written with pi, degrees or radians
    explicit: bool  # unmistakably a value (pi, a unit, a fraction, a sign or a decimal point)
    positions: list[int]
    text: str

    def radians(self) -> float:
        return self.value

    def turns(self) -> float:
        """As a fraction of a full turn (for phases): angles are divided by 2π."""
        return self.value / (2 * math.pi) if self.is_angle else self.value


def _skip(tokens: list[Token], i: int) -> int:
    while i < len(tokens) and (
        tokens[i].text in _SKIP_SYMBOLS or tokens[i].is_("FILLER", "ANGLE", "TIMES_SYM")
    ):
        i += 1
    return i


def _term(tokens: list[Token], i: int, pos: list[int]) -> tuple[float, bool, int] | None:
    """NUM, PI, or NUM PI. Returns (value, has_pi, next index)."""
    value, has_pi, start = 1.0, False, i
    if i < len(tokens) and tokens[i].kind == "num":
        value = float(tokens[i].value or 0)
        pos.append(i)
        j = i + 1  # "3pi", "3 * pi", "3·π"; never across words ("qubit 0 by pi/2" is not 0·π/2)
        while j < len(tokens) and tokens[j].is_("TIMES_SYM"):
            j += 1
        i = j if j < len(tokens) and tokens[j].is_("PI") else _skip(tokens, i + 1)
    if (
        i < len(tokens)
        and tokens[i].is_("PI")
        and (not pos or i == pos[-1] + 1 or tokens[i - 1].is_("TIMES_SYM"))
    ):
        value *= math.pi
        has_pi = True
        pos.append(i)
        i += 1
    return (value, has_pi, i) if i > start else None


def parse_expr(tokens: list[Token], i: int) -> Expr | None:
    """An angle or number starting at ``tokens[i]``, or None if none starts there."""
    pos: list[int] = []
    sign = 1.0
    while i < len(tokens) and tokens[i].is_("MINUS", "NEGATIVE"):
        sign = -sign
        pos.append(i)
        i = _skip(tokens, i + 1)
    term = _term(tokens, i, pos)
    if term is None:
        return None
    value, has_pi, i = term
    explicit = has_pi or bool(pos and tokens[pos[0]].is_("MINUS", "NEGATIVE"))
    explicit = explicit or any("." in tokens[p].text for p in pos if tokens[p].kind == "num")
    j = _skip(tokens, i)
    if j < len(tokens) and tokens[j].is_("OVER"):
        k = _skip(tokens, j + 1)
        denominator = _term(tokens, k, pos)
        if denominator is None:
            raise BioQLValueError(
                f"Could not read the value {render([tokens[p] for p in pos] + [tokens[j]])!r}: "
                "a '/' needs a number after it, e.g. pi/2 or 3/8."
            )
        pos.append(j)
        den, den_pi, i = denominator
        if den == 0:
            raise BioQLValueError(
                f"The value {render([tokens[p] for p in sorted(pos)])!r} divides by zero."
            )
        value, has_pi, explicit = value / den, has_pi or den_pi, True
    unit = _skip(tokens, i)
    is_angle = has_pi
    if unit < len(tokens) and tokens[unit].is_("DEGREES", "RADIANS"):
        if tokens[unit].is_("DEGREES"):
            value = math.radians(value)
        pos.append(unit)
        is_angle = explicit = True
    value *= sign
    if not math.isfinite(value):
        raise BioQLValueError(
            f"The value {render([tokens[p] for p in sorted(pos)])!r} is not a finite number."
        )
    # The whole span is the value: a "*" or "angle" skipped inside it is part of it too.
    pos = list(range(min(pos), max(pos) + 1))
    return Expr(value, is_angle, explicit, pos, render([tokens[p] for p in pos]))
