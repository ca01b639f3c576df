"""The chemistry / MaxCut reader: every phrase class, both languages, round trips and bad input."""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bioql.chemistry.spec import (
    ActiveSpace,
    ChemistrySpec,
    MaxCutSpec,
    Scan,
    family_edges,
)
from bioql.errors import BioQLParseError, BioQLValueError
from bioql.language.chemistry import read_chemistry


def chem(text: str) -> ChemistrySpec:
    spec = read_chemistry(text)
    assert isinstance(spec, ChemistrySpec), text
    return spec


def cut(text: str) -> MaxCutSpec:
    spec = read_chemistry(text)
    assert isinstance(spec, MaxCutSpec), text
    return spec


# --- molecules and geometry ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "formula", "bond"),
    [
        ("Estimate the ground-state energy of H2 at 0.735 Å with VQE", "H2", 0.735),
        ("Estima la energía del estado fundamental de H2 a 0.735 Å con VQE", "H2", 0.735),
        ("LiH at a bond length of 1.6 angstrom", "LiH", 1.6),
        ("energía de LiH con una distancia de enlace de 1.6 angstrom", "LiH", 1.6),
        ("ground state energy of lithium hydride", "LiH", 1.595),
        ("energia del hidruro de litio", "LiH", 1.595),
        ("VQE energy of beryllium hydride at 1.3 A", "BeH2", 1.3),
        ("energy of ammonia at equilibrium", "NH3", 1.012),
        ("energía del amoníaco", "NH3", 1.012),
        ("VQE for nitrogen at 2.0749 bohr", "N2", pytest.approx(1.098, abs=1e-4)),
        ("energy of water at 95.72 pm", "H2O", pytest.approx(0.9572)),
        ("energy of h2o", "H2O", 0.9572),
    ],
)
def test_molecule_and_bond_length(text: str, formula: str, bond: float) -> None:
    spec = chem(text)
    assert spec.formula == formula
    assert spec.bond_length == bond
    assert spec.scan is None


def test_xyz_geometry_is_read_in_angstrom() -> None:
    spec = chem("ground state energy of the molecule H 0 0 0; F 0 0 0.917 with VQE")
    assert spec.atoms == (("H", (0.0, 0.0, 0.0)), ("F", (0.0, 0.0, 0.917)))
    assert spec.name == "FH"
    assert spec.formula == "" and spec.bond_length is None
    assert spec.frozen_core  # fluorine has a 1s core


@pytest.mark.parametrize(
    "text",
    [
        "the dissociation curve of H2 from 0.5 to 2.5 Å in 10 steps",
        "la curva de disociación de H2 de 0.5 a 2.5 Å en 10 pasos",
        "scan H2 between 0.5 and 2.5 angstrom with 10 points using VQE",
        "the potential energy curve of H2 from 0.5 to 2.5 Å in 10 points",
    ],
)
def test_dissociation_curve(text: str) -> None:
    spec = chem(text)
    assert spec.scan == Scan(0.5, 2.5, 10)
    lengths = spec.scan.bond_lengths()
    assert lengths[0] == 0.5 and lengths[-1] == 2.5 and len(lengths) == 10
    assert [m.bond_length for m in spec.molecules()] == lengths


def test_builtin_geometries_keep_their_angles_when_stretched() -> None:
    water = chem("energy of water at 1.2 Å").molecules()[0]
    (_, o), (_, h1), (_, h2) = water.atoms
    assert math.dist(o, h1) == pytest.approx(1.2) and math.dist(o, h2) == pytest.approx(1.2)
    v1, v2 = (
        [a - b for a, b in zip(h1, o, strict=True)],
        [a - b for a, b in zip(h2, o, strict=True)],
    )
    cos = sum(a * b for a, b in zip(v1, v2, strict=True)) / 1.2**2
    assert math.degrees(math.acos(cos)) == pytest.approx(104.52)
    ammonia = chem("energy of NH3 at 1.1 Å").molecules()[0]
    n = ammonia.atoms[0][1]
    hs = [xyz for _, xyz in ammonia.atoms[1:]]
    assert all(math.dist(n, h) == pytest.approx(1.1) for h in hs)
    a, b = [[p - q for p, q in zip(h, n, strict=True)] for h in hs[:2]]
    angle = math.degrees(math.acos(sum(x * y for x, y in zip(a, b, strict=True)) / 1.1**2))
    assert angle == pytest.approx(106.67)


