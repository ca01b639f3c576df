"""Write ``bioql/language/real_words.txt``: English words that BioQL's typo corrector must
never "correct" into another word.

Why: the corrector turns an unknown word into the nearest known one ("creat" → "create"), but
a real word near a known one is not a typo — "including" is not "excluding", "touched" is not
"untouched", "reset" is not "rest". A real word BioQL does not know must be named in the
refusal instead. The list is every lower-case word of 4–14 letters written at least
``MIN_COUNT`` times in the docstrings and comments of the scientific Python packages installed
here (English technical prose, the register BioQL's users write in); a typo is rarely repeated
that often. Words BioQL already knows are left out. Re-run after changing the packages::

    .venv/bin/python tools/make_real_words.py
"""

from __future__ import annotations

import collections
import re
import sysconfig
from pathlib import Path

from bioql.language.lexicon import FILLERS, LEXICON
from bioql.language.numbers import NUMBER_WORDS

PACKAGES = ("qiskit", "numpy", "scipy", "matplotlib", "sympy", "pandas", "sklearn", "rdkit")
MIN_COUNT = 8
# real words that, in a description of a circuit, are far more often a typo of a known word
TYPOS_FIRST = frozenset({"stat"})  # "a W stat on 3 qubits"
OUT = Path(__file__).resolve().parents[1] / "bioql" / "language" / "real_words.txt"
_WORD = re.compile(r"\b[a-z]{4,14}\b")


def count_words() -> collections.Counter[str]:
    counts: collections.Counter[str] = collections.Counter()
    site = Path(sysconfig.get_paths()["purelib"])
    for package in PACKAGES:
        for path in (site / package).rglob("*.py"):
            counts.update(_WORD.findall(path.read_text(encoding="utf-8", errors="ignore")))
    return counts


def main() -> None:
    known = set(LEXICON) | FILLERS | NUMBER_WORDS
    counts = count_words()
    words = sorted(w for w, n in counts.items() if n >= MIN_COUNT and w not in known | TYPOS_FIRST)
    header = "# written by tools/make_real_words.py; one word per line\n"
    OUT.write_text(header + "\n".join(words) + "\n", encoding="utf-8")
    print(f"{len(words)} words → {OUT}")


if __name__ == "__main__":
    main()
