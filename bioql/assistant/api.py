"""The assistant as the HTTP service and other callers see it.

``bioql.server`` imports only these names: :func:`get_assistant` for the process-wide
assistant, and the answer types it returns (defined in ``contract.py``).
"""

from __future__ import annotations

from bioql.assistant.contract import (
    Answer,
    Assistant,
    Completion,
    FixResult,
    ModelBackend,
    Reply,
    Source,
    Timing,
)

__all__ = [
    "Answer",
    "Assistant",
    "Completion",
    "FixResult",
    "ModelBackend",
    "Reply",
    "Source",
    "Timing",
    "get_assistant",
]


def get_assistant(provider: str | None = None) -> Assistant:
    """The assistant for ``provider`` (default: ``BIOQL_PROVIDER``, else ``template``).

    Loaded once per process and cached; an unknown name raises ``BioQLAssistantError``
    listing the known ones.
    """
    # Imported here: the providers build on the pipeline, which imports this package's
    # contract; loading them only when asked keeps `import bioql.assistant` cheap.
    from bioql.assistant.providers import load_provider

    return load_provider(provider)
