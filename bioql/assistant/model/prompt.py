"""The one prompt format: request → model input, model output → code.

Training (``bioql train``, issue 4) and inference (the ``local`` and ``openai`` completion
providers) both call :func:`render_prompt`; nothing else builds model input, so the prefix a
model was trained on is byte-for-byte the prefix it sees when answering. The format is
versioned: a trained model stores :data:`PROMPT_FORMAT_VERSION` and loading a model saved
with another version is refused.

Format ``bioql-plan/2``::

    <|bioql|><|user|>{request, values as slots}<|plan|>{plan, values as slots}<|end|>

The request is normalised and every value the plan copies from it (numbers, device names,
the ligand, protein files) is shown as a slot ``#1``, ``#2``… (``slots.py``); the model
writes the slots and :func:`decode_output` puts the values back. Version 1 made the model
copy values itself, and it copied the ones it had seen in training instead of the ones
asked for.

The model writes only the *plan* (see ``plan.py``: ``Q <description> | <backend> | <shots>``
lines, ``R <sentence>`` to refuse) and stops at ``<|end|>``; Python code and reasoning are
rendered from it deterministically. A short output is what makes a small CPU model fast,
and the special delimiters plus the end marker are what stop it from echoing the prompt or
rambling (seed 000's failure). A repair turn adds the rejected plan and the validator's
message before asking again::

    <|bioql|><|user|>{request}<|previous|>{plan}<|feedback|>{message}<|plan|>
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from bioql.assistant.model.slots import Slots, delexicalise
from bioql.assistant.plan.plan import Plan, from_text
from bioql.errors import BioQLAssistantError

PROMPT_FORMAT_VERSION = "bioql-plan/2"
BOS = "<|bioql|>"
USER = "<|user|>"
PREVIOUS = "<|previous|>"
FEEDBACK = "<|feedback|>"
PLAN = "<|plan|>"
END = "<|end|>"
SPECIAL_TOKENS = (BOS, USER, PREVIOUS, FEEDBACK, PLAN, END)
REFUSE = "R"
MAX_REQUEST_CHARS = 2000

_MARKER = re.compile(r"<\|[a-z]+\|>")


def clean_request(text: str) -> str:
    """User text as it enters the model: no special markers, single spaces, bounded length."""
    text = _MARKER.sub(" ", text)
    return re.sub(r"\s+", " ", text).strip()[:MAX_REQUEST_CHARS]


def render_prompt(request: str) -> str:
    """Model input for a request (training prefix == inference prefix)."""
    return f"{BOS}{USER}{delexicalise(clean_request(request)).text}{PLAN}"


def render_repair_prompt(request: str, previous: str, feedback: str) -> str:
    """Model input for the one repair turn after the validator rejected ``previous``."""
    slots = delexicalise(clean_request(request))
    previous = slots.encode(_MARKER.sub(" ", previous).strip()[:MAX_REQUEST_CHARS])
    feedback = slots.encode(clean_request(feedback))
    return f"{BOS}{USER}{slots.text}{PREVIOUS}{previous}{FEEDBACK}{feedback}{PLAN}"


def render_target(output: str | Mapping[str, Any], request: str | None = None) -> str:
    """What the model is trained to emit after the prefix: the plan, then the end marker.

    ``output`` is the plan text itself or a dataset record (its ``target`` field); values
    the request contains become its slots.
    """
    text = output if isinstance(output, str) else str(output["target"])
    if request is None and not isinstance(output, str):
        request = str(output.get("instruction") or output.get("request") or "")
    if request:
        text = delexicalise(clean_request(request)).encode(text)
    return f"{text.strip()}{END}"


def render_training_text(request: str, output: str | Mapping[str, Any]) -> str:
    return render_prompt(request) + render_target(output, request)


def decode_output(text: str, request: str) -> str:
    """A completion with the request's values in place of its slots."""
    return delexicalise(clean_request(request)).decode(text)


def request_slots(request: str) -> Slots:
    """The request as the model sees it: its values as slots (``#k`` is the k-th)."""
    return delexicalise(clean_request(request))


def slot_values(request: str) -> tuple[str, ...]:
    """The values the request's slots stand for (``#k`` is the k-th)."""
    return request_slots(request).values


def refusal_output(sentence: str) -> str:
    return f"{REFUSE} {sentence}"


@dataclass
class ModelOutput:
    """Parsed model output: exactly one of ``plan``, ``code`` or ``refusal`` is set."""

    raw: str
    plan: Plan | None = None
    code: str | None = None
    refusal: str | None = None


_FENCE = re.compile(r"```(?:python|py)?\s*\n(.*?)```", re.S)


def parse_output(text: str) -> ModelOutput:
    """Split a completion into plan / code / refusal; raise if it is none of them."""
    raw = text
    text = text.split(END, 1)[0]
    text = _MARKER.sub("", text).strip()
    if not text:
        raise BioQLAssistantError("The model returned nothing before the end marker.")
    fenced = _FENCE.search(text)
    if fenced:
        return ModelOutput(raw=raw, code=fenced.group(1).strip() + "\n")
    first = text.splitlines()[0].strip()
    if first == REFUSE or first.startswith(REFUSE + " "):
        return ModelOutput(raw=raw, refusal=first[1:].strip() or "The request was refused.")
    if first[:2] in ("Q ", "D ", "L ", "V ", "S ") or first == "C":
        return ModelOutput(raw=raw, plan=from_text(text))
    if re.search(r"^\s*(from bioql|import bioql)", text, re.M):
        return ModelOutput(raw=raw, code=text + "\n")
    raise BioQLAssistantError(
        f"The model's output is neither a plan ('Q <description> | <backend> | <shots>') nor "
        f"BioQL code: {text[:60]!r}."
    )
