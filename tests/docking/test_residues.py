"""Residues are read by name and atoms: converted files write everything as ATOM and use
force-field names."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from bioql.docking.residues import Kind, identify


@dataclass(frozen=True)
class _Atom:
    name: str
    element: str


def _atoms(*names: str) -> list[_Atom]:
    return [_Atom(n, "H" if n.startswith("H") else n[0]) for n in names]


@pytest.mark.parametrize(
    ("resname", "atoms", "kind", "name"),
    [
        ("WAT", _atoms("OW", "HW1", "HW2"), Kind.WATER, "HOH"),
        ("WAM", _atoms("OW", "HW1", "HW2"), Kind.WATER, "HOH"),
        ("ZN5", [_Atom("ZN", "Zn")], Kind.METAL, "ZN"),
        ("MG1", [_Atom("MG", "Mg")], Kind.METAL, "MG"),
        ("NA", [_Atom("NA", "Na")], Kind.METAL, "NA"),
        ("CL", [_Atom("CL", "Cl")], Kind.ION, "CL"),
        (
            "HIE",
            _atoms("N", "CA", "C", "O", "CB", "CG", "ND1", "CD2", "CE1", "NE2"),
            Kind.AMINO_ACID,
            "HIS",
        ),
        (
            "HIZ",
            _atoms("N", "CA", "C", "O", "CB", "CG", "ND1", "CD2", "CE1", "NE2"),
            Kind.AMINO_ACID,
            "HIS",
        ),
        ("GLZ", _atoms("N", "CA", "C", "O", "HN"), Kind.AMINO_ACID, "GLY"),
        ("LEV", _atoms("N", "CA", "C", "O", "CB", "CG", "CD1", "CD2"), Kind.AMINO_ACID, "LEU"),
        ("DIC", _atoms("N", "CA", "C", "O", "CB", "CG", "OD1", "OD2"), Kind.AMINO_ACID, "ASP"),
        ("TYS", _atoms("N", "CA", "C", "O", "CB", "CG", "OH", "S", "O1"), Kind.AMINO_ACID, "TYR"),
        ("MSE", _atoms("N", "CA", "C", "O", "CB", "CG", "SE", "CE"), Kind.AMINO_ACID, "MET"),
        ("SEP", _atoms("N", "CA", "C", "O", "CB", "OG", "P"), Kind.AMINO_ACID, "SEP"),
        ("NMA", _atoms("N", "CA", "HN"), Kind.CAP, "NME"),
        ("HEM", _atoms("FE", "NA", "NB", "C1A"), Kind.HETERO, "HEM"),
        ("NDP", _atoms("PA", "O1A", "C1B"), Kind.HETERO, "NDP"),
    ],
)
def test_residue_identity(resname, atoms, kind, name):
    identity = identify(resname, atoms)
    assert (identity.kind, identity.name) == (kind, name)
    assert bool(identity.reason) == (resname not in {name, "HIE", "NDP", "HEM", "SEP"})
