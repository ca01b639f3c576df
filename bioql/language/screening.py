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
from bioql.language.docking import _is, _numbers_after, read_box
from bioql.language.lexicon import FILLERS, REQUEST_WORDS
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
# "out results/", "--out hits", "write the results to hits/", "en la carpeta resultados"
_OUT = re.compile(
    r"(?:--out\s*=?|\bout\s*=|\bout(?:put)?(?:\s+(?:folder|directory|dir))?(?=\s)"
    r"|\bresults?\s+(?:folder|directory|dir)(?=\s)"
    r"|\b(?:write|save|store|put)\s+(?:the\s+)?(?:results|output)\s+(?:to|into|in)(?=\s)"
    r"|\b(?:guarda|guardar|guardando|escribe|escribir)\s+(?:los\s+)?resultados\s+en(?=\s)"
    r"|\bcarpeta(?:\s+de\s+(?:salida|resultados))?(?=\s)"
    r"|\bdirectorio(?:\s+de\s+(?:salida|resultados))?(?=\s))"
    r"\s*(?:(?:the\s+|la\s+|el\s+)?(?:folder|directory|carpeta|directorio)\s+)?"
    r"[\"'`]?(?P<path>[\w~.-]*[/\\][\w~./\\-]*|[\w~-][\w~.-]*)[\"'`]?",
    re.I,
)
# "around NDP", "box from residue NDP:A:164", "alrededor del grupo NDP": a hetero group by name
_GROUP = re.compile(
    r"\b(?:around|alrededor\s+del?|box\s+from|caja\s+(?:desde|de))\s+"
    r"(?:(?:the|el|la)\s+)?(?:(?:residue|hetero\s+group|group|residuo|grupo)\s+)?"
    r"(?P<group>[A-Z][A-Z0-9]{1,3}(?::[A-Z]:\d+)?)(?![\w.])"
)
# words right before a file that make it the box's reference ligand or its source
_REFERENCE_WORDS = _words(
    "reference referencia bound unido crystal cristal cocrystal cocrystallized cocristalizado "
    "native nativo co"
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
    "guardando"
)


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
    words = {t.text for t in lex(FILE.sub(" ", text)) if t.kind == "word"}
    return bool(libraries) or bool(words & REQUEST_WORDS["SCREEN"])


def read_screening(text: str) -> ScreeningRequest | None:
    """The screen ``text`` asks for, or None when it is no screening request.

    Raises :class:`~bioql.errors.BioQLParseError` naming the words that are not part of it.
    """
    if not is_screening(text):
        return None
    spans: list[tuple[int, int]] = []
    found: dict[str, object] = {}
    if m := _CLUSTER.search(text):
        found["cluster"] = m.group(0)
        spans.append(m.span())
    if m := _OUT.search(_blank(text, spans)):
        found["out"] = m.group("path")
        spans.append(m.span("path"))
    library, receptors = None, []
    for m in FILE.finditer(text):
        name, before = m.group(0), _words_before(text, m.start())
        lower = name.lower()
        if any(s <= m.start() < e for s, e in spans):
            continue
        reference = before & _REFERENCE_WORDS or _reference_after(text, m.end())
        if reference and not lower.endswith((".smi", ".smiles", ".csv", ".tsv")):
            found["reference_ligand"] = name
        elif before & _BOX_FROM_WORDS and lower.endswith((".sdf", ".mol", ".mol2", ".pdb")):
            found["box_from"] = name
        elif lower.endswith((".pdb", ".pdbqt")):
            receptors.append(name)
        elif library is None and lower.endswith(LIBRARY_SUFFIXES):
            library = name
        else:
            continue  # a second library: named below as not read
        spans.append(m.span())
    if (m := _GROUP.search(_blank(text, spans))) and "box_from" not in found:
        found["box_from"] = m.group("group")
        spans.append(m.span("group"))
    unread: list[str] = []
    if len(receptors) != 1 or library is None:
        unread += receptors[1:]
        if library is None:
            raise BioQLParseError(
                "This screening request names no ligand library: give a .smi, .csv or .sdf file "
                f"of SMILES strings, e.g. '{SCREEN_EXAMPLE}'.",
                unknown_words=[],
            )
    tokens = lex(_blank(text, spans))
    unread += _options(tokens, found)
    unread += [m.group(0) for m in FILE.finditer(_blank(text, spans))]
    if unread:
        words = list(dict.fromkeys(unread))
        site = (
            "; name the bound ligand's file or its residue ('around the bound ligand "
            "ligand.sdf', 'around NDP')"
            if set(words) & _SITE_WORDS
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
    """The last few words before position ``at`` (lower case, no accents)."""
    words = [t.text for t in lex(text[:at]) if t.kind == "word"]
    return set(words[-4:])


def _reference_after(text: str, end: int) -> bool:
    """ "ref.sdf as the reference ligand", "ref.sdf como ligando de referencia"."""
    words = [t.text for t in lex(text[end:]) if t.kind == "word"][:5]
    return bool(words) and words[0] in ("as", "como") and bool(set(words) & _REFERENCE_WORDS)


def _word_in(tok: Token, concept: str) -> bool:
    return tok.kind == "word" and tok.text in _OPTION_WORDS[concept]


def _options(tokens: list[Token], found: dict[str, object]) -> list[str]:
    """Read the numeric options into ``found``; return the words that belong to nothing."""
    used: set[int] = set()
    read_box(tokens, found, used)
    for i, tok in enumerate(tokens):
        for key, concept in (
            ("exhaustiveness", "DOCK_EXHAUSTIVENESS"),
            ("num_poses", "POSES"),
            ("seed", "SEED"),
            ("workers", "WORKERS"),
        ):
            hit = _is(tok, concept) if concept.startswith("DOCK") else _word_in(tok, concept)
            if hit:
                value = _whole_beside(tokens, i, used)
                if value is not None:
                    found[key] = value
    unread = []
    known = set().union(*(REQUEST_WORDS[c] for c in REQUEST_WORDS if c.startswith("DOCK")))
    known |= REQUEST_WORDS["SCREEN"] | _SCREEN_FILLERS | FILLERS
    known |= set().union(*_OPTION_WORDS.values())
    boxed = any(k in found for k in ("reference_ligand", "box_from"))
    for i, tok in enumerate(tokens):
        if tok.kind == "word" and tok.text in _SITE_WORDS:
            if not boxed:  # "around the bound ligand" with no file: the box cannot be guessed
                unread.append(tok.raw)
            continue  # "around the bound ligand ref.sdf": the words of the file read above
        if i in used or tok.kind == "sym" or (tok.kind == "word" and tok.text in known):
            continue
        unread.append(tok.raw)
    if ("size" in found) != ("center" in found):
        unread.append("size" if "size" in found else "center")  # a box needs both
        found.pop("size", None)
        found.pop("center", None)
    return unread


def _whole_beside(tokens: list[Token], i: int, used: set[int]) -> int | None:
    """The whole number right before ("8 workers", "with 5 poses") or right after
    ("exhaustiveness 16", "seed = 3") the option word at ``i``."""
    if i > 0 and tokens[i - 1].kind == "num" and i - 1 not in used:
        value = tokens[i - 1].value
        if isinstance(value, (int, float)) and float(value).is_integer():
            used.add(i - 1)
            return int(value)
    taken: set[int] = set()
    after = _numbers_after(tokens, i, 1, taken)
    if after is not None and float(after[0]).is_integer() and not taken & used:
        used |= taken
        return int(after[0])
    return None
