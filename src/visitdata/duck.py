"""DuckDB over the release: one view per table, reading the Parquet files in place.

``duckdb`` is an optional extra (``pip install 'visitdata[duckdb]'``); this module imports it only
when :func:`connect` is called, so ``import visitdata`` never needs it.

Example (pandas result)::

    con = visitdata.connect()
    con.execute("SELECT host_country, count(*) AS n FROM visits GROUP BY ALL ORDER BY n DESC LIMIT 5").df()
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING

from .extras import missing_extra

if TYPE_CHECKING:
    import duckdb

#: The extra that installs DuckDB.
EXTRA = "duckdb"


def _import_duckdb():  # -> module
    try:
        import duckdb
    except ModuleNotFoundError as e:
        raise missing_extra("visitdata.connect() needs DuckDB", EXTRA) from e
    return duckdb


def _sql_string(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def connect(release_dir: Path | None = None, database: str = ":memory:") -> duckdb.DuckDBPyConnection:
    """A DuckDB connection with one view per table of the release (default: the installed one).

    Views read the Parquet files on each query, so nothing is copied; vocabularies arrive as
    DuckDB ENUM-like strings, partial-date bounds as DATE.
    """
    duckdb = _import_duckdb()
    if release_dir is None:
        from .load import release_dir as installed

        release_dir = installed()
    release_dir = Path(release_dir)
    with open(release_dir / "datapackage.json", encoding="utf-8") as f:
        resources = json.load(f)["resources"]
    con = duckdb.connect(database)
    for resource in resources:
        path = (release_dir / resource["path"]).resolve()
        con.execute(f'CREATE VIEW "{resource["name"]}" AS SELECT * FROM read_parquet({_sql_string(str(path))})')
    return con
