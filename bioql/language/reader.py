"""A cursor over one clause's tokens that knows the small patterns every construct shares:
qubit counts ("3 qubits"), qubit indices ("qubit 0", "qubits 0 and 2", "the first qubit"),
kets, bitstrings, values, and which tokens were not used.
"""

from __future__ import annotations

from dataclasses import dataclass

from bioql.errors import BioQLParseError, BioQLValueError
from bioql.language.angles import Expr, parse_expr
from bioql.language.clauses import Clause
from bioql.language.tokens import Token, render

MAX_INDEX = 100_000


@dataclass
class Index:
    qubit: int
    role: str | None  # "control", "target" or None


class Reader:
    def __init__(self, clause: Clause) -> None:
        self.tokens = clause.tokens
        self.used: set[int] = set()
        self.text = render(self.tokens)

    # -- simple queries --------------------------------------------------------------------
    def has(self, *concepts: str) -> bool:
        return any(t.is_(*concepts) for t in self.tokens)

    def first(self, *concepts: str) -> int | None:
        return next((i for i, t in enumerate(self.tokens) if t.is_(*concepts)), None)

    def use(self, *concepts: str) -> None:
        self.used.update(i for i, t in enumerate(self.tokens) if t.is_(*concepts))

    def _free(self, i: int) -> bool:
        return i not in self.used

    def _next(self, i: int) -> int | None:
        """Next index after ``i`` skipping filler words and brackets."""
        j = i + 1
        while j < len(self.tokens) and (
            self.tokens[j].is_("FILLER") or self.tokens[j].text in ("(", ")", "[", "]", ":", "=")
        ):
            j += 1
        return j if j < len(self.tokens) else None

    # -- patterns --------------------------------------------------------------------------
    def count(self) -> int | None:
        """A qubit count: "3 qubits", "three counting qubits", "5-qubit", "3 bits of precision"."""
        found: list[int] = []
        for i, tok in enumerate(self.tokens):
            if tok.kind != "num" or not self._free(i) or (i and self.tokens[i - 1].is_("QUBIT")):
                continue  # "q0 q1": 0 is the index of the q before it, not a count
            j = i + 1  # adjacent only: in "RX(pi/2) on qubit 0" the 2 is not a count
            while j < len(self.tokens) and self.tokens[j].is_("COUNTING"):
                j += 1
            if j >= len(self.tokens) or not self.tokens[j].is_("QUBIT"):
                continue
            self.used.update(range(i, j + 1))
            if i and self.tokens[i - 1].is_("MINUS", "NEGATIVE"):
                raise BioQLValueError(
                    f"The number of qubits must be at least 1, got -{tok.raw} in '{self.text}'."
                )
            found.append(self.whole(tok, "number of qubits"))
        self.use("COUNTING")
        if len(set(found)) > 1:
            raise BioQLValueError(
                f"'{self.text}' states more than one number of qubits ({found}); state one."
            )
        if found and found[0] < 1:
            raise BioQLValueError(
                f"The number of qubits must be at least 1, got {found[0]} in '{self.text}'."
            )
        return found[0] if found else None

    def indices(self) -> list[Index]:
        """Qubit indices with their role, in the order written."""
        out: list[Index] = []
        role: str | None = None
        listing = False
        for i, tok in enumerate(self.tokens):
            if not self._free(i):
                listing = listing and tok.kind != "word"
                continue
            if tok.is_("CONTROL", "TARGET"):
                role = "control" if tok.is_("CONTROL") else "target"
                listing = True
                self.used.add(i)
            elif tok.is_("QUBIT"):
                listing = True
                self.used.add(i)
            elif tok.kind == "ord":
                j = self._next(i)
                if j is not None and self.tokens[j].is_("QUBIT"):
                    out.append(Index(int(tok.value or 0), role))
                    self.used.update({i, j})
            elif tok.kind == "num" and listing:
                self._reject_negative(i)
                out.append(Index(self.whole(tok, "qubit index"), role))
                self.used.add(i)
            elif not tok.is_("FILLER", "AND", "MINUS"):
                listing = False
                if tok.kind == "word":
                    role = None
        return out

    def bare_numbers(self) -> list[int]:
        """Positions of numbers not used by any pattern yet."""
        return [i for i, t in enumerate(self.tokens) if t.kind == "num" and self._free(i)]

    def bare_indices(self) -> list[Index]:
        """Remaining plain numbers as qubit indices ("CNOT 0 1", "cx(0, 1)")."""
        out = []
        for i in self.bare_numbers():
            self._reject_negative(i)
            out.append(Index(self.whole(self.tokens[i], "qubit index"), None))
            self.used.add(i)
        return out

    def kets(self) -> list[str]:
        out = []
        for i, tok in enumerate(self.tokens):
            if tok.kind == "ket" and self._free(i):
                out.append(tok.text)
                self.used.add(i)
        return out

    def bitstrings(self) -> list[str]:
        """Numbers typed as 0s and 1s ("101"), not yet used."""
        out = []
        for i in self.bare_numbers():
            if self.tokens[i].is_bitstring:
                out.append(self.tokens[i].text)
                self.used.add(i)
        return out

    def expr(self, *, explicit_only: bool = False, after: int | None = None) -> Expr | None:
        """The first value (angle or number) among unused tokens."""
        start = 0 if after is None else after + 1
        for i in range(start, len(self.tokens)):
            if not self._free(i):
                continue
            found = parse_expr(self.tokens, i)
            if found is None or any(p in self.used for p in found.positions):
                continue
            if explicit_only and not found.explicit:
                continue
            self.used.update(found.positions)
            return found
        return None

    def number_after(self, i: int) -> Token | None:
        """A free number right after token ``i`` that is not a count ("constant 1")."""
        j = self._next(i)
        k = None if j is None else self._next(j)
        if k is not None and self.tokens[k].is_("QUBIT"):
            return None
        if j is not None and self.tokens[j].kind == "num" and self._free(j):
            self.used.add(j)
            return self.tokens[j]
        return None

    # -- checks ----------------------------------------------------------------------------
    def whole(self, tok: Token, what: str) -> int:
        value = tok.value
        if value is None or value != int(value) or "." in tok.text:
            raise BioQLValueError(
                f"A {what} must be a whole number, got {tok.raw} in '{self.text}'."
            )
        if value > MAX_INDEX:
            raise BioQLValueError(f"The {what} {tok.raw} in '{self.text}' is absurdly large.")
        return int(value)

    def _reject_negative(self, i: int) -> None:
        if i > 0 and self.tokens[i - 1].is_("MINUS", "NEGATIVE"):
            raise BioQLValueError(
                f"Qubit indices start at 0; got -{self.tokens[i].raw} in '{self.text}'."
            )

    def finish(self, suggestion: str | None = None) -> None:
        """Fail on any meaningful token that no pattern of this clause used.

        This is the "no silent drop" rule: a word that carries meaning (a gate, a state, a
        number, a ket, a sign) is either part of the program or named in the error.
        """
        left = [t for i, t in enumerate(self.tokens) if self._free(i) and is_meaningful(t)]
        if left:
            words = [t.raw for t in left]
            raise BioQLParseError(
                f"Did not understand {', '.join(repr(w) for w in words)} in '{self.text}'."
                + (f" Try e.g. '{suggestion}'." if suggestion else ""),
                unknown_words=words,
                suggestion=suggestion,
            )


# Words that only link or frame ("the", "please", "and"); everything else must be consumed.
# A bare "qubit(s)" or "state" adds nothing ("a Bell state", "H on the qubit").
_IGNORABLE_CONCEPTS = frozenset({"FILLER", "AND", "THEN", "QUBIT", "STATE"})
_MEANINGFUL_SYMBOLS = frozenset({"PLUS", "MINUS", "OVER", "TIMES_SYM"})


def is_meaningful(tok: Token) -> bool:
    """True for a token that changes what the program is, so it may never be ignored."""
    if tok.kind in ("num", "ket", "ord"):
        return True
    if tok.kind == "word":
        return tok.concept not in _IGNORABLE_CONCEPTS
    return tok.concept in _MEANINGFUL_SYMBOLS