# --- basis, charge, spin, active space, ansatz, mapping, optimizer, backend ----------------------


def test_defaults() -> None:
    spec = chem("energy of H2 with VQE")
    assert (spec.basis, spec.charge, spec.spin, spec.ansatz, spec.mapping) == (
        "sto-3g",
        0,
        0,
        "uccsd",
        "parity",
    )
    assert spec.optimizer is None and spec.backend is None and spec.shots is None
    assert not spec.frozen_core  # H2 has no core to freeze
    assert chem("energy of LiH").frozen_core and chem("energy of LiH").active_space is None
    # the larger built-ins get a small default active space, stated in the reading
    assert chem("energy of water").active_space == ActiveSpace(4, 4)
    assert "4 electrons in 4 orbitals" in chem("energy of water").reading


@pytest.mark.parametrize(
    ("text", "basis"),
    [
        ("energy of H2 in the 6-31G* basis", "6-31g*"),
        ("energy of H2 with basis cc-pVDZ", "cc-pvdz"),
        ("energía de H2 en la base sto3g", "sto-3g"),
        ("energy of H2 in the STO 6G basis", "sto-6g"),
    ],
)
def test_basis(text: str, basis: str) -> None:
    assert chem(text).basis == basis


@pytest.mark.parametrize(
    ("text", "charge", "spin"),
    [
        ("energy of the H2 cation as a doublet", 1, 1),
        ("energy of H2 with charge +1 and multiplicity 2", 1, 1),
        ("energy of H2 with charge 1 and spin 1/2", 1, 1),
        ("energía de H2 con carga 1 como doblete", 1, 1),
        ("energy of LiH with charge -1 and spin 1/2", -1, 1),
        ("energy of the LiH anion as a doublet", -1, 1),
        ("energy of H2 with charge -2", -2, 0),
        ("energy of water as a triplet", 0, 2),
        ("energy of water with 2 unpaired electrons", 0, 2),
    ],
)
def test_charge_and_spin(text: str, charge: int, spin: int) -> None:
    spec = chem(text)
    assert (spec.charge, spec.spin) == (charge, spin)


@pytest.mark.parametrize(
    ("text", "active"),
    [
        ("water with an active space of 4 electrons in 4 orbitals", ActiveSpace(4, 4)),
        ("agua con un espacio activo de 4 electrones en 4 orbitales", ActiveSpace(4, 4)),
        ("energy of N2 with 6 electrons in 6 orbitals", ActiveSpace(6, 6)),
        ("energy of ammonia with CAS(6,5)", ActiveSpace(6, 5)),
        (
            "energy of LiH with an active space of two electrons in three orbitals",
            ActiveSpace(2, 3),
        ),
    ],
)
def test_active_space(text: str, active: ActiveSpace) -> None:
    spec = chem(text)
    assert spec.active_space == active
    assert not spec.frozen_core


def test_frozen_core_and_all_electrons() -> None:
    assert chem("energy of water with a frozen core").active_space is None
    assert chem("energy of water with a frozen core").frozen_core
    all_electrons = chem("energy of LiH with all electrons")
    assert not all_electrons.frozen_core and all_electrons.active_space is None
    assert not chem("energy of LiH without a frozen core").frozen_core


