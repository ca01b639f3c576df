"""Repair instead of refuse, on the shipped 1ia1 complex edited the way real files differ:
record types swapped, a side chain cut short, a cofactor under another name, Amber names
with their hydrogens. Every change is reported; ``repair=False`` refuses; nothing touches
the network; a second preparation comes from the cache."""

from __future__ import annotations

import re

import pytest

from bioql.docking.box import box_from_ligand_file
from bioql.docking.receptor import prepare_receptor
from bioql.docking.structure import read_pdb
from bioql.errors import BioQLDockingError

from .conftest import crystal_ligand, protein


def _box():
    return box_from_ligand_file(crystal_ligand("1ia1"))


def _edited(tmp_path, edit) -> str:
    lines = [edit(line) for line in protein("1ia1").read_text().splitlines()]
    path = tmp_path / "edited.pdb"
    path.write_text("\n".join(line for line in lines if line is not None) + "\n")
    return str(path)


def _residue_atoms(pdbqt: str, resname: str, chain: str, number: int) -> set[str]:
    return {
        ln[12:16].strip()
        for ln in pdbqt.splitlines()
        if ln[17:20] == resname and ln[21] == chain and int(ln[22:26]) == number
    }


def test_cofactor_written_as_atom_is_still_a_cofactor(tmp_path, no_network):
    path = _edited(tmp_path, lambda ln: "ATOM  " + ln[6:] if ln.startswith("HETATM") else ln)
    receptor = prepare_receptor(read_pdb(path), _box(), cache=False)
    assert "NDP B:195 (cofactor, prepared offline)" in receptor.kept
    assert len(_residue_atoms(receptor.pdbqt, "NDP", "B", 195)) >= 48
    assert no_network == []


def test_cofactor_under_an_unknown_name_is_recognised_by_its_atoms(tmp_path, no_network):
    def rename(line):
        return line.replace("NDP B 195", "NPX B 195")

    receptor = prepare_receptor(read_pdb(_edited(tmp_path, rename)), _box(), cache=False)
    assert "NPX B:195 (cofactor recognised by its atoms as NDP, prepared offline)" in (
        receptor.kept
    )
    assert no_network == []


def test_missing_side_chain_is_rebuilt_and_reported(tmp_path, no_network):
    cut = {"CD", "CE", "NZ"}  # LYS B:57 lines the pocket

    def truncate(line):
        is_lys57 = line.startswith("ATOM") and line[17:26] == "LYS B  57"
        return None if is_lys57 and line[12:16].strip() in cut else line

    path = _edited(tmp_path, truncate)
    receptor = prepare_receptor(read_pdb(path), _box(), cache=False)
    assert "LYS B:57: rebuilt missing atoms CD, CE, NZ with PDBFixer" in receptor.repairs
    assert cut <= _residue_atoms(receptor.pdbqt, "LYS", "B", 57)
    with pytest.raises(BioQLDockingError, match=r"LYS B:57"):
        prepare_receptor(read_pdb(path), _box(), repair=False, cache=False)
    assert no_network == []


def test_amber_names_with_hydrogens_keep_their_protonation(tmp_path, no_network):
    """HIS written as HIP with both ring N-H, hydrogens present: protonation is kept."""
    his = next(r for r in read_pdb(protein("1ia1")).polymer if r.resname == "HIS")
    key = f"HIS {his.chain}{his.resseq:4d}"
    ring = {a.name: a.xyz for a in his.atoms}
    extra = [
        f"ATOM   9990  {name:<3} HIP {his.chain}{his.resseq:4d}    "
        f"{x + 0.6:8.3f}{y + 0.6:8.3f}{z + 0.5:8.3f}  1.00  0.00           H"
        for name, (x, y, z) in (("HD1", ring["ND1"]), ("HE2", ring["NE2"]))
    ]

    def to_hip(line):
        if line[17:26] == key:
            return line[:17] + "HIP" + line[20:]
        if line.startswith("END"):
            return "\n".join([*extra, line])
        return line

    structure = read_pdb(_edited(tmp_path, to_hip))
    receptor = prepare_receptor(structure, _box(), trim=False, cache=False)
    assert {"HD1", "HE2"} <= _residue_atoms(receptor.pdbqt, "HIP", his.chain, his.resseq)
    assert any(re.match(r"removed \d+ hydrogen atoms", c) for c in receptor.repairs)
    assert no_network == []


def test_meeko_download_is_refused_without_opening_a_socket(no_network):
    from meeko import chemtempgen

    from bioql.docking.receptor import meeko_templates

    meeko_templates()  # switches Meeko's download off for the process
    with pytest.raises(BioQLDockingError, match="never downloads"):
        chemtempgen.fetch_from_pdb("HIZ")
    assert no_network == []


def test_second_preparation_comes_from_the_cache(tmp_path, monkeypatch):
    # a cache of its own: other tests (and earlier runs) prepare the same receptor and box
    monkeypatch.setenv("BIOQL_CACHE_DIR", str(tmp_path / "cache"))
    structure = read_pdb(protein("1ia1"))
    first = prepare_receptor(structure, _box())
    again = prepare_receptor(read_pdb(protein("1ia1")), _box())
    assert not first.from_cache and again.from_cache
    assert again.pdbqt == first.pdbqt and again.kept == first.kept
    assert again.polymer is not None and len(again.polymer.get_valid_monomers()) == first.residues
    other_options = prepare_receptor(structure, _box(), remove_hetero=["NDP"])
    assert not other_options.from_cache
    path = _edited(tmp_path, lambda ln: ln.replace("  1.00  0.00", "  1.00  9.99"))
    assert not prepare_receptor(read_pdb(path), _box()).from_cache  # other file content
