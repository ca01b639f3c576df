"""Offline chemistry for hetero groups (cofactors) that Meeko has no template for.

Meeko builds templates for unknown residues by downloading their definition from the PDB's
Chemical Component Dictionary, which fails offline. Here a cofactor's chemistry comes from a
SMILES instead (a small built-in table of common cofactors, or one the user passes): RDKit
assigns bond orders from the SMILES to the PDB atoms, and the result becomes a Meeko residue
template whose atom names are the file's own, so Meeko adds hydrogens and atom types as it does
for amino acids.
"""

from __future__ import annotations

import functools
from collections import Counter
from typing import Any

from rdkit import Chem
from rdkit.Chem import AllChem

from bioql.docking.residues import VINA_METALS
from bioql.docking.structure import Atom, Residue
from bioql.errors import BioQLDockingError

# Heavy-atom SMILES in the charge state at pH 7.4. Stereo is omitted: only the atom graph and
# bond orders are matched to the crystal atoms, whose coordinates carry the stereochemistry.
KNOWN_COFACTORS: dict[str, str] = {
    # NADPH (reduced), NADP+, NADH, NAD+
    "NDP": "NC(=O)C1=CN(C=CC1)C1OC(COP(=O)([O-])OP(=O)([O-])OCC2OC(n3cnc4c(N)ncnc43)C(OP(=O)([O-])[O-])C2O)C(O)C1O",
    "NAP": "NC(=O)c1ccc[n+](c1)C1OC(COP(=O)([O-])OP(=O)([O-])OCC2OC(n3cnc4c(N)ncnc43)C(OP(=O)([O-])[O-])C2O)C(O)C1O",
    "NAI": "NC(=O)C1=CN(C=CC1)C1OC(COP(=O)([O-])OP(=O)([O-])OCC2OC(n3cnc4c(N)ncnc43)C(O)C2O)C(O)C1O",
    "NAD": "NC(=O)c1ccc[n+](c1)C1OC(COP(=O)([O-])OP(=O)([O-])OCC2OC(n3cnc4c(N)ncnc43)C(O)C2O)C(O)C1O",
    "FAD": "Cc1cc2nc3c(=O)[nH]c(=O)nc-3n(CC(O)C(O)C(O)COP(=O)([O-])OP(=O)([O-])OCC3OC(n4cnc5c(N)ncnc54)C(O)C3O)c2cc1C",
    "FMN": "Cc1cc2nc3c(=O)[nH]c(=O)nc-3n(CC(O)C(O)C(O)COP(=O)([O-])[O-])c2cc1C",
    "SAM": "C[S+](CCC([NH3+])C(=O)[O-])CC1OC(n2cnc3c(N)ncnc32)C(O)C1O",
    "SAH": "[NH3+]C(CCSCC1OC(n2cnc3c(N)ncnc32)C(O)C1O)C(=O)[O-]",
    "ATP": "Nc1ncnc2c1ncn2C1OC(COP(=O)([O-])OP(=O)([O-])OP(=O)([O-])[O-])C(O)C1O",
    "ADP": "Nc1ncnc2c1ncn2C1OC(COP(=O)([O-])OP(=O)([O-])[O-])C(O)C1O",
    "ANP": "Nc1ncnc2c1ncn2C1OC(COP(=O)([O-])OP(=O)([O-])NP(=O)([O-])[O-])C(O)C1O",
    "GTP": "Nc1nc2n(cnc2c(=O)[nH]1)C1OC(COP(=O)([O-])OP(=O)([O-])OP(=O)([O-])[O-])C(O)C1O",
    "GDP": "Nc1nc2n(cnc2c(=O)[nH]1)C1OC(COP(=O)([O-])OP(=O)([O-])[O-])C(O)C1O",
    "PLP": "Cc1ncc(COP(=O)([O-])[O-])c(C=O)c1O",
    # Heme b without its iron (protoporphyrin IX dianion): the iron is written as a Vina metal
    # atom of its own, like every metal inside a cofactor (receptor.py).
    "HEM": "C=CC1=C(C)c2cc3[n-]c(cc4[n-]c(cc5nc(cc1n2)C(C)=C5C=C)c(C)c4CCC(=O)[O-])"
    "c(CCC(=O)[O-])c3C",
}

# Metal ions Vina has atom types for (kept near the box as Vina atoms, see receptor.py).
METAL_IONS = VINA_METALS

# Crystallization additives and buffer ions: not part of the binding site's chemistry.
ADDITIVES = frozenset(
    [
        "GOL",
        "EDO",
        "PEG",
        "PGE",
        "PG4",
        "1PE",
        "P6G",
        "MPD",
        "DMS",
        "ACT",
        "ACY",
        "FMT",
        "SO4",
        "PO4",
        "TRS",
        "EPE",
        "MES",
        "BME",
        "IMD",
        "CIT",
        "CL",
        "BR",
        "IOD",
        "NO3",
        "SCN",
        "AZI",
        "IPA",
        "EOH",
        "MOH",
        "NH4",
        "CD",
        "NI",
        "CO",
        "CU",
    ]
)


def heavy_formula(elements: list[str]) -> tuple[tuple[str, int], ...]:
    return tuple(
        sorted(Counter(e.upper() for e in elements if e.upper() not in ("H", "D")).items())
    )