@pytest.mark.parametrize(
    ("text", "ansatz", "layers", "mapping", "optimizer"),
    [
        ("H2 energy with the UCCSD ansatz and COBYLA", "uccsd", 2, "parity", "COBYLA"),
        ("H2 energy with a hardware-efficient ansatz", "hardware-efficient", 2, "parity", None),
        (
            "H2 energy with the hardware efficient ansatz with 3 layers, Jordan-Wigner mapping",
            "hardware-efficient",
            3,
            "jordan-wigner",
            None,
        ),
        ("energía de H2 con un ansatz eficiente en hardware", "hardware-efficient", 2, "parity",
         None),
        ("H2 with the Bravyi-Kitaev mapping and the L-BFGS-B optimizer", "uccsd", 2,
         "bravyi-kitaev", "L-BFGS-B"),
        ("H2 with parity mapping and Nelder-Mead", "uccsd", 2, "parity", "Nelder-Mead"),
    ],
)  # fmt: skip
def test_ansatz_mapping_optimizer(
    text: str, ansatz: str, layers: int, mapping: str, optimizer: str | None
) -> None:
    spec = chem(text)
    assert (spec.ansatz, spec.layers, spec.mapping, spec.optimizer) == (
        ansatz,
        layers,
        mapping,
        optimizer,
    )


def test_backend_and_shots_in_words() -> None:
    spec = chem("energy of H2 on fake_manila with 4000 shots")
    assert (spec.backend, spec.shots) == ("fake_manila", 4000)
    assert chem("energy of H2 on the statevector").backend == "statevector"
    assert chem("energía de H2 en el simulador con 2000 disparos").backend == "simulator"


def test_typos_are_corrected() -> None:
    spec = chem("dissociaton curve of H2 from 0.5 to 1.5 angstroms in 3 pionts")
    assert spec.scan == Scan(0.5, 1.5, 3)


# --- MaxCut ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "nodes", "family", "depth"),
    [
        ("Solve MaxCut on a 6-node ring with QAOA of depth 2", 6, "ring", 2),
        (
            "Resuelve el corte máximo de un anillo de 6 nodos con QAOA de profundidad 2",
            6,
            "ring",
            2,
        ),
        ("max cut of a complete graph of 5 nodes", 5, "complete", 1),
        ("QAOA with p=3 on a 4-node path", 4, "path", 3),
        ("maximum cut of a star with 7 vertices, 2 layers", 7, "star", 2),
    ],
)
def test_named_graphs(text: str, nodes: int, family: str, depth: int) -> None:
    spec = cut(text)
    assert (spec.nodes, spec.family, spec.depth) == (nodes, family, depth)
    assert spec.edges == family_edges(family, nodes)


def test_edge_lists_and_weights() -> None:
    spec = cut("MaxCut for the edges 0-1, 1-2, 2-0, 2-3")
    assert spec.nodes == 4 and spec.family is None
    assert spec.edges == ((0, 1, 1.0), (0, 2, 1.0), (1, 2, 1.0), (2, 3, 1.0))
    weighted = cut("MaxCut for the weighted edges 0-1:2, 1-2 (0.5), 2-3 with weight 3, 3-0")
    assert weighted.edges == ((0, 1, 2.0), (0, 3, 1.0), (1, 2, 0.5), (2, 3, 3.0))
    assert weighted.weighted
    spanish = cut("corte máximo para las aristas 0-1 con peso 2, 1-2")
    assert spanish.edges == ((0, 1, 2.0), (1, 2, 1.0))
    isolated = cut("MaxCut on 5 nodes with the edges 0-1, 1-2")
    assert isolated.nodes == 5
    tuples = cut("Solve MaxCut with QAOA on the graph with edges (0, 1), (1, 2, 2.5), (2, 0)")
    assert tuples.edges == ((0, 1, 1.0), (0, 2, 1.0), (1, 2, 2.5))


def test_ring_edges() -> None:
    assert family_edges("ring", 4) == ((0, 1, 1.0), (0, 3, 1.0), (1, 2, 1.0), (2, 3, 1.0))


