"""Raw tokens → concept tokens: typo correction, number words, phrases, then single words."""

from __future__ import annotations

import re
from itertools import pairwise

from bioql.circuits.ir import CONTROLLED_BASE, GATE_ARITY, GATE_PARAMS
from bioql.errors import BioQLParseError
from bioql.language.lexicon import (
    DEFINITE,
    FILLERS,
    LEXICON,
    PHRASES,
    PRONOUNS,
    SETTING,
    concept_of,
    correct,
    y_is_gate,
)
from bioql.language.normalize import lex
from bioql.language.numbers import merge_number_words
from bioql.language.tokens import Token

_SEPARATORS = {",", ";", ".", "!", "?", "\n"}
_SYMBOL_CONCEPTS = {"+": "PLUS", "-": "MINUS", "/": "OVER", "*": "TIMES_SYM"}
_MAX_PHRASE = max(len(p) for p in PHRASES)
_AXES = {"GATE:x": "AXIS:x", "GATE:y": "AXIS:y", "GATE:z": "AXIS:z"}


# "CCX", "C3X", "CCH", "MCZ", "C3SX": a gate written with its controls as a prefix.
_PREFIXED_GATE = re.compile(r"^(?:(c+)|c([0-9]+)|(mc))(x|y|z|h|sx|not|p)$")
_PREFIX_BASE = {"x": "GATE:x", "not": "GATE:x", "y": "GATE:y", "z": "GATE:z", "h": "GATE:h",
                "sx": "GATE:sx", "p": "GATE:p"}  # fmt: skip


def tokenize(text: str) -> list[Token]:
    """The full front half of the compiler: text → concept tokens."""
    tokens = _thousands(_expand_prefixed_gates(_join_digit_prefixes(lex(text))))
    _protect_argument_commas(tokens)
    tokens = _split_clitics(tokens)
    for tok in tokens:
        if tok.kind == "word" and not tok.concept:
            fixed = correct(tok.text)
            if fixed is not None:
                tok.text = fixed
    tokens = merge_number_words(tokens)
    _mark_the_one(tokens)
    _mark_chat_you(tokens)
    _mark_english_once(tokens)
    _mark_function_values(tokens)
    tokens = _apply_phrases(tokens)
    for i, tok in enumerate(tokens):
        _assign(tokens, i, tok)
    tokens = _odd_kets(tokens)
    tokens = _control_verbs(tokens)
    tokens = _control_conditions(tokens)
    _mark_rotation_axes(tokens)
    _mark_ones_and_but(tokens)
    _mark_controls_set(tokens)
    _mark_bit_strings(tokens)
    _mark_listed_strings(tokens)
    _mark_set_values(tokens)
    _mark_all_set(tokens)
    _mark_vague_words(tokens)
    _mark_named_arguments(tokens)
    _mark_noiseless(tokens)
    _mark_acting_and_count(tokens)
    _mark_asked_outcomes(tokens)
    tokens = _said_sizes(_assigned_sizes(tokens))
    for before, tok in pairwise(tokens):
        if before.is_("CONTROLLED") and tok.is_("PHASE"):
            tok.concept = "GATE:p"  # "controlled phase" is CP, not phase estimation
    _mark_restated_names(tokens)
    _mark_appositions(tokens)
    _mark_said_how(tokens)
    _mark_sandwiches(tokens)
    _mark_inverse_of(tokens)
    _mark_start_words(tokens)
    _mark_sequence_words(tokens)
    return tokens


def _thousands(tokens: list[Token]) -> list[Token]:
    """ "1k shots", "2K": a number with a k is in thousands."""
    out: list[Token] = []
    for tok in tokens:
        prev = out[-1] if out else None
        if (
            tok.kind == "word"
            and tok.text == "k"
            and prev is not None
            and prev.kind == "num"
            and prev.value is not None
        ):
            value = prev.value * 1000
            text = str(int(value)) if value == int(value) else str(value)
            out[-1] = Token("num", text, prev.raw + tok.raw, value=value)
            continue
        out.append(tok)
    return out


def _join_digit_prefixes(tokens: list[Token]) -> list[Token]:
    """ "C3X" is lexed as C, 3, X: join it back into one word when it is a gate name."""
    out: list[Token] = []
    i = 0
    while i < len(tokens):
        window = tokens[i : i + 3]
        if (
            len(window) == 3
            and window[0].kind == "word"
            and window[0].text == "c"
            and window[1].kind == "num"
            and window[2].kind == "word"
            and " " not in "".join(t.raw for t in window)
        ):
            word = "c" + window[1].text + window[2].text
            if _PREFIXED_GATE.match(word):
                out.append(Token("word", word, "".join(t.raw for t in window)))
                i += 3
                continue
        if (
            len(window) == 3
            and window[0].text == "u"
            and window[1].text == "3"
            and window[2].text == "("
        ):  # "U3(pi, 0, pi)": Qiskit's old name of U
            out.append(Token("word", "u3", window[0].raw + window[1].raw))
            i += 2
            continue
        out.append(tokens[i])
        i += 1
    return out


def _expand_prefixed_gates(tokens: list[Token]) -> list[Token]:
    """ "CCH" → controlled controlled H; "C3X" → three "controlled"; "MCZ" → multi-controlled Z.

    Names already in the lexicon (CX, CZ, CCX...) keep their meaning, which is the same.
    """
    out: list[Token] = []
    for tok in tokens:
        if tok.kind == "word" and tok.text in ("triple", "triply", "triplemente"):
            out += [Token("word", "controlled", tok.raw, "CONTROLLED") for _ in range(2)]
            continue  # "triple-controlled SX": with the "controlled" that follows, three
        m = _PREFIXED_GATE.match(tok.text) if tok.kind == "word" else None
        if m is None or (tok.text in LEXICON and not tok.text.startswith(("mc", "c3", "c4"))):
            out.append(tok)
            continue
        cs, digits, multi, base = m.groups()
        prefix = (
            ["MULTI", "CONTROLLED"] if multi else ["CONTROLLED"] * (len(cs) if cs else int(digits))
        )
        out += [Token("word", "controlled", tok.raw, c) for c in prefix]
        out.append(Token("word", base, "", _PREFIX_BASE[base]))
    return out


def _protect_argument_commas(tokens: list[Token]) -> None:
    """A comma inside brackets ("U(pi/2, 0, pi)", "cx(0, 1)") separates arguments, not steps."""
    depth = 0
    for tok in tokens:
        if tok.kind != "sym":
            continue
        if tok.text in "([":
            depth += 1
        elif tok.text in ")]":
            depth = max(depth - 1, 0)
        elif tok.text == "," and depth:
            tok.text = "argsep"


