"""The screening reader (``read_screening``) and the box it shares with docking: values kept as
written, nothing dropped, nothing taken for another option (found building the assistant's
dataset and by probing people's phrasing)."""

from __future__ import annotations

import pytest

from bioql.errors import BioQLParseError
from bioql.language.docking import read_docking
from bioql.language.screening import read_screening

BASE = "Screen library.smi against receptor.pdb"


def options(text: str) -> dict[str, object]:
    request = read_screening(text)
    assert request is not None, text
    assert (request.ligands, request.receptor) == ("library.smi", "receptor.pdb")
    return dict(request.options)


@pytest.mark.parametrize(
    ("text", "wanted"),
    [
        # a sentence's full stop is no part of a value
        (f"{BASE} and write the results to hits.", {"out": "hits"}),
        (f"{BASE} and write the results to runs/egfr. Thank you.", {"out": "runs/egfr"}),
        (f"{BASE} and write the results to hits/.", {"out": "hits/"}),
        (f"{BASE} and write the results to hits...", {"out": "hits"}),
        (f'{BASE} and write the results to "hits".', {"out": "hits"}),
        (f"{BASE} around NDP.", {"box_from": "NDP"}),
        ("Please screen library.smi against receptor.pdb around NDP. Thanks!", {"box_from": "NDP"}),
        (
            f"{BASE} around NDP on the cluster tcp://10.0.0.5:8786.",
            {"box_from": "NDP", "cluster": "tcp://10.0.0.5:8786"},
        ),
        (f"{BASE} around the bound ligand ref.sdf.", {"reference_ligand": "ref.sdf"}),
        # dots inside a name stay
        (f"{BASE} and write the results to runs/v1.2.", {"out": "runs/v1.2"}),
        (f"{BASE} and write the results to .", {"out": "."}),
    ],
)
def test_a_full_stop_ends_the_sentence_not_the_value(text, wanted):
    assert options(text) == wanted


@pytest.mark.parametrize(
    ("text", "wanted"),
    [
        # a count said before its word is that option's, not the box's size
        (f"{BASE} with the box from NDP using 8 processes", {"box_from": "NDP", "workers": 8}),
        (f"{BASE} in a box around NDP with 4 cores", {"box_from": "NDP", "workers": 4}),
        (f"{BASE} with the box from NDP using 5 poses", {"box_from": "NDP", "num_poses": 5}),
        (
            f"{BASE} with a box of 20 Å centered at 1 2 3 using 4 workers",
            {"center": (1.0, 2.0, 3.0), "size": (20.0,) * 3, "workers": 4},
        ),
        # the box said after its centre, or with three sides
        (
            "Criba library.smi contra receptor.pdb con una caja centrada en (1, 2, 3) de 20 Å",
            {"center": (1.0, 2.0, 3.0), "size": (20.0,) * 3},
        ),
        (
            f"{BASE} with a box centered at (1, 2, 3) of 20 Å",
            {"center": (1.0, 2.0, 3.0), "size": (20.0,) * 3},
        ),
        (
            f"{BASE} centered on (1, 2, 3) with size (20, 22, 24)",
            {"center": (1.0, 2.0, 3.0), "size": (20.0, 22.0, 24.0)},
        ),
    ],
)
def test_numbers_go_to_the_option_they_count(text, wanted):
    assert options(text) == wanted


