"""Request → plan, deterministically: the reading behind the template generator
(``template.py``), which is the ``template`` provider and every other provider's last resort.

It reads what the user asked for (English or Spanish, any case, typos, numerals or number
words): which construct (Bell, GHZ, QFT, Grover, ...), its parameters, the backend and shot
count, whether several runs are wanted (sizes, shot counts, backends, "compare"), or a
docking run. The construct becomes a *canonical* description (``canonical.py``) that BioQL's
compiler accepts; anything not recognised as a named construct (e.g. an explicit gate list)
is cleaned of politeness and execution details and handed to the compiler as written.
Requests outside quantum programming and docking are refused.
"""

from __future__ import annotations

import difflib
import functools
import re
import unicodedata
from dataclasses import dataclass
from typing import Any

from bioql.assistant.checking import checks
from bioql.assistant.plan.plan import DEFAULT_SHOTS, DockCall, Plan, QuantumCall
from bioql.assistant.reading import canonical
from bioql.assistant.reading.numbers import SCALES, UNITS, normalise_numerals, words_to_numbers
from bioql.calls import Call
from bioql.errors import BioQLError

REFUSAL_OUT_OF_DOMAIN = (
    "This request is outside what the BioQL assistant does: it writes BioQL programs for "
    "quantum circuits (Bell, GHZ, W, superposition, QFT, Grover, Bernstein–Vazirani, "
    "Deutsch–Jozsa, phase estimation, teleportation, explicit gates) and molecular docking."
)


@dataclass
class Intent:
    """The understood request: a plan, or a refusal sentence."""

    plan: Plan | None = None
    refusal: str | None = None


# Vocabulary used to fix typos word by word (accent-free, lower case).
VOCAB = sorted(
    set(
        [
            "bell",
            "ghz",
            "superposition",
            "superposicion",
            "fourier",
            "transform",
            "transformada",
            "inverse",
            "inversa",
            "grover",
            "search",
            "busqueda",
            "buscar",
            "bernstein",
            "vazirani",
            "deutsch",
            "jozsa",
            "balanced",
            "balanceado",
            "balanceada",
            "constant",
            "constante",
            "teleport",
            "teleportation",
            "teleportar",
            "teleportacion",
            "teletransportar",
            "teletransporte",
            "estimation",
            "estimacion",
            "phase",
            "fase",
            "qubit",
            "qubits",
            "cubits",
            "shots",
            "disparos",
            "simulator",
            "simulador",
            "statevector",
            "brisbane",
            "torino",
            "sherbrooke",
            "kyiv",
            "osaka",
            "kyoto",
            "washington",
            "entangled",
            "entrelazado",
            "entrelazados",
            "entanglement",
            "entrelazamiento",
            "uniform",
            "uniforme",
            "hadamard",
            "create",
            "crear",
            "prepare",
            "preparar",
            "generate",
            "generar",
            "docking",
            "dock",
            "ligand",
            "ligando",
            "protein",
            "proteina",
            "measure",
            "medir",
            "counting",
            "conteo",
            "secret",
            "secreto",
            "marked",
            "marcado",
            "marcados",
            "times",
            "veces",
            "repetitions",
            "repeticiones",
            "compare",
            "comparar",
            "circuit",
            "circuito",
            "quantum",
            "cuantico",
            "state",
            "estado",
            "noisy",
            "ruidoso",
            "singlet",
            "singlete",
            "amplitude",
            "amplification",
            "amplificacion",
            "vector",
            "hardware",
            "device",
            "dispositivo",
            "backend",
            "probabilities",
            "probabilidades",
            "exact",
            "exactas",
            "precision",
            "aria",
            "forte",
            "harmony",
            "teleportation",
            "algorithm",
            "algoritmo",
            "estimate",
        ]
    )
    | {w for w in (*UNITS, *SCALES) if len(w) >= 5}
)
PROTECTED = {
    "state", "estado", "times", "phase", "fase", "create", "crear", "search", "simulate",
    "simulates", "simulated", "simulating", "simulation", "simular", "simula", "simule",
    "simulacion", "shots", "qubits", "cuantica", "cuanticas", "cuanticos",
    "entrelazada", "entrelazadas", "balanceada", "equilibrado", "equilibrada", "constantes",
    "estados", "states", "searches", "phases", "fases", "ideal", "local",
    "there", "these", "where",  # not "three"
}  # fmt: skip

