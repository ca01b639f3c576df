"""A molecule → its qubit Hamiltonian in an active space, and the exact energy to check against.

PySCF does the chemistry: Hartree–Fock, the active-space (frozen-core) integrals and the exact
reference — CASCI in the same active space, which is FCI when every orbital is active. Qiskit
Nature turns the active-space integrals into a fermionic operator and maps it to qubits (parity
mapping with the two-qubit reduction by default). Both come from the same PySCF CASCI object, so
the reference and the Hamiltonian describe exactly the same problem by construction.
"""

from __future__ import annotations

import time
import warnings
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from bioql.chemistry.spec import BASIS_SETS, MAX_VQE_QUBITS
from bioql.errors import BioQLValueError

if TYPE_CHECKING:
    from qiskit.quantum_info import SparsePauliOp
    from qiskit_nature.second_q.mappers import QubitMapper

    from bioql.chemistry.molecules import Molecule
    from bioql.chemistry.spec import ActiveSpace


@dataclass
class QubitProblem:
    """Everything VQE needs for one geometry, and what its answer is checked against."""

    hamiltonian: SparsePauliOp  # the active-space electronic part
    constant: float  # nuclear repulsion + frozen-core energy, added to every estimate
    num_spatial_orbitals: int
    num_particles: tuple[int, int]  # active (alpha, beta) electrons
    mapper: QubitMapper
    hartree_fock_hartree: float
    reference_hartree: float
    reference_method: str  # "FCI" or "CASCI"
    seconds: dict[str, float] = field(default_factory=dict)

    @property
    def num_qubits(self) -> int:
        return self.hamiltonian.num_qubits


def build_problem(
    molecule: Molecule,
    basis: str,
    active_space: ActiveSpace | None,
    frozen_core: bool,
    mapping: str,
) -> QubitProblem:
    t0 = time.perf_counter()
    mean_field = _hartree_fock(molecule, basis)
    ncore, ncas, nelecas = _active_orbitals(mean_field, active_space, frozen_core)
    t1 = time.perf_counter()
    casci, reference = _casci(mean_field, ncas, nelecas)
    t2 = time.perf_counter()
    hamiltonian, mapper, constant = _qubit_hamiltonian(casci, ncas, nelecas, mapping)
    t3 = time.perf_counter()
    full = ncore == 0 and ncas == mean_field.mol.nao
    return QubitProblem(
        hamiltonian=hamiltonian,
        constant=constant,
        num_spatial_orbitals=ncas,
        num_particles=nelecas,
        mapper=mapper,
        hartree_fock_hartree=float(mean_field.e_tot),
        reference_hartree=reference,
        reference_method="FCI" if full else "CASCI",
        seconds={"hartree_fock": t1 - t0, "reference": t2 - t1, "mapping": t3 - t2},
    )


def _hartree_fock(molecule: Molecule, basis: str) -> Any:
    from pyscf import gto, scf

    try:
        with warnings.catch_warnings():  # PySCF suggests downloading missing basis sets
            warnings.simplefilter("ignore", UserWarning)
            mol = gto.M(
                atom=molecule.pyscf_atom(),
                basis=basis,
                charge=molecule.charge,
                spin=molecule.spin,
                unit="Angstrom",
                verbose=0,
            )
    except (RuntimeError, KeyError, ValueError) as exc:
        raise BioQLValueError(
            f"PySCF cannot build {molecule.formula} in the {BASIS_SETS[basis]} basis: {exc}. "
            "A minimal basis such as STO-3G covers hydrogen to radon."
        ) from exc
    mean_field = scf.RHF(mol) if molecule.spin == 0 else scf.ROHF(mol)
    mean_field.kernel()
    if not mean_field.converged:  # stretched bonds: second-order SCF usually gets there
        mean_field = mean_field.newton()
        mean_field.kernel()
    if not mean_field.converged:
        raise BioQLValueError(
            f"Hartree–Fock did not converge for {molecule.formula} at this geometry; try a bond "
            "length closer to equilibrium."
        )
    return mean_field


