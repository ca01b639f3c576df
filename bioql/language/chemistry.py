"""Reading chemistry (VQE) and optimisation (MaxCut by QAOA) requests, in English and Spanish.

>>> read_chemistry("Estimate the ground-state energy of H2 at 0.735 Å with VQE").reading
'Estimate the ground-state energy of H2 at 0.735 Å in the STO-3G basis with VQE, using the \
UCCSD ansatz and the parity mapping.'

Three steps. Names that the shared tokenizer would split (formulas such as ``H2O``, basis sets
such as ``6-31G*``, optimizers such as ``L-BFGS-B``, XYZ geometries, edges such as ``0-1``) are
found first on the text itself; the rest goes through :func:`bioql.language.normalize.lex` and
becomes words of this module's closed vocabulary. Then a left-to-right reader fills a spec, one
rule per phrase. Every word is either read or named in the error: nothing is dropped.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, replace
from functools import partial
from typing import Any

from bioql.chemistry.molecules import (
    ANGSTROM_PER_BOHR,
    BASIS_SETS,
    BUILTINS,
    ELEMENTS,
    builtin,
    check_bond_length,
    parse_xyz,
)
from bioql.chemistry.spec import (
    MAX_DEPTH,
    MAX_NODES,
    MAX_SCAN_POINTS,
    MAX_VQE_QUBITS,
    ActiveSpace,
    ChemistrySpec,
    MaxCutSpec,
    Scan,
    family_edges,
    stated,
)
from bioql.errors import BioQLParseError, BioQLValueError
from bioql.language.domain import corrector, is_framing, phrases
from bioql.language.lexicon import LEXICON, REAL_WORDS
from bioql.language.normalize import lex
from bioql.language.numbers import NUMBER_WORDS, merge_number_words
from bioql.language.tokens import Token

CHEMISTRY_EXAMPLE = "Estimate the ground-state energy of H2 at 0.735 Å with VQE"
MAXCUT_EXAMPLE = "Solve MaxCut on a 6-node ring with QAOA of depth 2"

# --- vocabulary ---------------------------------------------------------------------------------

_VOCABULARY: dict[str, str] = {
    "VQE": "vqe variational eigensolver variacional",
    "ENERGY": "energy energies energia energias",
    "GROUND": "ground fundamental",
    "CURVE": (
        "dissociation disociacion curve curva scan barrido profile perfil potential potencial "
        "surface superficie"
    ),
    "MOLECULE_WORD": "molecule molecula",
    "EQUILIBRIUM": "equilibrium equilibrio",
    "BOND": (
        "bond bonds length distance separation interatomic internuclear enlace longitud "
        "distancia separacion"
    ),
    "UNIT:angstrom": "angstrom angstroms ang angstroms",
    "UNIT:bohr": "bohr bohrs",
    "UNIT:pm": "pm picometer picometers picometre picometres picometro picometros",
    "POINTS": "points point steps step puntos punto pasos paso geometries geometrias",
    "BASIS_WORD": "basis base set conjunto",
    "CHARGE": "charge charged carga cargado cargada",
    "CATION": "cation cationic",
    "ANION": "anion anionic",
    "MULT:1": "singlet singlete",
    "MULT:2": "doublet doblete",
    "MULT:3": "triplet triplete",
    "MULT:4": "quartet cuarteto",
    "MULTIPLICITY": "multiplicity multiplicidad",
    "SPIN": "spin espin",
    "UNPAIRED": "unpaired desapareados desapareado",
    "ACTIVE": "active activo activa activos activas",
    "SPACE": "space espacio",
    "ELECTRONS": "electron electrons electrones",
    "ORBITALS": "orbital orbitals orbitales",
    "FROZEN": "frozen freeze freezing freezes congelado congelada congelar congelando congela",
    "CORE": "core nucleo",
    "APPROXIMATION": "approximation aproximacion",
    "ALL": "all todos",
    # "without a frozen core", "sin un núcleo congelado", "no frozen core": read with what they
    # negate, never skipped
    "WITHOUT": "without sin no not",
    "ANSATZ": "ansatz",
    "UCCSD": "uccsd",
    "HARDWARE": "hardware",
    "EFFICIENT": "efficient eficiente efficientsu2",
    "LAYERS": "layers layer capas capa reps",
    # "the hardware-efficient ansatz with 3 repetitions" (layers), but "2000 repetitions" alone is
    # the circuit reader's shot count: read only beside the ansatz or QAOA
    "REPETITIONS": "repetitions repetition repeticiones repeticion",
    # "singles and doubles": excitations, never corrected into "singlet"
    "EXCITATIONS": "singles doubles triples excitations excitaciones simples dobles",
    "MAPPING_WORD": "mapping map mapeo transformation transformacion encoding codificacion",
    "PARITY": "parity paridad",
    "OPTIMIZER_WORD": "optimizer optimiser optimizador minimizer",
    "SHOTS": "shots shot disparos mediciones measurements",
    "STATEVECTOR": "statevector",
    "SIMULATOR": "simulator simulador",
    # MaxCut
    "MAXCUT": "maxcut",
    "QAOA": "qaoa",
    "GRAPH": "graph grafo",
    "NODES": "node nodes nodo nodos vertex vertices vertice",
    "EDGES_WORD": "edge edges arista aristas",
    "FAMILY:ring": "ring cycle anillo ciclo",
    "FAMILY:complete": "complete completo",
    "FAMILY:path": "path line chain camino linea cadena",
    "FAMILY:star": "star estrella",
    "WEIGHTED": "weighted weights ponderado ponderados pesos",
    "DEPTH": "depth profundidad",
    "P": "p",
    # words a phrase may use; leftovers are harmless
    "FROM": "from between desde entre",
    "TO": "to until hasta",
    "AND": "and y",
    "AT": "at",
    "IN": "in en",
    "WITH": "with con",
    "OF": "of de del",
    "A": "a",
}

# Framing: the circuit reader's framing words (lexicon.FILLERS and its framing phrases, e.g.
# "hi", "thanks", "help me", "write BioQL code that", "plot", "por favor", "¿puedes ...",
# "necesito", "quiero") are framing here too, unless this vocabulary gives them a meaning
# ("basis", "space", "parity", "of"). The words below are framing in a chemistry or MaxCut
# request only: the circuit reader gives "estimate", "find" and "state" a meaning of their own,
# and the rest name what a VQE or QAOA run computes anyway.
_OWN_FILLER_WORDS = """
    estimate estimates estimating calculate calculates calcule computes computing find finds
    solve solves solving study predict evaluate state states problem molecular lowest minimum
    electronic estima estimar encuentra encontrar determina determinar resuelve resolver estado
    estados problema minima minimo electronica calculation calculations computation calculo
    calculos
