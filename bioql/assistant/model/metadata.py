"""``bioql_model.json``: what every trained model directory records about itself, and
where models live (``BIOQL_HOME/models``).

The prompt-format version in it is checked on load, so a model trained on one format is
never served with another (one of the seeds' failure causes).
"""

from __future__ import annotations

import functools
import hashlib
import json
from pathlib import Path
from typing import Any

from bioql.config import bioql_home
from bioql.errors import BioQLAssistantError

MODEL_INFO_FILE = "bioql_model.json"
BASE_INFO_FILE = "bioql_base.json"


def models_dir() -> Path:
    path = bioql_home() / "models"
    path.mkdir(parents=True, exist_ok=True)
    return path


def write_model_info(directory: Path, info: dict[str, Any]) -> None:
    (Path(directory) / MODEL_INFO_FILE).write_text(json.dumps(info, indent=2, default=str) + "\n")


def read_model_info(directory: Path | str) -> dict[str, Any]:
    path = Path(directory) / MODEL_INFO_FILE
    if not path.is_file():
        raise BioQLAssistantError(
            f"{directory} has no {MODEL_INFO_FILE}, so its prompt-format version is unknown; "
            "only models trained with `bioql train` can be served."
        )
    try:
        return json.loads(path.read_text())
    except json.JSONDecodeError as exc:
        raise BioQLAssistantError(f"{path} is not valid JSON: {exc}.") from None


def weights_sha256(directory: Path | str) -> str | None:
    """SHA-256 of a model's weights: the fetch record if present, else hashed from the files."""
    directory = Path(directory)
    base_info = directory / BASE_INFO_FILE
    if base_info.is_file():
        recorded = json.loads(base_info.read_text()).get("weights_sha256")
        if recorded:
            return recorded
    files = sorted(directory.glob("*.safetensors")) or sorted(directory.glob("*.bin"))
    if not files:
        return None
    digest = hashlib.sha256()
    for file in files:
        with open(file, "rb") as handle:
            for block in iter(functools.partial(handle.read, 1 << 20), b""):
                digest.update(block)
    return digest.hexdigest()
