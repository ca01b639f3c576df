"""The categories ``codegen-3`` adds to ``codegen-2``: VQE energies and curves (``chemistry``),
MaxCut by QAOA (``maxcut``) and virtual screening (``screening``), each with requests the
language must refuse.

They are drawn from seeded streams of their own (``"<seed>:<category>:<attempt>"``), after and
apart from the stream of codegen-2's categories, so codegen-2's examples — the ones the shipped
model was trained on — stay byte for byte what they were (same ids, same splits).
"""

from __future__ import annotations

import random

from bioql.assistant.dataset.chemistry import chemistry_example, maxcut_category_example
from bioql.assistant.dataset.examples import Example
from bioql.assistant.dataset.screening import screening_example

#: each added category's number of examples, as a share of the build's ``size``
ADDED_SHARES = {"chemistry": 0.07, "maxcut": 0.05, "screening": 0.06}
ADDED_CATEGORIES = tuple(ADDED_SHARES)


def make_added_example(category: str, lang: str, fam: str, rng: random.Random) -> Example:
    if category == "chemistry":
        return chemistry_example(lang, fam, rng)
    if category == "maxcut":
        return maxcut_category_example(lang, fam, rng)
    if category == "screening":
        return screening_example(lang, fam, rng)
    raise ValueError(f"not an added category: {category!r}")
