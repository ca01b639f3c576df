"""Reading a docking request: a ligand (a SMILES string as written, or a common drug's name) into a
receptor file, with the box and search options it states.

>>> read_docking("Dock CCO into 1hsg.pdb with a 20 Å box centered at (1, 2, 3)").options
(('center', (1.0, 2.0, 3.0)), ('size', (20.0, 20.0, 20.0)))

The ligand and the receptor file are found on the text itself (the shared tokenizer would split a
SMILES string or a path); the rest goes through :func:`bioql.language.normalize.lex` and every
word must be a docking word of the lexicon (``REQUEST_WORDS``), a filler or an option's value.
Anything else — a Bell state asked for beside the docking, a word BioQL does not know — is named
in the error: nothing is dropped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bioql.errors import BioQLParseError
from bioql.language.lexicon import FILLERS, REQUEST_WORDS
from bioql.language.normalize import lex
from bioql.language.tokens import Token

# Common drugs people name instead of writing a SMILES string.
NAMED_LIGANDS = {
    "aspirin": "CC(=O)OC1=CC=CC=C1C(=O)O",
    "aspirina": "CC(=O)OC1=CC=CC=C1C(=O)O",
    "ibuprofen": "CC(C)CC1=CC=C(C=C1)C(C)C(=O)O",
    "ibuprofeno": "CC(C)CC1=CC=C(C=C1)C(C)C(=O)O",
    "caffeine": "CN1C=NC2=C1C(=O)N(C(=O)N2C)C",
    "cafeina": "CN1C=NC2=C1C(=O)N(C(=O)N2C)C",
    "cafeína": "CN1C=NC2=C1C(=O)N(C(=O)N2C)C",
    "paracetamol": "CC(=O)NC1=CC=C(C=C1)O",
    "acetaminophen": "CC(=O)NC1=CC=C(C=C1)O",
    "ethanol": "CCO",
    "etanol": "CCO",
    "benzene": "c1ccccc1",
    "benceno": "c1ccccc1",
    "phenol": "Oc1ccccc1",
    "fenol": "Oc1ccccc1",
}
# Capitalised words that are gate, algorithm or company names, never molecules.
_NOT_SMILES = {
    "CNOT", "QFT", "GHZ", "IBM", "PDB", "SMILES", "BV", "DJ", "QPE", "ID", "IONQ", "API", "CCX",
    "CX", "CZ", "SWAP", "NO", "ON", "IN", "ION", "I", "SO",
}  # fmt: skip
_SMILES_TOKEN = re.compile(r"^[A-Za-z0-9@+\-\[\]\(\)=#$/\\%.]+$")
_ATOMS_ONLY = re.compile(r"^(?:Cl|Br|[CNOSPFIcnops])+$")
_RECEPTOR_FILE = re.compile(r"(?<![\w./-])[\w./-]+\.pdb(?:qt)?\b", re.IGNORECASE)
_PDB_ID = re.compile(
    r"\b(?:pdb|protein|proteina|proteína|receptor|target|diana)\s*(?:id|code)?\s*[:=]?\s*"
    r"([0-9][A-Za-z0-9]{3})\b",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class DockingRequest:
    ligand: str  # the SMILES string exactly as written (a named drug's SMILES when named)
    receptor: str  # the receptor file
    backend: str = "vina"  # "vina", or "quantum" for the quantum docking backend
    options: tuple[tuple[str, object], ...] = ()


def read_docking(text: str) -> DockingRequest | None:
    """The docking ``text`` asks for, or None when it names no ligand and receptor together.

    Raises :class:`~bioql.errors.BioQLParseError` naming the words that are not part of the
    docking request (a circuit asked for beside it, an unknown word).
    """
    receptor_match = _RECEPTOR_FILE.search(text) or _PDB_ID.search(text)
    ligand = find_ligand(text)
    if receptor_match is None or ligand is None:
        return None
    if receptor_match.re is _PDB_ID:
        receptor = f"{receptor_match.group(1).lower()}.pdb"
        start, end = receptor_match.span(1)
    else:
        receptor = receptor_match.group(0)
        start, end = receptor_match.span()
    rest = text[:start] + " " + text[end:]
    rest = _without_ligand(rest, ligand)
    tokens = lex(rest)
    options, unread = _options(tokens)
    backend = "quantum" if any(_is(t, "DOCK_QUANTUM") for t in tokens) else "vina"
    if unread:
        words = list(dict.fromkeys(unread))
        raise BioQLParseError(
            f"BioQL did not understand {', '.join(repr(w) for w in words)} in this docking "
            f"request. It docks one ligand into one receptor, e.g. 'Dock CCO into receptor.pdb "
            f"with a 20 Å box centered at (1.5, -2, 3)'.",
            unknown_words=words,
        )
    return DockingRequest(ligand, receptor, backend, options)


def find_ligand(text: str) -> str | None:
    """The ligand in a request: a SMILES string as written, or a common drug's name."""
    lowered = text.lower()
    for name, smiles in NAMED_LIGANDS.items():
        if re.search(rf"\b{name}\b", lowered):
            return smiles
    candidates = re.findall(r"[\"'`]([^\"'`\s]+)[\"'`]", text)
    candidates += [t.strip(",;:") for t in text.split()]
    for token in candidates:
        if _looks_like_smiles(token):
            return token
    return None


