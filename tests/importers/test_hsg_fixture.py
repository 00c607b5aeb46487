"""The Office of the Historian importer on a small made-up snapshot committed with the tests
(``tests/fixtures/hsg``), so that a fresh clone runs them; the tests on excerpts of the real
snapshot (``test_hsg.py``) run where ``../shared/sources`` exists."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import FIXTURES, file_hashes, read
from hsg_helpers import make_root
from visitdata.importers import get_importer, hsg
from visitdata.validate import validate_package

SNAPSHOT = FIXTURES / "hsg"


@pytest.fixture(scope="module")
def imported(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, hsg.Summary]:
    root = make_root(tmp_path_factory.mktemp("hsg-fixture") / "project")
    return root, hsg.run(root, SNAPSHOT)


def rows(root: Path, table: str, key: str):
    return read(root, table).set_index(key)


def test_every_record_is_accounted_for(imported) -> None:
    _, summary = imported
    counts = dict(summary)
    assert counts["trips_read"] == 8 and counts["visits_read"] == 4
    assert (counts["duplicates_merged"], counts["accompanied_stops_merged"], counts["records_skipped_no_iso_code"]) == (
        1,
        1,
        1,
    )
    st = summary.stats
    assert (
        st["trip_visits"]
        + st["trip_nested_merged"]
        + st["trip_duplicates"]
        + st["accompanied_merged"]
        + st["trip_stops_unmapped"]
        == 8 + 1
    )  # 9102 has two stops
    assert st["trip_nested_merged"] == 1 and st["us_visits"] == 4


def test_one_visit_per_stay_duplicates_and_nested_records_merged(imported) -> None:
    root, _ = imported
    visits = rows(root, "visits", "visit_id")
    assert "hsg-trip-9002" not in visits.index and "hsg-trip-9004" not in visits.index
    paris = visits.loc["hsg-trip-9001"]
    assert paris["place"] == "Paris, Versailles" and paris["end_date"] == "2006-06-07"
    assert (
        "hsg travels record 9002 (2006-06-05 to 2006-06-06, type multilateral_meeting) is the same stay"
        in paris["notes"]
    )
    assert "duplicate upstream record 9004 merged here" in visits.loc["hsg-trip-9003", "notes"]


def test_journeys_and_trips_of_several_countries(imported) -> None:
    root, _ = imported
    visits = rows(root, "visits", "visit_id")
    assert visits.loc["hsg-trip-9001", "trip_id"] == visits.loc["hsg-trip-9003", "trip_id"] == "hsg-journey-9001"
    assert list(visits.loc[["hsg-trip-9102-1", "hsg-trip-9102-2"], "host_country"]) == ["DEU", "JPN"]
    assert set(visits.loc[["hsg-trip-9102-1", "hsg-trip-9102-2"], "trip_id"]) == {"hsg-trip-9102"}


def test_roles_of_presidents_elect_and_secretaries(imported) -> None:
    root, _ = imported
    roles = rows(root, "roles", "role_id")
    assert roles.loc["us-president-elect-91", "end_date"] == "2009-01-19"
    assert roles.loc["us-secretary-of-state-secr-2005-doe", "start_date"] == "2005-01-26"
    attendees = read(root, "attendees")
    lead = attendees[(attendees["visit_id"] == "hsg-trip-9006") & (attendees["participation"] == "lead")]
    assert list(lead["role_id"]) == ["us-president-elect-91"]


def test_accompanied_secretary_joins_the_president_s_visit(imported) -> None:
    root, _ = imported
    attendees = read(root, "attendees").set_index(["visit_id", "person_id"])
    row = attendees.loc[("hsg-trip-9003", "casey-doe")]
    assert row["participation"] == "delegation_member"
    assert row["notes"] == "hsg travels record 9101: accompanied the president"
    assert "hsg-trip-9101" not in set(read(root, "visits")["visit_id"])


def test_visitors_surnames_monarchs_and_hosts(imported) -> None:
    root, _ = imported
    attendees = read(root, "attendees").set_index(["visit_id", "person_id"])
    assert attendees.loc[("hsg-visit-8004", "sam-ellis"), "participation"] == "lead"  # the surname joins the full name
    assert attendees.loc[("hsg-visit-8003", "paul-martin"), "participation"] == "delegation_member"
    assert attendees.loc[("hsg-visit-8001", "alex-sample"), "participation"] == "host"
    persons = rows(root, "persons", "person_id")
    assert persons.loc["olaf-nor-king", "name"] == "Olaf"  # one name only: country and title in the id


def test_counterparts_resolve_to_visitors_or_new_persons(imported) -> None:
    root, summary = imported
    attendees = read(root, "attendees").set_index(["visit_id", "person_id"])
    assert attendees.loc[("hsg-trip-9003", "sam-ellis"), "role_id"] == "sam-ellis-prime-minister"
    assert attendees.loc[("hsg-trip-9001", "marie-durand"), "participation"] == "counterpart"
    assert attendees.loc[("hsg-trip-9006", "luis-ortega"), "role_id"] == "luis-ortega-president"
    st = summary.stats
    assert (st["counterparts_visitor"], st["counterparts_new_person"]) == (2, 1)


def test_the_result_validates_and_the_report_is_written(imported) -> None:
    root, summary = imported
    report = validate_package(root)
    assert report.errors == []
    text = (root / hsg.REPORT).read_text(encoding="utf-8")
    assert text == hsg.report_markdown(summary) and "| visits | 9 | 9 | 0 | 0 |" in text


def test_a_rerun_adds_nothing_and_writes_only_data_and_the_report(tmp_path: Path) -> None:
    root = make_root(tmp_path / "project")
    importer = get_importer("hsg")
    before = file_hashes(root)
    importer.run(root, SNAPSHOT)
    after = file_hashes(root)
    changed = {p for p in set(before) | set(after) if before.get(p) != after.get(p)}
    allowed = {f"data/{t}.csv" for t in importer.owns} | {importer.report}
    assert changed and changed <= allowed
    again = importer.run(root, SNAPSHOT)
    assert all(dict(again)[f"{t}_added"] == 0 for t in hsg.TABLES) and dict(again)["conflicts"] == 0
    assert {p: h for p, h in file_hashes(root).items() if p != importer.report} == {
        p: h for p, h in after.items() if p != importer.report
    }
