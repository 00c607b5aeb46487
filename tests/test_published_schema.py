"""visitdata.schema(name): pandera schemas of the tables as visitdata.load(name) returns them."""

from __future__ import annotations

import pandas as pd
import pandera.pandas as pa
import pytest

import visitdata


@pytest.mark.parametrize("table", visitdata.tables())
def test_every_loaded_table_passes_its_schema(table: str) -> None:
    schema = visitdata.schema(table)
    assert isinstance(schema, pa.DataFrameSchema)
    schema.validate(visitdata.load(table))


@pytest.mark.parametrize(
    "column, value, says",
    [
        ("visit_id", "Not A Slug", "str_matches"),  # pattern
        ("start_date", None, "non-nullable"),  # required
        ("visit_id", "<duplicate>", "duplicate"),  # unique key
        ("status", "<not in the vocabulary>", "isin"),  # vocabulary (as a category)
    ],
)
def test_a_broken_cell_raises_pandera_s_error_naming_the_column(column: str, value: object, says: str) -> None:
    visits = visitdata.load("visits")
    if value == "<duplicate>":
        value = visits.loc[0, column]
    if value == "<not in the vocabulary>":
        visits[column] = visits[column].cat.add_categories(["rumoured"])
        value = "rumoured"
    visits.loc[1, column] = value
    with pytest.raises(pa.errors.SchemaError, match=says) as e:
        visitdata.schema("visits").validate(visits)
    assert column in str(e.value)


def test_a_column_of_the_wrong_type_fails() -> None:
    visits = visitdata.load("visits")
    visits["host_cow"] = visits["host_cow"].astype("float64")
    with pytest.raises(pa.errors.SchemaError, match="host_cow"):
        visitdata.schema("visits").validate(visits)


def test_added_rows_can_be_checked() -> None:
    attendees = visitdata.load("attendees")
    new = attendees.iloc[[0]].assign(person_id="someone-new")
    visitdata.schema("attendees").validate(pd.concat([attendees, new], ignore_index=True))
    with pytest.raises(pa.errors.SchemaError):  # the same (visit_id, person_id) twice
        visitdata.schema("attendees").validate(pd.concat([attendees, attendees.iloc[[0]]], ignore_index=True))


def test_unknown_table_names_the_valid_ones() -> None:
    with pytest.raises(KeyError, match="valid tables"):
        visitdata.schema("nope")
