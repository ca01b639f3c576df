"""Bad input → BioQLDockingError saying what and how to fix it, and no files written."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from bioql.cli import app
from bioql.docking import dock
from bioql.errors import BioQLDockingError, BioQLError

from .conftest import LIGANDS, crystal_ligand, protein


def _dock(**kwargs):
    options = {
        "ligand_smiles": LIGANDS["1ia1"],
        "protein_pdb": protein("1ia1"),
        "exhaustiveness": 1,
    }
    options.update(kwargs)
    return dock("bad input", **options)


def test_unparsable_smiles():
    with pytest.raises(BioQLDockingError, match=r"Could not read the ligand SMILES 'C1CC\('"):
        _dock(ligand_smiles="C1CC(")


def test_missing_pdb():
    with pytest.raises(BioQLDockingError, match="does not exist"):
        _dock(protein_pdb="/no/such/receptor.pdb")


def test_malformed_pdb(tmp_path):
    bad = tmp_path / "bad.pdb"
    bad.write_text(
        "ATOM      1  N   MET A   1      xx.647  15.096  17.623  1.00  0.00           N\n"
    )
    with pytest.raises(BioQLDockingError, match=r"Line 1 .* not a valid PDB atom record"):
        _dock(protein_pdb=bad)


def test_file_without_atoms(tmp_path):
    empty = tmp_path / "empty.pdb"
    empty.write_text("HEADER    NOTHING HERE\nEND\n")
    with pytest.raises(BioQLDockingError, match="no ATOM or HETATM records"):
        _dock(protein_pdb=empty)


def test_ligand_only_file_as_protein(tmp_path):
    ligand_only = tmp_path / "lig.pdb"
    ligand_only.write_text(
        "HETATM    1  C1  LIG A   1       0.000   0.000   0.000  1.00  0.00           C\nEND\n"
    )
    with pytest.raises(BioQLDockingError, match="no protein residues"):
        _dock(protein_pdb=ligand_only)


def test_box_that_misses_the_protein():
    with pytest.raises(BioQLDockingError, match="does not contain any atom of the protein"):
        _dock(center="300,300,300", size="20,20,20")


def test_empty_pocket_in_solvent():
    from bioql.docking.structure import read_pdb

    coords = read_pdb(protein("1ia1")).polymer_coords()
    tip = coords[coords[:, 0].argmax()]  # the protein's outermost atom along x
    center = [tip[0] + 2.5, tip[1], tip[2]]  # a small box mostly in the solvent
    with pytest.raises(BioQLDockingError, match="empty pocket"):
        _dock(center=center, size="6,6,6")


def test_unknown_backend_names_the_choices():
    with pytest.raises(BioQLDockingError, match=r"'vina'.*'quantum'"):
        _dock(backend="gpu")


def test_missing_reference_ligand_file():
    with pytest.raises(BioQLDockingError, match="Reference ligand file"):
        _dock(reference_ligand="/no/such/ligand.sdf")


def test_errors_are_bioql_errors():
    assert issubclass(BioQLDockingError, BioQLError)


def test_cli_bad_input_writes_nothing(tmp_path):
    out = tmp_path / "results"
    result = CliRunner().invoke(
        app,
        [
            "dock",
            "-l",
            "C1CC(",
            "-p",
            str(protein("1ia1")),
            "-r",
            str(crystal_ligand("1ia1")),
            "--out",
            str(out),
            "--json",
        ],
    )
    assert result.exit_code == 1
    assert '"type": "BioQLDockingError"' in result.stdout
    assert not out.exists()
    assert list(tmp_path.iterdir()) == []
