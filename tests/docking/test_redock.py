"""Real redocking of the three shipped crystal complexes: a top-3 pose within 2 Å.

The ligand goes in as SMILES (protonated, embedded from scratch), so this checks the whole
pipeline: protonation, ring shapes, receptor preparation with its cofactor, box, Vina, RMSD.
Exhaustiveness is modest to fit CI; benchmarks/docking runs the full settings.
"""

from __future__ import annotations

import pytest

from bioql.docking import dock

from .conftest import LIGANDS, crystal_ligand, protein


def test_redock_1ia1_with_nadph_cofactor(ia1_result):
    assert ia1_result.receptor.kept == ["NDP B:195 (cofactor, prepared offline)"]
    assert ia1_result.best_rmsd(3) <= 2.0
    assert ia1_result.best_affinity_kcal_mol < -7.0


@pytest.mark.slow
@pytest.mark.parametrize("code", ["1s3v", "1uou"])
def test_redock_crystal_ligand(code):
    result = dock(
        f"Redock {code}",
        ligand_smiles=LIGANDS[code],
        protein_pdb=protein(code),
        reference_ligand=crystal_ligand(code),
        exhaustiveness=4,
        cpu=1,
    )
    assert result.best_rmsd(3) <= 2.0, str(result)
    affinities = [p.affinity_kcal_mol for p in result.poses]
    assert affinities == sorted(affinities)
