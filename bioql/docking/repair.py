"""Receptor repair: make a real-world PDB file preparable instead of refusing it.

Every change is written down as one sentence for the receptor report. In order:

* residues that share one residue key under two names are told apart (or the duplicate
  dropped when it is an alternate copy of the same atoms);
* force-field and modified residue names are read as their amino acid (``HIZ`` → HIS,
  ``TYS`` → TYR without its sulfate, ``NMA`` → NME cap), ions named by their element;
* the protonation the file states is kept: ``HID``/``HIE``/``HIP``, ``ASH``/``GLH``,
  ``LYN`` and ``CYM`` names, or, when the file has hydrogens, where they sit (a histidine
  with a hydrogen on ND1 only is HID); cysteines bridged by a disulfide become CYX and
  cysteines bound to a metal become CYM;
* all hydrogens are removed (Meeko adds them again from its templates, consistently);
* missing heavy atoms of amino acids are rebuilt with PDBFixer (OpenMM).
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np

from bioql.docking.residues import MEEKO_MODIFIED, Identity, Kind, standard_heavy_atoms
from bioql.docking.structure import Atom, Residue, Structure

# Heavy-atom distances that mean a bond: S–S of a disulfide, S or N to a metal ion.
DISULFIDE_MAX = 2.5
METAL_BOND_MAX = 2.9
# Longest C–O and peptide C–N bonds (Å) accepted as bonds.
MAX_CO_BOND = 1.6
MAX_PEPTIDE_BOND = 2.0
# Atoms of two same-key residues closer than this are alternate copies of one residue.
DUPLICATE_OVERLAP = 1.0
# A hydrogen within this of a heavy atom is bonded to it.
H_BOND_LENGTH = 1.3
# Other tools' names for atoms Meeko names differently.
ATOM_RENAMES = {("ILE", "CD"): "CD1", ("*", "OT1"): "O", ("*", "OT2"): "OXT"}


@dataclass
class Repaired:
    structure: Structure
    changes: list[str] = field(default_factory=list)


@dataclass
class _Context:
    bridged: set[str]  # residue ids of disulfide-bonded cysteines
    metals: np.ndarray  # coordinates of metal ions
    changes: list[str]
    needs_oxt: set[str] = field(default_factory=set)  # C-termini whose OXT is placed


def repair_structure(structure: Structure) -> Repaired:
    """A copy of ``structure`` that Meeko can prepare, and the list of what was changed."""
    changes: list[str] = []
    residues = _separate_shared_keys(structure.residues, changes)
    metals = np.array([r.coords[0] for r in residues if r.kind is Kind.METAL]).reshape(-1, 3)
    context = _Context(_disulfide_cysteines(residues), metals, changes)
    fixed: list[Residue] = []
    stripped = 0
    for res in residues:
        stripped += sum(1 for a in res.atoms if _is_hydrogen(a))
        fixed.append(_repair_residue(res, context))
    if stripped:
        changes.append(f"removed {stripped} hydrogen atoms; Meeko adds them from its templates")
    lone = _lone_amino_acids(fixed)
    context.needs_oxt |= lone
    _rebuild_missing_atoms(fixed, context)
    for res in fixed:
        if res.residue_id in context.needs_oxt:
            _place_oxt(res)
    _read_as_free_amino_acids(fixed, lone, changes)
    return Repaired(replace(structure, residues=fixed), changes)


def _is_hydrogen(atom: Atom) -> bool:
    return atom.element.upper() in ("H", "D")


def _repair_residue(res: Residue, context: _Context) -> Residue:
    identity, changes = res.identity, context.changes
    if identity.reason:
        changes.append(f"{res.label}: {identity.reason}")
    if identity.kind in (Kind.METAL, Kind.ION):
        atom = res.atoms[0]
        return _rebuilt(
            res, identity.name, [_with(atom, name=identity.name, resname=identity.name)]
        )
    if identity.kind is Kind.CAP:
        atoms = [_with(a, name="CH3") if a.name == "CA" else a for a in _heavy(res)]
        return _rebuilt(res, identity.name, atoms)
    if identity.kind is not Kind.AMINO_ACID:
        return _rebuilt(res, res.resname, _heavy(res))
    name = _protonation_name(res, identity.name, context)
    return _rebuilt(res, name, _amino_acid_atoms(res, identity.name, context))


def _heavy(res: Residue) -> list[Atom]:
    return [a for a in res.atoms if not _is_hydrogen(a)]


def _amino_acid_atoms(res: Residue, parent: str, context: _Context) -> list[Atom]:
    """Heavy atoms under Meeko's names; atoms a mapped modified residue has beyond its parent
    (a sulfate, a selenium's methyl) are dropped, and said so, as is a terminal oxygen too
    far from its carbon to be bonded (placed again by ``_place_oxt``)."""
    changes = context.changes
    atoms = []
    for atom in _heavy(res):
        new = ATOM_RENAMES.get((parent, atom.name)) or ATOM_RENAMES.get(("*", atom.name))
        if parent == "MET" and atom.name == "SE":
            atom = _with(atom, element="S")
            new = "SD"
        atoms.append(_with(atom, name=new) if new else atom)
    atoms = _without_misplaced_oxt(res, atoms, context)
    if res.resname in MEEKO_MODIFIED:
        return atoms
    allowed = standard_heavy_atoms()[parent] | {"OXT"}
    extra = [a.name for a in atoms if a.name not in allowed]
    if extra:
        changes.append(
            f"{res.label}: removed atoms {', '.join(extra)} that {parent} does not have "
            "(a modification Meeko has no template for)"
        )
    return [a for a in atoms if a.name in allowed]


def _without_misplaced_oxt(res: Residue, atoms: list[Atom], context: _Context) -> list[Atom]:
    by_name = {a.name: np.array(a.xyz) for a in atoms}
    if "OXT" not in by_name or "C" not in by_name:
        return atoms
    gap = float(np.linalg.norm(by_name["OXT"] - by_name["C"]))
    if gap <= MAX_CO_BOND:
        return atoms
    context.needs_oxt.add(res.residue_id)
    context.changes.append(
        f"{res.label}: terminal OXT {gap:.2f} Å from C (not bonded); placed again"
    )
    return [a for a in atoms if a.name != "OXT"]


def _protonation_name(res: Residue, parent: str, context: _Context) -> str:
    """The Meeko residue name that keeps the protonation state the file states."""
    changes = context.changes
    if res.resname in MEEKO_MODIFIED:
        return res.resname
    if parent == "CYS":
        return _cysteine_name(res, context)
    stated = {"HSD": "HID", "HSE": "HIE", "HSP": "HIP"}.get(res.resname, res.resname)
    if stated in ("HID", "HIE", "HIP", "ASH", "GLH", "LYN"):
        return stated
    hydrogens = _hydrogens_on(res)
    if not hydrogens:
        return parent
    name = parent
    if parent == "HIS":
        on = {n for n in ("ND1", "NE2") if hydrogens.get(n)}
        name = {frozenset({"ND1"}): "HID", frozenset({"NE2"}): "HIE"}.get(frozenset(on), "HIP")
    elif parent == "ASP" and (hydrogens.get("OD1") or hydrogens.get("OD2")):
        name = "ASH"
    elif parent == "GLU" and (hydrogens.get("OE1") or hydrogens.get("OE2")):
        name = "GLH"
    elif parent == "LYS" and hydrogens.get("NZ", 3) < 3:
        name = "LYN"
    if name not in (parent, "HIS"):
        changes.append(f"{res.label}: protonation read from its hydrogens as {name}")
    return name


def _hydrogens_on(res: Residue) -> dict[str, int]:
    """How many hydrogens sit on each heavy atom (by distance: converted files rename them)."""
    heavy = _heavy(res)
    hydrogens = [a for a in res.atoms if _is_hydrogen(a)]
    if not heavy or not hydrogens:
        return {}
    xyz = np.array([a.xyz for a in heavy])
    counts: dict[str, int] = {}
    for h in hydrogens:
        distances = np.linalg.norm(xyz - np.array(h.xyz), axis=1)
        nearest = int(distances.argmin())
        if distances[nearest] <= H_BOND_LENGTH:
            counts[heavy[nearest].name] = counts.get(heavy[nearest].name, 0) + 1
    return counts


def _cysteine_name(res: Residue, context: _Context) -> str:
    metals, changes = context.metals, context.changes
    if res.residue_id in context.bridged:
        if res.resname != "CYX":
            changes.append(f"{res.label}: disulfide-bonded cysteine named CYX")
        return "CYX"
    sulfur = [a for a in res.atoms if a.name == "SG"]
    bound = bool(
        sulfur
        and len(metals)
        and np.linalg.norm(metals - np.array(sulfur[0].xyz), axis=1).min() <= METAL_BOND_MAX
    )
    if bound or res.resname == "CYM":
        if res.resname != "CYM":
            changes.append(f"{res.label}: cysteine bound to a metal ion named CYM (thiolate)")
        return "CYM"
    if res.resname == "CYX":
        changes.append(f"{res.label}: named CYX but has no disulfide partner; read as CYS")
    return "CYS"


def _disulfide_cysteines(residues: list[Residue]) -> set[str]:
    sulfurs = [
        (r.residue_id, np.array(a.xyz))
        for r in residues
        if r.kind is Kind.AMINO_ACID and r.identity.name == "CYS"
        for a in r.atoms
        if a.name == "SG"
    ]
    bridged = set()
    for i, (rid_i, xyz_i) in enumerate(sulfurs):
        for rid_j, xyz_j in sulfurs[i + 1 :]:
            if np.linalg.norm(xyz_i - xyz_j) <= DISULFIDE_MAX:
                bridged |= {rid_i, rid_j}
    return bridged


def _separate_shared_keys(residues: list[Residue], changes: list[str]) -> list[Residue]:
    """Meeko keys residues by chain and number: two residues at one key are either alternate
    copies (overlapping atoms: the first is kept) or different residues (given a free
    insertion code)."""
    seen: dict[str, Residue] = {}
    out = []
    for res in residues:
        first = seen.get(res.residue_id)
        if first is None:
            seen[res.residue_id] = res
            out.append(res)
            continue
        gap = np.linalg.norm(first.coords[:, None, :] - res.coords[None, :, :], axis=2).min()
        if gap < DUPLICATE_OVERLAP:
            changes.append(
                f"{res.label}: an alternate copy of {first.label} at the same place; dropped"
            )
            continue
        code = next(c for c in "ABCDEFGHIJKLMNOPQRSTUVWXYZ" if _key(res, c) not in seen)
        moved = _rebuilt(res, res.resname, [_with(a, icode=code) for a in res.atoms])
        moved.icode = code
        seen[moved.residue_id] = moved
        out.append(moved)
        changes.append(
            f"{res.label}: shares its residue number with {first.label}; "
            f"given insertion code {code} ({moved.residue_id})"
        )
    return out


def _key(res: Residue, icode: str) -> str:
    return f"{res.chain}:{res.resseq}{icode}".strip()


def _rebuild_missing_atoms(residues: list[Residue], context: _Context) -> None:
    """PDBFixer adds the heavy atoms each amino acid lacks, in place; the rest is left as is."""
    heavy_sets = standard_heavy_atoms()
    missing = {
        r.residue_id: sorted(heavy_sets[r.identity.name] - {a.name for a in r.atoms})
        for r in residues
        if r.kind is Kind.AMINO_ACID and r.resname not in MEEKO_MODIFIED
    }
    missing = {k: v for k, v in missing.items() if v}
    if not missing:
        return
    by_id = {r.residue_id: r for r in residues}
    added = _pdbfixer_atoms([by_id[k] for k in missing], residues)
    for rid, atoms in added.items():
        res = by_id[rid]
        res.atoms.extend(atoms)
        names = ", ".join(a.name for a in atoms)
        context.changes.append(f"{res.label}: rebuilt missing atoms {names} with PDBFixer")


def _lone_amino_acids(residues: list[Residue]) -> set[str]:
    """Amino acids peptide-bonded to nothing (a free phenylalanine, a residue between two
    gaps): they match no Meeko template, which are all for chain members."""

    def atoms_named(name: str) -> tuple[list[str], np.ndarray]:
        found = [(r.residue_id, a.xyz) for r in residues for a in r.atoms if a.name == name]
        return [f[0] for f in found], np.array([f[1] for f in found]).reshape(-1, 3)

    owners_c, c_xyz = atoms_named("C")
    owners_n, n_xyz = atoms_named("N")
    gaps = np.linalg.norm(c_xyz[:, None, :] - n_xyz[None, :, :], axis=2)
    linked: set[str] = set()
    for i, j in np.argwhere(gaps <= MAX_PEPTIDE_BOND):
        if owners_c[i] != owners_n[j]:
            linked |= {owners_c[i], owners_n[j]}
    return {
        r.residue_id
        for r in residues
        if r.kind is Kind.AMINO_ACID
        and r.resname not in MEEKO_MODIFIED
        and r.residue_id not in linked
    }


def _read_as_free_amino_acids(residues: list[Residue], lone: set[str], changes: list[str]) -> None:
    """Lone amino acids become hetero groups templated as the zwitterion
    (``cofactors.free_amino_acid_smiles``)."""
    for res in residues:
        if res.residue_id in lone:
            parent = res.identity.name
            res.__dict__["identity"] = Identity(Kind.HETERO, parent, f"free {parent}")
            changes.append(
                f"{res.label}: a lone amino acid (no peptide bond), templated as free {parent}"
            )


def _place_oxt(res: Residue) -> None:
    """The carboxylate's second oxygen in the plane of CA, C and O, 120° from both, 1.25 Å
    from C: the sp2 geometry every terminal builder uses."""
    by_name = {a.name: np.array(a.xyz) for a in res.atoms}
    if "OXT" in by_name or not {"CA", "C", "O"} <= by_name.keys():
        return
    c = by_name["C"]
    away = _unit(c - by_name["CA"]) + _unit(c - by_name["O"])
    template = next(a for a in res.atoms if a.name == "O")
    res.atoms.append(_new_atom(template, "OXT", "O", c + 1.25 * _unit(away)))


def _unit(v: np.ndarray) -> np.ndarray:
    return v / np.linalg.norm(v)


def _pdbfixer_atoms(targets: list[Residue], residues: list[Residue]) -> dict[str, list[Atom]]:
    """Run PDBFixer on the residues to fix and their neighbours (enough to place side chains
    without clashes, far cheaper than the whole protein); return the atoms it added."""
    from openmm.app import PDBFile  # noqa: F401  (PDBFixer needs OpenMM's PDB reader)
    from pdbfixer import PDBFixer

    target_ids = {r.residue_id for r in targets}
    centres = np.concatenate([r.coords for r in targets])
    nearby = [
        r
        for r in residues
        if r.kind is Kind.AMINO_ACID
        and (r.residue_id in target_ids or _min_distance(r.coords, centres) < 10.0)
    ]
    lines = [_with(a, resname=r.identity.name, record="ATOM").line for r in nearby for a in r.atoms]
    fixer = PDBFixer(pdbfile=io.StringIO("\n".join(lines) + "\nEND\n"))
    fixer.missingResidues = {}
    fixer.findMissingAtoms()
    fixer.missingTerminals = {}  # chain ends of this fragment are not the protein's
    fixer.addMissingAtoms(seed=0)
    positions = np.array(fixer.positions.value_in_unit(fixer.positions.unit)) * 10.0  # nm → Å
    by_key = {r.residue_id: r for r in nearby}
    added: dict[str, list[Atom]] = {}
    for residue in fixer.topology.residues():
        rid = _openmm_id(residue)
        if rid not in target_ids:
            continue
        have = {a.name for a in by_key[rid].atoms}
        template = by_key[rid].atoms[0]
        added[rid] = [
            _new_atom(template, a.name, a.element.symbol, positions[a.index])
            for a in residue.atoms()
            if a.name not in have and a.element.symbol != "H"
        ]
    return {k: v for k, v in added.items() if v}


def _openmm_id(residue: Any) -> str:
    return f"{residue.chain.id.strip()}:{residue.id.strip()}{residue.insertionCode.strip()}"


def _min_distance(a: np.ndarray, b: np.ndarray) -> float:
    return float(np.linalg.norm(a[:, None, :] - b[None, :, :], axis=2).min())


def _rebuilt(res: Residue, resname: str, atoms: list[Atom]) -> Residue:
    fresh = Residue(resname, res.chain, res.resseq, res.icode)
    fresh.atoms = [_with(a, resname=resname) for a in atoms]
    fresh.__dict__["identity"] = res.identity  # what it is does not change with its name
    return fresh


def _new_atom(template: Atom, name: str, element: str, xyz: Sequence[float] | np.ndarray) -> Atom:
    x, y, z = map(float, xyz)
    atom = replace(template, name=name, element=element.capitalize(), xyz=(x, y, z))
    return _with(atom)


def _with(atom: Atom, **changes: Any) -> Atom:
    """``atom`` with fields changed and its PDB line rewritten to match."""
    new = replace(atom, **changes)
    name = new.name if len(new.name) == 4 or len(new.element) == 2 else f" {new.name}"
    line = (
        f"{new.record:<6}{new.line[6:11]} {name:<4}{new.line[16]}{new.resname:>3} "
        f"{new.chain or ' '}{new.resseq:4d}{new.icode or ' '}   "
        f"{new.xyz[0]:8.3f}{new.xyz[1]:8.3f}{new.xyz[2]:8.3f}"
        f"{_columns(new.line, 54, 66, '  1.00  0.00')}          {new.element.upper():>2}"
    )
    return replace(new, line=line)


def _columns(line: str, start: int, end: int, default: str) -> str:
    part = line[start:end]
    return part if len(part) == end - start and part.strip() else default
