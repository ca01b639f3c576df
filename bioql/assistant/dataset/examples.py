"""One dataset example from a seed: what is asked (a semantic spec), how it is asked (the
grammar), and the answer (plan → code → reasoning), plus the outcome running it must give."""

from __future__ import annotations

import json
import random
from dataclasses import dataclass, field
from typing import Any

from bioql.assistant.dataset import grammar as g
from bioql.assistant.dataset.expected import expectation
from bioql.assistant.dataset.sentences import describe, phase_text
from bioql.assistant.plan.plan import (
    DEFAULT_SHOTS,
    Call,
    DockCall,
    Plan,
    QuantumCall,
    render_code,
    to_text,
)
from bioql.assistant.reading import REFUSAL_OUT_OF_DOMAIN
from bioql.language.docking import NAMED_LIGANDS

CATEGORY_SHARES = {
    "bell": 0.07, "ghz": 0.07, "superposition": 0.07, "qft": 0.08, "grover": 0.07,
    "algorithms": 0.12, "gates": 0.08, "hardware": 0.1, "docking": 0.06, "multi_step": 0.09,
    "correct_syntax": 0.05, "anti_patterns": 0.08, "out_of_domain": 0.06,
}  # fmt: skip
CATEGORIES = tuple(CATEGORY_SHARES)

SHOTS = {"train": [100, 256, 500, 512, 1000, 1024, 2000, 2048, 4096, 5000, 8192, 10000],
         "novel": [300, 750, 1500, 2500, 3000, 6000, 7500, 20000]}  # fmt: skip
FAKE_DEVICES = {"train": ["brisbane", "sherbrooke", "kyiv", "osaka", "manila", "jakarta", "kyoto"],
                "novel": ["torino", "fez", "marrakesh", "perth", "quebec"]}  # fmt: skip
IONQ_NAMED = {"train": ["aria"], "novel": ["forte"]}


@dataclass
class Example:
    category: str
    language: str
    family: str
    frame: str
    instruction: str
    plan: Plan | None
    expect: list[dict[str, Any]] = field(default_factory=list)  # one per quantum call
    broken: str | None = None  # anti_patterns: the code to fix
    # a request in the domain that must be refused: what the language's sentence must say
    # (a regular expression), and that sentence once the builder has read the request
    refuse_because: str | None = None
    refusal: str | None = None

    def to_record(self, index: int, split: str) -> dict[str, Any]:
        code = render_code(self.plan) if self.plan is not None else None
        target = to_text(self.plan) if self.plan is not None else "R"
        return {
            "id": f"ex{index:06d}",
            "category": self.category,
            "language": self.language,
            "family": self.family,
            "frame": self.frame,
            "split": split,
            "instruction": self.instruction,
            "target": target,
            "code": code,
            "reasoning": "",  # filled by the builder from the compiled circuits
            "broken": self.broken,
            "expect": self.expect,
            "refusal": (self.refusal or REFUSAL_OUT_OF_DOMAIN) if self.plan is None else None,
        }


# ---------------------------------------------------------------- constructs and values


def sample_construct(kind: str, rng: random.Random, fam: str) -> tuple[str, dict[str, Any]]:
    """(noun table key, parameters) for a construct kind, values from the family's range."""
    novel = fam == "novel"
    if kind == "bell":
        if rng.random() < 0.35:
            return "bell_variant", {"variant": rng.choice(list(g.VARIANTS))}
        return "bell", {}
    if kind in ("ghz", "w"):
        return kind, {"n": rng.randint(7, 10) if novel else rng.randint(2, 6)}
    if kind == "superposition":
        roll = rng.random()
        if roll < 0.6:
            return "superposition", {"n": rng.randint(5, 7) if novel else rng.randint(2, 4)}
        if roll < 0.8:
            return "single", {"state": rng.choice(["0", "1", "+", "-"])}
        length = 5 if novel else rng.randint(2, 4)
        return "basis", {"bits": "".join(rng.choice("01") for _ in range(length))}
    if kind == "qft":
        roll = rng.random()
        n = rng.randint(5, 6) if novel else rng.randint(2, 4)
        if roll < 0.5:
            return "qft", {"n": n}
        if roll < 0.75:
            return "iqft", {"n": n}
        length = 4 if novel else rng.randint(2, 3)
        return "qft_bits", {"bits": "".join(rng.choice("01") for _ in range(length))}
    if kind == "grover":
        length = 4 if novel else rng.randint(2, 3)
        count = 2 if novel and rng.random() < 0.4 else 1
        marked = rng.sample([format(i, f"0{length}b") for i in range(2**length)], count)
        return "grover", {"marked": marked}
    if kind == "bv":
        length = rng.randint(5, 6) if novel else rng.randint(2, 4)
        secret = "".join(rng.choice("01") for _ in range(length))
        if "1" not in secret:
            secret = secret[:-1] + "1"
        return "bv", {"secret": secret}
    if kind == "dj":
        return "dj", {"n": rng.randint(5, 6) if novel else rng.randint(2, 4),
                      "oracle": rng.choice(["balanced", "constant"])}  # fmt: skip
    if kind == "qpe":
        k = 4 if novel else 3
        numerator = rng.randrange(1, 2**k)
        return "qpe", {
            "phase": numerator / 2**k,
            "k": k,
            "as_fraction": novel and rng.random() < 0.5,
        }
    if kind == "teleport":
        return "teleport", {"state": rng.choice(["0", "1", "+"])}
    raise ValueError(kind)


