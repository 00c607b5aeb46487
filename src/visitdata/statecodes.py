"""State-system numbers (Correlates of War, Gleditsch-Ward) for country codes on given days.

Researchers merge on COW or GW state numbers, year by year; this project records places by
country code. The curated table ``state_crosswalk`` says which number a code stands for in
each period, and :func:`resolve` reads it, vectorised, for the build (the ``host_cow``,
``host_gw``, ``visitor_cow`` and ``visitor_gw`` columns of the published visits) and for
panels. A code that was not a member of a system on a day has no number there: missing,
never a neighbour's number.

>>> import pandas as pd
>>> crosswalk = pd.DataFrame({
...     "country_code": ["DEU", "DEU"], "system": ["cow", "cow"], "state_code": [260, 255],
...     "valid_from": ["1955-05-05", "1990-10-03"], "valid_until": ["1990-10-02", None]})
>>> resolve(["DEU", "DEU", "DEU"], ["1990-10-02", "1990-10-03", "1950-01-01"], "cow", crosswalk).tolist()
[260, 255, <NA>]

With ``latest``, each item is the interval of days a partial date allows, and a number is
given only where one period covers the whole interval (a year that straddles a change has
none):

>>> resolve(["DEU"], ["1990-01-01"], "cow", crosswalk, latest=["1990-12-31"]).tolist()
[<NA>]
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

#: The state systems, as the ``system`` column of ``states`` and ``state_crosswalk`` names them.
SYSTEMS: tuple[str, ...] = ("cow", "gw")
#: The derived columns of the published visits: (column, country column, system).
VISIT_COLUMNS: tuple[tuple[str, str, str], ...] = (
    ("host_cow", "host_country", "cow"),
    ("host_gw", "host_country", "gw"),
    ("visitor_cow", "visitor_country", "cow"),
    ("visitor_gw", "visitor_country", "gw"),
)
_SYSTEM_NAMES = {"cow": "Correlates of War (State System Membership List v2016)", "gw": "Gleditsch-Ward"}
_ROLE = {"host_country": "host country", "visitor_country": "visiting state"}


def visit_field(column: str) -> dict[str, Any]:
    """The release Table Schema field of one derived column (the data dictionary shows it too)."""
    _, country, system = next(c for c in VISIT_COLUMNS if c[0] == column)
    return {
        "name": column,
        "type": "integer",
        "title": f"{_ROLE[country].capitalize()} ({system.upper()} number)",
        "description": (
            f"{_SYSTEM_NAMES[system]} state number of the {_ROLE[country]} ({country}) on the visit's start, "
            "derived at build time through state_crosswalk. Missing where the code was not a member of the "
            "system then (e.g. Germany 1945-1955 in COW, Antarctica always), or where the start date is a year "
            "or a month during which the code's number changes (Germany in 1990): no single number is right "
            "for the whole span."
        ),
        "x-derived-from": country,
    }


def table_derived_fields(table: str) -> list[dict[str, Any]]:
    """The release fields the build derives for ``table`` from other tables (visits only)."""
    return [visit_field(c) for c, _, _ in VISIT_COLUMNS] if table == "visits" else []


def table_derived_columns(table: str, frames: dict[str, pd.DataFrame]) -> pd.DataFrame | None:
    """The values of :func:`table_derived_fields`, computed from the curated ``frames``."""
    if table != "visits":
        return None
    return visit_numbers(frames["visits"], frames["state_crosswalk"], frames.get("countries"))


def _days(values: Any) -> np.ndarray:
    """Days as ``datetime64[D]`` from dates, timestamps or ISO text; missing stays NaT."""
    return pd.to_datetime(
        pd.Series(values, dtype=object) if not isinstance(values, pd.Series) else values, format="ISO8601"
    ).to_numpy(dtype="datetime64[D]")


def resolve(
    country_codes: Sequence[str] | pd.Series | np.ndarray,
    dates: Any,
    system: str,
    crosswalk: pd.DataFrame | None = None,
    *,
    latest: Any = None,
) -> pd.Series:
    """The ``system`` number of each (code, day), or ``<NA>`` where no crosswalk period covers it.

    ``dates`` are days (dates, timestamps or ``YYYY-MM-DD`` text). With ``latest``, each
    item is the interval from ``dates`` to ``latest`` and only a period covering all of it
    counts. ``crosswalk`` defaults to the installed release's table. The result is a nullable
    ``Int64`` Series, on the index of ``country_codes`` when that is a Series.
    """
    if system not in SYSTEMS:
        raise ValueError(f"unknown state system {system!r}; valid systems: {', '.join(SYSTEMS)}")
    if crosswalk is None:
        from .load import load

        crosswalk = load("state_crosswalk")
    index = country_codes.index if isinstance(country_codes, pd.Series) else pd.RangeIndex(len(country_codes))
    codes = pd.Series(np.asarray(country_codes, dtype=object), dtype=object)
    start = _days(dates)
    end = start if latest is None else _days(latest)
    if not (len(codes) == len(start) == len(end)):
        raise ValueError(f"country_codes, dates and latest differ in length ({len(codes)}, {len(start)}, {len(end)})")
    walk = crosswalk[crosswalk["system"].astype(str) == system]
    right = pd.DataFrame(
        {
            "code": walk["country_code"].astype(object).to_numpy(),
            "number": pd.to_numeric(walk["state_code"]).to_numpy(),
            "from": _days(walk["valid_from"]),
            "until": _days(walk["valid_until"]),
        }
    )
    right["until"] = right["until"].fillna(np.datetime64("9999-12-31"))
    left = pd.DataFrame({"row": np.arange(len(codes)), "code": codes.to_numpy(), "start": start, "end": end})
    pairs = left.dropna(subset=["code", "start", "end"]).merge(right, on="code")
    covers = (pairs["from"] <= pairs["start"]) & (pairs["end"] <= pairs["until"])
    hit = pairs[covers].drop_duplicates("row")
    out = np.full(len(codes), pd.NA, dtype=object)
    out[hit["row"].to_numpy()] = hit["number"].to_numpy()
    return pd.Series(out, index=index, dtype="Int64")


def _clamped_span(codes: pd.Series, dates: pd.Series, countries: pd.DataFrame | None) -> tuple[np.ndarray, np.ndarray]:
    """The days a partial date allows, narrowed to the period in which its country code
    designates a state: a visit to the USSR in "1991" took place before 1991-12-26."""
    from .dates import parse_partial_dates

    parts = parse_partial_dates(dates)
    start = parts["earliest"].to_numpy(dtype="datetime64[D]")
    end = parts["latest"].to_numpy(dtype="datetime64[D]")
    if countries is not None and len(countries):
        bounds = countries.set_index("country_code")
        for column, pick, side in (("valid_from", "earliest", "start"), ("valid_until", "latest", "end")):
            if column not in bounds.columns:
                continue
            day = parse_partial_dates(codes.map(bounds[column]))[pick].to_numpy(dtype="datetime64[D]")
            known = ~np.isnat(day)
            if side == "start":
                start = np.where(known & (day > start), day, start)
            else:
                end = np.where(known & (day < end), day, end)
    return start, end


def visit_numbers(visits: pd.DataFrame, crosswalk: pd.DataFrame, countries: pd.DataFrame | None = None) -> pd.DataFrame:
    """The derived ``host_cow``, ``host_gw``, ``visitor_cow`` and ``visitor_gw`` of each visit.

    A visit's start is a partial date: the days it allows (narrowed to the code's own period
    in ``countries``) must all lie in one crosswalk period, or the number is missing.

    >>> crosswalk = pd.DataFrame({"country_code": ["DEU", "DEU", "USA", "USA"], "system": ["cow", "gw"] * 2,
    ...     "state_code": [255, 260, 2, 2], "valid_from": ["1990-10-03", "1949-09-21", "1816-01-01", "1816-01-01"],
    ...     "valid_until": [None] * 4})
    >>> visits = pd.DataFrame({"host_country": ["DEU", "DEU"], "visitor_country": ["USA", "USA"],
    ...     "start_date": ["1990", "1991-05"]})
    >>> visit_numbers(visits, crosswalk).astype(object).where(lambda f: f.notna(), None).to_dict("list")
    {'host_cow': [None, 255], 'host_gw': [260, 260], 'visitor_cow': [2, 2], 'visitor_gw': [2, 2]}
    """
    out = {}
    for column, country, system in VISIT_COLUMNS:
        codes = visits[country].astype(object)
        start, end = _clamped_span(codes, visits["start_date"], countries)
        out[column] = resolve(codes, start, system, crosswalk, latest=end)
    return pd.DataFrame(out, index=visits.index)


#: Why a derived number is missing, as the import report and the data dictionary say it.
MISSING_REASONS: dict[str, str] = {
    "not_a_state": "the code never has a number in this system (not a state, e.g. Antarctica or a territory)",
    "not_a_member": "the code's state was not a member of the system on the visit's dates",
    "straddles": "the start date is a year or month during which the code's number changes or begins or ends",
}


def missing_reasons(visits: pd.DataFrame, numbers: pd.DataFrame, crosswalk: pd.DataFrame) -> pd.DataFrame:
    """For each visit and derived column, why the number is missing (a MISSING_REASONS key), or None."""
    out = {}
    for column, country, system in VISIT_COLUMNS:
        walk = crosswalk[crosswalk["system"].astype(str) == system]
        codes = visits[country].astype(object)
        day = resolve(codes, _days(_earliest(visits["start_date"])), system, walk)
        reason = np.where(
            ~codes.isin(set(walk["country_code"])),
            "not_a_state",
            np.where(day.isna().to_numpy(), "not_a_member", "straddles"),
        )
        out[column] = pd.Series(reason, index=visits.index, dtype=object).where(numbers[column].isna().to_numpy(), None)
    return pd.DataFrame(out, index=visits.index)


def _earliest(dates: pd.Series) -> pd.Series:
    from .dates import parse_partial_dates

    return parse_partial_dates(dates)["earliest"]
