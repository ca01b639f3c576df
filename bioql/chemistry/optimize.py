"""The classical loop shared by VQE and QAOA: SciPy's minimize over an estimator's energies."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from bioql.chemistry.spec import GRADIENT_OPTIMIZERS, OPTIMIZERS
from bioql.errors import BioQLValueError

# Forward-difference step for gradients of exact energies: error ~1e-6 Ha per unit curvature,
# far below chemical accuracy, and far above double-precision round-off.
FINITE_DIFFERENCE_STEP = 1e-6


@dataclass
class Minimum:
    parameters: np.ndarray
    value: float
    iterations: int
    evaluations: int
    converged: bool
    message: str
    curve: list[float] = field(default_factory=list)  # at the start, then after each iteration
    seconds: float = 0.0


def choose_optimizer(name: str | None, exact: bool) -> str:
    """The SciPy method: the one asked for, else L-BFGS-B on exact energies, COBYLA with shots."""
    if name is None:
        return "L-BFGS-B" if exact else "COBYLA"
    if name not in OPTIMIZERS:
        raise BioQLValueError(f"Unknown optimizer {name!r}; use one of {', '.join(OPTIMIZERS)}.")
    if name in GRADIENT_OPTIMIZERS and not exact:
        raise BioQLValueError(
            f"{name} needs gradients, and finite differences of energies estimated from shots "
            "are noise; with shots use COBYLA, Nelder-Mead or Powell (or run on statevector)."
        )
    return name


def minimize(
    energies: Callable[[np.ndarray], np.ndarray],
    x0: np.ndarray,
    method: str,
    maxiter: int,
    initial_step: float,
) -> Minimum:
    """Minimise ``energies`` (a batch function) from ``x0``; one estimator call per step.

    Gradient methods get the energy and its forward-difference gradient from a single batched
    estimator call (n + 1 parameter sets), which is what makes them fast on a simulator.
    """
    from scipy.optimize import minimize as scipy_minimize

    seen: dict[bytes, float] = {}
    curve: list[float] = []

    def remember(x: np.ndarray, e: float) -> float:
        if not curve:
            curve.append(e)  # the starting point is iteration 0
        seen[x.tobytes()] = e
        return e

    def value(x: np.ndarray) -> float:
        return remember(x, float(energies(x[None, :])[0]))

    def value_and_gradient(x: np.ndarray) -> tuple[float, np.ndarray]:
        shifted = x + FINITE_DIFFERENCE_STEP * np.eye(len(x))
        e = energies(np.vstack([x, shifted]))
        return remember(x, float(e[0])), (e[1:] - e[0]) / FINITE_DIFFERENCE_STEP

    def record(xk: np.ndarray) -> None:
        curve.append(seen[xk.tobytes()] if xk.tobytes() in seen else value(xk))

    gradient = method in GRADIENT_OPTIMIZERS
    options: dict[str, float | int] = {"maxiter": maxiter}
    if method == "COBYLA":
        options["rhobeg"] = initial_step
    t0 = time.perf_counter()
    result = scipy_minimize(
        value_and_gradient if gradient else value,
        np.asarray(x0, dtype=float),
        method=method,
        jac=gradient or None,
        callback=record,
        options=options,
    )
    final = float(result.fun)
    return Minimum(
        parameters=np.asarray(result.x, dtype=float),
        value=final,
        iterations=int(getattr(result, "nit", len(curve)) or len(curve)),
        evaluations=int(result.nfev),
        converged=bool(result.success),
        message=str(result.message),
        curve=curve or [final],
        seconds=time.perf_counter() - t0,
    )
