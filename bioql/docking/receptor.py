"""Receptor preparation: PDB → Meeko receptor PDBQT, offline, with a report of every choice.

Residues are read by what they are (``residues``), not by record type. By default the
structure is first repaired (``repair``: names read, hydrogens rebuilt, missing atoms added,
every change reported); ``repair=False`` takes the file as it is and refuses what Meeko
cannot match.

Waters are removed. Each other hetero group is kept or removed for a stated reason: groups
more than Vina's 8 Å interaction cutoff outside the box cannot change a score and are removed;
cofactors (recognised by name or by their atoms) and metal ions near the box are kept;
crystallization additives are removed; an unknown group in the pocket is an error that says
how to keep or remove it. Metal ions, including a cofactor's own (heme's iron), are written
as Vina metal atoms next to Meeko's receptor, since Meeko would read their coordination as
covalent bonds. Nothing is ever downloaded: Meeko's residue-template download is switched off.
"""

from __future__ import annotations

import contextlib
import io
import logging
import re
import warnings
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from bioql.docking.box import Box
from bioql.docking.cofactors import (
    ADDITIVES,
    KNOWN_COFACTORS,
    cofactor_template,
    free_amino_acid_smiles,
    metal_atoms,
    organic_part,
    recognise,
)
from bioql.docking.prepared import PreparedReceptor
from bioql.docking.residues import STANDARD_AMINO_ACIDS, Kind
from bioql.docking.structure import Atom, Residue, Structure
from bioql.docking.templates import meeko_templates
from bioql.errors import BioQLDockingError

# Vina ignores receptor atoms farther than 8 Å from a grid point.
VINA_CUTOFF = 8.0
# Residues with no atom within this of the box are left out of the prepared receptor: any
# terminus created by the cut is then > 8 Å from the box, so the energy maps are unchanged.
TRIM_MARGIN = 12.0
# Heavy atoms of two residues this close are bonded (as Meeko reads them).
COVALENT_MAX = 2.0
# A nitrogen this close to a metal coordinates it: it is no hydrogen-bond acceptor.
METAL_COORDINATION_MAX = 2.4
# Vina atom types and formal charges of the metal ions it knows (its metal donor type).
VINA_METAL_TYPES = {
    "ZN": "Zn",
    "MG": "Mg",
    "MN": "Mn",
    "FE": "Fe",
    "CA": "Ca",
    "NA": "Na",
    "K": "K",
}
METAL_CHARGES = {"ZN": 2, "MG": 2, "MN": 2, "FE": 3, "CA": 2, "NA": 1, "K": 1}


def prepare_receptor(
    structure: Structure,
    box: Box,
    *,
    exclude: tuple[str, ...] = (),
    keep_hetero: list[str] | None = None,
    remove_hetero: list[str] | None = None,
    cofactor_smiles: dict[str, str] | None = None,
    trim: bool = True,
    repair: bool = True,
    cache: bool = True,
) -> PreparedReceptor:
    """Prepare the receptor for docking in ``box``.

    ``exclude`` are residue ids (``chain:num``) removed because they define the site (a crystal
    ligand used as the box reference). ``keep_hetero``/``remove_hetero`` take residue names or
    ``NAME:CHAIN:NUM`` selectors and override the defaults; ``cofactor_smiles`` maps residue
    names to SMILES for groups BioQL has no chemistry for. ``repair=False`` refuses what
    Meeko cannot match instead of repairing it. ``cache`` reuses an earlier preparation of the
    same atoms with the same options (see ``cache``).
    """
    options: dict[str, Any] = {
        "exclude": tuple(exclude),
        "keep_hetero": list(keep_hetero or []),
        "remove_hetero": list(remove_hetero or []),
        "cofactor_smiles": dict(cofactor_smiles or {}),
        "trim": trim,
        "repair": repair,
    }
    if not cache:
        return _prepare(structure, box, **options)
    from bioql.docking.cache import cached_receptor

    return cached_receptor(structure, box, options, lambda: _prepare(structure, box, **options))


@dataclass
class _Plan:
    """What goes into the receptor: hetero groups for Meeko (with templates) and metals."""

    groups: list[Residue] = field(default_factory=list)
    templates: dict[str, tuple[Residue, str]] = field(default_factory=dict)
    metals: list[tuple[Atom, str]] = field(default_factory=list)  # atom, label