# --- round trips ----------------------------------------------------------------------------------

PHRASES = [
    "Estimate the ground-state energy of H2 at 0.735 Å with VQE",
    "LiH at a bond length of 1.6 angstrom",
    "water with an active space of 4 electrons in 4 orbitals",
    "the dissociation curve of H2 from 0.5 to 2.5 Å in 10 steps",
    "ground state energy of the molecule H 0 0 0; F 0 0 0.917 in the 6-31G* basis with COBYLA",
    "energy of the H2 cation as a doublet on fake_manila with 4000 shots",
    "energy of LiH with all electrons and the hardware-efficient ansatz with 4 layers",
    "energy of NH3 with charge 1 and multiplicity 2 with CAS(5,4) and Jordan-Wigner",
    "energy of N2 with a frozen core on the simulator with 100 shots and Powell",
    "Solve MaxCut on a 6-node ring with QAOA of depth 2",
    "MaxCut for the weighted edges 0-1:2, 1-2 (0.5), 2-3 with weight 3, 3-0",
    "MaxCut on 5 nodes with the edges 0-1, 1-2 on fake_manila with 500 shots and COBYLA",
    "max cut of a complete graph of 5 nodes",
]


@pytest.mark.parametrize("text", PHRASES)
def test_reading_reads_back_to_the_same_spec(text: str) -> None:
    spec = read_chemistry(text)
    assert spec is not None
    assert read_chemistry(spec.reading) == spec


_lengths = st.floats(0.3, 3.0).map(lambda x: round(x, 3))


@settings(max_examples=60, deadline=None)
@given(
    formula=st.sampled_from(["H2", "LiH", "BeH2", "H2O", "NH3", "N2"]),
    bond=_lengths,
    basis=st.sampled_from(["sto-3g", "6-31g", "cc-pvdz", "6-31g**"]),
    ansatz=st.sampled_from(["uccsd", "hardware-efficient"]),
    layers=st.integers(1, 5),
    mapping=st.sampled_from(["parity", "jordan-wigner", "bravyi-kitaev"]),
    optimizer=st.sampled_from([None, "COBYLA", "L-BFGS-B", "Nelder-Mead"]),
    shots=st.sampled_from([None, 100, 4096]),
)
def test_any_chemistry_spec_round_trips(
    formula: str,
    bond: float,
    basis: str,
    ansatz: str,
    layers: int,
    mapping: str,
    optimizer: str | None,
    shots: int | None,
) -> None:
    layer_words = f" with {layers} layers" if ansatz == "hardware-efficient" else ""
    ansatz_words = "UCCSD" if ansatz == "uccsd" else "the hardware-efficient ansatz"
    text = (
        f"energy of {formula} at {bond} Å in the {basis} basis with {ansatz_words}{layer_words}, "
        f"the {mapping} mapping"
        + (f" and {optimizer}" if optimizer else "")
        + (f" with {shots} shots" if shots else "")
    )
    spec = chem(text)
    assert (spec.formula, spec.bond_length, spec.basis, spec.mapping) == (
        formula,
        bond,
        basis,
        mapping,
    )
    assert (spec.ansatz, spec.optimizer, spec.shots) == (ansatz, optimizer, shots)
    assert read_chemistry(spec.reading) == spec


@settings(max_examples=60, deadline=None)
@given(
    edges=st.lists(
        st.tuples(st.integers(0, 7), st.integers(0, 7), st.sampled_from([1.0, 2.0, 0.5, 3.25])),
        min_size=1,
        max_size=12,
    ),
    depth=st.integers(1, 4),
)
def test_any_edge_list_round_trips(edges: list[tuple[int, int, float]], depth: int) -> None:
    unique = {(min(u, v), max(u, v)): w for u, v, w in edges if u != v}
    if not unique:
        return
    listed = ", ".join(f"{u}-{v}:{w:g}" for (u, v), w in unique.items())
    spec = cut(f"MaxCut for the edges {listed} with QAOA of depth {depth}")
    assert spec.edges == tuple(sorted((u, v, w) for (u, v), w in unique.items()))
    assert read_chemistry(spec.reading) == spec


