"""Import the ISO 3166 code list into ``data/countries.csv``.

Codes and English short names come from ISO 3166-1 (current) and ISO 3166-3 (withdrawn), as
packaged by Debian's iso-codes and read through ``pycountry``. Rows already in the table are
never changed: the periods in which a code designates a state, and any corrected names, are
curated by hand or by the importers of sources that date them.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pandas as pd

from ..csvio import read_table, write_table
from ..tables import load_schema

SOURCE_ID = "iso-3166"
SOURCE_ROW = {
    "source_id": SOURCE_ID,
    "source_type": "reference_work",
    "publisher": "International Organization for Standardization",
    "title": "ISO 3166 Codes for the representation of names of countries and their subdivisions",
    "url": None,
    "published": None,
    "language": "en",
    "licence": None,
    "notes": "Codes and short names read through the pycountry package's copy of Debian iso-codes.",
}


def iso_rows() -> pd.DataFrame:
    """One row per ISO 3166-1 code and per withdrawn ISO 3166-3 alpha-3 code not reused since."""
    import pycountry

    current = [
        {"country_code": c.alpha_3, "name": getattr(c, "common_name", c.name), "iso_status": "current"}
        for c in pycountry.countries
    ]
    taken = {row["country_code"] for row in current}
    former = [
        {"country_code": c.alpha_3, "name": c.name, "iso_status": "former"}
        for c in pycountry.historic_countries
        if c.alpha_3 not in taken
    ]
    rows = pd.DataFrame(current + former, dtype="str")
    rows["source_ids"] = SOURCE_ID
    return rows


def _add_missing(root: Path, table: str, new: pd.DataFrame) -> int:
    schema = load_schema(root, table)
    try:
        existing = read_table(root, schema).frame
    except Exception:
        existing = pd.DataFrame(columns=schema.field_names, dtype="str")
    key = schema.primary_key[0]
    fresh = new[~new[key].isin(existing[key])]
    if len(fresh):
        write_table(root, schema, pd.concat([existing, fresh], ignore_index=True))
    return len(fresh)


def run(root: Path, path: Path | None = None, progress: Callable[[str], None] | None = None) -> dict[str, int]:
    """Add missing ISO codes to ``countries`` (and the ISO source row); return counts."""
    added_source = _add_missing(root, "sources", pd.DataFrame([SOURCE_ROW]).astype("str"))
    added = _add_missing(root, "countries", iso_rows())
    if progress:
        progress(f"countries: {added} codes added; sources: {added_source} added")
    return {"countries_added": added, "sources_added": added_source}
