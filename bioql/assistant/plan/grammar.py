"""The plan language as a grammar, so the model can only write plans BioQL can read.

A small model that writes free text misspells what it half-knows ("Run Deutsch Joining …",
"Create a HUQUBA state", "ibm_quina | torino"): many of its free-text answers did not parse or
did not compile (models/bioql-codegen/README.md). Decoding under this grammar removes that whole
class: at each step the model's best token that keeps the text a viable prefix of the language
is taken (:class:`Constraint`), so the answer is always a plan ``plan.from_text`` reads, with
the constructs, gates, backends and slots the compiler knows. The language is exactly what
``plan.to_text`` writes for the dataset's targets (a test checks every one). The model still
chooses *what* to write; the grammar only removes what BioQL could not read.

The grammar is typed by the request (:class:`Grammar`): a slot ``#k`` may only stand where its
value fits (a shot count where the value is a whole number, ``fake_#k`` where it is a device
name, the ligand where it is the SMILES), and a number the request contains is written as its
slot, never retyped — the two ways the shipped model most often wrote a well-formed wrong plan.
The rules have no recursion, so they compile to one regular expression per request (≈ 8 ms,
cached); the third-party ``regex`` module's partial matching answers "can this prefix still
become a plan?". Both model runtimes (PyTorch and llama.cpp) decode through the same
:class:`Constraint`.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

import regex

# An item is a literal string, a rule name written "<name>", or a character class "[...]"
# with an optional repetition suffix ("[0-9]+"). An alternative is a tuple of items; a rule
# is a tuple of alternatives. "?" after a rule name makes it optional.

RULES: dict[str, tuple[tuple[str, ...], ...]] = {
    # a loop line is followed by the one Q line it repeats, which uses the loop's variable
    "root": (
        ("R",),
        ("L n=", "<sizes>", "\n", "Q ", "<desc_n>", " | ", "<backend>", " | ", "<int>", "<compare>?"),
        ("L shots=", "<int>", "<ints>+", "\n", "Q ", "<desc>", " | ", "<backend>", " | {shots}", "<compare>?"),
        ("L backend=", "<backend>", "<backends>+", "\n", "Q ", "<desc>", " | {backend} | ", "<int>", "<compare>?"),
        ("<line>", "<more>*", "<compare>?"),
    ),
    # (the end of a range is not slotted by Slots.encode: "..5" follows a dot, so it is
    # written as the request's value itself)
    "sizes": (("<int>", "..", "<slot_int>"), ("<int>", "..", "<range_end>"), ("<int>", "<ints>+")),
    "ints": ((",", "<int>"),),
    "backends": ((",", "<backend>"),),
    "more": (("\n", "<line>"),),
    "compare": (("\nC",),),
    "line": (
        ("Q ", "<desc>", " | ", "<backend>", " | ", "<int>"),
        ("<dline>",),
        ("<sline>",),
        ("V ", "<chem>", "<where>?", "."),
    ),
    "backend": (
        ("simulator",),
        ("statevector",),
        ("ionq_simulator",),
        ("ionq_qpu",),
        ("fake_", "<slot_device>"),
        ("ibm_", "<slot_device>"),
        ("ionq_", "<slot_device>", "-", "<int>"),
    ),
    "desc": (
        ("Create a Bell state",),
        ("Create the Bell state ", "<variant>"),
        ("Create a ", "<int>", "-qubit GHZ state"),
        ("Create a ", "<int>", "-qubit W state"),
        ("Put ", "<int>", " qubits in uniform superposition"),
        ("Put 1 qubit in uniform superposition",),
        ("Prepare the basis state |", "<bits>", ">"),
        ("Prepare the state |", "<ket>", ">"),
        ("Apply the ", "<qft>", " to ", "<int>", " qubits"),
        ("Apply the ", "<qft>", " to the basis state |", "<bits>", ">"),
        ("Run Grover search for ", "<bits>", "<andbits>*"),
        ("Run Bernstein-Vazirani with secret ", "<bits>"),
        ("Run Deutsch-Jozsa with a ", "<oracle>", " oracle on ", "<int>", " qubits"),
        ("Estimate the phase ", "<num>", " with ", "<int>", " counting qubits"),
        ("Teleport the state |", "<ket>", ">"),
        ("Apply ", "<step>", "<steps>*", ", then measure all"),
    ),
    # the constructs with a size, the size being the loop's {n}
    "desc_n": (
        ("Create a {n}-qubit ", "<nstate>", " state"),
        ("Put {n} qubits in uniform superposition",),
        ("Apply the ", "<qft>", " to {n} qubits"),
        ("Run Deutsch-Jozsa with a ", "<oracle>", " oracle on {n} qubits"),
    ),
    "nstate": (("GHZ",), ("W",)),
    "variant": (("Φ+",), ("Φ-",), ("Ψ+",), ("Ψ-",)),
    "ket": (("0",), ("1",), ("+",), ("-",), ("<slot_bits>",)),
    "qft": (("QFT",), ("inverse QFT",)),
    "oracle": (("balanced",), ("constant",)),
    "andbits": ((" and ", "<bits>"),),
    "bits": (("<slot_bits>",), ("<literal_bits>",)),
    "steps": ((", then ", "<step>"),),
    "step": (
        ("<gate1>", " to qubit ", "<int>"),
        ("<gate2>", " from ", "<int>", " to ", "<int>"),
        ("SWAP qubits ", "<int>", " and ", "<int>"),
        ("Toffoli with controls ", "<int>", " and ", "<int>", " and target ", "<int>"),
        ("<rotation>", "(", "<angle>", ") on qubit ", "<int>"),
    ),
    "gate1": (("H",), ("X",), ("Y",), ("Z",), ("S",), ("T",)),
    "gate2": (("CNOT",), ("CZ",)),
    "rotation": (("RX",), ("RY",), ("RZ",)),
    "angle": (("pi",), ("pi/", "<int>"), ("<num>",)),
    "dline": (("D ", "<slot_ligand>", " | ", "<slot_protein>", " | ", "<dock>", "<dopt>*"),),
    "dock": (("vina",), ("quantum",)),
    "dopt": (
        (" | center=", "<signed>", ",", "<signed>", ",", "<signed>"),
        (" | size=", "<num>", ",", "<num>", ",", "<num>"),
        (" | exhaustiveness=", "<int>"),
    ),
    "signed": (("-?", "<num>"),),
    # S <library> | <protein> | <option>...: a screen (plan.ScreenCall), files as their slots
    "sline": (("S ", "<slot_library>", " | ", "<slot_protein>", "<sopt>*"),),
    "sopt": (
        (" | reference_ligand=", "<slot_molfile>"),
        (" | box_from=", "<slot_molfile>"),
        (" | box_from=", "<slot_group>"),
        (" | center=", "<signed>", ",", "<signed>", ",", "<signed>"),
        (" | size=", "<num>", ",", "<num>", ",", "<num>"),
        (" | exhaustiveness=", "<int>"),
        (" | num_poses=", "<int>"),
        (" | seed=", "<int>"),
        (" | workers=", "<int>"),
        (" | cluster=", "<slot_address>"),
        (" | out=", "<slot_folder>"),
    ),
    # V <the chemistry reader's canonical sentence> (bioql.chemistry.reading): VQE or MaxCut
    "chem": (
        ("Estimate the ground-state energy of ", "<molecule>", "<at>?", " in the ", "<basis>",
         " basis", "<charge>?", "<spin>?", "<electrons>?", ", by VQE with ", "<ansatz>",
         "<method_end>"),
        ("Compute the dissociation curve of ", "<molecule>", " from ", "<num>", " to ", "<num>",
         " Å in ", "<int>", " points in the ", "<basis>", " basis", "<charge>?", "<spin>?",
         "<electrons>?", ", by VQE with ", "<ansatz>", "<method_end>"),
        ("Solve MaxCut on a ", "<int>", "-node ", "<family>", " with QAOA of depth ", "<int>",
         "<optimizer_end>?"),
        ("Solve MaxCut ", "<edges_lead>", "<edge>", "<edges>*",
         " with QAOA of depth ", "<int>", "<optimizer_end>?"),
    ),
    "molecule": (("H2",), ("LiH",), ("BeH2",), ("H2O",), ("NH3",), ("N2",)),
    "at": ((" at ", "<num>", " Å"),),
    "basis": (
        ("STO-3G",), ("STO-6G",), ("<int>", "-21G"), ("<int>", "-31G"), ("<int>", "-31G*"),
        ("<int>", "-31G**"), ("<int>", "-311G"), ("cc-pVDZ",), ("cc-pVTZ",), ("aug-cc-pVDZ",),
        ("def2-SVP",),
    ),
    "charge": ((" with charge ", "<sign>", "<int>"),),
    "sign": (("+",), ("-",)),
    "spin": (
        (" as a singlet",), (" as a doublet",), (" as a triplet",), (" as a quartet",),
        (" as a quintet",), (" with multiplicity ", "<int>"),
    ),
    "electrons": (
        (" with an active space of ", "<int>", " electrons in ", "<int>", " orbitals"),
        (" with a frozen core",),
        (" with all electrons active",),
    ),
    "ansatz": (
        ("the UCCSD ansatz",),
        ("the hardware-efficient ansatz with ", "<int>", " layers"),
    ),
    "method_end": (
        (" and the ", "<mapping>", " mapping"),
        (", the ", "<mapping>", " mapping and the ", "<optimizer>", " optimizer"),
    ),
    "mapping": (("parity",), ("jordan-wigner",), ("bravyi-kitaev",)),
    "optimizer": (
        ("COBYLA",), ("L-BFGS-B",), ("SLSQP",), ("BFGS",), ("Nelder-Mead",), ("Powell",),
    ),
    "optimizer_end": ((" and the ", "<optimizer>", " optimizer"),),
    "family": (("ring",), ("path",), ("star",), ("complete graph",)),
    # "for the edges 0-1, ...", or with a node count beyond the edges' (an isolated node):
    # "on 5 nodes with the edges 0-1, ..." (bioql.chemistry.reading.maxcut_reading)
    "edges_lead": (("for the edges ",), ("on ", "<int>", " nodes with the edges ")),
    "edge": (("<int>", "-", "<int>", "<weight>?"),),
    "weight": ((":", "<num>"),),
    "edges": ((", ", "<edge>"),),
    "where": (
        (" on ", "<backend>", " with ", "<int>", " shots"),
        (" on ", "<backend>"),
        (" with ", "<int>", " shots"),
    ),
    "int": (("<slot_int>",), ("<literal_int>",)),
    "num": (("<slot_number>",), ("<literal_number>",)),
    # slot_<role> and literal_<kind> rules depend on the request: see Grammar
}  # fmt: skip

_REF = re.compile(r"<([a-z0-9_]+)>([?*+]?)")
_CLASS = re.compile(r"(\[[^\]]+\])([?*+]?)")


#: which slot values may fill each role (a slot's value is a string from ``slots.Slots``)
ROLES: dict[str, Callable[[str], bool]] = {
    "int": lambda v: re.fullmatch(r"0|[1-9][0-9]*", v) is not None,
    "number": lambda v: re.fullmatch(r"[0-9]+(?:\.[0-9]+)?", v) is not None,
    "bits": lambda v: re.fullmatch(r"[01]+", v) is not None,
    "device": lambda v: re.fullmatch(r"[a-z]+", v) is not None,
    "protein": lambda v: re.search(r"\.pdb(?:qt)?$", v, re.I) is not None,
    "ligand": lambda v: (
        not re.fullmatch(r"[0-9.]+|[a-z]+", v) and not ROLES["protein"](v) and not _file_or_place(v)
    ),
    # a screen's values (slots.py): its library, a ligand file, a residue, an address, a folder
    "library": lambda v: re.search(r"\.(?:smiles|smi|csv|tsv|sdf)$", v, re.I) is not None,
    "molfile": lambda v: re.search(r"\.(?:sdf|mol2|mol|pdb)$", v, re.I) is not None,
    "group": lambda v: re.fullmatch(r"[A-Z][A-Z0-9]{1,3}(?::[A-Z]:[0-9]+)?", v) is not None,
    "address": lambda v: "://" in v,
    "folder": lambda v: (
        re.fullmatch(r"[\w~./\\-]+", v) is not None
        and re.fullmatch(r"[0-9.]+", v) is None
        and re.search(r"\.(?:smiles|smi|csv|tsv|sdf|mol2|mol|pdb|pdbqt)$", v, re.I) is None
    ),
}


def _file_or_place(value: str) -> bool:
    """A file name, a cluster address or a folder written with a slash: never a SMILES."""
    files = r"\.(?:smiles|smi|csv|tsv|sdf|mol2|mol)$|/$"
    return "://" in value or re.search(files, value, re.I) is not None


_ANY_SLOT = r"\#[1-9][0-9]?"
_NEVER = r"(?!)"


class Grammar:
    """The plan language for one request: slot ``#k`` only where its value fits.

    With the request's slot values, a shot count can only be a slot holding a whole number,
    a device a slot holding a device name, the ligand the slot holding the SMILES; and a
    number the request contains can only be written as its slot, never retyped (which is
    how training targets are made: ``Slots.encode`` slots every value of the request).
    Without values (``Grammar()``) any slot fills any role.
    """

    def __init__(self, values: Sequence[str] | None = None):
        self.values = None if values is None else tuple(values)
        self.pattern = _compiled(self.values)

    def accepts(self, text: str) -> bool:
        """Whether ``text`` (a plan with slots, without the end marker) is in the language."""
        return self.pattern.fullmatch(text) is not None

    def viable(self, text: str) -> bool:
        """Whether ``text`` is a plan or can still be extended into one."""
        if text.endswith("\ufffd"):
            # the first byte of a multi-byte character: the only ones in the language are Φ, Ψ, Å
            head = text[:-1]
            return not head.endswith("\ufffd") and any(
                self.pattern.fullmatch(head + c, partial=True) for c in "ΦΨÅ"
            )
        return self.pattern.fullmatch(text, partial=True) is not None


@functools.lru_cache(maxsize=256)
def _compiled(values: tuple[str, ...] | None) -> regex.Pattern[str]:
    # each rule is defined once and called by name ((?&rule)), so the pattern stays small
    # and compiling one per request takes a few milliseconds
    extra = _request_rules(values)
    empty = {name for name, body in extra.items() if body == _NEVER}
    productive = _productive(empty)
    rules = {name: _rule_body(alts) for name, alts in productive.items()} | extra
    defined = "".join(f"(?P<{name}>{body})" for name, body in rules.items())
    return regex.compile(f"(?(DEFINE){defined})(?&root)")


def _productive(empty: set[str]) -> dict[str, tuple[tuple[str, ...], ...]]:
    """RULES without the alternatives that need a rule this request leaves empty.

    Partial matching cannot see that "D " leads nowhere when the request has no ligand (the
    empty rule is only tried once text reaches it), so such a prefix would look viable and the
    decoder would walk into a dead end; dropping the alternative removes the prefix itself.
    """
    rules = dict(RULES)
    while True:
        pruned = {
            name: tuple(alt for alt in alts if not _needs(alt, empty))
            for name, alts in rules.items()
        }
        newly = {name for name, alts in pruned.items() if not alts} - empty
        rules = pruned
        if not newly:
            return {name: alts or ((_NEVER_ITEM,),) for name, alts in rules.items()}
        empty |= newly


def _needs(alternative: tuple[str, ...], empty: set[str]) -> bool:
    """Whether the alternative requires (not ``?`` / ``*``) one of the ``empty`` rules."""
    refs = (_REF.fullmatch(item) for item in alternative)
    return any(r and r.group(1) in empty and r.group(2) in ("", "+") for r in refs)


def _rule_body(alternatives: tuple[tuple[str, ...], ...]) -> str:
    return "|".join("".join(_regex_item(i) for i in alt) for alt in alternatives)


def _request_rules(values: tuple[str, ...] | None) -> dict[str, str]:
    if values is None:
        rules = {f"slot_{role}": _ANY_SLOT for role in ROLES}
        taken = ""
    else:
        rules = {
            f"slot_{role}": "|".join(rf"\#{k}(?![0-9])" for k, v in enumerate(values, 1) if fits(v))
            or _NEVER
            for role, fits in ROLES.items()
        }
        numbers = sorted({v for v in values if ROLES["number"](v)}, key=len, reverse=True)
        # a literal equal to a value of the request (24 or 24.0 for "24") must be its slot
        taken = (
            "(?!(?:" + "|".join(regex.escape(n) for n in numbers) + r")(?:\.0+)?(?![0-9.]))"
            if numbers
            else ""
        )
    rules["literal_int"] = taken + "[0-9]+"
    ends = [v for v in values or () if ROLES["int"](v)]
    rules["range_end"] = (
        "[0-9]+"
        if values is None
        else "|".join(regex.escape(v) + "(?![0-9])" for v in ends) or _NEVER
    )
    rules["literal_number"] = taken + r"[0-9]+(?:\.[0-9]+)?"
    rules["literal_bits"] = taken + "[01]+"
    return rules


_NEVER_ITEM = "<never>"


def _regex_item(item: str) -> str:
    if item == _NEVER_ITEM:
        return _NEVER
    if item.startswith("<") and not _REF.fullmatch(item):
        raise ValueError(f"bad rule reference {item!r}")  # else it would match as literal text
    if ref := _REF.fullmatch(item):
        return f"(?&{ref.group(1)}){ref.group(2)}"
    if cls := _CLASS.fullmatch(item):
        return cls.group(1) + cls.group(2)
    if item == "-?":
        return "-?"
    return regex.escape(item)


@dataclass(frozen=True)
class Fork:
    """A greedy step where another allowed token came close: ``token`` at ``position`` of the
    answer, ``gap`` logits below the one taken (``plan.search`` retries the closest)."""

    position: int
    token: int
    gap: float


class Constraint:
    """Decoding inside the plan language, token by token.

    ``decode`` turns generated token ids into text. :meth:`allowed` takes the candidates in
    the model's order of preference and keeps those that leave the text viable (the end token
    only when the text is a whole plan); greedy decoding takes the first and records in
    :attr:`forks` where the runner-up was within :attr:`FORK_GAP`. ``prefix`` forces the
    answer's first tokens (a retry from a fork).
    """

    #: candidates examined per step; the model's own choice is almost always among the first
    SEARCH = 64
    #: how far down the ranking to look when none of those fits (a trained model puts a
    #: fitting token far higher; scanning all 49k tokens would cost ~1 s)
    DEPTH = 4096
    #: a runner-up further below the best than this (in logits, ≈ e^4 = 55× less likely) is
    #: not a fork worth retrying, and looking further would cost grammar checks at every step
    FORK_GAP = 4.0

    def __init__(
        self,
        grammar: Grammar,
        decode: Callable[[list[int]], str],
        eos_id: int,
        banned: Sequence[int] = (),
        prefix: Sequence[int] = (),
    ):
        self.grammar = grammar
        self.decode = decode
        self.eos_id = eos_id
        self.banned = set(banned)
        self.prefix = [int(t) for t in prefix]
        self.forks: list[Fork] = []

    def choices(self, generated: list[int], logits: Any, sampling: bool) -> list[int]:
        """The next tokens allowed, best first: the single best for greedy decoding, up to
        ``SEARCH`` to sample from (empty when no token within ``DEPTH`` continues a plan)."""
        if len(generated) < len(self.prefix):
            return [self.prefix[len(generated)]]
        if sampling:
            return self.allowed(generated, ranked(logits), self.SEARCH)
        best = self.allowed(generated, ranked(logits), 1)
        if best:
            self._note_fork(generated, logits, best[0])
        return best

    def _note_fork(self, generated: list[int], logits: Any, best: int) -> None:
        import numpy as np

        logits = np.asarray(logits)
        floor = logits[best] - self.FORK_GAP
        close = np.flatnonzero(logits >= floor)
        for token in close[np.argsort(-logits[close], kind="stable")][: self.SEARCH].tolist():
            if token != best and self.allowed(generated, [token]):
                gap = float(logits[best] - logits[token])
                self.forks.append(Fork(len(generated), token, gap))
                return

    def allowed(self, generated: list[int], ranked: Iterable[int], limit: int = 1) -> list[int]:
        """Up to ``limit`` of ``ranked`` (best first) that keep ``generated`` inside the language."""
        text = self.decode(generated)
        keep: list[int] = []
        for token in ranked:
            token = int(token)
            if token in self.banned:
                continue
            if token == self.eos_id:
                ok = self.grammar.accepts(text)
            else:
                longer = self.decode([*generated, token])
                # a token that writes nothing (a special token) cannot advance a plan; the
                # second byte of Ψ does without growing the text (it replaces the \ufffd)
                ok = longer != text and self.grammar.viable(longer)
            if ok:
                keep.append(token)
                if len(keep) >= limit:
                    break
        return keep


def ranked(logits: Any) -> Iterator[int]:
    """Token ids best first: the top ``SEARCH`` at once, down to ``DEPTH`` only if needed."""
    import numpy as np

    logits = np.asarray(logits)
    for depth in (Constraint.SEARCH, Constraint.DEPTH):
        if depth < logits.shape[0]:
            top = np.argpartition(-logits, depth)[:depth]
            order = top[np.argsort(-logits[top], kind="stable")]
        else:
            order = np.argsort(-logits, kind="stable")
        shown = Constraint.SEARCH if depth == Constraint.DEPTH else 0
        yield from order[shown:].tolist()
        if depth >= logits.shape[0]:
            return
