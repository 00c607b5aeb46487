"""Import the two state-system membership lists into ``data/states.csv``.

Political scientists merge data on the state numbers of the Correlates of War (COW) State
System Membership List (v2016) and of Gleditsch and Ward's list of independent states (GW).
Both lists are read from the CSV files written out of the R package ``states`` (see the
shared sources' README): ``cowstates.csv`` and ``gwstates.csv``, one row per membership
period, an end of ``9999-12-31`` meaning "still a member when the list was made".

Like every importer, this one only adds rows it does not find (by primary key: system,
state number, start) and never changes a row already in the table, so a second run on the
same files writes nothing; rows that differ from the files are counted and left alone.

>>> rows = membership_rows("cow", [{"cowcode": "255", "cowc": "GMY", "country_name": "Germany",
...     "start": "1990-10-03", "end": "9999-12-31", "microstate": "False"}])
>>> rows[0]["state_code"], rows[0]["end_date"], rows[0]["microstate"]
('255', None, 'false')
"""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterable
from pathlib import Path

import pandas as pd

from ..csvio import TableReadError, read_table, write_table
from ..tables import load_schema
from ..vocabulary import DATASET
from .contract import Ownership, SourceImporter

#: Where the files are, relative to the project root, when no path is given (as in CI).
DEFAULT_PATH = Path("..") / "shared" / "sources" / "state-systems"
#: The file of each list, its column prefix and the id of its row in ``sources``.
LISTS: dict[str, tuple[str, str, str]] = {
    "cow": ("cowstates.csv", "cow", "cow-state-system-2016"),
    "gw": ("gwstates.csv", "gw", "gleditsch-ward-states"),
}
#: End date the files use for "still a member when the list was made".
OPEN_END = "9999-12-31"

SOURCE_ROWS: tuple[dict[str, str | None], ...] = (
    {
        "source_id": "cow-state-system-2016",
        "source_type": DATASET,
        "publisher": "Correlates of War Project",
        "title": "State System Membership List, v2016",
        "url": "https://correlatesofwar.org/data-sets/state-system-membership",
        "published": "2017",
        "language": "en",
        "licence": "",
        "notes": "States with their COW numbers (ccode) and membership periods, imported into states.",
    },
    {
        "source_id": "gleditsch-ward-states",
        "source_type": "academic_publication",
        "publisher": "Kristian S. Gleditsch and Michael D. Ward",
        "title": "Interstate system membership: A revised list of the independent states since 1816",
        "url": None,
        "published": "1999",
        "language": "en",
        "licence": None,
        "notes": "International Interactions 25(4): 393-413; the list with microstates is published at "
        "ksgleditsch.com/data-4.html. Periods read from the R package states (github.com/andybega/states, "
        "commit b154482); matched to country codes by hand in state_crosswalk.",
    },
)


def membership_rows(system: str, records: Iterable[dict[str, str]]) -> list[dict[str, str | None]]:
    """Rows of ``states`` from the records of one list's file (all values as text)."""
    _, prefix, source_id = LISTS[system]
    rows: list[dict[str, str | None]] = []
    for r in records:
        rows.append(
            {
                "system": system,
                "state_code": str(int(r[f"{prefix}code"])),
                "abbreviation": r[f"{prefix}c"],
                "name": r["country_name"],
                "start_date": r["start"],
                "end_date": None if r["end"] == OPEN_END else r["end"],
                "microstate": {"True": "true", "False": "false"}[r["microstate"]],
                "source_ids": source_id,
                "notes": None,
            }
        )
    return rows


def read_lists(path: Path) -> pd.DataFrame:
    """Both lists as one frame of ``states`` rows."""
    rows: list[dict[str, str | None]] = []
    for system, (name, _, _) in LISTS.items():
        file = Path(path) / name
        if not file.is_file():
            raise FileNotFoundError(f"{file}: expected the {system.upper()} list here (see the shared sources' README)")
        with open(file, encoding="utf-8", newline="") as f:
            rows += membership_rows(system, csv.DictReader(f))
    return pd.DataFrame(rows, dtype="str")


def add_missing(root: Path, table: str, new: pd.DataFrame) -> tuple[int, int]:
    """Append the rows of ``new`` whose primary key the table lacks; never change a row.

    Returns the rows added and the rows kept although they differ from ``new``.
    """
    schema = load_schema(root, table)
    try:
        existing = read_table(root, schema).frame[schema.field_names]
    except TableReadError:
        existing = pd.DataFrame(columns=schema.field_names, dtype="str")
    key = schema.primary_key
    new = new.reindex(columns=schema.field_names).astype("str")
    merged = new.merge(existing, on=key, how="left", suffixes=("", "_kept"), indicator=True)
    fresh = new[(merged["_merge"] == "left_only").to_numpy()]
    both = merged[merged["_merge"] == "both"]
    others = [c for c in schema.field_names if c not in key]
    differ = pd.Series(False, index=both.index)
    for c in others:
        a, b = both[c], both[f"{c}_kept"]
        differ |= ~((a == b).fillna(False) | (a.isna() & b.isna()))
    if len(fresh):
        write_table(root, schema, pd.concat([existing, fresh], ignore_index=True))
    return len(fresh), int(differ.sum())


def run(root: Path, path: Path | None = None, progress: Callable[[str], None] | None = None) -> dict[str, int]:
    """Add missing membership periods to ``states`` (and the lists' ``sources`` rows)."""
    root = Path(root)
    path = Path(path) if path is not None else root / DEFAULT_PATH
    rows = read_lists(path)
    sources_added, _ = add_missing(root, "sources", pd.DataFrame(list(SOURCE_ROWS)))
    added, kept = add_missing(root, "states", rows)
    summary = {
        "states_rows": len(rows),
        "states_added": added,
        "states_kept_different": kept,
        "sources_added": sources_added,
    }
    if progress:
        progress(
            f"states: {added} of {len(rows)} periods added, {kept} curated rows differ and were kept; "
            f"sources: {sources_added} added"
        )
    return summary


IMPORTER = SourceImporter(
    name="states",
    description="COW and Gleditsch-Ward state-system membership lists (CSV files of the R package states)",
    reads="../shared/sources/state-systems (cowstates.csv, gwstates.csv)",
    owns={"sources": Ownership(), "states": Ownership()},
    report=None,
    runner=run,
)
