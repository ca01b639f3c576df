"""The ``chemistry`` (VQE ground-state energies and dissociation curves) and ``maxcut`` (QAOA)
categories: what is asked (a spec built here from the sampled values, independently of the
reader), how it is asked (phrasing tables in English and Spanish, ``train`` and held-out
``novel`` wording) and the answer (``quantum("<the spec's canonical reading>")``).

The builder keeps an example only when the language (:func:`bioql.language.chemistry.read_chemistry`,
through :func:`bioql.assistant.reading.read_request`) reads its request as exactly this spec, or,
for a request that must be refused (an unknown molecule, a negative bond length, a graph with a
self-loop...), when the language refuses it for that reason (``Example.refuse_because``).
"""

from __future__ import annotations

import random
from typing import Any

from bioql.assistant.dataset.examples import FAKE_DEVICES, Example, finish
from bioql.assistant.plan.plan import ChemistryCall, Plan
from bioql.chemistry.molecules import builtin
from bioql.chemistry.spec import (
    ActiveSpace,
    ChemistrySpec,
    MaxCutSpec,
    Scan,
    family_edges,
    stated,
)

# ---------------------------------------------------------------- molecules and values

MOLECULES = ("H2", "LiH", "BeH2", "H2O", "NH3", "N2")
NAMES = {
    "en": {"H2": ["hydrogen", "dihydrogen"], "LiH": ["lithium hydride"],
           "BeH2": ["beryllium hydride"], "H2O": ["water"], "NH3": ["ammonia"],
           "N2": ["nitrogen", "dinitrogen"]},
    "es": {"H2": ["hidrógeno"], "LiH": ["hidruro de litio"], "BeH2": ["hidruro de berilio"],
           "H2O": ["agua"], "NH3": ["amoníaco", "amoniaco"], "N2": ["nitrógeno"]},
}  # fmt: skip
# bases small enough for every molecule's default space (a larger basis only with an active space)
SMALL_BASES = {"H2": ["sto-3g", "sto-6g", "3-21g", "6-31g"], "LiH": ["sto-3g", "sto-6g"],
               "BeH2": ["sto-3g", "sto-6g"]}  # fmt: skip
BASES = ["sto-3g", "sto-6g", "3-21g", "6-31g", "6-31g*", "cc-pvdz"]
BASIS_TEXT = {
    "sto-3g": ["STO-3G", "sto-3g", "STO3G"], "sto-6g": ["STO-6G", "sto-6g"],
    "3-21g": ["3-21G", "3-21g"], "6-31g": ["6-31G", "6-31g"], "6-31g*": ["6-31G*"],
    "cc-pvdz": ["cc-pVDZ", "cc-pvdz"],
}  # fmt: skip
# active spaces (electrons, spatial orbitals) each molecule can have
ACTIVE_SPACES = {"H2": [(2, 2)], "LiH": [(2, 2), (2, 3)], "BeH2": [(2, 2), (4, 4), (2, 3)],
                 "H2O": [(2, 2), (4, 4), (4, 3), (6, 4)], "NH3": [(2, 2), (4, 4), (6, 5)],
                 "N2": [(2, 2), (4, 4), (6, 6)]}  # fmt: skip
MAPPINGS = ["parity", "jordan-wigner", "bravyi-kitaev"]
OPTIMIZERS = ["COBYLA", "L-BFGS-B", "SLSQP", "BFGS", "Nelder-Mead", "Powell"]
SHOTS = {"train": [1000, 2000, 4000, 8192], "novel": [3000, 6000]}

# ---------------------------------------------------------------- VQE phrasing
# {what}: the energy noun phrase ("the ground-state energy of H2"), {opts}: the options,
# {how}: the method ("with VQE", may be empty)

