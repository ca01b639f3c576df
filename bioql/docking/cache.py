"""On-disk cache of prepared receptors, keyed by the atoms read from the file and the options.

Preparing a receptor (repair, Meeko templates, PDBQT) takes seconds; docking many ligands
into one receptor, or the same receptor in several sessions, should pay that once. The key
is a SHA-256 of the file's atom records (what preparation reads), the box, the preparation
options and the versions of BioQL's preparation and of Meeko, so any change to one of them
prepares again. Entries live in ``$BIOQL_CACHE_DIR/receptors`` (default
``~/.cache/bioql/receptors``), one JSON file each; a damaged entry is prepared again.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from collections.abc import Callable
from dataclasses import fields
from pathlib import Path
from typing import Any

from bioql.docking.box import Box
from bioql.docking.prepared import PreparedReceptor
from bioql.docking.structure import Structure

# Bump when a change to preparation changes its output for the same input.
PREPARATION_VERSION = "2"


def cache_dir() -> Path:
    root = os.environ.get("BIOQL_CACHE_DIR") or Path.home() / ".cache" / "bioql"
    return Path(root) / "receptors"


def receptor_key(structure: Structure, box: Box, options: dict[str, Any]) -> str:
    """The cache key: file content (atom and SEQRES records), box, options, versions."""
    from meeko import __version__ as meeko_version

    digest = hashlib.sha256()
    for residue in structure.residues:
        for atom in residue.atoms:
            digest.update(atom.line.encode())
            digest.update(b"\n")
    settings = {
        "seqres": structure.seqres,
        "box": [list(box.center), list(box.size)],
        "options": options,
        "versions": [PREPARATION_VERSION, meeko_version],
    }
    digest.update(json.dumps(settings, sort_keys=True, default=list).encode())
    return digest.hexdigest()


def cached_receptor(
    structure: Structure,
    box: Box,
    options: dict[str, Any],
    prepare: Callable[[], PreparedReceptor],
) -> PreparedReceptor:
    """The cached preparation for this key, else ``prepare()`` stored under it."""
    path = cache_dir() / f"{receptor_key(structure, box, options)}.json"
    found = _load(path)
    if found is not None:
        return found
    receptor = prepare()
    _store(path, receptor)
    return receptor


def _load(path: Path) -> PreparedReceptor | None:
    try:
        data = json.loads(path.read_text())
    except (OSError, ValueError):
        return None
    from meeko import Polymer

    polymer_json = data.pop("polymer", None)
    try:
        receptor = PreparedReceptor(**data)
        receptor.polymer = Polymer.from_json(polymer_json) if polymer_json else None
    except Exception:  # an entry from another version or a damaged file: prepare again
        return None
    receptor.from_cache = True
    return receptor


def _store(path: Path, receptor: PreparedReceptor) -> None:
    """Written to a temporary file and renamed: concurrent readers never see half a file."""
    data = {f.name: getattr(receptor, f.name) for f in fields(receptor)}
    data["polymer"] = receptor.polymer.to_json() if receptor.polymer is not None else None
    data["from_cache"] = False
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile("w", dir=path.parent, delete=False) as handle:
            json.dump(data, handle)
        os.replace(handle.name, path)
    except OSError:
        pass  # a read-only home: the cache is an optimisation, preparation still succeeded
