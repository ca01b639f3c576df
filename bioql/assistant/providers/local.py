"""The ``local`` provider: a causal LM trained with ``bioql train`` (issue 4). Placeholder seam
until the trained model ships; see ``model_available``."""

from __future__ import annotations

from bioql.errors import BioQLAssistantError


def model_available() -> bool:
    return False


class LocalModel:
    @classmethod
    def from_env(cls) -> LocalModel:
        raise BioQLAssistantError("No local code model is installed yet; use --provider template.")
