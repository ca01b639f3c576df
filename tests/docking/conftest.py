"""Shared data for the docking tests: the three PDB complexes shipped in tests/data/pdb."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

DATA = Path(__file__).resolve().parents[1] / "data" / "pdb"

# Crystal ligands as SMILES. 1s3v's SDF carries a mis-assigned bond order (an sp3 C2 in the
# pyrimidine); the SMILES here is the real 2,4-diaminotetrahydroquinazoline.
LIGANDS = {
    "1ia1": "Nc1nc(N)c2c(Sc3ccccc3)cccc2n1",
    "1s3v": "COc1cc(N(C)C[C@@H]2CCc3nc(N)nc(N)c3C2)cc(OC)c1OC",
    "1uou": "N=C1CCCN1Cc1[nH]c(=O)[nH]c(=O)c1Cl",
}


def protein(code: str) -> Path:
    return DATA / f"{code}_protein.pdb"


def crystal_ligand(code: str) -> Path:
    return DATA / f"{code}_ligand.sdf"


@pytest.fixture(scope="session")
def ia1_result():
    """One modest redocking of 1ia1, shared by the tests that inspect a DockingResult."""
    from bioql.docking import dock

    return dock(
        "Redock TQ3 into Candida albicans DHFR",
        ligand_smiles=LIGANDS["1ia1"],
        protein_pdb=protein("1ia1"),
        reference_ligand=crystal_ligand("1ia1"),
        exhaustiveness=4,
        cpu=1,
    )


def ligand_hetatm_lines(code: str, resname: str, chain: str = "B", number: int = 300) -> list[str]:
    """The crystal ligand written back as PDB HETATM records (a 'leftover' group in a file)."""
    from rdkit import Chem

    mol = Chem.MolFromMolFile(str(crystal_ligand(code)), sanitize=False)
    lines = []
    for atom, xyz in zip(mol.GetAtoms(), mol.GetConformer().GetPositions(), strict=True):
        name = f"{atom.GetSymbol()}{atom.GetIdx() + 1}"
        lines.append(
            f"HETATM{atom.GetIdx() + 9000:5d} {name:<4} {resname:>3} {chain}{number:4d}    "
            f"{xyz[0]:8.3f}{xyz[1]:8.3f}{xyz[2]:8.3f}  1.00  0.00          {atom.GetSymbol():>2}"
        )
    return lines


def write_pdb(path: Path, code: str, extra: list[str]) -> Path:
    body = [line for line in protein(code).read_text().splitlines() if not line.startswith("END")]
    path.write_text("\n".join(body + extra + ["END"]) + "\n")
    return path


@pytest.fixture(autouse=True, scope="session")
def _receptor_cache(tmp_path_factory: pytest.TempPathFactory):
    """Prepared receptors are cached per test session, never in the developer's ~/.cache."""
    import os

    previous = os.environ.get("BIOQL_CACHE_DIR")
    os.environ["BIOQL_CACHE_DIR"] = str(tmp_path_factory.mktemp("bioql_cache"))
    yield
    if previous is None:
        os.environ.pop("BIOQL_CACHE_DIR", None)
    else:
        os.environ["BIOQL_CACHE_DIR"] = previous


def dockstring_target(name: str, folder: Path):
    """A dockstring target as a user would get it: its PDBQT from the dockstring wheel
    converted to PDB with Open Babel, and its box from the wheel's config file."""
    from dockstring.utils import get_targets_dir
    from openbabel import openbabel as ob

    from bioql.docking.box import Box

    source = get_targets_dir() / f"{name}_target.pdbqt"
    pdb = folder / f"{name}.pdb"
    if not pdb.exists():
        conversion = ob.OBConversion()
        conversion.SetInAndOutFormats("pdbqt", "pdb")
        mol = ob.OBMol()
        conversion.ReadFile(mol, str(source))
        conversion.WriteFile(mol, str(pdb))
    conf = {}
    for line in (get_targets_dir() / f"{name}_conf.txt").read_text().splitlines():
        if "=" in line:
            key, value = line.split("=")
            conf[key.strip()] = float(value)
    center = (conf["center_x"], conf["center_y"], conf["center_z"])
    size = (conf["size_x"], conf["size_y"], conf["size_z"])
    return pdb, Box(center, size, f"dockstring {name} box")


@pytest.fixture
def no_network():
    """The list of network events (socket creation, DNS lookup, connect) while the test runs:
    a test asserts it stays empty. Python's audit hooks see every socket, whatever library
    opens it."""
    events: list[str] = []
    _NETWORK_LISTENERS.append(events)
    yield events
    _NETWORK_LISTENERS.remove(events)


_NETWORK_LISTENERS: list[list[str]] = []
_NETWORK_EVENTS = ("socket.__new__", "socket.connect", "socket.getaddrinfo", "urllib.Request")


def _audit(event: str, args: tuple) -> None:
    if event in _NETWORK_EVENTS:
        for listener in _NETWORK_LISTENERS:
            listener.append(f"{event} {args!r}"[:200])


sys.addaudithook(_audit)  # audit hooks cannot be removed; it records only while listened to