def _active_orbitals(
    mean_field: Any, active_space: ActiveSpace | None, frozen_core: bool
) -> tuple[int, int, tuple[int, int]]:
    """(core orbitals, active orbitals, active (alpha, beta) electrons)."""
    mol = mean_field.mol
    if active_space is None:
        ncore = frozen_core_orbitals(mol.elements) if frozen_core else 0
        ncas = mol.nao - ncore
        electrons = mol.nelectron - 2 * ncore
    else:
        electrons, ncas = active_space.electrons, active_space.orbitals
        ncore = (mol.nelectron - electrons) // 2
    if ncore + ncas > mol.nao:
        raise BioQLValueError(
            f"An active space of {ncas} orbitals above {ncore} core orbitals needs "
            f"{ncore + ncas} orbitals, but {mol.nao} exist in this basis; choose at most "
            f"{mol.nao - ncore} active orbitals."
        )
    if 2 * ncas - 2 > MAX_VQE_QUBITS:
        raise BioQLValueError(
            f"{ncas} active orbitals need {2 * ncas - 2} qubits; BioQL runs VQE on at most "
            f"{MAX_VQE_QUBITS}. Choose an active space, e.g. 'with an active space of 4 "
            "electrons in 4 orbitals'."
        )
    alpha = (electrons + mol.spin) // 2
    return ncore, ncas, (alpha, electrons - alpha)


def frozen_core_orbitals(symbols: list[str]) -> int:
    """Orbitals of each atom's noble-gas core (Li 1s counts, as in Qiskit Nature's FreezeCore;
    PySCF's own ``chemcore`` keeps Li and Be 1s active)."""
    from bioql.chemistry.molecules import ELEMENTS

    shells = ((2, 1), (10, 5), (18, 9), (36, 18), (54, 27))  # above Z: core orbitals
    total = 0
    for symbol in symbols:
        z = ELEMENTS.index(symbol) + 1
        total += max((core for limit, core in shells if z > limit), default=0)
    return total


def _casci(mean_field: Any, ncas: int, nelecas: tuple[int, int]) -> tuple[Any, float]:
    """PySCF's CASCI: the lowest energy with these alpha and beta electron counts."""
    from pyscf import mcscf

    casci = mcscf.CASCI(mean_field, ncas, nelecas)
    casci.verbose = 0
    energy = casci.kernel()[0]
    return casci, float(energy)


def _qubit_hamiltonian(
    casci: Any, ncas: int, nelecas: tuple[int, int], mapping: str
) -> tuple[SparsePauliOp, QubitMapper, float]:
    from pyscf import ao2mo
    from qiskit_nature.second_q.hamiltonians import ElectronicEnergy

    one_body, core_energy = casci.get_h1eff()
    two_body = ao2mo.restore(1, casci.get_h2eff(), ncas)  # chemists' (ij|kl), full 4-index
    fermionic = ElectronicEnergy.from_raw_integrals(one_body, two_body).second_q_op()
    mapper = make_mapper(mapping, nelecas)
    return mapper.map(fermionic).simplify(), mapper, float(core_energy)


def make_mapper(mapping: str, nelecas: tuple[int, int]) -> QubitMapper:
    from qiskit_nature.second_q.mappers import (
        BravyiKitaevMapper,
        JordanWignerMapper,
        ParityMapper,
    )

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        if mapping == "parity":
            return ParityMapper(num_particles=nelecas)  # the two-qubit reduction
        if mapping == "jordan-wigner":
            return JordanWignerMapper()
        if mapping == "bravyi-kitaev":
            return BravyiKitaevMapper()
    raise BioQLValueError(
        f"Unknown mapping {mapping!r}; use parity, jordan-wigner or bravyi-kitaev."
    )