VQE_FRAMES = {
    "en": {"train": ["{Verb} {what}{opts}{how}", "What is {what}{opts}{how}?", "I need {what}{opts}{how}",
                     "{What}{opts}{how}", "Can you {verb} {what}{opts}{how}?", "How do I {verb} {what}{opts}{how}?",
                     "Show me how to {verb} {what}{opts}{how}", "I want to {verb} {what}{opts}{how}"],
           "novel": ["Could you {verb} {what}{opts}{how}?", "We would like {what}{opts}{how}",
                     "Please use VQE to {verb} {what}{opts}"]},
    "es": {"train": ["{Verb} {what}{opts}{how}", "{What}{opts}{how}", "Dame {what}{opts}{how}",
                     "Muestra como {verb_inf} {what}{opts}{how}", "¿{What}{opts}{how}?"],
           "novel": ["Usando VQE, {verb} {what}{opts}", "Mediante el algoritmo VQE, {verb} {what}{opts}"]},
}  # fmt: skip
# (imperative, infinitive): one word in English
VQE_VERBS: dict[str, dict[str, list[tuple[str, str]]]] = {
    "en": {"train": [(v, v) for v in ("estimate", "compute", "calculate", "find", "determine", "get")],
           "novel": [(v, v) for v in ("obtain", "predict", "evaluate")]},
    "es": {"train": [("estima", "estimar"), ("calcula", "calcular"), ("encuentra", "encontrar"),
                     ("determina", "determinar")],
           "novel": [("obtén", "obtener"), ("simula", "simular")]},
}  # fmt: skip
ENERGY_NOUNS = {
    "en": {"train": ["the ground-state energy of {mol}", "the ground state energy of {mol}",
                     "the VQE energy of {mol}", "the lowest energy of {mol}", "the electronic energy of {mol}"],
           "novel": ["the minimum energy of the {mol} molecule", "the total energy of {mol}"]},
    "es": {"train": ["la energía del estado fundamental de {mol}", "la energía fundamental de {mol}",
                     "la energía VQE de {mol}", "la energía mínima de {mol}"],
           "novel": ["la energía total de la molécula de {mol}", "la energía electrónica de {mol}"]},
}  # fmt: skip
CURVE_NOUNS = {
    "en": {"train": ["the dissociation curve of {mol}", "the potential energy curve of {mol}",
                     "a bond length scan of {mol}", "the dissociation profile of {mol}"],
           "novel": ["the potential energy surface of {mol}", "an energy scan of {mol}"]},
    "es": {"train": ["la curva de disociación de {mol}", "la curva de energía potencial de {mol}",
                     "un barrido de la longitud de enlace de {mol}"],
           "novel": ["el perfil de disociación de {mol}", "la superficie de energía potencial de {mol}"]},
}  # fmt: skip
HOW = {
    "en": {"train": [" with VQE", " using VQE", " by VQE", " with the variational quantum eigensolver", ""],
           "novel": [" via VQE", " via the variational eigensolver"]},
    "es": {"train": [" con VQE", " usando VQE", " mediante VQE", ""],
           "novel": [" con el eigensolver cuántico variacional", " mediante el algoritmo VQE"]},
}  # fmt: skip
BOND = {
    "en": {"train": ["at {d} Å", "at {d} angstrom", "at a bond length of {d} Å", "with a bond length of {d} angstroms",
                     "at an interatomic distance of {d} Å", "with a bond distance of {d} Å"],
           "novel": ["at a separation of {d} Å", "with an internuclear distance of {d} angstrom"]},
    "es": {"train": ["a {d} Å", "con una longitud de enlace de {d} Å", "a una distancia de enlace de {d} angstrom",
                     "con una distancia interatómica de {d} Å"],
           "novel": ["con una separación de {d} Å", "a una distancia internuclear de {d} ángstrom"]},
}  # fmt: skip
EQUILIBRIUM = {
    "en": {"train": ["at equilibrium", "at its equilibrium bond length"], "novel": ["at the equilibrium distance"]},
    "es": {"train": ["en el equilibrio", "en su distancia de equilibrio"], "novel": ["en su equilibrio"]},
}  # fmt: skip
RANGE = {
    "en": {"train": ["from {a} to {b} Å", "from {a} to {b} angstrom", "between {a} and {b} Å"],
           "novel": ["from {a} Å to {b} Å"]},
    "es": {"train": ["de {a} a {b} Å", "desde {a} hasta {b} Å", "entre {a} y {b} angstrom"],
           "novel": ["desde {a} Å hasta {b} Å"]},
}  # fmt: skip
POINTS = {
    "en": {"train": ["in {n} points", "with {n} points", "in {n} steps"], "novel": ["using {n} geometries"]},
    "es": {"train": ["en {n} puntos", "con {n} puntos", "en {n} pasos"], "novel": ["con {n} geometrías"]},
}  # fmt: skip
BASIS = {
    "en": {"train": ["in the {b} basis", "with the {b} basis set", "using a {b} basis", "basis {b}"],
           "novel": ["in a {b} basis set"]},
    "es": {"train": ["en la base {b}", "con la base {b}", "con el conjunto de base {b}"],
           "novel": ["usando una base {b}"]},
}  # fmt: skip
ACTIVE = {
    "en": {"train": ["with an active space of {e} electrons in {o} orbitals", "with {e} electrons in {o} orbitals",
                     "with CAS({e},{o})"],
           "novel": ["in an active space of {e} electrons and {o} orbitals"]},
    "es": {"train": ["con un espacio activo de {e} electrones en {o} orbitales", "con CAS({e},{o})",
                     "con {e} electrones en {o} orbitales"],
           "novel": ["en un espacio activo de {e} electrones y {o} orbitales"]},
}  # fmt: skip
FROZEN = {
    "en": {"train": ["with a frozen core", "with the frozen core"], "novel": ["with the core frozen"]},
    "es": {"train": ["con el núcleo congelado", "con un núcleo congelado"], "novel": ["con núcleo congelado"]},
}  # fmt: skip
ALL_ELECTRONS = {
    "en": {"train": ["with all electrons", "with all electrons active", "without a frozen core"],
           "novel": ["all electrons active"]},
    # (the reader takes no article here: "sin un núcleo congelado" and "con todos los
    # electrones" are refused, so Spanish says it one way, in training only)
    "es": {"train": ["sin núcleo congelado"], "novel": []},
}  # fmt: skip
UCCSD = {
    "en": {"train": ["with the UCCSD ansatz", "using UCCSD", "with a UCCSD ansatz"], "novel": ["with UCCSD as the ansatz"]},
    "es": {"train": ["con el ansatz UCCSD", "usando UCCSD"], "novel": ["con UCCSD como ansatz"]},
}  # fmt: skip
HEA = {
    "en": {"train": ["with a hardware-efficient ansatz", "with the hardware-efficient ansatz",
                     "using a hardware efficient ansatz"],
           "novel": ["with a hardware-efficient circuit"]},
    "es": {"train": ["con un ansatz eficiente en hardware", "con el ansatz eficiente en hardware"],
           "novel": ["usando un ansatz eficiente en hardware"]},
}  # fmt: skip
LAYERS = {
    "en": {"train": [" with {k} layers", " of {k} layers", " with {k} repetitions"], "novel": [" and {k} reps"]},
    "es": {"train": [" de {k} capas", " con {k} capas"], "novel": [" con {k} repeticiones"]},
}  # fmt: skip
MAPPING_TEXT = {
    "en": {"parity": ["the parity mapping", "parity mapping"],
           "jordan-wigner": ["the Jordan-Wigner mapping", "the Jordan-Wigner transformation", "Jordan-Wigner encoding"],
           "bravyi-kitaev": ["the Bravyi-Kitaev mapping", "a Bravyi-Kitaev transformation"]},
    "es": {"parity": ["el mapeo de paridad"],
           "jordan-wigner": ["el mapeo de Jordan-Wigner", "la transformación de Jordan-Wigner"],
           "bravyi-kitaev": ["el mapeo de Bravyi-Kitaev"]},
}  # fmt: skip
MAPPING_LEAD = {"en": {"train": ["with ", "using "], "novel": ["via "]},
                "es": {"train": ["con ", "usando "], "novel": ["mediante "]}}  # fmt: skip