def construct_description(key: str, p: dict[str, Any]) -> str:
    kind = {"bell_variant": "bell", "qft_bits": "qft"}.get(key, key)
    return describe(kind, p)


def _marked_text(marked: list[str], lang: str) -> str:
    return f" {'and' if lang == 'en' else 'y'} ".join(marked)


def _phase_text(p: dict[str, Any]) -> str:
    if p.get("as_fraction"):
        from fractions import Fraction

        f = Fraction(p["phase"]).limit_denominator(64)
        return f"{f.numerator}/{f.denominator}"
    return phase_text(p["phase"])


def noun_phrase(
    key: str, p: dict[str, Any], lang: str, fam: str, rng: random.Random
) -> tuple[str, str]:
    """(verb class, noun phrase) for a construct."""
    verb_class, table = g.NOUNS[key]
    template = rng.choice(table[lang][fam])
    n = p.get("n")
    slots = {
        "n": g.render_number(n, lang, rng) if n is not None else "",
        "bits": p.get("bits", ""),
        "marked": _marked_text(p.get("marked", []), lang),
        "secret": p.get("secret", ""),
        "oracle_en": p.get("oracle", ""),
        "oracle_es": {
            "balanced": rng.choice(["balanceado", "equilibrado"]),
            "constant": "constante",
        }.get(p.get("oracle", ""), ""),
        "phase": _phase_text(p) if "phase" in p else "",
        "k": g.render_number(p["k"], lang, rng) if "k" in p else "",
        "state": p.get("state", ""),
        "variant_en": rng.choice(g.VARIANTS[p["variant"]]) if "variant" in p else "",
        "variant_es": rng.choice(g.VARIANTS_ES[p["variant"]]) if "variant" in p else "",
    }
    phrase = template.format(**slots)
    if (
        lang == "en"
        and phrase.startswith("a ")
        and slots["n"][:1] in ("8", "e")
        and "{n}" in template[:6]
    ):
        phrase = "an " + phrase[2:]
    return verb_class, phrase


def clauses(verb_class: str, noun: str, lang: str, fam: str, rng: random.Random) -> dict[str, str]:
    verb = rng.choice(g.VERBS[lang][verb_class][fam])
    if lang == "en":
        return {
            "imp": f"{verb[0]} {noun}",
            "third": f"{verb[1]} {noun}",
            "noun": noun,
            "inf": "",
            "subj": "",
        }
    return {
        "imp": f"{verb[0]} {noun}",
        "inf": f"{verb[1]} {noun}",
        "subj": f"{verb[2]} {noun}",
        "noun": noun,
        "third": "",
    }


# ---------------------------------------------------------------- execution phrases


def backend_phrase(backend: str, lang: str, fam: str, rng: random.Random) -> str:
    if backend.startswith("fake_"):
        key, dev = "fake", backend[5:]
    elif backend.startswith("ibm_"):
        key, dev = "ibm", backend[4:]
    elif backend in ("ionq_simulator", "ionq_qpu", "simulator", "statevector"):
        key, dev = backend, ""
    else:
        key, dev = "ionq_named", backend[5:].split("-")[0]
    template = rng.choice(g.BACKEND_PHRASES[key][lang][fam])
    return template.format(dev=dev, Dev=dev.title())