def _prepare(structure: Structure, box: Box, **options: Any) -> PreparedReceptor:
    report = PreparedReceptor(pdbqt="", residues=0, atoms=0)
    if options["repair"]:
        from bioql.docking.repair import repair_structure

        repaired = repair_structure(structure)
        structure, report.repairs = repaired.structure, repaired.changes
    report.waters_removed = len(structure.waters)
    plan = _plan_hetero(structure, box, report, options)
    polymer_residues = structure.polymer
    if options["trim"]:
        near = _capped_only_if_bonded(
            [r for r in polymer_residues if box.contains(r.coords, TRIM_MARGIN).any()]
        )
        report.trimmed_residues = len(polymer_residues) - len(near)
        polymer_residues = near
    lines = [a.line for r in polymer_residues for a in r.atoms]
    lines += [a.line for g in plan.groups for a in g.atoms]
    bonds = _bonds_to_delete(plan.groups, polymer_residues, report)
    pdb_text = "\n".join(lines) + "\nEND\n"
    polymer = _run_meeko(pdb_text, plan.templates, bonds, box, report, structure)
    from meeko import PDBQTWriterLegacy

    rigid, _flex = PDBQTWriterLegacy.write_from_polymer(polymer)
    report.pdbqt = _with_metals(rigid, plan.metals, report)
    report.polymer = polymer
    report.residues = len(polymer.get_valid_monomers())
    report.atoms = sum(
        1 for line in report.pdbqt.splitlines() if line.startswith(("ATOM", "HETATM"))
    )
    return report


def _capped_only_if_bonded(residues: list[Residue]) -> list[Residue]:
    """Drop terminal caps (ACE, NME) whose residue was trimmed away: a cap alone matches no
    Meeko template. Such a cap sits at the trimming margin, far beyond Vina's cutoff."""
    caps = [r for r in residues if r.kind is Kind.CAP]
    if not caps:
        return residues
    peptide = [r for r in residues if r.kind is Kind.AMINO_ACID]
    ends = np.array([a.xyz for r in peptide for a in r.atoms if a.name in ("C", "N")])
    lonely = set()
    for cap in caps:
        link = [a.xyz for a in cap.atoms if a.name in ("C", "N")]
        if not link or len(ends) == 0 or np.linalg.norm(ends - link[0], axis=1).min() > 2.0:
            lonely.add(cap.residue_id)
    return [r for r in residues if r.residue_id not in lonely]


def _plan_hetero(
    structure: Structure, box: Box, report: PreparedReceptor, options: dict[str, Any]
) -> _Plan:
    smiles_table = {
        **KNOWN_COFACTORS,
        **{k.upper(): v for k, v in options["cofactor_smiles"].items()},
    }
    plan = _Plan()
    for group in structure.hetero:
        chemistry = _chemistry_of(group, smiles_table)
        decision = _decide(group, box, options, chemistry)
        if decision is not None:
            report.removed.append(f"{group.label}: {decision}")
        elif group.kind is Kind.METAL:
            plan.metals.append((group.atoms[0], group.label))
            report.kept.append(f"{group.label} (metal ion, Vina atom)")
        else:
            assert chemistry is not None  # _decide keeps a group only when its chemistry is known
            _keep_cofactor(group, chemistry, plan, report)
    return plan


def _chemistry_of(group: Residue, smiles_table: dict[str, str]) -> str | None:
    """The SMILES BioQL will use for ``group``: by name, else by recognising its atoms."""
    if group.kind is Kind.METAL:
        return group.identity.name
    if group.resname in smiles_table:
        return smiles_table[group.resname]
    if group.kind is Kind.HETERO and group.identity.name in STANDARD_AMINO_ACIDS:
        return free_amino_acid_smiles(group.identity.name)  # a lone amino acid (repair)
    if group.kind is Kind.HETERO and group.resname not in ADDITIVES:
        name = recognise(group)
        return KNOWN_COFACTORS[name] if name else None
    return None