OPTIMIZER = {
    "en": {"train": ["with {opt}", "using the {opt} optimizer", "with the {opt} optimiser"],
           "novel": ["with the {opt} minimizer"]},
    "es": {"train": ["con {opt}", "con el optimizador {opt}", "usando el optimizador {opt}"],
           "novel": ["mediante el optimizador {opt}"]},
}  # fmt: skip
# (formula, charge, spin) states that are not the neutral singlet, and how to say them
CHARGED = [("H2", 1, 1), ("H2O", 0, 2), ("NH3", 0, 2)]
CHARGE_TEXT = {
    "en": ["with charge +1", "with a charge of 1"],
    "es": ["con carga +1", "con carga 1"],
}
SPIN_TEXT = {
    "en": {1: ["as a doublet", "with multiplicity 2"], 2: ["as a triplet", "with multiplicity 3"]},
    "es": {1: ["como doblete", "con multiplicidad 2"], 2: ["como triplete", "con multiplicidad 3"]},
}  # fmt: skip
WHERE = {
    "en": {"backend": ["on fake_{dev}", "on the simulator"], "shots": ["with {s} shots", "using {s} shots"]},
    "es": {"backend": ["en fake_{dev}", "en el simulador"], "shots": ["con {s} disparos", "usando {s} disparos"]},
}  # fmt: skip


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


def _length(rng: random.Random, low: float, high: float) -> float:
    return round(rng.uniform(low, high), rng.choice([1, 2, 2, 3]))


def _num(value: float) -> str:
    return f"{value:g}"


def _molecule_text(formula: str, lang: str, rng: random.Random) -> str:
    if rng.random() < 0.3:
        return rng.choice(NAMES[lang][formula])
    return formula


def _join_options(parts: list[str], lang: str, rng: random.Random) -> str:
    """Options in the order drawn, joined as people list them ("..., ... and ...")."""
    if not parts:
        return ""
    and_ = " and " if lang == "en" else " y "
    style = rng.random()
    if len(parts) == 1:
        return " " + parts[0]
    if style < 0.5:
        return " " + ", ".join(parts[:-1]) + and_ + parts[-1]
    if style < 0.8:
        return " " + ", ".join(parts)
    return " " + " ".join(parts)


