"""Typed Arrow tables and release schemas derived from the Table Schemas."""

from __future__ import annotations

import pyarrow as pa

from conftest import REPO
from visitdata.arrow import DERIVED_FROM, LIST_OF, release_schema, to_arrow
from visitdata.csvio import read_table
from visitdata.tables import load_schema


def test_vocabularies_are_dictionaries_of_the_whole_vocabulary(project) -> None:
    schema = load_schema(project, "visits")
    table = to_arrow(read_table(project, schema).frame, schema)
    status = table.column("status").combine_chunks()
    assert pa.types.is_dictionary(status.type)
    assert status.dictionary.to_pylist() == schema.field("status").enum  # even values no row holds


def test_partial_dates_gain_earliest_latest_and_precision(project) -> None:
    schema = load_schema(project, "visits")
    frame = read_table(project, schema).frame
    table = to_arrow(frame, schema)
    assert table.column("start_date_earliest").type == pa.date32()
    rows = table.to_pylist()
    for row in rows:
        assert row["start_date_earliest"] <= row["start_date_latest"]
        assert row["start_date_precision"] == {4: "year", 7: "month", 10: "day"}[len(row["start_date"])]


def test_rows_are_sorted_by_primary_key(project) -> None:
    schema = load_schema(project, "attendees")
    table = to_arrow(read_table(project, schema).frame, schema)
    keys = list(zip(table.column("visit_id").to_pylist(), table.column("person_id").to_pylist(), strict=True))
    assert keys == sorted(keys)


def test_release_schema_marks_lists_and_derived_columns() -> None:
    descriptor = release_schema(load_schema(REPO, "visits"))
    fields = {f["name"]: f for f in descriptor["fields"]}
    assert fields["source_ids"]["type"] == "string" and fields["source_ids"][LIST_OF]["delimiter"] == ";"
    assert fields["start_date_latest"][DERIVED_FROM] == "start_date"
    assert fields["start_date_precision"]["constraints"]["enum"] == ["year", "month", "day"]
