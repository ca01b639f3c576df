"""Screening throughput: ligands per hour on one receptor, box and exhaustiveness.

Target: dockstring's DRD2 (its receptor PDBQT, heavy atoms written back as PDB for BioQL's own
preparation) with dockstring's search box, exhaustiveness 8 (what dockstring runs), seed 1.
Every run starts from SMILES and includes receptor preparation:

- ``vina loop``: the loop a user writes with the ``vina`` Python API, one process, one thread:
  receptor prepared once (BioQL/Meeko), then per ligand RDKit embedding + Meeko PDBQT, a
  ``Vina`` object, ``set_receptor``, ``set_ligand_from_string``, ``compute_vina_maps``, ``dock``;
- ``screen() 1 worker`` / ``2 workers``: the local Dask pool;
- ``screen() cluster``: a running Dask scheduler + 2 single-threaded workers on 127.0.0.1;
- ``dockstring``: ``load_target("DRD2").dock(smiles, num_cpus=1)`` per ligand (its own
  OpenBabel protonation and Vina 1.1.2 binary; needs Debian's ``openbabel`` package).

screen() runs with ring_conformers=1 and max_stereoisomers=1 so every method docks one
conformer of one isomer per ligand (amphetamine's open stereocentre would otherwise be docked
as both enantiomers).

The machine may be shared, so the vina loop and the three screen() runs are repeated in rounds
(``--repeat``, interleaved: loop, 1 worker, 2 workers, cluster, then again) and reported as
median and range; ratios are taken within a round, then their median and range. The cluster
is started afresh (untimed) before each of its runs, so its workers start as cold as the local
pool's. dockstring runs once, after the rounds. The 1-minute load average is sampled every
2 s during each run.

    .venv/bin/pip install -e ".[bench]" && apt-get install openbabel
    .venv/bin/python benchmarks/docking/bench_screen.py [--ligands 6] [--repeat 3]

Writes screen.json and SCREEN_RESULTS.md next to this script.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import shlex
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from functools import partial
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
EXHAUSTIVENESS = 8
SEED = 1
# Small drug-like molecules (dopaminergic and others), so the run stays modest on 2 cores.
LIBRARY = {
    "dopamine": "NCCc1ccc(O)c(O)c1",
    "tyramine": "NCCc1ccc(O)cc1",
    "amphetamine": "CC(N)Cc1ccccc1",
    "serotonin": "NCCc1c[nH]c2ccc(O)cc12",
    "paracetamol": "CC(=O)Nc1ccc(O)cc1",
    "nicotine": "CN1CCC[C@H]1c1cccnc1",
    "salicylamide": "NC(=O)c1ccccc1O",
    "phenelzine": "NNCCc1ccccc1",
    "caffeine": "Cn1cnc2c1c(=O)n(C)c(=O)n2C",
    "isoniazid": "NNC(=O)c1ccncc1",
    "benzocaine": "CCOC(=O)c1ccc(N)cc1",
    "metformin": "CN(C)C(=N)NC(=N)N",
    "benzylamine": "NCc1ccccc1",
    "histamine": "NCCc1c[nH]cn1",
    "mescaline": "COc1cc(CCN)cc(OC)c1OC",
    "phenylephrine": "CNC[C@H](O)c1cccc(O)c1",
}


def cpu_seconds(extra: list[subprocess.Popen] | None = None) -> float:
    """CPU time of this process, its finished (waited-for) descendants, and ``extra``
    processes still running (the cluster's workers): contention-proof, unlike wall time."""
    import psutil

    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    total = time.process_time() + children.ru_utime + children.ru_stime
    for proc in extra or []:
        root = psutil.Process(proc.pid)  # a nanny; the worker is its child
        for each in [root, *root.children(recursive=True)]:
            times = each.cpu_times()
            total += times.user + times.system
    return total


def dockstring_target() -> tuple[Path, dict[str, float]]:
    """DRD2's PDBQT turned into a heavy-atom PDB, and dockstring's box."""
    from dockstring import load_target

    target = load_target("DRD2")
    conf = dict(
        (k.strip(), float(v))
        for k, v in (
            line.split("=") for line in target.conf_path.read_text().splitlines() if "=" in line
        )
    )
    pdb = Path(tempfile.mkdtemp(prefix="bench-screen-")) / "DRD2.pdb"
    lines = []
    for line in target.pdbqt_path.read_text().splitlines():
        ad_type = line[77:].strip()
        if line.startswith(("ATOM", "HETATM")) and ad_type not in ("H", "HD", "HS"):
            element = {"A": "C", "OA": "O", "NA": "N", "SA": "S"}.get(ad_type, ad_type)
            lines.append(f"{line[:66]}          {element:>2}")
    pdb.write_text("\n".join([*lines, "END"]) + "\n")
    return pdb, conf


def box_args(conf: dict[str, float]) -> dict[str, str]:
    return {
        "center": f"{conf['center_x']},{conf['center_y']},{conf['center_z']}",
        "size": f"{conf['size_x']},{conf['size_y']},{conf['size_z']}",
    }


def run_vina_loop(pdb: Path, box: dict[str, str], ligands: dict[str, str]) -> dict[str, Any]:
    from meeko import MoleculePreparation, PDBQTWriterLegacy
    from rdkit import Chem
    from rdkit.Chem import AllChem
    from vina import Vina

    from bioql.docking import box as boxes
    from bioql.docking.receptor import prepare_receptor
    from bioql.docking.structure import read_pdb

    started, cpu = time.perf_counter(), cpu_seconds()
    region = boxes.explicit_box(box["center"], box["size"])
    receptor = prepare_receptor(read_pdb(pdb), region)
    scores = {}
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "receptor.pdbqt"
        path.write_text(receptor.pdbqt)
        for name, smiles in ligands.items():
            mol = Chem.AddHs(Chem.MolFromSmiles(smiles))
            AllChem.EmbedMolecule(mol, randomSeed=SEED)
            AllChem.MMFFOptimizeMolecule(mol)
            setup = MoleculePreparation().prepare(mol)[0]
            text, _ok, _err = PDBQTWriterLegacy.write_string(setup)
            # A fresh Vina per ligand, as dock() does: reusing one object across ligands with
            # per-ligand maps ended this process (Vina 1.2.7 exits on "Affinity map for atom
            # type N_D is not present") on the third ligand here.
            vina = Vina(sf_name="vina", cpu=1, seed=SEED, verbosity=0)
            vina.set_receptor(str(path))
            vina.set_ligand_from_string(text)
            vina.compute_vina_maps(center=list(region.center), box_size=list(region.size))
            vina.dock(exhaustiveness=EXHAUSTIVENESS, n_poses=20)
            scores[name] = float(vina.energies(n_poses=1)[0][0])
    return {
        "seconds": time.perf_counter() - started,
        "cpu_seconds": cpu_seconds() - cpu,
        "cores": 1,
        "scores": scores,
    }


def run_screen(
    pdb: Path,
    box: dict[str, str],
    ligands: dict[str, str],
    workers: int,
    cluster: tuple[str, list[subprocess.Popen]] | None = None,
) -> dict[str, Any]:
    from bioql.docking.screening import screen

    cluster_workers = cluster[1][1:] if cluster else []  # [0] is the scheduler
    with tempfile.TemporaryDirectory() as out:
        started, cpu = time.perf_counter(), cpu_seconds(cluster_workers)
        summary = screen(
            list(zip(ligands.values(), ligands.keys(), strict=True)),
            pdb,
            **box,
            exhaustiveness=EXHAUSTIVENESS,
            seed=SEED,
            ring_conformers=1,
            max_stereoisomers=1,
            workers=None if cluster else workers,
            cluster=cluster[0] if cluster else None,
            out=out,
            progress=False,
        )
        seconds, cpu = time.perf_counter() - started, cpu_seconds(cluster_workers) - cpu
        rows = (Path(out) / "results.csv").read_text().splitlines()[1:]
    scores = {r.split(",")[0]: float(r.split(",")[3]) for r in rows if ",docked," in r}
    assert summary.docked == len(ligands), summary
    return {"seconds": seconds, "cpu_seconds": cpu, "cores": workers, "scores": scores}


def run_dockstring(ligands: dict[str, str]) -> dict[str, Any]:
    from dockstring import load_target

    started, cpu = time.perf_counter(), cpu_seconds()
    target = load_target("DRD2")
    scores = {
        name: float(target.dock(smiles, num_cpus=1, seed=SEED)[0])
        for name, smiles in ligands.items()
    }
    seconds = time.perf_counter() - started
    return {"seconds": seconds, "cpu_seconds": cpu_seconds() - cpu, "cores": 1, "scores": scores}


def start_cluster(folder: Path) -> tuple[str, list[subprocess.Popen]]:
    scheduler_file = folder / "scheduler.json"
    quiet = {"stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL}
    procs = [
        subprocess.Popen(
            [
                sys.executable,
                "-m",
                "distributed.cli.dask_scheduler",
                "--host",
                "127.0.0.1",
                "--port",
                "0",
                "--no-dashboard",
                "--scheduler-file",
                str(scheduler_file),
            ],
            **quiet,
        )
    ]
    procs += [
        subprocess.Popen(
            [
                sys.executable,
                "-m",
                "distributed.cli.dask_worker",
                "--scheduler-file",
                str(scheduler_file),
                "--nthreads",
                "1",
                "--host",
                "127.0.0.1",
                "--no-dashboard",
            ],
            **quiet,
        )
        for _ in range(2)
    ]
    while not scheduler_file.is_file():
        time.sleep(0.2)
    address = json.loads(scheduler_file.read_text())["address"]
    from distributed import Client

    with Client(address) as client:
        client.wait_for_workers(2)
    return address, procs


@contextmanager
def load_sampled(run: dict[str, Any]) -> Iterator[None]:
    """Sample the 1-minute load average every 2 s while the block runs; store mean and max."""
    samples = [os.getloadavg()[0]]
    done = threading.Event()

    def sample() -> None:
        while not done.wait(2.0):
            samples.append(os.getloadavg()[0])

    thread = threading.Thread(target=sample, daemon=True)
    thread.start()
    try:
        yield
    finally:
        done.set()
        thread.join()
        samples.append(os.getloadavg()[0])
        run["load_mean"] = round(statistics.fmean(samples), 2)
        run["load_max"] = round(max(samples), 2)


def timed(method: Callable[[], dict[str, Any]], count: int) -> dict[str, Any]:
    run: dict[str, Any] = {}
    with load_sampled(run):
        run.update(method())
    run["ligands_per_hour"] = 3600 * count / run["seconds"]
    run["per_core"] = run["ligands_per_hour"] / run["cores"]
    run["per_cpu_hour"] = 3600 * count / run["cpu_seconds"]
    print(
        f"  {run['seconds']:.1f} s wall, {run['cpu_seconds']:.1f} s CPU, "
        f"load {run['load_mean']:.1f} (max {run['load_max']:.1f})",
        flush=True,
    )
    return run


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ligands", type=int, default=16, help="ligands from the built-in list")
    parser.add_argument("--repeat", type=int, default=3, help="rounds of the four main runs")
    parser.add_argument("--no-dockstring", action="store_true", help="skip the dockstring run")
    parser.add_argument(
        "--report-only", action="store_true", help="rewrite SCREEN_RESULTS.md from screen.json"
    )
    args = parser.parse_args()
    if args.report_only:
        saved = json.loads((HERE / "screen.json").read_text())
        meta = saved["meta"]
        when = datetime.strptime(meta["date"], "%Y-%m-%d %H:%M UTC").replace(tzinfo=UTC)
        report(
            saved["runs"],
            dict(list(LIBRARY.items())[: meta["ligands"]]),
            meta["box"],
            when,
            meta["command"],
            meta["finished"],
        )
        return
    if not args.no_dockstring and shutil.which("obabel") is None:
        sys.exit("dockstring needs Open Babel's obabel command: apt-get install openbabel")
    ligands = dict(list(LIBRARY.items())[: args.ligands])
    pdb, conf = dockstring_target()
    box = box_args(conf)
    n = len(ligands)
    runs: dict[str, list[dict[str, Any]]] = {name: [] for name in SCREEN_METHODS}
    started = datetime.now(UTC)
    for round_ in range(1, args.repeat + 1):
        print(f"round {round_}/{args.repeat}: vina loop", flush=True)
        runs["vina loop"].append(timed(partial(run_vina_loop, pdb, box, ligands), n))
        for workers in (1, 2):
            print(f"round {round_}/{args.repeat}: screen() {workers} worker(s)", flush=True)
            name = f"screen() {workers} worker" + ("s" if workers > 1 else "")
            runs[name].append(timed(partial(run_screen, pdb, box, ligands, workers), n))
        print(f"round {round_}/{args.repeat}: screen() cluster", flush=True)
        with tempfile.TemporaryDirectory() as folder:
            address, procs = start_cluster(Path(folder))
            try:
                runs["screen() cluster, 2 workers"].append(
                    timed(partial(run_screen, pdb, box, ligands, 2, (address, procs)), n)
                )
            finally:
                for proc in procs:
                    proc.kill()
                    proc.wait()
    if not args.no_dockstring:
        print("dockstring", flush=True)
        runs["dockstring"] = [timed(partial(run_dockstring, ligands), n)]
    command = " ".join(shlex.quote(a) for a in [".venv/bin/python", *sys.argv])
    report(runs, ligands, conf, started, command)


SCREEN_METHODS = (
    "vina loop",
    "screen() 1 worker",
    "screen() 2 workers",
    "screen() cluster, 2 workers",
)


def _spread(values: list[float], digits: int = 2, sign: str = "") -> str:
    """Median, and the range when there is more than one value: '1.05 (0.98 to 1.10)'."""
    middle = f"{statistics.median(values):{sign}.{digits}f}"
    if len(values) < 2:
        return middle
    return f"{middle} ({min(values):{sign}.{digits}f} to {max(values):{sign}.{digits}f})"


def _paired(
    runs: dict[str, list[dict[str, Any]]], f: Callable[[dict[str, dict[str, Any]]], float]
) -> list[float]:
    """``f`` of each round's runs (a ratio taken within one round)."""
    rounds = len(runs["vina loop"])
    return [f({name: runs[name][i] for name in SCREEN_METHODS}) for i in range(rounds)]


def report(
    runs: dict[str, list[dict[str, Any]]],
    ligands: dict[str, str],
    conf: dict[str, float],
    started: datetime,
    command: str,
    finished: str | None = None,
) -> None:
    ratios = {
        "screen_1_per_cpu_vs_loop": _paired(
            runs, lambda r: r["screen() 1 worker"]["per_cpu_hour"] / r["vina loop"]["per_cpu_hour"]
        ),
        "screen_2_per_cpu_vs_loop": _paired(
            runs, lambda r: r["screen() 2 workers"]["per_cpu_hour"] / r["vina loop"]["per_cpu_hour"]
        ),
        "screen_1_per_core_wall_vs_loop": _paired(
            runs, lambda r: r["screen() 1 worker"]["per_core"] / r["vina loop"]["per_core"]
        ),
        "speedup_1_to_2_workers_wall": _paired(
            runs,
            lambda r: (
                r["screen() 2 workers"]["ligands_per_hour"]
                / r["screen() 1 worker"]["ligands_per_hour"]
            ),
        ),
        "cluster_overhead_wall": _paired(
            runs,
            lambda r: (
                r["screen() cluster, 2 workers"]["seconds"] / r["screen() 2 workers"]["seconds"] - 1
            ),
        ),
        "cluster_overhead_cpu": _paired(
            runs,
            lambda r: (
                r["screen() cluster, 2 workers"]["cpu_seconds"]
                / r["screen() 2 workers"]["cpu_seconds"]
                - 1
            ),
        ),
    }
    loads = [run["load_mean"] for method in runs.values() for run in method]
    meta = {
        "date": started.strftime("%Y-%m-%d %H:%M UTC"),
        "finished": finished or datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "command": command,
        "machine": f"{platform.machine()}, {os.cpu_count()} cores shared with other jobs",
        "load_average_1min_during_runs": [min(loads), max(loads)],
        "target": "dockstring DRD2",
        "box": conf,
        "exhaustiveness": EXHAUSTIVENESS,
        "ligands": len(ligands),
        "rounds": len(runs["vina loop"]),
        "ratios_by_round": ratios,
    }
    (HERE / "screen.json").write_text(json.dumps({"meta": meta, "runs": runs}, indent=2) + "\n")
    loop_cpu = statistics.median(r["per_cpu_hour"] for r in runs["vina loop"])
    lines = [
        "# Screening benchmark: ligands per hour",
        "",
        f"Run {meta['date']} to {meta['finished'][11:]} on {meta['machine']}, with",
        "",
        "```",
        command,
        "```",
        "",
        f"(the `bench_screen.py` in this folder; {meta['rounds']} rounds, each running the vina "
        "loop, screen() with 1 and 2 local workers and on a 2-worker local Dask cluster in turn; "
        "dockstring once after them). The 1-minute load average, sampled every 2 s, was "
        f"{min(loads):.1f}-{max(loads):.1f} on average over the runs (other engineers' jobs "
        "included): the machine was not free, so wall times count waiting for a core.",
        "",
        f"{len(ligands)} ligands ({', '.join(ligands)}) against dockstring's DRD2 receptor in its "
        f"box ({conf['size_x']:.0f} x {conf['size_y']:.0f} x {conf['size_z']:.0f} Å), "
        f"exhaustiveness {EXHAUSTIVENESS}, seed {SEED}, one ring shape and one stereoisomer per "
        "ligand. Times include receptor preparation and, for screen(), starting the local pool. "
        "CPU time counts every process of the run (workers included) and depends much less on "
        "what else the machine runs than wall time does.",
        "",
        "Median (min to max) over the rounds:",
        "",
        "| method | cores | runs | wall (s) | ligands/hour (wall) | CPU (s) | "
        "ligands per CPU-hour | vs vina loop (CPU) | load avg during |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for name, method in runs.items():
        lines.append(
            f"| {name} | {method[0]['cores']} | {len(method)} "
            f"| {_spread([r['seconds'] for r in method], 1)} "
            f"| {_spread([r['ligands_per_hour'] for r in method], 0)} "
            f"| {_spread([r['cpu_seconds'] for r in method], 1)} "
            f"| {_spread([r['per_cpu_hour'] for r in method], 0)} "
            f"| {statistics.median(r['per_cpu_hour'] for r in method) / loop_cpu:.2f} "
            f"| {_spread([r['load_mean'] for r in method], 1)} |"
        )
    pct = {
        k: [100 * v for v in ratios[k]] for k in ("cluster_overhead_wall", "cluster_overhead_cpu")
    }
    lines += [
        "",
        "Ratios taken within each round, median (min to max):",
        "",
        "- screen() 1 worker vs the plain vina loop, ligands per CPU-hour: "
        f"**{_spread(ratios['screen_1_per_cpu_vs_loop'])}x** (2 workers: "
        f"{_spread(ratios['screen_2_per_cpu_vs_loop'])}x; per core of wall time: "
        f"{_spread(ratios['screen_1_per_core_wall_vs_loop'])}x; target >= 1).",
        f"- 1 → 2 workers, wall: **{_spread(ratios['speedup_1_to_2_workers_wall'])}x** "
        "(linear = 2; only reachable when two cores are free).",
        "- Cluster vs local pool (2 workers each): "
        f"**{_spread(pct['cluster_overhead_wall'], 1, '+')} %** wall, "
        f"{_spread(pct['cluster_overhead_cpu'], 1, '+')} % CPU (target <= +10 %).",
        "",
        "Best score per ligand (kcal/mol, first round):",
        "",
        "| ligand | " + " | ".join(runs) + " |",
        "|---|" + "---|" * len(runs),
    ]
    for name in ligands:
        cells = " | ".join(
            f"{method[0]['scores'].get(name, float('nan')):.2f}" for method in runs.values()
        )
        lines.append(f"| {name} | {cells} |")
    lines += profile_section()
    lines += engine_section()
    (HERE / "SCREEN_RESULTS.md").write_text("\n".join(lines) + "\n")
    print("\n".join(lines))


def profile_section() -> list[str]:
    """Per-ligand and per-run CPU from profile_screen.py (screen_profile.json), if run."""
    path = HERE / "screen_profile.json"
    if not path.is_file():
        return []
    data = json.loads(path.read_text())
    s, meta = data["summary"], data["meta"]
    load = ", ".join(f"{v:.1f}" for v in meta["load_average_1min"])
    projected = ", ".join(
        f"{n} ligands: {r:.2f}x" for n, r in s["projected_ratio_by_ligands_per_worker"].items()
    )
    return [
        "",
        "## Where the CPU goes (`profile_screen.py`, screen_profile.json)",
        "",
        f"Run {meta['date']} (`{meta['command']}`; load average {load}): each ligand above "
        "docked in one process by the loop's steps and by screen()'s worker code, then one "
        "whole screen() of one ligand for its fixed cost.",
        "",
        f"- Plain loop: {s['loop_cpu_per_ligand']:.2f} s of CPU per ligand, of which "
        f"{s['loop_maps_per_ligand']:.2f} s recomputing Vina's maps for the ligand.",
        f"- screen(): {s['screen_cpu_per_ligand']:.2f} s per ligand (preparation at pH 7.4 "
        "included; the maps are computed once per worker), so "
        f"**{s['steady_state_ratio']:.2f}x** the loop's ligands per CPU-hour once started.",
        f"- A screen() run costs {s['screen_fixed_cpu_per_run_1_worker']:.1f} s of CPU beyond "
        "its ligands with one worker (receptor, starting the pool, the worker's imports, maps "
        "for every atom type, the report); each further worker adds its imports and maps.",
        f"- Projected loop/screen() CPU ratio by ligands per worker: {projected}.",
    ]


def engine_section() -> list[str]:
    """The Ray/Dask figures from bench_engines.py (engines.json), if it has been run."""
    path = HERE / "engines.json"
    if not path.is_file():
        return []
    data = json.loads(path.read_text())
    lines = [
        "",
        "## Engine: Dask or Ray (`bench_engines.py`, engines.json)",
        "",
        "| engine | startup, 2 workers (s) | ms per no-op task | memory (MB) | worker killed: "
        "results back / run twice |",
        "|---|---|---|---|---|",
    ]
    for engine in ("dask", "ray"):
        f = data[engine]
        kill = f["killed_worker"]
        lines.append(
            f"| {engine} {data['versions'][engine if engine == 'ray' else 'distributed']} | "
            f"{f['startup_s']} | {f['ms_per_task']} | {f['memory_mb']:.0f} | "
            f"{kill['distinct_results']}/8 / {kill['tasks_run_twice']} |"
        )
    return lines


if __name__ == "__main__":
    main()
