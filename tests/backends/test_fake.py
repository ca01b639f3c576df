"""fake_<device>: IBM fake devices, transpiled and simulated with their noise model."""

from __future__ import annotations

import pytest

from bioql.backends import fake
from bioql.backends.registry import get_backend
from bioql.errors import BioQLBackendError, BioQLResourceError, BioQLValueError
from bioql.runtime import execute
from tests.backends.programs import bell, ghz, x_on

pytestmark = pytest.mark.slow  # the first noise model per device takes seconds to build


def test_devices_are_discovered_from_the_provider():
    names = fake.fake_device_classes()
    assert {"fake_brisbane", "fake_torino", "fake_athens"} <= set(names)
    assert "fake_fractionalbackend" not in names


def test_bell_on_fake_brisbane_is_noisy_but_mostly_correlated():
    result = execute(bell(), "fake_brisbane", shots=2000, seed=11)
    assert sum(result.counts.values()) == 2000
    correlated = result.counts.get("00", 0) + result.counts.get("11", 0)
    assert 0.8 < correlated / 2000 < 1.0  # noise: some 01/10, but far from uniform
    assert set(result.counts) - {"00", "11"}, "a noisy device should show some errors"
    assert result.details["device"] == "fake_brisbane"
    # The circuit that ran is the device's ISA circuit: native gates on physical qubits.
    assert set(result.executed_circuit.count_ops()) <= {"ecr", "rz", "sx", "x", "measure"}
    assert result.executed_circuit.num_qubits == 127
    assert result.counts == execute(bell(), "fake_brisbane", shots=2000, seed=11).counts


def test_bit_order_survives_layout_and_noise():
    result = execute(x_on(1, 2), "fake_brisbane", shots=500, seed=1)
    assert result.most_likely == "01"


def test_restricted_noise_model_gives_the_same_counts_as_the_full_one():
    from qiskit_aer import AerSimulator

    from bioql.backends.base import used_qubits
    from bioql.circuits.qiskit import to_display_counts, to_qiskit

    isa = fake.pass_manager("fake_brisbane", 1, 3).run(to_qiskit(ghz(3)))
    sim = AerSimulator.from_backend(
        fake.fake_device("fake_brisbane"), noise_model=fake.full_noise_model("fake_brisbane")
    )
    full = sim.run(isa, shots=3000, seed_simulator=9).result().get_counts()
    restricted = fake.restricted_noise_model("fake_brisbane", used_qubits(isa))
    fast = sim.run(isa, shots=3000, seed_simulator=9, noise_model=restricted).result()
    assert to_display_counts(fast.get_counts()) == to_display_counts(full)


def test_more_qubits_than_the_device_has():
    with pytest.raises(BioQLResourceError, match="only 5"):
        execute(ghz(6), "fake_athens")


def test_unknown_device_and_bad_optimization_level():
    with pytest.raises(BioQLBackendError, match="Unknown fake device 'fake_nowhere'"):
        get_backend("fake_nowhere")
    with pytest.raises(BioQLValueError, match="optimization_level must be 0, 1, 2 or 3"):
        execute(bell(), "fake_athens", optimization_level=7)
