"""Where screen() spends CPU against the plain vina loop: per ligand, and once per run.

One process, the same 16 ligands, receptor and box as ``bench_screen.py``, one ring shape and
one stereoisomer per ligand. For each ligand, the CPU time (``time.process_time``) of

- the loop's steps: RDKit embedding + Meeko PDBQT, a fresh ``Vina`` with the receptor and
  the maps of the ligand's atom types, the search;
- screen()'s worker path: ``dock_ligand`` (preparation at pH 7.4, search against maps
  computed once, the best pose written back), after the worker's one-off maps for every
  atom type;

then the fixed cost of a whole ``screen()`` run (receptor, local pool of one worker, imports
in the worker, maps, report: CPU of every process, minus its one ligand's docking). From
these, the CPU ratio loop / screen() for a worker docking L ligands is projected.

    .venv/bin/python benchmarks/docking/profile_screen.py

Writes screen_profile.json next to this script; bench_screen.py shows it in SCREEN_RESULTS.md.
"""

from __future__ import annotations

import json
import os
import resource
import statistics
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import bench_screen as bench

HERE = Path(__file__).resolve().parent


def per_ligand(pdb: Path, box: dict[str, str]) -> dict[str, Any]:
    from meeko import MoleculePreparation, PDBQTWriterLegacy
    from rdkit import Chem
    from rdkit.Chem import AllChem
    from vina import Vina

    from bioql.docking import box as boxes
    from bioql.docking.receptor import prepare_receptor
    from bioql.docking.screening import worker
    from bioql.docking.structure import read_pdb

    region = boxes.explicit_box(box["center"], box["size"])
    receptor = prepare_receptor(read_pdb(pdb), region)
    settings = worker.DockSettings(
        receptor.pdbqt,
        region.center,
        region.size,
        bench.EXHAUSTIVENESS,
        9,
        bench.SEED,
        7.4,
        1,
        3.0,
        max_stereoisomers=1,
    )
    tick = time.process_time()
    worker._vina_for(settings)  # the worker's maps, every atom type, once
    screen_maps = time.process_time() - tick
    rows = {}
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "receptor.pdbqt"
        path.write_text(receptor.pdbqt)
        for name, smiles in bench.LIBRARY.items():
            t0 = time.process_time()
            mol = Chem.AddHs(Chem.MolFromSmiles(smiles))
            AllChem.EmbedMolecule(mol, randomSeed=bench.SEED)
            AllChem.MMFFOptimizeMolecule(mol)
            text = PDBQTWriterLegacy.write_string(MoleculePreparation().prepare(mol)[0])[0]
            t1 = time.process_time()
            vina = Vina(sf_name="vina", cpu=1, seed=bench.SEED, verbosity=0)
            vina.set_receptor(str(path))
            vina.set_ligand_from_string(text)
            vina.compute_vina_maps(center=list(region.center), box_size=list(region.size))
            t2 = time.process_time()
            vina.dock(exhaustiveness=bench.EXHAUSTIVENESS, n_poses=20)
            t3 = time.process_time()
            result = worker.dock_ligand(settings, name, smiles)
            t4 = time.process_time()
            assert result.status == "docked", result.error
            rows[name] = {
                "loop_prep": t1 - t0,
                "loop_maps": t2 - t1,
                "loop_dock": t3 - t2,
                "screen_dock_ligand": t4 - t3,
            }
            print(name, {k: round(v, 2) for k, v in rows[name].items()}, flush=True)
    return {"screen_maps_once": screen_maps, "ligands": rows}


def fixed_cost(pdb: Path, box: dict[str, str], ligand: str) -> dict[str, float]:
    """CPU of a whole screen() of one ligand with one worker, and that ligand's own docking."""
    from bioql.docking.screening import screen

    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    before = time.process_time() + children.ru_utime + children.ru_stime
    with tempfile.TemporaryDirectory() as out:
        screen(
            [(bench.LIBRARY[ligand], ligand)],
            pdb,
            **box,
            exhaustiveness=bench.EXHAUSTIVENESS,
            seed=bench.SEED,
            ring_conformers=1,
            max_stereoisomers=1,
            workers=1,
            out=out,
            progress=False,
        )
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return {"screen_run_cpu": time.process_time() + children.ru_utime + children.ru_stime - before}


def main() -> None:
    pdb, conf = bench.dockstring_target()
    box = bench.box_args(conf)
    started = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    load = [os.getloadavg()[0]]
    data = per_ligand(pdb, box)
    load.append(os.getloadavg()[0])
    smallest = "metformin"
    data["fixed"] = fixed_cost(pdb, box, smallest)
    load.append(os.getloadavg()[0])
    rows = data["ligands"]
    loop_per = statistics.fmean(
        r["loop_prep"] + r["loop_maps"] + r["loop_dock"] for r in rows.values()
    )
    screen_per = statistics.fmean(r["screen_dock_ligand"] for r in rows.values())
    # A screen() run's cost beyond docking its ligands (worker maps included).
    fixed = data["fixed"]["screen_run_cpu"] - rows[smallest]["screen_dock_ligand"]
    data["summary"] = {
        "loop_cpu_per_ligand": loop_per,
        "loop_maps_per_ligand": statistics.fmean(r["loop_maps"] for r in rows.values()),
        "screen_cpu_per_ligand": screen_per,
        "screen_fixed_cpu_per_run_1_worker": fixed,
        "projected_ratio_by_ligands_per_worker": {
            str(n): n * loop_per / (fixed + n * screen_per) for n in (8, 16, 100, 1000)
        },
        "steady_state_ratio": loop_per / screen_per,
    }
    data["meta"] = {
        "date": started,
        "load_average_1min": load,
        "command": ".venv/bin/python benchmarks/docking/profile_screen.py",
    }
    (HERE / "screen_profile.json").write_text(json.dumps(data, indent=2) + "\n")
    print(json.dumps(data["summary"], indent=2))


if __name__ == "__main__":
    main()