DOMAIN_WORDS = re.compile(
    r"qubit|cubit|qbit|quantum|cuantic|circuit|circuito|gate|puerta|compuerta|entangl|"
    r"entrelaz|superposi|hadamard|cnot|toffoli|bell|ghz|qft|fourier|grover|oracle|oraculo|"
    r"teleport|teletransport|bioql|dock(?!er)|acopl|ligand|protein|smiles|\|[01+\-]+>|pauli|measure|medir|"
    r"bernstein|vazirani|deutsch|jozsa|phase estimation|estimacion de fase|\bqpe\b|amplitude amplification|"
    r"amplificacion de amplitud"
)


def normalise(text: str) -> str:
    """Lower case, no accents, number words → digits, separators in numerals removed."""
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c))
    text = text.replace("⟩", ">").replace("〉", ">").replace("−", "-").replace("–", "-")
    text = _fix_typos(text.lower())
    return normalise_numerals(words_to_numbers(text))


SHORT_TYPOS = {
    "bel": "bell",
    "bels": "bell",
    "bll": "bell",
    "gzh": "ghz",
    "ghx": "ghz",
    "hgz": "ghz",
    "qtf": "qft",
    "fqt": "qft",
    "qff": "qft",
    "grovr": "grover",
    "telport": "teleport",
}


@functools.lru_cache(maxsize=1)
def _vocab() -> list[str]:
    return sorted(set(VOCAB) | set(checks.fake_devices()))


def _fix_typos(text: str) -> str:
    vocab = _vocab()

    def fix(match: re.Match[str]) -> str:
        word = match.group(0)
        if word in SHORT_TYPOS:
            return SHORT_TYPOS[word]
        if len(word) < 5 or word in vocab or word in PROTECTED:
            return word
        close = difflib.get_close_matches(word, vocab, n=1, cutoff=0.8)
        return close[0] if close else word

    return re.sub(r"[a-z]+", fix, text)


# ---------------------------------------------------------------- execution details


def extract_backends(text: str) -> list[str]:
    """Backends named in the (normalised) text, in order of appearance."""
    found: list[tuple[int, str]] = []
    devices = checks.fake_devices()
    for m in re.finditer(r"\b(?:ibmq?[_ ]|fake[_ ]?)?([a-z]+)\b", text):
        word = m.group(1)
        if word not in devices or (
            word in ("paris", "london", "rome", "valencia")
            and not re.search(r"ibm|fake|device|backend|noise|ruido|dispositivo", text)
        ):
            continue
        window = text[max(0, m.start() - 40) : m.end() + 40]
        fake = m.group(0).startswith("fake") or re.search(
            r"nois|ruid|fake|simulator|simulador|simulated|simulation|simulacion|simulad|emulat|noise model|modelo de ruido",
            window,
        )
        found.append((m.start(), f"{'fake' if fake else 'ibm'}_{word}"))
    for m in re.finditer(r"\bionq(?=\b|_)", text):
        window = text[max(0, m.start() - 30) : m.end() + 30]
        named = re.search(r"\b(aria|forte)\b", window)
        if named:
            found.append((m.start(), f"ionq_{named.group(1)}-1"))
        elif re.search(r"simulator|simulador", window):
            found.append((m.start(), "ionq_simulator"))
        else:
            found.append((m.start(), "ionq_qpu"))
    for m in re.finditer(r"\bfake[_ ]?([a-z]+)", text):
        if m.group(1) in devices and not any(b == f"fake_{m.group(1)}" for _, b in found):
            found.append((m.start(), f"fake_{m.group(1)}"))
    if not found:
        ibm = re.search(r"\bibm\b", text)
        if ibm:
            found.append((ibm.start(), "ibm_brisbane"))
    for m in re.finditer(
        r"state ?vector|vector de estado|exact probabilit|probabilidades exactas", text
    ):
        found.append((m.start(), "statevector"))
    others = [pos for pos, _ in found]
    for m in re.finditer(
        r"\b(ideal |local |aer )?(simulator|simulador)\b|\blocal(ly|mente)?\b", text
    ):
        # "the Brisbane noisy simulator", "el simulador ruidoso de Fez": part of another mention
        after = text[m.end() : m.end() + 40]
        if any(0 <= m.start() - pos <= 30 for pos in others) or (
            re.match(
                r"\s*(?:ruidoso\s+|en la nube\s+)?(?:de|of)\s+(?:ibm\s+)?(?:ionq|[a-z]+)", after
            )
            and any(0 < pos - m.end() <= 40 for pos in others)
        ):
            continue
        found.append((m.start(), "simulator"))
    found.sort()
    seen: list[str] = []
    for _, name in found:
        if name not in seen:
            seen.append(name)
    return seen


