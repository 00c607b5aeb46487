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

from .tables import TABLE_NAMES

if TYPE_CHECKING:
    import pandas as pd


def release_dir() -> Path:
    """Folder of the release shipped with this installation."""
    return Path(str(resources.files("visitdata") / "release"))


def tables() -> tuple[str, ...]:
    """Names of the tables, in dependency order (a table only references earlier ones)."""
    return TABLE_NAMES


def datapackage() -> dict[str, Any]:
    """The release's Frictionless descriptor: schemas, licences, hashes, version."""
    with open(release_dir() / "datapackage.json", encoding="utf-8") as f:
        return json.load(f)


def _check_name(table: str) -> None:
    if table not in TABLE_NAMES:
        raise ValueError(f"unknown table {table!r}; valid tables: {', '.join(TABLE_NAMES)}")


def read_parquet(path: Path, columns: list[str] | None = None) -> pd.DataFrame:
    """A release Parquet file as a typed DataFrame (the one conversion every loader uses)."""
    import pandas as pd
    import pyarrow as pa
    import pyarrow.parquet as pq

    table = pq.read_table(path, columns=columns)
    mapping = {pa.int64(): pd.Int64Dtype(), pa.bool_(): pd.BooleanDtype()}
    return table.to_pandas(date_as_object=False, types_mapper=mapping.get)


def load(table: str, columns: list[str] | None = None) -> pd.DataFrame:
    """One table of the installed release as a pandas DataFrame.

    ``table`` is one of :func:`tables`; ``columns`` limits what is read.
    """
    _check_name(table)
    return read_parquet(release_dir() / f"{table}.parquet", columns)


def load_all() -> dict[str, pd.DataFrame]:
    """Every table of the installed release, by name."""
    return {name: load(name) for name in TABLE_NAMES}
