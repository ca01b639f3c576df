"""Number words (English and Spanish) and numerals with separators → integers in text."""

from __future__ import annotations

import re

from bioql.language.numbers import SCALES as _LANGUAGE_SCALES
from bioql.language.numbers import UNITS as _LANGUAGE_UNITS

# The number words are the compiler's; Spanish "un"/"una" also stand alone here ("una
# vez" must not become "1 vez" — see _WEAK — but "un millón" is 1,000,000).
UNITS = {**_LANGUAGE_UNITS, "un": 1, "una": 1}
SCALES = _LANGUAGE_SCALES
FILLERS = {"and", "y", "a"}  # "one hundred and twenty", "treinta y dos"
# Words that are numbers only next to another number word ("a thousand", "un" alone is "a").
_WEAK = {"un", "una", "a", "once"}

_WORD_RE = re.compile(r"[a-záéíóúñ]+|\S", re.IGNORECASE)


def _value(words: list[str]) -> int | None:
    total, current, seen = 0, 0, False
    for w in words:
        if w in UNITS:
            current += UNITS[w]
            seen = True
        elif w in SCALES:
            scale = SCALES[w]
            current = max(current, 1) * scale
            if scale >= 1000:
                total, current = total + current, 0
            seen = True
        elif w in FILLERS:
            continue
        else:
            return None
    return total + current if seen else None


def words_to_numbers(text: str) -> str:
    """Replace runs of number words by digits: "two thousand shots" → "2000 shots"."""
    tokens = re.split(r"(\s+|-|=|:|[?!.,;()¿¡])", text)
    out: list[str] = []
    run: list[str] = []  # raw tokens of the current number run (words and separators)

    def flush() -> None:
        words = [t.lower() for t in run if t.strip() and t != "-"]
        while words and words[-1] in FILLERS:  # "two and" → keep "and" as text
            words.pop()
            while run and run[-1].lower() not in UNITS and run[-1].lower() not in SCALES:
                out_tail.insert(0, run.pop())
        strong = [w for w in words if w not in FILLERS]
        value = _value(words)
        if value is not None and (len(strong) > 1 or (strong and strong[0] not in _WEAK)):
            out.append(str(value))
        else:
            out.extend(run)
        out.extend(out_tail)
        out_tail.clear()
        run.clear()

    out_tail: list[str] = []

    def close_run() -> None:
        trailing: list[str] = []  # whitespace or "-" after the last number word stays text
        while run and (not run[-1].strip() or run[-1] == "-"):
            trailing.insert(0, run.pop())
        flush()
        out.extend(trailing)

    for tok in tokens:
        low = tok.lower()
        is_num = low in UNITS or low in SCALES
        if is_num or (run and (not tok.strip() or tok == "-" or low in FILLERS)):
            run.append(tok)
        else:
            if run:
                close_run()
            out.append(tok)
    if run:
        close_run()
    return "".join(out)


def normalise_numerals(text: str) -> str:
    """ "2,000" / "2.000" / "2 000" → "2000"; "2k" → "2000" (decimals such as 0.375 kept)."""
    text = re.sub(
        r"\b([1-9]\d{0,2})(?:[,.](\d{3}))+\b(?![.,]\d)",
        lambda m: m.group(0).replace(",", "").replace(".", ""),
        text,
    )
    text = re.sub(r"\b(\d+)\s?k\b", lambda m: str(int(m.group(1)) * 1000), text, flags=re.I)
    return text