# --- not ours, and bad input -----------------------------------------------------------------------


def test_circuit_descriptions_are_left_to_the_circuit_reader() -> None:
    from bioql.language import EXAMPLES

    for examples in EXAMPLES.values():
        for text in examples:
            assert read_chemistry(text) is None, text


def test_unread_words_are_named_with_a_supported_phrasing() -> None:
    with pytest.raises(BioQLParseError) as info:
        read_chemistry("Estimate the ground-state energy of H2 with VQE and banana sauce")
    assert info.value.unknown_words == ["banana", "sauce"]
    assert "Estimate the ground-state energy of H2" in str(info.value)
    assert read_chemistry(info.value.suggestion) is not None
    with pytest.raises(BioQLParseError, match="'purple'"):
        read_chemistry("Solve MaxCut on a purple 6-node ring")


def test_unknown_molecules() -> None:
    with pytest.raises(BioQLValueError, match=r"no built-in molecule 'CH4'.*H2, LiH, BeH2"):
        read_chemistry("Estimate the ground-state energy of CH4 with VQE")
    with pytest.raises(BioQLParseError, match="'benzene'") as info:
        read_chemistry("ground state energy of benzene with VQE")
    assert info.value.unknown_words == ["benzene"]
    with pytest.raises(BioQLParseError, match="names no molecule"):
        read_chemistry("Estimate a ground-state energy with VQE")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("energy of H2 at -0.7 Å", "positive distance"),
        ("energy of H2 with a bond length of 0 angstrom", "positive distance"),
        ("energy of H2 at 40 Å", "outside what BioQL computes"),
        ("dissociation curve of H2 from 0.5 to 0.5 Å", "two different"),
        ("dissociation curve of H2 from 0.5 to 2 Å in 500 points", "2 to 50 points"),
        ("dissociation curve of H2", "needs a range"),
        ("LiH with an active space of 4 electrons in 1 orbitals", "hold at most 2"),
        ("H2 with an active space of 4 electrons in 4 orbitals", "only 2 electrons"),
        ("water with an active space of 3 electrons in 4 orbitals", "in pairs"),
        ("N2 with an active space of 10 electrons in 10 orbitals", "at most 16"),
        ("energy of water as a doublet", "cannot have 1 unpaired"),
        ("energy of H2 with 3 layers", "hardware-efficient"),
        ("the molecule H 0 0 0; H 0 0 0.7 at 0.8 Å", "XYZ geometry fixes"),
        ("the molecule H 0 0 0; H 0 0 0.01", "not a molecule"),
        ("energy of H2 with charge 1.5", "whole number"),
        ("energy of H2 at 0.7 Å and at 0.8 Å", "two values"),
    ],
)
def test_impossible_requests_get_clear_errors(text: str, message: str) -> None:
    with pytest.raises(BioQLValueError, match=message):
        read_chemistry(text)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("MaxCut on a 40-node ring", "2 to 16 nodes"),
        ("MaxCut on a ring", "how many nodes"),
        ("MaxCut for the edges 0-0, 1-2", "itself"),
        ("MaxCut for the edges 0-1, 1-0", "twice"),
        ("MaxCut on 3 nodes with the edges 0-1, 1-5", "beyond the 3 nodes"),
        ("MaxCut on a 6-node ring with QAOA of depth 40", "depth is 1 to 10"),
        ("MaxCut for the edges 0-1:0", "nonzero"),
    ],
)
def test_bad_graphs_get_clear_errors(text: str, message: str) -> None:
    with pytest.raises(BioQLValueError, match=message):
        read_chemistry(text)


