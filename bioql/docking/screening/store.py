"""The results of a screen on disk, written as they arrive and safe to resume.

``out/results.csv`` (or, with ``results_format="parquet"``, the Parquet dataset folder
``out/results.parquet/``) has one row per ligand; ``out/best_poses.sdf`` one record (the best
pose) per docked ligand; ``out/screen.json`` the settings the rows were computed with.

A batch is appended to the SDF, flushed to disk, then to the results, flushed to disk: a CSV
gets the batch's lines appended, a Parquet dataset one more part file (written under a
temporary name, then renamed into place). A run killed in the middle of a write leaves at most
a torn last line (CSV), a temporary part file (Parquet) or a torn SDF record; on resume the
torn piece is dropped and the SDF is rewritten to hold exactly one record per recorded docked
ligand, so a ligand is either fully recorded or docked again, never recorded twice. At the end
of a run the Parquet parts are merged into one file.

Rerunning into a folder that holds the other format's results continues from them: they are
rewritten in the format asked for (written in full before the old file is removed).
"""

from __future__ import annotations

import csv
import io
import json
import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from bioql.errors import BioQLDockingError

RESULTS = "results.csv"
PARQUET_RESULTS = "results.parquet"
RESULTS_FORMATS = ("csv", "parquet")
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
        """The CSV row (numbers as text: 3 decimals for scores, 2 for seconds)."""
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


Row = dict[str, str]  # one ligand's results as CSV text, by column name


class _Table(Protocol):
    path: Path

    def exists(self) -> bool: ...
    def create(self, rows: list[Row]) -> None: ...  # replace whatever is there by ``rows``
    def recover(self) -> list[Row]: ...  # what is recorded, after dropping torn pieces
    def append(self, rows: list[Row]) -> None: ...  # one batch, atomically
    def rows(self) -> list[Row]: ...
    def finish(self) -> None: ...  # end of a run
    def remove(self) -> None: ...


class _CsvTable:
    def __init__(self, out: Path) -> None:
        self.path = out / RESULTS

    def exists(self) -> bool:
        return self.path.is_file()

    def create(self, rows: list[Row]) -> None:
        _replace(self.path, _csv_text([list(COLUMNS), *([r[c] for c in COLUMNS] for r in rows)]))

    def recover(self) -> list[Row]:
        _cut_torn_line(self.path)
        return self.rows()

    def append(self, rows: list[Row]) -> None:
        _append(self.path, _csv_text([r[c] for c in COLUMNS] for r in rows))

    def rows(self) -> list[Row]:
        with self.path.open(newline="", encoding="utf-8") as handle:
            return list(csv.DictReader(handle))

    def finish(self) -> None:
        pass

    def remove(self) -> None:
        self.path.unlink()