def vqe_example(lang: str, fam: str, rng: random.Random) -> Example:
    """A ground-state energy (or a dissociation curve) by VQE, and its reading."""
    novel = fam == "novel"
    formula = rng.choice(MOLECULES)
    entry = builtin(formula)
    scan = rng.random() < 0.3
    options: list[str] = []
    fields: dict[str, Any] = {"formula": formula}
    if scan:
        a = _length(rng, 0.3, 1.0)
        b = _length(rng, 1.5, 3.5 if novel else 3.0)
        rng_text = rng.choice(RANGE[lang][fam]).format(a=_num(a), b=_num(b))
        points = None
        if rng.random() < 0.8:
            points = rng.randint(21, 30) if novel else rng.randint(3, 20)
            rng_text += " " + rng.choice(POINTS[lang][fam]).format(n=points)
        fields["scan"] = Scan(a, b, 10 if points is None else points)
        what = rng.choice(CURVE_NOUNS[lang][fam])
        options.append(rng_text)
    else:
        what = rng.choice(ENERGY_NOUNS[lang][fam])
        roll = rng.random()
        if roll < 0.55:
            d = _length(rng, 0.4, 3.0) if not novel else _length(rng, 3.0, 4.5)
            fields["bond_length"] = d
            options.append(rng.choice(BOND[lang][fam]).format(d=_num(d)))
        elif roll < 0.7:
            options.append(rng.choice(EQUILIBRIUM[lang][fam]))
    extra: list[str] = []
    # basis
    if rng.random() < 0.35:
        basis = rng.choice(SMALL_BASES.get(formula, BASES))
        fields["basis"] = basis
        extra.append(rng.choice(BASIS[lang][fam]).format(b=rng.choice(BASIS_TEXT[basis])))
    # charge and spin
    charged = [c for c in CHARGED if c[0] == formula]
    if charged and rng.random() < 0.25:
        _, charge, spin = charged[0]
        if charge:
            fields["charge"] = charge
            extra.append(rng.choice(CHARGE_TEXT[lang]))
        fields["spin"] = spin
        extra.append(rng.choice(SPIN_TEXT[lang][spin]))
    # electrons: an active space, a frozen core, or all electrons
    roll = rng.random()
    if roll < 0.3:
        e, o = rng.choice(ACTIVE_SPACES[formula])
        if e >= fields.get("spin", 0) and (e - fields.get("spin", 0)) % 2 == 0:
            fields["active_space"] = ActiveSpace(e, o)
            extra.append(rng.choice(ACTIVE[lang][fam]).format(e=e, o=o))
    elif roll < 0.4 and formula in ("LiH", "BeH2", "H2O") and "spin" not in fields:
        fields["frozen_core"] = True
        extra.append(rng.choice(FROZEN[lang][fam]))
    elif (
        roll < 0.47
        and formula in ("LiH", "BeH2")
        and ALL_ELECTRONS[lang][fam]
        and "basis" not in fields
    ):
        fields["frozen_core"] = False
        extra.append(rng.choice(ALL_ELECTRONS[lang][fam]))
    # ansatz
    roll = rng.random()
    if roll < 0.15:
        fields["ansatz"] = "uccsd"
        extra.append(rng.choice(UCCSD[lang][fam]))
    elif roll < 0.35:
        fields["ansatz"] = "hardware-efficient"
        text = rng.choice(HEA[lang][fam])
        if rng.random() < 0.6:
            fields["layers"] = rng.randint(6, 8) if novel else rng.randint(1, 5)
            text += rng.choice(LAYERS[lang][fam]).format(k=fields["layers"])
        extra.append(text)
    if rng.random() < 0.25:
        fields["mapping"] = rng.choice(MAPPINGS)
        extra.append(
            rng.choice(MAPPING_LEAD[lang][fam]) + rng.choice(MAPPING_TEXT[lang][fields["mapping"]])
        )
    if rng.random() < 0.3:
        fields["optimizer"] = rng.choice(OPTIMIZERS)
        extra.append(rng.choice(OPTIMIZER[lang][fam]).format(opt=fields["optimizer"]))
    if rng.random() < 0.15:
        if rng.random() < 0.6:
            dev = rng.choice(FAKE_DEVICES[fam])
            phrase = rng.choice(WHERE[lang]["backend"])
            fields["backend"] = "simulator" if "fake_" not in phrase else f"fake_{dev}"
            extra.append(phrase.format(dev=dev))
        if rng.random() < 0.7 or "backend" not in fields:
            fields["shots"] = rng.choice(SHOTS[fam])
            extra.append(rng.choice(WHERE[lang]["shots"]).format(s=fields["shots"]))
    rng.shuffle(extra)
    opts = _join_options(options + extra, lang, rng)
    how = rng.choice(HOW[lang][fam])
    mol = _molecule_text(formula, lang, rng)
    what = what.format(mol=mol)
    frame = rng.choice(VQE_FRAMES[lang][fam])
    if "VQE," in frame or "use VQE" in frame:
        how = ""
    verb_imp, verb_inf = rng.choice(VQE_VERBS[lang][fam])
    text = frame.format(
        Verb=_cap(verb_imp), verb=verb_imp, verb_inf=verb_inf, what=what, What=_cap(what),
        opts=opts, how=how,
    )  # fmt: skip
    text = finish(text, lang, fam, rng, typo_rate=0.15)
    spec = vqe_spec(entry.formula, fields)
    frame_id = f"{lang}:{fam}:vqe{VQE_FRAMES[lang][fam].index(frame)}"
    return Example("chemistry", lang, fam, frame_id, text, Plan([ChemistryCall(spec.reading)]))


