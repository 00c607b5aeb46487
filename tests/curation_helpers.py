"""Helpers of the curation tests (DPRK, China): the repository's tables and their source lists."""

from __future__ import annotations

import pandas as pd

from conftest import REPO
from visitdata.csvio import read_table
from visitdata.tables import load_schema

#: The tables a curated visit spans.
CURATED_TABLES = ("sources", "persons", "roles", "visits", "attendees")


def table(name: str) -> pd.DataFrame:
    """One table of the repository's ``data/``, as the validator reads it."""
    return read_table(REPO, load_schema(REPO, name)).frame


def curated_tables() -> dict[str, pd.DataFrame]:
    return {n: table(n) for n in CURATED_TABLES}


def items(cell) -> list[str]:
    """The items of a ``;``-separated list cell (none for an empty cell)."""
    return [] if pd.isna(cell) else str(cell).split(";")


def source_ids_with_url(tables: dict[str, pd.DataFrame]) -> set[str]:
    """Ids of the sources whose ``url`` is a web address."""
    s = tables["sources"]
    return set(s.loc[s["url"].fillna("").str.match(r"https?://"), "source_id"])
