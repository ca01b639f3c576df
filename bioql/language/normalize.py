"""Text → raw tokens: Unicode clean-up, accents, kets, numbers, words and punctuation.

No meaning is assigned here; :mod:`bioql.language.lexicon` does that.
"""

from __future__ import annotations

import re
import unicodedata

from bioql.errors import BioQLValueError
from bioql.language.tokens import Token

MAX_CHARS = 4000

# Symbols people paste from papers, spelled out so the lexicon sees words.
_SPELLED = str.maketrans(
    {
        "Φ": " phi ",
        "φ": " phi ",
        "ϕ": " phi ",
        "Ψ": " psi ",
        "ψ": " psi ",
        "π": " pi ",
        "Π": " pi ",
        "θ": " theta ",
        "λ": " lambda ",
        "†": " dagger ",
        "°": " degrees ",
        "º": " degrees ",
        "−": "-",
        "–": "-",
        "—": "-",
        "⟩": ">",
        "〉": ">",
        "❭": ">",
        "⟨": "<",
        "×": "*",
        "·": "*",
        "÷": "/",
        "’": "'",
        "‘": "'",
        "¿": " ",
        "¡": " ",
    }
)

_TOKEN = re.compile(
    r"""
    (?P<ket>\|\s*[01+\-](?:\s*[01+\-])*\s*>)
  | (?P<backend>\b(?:fake|ibm|ionq)_[a-z0-9_]+)
  | (?P<qref>\bq\[?(?P<qidx>[0-9]+)\]?(?![a-z0-9]))
  | (?P<mixed>[0-9]+[a-oq-z][a-z]*[0-9][a-z0-9]*)
  | (?P<num>[0-9]+(?:\.[0-9]+)?|\.[0-9]+)
  | (?P<word>[^\W\d_]+(?:'[^\W\d_]+)*)
  | (?P<sym>[+\-*/(),;.!?:=<>|\n&])
    """,
    re.VERBOSE | re.IGNORECASE,
)

# A hyphen joining two word characters is a space ("3-qubit", "psi-minus", "Bell-state"),
# but between two digits it is a range ("qubits 1-4"), as are "1..4" and "1...4".
_JOINING_HYPHEN = re.compile(r"(?<=[^\W_])-(?=[^\W_])")
_DIGIT_RANGE = re.compile(r"(?<=[0-9])(?:-|\.\.\.?)(?=[0-9])")
# "sqrt(X)", "√NOT", "the square root of NOT": the √X gate
_SQRT_GATE = re.compile(
    r"(?:\bsqrt\s*\(\s*|√\s*\(?\s*|\bsquare\s+root\s+of\s+(?:an?\s+|the\s+)?)(?:x|not)\b\s*\)?",
    re.IGNORECASE,
)
# "|i>", "|-i>": the Y-basis states, written out as the sums they name
_Y_KETS = re.compile(r"\|\s*([+\-]?)\s*i\s*>")
# "pi halves", "pi medios", "pi cuartos": a fraction of pi said with its denominator in words
_PI_PARTS = {"halves": 2, "half": 2, "medios": 2, "thirds": 3, "tercios": 3, "quarters": 4,
             "cuartos": 4, "sixths": 6, "sextos": 6, "eighths": 8, "octavos": 8}  # fmt: skip