def test_maxcut_without_a_graph() -> None:
    with pytest.raises(BioQLParseError, match="gives no graph"):
        read_chemistry("Solve MaxCut with QAOA")


# --- framing, capitals, the core, the optimizer (found building the assistant's dataset) ---------


@pytest.mark.parametrize(
    "text",
    [
        # the circuit reader's framing words (lexicon.FILLERS) frame these requests too
        "Hi! Estimate the ground-state energy of H2 with VQE, thanks",
        "Hola, estima la energía de H2 con VQE por favor, gracias",
        "Help me estimate the ground-state energy of H2 with VQE",
        "Write BioQL code that estimates the ground-state energy of H2 with VQE",
        "¿Puedes calcular la energía de H2 con VQE?",
        "¿Cuál es la energía del H2?",
        "Necesito la energía del estado fundamental de H2 con VQE",
        "Quiero la energía de H2 con VQE",
        "Estimate the energy of H2 with VQE, nothing else",
        # a request written in capitals: "OF" is a word, not oxygen fluoride
        "ESTIMATE THE GROUND-STATE ENERGY OF H2 WITH VQE",
        "ESTIMA LA ENERGÍA DEL ESTADO FUNDAMENTAL DE H2 CON VQE",
    ],
)
def test_framing_and_capitals_read_as_the_plain_request(text: str) -> None:
    assert chem(text) == chem("Estimate the ground-state energy of H2 with VQE")


def test_framing_around_curves_and_maxcut() -> None:
    curve = chem("Plot the dissociation curve of H2 from 0.5 to 2.5 Å in 10 steps")
    assert curve.scan == Scan(0.5, 2.5, 10)
    ring = cut("Solve MaxCut on a 6-node ring with QAOA")
    assert cut("Help me solve MaxCut on a 6-node ring with QAOA") == ring
    assert cut("Quiero resolver MaxCut en un anillo de 6 nodos con QAOA") == ring
    assert cut("SOLVE MAXCUT ON A 6-NODE RING WITH QAOA") == ring


def test_framing_words_that_say_what_is_computed_are_not_skipped() -> None:
    with pytest.raises(BioQLParseError, match="'frequencies'"):
        read_chemistry("Compute the energy and the frequencies of H2")
    with pytest.raises(BioQLParseError, match="'singles'"):  # not "singlet"
        read_chemistry("energy of H2 with UCCSD singles and doubles")
    with pytest.raises(BioQLParseError, match="'excited'"):
        read_chemistry("Help me estimate the excited state energy of H2")


def test_capital_words_are_words_only_in_a_request_in_capitals() -> None:
    with pytest.raises(BioQLValueError, match="no built-in molecule 'NO'"):
        read_chemistry("Estimate the energy of NO with VQE")
    with pytest.raises(BioQLValueError, match="no built-in molecule 'CO2'"):
        read_chemistry("ESTIMATE THE ENERGY OF CO2 WITH VQE")
    with pytest.raises(BioQLParseError, match="'NO'"):  # refused, never a molecule dropped
        read_chemistry("ESTIMATE THE ENERGY OF NO WITH VQE")


@pytest.mark.parametrize(
    ("text", "frozen"),
    [
        ("energy of LiH freezing the core", True),
        ("energy of LiH with the frozen-core approximation", True),
        ("energy of LiH with the core orbitals frozen", True),
        ("energy of LiH without the frozen core", False),
        ("energy of LiH without freezing the core", False),
        ("energy of LiH with no frozen core", False),
        ("energy of LiH, do not freeze the core", False),
        ("energía de LiH sin un núcleo congelado", False),
        ("energía de LiH con todos los electrones", False),
        ("energía de LiH con todos los electrones activos", False),
        ("energy of LiH with all of the electrons", False),
    ],
)
def test_frozen_core_phrasing_and_its_negation(text: str, frozen: bool) -> None:
    spec = chem(text)
    assert spec.frozen_core is frozen and spec.active_space is None


