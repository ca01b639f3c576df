"""Molecules: the built-in set (by name or formula, at any bond length) and XYZ geometries.

Geometries are in ångström. A built-in molecule's ``bond length`` is the distance from the
central atom to each of its hydrogens (a symmetric stretch; angles stay fixed), or between the two
atoms of a diatomic. Equilibrium values are experimental gas-phase structures.

Nothing here imports PySCF: the language reader uses this module to name molecules.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass

from bioql.errors import BioQLValueError

Atom = tuple[str, tuple[float, float, float]]

# PySCF's name → how it is written; the reader knows exactly these.
BASIS_SETS = {
    "sto-3g": "STO-3G",
    "sto-6g": "STO-6G",
    "3-21g": "3-21G",
    "6-31g": "6-31G",
    "6-31g*": "6-31G*",
    "6-31g**": "6-31G**",
    "6-311g": "6-311G",
    "cc-pvdz": "cc-pVDZ",
    "cc-pvtz": "cc-pVTZ",
    "aug-cc-pvdz": "aug-cc-pVDZ",
    "def2-svp": "def2-SVP",
}

ANGSTROM_PER_BOHR = 0.529177210903  # CODATA 2018, the value PySCF uses
SHORTEST_BOND = 0.1  # Å; closer nuclei are a typo, not a molecule
LONGEST_BOND = 10.0  # Å; beyond this RHF/STO-3G is meaningless and SCF rarely converges

# Symbols H..Rn: PySCF's minimal basis sets cover these.
_SYMBOLS = (
    "H He Li Be B C N O F Ne Na Mg Al Si P S Cl Ar K Ca Sc Ti V Cr Mn Fe Co Ni Cu Zn Ga Ge As Se "
    "Br Kr Rb Sr Y Zr Nb Mo Tc Ru Rh Pd Ag Cd In Sn Sb Te I Xe Cs Ba La Ce Pr Nd Pm Sm Eu Gd Tb "
    "Dy Ho Er Tm Yb Lu Hf Ta W Re Os Ir Pt Au Hg Tl Pb Bi Po At Rn"
)
ELEMENTS = _SYMBOLS.split()
_ELEMENT_CASE = {e.lower(): e for e in ELEMENTS}


@dataclass(frozen=True)
class Molecule:
    """A geometry with its charge and spin.

    ``spin`` is PySCF's: the number of unpaired electrons (2S), 0 for a singlet.
    ``builtin`` is the built-in formula the geometry came from, "" for an XYZ geometry.
    """

    atoms: tuple[Atom, ...]
    charge: int = 0
    spin: int = 0
    builtin: str = ""
    bond_length: float | None = None

    @property
    def formula(self) -> str:
        return self.builtin or hill_formula(self.atoms)

    @property
    def num_electrons(self) -> int:
        return sum(ELEMENTS.index(sym) + 1 for sym, _ in self.atoms) - self.charge

    def pyscf_atom(self) -> str:
        """The geometry as PySCF's ``atom=`` string (ångström)."""
        return "; ".join(f"{s} {x:.10f} {y:.10f} {z:.10f}" for s, (x, y, z) in self.atoms)

    def xyz(self) -> str:
        """The geometry in the compact inline form BioQL reads back (``H 0 0 0; H 0 0 0.735``)."""
        return "; ".join(f"{s} {_short(x)} {_short(y)} {_short(z)}" for s, (x, y, z) in self.atoms)


@dataclass(frozen=True)
class Builtin:
    formula: str
    names: tuple[str, ...]  # English and Spanish, lower case, accents stripped
    equilibrium: float  # Å
    build: Callable[[float], tuple[Atom, ...]]
    # A small active space (electrons, spatial orbitals) used when none is asked for; None means
    # "all valence orbitals" (frozen core), which stays small enough for these two.
    default_active_space: tuple[int, int] | None


def _diatomic(a: str, b: str) -> Callable[[float], tuple[Atom, ...]]:
    return lambda d: ((a, (0.0, 0.0, 0.0)), (b, (0.0, 0.0, d)))


def _linear_xh2(center: str) -> Callable[[float], tuple[Atom, ...]]:
    return lambda d: ((center, (0.0, 0.0, 0.0)), ("H", (0.0, 0.0, d)), ("H", (0.0, 0.0, -d)))


def _bent_xh2(center: str, angle_deg: float) -> Callable[[float], tuple[Atom, ...]]:
    half = math.radians(angle_deg) / 2

    def build(d: float) -> tuple[Atom, ...]:
        x, z = d * math.sin(half), d * math.cos(half)
        return ((center, (0.0, 0.0, 0.0)), ("H", (x, 0.0, z)), ("H", (-x, 0.0, z)))

    return build


def _pyramidal_xh3(center: str, angle_deg: float) -> Callable[[float], tuple[Atom, ...]]:
    # Hydrogens on a circle of radius r below the centre; r follows from the H-X-H angle.
    ratio = math.sqrt(2.0 / 3.0 * (1.0 - math.cos(math.radians(angle_deg))))

    def build(d: float) -> tuple[Atom, ...]:
        r = d * ratio
        h = math.sqrt(max(d * d - r * r, 0.0))
        hydrogens = tuple(
            ("H", (r * math.cos(a), r * math.sin(a), -h))
            for a in (0.0, 2 * math.pi / 3, 4 * math.pi / 3)
        )
        return ((center, (0.0, 0.0, 0.0)), *hydrogens)

    return build


