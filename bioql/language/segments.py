"""A request of several runs → one description per run, each read by :func:`compile_description`.

>>> [p.num_qubits for p in read_steps("Create GHZ states on 2, 3 and 4 qubits").programs]
[2, 3, 4]

``compile_description`` reads one circuit. People also ask for several runs in one sentence:

* a sweep over a value — "GHZ states on 2, 3 and 4 qubits", "from 4 to 7 qubits", "a Bell state
  with 100, 1000 and 10000 shots", "on the simulator and on fake_brisbane";
* several circuits — "a GHZ state and also Bernstein-Vazirani with secret 0101";
* a comparison of any of these — "compare a Bell state and a GHZ state", "… versus …".

The words that make a request several runs (``COMPARE``, ``SWEEP``, ``ALSO`` in the lexicon's
``REQUEST_WORDS``) are taken out, the request is cut into the text of each run (a listed value put
in its list's place, one backend of a list at a time, or the text between two runs), and each run
is read by the language as a whole: a word it cannot place is named in the error, as for one
circuit. Nothing is guessed here: shots and backend rules, sizes and constructs are the language's.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from bioql.circuits.ir import Program
from bioql.errors import BioQLError, BioQLParseError, BioQLValueError
from bioql.language.classify import tokenize
from bioql.language.clauses import token_category
from bioql.language.compiler import compile_description
from bioql.language.lexicon import FILLERS, REQUEST_PHRASES, REQUEST_WORDS, correct
from bioql.language.normalize import clean
from bioql.language.numbers import SCALES, UNITS, merge_number_words
from bioql.language.options import _BACKEND_CONCEPTS
from bioql.language.tokens import Token

MAX_SWEEP = 12  # "from 2 to 14 qubits" at most


@dataclass
class Steps:
    """The runs a request asks for, in order, and how they relate."""

    programs: list[Program]
    vary: str  # what differs between runs: "n", "shots", "backend" or "description"
    compare: bool = False
    texts: list[str] = field(default_factory=list)  # the text each run was read from


@dataclass
class _Span:
    tok: Token
    start: int
    end: int
    word: str  # the word as typed, lower case, no accents ("" for numbers and symbols)


def read_steps(text: str) -> Steps | None:
    """The runs ``text`` asks for, or None when it has no words of several runs.

    Raises the language's error (naming the words it cannot place) when it has such words but a
    run cannot be read.
    """
    cleaned = clean(text)
    spans = _spans(cleaned)
    if spans is None:
        return None
    marks = _marks(spans)
    compare = "COMPARE" in marks.values()
    backend_list = any(len(group) > 1 for group in _backend_lists(spans, set()))
    if not marks and not backend_list and not _value_list(spans, set()):
        return None
    dropped = {i for i, c in marks.items() if c in ("COMPARE", "SWEEP")}
    values = _value_list(spans, dropped, swept=bool(dropped))
    if values is not None:
        vary, (start, end), listed = values
        texts = [_text(cleaned, spans, dropped, {(start, end): str(v)}) for v in listed]
        return Steps([compile_description(t) for t in texts], vary, compare, texts)
    backends = _backend_lists(spans, dropped)
    if len(backends) == 1 and len(backends[0]) > 1:
        (mentions,) = backends
        whole = (spans[mentions[0][0]].start, spans[mentions[-1][-1]].end)
        texts = [
            _text(cleaned, spans, dropped, {whole: _join(cleaned, spans, m)}) for m in mentions
        ]
        programs = [compile_description(t) for t in texts]
        if len({p.backend for p in programs}) == len(programs):
            return Steps(programs, "backend", compare, texts)
    runs = _runs(cleaned, spans, dropped, marks)
    if runs is None:
        if compare:
            compile_description(_text(cleaned, spans, dropped, {}))  # names what it cannot read
            raise BioQLParseError(
                "The request asks to compare, but BioQL reads only one run in it; name both, "
                "e.g. 'Compare a Bell state and a GHZ state'.",
                unknown_words=[spans[i].tok.raw for i, c in marks.items() if c == "COMPARE"],
            )
        return None
    return Steps([p for _, p in runs], "description", compare, [t for t, _ in runs])


def separate_runs(text: str) -> Steps | None:
    """ "A GHZ state and also Bernstein-Vazirani": named states or algorithms joined by "and also"
    (``ALSO``) are separate runs, not one circuit; None when the request has no such joint or a
    part is only gates ("H on qubit 0 and also X on qubit 1" is one circuit)."""
    cleaned = clean(text)
    spans = _spans(cleaned)
    if spans is None:
        return None
    marks = _marks(spans)
    splits = sorted(i for i, c in marks.items() if c == "ALSO")
    if not splits:
        return None
    dropped = {i for i, c in marks.items() if c in ("COMPARE", "SWEEP")}
    runs = _read_pieces(cleaned, spans, dropped, _group(splits))
    if runs is None or any(set(p.kinds) <= {"gate"} for _, p in runs):
        return None
    compare = "COMPARE" in marks.values()
    return Steps([p for _, p in runs], "description", compare, [t for t, _ in runs])


# -- words as typed, with their place in the text ------------------------------------------------
def _spans(cleaned: str) -> list[_Span] | None:
    """The language's tokens of ``cleaned`` with where each was typed (None if one is not found)."""
    low = cleaned.lower()
    out: list[_Span] = []
    cursor = 0
    for tok in tokenize(cleaned):
        raw = tok.raw.lower()
        at = low.find(raw, cursor) if raw else -1
        if at < 0 and out and (not raw or raw == out[-1].tok.raw.lower()):
            prev = out[-1]  # "CCH" → controlled, controlled, H: one typed word, several tokens
            out.append(_Span(tok, prev.start, prev.end, prev.word))
            continue
        if at < 0:
            return None
        word = raw if tok.kind == "word" else ""
        out.append(_Span(tok, at, at + len(raw), word))
        cursor = at + len(raw)
    return out


