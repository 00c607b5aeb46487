"""The project's own error classes, in one place.

The command line maps exactly these (and ``OSError``, a file that is missing or cannot be
written) to messages and exit codes; any other exception is a bug and keeps its traceback.
Each also derives from the standard class a caller would expect (``ValueError``,
``KeyError`` ...), so ``except KeyError`` around ``load_schema`` keeps working.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .report import Report


class VisitdataError(Exception):
    """Base of every error the project raises on purpose: its message says what to do."""


class UsageError(VisitdataError, ValueError):
    """A request the user can correct: a bad version number, format or option."""


class UnknownNameError(UsageError, KeyError):
    """A name that is not one of the valid ones (table, column, importer, release, file); the
    message lists the valid ones."""

    def __str__(self) -> str:  # KeyError would quote the message
        return str(self.args[0]) if self.args else ""


class NotConfiguredError(UsageError, LookupError):
    """A setting the request needs is missing (e.g. where to download releases from)."""


class TableReadError(VisitdataError):
    """A CSV file that cannot be read at all (missing, not UTF-8, not CSV, ragged rows)."""


class MissingExtraError(VisitdataError, ModuleNotFoundError):
    """An optional dependency is missing; the message names the extra that installs it."""


class BuildError(VisitdataError):
    """The data did not validate (``report`` says where), or a file is stale in check mode."""

    def __init__(self, message: str, report: Report | None = None) -> None:
        super().__init__(message)
        self.report = report


class ReleaseError(VisitdataError):
    """The release is refused: the message says why and what to do."""


class ArtefactError(VisitdataError):
    """The release artefacts cannot be made: the message says why and what to do."""