def vqe_spec(formula: str, f: dict[str, Any]) -> ChemistrySpec:
    """The spec a VQE request with these values asks for, the defaults filled in as BioQL
    documents them: equilibrium bond length, 10 points per curve, STO-3G, UCCSD, parity mapping,
    the frozen core of a molecule with one, and the small built-in active space of BeH2, H2O,
    NH3 and N2 when neither an active space nor the core is stated."""
    entry = builtin(formula)
    has_core = formula != "H2"
    active = f.get("active_space")
    if active is None and "frozen_core" not in f and entry.default_active_space:
        active = ActiveSpace(*entry.default_active_space)
    frozen = False if active is not None else f.get("frozen_core", True) and has_core
    scan = f.get("scan")
    return ChemistrySpec(
        formula=formula,
        bond_length=None if scan else f.get("bond_length", entry.equilibrium),
        scan=scan,
        active_space=active,
        frozen_core=frozen,
        **stated(f),
    )


# ---------------------------------------------------------------- VQE requests to refuse
# (kind, the reason the language must give: a regular expression on its sentence)

UNKNOWN_FORMULAS = {"train": ["CH4", "HCl", "CO2", "C2H6", "NaCl", "H2S"], "novel": ["SO2", "C6H6"]}
UNKNOWN_NAMES = {
    "en": {"train": ["benzene", "methane", "ethanol", "glucose", "ozone"], "novel": ["toluene", "acetone"]},
    "es": {"train": ["benceno", "metano", "etanol", "glucosa", "ozono"], "novel": ["tolueno", "acetona"]},
}  # fmt: skip
IMPOSSIBLE_SPACES = [("H2", 4, 4, "only 2 electrons"), ("LiH", 4, 1, "hold at most"),
                     ("H2O", 3, 4, "in pairs"), ("N2", 10, 10, "at most 16")]  # fmt: skip


def vqe_refusal(lang: str, fam: str, rng: random.Random) -> Example:
    """A VQE request the language must refuse, with the reason it must give."""
    kind = rng.choice(
        ["unknown_formula", "unknown_name", "negative_bond", "long_bond", "active_space",
         "spin", "layers", "curve_range", "points"]
    )  # fmt: skip
    formula = rng.choice(MOLECULES)
    mol = _molecule_text(formula, lang, rng)
    what = rng.choice(ENERGY_NOUNS[lang][fam])
    option = ""
    if kind == "unknown_formula":
        mol = rng.choice(UNKNOWN_FORMULAS[fam])
        why = rf"no built-in molecule '{mol}'"
    elif kind == "unknown_name":
        mol = rng.choice(UNKNOWN_NAMES[lang][fam])
        why = rf"'{mol}'"
    elif kind == "negative_bond":
        d = _length(rng, 0.3, 2.5)
        option = rng.choice(BOND[lang][fam]).format(d=f"-{_num(d)}")
        why = "positive distance"
    elif kind == "long_bond":
        d = rng.randint(11, 99)
        option = rng.choice(BOND[lang][fam]).format(d=d)
        why = "outside what BioQL computes"
    elif kind == "active_space":
        formula, e, o, why = rng.choice(IMPOSSIBLE_SPACES)
        mol = _molecule_text(formula, lang, rng)
        option = rng.choice(ACTIVE[lang][fam]).format(e=e, o=o)
    elif kind == "spin":
        formula = rng.choice(["H2", "H2O", "NH3", "N2"])
        mol = _molecule_text(formula, lang, rng)
        option = rng.choice(SPIN_TEXT[lang][1])
        why = "cannot have 1 unpaired"
    elif kind == "layers":
        option = rng.choice(LAYERS[lang][fam]).format(k=rng.randint(2, 5)).strip()
        why = "hardware-efficient"
    elif kind == "curve_range":
        what = rng.choice(CURVE_NOUNS[lang][fam])
        why = "needs a range"
    else:
        what = rng.choice(CURVE_NOUNS[lang][fam])
        a, b = _length(rng, 0.3, 1.0), _length(rng, 1.5, 3.0)
        n = rng.randint(60, 500)
        option = (
            rng.choice(RANGE[lang][fam]).format(a=_num(a), b=_num(b))
            + " "
            + rng.choice(POINTS[lang][fam]).format(n=n)
        )
        why = "2 to 50 points"
    frame = rng.choice(VQE_FRAMES[lang][fam])
    verb_imp, verb_inf = rng.choice(VQE_VERBS[lang][fam])
    what = what.format(mol=mol)
    how = "" if "VQE," in frame or "use VQE" in frame else rng.choice(HOW[lang][fam])
    text = frame.format(
        Verb=_cap(verb_imp), verb=verb_imp, verb_inf=verb_inf, what=what, What=_cap(what),
        opts=(" " + option) if option else "", how=how,
    )  # fmt: skip
    text = finish(text, lang, fam, rng, typo_rate=0.0, keep_case=True)
    frame_id = f"{lang}:{fam}:vqe{VQE_FRAMES[lang][fam].index(frame)}:refuse:{kind}"
    return Example("chemistry", lang, fam, frame_id, text, None, refuse_because=why)


