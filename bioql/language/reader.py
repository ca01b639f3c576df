"""A cursor over one clause's tokens that knows the small patterns every construct shares:
qubit counts ("3 qubits"), qubit indices ("qubit 0", "qubits 0 and 2", "the first qubit"),
kets, bitstrings, values, and which tokens were not used.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from bioql.errors import BioQLParseError, BioQLValueError
from bioql.language.angles import Expr, parse_expr
from bioql.language.clauses import Clause
from bioql.language.lexicon import DEFINITE, DEMONSTRATIVES, PRONOUNS
from bioql.language.tokens import Token, render

MAX_INDEX = 100_000


@dataclass
class Index:
    qubit: int  # with ``from_end``, 0 is the last qubit, 1 the one before it...
    role: str | None  # "control", "target" or None
    from_end: bool = False  # "the last qubit": resolved once the register size is known
    middle: bool = False  # "the middle qubit": of an odd register, once its size is known

    def resolve(self, n: int) -> int:
        if self.middle:
            if n % 2 == 0:
                raise BioQLValueError(
                    f"A register of {n} qubits has no middle qubit; name the qubit by number."
                )
            return n // 2
        return n - 1 - self.qubit if self.from_end else self.qubit


class Reader:
    def __init__(self, clause: Clause) -> None:
        self.tokens = clause.tokens
        self.used: set[int] = set()
        self.text = render(self.tokens)
        self.prefix = clause.prefix
        self.antecedent = clause.antecedent
        self.superposed = clause.superposed
        self.count_at: int | None = None  # where the qubit count was written
        self.written: dict[str, complex] | None = None  # "the Bell state (|00> + |11>)/√2"

    # -- simple queries --------------------------------------------------------------------
    def has(self, *concepts: str) -> bool:
        return any(t.concept in concepts for t in self.tokens)

    def first(self, *concepts: str) -> int | None:
        return next((i for i, t in enumerate(self.tokens) if t.is_(*concepts)), None)

    def use(self, *concepts: str) -> None:
        self.used.update(i for i, t in enumerate(self.tokens) if t.is_(*concepts))

    def _free(self, i: int) -> bool:
        return i not in self.used

    def is_free(self, i: int) -> bool:
        return self._free(i)

    def _register_of(self, i: int) -> bool:
        """ "a register of three", "un registro de 4", "qubits 1 y 2 de 3"."""
        if i < 2 or self.tokens[i - 1].text not in ("of", "de"):
            return False
        if i + 1 < len(self.tokens) and self.tokens[i + 1].is_("QUBIT"):
            return False
        before = self.tokens[i - 2]
        listed = before.kind == "num" and (self.tokens[i].value or 0) > (before.value or 0)
        return before.text in ("register", "registro") or (listed and i + 1 == len(self.tokens))

    def count_is_register(self) -> bool:
        """ "On 5 qubits, ..." or "... of a 5-qubit register": the count sizes the register."""
        at = self.count_at
        if at is None:
            return False
        if at < self.prefix or self._register_of(at):  # "... de un registro de cuatro"
            return True
        after = self.tokens[at + 1 : at + 4]
        return any(
            t.text in ("register", "registers", "registro", "circuit", "circuito") for t in after
        )

    def next_index(self, i: int) -> int | None:
        return self._next(i)

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
            after_qubit = i and self.tokens[i - 1].is_("QUBIT") and not self._is_count(i)
            if tok.kind != "num" or not self._free(i) or after_qubit:
                continue  # "q0 q1": 0 is the index of the q before it, not a count
            if self._register_of(i):  # "a register of three", "un registro de 4"
                listed = self.tokens[i - 2].kind == "num"  # "qubits 1 y 2 de 3": keep the 2
                self.used.update({i - 1, i} if listed else {i - 2, i - 1, i})
                found.append(self.whole(tok, "number of qubits"))
                self.count_at = i if self.count_at is None else self.count_at
                continue
            if i and (self.tokens[i - 1].kind == "ord" or self.tokens[i - 1].is_("LAST")):
                continue  # "the first three qubits" names qubits, it does not size the register
            j = i + 1  # adjacent only: in "RX(pi/2) on qubit 0" the 2 is not a count
            while j < len(self.tokens) and self.tokens[j].is_("COUNTING", "INPUT"):
                j += 1
            if j >= len(self.tokens) or not self.tokens[j].is_("QUBIT"):
                continue
            self.used.update(range(i, j + 1))
            self._reject_listed_counts(i)
            if i and self.tokens[i - 1].is_("MINUS", "NEGATIVE"):
                raise BioQLValueError(
                    f"The number of qubits must be at least 1, got -{tok.raw} in '{self.text}'."
                )
            if i and self.tokens[i - 1].text in ("over", "sobre"):
                self.used.add(i - 1)  # "a superposition over 4 qubits": not a division
            found.append(self.whole(tok, "number of qubits"))
            self.count_at = i if self.count_at is None else self.count_at
        if found:
            self.use("COUNTING", "INPUT")
        if len(set(found)) > 1:
            raise BioQLValueError(
                f"'{self.text}' states more than one number of qubits ({found}); state one."
            )
        if found and found[0] < 1:
            raise BioQLValueError(
                f"The number of qubits must be at least 1, got {found[0]} in '{self.text}'."
            )
        return found[0] if found else None

    def _reject_listed_counts(self, i: int) -> None:
        """ "H on 2 and 3 qubits": two numbers before one "qubits" are two counts, not a qubit
        and a count ("qubit 0 and 3 qubits" is a qubit, then a count)."""
        if i < 2 or not self.tokens[i - 1].is_("AND") or self.tokens[i - 2].kind != "num":
            return
        if i >= 3 and self.tokens[i - 3].is_("QUBIT"):
            return
        raise BioQLValueError(
            f"'{self.text}' gives two numbers of qubits ({self.tokens[i - 2].raw} and "
            f"{self.tokens[i].raw}); name qubits as 'qubits 2 and 3', or state one size."
        )

    def indices(self) -> list[Index]:
        """Qubit indices with their role, in the order written.

        Understands "qubit 0", "qubits 0, 2 and 3", "qubits 1 through 4" / "1-4" / "1..4",
        "the second qubit", "the first three qubits", "the last qubit", "control 0 and target
        1", "qubit 2 as control", "controlled by qubits 0-2".
        """
        out: list[Index] = []
        role: str | None = None
        listing = plural = False
        last = -1  # position of the last index read
        list_start = 0  # where the indices after the last "qubit(s)" word begin
        list_plural = False  # that word was "qubits": a role word after the list is for all
        toks = self.tokens
        i = 0
        while i < len(toks):
            tok = toks[i]
            if not self._free(i):
                listing = listing and tok.kind != "word"
                i += 1
                continue
            if tok.is_("CONTROL", "TARGET") or self.controlled_by(i):
                new_role = "control" if not tok.is_("TARGET") else "target"
                if tok.is_("CONTROL", "TARGET") and self._postfix_role(i, out):
                    out[-1].role = new_role
                    if tok.text.endswith("s") or list_plural:  # "qubits 1 and 2 as controls"
                        for ix in out[list_start:]:
                            ix.role = ix.role or new_role
                    role = None
                else:
                    role = new_role
                    listing = True
                self.used.add(i)
            elif tok.is_("QUBIT"):
                list_start, list_plural = len(out), tok.text.endswith("s")
                if role is not None and out and out[-1].role == role and self._gap(last, i):
                    role = None  # "controls 0 and 1 acts on qubit 2": the role list ended
                listing = True
                plural = tok.text.endswith("s")  # "qubits 0 to 2" is a range; "qubit 0 to 2" not
                self.used.add(i)
            elif tok.is_("CONTROLLING") and out:  # "qubit 1 controlling qubit 0"
                out[-1].role, role, listing = "control", "target", True
                self.used.add(i)
            elif tok.is_("MIDDLE"):  # "the middle qubit", "el del medio"
                out.append(Index(0, role, middle=True))
                self.used.add(i)
                j = self._next(i)
                if j is not None and self.tokens[j].is_("QUBIT"):
                    self.used.add(j)
                    i = j
            elif tok.is_("OUTER"):  # "the outer qubits": the first and the last
                out.extend((Index(0, role), Index(0, role, from_end=True)))
                self.used.add(i)
                j = self._next(i)
                if j is not None and self.tokens[j].is_("QUBIT"):
                    self.used.add(j)
                    i = j
            elif tok.kind == "ord" or tok.is_("LAST"):
                if role is not None and out and out[-1].role == role and self._gap(last, i):
                    role = None  # "controlled by qubits 0 and 1 onto the last qubit"
                i = self._ordinal(i, role, out)
                continue
            elif tok.kind == "num" and self._counted_ordinal(i):
                i = self._spanish_ordinal(i, role, out)  # "los tres primeros qubits"
                continue
            elif tok.kind == "num" and listing and not self._is_count(i) and not self._repeats(i):
                self._reject_negative(i)
                i = self._index_or_range(i, role, out, to_is_range=plural)
                last = i - 1
                continue
            elif tok.text in ("between", "entre", "sobre") and (
                self._next_is_qubit(i) or self._next_is_ordinal(i)
            ):
                self.used.add(i)
            elif not tok.is_("FILLER", "AND", "MINUS") and tok.text != ",":
                listing = False
                if tok.kind == "word":
                    role = None
            i += 1
        return out

    def _repeats(self, i: int) -> bool:
        """ "X on qubit 0 three times": the number counts repetitions, it names no qubit."""
        return i + 1 < len(self.tokens) and self.tokens[i + 1].is_("REPEAT")

    def _gap(self, last: int, i: int) -> bool:
        """Words other than "and" between the last index and position ``i``."""
        return last >= 0 and any(not t.is_("AND") for t in self.tokens[last + 1 : i])

    def controlled_by(self, i: int) -> bool:
        """ "controlled by qubits 0-2": a role marker, not the name of a controlled gate."""
        j = i + 1
        return (
            self.tokens[i].is_("CONTROLLED")
            and j < len(self.tokens)
            and self.tokens[j].text in ("by", "por", "on", "from", "desde")
        )

    def _postfix_role(self, i: int, out: list[Index]) -> bool:
        """ "qubit 2 as control": the role word follows the index it names."""
        if not out or out[-1].role is not None:
            return False
        prev = i - 1
        while prev >= 0 and self.tokens[prev].is_("FILLER"):
            prev -= 1
        if prev < 0 or self.tokens[prev].kind not in ("num", "ord"):
            return False
        j = self._next(i)
        return j is None or self.tokens[j].kind != "num"

    def _is_count(self, i: int) -> bool:
        """ "3 qubits" (not "q3 q4"): a number followed by the word qubit(s) sizes a register."""
        j = i + 1
        while j < len(self.tokens) and self.tokens[j].is_("COUNTING", "INPUT"):
            j += 1
        if j >= len(self.tokens) or not self.tokens[j].is_("QUBIT") or self.tokens[j].raw == "q":
            return False
        # "qubit 0 qubit 2" lists two qubits; "on all qubits, 3 qubits" states a size
        return not self.tokens[i - 1].is_("QUBIT") or self.tokens[j].text.endswith("s")

    def _counted_ordinal(self, i: int) -> bool:
        j = i + 1
        return (
            j + 1 < len(self.tokens)
            and (
                (self.tokens[j].kind == "ord" and self.tokens[j].value == 0)
                or self.tokens[j].is_("LAST")
            )
            and (
                self.tokens[j + 1].is_("QUBIT")
                or (self._after_article(i) and not self._is_noun(self.tokens[j + 1]))
            )
        ) or (
            j + 1 == len(self.tokens)
            and self._after_article(i)
            and (
                (self.tokens[j].kind == "ord" and self.tokens[j].value == 0)
                or self.tokens[j].is_("LAST")  # "mide únicamente los dos últimos"
            )
        )

    @staticmethod
    def _is_noun(tok: Token) -> bool:
        """A word with a meaning of its own after "los tres primeros" ("pasos", "Hadamard")."""
        return tok.kind == "word" and not tok.is_("FILLER", "AND", "THEN", "MEASURE")

    def _spanish_ordinal(self, i: int, role: str | None, out: list[Index]) -> int:
        how_many = self.whole(self.tokens[i], "number of qubits")
        if self.tokens[i + 1].is_("LAST"):
            out.extend(Index(k, role, from_end=True) for k in reversed(range(how_many)))
        else:
            out.extend(Index(q, role) for q in range(how_many))
        end = i + 2 if i + 2 < len(self.tokens) and self.tokens[i + 2].is_("QUBIT") else i + 1
        self.used.update(range(i, end + 1))
        return end + 1

    def _next_is_ordinal(self, i: int) -> bool:
        j = self._next(i)
        return j is not None and (self.tokens[j].kind == "ord" or self.tokens[j].is_("LAST"))

    def _next_is_qubit(self, i: int) -> bool:
        j = self._next(i)
        return j is not None and self.tokens[j].is_("QUBIT")

    def _index_or_range(
        self, i: int, role: str | None, out: list[Index], *, to_is_range: bool = False
    ) -> int:
        """One index, or a range "1 through 4" / "1 to 4"; returns the next position."""
        first = self.whole(self.tokens[i], "qubit index")
        self.used.add(i)
        j = i + 1 if i + 1 < len(self.tokens) else None  # the very next word: "del 0 al 2"
        k = self._next(j) if j is not None else None
        through = j is not None and self.tokens[j].is_("THROUGH")
        to = (
            to_is_range
            and j is not None
            and self.tokens[j].text in ("to", "a", "al")
            and self.tokens[j].is_("FILLER")
        )
        if (through or to) and k is not None and self.tokens[k].kind == "num" and self._free(k):
            last = self.whole(self.tokens[k], "qubit index")
            if through or last > first:
                if last < first:
                    raise BioQLValueError(
                        f"The range {first} through {last} in '{self.text}' runs backwards; "
                        f"write it as {last} through {first}."
                    )
                if last - first > MAX_INDEX:
                    raise BioQLValueError(f"The range {first}..{last} is absurdly large.")
                out.extend(Index(q, role) for q in range(first, last + 1))
                self.used.update(range(i, k + 1))
                return k + 1
        out.append(Index(first, role))
        return i + 1

    def _ordinal_list(self, i: int, j: int | None) -> tuple[list[int], int] | None:
        """Ordinals joined by "and" that share one "qubit(s)": positions and the qubit word."""
        ords, k = [i], j

        def is_ordinal(t: Token) -> bool:
            return t.kind == "ord" or t.is_("LAST")

        while k is not None and (is_ordinal(self.tokens[k]) or self.tokens[k].is_("AND")):
            if is_ordinal(self.tokens[k]):
                ords.append(k)
            k = self._next(k)
        if len(ords) < 2 or k is None or not self.tokens[k].is_("QUBIT"):
            return None
        return ords, k

    def _ordinal(self, i: int, role: str | None, out: list[Index]) -> int:
        """ "the second qubit", "the first three qubits", "the last qubit", "last two qubits"."""
        tok = self.tokens[i]
        from_end = tok.is_("LAST")
        j = self._next(i)
        how_many = 1
        counted = from_end or tok.value == 0  # "the first three", "the last two"
        if counted and j == i + 1 and self.tokens[j].kind == "num":  # not "the first of 3"
            how_many = self.whole(self.tokens[j], "number of qubits")
            j = self._next(j)
        listed = self._ordinal_list(i, j)
        if listed is not None:  # "the second and the third qubit"
            out.extend(
                Index(0, role, from_end=True)
                if self.tokens[k].is_("LAST")
                else Index(int(self.tokens[k].value or 0), role)
                for k in listed[0]
            )
            self.used.update(range(i, listed[1] + 1))
            return listed[1] + 1
        if (
            j is not None
            and not self.tokens[j].is_("QUBIT")
            and not self._names_qubits(i, j, counted=how_many > 1)
        ) or (j is None and not self._after_article(i)):
            return i + 1  # not about qubits ("the first step"); left for finish() to name
        # "measure the last two", "flip the first one": the clause ends, so qubits are meant
        if j is None or not self.tokens[j].is_("QUBIT"):
            j = (
                i + 1
                if how_many > 1 or (i + 1 < len(self.tokens) and self.tokens[i + 1].kind == "num")
                else i
            )
        j = j if j is not None else len(self.tokens) - 1
        self.used.update(range(i, j + 1))
        if from_end:
            out.extend(Index(k, role, from_end=True) for k in reversed(range(how_many)))
        elif how_many > 1:
            out.extend(Index(q, role) for q in range(how_many))
        else:
            out.append(Index(int(tok.value or 0), role))
        return j + 1

    def _after_article(self, i: int) -> bool:
        return i > 0 and self.tokens[i - 1].text in DEFINITE

    def _names_qubits(self, i: int, j: int, *, counted: bool = False) -> bool:
        """ "X on the second and on the fourth", "en el segundo y en el cuarto de un registro de 4":
        an ordinal after an article names a qubit unless a noun of its own follows ("the first
        Hadamard", "the second step")."""
        nxt = self.tokens[j]
        if not self._after_article(i):
            return False
        if counted:  # "put the first two in superposition", not "the first two Hadamards"
            return not (nxt.kind == "word" and nxt.concept.startswith("GATE:"))
        return nxt.kind in ("ord", "num", "sep", "sym") or nxt.is_(
            "AND", "LAST", "THEN", "MEASURE", "THROUGH", "IDLE", "CONTROL", "TARGET"
        )

    def remaining_count(self) -> int | None:
        """ "the other two", "the remaining 3 qubits", "los otros dos": how many qubits remain
        (checked once the register is known), never an index or the register's size."""
        at = self.first("REMAINING")
        if at is None or at + 1 >= len(self.tokens) or self.tokens[at + 1].kind != "num":
            return None
        count = self.whole(self.tokens[at + 1], "number of remaining qubits")
        self.used.update({at, at + 1})
        if at + 2 < len(self.tokens) and self.tokens[at + 2].is_("QUBIT"):
            self.used.add(at + 2)
        return count

    def pronoun(self) -> int | None:
        """Where "it", "them", "those (two)", "ellos", "that qubit" stands for the qubits named
        just before."""
        for i, t in enumerate(self.tokens):
            if t.text in PRONOUNS and t.is_("FILLER"):
                return i
            nxt = self.tokens[i + 1] if i + 1 < len(self.tokens) else None
            if t.text in DEMONSTRATIVES and nxt is not None and nxt.text in ("qubit", "cubit"):
                return i  # "measure only that qubit", "solo se mide ese qubit"
        return None

    def with_antecedent(self) -> Clause | None:
        """This clause with its pronoun (or "both") replaced by the qubits it refers to, or None
        when there is none or the number does not fit ("it" is one qubit, "both" two)."""
        qubits = self.antecedent
        at = self.pronoun()
        if at is None and self.has("BOTH"):
            at = self.first("BOTH")
        if at is None or not qubits:
            return None
        word = self.tokens[at].text
        end = at + 1
        if end < len(self.tokens) and self.tokens[end].kind == "num":  # "those two"
            if self.tokens[end].value != len(qubits):
                return None
            end += 1
        if word in DEMONSTRATIVES:  # "that qubit": one qubit, and the word "qubit" goes too
            end += 1
        singular = word == "it" or word in DEMONSTRATIVES
        want = 1 if singular else 2 if self.tokens[at].is_("BOTH") else None
        if want is not None and want != len(qubits):
            return None
        if (
            self.tokens[at].is_("BOTH")
            and end + 1 < len(self.tokens)
            and self.tokens[end].text in ("of", "de")
            and self.tokens[end + 1].text in PRONOUNS
        ):
            end += 2  # "both of them"
        named: list[Token] = [Token("word", "qubits", "qubits", "QUBIT")]
        for k, q in enumerate(qubits):
            if k:
                named.append(Token("word", "and", "and", "AND"))
            named.append(Token("num", str(q), str(q), value=q))
        tokens = self.tokens[:at] + named + self.tokens[end:]
        return Clause(tokens=tokens, prefix=self.prefix, order=-1)

    def bare_numbers(self) -> list[int]:
        """Positions of numbers not used by any pattern yet."""
        return [i for i, t in enumerate(self.tokens) if t.kind == "num" and self._free(i)]

    def bare_indices(self) -> list[Index]:
        """Remaining plain numbers as qubit indices ("CNOT 0 1", "cx(0, 1)").

        A number right before a gate's name ("two SX gates") says how many times, which BioQL
        does not repeat; it is left for :meth:`finish` to name rather than read as a qubit.
        """
        out: list[Index] = []
        for i in self.bare_numbers():
            nxt = self.tokens[i + 1] if i + 1 < len(self.tokens) else None
            if nxt is not None and nxt.kind == "word" and nxt.concept.startswith("GATE:"):
                continue
            if not self.tokens[i].raw[:1].isdigit():
                continue  # "flip the other two": a number in words is a count, not a qubit
            if i in self.used:
                continue  # the end of a range taken just before
            self._reject_negative(i)
            before = len(out)
            self._index_or_range(i, None, out)  # "X on 1..3"; "CNOT from 0 to 2" is two qubits
            if len(out) == before:  # pragma: no cover - _index_or_range always adds one
                out.append(Index(self.whole(self.tokens[i], "qubit index"), None))
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
            if not self._free(i) or (i and self.tokens[i - 1].is_("QUBIT")):
                continue  # "qubit 0" is an index, never a value
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
        if j is not None and self.tokens[j].kind == "num" and self._is_count(j):
            return None
        if j is not None and self.tokens[j].kind == "num" and self._free(j):
            self.used.add(j)
            return self.tokens[j]
        return None

    # -- checks ----------------------------------------------------------------------------
    def whole(self, tok: Token, what: str) -> int:
        value = tok.value
        if value is not None and not math.isfinite(value):  # a run of digits longer than 15
            raise BioQLValueError(
                f"The {what} {tok.raw[:20]}… in '{self.text[:60]}' is absurdly large."
            )
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