def _apply_phrases(tokens: list[Token]) -> list[Token]:
    out: list[Token] = []
    i = 0
    while i < len(tokens):
        for size in range(_MAX_PHRASE, 1, -1):
            window = tokens[i : i + size]
            if len(window) == size and all(t.kind == "word" for t in window):
                concept = PHRASES.get(tuple(t.text for t in window))
                if concept:
                    raw = " ".join(t.raw for t in window)
                    out.append(Token("word", "_".join(t.text for t in window), raw, concept))
                    i += size
                    break
        else:
            out.append(tokens[i])
            i += 1
    return out


def _assign(tokens: list[Token], i: int, tok: Token) -> None:
    if tok.kind == "sym":
        if tok.text in _SEPARATORS or _dash_separates(tokens, i):
            tok.kind = "sep"
        tok.concept = _SYMBOL_CONCEPTS.get(tok.text, "")
        return
    if tok.kind != "word" or tok.concept:
        return
    if tok.text == "u" and i + 1 < len(tokens) and tokens[i + 1].text == "(":
        tok.concept = "GATE:u"  # "U(θ, φ, λ)"; a lone Spanish "u" means "or"
        return
    if tok.text == "y":
        prev = tokens[i - 1].text if i > 0 else None
        nxt = tokens[i + 1].text if i + 1 < len(tokens) else None
        nxt_raw = tokens[i + 1].raw if i + 1 < len(tokens) else ""
        tok.concept = "GATE:y" if y_is_gate(prev, tok.raw, nxt, nxt_raw) else "AND"
        return
    tok.concept = concept_of(tok.text)


def _names_a_ket(inner: list[Token]) -> bool:
    """ "|Φ+>", "|psi->", "|GHZ>": a named state; a bare "|psi>" is any state, so not."""
    if any(t.is_("BELL", "GHZ", "W", "SINGLET") for t in inner):
        return True
    signed = any(t.is_("PLUS", "MINUS") or t.text in "+-" for t in inner)
    return signed and any(t.is_("PHI", "PSI") for t in inner)


def _odd_kets(tokens: list[Token]) -> list[Token]:
    """ "|psi>", "|x>", "|a>": a ket BioQL cannot read is one unknown word, never dropped
    ("|i>" alone would otherwise read as the pronoun "i" between two marks)."""
    out: list[Token] = []
    i = 0
    while i < len(tokens):
        tok = tokens[i]
        end = next(
            (k for k in range(i + 2, min(i + 5, len(tokens))) if tokens[k].text == ">"), None
        )
        inner = tokens[i + 1 : end] if end is not None else []
        if tok.text == "|" and inner and not _names_a_ket(inner):
            said = "".join(t.raw for t in tokens[i : end + 1])  # type: ignore[operator]
            out.append(Token("word", said.lower(), said, "UNKNOWN"))
            i = end + 1  # type: ignore[operator]
            continue
        out.append(tok)
        i += 1
    return out


_WHEN = frozenset({"when", "whenever", "if", "cuando", "si"})
_COPULA = frozenset(
    {"is", "are", "es", "son", "esta", "estan", "equals", "=", "in", "en", "vale", "valen",
     "both", "all", "ambos", "ambas", "todos", "todas", "set", "to", "state", "estado"}
)  # fmt: skip
_WHAT_IF = frozenset({"happens", "happen", "pasa", "ocurre", "sucede", "get", "obtengo"})
_CONDITION_QUBITS = frozenset({"QUBIT", "AND", "THROUGH", "LAST", "MIDDLE", "BOTH", "ALL"})


def _control_conditions(tokens: list[Token]) -> list[Token]:
    """ "flips qubit 3 whenever qubit 1 is one", "X on qubit 1 if qubit 0 is 1": the qubits
    the condition names are the gate's controls ("controlled by qubit 1"); a condition on 0
    (a control on |0>) is named, not read."""
    out: list[Token] = []
    i = 0
    while i < len(tokens):
        tok = tokens[i]
        asks = i > 0 and tokens[i - 1].text in _WHAT_IF  # "what happens if qubit 0 is in |1>"
        end = _condition_end(tokens, i) if tok.text in _WHEN and not asks else None
        if end is None:
            out.append(tok)
            i += 1
            continue
        value = tokens[end]
        if (value.kind == "num" and value.value == 0) or (
            value.kind == "ket" and value.text == "0"
        ):
            out.append(Token("word", tok.text, tok.raw, "UNKNOWN"))
            i += 1
            continue
        out += [
            Token("word", "controlled", tok.raw, "CONTROLLED"),
            Token("word", "by", "", "FILLER"),
        ]
        for t in tokens[i + 1 : end + 1]:
            keep = (t.kind in ("num", "ord") and t is not value) or t.is_(*_CONDITION_QUBITS)
            keep = keep and not t.is_("ALL", "BOTH")
            out.append(t if keep else Token("word", t.text, t.raw, "FILLER"))
        i = end + 1
    return out


def _condition_end(tokens: list[Token], i: int) -> int | None:
    """Where "when <qubits> is/are (all) 1" ends (the position of its value), or None."""
    j, named = i + 1, False
    while j < len(tokens) and (
        tokens[j].is_(*_CONDITION_QUBITS)
        or tokens[j].kind in ("num", "ord")
        or tokens[j].text == ","
    ):
        named = named or tokens[j].is_("QUBIT") or tokens[j].kind == "ord"
        if tokens[j].kind == "num" and j + 1 < len(tokens) and tokens[j + 1].text in _COPULA:
            j += 1
            break
        j += 1
    if not named:
        return None
    while j < len(tokens) and (tokens[j].text in _COPULA or tokens[j].is_("FILLER")):
        j += 1
    if j >= len(tokens):
        return None
    value = tokens[j]
    if (value.kind == "num" and value.value in (0, 1)) or (
        value.kind == "ket" and value.text in "01"
    ):
        return j
    return None


_CLITICS = {"los": "ellos", "las": "ellos", "lo": "it", "la": "it"}


def _split_clitics(tokens: list[Token]) -> list[Token]:
    """ "úsalo", "entrelázalos": a Spanish verb with its object pronoun attached is the verb
    and "it" / "them" (only when the verb alone is a known word)."""
    out: list[Token] = []
    for tok in tokens:
        split = None
        if tok.kind == "word" and not tok.concept and concept_of(tok.text) == "UNKNOWN":
            for ending, pronoun in _CLITICS.items():
                stem = tok.text[: -len(ending)]
                if tok.text.endswith(ending) and len(stem) > 2 and concept_of(stem) != "UNKNOWN":
                    split = (stem, pronoun)
                    break
        if split is None:
            out.append(tok)
            continue
        out.append(Token("word", split[0], tok.raw))
        out.append(Token("word", split[1], "", "FILLER"))
    return out


_CONTROL_VERBS = frozenset({"controls", "controla"})