"""
_OWN_FILLERS = frozenset(_OWN_FILLER_WORDS.split())
# Shared framing words that say what is computed in a chemistry request ("the energy and the
# vibrational frequencies", "the eigenstate"): never skipped here.
_NOT_FRAMING_WORDS = """
    frequencies frecuencias eigenstate eigenstates eigenvector eigenvectors autoestado amplitude
    amplitudes amplitud
"""
_NOT_FRAMING = frozenset(_NOT_FRAMING_WORDS.split())


def _framing(word: str) -> bool:
    return word in _OWN_FILLERS or (is_framing(word) and word not in _NOT_FRAMING)


_SOFT = frozenset({"FROM", "TO", "AND", "AT", "IN", "WITH", "OF", "A", "FILLER", "SYM"})
_WORD_CONCEPT = {w: c for c, words in _VOCABULARY.items() for w in words.split()}
_correct = corrector(frozenset(_WORD_CONCEPT) | _OWN_FILLERS)

# --- names found on the text before tokenizing --------------------------------------------------

_NUM = r"[-+]?(?:\d+\.\d*|\.\d+|\d+)"
_ATOM = rf"[A-Za-z]{{1,2}}\s+{_NUM}\s+{_NUM}\s+{_NUM}"
# Two atoms or more, separated by ';', ',' or new lines: "H 0 0 0; H 0 0 0.735".
_XYZ = re.compile(rf"(?<![\w.]){_ATOM}(?:\s*[;,\n]\s*{_ATOM})+(?![\w.])")
_CAS = re.compile(r"\bcas\s*\(\s*(\d+)\s*e?\s*,\s*(\d+)\s*o?\s*\)", re.IGNORECASE)
_BASIS = re.compile(
    r"(?<![\w-])(sto[-\s]?[36]g|3[-\s]?21g|6[-\s]?311g|6[-\s]?31g\*{0,2}|(?:aug[-\s]?)?cc[-\s]?pv[dt]z"
    r"|def2[-\s]?svp)(?![\w*])",
    re.IGNORECASE,
)
_OPTIMIZER = re.compile(
    r"\b(cobyla|l[-\s]?bfgs[-\s]?b|slsqp|bfgs|nelder[-\s]?mead|powell)\b", re.IGNORECASE
)
_OPTIMIZER_NAMES = {
    "cobyla": "COBYLA",
    "lbfgsb": "L-BFGS-B",
    "slsqp": "SLSQP",
    "bfgs": "BFGS",
    "neldermead": "Nelder-Mead",
    "powell": "Powell",
}
_MAPPING = re.compile(r"\b(jordan[-\s]?wigner|bravyi[-\s]?kitaev)\b", re.IGNORECASE)
_MAXCUT = re.compile(r"\b(max(?:imum)?[-\s]?cut|corte\s+maximo|maximo\s+corte)\b", re.IGNORECASE)
_HEA = re.compile(r"\b(hardware[-\s]efficient|eficiente\s+en\s+hardware)\b", re.IGNORECASE)
_EDGE = re.compile(
    rf"(?<![\w.])(\d+)\s*-\s*(\d+)(?![\w.])(?:\s*:\s*({_NUM})|\s*\(\s*(?:(?:weight|peso|w)\s*=?\s*)?"
    rf"({_NUM})\s*\)|\s+(?:with\s+(?:a\s+)?|con\s+)?(?:weight|peso)\s+(?:of\s+|de\s+)?({_NUM}))?",
    re.IGNORECASE,
)
# "(0, 1)" or "(0, 1, 2.5)": an edge written as a Python tuple, weight last
_EDGE_TUPLE = re.compile(rf"\(\s*(\d+)\s*,\s*(\d+)\s*(?:,\s*({_NUM})\s*)?\)")
_MOLECULE_NAMES = sorted(
    [(b.formula.lower(), b.formula) for b in BUILTINS.values()]
    + [(name, b.formula) for b in BUILTINS.values() for name in b.names],
    key=lambda kv: -len(kv[0]),
)
_MOLECULE = re.compile(
    r"(?<![\w.])("
    + "|".join(re.escape(n).replace(r"\ ", r"\s+") for n, _ in _MOLECULE_NAMES)
    + r")(?![\w])",
    re.IGNORECASE,
)
_FORMULA_LIKE = re.compile(r"(?<![\w.])((?:[A-Z][a-z]?\d*){1,8})(?![\w])")
_CHEMISTRY_TRIGGER = re.compile(
    r"\b(vqe|energy|energies|energia|energias|dissociation|disociacion|molecule|molecula|"
    r"eigensolver)\b",
    re.IGNORECASE,
)
_MAXCUT_TRIGGER = re.compile(r"\bqaoa\b", re.IGNORECASE)


@dataclass
class Word:
    """One unit of a request: a concept from the vocabulary (or UNKNOWN) and what it carries."""

    concept: str
    raw: str
    value: Any = None


# --- entry point --------------------------------------------------------------------------------


def read_chemistry(text: str) -> ChemistrySpec | MaxCutSpec | None:
    """The chemistry or MaxCut request ``text`` asks for, or None when it is neither.

    Raises BioQLParseError naming the words that were not understood, and BioQLValueError for
    values that cannot be (a negative bond length, an impossible active space...).
    """
    if not isinstance(text, str):
        return None
    prepared = _prepare(text)
    kind = request_kind(prepared)
    if kind is None:
        return None
    words = tokenize(prepared, kind)
    if kind == "maxcut":
        return _MaxCutReader(words, text).read()
    return _ChemistryReader(words, text).read()


def request_kind(text: str) -> str | None:
    """``"maxcut"``, ``"chemistry"`` or None, from the words that only such requests use."""
    folded = _fold(text)
    if _MAXCUT.search(folded) or _MAXCUT_TRIGGER.search(folded):
        return "maxcut"
    if _CHEMISTRY_TRIGGER.search(folded) or _MOLECULE.search(folded) or _xyz_spans(text):
        return "chemistry"
    return None


# "0,74 Å", "de 0,5 a 2,5 Å": a decimal comma (Spanish), not two numbers. Not "1,000" (a
# thousands group, read by the tokenizer) nor "(2,2)" (an active space, a pair).
_DECIMAL_COMMA = re.compile(r"(?<![\w.,(])(\d+),(\d+)(?![\w,)])")


def _decimal(match: re.Match[str]) -> str:
    whole, fraction = match.groups()
    if len(fraction) == 3 and whole != "0":
        return match.group(0)  # "1,000 shots", "1,595": a thousands group or ambiguous
    return f"{whole}.{fraction}"


def _prepare(text: str) -> str:
    # Å (two code points) would lose its ring to accent stripping and read as the article "a".
    text = re.sub("[\u00c5\u212b]", " angstrom ", text).replace("A\u030a", " angstrom ")
    return text if request_kind(text) == "maxcut" else _DECIMAL_COMMA.sub(_decimal, text)


def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


# --- tokenizing ---------------------------------------------------------------------------------


def tokenize(text: str, kind: str) -> list[Word]:
    """Names found on the text as whole words, the rest lexed and looked up."""
    folded = _fold(text)
    spans = _special_spans(folded, kind)
    words: list[Word] = []
    cursor = 0
    for start, end, word in sorted(spans, key=lambda s: s[0]):
        words += _lex_words(folded[cursor:start])
        words.append(word)
        cursor = end
    words += _lex_words(folded[cursor:])
    return _angstrom_letters(words)


def _special_spans(text: str, kind: str) -> list[tuple[int, int, Word]]:
    spans: list[tuple[int, int, Word]] = []

    def add(match: re.Match[str], word: Word) -> None:
        if all(match.end() <= s or match.start() >= e for s, e, _ in spans):
            spans.append((match.start(), match.end(), word))

    finders: list[tuple[re.Pattern[str], Any]] = [
        (_MAXCUT, lambda m: Word("MAXCUT", m.group(0))),
        (_OPTIMIZER, lambda m: Word("OPTIMIZER", m.group(0), _optimizer_name(m.group(1)))),
    ]
    if kind == "maxcut":
        finders.append((_EDGE_TUPLE, lambda m: Word("EDGE", m.group(0), _edge(m))))
        finders.append((_EDGE, lambda m: Word("EDGE", m.group(0), _edge(m))))
    else:
        for start, end, atoms in _xyz_spans(text):
            spans.append((start, end, Word("XYZ", text[start:end], atoms)))
        finders += [
            (_CAS, lambda m: Word("CAS", m.group(0), (int(m.group(1)), int(m.group(2))))),
            (_BASIS, lambda m: Word("BASIS", m.group(0), _basis_name(m.group(1)))),
            (_MAPPING, lambda m: Word("MAPPING", m.group(0), _mapping_name(m.group(1)))),
            (_HEA, lambda m: Word("HEA", m.group(0))),
            (_MOLECULE, lambda m: Word("MOLECULE", m.group(0), builtin(m.group(1)).formula)),
            (_FORMULA_LIKE, partial(_unknown_formula, shouted=_shouted(text))),
        ]
    for pattern, make in finders:
        for match in pattern.finditer(text):
            word = make(match)
            if word is not None:
                add(match, word)
    return spans


def _xyz_spans(text: str) -> list[tuple[int, int, Any]]:
    out = []
    for m in _XYZ.finditer(text):
        symbols = re.findall(r"(?:^|[;,\n])\s*([A-Za-z]{1,2})\s", m.group(0))
        if symbols and all(s.lower() in _ELEMENT_LOWER for s in symbols):
            out.append((m.start(), m.end(), parse_xyz(m.group(0))))
    return out


_ELEMENT_LOWER = frozenset(e.lower() for e in ELEMENTS)


def _unknown_formula(match: re.Match[str], shouted: bool) -> Word | None:
    """A formula that is not built in (``CH4``, ``HCl``): a clear error rather than noise.

    In a request written in capitals, a word is a word, not a formula ("ESTIMATE THE ENERGY OF
    H2": ``OF`` is no oxygen fluoride; "IF", "SO", "BY", "HOW" neither): capitals alone that
    spell a word of these requests are not read as a molecule there ("energy of NO" is)."""
    token = match.group(1)
    symbols = re.findall(r"[A-Z][a-z]?", token)
    looks_like = any(c.isdigit() for c in token) or sum(c.isupper() for c in token) >= 2
    if looks_like and all(s in ELEMENTS for s in symbols) and not (shouted and _is_word(token)):
        builtin(token)  # raises: not a built-in molecule
    return None


def _shouted(text: str) -> bool:
    """Whether most words of ``text`` (two letters or more) are written in capitals."""
    words = re.findall(r"[^\W\d_]{2,}", text)
    return sum(w.isupper() for w in words) * 2 > len(words)


def _is_word(token: str) -> bool:
    """Whether ``token``, written in capitals without digits, is a word of these requests."""
    if not token.isalpha() or not token.isupper():
        return False
    word = token.lower()
    return (
        word in _WORD_CONCEPT
        or _framing(word)
        or word in LEXICON
        or word in NUMBER_WORDS
        or word in REAL_WORDS
    )


def _lex_words(text: str) -> list[Word]:
    out: list[Word] = []
    tokens = merge_number_words(lex(text))
    phrase_at = {start: (end, concept) for start, end, concept in _phrases(tokens)}
    i = 0
    while i < len(tokens):
        tok = tokens[i]
        if i in phrase_at:  # "the following" (framing), "state vector"
            end, concept = phrase_at[i]
            raw = " ".join(t.raw for t in tokens[i:end])
            out.append(Word(concept, raw, concept.lower()))
            i = end
            continue
        if tok.kind == "num":
            out.append(Word("NUM", tok.raw, tok.value))
        elif tok.kind == "sym":
            out.append(Word("SIGN" if tok.text in "+-" else "SYM", tok.raw, tok.text))
        elif tok.concept == "BACKEND_ID":
            out.append(Word("BACKEND", tok.raw, tok.text))
        elif tok.kind == "word":
            out.append(Word(_concept(tok.text), tok.raw, tok.text))
        else:
            out.append(Word("UNKNOWN", tok.raw))
        i += 1
    return out


# the lexicon's phrases whose concept means the same here
_PHRASE_CONCEPTS = frozenset({"FILLER", "STATEVECTOR", "SIMULATOR"})


def _phrases(tokens: list[Token]) -> list[tuple[int, int, str]]:
    """The lexicon's phrases among ``tokens``, matched on runs of corrected words."""
    spans: list[tuple[int, int, str]] = []
    run: list[int] = []
    for i, tok in enumerate([*tokens, None]):
        if tok is not None and tok.kind == "word" and not tok.concept:
            run.append(i)
            continue
        words = [_correct(tokens[j].text) or tokens[j].text for j in run]
        spans += [(run[a], run[b - 1] + 1, c) for a, b, c in phrases(words, _PHRASE_CONCEPTS)]
        run = []
    return spans


def _angstrom_letters(words: list[Word]) -> list[Word]:
    """``0.735 A``: a capital A right after a number, with no number next, is ångström."""
    for i, w in enumerate(words):
        after_num = i > 0 and words[i - 1].concept == "NUM"
        before_num = i + 1 < len(words) and words[i + 1].concept in ("NUM", "SIGN")
        if w.raw == "A" and after_num and not before_num:
            w.concept = "UNIT:angstrom"
    return words


def _concept(word: str) -> str:
    fixed = _correct(word)
    if fixed is None:
        return "UNKNOWN"
    if fixed in _WORD_CONCEPT:
        return _WORD_CONCEPT[fixed]
    return "FILLER" if _framing(fixed) else "UNKNOWN"


def _optimizer_name(raw: str) -> str:
    return _OPTIMIZER_NAMES[re.sub(r"[-\s]", "", raw.lower())]


def _mapping_name(raw: str) -> str:
    return "jordan-wigner" if raw.lower().startswith("j") else "bravyi-kitaev"


def _basis_name(raw: str) -> str:
    key = re.sub(r"[-\s]", "", raw.lower())
    for name in BASIS_SETS:
        if name.replace("-", "") == key:
            return name
    raise AssertionError(f"basis pattern and BASIS_SETS disagree on {raw!r}")


def _edge(match: re.Match[str]) -> tuple[int, int, float]:
    weight = next((float(g) for g in match.groups()[2:] if g is not None), 1.0)
    return int(match.group(1)), int(match.group(2)), weight


# --- reading ------------------------------------------------------------------------------------


class _Reader:
    """Left-to-right: at each word, the first rule that matches consumes its words."""

    example: str = ""
    what: str = ""
    repetitions: str = ""  # what "N repetitions" not read beside the ansatz (or QAOA) can mean

    def __init__(self, words: list[Word], text: str) -> None:
        self.words = [w for w in words if w.concept != "SYM" or w.value in ("=", "/", "(", ")")]
        self.text = text
        self.unread: list[str] = []
        self.fields: dict[str, Any] = {}
        # nouns that are read only if the value they name is given somewhere ("bond length")
        self.pending: list[tuple[str, tuple[str, ...]]] = []
        self.hints: list[str] = []  # sentences the error adds for words it names

    def rules(self) -> list[Callable[[int], int]]:
        raise NotImplementedError

    def check_topic_words(self) -> None:
        for raw, needed in self.pending:
            if not any(name in self.fields for name in needed):
                self.unread.append(raw)

    def run_rules(self) -> None:
        i = 0
        while i < len(self.words):
            for rule in self.rules():
                used = rule(i)
                if used:
                    i += used
                    break
            else:
                if self.words[i].concept not in _SOFT:
                    self.unread.append(self.words[i].raw)
                    if self.words[i].concept == "REPETITIONS":
                        self.hints.append(self.repetitions)
                i += 1

    # helpers shared by the rules
    def at(self, i: int, *concepts: str) -> bool:
        return i < len(self.words) and self.words[i].concept in concepts

    def skip(self, i: int, *soft: str) -> int:
        """Index of the first word at or after ``i`` that is not one of ``soft``."""
        while i < len(self.words) and self.words[i].concept in (soft or _SOFT):
            i += 1
        return i

    def number(self, i: int) -> float:
        return float(self.words[i].value)

    def set(self, name: str, value: Any, raw: str) -> None:
        if name in self.fields and self.fields[name] != value:
            raise BioQLValueError(
                f"The request gives two values for the {name.replace('_', ' ')} "
                f"({self.fields[name]!r} and {value!r}, at '{raw}'); give one."
            )
        self.fields[name] = value

    def fail_unread(self, partial: str | None) -> None:
        if not self.unread:
            return
        suggestion = partial or self.example
        listed = ", ".join(repr(w) for w in dict.fromkeys(self.unread))
        hints = "".join(f" {h}" for h in dict.fromkeys(self.hints))
        raise BioQLParseError(
            f"BioQL did not understand {listed} in this {self.what} request.{hints} "
            f"Supported phrasing: '{suggestion}'.",
            unknown_words=list(dict.fromkeys(self.unread)),
            suggestion=suggestion,
        )

    # rules shared by both kinds of request
    def rule_optimizer(self, i: int) -> int:
        """ "COBYLA", "the COBYLA optimizer", "COBYLA as the optimizer", "the optimizer COBYLA",
        "optimizer=COBYLA", "con el optimizador COBYLA"."""
        if self.at(i, "OPTIMIZER"):
            self.set("optimizer", self.words[i].value, self.words[i].raw)
            j = self.skip(i + 1, "A", "FILLER")
            return (j + 1 - i) if self.at(j, "OPTIMIZER_WORD") else 1
        if self.at(i, "OPTIMIZER_WORD"):
            j = self.skip(i + 1, "OF", "SYM", "FILLER")
            if self.at(j, "OPTIMIZER"):
                self.set("optimizer", self.words[j].value, self.words[j].raw)
                return j + 1 - i
        return 0

    def rule_shots(self, i: int) -> int:
        if self.at(i, "NUM") and self.at(i + 1, "SHOTS"):
            self.set("shots", _whole(self.words[i], "shot count", minimum=1), self.words[i].raw)
            return 2
        return 0

    def rule_backend(self, i: int) -> int:
        w = self.words[i]
        if w.concept in ("STATEVECTOR", "SIMULATOR", "BACKEND"):
            name = w.value if w.concept == "BACKEND" else w.concept.lower()
            self.set("backend", name, w.raw)
            # "the statevector simulator" is one backend
            return 1 + int(w.concept == "STATEVECTOR" and self.at(i + 1, "SIMULATOR"))
        return 0


class _ChemistryReader(_Reader):
    example = CHEMISTRY_EXAMPLE
    what = "VQE"
    repetitions = (
        "Repetitions are read as the layers of the hardware-efficient ansatz beside it ('with "
        "the hardware-efficient ansatz with 3 repetitions'); shots as 'with 4000 shots'."
    )

    def rules(self) -> list[Callable[[int], int]]:
        return [
            self.rule_molecule, self.rule_range, self.rule_points, self.rule_bond_length,
            self.rule_basis, self.rule_charge, self.rule_spin, self.rule_active_space,
            self.rule_core, self.rule_ansatz, self.rule_mapping, self.rule_optimizer,
            self.rule_shots, self.rule_backend, self.rule_keywords, self.rule_topic_words,
        ]  # fmt: skip

    def read(self) -> ChemistrySpec:
        self.run_rules()
        self.check_topic_words()
        spec = self.build()
        self.fail_unread(spec.reading if spec else None)
        if spec is None:
            raise BioQLParseError(
                "This VQE request names no molecule. Name a built-in one (H2, LiH, BeH2, H2O, "
                "NH3, N2, or hydrogen, water, ammonia...) or give an XYZ geometry in ångström "
                f"such as 'H 0 0 0; H 0 0 0.735'. For example: '{CHEMISTRY_EXAMPLE}'.",
                suggestion=CHEMISTRY_EXAMPLE,
            )
        return spec

    # -- rules (each returns how many words it read at position i, 0 if it does not apply)
    def rule_molecule(self, i: int) -> int:
        w = self.words[i]
        if w.concept == "MOLECULE":
            self.set("formula", w.value, w.raw)
            return 1
        if w.concept == "XYZ":
            self.set("atoms", w.value, w.raw)
            return 1
        return 0

    def rule_range(self, i: int) -> int:
        j = i + 1 if self.at(i, "FROM", "OF") else i
        if not self.at(j, "NUM"):
            return 0
        first, unit1, k = self.length_at(j)
        if not self.at(k, "TO", "AND", "A") or not self.at(k + 1, "NUM"):
            return 0
        second, unit2, end = self.length_at(k + 1)
        unit = unit2 or unit1 or 1.0
        self.set("scan_range", (first * (unit1 or unit), second * unit), self.words[j].raw)
        return end - i

    def rule_points(self, i: int) -> int:
        if self.at(i, "NUM") and self.at(i + 1, "POINTS"):
            self.set("points", _whole(self.words[i], "number of points", 2), self.words[i].raw)
            return 2
        return 0

    def rule_bond_length(self, i: int) -> int:
        if self.at(i, "EQUILIBRIUM"):
            self.set("bond_length", None, self.words[i].raw)
            return 1
        start = i
        if self.at(i, "BOND", "AT", "A"):
            i = self.skip(i, "BOND", "AT", "A", "OF", "SYM")
            if not self.at(i, "NUM", "SIGN"):
                return 0
        elif not (self.at(i, "NUM") and self.at(i + 1, "UNIT:angstrom", "UNIT:bohr", "UNIT:pm")):
            return 0
        sign = -1.0 if self.at(i, "SIGN") and self.words[i].value == "-" else 1.0
        i += int(self.at(i, "SIGN"))
        if not self.at(i, "NUM"):
            return 0
        value, unit, end = self.length_at(i)
        self.set("bond_length", check_bond_length(sign * value * (unit or 1.0)), self.words[i].raw)
        return end - start

    def rule_basis(self, i: int) -> int:
        if self.at(i, "BASIS"):
            self.set("basis", self.words[i].value, self.words[i].raw)
            return 1 + int(self.at(i + 1, "BASIS_WORD"))
        if self.at(i, "BASIS_WORD") and self.at(i + 1, "BASIS"):
            self.set("basis", self.words[i + 1].value, self.words[i + 1].raw)
            return 2
        return 0

    def rule_charge(self, i: int) -> int:
        if self.at(i, "CATION", "ANION"):
            self.set("charge", 1 if self.at(i, "CATION") else -1, self.words[i].raw)
            return 1
        if not self.at(i, "CHARGE"):
            return 0
        j = self.skip(i + 1, "OF", "SYM")
        sign = -1 if self.at(j, "SIGN") and self.words[j].value == "-" else 1
        j += int(self.at(j, "SIGN"))
        if not self.at(j, "NUM"):
            return 0
        self.set("charge", sign * _whole(self.words[j], "charge", 0), self.words[j].raw)
        return j + 1 - i

    def rule_spin(self, i: int) -> int:
        w = self.words[i]
        if w.concept.startswith("MULT:"):
            self.set("spin", int(w.concept[5:]) - 1, w.raw)
            return 1
        if self.at(i, "NUM") and self.at(i + 1, "UNPAIRED") and self.at(i + 2, "ELECTRONS"):
            self.set("spin", _whole(w, "number of unpaired electrons", 0), w.raw)
            return 3
        if not self.at(i, "MULTIPLICITY", "SPIN"):
            return 0
        j = self.skip(i + 1, "OF", "SYM")
        if not self.at(j, "NUM"):
            return 0
        if self.at(i, "MULTIPLICITY"):
            self.set("spin", _whole(self.words[j], "multiplicity", 1) - 1, self.words[j].raw)
            return j + 1 - i
        total, end = self.fraction_at(j)
        if total < 0 or not (2 * total).is_integer():
            raise BioQLValueError(
                f"A total spin is 0, 1/2, 1, 3/2...; got {total:g}. Or name the state: "
                "'as a triplet'."
            )
        self.set("spin", int(2 * total), self.words[j].raw)
        return end - i

    def rule_active_space(self, i: int) -> int:
        if self.at(i, "CAS"):
            self.set("active_space", ActiveSpace(*self.words[i].value), self.words[i].raw)
            return 1
        j = self.skip(i, "ACTIVE", "SPACE", "OF", "WITH", "SYM") if self.at(i, "ACTIVE") else i
        if not (self.at(j, "NUM") and self.at(j + 1, "ELECTRONS")):
            return 0
        k = self.skip(j + 2, "IN", "AND", "WITH", "OF")
        if not (self.at(k, "NUM") and self.at(k + 1, "ORBITALS")):
            return 0
        electrons = _whole(self.words[j], "number of active electrons", 1)
        orbitals = _whole(self.words[k], "number of active orbitals", 1)
        self.set("active_space", ActiveSpace(electrons, orbitals), self.words[j].raw)
        return k + 2 - i

    def rule_core(self, i: int) -> int:
        """ "with a frozen core", "freezing the core", "núcleo congelado", "core orbitals frozen",
        "with all electrons", "con todos los electrones"; negated by "without", "sin", "no",
        "not" ("without the frozen core", "sin un núcleo congelado")."""
        negated = self.at(i, "WITHOUT")
        j = self.skip(i + int(negated), "A", "OF", "FILLER")
        end = 0
        if self.at(j, "FROZEN"):
            k = self.skip(j + 1, "A", "FILLER")  # "freezing the core"
            if self.at(k, "CORE"):
                end = k + 1 + int(self.at(k + 1, "ELECTRONS", "ORBITALS"))
        elif self.at(j, "CORE"):
            k = j + 1 + int(self.at(j + 1, "ELECTRONS", "ORBITALS"))
            if self.at(k, "FROZEN"):
                end = k + 1
        if end:
            self.set("frozen_core", not negated, self.words[j].raw)
            return end + int(self.at(end, "APPROXIMATION")) - i
        k = self.skip(j + 1, "OF", "FILLER")  # "with all (of the) electrons"
        if not negated and self.at(j, "ALL") and self.at(k, "ELECTRONS"):
            self.set("frozen_core", False, self.words[j].raw)
            return k + 1 + int(self.at(k + 1, "ACTIVE")) - i
        return 0

    def rule_ansatz(self, i: int) -> int:
        w = self.words[i]
        if w.concept == "UCCSD":
            self.set("ansatz", "uccsd", w.raw)
            return 1 + int(self.at(i + 1, "ANSATZ"))
        if w.concept == "HEA" or (w.concept == "HARDWARE" and self.at(i + 1, "EFFICIENT")):
            self.set("ansatz", "hardware-efficient", w.raw)
            end = i + (1 if w.concept == "HEA" else 2)
            end += int(self.at(end, "ANSATZ"))
            # "the hardware-efficient ansatz with 3 repetitions": its layers
            k = self.skip(end, "WITH", "OF")
            if self.at(k, "NUM") and self.at(k + 1, "REPETITIONS", "LAYERS"):
                self.set("layers", _whole(self.words[k], "number of layers", 1), self.words[k].raw)
                end = k + 2
            return end - i
        if w.concept == "EFFICIENT" and w.value == "efficientsu2":
            self.set("ansatz", "hardware-efficient", w.raw)
            return 1
        if self.at(i, "NUM") and self.at(i + 1, "LAYERS"):
            self.set("layers", _whole(w, "number of layers", 1), w.raw)
            return 2
        return 0

    def rule_mapping(self, i: int) -> int:
        if self.at(i, "MAPPING", "PARITY"):
            name = self.words[i].value if self.at(i, "MAPPING") else "parity"
            self.set("mapping", name, self.words[i].raw)
            return 1 + int(self.at(i + 1, "MAPPING_WORD"))
        return 0

    def rule_keywords(self, i: int) -> int:
        """Words that say what is asked: read, and checked once everything is read."""
        if self.at(i, "VQE", "ENERGY", "GROUND", "MOLECULE_WORD", "ANSATZ"):
            return 1
        if self.at(i, "CURVE"):
            self.fields["curve"] = self.words[i].raw
            return 1
        return 0

    def rule_topic_words(self, i: int) -> int:
        """Nouns that only make sense with a value given elsewhere ("bond length", "basis")."""
        needs = {
            "BOND": ("bond_length", "scan_range"),
            "BASIS_WORD": ("basis",),
            "ACTIVE": ("active_space",),
            "SPACE": ("active_space",),
            "MAPPING_WORD": ("mapping",),
            "OPTIMIZER_WORD": ("optimizer",),
            "LAYERS": ("layers",),
            "POINTS": ("points",),
        }
        concept = self.words[i].concept
        if concept in needs:
            self.pending.append((self.words[i].raw, needs[concept]))
            return 1
        return 0

    # -- number helpers
    def length_at(self, i: int) -> tuple[float, float | None, int]:
        """A number and its unit factor to Å (None when no unit follows), and the next index."""
        value = self.number(i)
        if self.at(i + 1, "UNIT:angstrom", "UNIT:bohr", "UNIT:pm"):
            unit = {"UNIT:angstrom": 1.0, "UNIT:bohr": ANGSTROM_PER_BOHR, "UNIT:pm": 0.01}
            return value, unit[self.words[i + 1].concept], i + 2
        return value, None, i + 1

    def fraction_at(self, i: int) -> tuple[float, int]:
        """``1``, ``0.5`` or ``1/2``."""
        value = self.number(i)
        if self.at(i + 1, "SYM") and self.words[i + 1].value == "/" and self.at(i + 2, "NUM"):
            return value / self.number(i + 2), i + 3
        return value, i + 1

    # -- the spec
    def build(self) -> ChemistrySpec | None:
        f = self.fields
        if "formula" not in f and "atoms" not in f:
            return None
        spec = ChemistrySpec(
            formula=f.get("formula", ""),
            atoms=f.get("atoms"),
            **stated(f),
        )
        spec = self.with_geometry(spec)
        return self.with_electrons(spec)

    def with_geometry(self, spec: ChemistrySpec) -> ChemistrySpec:
        f = self.fields
        if spec.atoms is not None:
            for key in ("bond_length", "scan_range"):
                if f.get(key) is not None:
                    raise BioQLValueError(
                        "An XYZ geometry fixes every distance; a bond length or a scan applies "
                        f"to the built-in molecules ({', '.join(BUILTINS)})."
                    )
            return spec
        if "layers" in f and spec.ansatz != "hardware-efficient":
            raise BioQLValueError(
                "Layers belong to the hardware-efficient ansatz; UCCSD has none. Write "
                "'with the hardware-efficient ansatz with 3 layers'."
            )
        if "scan_range" in f:
            if f.get("bond_length") is not None:
                raise BioQLValueError(
                    f"The request gives a range of bond lengths and the bond length "
                    f"{f['bond_length']:g} Å; give the range for a curve, one length for one "
                    "energy."
                )
            return replace(spec, scan=_scan(f["scan_range"], f.get("points")))
        if "points" in f or "curve" in f:
            raise BioQLValueError(
                "A dissociation curve needs a range of bond lengths, e.g. 'the dissociation "
                "curve of H2 from 0.5 to 2.5 Å in 10 points'."
            )
        d = f.get("bond_length")
        return replace(spec, bond_length=builtin(spec.formula).equilibrium if d is None else d)

    def with_electrons(self, spec: ChemistrySpec) -> ChemistrySpec:
        molecule = spec.molecules()[0]
        electrons = molecule.num_electrons
        if electrons <= 0 or spec.spin > electrons or (electrons - spec.spin) % 2:
            raise BioQLValueError(
                f"{spec.name}{f' with charge {spec.charge:+d}' if spec.charge else ''} has "
                f"{electrons} electrons, which "
                f"cannot have {spec.spin} unpaired (multiplicity {spec.spin + 1}); "
                f"{'an even' if electrons % 2 == 0 else 'an odd'} number of unpaired electrons "
                "would."
            )
        has_core = any(s not in ("H", "He") for s, _ in molecule.atoms)
        frozen = self.fields.get("frozen_core", True) and has_core
        active = self.fields.get("active_space")
        if active is None and "frozen_core" not in self.fields and spec.formula:
            default = builtin(spec.formula).default_active_space
            active = ActiveSpace(*default) if default else None
        if active is not None:
            _check_active_space(active, electrons, spec)
            said = self.fields.get("frozen_core")
            if said is not None:
                _check_core_and_active_space(said, active, electrons, molecule, spec)
            frozen = False
        return replace(spec, active_space=active, frozen_core=frozen)


def _check_core_and_active_space(
    frozen: bool, active: ActiveSpace, electrons: int, molecule: Any, spec: ChemistrySpec
) -> None:
    """A frozen core (or all electrons) said beside an active space must agree with it: the
    active space then decides, and the words it makes redundant must say the same thing."""
    from bioql.chemistry.problem import frozen_core_orbitals

    core = 2 * frozen_core_orbitals([symbol for symbol, _ in molecule.atoms])
    outside = electrons - active.electrons
    if frozen and outside < core:
        problem = f"a frozen core keeps {core} of {spec.name}'s {electrons} electrons out of it"
    elif not frozen and outside > 0:
        problem = f"all electrons active would put all {electrons} in it"
    else:
        return
    raise BioQLValueError(
        f"The request asks for an active space of {active.electrons} electrons in "
        f"{active.orbitals} orbitals, but {problem}; give one of them."
    )


def _check_active_space(active: ActiveSpace, electrons: int, spec: ChemistrySpec) -> None:
    e, o = active.electrons, active.orbitals
    problem = None
    if e > electrons:
        problem = f"{spec.name} has only {electrons} electrons"
    elif e > 2 * o:
        problem = f"{o} orbitals hold at most {2 * o} electrons"
    elif (electrons - e) % 2:
        problem = f"the {electrons - e} electrons left outside must fill core orbitals in pairs"
    elif e < spec.spin or (e - spec.spin) % 2:
        problem = f"{spec.spin} unpaired electrons do not fit {e} active electrons"
    elif 2 * o - 2 > MAX_VQE_QUBITS:
        problem = f"it would need {2 * o - 2} qubits; BioQL runs VQE on at most {MAX_VQE_QUBITS}"
    if problem:
        raise BioQLValueError(
            f"An active space of {e} electrons in {o} orbitals is impossible here: {problem}. "
            f"For example: 'with an active space of 2 electrons in 2 orbitals'."
        )


def _scan(bounds: tuple[float, float], points: int | None) -> Scan:
    start, stop = (check_bond_length(b) for b in bounds)
    if start == stop:
        raise BioQLValueError(f"A scan needs two different bond lengths, got {start:g} twice.")
    n = 10 if points is None else points
    if not 2 <= n <= MAX_SCAN_POINTS:
        raise BioQLValueError(f"A scan has 2 to {MAX_SCAN_POINTS} points, got {n}.")
    return Scan(start, stop, n)


class _MaxCutReader(_Reader):
    example = MAXCUT_EXAMPLE
    what = "MaxCut"
    repetitions = (
        "Repetitions are read as the QAOA depth beside it ('with QAOA with 2 repetitions'); "
        "shots as 'with 4000 shots'."
    )

    def rules(self) -> list[Callable[[int], int]]:
        return [
            self.rule_edges, self.rule_graph, self.rule_depth, self.rule_optimizer,
            self.rule_shots, self.rule_backend, self.rule_keywords,
        ]  # fmt: skip

    def read(self) -> MaxCutSpec:
        self.run_rules()
        self.check_topic_words()
        spec = self.build()
        self.fail_unread(spec.reading if spec else None)
        if spec is None:
            raise BioQLParseError(
                "This MaxCut request gives no graph. Name one ('a 6-node ring', 'a complete "
                "graph of 5 nodes', 'a path of 4 nodes', 'a star of 5 nodes') or list its edges "
                f"('for the edges 0-1, 1-2, 2-0, 2-3', weights as '0-1:2.5'). For example: "
                f"'{MAXCUT_EXAMPLE}'.",
                suggestion=MAXCUT_EXAMPLE,
            )
        return spec

    def rule_edges(self, i: int) -> int:
        if not self.at(i, "EDGE"):
            return 0
        self.fields.setdefault("edges", []).append(self.words[i].value)
        return 1

    def rule_graph(self, i: int) -> int:
        w = self.words[i]
        if w.concept.startswith("FAMILY:"):
            self.set("family", w.concept[7:], w.raw)
            return 1 + int(self.at(i + 1, "GRAPH"))
        if self.at(i, "NUM") and self.at(i + 1, "NODES"):
            self.set("nodes", _whole(w, "number of nodes", 2), w.raw)
            return 2
        return 0

    def rule_depth(self, i: int) -> int:
        # "QAOA with 2 repetitions": its depth
        k = self.skip(i + 1, "WITH", "OF")
        if self.at(i, "QAOA") and self.at(k, "NUM") and self.at(k + 1, "REPETITIONS"):
            self.set("depth", _whole(self.words[k], "QAOA depth", 1), self.words[k].raw)
            return k + 2 - i
        if self.at(i, "DEPTH", "P", "LAYERS"):
            j = self.skip(i + 1, "OF", "SYM")
            if self.at(j, "NUM"):
                self.set("depth", _whole(self.words[j], "QAOA depth", 1), self.words[j].raw)
                return j + 1 - i
        if self.at(i, "NUM") and self.at(i + 1, "LAYERS", "DEPTH"):
            self.set("depth", _whole(self.words[i], "QAOA depth", 1), self.words[i].raw)
            return 2
        return 0

    def rule_keywords(self, i: int) -> int:
        if self.at(i, "MAXCUT", "QAOA", "GRAPH"):
            return 1
        if self.at(i, "EDGES_WORD", "WEIGHTED"):
            self.pending.append((self.words[i].raw, ("edges",)))
            return 1
        return 0

    def build(self) -> MaxCutSpec | None:
        f = self.fields
        depth = f.get("depth", 1)
        if depth > MAX_DEPTH:
            raise BioQLValueError(f"QAOA depth is 1 to {MAX_DEPTH}, got {depth}.")
        common = {"depth": depth, "optimizer": f.get("optimizer"), "backend": f.get("backend"),
                  "shots": f.get("shots")}  # fmt: skip
        if "edges" in f:
            if "family" in f:
                raise BioQLValueError(
                    f"The request names a {f['family']} and lists edges; give one of them."
                )
            edges = _edge_list(f["edges"])
            nodes = f.get("nodes", max(max(u, v) for u, v, _ in edges) + 1)
            _check_nodes(nodes)
            if any(max(u, v) >= nodes for u, v, _ in edges):
                raise BioQLValueError(
                    f"An edge names a node beyond the {nodes} nodes (numbered 0 to {nodes - 1})."
                )
            return MaxCutSpec(nodes, edges, None, **common)
        if "family" in f:
            if "nodes" not in f:
                raise BioQLValueError(
                    f"Say how many nodes the {f['family']} has, e.g. 'a 6-node {f['family']}'."
                )
            _check_nodes(f["nodes"])
            return MaxCutSpec(f["nodes"], family_edges(f["family"], f["nodes"]), f["family"],
                              **common)  # fmt: skip
        return None


def _edge_list(raw: list[tuple[int, int, float]]) -> tuple[tuple[int, int, float], ...]:
    seen: dict[tuple[int, int], float] = {}
    for u, v, w in raw:
        if u == v:
            raise BioQLValueError(f"The edge {u}-{v} joins a node to itself; MaxCut needs two.")
        if not math.isfinite(w) or w == 0:
            raise BioQLValueError(f"The edge {u}-{v} has weight {w:g}; use a nonzero number.")
        key = (min(u, v), max(u, v))
        if key in seen:
            raise BioQLValueError(f"The edge {key[0]}-{key[1]} is listed twice.")
        seen[key] = w
    return tuple(sorted((u, v, w) for (u, v), w in seen.items()))


def _check_nodes(nodes: int) -> None:
    if not 2 <= nodes <= MAX_NODES:
        raise BioQLValueError(
            f"MaxCut by QAOA runs on 2 to {MAX_NODES} nodes here (one qubit each, and the "
            f"brute-force optimum checks every cut); got {nodes}."
        )


def _whole(word: Word, what: str, minimum: int) -> int:
    value = float(word.value)
    if not value.is_integer() or value < minimum:
        raise BioQLValueError(
            f"The {what} must be a whole number of at least {minimum}, got {word.raw!r}."
        )
    return int(value)


__all__ = ["read_chemistry", "request_kind", "tokenize"]
