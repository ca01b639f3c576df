"""The template generator: a request's plan rendered as code, checked by BioQL's compiler.

No model is involved. It is the ``template`` provider on its own and every other provider's
last resort (its answers carry ``source="fallback"``, the HTTP contract's name for it). The
request is read by ``reading.intent``; every description it produces is compiled before the
code is returned.
"""

from __future__ import annotations

from dataclasses import dataclass

from bioql.assistant.checking.validate import Validation, validate
from bioql.assistant.plan.plan import render_code
from bioql.assistant.reading import intent

#: the ``model`` field of answers the template generator produced on its own
MODEL_NAME = "template"


@dataclass
class Draft:
    """A checked program, or a refusal sentence when there is none."""

    code: str | None = None
    refusal: str | None = None
    validation: Validation | None = None


def generate(request: str) -> Draft:
    """The validated program for ``request``, or a refusal saying why there is none."""
    understood = intent.understand(request)
    if understood.plan is None:
        return Draft(refusal=understood.refusal)
    code = render_code(understood.plan)
    checked = validate(code, prompt=request)
    if not checked.ok:
        # The generator's own output failed: say so rather than return unchecked code.
        return Draft(
            refusal=f"I could not produce a valid BioQL program for this request: {checked.message}"
        )
    return Draft(code=code, validation=checked)
