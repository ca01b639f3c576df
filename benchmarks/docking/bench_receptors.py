"""Receptor preparation on real-world structures: all 58 dockstring targets, offline.

Each target's PDBQT ships in the dockstring wheel; it is converted to PDB with Open Babel, as
a user would, and prepared for docking in dockstring's own box by

* ``prepare_receptor`` as ``dock()`` runs it (repair on, the default), and
* ``prepare_receptor(..., repair=False)``: the file taken as written (strict), the baseline.

Both run with the network unused (any socket opened is counted and reported) and without the
receptor cache. Reported per target: prepared or not (with a one-line reason), wall and CPU
seconds, hetero groups kept, repairs made. Written to RESULTS_receptors.md and
receptors.json next to this script.

    .venv/bin/python benchmarks/docking/bench_receptors.py [--targets CA2 F2 ...]
"""

from __future__ import annotations

import argparse
import json
import platform
import sys
import tempfile
import time
import warnings
from pathlib import Path

HERE = Path(__file__).resolve().parent


def convert(name: str, folder: Path) -> Path:
    """dockstring's PDBQT → PDB with Open Babel (the same as `obabel X.pdbqt -O X.pdb`)."""
    from dockstring.utils import get_targets_dir
    from openbabel import openbabel as ob

    ob.obErrorLog.SetOutputLevel(0)  # its kekulization warnings on PDBQT input are noise here
    pdb = folder / f"{name}.pdb"
    conversion = ob.OBConversion()
    conversion.SetInAndOutFormats("pdbqt", "pdb")
    mol = ob.OBMol()
    conversion.ReadFile(mol, str(get_targets_dir() / f"{name}_target.pdbqt"))
    conversion.WriteFile(mol, str(pdb))
    return pdb


def dockstring_box(name: str):
    from dockstring.utils import get_targets_dir, parse_search_box_conf

    from bioql.docking.box import Box

    conf = parse_search_box_conf(get_targets_dir() / f"{name}_conf.txt")
    center = (conf["center_x"], conf["center_y"], conf["center_z"])
    size = (conf["size_x"], conf["size_y"], conf["size_z"])
    return Box(center, size, f"dockstring {name}")


def prepare(pdb: Path, box, repair: bool, sockets: list[str]) -> dict:
    from bioql.docking.receptor import prepare_receptor
    from bioql.docking.structure import read_pdb
    from bioql.errors import BioQLError

    before = len(sockets)
    wall, cpu = time.perf_counter(), time.process_time()
    row: dict = {"ok": False}
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            receptor = prepare_receptor(read_pdb(pdb), box, repair=repair, cache=False)
        row.update(
            ok=True,
            residues=receptor.residues,
            kept=receptor.kept,
            repairs=len(receptor.repairs),
            repair_kinds=_kinds(receptor.repairs),
        )
    except BioQLError as exc:
        row["reason"] = " ".join(str(exc).split())[:160]
    row["wall_s"] = round(time.perf_counter() - wall, 2)
    row["cpu_s"] = round(time.process_time() - cpu, 2)
    row["sockets"] = len(sockets) - before
    return row


def _kinds(repairs: list[str]) -> list[str]:
    """Short names for the kinds of repair made, for the table."""
    marks = {
        "read as a": "ions/water renamed",
        "read as ": "residue names read",
        "modified ": "modified residue mapped",
        "hydrogen atoms": "H rebuilt",
        "protonation read": "protonation from H",
        "disulfide": "disulfide CYX",
        "CYM": "metal-bound CYM",
        "PDBFixer": "atoms rebuilt (PDBFixer)",
        "OXT": "OXT placed",
        "lone amino acid": "lone residue templated",
        "insertion code": "shared key split",
        "alternate copy": "alternate dropped",
    }
    return sorted({label for mark, label in marks.items() if any(mark in r for r in repairs)})


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--targets", nargs="*", help="dockstring target names (default: all)")
    args = parser.parse_args()
    from dockstring import list_all_target_names

    sockets: list[str] = []
    sys.addaudithook(
        lambda event, _args: (
            sockets.append(event) if event in ("socket.connect", "socket.getaddrinfo") else None
        )
    )
    names = args.targets or list_all_target_names()
    rows = {}
    with tempfile.TemporaryDirectory() as tmp:
        for i, name in enumerate(names, 1):
            pdb, box = convert(name, Path(tmp)), dockstring_box(name)
            rows[name] = {"repair": prepare(pdb, box, True, sockets)}
            rows[name]["strict"] = prepare(pdb, box, False, sockets)
            status = "ok" if rows[name]["repair"]["ok"] else rows[name]["repair"]["reason"]
            print(f"[{i}/{len(names)}] {name}: {status} ({rows[name]['repair']['wall_s']} s)")
    write(rows)