def _marks(spans: list[_Span]) -> dict[int, str]:
    """Token index → COMPARE / SWEEP / ALSO for the words that make a request several runs."""
    marks: dict[int, str] = {}
    words = [s.word for s in spans]
    for phrase, concept in REQUEST_PHRASES.items():
        for i in range(len(words) - len(phrase) + 1):
            if tuple(words[i : i + len(phrase)]) == phrase:
                marks.update(dict.fromkeys(range(i, i + len(phrase)), concept))
    for i, word in enumerate(words):
        for concept in ("COMPARE", "SWEEP", "ALSO"):
            if i not in marks and word in REQUEST_WORDS[concept]:
                marks[i] = concept
    for i in sorted(marks):  # "compare both": the runs are named after it
        if marks[i] == "COMPARE" and i + 1 < len(spans) and spans[i + 1].tok.is_("BOTH"):
            marks[i + 1] = "COMPARE"
    return marks


def _text(
    cleaned: str, spans: list[_Span], dropped: set[int], put: dict[tuple[int, int], str]
) -> str:
    """``cleaned`` with the dropped tokens blanked and each span of ``put`` replaced."""
    edits = {(spans[i].start, spans[i].end): " " for i in dropped}
    edits.update({k: f" {v} " for k, v in put.items()})
    out, cursor = [], 0
    for (start, end), value in sorted(edits.items()):
        if start < cursor:
            continue  # inside an edit already made
        out += [cleaned[cursor:start], value]
        cursor = end
    out.append(cleaned[cursor:])
    return re.sub(r"\s+", " ", "".join(out)).strip()


def _join(cleaned: str, spans: list[_Span], indices: list[int]) -> str:
    return "on " + cleaned[spans[indices[0]].start : spans[indices[-1]].end]


