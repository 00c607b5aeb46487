import subprocess
import sys

import pandas as pd
import pyarrow.parquet as pq
import pytest

import visitdata


def test_load_returns_what_the_release_parquet_holds():
    for name in visitdata.tables():
        frame = visitdata.load(name)
        table = pq.read_table(visitdata.release_dir() / f"{name}.parquet")
        assert list(frame.columns) == table.column_names
        assert len(frame) == table.num_rows
        for column in table.column_names:
            expected = table.column(column).to_pylist()
            got = [None if pd.isna(v) else v for v in frame[column].tolist()]
            if str(table.schema.field(column).type) == "date32[day]":
                got = [None if v is None else v.date() for v in got]
            assert got == expected, f"{name}.{column}"


def test_types_are_real_not_only_strings():
    visits = visitdata.load("visits")
    assert str(visits["start_date_earliest"].dtype).startswith("datetime64")
    assert isinstance(visits["visit_type"].dtype, pd.CategoricalDtype)
    assert list(visits["visit_type"].cat.categories)[:3] == ["state", "official", "official_working"]
    assert set(visits["start_date_precision"].dropna()) <= {"year", "month", "day"}


def test_load_all_and_columns():
    frames = visitdata.load_all()
    assert list(frames) == list(visitdata.tables())
    assert list(visitdata.load("persons", columns=["person_id", "name"]).columns) == ["person_id", "name"]


def test_unknown_table_names_the_valid_ones():
    with pytest.raises(
        ValueError, match="valid tables: sources, countries, states, state_crosswalk, persons, roles, visits, attendees"
    ):
        visitdata.load("visit")


def test_loading_does_not_import_validation_libraries():
    code = "import sys, visitdata; visitdata.load_all(); print(sorted(m for m in ('pandera', 'frictionless') if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def test_version_and_descriptor_agree():
    assert visitdata.datapackage()["version"] == visitdata.__version__


def test_precision_is_ordered_and_dates_compare_as_documented():
    visits = visitdata.load("visits")
    precision = visits["start_date_precision"]
    assert precision.cat.ordered and list(precision.cat.categories) == ["year", "month", "day"]
    assert (precision[precision.notna()] >= "month").sum() == (precision.isin(["month", "day"])).sum()
    # The documented idiom: compare the date columns with a Timestamp or an ISO string.
    after = visits["start_date_earliest"] >= pd.Timestamp("2000-01-01")
    assert after.equals(visits["start_date_earliest"] >= "2000-01-01") and after.any()


def test_cited_sources_gives_one_row_per_record_and_source():
    attendees = visitdata.load("attendees")
    part = attendees[attendees.visit_id == "xi-jinping-prk-2019-06"]
    cited = visitdata.cited_sources(part)
    assert list(cited.columns[:3]) == ["visit_id", "person_id", "source_id"]
    expected = sum(len(ids.split(";")) for ids in part["source_ids"])
    assert len(cited) == expected and cited["url"].notna().any()
    with pytest.raises(ValueError, match="no source_ids column"):
        visitdata.cited_sources(part.drop(columns="source_ids"))
