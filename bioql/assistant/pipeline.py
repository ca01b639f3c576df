"""The generation pipeline every provider goes through.

model output → validate, and check it does what the request states (shots, backend, each run;
``faithful.disagreement`` against the language's reading, ``reading.py``) →
(rejected) one repair turn with the checker's message, for backends that repair →
(still invalid) the template generator (``template.py``) → (nothing understood) a refusal.
The answer's ``source`` says which path produced it, its reasoning is derived from the
compiled circuits, and nothing is returned that has not passed :func:`validate`.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from bioql.assistant import faithful, reasoning, template
from bioql.assistant.checking.validate import validate
from bioql.assistant.contract import (
    Answer,
    Completion,
    FixResult,
    ModelBackend,
    Source,
    Timing,
)
from bioql.assistant.editor import complete as completion
from bioql.assistant.editor import fix as fixer
from bioql.assistant.model.prompt import ModelOutput, parse_output
from bioql.assistant.plan.plan import render_code
from bioql.assistant.reading import RequestReading, in_domain, read_request
from bioql.errors import BioQLAssistantError, BioQLError


@dataclass
class _Attempt(template.Draft):
    """A draft plus, when a model's draft was rejected, the message for its repair turn."""

    feedback: str = ""


class Pipeline:
    """An :class:`~bioql.assistant.contract.Assistant`: a model backend (or none) behind the checks."""

    def __init__(self, backend: ModelBackend | None = None, default_max_tokens: int = 256):
        self.backend = backend
        self.model_name = backend.name if backend else template.MODEL_NAME
        self.pricing_unit = backend.pricing_unit if backend else "second"
        self._repairs = bool(getattr(backend, "repairs", True))
        self.default_max_tokens = default_max_tokens

    # ------------------------------------------------------------ generate

    def generate(
        self,
        prompt: str,
        *,
        include_reasoning: bool = True,
        max_length: int | None = None,
        temperature: float = 0.0,
    ) -> Answer:
        start = time.perf_counter()
        gen_seconds = 0.0
        tokens_in = tokens_out = 0
        source: Source = "fallback"
        attempt = _Attempt()
        reading = read_request(prompt)
        model_refused = False
        if self.backend is not None:
            max_tokens = max_length or self.default_max_tokens
            t = time.perf_counter()
            try:
                reply = self.backend.ask(prompt, temperature=temperature, max_tokens=max_tokens)
                tokens_in, tokens_out = reply.tokens_in, reply.tokens_out
                attempt = self._check(reply.text, prompt, reading)
                source = "model"
                if attempt.code is None and attempt.refusal is None and self._repairs:
                    fixed = self.backend.repair(
                        prompt,
                        reply.text,
                        attempt.feedback,
                        temperature=temperature,
                        max_tokens=max_tokens,
                    )
                    tokens_in += fixed.tokens_in
                    tokens_out += fixed.tokens_out
                    attempt = self._check(fixed.text, prompt, reading)
                    source = "model+repair"
            except BioQLAssistantError:
                attempt = _Attempt()  # the model is unreachable or broke: the template answers
            gen_seconds += time.perf_counter() - t
            model_refused = attempt.refusal is not None
            if attempt.code is not None and not in_domain(prompt):
                attempt = _Attempt()  # valid code for an off-topic request is still off-topic
        if attempt.code is not None and not self._faithful(attempt, reading):
            attempt = _Attempt()  # the model's program is not the request's: never returned
        if attempt.code is None:
            t = time.perf_counter()
            attempt = self._template(prompt, reading)
            gen_seconds += time.perf_counter() - t if self.backend is None else 0.0
            source = "fallback"
            if attempt.refusal and model_refused:
                source = "model"
        return self._answer(
            attempt, source, include_reasoning, start, gen_seconds, tokens_in, tokens_out
        )

    def _check(self, text: str, prompt: str, reading: RequestReading) -> _Attempt:
        try:
            output: ModelOutput = parse_output(text)
        except BioQLError as exc:
            return _Attempt(feedback=str(exc))
        if output.refusal is not None:
            return _Attempt(refusal=output.refusal)
        code = render_code(output.plan) if output.plan is not None else output.code
        checked = validate(code, prompt=prompt)
        if not checked.ok:
            return _Attempt(validation=checked, feedback=checked.message)
        wrong = faithful.disagreement(checked.calls, reading)
        if not wrong and output.plan is not None and reading.plan is not None:
            wrong = faithful.comparison_differs(output.plan, reading.plan)
        if wrong:
            return _Attempt(validation=checked, feedback=wrong)
        return _Attempt(code=code, validation=checked)

    @staticmethod
    def _faithful(attempt: _Attempt, reading: RequestReading) -> bool:
        calls = attempt.validation.calls if attempt.validation is not None else []
        return faithful.matches_request(calls, reading) and not faithful.drops_words(calls, reading)

    @staticmethod
    def _template(prompt: str, reading: RequestReading) -> _Attempt:
        """The language's own reading of the request, as code (or its refusal)."""
        draft = template.generate(prompt, reading)
        return _Attempt(code=draft.code, refusal=draft.refusal, validation=draft.validation)

    def _answer(
        self,
        attempt: _Attempt,
        source: Source,
        include_reasoning: bool,
        start: float,
        gen_seconds: float,
        tokens_in: int,
        tokens_out: int,
    ) -> Answer:
        text = ""
        calls = attempt.validation.calls if attempt.validation is not None else []
        if attempt.code is not None and include_reasoning:
            text = reasoning.for_calls(calls)
        total = time.perf_counter() - start
        return Answer(
            code=attempt.code,
            reasoning=text,
            model=self.model_name,
            valid=attempt.code is not None,
            source=source,
            timing=Timing(total_seconds=round(total, 6), generation_seconds=round(gen_seconds, 6)),
            tokens_in=tokens_in,
            tokens_out=tokens_out,
            error=attempt.refusal if attempt.code is None else None,
            interpreted_as=faithful.readings(calls) if attempt.code is not None else [],
        )

    # ------------------------------------------------------------ fix / complete

    def fix(self, code: str) -> FixResult:
        return fixer.fix(code)

    def complete(
        self, prefix: str, suffix: str = "", *, max_length: int | None = None
    ) -> Completion:
        start = time.perf_counter()
        insertion = completion.complete(prefix, suffix)
        if max_length is not None:
            insertion = insertion[:max_length]
        elapsed = time.perf_counter() - start
        return Completion(
            insertion=insertion,
            model=self.model_name,
            timing=Timing(total_seconds=round(elapsed, 6), generation_seconds=round(elapsed, 6)),
        )
