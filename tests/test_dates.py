import pandas as pd

from visitdata.dates import parse_partial_dates


def test_precision_and_bounds():
    parts = parse_partial_dates(pd.Series(["1866", "2024-02", "2023-02", "2024-04-12"]))
    assert parts["precision"].tolist() == ["year", "month", "month", "day"]
    assert [d.strftime("%Y-%m-%d") for d in parts["earliest"]] == [
        "1866-01-01",
        "2024-02-01",
        "2023-02-01",
        "2024-04-12",
    ]
    assert [d.strftime("%Y-%m-%d") for d in parts["latest"]] == ["1866-12-31", "2024-02-29", "2023-02-28", "2024-04-12"]
    assert parts["valid"].all()


def test_missing_is_valid_and_empty():
    parts = parse_partial_dates(pd.Series([None, pd.NA], dtype="str"))
    assert parts["valid"].all()
    assert parts["earliest"].isna().all() and parts["latest"].isna().all()
    assert parts["precision"].isna().all()


def test_impossible_or_malformed_dates_are_invalid():
    values = ["2024-02-30", "2024-13", "24-01-01", "2024-1-1", "2024/01/01", "2024-04-12T10:00", " 2024"]
    parts = parse_partial_dates(pd.Series(values))
    assert not parts["valid"].any()
    assert parts["earliest"].isna().all()


def test_dates_before_1678_and_after_2262_do_not_overflow():
    parts = parse_partial_dates(pd.Series(["1600-05", "2500"]))
    assert parts["valid"].all()
    assert parts["latest"].iloc[0].strftime("%Y-%m-%d") == "1600-05-31"