SHOT_WORDS = (
    r"shots?|times|runs|repetitions|samples|measurements|executions|disparos|tiros|veces|"
    r"repeticiones|ejecuciones|mediciones|muestras|corridas"
)


_SHOT_WORD = re.compile(rf"(?:{SHOT_WORDS})\b")
# The numbers right before a shot word, read backwards (" 0001 dna 001" for "100 and 1000 "):
# each step is unambiguous and the repetition possessive, so the scan is linear. (Read
# forwards, "Bell state 1 1 1 … 1" with no shot word backtracked exponentially.)
_NUMBERS_BEFORE = re.compile(
    r"(\s*(?:(?:,|dna|y|ro|o)\s*)?\d+(?:(?:\s*(?:,|dna|y|ro|o))?\s*\d+)*+)"
)


def _numbers_before_shot_word(text: str) -> str | None:
    start = 0
    for word in _SHOT_WORD.finditer(text):
        m = _NUMBERS_BEFORE.match(text[start : word.start()][::-1])
        if m:
            return m.group(1)[::-1]
        start = word.end()
    return None


def extract_shots(text: str) -> list[int]:
    """Shot counts stated in the text (several for "with 100, 1000 and 10000 shots")."""
    segment = _numbers_before_shot_word(text)
    if segment:
        values = [int(v) for v in re.findall(r"\d+", segment)]
        # "3 qubits and 500 shots": only the numbers right before the shot word
        return _trailing_run(segment, values)
    m = re.search(rf"\b(?:{SHOT_WORDS})\s*(?:=|:|of|de|a)?\s*(\d+)", text)
    if m:
        return [int(m.group(1))]
    return []


def _trailing_run(segment: str, values: list[int]) -> list[int]:
    parts = re.split(r"\s+(?=\d)", segment.strip())
    if (
        len(values) > 1
        and re.search(r"\d+\s+(?:and|y)\s+\d+\s*$", segment) is None
        and "," not in segment
    ):
        return values[-1:]
    return values if parts else values[-1:]


def extract_sizes(text: str) -> list[int]:
    """Qubit counts: "3 qubits", "3-qubit", "from 2 to 5 qubits", "2, 3 and 4 qubits"."""
    qubit = r"(?:qubits?|cubits?|qbits?)"
    m = re.search(
        rf"(?:from|de|desde)\s+(\d+)\s+(?:to|a|hasta)\s+(\d+)\s*{qubit}", text
    ) or re.search(rf"{qubit}\s+(?:from|de|desde)\s+(\d+)\s+(?:to|a|hasta)\s+(\d+)", text)
    if m:
        lo, hi = int(m.group(1)), int(m.group(2))
        if 1 <= lo < hi <= lo + 12:
            return list(range(lo, hi + 1))
    m = re.search(rf"((?:\d+\s*(?:,|and|y|or|o)\s*)+\d+)\s*[- ]?{qubit}", text)
    if m:
        return [int(v) for v in re.findall(r"\d+", m.group(1))]
    m = re.search(rf"(\d+)\s*[- ]?{qubit}", text) or re.search(
        rf"{qubit}\s*[=:]?\s*(\d+)\b(?!\s*(?:{SHOT_WORDS}))", text
    )
    return [int(m.group(1))] if m else []


# ---------------------------------------------------------------- docking


