"""visitdata: high-level official visits between states, with a source on every row.

>>> import visitdata
>>> sorted(visitdata.load_all()) == sorted(visitdata.tables())
True

Loading needs only pandas and pyarrow. Curators' tools (validation and build) live in
:mod:`visitdata.validate` and :mod:`visitdata.build` and need the ``curate`` extra.
"""

from ._version import __version__
from .cite import cite
from .coverage import coverage
from .load import datapackage, load, load_all, release_dir, tables
from .panels import country_years, dyad_years, leader_years
from .sources import cited_sources

__all__ = [
    "__version__",
    "cite",
    "cited_sources",
    "connect",
    "country_years",
    "coverage",
    "datapackage",
    "dyad_years",
    "leader_years",
    "load",
    "load_all",
    "release_dir",
    "schema",
    "tables",
]


def __getattr__(name: str):
    """``visitdata.connect()`` (DuckDB views over the release) and ``visitdata.schema()`` (pandera
    schemas of the loaded tables) without importing duckdb or pandera up front."""
    if name == "connect":
        from .duck import connect

        return connect
    if name == "schema":
        from .published_schema import schema

        return schema
    raise AttributeError(f"module 'visitdata' has no attribute {name!r}")
