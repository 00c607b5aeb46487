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