class _ParquetTable:
    """A Parquet dataset: a folder of ``part-NNNNNN.parquet`` files, one per batch written,
    read as one table by pandas, pyarrow, polars or DuckDB (``pd.read_parquet(folder)``)."""

    def __init__(self, out: Path) -> None:
        try:
            import pyarrow as pa
            import pyarrow.parquet as pq
        except ImportError:
            raise BioQLDockingError(
                "Parquet results need pyarrow: pip install 'bioql[docking]' (or pyarrow), or "
                "write CSV results (results_format='csv', --format csv)."
            ) from None
        self.pa, self.pq = pa, pq
        self.path = out / PARQUET_RESULTS
        self.schema = pa.schema(
            [
                ("name", pa.string()),
                ("smiles", pa.string()),
                ("status", pa.string()),
                ("best_score_kcal_mol", pa.float64()),
                ("pose_scores_kcal_mol", pa.list_(pa.float64())),
                ("seconds", pa.float64()),
                ("error", pa.string()),
            ]
        )

    def exists(self) -> bool:
        return self.path.is_dir()

    def create(self, rows: list[Row]) -> None:
        self.path.mkdir(exist_ok=True)
        old = self._parts()
        self._write(rows)  # an empty run still leaves a readable (empty) dataset
        for part in old:
            part.unlink()

    def recover(self) -> list[Row]:
        for tmp in self.path.glob("*.tmp"):
            tmp.unlink()  # a part whose writing was interrupted: its ligands are docked again
        rows: list[Row] = []
        for part in self._parts():
            try:
                rows += self._read(part)
            except (OSError, self.pa.ArrowException):
                part.unlink()  # unreadable (cut by a crash before it reached the disk)
        unique: dict[str, Row] = {}  # the first row of each name
        for row in rows:
            unique.setdefault(row["name"], row)
        if len(unique) < len(rows):  # a merge of the parts was interrupted: finish it
            self.create(list(unique.values()))
        return list(unique.values())

    def append(self, rows: list[Row]) -> None:
        self._write(rows)

    def rows(self) -> list[Row]:
        return [row for part in self._parts() for row in self._read(part)]

    def finish(self) -> None:
        if len(self._parts()) > 1:
            self.create(self.rows())

    def remove(self) -> None:
        for part in self.path.iterdir():
            part.unlink()
        self.path.rmdir()

    def _parts(self) -> list[Path]:
        return sorted(self.path.glob("part-*.parquet"))

    def _write(self, rows: list[Row]) -> None:
        parts = self._parts()
        number = int(parts[-1].stem.split("-")[1]) + 1 if parts else 0
        path = self.path / f"part-{number:06d}.parquet"
        columns: dict[str, list[Any]] = {c: [] for c in COLUMNS}
        for row in rows:
            for column in ("name", "smiles", "status", "error"):
                columns[column].append(row[column])
            best = row["best_score_kcal_mol"]
            columns["best_score_kcal_mol"].append(float(best) if best else None)
            scores = row["pose_scores_kcal_mol"]
            columns["pose_scores_kcal_mol"].append([float(v) for v in scores.split(";") if v])
            columns["seconds"].append(float(row["seconds"] or 0))
        table = self.pa.table(columns, schema=self.schema)
        tmp = path.with_name(path.name + ".tmp")
        with tmp.open("wb") as handle:
            self.pq.write_table(table, handle)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)

    def _read(self, part: Path) -> list[Row]:
        rows = []
        for record in self.pq.read_table(part).to_pylist():
            best, scores = record["best_score_kcal_mol"], record["pose_scores_kcal_mol"] or []
            rows.append(
                {
                    "name": record["name"],
                    "smiles": record["smiles"],
                    "status": record["status"],
                    "best_score_kcal_mol": "" if best is None else f"{best:.3f}",
                    "pose_scores_kcal_mol": ";".join(f"{v:.3f}" for v in scores),
                    "seconds": f"{record['seconds']:.2f}",
                    "error": record["error"] or "",
                }
            )
        return rows


def _table(out: Path, results_format: str) -> _Table:
    if results_format == "csv":
        return _CsvTable(out)
    if results_format == "parquet":
        return _ParquetTable(out)
    raise BioQLDockingError(f"results_format must be 'csv' or 'parquet'; got {results_format!r}.")


class ResultStore:
    """The results folder of one screen: what is done, and appending what arrives."""

    def __init__(
        self, out: str | Path, settings: dict[str, Any], results_format: str = "csv"
    ) -> None:
        self.out = Path(out)
        self._table = _table(self.out, results_format)
        self.out.mkdir(parents=True, exist_ok=True)
        self.results_path = self._table.path
        self.results_format = results_format
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
        self._table.append([dict(zip(COLUMNS, r.row(), strict=True)) for r in new])
        self.done.update((r.name, r.status) for r in new)
        return new

    def rows(self) -> list[Row]:
        return self._table.rows()

    def finish(self) -> None:
        """End of a run: the Parquet parts written batch by batch are merged into one file."""
        self._table.finish()

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
        if self._table.exists():
            rows = self._table.recover()
        else:
            rows = self._migrate()
            self._table.create(rows)
        for other in self._others():
            other.remove()  # migrated, now or by an earlier run stopped before removing it
        if not rows:
            _replace(self.poses_path, "")
            return {}
        done: dict[str, str] = {}
        for row in rows:
            done.setdefault(row["name"], row["status"])
        self._resync_poses({n for n, status in done.items() if status == DOCKED})
        return done

    def _others(self) -> list[_Table]:
        others: list[_Table] = []
        for fmt in RESULTS_FORMATS:
            if fmt == self.results_format:
                continue
            path = self.out / (RESULTS if fmt == "csv" else PARQUET_RESULTS)
            if path.exists():
                others.append(_table(self.out, fmt))
        return others

    def _migrate(self) -> list[Row]:
        """The rows of the other format's results in this folder (none for a new screen)."""
        for other in self._others():
            return other.recover()
        return []

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


def _csv_text(rows: Iterable[list[str]]) -> str:
    text = io.StringIO()
    csv.writer(text, lineterminator="\n").writerows(rows)
    return text.getvalue()


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
