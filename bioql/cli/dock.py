"""``bioql dock``: dock a ligand (SMILES) into a protein (PDB) with Vina or the QAOA demo."""

from __future__ import annotations

from pathlib import Path

import typer

from bioql.cli.common import err_console, print_json, user_errors


def register(app: typer.Typer) -> None:
    app.command("dock")(dock_command)


def dock_command(
    description: str = typer.Argument("", help="Optional free-text label for this docking run."),
    ligand_smiles: str = typer.Option(..., "--ligand-smiles", "-l", help="Ligand as SMILES."),
    protein: Path = typer.Option(..., "--protein", "-p", help="Receptor PDB file."),
    reference_ligand: Path | None = typer.Option(
        None, "--reference-ligand", "-r", help="Crystal ligand (SDF/MOL2/PDB): box and RMSD."
    ),
    box_from: str | None = typer.Option(
        None,
        "--box-from",
        help="Box around a ligand file, or a residue / hetero group (NDP, A:57).",
    ),
    center: str | None = typer.Option(None, "--center", help="Box center x,y,z in Å."),
    size: str | None = typer.Option(None, "--size", help="Box size x,y,z in Å."),
    exhaustiveness: int = typer.Option(8, "--exhaustiveness", "-e", help="Vina search effort."),
    num_poses: int = typer.Option(9, "--num-poses", "-n", help="Poses to report."),
    seed: int = typer.Option(1, "--seed", help="Random seed (Vina and QAOA)."),
    ph: float = typer.Option(7.4, "--ph", help="Protonation pH for the ligand."),
    backend: str = typer.Option("vina", "--backend", "-b", help="vina (default) or quantum."),
    cofactor: list[str] = typer.Option(
        [], "--cofactor", help="Keep a hetero group with this chemistry: NAME=SMILES (repeatable)."
    ),
    remove_hetero: list[str] = typer.Option(
        [], "--remove-hetero", help="Hetero group to remove from the receptor (repeatable)."
    ),
    repair: bool = typer.Option(
        True,
        "--repair/--no-repair",
        help="Repair the receptor (names, hydrogens, missing atoms), each change reported; "
        "--no-repair refuses what Meeko cannot match.",
    ),
    max_stereoisomers: int = typer.Option(
        4, "--max-stereoisomers", help="Isomers docked when the SMILES leaves stereo open."
    ),
    cpu: int = typer.Option(0, "--cpu", help="CPU threads for Vina (0 = all)."),
    out: Path | None = typer.Option(
        None, "--out", "-o", help="Folder for poses.sdf, receptor.pdbqt, result.json."
    ),
    as_json: bool = typer.Option(False, "--json", help="Print the result as one JSON document."),
) -> None:
    """Dock a ligand into a protein; report affinities (kcal/mol) and, with a reference, RMSD."""
    import warnings

    with user_errors(as_json):
        from bioql.docking import DockingWarning, dock
        from bioql.errors import BioQLDockingError

        cofactors = {}
        for item in cofactor:
            name, sep, smiles = item.partition("=")
            if not sep or not name.strip() or not smiles.strip():
                raise BioQLDockingError(f"--cofactor takes NAME=SMILES; got {item!r}.")
            cofactors[name.strip().upper()] = smiles.strip()
        options = dict(
            ligand_smiles=ligand_smiles,
            protein_pdb=protein,
            backend=backend,
            reference_ligand=reference_ligand,
            box_from=box_from,
            center=center,
            size=size,
            exhaustiveness=exhaustiveness,
            num_poses=num_poses,
            seed=seed,
            ph=ph,
            cpu=cpu,
            cofactor_smiles=cofactors or None,
            remove_hetero=remove_hetero or None,
            repair=repair,
            max_stereoisomers=max_stereoisomers,
        )
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DockingWarning)  # shown from result.warnings
            result = _run_with_progress(dock, description, options, show=not as_json)
        saved = {name: str(path) for name, path in result.save(out).items()} if out else {}
        if as_json:
            print_json({**result.to_dict(), "saved": saved})
            return
        _print_result(result, saved)


def _run_with_progress(dock, description, options, show: bool):
    if not show:
        return dock(description, **options)
    from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    columns = (
        SpinnerColumn(),
        TextColumn("{task.description}"),
        BarColumn(),
        TextColumn("{task.percentage:>3.0f}%"),
        TimeElapsedColumn(),
    )
    with Progress(*columns, console=err_console, transient=True) as bar:
        task = bar.add_task("Starting", total=1.0)
        return dock(
            description,
            progress=lambda message, fraction: bar.update(
                task, description=message, completed=fraction
            ),
            **options,
        )


def _print_result(result, saved: dict[str, str]) -> None:
    from rich.console import Console
    from rich.table import Table

    console = Console()
    console.print(f"[bold]Docked[/] {result.ligand.smiles} ([cyan]{result.backend}[/])")
    console.print(f"Box: {result.box}")
    kept = ", ".join(result.receptor.kept) or "none"
    console.print(f"Receptor: {result.receptor.residues} residues; hetero kept: {kept}")
    for line in result.receptor.removed:
        console.print(f"  removed {line}", style="dim")
    for line in result.receptor.repairs:
        console.print(f"  repaired {line}", style="dim")
    if result.quantum:
        q = result.quantum
        console.print(
            f"QAOA clique: {q['clique_size']} pairs, weight {q['weight']:.2f} "
            f"(brute-force optimum {q['optimum_weight']:.2f}) on {q['qubits']} qubits"
        )
    isomers = len(result.ligand.isomers) > 1
    table = Table("rank", "affinity (kcal/mol)", "RMSD (Å)" if result.reference_ligand else "")
    if isomers:
        table.add_column("stereoisomer")
    for pose in result.poses:
        rmsd = f"{pose.rmsd:.2f}" if pose.rmsd is not None else ""
        row = [str(pose.rank), f"{pose.affinity_kcal_mol:.2f}", rmsd]
        table.add_row(*row, *([pose.isomer] if isomers else []))
    console.print(table)
    console.print(f"Time: {result.timings['total_seconds']:.1f} s")
    for warning in result.warnings:
        err_console.print(f"[yellow]Warning:[/] {warning}")
    for name, path in saved.items():
        console.print(f"Saved {name}: {path}")
