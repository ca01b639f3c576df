"""Meeko's residue templates, loaded once and never allowed to download.

Its own module because the residue identification, the cofactor chemistry and the receptor
preparation all read the templates, and the receptor preparation depends on the other two.
"""

from __future__ import annotations

import functools
from typing import Any

from bioql.errors import BioQLDockingError


@functools.cache
def meeko_templates() -> Any:
    """Meeko's residue templates (about a second to load), once per process, with its
    template download switched off. Our cofactor templates are added under keys that are
    rewritten on every preparation."""
    from meeko import ResidueChemTemplates

    _disable_meeko_downloads()
    chem = ResidueChemTemplates.create_from_defaults()
    # Meeko reads HIS as any tautomer, at any chain position; a file's own HID/HIE/HIP name
    # has only the mid-chain template: give it the terminal ones too, like ASH and GLH have.
    for name in ("HID", "HIE", "HIP"):
        chem.ambiguous.setdefault(name, [name, f"N{name}", f"C{name}"])
    return chem


def _disable_meeko_downloads() -> None:
    """Replace Meeko's fetch from the PDB's Chemical Component Dictionary by an immediate
    error, for the whole process: BioQL prepares structures offline only."""
    import meeko.chemtempgen as chemtempgen

    def refuse(resname: str, *_args: object, **_kwargs: object) -> str:
        raise BioQLDockingError(
            f"Meeko asked to download the definition of residue {resname!r}; BioQL never "
            f"downloads. Pass its chemistry with cofactor_smiles={{'{resname}': '<SMILES>'}} "
            f"or remove it with remove_hetero=['{resname}']."
        )

    chemtempgen.fetch_from_pdb = refuse
