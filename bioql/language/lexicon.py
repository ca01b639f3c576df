"""Words → concepts, in English and Spanish, with typo tolerance.

Each concept is a short tag (``BELL``, ``GATE:cx``, ``QUBIT``...). The parser only ever sees
concepts, so a synonym or a language is added here and nowhere else.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from rapidfuzz import process
from rapidfuzz.distance import OSA

from bioql.language.numbers import NUMBER_WORDS

IBM_DEVICES = [
    "aachen",
    "algiers",
    "almaden",
    "armonk",
    "athens",
    "auckland",
    "belem",
    "berlin",
    "boeblingen",
    "bogota",
    "boston",
    "brisbane",
    "brooklyn",
    "brussels",
    "burlington",
    "cairo",
    "cambridge",
    "casablanca",
    "cusco",
    "essex",
    "fez",
    "geneva",
    "guadalupe",
    "hanoi",
    "jakarta",
    "johannesburg",
    "kawasaki",
    "kingston",
    "kolkata",
    "kyiv",
    "kyoto",
    "lagos",
    "lima",
    "london",
    "manhattan",
    "manila",
    "marrakesh",
    "melbourne",
    "miami",
    "montreal",
    "mumbai",
    "nairobi",
    "nighthawk",
    "osaka",
    "oslo",
    "ourense",
    "paris",
    "peekskill",
    "perth",
    "pittsburgh",
    "poughkeepsie",
    "prague",
    "quebec",
    "quito",
    "rochester",
    "rome",
    "santiago",
    "sherbrooke",
    "singapore",
    "strasbourg",
    "sydney",
    "torino",
    "toronto",
    "valencia",
    "vigo",
    "washington",
    "yorktown",
]
IONQ_DEVICES = ("aria", "forte", "harmony")

_CONCEPTS: dict[str, str] = {
    # named states and algorithms
    "BELL": "bell bells epr",
    "SINGLET": "singlet singlete",
    # "entangle qubits 0 and 1", "an entangled pair": a Bell state unless another state is named
    "ENTANGLE": (
        "entangle entangles entangled entangling entrelaza entrelazar entrelazado entrelazada "
        "entrelazados entrelazadas entanglement entrelazamiento"
    ),
    "GHZ": "ghz greenberger horne zeilinger cat gato",
    "W": "w",
    "SUPERPOSITION": "superposition superpositions superposicion superposiciones superposed",
    "UNIFORM": "uniform uniforme equal igual equally equiprobable equiprobables",
    "QFT": "qft fourier tcf",
    "IQFT": "iqft",
    "INVERSE": "inverse inversa inverso invert reverse",
    "GROVER": "grover grovers",
    # "find" and "search" name Grover only when no other algorithm is named ("find the hidden
    # string with Bernstein-Vazirani" is BV)
    "SEARCH": (
        "search searching busqueda buscar busca buscando find finds finding encontrar encuentra "
        "busque encuentre"
    ),
    "BV": "bernstein vazirani bv",
    "DJ": "deutsch dj",
    "CONSTANT": "constant constante",
    "BALANCED": "balanced balanceada balanceado equilibrada equilibrado",
    "QPE": "qpe",
    "PHASE": "phase fase",
    "ESTIMATION": "estimation estimate estimating estimacion estimar estima",
    "TELEPORT": (
        "teleport teleports teleportation teleporting teleportar teleporta teleportacion "
        "teletransporte teletransportar teletransporta teletransportacion"
    ),
    "COUNTING": "counting conteo precision contadores contador",
    "PHI": "phi fi",
    "PSI": "psi",
    "PLUS": "plus mas positive positivo",
    "MINUS": "minus menos",
    "NEGATIVE": "negative negativo negativa",
    # gates
    "GATE:h": "h hadamard hadamards",
    "GATE:x": "x not",
    "GATE:y": "y",
    "GATE:z": "z",
    "GATE:s": "s",
    "GATE:t": "t",
    "GATE:sdg": "sdg sdag",
    "GATE:tdg": "tdg tdag",
    "GATE:sx": "sx",
    "GATE:p": "p phase_gate",
    "GATE:rx": "rx",
    "GATE:ry": "ry",
    "GATE:rz": "rz",
    "GATE:cx": "cx cnot cnots",
    "GATE:cy": "cy",
    "GATE:cz": "cz",
    "GATE:ch": "ch",
    "GATE:cp": "cp cphase",
    "GATE:crx": "crx",
    "GATE:cry": "cry",
    "GATE:crz": "crz",
    "GATE:swap": (
        "swap swaps swapping intercambia intercambiar intercambio intercambiando exchange "
        "exchanges exchanging"
    ),
    "GATE:ccx": "ccx ccnot toffoli",
    "GATE:cswap": "cswap fredkin",
    "CONTROLLED": "controlled controlada controlado doubly doblemente",
    "ROTATE": "rotate rotation rotations rotacion rotar rota gira girar rotated rotalo rotala",
    "DAGGER": "dagger dag adjoint adjunta daga",
    "FLIP": "flip flips flipped flipping invert inverts invierte",
    # structure
    "QUBIT": "qubit qubits cubit cubits qbit qbits bit bits",
    "SHOTS": (
        "shot shots times veces disparos disparo repeticiones repetitions runs samples "
        "muestras ejecuciones tiradas"
    ),
    "MEASUREMENTS": "measurements mediciones medidas",
    "MEASURE": (
        "measure measures measured measuring measurement medir mide midiendo medida medicion "
        "mida readout midelo midela midelos medirlo medirla medirlos"
    ),
    "ALL": "all every each todos todas todo toda cada whole entire everything everywhere",
    "THEN": (
        "then afterwards next after luego despues entonces followed seguido seguida "
        "continuacion finally finalmente later tras"
    ),
    "AND": "and y e also tambien",
    "CONTROL": "control controls controles",
    "TARGET": "target targets targeting targeted objetivo objetivos destino",
    # "apply P(pi/2) twice": the gate step runs two times
    "TWICE": "twice",
    "PI": "pi",
    "DEGREES": "degree degrees grados grado deg",
    "RADIANS": "rad rads radian radians radianes",
    "OVER": "over divided sobre entre",
    "ANGLE": "angle angulo theta lambda",
    # backends
    "SIMULATOR": "simulator simulador aer aers simulation simulacion simulations",
    "STATEVECTOR": "statevector exact exacta exacto exactas exactos",
    "IBM": "ibm",
    "IONQ": "ionq",
    "FAKE": "fake falso falsa",
    "NOISE": "noise noisy ruido ruidoso ruidosa",
    "QPU": "qpu hardware real",
    "STATE": "state states estado estados ket sate",
    # initial states: "starting from |011>", "initialise the register to 011", "acting on |10>"
    "INIT": (
        "starting start starts begin begins beginning initial initially initialise initialize "
        "initialised initialized initialising initializing init acting partiendo empezando "
        "comenzando inicial inicialmente inicializa inicializar inicializado inicializada "
        "actuando iniciando arrancar arranca arrancando empiezo empieza empezar empiece encode "
        "encodes encoding load loads codifica codificar carga cargar parte parto partimos partir"
    ),
    "INPUT": "input inputs entrada entradas",
    "BINARY": "binary binario binaria decimal integer entero",
    "ONES": "ones",
    "ZEROS": "zeros zeroes ceros",
    # "the first three qubits", "the last qubit", "qubits 1 through 4", "the remaining qubits"
    "LAST": "last ultimo ultima ultimos ultimas final",
    "THROUGH": "through thru hasta",
    "REMAINING": "remaining rest others other resto restantes demas otros otras",
    "BOTH": "both ambos ambas",
    # behaviour: Bell pairs that always agree / differ, coins, random numbers
    "AGREE": "agree agrees agreeing correlated same coinciden iguales even match matches matching correlacionados correlacionadas",
    "DIFFER": (
        "differ differs differing disagree different opposite anticorrelated anti odd "
        "distintos distintas opuestos opuestas diferentes impar anticorrelacionados "
        "anticorrelacionadas anticorrelated"
    ),
    "COIN": "coin coins moneda monedas toss tosses tossing lanzar lanza lanzamiento",
    "RANDOM": "random aleatorio aleatoria aleatorios aleatorias azar",
    "ITEMS": "items item entries entry elements element elemento elementos entradas possibilities posibilidades candidates candidatos",
    "MULTI": "multi multiple multiply",
    # "the middle qubit": not placed yet, but never read as another word ("medio" → "medir")
    "MIDDLE": "middle medio media centre center central",
    # "swap the outer qubits", "los qubits de los extremos": the first and the last
    "OUTER": "outer outermost extremos exteriores",
    # "with qubit 1 controlling qubit 0": the qubit before controls the one after
    "CONTROLLING": "controlling controla controlando",
    # "leaving qubit 0 alone", "qubit 3 is left in |0>", "the qubits in between stay idle",
    # "deja los demás en cero": qubits that get nothing (they still count in the register)
    "IDLE": (
        "leaving leave leaves left alone untouched idle intact unchanged deja dejando dejar "
        "quieto quietos intacto intactos"
    ),
    # "X on all qubits except qubit 2", "todos menos el qubit 2"
    "EXCEPT": "except excepto salvo excluding",
    # "with only qubits 0-2 flipped beforehand": this clause happens before the one it follows
    "BEFOREHAND": "beforehand previously previamente",
    "JOZSA": "jozsa",
    "GATE:u": "u3",
    "WITHOUT": "without sin",
    "SQRT": "sqrt root raiz",
    "IMAG": "imaginary imaginaria",
}

_FILLERS = """
a an the this that these those of to on in into onto at for from with using use uses
by via as is are be been being it its them they their there here my me i you your we our us
please pls plz could can would will should shall may might kindly just now do does did make
makes create creates creating build builds generate generates prepare prepares preparing
produce produces run runs running execute executes perform performs apply applies applying
put puts set give gives show shows want wants need needs like let lets get gets implement
implementing construct compute simulate simulating start begin circuit circuits quantum
algorithm algorithms gate gates operation operations operator register registers system
program routine protocol database databases list pair pairs some which
so such very result results output outcome outcomes probability probabilities distribution
histogram backend device computer machine ideal oracle oracles function string strings
bitstring bitstrings value values number among across only
basis computational amplitude amplification transform transformation
bioql hello hi thanks thank okay ok well how about mode method message receiver sender bob
alice secret hidden marked mark marks target's known given unknown axis around about
qubit's version standard textbook simple single new one's form into then's wire wires
up along around via over's way ready sure try
un una unos unas el la los las lo le les de del al en con para por favor porfa usando usa
usar mediante como es son sea que este esta estos estas ese esa mi mis tu tus su sus me te se
nos yo quiero quisiera necesito puedes podrias podria puede pueda haz hacer has hace crea crear
creame genera generar generame prepara preparar prepararme produce producir ejecuta ejecutar
ejecutalo ejecutala ejecutalos corre correr correlo aplica aplicar aplicale aplique pon poner
dame muestra mostrar construye construir implementa implementar calcula calcular simula simular
circuito circuitos cuantico cuantica cuanticos cuanticas algoritmo algoritmos puerta puertas
compuerta compuertas operacion operaciones registro sistema programa protocolo
par pares datos lista maximamente resultado resultados
salida probabilidad probabilidades distribucion dispositivo computadora ordenador maquina oraculo
funcion cadena cadenas elemento valor valores numero ambos ambas solo inicial base computacional
amplitud amplificacion transformada transformacion hola gracias bueno vale cual mensaje receptor
emisor ahora secreto secreta oculto oculta marcado marcada marcados marcadas alrededor eje ejes
o ni nuevo nueva simple estandar forma pauli
return returns returning design designs define defines construct constructs write writes
illustrate illustrates implements quantumcircuit visualize visualise plot plots draw draws
display experiment experiments routine routines counts count tally whose where
takes take taking acts holds space search_space entries being statement task goal code snippet
script notebook cell function's demonstrate demonstrates show_me find_me circuitry
devuelve devolver devuelva disena disenar define definir escribe escribir ilustra ilustrar
visualiza visualizar grafica graficar dibuja dibujar experimento rutina conteos cuentas cuyo cuya
cuyos cuyas donde toma tarea codigo between
im id ive ill hello hey chemist biologist student researcher lab notebook how what why if when
comes come out tell help helps consider forget remember know does happen happens obtain see
sends send sent recover recovers reveal reveals learn learns determine determines identify
identifies labelled labeled called named possibilities candidates fair perfectly but its
eigenstate eigenvector eigenvalue maximally maximal maximum solely exclusively like would
buenas practica haga hagas generas obtengo si tengo aplico ayudas ayuda ayudame envia manda
recupera revela otra otro solamente unicamente justa justo maximo maxima autoestado falta
always siempre parity paridad oye dan da den dar salen sale salga salgan
marking putting bobs alices again another plain fresh quick quickly rapido rapidito
hit lol together likely queried once eigenphase desde
ponga pongas ponlo ponla got gotten seria total prepair prepaire prep tipo care cares unsorted
little possible possibly shared sits sit fixes teh hte seguidas seguidos consecutive
consecutivas consecutivos sitting lies ellos ellas esos esas written spelled explicitly
local locally localmente cloud nube correct correctly correcta correcto syntax sintaxis llamar
call calling right ensename ensenar way forma manera realizar realiza realice realizando
produzca produzcan model models modelo modelos nice fine neat cool awesome great data datos
dictionary dict reg love loved harias ensene ensename muestrame devuelveme devuelvame qe
look looks independent independientes copies copy copying copia copiar vuelve volver sandwich
was were been fuera fue stay stays quedan queda permanecen permanece actua actuan thx curious
thing job object below reports report resulting plotted normal eso esto ello aquello
"""

# --- Framing the assistant's requests carry (politeness, verbs of doing and sampling), added when
# the assistant moved onto this reader: "much appreciated", "te lo agradezco", "lleva a cabo",
# "monta", "sampling 300 times", "durante 300 disparos".
_FILLERS += """
cheers much appreciated muchas agradezco
sampling muestreando durante carry carries cabo lleva llevar lleve monta montar monte arma armar
arme assemble assembles launch launches
"""

# --- How people frame a request when they ask for code or a figure, chat, or hedge: none of
# these says anything about the circuit ("write Qiskit code", "a small demo", "me gustaría").
_FILLERS += """
qiskit cirq python code coding def snippet snippets generator example examples demo demos
demonstration tutorial chart charts bar bars figure figures picture diagram image print prints
printed printout basic small tiny classic famous usual typical common canonical toy
minimal complete wanna gonna gimme lemme trying tried attempt looking wondering wonder question
asking ask ty btw actually basically maybe perhaps probably really exactly also simply merely
go goes going ahead observe observed expected expect statistics stats frequencies sure
ejemplo ejemplos demostracion grafico figura imagen diagrama imprime imprimir pequeno pequena
sencillo sencilla basico basica clasico clasica tipico tipica famoso famosa completo completa
gustaria encantaria vamos hagamos intenta intentar prueba probar estadisticas frecuencias
observar obtener obten consigue conseguir tambien ademas realmente simplemente exactamente
basicamente quizas have has had having needed world mundo sets wth
allow amigo amigos assignment assistant beginner bonito clase class clean compose conocido cook
course craft curso dear deberes describe draft easy ejercicio elemental elementary equipo
exercise facil folks greetings guys haha homework hope introductorio introductory lecture
limpio metodo mind minimo paper principiante procedimiento procedure programar project
prototype proyecto pues render saludos sketch team tesis thesis throw venga view whip wish
turn turns qc circ hazme mete metele tirar algo hacia own inclusive used placed building nomas setting
calculate calculation solve determina resuelve
"""

FILLERS = frozenset(_FILLERS.split())

LEXICON: dict[str, str] = {w: c for c, words in _CONCEPTS.items() for w in words.split()}
LEXICON.update({d: "DEVICE" for d in IBM_DEVICES})
LEXICON.update({d: "IONQ_DEVICE" for d in IONQ_DEVICES})

# Multi-word phrases with one meaning, matched on corrected words before single words.
PHRASES: dict[tuple[str, ...], str] = {
    ("bit", "flip"): "GATE:x",
    ("phase", "flip"): "GATE:z",
    ("phase", "gate"): "GATE:p",
    ("state", "vector"): "STATEVECTOR",
    ("vector", "de", "estado"): "STATEVECTOR",
    ("s", "dagger"): "GATE:sdg",
    ("s", "dag"): "GATE:sdg",
    ("t", "dagger"): "GATE:tdg",
    ("t", "dag"): "GATE:tdg",
    ("sqrt", "x"): "GATE:sx",
    ("controlled", "not"): "GATE:cx",
    ("controlled", "controlled", "not"): "GATE:ccx",
    ("not", "controlada"): "GATE:cx",
    ("not", "controlado"): "GATE:cx",
    ("amplitude", "amplification"): "GROVER",
    ("amplificacion", "de", "amplitud"): "GROVER",
    ("einstein", "podolsky", "rosen"): "BELL",
    ("local", "simulator"): "SIMULATOR",
    ("coin", "flip"): "COIN",  # a coin flip is a random bit, not an X gate
    ("coin", "flips"): "COIN",
    # framing that carries no meaning
    ("nothing", "else"): "FILLER",
    ("spin", "up"): "FILLER",  # "spin up a W state"
    ("nothing", "fancy"): "FILLER",
    ("nada", "mas"): "FILLER",  # "mide nada más los qubits 0 y 2": only those
    ("al", "aire"): "FILLER",  # "lanzar una moneda al aire"
    ("in", "a", "row"): "FILLER",
    ("the", "following"): "FILLER",
    ("el", "siguiente"): "FILLER",
    ("la", "siguiente"): "FILLER",
    ("en", "total"): "FILLER",
    ("quick", "one"): "FILLER",
    ("each", "other"): "FILLER",  # "entangle qubits 0, 1 and 2 with each other"
    ("whole", "thing"): "FILLER",  # "run the whole thing 5000 times"
    ("por", "ultimo"): "THEN",  # "y, por último, otra Hadamard"
    ("por", "fin"): "THEN",
    ("at", "the", "end"): "FILLER",
    ("al", "final"): "FILLER",
    ("in", "that", "order"): "FILLER",
    ("in", "this", "order"): "FILLER",
    ("en", "ese", "orden"): "FILLER",
    ("en", "este", "orden"): "FILLER",
    ("read", "out"): "MEASURE",  # "read out qubits 1 and 2"
    ("reads", "out"): "MEASURE",
    ("reading", "out"): "MEASURE",
    ("raiz", "de"): "SQRT",  # "(|10> + |11>)/raiz de 2"
    ("raiz", "cuadrada", "de"): "SQRT",
    ("square", "root", "of"): "SQRT",
    ("root", "of"): "SQRT",
    ("instead", "of"): "INSTEAD",  # "start from |01> instead of |00>"
    ("en", "vez", "de"): "INSTEAD",
    ("en", "lugar", "de"): "INSTEAD",
}

# Words that, right before a lowercase "y", make it the Pauli-Y gate rather than Spanish "and".
_Y_GATE_CONTEXT = frozenset(
    [
        "apply",
        "applies",
        "aplica",
        "aplicar",
        "aplique",
        "aplicale",
        "gate",
        "gates",
        "puerta",
        "puertas",
        "compuerta",
        "pauli",
        "controlled",
        "controlada",
        "controlado",
        "then",
        "luego",
        "despues",
    ]
)

# Words that point at something named ("the second", "al último", "that qubit") and words that
# set a qubit's value ("set qubits 1 and 2 to 1", "con los qubits 0 y 1 en 1", "both controls
# set to 1"): read by several grammars, listed once.
# Words that stand for qubits named before ("swap it with qubit 3", "controlada por ellos")
PRONOUNS = frozenset({"it", "them", "those", "these", "ellos", "ellas", "esos", "esas", "estos"})
DEMONSTRATIVES = frozenset({"that", "this", "ese", "esa", "este", "esta", "aquel"})
# "measure only ...": a measurement said to be partial must name what it keeps
ONLY = frozenset({"only", "just", "solo", "solamente", "unicamente", "nada_mas", "nomas"})
DEFINITE = frozenset({"the", "el", "la", "al", "del", "los", "las", "lo", "that", "this"})
SETTING = frozenset(
    {"set", "sets", "setting", "put", "puts", "with", "con", "pon", "poner", "ponga", "flipped", "prepared",
     "prepare", "fija", "fijar", "coloca", "colocar", "puestos", "puestas"}
)  # fmt: skip

# Real words that are not typos of a known word: never "corrected" into one ("data" is not
# "daga", "nice" not "nine", "fine" not "find", "short" not "shot"). Those that frame a request
# are fillers above; these stay unknown, so a request using them is refused with the word named.
_NOT_TYPOS = """
algo alto area brother casa centro century cierto corn cuanto die difference divide double
enter event ever face fast fin fire force girl horse late least loud menor mentira mile mine
nose pais position quite rail rain room rope rose safe save shoe shop short shout star station
teeth thin though thought time too tree while lord rent file tent trace read reads size
resta mira partes dividir
"""
NOT_TYPOS = frozenset(_NOT_TYPOS.split())

# Real English words the corrector never turns into another word ("including" is not
# "excluding", "reset" is not "rest"); only into a form of themselves ("rotates" → "rotate").
# Written by tools/make_real_words.py.
REAL_WORDS = frozenset(
    line
    for line in (Path(__file__).with_name("real_words.txt")).read_text("utf-8").splitlines()
    if line and not line.startswith("#")
)

# Typo correction targets: every known word of four letters or more.
_FUZZY_TARGETS = tuple(sorted(w for w in set(LEXICON) | NUMBER_WORDS | FILLERS if len(w) >= 4))


@lru_cache(maxsize=4096)
def correct(word: str) -> str | None:
    """The known word ``word`` is a typo of, or None (known words are returned as-is).

    Short words need a closer match: 3-4 letters must keep their first two letters and
    differ by one edit ("bel" → "bell", "stae" → "state", "fiev" → "five"; three-letter words
    only by a dropped letter), 5-6 letters their first letter and one edit, longer words allow
    two edits (a swap of neighbours counts as one).
    """
    if word in LEXICON or word in FILLERS or word in NUMBER_WORDS:
        return word
    if len(word) < 3 or not word.isascii() or not word.isalpha() or word in NOT_TYPOS:
        return None
    limit = 1 if len(word) <= 6 else 2
    matches = process.extract(
        word, _FUZZY_TARGETS, scorer=OSA.distance, score_cutoff=limit, limit=8
    )
    # ties go to the word sharing the longest start with the typo ("stat" → "state", not "start")
    for target, _dist, _ in sorted(
        matches,
        key=lambda m: (
            m[1],
            not _in_order(word, m[0]),
            m[0] not in LEXICON,  # "simulater" → "simulator", not the filler "simulate"
            -common_prefix(word, m[0]),
            m[0],
        ),
    ):
        if len(word) <= 4 and target[:2] != word[:2]:
            continue
        if len(word) == 3 and len(target) <= len(word):
            continue  # three letters: only a dropped letter ("bel" → "bell")
        if len(word) <= 6 and target[0] != word[0]:
            continue
        if _dist > 1 and target not in LEXICON:
            continue  # two edits may turn a real word into a filler ("compare" → "compute")
        if word in REAL_WORDS and not _inflection(word, target):
            continue
        if target != word and (target.endswith(word) or word.endswith(target)):
            continue  # a prefix changes the meaning: "touched" is not "untouched"
        return target
    return None


def _inflection(word: str, target: str) -> bool:
    """ "rotates" / "rotate", "estimated" / "estimate": one word in two forms (a shared start of
    five letters or more that leaves at most three letters of the shorter word)."""
    shared = common_prefix(word, target)
    return shared >= 5 and shared >= min(len(word), len(target)) - 3


def _in_order(typo: str, word: str) -> bool:
    """Whether ``typo`` is ``word`` with letters dropped ("evey" in "every", not in "even")."""
    letters = iter(word)
    return all(c in letters for c in typo)


def common_prefix(a: str, b: str) -> int:
    """How many letters ``a`` and ``b`` share at their start."""
    n = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        n += 1
    return n


def concept_of(word: str) -> str:
    """Concept of a corrected word: a lexicon tag, ``FILLER`` or ``UNKNOWN``."""
    if word in LEXICON:
        return LEXICON[word]
    if word in FILLERS:
        return "FILLER"
    return "UNKNOWN"


def y_is_gate(prev: str | None, raw: str, nxt: str | None, nxt_raw: str = "") -> bool:
    """Spanish "y" means "and"; it is the Y gate when written "Y" or placed like a gate."""
    if nxt in ("gate", "puerta", "compuerta"):
        return True
    if prev in _Y_GATE_CONTEXT:
        return True
    if raw == "Y" and nxt_raw.isupper() and len(nxt_raw) > 1 and nxt_raw.isalpha():
        return False  # "... EN EL SIMULADOR Y CON EL MODELO ...": a shouted "and"
    return raw == "Y" and nxt not in ("luego", "despues", "then", "entonces")


# --- Requests of several calls -------------------------------------------------------------------
# Read by :mod:`bioql.language.segments` (comparisons, sweeps, several runs) and
# :mod:`bioql.language.docking` (a ligand docked into a receptor), never by ``compile_description``:
# a circuit description holding one of these words is still refused, naming it. Matched on the
# word as typed (lower case, no accents), before any typo correction.
_REQUEST_CONCEPTS: dict[str, str] = {
    # "compare a Bell state and a GHZ state", "a Bell state versus a GHZ state"
    "COMPARE": (
        "compare compared comparing comparison comparisons versus vs against compara comparar "
        "comparando comparacion comparalos comparalas frente contra"
    ),
    # "sweep over 2, 3 and 4 qubits", "recorre 6, 7 y 8 qubits": the values of a sweep follow
    "SWEEP": "sweep sweeping recorre recorrer barre barrer barrido",
    # "... and also run ...", "... as well as ...", "... y además ...": another run follows
    "ALSO": "also tambien ademas separately",
    "DOCK": (
        "dock docks docking docked acopla acoplar acoplamiento acoplado ligand ligands ligando "
        "smiles receptor protein proteina pocket bolsillo binding affinity afinidad union fit "
        "encaja encajar vina against contra pdb"
    ),
    # docking options: "a 20 Å box centered at (1, 2, 3)", "exhaustiveness 16"
    "DOCK_CENTER": "center centre centered centred centro centrada centrado",
    "DOCK_SIZE": "size side tamano lado",
    "DOCK_BOX": "box caja cube cubo",
    "DOCK_LENGTH": "angstrom angstroms a",
    "DOCK_EXHAUSTIVENESS": "exhaustiveness exhaustividad",
    # "with the quantum docking backend": the quantum docking backend, not Vina
    "DOCK_QUANTUM": "quantum cuantico cuantica qaoa",
    # "screen library.smi against receptor.pdb": a ligand library docked and ranked (screening.py)
    "SCREEN": (
        "screen screens screening screened virtual cribado cribar criba cribame tamizaje tamizado "
        "library libraries libreria librerias biblioteca bibliotecas quimioteca compounds "
        "compuestos rank ranked ranking clasifica ordena"
    ),
}
REQUEST_WORDS: dict[str, frozenset[str]] = {
    c: frozenset(words.split()) for c, words in _REQUEST_CONCEPTS.items()
}
# Phrases of several words with one such meaning.
REQUEST_PHRASES: dict[tuple[str, ...], str] = {
    ("side", "by", "side"): "COMPARE",
    ("for", "each", "size"): "SWEEP",
    ("for", "each", "value"): "SWEEP",
    ("para", "cada", "tamano"): "SWEEP",
    ("print", "each", "result"): "SWEEP",
    ("imprime", "cada", "resultado"): "SWEEP",
    ("as", "well", "as"): "ALSO",
    ("and", "also"): "ALSO",
    ("y", "tambien"): "ALSO",
    ("y", "ademas"): "ALSO",
}
