"""BioQL's error hierarchy.

Every error a user can trigger is a :class:`BioQLError` whose message says what was wrong
and what would work instead.
"""

from __future__ import annotations


class BioQLError(Exception):
    """Base class of every error BioQL raises on purpose."""


class BioQLParseError(BioQLError, ValueError):
    """A natural-language description could not be understood.

    ``unknown_words`` are the words the compiler could not place, ``suggestion`` the closest
    supported phrasing.
    """

    def __init__(
        self,
        message: str,
        *,
        unknown_words: list[str] | None = None,
        suggestion: str | None = None,
    ) -> None:
        super().__init__(message)
        self.unknown_words = list(unknown_words or [])
        self.suggestion = suggestion


class BioQLValueError(BioQLError, ValueError):
    """An argument is out of range or of the wrong kind (qubits, shots, angles, indices)."""


class BioQLBackendError(BioQLError):
    """A backend name is unknown, unavailable, or the backend failed."""


class BioQLCredentialsError(BioQLBackendError):
    """A hardware backend was asked for without the credential it needs."""


class BioQLResourceError(BioQLBackendError):
    """A circuit is too large for the chosen backend (qubits, memory)."""


class BioQLDockingError(BioQLError):
    """Docking input could not be prepared or docked."""


class BioQLAssistantError(BioQLError):
    """The code assistant could not produce or validate an answer."""
