"""State-system numbers through time, on the project's own crosswalk: the hard cases of the
issue, each checked on the days either side of each change."""

from __future__ import annotations

import pandas as pd
import pytest

from conftest import REPO
from visitdata.statecodes import resolve


@pytest.fixture(scope="module")
def crosswalk() -> pd.DataFrame:
    return pd.read_csv(REPO / "data" / "state_crosswalk.csv", dtype="str", keep_default_na=False, na_values=[""])


# (code, day, COW number, GW number); None: not a member of that system on that day.
HARD_CASES = [
    # Germany: DEU is West Germany before unification; COW 260 only from 1955, GW 260 throughout.
    ("DEU", "1945-05-07", 255, 255),
    ("DEU", "1945-05-08", 255, None),
    ("DEU", "1945-05-09", None, None),
    ("DEU", "1949-09-21", None, 260),
    ("DEU", "1955-05-04", None, 260),
    ("DEU", "1955-05-05", 260, 260),
    ("DEU", "1990-10-02", 260, 260),
    ("DEU", "1990-10-03", 255, 260),
    ("DDR", "1990-10-02", 265, 265),
    ("DDR", "1990-10-03", None, None),
    ("DDR", "1954-03-24", None, 265),
    # Yemen: YEM was the Yemen Arab Republic; COW gives unified Yemen 679, GW keeps 678.
    ("YEM", "1990-05-21", 678, 678),
    ("YEM", "1990-05-22", 679, 678),
    ("YMD", "1990-05-21", 680, 680),
    ("YMD", "1990-05-22", None, None),
    # Vietnam: VNM is the Republic of Vietnam before 1975, the unified state from 2 July 1976.
    ("VNM", "1975-04-30", 817, 817),
    ("VNM", "1975-05-01", None, None),
    ("VNM", "1976-07-01", None, None),
    ("VNM", "1976-07-02", 816, 816),
    ("VDR", "1976-07-01", 816, 816),
    ("VDR", "1976-07-02", None, None),
    # Serbia / Serbia and Montenegro / Yugoslavia: COW keeps 345, GW gives Serbia 340 from 2006-06-05.
    ("YUG", "1915-10-01", 345, 340),
    ("YUG", "1915-10-02", 345, None),
    ("YUG", "1918-12-01", 345, 345),
    ("YUG", "2003-02-03", 345, 345),
    ("YUG", "2003-02-04", None, None),
    ("SCG", "2003-02-04", 345, 345),
    ("SCG", "2006-06-04", 345, 345),
    ("SCG", "2006-06-05", None, None),
    ("SRB", "2006-06-04", None, None),
    ("SRB", "2006-06-05", 345, 340),
    ("MNE", "2006-06-03", None, 341),
    ("MNE", "2006-06-12", 341, 341),
    # Russia / USSR: one number, two codes, cut at the USSR's end.
    ("SUN", "1991-12-25", 365, 365),
    ("SUN", "1991-12-26", None, None),
    ("RUS", "1991-12-25", None, None),
    ("RUS", "1991-12-26", 365, 365),
    # Czechoslovakia / Czech Republic: COW has no Czechoslovakia 1939-1945, GW has it throughout.
    ("CSK", "1939-03-15", 315, 315),
    ("CSK", "1939-03-16", None, 315),
    ("CSK", "1945-05-10", 315, 315),
    ("CSK", "1992-12-31", 315, 315),
    ("CSK", "1993-01-01", None, None),
    ("CZE", "1992-12-31", None, None),
    ("CZE", "1993-01-01", 316, 316),
    ("SVK", "1993-01-01", 317, 317),
    # Kosovo: the lists date it differently.
    ("XKX", "2008-02-16", None, None),
    ("XKX", "2008-02-17", None, 347),
    ("XKX", "2008-02-20", 347, 347),
    # GW numbers four Pacific microstates apart from COW.
    ("TON", "2000-01-01", 955, 972),
    ("KIR", "2000-01-01", 946, 970),
    # Places that are not states have no number.
    ("ATA", "2000-01-01", None, None),
    ("PSE", "2020-01-01", None, None),
]


@pytest.mark.parametrize("system", ["cow", "gw"])
def test_hard_cases_either_side_of_each_change(crosswalk, system):
    codes, days = [c[0] for c in HARD_CASES], [c[1] for c in HARD_CASES]
    got = resolve(codes, days, system, crosswalk)
    column = 2 if system == "cow" else 3
    wanted = pd.Series([c[column] for c in HARD_CASES], dtype="Int64")
    mismatches = [
        (c[0], c[1], w, g)
        for c, w, g in zip(HARD_CASES, wanted, got, strict=True)
        if not (pd.isna(w) and pd.isna(g)) and w != g
    ]
    assert mismatches == []


