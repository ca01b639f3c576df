"""Stereoisomers of a ligand whose SMILES leaves stereocentres unspecified.

A racemic or undefined input (donepezil written without its stereocentre) stands for several
molecules that bind differently; docking only whichever one the 3D embedding happened to
produce would report an arbitrary isomer. Each isomer is enumerated with RDKit (up to a cap)
and docked, and every pose says which isomer it is.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from rdkit import Chem
from rdkit.Chem.EnumerateStereoisomers import (
    EnumerateStereoisomers,
    GetStereoisomerCount,
    StereoEnumerationOptions,
)

# More than this many isomers (three unspecified centres) makes docking cost grow too fast:
# the first ones are docked and the rest named in a note.
DEFAULT_MAX_ISOMERS = 4


@dataclass
class Stereoisomers:
    mols: list[Chem.Mol]  # one per isomer, stereo fully assigned where the input left it open
    unspecified: int  # stereocentres and stereo double bonds the input left open
    notes: list[str] = field(default_factory=list)

    @property
    def smiles(self) -> list[str]:
        return [Chem.MolToSmiles(m) for m in self.mols]


def enumerate_stereoisomers(mol: Chem.Mol, max_isomers: int = DEFAULT_MAX_ISOMERS) -> Stereoisomers:
    """The isomers of ``mol`` over its unspecified stereo elements, at most ``max_isomers``.

    Specified stereo is kept as written; isomers RDKit cannot embed in 3D (impossible ring
    fusions) are skipped.
    """
    if max_isomers < 1:
        raise ValueError(f"max_isomers must be at least 1; got {max_isomers}.")
    unspecified = _unspecified(mol)
    if not unspecified:
        return Stereoisomers([Chem.Mol(mol)], 0)
    total = GetStereoisomerCount(mol, options=StereoEnumerationOptions(onlyUnassigned=True))
    # A fixed seed: above the cap RDKit samples isomers at random, and docking must repeat.
    options = StereoEnumerationOptions(
        onlyUnassigned=True, unique=True, tryEmbedding=True, maxIsomers=max_isomers, rand=0xB10
    )
    isomers = sorted(EnumerateStereoisomers(mol, options=options), key=Chem.MolToSmiles)
    notes = [f"{unspecified} unspecified stereo element(s): {len(isomers)} stereoisomer(s) docked"]
    if total > len(isomers):
        notes.append(
            f"{total} stereoisomers possible, {len(isomers)} docked (max_stereoisomers="
            f"{max_isomers}); specify the stereochemistry in the SMILES to choose"
        )
    return Stereoisomers(isomers, unspecified, notes)


def _unspecified(mol: Chem.Mol) -> int:
    info = Chem.FindPotentialStereo(mol)
    return sum(1 for item in info if item.specified == Chem.StereoSpecified.Unspecified)