_PI_FRACTION = re.compile(r"\b(pi|π)\s+(" + "|".join(_PI_PARTS) + r")\b", re.IGNORECASE)
# "2^10 shots": a power of a whole number, written out (small ones only: a huge one is refused
# later as a number out of range, never computed)
_POWER = re.compile(r"\b([0-9]{1,2})\s*(?:\^|\*\*)\s*([0-9]{1,2})\b")
# "w/ 3 count qubits": the shorthand for "with"
_WITH_SLASH = re.compile(r"\bw/(?=\s|[0-9])", re.IGNORECASE)
# "√2", "sqrt(2)", "sqrt 2" are written out so the value reader sees words.
_ROOT = re.compile(r"√\s*")
# "CNOT q1->q0", "0 → 2": an arrow runs from control to target, like "from 0 to 2"
# only between qubit references: "|->" is a ket and "|psi->" a Bell state, not arrows
_ARROW = re.compile(r"(?<=[0-9\]])\s*(?:->|=>|→)\s*(?=(?:q\[?)?[0-9])", re.IGNORECASE)
# "controls 0,1,2 -> target 3": an arrow between words too, but never inside "|->" or "psi->"
_ANY_ARROW = re.compile(r"(?<![|A-Za-z\-])\s*(?:->|→)\s*(?![|>])")
# "the 2nd qubit" reads like "the second qubit"
_ORDINAL_DIGITS = re.compile(r"\b([1-9]|10)(?:st|nd|rd|th)\b", re.IGNORECASE)
_ORDINAL_WORDS = [
    "first",
    "second",
    "third",
    "fourth",
    "fifth",
    "sixth",
    "seventh",
    "eighth",
    "ninth",
    "tenth",
]
# "2,000 shots" → "2000 shots" (only groups of three digits, so "qubits 0,1" is untouched).
_THOUSANDS = re.compile(r"\b([0-9]{1,3})((?:,[0-9]{3})+)\b(?=\s*[a-zA-Z]|\s*[.;!?]?\s*$)")
# "shots=10,000": an assigned count may end the text
_ASSIGNED_THOUSANDS = re.compile(r"(?<=[=:])(\s*[0-9]{1,3})((?:,[0-9]{3})+)\b")
# "1.024 disparos", "10.000 repeticiones": Spanish groups thousands with dots (only before a word
# for shots, so "fase 0.375" and "RX(1.571)" keep their decimals)
_DOT_THOUSANDS = re.compile(
    r"\b([1-9][0-9]{0,2})((?:\.[0-9]{3})+)\b(?=\s*(?:disparos|repeticiones|veces|muestras|"
    r"ejecuciones|tiradas|mediciones|shots)\b)",
    re.IGNORECASE,
)


def _strip_accents(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def clean(text: str) -> str:
    """Spell out symbols, drop accents, join digit groups; case is preserved."""
    if len(text) > MAX_CHARS:
        raise BioQLValueError(
            f"The description is {len(text)} characters long; BioQL reads at most {MAX_CHARS}. "
            "Describe one circuit in a sentence or two."
        )
    text = _PI_FRACTION.sub(lambda m: f"{m.group(1)}/{_PI_PARTS[m.group(2).lower()]}", text)
    text = _WITH_SLASH.sub(" with ", text)
    text = _POWER.sub(lambda m: str(int(m.group(1)) ** int(m.group(2))), text)
    text = _Y_KETS.sub(lambda m: f" (|0> {m.group(1) or '+'} i|1>)/sqrt(2) ", text)
    text = _SQRT_GATE.sub(" sqrt x ", text)
    text = _ANY_ARROW.sub(" to ", text)
    text = _ROOT.sub(" sqrt ", _ARROW.sub(" to ", text))
    text = _ORDINAL_DIGITS.sub(lambda m: _ORDINAL_WORDS[int(m.group(1)) - 1], text)
    text = _strip_accents(text.translate(_SPELLED))
    text = _DIGIT_RANGE.sub(" through ", text)
    text = _JOINING_HYPHEN.sub(" ", text)
    text = _DOT_THOUSANDS.sub(lambda m: m.group(1) + m.group(2).replace(".", ""), text)
    text = _ASSIGNED_THOUSANDS.sub(lambda m: m.group(1) + m.group(2).replace(",", ""), text)
    return _THOUSANDS.sub(lambda m: m.group(1) + m.group(2).replace(",", ""), text)


def lex(text: str) -> list[Token]:
    """Split cleaned text into raw tokens (words lower-cased, ``raw`` keeps the original)."""
    tokens: list[Token] = []
    for m in _TOKEN.finditer(clean(text)):
        raw = m.group(0)
        if m.group("ket") is not None:
            content = re.sub(r"[\s|>]", "", raw)
            tokens.append(Token("ket", content, raw))
        elif m.group("backend") is not None:
            tokens.append(Token("word", raw.lower(), raw, concept="BACKEND_ID"))
        elif m.group("qref") is not None:
            tokens.append(Token("word", "qubit", "q", concept="QUBIT"))
            digits = m.group("qidx")
            tokens.append(Token("num", digits, digits, value=_number(digits)))
        elif m.group("mixed") is not None:
            tokens.append(Token("word", raw.lower(), raw))  # "10a1" is no number: named unknown
        elif m.group("num") is not None:
            tokens.append(Token("num", raw, raw, value=_number(raw)))
        elif m.group("word") is not None:
            tokens.append(Token("word", raw.lower().replace("'", ""), raw))
        else:
            tokens.append(Token("sym", raw, raw))
    return tokens


def _number(digits: str) -> float:
    """Numeric value; absurdly long digit strings become infinity (caught by range checks)."""
    whole = digits.split(".")[0]
    if len(whole) > 15:
        return float("inf")
    return float(digits) if "." in digits else int(digits)
