"""Named constructs in a request and their canonical BioQL descriptions.

The canonical phrasing is what generated code contains (and what the model learns to emit):
one short English sentence per construct that BioQL's compiler accepts. ``describe`` is the
only place these sentences are written, so the dataset, the template generator and the
validator cannot drift apart.
"""

from __future__ import annotations

import itertools
import math
import re
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

from bioql.assistant.reading.numbers import normalise_numerals, words_to_numbers

BELL_NAMES = {"phi+": "Φ+", "phi-": "Φ-", "psi+": "Ψ+", "psi-": "Ψ-"}
SINGLE_STATES = ("0", "1", "+", "-")


@dataclass(frozen=True)
class Construct:
    """One named construct with its parameters; ``sized`` if a qubit count applies."""

    kind: str
    params: dict[str, Any] = field(default_factory=dict, hash=False)
    position: int = 0

    @property
    def sized(self) -> bool:
        return self.kind in ("ghz", "w", "superposition", "qft", "iqft", "dj")

    def describe(self, n: int | None = None) -> str:
        p = dict(self.params)
        if n is not None and self.sized:
            p["n"] = n
        return describe(self.kind, p)


def describe(kind: str, p: dict[str, Any]) -> str:
    """The canonical description of construct ``kind`` with parameters ``p``."""
    n = p.get("n")
    if kind == "bell":
        variant = p.get("variant")
        return f"Create the Bell state {BELL_NAMES[variant]}" if variant else "Create a Bell state"
    if kind == "ghz":
        return f"Create a {n or 3}-qubit GHZ state"
    if kind == "w":
        return f"Create a {n or 3}-qubit W state"
    if kind == "superposition":
        n = n or 1
        return f"Put {n} qubit{'s' if n > 1 else ''} in uniform superposition"
    if kind == "basis":
        return f"Prepare the basis state |{p['bits']}>"
    if kind == "single":
        return f"Prepare the state |{p['state']}>"
    if kind in ("qft", "iqft"):
        name = "QFT" if kind == "qft" else "inverse QFT"
        if p.get("bits"):
            return f"Apply the {name} to the basis state |{p['bits']}>"
        return f"Apply the {name} to {n or 3} qubits"
    if kind == "grover":
        return f"Run Grover search for {' and '.join(p['marked'])}"
    if kind == "bv":
        return f"Run Bernstein-Vazirani with secret {p['secret']}"
    if kind == "dj":
        return f"Run Deutsch-Jozsa with a {p.get('oracle', 'balanced')} oracle on {n or 3} qubits"
    if kind == "qpe":
        return f"Estimate the phase {_fmt_phase(p['phase'])} with {p['k']} counting qubits"
    if kind == "teleport":
        return f"Teleport the state |{p['state']}>"
    raise ValueError(f"unknown construct {kind!r}")


def _fmt_phase(phase: float) -> str:
    return f"{phase:.6f}".rstrip("0").rstrip(".") if phase else "0"


# ---------------------------------------------------------------- finding constructs

_SHOTS_OR_QUBITS = re.compile(
    r"\d+\s*(?:shots?|times|runs|disparos|veces|repeticiones|ejecuciones|mediciones|muestras|"
    r"[- ]?qubits?|[- ]?cubits?|[- ]?qbits?|counting|de conteo|bits? de precision|bits? of precision)\b"
    r"|(?:shots?|disparos)\s*[=:]?\s*\d+"
)


def _bitstrings(text: str) -> list[str]:
    cleaned = _SHOTS_OR_QUBITS.sub(" ", text)
    kets = re.findall(r"\|([01]+)>", cleaned)
    bare = re.findall(r"(?<![\w|])(?<!\d\.)([01]{2,12})(?![\w>]|\.\d)", cleaned)
    out: list[str] = []
    for b in kets + bare:
        if b not in out:
            out.append(b)
    return out


_STRONG: list[tuple[str, str]] = [
    ("teleport", r"telepor|teletransport"),
    (
        "qpe",
        r"phase estimation|estimat\w* (?:the |of the |a |of )?phase|estimacion (?:cuantica )?de (?:la )?fase|estimar (?:la )?fase|\bqpe\b",
    ),
    ("bv", r"bernstein|vazirani|\bbv\b"),
    ("dj", r"deutsch|jozsa|\bdj\b"),
    ("grover", r"grover|amplitude amplification|amplificacion de amplitud"),
    ("qft", r"\bqft\b|\biqft\b|fourier"),
    ("w", r"\bw[- ]?states?\b|\bestados? w\b|\bw de \d|\bw on\b|\bw (?:con|en|sobre)\b"),
    ("ghz", r"\bghz\b|greenberger|\bcat state|estado (?:de )?gato|\bcat\b"),
    ("bell", r"\bbell\b|\bepr\b|singlet|singlete"),
    ("superposition", r"superposi"),
]