def _control_verbs(tokens: list[Token]) -> list[Token]:
    """ "qubit 0 gets an H and then controls an X on qubit 2": "controls" as a verb makes the
    qubit it follows (or, after "then", the qubit of the step before: "it") the control."""
    out: list[Token] = []
    for i, tok in enumerate(tokens):
        nxt = next((t for t in tokens[i + 1 :] if not t.is_("FILLER")), None)
        verb = tok.text in _CONTROL_VERBS and nxt is not None and _is_gate_word(nxt)
        if not verb:
            out.append(tok)
            continue
        before = next((t for t in reversed(out) if not t.is_("FILLER")), None)
        if before is None or before.kind != "num":
            out.append(Token("word", "it", tok.raw, "FILLER"))
        out.append(Token("word", "as", "", "FILLER"))
        out.append(Token("word", "control", "", "CONTROL"))
    return out


_CHAT_YOU = frozenset({"can", "could", "would", "will", "do", "did", "thank", "are", "r", "if"})


def _mark_chat_you(tokens: list[Token]) -> None:
    """ "can u do a ghz", "thank u": "u" is "you" after a verb of asking, not the U gate;
    "ghz 4 qubits x 512 shots": an x between a number and its shots is "times"."""
    for i, (before, tok) in enumerate(pairwise(tokens), start=1):
        if tok.kind == "word" and tok.text == "u" and before.text in _CHAT_YOU:
            tok.concept = "FILLER"
        if tok.kind == "word" and tok.text == "q" and before.kind == "num":
            tok.text, tok.concept = "qubits", "QUBIT"  # "a 4q register"

        after = tokens[i + 1 : i + 3]
        if (
            tok.kind == "word"
            and tok.text == "x"
            and len(after) == 2
            and after[0].kind == "num"
            and concept_of(after[1].text) == "SHOTS"
        ):
            tok.concept = "FILLER"


def _mark_the_one(tokens: list[Token]) -> None:
    """ "find the one labelled 011": "the one" points at an item; it is not the number 1."""
    for i, tok in enumerate(tokens[1:], start=1):
        nxt = tokens[i + 1] if i + 1 < len(tokens) else None
        if (
            tok.kind == "num"
            and tok.raw.lower() in ("one", "uno", "una")
            and (
                tokens[i - 1].text
                in (
                    "the",
                    "that",
                    "el",
                    "la",
                    "aquel",
                    "aquella",
                    "quick",
                    "easy",
                    "middle",
                    "each",  # "each one", "a cada uno de los qubits"
                    "cada",
                    "last",
                )
                or tokens[i - 1].kind == "ord"  # "the second one", "the middle one"
            )
            and not (nxt is not None and nxt.text in ("qubit", "qubits", "bit", "bits"))
        ):
            tok.kind, tok.text, tok.concept, tok.value = "word", "one", "FILLER", None


def _mark_start_words(tokens: list[Token]) -> None:
    """ "instead of |00>" restates the usual start and says nothing new (any other state after it
    stays meaningful, and is refused); "from |10>" / "desde |10>" starts from that state."""
    for i, tok in enumerate(tokens[:-1]):
        nxt = tokens[i + 1]
        after = next((t for t in tokens[i + 1 : i + 4] if not t.is_("FILLER")), nxt)
        if tok.is_("INPUT"):  # "the input state is |01>": the words between say nothing more
            after = next((t for t in tokens[i + 1 : i + 5] if not t.is_("FILLER", "STATE")), nxt)
        if tok.is_("INPUT") and (after.kind == "ket" or after.is_bitstring):
            tok.concept = "INIT"  # "with input 101", "when the input is |11>": the start
        elif tok.is_("PHI", "PSI") and nxt.text == "=" and i + 2 < len(tokens):
            if tokens[i + 2].kind == "ket" or tokens[i + 2].text == "(":
                tok.concept = nxt.concept = "FILLER"  # "psi = (|00> + |11>)/√2": a name
        elif tok.is_("INSTEAD") and nxt.kind == "ket" and set(nxt.text) == {"0"}:
            tok.concept, nxt.kind, nxt.concept = "FILLER", "word", "FILLER"
        elif tok.text in ("from", "desde") and nxt.kind == "ket" and i > 0 and _starts(tokens, i):
            tok.concept = "INIT"


def _mark_sequence_words(tokens: list[Token]) -> None:
    """ "First, apply H...", "Second, entangle...": an ordinal opening a sentence orders the
    steps (which the text already does); "sobre el estado |001>" / "entre los qubits" is "on"."""
    for i, tok in enumerate(tokens):
        nxt = tokens[i + 1] if i + 1 < len(tokens) else None
        opens = i == 0 or tokens[i - 1].kind == "sep"
        ordered = nxt is not None and (
            nxt.kind == "sep" or (nxt.kind == "word" and not nxt.is_("QUBIT", "LAST", "STATE"))
        )
        if tok.kind == "ord" and opens and ordered:
            tok.kind, tok.concept = "word", "FILLER"
        elif tok.kind == "ord" and tok.value == 0 and not opens and _adverb(tokens, i):
            tok.kind, tok.concept = "word", "BEFOREHAND"  # "with qubit 0 flipped first"
        if (
            tok.is_("LAST")
            and tok.text == "final"
            and nxt is not None
            and nxt.concept.startswith("GATE:")
        ):
            tok.concept = "FILLER"  # "then a final H": the last step, not the last qubit
        if tok.is_("OVER") and tok.kind == "word" and not _divides(tokens, i):
            tok.concept = "FILLER"  # "teleport it over to Bob", "Deutsch sobre un oráculo"
        if tok.is_("OVER") and tok.text in ("sobre", "entre"):
            k = i + 1
            while k < len(tokens) and tokens[k].is_("FILLER"):
                k += 1
            if k < len(tokens) and (tokens[k].kind == "ket" or tokens[k].is_("STATE", "QUBIT")):
                tok.concept = "FILLER"


def _divides(tokens: list[Token], i: int) -> bool:
    """ "pi over 2", "√3 sobre 2", "(...) over sqrt 2": "over" between two values."""
    before = tokens[i - 1] if i else None
    after = tokens[i + 1] if i + 1 < len(tokens) else None
    return (
        before is not None
        and after is not None
        and (before.kind == "num" or before.is_("PI", "SQRT") or before.text == ")")
        and (after.kind == "num" or after.is_("PI", "SQRT") or after.text == "(")
    )


def _adverb(tokens: list[Token], i: int) -> bool:
    """ "first" / "primero" as "beforehand": no article before it, no qubit or number after."""
    before = tokens[i - 1]
    nxt = tokens[i + 1] if i + 1 < len(tokens) else None
    if before.text in DEFINITE or before.kind == "num" or before.is_("QUBIT"):
        return False
    return nxt is None or nxt.kind == "sep" or nxt.is_("THEN", "AND", "FILLER", "FLIP", "INIT")


