"""Reading a virtual-screening request: a ligand library docked into one receptor, ranked.

>>> request = read_screening(
...     "screen library.smi against receptor.pdb around the bound ligand ligand.sdf"
... )
>>> request.ligands, request.receptor, request.options
('library.smi', 'receptor.pdb', (('reference_ligand', 'ligand.sdf'),))

Files, the cluster address and the output folder are found on the text itself and kept exactly
as written; the rest goes through :func:`bioql.language.normalize.lex`, and every word must be
a screening or docking word of the lexicon (``REQUEST_WORDS``), a filler, a word of an option
below or an option's value. Anything else is named in the error: nothing is dropped. The
options are those of :func:`bioql.docking.screen`: the box (``reference_ligand``, ``box_from``,
or ``center`` + ``size``), ``exhaustiveness``, ``num_poses``, ``seed``, ``workers``, ``cluster``
and ``out``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bioql.errors import BioQLParseError
from bioql.language.docking import _is, read_box
from bioql.language.domain import corrector, is_framing
from bioql.language.lexicon import REQUEST_WORDS
from bioql.language.normalize import lex
from bioql.language.tokens import Token


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


#: the options a screening request may state, in the order they are written
SCREEN_OPTIONS = (
    "reference_ligand", "box_from", "center", "size", "exhaustiveness", "num_poses", "seed",
    "workers", "cluster", "out",
)  # fmt: skip
LIBRARY_SUFFIXES = (".smi", ".smiles", ".csv", ".tsv", ".sdf")
#: the options whose values are text, kept exactly as written
TEXT_OPTIONS = ("reference_ligand", "box_from", "cluster", "out")
SCREEN_EXAMPLE = "Screen library.smi against receptor.pdb around the bound ligand ligand.sdf"

FILE = re.compile(
    r"(?<![\w./~-])[\w./~-]+\.(?:smiles|smi|csv|tsv|sdf|mol2|mol|pdbqt|pdb)(?![\w])", re.I
)
_CLUSTER = re.compile(r"(?<![\w/])(?:tcp|tls|ucx|ws|wss)://[\w.-]+(?::\d+)?(?![\w.:/])", re.I)
# "out results/", "--out hits", "write the results to hits/", "output folder: hits", "save the
# results in the folder hits", "en la carpeta resultados". A bare "out" / "output" takes only a
# name that looks like a path ("out results/"): "carry out a screen" names no folder.
_OUT_NAME = r"[\"'`]?(?P<{}>[\w~.-]*[/\\][\w~./\\-]*|[\w~-][\w~.-]*|\.\.?(?![\w.]))[\"'`]?"
_FOLDER_WORD = r"(?:folder|directory|dir|carpeta|directorio)"
_OUT = re.compile(
    r"(?:--out\s*=?|\bout\s*=|\boutput\s+(?:folder|directory|dir)(?=[\s:=])"
    r"|\bresults?\s+(?:folder|directory|dir)(?=[\s:=])"
    r"|\b(?:write|save|store|put|keep)\s+(?:the\s+|all\s+)?(?:results|output|hits)\s+"
    r"(?:to|into|in)(?=\s)"
    r"|\b(?:guarda|guardar|guardando|escribe|escribir|pon)\s+(?:los\s+)?resultados\s+en(?=\s)"
    r"|\bcarpeta(?:\s+de\s+(?:salida|resultados))?(?=[\s:=])"
    r"|\bdirectorio(?:\s+de\s+(?:salida|resultados))?(?=[\s:=])"
    r"|(?P<bare>\bout(?:put)?(?=\s)))"
    r"\s*[:=]?\s*(?:"
    # "in the folder hits", "in a new folder called hits", "en la carpeta hits"
    r"(?:(?:the|a|an|la|el|una|un)\s+)?(?:new\s+|nueva\s+)?"
    + _FOLDER_WORD
    + r"\s+(?:(?:called|named|llamad[ao])\s+)?"
    + _OUT_NAME.format("path")
    # "in the hits folder"
    + r"|(?:the|a|an|la|el|una|un)\s+"
    + _OUT_NAME.format("named")
    + r"\s+"
    + _FOLDER_WORD
    + r"(?![\w.-])|"
    + _OUT_NAME.format("plain")
    + ")",
    re.I,
)
# words that are no folder's name: "put the results in my folder" names none
_NOT_A_FOLDER = _words(
    "the a an my our your their this that its it la el las los una un mi mis tu su nuestra "
    "nuestro este esta ese esa folder directory dir carpeta directorio of de"
)
_DATA_FILE = re.compile(r"\.(?:csv|tsv|parquet|json|html|sdf|smi|txt|xlsx?)$", re.I)
# a full stop that ends a sentence: "... write the results to hits." names the folder "hits"
# ("to hits/." names "hits/"; "to ." alone is the current folder)
_FULL_STOP = re.compile(r"(?<=[\w/\\])\.+(?=[\s\"'`)\]]|$)")
# "around NDP", "box from residue NDP:A:164", "alrededor del grupo NDP": a hetero group by name
_GROUP = re.compile(
    r"\b(?:around|alrededor\s+del?|box\s+from|caja\s+(?:desde|de))\s+"
    r"(?:(?:the|el|la)\s+)?(?:(?:residue|hetero\s+group|group|residuo|grupo)\s+)?"
    r"(?P<group>[A-Z][A-Z0-9]{1,3}(?::[A-Z]:\d+)?)(?![\w.])"
)
# words right before a file that make it the box's reference ligand or its source
_REFERENCE_WORDS = _words(
    "reference referencia bound unido crystal cristal cocrystal cocrystallized cocrystallised "
    "crystallized crystallised crystallographic cocristalizado cocristalizada cristalizado "
    "cristalizada cristalografico native nativo co"
)
_BOX_FROM_WORDS = _words("around alrededor box caja")
# a site named without its file ("around the bound ligand") is named as not read: the box
# cannot be guessed
_SITE_WORDS = _REFERENCE_WORDS | {"around", "alrededor"}
# words of the options (the numbers they take are read beside them)
_OPTION_WORDS = {
    "POSES": _words("poses pose num_poses"),
    "SEED": _words("seed semilla"),
    "WORKERS": _words(
        "workers worker processes process cores core cpus cpu procesos proceso nucleos nucleo "
        "trabajadores"
    ),
}
# words that only frame a screening request ("keep", "per ligand", "each", "top")
_SCREEN_FILLERS = _words(
    "keep kept per each every cada mantener guarda guardar conserva conservar and y e frente "
    "residue residuo group grupo hetero site sitio parallel paralelo local "
    "machine maquina cluster dask scheduler address direccion folder carpeta directory "
    "directorio output salida out results resultados write save store escribe escribir "
    "guardando compound compuesto molecule molecules molecula moleculas"
)
# shared framing words that say something about a screen: "on the cloud" is no local run,
# "a fresh run" does not resume
_NOT_FRAMING = _words("cloud nube fresh")
# every word a screening request may use beside the files, values and framing
_OWN_WORDS = (
    frozenset().union(*(REQUEST_WORDS[c] for c in REQUEST_WORDS if c.startswith("DOCK")))
    | REQUEST_WORDS["SCREEN"]
    | _SCREEN_FILLERS
    | _REFERENCE_WORDS
    | _BOX_FROM_WORDS
    | frozenset().union(*_OPTION_WORDS.values())
)
_correct = corrector(_OWN_WORDS)


def _known(word: str) -> bool:
    return word in _OWN_WORDS or (is_framing(word) and word not in _NOT_FRAMING)


def _lex(text: str) -> list[Token]:
    """``text`` lexed, each word corrected ("scren" → "screen"; ``raw`` keeps it as typed)."""
    tokens = lex(text)
    for tok in tokens:
        if tok.kind == "word" and not tok.concept:
            tok.text = _correct(tok.text) or tok.text
    return tokens


@dataclass(frozen=True)
class ScreeningRequest:
    ligands: str  # the library file, exactly as written
    receptor: str  # the receptor file, exactly as written
    options: tuple[tuple[str, object], ...] = ()

    @property
    def reading(self) -> str:
        return describe_screening(self.ligands, self.receptor, dict(self.options))


def describe_screening(ligands: object, receptor: object, options: dict[str, object]) -> str:
    """The canonical sentence of a screen: what ``interpreted_as`` shows for it."""
    parts = [f"screen {ligands} against {receptor}"]
    if options.get("reference_ligand") is not None:
        parts.append(f"around the reference ligand {options['reference_ligand']}")
    if options.get("box_from") is not None:
        parts.append(f"in the box around {options['box_from']}")
    if options.get("center") is not None:
        parts.append(f"in a box centered at {_numbers(options['center'])}")
        if options.get("size") is not None:
            parts.append(f"of size {_numbers(options['size'])} Å")
    named = {
        "exhaustiveness": "exhaustiveness {}",
        "num_poses": "{} poses per ligand",
        "seed": "seed {}",
        "workers": "{} workers",
        "cluster": "the cluster {}",
        "out": "results in {}",
    }
    extra = [t.format(options[k]) for k, t in named.items() if options.get(k) is not None]
    if extra:
        parts.append("with " + ", ".join(extra))
    return " ".join(parts)


def _numbers(value: object) -> str:
    values = value if isinstance(value, (list, tuple)) else [value]
    return "(" + ", ".join(f"{float(v):g}" for v in values) + ")"  # type: ignore[arg-type]


def is_screening(text: str) -> bool:
    """Whether ``text`` asks for a screen: a library file, or a screening word, with a receptor."""
    files = [m.group(0) for m in FILE.finditer(text)]
    if not any(f.lower().endswith((".pdb", ".pdbqt")) for f in files):
        return False
    libraries = [f for f in files if f.lower().endswith((".smi", ".smiles", ".csv", ".tsv"))]
    words = {t.text for t in _lex(FILE.sub(" ", text)) if t.kind == "word"}
    return bool(libraries) or bool(words & REQUEST_WORDS["SCREEN"])


def read_screening(text: str) -> ScreeningRequest | None:
    """The screen ``text`` asks for, or None when it is no screening request.

    Raises :class:`~bioql.errors.BioQLParseError` naming the words that are not part of it.
    """
    if not is_screening(text):
        return None
    # a sentence's full stop is no part of a name ("... to hits.", "around NDP. Thanks")
    text = _FULL_STOP.sub(lambda m: " " * len(m.group(0)), text)
    spans: list[tuple[int, int]] = []
    found: dict[str, object] = {}
    unread: list[str] = []
    if m := _CLUSTER.search(text):
        found["cluster"] = m.group(0)
        spans.append(m.span())
    for m in _OUT.finditer(_blank(text, spans)):
        group = next(g for g in ("path", "named", "plain") if m.group(g) is not None)
        path = m.group(group)
        if m.group("bare") and not re.search(r"[/\\._\-\d]", path):
            continue  # "carry out a screen", "try out screening": no folder
        if path.lower() in _NOT_A_FOLDER or _DATA_FILE.search(path):
            # "put the results in my folder", "... in a CSV": which folder? "... to hits.csv":
            # screen() writes a folder (results.csv, report.html... inside), not one file
            unread.append(path)
        else:
            found["out"] = path
        spans.append(m.span(group))
        break
    library, receptors = None, []
    for m in FILE.finditer(text):
        name, before = m.group(0), _words_before(text, m.start())
        lower = name.lower()
        if any(s <= m.start() < e for s, e in spans):
            continue
        reference = before & _REFERENCE_WORDS or _reference_after(text, m.end())
        if reference and not lower.endswith((".smi", ".smiles", ".csv", ".tsv")):
            key = "reference_ligand"
        elif before & _BOX_FROM_WORDS and lower.endswith((".sdf", ".mol", ".mol2", ".pdb")):
            key = "box_from"
        elif lower.endswith((".pdb", ".pdbqt")):
            receptors.append(name)
            key = ""
        elif library is None and lower.endswith(LIBRARY_SUFFIXES):
            library = name
            key = ""
        else:
            continue  # a second library: named below as not read
        if key in found:
            continue  # a second reference ligand or box: named below as not read
        if key:
            found[key] = name
        spans.append(m.span())
    if (m := _GROUP.search(_blank(text, spans))) and "box_from" not in found:
        found["box_from"] = m.group("group")
        spans.append(m.span("group"))
    if len(receptors) != 1 or library is None:
        unread += receptors[1:]
        if library is None:
            raise BioQLParseError(
                "This screening request names no ligand library: give a .smi, .csv or .sdf file "
                f"of SMILES strings, e.g. '{SCREEN_EXAMPLE}'.",
                unknown_words=[],
            )
    tokens = _lex(_blank(text, spans))
    unread += _options(tokens, found)
    unread += [m.group(0) for m in FILE.finditer(_blank(text, spans))]
    if unread:
        words = list(dict.fromkeys(unread))
        site = (
            "; name the bound ligand's file or its residue ('around the bound ligand "
            "ligand.sdf', 'around NDP')"
            if {_correct(w.lower()) for w in words} & _SITE_WORDS
            else ""
        )
        raise BioQLParseError(
            f"BioQL did not understand {', '.join(repr(w) for w in words)} in this screening "
            f"request{site}. It screens one ligand library against one receptor, e.g. "
            f"'{SCREEN_EXAMPLE}' (options: a box centered at (x, y, z) of a size, "
            "exhaustiveness, poses per ligand, seed, workers, a cluster address, an output folder).",
            unknown_words=words,
        )
    options = tuple((k, found[k]) for k in SCREEN_OPTIONS if k in found)
    return ScreeningRequest(library, receptors[0], options)


def _blank(text: str, spans: list[tuple[int, int]]) -> str:
    for start, end in spans:
        text = text[:start] + " " * (end - start) + text[end:]
    return text


def _words_before(text: str, at: int) -> set[str]:
    """The last few words before position ``at`` (lower case, no accents, corrected)."""
    words = [t.text for t in _lex(text[:at]) if t.kind == "word"]
    return set(words[-4:])


def _reference_after(text: str, end: int) -> bool:
    """ "ref.sdf as the reference ligand", "ref.sdf como ligando de referencia"."""
    words = [t.text for t in _lex(text[end:]) if t.kind == "word"][:5]
    return bool(words) and words[0] in ("as", "como") and bool(set(words) & _REFERENCE_WORDS)


def _word_in(tok: Token, concept: str) -> bool:
    return tok.kind == "word" and tok.text in _OPTION_WORDS[concept]


_NUMERIC_OPTIONS = (
    ("exhaustiveness", "DOCK_EXHAUSTIVENESS"),
    ("num_poses", "POSES"),
    ("seed", "SEED"),
    ("workers", "WORKERS"),
)


def _option_hit(tok: Token, concept: str) -> bool:
    return _is(tok, concept) if concept.startswith("DOCK") else _word_in(tok, concept)


def _options(tokens: list[Token], found: dict[str, object]) -> list[str]:
    """Read the numeric options into ``found``; return the words that belong to nothing."""
    used: set[int] = set()
    unread: list[str] = []
    counted: set[int] = set()  # the option words that have their number

    def take(key: str, value: int, raw: str) -> None:
        if key in found and found[key] != value:
            unread.append(raw)  # "8 workers ... on 4 cores": which?
        else:
            found[key] = value

    # "8 processes", "exhaustiveness 16", "seed = 3": each option's number, read before a box can
    # take it ("the box from NDP using 8 processes" is no 8 Å box). A number between two option
    # words goes the way the request writes its options ("exhaustiveness 8 seed 3", "4 workers
    # 2 poses"): the side its first option's number is on, then the other side.
    words = [i for i, tok in enumerate(tokens) for _, c in _NUMERIC_OPTIONS if _option_hit(tok, c)]
    before_first = bool(words) and _whole_before(tokens, words[0]) is not None
    for side in ("before", "after") if before_first else ("after", "before"):  # fmt: skip
        for i in words:
            key = next(k for k, c in _NUMERIC_OPTIONS if _option_hit(tokens[i], c))
            if i in counted:
                continue
            if side == "before":
                value, at = _whole_before(tokens, i), i - 1
            else:
                value, at = _whole_after(tokens, i)
            if value is not None and at not in used:
                used.add(at)
                counted.add(i)
                take(key, value, tokens[at].raw)
    read_box(tokens, found, used)
    boxed = any(k in found for k in ("reference_ligand", "box_from"))
    for i, tok in enumerate(tokens):
        if tok.kind == "word" and tok.text in _SITE_WORDS:
            if not boxed:  # "around the bound ligand" with no file: the box cannot be guessed
                unread.append(tok.raw)
            continue  # "around the bound ligand ref.sdf": the words of the file read above
        if i in used or tok.kind == "sym" or (tok.kind == "word" and _known(tok.text)):
            continue
        unread.append(tok.raw)
    if ("size" in found) != ("center" in found):
        unread.append("size" if "size" in found else "center")  # a box needs both
        found.pop("size", None)
        found.pop("center", None)
    return unread


def _whole_before(tokens: list[Token], i: int) -> int | None:
    """The whole number right before the option word at ``i`` ("8 workers", "with 5 poses")."""
    value = tokens[i - 1].value if i > 0 and tokens[i - 1].kind == "num" else None
    if isinstance(value, (int, float)) and float(value).is_integer():
        return int(value)
    return None


def _whole_after(tokens: list[Token], i: int) -> tuple[int | None, int]:
    """The whole number after the option word at ``i`` and its index ("exhaustiveness 16",
    "seed = 3", "seed -1", "exhaustiveness of 16"), not across a comma ("exhaustiveness 16, 8
    workers": the 8 is the workers')."""
    j, sign = i + 1, 1
    while j < len(tokens):
        tok = tokens[j]
        if tok.kind == "sym" and tok.text in "=:-":
            sign = -1 if tok.text == "-" else 1
        elif not (tok.kind == "word" and is_framing(tok.text)):
            break
        j += 1
    if j < len(tokens) and tokens[j].kind == "num":
        value = tokens[j].value
        if isinstance(value, (int, float)) and float(value).is_integer():
            return sign * int(value), j
    return None, j
