"""A prepared receptor: the PDBQT Vina docks into and the report of every choice made.

Its own module because the receptor cache stores and restores it while the preparation
(``receptor.py``) consults the cache.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass
class PreparedReceptor:
    pdbqt: str
    residues: int
    atoms: int
    kept: list[str] = field(default_factory=list)  # "NDP B:195 (cofactor ...)"
    removed: list[str] = field(default_factory=list)  # "TQ3 A:194: reason"
    waters_removed: int = 0
    trimmed_residues: int = 0
    notes: list[str] = field(default_factory=list)
    repairs: list[str] = field(default_factory=list)  # every change made to the input file
    polymer: Any = None  # the Meeko Polymer, for pocket chemistry (quantum path)
    from_cache: bool = False

    def to_dict(self) -> dict[str, Any]:
        return {
            "residues": self.residues,
            "atoms": self.atoms,
            "kept_hetero": list(self.kept),
            "removed_hetero": list(self.removed),
            "waters_removed": self.waters_removed,
            "residues_beyond_cutoff_left_out": self.trimmed_residues,
            "repairs": list(self.repairs),
            "notes": list(self.notes),
            "from_cache": self.from_cache,
        }