def test_a_negation_is_never_dropped() -> None:
    with pytest.raises(BioQLParseError, match="'without'"):
        read_chemistry("energy of LiH without all electrons")
    with pytest.raises(BioQLParseError, match="'sin'"):
        read_chemistry("energía de LiH sin VQE")


@pytest.mark.parametrize(
    "text",
    [
        "Resuelve MaxCut en un anillo de 6 nodos con el optimizador COBYLA",
        "Solve MaxCut on a 6-node ring with the optimizer COBYLA",
        "Solve MaxCut on a 6-node ring using COBYLA as the optimizer",
        "Solve MaxCut on a 6-node ring, optimizer = COBYLA",
    ],
)
def test_the_optimizer_named_after_its_word(text: str) -> None:
    assert cut(text).optimizer == "COBYLA"
    assert chem("energy of H2 con el optimizador COBYLA").optimizer == "COBYLA"


def test_repetitions_are_layers_only_beside_the_ansatz() -> None:
    spec = chem("energy of H2 with the hardware-efficient ansatz with 3 repetitions")
    assert (spec.ansatz, spec.layers) == ("hardware-efficient", 3)
    spanish = chem("energía de H2 con un ansatz eficiente en hardware con 4 repeticiones")
    assert spanish.layers == 4
    assert cut("Solve MaxCut on a 6-node ring with QAOA with 2 repetitions").depth == 2
    # "2000 repetitions" is a shot count in the circuit language: not read as 2000 layers
    for text in (
        "energy of H2 with the hardware-efficient ansatz and 2000 repetitions",
        "energy of H2 with 1000 repetitions",
        "Solve MaxCut on a 6-node ring with QAOA and 1000 repetitions",
    ):
        with pytest.raises(BioQLParseError, match=r"'repetitions'.*shots") as info:
            read_chemistry(text)
        assert info.value.unknown_words[-1] == "repetitions"


def test_the_statevector_simulator_is_one_backend() -> None:
    for text in (
        "energy of H2 on the statevector simulator",
        "energy of H2 on a state vector simulator",
    ):
        assert chem(text).backend == "statevector"
    assert chem("energy of H2 on the local simulator").backend == "simulator"


def test_a_spanish_decimal_comma_is_one_number() -> None:
    assert chem("energía de H2 a 0,74 Å").bond_length == 0.74
    assert chem("energía del H2 a 0,735 Å con VQE").bond_length == 0.735
    curve = chem("curva de disociación de H2 de 0,5 a 2,5 Å en 10 puntos")
    assert curve.scan == Scan(0.5, 2.5, 10)  # not 0.5 to 2, with "5 Å" dropped
    assert chem("energy of H2 with 1,000 shots").shots == 1000  # a thousands group
    assert chem("energy of LiH with CAS(2,2)").active_space == ActiveSpace(2, 2)


def test_values_said_beside_what_overrides_them_must_agree() -> None:
    # a bond length beside a scan was dropped
    with pytest.raises(BioQLValueError, match=r"range of bond lengths and the bond length 0\.7"):
        read_chemistry("dissociation curve of H2 at 0.7 Å from 0.5 to 2 Å")
    # "all electrons" or a frozen core beside an active space that says otherwise was dropped
    with pytest.raises(BioQLValueError, match="all electrons active"):
        read_chemistry("energy of LiH with all electrons and CAS(2,2)")
    with pytest.raises(BioQLValueError, match="frozen core keeps 2"):
        read_chemistry(
            "energy of LiH with a frozen core and an active space of 4 electrons in 3 orbitals"
        )
    # ... and when they agree, the active space says it all
    assert chem("energy of LiH with a frozen core and CAS(2,2)").active_space == ActiveSpace(2, 2)
    assert chem("energy of LiH with all electrons and CAS(4,4)").active_space == ActiveSpace(4, 4)
    assert chem("Could you run a VQE calculation for LiH at 1.6 Å?").bond_length == 1.6