def smiles_parses(text: str) -> bool:
    """Whether ``text`` is a SMILES string (RDKit when installed, else its character set)."""
    return bool(_SMILES_TOKEN.match(text)) and _rdkit_accepts(text)


def _without_ligand(text: str, ligand: str) -> str:
    if ligand in text:
        return text.replace(ligand, " ", 1)
    for name, smiles in NAMED_LIGANDS.items():
        if smiles == ligand:
            text = re.sub(rf"\b{name}\b", " ", text, flags=re.IGNORECASE)
    return text


def _looks_like_smiles(token: str) -> bool:
    if len(token) < 2 or token.upper() in _NOT_SMILES or token.lower().endswith((".pdb", ".pdbqt")):
        return False
    if not _SMILES_TOKEN.match(token) or not re.search(r"[CNOcno]", token):
        return False
    structural = re.search(r"[()=#\[\]@]|[a-z]\d|\d[a-z]", token) is not None
    if not structural and not _ATOMS_ONLY.match(token):
        return False
    if token.endswith(".") or (
        re.fullmatch(r"[A-Za-z]+", token) and token[0].islower() and token not in ("c1ccccc1",)
    ):
        return _ATOMS_ONLY.match(token) is not None and token.isupper()
    return _rdkit_accepts(token)


def _rdkit_accepts(smiles: str) -> bool:
    try:
        from rdkit import Chem, RDLogger
    except ImportError:
        return True  # without RDKit the shape check above decides
    RDLogger.DisableLog("rdApp.*")
    return Chem.MolFromSmiles(smiles) is not None


# -- options --------------------------------------------------------------------------------------
def _is(tok: Token, concept: str) -> bool:
    return tok.kind == "word" and tok.text in REQUEST_WORDS[concept]


def _options(tokens: list[Token]) -> tuple[tuple[tuple[str, object], ...], list[str]]:
    """The box and search options, and the words that belong to none of the request's parts."""
    found: dict[str, object] = {}
    used: set[int] = set()
    read_box(tokens, found, used)
    for i, tok in enumerate(tokens):
        if _is(tok, "DOCK_EXHAUSTIVENESS"):
            values = _numbers_after(tokens, i, 1, used)
            if values is not None:
                found["exhaustiveness"] = int(values[0])
    unread = []
    docking = set().union(*(REQUEST_WORDS[c] for c in REQUEST_WORDS if c.startswith("DOCK")))
    for i, tok in enumerate(tokens):
        if i in used or tok.kind == "sym" or (tok.kind == "word" and tok.text in docking):
            continue
        if tok.kind == "word" and tok.text in FILLERS:
            continue
        unread.append(tok.raw)
    if "size" in found and "center" not in found:
        unread.append("size")  # a box needs its centre: a size alone would be dropped
        del found["size"]
    options = tuple((k, found[k]) for k in ("center", "size", "exhaustiveness") if k in found)
    return options, unread