def _starts(tokens: list[Token], i: int) -> bool:
    """Whether "from |10>" at ``i`` is a start, not a teleported state or a second "start"."""
    before = tokens[i - 1]
    return before.text not in ("teleport", "teleports", "teleporta") and not before.is_("INIT")


def _mark_english_once(tokens: list[Token]) -> None:
    """ "is queried once": "once" counts eleven only in front of what it counts ("once qubits")."""
    for i, tok in enumerate(tokens):
        nxt = tokens[i + 1].text if i + 1 < len(tokens) else ""
        if tok.kind == "num" and tok.raw.lower() == "once" and nxt not in _COUNTED:
            tok.kind, tok.text, tok.concept, tok.value = "word", "once", "FILLER", None


_COUNTED = frozenset({"qubits", "qubit", "cubits", "veces", "disparos", "repeticiones", "bits"})


def _mark_ones_and_but(tokens: list[Token]) -> None:
    """ "the remaining ones" are qubits, not the state all-ones; "todos ... menos el segundo" is
    "all but the second"; negations, "never", "inverted controls", "flip ... to zero"."""
    for i, tok in enumerate(tokens):
        if tok.is_("ONES") and i and tokens[i - 1].is_("REMAINING"):
            tok.concept = "FILLER"
        if tok.is_("REMAINING") and i and tokens[i - 1].text in ("every", "each", "cada"):
            tok.concept = "UNKNOWN"  # "every other qubit" alternates; BioQL does not read it
        if tok.kind == "word" and (tok.text in _TRIGGERS or tok.raw.lower() in _TRIGGERS):
            _mark_trigger(tokens, i, tok)


def _mark_trigger(tokens: list[Token], i: int, tok: Token) -> None:
    nxt = next((t for t in tokens[i + 1 : i + 4] if not t.is_("FILLER")), None)
    if nxt is None:
        return
    names_qubit = nxt.kind in ("ord", "num") or nxt.is_("QUBIT", "LAST")
    after_all = any(t.is_("ALL") for t in tokens[max(0, i - 8) : i])
    if tok.text in ("never", "nunca") and nxt.is_("AGREE", "DIFFER"):
        tok.concept = "FILLER"  # "two bits that never agree": they always differ
        nxt.concept = "DIFFER" if nxt.is_("AGREE") else "AGREE"
    if tok.text in ("but", "pero") and nxt.concept.startswith("GATE:"):
        tok.kind = "sep"  # "X on qubit 0 and qubit 1 but swap them first": a new step
    if tok.text == "to" and any(t.is_("FLIP") for t in tokens[max(0, i - 5) : i]):
        singular = i >= 2 and tokens[i - 2].text in ("qubit", "cubit")  # not "qubits 0 to 2"
        if _a_zero(nxt) or (singular and nxt.kind == "num"):
            tok.concept = "UNKNOWN"  # "flip qubit 2 back to zero": from which state? say X
    if (tok.raw.lower() in _NEGATED_CONTROLS or tok.text in _NEGATED_CONTROLS) and nxt.is_(
        "CONTROL"
    ):
        tok.concept = "UNKNOWN"  # "inverted controls": controls on |0>, which BioQL lacks
    if tok.text in ("menos", "but") and after_all and names_qubit:
        tok.concept = "EXCEPT"  # "todos menos el segundo", "all qubits but the first"
    elif _negates(tokens, i) and names_qubit:
        # "H on qubit 0 but not on qubit 1": a negation, never the NOT gate; after "all" it is
        # "except", otherwise BioQL names it rather than guess what it leaves out
        tok.concept = "EXCEPT" if after_all else "UNKNOWN"
        tokens[i - 1].concept = "FILLER"


_NEGATED_CONTROLS = frozenset(
    {"inverted", "negated", "negative", "open", "anti", "invertidos", "negados", "negativos"}
)
_TRIGGERS = _NEGATED_CONTROLS | {"never", "nunca", "but", "pero", "to", "menos", "not", "no"}


def _a_zero(tok: Token) -> bool:
    """ "zero", "cero", "|0>" (a digit 0 may end a range: "qubits 2 to 0")."""
    return (tok.kind == "num" and tok.value == 0 and not tok.raw.isdigit()) or (
        tok.kind == "ket" and tok.text == "0"
    )


def _negates(tokens: list[Token], i: int) -> bool:
    """ "but not", "pero no", "and not": "not" after a conjunction negates what follows."""
    return (
        tokens[i].text in ("not", "no")
        and tokens[i].raw != "NOT"  # "H on qubit 0 and NOT on qubit 1": the gate
        and i > 0
        and tokens[i - 1].text in ("but", "pero", "and", "y", ",")
    )


def _mark_controls_set(tokens: list[Token]) -> None:
    """ "with both controls set to 1 beforehand", "after flipping all the controls to 1",
    "después de poner X en los tres controles": the gate's controls start in |1>. The words
    become one ``CONTROLS_SET`` head (carrying the count, if said) that the compiler resolves
    against the one controlled gate of the description."""
    for i, tok in enumerate(tokens):
        before = next((t for t in reversed(tokens[:i]) if not t.is_("FILLER")), None)
        grouped = before is not None and before.is_("ALL", "BOTH")  # "every control"
        the = i > 0 and tokens[i - 1].text in ("the", "el", "la")  # "after the control is flipped"
        if not tok.is_("CONTROL") or (tok.text == "control" and not (grouped or the)):
            continue  # a plural "controls" / "controles" names the gate's controls as a group
        nxt = tokens[i + 1] if i + 1 < len(tokens) else None
        if nxt is not None and (nxt.kind == "num" or nxt.is_("QUBIT")):
            continue  # "controls 0, 1 and 2": a role list
        start, end = i, i + 1
        while (
            start > 0
            and tokens[start - 1].kind != "sep"
            and (
                tokens[start - 1].is_("ALL", "BOTH", "FILLER", "FLIP", "GATE:x", "INIT")
                or (tokens[start - 1].kind == "num" and not _an_index(tokens, start - 1))
            )
        ):
            start -= 1
        while (
            end < len(tokens)
            and end - i <= 5
            and tokens[end].kind != "sep"
            and (
                tokens[end].is_("FILLER", "ONES", "FLIP", "GATE:x", "BEFOREHAND")
                or tokens[end].kind in ("num", "ket")
                or (tokens[end].kind == "ord" and tokens[end].value == 0)  # "set first to 1"
            )
        ):
            end += 1
        span = tokens[start:end]
        value = any(
            (t.kind == "num" and t.value == 1) or (t.kind == "ket" and t.text == "1")
            for t in tokens[i + 1 : end]
        )
        flipped = any(t.is_("FLIP", "GATE:x") for t in span if t is not tok)
        said = any(t.text in SETTING or t.raw.lower() in SETTING for t in span)
        if not (value and (said or flipped)) and not flipped:
            continue
        count = next((t.value for t in tokens[start:i] if t.kind == "num"), None)
        if count is None and any(t.is_("BOTH") for t in tokens[start:i]):
            count = 2  # "both controls"
        if count is None and tok.text == "control" and not grouped:
            count = 1  # "the control"
        for t in span:
            t.kind, t.concept = "word", "FILLER"
        tok.concept, tok.value = "CONTROLS_SET", count


