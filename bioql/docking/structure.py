"""Minimal PDB reading: atoms, residues and the hetero groups (waters, ions, cofactors, ligands).

Only what docking needs: fixed-column ATOM/HETATM records, grouped by residue. Chemistry
(bonds, hydrogens, templates) is left to RDKit and Meeko.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from bioql.docking.residues import Identity, Kind, identify
from bioql.errors import BioQLDockingError


@dataclass(frozen=True)
class Atom:
    record: str  # ATOM or HETATM
    name: str
    resname: str
    chain: str
    resseq: int
    icode: str
    xyz: tuple[float, float, float]
    element: str
    line: str

    @property
    def residue_id(self) -> str:
        """Meeko's residue key: ``chain:resseq`` (plus insertion code)."""
        return f"{self.chain}:{self.resseq}{self.icode}".strip()


@dataclass
class Residue:
    resname: str
    chain: str
    resseq: int
    icode: str
    atoms: list[Atom] = field(default_factory=list)

    @property
    def residue_id(self) -> str:
        return f"{self.chain}:{self.resseq}{self.icode}".strip()

    @property
    def label(self) -> str:
        """Human label, e.g. ``NDP B:195``."""
        return f"{self.resname} {self.residue_id}"

    @property
    def coords(self) -> np.ndarray:
        return np.array([a.xyz for a in self.atoms], dtype=float)

    @functools.cached_property
    def identity(self) -> Identity:
        """What this residue is, by name and atoms (see ``residues``); the record type
        (ATOM or HETATM) is not used: converted files write waters and ions as ATOM."""
        return identify(self.resname, self.atoms)

    @property
    def kind(self) -> Kind:
        return self.identity.kind

    @property
    def is_water(self) -> bool:
        return self.kind is Kind.WATER

    @property
    def is_polymer(self) -> bool:
        return self.kind.is_polymer

    def pdb_block(self) -> str:
        return "".join(a.line + "\n" for a in self.atoms) + "END\n"


@dataclass
class Structure:
    """A parsed PDB file: residues in file order."""

    path: Path
    residues: list[Residue]
    seqres: dict[str, list[str]] = field(default_factory=dict)  # chain → residue names

    @property
    def polymer(self) -> list[Residue]:
        return [r for r in self.residues if r.is_polymer]

    @property
    def hetero(self) -> list[Residue]:
        """Non-polymer groups except waters: ions, cofactors, leftover ligands, additives."""
        return [r for r in self.residues if not r.is_polymer and not r.is_water]

    @property
    def waters(self) -> list[Residue]:
        return [r for r in self.residues if r.is_water]

    def polymer_coords(self) -> np.ndarray:
        parts = [r.coords for r in self.polymer]
        return np.concatenate(parts) if parts else np.zeros((0, 3))

    def find_groups(self, selector: str) -> list[Residue]:
        """Residues matching ``RES``, ``RES:CHAIN:NUM``, ``CHAIN:NUM`` or ``RES CHAIN:NUM``."""
        sel = selector.strip().upper().replace(" ", ":")
        parts = sel.split(":")
        found = []
        for r in self.residues:
            rid = [r.resname, r.chain.upper(), f"{r.resseq}{r.icode}".strip()]
            if (
                (len(parts) == 1 and parts[0] == r.resname)
                or (len(parts) == 2 and parts == rid[1:])
                or (len(parts) == 3 and parts == rid)
            ):
                found.append(r)
        return found


def read_pdb(path: str | Path) -> Structure:
    """Parse a PDB file; a missing, empty or malformed file is a BioQLDockingError."""
    path = Path(path)
    if not path.is_file():
        raise BioQLDockingError(
            f"Protein file {str(path)!r} does not exist. Pass the path of a PDB file "
            "(e.g. protein_pdb='receptor.pdb')."
        )
    try:
        text = path.read_text(errors="replace")
    except OSError as exc:
        raise BioQLDockingError(f"Could not read protein file {str(path)!r}: {exc}.") from None
    residues: dict[tuple[str, int, str, str], Residue] = {}
    seqres: dict[str, list[str]] = {}
    for number, line in enumerate(text.splitlines(), start=1):
        if line.startswith("ENDMDL"):
            break  # first model only, like every docking program
        if line.startswith("SEQRES"):
            seqres.setdefault(line[11].strip(), []).extend(line[19:].split())
        if not line.startswith(("ATOM  ", "HETATM")):
            continue
        atom = _parse_atom(line, number, path)
        if line[16] not in (" ", "A"):
            continue  # keep the first alternate location only
        key = (atom.chain, atom.resseq, atom.icode, atom.resname)
        if key not in residues:
            residues[key] = Residue(atom.resname, atom.chain, atom.resseq, atom.icode)
        residues[key].atoms.append(atom)
    if not residues:
        raise BioQLDockingError(
            f"{str(path)!r} has no ATOM or HETATM records, so it is not a PDB structure. "
            "Pass a protein in PDB format (mmCIF can be converted with gemmi or PyMOL)."
        )
    structure = Structure(path=path, residues=list(residues.values()), seqres=seqres)
    if not structure.polymer:
        raise BioQLDockingError(
            f"{str(path)!r} contains no protein residues (only hetero groups). "
            "Pass the receptor's PDB file, not a ligand file."
        )
    return structure


def _parse_atom(line: str, number: int, path: Path) -> Atom:
    try:
        xyz = (float(line[30:38]), float(line[38:46]), float(line[46:54]))
        resseq = int(line[22:26])
    except (ValueError, IndexError):
        raise BioQLDockingError(
            f"Line {number} of {str(path)!r} is not a valid PDB atom record "
            f"(coordinates or residue number unreadable): {line.strip()!r}. "
            "Fix or regenerate the file (e.g. save it again from PyMOL or PDBFixer)."
        ) from None
    name = line[12:16].strip()
    element = line[76:78].strip() if len(line) >= 78 else ""
    if not element:
        element = "".join(ch for ch in name if ch.isalpha())[:1]
    return Atom(
        record=line[:6].strip(),
        name=name,
        resname=line[17:20].strip(),
        chain=line[21].strip() if len(line) > 21 else "",
        resseq=resseq,
        icode=line[26].strip() if len(line) > 26 else "",
        xyz=xyz,
        element=element.capitalize(),
        line=line.rstrip("\n"),
    )
