"""The results of a screen on disk, written as they arrive and safe to resume.

``out/results.csv`` has one row per ligand; ``out/best_poses.sdf`` one record (the best pose)
per docked ligand; ``out/screen.json`` the settings the rows were computed with.

A batch is appended to the SDF, flushed to disk, then to the CSV, flushed to disk. A run killed
in the middle of a write leaves at most a torn last line (CSV) or record (SDF); on resume the
torn line is cut off and the SDF is rewritten to hold exactly one record per docked row, so a
ligand is either fully recorded or docked again, never recorded twice.
"""

from __future__ import annotations

import csv
import io
import json
import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bioql.errors import BioQLDockingError

RESULTS = "results.csv"
POSES = "best_poses.sdf"
MANIFEST = "screen.json"
COLUMNS = (
    "name",
    "smiles",
    "status",
    "best_score_kcal_mol",
    "pose_scores_kcal_mol",
    "seconds",
    "error",
)
DOCKED, FAILED = "docked", "failed"
_SDF_END = "$$$$\n"


@dataclass
class LigandResult:
    """One ligand's outcome; ``pose_molblock`` is the best pose (empty when it failed)."""

    name: str
    smiles: str
    status: str
    best_score: float | None = None
    pose_scores: list[float] = field(default_factory=list)
    seconds: float = 0.0
    error: str = ""
    pose_molblock: str = ""

    def row(self) -> list[str]:
        best = "" if self.best_score is None else f"{self.best_score:.3f}"
        scores = ";".join(f"{s:.3f}" for s in self.pose_scores)
        return [
            self.name,
            self.smiles,
            self.status,
            best,
            scores,
            f"{self.seconds:.2f}",
            self.error,
        ]


class ResultStore:
    """The results folder of one screen: what is done, and appending what arrives."""

    def __init__(self, out: str | Path, settings: dict[str, Any]) -> None:
        self.out = Path(out)
        self.out.mkdir(parents=True, exist_ok=True)
        self.results_path = self.out / RESULTS
        self.poses_path = self.out / POSES
        self._check_settings(settings)
        self.done: dict[str, str] = self._recover()  # name → status

    def write_batch(self, batch: Iterable[LigandResult]) -> list[LigandResult]:
        """Record ``batch``; returns the results recorded (those not recorded before)."""
        new = list({r.name: r for r in batch if r.name not in self.done}.values())
        if not new:
            return []
        poses = "".join(_sdf_record(r) for r in new if r.status == DOCKED)
        if poses:
            _append(self.poses_path, poses)
        text = io.StringIO()
        csv.writer(text, lineterminator="\n").writerows(r.row() for r in new)
        _append(self.results_path, text.getvalue())
        self.done.update((r.name, r.status) for r in new)
        return new

    def rows(self) -> list[dict[str, str]]:
        with self.results_path.open(newline="") as handle:
            return list(csv.DictReader(handle))

    def _check_settings(self, settings: dict[str, Any]) -> None:
        path = self.out / MANIFEST
        if path.is_file():
            earlier = json.loads(path.read_text())
            changed = [
                k for k in sorted(set(settings) | set(earlier)) if settings.get(k) != earlier.get(k)
            ]
            if changed:
                detail = "; ".join(
                    f"{k}: {earlier.get(k)!r} then, {settings.get(k)!r} now" for k in changed
                )
                raise BioQLDockingError(
                    f"{self.out} holds a screen run with other settings ({detail}). Resume it "
                    "with the same settings, or choose a new output folder."
                )
            return
        _replace(path, json.dumps(settings, indent=2, sort_keys=True) + "\n")

    def _recover(self) -> dict[str, str]:
        """What earlier runs recorded, after cutting a torn tail and re-syncing the SDF."""
        if not self.results_path.is_file():
            _replace(self.results_path, ",".join(COLUMNS) + "\n")
            _replace(self.poses_path, "")
            return {}
        _cut_torn_line(self.results_path)
        done: dict[str, str] = {}
        for row in self.rows():
            done.setdefault(row["name"], row["status"])
        self._resync_poses({n for n, status in done.items() if status == DOCKED})
        return done

    def _resync_poses(self, docked: set[str]) -> None:
        text = self.poses_path.read_text() if self.poses_path.is_file() else ""
        records = text.split(_SDF_END)[:-1]  # the piece after the last $$$$ is torn or empty
        kept, seen = [], set()
        for record in records:
            name = record.split("\n", 1)[0]
            if name in docked and name not in seen:
                seen.add(name)
                kept.append(record + _SDF_END)
        if "".join(kept) != text:
            _replace(self.poses_path, "".join(kept))


def _sdf_record(result: LigandResult) -> str:
    block = result.pose_molblock.rstrip("\n").split("\n")
    block[0] = result.name  # the record's title line is its key when resuming
    props = f">  <name>\n{result.name}\n\n>  <score_kcal_mol>\n{result.best_score:.3f}\n\n"
    return "\n".join(block) + "\n" + props + _SDF_END


def _append(path: Path, text: str) -> None:
    with path.open("a", encoding="utf-8", newline="") as handle:
        handle.write(text)
        handle.flush()
        os.fsync(handle.fileno())


def _replace(path: Path, text: str) -> None:
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)


def _cut_torn_line(path: Path) -> None:
    data = path.read_bytes()
    if data and not data.endswith(b"\n"):
        with path.open("r+b") as handle:
            handle.truncate(data.rfind(b"\n") + 1)
