"""What the data record completely: the ``coverage`` table, and the pair-years it makes complete.

A visit panel must tell "no visit" from "not recorded". The ``coverage`` table declares, row by
row, a travelling state (or every state), a host (or every state), a set of offices and a
period, and whether every such visit in it is recorded (``complete``) or only some
(``partial``). The panels count zeros only inside complete rows.

>>> import visitdata
>>> cov = visitdata.coverage()
>>> {"coverage_id", "visitor_country", "host_country", "role_types", "completeness"} <= set(cov.columns)
True

Adding what a new curation campaign records completely is one row of ``data/coverage.csv``,
e.g. ``chn-leaders-abroad,CHN,,head_of_state;head_of_government,2013,2025,complete,curation,,...``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    import pandas as pd

#: Marks "every state" in a visitor or host code of the cells (system codes are >= 0).
ANY = -1


def coverage() -> pd.DataFrame:
    """The ``coverage`` table of the installed release: what is recorded completely, and what in part."""
    from .load import load

    return load("coverage")


def _code_periods(codes: pd.DataFrame, country: pd.Series, start: pd.Series, end: pd.Series) -> pd.DataFrame:
    """Intersect each declaration's period with the periods in which its country has a code.

    A bound set by the code (a state entering or leaving mid-year) is widened to that year's edge:
    the declaration then covers every day of the year on which the code exists.

    ``codes`` has ``country_code``, ``code``, ``valid_from`` and ``valid_until`` (timestamps,
    NaT = open); the result has one row per declaration and code, with the periods of one code
    that touch or overlap merged, so that a year split between two crosswalk rows of the same
    code still counts as wholly covered. Rows whose country is missing keep ``code`` = ANY.
    """
    import pandas as pd

    frame = pd.DataFrame(
        {
            "row": np.arange(len(country)),
            "country_code": country.to_numpy(),
            "start": start.to_numpy(),
            "end": end.to_numpy(),
        }
    )
    anyone = frame[frame["country_code"].isna()].assign(code=ANY)
    named = frame[frame["country_code"].notna()].merge(codes, on="country_code", how="inner")
    # Where the code itself starts or ends inside the declared period, the declaration covers all
    # of that year in which the code exists: widen the clipped bound to the year's edge.
    starts_later = named["valid_from"].notna() & (named["start"] < named["valid_from"])
    ends_earlier = named["valid_until"].notna() & (named["end"] > named["valid_until"])
    named = named[~(named["start"] > named["valid_until"]) & ~(named["end"] < named["valid_from"])].copy()
    starts_later, ends_earlier = starts_later[named.index], ends_earlier[named.index]
    named.loc[starts_later, "start"] = named.loc[starts_later, "valid_from"].dt.to_period("Y").dt.start_time
    named.loc[ends_earlier, "end"] = named.loc[ends_earlier, "valid_until"].dt.to_period("Y").dt.end_time.dt.normalize()
    named = named[named["start"] <= named["end"]].sort_values(["row", "code", "start"])
    # Merge touching periods of the same (row, code): a new block starts where the previous one ended more than a day before.
    same = named["row"].eq(named["row"].shift()) & named["code"].eq(named["code"].shift())
    reach = named.groupby(["row", "code"])["end"].cummax().shift()
    block = (~(same & (named["start"] <= reach + pd.Timedelta(days=1)))).cumsum()
    named = named.groupby(block).agg(
        row=("row", "first"), code=("code", "first"), start=("start", "first"), end=("end", "max")
    )
    return pd.concat(
        [anyone[["row", "code", "start", "end"]], named[["row", "code", "start", "end"]]], ignore_index=True
    )


def _whole_years(start: pd.Series, end: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """For each period, the row positions and the calendar years it spans from 1 January to 31 December."""
    first = np.where((start.dt.month == 1) & (start.dt.day == 1), start.dt.year, start.dt.year + 1)
    last = np.where((end.dt.month == 12) & (end.dt.day == 31), end.dt.year, end.dt.year - 1)
    n = np.clip(last - first + 1, 0, None).astype(np.int64)
    rows = np.repeat(np.arange(len(n)), n)
    years = np.repeat(first, n) + (np.arange(n.sum()) - np.repeat(np.cumsum(n) - n, n))
    return rows, years.astype(np.int64)


def complete_cells(cov: pd.DataFrame, codes: pd.DataFrame) -> pd.DataFrame:
    """The (visitor code, host code, office, year) cells that complete declarations cover.

    ``cov`` is the coverage table (as loaded); ``codes`` maps country codes to the panel's codes
    over time (see :func:`_code_periods`). A year is covered only when a complete row spans all of
    it; ANY stands for every state. Each declaration contributes one cell per office and year.
    """
    import pandas as pd

    cov = cov[cov["completeness"].astype(str) == "complete"].reset_index(drop=True)
    start, end = cov["start_date_earliest"], cov["end_date_latest"]
    visitor = _code_periods(codes, cov["visitor_country"].astype(object), start, end)
    host = _code_periods(codes, cov["host_country"].astype(object), start, end)
    pairs = visitor.merge(host, on="row", suffixes=("_v", "_h"))
    # Each side's period already lies within the declaration's (widened where its code starts or
    # ends mid-year); an ANY side keeps the declaration's own, so it must not narrow the other.
    v_any, h_any = (pairs["code_v"] == ANY).to_numpy(), (pairs["code_h"] == ANY).to_numpy()
    both_start = pairs[["start_v", "start_h"]].max(axis=1)
    both_end = pairs[["end_v", "end_h"]].min(axis=1)
    pairs["start"] = np.where(v_any, pairs["start_h"], np.where(h_any, pairs["start_v"], both_start))
    pairs["end"] = np.where(v_any, pairs["end_h"], np.where(h_any, pairs["end_v"], both_end))
    pairs = pairs[pairs["start"] <= pairs["end"]].reset_index(drop=True)
    rows, years = _whole_years(pairs["start"], pairs["end"])
    cells = pd.DataFrame(
        {
            "row": pairs["row"].to_numpy()[rows],
            "visitor": pairs["code_v"].to_numpy()[rows],
            "host": pairs["code_h"].to_numpy()[rows],
            "year": years,
        }
    )
    offices = cov["role_types"].astype(str).str.split(";").explode().rename("office")
    cells = cells.merge(offices.rename_axis("row").reset_index(), on="row")
    return cells.drop(columns="row").drop_duplicates().reset_index(drop=True)


def cell_key(visitor: np.ndarray, host: np.ndarray, year: np.ndarray) -> np.ndarray:
    """One int64 per (visitor, host, year): codes from ANY (-1) to 99998, years 0 to 9999."""
    return (
        (np.asarray(visitor, dtype=np.int64) + 1) * 100_000 + (np.asarray(host, dtype=np.int64) + 1)
    ) * 10_000 + np.asarray(year, dtype=np.int64)


def covered(
    cells: pd.DataFrame, visitor: np.ndarray, host: np.ndarray, year: np.ndarray, offices: list[str]
) -> np.ndarray:
    """Whether every office in ``offices`` is declared complete for each (visitor, host, year).

    ``host`` (or ``visitor``) may be ANY, for a country-year panel: then only declarations about
    every host (or every visitor) count. A cell about every state covers each state.
    """
    anyone_v, anyone_h = np.full_like(visitor, ANY), np.full_like(host, ANY)
    keys = [
        cell_key(v, h, year) for v, h in ((visitor, host), (visitor, anyone_h), (anyone_v, host), (anyone_v, anyone_h))
    ]
    result = np.ones(len(year), dtype=bool)
    for office in offices:
        mine = cells[cells["office"] == office]
        known = cell_key(mine["visitor"].to_numpy(), mine["host"].to_numpy(), mine["year"].to_numpy())
        hit = np.zeros(len(year), dtype=bool)
        for k in keys:
            hit |= is_in(k, known)
        result &= hit
    return result


def covered_pairs(
    cells: pd.DataFrame, code: np.ndarray, year: np.ndarray, first: np.ndarray, second: np.ndarray, offices: list[str]
) -> np.ndarray:
    """:func:`covered` for pairs given as positions in one table of state-years (``code``, ``year``).

    A declaration about one named side and every other state is looked up once per state-year
    and spread to the pairs by position, so millions of dyad-years cost a few array takes; only
    declarations naming both sides are looked up pair by pair.
    """
    anyone = np.full_like(code, ANY)
    result = np.ones(len(first), dtype=bool)
    for office in offices:
        mine = cells[cells["office"] == office]
        known = cell_key(mine["visitor"].to_numpy(), mine["host"].to_numpy(), mine["year"].to_numpy())
        as_visitor = is_in(cell_key(code, anyone, year), known) | is_in(cell_key(anyone, anyone, year), known)
        as_host = is_in(cell_key(anyone, code, year), known)
        hit = as_visitor[first] | as_host[second]
        both = mine[(mine["visitor"] != ANY) & (mine["host"] != ANY)]
        if len(both):
            exact = cell_key(both["visitor"].to_numpy(), both["host"].to_numpy(), both["year"].to_numpy())
            hit |= is_in(cell_key(code[first], code[second], year[first]), exact)
        result &= hit
    return result


def is_in(values: np.ndarray, known: np.ndarray) -> np.ndarray:
    """``np.isin`` for a large ``values`` and a small ``known``: one binary search per value, no sort of ``values``."""
    known = np.unique(known)
    if not len(known):
        return np.zeros(len(values), dtype=bool)
    pos = np.minimum(np.searchsorted(known, values), len(known) - 1)
    return known[pos] == values