BUILTINS: dict[str, Builtin] = {
    b.formula: b
    for b in (
        Builtin("H2", ("hydrogen", "dihydrogen", "hidrogeno", "dihidrogeno"), 0.735,
                _diatomic("H", "H"), None),
        Builtin("LiH", ("lithium hydride", "hidruro de litio"), 1.595,
                _diatomic("Li", "H"), None),
        Builtin("BeH2", ("beryllium hydride", "beryllium dihydride", "hidruro de berilio",
                         "dihidruro de berilio"), 1.326, _linear_xh2("Be"), (4, 4)),
        Builtin("H2O", ("water", "agua"), 0.9572, _bent_xh2("O", 104.52), (4, 4)),
        Builtin("NH3", ("ammonia", "amoniaco"), 1.012, _pyramidal_xh3("N", 106.67), (4, 4)),
        Builtin("N2", ("nitrogen", "dinitrogen", "nitrogeno", "dinitrogeno"), 1.098,
                _diatomic("N", "N"), (4, 4)),
    )
}  # fmt: skip

BUILTIN_NAMES = ", ".join(BUILTINS)


def builtin(formula: str) -> Builtin:
    """The built-in molecule with this formula or name (any case)."""
    key = formula.strip().lower()
    for b in BUILTINS.values():
        if key == b.formula.lower() or key in b.names:
            return b
    raise BioQLValueError(
        f"BioQL has no built-in molecule {formula!r}. Built in: {BUILTIN_NAMES} (or by name: "
        "hydrogen, lithium hydride, beryllium hydride, water, ammonia, nitrogen). Any other "
        "molecule can be given as an XYZ geometry, e.g. 'H 0 0 0; F 0 0 0.917'."
    )


def make_builtin(
    formula: str, bond_length: float | None = None, charge: int = 0, spin: int = 0
) -> Molecule:
    entry = builtin(formula)
    d = entry.equilibrium if bond_length is None else check_bond_length(bond_length)
    return Molecule(entry.build(d), charge, spin, entry.formula, d)


def check_bond_length(d: float) -> float:
    if not math.isfinite(d) or d <= 0:
        raise BioQLValueError(
            f"A bond length must be a positive distance such as 0.735 Å, got {d:g}."
        )
    if not SHORTEST_BOND <= d <= LONGEST_BOND:
        raise BioQLValueError(
            f"A bond length of {d:g} Å is outside what BioQL computes "
            f"({SHORTEST_BOND:g} to {LONGEST_BOND:g} Å)."
        )
    return float(d)


_NUMBER = r"[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?"
_ATOM_LINE = re.compile(rf"^\s*([A-Za-z]{{1,2}})\s+({_NUMBER})\s+({_NUMBER})\s+({_NUMBER})\s*$")


def parse_xyz(text: str) -> tuple[Atom, ...]:
    """Atoms from an XYZ file's text, or the inline form ``H 0 0 0; H 0 0 0.735`` (ångström).

    An XYZ file's first two lines (atom count, comment) are recognised and checked.
    """
    lines = [ln for ln in re.split(r"[;,\n]", text) if ln.strip()]
    if lines and lines[0].strip().isdigit():
        expected = int(lines[0])
        lines = lines[2:] if len(lines) > 1 and not _ATOM_LINE.match(lines[1]) else lines[1:]
        if expected != len(lines):
            raise BioQLValueError(
                f"The XYZ text announces {expected} atoms but lists {len(lines)}."
            )
    atoms = tuple(_atom(line) for line in lines)
    if not atoms:
        raise BioQLValueError(
            "The XYZ geometry has no atoms; write one atom a line or separated by ';', "
            "e.g. 'H 0 0 0; H 0 0 0.735' (ångström)."
        )
    check_geometry(atoms)
    return atoms


def _atom(line: str) -> Atom:
    m = _ATOM_LINE.match(line)
    if m is None:
        raise BioQLValueError(
            f"Cannot read the XYZ line {line.strip()!r}: write an element symbol and three "
            "coordinates in ångström, e.g. 'O 0 0 0.117'."
        )
    symbol = _ELEMENT_CASE.get(m.group(1).lower())
    if symbol is None:
        raise BioQLValueError(f"{m.group(1)!r} in the XYZ geometry is not an element symbol.")
    x, y, z = (float(m.group(i)) for i in (2, 3, 4))
    return symbol, (x, y, z)


def check_geometry(atoms: tuple[Atom, ...]) -> None:
    for i, (si, pi) in enumerate(atoms):
        for sj, pj in atoms[i + 1 :]:
            if math.dist(pi, pj) < SHORTEST_BOND:
                raise BioQLValueError(
                    f"Atoms {si} and {sj} are {math.dist(pi, pj):.3f} Å apart; nuclei closer "
                    f"than {SHORTEST_BOND} Å are not a molecule (coordinates are in ångström)."
                )


def hill_formula(atoms: tuple[Atom, ...]) -> str:
    """Hill order: C, then H, then the rest alphabetically (no carbon: all alphabetical)."""
    counts = Counter(s for s, _ in atoms)
    order = ["C", "H"] if "C" in counts else []
    order += sorted(s for s in counts if s not in order)
    return "".join(s + (str(counts[s]) if counts[s] > 1 else "") for s in order)


def _short(x: float) -> str:
    """Shortest text that reads back as the same float (``1`` rather than ``1.0``)."""
    return str(int(x)) if float(x).is_integer() else repr(float(x))
