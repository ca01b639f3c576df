"""The words of the readers with a vocabulary of their own (chemistry and MaxCut, screening).

Those readers share the circuit reader's vocabulary of framing words
(:data:`bioql.language.lexicon.FILLERS`, and the framing phrases of
:data:`bioql.language.lexicon.PHRASES`) and its typo corrector
(:func:`bioql.language.lexicon.correct`); a reader's own words come first, so a word that
means something in a chemistry or screening request ("basis", "space", "parity") is never
skipped as framing there.

>>> fix = corrector(frozenset({"screen", "virtual", "against"}))
>>> fix("scren"), fix("vritual"), fix("agaisnt"), fix("pleae"), fix("bound")
('screen', 'virtual', 'against', 'please', None)
"""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache

from rapidfuzz import process
from rapidfuzz.distance import OSA

from bioql.language.lexicon import (
    FILLERS,
    NOT_TYPOS,
    PHRASES,
    REAL_WORDS,
    common_prefix,
    correct,
)


def corrector(own: frozenset[str]) -> Callable[[str], str | None]:
    """A typo corrector for a reader whose own words are ``own``: a word is returned as it is
    when known (``own`` first, then the shared vocabulary), else the word of ``own`` it is a
    typo of, else what :func:`bioql.language.lexicon.correct` makes of it, else None.

    The rules for ``own`` are the lexicon's: one edit up to six letters, two beyond; the first
    letter kept (the first two for four letters); a real word ("bound", "short") or a word the
    lexicon never corrects is not a typo; a word that only adds or drops a start is another word.
    """
    targets = tuple(sorted(w for w in own if len(w) >= 4))

    @lru_cache(maxsize=4096)
    def fix(word: str) -> str | None:
        if word in own:
            return word
        shared = correct(word)
        if shared == word:
            return word  # a word of the shared vocabulary, as written
        return _nearest(word, targets) or shared

    return fix


def _nearest(word: str, targets: tuple[str, ...]) -> str | None:
    if len(word) < 4 or not word.isascii() or not word.isalpha():
        return None
    if word in REAL_WORDS or word in NOT_TYPOS:
        return None
    limit = 1 if len(word) <= 6 else 2
    matches = process.extract(word, targets, scorer=OSA.distance, score_cutoff=limit, limit=8)
    for target, _dist, _ in sorted(matches, key=lambda m: (m[1], -common_prefix(word, m[0]), m[0])):
        if target[0] != word[0] or (len(word) == 4 and target[:2] != word[:2]):
            continue
        if target.endswith(word) or word.endswith(target):
            continue  # "crystallized" is not "cocrystallized"
        return target
    return None


def phrases(words: list[str], concepts: frozenset[str]) -> list[tuple[int, int, str]]:
    """The (start, end, concept) spans of ``words`` (lower case, corrected) that are phrases of
    the lexicon with one of ``concepts`` ("the following", "at the end", "nothing else" are
    ``FILLER``; "state vector" is ``STATEVECTOR``), longest first, left to right."""
    table = {p: c for p, c in PHRASES.items() if c in concepts}
    longest = max(map(len, table), default=0)
    spans = []
    i = 0
    while i < len(words):
        for size in range(min(longest, len(words) - i), 1, -1):
            concept = table.get(tuple(words[i : i + size]))
            if concept is not None:
                spans.append((i, i + size, concept))
                i += size
                break
        else:
            i += 1
    return spans


def is_framing(word: str) -> bool:
    """Whether ``word`` (corrected) is one of the shared framing words."""
    return word in FILLERS


__all__ = ["corrector", "is_framing", "phrases"]
