"""The template generator: the language's reading of a request, rendered as code and checked.

No model is involved. It is the ``template`` provider on its own and every other provider's
last resort (its answers carry ``source="fallback"``, the HTTP contract's name for it). The
request is read by ``reading.py`` (through :mod:`bioql.language`); its plan is rendered as code
and the code validated before it is returned.
"""

from __future__ import annotations

from dataclasses import dataclass

from bioql.assistant.checking.validate import Validation, validate
from bioql.assistant.plan.plan import render_code
from bioql.assistant.reading import RequestReading, read_request

#: the ``model`` field of answers the template generator produced on its own
MODEL_NAME = "template"


@dataclass
class Draft:
    """A checked program, or a refusal sentence when there is none."""

    code: str | None = None
    refusal: str | None = None
    validation: Validation | None = None


def generate(request: str, reading: RequestReading | None = None) -> Draft:
    """The validated program for ``request``, or a refusal saying why there is none."""
    reading = reading or read_request(request)
    if reading.plan is None:
        return Draft(refusal=reading.error)
    code = render_code(reading.plan)
    checked = validate(code)
    if not checked.ok:
        # The generator's own output failed: say so rather than return unchecked code.
        return Draft(
            refusal=f"I could not produce a valid BioQL program for this request: {checked.message}"
        )
    return Draft(code=code, validation=checked)