# ---------------------------------------------------------------- MaxCut by QAOA

MAXCUT_FRAMES = {
    "en": {"train": ["Solve MaxCut on {graph}{opts}", "Find the maximum cut of {graph}{opts}",
                     "Compute the max cut of {graph}{opts}", "Run QAOA for MaxCut on {graph}{opts}",
                     "MaxCut of {graph}{opts}", "Use QAOA to solve MaxCut on {graph}{opts}",
                     "What is the maximum cut of {graph}{opts}?", "I need the MaxCut of {graph}{opts}"],
           "novel": ["Could you solve the MaxCut problem on {graph}{opts}?", "Determine the max-cut of {graph}{opts}",
                     "Please use QAOA to find the maximum cut of {graph}{opts}"]},
    "es": {"train": ["Resuelve MaxCut en {graph}{opts}", "Encuentra el corte máximo de {graph}{opts}",
                     "Calcula el corte máximo de {graph}{opts}", "Ejecuta QAOA para el corte máximo de {graph}{opts}",
                     "Corte máximo de {graph}{opts}", "Dame el MaxCut de {graph}{opts}"],
           "novel": ["Usando QAOA, resuelve el problema de corte máximo de {graph}{opts}",
                     "Determina el máximo corte de {graph}{opts}"]},
}  # fmt: skip
FAMILY_TEXT = {
    "en": {"train": {"ring": ["a {n}-node ring", "a ring of {n} nodes", "a cycle with {n} vertices", "a {n}-node cycle"],
                     "path": ["a path of {n} nodes", "a {n}-node chain", "a line of {n} nodes"],
                     "star": ["a star with {n} nodes", "a {n}-node star"],
                     "complete": ["a complete graph of {n} nodes", "the complete graph on {n} vertices"]},
           "novel": {"ring": ["a ring graph with {n} vertices"], "path": ["a chain graph of {n} vertices"],
                     "star": ["a star graph of {n} vertices"], "complete": ["a {n}-vertex complete graph"]}},
    "es": {"train": {"ring": ["un anillo de {n} nodos", "un ciclo de {n} vértices", "un anillo con {n} nodos"],
                     "path": ["un camino de {n} nodos", "una cadena de {n} nodos"],
                     "star": ["una estrella de {n} nodos"],
                     "complete": ["un grafo completo de {n} nodos", "el grafo completo de {n} vértices"]},
           "novel": {"ring": ["un grafo en anillo de {n} vértices"], "path": ["una línea de {n} vértices"],
                     "star": ["un grafo en estrella con {n} vértices"], "complete": ["un grafo completo con {n} vértices"]}},
}  # fmt: skip
EDGES_LEAD = {
    "en": {"train": ["the edges {e}", "the graph with edges {e}", "the graph with the edges {e}"],
           "novel": ["a graph on the edges {e}"]},
    "es": {"train": ["las aristas {e}", "el grafo con aristas {e}", "el grafo de aristas {e}"],
           "novel": ["un grafo con las aristas {e}"]},
}  # fmt: skip
# MaxCut frames take "on {graph}"; an edge list reads "for the edges ..." as well
EDGES_FOR = {"en": "for ", "es": "para "}
NODES_LEAD = {"en": "{n} nodes with ", "es": "{n} nodos con "}
DEPTH = {
    "en": {"train": [" with QAOA of depth {p}", " with depth {p}", " with p={p}", " with {p} layers", ", depth {p}"],
           "novel": [" at QAOA depth {p}", " using p = {p}"]},
    "es": {"train": [" con QAOA de profundidad {p}", " con profundidad {p}", " con p={p}", " con {p} capas"],
           "novel": [" a profundidad {p}"]},
}  # fmt: skip
QAOA = {"en": {"train": [" with QAOA", " using QAOA"], "novel": [" via QAOA"]},
        "es": {"train": [" con QAOA", " usando QAOA"], "novel": [" mediante QAOA"]}}  # fmt: skip