# -- a list of values: "2, 3 and 4 qubits", "from 4 to 7 qubits", "100 and 1000 shots" ------------
_RANGE_WORDS = {"to", "a", "hasta", "through", "thru"}
_FROM_WORDS = {"from", "de", "desde", "between", "entre"}
_LIST_WORDS = {"and", "y", "e"}  # "3 or 4 qubits" is a choice, not a sweep


def _value_list(
    spans: list[_Span], dropped: set[int], swept: bool = False
) -> tuple[str, tuple[int, int], list[int]] | None:
    """(``n`` or ``shots``, the list's place, its values) for the one list before a qubit or shot
    word; None when there is none. Two lists (sizes and shots) would be a grid: refused.

    A list of sizes is a sweep only when the request says so (``swept``: "sweep", "for each
    size", "compare") or names its construct in the plural ("GHZ states on 2, 3 and 4 qubits"):
    "entangle 2 and 3 qubits" names qubits, not sizes."""
    found = []
    for k, span in enumerate(spans):
        if k in dropped or not span.tok.is_("QUBIT", "SHOTS"):
            continue
        listed = _list_before(spans, k, dropped)
        vary = "n" if span.tok.is_("QUBIT") else "shots"
        if listed is not None and (vary == "shots" or swept or _plural_construct(spans)):
            found.append((vary, *listed))
    if len(found) > 1:
        raise BioQLValueError(
            "The request lists values for more than one setting (e.g. sizes and shot counts); "
            "ask for one sweep at a time, e.g. 'GHZ states on 2, 3 and 4 qubits'."
        )
    return found[0] if found else None


def _plural_construct(spans: list[_Span]) -> bool:
    """ "GHZ states", "superposiciones", "the QFTs": a construct or state named in the plural."""
    return any(
        (token_category(s.tok) == "construct" or s.tok.is_("STATE"))
        and s.word.endswith("s")
        and not s.word.endswith("ss")
        for s in spans
    )


def _list_before(
    spans: list[_Span], k: int, dropped: set[int]
) -> tuple[tuple[int, int], list[int]] | None:
    j = k - 1
    numbers: list[int] = []  # token indices, last first
    joiners: list[str] = []
    while j >= 0 and j not in dropped:
        tok = spans[j].tok
        if tok.kind == "num" and tok.value is not None and tok.value == int(tok.value):
            numbers.append(j)
        elif numbers and (tok.text == "," or spans[j].word in _LIST_WORDS | _RANGE_WORDS):
            joiners.append(spans[j].word or tok.text)
        else:
            break
        j -= 1
    if len(numbers) < 2 or not spans[numbers[0]].end <= spans[k].start:
        return None
    if spans[j + 1].tok.kind != "num":
        return None  # "qubit 0 and 2 qubits": the list must start with a number
    values = [int(spans[i].tok.value or 0) for i in reversed(numbers)]
    start = spans[numbers[-1]].start
    if any(w in _RANGE_WORDS for w in joiners):
        low, high = values[0], values[-1]
        if len(values) != 2 or not 0 < high - low <= MAX_SWEEP:
            return None
        values = list(range(low, high + 1))
        if j >= 0 and j not in dropped and spans[j].word in _FROM_WORDS:
            start = spans[j].start
    elif len(set(values)) != len(values):
        return None
    return (start, spans[numbers[0]].end), values


