"""The docking search box and the four ways to define it."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from bioql.docking.structure import Structure
from bioql.errors import BioQLDockingError

# Box edge added around a reference ligand on each side: room for the ligand to move and
# reorient, without letting Vina wander over the whole protein.
DEFAULT_PADDING = 5.0
MIN_EDGE = 12.0
# Blind boxes larger than this (Å per edge) get a warning about cost and reliability.
BLIND_WARN_EDGE = 30.0
# Fewer protein heavy atoms than this inside the box: nothing to dock against.
MIN_POCKET_ATOMS = 20


@dataclass(frozen=True)
class Box:
    center: tuple[float, float, float]
    size: tuple[float, float, float]
    source: str  # how it was defined, for the report

    @classmethod
    def around(cls, coords: np.ndarray, padding: float, source: str) -> Box:
        lo, hi = coords.min(axis=0), coords.max(axis=0)
        center = (lo + hi) / 2
        size = np.maximum(hi - lo + 2 * padding, MIN_EDGE)
        return cls(_triple(center), _triple(size), source)

    @property
    def volume(self) -> float:
        return float(np.prod(self.size))

    def contains(self, coords: np.ndarray, margin: float = 0.0) -> np.ndarray:
        """Boolean mask of the points inside the box grown by ``margin`` on every side."""
        half = np.asarray(self.size) / 2 + margin
        return np.all(np.abs(np.asarray(coords) - np.asarray(self.center)) <= half, axis=-1)

    def to_dict(self) -> dict:
        return {"center": list(self.center), "size": list(self.size), "source": self.source}

    def __str__(self) -> str:
        c = ", ".join(f"{v:.2f}" for v in self.center)
        s = " x ".join(f"{v:.1f}" for v in self.size)
        return f"center ({c}) Å, size {s} Å, from {self.source}"


def _triple(values) -> tuple[float, float, float]:
    a, b, c = (round(float(v), 3) for v in values)
    return (a, b, c)


def parse_vector(value: str | Sequence[float], what: str) -> tuple[float, float, float]:
    """``"1,2,3"`` or ``[1, 2, 3]`` → a 3-tuple, or a BioQLDockingError saying the format."""
    try:
        items = value.replace(";", ",").split(",") if isinstance(value, str) else list(value)
        vec = tuple(float(v) for v in items)
    except (TypeError, ValueError):
        vec = ()
    if len(vec) != 3 or not all(np.isfinite(vec)):
        raise BioQLDockingError(
            f"{what} must be three numbers x,y,z in Å, e.g. '12.5,8.0,-3.2'; got {value!r}."
        )
    return _triple(vec)


def explicit_box(center, size) -> Box:
    c = parse_vector(center, "center")
    s = parse_vector(size, "size")
    if min(s) <= 0:
        raise BioQLDockingError(f"Box size must be positive in every direction; got {s}.")
    return Box(c, s, "explicit center and size")


def box_from_ligand_file(path: str | Path, padding: float = DEFAULT_PADDING) -> Box:
    from bioql.docking.ligand import read_reference_ligand

    mol = read_reference_ligand(path)
    coords = mol.GetConformer().GetPositions()
    heavy = [a.GetIdx() for a in mol.GetAtoms() if a.GetAtomicNum() > 1]
    return Box.around(coords[heavy], padding, f"reference ligand {Path(path).name}")


def box_from_group(structure: Structure, selector: str, padding: float = DEFAULT_PADDING) -> Box:
    groups = structure.find_groups(selector)
    if not groups:
        hetero = ", ".join(sorted({g.label for g in structure.hetero})) or "none"
        raise BioQLDockingError(
            f"No residue or hetero group {selector!r} in {structure.path.name}. "
            f"Use a residue name (e.g. 'NDP'), 'NAME:CHAIN:NUMBER' or 'CHAIN:NUMBER'. "
            f"Hetero groups in this file: {hetero}."
        )
    if len(groups) > 1 and len({g.resname for g in groups}) == 1 and ":" not in selector:
        # Several copies (one per chain): take the first and say so; the user can be precise.
        groups = groups[:1]
    coords = np.concatenate([g.coords for g in groups])
    labels = ", ".join(g.label for g in groups)
    return Box.around(coords, padding, f"group {labels}")


def blind_box(structure: Structure, padding: float = DEFAULT_PADDING) -> Box:
    return Box.around(structure.polymer_coords(), padding, "whole protein (blind docking)")


@dataclass(frozen=True)
class Site:
    """A docking box, the residues that define it (left out of the receptor) and any note."""

    box: Box
    exclude: tuple[str, ...] = ()
    notes: tuple[str, ...] = field(default=())


def make_box(
    structure: Structure,
    *,
    center: str | Sequence[float] | None = None,
    size: str | Sequence[float] | None = None,
    box_from: str | Path | None = None,
    reference_ligand: str | Path | None = None,
    padding: float = DEFAULT_PADDING,
) -> Site:
    """The box of ``dock()`` and ``screen()``, from (in order of precedence) ``center`` +
    ``size``; ``box_from`` (a ligand file, or a residue / hetero group of ``structure``, which
    is then excluded from the receptor); ``reference_ligand``; else the whole protein (blind
    docking, with a note saying what that costs)."""
    if (center is None) != (size is None):
        raise BioQLDockingError(
            "Give both center and size for an explicit box (e.g. center='10,20,5', "
            "size='20,20,20'), or neither."
        )
    if center is not None:
        return Site(explicit_box(center, size))
    if box_from is not None:
        text = str(box_from)
        looks_like_file = Path(text).suffix.lower() in {".sdf", ".mol", ".mol2", ".pdb"}
        if looks_like_file or Path(text).is_file():
            return Site(box_from_ligand_file(text, padding))
        box = box_from_group(structure, text, padding)
        groups = [g for g in structure.find_groups(text) if not g.is_polymer]
        return Site(box, tuple(g.residue_id for g in groups if g.label in box.source))
    if reference_ligand is not None:
        return Site(box_from_ligand_file(reference_ligand, padding))
    box = blind_box(structure, padding)
    message = (
        f"No site given: blind docking over the whole protein ({box.size[0]:.0f} x "
        f"{box.size[1]:.0f} x {box.size[2]:.0f} Å). This is slow and often misses the true "
        "site; raise exhaustiveness (>= 32) or give a reference ligand / --box-from."
    )
    return Site(box, notes=(message,))


def check_pocket(box: Box, structure: Structure) -> int:
    """Number of protein heavy atoms in the box; raise if the box misses the protein."""
    coords = structure.polymer_coords()
    inside = int(box.contains(coords).sum())
    if inside == 0:
        lo, hi = coords.min(axis=0), coords.max(axis=0)
        raise BioQLDockingError(
            f"The docking box ({box}) does not contain any atom of the protein, whose atoms "
            f"span x {lo[0]:.1f}..{hi[0]:.1f}, y {lo[1]:.1f}..{hi[1]:.1f}, "
            f"z {lo[2]:.1f}..{hi[2]:.1f} Å. Center the box on the binding site "
            "(use --box-from with a ligand file or residue name, or a reference ligand)."
        )
    if inside < MIN_POCKET_ATOMS:
        raise BioQLDockingError(
            f"The docking box ({box}) holds only {inside} protein atoms: it is an empty "
            "pocket in the solvent, with nothing to dock against. Move or enlarge the box "
            f"so it covers the binding site (at least {MIN_POCKET_ATOMS} protein atoms)."
        )
    return inside