_STRONG_ANY = re.compile("|".join(f"(?:{p})" for _, p in _STRONG))


def find_constructs(text: str) -> list[Construct]:
    """Named constructs in normalised ``text``, in order of appearance."""
    found: list[Construct] = []
    taken: list[tuple[int, int]] = []
    for kind, pattern in _STRONG:
        for m in re.finditer(pattern, text):
            if any(a <= m.start() < b for a, b in taken):
                continue
            taken.append((m.start(), m.end()))
            if kind == "qft" and _inverse_near(text, m.start(), m.end()):
                kind = "iqft"
            params = _params(kind, _segment(text, m.start()))
            if params is not None:
                found.append(Construct(kind, params, m.start()))
            break
    if not found:
        found = _weak(text)
    else:
        found += _lone_kets(text, found)
    found.sort(key=lambda c: c.position)
    return found


def _lone_kets(text: str, found: list[Construct]) -> list[Construct]:
    """ "... and also prepare |->": a ket in a clause of its own is a state preparation."""
    bounds = [0] + [m.end() for m in _SPLIT.finditer(text)] + [len(text) + 1]
    clauses = list(itertools.pairwise(bounds))
    owned = {i for c in found for i, (a, b) in enumerate(clauses) if a <= c.position < b}
    extra = []
    for m in re.finditer(r"\|([01+\-]+)>", text):
        clause = next(i for i, (a, b) in enumerate(clauses) if a <= m.start() < b)
        if clause in owned:
            continue
        owned.add(clause)
        ket = m.group(1)
        if ket in SINGLE_STATES:
            extra.append(Construct("single", {"state": ket}, m.start()))
        elif set(ket) <= {"0", "1"}:
            extra.append(Construct("basis", {"bits": ket}, m.start()))
    return extra


_SPLIT = re.compile(
    r"\b(?:and also|as well as|and then|and after that|y tambien|y ademas|y despues|y luego|"
    r"plus|and (?:a|an|the)|y (?:un|una|el|la))\b|;"
)


def _segment(text: str, position: int) -> str:
    """The clause of ``text`` that contains ``position`` (parameters belong to their clause)."""
    if len(_STRONG_ANY.findall(text)) < 2:
        return text
    start, end = 0, len(text)
    for m in _SPLIT.finditer(text):
        if m.end() <= position:
            start = m.end()
        elif m.start() > position:
            end = m.start()
            break
    return text[start:end]


_INVERSE = re.compile(r"invers|\biqft\b|dagger|†|\^\s*-1|\*\*\s*-1|adjoint|adjunta|undo|deshac")


def _inverse_near(text: str, start: int, end: int) -> bool:
    return bool(_INVERSE.search(text[max(0, start - 30) : end + 30]))


def _weak(text: str) -> list[Construct]:
    """Constructs named by what they do rather than by name."""
    sizes = [int(v) for v in re.findall(r"(\d+)\s*[- ]?(?:qubits?|cubits?|qbits?)", text)]
    if re.search(r"entangl|entrelaz|maximally|maximamente", text):
        if sizes and sizes[0] > 2:
            return [Construct("ghz", {"n": sizes[0]})]
        return [Construct("bell", _bell_variant(text))]
    if re.search(
        r"superposi|hadamard (?:on|to|a) (?:all|every|each|todos)|uniform|equiprobable|equal probabilit",
        text,
    ):
        return [Construct("superposition", {"n": sizes[0] if sizes else 1})]
    kets = re.findall(r"\|([01+\-]+)>", text)
    if kets:
        ket = kets[0]
        if ket in SINGLE_STATES:
            return [Construct("single", {"state": ket})]
        if set(ket) <= {"0", "1"}:
            return [Construct("basis", {"bits": ket})]
    m = re.search(
        r"(?:basis state|estado (?:de la )?base|bitstring|cadena de bits)\s*([01]+)", text
    )
    if m:
        return [Construct("basis", {"bits": m.group(1)})]
    return []


def _bell_variant(text: str) -> dict[str, Any]:
    sign = r"\s*(\+|plus|mas|positiv\w*|-|minus|menos|negativ\w*)"
    m = re.search(r"(phi|φ|fi)" + sign, text) or re.search(r"(psi|ψ)" + sign, text)
    if re.search(r"singlet", text):
        return {"variant": "psi-"}
    if not m:
        return {}
    base = "phi" if m.group(1) in ("phi", "φ", "fi") else "psi"
    plus = m.group(2) in ("+", "plus", "mas") or m.group(2).startswith("positiv")
    return {"variant": f"{base}{'+' if plus else '-'}"}