# -- a list of backends: "on the simulator and on fake_brisbane" ----------------------------------
def _backend_lists(spans: list[_Span], dropped: set[int]) -> list[list[list[int]]]:
    """Backend mentions (token indices), grouped into lists: two mentions are in one list when
    only fillers and at least one comma, "and" or comparison word separate them."""
    lists: list[list[list[int]]] = []
    mention: list[int] | None = None
    joinable = joined = False  # only joining words since the last mention / one of them a joint
    for i, span in enumerate(spans):
        tok = span.tok
        if tok.kind == "word" and tok.concept in _BACKEND_CONCEPTS and i not in dropped:
            if mention is None:
                if not (joinable and joined and lists):
                    lists.append([])
                mention = []
                lists[-1].append(mention)
            mention.append(i)
            continue
        if mention is not None and tok.is_("FILLER") and span.word in ("of", "de", "s"):
            mention.append(i)  # "the noisy simulator of IBM Torino"
            continue
        joint = i in dropped or tok.is_("AND") or (tok.kind == "sep" and tok.text == ",")
        joining = joint or tok.is_("FILLER")
        if mention is not None:
            mention, joinable, joined = None, joining, joint
        else:
            joinable, joined = joinable and joining, joined or joint
    for group in lists:
        for m in group:
            while m and spans[m[-1]].tok.is_("FILLER"):
                m.pop()
    return lists


# -- several runs: "a GHZ state and also Bernstein-Vazirani", "compare X and Y" -------------------
def _runs(
    cleaned: str, spans: list[_Span], dropped: set[int], marks: dict[int, str]
) -> list[tuple[str, Program]] | None:
    """Each run's text and program, cutting at the ``ALSO`` words or, in a comparison, where the
    runs read; None when the request reads as one run."""
    splits = sorted(i for i, c in marks.items() if c == "ALSO")
    if splits:
        cuts = _group(splits)
        runs = _read_pieces(cleaned, spans, dropped, cuts)
        if runs is None:
            raise _first_error(cleaned, spans, dropped, cuts)
        return runs
    if "COMPARE" not in marks.values():
        return None
    content = [i for i, s in enumerate(spans) if i not in dropped and not s.tok.is_("FILLER")]
    joints = [
        # "X versus Y", "X vs Y": a comparison word between two runs
        [i for i, c in marks.items() if c == "COMPARE" and content and content[0] < i],
        # "compare X and Y", "compara X, Y y Z"
        [
            i
            for i in content
            if spans[i].tok.is_("AND") or (spans[i].tok.kind == "sep" and spans[i].tok.text == ",")
        ],
        # "compare X with Y"
        [i for i, s in enumerate(spans) if i not in dropped and s.word in ("with", "con")],
    ]
    for candidates in joints:
        found = _comparisons(cleaned, spans, dropped, candidates)
        if len(found) > 1:
            raise BioQLParseError(
                "The comparison can be cut into runs in more than one way ("
                + " / ".join(" | ".join(p.reading for _, p in runs) for runs in found[:2])
                + "); name each run, e.g. 'Compare a Bell state and a GHZ state on 4 qubits'.",
                unknown_words=[],
            )
        if found:
            return found[0]
    return None


def _comparisons(
    cleaned: str, spans: list[_Span], dropped: set[int], candidates: list[int]
) -> list[list[tuple[str, Program]]]:
    """The distinct readings of a comparison cut at one of ``candidates`` or at all of them, each
    run one construct (a run that joins two named constructs is two runs read as one)."""
    cuts = [[i] for i in candidates]
    if len(candidates) > 1:
        cuts.append(candidates)
    found: dict[tuple[object, ...], list[tuple[str, Program]]] = {}
    for joint in cuts:
        runs = _read_pieces(cleaned, spans, dropped, [[i] for i in joint])
        if runs is None or any(_constructs(p) > 1 for _, p in runs):
            continue
        found.setdefault(tuple(_key(p) for _, p in runs), runs)
    return list(found.values())


def _key(program: Program) -> object:
    return (repr(list(program.gates())), program.measured, program.shots, program.backend)


def _constructs(program: Program) -> int:
    return sum(k not in ("gate", "basis", "state", "amplitudes") for k in program.kinds)


def _group(indices: list[int]) -> list[list[int]]:
    """Consecutive token indices ("and also") are one cut."""
    groups: list[list[int]] = []
    for i in indices:
        if groups and groups[-1][-1] == i - 1:
            groups[-1].append(i)
        else:
            groups.append([i])
    return groups