@pytest.mark.parametrize(
    ("text", "wanted"),
    [
        (
            f"{BASE} around the ligando cristalizado ref.sdf",
            {"reference_ligand": "ref.sdf"},
        ),
        (
            "Criba library.smi contra receptor.pdb alrededor del ligando cristalizado ref.sdf",
            {"reference_ligand": "ref.sdf"},
        ),
        (
            "Dock every molecule in library.smi into receptor.pdb around the co-crystallized "
            "ligand ref.sdf",
            {"reference_ligand": "ref.sdf"},
        ),
        ("Screen every compound in library.smi against receptor.pdb around NDP", {"box_from": "NDP"}),
        # typos, corrected by the language's rules
        ("scren library.smi against receptor.pdb around NDP", {"box_from": "NDP"}),
        ("vritual screening of library.smi agaisnt receptor.pdb around NDP", {"box_from": "NDP"}),
        (f"{BASE} around the refrence ligand ref.sdf", {"reference_ligand": "ref.sdf"}),
        (f"{BASE} around NDP, exhaustivness 16 with 4 wokers", {"box_from": "NDP",
                                                                  "exhaustiveness": 16,
                                                                  "workers": 4}),
        # output folders said in other ways
        (f"{BASE} around NDP, output folder: hits", {"box_from": "NDP", "out": "hits"}),
        (f"{BASE} and save the results in the hits folder", {"out": "hits"}),
        (f"{BASE} and save the results in a folder called hits", {"out": "hits"}),
        (f"{BASE} around NDP out results/", {"box_from": "NDP", "out": "results/"}),
        ("Carry out a virtual screening of library.smi against receptor.pdb around NDP",
         {"box_from": "NDP"}),
    ],
)  # fmt: skip
def test_words_people_use_for_a_screen(text, wanted):
    assert options(text) == wanted


@pytest.mark.parametrize(
    ("text", "named"),
    [
        # no folder is named: never a folder called "my", "a" or "of"
        (f"{BASE} and put the results in my folder", "my"),
        (f"{BASE} and write the results in a CSV", "CSV"),
        (f"{BASE} around NDP with 8 workers out of 16", "16"),
        # an option said twice with two values: which one?
        (f"{BASE} around NDP with 8 workers and on 4 cores", "4"),
        (f"{BASE} around the bound ligand a.sdf using b.sdf as the reference ligand", "b.sdf"),
        (f"{BASE} centered at (1, 2, 3) size 20 and size 30", "30"),
        (f"{BASE} centered at (1, 2, 3) and centered at (4, 5, 6) size 20", "4"),
        # framing words that say where or how a screen runs
        (f"{BASE} around NDP on the cloud", "cloud"),
        (f"{BASE} around NDP as a fresh run", "fresh"),
        # real words are not typos
        (f"{BASE} around the bond ligand ref.sdf", "bond"),
    ],
)
def test_what_cannot_be_placed_is_named(text, named):
    with pytest.raises(BioQLParseError) as info:
        read_screening(text)
    assert named in info.value.unknown_words, info.value


def test_docking_reads_the_same_box():
    dock = read_docking("Dock CCO into receptor.pdb with a box centered at (1, 2, 3) of 20 Å")
    assert dock is not None
    assert dict(dock.options) == {"center": (1.0, 2.0, 3.0), "size": (20.0,) * 3}
    dock = read_docking("Dock CCO into receptor.pdb centered at (1,2,3) with size 20 22 24")
    assert dock is not None and dict(dock.options)["size"] == (20.0, 22.0, 24.0)
    with pytest.raises(BioQLParseError, match="'30'"):
        read_docking("Dock CCO into receptor.pdb centered at (1, 2, 3) size 20 and size 30")


@pytest.mark.parametrize(
    ("text", "wanted"),
    [
        # a number between two option words goes the way the request writes its options
        (f"{BASE} around NDP with exhaustiveness 8 seed 3", {"exhaustiveness": 8, "seed": 3}),
        (f"{BASE} around NDP 4 workers 2 poses", {"workers": 4, "num_poses": 2}),
        # never across a comma
        (
            f"{BASE} around NDP, exhaustiveness 16, 8 workers, 5 poses per ligand, seed 3",
            {"exhaustiveness": 16, "workers": 8, "num_poses": 5, "seed": 3},
        ),
        (f"{BASE} around NDP with seed = -1", {"seed": -1}),
    ],
)
def test_each_option_gets_its_own_number(text, wanted):
    assert options(text) == {"box_from": "NDP", **wanted}


def test_an_output_file_is_no_folder():
    with pytest.raises(BioQLParseError) as info:
        read_screening(f"{BASE} around NDP and write the results to results.csv")
    assert info.value.unknown_words == ["results.csv"]
