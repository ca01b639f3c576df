"""``screen()``: dock a ligand library against one receptor, resumably, on many processes."""

from __future__ import annotations

import hashlib
import os
import time
import warnings
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from bioql.docking import box as boxes
from bioql.docking.api import DockingWarning
from bioql.docking.receptor import PreparedReceptor, prepare_receptor
from bioql.docking.screening.engine import connect, dock_all
from bioql.docking.screening.library import LibraryEntry, read_library
from bioql.docking.screening.progress import OnProgress, progress_bar
from bioql.docking.screening.report import write_report
from bioql.docking.screening.store import (
    DOCKED,
    FAILED,
    RESULTS_FORMATS,
    LigandResult,
    ResultStore,
)
from bioql.docking.screening.worker import DockSettings
from bioql.docking.stereo import DEFAULT_MAX_ISOMERS
from bioql.docking.structure import read_pdb
from bioql.errors import BioQLDockingError

# Results are written at least this often (seconds), and whenever this many have arrived.
_FLUSH_SECONDS = 2.0
_FLUSH_RESULTS = 64


@dataclass
class ScreenSummary:
    """What a screen did; ``results``/``report``/``poses`` are the files it wrote."""

    ligands: int  # in the library
    docked: int  # docked by this run
    failed: int  # failed in this run (bad SMILES, unsupported element, ...)
    skipped: int  # already recorded by an earlier run into the same folder
    results: str
    report: str
    poses: str
    seconds: float
    workers: int  # worker processes (threads on a cluster) that docked; 0 if none was needed
    cluster: str | None
    box: dict[str, Any]
    top: list[dict[str, Any]] = field(default_factory=list)  # best ligands of the whole folder
    warnings: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    def __str__(self) -> str:
        lines = [
            f"{self.ligands} ligands: {self.docked} docked, {self.failed} failed, "
            f"{self.skipped} already done ({self.seconds:.0f} s, {self.workers} workers)",
            *(f"  {t['rank']:>3}. {t['name']}  {t['score']:.2f} kcal/mol" for t in self.top[:5]),
            f"results: {self.results}",
            f"report:  {self.report}",
        ]
        return "\n".join(lines)


def screen(
    ligands: str | Path | Iterable[object],
    protein_pdb: str | Path,
    *,
    reference_ligand: str | Path | None = None,
    box_from: str | Path | None = None,
    center: str | Sequence[float] | None = None,
    size: str | Sequence[float] | None = None,
    padding: float = boxes.DEFAULT_PADDING,
    exhaustiveness: int = 8,
    num_poses: int = 9,
    energy_range: float = 3.0,
    seed: int = 1,
    ph: float | None = 7.4,
    ring_conformers: int = 3,
    max_stereoisomers: int = DEFAULT_MAX_ISOMERS,
    keep_hetero: list[str] | None = None,
    remove_hetero: list[str] | None = None,
    cofactor_smiles: dict[str, str] | None = None,
    workers: int | None = None,
    cluster: str | None = None,
    out: str | Path = "screen_results",
    results_format: str = "csv",
    top: int = 25,
    progress: bool | OnProgress = True,
) -> ScreenSummary:
    """Dock every ligand of ``ligands`` into ``protein_pdb`` and rank them by Vina score.

    ``ligands`` is a ``.smi``/``.csv`` (SMILES and name columns) or ``.sdf`` file, or an
    iterable of SMILES strings, ``(SMILES, name)`` pairs or RDKit molecules. The box options
    are those of :func:`bioql.docking.dock`, and so are ``ring_conformers`` and
    ``max_stereoisomers`` (stereocentres a SMILES leaves open are enumerated, every isomer is
    docked and the best pose kept). The receptor is prepared once; each ligand is prepared and
    docked in a worker: ``workers`` local processes (default: every core), or the workers of
    the Dask scheduler at ``cluster``. Results are written as they arrive, a batch at a time,
    to ``out/results.csv`` (``results_format="parquet"``: the Parquet dataset
    ``out/results.parquet/``, which needs pyarrow) and ``out/best_poses.sdf``; rerunning into
    the same ``out`` skips the ligands already recorded, whichever format recorded them. A
    ligand that cannot be prepared or docked is recorded with its error and the screen goes
    on. Ends by writing ``out/report.html``.
    """
    started = time.perf_counter()
    workers = _check_arguments(exhaustiveness, num_poses, workers, cluster, top)
    if not isinstance(max_stereoisomers, int) or max_stereoisomers < 1:
        raise BioQLDockingError(
            f"max_stereoisomers must be a positive integer; got {max_stereoisomers!r}."
        )
    if results_format not in RESULTS_FORMATS:
        raise BioQLDockingError(
            f"results_format must be 'csv' or 'parquet'; got {results_format!r}."
        )
    entries = read_library(ligands)
    settings, box, notes = _prepare_target(
        protein_pdb,
        dict(reference_ligand=reference_ligand, box_from=box_from, center=center, size=size),
        padding,
        dict(keep_hetero=keep_hetero, remove_hetero=remove_hetero, cofactor_smiles=cofactor_smiles),
        dict(
            exhaustiveness=exhaustiveness,
            num_poses=num_poses,
            seed=seed,
            ph=ph,
            ring_conformers=ring_conformers,
            energy_range=energy_range,
            max_stereoisomers=max_stereoisomers,
        ),
    )
    store = ResultStore(out, _manifest(settings), results_format)
    (store.out / "receptor.pdbqt").write_text(settings.receptor_pdbqt)
    todo = [e for e in entries if e.name not in store.done]
    counts = _run(store, settings, todo, workers, cluster, progress)
    store.finish()
    for note in notes:
        warnings.warn(note, DockingWarning, stacklevel=2)
    report, best = write_report(store, top=top, box=box.to_dict())
    return ScreenSummary(
        ligands=len(entries),
        docked=counts[DOCKED],
        failed=counts[FAILED],
        skipped=len(entries) - len(todo),
        results=str(store.results_path),
        report=str(report),
        poses=str(store.poses_path),
        seconds=round(time.perf_counter() - started, 2),
        workers=counts["workers"],
        cluster=cluster,
        box=box.to_dict(),
        top=best,
        warnings=notes,
    )