def extract_dock(original: str, text: str) -> DockCall | None:
    smiles = canonical.find_smiles(original)
    protein = _find_protein(original)
    if smiles is None or protein is None:
        return None  # a ligand and a receptor file together mean docking, whatever the verb
    backend = "quantum" if re.search(r"quantum|cuantic|qaoa", text) else "vina"
    options: list[tuple[str, object]] = []
    m = re.search(
        r"(?:center|centro|centered at|centrad[oa] en)\s*\(?\s*(-?[\d.]+)[ ,]+(-?[\d.]+)[ ,]+(-?[\d.]+)",
        text,
    )
    if m:
        options.append(("center", tuple(float(v) for v in m.groups())))
    m = re.search(r"(?:size|tamano|side|lado)\s*(?:of|de|=)?\s*(\d+(?:\.\d+)?)", text) or re.search(
        r"(\d+(?:\.\d+)?)\s*(?:a|angstrom)s?\s*(?:box|caja|cube|cubo)", text
    )
    if m and options:
        side = float(m.group(1))
        options.append(("size", (side, side, side)))
    m = re.search(r"exhaustiveness\s*(?:of|=|de)?\s*(\d+)|exhaustividad\s*(?:de|=)?\s*(\d+)", text)
    if m:
        options.append(("exhaustiveness", int(m.group(1) or m.group(2))))
    return DockCall(
        ligand_smiles=smiles, protein_pdb=protein, backend=backend, options=tuple(options)
    )


def _find_protein(original: str) -> str | None:
    m = re.search(r"[\w./-]+\.pdb\b", original, re.IGNORECASE)
    if m:
        return m.group(0)
    m = re.search(
        r"\b(?:pdb|protein|proteina|proteína|receptor|target|diana)\s*(?:id|code)?\s*[:=]?\s*([0-9][A-Za-z0-9]{3})\b",
        original,
        re.IGNORECASE,
    )
    if m:
        return f"{m.group(1).lower()}.pdb"
    return None


# ---------------------------------------------------------------- the whole request


def understand(prompt: str) -> Intent:
    """The plan for ``prompt``, or a refusal saying why there is none."""
    if not prompt or not prompt.strip():
        return Intent(
            refusal="The prompt is empty; describe the quantum program you want, e.g. 'Create a Bell state'."
        )
    text = normalise(prompt)
    dock = extract_dock(prompt, text)
    if dock is not None:
        return Intent(plan=Plan(calls=[dock]))
    constructs = canonical.find_constructs(text)
    descriptions: list[str] = []
    sizes = extract_sizes(text)
    size_loop = len(sizes) > 1 and len(constructs) == 1 and constructs[0].sized
    if constructs:
        if size_loop:
            descriptions = [constructs[0].describe(n) for n in sizes]
        else:
            single = len(constructs) == 1 and len(sizes) == 1
            descriptions = [
                c.describe(sizes[0] if single and c.sized else None) for c in constructs
            ]
    else:
        candidates = canonical.request_candidates(prompt)
        compiled = next((c for c in candidates if _compiles(c)), None)
        if compiled:
            descriptions = [compiled]
        elif candidates and DOMAIN_WORDS.search(text):
            return Intent(refusal=_unsupported(candidates[0]))
        else:
            return Intent(refusal=REFUSAL_OUT_OF_DOMAIN)
    backends = extract_backends(text) or ["simulator"]
    shots = extract_shots(text) or [DEFAULT_SHOTS]
    compare = bool(
        re.search(
            r"\bcompar|\bversus\b|\bvs\.?\b|\bcontra\b|side by side|diferencia|difference", text
        )
    )
    plan = Plan(compare=compare)
    if size_loop:
        plan.loop_var = "n"
        plan.calls = [QuantumCall(d, backends[0], shots[0]) for d in descriptions]
    elif len(shots) > 1 and len(descriptions) == 1:
        plan.loop_var = "shots"
        plan.calls = [QuantumCall(descriptions[0], backends[0], s) for s in shots]
    elif len(backends) > 1 and len(descriptions) == 1:
        plan.loop_var = "backend"
        plan.calls = [QuantumCall(descriptions[0], b, shots[0]) for b in backends]
    else:
        plan.calls = [QuantumCall(d, backends[0], shots[0]) for d in descriptions]
        plan.loop_var = "description" if len(descriptions) > 1 else None
    if len(plan.calls) < 2:
        plan.compare = False
    return Intent(plan=plan)


def _compiles(description: str) -> bool:
    try:
        checks.check_description(description)
        return True
    except BioQLError:
        return False


