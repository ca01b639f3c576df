"""The ``screening`` category: a ligand library docked into one receptor and ranked
(:func:`bioql.docking.screen`), in English and Spanish, with the box (a reference ligand, a
hetero group, a box file, or a centre and size), exhaustiveness, poses, seed, workers, a cluster
address and an output folder.

The answer is ``screen(library, receptor, **options)`` with files and values exactly as the
request writes them. The builder keeps an example only when the language
(:func:`bioql.language.screening.read_screening`) reads its request as exactly this call, or,
for a request that must be refused (a box named without its file, no library, a centre with no
size, two receptors), when it refuses it for that reason (``Example.refuse_because``).
"""

from __future__ import annotations

import random
from typing import Any

from bioql.assistant.dataset.examples import Example, finish
from bioql.assistant.plan.plan import SCREEN_OPTIONS, Plan, ScreenCall

LIBRARIES = {"train": ["library.smi", "ligands.smi", "data/zinc_subset.csv", "actives.sdf", "compounds.csv",
                       "chembl_hits.smi", "fragments.sdf", "libs/enamine_real.smi"],
             "novel": ["screening/natural_products.sdf", "lib_v3.csv", "decoys.smiles"]}  # fmt: skip
RECEPTORS = {"train": ["receptor.pdb", "target.pdb", "1abc_protein.pdb", "data/egfr.pdb", "kinase.pdb",
                       "structures/3htb.pdb"],
             "novel": ["my_receptor.pdb", "models/6lu7_clean.pdb"]}  # fmt: skip
REFERENCES = {"train": ["ligand.sdf", "ref.sdf", "crystal_ligand.sdf", "1abc_ligand.sdf", "native.mol2"],
              "novel": ["cocrystal.sdf", "bound_pose.mol"]}  # fmt: skip
GROUPS = {"train": ["NDP", "HEM", "ATP", "STI", "FAD"], "novel": ["SAM", "NAD"]}
BOX_FILES = {"train": ["pocket.pdb", "site.sdf"], "novel": ["cavity.pdb"]}
FOLDERS = {
    "train": ["hits/", "screen_out", "results/", "runs/egfr"],
    "novel": ["out/screen1", "top_hits"],
}
ADDRESSES = {"train": ["tcp://10.0.0.5:8786", "tcp://127.0.0.1:8786", "tcp://scheduler:8786"],
             "novel": ["tls://hpc-login:8786"]}  # fmt: skip

FRAMES = {
    "en": {"train": ["Screen {lib} against {prot}{opts}", "Run a virtual screening of {lib} against {prot}{opts}",
                     "Virtual screening of {lib} against {prot}{opts}", "Screen the library {lib} against the receptor {prot}{opts}",
                     "Dock every ligand in {lib} into {prot} and rank them{opts}",
                     "Rank the compounds of {lib} against {prot}{opts}", "I need a virtual screen of {lib} against {prot}{opts}"],
           "novel": ["Could you screen the compounds in {lib} against {prot}{opts}?",
                     "Please rank every ligand in {lib} against {prot}{opts}"]},
    "es": {"train": ["Criba {lib} contra {prot}{opts}", "Haz un cribado virtual de {lib} contra {prot}{opts}",
                     "Haz un cribado virtual de {lib} frente a {prot}{opts}", "Criba la biblioteca {lib} contra el receptor {prot}{opts}",
                     "Clasifica los compuestos de {lib} contra {prot}{opts}"],
           "novel": ["¿Puedes cribar los compuestos de {lib} frente a {prot}{opts}?",
                     "Necesito un tamizaje virtual de {lib} contra {prot}{opts}"]},
}  # fmt: skip
BOX = {
    "en": {"reference_ligand": {"train": [" around the bound ligand {v}", " using {v} as the reference ligand",
                                          " around the crystal ligand {v}"],
                                "novel": [" around the native ligand {v}"]},
           "group": {"train": [" around {v}", " around the residue {v}", " with the box from {v}"],
                     "novel": [" around the hetero group {v}"]},
           "box_from": {"train": [" with the box around {v}", " around {v}"], "novel": [" in the box around {v}"]},
           "center": {"train": [" with a {s} Å box centered at ({c})", " in a box centered at ({c}) with size {s} Å",
                                " with a box centred at ({c}) of size {s}"],
                      "novel": [" in a {s} Å cube centered at ({c})"]}},
    "es": {"reference_ligand": {"train": [" alrededor del ligando unido {v}", " usando {v} como ligando de referencia",
                                          " alrededor del ligando cocristalizado {v}"],
                                "novel": [" alrededor del ligando nativo {v}"]},
           "group": {"train": [" alrededor del grupo {v}", " alrededor del residuo {v}"],
                     "novel": [" con la caja desde {v}"]},
           "box_from": {"train": [" con la caja alrededor de {v}", " alrededor de {v}"], "novel": [" en la caja alrededor de {v}"]},
           "center": {"train": [" con una caja de {s} Å centrada en ({c})", " en una caja centrada en ({c}) de tamaño {s} Å"],
                      "novel": [" en un cubo de {s} Å centrado en ({c})"]}},
}  # fmt: skip
OPTION_TEXT = {
    "en": {"exhaustiveness": [", exhaustiveness {v}", " with exhaustiveness {v}"],
           "num_poses": [", {v} poses per ligand", ", keep {v} poses"],
           "seed": [", seed {v}", " with seed {v}"],
           "workers": [" with {v} workers", " on {v} cores", " using {v} processes"],
           "cluster": [" on the cluster {v}", " on the Dask cluster {v}"],
           "out": [" and write the results to {v}", " and save the results in {v}", ", output folder {v}"]},
    "es": {"exhaustiveness": [", exhaustividad {v}", " con exhaustividad {v}"],
           "num_poses": [", {v} poses por ligando"],
           "seed": [", semilla {v}", " con semilla {v}"],
           "workers": [" con {v} procesos", " en {v} núcleos", " con {v} trabajadores"],
           "cluster": [" en el clúster {v}", " en el cluster {v}"],
           "out": [" y guarda los resultados en {v}", ", carpeta de salida {v}"]},
}  # fmt: skip


