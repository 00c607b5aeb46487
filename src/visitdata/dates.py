"""Partial dates: ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``, never more precise than the source.

A partial date stands for an interval of days. Rules compare these intervals so that a
month-only date is never treated as if it were its first day: a rule fails only where the
facts *certainly* break it.

>>> import pandas as pd
>>> parts = parse_partial_dates(pd.Series(["2024", "2024-02", "2024-02-29", None]))
>>> parts["precision"].tolist()
['year', 'month', 'day', None]
>>> [str(d.date()) for d in parts["latest"][:3]]
['2024-12-31', '2024-02-29', '2024-02-29']
"""

from __future__ import annotations

import numpy as np
import pandas as pd

PRECISIONS: tuple[str, ...] = ("year", "month", "day")
_LENGTH_TO_PRECISION = {4: "year", 7: "month", 10: "day"}
_PATTERN = r"[0-9]{4}(?:-[0-9]{2}(?:-[0-9]{2})?)?"
_UNIT = "datetime64[s]"

#: Suffixes of the columns derived from a partial-date column ``x``: ``x_earliest`` etc.
DERIVED_SUFFIXES: tuple[str, ...] = ("earliest", "latest", "precision")


def parse_partial_dates(values: pd.Series) -> pd.DataFrame:
    """Earliest and latest possible day and the precision of each value, vectorised.

    Missing values give missing results; malformed or impossible dates (``2024-02-30``)
    give missing results and ``valid == False``.

    Each distinct text is parsed once and the results are spread back by position: a million
    visits hold a few tens of thousands of distinct dates, so this is many times faster than
    parsing every row.
    """
    values = pd.Series(values, copy=False)
    codes, uniques = pd.factorize(values, use_na_sentinel=True)
    parsed = _parse(pd.Series(np.asarray(uniques, dtype=object)).astype("str"))
    take = np.where(codes < 0, len(parsed), codes)
    missing = pd.DataFrame(
        {"earliest": [pd.NaT], "latest": [pd.NaT], "precision": pd.Series([None], dtype=object), "valid": [True]}
    ).astype({"earliest": _UNIT, "latest": _UNIT})
    table = pd.concat([parsed, missing], ignore_index=True)
    out = {c: pd.Series(table[c].to_numpy()[take], index=values.index, dtype=table[c].dtype) for c in table.columns}
    return pd.DataFrame(out, index=values.index)


def _parse(s: pd.Series) -> pd.DataFrame:
    """:func:`parse_partial_dates` for a series of distinct strings."""
    present = s.notna()
    shaped = present & s.str.fullmatch(_PATTERN).fillna(False).astype(bool)
    length = s.str.len()
    padded = s.where(length != 4, s + "-01-01").where(length != 7, s + "-01")
    earliest = pd.to_datetime(padded.where(shaped), format="%Y-%m-%d", errors="coerce")
    earliest = earliest.astype(_UNIT)
    precision = length.map(_LENGTH_TO_PRECISION).where(shaped & earliest.notna())
    day = earliest.to_numpy(dtype="datetime64[D]")
    year_end = (day.astype("datetime64[Y]") + 1).astype("datetime64[D]") - 1
    month_end = (day.astype("datetime64[M]") + 1).astype("datetime64[D]") - 1
    latest = np.where(precision == "year", year_end, np.where(precision == "month", month_end, day))
    latest = pd.Series(latest, index=s.index).astype(_UNIT).where(precision.notna())
    return pd.DataFrame(
        {
            "earliest": earliest.where(precision.notna()),
            "latest": latest,
            "precision": precision.astype("object").where(precision.notna(), None),
            "valid": ~present | precision.notna(),
        },
        index=s.index,
    )


def derived_column(field_name: str, suffix: str) -> str:
    """Name of a column derived from a partial-date column, e.g. ``start_date_earliest``."""
    return f"{field_name}_{suffix}"
