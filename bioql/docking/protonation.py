"""Protonation at a chosen pH with dimorphite-dl, then a sanity pass over its choices.

Dimorphite-dl assigns each ionizable site the state its pKa table predicts, site by site. Two
kinds of its answers are chemically odd: phenols without electron-withdrawing groups
deprotonated (their generic pKa table entry is ≈ 7 with a wide spread; the real pKa is ≈ 10),
and like charges stacked on nitrogens one or two bonds apart (both N–H of a uracil removed,
an aminal with two ammonium groups), where the second ionization is strongly disfavoured.
Those sites are reverted to the input's neutral state and every revert is reported.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from rdkit import Chem

from bioql.errors import BioQLDockingError


@dataclass
class ProtonationResult:
    mol: Chem.Mol  # heavy-atom molecule in its chosen charge state
    smiles: str
    formal_charge: int
    notes: list[str] = field(default_factory=list)


def protonate(mol: Chem.Mol, ph: float = 7.4) -> ProtonationResult:
    """The most likely charge state at ``ph``, with odd states reverted (see module doc)."""
    from dimorphite_dl import protonate_smiles

    if not 0.0 <= ph <= 14.0:
        raise BioQLDockingError(f"pH must be between 0 and 14; got {ph}.")
    smiles = Chem.MolToSmiles(mol)
    try:
        variants = protonate_smiles(smiles, ph_min=ph, ph_max=ph, precision=0.0, max_variants=1)
    except Exception as exc:  # dimorphite raises plain exceptions on odd input
        return _unchanged(mol, f"dimorphite-dl could not protonate ({exc}); kept input state")
    proposed = Chem.MolFromSmiles(variants[0]) if variants else None
    if proposed is None:
        return _unchanged(mol, "dimorphite-dl returned no usable state; kept input state")
    if _skeleton(mol).GetNumAtoms() != _skeleton(proposed).GetNumAtoms():
        return _unchanged(mol, "dimorphite-dl changed the skeleton; kept input state")
    # Judge only sites whose charge dimorphite changed (the user's own charges are theirs).
    input_charge = {_site_key(mol, a): a.GetFormalCharge() for a in mol.GetAtoms()}
    changed = {
        a.GetIdx()
        for a in proposed.GetAtoms()
        if a.GetFormalCharge() != input_charge.get(_site_key(proposed, a), 0)
    }
    result = Chem.RWMol(proposed)
    notes: list[str] = []
    for idx, reason in sorted(_odd_sites(proposed, changed).items()):
        atom = result.GetAtomWithIdx(idx)
        hydrogens = atom.GetTotalNumHs() - atom.GetFormalCharge()  # anion gains, cation loses H
        atom.SetFormalCharge(0)
        atom.SetNumExplicitHs(max(hydrogens, 0))
        atom.SetNoImplicit(True)
        notes.append(f"kept {atom.GetSymbol()} atom {idx} neutral: {reason}")
    out = result.GetMol()
    try:
        Chem.SanitizeMol(out)
    except Exception:
        return _unchanged(mol, "protonated state failed sanitization; kept input state")
    out = Chem.MolFromSmiles(Chem.MolToSmiles(out))  # normalize implicit-H bookkeeping
    return ProtonationResult(out, Chem.MolToSmiles(out), Chem.GetFormalCharge(out), notes)


def _site_key(mol: Chem.Mol, atom: Chem.Atom) -> tuple:
    """An atom's place in the molecule independent of atom order and charges: its element and
    its symmetry class on the heavy-atom skeleton."""
    ranks = _ranks(mol)
    return (atom.GetSymbol(), ranks[atom.GetIdx()])


def _ranks(mol: Chem.Mol) -> list[int]:
    key = "_bioql_ranks"
    if not mol.HasProp(key):
        ranks = list(Chem.CanonicalRankAtoms(_skeleton(mol), breakTies=False))
        mol.SetProp(key, ",".join(map(str, ranks)))
    return [int(x) for x in mol.GetProp(key).split(",")]


def _unchanged(mol: Chem.Mol, note: str) -> ProtonationResult:
    return ProtonationResult(
        Chem.Mol(mol), Chem.MolToSmiles(mol), Chem.GetFormalCharge(mol), [note]
    )


def _skeleton(mol: Chem.Mol) -> Chem.Mol:
    """Heavy-atom graph with element labels only (no charges, H counts or bond orders)."""
    rw = Chem.RWMol(Chem.RemoveHs(mol))
    for atom in rw.GetAtoms():
        atom.SetFormalCharge(0)
        atom.SetIsAromatic(False)
        atom.SetNoImplicit(True)
        atom.SetNumExplicitHs(0)
    for bond in rw.GetBonds():
        bond.SetBondType(Chem.BondType.SINGLE)
        bond.SetIsAromatic(False)
    return rw.GetMol()


# A phenolate oxygen on a ring carbon. Plain phenols have pKa ≈ 10; only rings carrying a
# strong electron-withdrawing group (nitro, cyano, carbonyl, sulfonyl, CF3) or a ring nitrogen
# bring it near 7, so only those may stay deprotonated.
_PHENOLATE = Chem.MolFromSmarts("[O-;X1]-c")
_ACTIVATING = Chem.MolFromSmarts(
    "[$(c-[N+](=O)[O-]),$(c-C#N),$(c-[CX3]=O),$(c-S(=O)=O),$(c-C(F)(F)F),$(c=O),n]"
)
# A ring N anion next to a ring carbonyl: uracil / thymine type imides and hydantoins
# (phenytoin pKa 8.3), pKa ≈ 8.3-10 unless
# the ring carries a halogen or another electron-withdrawing group (5-fluoro- and
# 5-chlorouracil: pKa ≈ 8), or a cationic group sits next to it.
_RING_IMIDE_ANION = Chem.MolFromSmarts("[#7-;R]~[#6;R]=O")
_IMIDE_ACTIVATING = Chem.MolFromSmarts(
    "[$([#6;R]-[F,Cl,Br,I]),$([#6;R]-[N+](=O)[O-]),$([#6;R]-C#N),$([#6;R]-C(F)(F)F),"
    "$([#6;R]-[CH2]-[#7]=,:[#6]-[#7]),$([#6;R]-[CH2]-[#7+])]"
)


def _odd_sites(mol: Chem.Mol, changed: set[int]) -> dict[int, str]:
    """Sites whose proposed charge is chemically implausible, with the reason.

    Only ``changed`` atoms (charge differs from the input) are judged: charges the user wrote,
    such as a nitro group, are theirs to keep.
    """
    odd: dict[int, str] = {}
    activated = {m[0] for m in mol.GetSubstructMatches(_ACTIVATING)}
    rings = mol.GetRingInfo().AtomRings()
    for oxygen, carbon in mol.GetSubstructMatches(_PHENOLATE):
        ring_atoms = {a for ring in rings if carbon in ring for a in ring}
        if not ring_atoms & activated:
            odd[oxygen] = "a phenol without electron-withdrawing groups has pKa ≈ 10"
    activated_imide = {m[0] for m in mol.GetSubstructMatches(_IMIDE_ACTIVATING)}
    for nitrogen, carbon, _oxygen in mol.GetSubstructMatches(_RING_IMIDE_ANION):
        ring_atoms = {a for ring in rings if carbon in ring for a in ring}
        if not ring_atoms & activated_imide:
            odd[nitrogen] = (
                "a uracil-type ring N–H without electron-withdrawing groups has pKa ≈ 10"
            )
    for match in mol.GetSubstructMatches(_CONJUGATED_AMMONIUM):
        odd.setdefault(match[0], "a nitrogen conjugated with a C=C, C=O or ring is not basic")
    _like_charges(mol, changed, odd)
    return {k: v for k, v in odd.items() if k in changed}


# A protonated nitrogen on a carbon that is part of a double bond or an aromatic ring
# (enamine, vinylogous amide as in amlodipine's dihydropyridine, aniline): its lone pair is
# conjugated, pKa < 5. Amidines and guanidines (N–C=N) are strong bases and excluded.
_CONJUGATED_AMMONIUM = Chem.MolFromSmarts("[N+;!H0;!$([N+]~[#6]~[#7])]-[#6;$([#6]=[#6,#8,#16]),a]")


def _like_charges(mol: Chem.Mol, changed: set[int], odd: dict[int, str]) -> None:
    """Like charges on nitrogens up to three bonds apart (an aminal, a piperazine as in
    imatinib and cetirizine, a doubly deprotonated uracil): the second ionization is far less
    favourable (piperazine pKa 9.7 and 5.4), so the less basic nitrogen is kept neutral."""
    dmat = Chem.GetDistanceMatrix(mol)
    nitrogens = sorted(
        a.GetIdx() for a in mol.GetAtoms() if a.GetFormalCharge() != 0 and a.GetSymbol() == "N"
    )
    for i in nitrogens:
        for j in nitrogens:
            qi = mol.GetAtomWithIdx(i).GetFormalCharge()
            qj = mol.GetAtomWithIdx(j).GetFormalCharge()
            if i >= j or i in odd or j in odd or dmat[i][j] > 3 or qi * qj <= 0:
                continue
            pair = [k for k in (i, j) if k in changed]
            if pair:
                weaker = max(pair, key=lambda k: (_aromatic_neighbourhood(mol, dmat, k), k))
                odd[weaker] = "like charges on nitrogens within three bonds of each other"


def _aromatic_neighbourhood(mol: Chem.Mol, dmat, idx: int) -> int:
    """Aromatic atoms within two bonds: benzylic and aryl amines are the less basic ones."""
    return sum(1 for a in mol.GetAtoms() if a.GetIsAromatic() and dmat[idx][a.GetIdx()] <= 2)