def exec_slots(
    backend: str,
    shots: int,
    say_backend: bool,
    say_shots: bool,
    lang: str,
    fam: str,
    rng: random.Random,
) -> dict[str, str]:
    """The {exec}, {exec_lead} and {sent} slots for a backend / shot count."""
    b = backend_phrase(backend, lang, fam, rng) if say_backend else ""
    s = (
        rng.choice(g.SHOT_PHRASES[lang][fam]).format(s=g.render_number(shots, lang, rng))
        if say_shots
        else ""
    )
    parts = [x for x in (b, s) if x]
    if len(parts) == 2 and rng.random() < 0.5:
        parts.reverse()
    if len(parts) == 2 and parts[1].startswith("and "):
        parts = [parts[1][4:], parts[0]] if rng.random() < 0.5 else parts
    exec_ = (" " + " ".join(parts)) if parts else ""
    lead = (" ".join(parts).replace("and ", "", 1) + ", ") if parts else ""
    if say_shots:
        sent = " " + rng.choice(g.SHOT_SENTENCES[lang][fam]).format(
            s=g.render_number(shots, lang, rng), b=(" " + b) if b else ""
        )
    elif say_backend:
        sent = " " + rng.choice(g.BACKEND_SENTENCES[lang][fam]).format(b=b)
    else:
        sent = ""
    return {"exec": exec_, "exec_lead": lead, "sent": sent}


def finish(
    text: str,
    lang: str,
    fam: str,
    rng: random.Random,
    typo_rate: float = 0.2,
    keep_case: bool = False,
) -> str:
    """Politeness, typos, case — applied to any assembled request."""
    text = " ".join(text.split())
    if rng.random() < 0.2:
        text = rng.choice(g.POLITE_PREFIX[lang][fam]) + text[:1].lower() + text[1:]
    if rng.random() < 0.15 and not text.endswith("?"):
        text = text.rstrip(".") + rng.choice(g.POLITE_SUFFIX[lang][fam])
    if rng.random() < typo_rate:
        text = g.add_typo(text, rng)
    return text if keep_case else g.vary_case(text, rng)


def _frame(lang: str, fam: str, rng: random.Random, allow_lead: bool = True) -> tuple[str, str]:
    frames = [f for f in g.FRAMES[lang][fam] if allow_lead or "{exec_lead}" not in f]
    frame = rng.choice(frames)
    return frame, f"{lang}:{fam}:{g.FRAMES[lang][fam].index(frame)}"


def _exec_choice(rng: random.Random, fam: str, hardware: bool) -> tuple[str, int, bool, bool]:
    if hardware:
        roll = rng.random()
        if roll < 0.4:
            backend = "fake_" + rng.choice(FAKE_DEVICES[fam])
        elif roll < 0.7:
            backend = "ibm_" + rng.choice(FAKE_DEVICES[fam])
        elif roll < 0.8:
            backend = "ionq_simulator"
        elif roll < 0.9:
            backend = "ionq_qpu"
        else:
            backend = f"ionq_{rng.choice(IONQ_NAMED[fam])}-1"
        say_backend = True
    else:
        roll = rng.random()
        backend = "statevector" if roll < 0.15 else "simulator"
        say_backend = backend == "statevector" or rng.random() < 0.4
    say_shots = rng.random() < 0.65
    shots = rng.choice(SHOTS[fam]) if say_shots else DEFAULT_SHOTS
    return backend, shots, say_backend, say_shots


# ---------------------------------------------------------------- categories

SINGLE_KINDS = {
    "bell": ["bell"], "ghz": ["ghz"], "superposition": ["superposition"], "qft": ["qft"],
    "grover": ["grover"], "algorithms": ["bv", "dj", "qpe", "w", "teleport"],
    "hardware": ["bell", "ghz", "qft", "grover", "bv", "superposition"],
    "correct_syntax": ["bell", "ghz", "qft", "grover", "bv", "w", "dj"],
}  # fmt: skip
SYNTAX_FRAMES = {
    "en": {"train": ["What is the correct syntax to {imp}{exec}?", "Show the right way to call quantum() to {imp}{exec}",
                     "Correct BioQL syntax to {imp}{exec}"],
           "novel": ["Which quantum() call {third}{exec}?"]},
    "es": {"train": ["¿Cuál es la sintaxis correcta para {inf}{exec}?", "Enséñame la forma correcta de llamar a quantum() para {inf}{exec}"],
           "novel": ["¿Cómo se llama a quantum() para {inf}{exec}?"]},
}  # fmt: skip


