"""Process-wide settings read from the environment."""

from __future__ import annotations

import os
from pathlib import Path

#: The most shots one run may ask for, in a description, a ``quantum()`` argument or generated code.
MAX_SHOTS = 10_000_000


def bioql_home() -> Path:
    """Directory for BioQL's state (database, cached models); ``BIOQL_HOME`` or ``~/.bioql``."""
    home = Path(os.environ.get("BIOQL_HOME", Path.home() / ".bioql")).expanduser()
    home.mkdir(parents=True, exist_ok=True)
    return home
