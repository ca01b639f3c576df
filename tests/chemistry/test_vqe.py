"""VQE energies against exact references computed independently here with PySCF."""

from __future__ import annotations

import json

import numpy as np
import pytest

from bioql import quantum
from bioql.chemistry import ChemistryResult, solve
from bioql.chemistry.molecules import make_builtin
from bioql.chemistry.problem import build_problem
from bioql.chemistry.spec import ActiveSpace
from bioql.errors import BioQLBackendError, BioQLValueError
from bioql.language.chemistry import read_chemistry

pyscf = pytest.importorskip("pyscf")


def fci_energy(atom: str, basis: str = "sto-3g") -> float:
    """Full CI straight from PySCF, without any BioQL code in between."""
    from pyscf import fci, gto, scf

    mol = gto.M(atom=atom, basis=basis, verbose=0)
    mean_field = scf.RHF(mol).run()
    return float(fci.FCI(mean_field).kernel()[0])


def vqe(text: str, **kwargs: object) -> ChemistryResult:
    result = quantum(text, seed=11, **kwargs)
    assert isinstance(result, ChemistryResult)
    return result


def test_h2_ground_state_matches_full_ci() -> None:
    result = vqe("Estimate the ground-state energy of H2 at 0.735 Å with VQE")
    exact = fci_energy("H 0 0 0; H 0 0 0.735")
    assert result.reference_hartree == pytest.approx(exact, abs=1e-9)
    assert result.reference_method == "FCI"
    assert result.within_chemical_accuracy and abs(result.error_mha) < 1.6
    # variational: never below the exact energy; and it recovers the correlation energy
    assert result.energy_hartree >= exact - 1e-9
    assert result.energy_hartree < result.hartree_fock_hartree - 0.015
    # parity mapping with the two-qubit reduction: 4 spin orbitals on 2 qubits
    assert (result.num_qubits, result.num_parameters, result.backend) == (2, 3, "statevector")
    assert result.convergence[-1] == pytest.approx(result.energy_hartree, abs=1e-9)
    assert result.reading.startswith("Estimate the ground-state energy of H2 at 0.735 Å")


def test_h2_dissociation_curve_matches_full_ci_point_by_point(tmp_path) -> None:
    result = vqe("the dissociation curve of H2 from 0.5 to 2.0 Å in 4 steps")
    assert [p.bond_length for p in result.points] == pytest.approx([0.5, 1.0, 1.5, 2.0])
    for point in result.points:
        exact = fci_energy(f"H 0 0 0; H 0 0 {point.bond_length}")
        assert point.reference_hartree == pytest.approx(exact, abs=1e-9)
        assert abs(point.energy_hartree - exact) * 1000 < 1.6, point.bond_length
    # the scalar answer is the lowest point of the curve
    assert result.bond_length == 0.5 + 0.5 * np.argmin([p.energy_hartree for p in result.points])
    result.plot(tmp_path / "curve.png")
    assert (tmp_path / "curve.png").stat().st_size > 10_000
    assert "R (Å)" in str(result)


def test_qubit_hamiltonian_has_the_casci_ground_state() -> None:
    """The qubit operator's lowest eigenvalue plus the constant is PySCF's CASCI energy."""
    lih = make_builtin("LiH")
    problem = build_problem(lih, "sto-3g", None, True, "parity")
    lowest = np.linalg.eigvalsh(problem.hamiltonian.to_matrix())[0]
    assert lowest + problem.constant == pytest.approx(problem.reference_hartree, abs=1e-8)
    # Li 1s frozen: 5 active orbitals, 2 electrons, 10 spin orbitals minus the two-qubit reduction
    assert (problem.num_spatial_orbitals, problem.num_particles, problem.num_qubits) == (
        5,
        (1, 1),
        8,
    )
    assert problem.reference_method == "CASCI"


@pytest.mark.parametrize("mapping", ["jordan-wigner", "bravyi-kitaev"])
def test_every_mapping_gives_the_same_energy(mapping: str) -> None:
    parity = vqe("energy of H2 at 0.9 Å")
    other = vqe(f"energy of H2 at 0.9 Å with the {mapping} mapping")
    assert other.num_qubits == 4  # no reduction
    assert other.energy_hartree == pytest.approx(parity.energy_hartree, abs=1e-6)


