"""Where programs run: Aer simulators, IBM fake devices, IBM Quantum, IonQ.

``get_backend(name)`` returns the adapter for a backend name (docs/backends.md lists the
names); ``list_backends()`` says which ones can run here and why not.
"""

from bioql.backends.base import Backend, Execution
from bioql.backends.registry import BackendInfo, get_backend, list_backends

__all__ = ["Backend", "BackendInfo", "Execution", "get_backend", "list_backends"]
