"""A test double for the code assistant: deterministic timing, and failures on demand."""

from __future__ import annotations

import os
import threading
import time

from bioql.assistant.api import Answer, Completion, FixResult, Timing
from bioql.errors import BioQLAssistantError

BELL = (
    'from bioql import quantum\n\nresult = quantum("Create a Bell state", shots=200)\nprint(result)'
)


class FakeAssistant:
    """Reports ``seconds`` of generation (what is billed) and sleeps ``delay`` for real.

    ``mode``: "ok", "raise" (the model crashes), "refuse" (out-of-domain prompt).
    """

    model_name = "fake-model"

    def __init__(
        self,
        seconds: float = 0.5,
        delay: float = 0.0,
        mode: str = "ok",
        pricing_unit: str = "second",
        tokens: tuple[int, int] = (12, 34),
    ) -> None:
        self.seconds = seconds
        self.delay = delay
        self.mode = mode
        self.pricing_unit = pricing_unit
        self.tokens = tokens
        self.calls = 0
        self._lock = threading.Lock()

    def _work(self) -> None:
        with self._lock:
            self.calls += 1
        if self.delay:
            time.sleep(self.delay)
        if self.mode == "raise":
            raise BioQLAssistantError("the model server went away.")

    def generate(self, prompt, *, include_reasoning=True, max_length=None, temperature=0.0):  # type: ignore[no-untyped-def]
        self._work()
        timing = Timing(total_seconds=self.seconds + 0.01, generation_seconds=self.seconds)
        if self.mode == "refuse":
            return Answer(
                code=None,
                reasoning="",
                model=self.model_name,
                valid=False,
                source="fallback",
                timing=timing,
                error="This prompt is not about quantum programming; describe a circuit.",
            )
        return Answer(
            code=BELL,
            reasoning="A Bell state needs H then CNOT.",
            model=self.model_name,
            valid=True,
            source="model",
            timing=timing,
            tokens_in=self.tokens[0],
            tokens_out=self.tokens[1],
        )

    def fix(self, code: str) -> FixResult:
        self._work()
        return FixResult(code=code.replace("quantom", "quantum"), changes=["Renamed quantom."])

    def complete(self, prefix: str, suffix: str = "", *, max_length=None) -> Completion:  # type: ignore[no-untyped-def]
        self._work()
        return Completion(
            insertion='"Create a Bell state")',
            model=self.model_name,
            timing=Timing(self.seconds, self.seconds),
        )


def app_factory():  # type: ignore[no-untyped-def]
    """For a real uvicorn process (``--factory``): the app with a slow fake assistant that
    bills exactly the maximum charge, so "can afford N requests" is exact."""
    from bioql.server.app import create_app
    from bioql.server.config import load_settings

    settings = load_settings()
    fake = FakeAssistant(
        seconds=float(settings.max_charge_seconds), delay=float(os.environ.get("FAKE_DELAY", "0.3"))
    )
    return create_app(settings, assistant=fake)
