"""``quantum()``: compile a description, run it on a backend, return a QuantumResult.

Which shots and backend are used:

1. an argument the caller passes explicitly always wins (``shots=1024`` included);
2. otherwise a shot count or backend named in the description itself
   ("... run it 2000 times on IBM Brisbane") is used;
3. otherwise the defaults: 1024 shots on ``simulator``.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Any

from bioql.config import MAX_SHOTS
from bioql.errors import BioQLValueError

if TYPE_CHECKING:
    from bioql.chemistry import ChemistryResult, OptimizationResult
    from bioql.circuits.ir import Program
    from bioql.result import QuantumResult


class _DefaultInt(int):
    """The default shot count; a distinct object so that an explicit ``shots=1024`` is seen."""


class _DefaultStr(str):
    """The default backend name, distinguishable from an explicit ``backend="simulator"``."""


DEFAULT_SHOTS: int = _DefaultInt(1024)
DEFAULT_BACKEND: str = _DefaultStr("simulator")


def quantum(
    description: str | Program,
    backend: str = DEFAULT_BACKEND,
    shots: int = DEFAULT_SHOTS,
    seed: int | None = None,
    **options: Any,
) -> QuantumResult | ChemistryResult | OptimizationResult:
    """Compile ``description`` (English or Spanish) into a circuit and run it.

    >>> result = quantum("Create a Bell state", shots=1000, seed=1)
    >>> sorted(result.counts)
    ['00', '11']

    ``options`` are backend-specific (e.g. ``method="statevector"`` for ``simulator``,
    ``optimization_level=2`` for ``fake_*`` / ``ibm_*``, ``noise_model="aria-1"`` for
    ``ionq_simulator``); an unknown one raises BioQLValueError listing the valid ones.
    A pre-compiled :class:`~bioql.circuits.ir.Program` is accepted in place of the text.

    A ground-state energy request ("... of H2 at 0.735 Å with VQE") returns a
    :class:`~bioql.chemistry.ChemistryResult`, a MaxCut request an
    :class:`~bioql.chemistry.OptimizationResult`; they run on ``statevector`` unless a
    backend is given (see :mod:`bioql.chemistry`).
    """
    from bioql.circuits.ir import Program

    if isinstance(description, Program):
        return execute(description, backend, shots, seed, **options)
    if not isinstance(description, str):
        raise BioQLValueError(
            f"description must be text such as 'Create a Bell state', got "
            f"{type(description).__name__}."
        )
    from bioql.language.chemistry import read_chemistry

    # VQE and MaxCut requests are read by their own reader and return their own result types.
    if (spec := read_chemistry(description)) is not None:
        from bioql.chemistry import solve

        return solve(
            spec,
            backend=None if backend is DEFAULT_BACKEND else backend,
            shots=None if shots is DEFAULT_SHOTS else _check_shots(shots),
            seed=_check_seed(seed),
            description=description,
            **options,
        )
    from bioql.language import compile_description

    t0 = time.perf_counter()
    program = compile_description(description)
    compile_seconds = time.perf_counter() - t0
    return execute(program, backend, shots, seed, _compile_seconds=compile_seconds, **options)


def execute(
    program: Program,
    backend: str = DEFAULT_BACKEND,
    shots: int = DEFAULT_SHOTS,
    seed: int | None = None,
    *,
    _compile_seconds: float = 0.0,
    **options: Any,
) -> QuantumResult:
    """Run an already compiled Program; same rules and result as :func:`quantum`."""
    from bioql.backends import get_backend
    from bioql.circuits.qiskit import to_qiskit
    from bioql.result import QuantumResult, probabilities_from_counts

    t_start = time.perf_counter()
    backend_name = program.backend if backend is DEFAULT_BACKEND and program.backend else backend
    shots = program.shots if shots is DEFAULT_SHOTS and program.shots else shots
    shots = _check_shots(shots)
    seed = _check_seed(seed)
    adapter = get_backend(backend_name)
    adapter.validate_options(options)
    adapter.check(program)  # resource / credential guard before anything is built
    t0 = time.perf_counter()
    circuit = to_qiskit(program)  # validates the program (gates, qubit indices, angles)
    build_seconds = time.perf_counter() - t0
    run = adapter.run(program, circuit, shots=shots, seed=seed, options=options)
    exact = run.probabilities is not None
    total = _compile_seconds + (time.perf_counter() - t_start)
    return QuantumResult(
        counts=dict(sorted(run.counts.items())),
        probabilities=run.probabilities
        if run.probabilities is not None
        else probabilities_from_counts(run.counts, shots),
        shots=shots,
        backend=adapter.name,
        circuit=circuit,
        program=program,
        timing={
            "compile_seconds": _compile_seconds + build_seconds,
            "transpile_seconds": run.transpile_seconds,
            "execute_seconds": run.execute_seconds,
            "total_seconds": total,
        },
        exact=exact,
        seed=seed,
        details=run.details,
        executed_circuit=run.executed_circuit,
    )


def _check_shots(shots: Any) -> int:
    if isinstance(shots, bool) or not isinstance(shots, int):
        raise BioQLValueError(f"shots must be a whole number such as 1024, got {shots!r}.")
    if not 1 <= shots <= MAX_SHOTS:
        raise BioQLValueError(f"shots must be between 1 and {MAX_SHOTS:,}, got {shots}.")
    return int(shots)


def _check_seed(seed: Any) -> int | None:
    if seed is None:
        return None
    if isinstance(seed, bool) or not isinstance(seed, int) or not 0 <= seed < 2**32:
        raise BioQLValueError(f"seed must be a whole number from 0 to 2**32-1, got {seed!r}.")
    return int(seed)
