"""Shared data for the docking tests: the three PDB complexes shipped in tests/data/pdb."""

from __future__ import annotations

from pathlib import Path

import pytest

DATA = Path(__file__).resolve().parents[1] / "data" / "pdb"

# Crystal ligands as SMILES. 1s3v's SDF carries a mis-assigned bond order (an sp3 C2 in the
# pyrimidine); the SMILES here is the real 2,4-diaminotetrahydroquinazoline.
LIGANDS = {
    "1ia1": "Nc1nc(N)c2c(Sc3ccccc3)cccc2n1",
    "1s3v": "COc1cc(N(C)C[C@@H]2CCc3nc(N)nc(N)c3C2)cc(OC)c1OC",
    "1uou": "N=C1CCCN1Cc1[nH]c(=O)[nH]c(=O)c1Cl",
}


def protein(code: str) -> Path:
    return DATA / f"{code}_protein.pdb"


def crystal_ligand(code: str) -> Path:
    return DATA / f"{code}_ligand.sdf"


@pytest.fixture(scope="session")
def ia1_result():
    """One modest redocking of 1ia1, shared by the tests that inspect a DockingResult."""
    from bioql.docking import dock

    return dock(
        "Redock TQ3 into Candida albicans DHFR",
        ligand_smiles=LIGANDS["1ia1"],
        protein_pdb=protein("1ia1"),
        reference_ligand=crystal_ligand("1ia1"),
        exhaustiveness=4,
        cpu=1,
    )


def ligand_hetatm_lines(code: str, resname: str, chain: str = "B", number: int = 300) -> list[str]:
    """The crystal ligand written back as PDB HETATM records (a 'leftover' group in a file)."""
    from rdkit import Chem

    mol = Chem.MolFromMolFile(str(crystal_ligand(code)), sanitize=False)
    lines = []
    for atom, xyz in zip(mol.GetAtoms(), mol.GetConformer().GetPositions(), strict=True):
        name = f"{atom.GetSymbol()}{atom.GetIdx() + 1}"
        lines.append(
            f"HETATM{atom.GetIdx() + 9000:5d} {name:<4} {resname:>3} {chain}{number:4d}    "
            f"{xyz[0]:8.3f}{xyz[1]:8.3f}{xyz[2]:8.3f}  1.00  0.00          {atom.GetSymbol():>2}"
        )
    return lines


def write_pdb(path: Path, code: str, extra: list[str]) -> Path:
    body = [line for line in protein(code).read_text().splitlines() if not line.startswith("END")]
    path.write_text("\n".join(body + extra + ["END"]) + "\n")
    return path
