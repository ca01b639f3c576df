"""Protonation at a chosen pH with dimorphite-dl, then a sanity pass over its choices.

Dimorphite-dl assigns each ionizable site the state its pKa table predicts. Its table errs on
some common groups: it deprotonates phenols (pKa ≈ 10) and every uracil / imide N–H at
pH 7.4, and it can stack same-sign charges next to each other. Those states would make Vina
see the wrong donors and acceptors, so each charged site it proposes is checked here and
reverted to the input's neutral state when it is chemically odd. Every revert is reported.
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
    match = _skeleton(mol).GetSubstructMatch(_skeleton(proposed))
    if len(match) != mol.GetNumAtoms():
        return _unchanged(mol, "dimorphite-dl changed the skeleton; kept input state")
    # proposed atom i corresponds to input atom match[i]
    result = Chem.RWMol(mol)
    notes: list[str] = []
    changed = {
        p_idx
        for p_idx, m_idx in enumerate(match)
        if proposed.GetAtomWithIdx(p_idx).GetFormalCharge()
        != mol.GetAtomWithIdx(m_idx).GetFormalCharge()
    }
    odd = _odd_sites(proposed, changed)
    for p_idx in sorted(changed):
        m_idx = match[p_idx]
        p_atom, m_atom = proposed.GetAtomWithIdx(p_idx), result.GetAtomWithIdx(m_idx)
        if p_idx in odd:
            notes.append(f"kept atom {m_idx} ({m_atom.GetSymbol()}) neutral: {odd[p_idx]}")
            continue
        m_atom.SetFormalCharge(p_atom.GetFormalCharge())
        m_atom.SetNumExplicitHs(p_atom.GetTotalNumHs())
        m_atom.SetNoImplicit(True)
    out = result.GetMol()
    try:
        Chem.SanitizeMol(out)
    except Exception:
        return _unchanged(mol, "protonated state failed sanitization; kept input state")
    out = Chem.MolFromSmiles(Chem.MolToSmiles(out))  # normalize implicit-H bookkeeping
    return ProtonationResult(out, Chem.MolToSmiles(out), Chem.GetFormalCharge(out), notes)


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


# Anionic sites whose real pKa is well above physiological pH.
_PHENOLATE = Chem.MolFromSmarts("[O-;X1]-c")
# Ring N anion next to a carbonyl: uracil, thymine, hydantoin-like imides (pKa ≈ 9-10).
_RING_AMIDE_ANION = Chem.MolFromSmarts("[#7-;R]~[#6;R](=O)")


def _odd_sites(mol: Chem.Mol, changed: set[int]) -> dict[int, str]:
    """Sites whose proposed charge is chemically implausible, with the reason.

    Only ``changed`` atoms (charge differs from the input) are judged: charges the user wrote,
    such as a nitro group, are theirs to keep.
    """
    odd: dict[int, str] = {}
    for idx, *_ in mol.GetSubstructMatches(_PHENOLATE):
        odd[idx] = "phenols have pKa ≈ 10 and stay neutral at this pH"
    for idx, *_ in mol.GetSubstructMatches(_RING_AMIDE_ANION):
        odd[idx] = "ring imide N–H (uracil-like, pKa ≈ 9-10) stays neutral at this pH"
    dmat = Chem.GetDistanceMatrix(mol)
    charged = sorted(a.GetIdx() for a in mol.GetAtoms() if a.GetFormalCharge() != 0)
    for i in charged:
        for j in charged:
            qi = mol.GetAtomWithIdx(i).GetFormalCharge()
            qj = mol.GetAtomWithIdx(j).GetFormalCharge()
            if i < j and j in changed and dmat[i][j] <= 2 and qi * qj > 0 and i not in odd:
                # Like charges one or two bonds apart (e.g. an aminal with two ammoniums).
                odd.setdefault(j, "like charges within two bonds of each other")
    return {k: v for k, v in odd.items() if k in changed}
