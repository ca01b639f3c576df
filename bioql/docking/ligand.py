"""Ligand preparation: SMILES → stereoisomers → protonated 3D molecule(s) → Meeko PDBQT.

Stereocentres the SMILES leaves unspecified are enumerated (``stereo``) and every isomer is
docked. Vina keeps rings rigid while it docks: a ligand embedded with one cyclohexane chair
can never reach a pose that needs the other. So for ligands with non-aromatic rings several
distinct ring shapes are embedded and each is docked; their poses are merged by score.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from rdkit import Chem
from rdkit.Chem import AllChem

from bioql.docking.protonation import protonate
from bioql.docking.stereo import DEFAULT_MAX_ISOMERS, enumerate_stereoisomers
from bioql.errors import BioQLDockingError

# Conformers embedded to look for distinct ring shapes, and the torsion change (degrees)
# that counts as a different shape.
_RING_SEARCH_CONFORMERS = 16
_RING_TORSION_TOLERANCE = 30.0
# Ring shapes more than this above the best (MMFF, kcal/mol) are not worth docking.
_RING_ENERGY_WINDOW = 6.0


@dataclass
class PreparedLigand:
    input_smiles: str
    smiles: str  # after protonation
    ph: float | None
    formal_charge: int
    conformers: list[Chem.Mol]  # one 3D molecule (with H) per ring shape and stereoisomer
    pdbqt: list[str]  # Meeko PDBQT, one per conformer
    num_torsions: int
    flexible_rings: int
    notes: list[str] = field(default_factory=list)
    isomers: list[str] = field(default_factory=list)  # SMILES of each stereoisomer docked
    conformer_isomers: list[int] = field(default_factory=list)  # isomer index per conformer

    def isomer_of(self, conformer: int) -> str:
        """The stereoisomer (SMILES) that conformer ``conformer`` is."""
        if not self.conformer_isomers:
            return self.smiles
        return self.isomers[self.conformer_isomers[conformer]]

    @property
    def mol(self) -> Chem.Mol:
        return self.conformers[0]

    @property
    def num_heavy_atoms(self) -> int:
        return self.mol.GetNumHeavyAtoms()

    def to_dict(self) -> dict:
        return {
            "input_smiles": self.input_smiles,
            "smiles": self.smiles,
            "ph": self.ph,
            "formal_charge": self.formal_charge,
            "heavy_atoms": self.num_heavy_atoms,
            "rotatable_bonds": self.num_torsions,
            "flexible_rings": self.flexible_rings,
            "ring_conformers": len(self.conformers),
            "stereoisomers": list(self.isomers),
            "notes": list(self.notes),
        }


@contextmanager
def quiet_rdkit() -> Iterator[None]:
    """Silence RDKit's C++ log: every problem it reports is turned into a BioQL message."""
    from rdkit import RDLogger

    RDLogger.DisableLog("rdApp.*")
    try:
        yield
    finally:
        RDLogger.EnableLog("rdApp.*")


def parse_smiles(smiles: str) -> Chem.Mol:
    if not isinstance(smiles, str) or not smiles.strip():
        raise BioQLDockingError(
            "ligand_smiles is empty. Pass the ligand as a SMILES string, e.g. "
            "ligand_smiles='CC(=O)Oc1ccccc1C(=O)O' for aspirin."
        )
    with quiet_rdkit():
        mol = Chem.MolFromSmiles(smiles.strip(), sanitize=False)
    problem = "it is not valid SMILES syntax"
    if mol is not None:
        try:
            Chem.SanitizeMol(mol)
        except Exception as exc:  # RDKit raises several sanitization exception types
            mol, problem = None, f"RDKit rejects its chemistry ({str(exc).strip()})"
    if mol is None:
        raise BioQLDockingError(
            f"Could not read the ligand SMILES {smiles!r}: {problem}. Check brackets, ring "
            "closure digits and valences, e.g. 'c1ccccc1O' for phenol."
        )
    if len(Chem.GetMolFrags(mol)) > 1:
        largest = max(Chem.GetMolFrags(mol, asMols=True), key=lambda m: m.GetNumHeavyAtoms())
        return largest  # salts and solvents: dock the largest fragment (noted by caller)
    return mol


