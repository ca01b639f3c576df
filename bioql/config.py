"""Process-wide settings read from the environment."""

from __future__ import annotations

import os
from pathlib import Path


def bioql_home() -> Path:
    """Directory for BioQL's state (database, cached models); ``BIOQL_HOME`` or ``~/.bioql``."""
    home = Path(os.environ.get("BIOQL_HOME", Path.home() / ".bioql")).expanduser()
    home.mkdir(parents=True, exist_ok=True)
    return home
