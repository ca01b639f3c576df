"""Run options stated in the description itself: the shot count and the backend.

"run it 2000 times", "with two thousand shots", "con 500 disparos" set ``Program.shots``;
"on IBM Brisbane", "with fake Torino noise", "on IonQ", "on the statevector simulator" set
``Program.backend``. The tokens are removed so the circuit grammar never sees them.

Backend choices (documented in the README):

* ``ibm <device>`` → ``ibm_<device>``; ``ibm`` alone → ``ibm_brisbane``;
* a device with ``fake`` / ``noise`` / ``noisy`` → ``fake_<device>``; noise alone → ``fake_brisbane``;
* ``ionq`` → ``ionq_simulator``; ``ionq qpu`` / ``ionq hardware`` → ``ionq_qpu``;
  ``ionq aria`` / ``forte`` / ``harmony`` → ``ionq_<name>``;
* ``statevector`` / ``state vector`` / ``exact`` → ``statevector``; ``simulator`` / ``aer`` →
  ``simulator``; names typed as identifiers (``fake_torino``) are kept as written.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from bioql.config import MAX_SHOTS
from bioql.errors import BioQLValueError
from bioql.language.lexicon import IONQ_DEVICES
from bioql.language.tokens import Token

DEFAULT_NOISY_DEVICE = "brisbane"

_BACKEND_CONCEPTS = {
    "SIMULATOR",
    "STATEVECTOR",
    "IBM",
    "IONQ",
    "FAKE",
    "NOISE",
    "QPU",
    "DEVICE",
    "IONQ_DEVICE",
    "BACKEND_ID",
}


@dataclass
class Options:
    shots: int | None = None
    backend: str | None = None


def extract_options(tokens: list[Token]) -> tuple[list[Token], Options]:
    """Remove shot counts and backend names from ``tokens``; return what they said."""
    used: set[int] = set()
    opts = Options(shots=_shots(tokens, used), backend=_backend(tokens, used))
    return [t for i, t in enumerate(tokens) if i not in used], opts


def _next_meaningful(tokens: list[Token], i: int) -> int | None:
    """Index of the next token after ``i`` that is not filler or '=' / ':'."""
    j = i + 1
    while j < len(tokens) and (tokens[j].is_("FILLER") or tokens[j].text in ("=", ":")):
        j += 1
    return j if j < len(tokens) else None


def _shots(tokens: list[Token], used: set[int]) -> int | None:
    found: list[int] = []
    for i, tok in enumerate(tokens):
        if not tok.is_("SHOTS", "MEASUREMENTS"):
            continue
        num = _shot_number_assigned(tokens, i) if tok.is_("SHOTS") else None
        num = _shot_number_before(tokens, i) if num is None else num
        if num is not None and num < i and _repeats_a_gate(tokens, num, tok):
            tok.concept = "REPEAT"  # "apply T two times", "una T dos veces": the gate repeats
            continue
        if num is None and tok.is_("SHOTS"):
            j = _next_meaningful(tokens, i)
            if j is not None and tokens[j].kind == "num":
                k = _next_meaningful(tokens, j)
                if k is None or not tokens[k].is_("QUBIT"):
                    num = j
        if num is None:
            if tok.is_("SHOTS"):
                used.add(i)  # "run it several times": no count, nothing to set
            else:
                tok.concept = "MEASURE"  # "mediciones" without a number is a measurement
            continue
        used.update({i, num})
        for k in _listed_before(tokens, num) if num < i else []:  # "500, 512 and 4096 shots"
            used.add(k)
            found.append(_check_shots(tokens[k], False))
        negative = num > 0 and tokens[num - 1].is_("MINUS", "NEGATIVE")
        if negative:
            used.add(num - 1)
        found.append(_check_shots(tokens[num], negative))
    if len(set(found)) > 1:
        raise BioQLValueError(
            f"The description states different shot counts ({', '.join(map(str, found))}); "
            "state one."
        )
    return found[0] if found else None


def _listed_before(tokens: list[Token], num: int) -> list[int]:
    """Numbers listed before a shot count ("500, 512 and 4096 shots"): counts of shots too."""
    out: list[int] = []
    k = num - 1
    while (
        k >= 1
        and (tokens[k].text == "," or tokens[k].is_("AND"))
        and tokens[k - 1].kind == "num"
        and not (tokens[k - 1].is_bitstring and len(tokens[k - 1].text) > 1)  # "for 101, 110"
    ):
        out.append(k - 1)
        k -= 2
    if out and k >= 0 and (tokens[k].is_("QUBIT") or tokens[k].kind in ("ord", "ket")):
        return []  # "X on qubits 1 and 2, 100 shots": the list names qubits
    if not any(t.is_("AND") for t in tokens[k + 1 : num]):
        return []  # "ghz 3, 8192 shots": a size, then the shots; a list says "and"
    return out


def _repeats_a_gate(tokens: list[Token], num: int, word: Token) -> bool:
    """ "T two times" / "T dos veces": a count of times right after a gate repeats the gate."""
    if word.text not in ("times", "veces"):
        return False
    k = num - 1
    while k >= 0 and tokens[k].is_("FILLER"):
        if tokens[k].text in _RUN_VERBS:
            return False  # "flip a qubit with X and run it 10 times": the shots
        k -= 1
    if k >= 0 and tokens[k].kind == "word" and tokens[k].concept.startswith("GATE:"):
        return True
    # "apply X to qubit 0 three times", "RX de pi medios al qubit 0 dos veces": the gate's
    # angle and qubits stand between it and the count
    while k >= 0 and (
        tokens[k].is_("FILLER", "QUBIT", "AND", "LAST", "PI", "OVER", "MINUS", "DEGREES")
        or tokens[k].kind in ("num", "ord")
        or tokens[k].text in ("(", ")", "*")
    ):
        if tokens[k].text in _RUN_VERBS:
            return False  # "flip a qubit with X and run it 10 times": the shots
        k -= 1
    if k < 0 or tokens[k].kind != "word" or not tokens[k].concept.startswith("GATE:"):
        return False
    if (tokens[num].value or 0) > _MAX_REPEATS:
        raise BioQLValueError(
            f"'{tokens[num].raw} {word.raw}' after a gate could repeat the gate or be the shot "
            f"count; say 'with {tokens[num].raw} shots', or repeat the gate at most "
            f"{_MAX_REPEATS} times."
        )
    return True


_RUN_VERBS = frozenset({
    "run", "runs", "running", "execute", "executes", "simulate", "simulates", "repeat", "sample",
    "measure", "ejecuta", "ejecutar", "ejecutalo", "corre", "correr", "correlo", "simula",
    "repite", "mide",
})  # fmt: skip
_MAX_REPEATS = 10  # "X on qubit 0 three times" repeats X; "... 1000 times" is not read either way


def _shot_number_assigned(tokens: list[Token], i: int) -> int | None:
    """ "secret 1101 with shots=10000": the number assigned wins over the one before."""
    if i + 1 < len(tokens) and tokens[i + 1].text in ("=", ":"):
        j = _next_meaningful(tokens, i)
        if j is not None and tokens[j].kind == "num":
            return j
    return None


def _shot_number_before(tokens: list[Token], i: int) -> int | None:
    j = i - 1
    while j >= 0 and tokens[j].is_("FILLER"):
        j -= 1
    return j if j >= 0 and tokens[j].kind == "num" and j >= i - 2 else None


def _check_shots(tok: Token, negative: bool) -> int:
    value = tok.value
    if negative or value is None or value <= 0:
        shown = f"-{tok.raw}" if negative else tok.raw
        raise BioQLValueError(
            f"The number of shots must be a positive whole number, got {shown}; "
            "e.g. 'run it 1000 times'."
        )
    if not math.isfinite(value) or value > MAX_SHOTS:
        raise BioQLValueError(
            f"{tok.raw[:20]} shots is more than BioQL accepts ({MAX_SHOTS:,}); ask for fewer shots."
        )
    if value != int(value) or "." in tok.text:
        raise BioQLValueError(f"The number of shots must be a whole number, got {tok.raw}.")
    if value > MAX_SHOTS:
        raise BioQLValueError(
            f"{tok.raw} shots is more than BioQL accepts ({MAX_SHOTS:,}); ask for fewer shots."
        )
    return int(value)


def _backend(tokens: list[Token], used: set[int]) -> str | None:
    present = {t.concept for t in tokens if t.kind == "word"} & _BACKEND_CONCEPTS
    if not present:
        return None
    names: list[str] = []
    noisy = bool(present & {"FAKE", "NOISE"})
    for i, tok in enumerate(tokens):
        if tok.kind != "word" or tok.concept not in _BACKEND_CONCEPTS:
            continue
        used.add(i)
        if tok.concept == "BACKEND_ID" and tok.text.removeprefix("ionq_") in IONQ_DEVICES:
            names.append(_ionq_qpu(tok.text[5:], tokens, i, used))  # "ionq_aria" / "ionq_aria-2"
        elif tok.concept == "BACKEND_ID":
            names.append(tok.text)
        elif tok.concept == "DEVICE":
            names.append(f"{'fake' if noisy else 'ibm'}_{tok.text}")
            _check_device_mentions(tokens, i)
        elif tok.concept == "IONQ_DEVICE" and "IONQ" in present:
            names.append(_ionq_qpu(tok.text, tokens, i, used))
    _check_ionq_mentions(tokens)
    if "IONQ" in present and not any(n.startswith("ionq_") for n in names):
        names.append("ionq_qpu" if "QPU" in present else "ionq_simulator")
    if not names and (present & {"IBM", "FAKE", "NOISE"}):
        names.append(f"{'fake' if noisy else 'ibm'}_{DEFAULT_NOISY_DEVICE}")
    if not names and "STATEVECTOR" in present:
        names.append("statevector")
    if not names and "SIMULATOR" in present:
        names.append("simulator")
    _check_compatible(present, names, tokens)
    distinct = list(dict.fromkeys(names))
    if len(distinct) > 1:
        raise BioQLValueError(
            f"The description names more than one backend ({' and '.join(distinct)}); name one."
        )
    return distinct[0] if distinct else None


def _ionq_qpu(device: str, tokens: list[Token], i: int, used: set[int]) -> str:
    """IonQ names each QPU with its generation ("aria-1", "forte-1"); "IonQ Aria" is the first."""
    nxt = tokens[i + 1] if i + 1 < len(tokens) else None
    if nxt is not None and nxt.kind == "num" and nxt.value in range(1, 10) and nxt.raw.isdigit():
        used.add(i + 1)
        return f"ionq_{device}-{nxt.text}"
    return f"ionq_{device}-1"


def _check_device_mentions(tokens: list[Token], i: int) -> None:
    """ "on IBM Kyiv ... on the fake Kyiv": one device named as hardware and as a noise model."""
    devices = [k for k, t in enumerate(tokens) if t.is_("DEVICE")]
    if len(devices) < 2:
        return
    flags = {_noisy_near(tokens, k) for k in devices}
    qualified = any(t.is_("FAKE", "NOISE") for t in tokens)
    if len(flags) > 1 or (qualified and flags == {False}):
        raise BioQLValueError(
            f"The description names {tokens[i].raw} both as IBM hardware and as a noise model; "
            f"say one, e.g. 'on IBM {tokens[i].raw.title()}' or 'with {tokens[i].raw.title()} noise'."
        )


def _noisy_near(tokens: list[Token], k: int) -> bool:
    """ "fake Kyiv", "fake IBM Kyiv", "ruido de Kyiv", "Kyiv noise": the qualifier touches it."""
    before = [tokens[j] for j in (k - 1, k - 2) if j >= 0]
    if before and before[0].is_("FAKE", "NOISE"):
        return True
    if (
        len(before) == 2
        and before[1].is_("FAKE", "NOISE")
        and before[0].text in ("ibm", "de", "of")
    ):
        return True
    if k + 1 >= len(tokens):
        return False
    after = tokens[k + 1]  # "Kyiv noise", "Brisbane falso"; an English "fake" goes before
    return after.is_("NOISE") or (after.is_("FAKE") and after.text != "fake")


def _check_ionq_mentions(tokens: list[Token]) -> None:
    """ "on IonQ ... on IonQ hardware": the simulator and the QPU named in one description."""
    mentions = [k for k, t in enumerate(tokens) if t.is_("IONQ")]
    near = {_qpu_near(tokens, k) for k in mentions}
    if len(near) > 1:
        raise BioQLValueError(
            "The description names IonQ both as its simulator and as hardware; say one, e.g. "
            "'on IonQ' (the simulator) or 'on IonQ hardware'."
        )


def _qpu_near(tokens: list[Token], k: int) -> bool:
    """ "IonQ hardware", "IonQ Aria", "the IonQ QPU", "hardware IonQ"."""
    for j in (k - 1, k + 1, k + 2):
        if j == k + 2 and k + 1 < len(tokens) and tokens[k + 1].is_("IONQ"):
            break  # "IonQ IonQ hardware": the qualifier belongs to the second mention
        if 0 <= j < len(tokens) and tokens[j].is_("QPU", "IONQ_DEVICE"):
            return True
    return False


_QUALIFIERS = ("STATEVECTOR", "IONQ", "IONQ_DEVICE", "FAKE", "NOISE", "DEVICE", "IBM", "QPU")


def _plain_simulator(tokens: list[Token]) -> bool:
    """A "simulator" that no other backend word in the same phrase qualifies ("the statevector
    simulator", "Aer's exact simulator", "a noisy simulation of IBM Kyiv" are one backend each;
    "the simulator and the statevector simulator" are two)."""
    return any(tok.is_("SIMULATOR") and not _qualified(tokens, i) for i, tok in enumerate(tokens))


def _qualified(tokens: list[Token], i: int) -> bool:
    for step in (-1, 1):
        k = i + step
        while 0 <= k < len(tokens) and abs(k - i) <= 6:
            tok = tokens[k]
            if tok.kind == "sep" or tok.is_("AND", "THEN"):
                break
            if tok.is_(*_QUALIFIERS):
                return True
            k += step
    return False


def _check_compatible(present: set[str], names: list[str], tokens: list[Token]) -> None:
    """Every backend word must belong to the one backend chosen: "the statevector simulator"
    and "a noisy simulator" are one backend each, "statevector ... on IBM Brisbane" is two."""
    families = []
    if present & {"IBM", "DEVICE", "FAKE", "NOISE"}:
        families.append("ibm")
    if present & {"IONQ", "IONQ_DEVICE"}:
        families.append("ionq")
    if "STATEVECTOR" in present:
        families.append("statevector")
    if present & {"STATEVECTOR", "FAKE", "NOISE", "IONQ"} and _plain_simulator(tokens):
        families.append("simulator")  # "on the simulator and on the statevector simulator"
    real_ibm = "ibm" in families and not present & {"FAKE", "NOISE"}
    if "SIMULATOR" in present and (real_ibm and names[:1] != ["simulator"]):
        families.append("simulator")
    if len(families) > 1:
        raise BioQLValueError(
            f"The description names more than one backend ({' and '.join(families)}); name one, "
            "e.g. 'on IBM Brisbane', 'with Brisbane noise', 'on the statevector simulator'."
        )
