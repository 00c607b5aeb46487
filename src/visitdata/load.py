"""Load the release that ships inside the package: a thin, fast reader of Parquet files.

Imports only pandas and pyarrow (never pandera or frictionless), and returns exactly what
the release's Parquet files hold: vocabularies as categoricals, partial dates as text plus
``*_earliest`` / ``*_latest`` timestamps and ``*_precision``, integers as nullable ``Int64``.

>>> import visitdata
>>> visits = visitdata.load("visits")
>>> {"visit_id", "host_country", "start_date_earliest", "start_date_precision"} <= set(visits.columns)
True
"""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .errors import UnknownNameError
from .tables import TABLE_NAMES

if TYPE_CHECKING:
    import pandas as pd


def release_dir() -> Path:
    """Folder of the release shipped with this installation."""
    return Path(str(resources.files("visitdata") / "release"))


def tables() -> tuple[str, ...]:
    """Names of the tables, in dependency order (a table only references earlier ones)."""
    return TABLE_NAMES


def _folder(version: str | None) -> Path:
    """The shipped release, or (for another version) its verified files in the cache."""
    from ._version import __version__

    if version is None or version == __version__:
        return release_dir()
    from .remote import fetch_release

    return fetch_release(version)


def datapackage(version: str | None = None) -> dict[str, Any]:
    """The release's Frictionless descriptor: schemas, licences, hashes, version."""
    with open(_folder(version) / "datapackage.json", encoding="utf-8") as f:
        return json.load(f)


def _check_name(table: str) -> None:
    if table not in TABLE_NAMES:
        raise UnknownNameError(f"unknown table {table!r}; valid tables: {', '.join(TABLE_NAMES)}")


def read_parquet(path: Path, columns: list[str] | None = None) -> pd.DataFrame:
    """A release Parquet file as a typed DataFrame (the one conversion every loader uses)."""
    import pandas as pd
    import pyarrow as pa
    import pyarrow.parquet as pq

    table = pq.read_table(path, columns=columns)
    mapping = {pa.int64(): pd.Int64Dtype(), pa.bool_(): pd.BooleanDtype()}
    return table.to_pandas(date_as_object=False, types_mapper=mapping.get)


def load(table: str, columns: list[str] | None = None, version: str | None = None) -> pd.DataFrame:
    """One table of a release as a pandas DataFrame.

    ``table`` is one of :func:`tables`; ``columns`` limits what is read. ``version`` picks an
    older release (e.g. ``"0.1.0"``): its files are downloaded once, verified against the
    sha256 this package records for that release, and cached for offline use.
    """
    _check_name(table)
    if version is not None:
        from ._version import __version__

        if version != __version__:
            from .remote import fetch

            return read_parquet(fetch(version, f"{table}.parquet"), columns)
    return read_parquet(release_dir() / f"{table}.parquet", columns)


def load_all(version: str | None = None) -> dict[str, pd.DataFrame]:
    """Every table of a release (default: the installed one), by name."""
    names = TABLE_NAMES if version is None else [r["name"] for r in datapackage(version)["resources"]]
    return {name: load(name, version=version) for name in names}