def single_construct(category: str, lang: str, fam: str, rng: random.Random) -> Example:
    kind = rng.choice(SINGLE_KINDS[category])
    key, params = sample_construct(kind, rng, fam)
    verb_class, noun = noun_phrase(key, params, lang, fam, rng)
    backend, shots, say_b, say_s = _exec_choice(rng, fam, hardware=category == "hardware")
    slots = clauses(verb_class, noun, lang, fam, rng) | exec_slots(
        backend, shots, say_b, say_s, lang, fam, rng
    )
    if category == "correct_syntax":
        frame = rng.choice(SYNTAX_FRAMES[lang][fam])
        frame_id = f"{lang}:{fam}:syntax{SYNTAX_FRAMES[lang][fam].index(frame)}"
    else:
        frame, frame_id = _frame(lang, fam, rng)
    text = finish(frame.format(**slots), lang, fam, rng)
    description = construct_description(key, params)
    plan = Plan(calls=[QuantumCall(description, backend, shots)])
    exp_key = {"bell_variant": "bell"}.get(key, key)
    return Example(category, lang, fam, frame_id, text, plan, [expectation(exp_key, params)])


# explicit gate programs ------------------------------------------------------------------

ONE_QUBIT = ["h", "x", "y", "z", "s", "t"]
ROTATIONS = {"rx": "RX", "ry": "RY", "rz": "RZ"}
ANGLES = {"train": [("pi/2", 1.5707963267948966), ("pi/4", 0.7853981633974483), ("pi", 3.141592653589793)],
          "novel": [("pi/3", 1.0471975511965976), ("0.3", 0.3)]}  # fmt: skip


def _gate_ops(n: int, rng: random.Random, fam: str) -> list[list[Any]]:
    ops: list[list[Any]] = [["h", [0], None]]
    for _ in range(rng.randint(1, 3)):
        roll = rng.random()
        if roll < 0.35 and n >= 2:
            c, t = rng.sample(range(n), 2)
            ops.append([rng.choice(["cx", "cz", "swap"]), [c, t], None])
        elif roll < 0.55:
            name = rng.choice(list(ROTATIONS))
            angle = rng.choice(ANGLES[fam])
            ops.append([name, [rng.randrange(n)], angle])
        elif roll < 0.65 and n >= 3:
            ops.append(["ccx", [0, 1, 2], None])
        else:
            ops.append([rng.choice(ONE_QUBIT), [rng.randrange(n)], None])
    touched = {q for _, qs, _ in ops for q in qs}
    for q in range(n):
        if q not in touched:
            ops.append(["cx", [0, q], None] if q else ["x", [q], None])
    return ops


def _gate_text(op: list[Any], lang: str) -> str:
    name, qs, angle = op
    en = lang == "en"
    if name in ("cx", "cz"):
        label = "CNOT" if name == "cx" else "CZ"
        return f"{label} from {qs[0]} to {qs[1]}" if en else f"{label} del {qs[0]} al {qs[1]}"
    if name == "swap":
        return f"SWAP qubits {qs[0]} and {qs[1]}" if en else f"SWAP de los qubits {qs[0]} y {qs[1]}"
    if name == "ccx":
        return (
            "Toffoli with controls 0 and 1 and target 2"
            if en
            else "Toffoli con controles 0 y 1 y objetivo 2"
        )
    if name in ROTATIONS:
        return (
            f"{ROTATIONS[name]}({angle[0]}) on qubit {qs[0]}"
            if en
            else f"{ROTATIONS[name]}({angle[0]}) al qubit {qs[0]}"
        )
    return f"{name.upper()} to qubit {qs[0]}" if en else f"{name.upper()} al qubit {qs[0]}"


