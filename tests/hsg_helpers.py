"""A project root for the Office of the Historian importer's tests (fixture and full snapshot)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd

from conftest import REPO
from visitdata.importers import hsg

#: Code lists the importer reads and the excerpts need as they are.
REFERENCE_TABLES = ("countries", "states", "state_crosswalk")


def make_root(dest: Path) -> Path:
    """A project root with the repository's schemas, its ISO country list and the tables the
    importer does not write (e.g. retired ids), but none of the curated visits."""
    shutil.copytree(REPO / "schemas", dest / "schemas")
    (dest / "data").mkdir(parents=True)
    for schema in (REPO / "schemas").glob("*.json"):
        name = schema.stem
        if name in hsg.TABLES:
            continue
        if name in REFERENCE_TABLES and (REPO / "data" / f"{name}.csv").exists():
            shutil.copy(REPO / "data" / f"{name}.csv", dest / "data")
        elif (REPO / "data" / f"{name}.csv").exists():
            # Curated tables (retired ids, reviews, identifiers, coverage) name ids the excerpts lack.
            header = (REPO / "data" / f"{name}.csv").read_text().splitlines()[0]
            (dest / "data" / f"{name}.csv").write_text(header + "\n")
    shutil.copy(REPO / "data" / "sources.csv", dest / "data")
    sources = pd.read_csv(dest / "data" / "sources.csv", dtype="str", keep_default_na=False)
    # Keep the sources the copied tables cite (the code lists, the state systems).
    cited = {"iso-3166"}
    for name in ("countries", "states", "state_crosswalk"):
        path = dest / "data" / f"{name}.csv"
        if path.exists():
            frame = pd.read_csv(path, dtype="str", keep_default_na=False)
            cited |= {i for ids in frame["source_ids"] for i in ids.split(";")}
    sources[sources["source_id"].isin(cited)].to_csv(dest / "data" / "sources.csv", index=False, lineterminator="\n")
    return dest
