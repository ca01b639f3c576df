"""``bioql screen``: dock a ligand library into one protein, resumably, on every core or a cluster."""

from __future__ import annotations

from pathlib import Path

import typer

from bioql.cli.common import err_console, print_json, user_errors


def register(app: typer.Typer) -> None:
    app.command("screen")(screen_command)


def screen_command(
    ligands: Path = typer.Argument(..., help="Library: .smi, .csv (smiles,name) or .sdf file."),
    protein: Path = typer.Option(..., "--protein", "-p", help="Receptor PDB file."),
    out: Path = typer.Option(
        ..., "--out", "-o", help="Results folder; rerunning into it resumes the screen."
    ),
    reference_ligand: Path | None = typer.Option(
        None, "--reference-ligand", "-r", help="Bound ligand (SDF/MOL2/PDB) that defines the box."
    ),
    box_from: str | None = typer.Option(
        None, "--box-from", help="Box around a ligand file, or a residue / hetero group (NDP)."
    ),
    center: str | None = typer.Option(None, "--center", help="Box center x,y,z in Å."),
    size: str | None = typer.Option(None, "--size", help="Box size x,y,z in Å."),
    exhaustiveness: int = typer.Option(8, "--exhaustiveness", "-e", help="Vina search effort."),
    num_poses: int = typer.Option(9, "--num-poses", "-n", help="Pose scores kept per ligand."),
    seed: int = typer.Option(1, "--seed", help="Vina random seed."),
    ph: float = typer.Option(7.4, "--ph", help="Protonation pH for the ligands."),
    workers: int | None = typer.Option(
        None, "--workers", "-w", help="Local worker processes (default: every core)."
    ),
    cluster: str | None = typer.Option(
        None, "--cluster", help="Dask scheduler address (tcp://host:8786) instead of this machine."
    ),
    results_format: str = typer.Option(
        "csv", "--format", help="Results file: csv (results.csv) or parquet (results.parquet/)."
    ),
    top: int = typer.Option(25, "--top", help="Ligands drawn in the report's table."),
    as_json: bool = typer.Option(False, "--json", help="Print one JSON summary object."),
) -> None:
    """Screen a ligand library: rank every ligand by its best Vina score, write an HTML report."""
    import warnings

    with user_errors(as_json):
        from bioql.docking import DockingWarning
        from bioql.docking.screening import screen

        with warnings.catch_warnings(record=True):
            warnings.simplefilter("always", DockingWarning)  # reported from summary.warnings
            summary = screen(
                str(ligands),
                protein,
                reference_ligand=reference_ligand,
                box_from=box_from,
                center=center,
                size=size,
                exhaustiveness=exhaustiveness,
                num_poses=num_poses,
                seed=seed,
                ph=ph,
                workers=workers,
                cluster=cluster,
                out=out,
                results_format=results_format,
                top=top,
                progress=not as_json,
            )
        if as_json:
            print_json(summary.to_dict())
            return
        for warning in summary.warnings:
            err_console.print(f"[yellow]Warning:[/] {warning}")
        typer.echo(str(summary))
