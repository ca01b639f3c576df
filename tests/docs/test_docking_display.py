"""DockingResult in Jupyter: the pose table and a 3D view of the best pose in its pocket.

The result is assembled by hand around a small molecule, so these tests take milliseconds;
the docking notebook in examples/ shows the same display on a real redocking.
"""

from __future__ import annotations

from rdkit import Chem
from rdkit.Chem import AllChem

from bioql.display import POCKET_RADIUS, pocket_pdbqt
from bioql.docking.box import Box
from bioql.docking.ligand import PreparedLigand
from bioql.docking.receptor import PreparedReceptor
from bioql.docking.result import DockingResult, Pose


def _atom(serial: int, name: str, residue: str, number: int, x: float) -> str:
    return (
        f"ATOM  {serial:>5} {name:<4} {residue:>3} A{number:>4}    "
        f"{x:8.3f}{0.0:8.3f}{0.0:8.3f}  1.00  0.00     0.000 C"
    )


# One residue beside the ligand (which sits around the origin), one far from it.
RECEPTOR = "\n".join(
    [
        _atom(1, "CA", "ALA", 10, 3.5),
        _atom(2, "CB", "ALA", 10, POCKET_RADIUS + 5.0),  # far atom of a near residue: kept
        _atom(3, "CA", "GLY", 99, 40.0),
    ]
)


def _ligand() -> Chem.Mol:
    mol = Chem.AddHs(Chem.MolFromSmiles("CCO"))
    AllChem.EmbedMolecule(mol, randomSeed=1)
    conf = mol.GetConformer()
    centre = conf.GetPositions().mean(axis=0)
    for i in range(mol.GetNumAtoms()):
        conf.SetAtomPosition(i, conf.GetAtomPosition(i) - Chem.rdGeometry.Point3D(*centre))
    return mol


def _result(reference: str | None) -> DockingResult:
    mol = _ligand()
    poses = [
        Pose(rank=1, affinity_kcal_mol=-6.314, rmsd=0.42, mol=mol),
        Pose(rank=2, affinity_kcal_mol=-5.871, rmsd=None, mol=mol),
    ]
    ligand = PreparedLigand("CCO", "CCO", 7.4, 0, [mol], ["pdbqt"], 1, 0)
    receptor = PreparedReceptor(pdbqt=RECEPTOR + "\n", residues=2, atoms=3)
    box = Box((0.0, 0.0, 0.0), (20.0, 20.0, 20.0), "center and size")
    return DockingResult(
        "Dock ethanol", "vina", ligand, receptor, box, poses, {}, {}, reference_ligand=reference
    )


def test_pocket_keeps_whole_residues_near_the_pose() -> None:
    pocket = pocket_pdbqt(RECEPTOR, _ligand().GetConformer().GetPositions())
    assert pocket.count("ALA A  10") == 2
    assert "GLY" not in pocket


def test_pose_table_lists_every_pose_with_affinity_and_rmsd() -> None:
    html = _result(reference="crystal.sdf")._repr_html_()
    assert "<th>RMSD (Å)</th>" in html
    assert "<td>1</td><td>-6.31</td><td>0.42</td>" in html
    assert "<td>2</td><td>-5.87</td><td>-</td>" in html


def test_without_a_reference_there_is_no_rmsd_column() -> None:
    html = _result(reference=None)._repr_html_()
    assert "RMSD" not in html
    assert "<td>1</td><td>-6.31</td></tr>" in html


def test_3d_view_shows_the_best_pose_in_its_pocket() -> None:
    html = _result(reference=None)._repr_html_()
    assert "3Dmol" in html
    assert "ALA" in html and "GLY" not in html  # the pocket, not the whole receptor
    assert '"pdbqt");' in html and '"sdf");' in html  # the pocket, then the pose
