"""Chemistry and optimisation in words: VQE ground-state energies and MaxCut by QAOA.

>>> from bioql import quantum
>>> result = quantum("Estimate the ground-state energy of H2 at 0.735 Å with VQE")
>>> round(result.error_mha, 3) <= 1.6
True

Files, in the order a request flows through them: :mod:`molecules` (the built-in set and XYZ
geometries), :mod:`spec` (what the words asked for; the reader is
:mod:`bioql.language.chemistry`), :mod:`problem` (PySCF → qubit Hamiltonian and exact
reference), :mod:`execution` (estimator and sampler per backend), :mod:`optimize` (SciPy's
loop), :mod:`vqe` and :mod:`qaoa`, :mod:`result`, :mod:`reading` (spec → canonical sentence).
"""

from __future__ import annotations

from typing import Any

from bioql.chemistry.result import ChemistryResult, EnergyPoint, OptimizationResult
from bioql.chemistry.spec import ChemistrySpec, MaxCutSpec

__all__ = [
    "ChemistryResult",
    "ChemistrySpec",
    "EnergyPoint",
    "MaxCutSpec",
    "OptimizationResult",
    "solve",
]

# quantum()'s default backend is the shot-based simulator; a variational answer wants exact
# energies unless a backend is asked for.
DEFAULT_BACKEND = "statevector"
OPTIONS = {
    "maxiter": "optimizer iterations at most (default 500 for VQE, 300 for QAOA)",
    "optimization_level": "transpiler optimisation 0-3 for fake_<device> (default 1)",
}


def solve(
    spec: ChemistrySpec | MaxCutSpec,
    backend: str | None = None,
    shots: int | None = None,
    seed: int | None = None,
    description: str = "",
    **options: Any,
) -> ChemistryResult | OptimizationResult:
    """Run a spec. ``backend`` and ``shots`` when given win over those the words named.

    Without a backend: statevector (exact energies), or the shot-based simulator when shots
    were asked for. Without shots: 1024 per estimate where shots are used.
    """
    from bioql.chemistry.execution import make_runner
    from bioql.errors import BioQLValueError

    unknown = sorted(set(options) - set(OPTIONS))
    if unknown:
        valid = "; ".join(f"{k}: {v}" for k, v in OPTIONS.items())
        raise BioQLValueError(f"Unknown option(s) {', '.join(unknown)}. Valid: {valid}.")
    maxiter = options.get("maxiter", 1)
    if isinstance(maxiter, bool) or not isinstance(maxiter, int) or maxiter < 1:
        raise BioQLValueError(f"maxiter must be a whole number of at least 1, got {maxiter!r}.")
    asked_shots = shots or spec.shots
    # shots asked for without a backend mean sampling: the ideal simulator, not exact energies
    default = "simulator" if asked_shots else DEFAULT_BACKEND
    runner = make_runner(backend or spec.backend or default, asked_shots or 1024, seed, options)
    if isinstance(spec, MaxCutSpec):
        from bioql.chemistry.qaoa import run_qaoa

        result: ChemistryResult | OptimizationResult = run_qaoa(spec, runner, options)
    else:
        from bioql.chemistry.vqe import run_vqe

        result = run_vqe(spec, runner, options)
    result.description = description
    return result
