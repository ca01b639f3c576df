"""VQE: one energy point (or a curve of them) for a ChemistrySpec.

The ansatz comes from Qiskit Nature (UCCSD on the Hartree–Fock state) or Qiskit's circuit
library (EfficientSU2 layers on the Hartree–Fock state); energies from the runner's estimator;
the loop is SciPy's minimize. Along a scan, each point starts from the previous point's optimum.
"""

from __future__ import annotations

import time
import warnings
from typing import TYPE_CHECKING, Any

import numpy as np

from bioql.chemistry.optimize import choose_optimizer, minimize
from bioql.chemistry.problem import QubitProblem, build_problem
from bioql.chemistry.result import ChemistryResult, EnergyPoint

if TYPE_CHECKING:
    from qiskit import QuantumCircuit

    from bioql.chemistry.execution import Runner
    from bioql.chemistry.spec import ChemistrySpec

DEFAULT_MAXITER = 500
# COBYLA's first trust radius: UCCSD amplitudes near equilibrium are a few hundredths.
INITIAL_STEP = 0.1


def run_vqe(spec: ChemistrySpec, runner: Runner, options: dict[str, Any]) -> ChemistryResult:
    t0 = time.perf_counter()
    method = choose_optimizer(spec.optimizer, runner.exact)
    maxiter = int(options.get("maxiter", DEFAULT_MAXITER))
    rng = np.random.default_rng(runner.seed)
    points: list[EnergyPoint] = []
    start: np.ndarray | None = None
    for molecule in spec.molecules():
        problem = build_problem(
            molecule, spec.basis, spec.active_space, spec.frozen_core, spec.mapping
        )
        ansatz = build_ansatz(spec, problem)
        if start is None or len(start) != ansatz.num_parameters:
            start = initial_point(spec, ansatz.num_parameters, rng)
        point = _solve_point(problem, ansatz, runner, method, maxiter, start)
        point.bond_length = molecule.bond_length
        points.append(point)
        start = np.asarray(point.parameters)
    return ChemistryResult(
        spec=spec,
        points=points,
        backend=runner.backend,
        shots=None if runner.exact else runner.shots,
        optimizer=method,
        seed=runner.seed,
        details=dict(runner.details),
        total_seconds=time.perf_counter() - t0,
    )


def build_ansatz(spec: ChemistrySpec, problem: QubitProblem) -> QuantumCircuit:
    from qiskit_nature.second_q.circuit.library import UCCSD, HartreeFock

    # Qiskit Nature's circuits still derive from BlueprintCircuit, deprecated since Qiskit 2.1.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        orbitals, particles = problem.num_spatial_orbitals, problem.num_particles
        reference = HartreeFock(orbitals, particles, problem.mapper)
        if spec.ansatz == "uccsd":
            circuit = UCCSD(orbitals, particles, problem.mapper, initial_state=reference)
            return circuit.decompose()  # a plain circuit, built while warnings are off
        from qiskit.circuit.library import efficient_su2

        layers = efficient_su2(problem.num_qubits, reps=spec.layers, entanglement="linear")
        return reference.decompose().compose(layers)


def initial_point(spec: ChemistrySpec, size: int, rng: np.random.Generator) -> np.ndarray:
    """UCCSD: zeros, the Hartree–Fock state. Hardware-efficient: near zero, off its saddle."""
    if spec.ansatz == "uccsd":
        return np.zeros(size)
    return rng.normal(0.0, 0.05, size)


def _solve_point(
    problem: QubitProblem,
    ansatz: QuantumCircuit,
    runner: Runner,
    method: str,
    maxiter: int,
    start: np.ndarray,
) -> EnergyPoint:
    calls_before, seconds_before = runner.calls, runner.seconds
    energies = runner.energy_function(ansatz, problem.hamiltonian)
    best = minimize(energies, start, method, maxiter, INITIAL_STEP)
    return EnergyPoint(
        bond_length=None,
        energy_hartree=best.value + problem.constant,
        reference_hartree=problem.reference_hartree,
        reference_method=problem.reference_method,
        hartree_fock_hartree=problem.hartree_fock_hartree,
        num_qubits=problem.num_qubits,
        num_parameters=ansatz.num_parameters,
        active_electrons=sum(problem.num_particles),
        active_orbitals=problem.num_spatial_orbitals,
        iterations=best.iterations,
        evaluations=best.evaluations,
        estimator_calls=runner.calls - calls_before,
        converged=best.converged,
        convergence=[e + problem.constant for e in best.curve],
        parameters=best.parameters.tolist(),
        seconds={
            **problem.seconds,
            "optimization": best.seconds,
            "estimator": runner.seconds - seconds_before,
        },
    )
