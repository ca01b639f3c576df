"""Reading a ligand library: ``.smi``, ``.csv``, ``.sdf`` or a Python iterable → named SMILES.

Reading never fails on one bad molecule: a record that cannot be read becomes an entry with an
``error``, which the screen records as failed. Names are the key that makes a run resumable, so
they must be unique; a repeated name gets ``#2``, ``#3``... in library order, which is the same
on every run.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from rdkit import Chem

from bioql.docking.ligand import quiet_rdkit
from bioql.errors import BioQLDockingError

FORMATS = (".smi", ".smiles", ".csv", ".tsv", ".sdf")
_SMILES_COLUMNS = ("smiles", "canonical_smiles", "isomeric_smiles", "smi")
_NAME_COLUMNS = ("name", "id", "title", "compound_id", "zinc_id", "mol_id", "molecule")


@dataclass(frozen=True)
class LibraryEntry:
    name: str
    smiles: str
    error: str = ""  # set when the record itself could not be read


def read_library(ligands: str | Path | Iterable[object]) -> list[LibraryEntry]:
    """Every ligand of ``ligands`` in order, with unique names."""
    if isinstance(ligands, str | Path):
        entries = list(_read_file(Path(ligands)))
    elif isinstance(ligands, Iterable):
        entries = [_from_item(item, i) for i, item in enumerate(ligands, start=1)]
    else:
        raise BioQLDockingError(
            f"ligands must be a file ({', '.join(FORMATS)}) or an iterable of SMILES strings, "
            f"(SMILES, name) pairs or RDKit molecules; got {type(ligands).__name__}."
        )
    if not entries:
        raise BioQLDockingError("The ligand library is empty: there is nothing to screen.")
    return _unique_names(entries)


def _read_file(path: Path) -> Iterator[LibraryEntry]:
    if not path.is_file():
        raise BioQLDockingError(
            f"Ligand library {str(path)!r} does not exist. Pass a .smi/.csv/.sdf file or a list "
            "of SMILES strings."
        )
    suffix = path.suffix.lower()
    if suffix in (".smi", ".smiles"):
        return _read_smi(path)
    if suffix in (".csv", ".tsv"):
        return _read_csv(path, "\t" if suffix == ".tsv" else ",")
    if suffix == ".sdf":
        return _read_sdf(path)
    raise BioQLDockingError(
        f"Ligand library {path.name!r}: unsupported format {suffix or '(none)'}; use one of "
        f"{', '.join(FORMATS)}."
    )


def _read_smi(path: Path) -> Iterator[LibraryEntry]:
    """SMILES, whitespace, optional name (the Daylight .smi layout); ``#`` starts a comment."""
    for number, line in enumerate(path.read_text().splitlines(), start=1):
        text = line.strip()
        if not text or text.startswith("#"):
            continue
        smiles, *rest = text.split(None, 1)
        if number == 1 and smiles.lower() in _SMILES_COLUMNS:
            continue  # a header line
        name = rest[0].strip() if rest else ""
        yield LibraryEntry(name or f"{path.stem}_{number}", smiles)


def _read_csv(path: Path, delimiter: str) -> Iterator[LibraryEntry]:
    with path.open(newline="") as handle:
        reader = csv.DictReader(handle, delimiter=delimiter)
        columns = {c.strip().lower(): c for c in reader.fieldnames or []}
        smiles_col = next((columns[c] for c in _SMILES_COLUMNS if c in columns), None)
        if smiles_col is None:
            raise BioQLDockingError(
                f"{path.name}: no SMILES column among {list(columns)}; name it 'smiles' (and "
                "the identifier column 'name')."
            )
        name_col = next((columns[c] for c in _NAME_COLUMNS if c in columns), None)
        for number, row in enumerate(reader, start=2):
            name = (row.get(name_col) or "").strip() if name_col else ""
            yield LibraryEntry(name or f"{path.stem}_{number}", (row[smiles_col] or "").strip())


def _read_sdf(path: Path) -> Iterator[LibraryEntry]:
    with quiet_rdkit(), path.open("rb") as handle:
        for number, mol in enumerate(Chem.ForwardSDMolSupplier(handle), start=1):
            if mol is None:
                yield LibraryEntry(
                    f"{path.stem}_{number}", "", f"SDF record {number} could not be read by RDKit"
                )
                continue
            name = mol.GetProp("_Name").strip() if mol.HasProp("_Name") else ""
            yield LibraryEntry(name or f"{path.stem}_{number}", Chem.MolToSmiles(mol))


def _from_item(item: object, number: int) -> LibraryEntry:
    if isinstance(item, str):
        return LibraryEntry(f"ligand_{number}", item.strip())
    if isinstance(item, Chem.Mol):
        name = item.GetProp("_Name").strip() if item.HasProp("_Name") else ""
        return LibraryEntry(name or f"ligand_{number}", Chem.MolToSmiles(item))
    if isinstance(item, tuple | list) and len(item) == 2 and all(isinstance(v, str) for v in item):
        smiles, name = item
        return LibraryEntry(name.strip() or f"ligand_{number}", smiles.strip())
    raise BioQLDockingError(
        f"Ligand {number} of the iterable is {item!r}; give SMILES strings, (SMILES, name) pairs "
        "or RDKit molecules."
    )


def _unique_names(entries: list[LibraryEntry]) -> list[LibraryEntry]:
    used: set[str] = set()
    unique = []
    for entry in entries:
        base = " ".join(entry.name.split())  # one line: the name is an SDF title
        name, count = base, 1
        while name in used:
            count += 1
            name = f"{base}#{count}"
        used.add(name)
        unique.append(LibraryEntry(name, entry.smiles, entry.error))
    return unique
