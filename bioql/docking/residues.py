"""What each residue of a PDB file is, decided by its name and its atoms, never by record type.

Files converted between formats (PDBQT → PDB, Amber or CHARMM output) write waters, metal ions
and cofactors as ATOM records and give residues force-field names: ``HIE``, ``CYX``, ``ZN1``,
``WAT``, ``HIZ`` (a histidine bound to zinc), ``NMA`` (an N-methyl cap). Each residue is read
here as one of a few kinds, with the name BioQL uses for it and the reason, so the receptor
report can say how every residue was understood.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Protocol

WATER_NAMES = frozenset({"HOH", "WAT", "DOD", "H2O", "TIP", "TIP3", "SOL", "WAM", "SPC", "T3P"})

STANDARD_AMINO_ACIDS = frozenset(
    [
        "ALA",
        "ARG",
        "ASN",
        "ASP",
        "CYS",
        "GLN",
        "GLU",
        "GLY",
        "HIS",
        "ILE",
        "LEU",
        "LYS",
        "MET",
        "PHE",
        "PRO",
        "SER",
        "THR",
        "TRP",
        "TYR",
        "VAL",
    ]
)

# Protonation / tautomer names of Amber (HID...) and CHARMM (HSD...) → the amino acid.
PROTONATION_VARIANTS: dict[str, str] = {
    "HID": "HIS",
    "HIE": "HIS",
    "HIP": "HIS",
    "HSD": "HIS",
    "HSE": "HIS",
    "HSP": "HIS",
    "CYX": "CYS",
    "CYM": "CYS",
    "ASH": "ASP",
    "GLH": "GLU",
    "LYN": "LYS",
}

# Modified amino acids Meeko has templates for: kept as they are (their chemistry matters).
MEEKO_MODIFIED = frozenset({"SEP", "TPO", "PTR", "HYP", "NLE", "ALY"})

# Terminal caps written by Amber-style preparation; NMA is the old name of NME.
CAPS: dict[str, str] = {"ACE": "ACE", "NME": "NME", "NMA": "NME", "NHE": "NHE"}

NUCLEOTIDES = frozenset({"A", "C", "G", "U", "DA", "DC", "DG", "DT", "RA", "RC", "RG", "RU"})

# Metal ions AutoDock Vina has atom types for (its metal donor type, Met_D), by element.
VINA_METALS = frozenset({"ZN", "MG", "MN", "FE", "CA", "NA", "K"})
# Other monatomic ions: crystallization or buffer ions that Vina cannot type.
OTHER_IONS = frozenset({"CL", "BR", "I", "F", "CU", "NI", "CO", "CD", "HG", "SR", "CS", "LI", "RB"})
_ION_ELEMENTS = VINA_METALS | OTHER_IONS | {"IOD"}

BACKBONE = frozenset({"N", "CA", "C"})


class Kind(StrEnum):
    AMINO_ACID = "amino acid"
    CAP = "terminal cap"
    NUCLEOTIDE = "nucleotide"
    WATER = "water"
    METAL = "metal ion"
    ION = "other ion"
    HETERO = "hetero group"  # cofactor, additive or ligand: decided with the box (receptor.py)

    @property
    def is_polymer(self) -> bool:
        return self in (Kind.AMINO_ACID, Kind.CAP, Kind.NUCLEOTIDE)


@dataclass(frozen=True)
class Identity:
    kind: Kind
    name: str  # the name BioQL uses: parent amino acid, element of an ion, cap, or as written
    reason: str = ""  # set when ``name`` differs from the file's, for the report


class AtomLike(Protocol):
    @property
    def name(self) -> str: ...

    @property
    def element(self) -> str: ...


def identify(resname: str, atoms: Sequence[AtomLike]) -> Identity:
    """The kind and BioQL name of a residue written as ``resname`` with ``atoms``."""
    heavy = [a for a in atoms if a.element.upper() not in ("H", "D")]
    names = {a.name for a in heavy}
    if resname in WATER_NAMES or (len(heavy) == 1 and heavy[0].element.upper() == "O"):
        return Identity(Kind.WATER, "HOH", _renamed(resname, "HOH", "water"))
    if len(heavy) == 1 and len(atoms) == 1 and _element(heavy[0]) in _ION_ELEMENTS:
        element = _element(heavy[0])
        kind = Kind.METAL if element in VINA_METALS else Kind.ION
        return Identity(kind, element, _renamed(resname, element, f"a {element} ion"))
    if resname in STANDARD_AMINO_ACIDS or resname in MEEKO_MODIFIED:
        return Identity(Kind.AMINO_ACID, resname)
    if resname in PROTONATION_VARIANTS:
        return Identity(Kind.AMINO_ACID, PROTONATION_VARIANTS[resname])
    if resname in CAPS:
        return Identity(Kind.CAP, CAPS[resname], _renamed(resname, CAPS[resname], "a cap"))
    if resname in NUCLEOTIDES:
        return Identity(Kind.NUCLEOTIDE, resname)
    if names >= BACKBONE:
        return _amino_acid_by_atoms(resname, names)
    return Identity(Kind.HETERO, resname)


def _element(atom: AtomLike) -> str:
    return atom.element.upper() or atom.name.upper()


def _renamed(written: str, name: str, what: str) -> str:
    return "" if written == name else f"read as {what} ({name})"


def _amino_acid_by_atoms(resname: str, names: set[str]) -> Identity:
    """A residue with an amino-acid backbone under another name: a known modified residue
    (PDBFixer's table of parents), else the amino acid whose heavy atoms it has."""
    from pdbfixer.pdbfixer import substitutions

    if resname in substitutions:
        parent = substitutions[resname]
        return Identity(Kind.AMINO_ACID, parent, f"modified {parent}, mapped to {parent}")
    heavy_sets = standard_heavy_atoms()
    candidates = [aa for aa, atoms in heavy_sets.items() if names - {"OXT"} <= atoms]
    if not candidates:
        return Identity(Kind.HETERO, resname)
    parent = min(candidates, key=lambda aa: (len(heavy_sets[aa]), aa))
    return Identity(Kind.AMINO_ACID, parent, f"read as {parent} (its heavy atoms are {parent}'s)")


@functools.cache
def standard_heavy_atoms() -> dict[str, frozenset[str]]:
    """Heavy-atom names of the 20 amino acids, from Meeko's own residue templates (the names
    Meeko will match), without the terminal OXT."""
    from bioql.docking.templates import meeko_templates

    templates = meeko_templates().residue_templates
    return {aa: template_heavy_atoms(templates[name]) for aa, name in _MEEKO_NAME.items()}


def template_heavy_atoms(template: object) -> frozenset[str]:
    mol = template.mol  # type: ignore[attr-defined]
    names = template.atom_names  # type: ignore[attr-defined]
    return frozenset(n for a, n in zip(mol.GetAtoms(), names, strict=True) if a.GetAtomicNum() > 1)


# Meeko has no plain HIS template (only its tautomers); HIE carries every heavy atom of HIS.
_MEEKO_NAME = {aa: ("HIE" if aa == "HIS" else aa) for aa in STANDARD_AMINO_ACIDS}