def write(rows: dict) -> None:
    ok = [n for n, r in rows.items() if r["repair"]["ok"]]
    strict = [n for n, r in rows.items() if r["strict"]["ok"]]
    walls = sorted(r["repair"]["wall_s"] for r in rows.values())
    cpus = sorted(r["repair"]["cpu_s"] for r in rows.values())
    sockets = sum(r["repair"]["sockets"] + r["strict"]["sockets"] for r in rows.values())
    summary = {
        "targets": len(rows),
        "prepared_with_repair": len(ok),
        "prepared_strict": len(strict),
        "median_wall_s": walls[len(walls) // 2],
        "max_wall_s": walls[-1],
        "median_cpu_s": cpus[len(cpus) // 2],
        "max_cpu_s": cpus[-1],
        "sockets_opened": sockets,
        "machine": f"{platform.machine()}, Python {platform.python_version()}",
        "date": time.strftime("%Y-%m-%d %H:%M"),
    }
    (HERE / "receptors.json").write_text(
        json.dumps({"summary": summary, "targets": rows}, indent=1)
    )
    lines = [
        "# Receptor preparation on dockstring's 58 targets",
        "",
        f"Run {summary['date']} by `benchmarks/docking/bench_receptors.py` on "
        f"{summary['machine']}. Each target's PDBQT from the dockstring 0.3.4 wheel, converted "
        "to PDB with Open Babel (openbabel-wheel), prepared in dockstring's box, receptor "
        "cache off. The machine is shared: wall times carry other jobs' load; CPU is this "
        "process only.",
        "",
        f"- Prepared offline with repair (dock()'s default): **{len(ok)} / {len(rows)}**; "
        f"strict (`repair=False`, the file as written): {len(strict)} / {len(rows)}.",
        f"- Time per target with repair: median {summary['median_wall_s']} s wall "
        f"({summary['median_cpu_s']} s CPU), slowest {summary['max_wall_s']} s wall "
        f"({summary['max_cpu_s']} s CPU).",
        f"- Sockets opened (connect or DNS lookup) during all {2 * len(rows)} preparations: "
        f"**{sockets}**.",
        "",
        "| target | repair | wall / CPU (s) | kept near the box | repairs | strict (repair=False) |",
        "|---|---|---|---|---|---|",
    ]
    for name, r in rows.items():
        rep, st = r["repair"], r["strict"]
        status = f"ok, {rep['residues']} residues" if rep["ok"] else f"failed: {rep['reason']}"
        kept = "; ".join(k.split(" (")[0] for k in rep.get("kept", [])) or "-"
        kinds = ", ".join(rep.get("repair_kinds", [])) or "-"
        strict = "ok" if st["ok"] else f"failed: {st['reason'][:90]}"
        lines.append(
            f"| {name} | {status} | {rep['wall_s']} / {rep['cpu_s']} | {kept} | "
            f"{rep.get('repairs', 0)}: {kinds} | {strict} |"
        )
    (HERE / "RESULTS_receptors.md").write_text("\n".join(lines) + "\n")
    print("\n".join(lines[:9]))


if __name__ == "__main__":
    main()
