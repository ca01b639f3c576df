"""A composable grammar of requests, in English and Spanish.

A request is assembled from independent parts, each drawn at random: a *frame* (the sentence
shape: imperative, question, "write code that ...", noun phrase only, two sentences ...), a
*verb* for the construct's class, a *noun phrase* naming the construct, an *execution
phrase* (backend and shots, in either order, or as a second sentence), politeness, number
rendering (numerals, words, separators) and typos. Every part has a ``novel`` share that is
never used for training: ``test_novel`` examples are written only with novel frames and
verbs, so the evaluation measures wording the model has not seen.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

# ---------------------------------------------------------------- frames
# Slots: {imp} imperative clause, {third} 3rd-person clause ("creates ..."), {noun} noun
# phrase, {inf} infinitive (es), {subj} subjunctive (es), {exec} execution phrase (may be
# empty), {sent} execution as its own sentence (may be empty).

FRAMES: dict[str, dict[str, list[str]]] = {
    "en": {
        "train": [
            "{imp}{exec}",
            "{exec_lead}{imp}",
            "Write BioQL code that {third}{exec}",
            "I need a program to {imp}{exec}",
            "Can you {imp}{exec}?",
            "How do I {imp}{exec} with BioQL?",
            "{noun}{exec}",
            "Generate a quantum program that {third}{exec}",
            "Show me how to {imp}{exec}",
            "{imp}.{sent}",
            "Give me BioQL code to {imp}{exec}",
            "I want to {imp}{exec}",
        ],
        "novel": [
            "Could you put together a snippet which {third}{exec}?",
            "My goal is to {imp}{exec}. What's the code?",
            "Using BioQL, {imp}{exec}",
            "Need: {noun}{exec}",
            "Help me {imp}{exec}",
            "Is it possible to {imp}{exec}?",
        ],
    },
    "es": {
        "train": [
            "{imp}{exec}",
            "{exec_lead}{imp}",
            "Escribe código BioQL que {subj}{exec}",
            "Necesito un programa para {inf}{exec}",
            "¿Puedes {inf}{exec}?",
            "¿Cómo puedo {inf}{exec} con BioQL?",
            "{noun}{exec}",
            "Genera un programa cuántico que {subj}{exec}",
            "Muéstrame cómo {inf}{exec}",
            "{imp}.{sent}",
            "Dame código BioQL para {inf}{exec}",
            "Quiero {inf}{exec}",
        ],
        "novel": [
            "¿Me ayudas con un script que {subj}{exec}?",
            "Mi objetivo es {inf}{exec}. ¿Cuál es el código?",
            "Usando BioQL, {imp}{exec}",
            "Hace falta: {noun}{exec}",
            "Ayúdame a {inf}{exec}",
            "¿Se puede {inf}{exec}?",
        ],
    },
}

# ---------------------------------------------------------------- verbs
# en: (imperative, third person); es: (imperative, infinitive, subjunctive)

VERBS: dict[str, dict[str, dict[str, list[tuple[str, ...]]]]] = {
    "en": {
        "state": {
            "train": [("create", "creates"), ("prepare", "prepares"), ("make", "makes"),
                      ("build", "builds"), ("generate", "generates"), ("produce", "produces")],
            "novel": [("construct", "constructs"), ("assemble", "assembles")],
        },
        "algo": {
            "train": [("run", "runs"), ("execute", "executes"), ("perform", "performs"),
                      ("implement", "implements"), ("simulate", "simulates")],
            "novel": [("carry out", "carries out"), ("launch", "launches"), ("do", "does")],
        },
        "transform": {
            "train": [("apply", "applies"), ("run", "runs"), ("perform", "performs"),
                      ("compute", "computes")],
            "novel": [("carry out", "carries out"), ("do", "does")],
        },
    },
    "es": {
        "state": {
            "train": [("crea", "crear", "cree"), ("prepara", "preparar", "prepare"),
                      ("genera", "generar", "genere"), ("construye", "construir", "construya"),
                      ("produce", "producir", "produzca")],
            "novel": [("arma", "armar", "arme"), ("monta", "montar", "monte")],
        },
        "algo": {
            "train": [("ejecuta", "ejecutar", "ejecute"), ("corre", "correr", "corra"),
                      ("realiza", "realizar", "realice"), ("implementa", "implementar", "implemente"),
                      ("simula", "simular", "simule")],
            "novel": [("haz", "hacer", "haga"), ("lleva a cabo", "llevar a cabo", "lleve a cabo")],
        },
        "transform": {
            "train": [("aplica", "aplicar", "aplique"), ("ejecuta", "ejecutar", "ejecute"),
                      ("calcula", "calcular", "calcule")],
            "novel": [("lleva a cabo", "llevar a cabo", "lleve a cabo"), ("haz", "hacer", "haga")],
        },
    },
}  # fmt: skip

# ---------------------------------------------------------------- noun phrases per construct
# (verb class, {lang: {family: [templates]}}); placeholders: {n} {bits} {marked} {secret}
# {oracle_en} {oracle_es} {phase} {k} {state} {variant_en} {variant_es}

NOUNS: dict[str, tuple[str, dict[str, dict[str, list[str]]]]] = {
    "bell": ("state", {
        "en": {"train": ["a Bell state", "a Bell pair", "an EPR pair", "a maximally entangled pair of qubits"],
               "novel": ["an entangled two-qubit Bell pair", "a pair of Bell-entangled qubits"]},
        "es": {"train": ["un estado de Bell", "un par de Bell", "un par EPR", "un par de qubits máximamente entrelazados"],
               "novel": ["un par entrelazado de Bell", "dos qubits en un estado de Bell"]},
    }),
    "bell_variant": ("state", {
        "en": {"train": ["the Bell state {variant_en}", "the {variant_en} Bell state"],
               "novel": ["a Bell pair in the {variant_en} state"]},
        "es": {"train": ["el estado de Bell {variant_es}", "el estado {variant_es} de Bell"],
               "novel": ["un par de Bell en el estado {variant_es}"]},
    }),
    "ghz": ("state", {
        "en": {"train": ["a {n}-qubit GHZ state", "a GHZ state on {n} qubits", "a {n}-qubit cat state",
                         "a GHZ state with {n} qubits", "a Greenberger-Horne-Zeilinger state on {n} qubits"],
               "novel": ["a GHZ state across {n} qubits", "an entangled GHZ register of {n} qubits"]},
        "es": {"train": ["un estado GHZ de {n} qubits", "un estado GHZ con {n} cúbits", "un estado gato de {n} qubits",
                         "un estado de Greenberger-Horne-Zeilinger de {n} qubits"],
               "novel": ["un estado GHZ sobre {n} qubits", "un GHZ de {n} qubits"]},
    }),
    "w": ("state", {
        "en": {"train": ["a {n}-qubit W state", "a W state on {n} qubits"],
               "novel": ["a W state across {n} qubits"]},
        "es": {"train": ["un estado W de {n} qubits", "un estado W con {n} cúbits"],
               "novel": ["un estado W sobre {n} qubits"]},
    }),
    "superposition": ("state", {
        "en": {"train": ["a uniform superposition on {n} qubits", "an equal superposition of {n} qubits",
                         "a {n}-qubit uniform superposition"],
               "novel": ["a superposition of all basis states on {n} qubits", "an equal superposition across {n} qubits"]},
        "es": {"train": ["una superposición uniforme de {n} qubits", "una superposición igual en {n} cúbits"],
               "novel": ["una superposición equiprobable sobre {n} qubits"]},
    }),
    "basis": ("state", {
        "en": {"train": ["the basis state |{bits}>", "the computational basis state |{bits}>"],
               "novel": ["the bitstring state |{bits}>"]},
        "es": {"train": ["el estado base |{bits}>", "el estado de la base computacional |{bits}>"],
               "novel": ["el estado |{bits}> de la base"]},
    }),
    "single": ("state", {
        "en": {"train": ["the state |{state}>", "a qubit in the |{state}> state"],
               "novel": ["a single qubit in |{state}>"]},
        "es": {"train": ["el estado |{state}>", "un qubit en el estado |{state}>"],
               "novel": ["un qubit en |{state}>"]},
    }),
    "qft": ("transform", {
        "en": {"train": ["the QFT on {n} qubits", "a quantum Fourier transform on {n} qubits", "a {n}-qubit QFT"],
               "novel": ["the Fourier transform on a register of {n} qubits"]},
        "es": {"train": ["la QFT sobre {n} qubits", "la transformada cuántica de Fourier en {n} qubits",
                         "una QFT de {n} cúbits"],
               "novel": ["la transformada de Fourier cuántica en un registro de {n} qubits"]},
    }),
    "qft_bits": ("transform", {
        "en": {"train": ["the QFT of the basis state |{bits}>", "a quantum Fourier transform on |{bits}>"],
               "novel": ["the Fourier transform of the input |{bits}>"]},
        "es": {"train": ["la QFT del estado base |{bits}>", "la transformada cuántica de Fourier sobre |{bits}>"],
               "novel": ["la transformada de Fourier de la entrada |{bits}>"]},
    }),
    "iqft": ("transform", {
        "en": {"train": ["the inverse QFT on {n} qubits", "an inverse quantum Fourier transform on {n} qubits"],
               "novel": ["the inverse Fourier transform over {n} qubits"]},
        "es": {"train": ["la QFT inversa sobre {n} qubits", "la transformada cuántica de Fourier inversa en {n} qubits"],
               "novel": ["la inversa de la transformada de Fourier en {n} qubits"]},
    }),
    "grover": ("algo", {
        "en": {"train": ["Grover search for {marked}", "Grover's algorithm to find {marked}",
                         "a Grover search with marked state {marked}", "amplitude amplification for {marked}"],
               "novel": ["a Grover search that finds {marked}", "Grover's search marking {marked}"]},
        "es": {"train": ["una búsqueda de Grover de {marked}", "el algoritmo de Grover para encontrar {marked}",
                         "Grover buscando {marked}", "amplificación de amplitud para {marked}"],
               "novel": ["una búsqueda de Grover que encuentre {marked}"]},
    }),
    "bv": ("algo", {
        "en": {"train": ["Bernstein-Vazirani with secret {secret}", "the Bernstein-Vazirani algorithm for the hidden string {secret}",
                         "BV with secret string {secret}"],
               "novel": ["Bernstein Vazirani with hidden bits {secret}", "Bernstein-Vazirani on the secret {secret}"]},
        "es": {"train": ["Bernstein-Vazirani con secreto {secret}", "el algoritmo de Bernstein-Vazirani con la cadena oculta {secret}"],
               "novel": ["Bernstein Vazirani que recupere la cadena {secret}"]},
    }),
    "dj": ("algo", {
        "en": {"train": ["Deutsch-Jozsa with a {oracle_en} oracle on {n} qubits",
                         "the Deutsch-Jozsa algorithm on {n} qubits with a {oracle_en} function"],
               "novel": ["Deutsch Jozsa on a {oracle_en} oracle using {n} qubits"]},
        "es": {"train": ["Deutsch-Jozsa con un oráculo {oracle_es} de {n} qubits",
                         "el algoritmo de Deutsch-Jozsa en {n} qubits con una función {oracle_es}"],
               "novel": ["Deutsch-Jozsa con {n} qubits y un oráculo {oracle_es}"]},
    }),
    "qpe": ("algo", {
        "en": {"train": ["phase estimation of phase {phase} with {k} counting qubits",
                         "QPE for the phase {phase} using {k} counting qubits"],
               "novel": ["quantum phase estimation of {phase} with {k} bits of precision"]},
        "es": {"train": ["la estimación de fase de {phase} con {k} qubits de conteo",
                         "QPE de la fase {phase} con {k} qubits de conteo"],
               "novel": ["la estimación cuántica de la fase {phase} con {k} bits de precisión"]},
    }),
    "teleport": ("algo", {
        "en": {"train": ["quantum teleportation of the state |{state}>", "a teleportation of |{state}>"],
               "novel": ["the teleportation protocol for |{state}>", "a teleportation circuit for |{state}>"]},
        "es": {"train": ["la teleportación cuántica del estado |{state}>", "una teleportación de |{state}>"],
               "novel": ["el protocolo de teletransporte que envía |{state}>"]},
    }),
}  # fmt: skip

VARIANTS = {
    "phi+": ("Φ+", "phi plus"),
    "phi-": ("Φ-", "phi minus"),
    "psi+": ("Ψ+", "psi plus"),
    "psi-": ("Ψ-", "psi minus"),
}
VARIANTS_ES = {
    "phi+": ("Φ+", "phi más"),
    "phi-": ("Φ-", "phi menos"),
    "psi+": ("Ψ+", "psi más"),
    "psi-": ("Ψ-", "psi menos"),
}

# ---------------------------------------------------------------- execution phrases

BACKEND_PHRASES: dict[str, dict[str, dict[str, list[str]]]] = {
    "simulator": {
        "en": {"train": ["on the simulator", "using the local simulator", "on the Aer simulator", "on an ideal simulator"],
               "novel": ["on Aer", "locally"]},
        "es": {"train": ["en el simulador", "usando el simulador local", "en un simulador ideal"], "novel": ["en local"]},
    },
    "statevector": {
        "en": {"train": ["on the statevector backend", "with exact probabilities", "on the statevector simulator",
                         "on a state vector simulator"],
               "novel": ["with exact amplitudes"]},
        "es": {"train": ["en el backend statevector", "con probabilidades exactas", "en el simulador de vector de estado",
                         "con el vector de estado"],
               "novel": ["con amplitudes exactas"]},
    },
    "fake": {
        "en": {"train": ["on fake_{dev}", "with IBM {Dev}'s noise model", "on a noisy simulation of IBM {Dev}"],
               "novel": ["on the {Dev} noisy simulator", "with noise from IBM {Dev}"]},
        "es": {"train": ["en fake_{dev}", "con el modelo de ruido de IBM {Dev}", "en una simulación ruidosa de IBM {Dev}"],
               "novel": ["en el simulador ruidoso de {Dev}"]},
    },
    "ibm": {
        "en": {"train": ["on IBM {Dev}", "on the ibm_{dev} device", "on real IBM {Dev} hardware"],
               "novel": ["on the IBM Quantum machine {Dev}", "on the {Dev} device from IBM"]},
        "es": {"train": ["en IBM {Dev}", "en el dispositivo ibm_{dev}", "en el hardware real de IBM {Dev}"],
               "novel": ["en la máquina cuántica {Dev} de IBM", "en el ordenador cuántico {Dev} de IBM"]},
    },
    "ionq_simulator": {
        "en": {"train": ["on the IonQ simulator", "using IonQ's cloud simulator"], "novel": ["on the IonQ simulator in the cloud"]},
        "es": {"train": ["en el simulador de IonQ", "usando el simulador en la nube de IonQ"], "novel": ["en el simulador de IonQ en la nube"]},
    },
    "ionq_qpu": {
        "en": {"train": ["on IonQ hardware", "on the IonQ QPU"], "novel": ["on a real IonQ machine"]},
        "es": {"train": ["en el hardware de IonQ", "en la QPU de IonQ"], "novel": ["en una máquina real de IonQ"]},
    },
    "ionq_named": {
        "en": {"train": ["on IonQ {Dev}"], "novel": ["on the IonQ {Dev} QPU", "on IonQ's {Dev} machine"]},
        "es": {"train": ["en IonQ {Dev}"], "novel": ["en la QPU {Dev} de IonQ"]},
    },
}  # fmt: skip

SHOT_PHRASES = {
    "en": {"train": ["with {s} shots", "using {s} shots", "for {s} shots", "with shots={s}"],
           "novel": ["taking {s} samples", "sampling {s} times"]},
    "es": {"train": ["con {s} disparos", "usando {s} shots", "con {s} repeticiones"],
           "novel": ["durante {s} disparos", "muestreando {s} veces"]},
}  # fmt: skip
SHOT_SENTENCES = {
    "en": {
        "train": ["Run it {s} times{b}.", "Use {s} shots{b}."],
        "novel": ["Measure it {s} times{b}."],
    },
    "es": {
        "train": ["Ejecútalo {s} veces{b}.", "Usa {s} disparos{b}."],
        "novel": ["Mídelo {s} veces{b}."],
    },
}
BACKEND_SENTENCES = {
    "en": {"train": ["Run it {b}.", "Execute it {b}."], "novel": ["Run that {b}."]},
    "es": {"train": ["Ejecútalo {b}.", "Córrelo {b}."], "novel": ["Luego córrelo {b}."]},
}
POLITE_PREFIX = {
    "en": {"train": ["Please, ", "Hi! ", "Hello, "], "novel": ["Kindly ", "Hey there, "]},
    "es": {"train": ["Por favor, ", "Hola, ", "Buenas, "], "novel": ["Porfa, ", "Oye, "]},
}
POLITE_SUFFIX = {
    "en": {
        "train": [" please", ", thanks!", ". Thank you."],
        "novel": [". Cheers", ", much appreciated", " if you can"],
    },
    "es": {
        "train": [" por favor", ", ¡gracias!", ". Gracias."],
        "novel": [". Muchas gracias", ", te lo agradezco", ", si puedes"],
    },
}

# ---------------------------------------------------------------- numbers as words

_EN_UNITS = [
    "zero",
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
    "seventeen",
    "eighteen",
    "nineteen",
]
_EN_TENS = ["_", "_", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]
_ES_UNITS = ["cero", "uno", "dos", "tres", "cuatro", "cinco", "seis", "siete", "ocho", "nueve", "diez", "once", "doce", "trece", "catorce", "quince", "dieciséis", "diecisiete", "dieciocho", "diecinueve", "veinte", "veintiuno", "veintidós", "veintitrés", "veinticuatro", "veinticinco", "veintiséis", "veintisiete", "veintiocho", "veintinueve"]  # fmt: skip
_ES_TENS = [
    "_",
    "_",
    "veinte",
    "treinta",
    "cuarenta",
    "cincuenta",
    "sesenta",
    "setenta",
    "ochenta",
    "noventa",
]
_ES_HUNDREDS = [
    "_",
    "ciento",
    "doscientos",
    "trescientos",
    "cuatrocientos",
    "quinientos",
    "seiscientos",
    "setecientos",
    "ochocientos",
    "novecientos",
]


def en_words(n: int) -> str:
    if n < 20:
        return _EN_UNITS[n]
    if n < 100:
        return _EN_TENS[n // 10] + ("" if n % 10 == 0 else "-" + _EN_UNITS[n % 10])
    if n < 1000:
        rest = n % 100
        return _EN_UNITS[n // 100] + " hundred" + ("" if rest == 0 else " " + en_words(rest))
    rest = n % 1000
    return en_words(n // 1000) + " thousand" + ("" if rest == 0 else " " + en_words(rest))


def es_words(n: int) -> str:
    if n < 30:
        return _ES_UNITS[n]
    if n < 100:
        return _ES_TENS[n // 10] + ("" if n % 10 == 0 else " y " + _ES_UNITS[n % 10])
    if n < 1000:
        if n == 100:
            return "cien"
        rest = n % 100
        return _ES_HUNDREDS[n // 100] + ("" if rest == 0 else " " + es_words(rest))
    rest = n % 1000
    head = "mil" if n // 1000 == 1 else es_words(n // 1000) + " mil"
    return head + ("" if rest == 0 else " " + es_words(rest))


def render_number(n: int, lang: str, rng: random.Random, words_ok: bool = True) -> str:
    roll = rng.random()
    if words_ok and roll < 0.25 and n <= 20000:
        return en_words(n) if lang == "en" else es_words(n)
    if roll > 0.9 and n >= 1000:
        sep = "," if lang == "en" else "."
        return f"{n:,}".replace(",", sep)
    return str(n)


# ---------------------------------------------------------------- typos and case


def add_typo(text: str, rng: random.Random) -> str:
    """Swap, drop or double one letter of one ordinary word (never numbers, kets, names)."""
    words = text.split(" ")
    candidates = [i for i, w in enumerate(words) if len(w) >= 6 and w.isalpha() and w.islower()]
    if not candidates:
        return text
    i = rng.choice(candidates)
    w = words[i]
    j = rng.randrange(1, len(w) - 2)
    op = rng.randrange(3)
    if op == 0:
        w = w[:j] + w[j + 1] + w[j] + w[j + 2 :]
    elif op == 1:
        w = w[:j] + w[j + 1 :]
    else:
        w = w[:j] + w[j] + w[j:]
    words[i] = w
    return " ".join(words)


def vary_case(text: str, rng: random.Random) -> str:
    roll = rng.random()
    if roll < 0.15:
        return text.lower()
    if roll < 0.18:
        return text.upper()
    return text[:1].upper() + text[1:]


@dataclass
class Phrasing:
    """Which parts a request was built from (recorded for the split and the card)."""

    frame: str
    family: str  # "train" or "novel"


def pick(rng: random.Random, table: dict[str, list], family: str) -> str:
    return rng.choice(table[family])
