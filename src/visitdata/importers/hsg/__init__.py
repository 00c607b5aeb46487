"""Import the U.S. Office of the Historian's travel and visit records (history.state.gov).

Reads a snapshot of the HistoryAtState ``travels``, ``visits`` and ``pocom`` repositories
(PATH holds the three folders) and adds to ``data/``: one visit per stay of a president or
Secretary of State abroad and per visit of a foreign leader to the U.S., the people and
offices involved, and who took part in what role.

Why it is built this way:

* Ids derive from upstream ids (``hsg-trip-2381``, ``hsg-visit-751``, ``us-president-45``,
  ``us-secretary-of-state-secr-1973-kiss``) or normalised names, so a rerun produces the same
  rows and a newer snapshot only adds rows.
* Rows are compared with what is already in ``data/``: new keys are added, equal rows are
  left, and a row that differs (a curator edited it, or upstream changed) is never
  overwritten but reported as a conflict.
* Only facts are taken over. Free text (remarks, descriptions) is read for the visit type,
  for "Accompanied President ..." and for "met with <title> <name>", never copied.

The stages, one module each, in the order :func:`~.pipeline.run` calls them:

================  ==============================================================
``upstream``      read the XML into typed records (``Trip``, ``ForeignVisit`` ...)
``trips``         trips abroad: one visit per stop, duplicates, accompanied stops
``persons``       foreign leaders' visits: visitors resolved to persons and offices
``counterparts``  "met with <title> <name>" in trip remarks
``stays``         two records of one stay merged; overlapping leads listed
``pipeline``      retired ids, the shared merge (:mod:`visitdata.importers.merge`)
``report``        the summary and ``docs/reports/hsg-import.md``
================  ==============================================================

``state`` holds the rows and the typed facts the stages share; ``names``, ``text``,
``countries`` and ``sources`` read names, free text, country ids and build source rows.
"""

from __future__ import annotations

from ..contract import SourceImporter
from .pipeline import OWNS, build, run
from .report import REPORT, TABLES, Summary, report_markdown
from .upstream import Snapshot, read_snapshot

IMPORTER = SourceImporter(
    name="hsg",
    description="U.S. Office of the Historian travels, visits and Secretaries of State (history.state.gov XML)",
    reads="a snapshot of the HistoryAtState travels, visits and pocom repositories (the three folders)",
    owns=OWNS,
    report=REPORT,
    runner=run,
)

__all__ = [
    "IMPORTER",
    "OWNS",
    "REPORT",
    "TABLES",
    "Snapshot",
    "Summary",
    "build",
    "read_snapshot",
    "report_markdown",
    "run",
]
