"""BioQL: natural-language quantum programming for the life sciences.

>>> from bioql import quantum
>>> result = quantum("Create a 3-qubit GHZ state", backend="simulator", shots=1000)
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from bioql.errors import (
    BioQLBackendError,
    BioQLCredentialsError,
    BioQLError,
    BioQLParseError,
    BioQLResourceError,
    BioQLValueError,
)

__version__ = "0.1.0"

__all__ = [
    "BioQLBackendError",
    "BioQLCredentialsError",
    "BioQLError",
    "BioQLParseError",
    "BioQLResourceError",
    "BioQLValueError",
    "QuantumResult",
    "__version__",
    "compile_description",
    "dock",
    "quantum",
]

if TYPE_CHECKING:
    from bioql.docking import dock
    from bioql.language import compile_description
    from bioql.result import QuantumResult
    from bioql.runtime import quantum

# Lazy: `import bioql` must not pay for qiskit / rdkit until they are used.
_LAZY = {
    "quantum": "bioql.runtime",
    "QuantumResult": "bioql.result",
    "compile_description": "bioql.language",
    "dock": "bioql.docking",
    "load_ipython_extension": "bioql.notebook",  # `%load_ext bioql` in Jupyter
}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'bioql' has no attribute {name!r}")
