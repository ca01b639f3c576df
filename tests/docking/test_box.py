"""The four ways to define the box, and boxes that miss the protein."""

from __future__ import annotations

import warnings

import numpy as np
import pytest
from rdkit import Chem

from bioql.docking.box import (
    blind_box,
    box_from_group,
    box_from_ligand_file,
    check_pocket,
    explicit_box,
    make_box,
)
from bioql.docking.structure import read_pdb
from bioql.errors import BioQLDockingError

from .conftest import crystal_ligand, protein


def test_box_from_reference_ligand_contains_it_with_padding():
    box = box_from_ligand_file(crystal_ligand("1s3v"), padding=5.0)
    xyz = Chem.MolFromMolFile(str(crystal_ligand("1s3v"))).GetConformer().GetPositions()
    assert box.contains(xyz).all()
    assert np.allclose(box.size, xyz.max(0) - xyz.min(0) + 10.0, atol=0.01)
    assert "1s3v_ligand.sdf" in box.source


def test_box_from_hetero_group_and_residue():
    structure = read_pdb(protein("1ia1"))
    ndp = box_from_group(structure, "NDP:B:195")
    coords = next(r for r in structure.hetero if r.residue_id == "B:195").coords
    assert ndp.contains(coords).all() and "NDP B:195" in ndp.source
    first_copy = box_from_group(structure, "NDP")  # two copies: the first, named in the source
    assert first_copy.source == "group NDP A:193"
    residue = box_from_group(structure, "A:30")
    assert residue.contains(structure.find_groups("A:30")[0].coords).all()


def test_unknown_group_lists_what_exists():
    with pytest.raises(BioQLDockingError, match=r"Hetero groups in this file: .*NDP A:193"):
        box_from_group(read_pdb(protein("1ia1")), "HEM")


def test_explicit_box_parsing():
    box = explicit_box("1, 2, 3", [20, 22, 24])
    assert box.center == (1.0, 2.0, 3.0) and box.size == (20.0, 22.0, 24.0)
    for bad in ("1,2", "a,b,c", "1,2,3,4"):
        with pytest.raises(BioQLDockingError, match="three numbers"):
            explicit_box(bad, "20,20,20")
    with pytest.raises(BioQLDockingError, match="positive"):
        explicit_box("0,0,0", "20,-1,20")


def test_blind_box_covers_the_protein_and_warns_about_cost():
    structure = read_pdb(protein("1s3v"))
    box = blind_box(structure)
    assert box.contains(structure.polymer_coords()).all()
    site = make_box(structure, padding=5.0)
    assert site.box == box and site.exclude == ()
    assert "blind docking" in site.notes[0] and "exhaustiveness" in site.notes[0]


def test_site_group_is_removed_from_the_receptor():
    structure = read_pdb(protein("1ia1"))
    site = make_box(structure, box_from="TQ3")
    box, exclude = site.box, site.exclude
    assert exclude == ("A:194",)  # the crystal ligand that defines the site is not receptor
    assert "TQ3 A:194" in box.source


def test_box_away_from_protein_is_refused():
    structure = read_pdb(protein("1s3v"))
    with pytest.raises(BioQLDockingError, match="does not contain any atom of the protein"):
        check_pocket(explicit_box("500,500,500", "20,20,20"), structure)


def test_box_in_the_solvent_is_an_empty_pocket():
    structure = read_pdb(protein("1s3v"))
    coords = structure.polymer_coords()
    tip = coords[coords[:, 0].argmax()]  # the protein's outermost atom along x
    center = [tip[0] + 2.5, tip[1], tip[2]]  # a small box mostly in the solvent
    with pytest.raises(BioQLDockingError, match="empty pocket"):
        check_pocket(explicit_box(center, "6,6,6"), structure)


def test_center_without_size_is_refused():
    with pytest.raises(BioQLDockingError, match="both center and size"), warnings.catch_warnings():
        make_box(read_pdb(protein("1s3v")), center="1,2,3")