def _an_index(tokens: list[Token], k: int) -> bool:
    """A number that names a qubit ("qubit 3", "qubits 0, 1, 2") rather than counts controls."""
    j = k - 1
    while j >= 0 and (tokens[j].kind == "num" or tokens[j].is_("AND") or tokens[j].text == ","):
        j -= 1
    return j >= 0 and tokens[j].is_("QUBIT", "CONTROL", "TARGET")


def _mark_bit_strings(tokens: list[Token]) -> None:
    """ "the bit string 1101", "la cadena de bits 101": the digits are a basis state, never a
    qubit index or a count."""
    for i, tok in enumerate(tokens[:-1]):
        nxt = tokens[i + 1]
        named = tok.text in ("bitstring", "bitstrings") or (
            tok.text in ("string", "strings", "cadena") and i and tokens[i - 1].text == "bit"
        )
        if (
            tok.text == "bits"
            and i >= 2
            and tokens[i - 1].text == "de"
            and tokens[i - 2].text == "cadena"
        ):
            named = True
        named = named or _state_then_bits(tokens, i)
        after = tokens[i + 2] if i + 2 < len(tokens) else None
        if (  # "registro en 1100", "register = 0101": the register's start
            tok.text in ("register", "registro")
            and nxt.text in ("en", "in", "=", ":", "at")
            and after is not None
            and after.is_bitstring
            and len(after.text) >= 2
        ):
            tokens[i + 2] = Token("ket", after.text, after.raw)
        if named and nxt.is_bitstring:
            tokens[i + 1] = Token("ket", nxt.text, nxt.raw)
            if i and tokens[i - 1].text == "bit":
                tokens[i - 1].concept = "FILLER"


_SET_VERBS = frozenset(
    {"set", "sets", "setting", "initially", "inicialmente", "put", "puts", "pon", "poner", "prepare", "prepara", "fija", "coloca",
     "initialize", "initialise", "inicializa", "init", "start", "starting", "empieza"}
)  # fmt: skip
_VALUE_LINKS = frozenset({"to", "in", "into", "en", "a", "=", "as", "como"})


def _mark_set_values(tokens: list[Token]) -> None:
    """ "set qubit 2 to 1 and qubit 0 to 1": after a verb of setting, the 0 or 1 a qubit is
    set to is its state (a ket), never another qubit index. Only before any gate of the
    sentence: "CNOT from qubit 0 to 1" names two qubits."""
    setting = False
    for i, tok in enumerate(tokens):
        if tok.kind == "sep" or tok.is_("THEN") or tok.concept.startswith("GATE:"):
            setting = False
        elif tok.text in _SET_VERBS or tok.raw.lower() in _SET_VERBS or tok.is_("INIT"):
            setting = True
        if not (setting and tok.text in _VALUE_LINKS and 2 <= i < len(tokens) - 1):
            continue
        index, value = tokens[i - 1], tokens[i + 1]
        after = tokens[i + 2] if i + 2 < len(tokens) else None
        if (
            index.kind == "num"
            and _names_qubits_before(tokens, i - 1)
            and value.kind == "num"
            and value.value in (0, 1)
            and not (after is not None and after.is_("QUBIT"))
        ):
            tokens[i + 1] = Token("ket", str(value.value), value.raw)


_ALL_SET_VERBS = frozenset({"set", "sets", "setting", "initially", "inicialmente", "fija"})
_ALL_SET_LINKS = frozenset({"to", "in", "en", "a", "state", "estado", "into"})


def _mark_all_set(tokens: list[Token]) -> None:
    """ "all three qubits are set to one", "with both qubits initially set to 1": every qubit
    set to a value is a state (all ones / zeros); a start ("start with all qubits in one") is
    read by the initial-state reader instead."""
    start = 0
    for i, tok in enumerate(tokens):
        if tok.kind == "sep" or tok.is_("THEN") or tok.concept.startswith("GATE:"):
            start = i + 1
            continue
        if not (tok.kind == "num" and tok.value in (0, 1)) or not i:
            continue
        if tokens[i - 1].text not in _ALL_SET_LINKS or (
            i + 1 < len(tokens) and tokens[i + 1].is_("QUBIT")
        ):
            continue
        region = tokens[start:i]
        every = any(t.is_("ALL", "BOTH") for t in region) and any(t.is_("QUBIT") for t in region)
        said = any(t.text in _ALL_SET_VERBS for t in region)
        starts = any(t.is_("INIT") for t in tokens)  # "start with all qubits in one": a start
        if every and said and not starts:
            tokens[i] = Token("ket", str(tok.value), tok.raw)


def _names_qubits_before(tokens: list[Token], k: int) -> bool:
    """ "qubit 2", "qubits 0 through 3", "qubits 0, 1 and 2": the numbers up to ``k`` follow a
    word for qubits."""
    while k >= 0 and (
        tokens[k].kind == "num" or tokens[k].is_("AND", "THROUGH") or tokens[k].text == ","
    ):
        k -= 1
    return k >= 0 and tokens[k].text in ("qubit", "qubits", "cubit", "cubits", "qbit", "qbits")


_OUTCOME_NOUNS = frozenset(
    {"distribution", "probabilities", "probability", "statistics", "histogram", "marginal",
     "outcome", "outcomes", "distribucion", "probabilidades", "estadisticas", "histograma"}
)  # fmt: skip
_LEAVE = frozenset({"leave", "leaving", "left", "leaves", "deja", "dejando", "dejar", "stay"})


_NOISELESS = frozenset({"noiseless", "noisefree", "sinruido"})


def _mark_noiseless(tokens: list[Token]) -> None:
    """ "sin ruido", "without noise", "no noise", "noiseless": the ideal simulators BioQL uses
    when no device is named say that already; beside a noisy device it contradicts, and is named."""
    device = any(
        t.is_("DEVICE", "IONQ_DEVICE", "BACKEND_ID", "FAKE", "IBM", "IONQ") for t in tokens
    )
    for i, tok in enumerate(tokens):
        nxt = tokens[i + 1] if i + 1 < len(tokens) else None
        pair = tok.is_("WITHOUT") or tok.text == "no"
        if pair and nxt is not None and nxt.is_("NOISE"):
            said = [tok, nxt]
        elif tok.text in _NOISELESS or (
            tok.is_("NOISE") and nxt is not None and nxt.text == "free"
        ):
            said = [tok] if tok.text in _NOISELESS else [tok, nxt]  # type: ignore[list-item]
        else:
            continue
        for t in said:
            t.concept = "UNKNOWN" if device else "FILLER"


