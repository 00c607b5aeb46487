"""Importers: one module per upstream source. Each only ever writes into ``data/``.

Every importer adds rows it does not find and leaves rows a curator has edited alone, so
running it twice on the same input changes nothing.
"""

from __future__ import annotations

import importlib
from types import ModuleType

#: Upstream sources with an importer, by the name used on the command line.
IMPORTERS: dict[str, str] = {
    "iso3166": "ISO 3166 country codes, through the pycountry package (needs visitdata[import])",
    "states": "COW and Gleditsch-Ward state-system membership lists (CSV files of the R package states)",
    "hsg": "U.S. Office of the Historian travels, visits and Secretaries of State (history.state.gov XML)",
}


def get_importer(name: str) -> ModuleType:
    """The importer module for ``name``; its ``run(root, path=None, progress=None)`` does the work."""
    if name not in IMPORTERS:
        raise KeyError(f"unknown importer {name!r}; valid importers: {', '.join(sorted(IMPORTERS))}")
    return importlib.import_module(f"{__name__}.{name}")