def _keep_cofactor(group: Residue, smiles: str, plan: _Plan, report: PreparedReceptor) -> None:
    organic = organic_part(group)
    plan.groups.append(organic)
    plan.templates[group.residue_id] = (organic, smiles)
    known_as = next((k for k, v in KNOWN_COFACTORS.items() if v == smiles), group.resname)
    how = "cofactor, prepared offline"
    if group.identity.reason.startswith("free "):
        how = f"{group.identity.reason} amino acid, templated from its own atoms"
    elif known_as != group.resname:
        how = f"cofactor recognised by its atoms as {known_as}, prepared offline"
    report.kept.append(f"{group.label} ({how})")
    for atom in metal_atoms(group):
        plan.metals.append((atom, f"{atom.name} of {group.label}"))
        report.notes.append(f"{group.label}: its {atom.name} is written as a Vina metal atom")


def _decide(group: Residue, box: Box, options: dict[str, Any], chemistry: str | None) -> str | None:
    """None to keep ``group``, else the reason it is removed (or raise if undecidable)."""
    if group.residue_id in options["exclude"]:
        return "defines the docking site (the reference ligand's place), removed"
    if _selected(group, options["remove_hetero"]):
        return "removed as requested"
    forced = _selected(group, options["keep_hetero"])
    if forced and chemistry is None:
        raise BioQLDockingError(
            f"keep_hetero asks to keep {group.label}, but BioQL has no chemistry for "
            f"{group.resname} offline. Pass its SMILES: cofactor_smiles={{'{group.resname}': "
            "'<SMILES of the atoms in the file>'}."
        )
    if forced:
        return None
    distance = _distance_to_box(group.coords, box)
    if distance > VINA_CUTOFF:
        return f"{distance:.1f} Å outside the box, beyond Vina's 8 Å cutoff"
    if chemistry is not None:
        return None
    if group.kind is Kind.ION:
        return "an ion Vina has no atom type for"
    if group.resname in ADDITIVES:
        return "crystallization additive / buffer ion"
    raise BioQLDockingError(
        f"Hetero group {group.label} ({len(group.atoms)} atoms) sits in or next to the docking "
        f"box and BioQL has no chemistry for {group.resname} offline. Keep it with "
        f"cofactor_smiles={{'{group.resname}': '<SMILES>'}} (CLI: --cofactor "
        f"{group.resname}=SMILES) or dock without it with remove_hetero=['{group.resname}'] "
        f"(CLI: --remove-hetero {group.resname})."
    )


def _selected(group: Residue, selectors: list[str] | None) -> bool:
    for sel in selectors or []:
        s = sel.strip().upper().replace(" ", ":")
        if s in (group.resname, group.residue_id.upper(), f"{group.resname}:{group.residue_id}"):
            return True
    return False


def _distance_to_box(coords: np.ndarray, box: Box) -> float:
    excess = np.abs(coords - np.asarray(box.center)) - np.asarray(box.size) / 2
    return float(np.min(np.linalg.norm(np.clip(excess, 0, None), axis=1)))


Contact = tuple[str, str, str, str]  # residue id, atom name, residue id, atom name


def _bonds_to_delete(
    groups: list[Residue], polymer: list[Residue], report: PreparedReceptor
) -> set[Contact]:
    """Inter-residue contacts Meeko would read as bonds but no template links: a cofactor
    bound to the protein (a Schiff base, a thioether), or two residues written closer than a
    bond (caps left where a loop was cut out). Each is left out of the bonds, and said so."""
    from scipy.spatial import cKDTree

    residues = polymer + groups
    atoms = [(r, a) for r in residues for a in r.atoms]
    tree = cKDTree(np.array([a.xyz for _, a in atoms]).reshape(-1, 3))
    contacts: set[Contact] = set()
    for i, j in sorted(tree.query_pairs(COVALENT_MAX)):
        (ri, ai), (rj, aj) = atoms[i], atoms[j]
        if ri is rj or _template_link(ai, aj):
            continue
        gap = float(np.linalg.norm(np.subtract(ai.xyz, aj.xyz)))
        contacts.add((ri.residue_id, ai.name, rj.residue_id, aj.name))
        report.notes.append(
            f"{ri.label} {ai.name}–{rj.label} {aj.name} {gap:.2f} Å: closer than a bond but no "
            "residue template links them; kept as written, not bonded (the receptor is rigid: "
            "Vina's maps are the same)"
        )
    return contacts


