"""The code assistant: natural-language requests in, validated BioQL programs out.

The flow, one folder or module per step::

    api.py / contract.py   what callers get (Answer, FixResult, Completion) and get_assistant()
    providers/             where a first draft comes from: template, local, openai, anthropic
    reading.py             the request read by bioql.language (one circuit, several runs,
                           docking): a plan, or the language's sentence naming what it cannot read
    pipeline.py            draft → checking/ → one repair turn → template.py → refusal
    faithful.py            an answer checked against that reading (or refused)
    template.py            the reading rendered as code (no model): every provider's fallback
    plan/                  the plan language a model emits, its grammar and its search
    model/                 prompt format, slots and the local runtimes (torch, llama.cpp),
                           shared by serving and training
    checking/              validation of generated code against BioQL's compiler
    editor/                `bioql fix` and completion for the editor
    dataset/, training/    building the dataset and training the code model (never imported
                           by serving), evaluate.py to measure a provider
"""

from __future__ import annotations

from bioql.assistant.api import get_assistant
from bioql.assistant.contract import Answer, Assistant, Completion, FixResult, Source, Timing

__all__ = ["Answer", "Assistant", "Completion", "FixResult", "Source", "Timing", "get_assistant"]
