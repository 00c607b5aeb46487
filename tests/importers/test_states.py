"""The state-system importer: both lists in, idempotent, curated edits kept."""

from __future__ import annotations

import pandas as pd
import pytest

from conftest import SHARED_SOURCES, TODAY, read, set_cell
from visitdata.importers import states
from visitdata.validate import validate_package

LISTS = SHARED_SOURCES / "state-systems"
pytestmark = pytest.mark.skipif(not LISTS.is_dir(), reason="shared sources not available")


@pytest.fixture
def imported(project):
    (project / "data" / "states.csv").unlink()
    summary = states.run(project, LISTS)
    return project, summary


def test_both_lists_are_imported_with_their_sources(imported):
    project, summary = imported
    table = read(project, "states")
    assert summary["states_added"] == len(table) == summary["states_rows"]
    counts = table.groupby("system").size().to_dict()
    assert counts["cow"] > 200 and counts["gw"] > 200
    germany = table[(table["system"] == "cow") & (table["state_code"] == "255")]
    assert germany[["start_date", "end_date"]].values.tolist() == [["1816-01-01", "1945-05-08"], ["1990-10-03", ""]]
    assert set(table["source_ids"]) == {"cow-state-system-2016", "gleditsch-ward-states"}
    assert {"cow-state-system-2016", "gleditsch-ward-states"} <= set(read(project, "sources")["source_id"])
    assert validate_package(project, today=TODAY).ok


def test_a_second_run_writes_nothing_and_keeps_curated_edits(imported):
    project, _ = imported
    set_cell(project, "states", {"system": "gw", "state_code": "260"}, "notes", "West Germany, then Germany")
    before = (project / "data" / "states.csv").read_bytes()
    summary = states.run(project, LISTS)
    assert summary["states_added"] == 0 and summary["sources_added"] == 0
    assert summary["states_kept_different"] == 1
    assert (project / "data" / "states.csv").read_bytes() == before


def test_a_missing_list_is_named(tmp_path, project):
    with pytest.raises(FileNotFoundError, match="cowstates.csv"):
        states.run(project, tmp_path)


def test_open_ends_and_flags_are_written_as_the_schema_wants():
    rows = states.membership_rows(
        "gw",
        [
            {
                "gwcode": "260",
                "gwc": "GFR",
                "country_name": "German Federal Republic",
                "start": "1949-09-21",
                "end": "9999-12-31",
                "microstate": "True",
            }
        ],
    )
    assert pd.DataFrame(rows).loc[0, ["end_date", "microstate"]].tolist() == [None, "true"]
