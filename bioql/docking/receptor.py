"""Receptor preparation: PDB → Meeko receptor PDBQT, offline, with a report of every choice.

Waters are removed. Each other hetero group is kept or removed for a stated reason: groups more
than Vina's 8 Å interaction cutoff outside the box cannot change a score and are removed;
cofactors and metal ions near the box are kept (cofactors through our own offline templates,
see ``cofactors``); crystallization additives are removed; an unknown group in the pocket is an
error that says how to keep or remove it. Protein residues are never dropped silently: a
residue Meeko cannot match is an error if it is near the box, a listed warning otherwise.
"""

from __future__ import annotations

import contextlib
import functools
import io
import logging
import re
import warnings
from dataclasses import dataclass, field

import numpy as np

from bioql.docking.box import Box
from bioql.docking.cofactors import ADDITIVES, KNOWN_COFACTORS, METAL_IONS, cofactor_template
from bioql.docking.structure import Residue, Structure
from bioql.errors import BioQLDockingError

# Vina ignores receptor atoms farther than 8 Å from a grid point.
VINA_CUTOFF = 8.0
# Residues with no atom within this of the box are left out of the prepared receptor: any
# terminus created by the cut is then > 8 Å from the box, so the energy maps are unchanged.
TRIM_MARGIN = 12.0


@dataclass
class PreparedReceptor:
    pdbqt: str
    residues: int
    atoms: int
    kept: list[str] = field(default_factory=list)  # "NDP B:195 (cofactor ...)"
    removed: list[str] = field(default_factory=list)  # "TQ3 A:194: reason"
    waters_removed: int = 0
    trimmed_residues: int = 0
    notes: list[str] = field(default_factory=list)
    polymer: object = None  # the Meeko Polymer, for pocket chemistry (quantum path)

    def to_dict(self) -> dict:
        return {
            "residues": self.residues,
            "atoms": self.atoms,
            "kept_hetero": list(self.kept),
            "removed_hetero": list(self.removed),
            "waters_removed": self.waters_removed,
            "residues_beyond_cutoff_left_out": self.trimmed_residues,
            "notes": list(self.notes),
        }


def prepare_receptor(
    structure: Structure,
    box: Box,
    *,
    exclude: tuple[str, ...] = (),
    keep_hetero: list[str] | None = None,
    remove_hetero: list[str] | None = None,
    cofactor_smiles: dict[str, str] | None = None,
    trim: bool = True,
) -> PreparedReceptor:
    """Prepare the receptor for docking in ``box``.

    ``exclude`` are residue ids (``chain:num``) removed because they define the site (a crystal
    ligand used as the box reference). ``keep_hetero``/``remove_hetero`` take residue names or
    ``NAME:CHAIN:NUM`` selectors and override the defaults; ``cofactor_smiles`` maps residue
    names to SMILES for groups BioQL has no chemistry for.
    """
    smiles_table = {**KNOWN_COFACTORS, **{k.upper(): v for k, v in (cofactor_smiles or {}).items()}}
    report = PreparedReceptor(pdbqt="", residues=0, atoms=0)
    report.waters_removed = len(structure.waters)
    templates: dict[str, tuple[Residue, str]] = {}
    kept_hetero: list[Residue] = []
    for group in structure.hetero:
        decision = _decide(group, box, exclude, keep_hetero, remove_hetero, smiles_table)
        if decision is None:
            kept_hetero.append(group)
            if group.resname not in METAL_IONS:
                templates[group.residue_id] = (group, smiles_table[group.resname])
            kind = "metal ion" if group.resname in METAL_IONS else "cofactor, prepared offline"
            report.kept.append(f"{group.label} ({kind})")
        else:
            report.removed.append(f"{group.label}: {decision}")

    polymer_residues = structure.polymer
    if trim:
        near = [r for r in polymer_residues if box.contains(r.coords, TRIM_MARGIN).any()]
        report.trimmed_residues = len(polymer_residues) - len(near)
        polymer_residues = near
    lines, mse = _polymer_lines(polymer_residues)
    if mse:
        report.notes.append(f"converted {mse} selenomethionine (MSE) residue(s) to methionine")
    lines += [a.line for g in kept_hetero for a in g.atoms]
    polymer = _run_meeko("\n".join(lines) + "\nEND\n", templates, box, report, structure)
    from meeko import PDBQTWriterLegacy

    rigid, _flex = PDBQTWriterLegacy.write_from_polymer(polymer)
    report.pdbqt = rigid
    report.polymer = polymer
    report.residues = len(polymer.get_valid_monomers())
    report.atoms = sum(1 for line in rigid.splitlines() if line.startswith(("ATOM", "HETATM")))
    return report


def _decide(group, box, exclude, keep, remove, smiles_table) -> str | None:
    """None to keep ``group``, else the reason it is removed (or raise if undecidable)."""
    if group.residue_id in exclude:
        return "defines the docking site (the reference ligand's place), removed"
    if _selected(group, remove):
        return "removed as requested"
    forced = _selected(group, keep)
    known = group.resname in smiles_table or group.resname in METAL_IONS
    if forced and not known:
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
    if known:
        return None
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


def _polymer_lines(residues: list[Residue]) -> tuple[list[str], int]:
    """PDB lines for Meeko; selenomethionine becomes methionine (no Se template in Meeko)."""
    lines, mse = [], 0
    for res in residues:
        is_mse = res.resname == "MSE"
        mse += is_mse
        for atom in res.atoms:
            line = atom.line
            if is_mse:
                line = "ATOM  " + line[6:17] + "MET" + line[20:]
                if atom.name == "SE":
                    line = line[:12] + " SD " + line[16:76] + " S" + line[78:]
            lines.append(line)
    return lines, mse


def _run_meeko(pdb_text, templates, box, report, structure):
    """Meeko's Polymer with our offline templates; falls back only in reported ways."""
    from meeko import MoleculePreparation, Polymer

    chem = _default_templates()
    set_template = {}
    for residue_id, (group, smiles) in templates.items():
        key = f"BQL_{group.resname}_{len(set_template)}"
        chem.residue_templates[key] = cofactor_template(group, smiles, key)
        set_template[residue_id] = key
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
                polymer = Polymer.from_pdb_string(
                    pdb_text, chem, MoleculePreparation(), set_template=set_template, **options
                )
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
        + " Check the PDB file (missing atoms, alternate locations) or repair it with PDBFixer."
    )


@functools.cache
def _default_templates():
    """Meeko's residue templates (about a second to load), once per process. Our cofactor
    templates are added under keys that are rewritten on every preparation."""
    from meeko import ResidueChemTemplates

    return ResidueChemTemplates.create_from_defaults()


@contextlib.contextmanager
def _quiet_meeko():
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


def _check_dropped(polymer, box, report, structure, meeko_error: str) -> None:
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
            "pocket. Repair the structure (missing atoms: e.g. PDBFixer) and try again. "
            + re.sub(r"\s+", " ", meeko_error)[:300]
        )
    for label in labels:
        report.removed.append(f"{label}: protein residue Meeko could not match (far from box)")
    warnings.warn(
        f"Receptor: {len(labels)} residue(s) far from the box could not be prepared and were "
        f"left out: {', '.join(labels)}",
        stacklevel=3,
    )