# (not "con el optimizador COBYLA": the MaxCut reader takes the word "optimizer" only after the name)
MAXCUT_OPTIMIZER = {
    "en": [" and the {opt} optimizer", " with {opt}"],
    "es": [" con {opt}", " y {opt}"],
}


def _edge_text(u: int, v: int, w: float, lang: str, style: str) -> str:
    if w == 1:
        return f"({u}, {v})" if style == "tuple" else f"{u}-{v}"
    if style == "tuple":
        return f"({u}, {v}, {_num(w)})"
    if style == "colon":
        return f"{u}-{v}:{_num(w)}"
    if style == "paren":
        return f"{u}-{v} (weight {_num(w)})" if lang == "en" else f"{u}-{v} (peso {_num(w)})"
    return f"{u}-{v} with weight {_num(w)}" if lang == "en" else f"{u}-{v} con peso {_num(w)}"


def _random_graph(n: int, rng: random.Random) -> list[tuple[int, int]]:
    """A connected graph on ``n`` nodes: a random spanning tree plus a few more edges."""
    nodes = list(range(n))
    rng.shuffle(nodes)
    edges = {tuple(sorted((nodes[i], nodes[rng.randrange(i)]))) for i in range(1, n)}
    others = [(u, v) for u in range(n) for v in range(u + 1, n) if (u, v) not in edges]
    edges |= set(rng.sample(others, min(len(others), rng.randint(0, n))))
    out = sorted(edges)  # type: ignore[arg-type]
    rng.shuffle(out)
    return [(u, v) if rng.random() < 0.7 else (v, u) for u, v in out]


def _edge_list_text(edges: list[tuple[int, int, float]], lang: str, rng: random.Random) -> str:
    weighted = any(w != 1 for _, _, w in edges)
    style = rng.choice(
        ["colon", "paren", "with", "tuple"] if weighted else ["dash", "dash", "tuple"]
    )
    texts = [_edge_text(u, v, w, lang, style) for u, v, w in edges]
    if style == "with" or rng.random() < 0.5:  # "with weight 2, 1-2" needs no "and" ambiguity
        return ", ".join(texts)
    return ", ".join(texts[:-1]) + (" and " if lang == "en" else " y ") + texts[-1]


def _spanish_del(text: str, lang: str) -> str:
    """ "el corte máximo de el grafo" is written "del grafo"."""
    return text.replace(" de el ", " del ") if lang == "es" else text


def maxcut_example(lang: str, fam: str, rng: random.Random) -> Example:
    novel = fam == "novel"
    frame = rng.choice(MAXCUT_FRAMES[lang][fam])
    frame_id = f"{lang}:{fam}:maxcut{MAXCUT_FRAMES[lang][fam].index(frame)}"
    fields: dict[str, Any] = {}
    if rng.random() < 0.5:
        family = rng.choice(["ring", "ring", "path", "star", "complete"])
        top = 6 if family == "complete" else 8
        n = rng.randint(9, 12) if novel else rng.randint(3, top)
        graph = rng.choice(FAMILY_TEXT[lang][fam][family]).format(n=n)
        fields.update(nodes=n, edges=family_edges(family, n), family=family)
    else:
        n = rng.randint(7, 8) if novel else rng.randint(3, 6)
        pairs = _random_graph(n, rng)
        weighted = rng.random() < 0.35
        weights = [1.0, 2.0, 0.5, 1.5, 3.0, 2.5] if weighted else [1.0]
        edges = [(u, v, rng.choice(weights)) for u, v in pairs]
        if weighted and all(w == 1 for _, _, w in edges):
            u, v, _ = edges[0]
            edges[0] = (u, v, 2.0)
        listed = _edge_list_text(edges, lang, rng)
        graph = rng.choice(EDGES_LEAD[lang][fam]).format(e=listed)
        nodes = n
        if rng.random() < 0.15:
            nodes = n + 1  # an isolated node, said with the node count
            graph = NODES_LEAD[lang].format(n=nodes) + graph
        elif rng.random() < 0.5:
            frame = frame.replace(" on {graph}", " " + EDGES_FOR[lang] + "{graph}")
            frame = frame.replace(" en {graph}", " " + EDGES_FOR[lang] + "{graph}")
        fields.update(
            nodes=nodes,
            edges=tuple(sorted((min(u, v), max(u, v), w) for u, v, w in edges)),
            family=None,
        )
    extra: list[str] = []
    depth_said = rng.random() < 0.6
    if depth_said:
        fields["depth"] = rng.randint(1, 5)
        extra.append(rng.choice(DEPTH[lang][fam]).format(p=fields["depth"]))
    if "QAOA" not in frame and (not extra or "QAOA" not in extra[0]) and rng.random() < 0.6:
        extra.insert(0, rng.choice(QAOA[lang][fam]))
    if rng.random() < 0.2:
        fields["optimizer"] = rng.choice(OPTIMIZERS)
        extra.append(rng.choice(MAXCUT_OPTIMIZER[lang]).format(opt=fields["optimizer"]))
    if rng.random() < 0.15:
        fields["shots"] = rng.choice(SHOTS[fam])
        extra.append(" " + rng.choice(WHERE[lang]["shots"]).format(s=fields["shots"]))
    text = _spanish_del(frame.format(graph=graph, opts="".join(extra)), lang)
    text = finish(text, lang, fam, rng, typo_rate=0.1)
    spec = MaxCutSpec(
        nodes=fields["nodes"],
        edges=fields["edges"],
        family=fields["family"],
        depth=fields.get("depth", 1),
        optimizer=fields.get("optimizer"),
        shots=fields.get("shots"),
    )
    return Example("maxcut", lang, fam, frame_id, text, Plan([ChemistryCall(spec.reading)]))