def gates_example(lang: str, fam: str, rng: random.Random) -> Example:
    n = rng.randint(3, 4) if fam == "novel" else rng.randint(2, 3)
    ops = _gate_ops(n, rng, fam)
    canonical_desc = (
        "Apply " + ", then ".join(_gate_text(o, "en") for o in ops) + ", then measure all"
    )
    joiner = {
        "en": {
            "train": [", then ", " then ", ", and then "],
            "novel": [", followed by ", ", after that "],
        },
        "es": {
            "train": [", luego ", " y luego ", ", después "],
            "novel": [", a continuación ", ", seguido de "],
        },
    }[lang][fam]
    steps = rng.choice(joiner).join(_gate_text(o, lang) for o in ops)
    apply = {
        "en": {"train": ["Apply", "Use"], "novel": ["Put"]},
        "es": {"train": ["Aplica", "Usa"], "novel": ["Pon"]},
    }[lang][fam]
    measure = {
        "en": {
            "train": [", measure all", ", then measure all qubits"],
            "novel": ", and read out every qubit",
        },
        "es": {
            "train": [", mide todos", ", luego mide todos los qubits"],
            "novel": ", y mide cada qubit",
        },
    }[lang][fam]
    measure = measure if isinstance(measure, str) else rng.choice(measure)
    backend, shots, say_b, say_s = _exec_choice(rng, fam, hardware=False)
    ex = exec_slots(backend, shots, say_b, say_s, lang, fam, rng)
    text = f"{rng.choice(apply)} {steps}{measure}{ex['exec']}"
    text = finish(text, lang, fam, rng, typo_rate=0.05)
    plan = Plan(calls=[QuantumCall(canonical_desc, backend, shots)])
    return Example("gates", lang, fam, f"{lang}:{fam}:gates", text, plan,
                   [expectation("gates", {"n": n, "ops": ops})])  # fmt: skip


# docking ---------------------------------------------------------------------------------

LIGANDS = {"train": ["CC(=O)Oc1ccccc1C(=O)O", "CC(C)Cc1ccc(cc1)C(C)C(=O)O", "CC(=O)Nc1ccc(O)cc1",
                     "Cn1cnc2c1c(=O)n(C)c(=O)n2C", "OC(=O)c1ccccc1O", "NCCc1ccc(O)c(O)c1"],
           "novel": ["O=C(O)CCc1ccccc1", "COc1ccc(CCN)cc1", "CC1=CC(=O)C=CC1=O"]}  # fmt: skip
NAMED = {"train": ["aspirin", "ibuprofen", "caffeine"], "novel": ["paracetamol", "phenol"]}
PROTEINS = {"train": ["1s3v.pdb", "1uou.pdb", "receptor.pdb", "data/1ia1.pdb", "target.pdb"],
            "novel": ["structures/6lu7.pdb", "my_protein.pdb"]}  # fmt: skip
DOCK_FRAMES = {
    "en": {"train": ["Dock {lig} into {prot}{opts}", "Run a docking of {lig} against {prot}{opts}",
                     "Compute the binding affinity of {lig} to {prot}{opts}", "Use Vina to dock {lig} into {prot}{opts}"],
           "novel": ["Fit {lig} into the pocket of {prot}{opts}"]},
    "es": {"train": ["Acopla {lig} en {prot}{opts}", "Haz un docking de {lig} contra {prot}{opts}",
                     "Calcula la afinidad de unión de {lig} con {prot}{opts}"],
           "novel": ["Encaja {lig} en el bolsillo de {prot}{opts}"]},
}  # fmt: skip


def docking_example(lang: str, fam: str, rng: random.Random) -> Example:
    if rng.random() < 0.3:
        name = rng.choice(NAMED[fam])
        smiles = NAMED_LIGANDS[name]
        lig = (
            name
            if lang == "en"
            else {"aspirin": "aspirina", "ibuprofen": "ibuprofeno", "caffeine": "cafeína"}.get(
                name, name
            )
        )
    else:
        smiles = rng.choice(LIGANDS[fam])
        lig = rng.choice(
            ["the ligand {s}", "SMILES {s}", "{s}"]
            if lang == "en"
            else ["el ligando {s}", "el SMILES {s}", "{s}"]
        ).format(s=smiles)
    prot = rng.choice(PROTEINS[fam])
    backend = "quantum" if rng.random() < 0.25 else "vina"
    options: list[tuple[str, Any]] = []
    opts = ""
    if backend == "quantum":
        opts += (
            " with the quantum docking backend"
            if lang == "en"
            else " con el backend de docking cuántico"
        )
    if rng.random() < 0.4:
        center = tuple(round(rng.uniform(-20, 20), 1) for _ in range(3))
        side = float(rng.choice([18, 20, 22, 24]))
        options += [("center", center), ("size", (side, side, side))]
        c = ", ".join(str(v) for v in center)
        opts += (
            f", box centered at ({c}) with size {side:g} Å"
            if lang == "en"
            else f", caja centrada en ({c}) de tamaño {side:g} Å"
        )
    if rng.random() < 0.2:
        ex = rng.choice([16, 32])
        options.append(("exhaustiveness", ex))
        opts += f", exhaustiveness {ex}" if lang == "en" else f", exhaustividad {ex}"
    frame = rng.choice(DOCK_FRAMES[lang][fam])
    text = finish(
        frame.format(lig=lig, prot=prot, opts=opts), lang, fam, rng, typo_rate=0.0, keep_case=True
    )
    plan = Plan(calls=[DockCall(smiles, prot, backend, tuple(options))])
    return Example(
        "docking",
        lang,
        fam,
        f"{lang}:{fam}:dock{DOCK_FRAMES[lang][fam].index(frame)}",
        text,
        plan,
        [],
    )


