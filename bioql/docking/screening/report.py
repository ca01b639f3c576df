"""``report.html``: the score distribution, the top ligands drawn in 2D, links to their poses.

The page is self-contained (inline SVG, no script, no external file) except for the pose files
it links to, which sit next to it: ``top_poses/`` (one SDF per top ligand), ``best_poses.sdf``
and ``receptor.pdbqt``, so the folder can be moved or shared as a whole.
"""

from __future__ import annotations

import html
import io
import re
from pathlib import Path
from typing import Any

from rdkit import Chem
from rdkit.Chem.Draw import rdMolDraw2D

from bioql.docking.ligand import quiet_rdkit
from bioql.docking.screening.store import DOCKED, FAILED, ResultStore

REPORT = "report.html"
TOP_POSES = "top_poses"
_SDF_END = "$$$$\n"


def write_report(
    store: ResultStore, *, top: int, box: dict[str, Any]
) -> tuple[Path, list[dict[str, Any]]]:
    """Write the report for everything in ``store``; return its path and the top ligands."""
    rows = store.rows()
    docked = sorted(
        (r for r in rows if r["status"] == DOCKED), key=lambda r: float(r["best_score_kcal_mol"])
    )
    best = [
        {
            "rank": i + 1,
            "name": r["name"],
            "smiles": r["smiles"],
            "score": float(r["best_score_kcal_mol"]),
        }
        for i, r in enumerate(docked[:top])
    ]
    links = _write_top_poses(store, best)
    failed = [r for r in rows if r["status"] == FAILED]
    page = _page(len(rows), docked, failed, best, links, box, store.results_path.name)
    path = store.out / REPORT
    path.write_text(page, encoding="utf-8")
    return path, best


def _write_top_poses(store: ResultStore, best: list[dict[str, Any]]) -> dict[str, str]:
    """One SDF per top ligand (its best pose), named by rank; returns name → relative path."""
    folder = store.out / TOP_POSES
    folder.mkdir(exist_ok=True)
    for old in folder.glob("*.sdf"):
        old.unlink()  # ranks change as a resumed screen adds ligands
    wanted = {b["name"]: b["rank"] for b in best}
    links = {}
    for record in store.poses_path.read_text(encoding="utf-8").split(_SDF_END)[:-1]:
        name = record.split("\n", 1)[0]
        if name in wanted and name not in links:
            safe = re.sub(r"[^A-Za-z0-9_.-]+", "_", name)[:60]
            relative = f"{TOP_POSES}/{wanted[name]:03d}_{safe}.sdf"
            (store.out / relative).write_text(record + _SDF_END, encoding="utf-8")
            links[name] = relative
    return links


def _page(
    total: int,
    docked: list[dict[str, str]],
    failed: list[dict[str, str]],
    best: list[dict[str, Any]],
    links: dict[str, str],
    box: dict[str, Any],
    results: str,
) -> str:
    scores = [float(r["best_score_kcal_mol"]) for r in docked]
    rows = "\n".join(_top_row(b, links.get(b["name"])) for b in best)
    failures = "\n".join(
        f"<tr><td>{html.escape(r['name'])}</td><td><code>{html.escape(r['smiles'])}</code></td>"
        f"<td>{html.escape(r['error'])}</td></tr>"
        for r in failed[:200]
    )
    center = ", ".join(f"{v:.2f}" for v in box["center"])
    size = " x ".join(f"{v:.1f}" for v in box["size"])
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>BioQL virtual screen</title>
<style>
body {{ font-family: sans-serif; margin: 2em; color: #222; }}
table {{ border-collapse: collapse; }} td, th {{ border: 1px solid #ccc; padding: 4px 8px; }}
th {{ background: #f0f0f0; }} code {{ font-size: 0.85em; word-break: break-all; }}
</style></head><body>
<h1>Virtual screen</h1>
<p>{total} ligands recorded: {len(docked)} docked, {len(failed)} failed.
Box center ({center}) Å, size {size} Å, from {html.escape(str(box["source"]))}.
Files: <a href="{results}">{results}</a>, <a href="best_poses.sdf">best_poses.sdf</a>,
<a href="receptor.pdbqt">receptor.pdbqt</a>.</p>
<h2>Best Vina score per ligand</h2>
{_histogram(scores)}
<h2>Top {len(best)} ligands</h2>
<table><tr><th>rank</th><th>ligand</th><th>structure</th><th>score (kcal/mol)</th>
<th>best pose</th></tr>
{rows}
</table>
<h2>Failed ligands ({len(failed)})</h2>
<table><tr><th>ligand</th><th>SMILES</th><th>error</th></tr>
{failures}
</table>
</body></html>
"""


def _top_row(entry: dict[str, Any], link: str | None) -> str:
    pose = f'<a href="{html.escape(link)}">SDF</a>' if link else ""
    return (
        f"<tr><td>{entry['rank']}</td><td>{html.escape(entry['name'])}<br>"
        f"<code>{html.escape(entry['smiles'])}</code></td><td>{_depiction(entry['smiles'])}</td>"
        f"<td>{entry['score']:.2f}</td><td>{pose}</td></tr>"
    )


def _depiction(smiles: str) -> str:
    """A 2D drawing (inline SVG) of the ligand as given, or nothing if RDKit cannot read it."""
    with quiet_rdkit():
        mol = Chem.MolFromSmiles(smiles)
    if mol is None:
        return ""
    drawer = rdMolDraw2D.MolDraw2DSVG(220, 160)
    drawer.DrawMolecule(rdMolDraw2D.PrepareMolForDrawing(mol))
    drawer.FinishDrawing()
    svg = drawer.GetDrawingText()
    return svg[svg.find("<svg") :]  # drop the XML declaration: the SVG sits inside HTML


def _histogram(scores: list[float]) -> str:
    if not scores:
        return "<p>No ligand was docked.</p>"
    from matplotlib.figure import Figure
    from matplotlib.ticker import MaxNLocator

    figure = Figure(figsize=(6, 3))
    axes = figure.add_subplot()
    axes.hist(scores, bins=min(40, max(5, len(scores) // 5)), color="#4477aa")
    axes.set_xlabel("best Vina score (kcal/mol; lower binds better)")
    axes.set_ylabel("ligands")
    axes.yaxis.set_major_locator(MaxNLocator(integer=True))  # ligands come whole
    figure.tight_layout()
    buffer = io.StringIO()
    figure.savefig(buffer, format="svg")
    svg = buffer.getvalue()
    return svg[svg.find("<svg") :]