def prepare_ligand(
    smiles: str,
    *,
    ph: float | None = 7.4,
    max_ring_conformers: int = 3,
    seed: int = 1,
    max_stereoisomers: int = DEFAULT_MAX_ISOMERS,
) -> PreparedLigand:
    """Sanitize, enumerate unspecified stereo (up to ``max_stereoisomers``), protonate at
    ``ph`` (None keeps the input state), embed ring shapes, and write PDBQT."""
    parsed = parse_smiles(smiles)
    notes: list[str] = []
    if Chem.MolToSmiles(parsed) != Chem.MolToSmiles(Chem.MolFromSmiles(smiles.strip())):
        notes.append(f"docked the largest fragment {Chem.MolToSmiles(parsed)} (salt removed)")
    if parsed.GetNumHeavyAtoms() < 2:
        raise BioQLDockingError(
            f"The ligand {smiles!r} has fewer than two heavy atoms; Vina docks molecules, "
            "not single ions. Pass an organic ligand."
        )
    if not isinstance(max_stereoisomers, int) or max_stereoisomers < 1:
        raise BioQLDockingError(
            f"max_stereoisomers must be a positive integer; got {max_stereoisomers!r}."
        )
    # Stereo first, on the input: a protonated amine would count as a stereocentre.
    stereo = enumerate_stereoisomers(parsed, max_stereoisomers)
    notes.extend(stereo.notes)
    states = [_charge_state(isomer, ph) for isomer in stereo.mols]
    notes.extend(dict.fromkeys(note for state in states for note in state[2]))
    conformers: list[Chem.Mol] = []
    owners: list[int] = []
    flexible = 0
    for index, (mol, _charge, _notes) in enumerate(states):
        shapes, flexible = ring_conformers(mol, max_ring_conformers, seed)
        conformers += shapes
        owners += [index] * len(shapes)
    if flexible:
        notes.append(f"{flexible} flexible ring(s): {len(conformers)} ring shape(s) docked")
    pdbqt, torsions = [], 0
    for conf in conformers:
        text, torsions = to_pdbqt(conf)
        pdbqt.append(text)
    first = states[0][0]
    return PreparedLigand(
        input_smiles=smiles.strip(),
        smiles=Chem.MolToSmiles(first) if len(states) == 1 else _flat_smiles(first),
        ph=ph,
        formal_charge=states[0][1],
        conformers=conformers,
        pdbqt=pdbqt,
        num_torsions=torsions,
        flexible_rings=flexible,
        notes=notes,
        isomers=[Chem.MolToSmiles(state[0]) for state in states],
        conformer_isomers=owners,
    )


def _charge_state(mol: Chem.Mol, ph: float | None) -> tuple[Chem.Mol, int, list[str]]:
    if ph is None:
        return mol, Chem.GetFormalCharge(mol), ["protonation skipped: input charge state kept"]
    result = protonate(mol, ph)
    return result.mol, result.formal_charge, result.notes


def _flat_smiles(mol: Chem.Mol) -> str:
    """SMILES without stereo: the charge state shared by all enumerated isomers."""
    return Chem.MolToSmiles(mol, isomericSmiles=False)


def _flexible_ring_torsions(mol: Chem.Mol) -> tuple[list[tuple[int, int, int, int]], int]:
    """Torsions inside non-aromatic rings of 4-7 atoms with an sp3 atom (Vina-rigid rings)."""
    torsions, rings = [], 0
    for ring in mol.GetRingInfo().AtomRings():
        if not 4 <= len(ring) <= 7:
            continue  # Meeko makes larger rings (macrocycles) flexible itself
        atoms = [mol.GetAtomWithIdx(i) for i in ring]
        if all(a.GetIsAromatic() for a in atoms):
            continue
        if not any(a.GetHybridization() == Chem.HybridizationType.SP3 for a in atoms):
            continue
        rings += 1
        n = len(ring)
        torsions += [
            (ring[i], ring[(i + 1) % n], ring[(i + 2) % n], ring[(i + 3) % n]) for i in range(n)
        ]
    return torsions, rings