def _template_link(a: Atom, b: Atom) -> bool:
    """Links Meeko's templates make: the peptide C–N bond and the disulfide S–S bond."""
    names = {a.name, b.name}
    return names == {"C", "N"} or names == {"SG"}


def _run_meeko(
    pdb_text: str,
    templates: dict[str, tuple[Residue, str]],
    bonds: set[Contact],
    box: Box,
    report: PreparedReceptor,
    structure: Structure,
) -> Any:
    """Meeko's Polymer with our offline templates; falls back only in reported ways."""

    chem = meeko_templates()
    set_template: dict[str, str] = {}
    for residue_id, (group, smiles) in templates.items():
        key = f"BQL_{group.resname}_{len(set_template)}"
        chem.residue_templates[key] = cofactor_template(group, smiles, key)
        set_template[residue_id] = key
    _refuse_unknown_names(pdb_text, chem, set_template)
    attempts = [
        ({}, None),
        ({"forgive_extra_bonds": True}, "tolerated close contacts between residues"),
        ({"allow_bad_res": True}, None),
        ({"forgive_extra_bonds": True, "allow_bad_res": True}, None),
    ]
    last_error = ""
    for options, note in attempts:
        try:
            with _quiet_meeko():
                polymer = _polymer(pdb_text, chem, set_template, bonds, **options)
        except Exception as exc:  # Meeko raises PolymerCreationError / RuntimeError
            last_error = str(exc)
            continue
        if note:
            report.notes.append(f"Meeko {note}")
        _check_dropped(polymer, box, report, structure, last_error)
        return polymer
    raise BioQLDockingError(
        "Meeko could not prepare the receptor: "
        + " ".join(last_error.split())[:600]
        + " Check the PDB file (alternate locations, broken residues); with repair=False, "
        "repair=True (the default) may fix it."
    )


def _polymer(
    pdb_text: str,
    chem: Any,
    set_template: dict[str, str],
    not_bonds: set[Contact],
    *,
    forgive_extra_bonds: bool = False,
    allow_bad_res: bool = False,
) -> Any:
    """``Polymer.from_pdb_string`` with the ``not_bonds`` contacts removed from the bonds Meeko
    perceives by distance (its own ``bonds_to_delete`` removes every bond of a residue pair,
    peptide bond included, and refuses pairs with more than one)."""
    from meeko import MoleculePreparation, Polymer
    from meeko.polymer import find_inter_mols_bonds

    parsed = Polymer._pdb_to_residue_mols(pdb_text)
    mols = {rid: (item[0], item[1]) for rid, item in parsed.items() if item[0] is not None}
    unparsed = sorted(set(parsed) - set(mols))
    if unparsed and not allow_bad_res:
        raise ValueError(f"Meeko could not parse residues {unparsed}")
    bonds = find_inter_mols_bonds(mols)
    for (first, second), pairs in list(bonds.items()):
        names = [(_atom_name(mols[first][0], i), _atom_name(mols[second][0], j)) for i, j in pairs]
        kept = [
            pair
            for pair, (a, b) in zip(pairs, names, strict=True)
            if (first, a, second, b) not in not_bonds and (second, b, first, a) not in not_bonds
        ]
        if kept:
            bonds[(first, second)] = kept
        else:
            del bonds[(first, second)]
    polymer = Polymer(
        mols,
        bonds,
        chem,
        MoleculePreparation(),
        set_template,
        forgive_extra_bonds=forgive_extra_bonds,
    )
    unmatched = sorted(polymer.get_ignored_monomers())
    if unmatched and not allow_bad_res:
        raise ValueError(f"Template matching failed for: {unmatched}")
    return polymer


def _atom_name(mol: Any, index: int) -> str:
    return mol.GetAtomWithIdx(index).GetPDBResidueInfo().GetName().strip()


