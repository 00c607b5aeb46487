"""The sources behind rows: every table's ``source_ids`` joined to the ``sources`` table.

Each row of every table names its sources as ``;``-separated ids. :func:`cited_sources` turns
a loaded frame (or a filtered part of it) into one row per record and source, with the
source's publisher, title, address and date, so nobody has to split and join by hand.

>>> import visitdata
>>> visits = visitdata.load("visits")
>>> cited = visitdata.cited_sources(visits[visits.visit_id == "xi-jinping-prk-2019-06"])
>>> list(cited.columns[:3])
['visit_id', 'source_id', 'source_type']
>>> bool(cited["publisher"].notna().all())
True
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pandas as pd


def _table_of(frame: pd.DataFrame, version: str | None) -> tuple[list[str], str]:
    """The primary key and list delimiter of the table ``frame`` was loaded from (the largest key it holds)."""
    from .arrow import LIST_OF
    from .load import datapackage

    found = []
    for resource in datapackage(version)["resources"]:
        key = resource["schema"].get("primaryKey") or []
        key = [key] if isinstance(key, str) else list(key)
        field = next((f for f in resource["schema"]["fields"] if f["name"] == "source_ids"), None)
        if key and field and set(key) <= set(frame.columns):
            found.append((key, field[LIST_OF]["delimiter"]))
    if not found:
        raise ValueError(
            "the frame holds no table's primary key: pass key=[...] naming the columns that identify a row"
        )
    return max(found, key=lambda kd: len(kd[0]))


def cited_sources(frame: pd.DataFrame, key: list[str] | None = None, version: str | None = None) -> pd.DataFrame:
    """One row per record of ``frame`` and source it cites, with that source's columns.

    ``frame`` is any loaded table (or a part of it) that has ``source_ids``; ``key`` names the
    columns identifying its rows (default: the primary key of the table it was loaded from).
    Sources come from the same release (``version``, default the installed one).
    """
    from .load import load

    if "source_ids" not in frame.columns:
        raise ValueError(f"the frame has no source_ids column; its columns: {', '.join(map(str, frame.columns))}")
    found_key, delimiter = _table_of(frame, version)
    key = key or found_key
    long = frame[[*key, "source_ids"]].copy()
    long["source_id"] = long.pop("source_ids").astype("string").str.split(delimiter)
    long = long.explode("source_id", ignore_index=True).dropna(subset=["source_id"])
    sources = load("sources", version=version)
    return long.merge(sources, on="source_id", how="left", validate="many_to_one")