def _mark_acting_and_count(tokens: list[Token]) -> None:
    """ "qubit 1 acting as the control": a role, not a start; "w/ 3 count qubits": counting."""
    for before, tok in pairwise(tokens):
        if tok.text in ("as", "como") and before.is_("INIT") and before.text.startswith("act"):
            before.concept = "FILLER"
        if before.text == "count" and tok.is_("QUBIT"):
            before.concept = "COUNTING"


def _mark_named_arguments(tokens: list[Token]) -> None:
    """ "U(theta=pi, phi=0, lam=pi)", "θ=π/2, φ=0, λ=π": an angle's name before "=" says
    which argument it is; the values are read in the order written."""
    named = [
        i
        for i, tok in enumerate(tokens[:-1])
        if tok.kind == "word" and tok.text in _PARAM_NAMES and tokens[i + 1].text == "="
    ]
    order = [_U_ORDER.get(tokens[i].text) for i in named]
    if None not in order and order != sorted(order):  # type: ignore[type-var]
        said = ", ".join(tokens[i].raw for i in named)
        raise BioQLParseError(
            f"The angles are named in the order {said}; write them as U(θ, φ, λ) in that order.",
            unknown_words=[said],
        )
    for i in named:
        tokens[i].concept = tokens[i + 1].concept = "FILLER"
        tokens[i + 1].kind = "word"
    for i, tok in enumerate(tokens):
        if tok.text == "u" and any(k in named for k in range(i + 1, i + 6)):
            tok.concept = "GATE:u"  # "la puerta U con θ = π, φ = π/2 y λ = 0"


def _mark_asked_outcomes(tokens: list[Token]) -> None:
    """ "what's the distribution of qubit 0 alone?": the outcomes asked of some qubits are a
    measurement of those qubits; "alone" there means "only", not "left idle"."""
    for i, tok in enumerate(tokens):
        if tok.text not in _OUTCOME_NOUNS:
            continue
        j = i + 1
        while j < len(tokens) and (tokens[j].is_("FILLER") or tokens[j].text in DEFINITE):
            j += 1
        if j < len(tokens) and (tokens[j].is_("QUBIT") or tokens[j].kind == "ord"):
            tok.concept = "MEASURE"
            for t in tokens[j : j + 6]:
                if t.kind == "sep":
                    break
                if t.text == "alone" and not any(x.text in _LEAVE for x in tokens):
                    t.text, t.concept = "only", "FILLER"


_COPY = frozenset({"copy", "copies", "copying", "copia", "copiar"})
_SOME = frozenset({"some", "several", "algunos", "algunas", "varios", "varias"})


def _mark_vague_words(tokens: list[Token]) -> None:
    """Words that leave the circuit open are named, never read as the nearest thing: "copy
    qubit 0 to qubit 1" with no gate (no-cloning: BioQL does not guess a CNOT), "some qubits",
    "X on a random qubit" (not a random bit)."""
    gates = any(t.concept.startswith("GATE:") for t in tokens)
    for i, tok in enumerate(tokens):
        nxt = tokens[i + 1] if i + 1 < len(tokens) else Token("sep", "", "")
        vague = (
            (tok.text in _COPY and not gates)
            or (tok.text in _SOME and nxt.is_("QUBIT"))
            or (tok.is_("RANDOM") and nxt.text in ("qubit", "cubit"))
        )
        if vague:
            tok.concept = "UNKNOWN"


def _state_then_bits(tokens: list[Token], i: int) -> bool:
    """ "from the state 10": bits after the word "state" are a basis state (two bits or more,
    not "the binary state 10", which is ten, nor "a GHZ state 10 qubits"; algorithms that
    take bit strings read their own)."""
    nxt = tokens[i + 1]
    after = tokens[i + 2] if i + 2 < len(tokens) else None
    return (
        tokens[i].text in ("state", "estado")
        and not any(t.is_("GROVER", "SEARCH", "BV", "DJ", "JOZSA") for t in tokens)
        and len(nxt.text) >= 2
        and not (i and tokens[i - 1].is_("BINARY"))
        and not (after is not None and after.is_("QUBIT", "COUNTING"))
    )


def _mark_listed_strings(tokens: list[Token]) -> None:
    """ "an equal superposition of 001, 010 and 100": bit strings listed after "superposition
    of" are basis states (two or more, of one length of at least two bits)."""
    for i, tok in enumerate(tokens):
        if not tok.is_("SUPERPOSITION"):
            continue
        j = i + 1
        while j < len(tokens) and (tokens[j].is_("FILLER", "STATE") and tokens[j].kind == "word"):
            j += 1
        listed: list[int] = []
        while j < len(tokens) and (
            tokens[j].is_bitstring or tokens[j].text == "," or tokens[j].is_("AND")
        ):
            if tokens[j].is_bitstring:
                listed.append(j)
            j += 1
        lengths = {len(tokens[k].text) for k in listed}
        if len(listed) >= 2 and len(lengths) == 1 and lengths.pop() >= 2:
            for k in listed:
                tokens[k] = Token("ket", tokens[k].text, tokens[k].raw)


def _mark_function_values(tokens: list[Token]) -> None:
    """ "the constant function f(x) = 0": the value is the constant; "f(x) = x" is balanced."""
    for i in range(len(tokens) - 5):
        window = [t.text for t in tokens[i : i + 5]]
        if window != ["f", "(", "x", ")", "="]:
            continue
        value = tokens[i + 5]
        for tok in tokens[i : i + 5]:
            tok.kind, tok.concept = "word", "FILLER"
        if value.kind == "num" and value.value in (0, 1):
            tokens[i + 4].concept = "CONSTANT"
        elif value.text == "x":
            value.kind, value.concept = "word", "BALANCED"


_UNDO = frozenset({"undo", "undoes", "deshaz", "deshacer", "deshace"})


def _mark_undo(tokens: list[Token], i: int) -> None:
    """ "then undo it": the inverse of the step before; "undo the flip on qubit 2 with another
    X": the gate after "with" does the undoing (the words between say what it undoes)."""
    rest = tokens[i + 1 :]
    nxt = next((t for t in rest if not t.is_("FILLER") or t.text in PRONOUNS), None)
    if nxt is not None and nxt.text in PRONOUNS | {"it"}:
        after = rest[rest.index(nxt) + 1 :]
        if not after or after[0].kind == "sep" or after[0].is_("THEN", "AND", "MEASURE"):
            tokens[i].concept, nxt.concept = "INVERSE_OF", "FILLER"
            return
    for k, tok in enumerate(rest):
        if tok.kind == "sep" or tok.is_("THEN"):
            return
        if tok.text in ("with", "con", "using", "usando") and k + 1 < len(rest):
            gate = next((t for t in rest[k + 1 :] if not t.is_("FILLER")), None)
            if gate is not None and gate.concept.startswith("GATE:"):
                tokens[i].concept = "FILLER"
            return