# multi-step ------------------------------------------------------------------------------

PLURALS = {"ghz": ("GHZ states", "estados GHZ"), "w": ("W states", "estados W"),
           "qft": ("the QFT", "la QFT"), "superposition": ("uniform superpositions", "superposiciones uniformes")}  # fmt: skip


def _size_list(sizes: list[int], lang: str, rng: random.Random) -> str:
    if len(sizes) > 2 and sizes == list(range(sizes[0], sizes[-1] + 1)) and rng.random() < 0.4:
        return f"from {sizes[0]} to {sizes[-1]}" if lang == "en" else f"de {sizes[0]} a {sizes[-1]}"
    words = [str(s) for s in sizes]
    return ", ".join(words[:-1]) + (" and " if lang == "en" else " y ") + words[-1]


def multi_step_example(lang: str, fam: str, rng: random.Random) -> Example:
    mode = rng.choice(["sizes", "shots", "backends", "pair"])
    en = lang == "en"
    backend, shots, say_b, say_s = _exec_choice(rng, fam, hardware=False)
    if mode == "sizes":
        kind = rng.choice(list(PLURALS))
        start = rng.randint(4, 6) if fam == "novel" else rng.randint(2, 3)
        sizes = list(range(start, start + rng.randint(2, 3)))
        plural = PLURALS[kind][0 if en else 1]
        verb = rng.choice(g.VERBS[lang]["state" if kind != "qft" else "transform"][fam])[0]
        size_text = _size_list(sizes, lang, rng)
        frames = {"en": {"train": ["{v} {p} on {s} qubits", "For each size {s} qubits, {v} {p}", "{v} {p} with {s} qubits and print each result"],
                         "novel": ["Sweep over {s} qubits and {v} {p}"]},
                  "es": {"train": ["{v} {p} con {s} qubits", "Para cada tamaño de {s} qubits, {v} {p}", "{v} {p} de {s} qubits e imprime cada resultado"],
                         "novel": ["Recorre {s} qubits y {v} {p}"]}}[lang][fam]  # fmt: skip
        if kind == "qft" and fam == "train":
            # "the QFT on 3 and 4 qubits" is two sizes for one circuit (refused); a list of
            # sizes is a sweep when the request says so ("for each size") or names a plural
            frames = frames[1:2]
        frame = rng.choice(frames)
        ex = exec_slots(backend, shots, say_b, say_s, lang, fam, rng)
        text = frame.format(v=verb, p=plural, s=size_text) + ex["exec"]
        calls: list[Call] = [QuantumCall(describe(kind, {"n": n}), backend, shots) for n in sizes]
        plan = Plan(calls=calls, loop_var="n")
        expects = [expectation(kind, {"n": n}) for n in sizes]
    else:
        kind = rng.choice(["bell", "ghz", "qft", "superposition", "bv"])
        key, params = sample_construct(kind, rng, fam)
        verb_class, noun = noun_phrase(key, params, lang, fam, rng)
        cl = clauses(verb_class, noun, lang, fam, rng)
        description = construct_description(key, params)
        exp = expectation({"bell_variant": "bell"}.get(key, key), params)
        compare = rng.random() < 0.6
        cmp_en, cmp_es = " and compare the results", " y compara los resultados"
        if mode == "shots":
            values = sorted(rng.sample(SHOTS[fam], 3))
            shots_text = (
                _size_list(values, lang, rng).replace("from", "from").replace(" to ", " to ")
            )
            if "from" in shots_text or " de " in shots_text:
                shots_text = (
                    ", ".join(str(v) for v in values[:-1])
                    + (" and " if en else " y ")
                    + str(values[-1])
                )
            b = (" " + backend_phrase(backend, lang, fam, rng)) if say_b else ""
            text = (
                f"{cl['imp']}{b} with {shots_text} shots"
                if en
                else f"{cl['imp']}{b} con {shots_text} disparos"
            )
            text += (cmp_en if en else cmp_es) if compare else ""
            plan = Plan(
                calls=[QuantumCall(description, backend, v) for v in values],
                loop_var="shots",
                compare=compare,
            )
            expects = [exp] * 3
        elif mode == "backends":
            dev = rng.choice(FAKE_DEVICES[fam])
            compare = True
            b1 = backend_phrase("simulator", lang, fam, rng)
            if b1 in ("locally", "en local"):  # "compare X locally and on Y" is one run to BioQL
                b1 = "on Aer" if en else "en Aer"
            b2 = backend_phrase(f"fake_{dev}", lang, fam, rng)
            s = exec_slots(backend, shots, False, say_s, lang, fam, rng)["exec"]
            if en:
                text = rng.choice(
                    [
                        f"Compare {noun} {b1} and {b2}{s}",
                        f"{cl['imp']} {b1} and {b2}{s}, then compare",
                    ]
                )
            else:
                text = rng.choice(
                    [f"Compara {noun} {b1} y {b2}{s}", f"{cl['imp']} {b1} y {b2}{s}, luego compara"]
                )
            plan = Plan(calls=[QuantumCall(description, "simulator", shots), QuantumCall(description, f"fake_{dev}", shots)],
                        loop_var="backend", compare=compare)  # fmt: skip
            expects = [exp, exp]
        else:
            other = rng.choice(
                [k for k in ("bell", "ghz", "qft", "superposition", "bv") if k != kind]
            )
            key2, params2 = sample_construct(other, rng, fam)
            vc2, noun2 = noun_phrase(key2, params2, lang, fam, rng)
            cl2 = clauses(vc2, noun2, lang, fam, rng)
            ex = exec_slots(backend, shots, say_b, say_s, lang, fam, rng)
            text = (
                f"{cl['imp']} and also {cl2['imp']}{ex['exec']}"
                if en
                else f"{cl['imp']} y también {cl2['imp']}{ex['exec']}"
            )
            d2 = construct_description(key2, params2)
            plan = Plan(
                calls=[QuantumCall(description, backend, shots), QuantumCall(d2, backend, shots)],
                loop_var="description",
            )
            expects = [exp, expectation({"bell_variant": "bell"}.get(key2, key2), params2)]
    text = finish(text, lang, fam, rng, typo_rate=0.1)
    return Example("multi_step", lang, fam, f"{lang}:{fam}:multi:{mode}", text, plan, expects)


