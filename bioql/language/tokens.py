"""The token type shared by every stage of the front end."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(slots=True)
class Token:
    """One unit of a description.

    ``kind`` is ``word`` (a lexicon concept, or ``unknown``), ``num`` (a number; ``text`` keeps
    the digits as typed so ``0101`` stays a bitstring), ``ord`` (an ordinal, 0-based ``value``),
    ``ket`` (``|...>`` content such as ``101`` or ``+``), ``sym`` (punctuation) or ``sep``
    (a clause boundary: ``then``, ``and``, a comma...).
    """

    kind: str
    text: str
    raw: str
    concept: str = ""
    value: int | float | None = None

    def is_(self, *concepts: str) -> bool:
        return self.concept in concepts  # no concept is "": an empty one matches nothing

    @property
    def is_bitstring(self) -> bool:
        """Digits typed as 0s and 1s (``101``), not a number word that happens to read so."""
        return self.kind == "num" and self.raw == self.text and set(self.text) <= {"0", "1"}


def render(tokens: list[Token]) -> str:
    """The tokens as the user typed them, for error messages."""
    return " ".join(t.raw for t in tokens if t.raw).strip()