def _box(lang: str, fam: str, rng: random.Random) -> tuple[list[tuple[str, Any]], str]:
    """The box options and how the request says them (no box: the receptor's bound ligand)."""
    roll = rng.random()
    table = BOX[lang]
    if roll < 0.35:
        ref = rng.choice(REFERENCES[fam])
        return [("reference_ligand", ref)], rng.choice(table["reference_ligand"][fam]).format(v=ref)
    if roll < 0.5:
        group = rng.choice(GROUPS[fam])
        return [("box_from", group)], rng.choice(table["group"][fam]).format(v=group)
    if roll < 0.58:
        file = rng.choice(BOX_FILES[fam])
        return [("box_from", file)], rng.choice(table["box_from"][fam]).format(v=file)
    if roll < 0.85:
        center = tuple(round(rng.uniform(-30, 30), rng.choice([0, 1, 2])) for _ in range(3))
        side = float(rng.choice([18, 20, 22, 24, 25, 30] if fam == "train" else [16, 26, 28]))
        c = ", ".join(f"{v:g}" for v in center)
        text = rng.choice(table["center"][fam]).format(c=c, s=f"{side:g}")
        return [("center", tuple(float(v) for v in center)), ("size", (side, side, side))], text
    return [], ""


def screening_example(lang: str, fam: str, rng: random.Random) -> Example:
    if rng.random() < 0.12:
        return screening_refusal(lang, fam, rng)
    lib, prot = rng.choice(LIBRARIES[fam]), rng.choice(RECEPTORS[fam])
    options, box_text = _box(lang, fam, rng)
    extra: list[tuple[str, Any, str]] = []
    values: dict[str, list[Any]] = {
        "exhaustiveness": [8, 16, 32] if fam == "train" else [24, 48],
        "num_poses": [3, 5, 9] if fam == "train" else [4, 7],
        "seed": [1, 3, 7, 42] if fam == "train" else [11, 2024],
        "workers": [2, 4, 8] if fam == "train" else [6, 12],
        "cluster": ADDRESSES[fam],
        "out": FOLDERS[fam],
    }
    for key, share in (("exhaustiveness", 0.25), ("num_poses", 0.2), ("seed", 0.15),
                       ("workers", 0.35), ("cluster", 0.12), ("out", 0.3)):  # fmt: skip
        if rng.random() < share:
            value = rng.choice(values[key])
            extra.append((key, value, rng.choice(OPTION_TEXT[lang][key]).format(v=value)))
    out_last = [e for e in extra if e[0] == "out"]
    extra = [e for e in extra if e[0] != "out"]
    rng.shuffle(extra)
    extra += out_last  # "and write the results to ..." closes the request
    opts = box_text + "".join(text for _, _, text in extra)
    frame = rng.choice(FRAMES[lang][fam])
    # no typos: files and residue names are copied as written (a typo inside one changes it; the
    # screening reader corrects the words around them, "scren", "vritual", since these were drawn)
    text = finish(frame.format(lib=lib, prot=prot, opts=opts), lang, fam, rng, typo_rate=0.0,
                  keep_case=True)  # fmt: skip
    said = dict(options) | {k: v for k, v, _ in extra}
    call = ScreenCall(lib, prot, tuple((k, said[k]) for k in SCREEN_OPTIONS if k in said))
    frame_id = f"{lang}:{fam}:screen{FRAMES[lang][fam].index(frame)}"
    return Example("screening", lang, fam, frame_id, text, Plan([call]))


def screening_refusal(lang: str, fam: str, rng: random.Random) -> Example:
    """A screening request the language must refuse, with the reason it must give."""
    kind = rng.choice(["site_without_file", "no_library", "center_without_size", "two_receptors"])
    lib, prot = rng.choice(LIBRARIES[fam]), rng.choice(RECEPTORS[fam])
    frame = rng.choice(FRAMES[lang][fam])
    en = lang == "en"
    if kind == "site_without_file":
        opts = " around the bound ligand" if en else " alrededor del ligando unido"
        why = "name the bound ligand's file"
    elif kind == "center_without_size":
        c = ", ".join(str(rng.randint(-20, 20)) for _ in range(3))
        opts = f" with a box centered at ({c})" if en else f" con una caja centrada en ({c})"
        why = "'center'"
    elif kind == "two_receptors":
        other = rng.choice([r for r in RECEPTORS[fam] if r != prot])
        prot = f"{prot} and {other}" if en else f"{prot} y {other}"
        opts = ""
        why = f"'{other}'"
    else:
        frame = {
            "en": "Run a virtual screening against {prot}{opts}",
            "es": "Haz un cribado virtual contra {prot}{opts}",
        }[lang]
        group = rng.choice(GROUPS[fam])
        opts = f" around {group}" if en else f" alrededor del grupo {group}"
        why = "names no ligand library"
    text = frame.format(lib=lib, prot=prot, opts=opts)
    text = finish(text, lang, fam, rng, typo_rate=0.0, keep_case=True)
    return Example("screening", lang, fam, f"{lang}:{fam}:screen:refuse:{kind}", text, None,
                   refuse_because=why)  # fmt: skip


__all__ = ["screening_example"]