# anti-patterns (for fix) -----------------------------------------------------------------

TERSE = {
    "bell": "Bell",
    "ghz": "GHZ",
    "qft": "QFT",
    "w": "W state",
    "superposition": "superposition",
}
MUTATIONS = (
    "terse_positional",
    "inline_qubits",
    "string_shots",
    "wrong_keyword",
    "bad_import",
    "unclosed",
)
WRONG_KEYWORDS = {
    "shots": ["shot", "n_shots", "num_shots", "repetitions"],
    "backend": ["device", "backend_name"],
}
BAD_IMPORTS = [
    "from bioq import quantum",
    "from bioql import quantm",
    "from BioQL import quantum",
    "from bio_ql import quantum",
]


def anti_pattern_example(lang: str, fam: str, rng: random.Random) -> Example:
    kind = rng.choice(list(TERSE))
    n = rng.randint(2, 6) if kind != "bell" else 2
    params = {"n": n} if kind != "bell" else {}
    description = describe(kind, params)
    backend = rng.choice(
        ["simulator", "simulator", "statevector", "fake_" + rng.choice(FAKE_DEVICES["train"])]
    )
    shots = rng.choice(SHOTS[fam])
    mutation = rng.choice(MUTATIONS)
    call_desc = json.dumps(description)
    args = {"backend": json.dumps(backend), "shots": str(shots)}
    if mutation == "terse_positional":
        call = f'quantum("{TERSE[kind]}", {n}, backend={args["backend"]}, shots={shots})'
    elif mutation == "inline_qubits":
        call = f'quantum("{TERSE[kind]}", {n} qubits, backend={args["backend"]}, shots={shots})'
    elif mutation == "string_shots":
        call = f'quantum({call_desc}, backend={args["backend"]}, shots="{shots}")'
    elif mutation == "wrong_keyword":
        which = rng.choice(list(WRONG_KEYWORDS))
        wrong = rng.choice(WRONG_KEYWORDS[which])
        rest = {k: v for k, v in args.items()}
        pieces = [f"{wrong if k == which else k}={v}" for k, v in rest.items()]
        call = f"quantum({call_desc}, {', '.join(pieces)})"
    else:
        call = f"quantum({call_desc}, backend={args['backend']}, shots={shots})"
    import_line = (
        rng.choice(BAD_IMPORTS) if mutation == "bad_import" else "from bioql import quantum"
    )
    body = f"result = {call}"
    if mutation == "unclosed":
        body = body[:-1]
    broken = f"{import_line}\n\n{body}\nprint(result)\n"
    head = {"en": {"train": ["Fix this BioQL code:", "This code fails, please repair it:"], "novel": ["What's wrong here? Correct it:"]},
            "es": {"train": ["Corrige este código BioQL:", "Este código falla, arréglalo:"], "novel": ["¿Qué está mal aquí? Corrígelo:"]}}[lang][fam]  # fmt: skip
    text = f"{rng.choice(head)}\n{broken}"
    plan = Plan(calls=[QuantumCall(description, backend, shots)])
    return Example("anti_patterns", lang, fam, f"{lang}:{fam}:fix:{mutation}", text, plan,
                   [expectation(kind, params)], broken=broken)  # fmt: skip