def _params(kind: str, text: str) -> dict[str, Any] | None:
    sizes = [int(v) for v in re.findall(r"(\d+)\s*[- ]?(?:qubits?|cubits?|qbits?)", text)]
    n = sizes[0] if sizes else None
    if kind == "bell":
        return _bell_variant(text)
    if kind in ("ghz", "w"):
        return {"n": n or 3}
    if kind == "superposition":
        return {"n": n or 1}
    if kind in ("qft", "iqft"):
        kets = re.findall(r"\|([01]+)>", text)
        m = re.search(
            r"(?:basis state|estado (?:de la )?base|input|entrada|on state|sobre el estado|en el estado|applied to)\s*\|?([01]+)",
            text,
        )
        bits = kets[0] if kets else (m.group(1) if m else None)
        return {"bits": bits} if bits else {"n": n or 3}
    if kind == "grover":
        marked = _bitstrings(text)
        return {"marked": marked} if marked else None
    if kind == "bv":
        secret = _bitstrings(text)
        return {"secret": secret[0]} if secret else None
    if kind == "dj":
        oracle = "constant" if re.search(r"constant", text) else "balanced"
        return {"oracle": oracle, "n": n or 3}
    if kind == "qpe":
        return _qpe_params(text)
    if kind == "teleport":
        return {"state": _teleport_state(text)}
    return None


def _qpe_params(text: str) -> dict[str, Any] | None:
    m = re.search(r"(?:phase|fase|theta|θ|angle|angulo)\D{0,25}?(\d+/\d+|\d*\.\d+|0|1)\b", text)
    if not m:
        return None
    raw = m.group(1)
    value = Fraction(raw) if "/" in raw else Fraction(raw).limit_denominator(1 << 16)
    if not 0 <= value < 1:
        return None
    k_match = re.search(
        r"(\d+)\s*(?:counting|de conteo|bits? de precision|bits? of precision|precision bits|ancilla|auxiliar|qubits? de conteo)",
        text,
    ) or re.search(r"(\d+)\s*[- ]?(?:qubits?|cubits?|bits?)", text)
    k = (
        int(k_match.group(1))
        if k_match
        else max(3, math.ceil(math.log2(value.denominator)) if value.denominator > 1 else 3)
    )
    return {"phase": float(value), "k": k}


def _teleport_state(text: str) -> str:
    m = re.search(r"\|([01+\-])>", text)
    if m:
        return m.group(1)
    if re.search(r"\bplus\b|\bmas\b|\+", text):
        return "+"
    if re.search(r"\bminus\b|\bmenos\b", text):
        return "-"
    m = re.search(r"(?:state|estado|qubit in|qubit en)\s*(0|1)\b|\b(0|1)\s*(?:state|estado)", text)
    if m:
        return m.group(1) or m.group(2)
    return "1"


# ---------------------------------------------------------------- cleaning a request

_LEAD = re.compile(
    r"^\s*(?:(?:hey|hi|hello|hola|oye|buenas)[,!.]?\s+)?"
    r"(?:(?:please|por favor|kindly|pls)[,]?\s+)?"
    r"(?:(?:can|could|would|will) you\s+|(?:puedes|podrias|podría|podrías|podria)\s+|"
    r"(?:i want|i need|i would like|i'd like|quiero|necesito|me gustaria|me gustaría)(?: you)?(?: to)?\s+)?"
    r"(?:(?:write|generate|give me|show me|make|build|produce|escribe|escribir|genera|generar|dame|muestrame|muéstrame|haz|hacer|construye)\s+"
    r"(?:me\s+)?(?:a |an |some |the |un |una |el |la |unas |unos )?(?:short |small |simple |pequeño |corto |simple )?"
    r"(?:bioql |quantum |python |cuántico |cuantico )*(?:code|program|script|snippet|codigo|código|programa)\s*(?:in bioql |en bioql |with bioql |con bioql )?"
    r"(?:that|which|to|for|que|para|con|which will)?\s+)?",
    re.IGNORECASE,
)
_POLITE = re.compile(
    r"\b(?:please|pls|plz|por favor|porfa|kindly|thanks|thank you|cheers|much appreciated|"
    r"muchas gracias|gracias|te lo agradezco|hey there|hello|hi|hola|oye|buenas)\b[,.!]?",
    re.IGNORECASE,
)
_BIOQL = re.compile(r"\b(?:using|with|in|en|con|usando)\s+bioql\b,?", re.IGNORECASE)
_QUESTION = re.compile(
    r"[.?!]?\s*(?:what'?s the code|what is the code|cu[aá]l es el c[oó]digo)\s*\??", re.IGNORECASE
)
_SHOT_WORD = (
    r"shots?|times|veces|disparos|tiros|repetitions|repeticiones|runs|ejecuciones|mediciones|"
    r"muestras|samples"
)
_SHOTS = re.compile(
    r"[,;.]?\s*(?:\b(?:and|y)\s+)?(?:\b(?:run|execute|sample|repeat|use|ejecuta|repite|muestrea|usa)"
    r"\w*(?:\s+it|lo)?\s+)?(?:\b(?:with|using|for|over|sampling|durante|con|usando|muestreando|para)\s+)?"
    rf"(?:shots\s*=\s*\d+|\d+\s*(?:{_SHOT_WORD})\b)",
    re.IGNORECASE,
)
_BACKEND_END = (
    r"simulator|simulador|statevector|state vector|vector de estado|backend|device|dispositivo|"
    r"hardware|qpu|noise model|modelo de ruido|machine|m[aá]quina|quantum computer|"
    r"exact probabilities|probabilidades exactas|fake_\w+|ibmq?_\w+|ionq_[\w.-]+|"
    r"(?:ibm|ionq)\s+[a-z]+(?:'s)?"
)
_BACKEND = re.compile(
    r"[,;.]?\s*(?:\b(?:and|y)\s+)?(?:\b(?:run|execute|send|ejecuta|corre|manda)\w*(?:\s+it|lo)?\s+)?"
    r"\b(?:on|in|using|with|en|con|usando|sobre)\s+(?:(?!qubit|cubit|qbit)[a-záéíóúñ'’-]+\s+){0,5}?"
    rf"(?:{_BACKEND_END})(?:\s+(?:noise model|simulator|device|hardware|qpu|noisy simulator|ideal|local|"
    r"ruidoso|en la nube de ionq|de ionq|de iones atrapados de ionq))?"
    r"(?:\s+(?:of|de)\s+(?:ibm\s+)?[A-Za-z]+)?(?:\s+de\s+ibm)?\b",
    re.IGNORECASE,
)
_SYNONYMS = [(re.compile(r"\bread ?out\b", re.IGNORECASE), "measure")]


