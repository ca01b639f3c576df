"""Virtual screening: dock a ligand library against one receptor and rank it.

>>> from bioql.docking import screen
>>> summary = screen("library.smi", "receptor.pdb", reference_ligand="ligand.sdf", out="hits")
>>> summary.top[0], summary.report

``library`` reads the ligands, ``worker`` prepares and docks one ligand in a worker process,
``engine`` runs the workers (Dask, local pool or cluster), ``store`` writes results resumably,
``report`` writes the HTML report and ``api`` ties them together.
"""

from __future__ import annotations

from bioql.docking.screening.api import ScreenSummary, screen

__all__ = ["ScreenSummary", "screen"]