def test_an_interval_gets_a_number_only_if_one_period_covers_it(crosswalk):
    got = resolve(
        ["DEU", "DEU", "YEM", "YEM"],
        ["1990-01-01", "1991-01-01", "1990-05-01", "1990-05-01"],
        "cow",
        crosswalk,
        latest=["1990-12-31", "1991-12-31", "1990-05-31", "1990-05-21"],
    )
    assert got.tolist() == [pd.NA, 255, pd.NA, 678]


def test_the_result_keeps_the_index_and_missing_inputs_stay_missing(crosswalk):
    codes = pd.Series(["RUS", None, "RUS"], index=[7, 8, 9])
    got = resolve(codes, pd.Series(["2000-01-01", "2000-01-01", None]), "gw", crosswalk)
    assert got.index.tolist() == [7, 8, 9] and got.tolist() == [365, pd.NA, pd.NA]


def test_an_unknown_system_names_the_valid_ones(crosswalk):
    with pytest.raises(ValueError, match="valid systems: cow, gw"):
        resolve(["RUS"], ["2000-01-01"], "cowcode", crosswalk)


@pytest.fixture(scope="module")
def countries() -> pd.DataFrame:
    return pd.read_csv(REPO / "data" / "countries.csv", dtype="str", keep_default_na=False, na_values=[""])


def test_visit_numbers_on_partial_dates_and_the_codes_own_period(crosswalk, countries):
    from visitdata.statecodes import missing_reasons, visit_numbers

    visits = pd.DataFrame(
        {
            "host_country": ["DEU", "DEU", "SUN", "ATA", "XKX", "SRB", "DEU"],
            "visitor_country": ["USA", "USA", "USA", "USA", "USA", "USA", "USA"],
            "start_date": ["1990", "1990-10", "1991", "2016-11-10", "2010-10-13", "2006-07", "1952-03-01"],
        }
    )
    numbers = visit_numbers(visits, crosswalk, countries)
    # 1990 and October 1990 straddle unification in COW; GW keeps 260. The USSR in "1991"
    # can only be before its end, so it has a number; Antarctica has none anywhere.
    assert numbers["host_cow"].tolist() == [pd.NA, pd.NA, 365, pd.NA, 347, 345, pd.NA]
    assert numbers["host_gw"].tolist() == [260, 260, 365, pd.NA, 347, 340, 260]
    assert (numbers["visitor_cow"] == 2).all() and (numbers["visitor_gw"] == 2).all()
    reasons = missing_reasons(visits, numbers, crosswalk)
    assert reasons["host_cow"].tolist() == ["straddles", "straddles", None, "not_a_state", None, None, "not_a_member"]


def _real_code_lists(project):
    """The fixture project with the real countries table (and the sources it cites)."""
    import shutil

    from conftest import read, write

    fixture_sources = read(project, "sources")
    shutil.copy(REPO / "data" / "countries.csv", project / "data" / "countries.csv")
    real = pd.read_csv(REPO / "data" / "sources.csv", dtype="str", keep_default_na=False)
    cited = {s for ids in read(project, "countries")["source_ids"] for s in ids.split(";")}
    write(project, "sources", pd.concat([fixture_sources, real[real["source_id"].isin(cited)]], ignore_index=True))


@pytest.mark.parametrize(
    ("table", "key", "column", "value", "rule"),
    [
        # A visit to the USSR after its end, and to Russia before its start.
        ("visits", {"visit_id": "v1"}, "host_country", "SUN", "host-country-period"),
        ("visits", {"visit_id": "v4"}, "host_country", "RUS", "host-country-period"),
        # An office of Serbia and Montenegro in 2013, years after the state union ended.
        ("roles", {"role_id": "r-a"}, "country_code", "SCG", "role-country-period"),
        # A minister of 1985-1991 filed under the Czech Republic (Czechoslovakia until 1993).
        ("roles", {"role_id": "r-c"}, "country_code", "CZE", "role-country-period"),
    ],
)
def test_period_rules_catch_real_shaped_cases_on_the_real_countries(project, table, key, column, value, rule):
    from conftest import TODAY, set_cell
    from visitdata.validate import validate_package

    _real_code_lists(project)
    assert [f.rule for f in validate_package(project, today=TODAY).errors] == []
    set_cell(project, table, key, column, value)
    errors = validate_package(project, today=TODAY).errors
    assert rule in {f.rule for f in errors} and all(f.column == column for f in errors if f.rule == rule)
