"""Number words (English and Spanish) and numerals with separators → integers in text."""

from __future__ import annotations

import re

UNITS = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
    "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18,
    "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60,
    "seventy": 70, "eighty": 80, "ninety": 90,
    "cero": 0, "uno": 1, "un": 1, "una": 1, "dos": 2, "tres": 3, "cuatro": 4, "cinco": 5,
    "seis": 6, "siete": 7, "ocho": 8, "nueve": 9, "diez": 10, "once": 11, "doce": 12,
    "trece": 13, "catorce": 14, "quince": 15, "dieciseis": 16, "diecisiete": 17,
    "dieciocho": 18, "diecinueve": 19, "veinte": 20, "treinta": 30, "cuarenta": 40,
    "cincuenta": 50, "sesenta": 60, "setenta": 70, "ochenta": 80, "noventa": 90,
    "veintiuno": 21, "veintidos": 22, "veintitres": 23, "veinticuatro": 24, "veinticinco": 25,
    "veintiseis": 26, "veintisiete": 27, "veintiocho": 28, "veintinueve": 29,
    "cien": 100, "ciento": 100, "doscientos": 200, "trescientos": 300, "cuatrocientos": 400,
    "quinientos": 500, "seiscientos": 600, "setecientos": 700, "ochocientos": 800,
    "novecientos": 900, "doscientas": 200, "trescientas": 300, "quinientas": 500,
}  # fmt: skip
SCALES = {"hundred": 100, "thousand": 1000, "mil": 1000, "million": 1_000_000, "millon": 1_000_000}
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
    for tok in tokens:
        low = tok.lower()
        is_num = low in UNITS or low in SCALES
        if is_num or (run and (not tok.strip() or tok == "-" or low in FILLERS)):
            run.append(tok)
        else:
            if run:
                # keep trailing whitespace out of the number
                trailing = []
                while run and (not run[-1].strip() or run[-1] == "-"):
                    trailing.insert(0, run.pop())
                flush()
                out.extend(trailing)
            out.append(tok)
    if run:
        trailing = []
        while run and (not run[-1].strip() or run[-1] == "-"):
            trailing.insert(0, run.pop())
        flush()
        out.extend(trailing)
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
