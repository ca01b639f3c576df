"""MaxCut by QAOA, checked against the brute-force optimum.

The cost operator is written here (one ZZ term per edge; the library alternatives would add a
modelling dependency for a two-line operator); the circuit is Qiskit's ``qaoa_ansatz``; energies
come from the runner's estimator and the loop is SciPy's minimize. The reported ``cut`` is the
best cut among the outcomes of the optimised circuit (exact probabilities on statevector,
measured shots elsewhere); the approximation ratio is the expected cut value over the optimum.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Any

import numpy as np

from bioql.chemistry.optimize import choose_optimizer, minimize
from bioql.chemistry.result import OptimizationResult

if TYPE_CHECKING:
    from qiskit.quantum_info import SparsePauliOp

    from bioql.chemistry.execution import Runner
    from bioql.chemistry.spec import MaxCutSpec

DEFAULT_MAXITER = 300
INITIAL_STEP = 0.3  # COBYLA's first step in radians
RAMP = 0.75  # linear-ramp start: gammas rise and betas fall over the layers to this scale


def run_qaoa(spec: MaxCutSpec, runner: Runner, options: dict[str, Any]) -> OptimizationResult:
    from qiskit.circuit.library import qaoa_ansatz

    t0 = time.perf_counter()
    method = choose_optimizer(spec.optimizer, runner.exact)
    cost = cost_operator(spec)
    circuit = qaoa_ansatz(cost, reps=spec.depth)
    total_weight = sum(w for _, _, w in spec.edges)
    energies = runner.energy_function(circuit, cost)
    maxiter = int(options.get("maxiter", DEFAULT_MAXITER))
    best = minimize(energies, linear_ramp(spec), method, maxiter, INITIAL_STEP)
    t1 = time.perf_counter()
    distribution = runner.probabilities(circuit, best.parameters)
    values = {b: cut_value(spec, b) for b in distribution}
    optimum, optimal = brute_force(spec)
    cut = max(values, key=lambda b: (values[b], distribution[b], b))
    t2 = time.perf_counter()
    return OptimizationResult(
        spec=spec,
        cut=cut,
        cut_value=values[cut],
        optimum=optimum,
        optimal_cuts=optimal,
        expected_cut_value=sum(p * values[b] for b, p in distribution.items()),
        probability_of_optimum=sum(distribution.get(b, 0.0) for b in optimal),
        distribution=distribution,
        parameters=best.parameters.tolist(),
        iterations=best.iterations,
        evaluations=best.evaluations,
        converged=best.converged,
        # the cost is the ZZ part only: a cut's value is W/2 minus it
        convergence=[total_weight / 2 - e for e in best.curve],
        backend=runner.backend,
        shots=None if runner.exact else runner.shots,
        optimizer=method,
        seed=runner.seed,
        details=dict(runner.details),
        timing={
            "optimization_seconds": t1 - t0,
            "sampling_and_brute_force_seconds": t2 - t1,
            "total_seconds": t2 - t0,
        },
    )


def cost_operator(spec: MaxCutSpec) -> SparsePauliOp:
    """Σ w/2 · Z_u Z_v: its minimum is at a maximum cut (cut value = W/2 − energy)."""
    from qiskit.quantum_info import SparsePauliOp

    terms = [("ZZ", [u, v], w / 2) for u, v, w in spec.edges]
    return SparsePauliOp.from_sparse_list(terms, num_qubits=spec.nodes).simplify()


def linear_ramp(spec: MaxCutSpec) -> np.ndarray:
    """A standard QAOA starting point: an annealing-like schedule (gammas up, betas down)."""
    p = spec.depth
    fractions = (np.arange(p) + 0.5) / p
    scale = RAMP / max(abs(w) for _, _, w in spec.edges)
    # qaoa_ansatz orders its parameters as betas, then gammas
    return np.concatenate([RAMP * (1 - fractions), scale * fractions])


def cut_value(spec: MaxCutSpec, bits: str) -> float:
    return float(sum(w for u, v, w in spec.edges if bits[u] != bits[v]))


def brute_force(spec: MaxCutSpec) -> tuple[float, list[str]]:
    """The maximum cut value and every bitstring reaching it, by checking all 2^n cuts."""
    n = spec.nodes
    assignments = (np.arange(2**n)[:, None] >> np.arange(n)[None, :]) & 1  # node i = bit i
    values = np.zeros(2**n)
    for u, v, w in spec.edges:
        values += w * (assignments[:, u] != assignments[:, v])
    best = float(values.max())
    winners = np.flatnonzero(np.isclose(values, best))
    return best, ["".join(str(b) for b in assignments[k]) for k in winners]