def _mark_inverse_of(tokens: list[Token]) -> None:
    """ "the QFT followed by its inverse", "y luego su inversa": the inverse of the step before,
    not the inverse QFT said with an article ("the inverse QFT")."""
    for i, tok in enumerate(tokens):
        if tok.text in _UNDO:
            _mark_undo(tokens, i)
            continue
        if tok.is_("DAGGER") and i and tokens[i - 1].text in ("its", "su"):
            tok.concept = "INVERSE"  # "then its adjoint": its inverse
        if not tok.is_("INVERSE") or i == 0:
            continue
        before = tokens[i - 1].text
        nxt = next((t for t in tokens[i + 1 :] if not t.is_("FILLER")), None)
        ends = nxt is None or nxt.kind == "sep" or nxt.is_("THEN", "AND", "MEASURE")
        if before in ("its", "su", "sus") or (before in ("the", "la", "el") and ends):
            tok.concept = "INVERSE_OF"


def _dash_separates(tokens: list[Token], i: int) -> bool:
    """ "W state on 3 qubits -- draw it", "starts as |1000> - can you...": a dash before framing
    words is punctuation. Not after phi/psi ("Φ- on qubits 0 and 1" is a Bell state)."""
    if tokens[i].text == "+" and 0 < i < len(tokens) - 1:  # "draw + return the counts"
        return all(t.kind == "word" and t.text in FILLERS for t in (tokens[i - 1], tokens[i + 1]))
    if tokens[i].text != "-" or i == 0 or tokens[i - 1].text in ("phi", "psi", "fi"):
        return False
    k = i + 1
    while k < len(tokens) and tokens[k].text == "-":
        k += 1
    if k == len(tokens):
        return k > i + 1
    nxt = tokens[k]
    if nxt.text == "i":  # "|0> - i|1>": the imaginary unit, not the pronoun
        return False
    return nxt.kind == "word" and LEXICON.get(nxt.text) is None and nxt.text in FILLERS


def _mark_rotation_axes(tokens: list[Token]) -> None:
    """In "rotate qubit 0 around x by pi/2", the x is an axis, not an X gate."""
    rotating = False
    for tok in tokens:
        if tok.is_("ROTATE"):
            rotating = True
        elif tok.kind == "sep" or tok.is_("THEN", "GATE:rx", "GATE:ry", "GATE:rz"):
            rotating = False  # "una rotación RY de pi/2 ... y luego": the axis is said
        elif rotating and tok.kind == "word" and (tok.concept in _AXES or tok.text == "y"):
            tok.concept = _AXES.get(tok.concept, "AXIS:y")
            rotating = False


_SIZE_NAMES = {"size": "QUBIT", "tamano": "QUBIT", "qubits": "QUBIT", "counting": "COUNTING"}


def _assigned_sizes(tokens: list[Token]) -> list[Token]:
    """ "Register size: 3", "counting=2", "qubits = 4": a size given as a setting reads as
    "3 qubits" / "2 counting qubits"."""
    out: list[Token] = []
    i = 0
    while i < len(tokens):
        tok = tokens[i]
        kind = _SIZE_NAMES.get(tok.text) if tok.kind == "word" else None
        nxt = tokens[i + 1] if i + 1 < len(tokens) else None
        if tok.text == "n" and nxt is not None and nxt.text in _N_NAMES:
            kind = _N_NAMES[nxt.text]  # "n_count = 3", "n_inputs=4": a size in code
            i += 1
            tok = Token("word", nxt.text, tok.raw + "_" + nxt.raw)
        elif tok.text == "n" and nxt is not None and nxt.text == "=":
            kind = "QUBIT"  # "qft, n=4"
        if (
            kind is not None
            and i + 2 < len(tokens)
            and tokens[i + 1].text in (":", "=")
            and tokens[i + 2].kind == "num"
            and not _listed(tokens, i + 2)  # "X(qubits=[0, 1])": indices, not a size
        ):
            if out and out[-1].text in ("register", "registro"):
                out.pop()
            out.append(tokens[i + 2])
            if kind == "COUNTING":
                out.append(Token("word", "counting", tok.raw, "COUNTING"))
            out.append(Token("word", "qubits", "" if kind == "COUNTING" else tok.raw, "QUBIT"))
            i += 3
            continue
        out.append(tok)
        i += 1
    return out


_N_NAMES = {"count": "COUNTING", "counting": "COUNTING", "ancillas": "COUNTING",
            "inputs": "QUBIT", "input": "QUBIT", "qubits": "QUBIT"}  # fmt: skip
_PARAM_NAMES = frozenset({"theta", "phi", "lambda", "lam", "gamma", "angle", "phase"})
_U_ORDER = {"theta": 0, "phi": 1, "lambda": 2, "lam": 2}  # U(θ, φ, λ)


def _listed(tokens: list[Token], i: int) -> bool:
    return (
        i + 2 < len(tokens)
        and tokens[i + 1].text in (",", "argsep")
        and tokens[i + 2].kind == "num"
    )


def _said_sizes(tokens: list[Token]) -> list[Token]:
    """ "todos los qubits en uno (son 2)", "son tres", "there are 4": a count said apart reads
    as "N qubits"."""
    out: list[Token] = []
    for i, tok in enumerate(tokens):
        out.append(tok)
        nxt = tokens[i + 1] if i + 1 < len(tokens) else None
        after = tokens[i + 2] if i + 2 < len(tokens) else None
        said = tok.text in ("son", "are") and (
            tok.text != "are" or (i and tokens[i - 1].text == "there")
        )
        if said and nxt is not None and nxt.kind == "num" and not (after and after.kind == "word"):
            out.append(nxt)
            out.append(Token("word", "qubits", "", "QUBIT"))
            tokens[i + 1] = Token("sym", "", "")  # taken
    return [t for t in out if t.kind != "sym" or t.text]


def _gate_name(tokens: list[Token]) -> tuple[str, int] | None:
    """(base gate, controls) that a run of gate words names: "controlled Hadamard" and "CH"
    are both ("h", 1); None if the run is not only gate words."""
    controls, base = 0, None
    for tok in tokens:
        if tok.is_("CONTROLLED"):
            controls += 1
        elif tok.kind == "word" and tok.concept.startswith("GATE:") and base is None:
            base, k = CONTROLLED_BASE.get(tok.concept[5:], (tok.concept[5:], 0))
            controls += k
        elif not tok.is_("FILLER"):
            return None
    return (base, controls) if base is not None else None