def ring_conformers(mol: Chem.Mol, max_shapes: int, seed: int) -> tuple[list[Chem.Mol], int]:
    """Distinct low-energy ring shapes (one molecule each) and the number of flexible rings."""
    molh = Chem.AddHs(mol)
    torsions, flexible = _flexible_ring_torsions(molh)
    count = _RING_SEARCH_CONFORMERS if flexible and max_shapes > 1 else 1
    params = AllChem.ETKDGv3()
    params.randomSeed = seed
    ids = list(AllChem.EmbedMultipleConfs(molh, numConfs=count, params=params))
    if not ids:
        params.useRandomCoords = True
        ids = list(AllChem.EmbedMultipleConfs(molh, numConfs=count, params=params))
    if not ids:
        raise BioQLDockingError(
            f"RDKit could not generate 3D coordinates for {Chem.MolToSmiles(mol)}; check the "
            "stereochemistry (impossible ring fusions or conflicting stereo centres)."
        )
    energies = _optimize(molh)
    order = sorted(ids, key=lambda i: energies.get(i, 0.0))
    chosen: list[int] = []
    signatures: list[np.ndarray] = []
    best = energies.get(order[0], 0.0)
    for cid in order:
        if len(chosen) >= max(1, max_shapes):
            break
        if chosen and energies.get(cid, 0.0) - best > _RING_ENERGY_WINDOW:
            break
        sig = _torsion_signature(molh, cid, torsions)
        if all(_angle_gap(sig, s) > _RING_TORSION_TOLERANCE for s in signatures):
            chosen.append(cid)
            signatures.append(sig)
    return [Chem.Mol(molh, confId=cid) for cid in chosen], flexible


def _optimize(molh: Chem.Mol) -> dict[int, float]:
    """MMFF (UFF fallback) relaxation of every conformer; returns energies by conformer id."""
    from rdkit.Chem import rdForceFieldHelpers as ff

    if ff.MMFFHasAllMoleculeParams(molh):
        results = ff.MMFFOptimizeMoleculeConfs(molh, maxIters=200)
    else:
        results = ff.UFFOptimizeMoleculeConfs(molh, maxIters=200)
    conf_ids = [c.GetId() for c in molh.GetConformers()]
    return {cid: energy for cid, (_, energy) in zip(conf_ids, results, strict=True)}


def _torsion_signature(mol: Chem.Mol, cid: int, torsions) -> np.ndarray:
    from rdkit.Chem import rdMolTransforms as T

    conf = mol.GetConformer(cid)
    return np.array([T.GetDihedralDeg(conf, *t) for t in torsions])


def _angle_gap(a: np.ndarray, b: np.ndarray) -> float:
    if a.size == 0:
        return 0.0
    d = np.abs((a - b + 180.0) % 360.0 - 180.0)
    return float(d.max())


def to_pdbqt(mol: Chem.Mol) -> tuple[str, int]:
    """Meeko PDBQT for one 3D conformer, and its number of rotatable bonds."""
    from meeko import MoleculePreparation, PDBQTWriterLegacy

    setups = MoleculePreparation().prepare(mol)
    text, ok, error = PDBQTWriterLegacy.write_string(setups[0])
    if not ok:
        raise BioQLDockingError(f"Meeko could not write the ligand PDBQT: {error.strip()}")
    torsions = sum(1 for line in text.splitlines() if line.startswith("BRANCH"))
    return text, torsions


def read_reference_ligand(path: str | Path) -> Chem.Mol:
    """A ligand with 3D coordinates from SDF/MOL, MOL2 or PDB (heavy atoms suffice)."""
    path = Path(path)
    if not path.is_file():
        raise BioQLDockingError(
            f"Reference ligand file {str(path)!r} does not exist. Pass an SDF, MOL2 or PDB "
            "file with the ligand's 3D coordinates."
        )
    suffix = path.suffix.lower()
    readers = {
        ".sdf": lambda p, s: next(
            iter(Chem.SDMolSupplier(str(p), sanitize=s, removeHs=False)), None
        ),
        ".mol": lambda p, s: Chem.MolFromMolFile(str(p), sanitize=s, removeHs=False),
        ".mol2": lambda p, s: Chem.MolFromMol2File(str(p), sanitize=s, removeHs=False),
        ".pdb": lambda p, s: Chem.MolFromPDBFile(str(p), sanitize=s, removeHs=False),
    }
    if suffix not in readers:
        raise BioQLDockingError(
            f"Reference ligand {path.name!r}: unsupported format {suffix or '(none)'}; "
            "use .sdf, .mol, .mol2 or .pdb."
        )
    mol = None
    for sanitize in (True, False):  # crystal ligands often have odd valences; coordinates count
        try:
            with quiet_rdkit():
                mol = readers[suffix](path, sanitize)
        except Exception:
            mol = None
        if mol is not None:
            break
    if mol is None or mol.GetNumAtoms() == 0 or mol.GetNumConformers() == 0:
        raise BioQLDockingError(
            f"Could not read a ligand with 3D coordinates from {str(path)!r}; check the file "
            "is a valid SDF/MOL2/PDB of one molecule."
        )
    return mol
