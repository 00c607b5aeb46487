"""The contract every importer follows: what it reads, what it owns, what it may write.

An importer is a module of :mod:`visitdata.importers` whose ``IMPORTER`` object satisfies
:class:`Importer`. It reads one upstream source, generates rows, honours ``retired_ids``
(:func:`visitdata.importers.retired.apply_retirements`) and hands its rows to one
:class:`~visitdata.importers.merge.Merger`, which is the only code that writes ``data/``.
Besides ``data/`` an importer may write its own report (``report``), nothing else.

>>> from visitdata.importers import get_importer
>>> iso = get_importer("iso3166")
>>> isinstance(iso, Importer), iso.name, iso.owns["countries"].adds_rows
(True, 'iso3166', True)
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol, runtime_checkable

#: Receives one line of progress at a time (the command line prints them to stderr).
Progress = Callable[[str], None]


@dataclass(frozen=True)
class Ownership:
    """What an importer may do to one table.

    ``adds_rows``: it may add rows whose key is not in the table yet (it writes every column
    it generates). ``fills``: columns of existing rows it may fill where the cell is empty;
    a non-empty cell is a curator's (or an earlier import's) and is never changed. Columns it
    generates but does not fill are compared only: a difference is reported as a conflict.
    ``cites``: a source id added to ``source_ids`` of every existing row it fills, so that the
    filled fact names its source.
    """

    adds_rows: bool = True
    fills: tuple[str, ...] = ()
    cites: str | None = None


@runtime_checkable
class Importer(Protocol):
    """One importer per upstream source."""

    #: The name on the command line: ``visitdata import NAME``.
    name: str
    #: One line for ``visitdata importers``: what the source is, and any extra it needs.
    description: str
    #: What PATH must hold, or "" when the importer reads no files (e.g. a Python package).
    reads: str
    #: The tables it writes, and what it may do to each (see :class:`Ownership`).
    owns: Mapping[str, Ownership]
    #: Its report below the project root (``docs/reports/NAME-import.md``), or None.
    report: str | None

    def run(self, root: Path, path: Path | None = None, progress: Progress | None = None) -> object:
        """Import into ``root/data``; return a summary whose ``dict()`` gives the headline counts."""
        ...


@dataclass(frozen=True)
class SourceImporter:
    """The usual way to satisfy :class:`Importer`: the declarations plus the module's ``run``."""

    name: str
    description: str
    reads: str
    owns: Mapping[str, Ownership]
    report: str | None
    runner: Callable[..., object]

    def run(self, root: Path, path: Path | None = None, progress: Progress | None = None) -> object:
        return self.runner(root, path, progress=progress)