def _mark_restated_names(tokens: list[Token]) -> None:
    """ "a controlled-Hadamard (CH)", "the Toffoli (CCX) gate": the name in brackets says the
    gate again; it is not a second gate."""
    for i, tok in enumerate(tokens):
        if tok.text != "(":
            continue
        j = next((k for k in range(i + 1, min(i + 5, len(tokens))) if tokens[k].text == ")"), None)
        if j is None or j == i + 1:
            continue
        inner = _gate_name(tokens[i + 1 : j])
        before = next(
            (
                name
                for start in range(max(0, i - 3), i)
                if (name := _gate_name([t for t in tokens[start:i] if not t.is_("FILLER")]))
            ),
            None,
        )
        if inner is not None and before is not None and inner != before:
            said = " ".join(t.raw for t in tokens[i : j + 1])
            raise BioQLParseError(
                f"'{said}' names another gate than the one before it; name the gate once.",
                unknown_words=[said],
            )
        if inner is not None and inner == before:
            for k in range(i, j + 1):
                tokens[k].kind, tokens[k].concept = "word", "FILLER"


def _gate_runs(tokens: list[Token]) -> list[tuple[int, int]]:
    """[start, end) of each run of gate words (with "gate" nouns and fillers inside)."""
    runs: list[tuple[int, int]] = []
    i = 0
    while i < len(tokens):
        if not _is_gate_word(tokens[i]):
            i += 1
            continue
        j = i + 1
        while j < len(tokens) and (_is_gate_word(tokens[j]) or tokens[j].text in _GATE_NOUNS):
            j += 1
        runs.append((i, j))
        i = j
    return runs


def _is_gate_word(tok: Token) -> bool:
    return tok.kind == "word" and (tok.concept.startswith("GATE:") or tok.is_("CONTROLLED"))


_HOW = frozenset({"with", "con", "using", "usando", "via", "mediante"})


def _mark_said_how(tokens: list[Token]) -> None:
    """ "intercambia los qubits 0 y 1 con un SWAP", "flip qubit 1 using an X gate": a verb
    that is a gate, then "with" the same gate, is one gate said twice."""
    for i, tok in enumerate(tokens):
        verb = _base_of(tok)
        if verb is None or any(t.text in _UNDO for t in tokens[:i]):
            continue  # "undo the flip on qubit 2 with another X": the X undoes it
        for k in range(i + 1, min(i + 10, len(tokens) - 1)):
            if tokens[k].kind == "sep" or tokens[k].is_("THEN"):
                break
            if tokens[k].text not in _HOW:
                continue
            j = next((m for m in range(k + 1, len(tokens)) if not tokens[m].is_("FILLER")), None)
            if j is not None and j != i and _base_of(tokens[j]) == verb:
                for t in tokens[k : j + 1]:
                    t.kind, t.concept = "word", "FILLER"
            break


def _base_of(tok: Token) -> str | None:
    """The gate a word names when it is a verb too ("swap", "flip"), else None."""
    if tok.is_("FLIP", "GATE:x"):
        return "x"
    return "swap" if tok.is_("GATE:swap") else None


_PHASE_GATES = frozenset({"s", "t", "z", "sdg", "tdg"})


def _mark_appositions(tokens: list[Token]) -> None:
    """ "the phase gate P(pi/2)", "the Hadamard gate H", "una rotación RY": a gate's name in
    words followed at once by its symbol names one gate. Two spellings are needed: "H H" is
    two gates."""
    for i, tok in enumerate(tokens):
        if tok.is_("PHASE") and not any(t.is_("ESTIMATION", "QPE") for t in tokens):
            k = i + 1
            while k < len(tokens) and tokens[k].text in _GATE_NOUNS:
                k += 1
            if k < len(tokens) and tokens[k].concept[5:] in _PHASE_GATES:
                tok.concept = "FILLER"  # "la fase S": the phase gate S
            continue
        if not _is_gate_word(tok) or (i and _is_gate_word(tokens[i - 1])):
            continue
        end = i
        while end < len(tokens) and tokens[end].is_("CONTROLLED"):
            end += 1
        end += end < len(tokens) and _is_gate_word(tokens[end])  # "controlled phase", "CNOT"
        k = end
        while k < len(tokens) and tokens[k].text in _GATE_NOUNS:
            k += 1
        if k >= len(tokens) or not _is_gate_word(tokens[k]):
            continue
        stop = k + 1
        while stop < len(tokens) and tokens[stop].is_("CONTROLLED"):
            stop += 1
        first, second = tokens[i:end], tokens[k:stop]
        said = " ".join(t.raw for t in first)
        if len(said) < 4 or len(said) <= len(" ".join(t.raw for t in second)):
            continue  # a name in words, then its symbol: "X not" or "H H" are two gates
        named = _gate_name(second)
        phase = [t.raw.lower() for t in first] in (["fase"], ["phase"], ["phase gate"])
        if phase and named is not None and named[0] in _PHASE_GATES:
            first = second  # "la fase S", "the phase gate T": the phase named by its gate
        if _gate_name(first) is not None and _gate_name(first) == named:
            for t in tokens[i:k]:
                t.kind, t.concept = "word", "FILLER"


_SANDWICH = frozenset({"between", "entre", "sandwiched", "sandwich", "sandwiching", "flanked"})
_SANDWICH_LINKS = frozenset({"by", "between", "entre", "with", "por", "con", "a", "pair", "of"})
_GATE_NOUNS = frozenset({"gate", "gates", "puerta", "puertas", "compuerta", "compuertas"})


def _mark_sandwiches(tokens: list[Token]) -> None:
    """ "RZ on qubit 0 between two Hadamards", "sandwiched by Hadamards on qubit 1": the outer
    gate becomes ``SANDWICH:<gate>`` (applied before and after the gate of its clause) and the
    words that say so become fillers. Only a fixed one-qubit gate sandwiches, and only when the
    words say two of them ("two", a plural, "sandwiched"): "a CZ between qubits 0 and 2" is not."""
    for i, tok in enumerate(tokens):
        if tok.kind != "word" or tok.text not in _SANDWICH:
            continue
        j = i + 1
        while j < len(tokens) and tokens[j].text in _SANDWICH_LINKS:
            j += 1
        two = j < len(tokens) and tokens[j].kind == "num" and tokens[j].value == 2
        j += two
        while j < len(tokens) and tokens[j].text in _GATE_NOUNS:
            j += 1
        if j >= len(tokens) or not tokens[j].concept.startswith("GATE:"):
            continue
        name = tokens[j].concept[5:]
        plural = tokens[j].raw.lower().endswith("s") or (
            j + 1 < len(tokens) and tokens[j + 1].text in ("gates", "puertas", "compuertas")
        )
        if not (two or plural or tok.text.startswith("sandwich")):
            continue
        if GATE_ARITY.get(name) != 1 or GATE_PARAMS.get(name):
            continue
        for k in range(i, j):
            tokens[k].kind, tokens[k].concept = "word", "FILLER"
        tokens[j].concept = "SANDWICH:" + name