def read_box(tokens: list[Token], found: dict[str, object], used: set[int]) -> None:
    """A box said in words into ``found`` ("centered at (1, 2, 3)", "size 20", "size (20, 22,
    24)", "a 22 Å box", "una caja de 22 Å", "centered at (1, 2, 3) of 20 Å"), marking the numbers
    it read in ``used``. A centre or a size said twice with other values is not read: its numbers
    are left for the error to name. Shared by docking and screening."""
    center_end = -1  # the index of the centre's last number

    def put(key: str, value: tuple[float, ...], taken: set[int]) -> None:
        if found.get(key, value) == value:
            found[key] = value
            used.update(taken)

    for i, tok in enumerate(tokens):
        taken = set(used)
        if _is(tok, "DOCK_CENTER"):
            values = _numbers_after(tokens, i, 3, taken)
            if values is not None:
                center_end = max(taken - used)
                put("center", tuple(float(v) for v in values), taken)
        elif _is(tok, "DOCK_SIZE") or (_is(tok, "DOCK_BOX") and "size" not in found):
            sides = _sides_after(tokens, i, taken)
            if sides is not None:
                put("size", sides, taken)
        elif (
            tok.kind == "num"
            and i not in used
            and (
                _box_length(tokens, i)
                or (_angstroms_after(tokens, i) and _follows(tokens, center_end, i))
            )
        ):
            put("size", (float(tok.value or 0),) * 3, {i})


def _sides_after(tokens: list[Token], i: int, taken: set[int]) -> tuple[float, ...] | None:
    """ "size (20, 22, 24)", "size 20 20 20": three sides written together; else one for all."""
    three = set(taken)
    values = _numbers_after(tokens, i, 3, three)
    new = sorted(three - taken)
    if values is not None and all(
        tokens[j].kind == "sym" for j in range(new[0] + 1, new[-1]) if j not in new
    ):
        taken.update(new)
        return tuple(float(v) for v in values)
    one = _numbers_after(tokens, i, 1, taken)
    return None if one is None else (float(one[0]),) * 3


def _angstroms_after(tokens: list[Token], i: int) -> bool:
    """ "20 Å", "20 angstrom": a length (Å is written "A" once its ring is dropped; a Spanish
    "a" is lower case)."""
    nxt = tokens[i + 1] if i + 1 < len(tokens) else None
    return (
        nxt is not None
        and nxt.kind == "word"
        and (nxt.raw == "A" or nxt.text in ("angstrom", "angstroms"))
    )


def _follows(tokens: list[Token], end: int, i: int) -> bool:
    """Whether token ``i`` comes right after token ``end`` but for symbols and framing words
    ("centered at (1, 2, 3) of 20 Å", "centrada en (1, 2, 3) de 20 Å")."""
    return end >= 0 and all(
        t.kind == "sym" or (t.kind == "word" and t.text in FILLERS) for t in tokens[end + 1 : i]
    )


def _numbers_after(tokens: list[Token], i: int, count: int, used: set[int]) -> list[float] | None:
    """``count`` numbers after token ``i`` ("centered at (1.5, -2, 3)", "size of 20"), up to a
    number already read (in ``used``, which gets the numbers read here)."""
    values: list[float] = []
    taken: list[int] = []
    j = i + 1
    sign = 1.0
    while j < len(tokens) and len(values) < count:
        tok = tokens[j]
        if j in used:
            break  # a number another option has read ("using 8 processes")
        if tok.kind == "num" and tok.value is not None:
            values.append(sign * float(tok.value))
            taken.append(j)
            sign = 1.0
        elif tok.kind == "sym" and tok.text == "-":
            sign = -1.0
        elif not (tok.kind == "sym" or (tok.kind == "word" and tok.text in FILLERS)):
            break
        j += 1
    if len(values) < count:
        return None
    used.update(taken)
    return values


def _box_length(tokens: list[Token], i: int) -> bool:
    """ "a 20 Å box": a length right before the box word."""
    after = tokens[i + 1 : i + 3]
    return bool(after) and (
        _is(after[0], "DOCK_BOX")
        or (len(after) == 2 and _is(after[0], "DOCK_LENGTH") and _is(after[1], "DOCK_BOX"))
    )
