"""Number words in English and Spanish ("two thousand", "dos mil", "veintiuno") and ordinals."""

from __future__ import annotations

from bioql.language.tokens import Token

UNITS = {
    # English
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
    "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18,
    "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60,
    "seventy": 70, "eighty": 80, "ninety": 90,
    # Spanish (accents already stripped)
    "cero": 0, "uno": 1, "dos": 2, "tres": 3, "cuatro": 4, "cinco": 5, "seis": 6,
    "siete": 7, "ocho": 8, "nueve": 9, "diez": 10, "once": 11, "doce": 12, "trece": 13,
    "catorce": 14, "quince": 15, "dieciseis": 16, "diecisiete": 17, "dieciocho": 18,
    "diecinueve": 19, "veinte": 20, "veintiuno": 21, "veintiun": 21, "veintidos": 22,
    "veintitres": 23, "veinticuatro": 24, "veinticinco": 25, "veintiseis": 26,
    "veintisiete": 27, "veintiocho": 28, "veintinueve": 29, "treinta": 30, "cuarenta": 40,
    "cincuenta": 50, "sesenta": 60, "setenta": 70, "ochenta": 80, "noventa": 90,
    "cien": 100, "ciento": 100, "doscientos": 200, "doscientas": 200, "trescientos": 300,
    "trescientas": 300, "cuatrocientos": 400, "cuatrocientas": 400, "quinientos": 500,
    "quinientas": 500, "seiscientos": 600, "seiscientas": 600, "setecientos": 700,
    "setecientas": 700, "ochocientos": 800, "ochocientas": 800, "novecientos": 900,
    "novecientas": 900,
}  # fmt: skip

SCALES = {
    "hundred": 100,
    "hundreds": 100,
    "thousand": 1000,
    "thousands": 1000,
    "mil": 1000,
    "million": 10**6,
    "millions": 10**6,
    "millon": 10**6,
    "millones": 10**6,
}
_ARTICLES = {"a", "an", "un", "una"}  # count as 1 only before a scale: "a thousand", "un millón"
_CONNECTORS = {"and", "y"}  # "two hundred and fifty", "treinta y dos"

ORDINALS = {
    "first": 0, "second": 1, "third": 2, "fourth": 3, "fifth": 4, "sixth": 5, "seventh": 6,
    "eighth": 7, "ninth": 8, "tenth": 9,
    "primer": 0, "primero": 0, "primera": 0, "primeros": 0, "primeras": 0, "segundo": 1, "segunda": 1, "tercer": 2,
    "tercero": 2, "tercera": 2, "cuarto": 3, "cuarta": 3, "quinto": 4, "quinta": 4,
    "sexto": 5, "sexta": 5, "septimo": 6, "septima": 6, "octavo": 7, "octava": 7,
    "noveno": 8, "novena": 8, "decimo": 9, "decima": 9,
}  # fmt: skip

NUMBER_WORDS = frozenset(UNITS) | frozenset(SCALES) | frozenset(ORDINALS)


def _is_number_word(tok: Token) -> bool:
    return tok.kind == "word" and (tok.text in UNITS or tok.text in SCALES)


def _number_run(tokens: list[Token], i: int) -> int:
    """Length of the number-word run starting at ``i`` (0 if none)."""
    j = i
    if tokens[i].kind == "word" and tokens[i].text in _ARTICLES:
        if i + 1 < len(tokens) and tokens[i + 1].kind == "word" and tokens[i + 1].text in SCALES:
            j = i + 1
        else:
            return 0
    while j < len(tokens):
        tok = tokens[j]
        if _is_number_word(tok) or (
            tok.kind == "word"
            and tok.text in _CONNECTORS
            and j > i
            and j + 1 < len(tokens)
            and _is_number_word(tokens[j + 1])
            and _joins(tokens[j - 1].text, tokens[j + 1].text)
        ):
            j += 1
        else:
            break
    return j - i


def _joins(before: str, after: str) -> bool:
    """'and'/'y' continues a number only as in 'hundred and five' or 'treinta y dos'."""
    if before in SCALES:
        return after in UNITS and UNITS[after] < 100
    value = UNITS.get(before, 0)
    return value >= 20 and value % 10 == 0 and value < 100 and UNITS.get(after, 100) < 10


def _value(words: list[str]) -> int:
    total, current = 0, 0
    for w in words:
        if w in _ARTICLES:
            current = 1
        elif w in _CONNECTORS:
            continue
        elif w in UNITS:
            current += UNITS[w]
        elif SCALES[w] == 100:
            current = max(current, 1) * 100
        else:
            total += max(current, 1) * SCALES[w]
            current = 0
    return total + current


def merge_number_words(tokens: list[Token]) -> list[Token]:
    """Replace number-word runs by ``num`` tokens and ordinals by ``ord`` tokens."""
    out: list[Token] = []
    i = 0
    while i < len(tokens):
        tok = tokens[i]
        if tok.kind == "word" and tok.text in ORDINALS and not tok.concept:
            out.append(Token("ord", tok.text, tok.raw, value=ORDINALS[tok.text]))
            i += 1
            continue
        n = _number_run(tokens, i) if tok.kind == "word" and not tok.concept else 0
        if n == 0:
            out.append(tok)
            i += 1
            continue
        run = tokens[i : i + n]
        value = _value([t.text for t in run])
        raw = " ".join(t.raw for t in run)
        out.append(Token("num", str(value), raw, value=value))
        i += n
    return out