def _unsupported(cleaned: str) -> str:
    try:
        checks.check_description(cleaned)
    except BioQLError as exc:
        reason = str(exc)
        return f"I could not turn this into a BioQL program. {reason}"
    return REFUSAL_OUT_OF_DOMAIN


def disagreement(calls: list[Call], prompt: str) -> str | None:
    """Why a program does not do what the request states, else None.

    A model can write valid code that runs the wrong experiment (1000 shots for "20000", the
    ideal simulator for "IBM Torino", a Bell state for "amplitude amplification"); the
    validator cannot see that, this check can. It compares the program with what the
    template generator reads in the request (exact on ``test_novel``): the shot counts and
    backends stated (or the defaults when none is), and — when it understands the request —
    the runs in the order asked, each run's named construct with its size, variant or strings
    (or, for a gate sequence, the compiled gates).
    """
    quantum = [c for c in calls if c.func == "quantum"]
    if not quantum:
        return _dock_disagreement([c for c in calls if c.func == "dock"], prompt)
    text = normalise(prompt)
    shots = sorted({c.kwargs.get("shots", DEFAULT_SHOTS) for c in quantum}, key=str)
    stated = extract_shots(text) or [DEFAULT_SHOTS]
    if set(shots) != set(stated):
        return f"The request asks for {_listed(stated)} shots; the program uses {_listed(shots)}."
    backends = sorted({c.kwargs.get("backend", "simulator") for c in quantum}, key=str)
    named = extract_backends(text) or ["simulator"]
    if set(backends) != set(named):
        return (
            f"The request asks for backend {_listed(named)}; the program uses {_listed(backends)}."
        )
    understood = understand(prompt).plan
    if understood is None:
        return None  # the template cannot read this request: nothing to compare with
    # in the order asked: results are shown (and compared) in that order
    wanted = [_signature(c.description) for c in understood.quantum_calls]
    built = [_signature(str(c.argument("description", 0))) for c in quantum]
    if built != wanted:
        return (
            f"The request asks for {len(wanted)} run(s), in this order: "
            f"{_described(understood.quantum_calls)}; "
            f"the program does {len(built)}: "
            f"{'; '.join(str(c.argument('description', 0)) for c in quantum)}."
        )
    return None


def _dock_disagreement(calls: list[Call], prompt: str) -> str | None:
    """A docking call whose receptor, backend or box options differ from the request's."""
    wanted = extract_dock(prompt, normalise(prompt))
    if not calls or wanted is None:
        return None
    want = {"protein_pdb": wanted.protein_pdb, "backend": wanted.backend, **dict(wanted.options)}
    for call in calls:
        got = {k: call.kwargs.get(k) for k in ("protein_pdb", "backend", *DOCK_BOX_OPTIONS)}
        got["backend"] = got["backend"] or "vina"
        for key, value in want.items():
            if _as_floats(got.get(key)) != _as_floats(value):
                return f"The request asks for {key}={value!r}; the program uses {got.get(key)!r}."
        extra = [k for k in DOCK_BOX_OPTIONS if got.get(k) is not None and k not in want]
        if extra:
            return f"The request does not ask for {', '.join(extra)}; the program sets it."
    return None


DOCK_BOX_OPTIONS = ("center", "size", "exhaustiveness")


def _as_floats(value: Any) -> Any:
    if isinstance(value, (list, tuple)):
        return tuple(float(v) for v in value)
    return float(value) if isinstance(value, (int, float)) else value


def _signature(description: str) -> tuple[tuple[str, str], ...]:
    """What a description builds: its named constructs with their parameters (size, variant,
    strings), or, for a plain gate sequence, the compiled gates and measured qubits."""
    found = canonical.find_constructs(normalise(description))
    if found:
        return tuple((c.kind, repr(sorted(c.params.items()))) for c in found)
    try:
        from bioql.language import compile_description

        program = compile_description(description)
    except BioQLError:
        return (("unreadable", description),)
    return (("gates", repr((program.num_qubits, tuple(program.gates()), program.measured))),)


def _described(calls: list[QuantumCall]) -> str:
    return "; ".join(c.description for c in calls)


def _listed(values: list[Any]) -> str:
    return ", ".join(str(v) for v in values)


def in_domain(prompt: str) -> bool:
    """Whether the request mentions anything quantum or docking at all."""
    return bool(DOMAIN_WORDS.search(normalise(prompt)))