def test_hardware_efficient_ansatz_reaches_chemical_accuracy_on_h2() -> None:
    result = vqe("energy of H2 at 0.735 Å with the hardware-efficient ansatz with 2 layers")
    assert result.spec.ansatz == "hardware-efficient"
    assert result.num_parameters == 12  # EfficientSU2 on 2 qubits: (2 layers + 1) x RY, RZ
    assert result.energy_hartree >= result.reference_hartree - 1e-9
    assert result.within_chemical_accuracy


def test_shot_based_estimates_on_the_ideal_simulator() -> None:
    result = vqe("energy of H2 at 0.735 Å with 20000 shots", backend="simulator")
    assert (result.backend, result.shots, result.optimizer) == ("simulator", 20000, "COBYLA")
    # shot noise of a few mHa per estimate: near, not at, the exact energy
    assert abs(result.error_mha) < 30
    with pytest.raises(BioQLValueError, match="with shots use COBYLA"):
        vqe("energy of H2 with L-BFGS-B", backend="simulator")


def test_noisy_run_on_a_fake_device() -> None:
    result = vqe("energy of H2 at 0.735 Å on fake_manila with 4000 shots", maxiter=40)
    assert (result.backend, result.shots) == ("fake_manila", 4000)
    assert result.details["device"] == "fake_manila"
    assert len(result.details["physical_qubits"]) == 2
    # device noise raises the energy; shot noise alone cannot push it far below the exact one
    assert -30 < result.error_mha < 300
    assert result.energy_hartree < result.hartree_fock_hartree + 0.3
    json.dumps(result.to_dict())


def test_results_are_plain_data_and_show_themselves(tmp_path) -> None:
    result = vqe("Estima la energía del estado fundamental de H2 a 0.735 Å con VQE")
    data = json.loads(json.dumps(result.to_dict()))
    assert data["kind"] == "vqe" and data["molecule"] == "H2"
    assert data["energy_hartree"] == result.energy_hartree
    assert data["points"][0]["num_qubits"] == 2
    text = str(result)
    assert "within chemical accuracy" in text and f"{result.energy_hartree:.6f}" in text
    assert "<table>" in result._repr_html_()
    result.plot(tmp_path / "vqe.png")
    assert (tmp_path / "vqe.png").stat().st_size > 10_000


def test_backends_options_and_active_spaces_that_cannot_run() -> None:
    with pytest.raises(BioQLBackendError, match=r"statevector .* simulator .* fake_<device>"):
        vqe("energy of H2", backend="ibm_brisbane")
    with pytest.raises(BioQLBackendError, match="Unknown fake device"):
        vqe("energy of H2", backend="fake_nowhere")
    with pytest.raises(BioQLValueError, match="Unknown option"):
        vqe("energy of H2", shots_per_group=5)
    with pytest.raises(BioQLValueError, match="6 exist in this basis"):
        vqe("energy of LiH with an active space of 2 electrons in 7 orbitals")


def test_solve_runs_a_spec_without_words() -> None:
    spec = read_chemistry("energy of LiH with an active space of 2 electrons in 2 orbitals")
    assert spec is not None and spec.active_space == ActiveSpace(2, 2)
    result = solve(spec, seed=1)
    assert isinstance(result, ChemistryResult)
    assert result.num_qubits == 2 and result.within_chemical_accuracy


@pytest.mark.slow
@pytest.mark.parametrize(
    ("text", "qubits"),
    [
        ("energy of LiH", 8),
        ("energy of water with an active space of 4 electrons in 4 orbitals", 6),
    ],
)
def test_larger_molecules_reach_chemical_accuracy(text: str, qubits: int) -> None:
    result = vqe(text)
    assert result.num_qubits == qubits
    assert result.energy_hartree >= result.reference_hartree - 1e-9
    assert result.within_chemical_accuracy, result.error_mha


def test_a_basis_without_the_element_is_a_clear_error() -> None:
    with pytest.raises(BioQLValueError, match=r"cannot build HXe in the 6-31G basis.*STO-3G"):
        vqe("energy of the molecule Xe 0 0 0; H 0 0 1.7 in the 6-31G basis with charge 1")
