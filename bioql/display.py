"""Rich HTML for results in Jupyter: what ``_repr_html_`` of each result type returns.

Every result shows, in this order: how BioQL read the request ("Interpreted as: …"), the
numbers, then a picture. The histogram, the VQE convergence or dissociation curve and the
QAOA cut are inline PNGs, so a saved notebook carries them with no file beside it; the 3D view
of a docked pose needs a browser that can load 3Dmol.js.
"""

from __future__ import annotations

import base64
import io
import re
from html import escape
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from matplotlib.figure import Figure

    from bioql.docking.result import DockingResult
    from bioql.result import QuantumResult

# Rows of the counts table; the histogram shows more (QuantumResult.plot caps it).
TABLE_ROWS = 16
# Receptor residues with an atom this close (Å) to the best pose are drawn: the pocket, not
# the whole protein, keeps a saved notebook small and the view on what matters.
POCKET_RADIUS = 8.0
VIEW_SIZE = (640, 420)

_STYLE = (
    "<style>.bioql-result{font-family:system-ui,sans-serif;font-size:13px}"
    ".bioql-result table{border-collapse:collapse;margin:4px 0}"
    ".bioql-result td,.bioql-result th{padding:1px 10px;text-align:right}"
    ".bioql-result .reading{font-size:14px;margin-bottom:4px}"
    ".bioql-result .muted{color:#666}</style>"
)


def reading_html(result: Any) -> str:
    """The "Interpreted as" line, or nothing for a result type without a reading."""
    reading = getattr(result, "reading", None)
    if not reading:
        return ""
    return f'<div class="reading"><b>Interpreted as:</b> {escape(reading)}</div>'


def quantum_html(result: QuantumResult) -> str:
    header = f"{result.backend} · {result.shots} shots"
    if method := result.details.get("method"):
        header += f" · {method}"
    parts = [
        _STYLE,
        '<div class="bioql-result">',
        reading_html(result),
        f'<div class="muted">“{escape(result.description)}” — {escape(header)}</div>',
        f"<div>{escape(result.interpretation)}</div>",
        '<div style="display:flex;gap:24px;align-items:flex-start">',
        _counts_table(result),
        _histogram(result),
        "</div></div>",
    ]
    return "".join(parts)


def _counts_table(result: QuantumResult) -> str:
    rows = ["<table><tr><th>outcome</th><th>count</th><th>probability</th></tr>"]
    outcomes = result.sorted_outcomes()
    for key, p in outcomes[:TABLE_ROWS]:
        count = result.counts.get(key, 0)
        rows.append(f"<tr><td><code>{escape(key)}</code></td><td>{count}</td><td>{p:.4f}</td></tr>")
    if len(outcomes) > TABLE_ROWS:
        rows.append(f'<tr><td colspan="3">… {len(outcomes) - TABLE_ROWS} more outcomes</td></tr>')
    rows.append("</table>")
    return "".join(rows)


def _histogram(result: QuantumResult) -> str:
    return figure_img(result.plot(), "histogram of the outcomes")


def figure_img(figure: Figure, alt: str) -> str:
    """A Matplotlib figure as an inline PNG ``<img>``: the notebook carries it, no file beside."""
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=90)
    data = base64.b64encode(buffer.getvalue()).decode("ascii")
    return f'<img alt="{escape(alt)}" src="data:image/png;base64,{data}">'


def summary_html(
    result: Any, heading: str, rows: list[tuple[str, str]], figure: Figure, alt: str
) -> str:
    """A result that is a few key numbers and a plot (VQE, QAOA): reading, numbers, picture.

    ``rows`` are (label, value) pairs of plain text, formatted by the result type; they are
    escaped here, like the description and the reading.
    """
    said = f"“{escape(result.description)}” — " if getattr(result, "description", "") else ""
    table = "".join(
        f'<tr><th style="text-align:left">{escape(label)}</th><td style="text-align:left">'
        f"{escape(value)}</td></tr>"
        for label, value in rows
    )
    parts = [
        _STYLE,
        '<div class="bioql-result">',
        reading_html(result),
        f'<div class="muted">{said}{escape(heading)}</div>',
        '<div style="display:flex;gap:24px;align-items:flex-start;flex-wrap:wrap">',
        f"<table>{table}</table>",
        figure_img(figure, alt),
        "</div></div>",
    ]
    return "".join(parts)


