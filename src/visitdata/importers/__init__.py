"""Importers: one per upstream source, each following one contract.

How to add an importer (see also CONTRIBUTING.md):

1. Write ``src/visitdata/importers/NAME.py`` (or a subpackage ``NAME/`` if it needs more than a
   few hundred lines, split by stage as :mod:`~visitdata.importers.hsg` is). It generates rows
   as ``dict``s of strings, honours retired ids with
   :func:`~visitdata.importers.retired.apply_retirements`, and merges every table through one
   :class:`~visitdata.importers.merge.Merger`, calling :meth:`~visitdata.importers.merge.Merger.write`
   once at the end. It never writes a CSV file itself.
2. Declare it: a module-level ``IMPORTER`` satisfying :class:`~visitdata.importers.contract.Importer`
   (usually a :class:`~visitdata.importers.contract.SourceImporter`): its name, what PATH holds,
   the tables it owns and what it may do to each (:class:`~visitdata.importers.contract.Ownership`),
   and its report under ``docs/reports/`` (or None).
3. Add the module's name to :data:`IMPORTER_MODULES` below, and write
   ``tests/importers/test_NAME.py`` on small fixtures committed under ``tests/fixtures/``.
   ``tests/importers/test_contract.py`` then checks the declaration and that a run writes
   only ``data/`` and the report.

>>> sorted(importers())
['hsg', 'iso3166', 'states']
"""

from __future__ import annotations

import importlib

from ..errors import UsageError
from .contract import Importer

#: The modules (below this package) holding an ``IMPORTER``; the command line uses its name.
IMPORTER_MODULES: tuple[str, ...] = ("iso3166", "states", "hsg")


def importers() -> dict[str, Importer]:
    """Every importer, by the name used on the command line."""
    found = (importlib.import_module(f"{__name__}.{module}").IMPORTER for module in IMPORTER_MODULES)
    return {imp.name: imp for imp in found}


def get_importer(name: str) -> Importer:
    """The importer called ``name``; its ``run(root, path=None, progress=None)`` does the work."""
    if name not in IMPORTER_MODULES:
        raise UsageError(f"unknown importer {name!r}; valid importers: {', '.join(sorted(IMPORTER_MODULES))}")
    return importlib.import_module(f"{__name__}.{name}").IMPORTER
