"""Values the model copies from a request, shown to it as slots ``#1``, ``#2``… (delexicalisation).

A small model paraphrases well but copies badly: the first trained model wrote valid plans
with the wrong shot count, qubit count or device whenever the request used a value it had not
seen in training (``test_novel`` holds out sizes, shot counts, bit strings, devices and
molecules on purpose). So the prompt format shows the model the request with every copyable
value replaced by a numbered slot, the model writes the slot, and the slot is replaced by the
value afterwards — the classic delexicalisation of semantic parsing. Replacement is exact in
both directions, so a plan that uses the slots means exactly what the request said.

Slot values, in order of first appearance:

* numbers — after number words and separators are normalised ("dos mil quinientos" → 2500),
  including decimals, bit strings (``|0101>``) and qubit indices;
* device names — IBM devices (``torino``; written ``fake_#2`` / ``ibm_#2`` by the model) and
  IonQ's (``forte``);
* the ligand — a SMILES string, or a known drug name (its value is then the SMILES);
* protein files — ``*.pdb`` / ``*.pdbqt`` paths.

A value that appears several times gets one slot. Values the request does not contain
(``simulator``, the default 1024 shots) stay literal for the model to write.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from dataclasses import dataclass
from fractions import Fraction

SLOT = re.compile(r"#(\d+)")
# A number not glued to a word or a slot: "5-qubit", "|0101>", "pi/4", "0.375" — not "c1cc",
# "1hsg.pdb" or "q0".
_NUMBER = r"(?<![\w.#])\d+(?:\.\d+)?(?![\w])"
_PROTEIN = r"(?<![\w./-])[\w./-]+\.pdb(?:qt)?\b"


@functools.lru_cache(maxsize=1)
def device_names() -> tuple[str, ...]:
    """Device names a request may mention (IBM's fake/real devices and IonQ's QPUs)."""
    from bioql.assistant.checking import checks

    return tuple(sorted({*checks.fake_devices(), "aria", "forte"}, key=len, reverse=True))


@functools.lru_cache(maxsize=1)
def _device_pattern() -> str:
    return r"(?<![a-z])(?:" + "|".join(map(re.escape, device_names())) + r")(?![a-z])"


@dataclass(frozen=True)
class Slots:
    """A request with its values replaced, and the values (``#k`` is ``values[k - 1]``)."""

    text: str
    values: tuple[str, ...]

    @property
    def mentions(self) -> tuple[int, ...]:
        """How often the request mentions each slot (``mentions[k - 1]`` for ``#k``)."""
        found = SLOT.findall(self.text)
        return tuple(found.count(str(k)) for k in range(1, len(self.values) + 1))

    def encode(self, text: str) -> str:
        """Replace the request's values in ``text`` (a plan) by their slots."""
        if not self.values:
            return text
        index = {_key(v): i + 1 for i, v in enumerate(self.values)}
        devices = set(device_names())
        literal = [v for v in self.values if not re.fullmatch(r"[\d.]+", v) and v not in devices]
        parts = [re.escape(v) for v in sorted(literal, key=len, reverse=True)]
        pattern = "|".join([*(rf"(?<![\w#]){p}(?![\w])" for p in parts), _NUMBER])
        pattern += "|" + _device_pattern()

        def swap(match: re.Match[str]) -> str:
            found = match.group(0)
            k = index.get(_key(found)) or index.get(found.lower())
            return f"#{k}" if k else found

        return re.sub(pattern, swap, text, flags=re.IGNORECASE)

    def decode(self, text: str) -> str:
        """Put the values back; a slot the request does not have is left for the validator."""

        def swap(match: re.Match[str]) -> str:
            k = int(match.group(1))
            return self.values[k - 1] if 1 <= k <= len(self.values) else match.group(0)

        return SLOT.sub(swap, text)


def _key(value: str) -> object:
    """Numbers match by value ("24" in the request is "24.0" in a plan), bit strings by text."""
    if re.fullmatch(r"(?:0|[1-9]\d*)(?:\.\d+)?|0\.\d+", value):
        return float(value)
    return value


@functools.lru_cache(maxsize=256)  # prompt, decode and repair of one request share it
def delexicalise(request: str) -> Slots:
    """The request as the model sees it, and the values its slots stand for.

    The text is normalised by the language's :func:`~bioql.language.segments.plain_text` (lower
    case, no accents, typos of known words fixed, number words → digits) and exact fractions
    are written as decimals ("1/16" → "0.0625", as plans write phases), so the
    model sees one spelling per meaning. File names and SMILES are taken out first, where
    case still matters.
    """
    from bioql.language.segments import plain_text

    values: list[str] = []

    def slot(value: str) -> str:
        if value not in values:
            values.append(value)
        return f"#{values.index(value) + 1}"

    text = SLOT.sub(r"# \1", request)  # a literal "#3" typed by the user is not a slot
    text = _screening_values(text, slot)
    text = re.sub(_PROTEIN, lambda m: slot(m.group(0)), text, flags=re.IGNORECASE)
    text = _replace_ligand(text, slot)
    text = _fractions_to_decimals(plain_text(text))
    pattern = f"(?P<number>{_NUMBER})|(?P<device>{_device_pattern()})"
    return Slots(re.sub(pattern, lambda m: slot(m.group(0)), text), tuple(values))


def _screening_values(text: str, slot: Callable[[str], str]) -> str:
    """A screen's files, residue, cluster address and folder → slots, in the order the reader
    finds them (only in a screening request: no other request changes)."""
    from bioql.language import screening

    if not screening.is_screening(text):
        return text
    try:
        request = screening.read_screening(text)
    except Exception:  # a request the reader refuses is shown with its files as slots
        request = None
    values = [request.ligands] if request else []
    if request:
        values += [str(v) for k, v in request.options if k in screening.TEXT_OPTIONS]
    else:
        values += [m.group(0) for m in screening.FILE.finditer(text)]
    for value in values:
        if not value.lower().endswith((".pdb", ".pdbqt")):  # the receptor: _PROTEIN below
            text = re.sub(rf"(?<![\w#./~-]){re.escape(value)}(?![\w])", slot(value), text, count=1)
    return text


_DOCKING_WORDS = re.compile(
    r"dock|acopl|ligand|smiles|pocket|bolsillo|protein|prote[ií]na|receptor|#\d", re.I
)


def _replace_ligand(text: str, slot: Callable[[str], str]) -> str:
    """The ligand (SMILES or known drug name) → one slot whose value is the SMILES.

    Only in a docking request: "OF" or "CNOT"-like capitals elsewhere are not molecules.
    """
    from bioql.language.docking import NAMED_LIGANDS, find_ligand

    if not _DOCKING_WORDS.search(text):
        return text
    smiles = find_ligand(text)
    if smiles is None:
        return text
    mark = slot(smiles)
    if smiles in text:
        return re.sub(rf"(?<![\w#]){re.escape(smiles)}(?![\w])", mark, text)
    for name, value in NAMED_LIGANDS.items():
        if value == smiles:
            text = re.sub(rf"\b{name}\b", mark, text, flags=re.IGNORECASE)
    return text


def _fractions_to_decimals(text: str) -> str:
    """ "3/8" → "0.375" when the decimal is exact and short (not "pi/4", not "1/3")."""

    def swap(match: re.Match[str]) -> str:
        value = Fraction(int(match.group(1)), int(match.group(2))) if int(match.group(2)) else None
        if value is None or value.denominator & (value.denominator - 1):  # not a power of 2
            return match.group(0)
        return f"{float(value):.6f}".rstrip("0").rstrip(".")

    return re.sub(r"(?<![\w/.])(\d+)/(\d+)(?![\w/.])", swap, text)