def docking_html(result: DockingResult) -> str:
    parts = [
        _STYLE,
        '<div class="bioql-result">',
        reading_html(result),
        f"<div><b>Docking ({escape(result.backend)})</b> of <code>"
        f"{escape(result.ligand.smiles)}</code></div>",
        f'<div class="muted">box: {escape(str(result.box))}; receptor: '
        f"{result.receptor.residues} residues, {result.receptor.atoms} atoms</div>",
        *(f'<div class="muted">warning: {escape(w)}</div>' for w in result.warnings),
        _pose_table(result),
        pose_view(result),
        "</div>",
    ]
    return "".join(parts)


def _pose_table(result: DockingResult) -> str:
    with_rmsd = result.reference_ligand is not None
    head = "<th>rank</th><th>affinity (kcal/mol)</th>" + ("<th>RMSD (Å)</th>" if with_rmsd else "")
    rows = [f"<table><tr>{head}</tr>"]
    for pose in result.poses:
        cells = f"<td>{pose.rank}</td><td>{pose.affinity_kcal_mol:.2f}</td>"
        if with_rmsd:
            cells += f"<td>{'-' if pose.rmsd is None else f'{pose.rmsd:.2f}'}</td>"
        rows.append(f"<tr>{cells}</tr>")
    rows.append("</table>")
    return "".join(rows)


def pose_view(result: DockingResult) -> str:
    """An interactive 3D view (py3Dmol) of the best pose among the pocket's residues."""
    try:
        import py3Dmol
    except ImportError:
        return '<div class="muted">Install py3Dmol for a 3D view of the best pose.</div>'
    from rdkit import Chem

    pose = Chem.MolToMolBlock(result.best_pose.mol)
    pocket = pocket_pdbqt(result.receptor.pdbqt, result.best_pose.mol.GetConformer().GetPositions())
    view = py3Dmol.view(width=VIEW_SIZE[0], height=VIEW_SIZE[1])
    view.addModel(pocket, "pdbqt")
    view.setStyle({"model": 0}, {"stick": {"radius": 0.1, "colorscheme": "lightgreyCarbon"}})
    view.addModel(pose, "sdf")
    view.setStyle({"model": 1}, {"stick": {"radius": 0.2, "colorscheme": "greenCarbon"}})
    view.zoomTo({"model": 1})
    view.zoom(0.8)  # step back from the ligand so the residues around it are in view
    return view.write_html()  # the HTML string (its _repr_html_ publishes instead)


_ATOM = re.compile(r"^(ATOM  |HETATM)")


def pocket_pdbqt(pdbqt: str, ligand_xyz: Any, radius: float = POCKET_RADIUS) -> str:
    """The receptor's residues with any atom within ``radius`` Å of a ligand atom."""
    import numpy as np

    atoms = [line for line in pdbqt.splitlines() if _ATOM.match(line)]
    if not atoms:
        return ""
    xyz = np.array([[float(a[30:38]), float(a[38:46]), float(a[46:54])] for a in atoms])
    ligand = np.asarray(ligand_xyz, dtype=float)
    near = (np.linalg.norm(xyz[:, None, :] - ligand[None, :, :], axis=-1) <= radius).any(axis=1)
    residues = {_residue(a) for a, keep in zip(atoms, near, strict=True) if keep}
    return "\n".join(a for a in atoms if _residue(a) in residues) + "\n"


def _residue(atom_line: str) -> str:
    """Chain, number, insertion code and name: one residue's identity in a PDB(QT) line."""
    return atom_line[17:27]
