"""Turn pydantic's validation errors into one sentence a person can act on."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any


def validation_sentence(errors: Sequence[Any]) -> str:
    sentences = [_one(e) for e in errors[:3]]
    more = len(errors) - len(sentences)
    text = " ".join(sentences)
    return text + (f" ({more} more problem{'s' if more > 1 else ''}.)" if more > 0 else "")


def _one(error: dict[str, Any]) -> str:
    kind = error.get("type", "")
    loc = [str(p) for p in error.get("loc", ()) if p not in ("body", "header", "query")]
    field = ".".join(loc)
    if kind == "json_invalid":
        reason = error.get("ctx", {}).get("error", "malformed")
        return f"The request body is not valid JSON ({reason}); send a JSON object."
    if kind == "missing" and not field:
        return 'The request body is missing; send a JSON object, e.g. {"prompt": "…"}.'
    if kind == "missing":
        return f"The field '{field}' is required."
    if kind == "extra_forbidden":
        return f"Unknown field '{field}'; remove it (see /docs for the accepted fields)."
    if kind in ("model_type", "model_attributes_type", "dict_type"):
        return "The request body must be a JSON object."
    message = str(error.get("msg", "is invalid")).rstrip(".")
    where = f"The field '{field}'" if field else "The request body"
    return f"{where} is invalid: {message[0].lower() + message[1:]}."