def _check_arguments(
    exhaustiveness: int, num_poses: int, workers: int | None, cluster: str | None, top: int
) -> int:
    if not isinstance(exhaustiveness, int) or not 1 <= exhaustiveness <= 512:
        raise BioQLDockingError(f"exhaustiveness must be an integer 1-512; got {exhaustiveness!r}.")
    if not isinstance(num_poses, int) or not 1 <= num_poses <= 100:
        raise BioQLDockingError(f"num_poses must be an integer 1-100; got {num_poses!r}.")
    if not isinstance(top, int) or top < 0:
        raise BioQLDockingError(f"top must be a whole number of ligands >= 0; got {top!r}.")
    if workers is None:
        return os.cpu_count() or 1
    if not isinstance(workers, int) or workers < 1:
        raise BioQLDockingError(
            f"workers must be a positive integer (local worker processes); got {workers!r}."
        )
    if cluster:
        warnings.warn(
            "workers is ignored with cluster: the cluster's own workers dock the ligands.",
            DockingWarning,
            stacklevel=3,
        )
    return workers


def _prepare_target(
    protein_pdb: str | Path,
    box_options: dict[str, Any],
    padding: float,
    hetero_options: dict[str, Any],
    search: dict[str, Any],
) -> tuple[DockSettings, boxes.Box, list[str]]:
    """Box and receptor, prepared once for the whole library (as ``dock()`` prepares them)."""
    structure = read_pdb(protein_pdb)
    site = boxes.make_box(structure, padding=padding, **box_options)
    box, exclude, notes = site.box, site.exclude, list(site.notes)
    boxes.check_pocket(box, structure)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        receptor: PreparedReceptor = prepare_receptor(
            structure,
            box,
            exclude=exclude,
            trim=box.source != "whole protein (blind docking)",
            **hetero_options,
        )
    notes += [str(w.message) for w in caught]
    return DockSettings(receptor.pdbqt, box.center, box.size, **search), box, notes


def _manifest(settings: DockSettings) -> dict[str, Any]:
    """What must not change between a run and its resumption."""
    values = asdict(settings)
    values["receptor_sha256"] = hashlib.sha256(values.pop("receptor_pdbqt").encode()).hexdigest()
    values["center"], values["size"] = list(settings.center), list(settings.size)
    if values["max_stereoisomers"] == DEFAULT_MAX_ISOMERS:
        del values["max_stereoisomers"]  # folders screened before the option resume as they are
    return values


def _run(
    store: ResultStore,
    settings: DockSettings,
    todo: list[LibraryEntry],
    workers: int,
    cluster: str | None,
    progress: bool | OnProgress,
) -> dict[str, int]:
    counts = {DOCKED: 0, FAILED: 0, "workers": 0}
    unreadable = [LigandResult(e.name, e.smiles, FAILED, error=e.error) for e in todo if e.error]
    counts[FAILED] += len(store.write_batch(unreadable))
    dockable = [e for e in todo if not e.error]
    if not dockable:
        return counts
    show = progress if callable(progress) else None
    with progress_bar(len(todo), "Screening", enabled=progress is True) as bar:
        report = show or bar
        report(len(unreadable), len(todo))
        with connect(workers, cluster) as client:
            counts["workers"] = sum(client.nthreads().values())
            _collect(store, dock_all(client, settings, dockable), counts, report, len(todo))
    return counts


def _collect(
    store: ResultStore,
    results: Iterator[LigandResult],
    counts: dict[str, int],
    report: OnProgress,
    total: int,
) -> None:
    """Write results in batches as they arrive; whatever has arrived is written on any exit."""
    batch: list[LigandResult] = []
    last_flush = time.monotonic()
    done = counts[FAILED]
    try:
        for result in results:
            batch.append(result)
            done += 1
            if len(batch) >= _FLUSH_RESULTS or time.monotonic() - last_flush > _FLUSH_SECONDS:
                _flush(store, batch, counts)
                last_flush = time.monotonic()
            report(done, total)
    finally:
        _flush(store, batch, counts)


def _flush(store: ResultStore, batch: list[LigandResult], counts: dict[str, int]) -> None:
    for result in store.write_batch(batch):
        counts[result.status] += 1
    batch.clear()