@functools.cache
def _known_formulas() -> dict[tuple[tuple[str, int], ...], list[str]]:
    formulas: dict[tuple[tuple[str, int], ...], list[str]] = {}
    for name, smiles in KNOWN_COFACTORS.items():
        mol = Chem.MolFromSmiles(smiles)
        formulas.setdefault(heavy_formula([a.GetSymbol() for a in mol.GetAtoms()]), []).append(name)
    return formulas


def recognise(group: Residue) -> str | None:
    """The known cofactor whose chemistry ``group`` has whatever its residue name (same heavy
    atoms, and RDKit can lay the cofactor's bonds onto the file's atoms), else None."""
    organic = organic_part(group)
    for name in _known_formulas().get(heavy_formula([a.element for a in organic.atoms]), []):
        try:
            cofactor_template(organic, KNOWN_COFACTORS[name], f"probe_{name}")
        except BioQLDockingError:
            continue
        return name
    return None


@functools.cache
def free_amino_acid_smiles(parent: str) -> str:
    """The zwitterion of ``parent``, built from Meeko's N-terminal template by adding the
    carboxylate oxygen its C-terminal link stands for."""
    from bioql.docking.templates import meeko_templates

    name = "NHIE" if parent == "HIS" else f"N{parent}"
    template = meeko_templates().residue_templates[name]
    link = next(i for i, label in template.link_labels.items() if label == "C-term")
    mol = Chem.RWMol(template.mol)
    oxygen = mol.AddAtom(Chem.Atom(8))
    mol.GetAtomWithIdx(oxygen).SetFormalCharge(-1)
    mol.AddBond(int(link), oxygen, Chem.BondType.SINGLE)
    built = mol.GetMol()
    Chem.SanitizeMol(built)
    return Chem.MolToSmiles(Chem.RemoveHs(built))


def organic_part(group: Residue) -> Residue:
    """``group`` without its metal atoms (heme's iron): those become Vina metal atoms."""
    atoms = [a for a in group.atoms if a.element.upper() not in VINA_METALS]
    return Residue(group.resname, group.chain, group.resseq, group.icode, atoms)


def metal_atoms(group: Residue) -> list[Atom]:
    return [a for a in group.atoms if a.element.upper() in VINA_METALS]


def cofactor_template(group: Residue, smiles: str, key: str) -> Any:
    """A Meeko ResidueTemplate for ``group`` from ``smiles``, keyed by the file's atom names."""
    from meeko.polymer import ResidueTemplate

    mol = Chem.MolFromPDBBlock(group.pdb_block(), removeHs=True, sanitize=False)
    template = Chem.MolFromSmiles(smiles)
    if mol is None or template is None:
        raise BioQLDockingError(
            f"Could not build {group.label}: "
            + ("its PDB atoms are unreadable." if mol is None else f"invalid SMILES {smiles!r}.")
        )
    from bioql.docking.ligand import quiet_rdkit

    try:
        if template.GetNumAtoms() != mol.GetNumAtoms():
            raise ValueError("different atom counts")  # RDKit would match a fragment
        with quiet_rdkit():
            typed = AllChem.AssignBondOrdersFromTemplate(template, mol)
    except ValueError:
        raise BioQLDockingError(
            f"The atoms of {group.label} in the PDB file ({mol.GetNumAtoms()} heavy atoms) do "
            f"not match the cofactor SMILES {smiles!r} ({template.GetNumAtoms()} heavy atoms). "
            "The group may be incomplete in the crystal structure; pass the SMILES of exactly "
            f"the atoms present with cofactor_smiles={{'{group.resname}': '...'}}, or remove it "
            f"with remove_hetero=['{group.resname}']."
        ) from None
    for atom, charged in zip(typed.GetAtoms(), _charges_from(template, typed), strict=True):
        atom.SetFormalCharge(charged)
    Chem.SanitizeMol(typed)
    withh = Chem.AddHs(typed)
    names = []
    for atom in withh.GetAtoms():
        info = atom.GetPDBResidueInfo()
        names.append(info.GetName().strip() if info and atom.GetAtomicNum() > 1 else "")
    _name_hydrogens(withh, names)
    smiles_h = Chem.MolToSmiles(withh)
    order = list(withh.GetPropsAsDict(True, True)["_smilesAtomOutputOrder"])
    return ResidueTemplate(smiles_h, {}, [names[i] for i in order])


def _charges_from(template: Chem.Mol, mol: Chem.Mol) -> list[int]:
    """Formal charges of ``template`` transferred onto ``mol`` atom by atom."""
    match = mol.GetSubstructMatch(template)
    charges = [0] * mol.GetNumAtoms()
    for t_idx, m_idx in enumerate(match):
        charges[m_idx] = template.GetAtomWithIdx(t_idx).GetFormalCharge()
    return charges


def _name_hydrogens(mol: Chem.Mol, names: list[str]) -> None:
    taken = set(names)
    counter = 0
    for atom in mol.GetAtoms():
        if atom.GetAtomicNum() == 1:
            counter += 1
            while f"H{counter}" in taken:
                counter += 1
            names[atom.GetIdx()] = f"H{counter}"
            taken.add(names[atom.GetIdx()])