def maxcut_refusal(lang: str, fam: str, rng: random.Random) -> Example:
    """A MaxCut request the language must refuse, with the reason it must give."""
    kind = rng.choice(["self_loop", "twice", "too_many", "no_size", "depth", "zero_weight",
                       "beyond", "no_graph"])  # fmt: skip
    frame = rng.choice(MAXCUT_FRAMES[lang][fam])
    opts = ""
    n = rng.randint(3, 6)
    pairs = [(min(u, v), max(u, v)) for u, v in _random_graph(n, rng)]
    edges: list[tuple[int, int, float]] = [(u, v, 1.0) for u, v in pairs]
    graph = ""
    if kind == "self_loop":
        k = rng.randrange(n)
        edges.insert(rng.randrange(len(edges) + 1), (k, k, 1.0))
        why = "joins a node to itself"
    elif kind == "twice":
        u, v, w = rng.choice(edges)
        edges.insert(rng.randrange(len(edges) + 1), (v, u, w))
        why = "listed twice"
    elif kind == "zero_weight":
        i = rng.randrange(len(edges))
        edges[i] = (edges[i][0], edges[i][1], 0.0)
        graph = rng.choice(EDGES_LEAD[lang][fam]).format(
            e=", ".join(f"{u}-{v}:{_num(w)}" if w != 1 else f"{u}-{v}" for u, v, w in edges)
        )
        why = "nonzero"
    elif kind == "beyond":
        graph = NODES_LEAD[lang].format(n=n) + rng.choice(EDGES_LEAD[lang][fam]).format(
            e=_edge_list_text([*edges, (0, n + rng.randint(0, 3), 1.0)], lang, rng)
        )
        why = "beyond the"
    elif kind in ("too_many", "no_size"):
        family = rng.choice(["ring", "path", "star", "complete"])
        text = rng.choice(FAMILY_TEXT[lang][fam][family])
        if kind == "too_many":
            graph = text.format(n=rng.randint(17, 60))
            why = "2 to 16 nodes"
        else:
            graph = {"a {n}-node ring": "a ring", "a {n}-node chain": "a chain",
                     "a {n}-node star": "a star", "a {n}-node cycle": "a cycle"}.get(text, "")  # fmt: skip
            if not graph:
                graph = {"en": "a ring", "es": "un anillo"}[lang]
            why = "how many nodes"
    elif kind == "depth":
        graph = rng.choice(FAMILY_TEXT[lang][fam]["ring"]).format(n=rng.randint(3, 8))
        opts = rng.choice(DEPTH[lang][fam]).format(p=rng.randint(11, 40))
        why = "depth is 1 to"
    else:
        frame = {"en": "Solve MaxCut with QAOA{opts}", "es": "Resuelve MaxCut con QAOA{opts}"}[lang]
        why = "gives no graph"
    if not graph and kind != "no_graph":
        graph = rng.choice(EDGES_LEAD[lang][fam]).format(
            e=", ".join(f"{u}-{v}" for u, v, _ in edges)
        )
    text = frame.format(graph=graph, opts=opts) if "{graph}" in frame else frame.format(opts=opts)
    text = _spanish_del(text, lang)
    text = finish(text, lang, fam, rng, typo_rate=0.0, keep_case=True)
    return Example("maxcut", lang, fam, f"{lang}:{fam}:maxcut:refuse:{kind}", text, None,
                   refuse_because=why)  # fmt: skip


def chemistry_example(lang: str, fam: str, rng: random.Random) -> Example:
    return vqe_refusal(lang, fam, rng) if rng.random() < 0.15 else vqe_example(lang, fam, rng)


def maxcut_category_example(lang: str, fam: str, rng: random.Random) -> Example:
    return maxcut_refusal(lang, fam, rng) if rng.random() < 0.15 else maxcut_example(lang, fam, rng)


__all__ = ["chemistry_example", "maxcut_category_example", "vqe_spec"]