# out of domain ---------------------------------------------------------------------------

OOD = {
    "en": {
        "verbs": {"train": ["Write", "Give me", "Generate", "Create", "I need"], "novel": ["Draft", "Could you produce"]},
        "objects": {"train": ["a SQL query that lists all customers", "a Python function to sort a list of names",
                              "a REST API in Flask for a todo app", "a poem about the sea", "a recipe for paella",
                              "a bash script that backs up my home folder", "a React component for a login form",
                              "a regex that matches email addresses", "an Excel formula to sum a column",
                              "a cover letter for a job application", "a connection to my Postgres database with cursor.execute",
                              "a marketing email for a shoe sale"],
                    "novel": ["a haiku about autumn", "a Dockerfile for a Node.js app", "a workout plan for beginners",
                              "a CSS rule that centers a div"]},
        "questions": {"train": ["What's the weather in Madrid?", "Who won the 2018 World Cup?",
                                "Translate 'good morning' into French", "How do I bake sourdough bread?"],
                      "novel": ["What is the capital of Australia?", "Recommend a good sci-fi novel"]},
    },
    "es": {
        "verbs": {"train": ["Escribe", "Dame", "Genera", "Crea", "Necesito"], "novel": ["Redacta", "¿Podrías preparar"]},
        "objects": {"train": ["una consulta SQL que liste todos los clientes", "una función en Python para ordenar una lista",
                              "una API REST en Flask para tareas", "un poema sobre el mar", "una receta de paella",
                              "un script de bash que haga copia de seguridad", "un componente React para iniciar sesión",
                              "una expresión regular para correos electrónicos", "una fórmula de Excel para sumar una columna",
                              "una carta de presentación para un empleo", "una conexión a mi base de datos Postgres",
                              "un correo de marketing para una oferta de zapatos"],
                    "novel": ["un haiku sobre el otoño", "un Dockerfile para una app de Node.js", "un plan de ejercicios para principiantes",
                              "una regla CSS que centre un div"]},
        "questions": {"train": ["¿Qué tiempo hace en Madrid?", "¿Quién ganó el Mundial de 2018?",
                                "Traduce 'buenos días' al francés", "¿Cómo hago pan de masa madre?"],
                      "novel": ["¿Cuál es la capital de Australia?", "Recomiéndame una buena novela de ciencia ficción"]},
    },
}  # fmt: skip


def out_of_domain_example(lang: str, fam: str, rng: random.Random) -> Example:
    table = OOD[lang]
    if rng.random() < 0.25:
        text = rng.choice(table["questions"][fam])
        frame = f"{lang}:{fam}:ood:question"
    else:
        verb = rng.choice(table["verbs"][fam])
        text = f"{verb} {rng.choice(table['objects'][fam])}" + (
            "?" if verb.startswith(("¿", "Could")) else ""
        )
        frame = f"{lang}:{fam}:ood:request"
    text = finish(text, lang, fam, rng, typo_rate=0.1)
    return Example("out_of_domain", lang, fam, frame, text, None, [])


def make_example(category: str, lang: str, fam: str, rng: random.Random) -> Example:
    if category == "gates":
        return gates_example(lang, fam, rng)
    if category == "docking":
        return docking_example(lang, fam, rng)
    if category == "multi_step":
        return multi_step_example(lang, fam, rng)
    if category == "anti_patterns":
        return anti_pattern_example(lang, fam, rng)
    if category == "out_of_domain":
        return out_of_domain_example(lang, fam, rng)
    return single_construct(category, lang, fam, rng)
