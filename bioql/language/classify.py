"""Raw tokens → concept tokens: typo correction, number words, phrases, then single words."""

from __future__ import annotations

from itertools import pairwise

from bioql.language.lexicon import PHRASES, concept_of, correct, y_is_gate
from bioql.language.normalize import lex
from bioql.language.numbers import merge_number_words
from bioql.language.tokens import Token

_SEPARATORS = {",", ";", ".", "!", "?", "\n"}
_SYMBOL_CONCEPTS = {"+": "PLUS", "-": "MINUS", "/": "OVER", "*": "TIMES_SYM"}
_MAX_PHRASE = max(len(p) for p in PHRASES)
_AXES = {"GATE:x": "AXIS:x", "GATE:y": "AXIS:y", "GATE:z": "AXIS:z"}


def tokenize(text: str) -> list[Token]:
    """The full front half of the compiler: text → concept tokens."""
    tokens = lex(text)
    for tok in tokens:
        if tok.kind == "word" and not tok.concept:
            fixed = correct(tok.text)
            if fixed is not None:
                tok.text = fixed
    tokens = merge_number_words(tokens)
    tokens = _apply_phrases(tokens)
    for i, tok in enumerate(tokens):
        _assign(tokens, i, tok)
    _mark_rotation_axes(tokens)
    for before, tok in pairwise(tokens):
        if before.is_("CONTROLLED") and tok.is_("PHASE"):
            tok.concept = "GATE:p"  # "controlled phase" is CP, not phase estimation
    return tokens


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
        if tok.text in _SEPARATORS:
            tok.kind = "sep"
        tok.concept = _SYMBOL_CONCEPTS.get(tok.text, "")
        return
    if tok.kind != "word" or tok.concept:
        return
    if tok.text == "y":
        prev = tokens[i - 1].text if i > 0 else None
        nxt = tokens[i + 1].text if i + 1 < len(tokens) else None
        tok.concept = "GATE:y" if y_is_gate(prev, tok.raw, nxt) else "AND"
        return
    tok.concept = concept_of(tok.text)


def _mark_rotation_axes(tokens: list[Token]) -> None:
    """In "rotate qubit 0 around x by pi/2", the x is an axis, not an X gate."""
    rotating = False
    for tok in tokens:
        if tok.is_("ROTATE"):
            rotating = True
        elif tok.kind == "sep" or tok.is_("THEN"):
            rotating = False
        elif rotating and tok.kind == "word" and (tok.concept in _AXES or tok.text == "y"):
            tok.concept = _AXES.get(tok.concept, "AXIS:y")
            rotating = False
