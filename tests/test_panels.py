"""Panels on a tiny fixture, checked against counts computed here row by row.

The fixture (tests/fixtures/panels/) has: Germany changing COW code in 1990 (GFR 260 until
2 October, GMY 255 from 3 October), a summit stay, visits dated only by month or year, a
cancelled visit, a visit whose month straddles the code change, a Chinese visit outside any
coverage, and coverage that starts in mid-1988 (so 1988 is not complete) and ends with 1991.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import visitdata
from visitdata.dates import parse_partial_dates

FIXTURE = Path(__file__).resolve().parent / "fixtures" / "panels"


def _dated(frame: pd.DataFrame, *columns: str) -> pd.DataFrame:
    for c in columns:
        parsed = parse_partial_dates(frame[c].replace("", None))
        frame[f"{c}_earliest"], frame[f"{c}_latest"] = parsed["earliest"], parsed["latest"]
    return frame


def _read(name: str) -> pd.DataFrame:
    return pd.read_csv(FIXTURE / f"{name}.csv", dtype=str, keep_default_na=False).replace("", None)


@pytest.fixture(scope="module")
def tables() -> dict[str, pd.DataFrame]:
    visits = _dated(_read("visits"), "start_date")
    for c in ("visitor_cow", "host_cow", "visitor_gw", "host_gw"):
        visits[c] = pd.array(pd.to_numeric(visits[c]), dtype="Int64")
    attendees = visits[["visit_id", "lead"]].rename(columns={"lead": "role_id"}).assign(participation="lead")
    states = _read("states").assign(state_code=lambda f: f["state_code"].astype(int))
    crosswalk = _read("state_crosswalk").assign(state_code=lambda f: f["state_code"].astype(int))
    return {
        "visits": visits,
        "attendees": attendees,
        "roles": _dated(_read("roles"), "start_date", "end_date"),
        "states": states,
        "state_crosswalk": crosswalk,
        "coverage": _dated(_read("coverage"), "start_date", "end_date"),
    }


def expected_dyad(
    t,
    a,
    b,
    year,
    offices=("head_of_state", "head_of_government"),
    statuses=("took_place",),
    multilateral=True,
    system="cow",
):
    """The count for one directed pair-year, one visit at a time (the oracle)."""
    roles = t["roles"].set_index("role_id")["role_type"]
    n = 0
    for _, v in t["visits"].iterrows():
        if v["status"] not in statuses or (not multilateral and v["visit_type"] == "multilateral_meeting"):
            continue
        if roles[v["lead"]] not in offices or pd.isna(v[f"visitor_{system}"]) or pd.isna(v[f"host_{system}"]):
            continue
        if (v[f"visitor_{system}"], v[f"host_{system}"], int(v["start_date"][:4])) == (a, b, year):
            n += 1
    return n


def cell(panel, a, b, year, prefix="ccode"):
    row = panel[(panel[f"{prefix}1"] == a) & (panel[f"{prefix}2"] == b) & (panel["year"] == year)]
    assert len(row) == 1, (a, b, year)
    return row.iloc[0]


def test_columns_and_types(tables):
    panel = visitdata.dyad_years(tables=tables, start=1988, end=1992)
    assert list(panel.columns) == ["ccode1", "ccode2", "year", "visits", "covered"]
    assert str(panel["visits"].dtype) == "Int64" and panel["covered"].dtype == bool
    gw = visitdata.dyad_years(system="gw", tables=tables, start=1990, end=1990)
    assert list(gw.columns)[:2] == ["gwcode1", "gwcode2"]


def test_dyads_follow_system_membership(tables):
    panel = visitdata.dyad_years(tables=tables, start=1988, end=1992)
    members = {
        1988: {2, 220, 260, 710},
        1989: {2, 220, 260, 710},
        1990: {2, 220, 255, 260, 710},
        1991: {2, 220, 255, 710},
        1992: {2, 220, 255, 710},
    }
    for year, states in members.items():
        got = set(map(tuple, panel.loc[panel.year == year, ["ccode1", "ccode2"]].to_numpy().tolist()))
        assert got == {(a, b) for a in states for b in states if a != b}


def test_counts_match_the_oracle_inside_coverage(tables):
    panel = visitdata.dyad_years(tables=tables, start=1988, end=1992)
    inside = panel[panel.covered]
    assert len(inside) > 0
    for row in inside.itertuples():
        assert row.visits == expected_dyad(tables, row.ccode1, row.ccode2, row.year), row


def test_code_change_mid_year(tables):
    panel = visitdata.dyad_years(tables=tables, start=1988, end=1992)
    assert cell(panel, 2, 260, 1989).visits == 1
    assert cell(panel, 2, 260, 1990).visits == 1  # May, to the GFR
    assert cell(panel, 2, 255, 1990).visits == 1  # November, to unified Germany
    # October 1990 straddles the change: COW has no code for the visitor, so it is not counted;
    # GW keeps 260 and counts it.
    gw = visitdata.dyad_years(system="gw", tables=tables, start=1990, end=1990)
    assert cell(gw, 260, 2, 1990, "gwcode").visits == 1
    assert cell(panel, 260, 2, 1990).visits == 0 and cell(panel, 255, 2, 1990).visits == 0


def test_partial_dates_summits_and_cancelled_visits(tables):
    panel = visitdata.dyad_years(tables=tables, start=1988, end=1992)
    assert cell(panel, 2, 220, 1990).visits == 1  # dated "1990-12"
    assert cell(panel, 2, 220, 1991).visits == 2  # "1991" and the summit; the Secretary's trip is another office
    alone = visitdata.dyad_years(tables=tables, start=1991, end=1991, multilateral=False)
    assert cell(alone, 2, 220, 1991).visits == 1
    # 1992 lies outside coverage: the cancelled visit makes no number either way.
    assert pd.isna(cell(panel, 2, 220, 1992).visits)
    with_cancelled = visitdata.dyad_years(tables=tables, start=1991, end=1991, status=["took_place", "cancelled"])
    assert cell(with_cancelled, 2, 220, 1991).visits == 2


def test_zero_inside_missing_outside_each_boundary(tables):
    panel = visitdata.dyad_years(tables=tables, start=1988, end=1992)
    # Coverage of U.S. leaders abroad starts on 1 July 1988: 1988 is not complete, so missing
    # even though a visit is recorded; 1989-1991 are complete; 1992 is after the end.
    us_chn = {y: cell(panel, 2, 710, y) for y in range(1988, 1993)}
    assert pd.isna(us_chn[1988].visits) and not us_chn[1988].covered
    assert [us_chn[y].visits for y in (1989, 1990, 1991)] == [0, 0, 0]
    assert pd.isna(us_chn[1992].visits)
    # Visits to the U.S. are declared for 1990 only.
    assert cell(panel, 220, 2, 1990).visits == 1 and cell(panel, 710, 2, 1990).visits == 0
    assert pd.isna(cell(panel, 220, 2, 1989).visits) and pd.isna(cell(panel, 220, 2, 1991).visits)


def test_a_recorded_visit_outside_coverage_is_missing(tables):
    panel = visitdata.dyad_years(tables=tables, start=1991, end=1991)
    row = cell(panel, 710, 220, 1991)
    assert pd.isna(row.visits) and not row.covered
    assert expected_dyad(tables, 710, 220, 1991) == 1


def test_offices_are_covered_only_when_each_is_declared(tables):
    secretaries = visitdata.dyad_years(tables=tables, start=1991, end=1991, offices=["foreign_minister"])
    assert pd.isna(cell(secretaries, 2, 220, 1991).visits)  # partial: not a number
    with pytest.raises(ValueError, match="valid offices"):
        visitdata.dyad_years(tables=tables, offices=["king"])
    with pytest.raises(ValueError, match="valid systems: cow, gw"):
        visitdata.dyad_years(system="iso", tables=tables)


def test_undirected_counts_each_visit_once_and_needs_both_directions(tables):
    directed = visitdata.dyad_years(tables=tables, start=1988, end=1992)
    undirected = visitdata.dyad_years(tables=tables, start=1988, end=1992, directed=False)
    assert (undirected.ccode1 < undirected.ccode2).all()
    row = cell(undirected, 2, 220, 1990)
    assert row.covered and row.visits == cell(directed, 2, 220, 1990).visits + cell(directed, 220, 2, 1990).visits == 2
    assert pd.isna(cell(undirected, 2, 220, 1989).visits)  # 220 -> 2 is not declared in 1989


def test_country_years_add_up_to_the_dyads(tables):
    dyads = visitdata.dyad_years(tables=tables, start=1988, end=1992)
    out = visitdata.country_years(tables=tables, start=1988, end=1992)
    assert list(out.columns) == ["ccode", "year", "visits", "covered"]
    for row in out[out.covered].itertuples():
        mine = dyads[(dyads.ccode1 == row.ccode) & (dyads.year == row.year)]
        assert row.visits == mine.visits.sum()
    assert set(out[out.covered].ccode) == {2}
    received = visitdata.country_years(tables=tables, direction="in", start=1988, end=1992)
    us = received[(received.ccode == 2)].set_index("year")
    assert us.loc[1990, "visits"] == 1 and pd.isna(us.loc[1991, "visits"])
    with pytest.raises(ValueError, match="valid directions"):
        visitdata.country_years(tables=tables, direction="both")


def test_leader_years(tables):
    panel = visitdata.leader_years(tables=tables, end=1992)
    pres = panel[panel.role_id == "us-pres"].set_index("year")
    assert list(pres.index) == [1989, 1990, 1991, 1992]
    assert pres.loc[1990, "visits_made"] == 3 and pres.loc[1991, "visits_made"] == 2
    assert pd.isna(pres.loc[1992, "visits_made"])
    # France's and Germany's leaders (by ISO code: the COW change does not matter here).
    assert pres.loc[1990, "visits_received"] == 2 and pd.isna(pres.loc[1989, "visits_received"])
    # The Secretary's coverage is partial: never a number.
    assert panel.loc[panel.role_id == "us-sec", "visits_made"].isna().all()
    # A spell without a known end and not ongoing is not dated: no rows.
    assert "cn-prem" not in set(panel.role_id)
    assert np.array_equal(panel.covered_made, panel.visits_made.notna())


def test_a_state_entering_mid_year_is_covered_for_its_part_of_the_year(tables):
    # Germany's leaders abroad are declared from 1 June 1990: unified Germany (COW 255, from
    # 3 October) is covered for all of its 1990; the GFR (260) is not, its January-May is not declared.
    panel = visitdata.dyad_years(tables=tables, start=1990, end=1991, offices=["head_of_government"])
    assert cell(panel, 255, 220, 1990).covered and cell(panel, 255, 220, 1990).visits == 0
    assert not cell(panel, 260, 220, 1990).covered
    assert cell(panel, 255, 220, 1991).visits == 0
