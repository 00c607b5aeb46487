"""Import the ISO 3166 code list into ``data/countries.csv``.

Codes and English short names come from ISO 3166-1 (current) and ISO 3166-3 (withdrawn), as
packaged by Debian's iso-codes and read through ``pycountry``. Rows already in the table are
never changed: the periods in which a code designates a state, and any corrected names, are
curated by hand or by the importers of sources that date them.
"""

from __future__ import annotations

from pathlib import Path

from ..vocabulary import ISO_FORMER, REFERENCE_WORK
from .contract import Ownership, Progress, SourceImporter
from .merge import Merger

SOURCE_ID = "iso-3166"
SOURCE_ROW = {
    "source_id": SOURCE_ID,
    "source_type": REFERENCE_WORK,
    "publisher": "International Organization for Standardization",
    "title": "ISO 3166 Codes for the representation of names of countries and their subdivisions",
    "url": "",
    "published": "",
    "language": "en",
    "licence": "",
    "notes": "Codes and short names read through the pycountry package's copy of Debian iso-codes.",
}


def iso_rows() -> list[dict[str, str]]:
    """One row per ISO 3166-1 code and per withdrawn ISO 3166-3 alpha-3 code not reused since."""
    import pycountry

    current = [
        {"country_code": c.alpha_3, "name": getattr(c, "common_name", c.name), "iso_status": "current"}
        for c in pycountry.countries
    ]
    taken = {row["country_code"] for row in current}
    former = [
        {"country_code": c.alpha_3, "name": c.name, "iso_status": ISO_FORMER}
        for c in pycountry.historic_countries
        if c.alpha_3 not in taken
    ]
    return [{**row, "source_ids": SOURCE_ID} for row in current + former]


#: New codes are added; a row already in the table is never changed, only compared.
OWNS = {"sources": Ownership(), "countries": Ownership()}


def run(root: Path, path: Path | None = None, progress: Progress | None = None) -> dict[str, int]:
    """Add missing ISO codes to ``countries`` (and the ISO source row); return counts.

    Both tables are read before either is written: if one cannot be read, nothing changes.
    """
    merger = Merger(root)
    sources = merger.merge("sources", [SOURCE_ROW], OWNS["sources"])
    countries = merger.merge("countries", iso_rows(), OWNS["countries"])
    merger.write()
    conflicts = [*sources.conflicts, *countries.conflicts]
    if progress:
        progress(f"countries: {countries.added} codes added; sources: {sources.added} added")
        progress(f"{len(conflicts)} rows differ from the ISO list and were kept as curated")
    return {"countries_added": countries.added, "sources_added": sources.added, "conflicts": len(conflicts)}


IMPORTER = SourceImporter(
    name="iso3166",
    description="ISO 3166 country codes, through the pycountry package (needs visitdata[import])",
    reads="",
    owns=OWNS,
    report=None,
    runner=run,
)