def _pieces(
    cleaned: str, spans: list[_Span], dropped: set[int], cuts: list[list[int]]
) -> list[str]:
    bounds = [0, *(x for c in cuts for x in (spans[c[0]].start, spans[c[-1]].end)), len(cleaned)]
    return [
        _slice(cleaned, spans, {i for i in dropped if a <= spans[i].start < b}, a, b)
        for a, b in zip(bounds[::2], bounds[1::2], strict=True)
    ]


def _slice(cleaned: str, spans: list[_Span], dropped: set[int], a: int, b: int) -> str:
    chars = list(cleaned[a:b])
    for i in dropped:
        for k in range(spans[i].start - a, spans[i].end - a):
            chars[k] = " "
    return re.sub(r"\s+", " ", "".join(chars)).strip(" ,;")


def _read_pieces(
    cleaned: str, spans: list[_Span], dropped: set[int], cuts: list[list[int]]
) -> list[tuple[str, Program]] | None:
    pieces = _pieces(cleaned, spans, dropped, cuts)
    try:
        programs = [compile_description(p) for p in pieces]
    except BioQLError:
        return None
    _share_options(programs)
    return list(zip(pieces, programs, strict=True))


def _first_error(
    cleaned: str, spans: list[_Span], dropped: set[int], cuts: list[list[int]]
) -> BioQLError:
    for piece in _pieces(cleaned, spans, dropped, cuts):
        try:
            compile_description(piece)
        except BioQLError as exc:
            return exc
    return BioQLParseError("BioQL could not read each run of this request.")  # pragma: no cover


def _share_options(programs: list[Program]) -> None:
    """Shots or a backend stated for one run only ("… and also BV, with 500 shots") are the
    request's: every run uses them."""
    for name in ("shots", "backend"):
        stated = {getattr(p, name) for p in programs} - {None}
        if len(stated) == 1:
            (value,) = stated
            for p in programs:
                setattr(p, name, value)


# -- one spelling per meaning ----------------------------------------------------------------------
_NUMBER_WORD = "|".join(sorted((*UNITS, *SCALES), key=len, reverse=True))
_NUMBER_RUN = re.compile(
    rf"\b(?:(?:a|an|un|una)\s+)?(?:{_NUMBER_WORD})(?:[\s-]+(?:(?:and|y)\s+)?(?:{_NUMBER_WORD}))*\b"
)


_GROUPED = re.compile(r"\b[1-9][0-9]{0,2}(?:[,.][0-9]{3})+\b(?![.,][0-9])")
_KILO = re.compile(r"\b([0-9]+)\s?k\b")


def plain_text(text: str) -> str:
    """``text`` in lower case without accents, typos of known words fixed and number words
    written as digits ("Dos mil quinientos disparos" → "2500 disparos"), punctuation kept: one
    spelling per meaning, by the language's own word lists and typo rules."""
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c)).lower()
    text = text.replace("⟩", ">").replace("〉", ">").replace("−", "-").replace("–", "-")
    text = re.sub(r"[a-z]+", lambda m: _fixed(m.group(0)), text)
    text = _GROUPED.sub(lambda m: re.sub(r"[,.]", "", m.group(0)), text)  # "2.000", "2,000"
    text = _KILO.sub(lambda m: str(int(m.group(1)) * 1000), text)  # "2k shots"
    return _NUMBER_RUN.sub(_digits, text)


_KNOWN = FILLERS.union(*REQUEST_WORDS.values())


def _fixed(word: str) -> str:
    if word in _KNOWN:
        return word  # "dock" is no typo of "doce"
    return correct(word) or word


def _digits(match: re.Match[str]) -> str:
    words = match.group(0).replace("-", " ").split()
    if len(words) == 1 and words[0] in FILLERS:
        return match.group(0)  # "run it once" (Spanish 11 only beside another number word)
    merged = merge_number_words([Token("word", w, w) for w in words])
    if len(merged) == 1 and merged[0].kind == "num":
        return str(merged[0].value)
    return match.group(0)