def _refuse_unknown_names(pdb_text: str, chem, set_template: dict[str, str]) -> None:
    """Meeko would try to download a template for a residue name it does not know: BioQL
    never does, so such a residue is an immediate error that names it."""
    known = chem.residue_templates.keys() | chem.ambiguous.keys()
    unknown: dict[str, str] = {}
    for line in pdb_text.splitlines():
        if line.startswith(("ATOM", "HETATM")):
            rid = f"{line[21].strip()}:{line[22:26].strip()}{line[26].strip()}"
            if line[17:20].strip() not in known and rid not in set_template:
                unknown.setdefault(rid, line[17:20].strip())
    if unknown:
        listed = ", ".join(f"{name} {rid}" for rid, name in list(unknown.items())[:8])
        raise BioQLDockingError(
            f"Meeko has no offline template for {listed}, and BioQL never downloads one. "
            "repair=True (the default) reads force-field and modified residue names as their "
            "amino acid; for a cofactor pass cofactor_smiles={'NAME': '<SMILES>'}, or remove "
            "it with remove_hetero=['NAME']."
        )


# Kept importable under its earlier name.
_default_templates = meeko_templates


@contextlib.contextmanager
def _quiet_meeko() -> Iterator[None]:
    """Meeko logs and prints its template search; its outcome is reported by us instead."""
    from bioql.docking.ligand import quiet_rdkit

    logger = logging.getLogger("meeko")
    level = logger.level
    logger.setLevel(logging.CRITICAL)
    sink = io.StringIO()
    try:
        with (
            warnings.catch_warnings(),
            quiet_rdkit(),
            contextlib.redirect_stdout(sink),
            contextlib.redirect_stderr(sink),
        ):
            warnings.simplefilter("ignore")
            yield
    finally:
        logger.setLevel(level)


def _with_metals(pdbqt: str, metals: list[tuple[Atom, str]], report: PreparedReceptor) -> str:
    """Meeko's PDBQT plus one Vina metal atom per kept ion; nitrogens that coordinate a metal
    are typed N (no acceptor), as AutoDock's curated receptors type them."""
    if not metals:
        return pdbqt
    xyz = np.array([atom.xyz for atom, _ in metals])
    lines, retyped = [], 0
    for line in pdbqt.splitlines():
        if line.startswith(("ATOM", "HETATM")) and line[77:79].strip() == "NA":
            point = np.array([float(line[30:38]), float(line[38:46]), float(line[46:54])])
            if np.linalg.norm(xyz - point, axis=1).min() <= METAL_COORDINATION_MAX:
                line, retyped = line[:77] + "N " + line[79:], retyped + 1
        lines.append(line)
    serial = len(lines)
    for atom, _label in metals:
        serial += 1
        lines.append(_metal_line(atom, serial))
    if retyped:
        report.notes.append(f"{retyped} metal-coordinating nitrogen(s) typed N, not acceptor NA")
    return "\n".join(lines) + "\n"


def _metal_line(atom: Atom, serial: int) -> str:
    element = atom.element.upper()
    x, y, z = atom.xyz
    return (
        f"HETATM{serial % 100000:5d} {atom.name:<4} {atom.resname:>3} {atom.chain or ' '}"
        f"{atom.resseq:4d}{atom.icode or ' '}   {x:8.3f}{y:8.3f}{z:8.3f}  1.00  0.00    "
        f"{METAL_CHARGES[element]:6.3f} {VINA_METAL_TYPES[element]:<2}"
    )


def _check_dropped(
    polymer: Any, box: Box, report: PreparedReceptor, structure: Structure, meeko_error: str
) -> None:
    dropped = sorted(polymer.get_ignored_monomers())
    if not dropped:
        return
    by_id = {r.residue_id: r for r in structure.residues}
    near = [
        d for d in dropped if d in by_id and _distance_to_box(by_id[d].coords, box) <= VINA_CUTOFF
    ]
    labels = [by_id[d].label if d in by_id else d for d in dropped]
    if near:
        raise BioQLDockingError(
            "Meeko could not match these residues to templates and they line the docking "
            f"box: {', '.join(by_id[d].label for d in near)}. Dropping them would change the "
            "pocket. Repair the structure (prepare with repair=True, or rebuild the residues "
            "with PDBFixer) and try again. " + re.sub(r"\s+", " ", meeko_error)[:300]
        )
    for label in labels:
        report.removed.append(f"{label}: protein residue Meeko could not match (far from box)")
    warnings.warn(
        f"Receptor: {len(labels)} residue(s) far from the box could not be prepared and were "
        f"left out: {', '.join(labels)}",
        stacklevel=3,
    )