def strip_request(prompt: str) -> str:
    """The description part of a request: politeness, "write code that", backend and shots removed."""
    candidates = request_candidates(prompt)
    return candidates[0] if candidates else ""


def request_candidates(prompt: str) -> list[str]:
    """Descriptions to try with the compiler, most cleaned first."""
    base = prompt.strip()
    if base.isupper():  # ALL CAPS: "Y MIDE" is Spanish "and measure", not the Y gate
        base = base.lower()
    base = normalise_numerals(words_to_numbers(base))
    base = _QUESTION.sub("", _BIOQL.sub("", base))
    for pattern, word in _SYNONYMS:
        base = pattern.sub(word, base)
    polite = _tidy(_LEAD.sub("", _POLITE.sub("", base), count=1))
    full = _tidy(_LEAD.sub("", _POLITE.sub("", _BACKEND.sub("", _SHOTS.sub("", base))), count=1))
    out: list[str] = []
    for text in (full, polite, _tidy(base)):
        if text and text not in out:
            out.append(text)
    return out


def _tidy(text: str) -> str:
    text = re.sub(r"\s+", " ", text).strip(" ,.;:!?¿¡")
    text = re.sub(r"\s+([,.;])", r"\1", text)
    return text[:1].upper() + text[1:] if text else text


# ---------------------------------------------------------------- ligands

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
_NOT_SMILES = {
    "CNOT", "QFT", "GHZ", "IBM", "PDB", "SMILES", "BV", "DJ", "QPE", "ID", "IONQ", "API", "CCX",
    "CX", "CZ", "SWAP", "NO", "ON", "IN", "ION", "I", "SO",
}  # fmt: skip
_SMILES_TOKEN = re.compile(r"^[A-Za-z0-9@+\-\[\]\(\)=#$/\\%.]+$")
_ATOMS_ONLY = re.compile(r"^(?:Cl|Br|[CNOSPFIcnops])+$")


def find_smiles(original: str) -> str | None:
    """The ligand in a request: a SMILES string, or a common drug name."""
    lowered = original.lower()
    for name, smiles in NAMED_LIGANDS.items():
        if re.search(rf"\b{name}\b", lowered):
            return smiles
    candidates = re.findall(r"[\"'`]([^\"'`\s]+)[\"'`]", original)
    candidates += [t.strip(",;:") for t in original.split()]
    for token in candidates:
        if _looks_like_smiles(token):
            return token
    return None


def _looks_like_smiles(token: str) -> bool:
    if len(token) < 2 or token.upper() in _NOT_SMILES or token.lower().endswith(".pdb"):
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


def smiles_parses(text: str) -> bool:
    """Whether ``text`` is a SMILES string (RDKit when installed, else its character set)."""
    return bool(_SMILES_TOKEN.match(text)) and _rdkit_accepts(text)
