"""The curated tables as the rules see them: raw strings plus parsed partial dates.

Built once per validation run, so that every rule shares one parse of each date column.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from typing import TypeVar

import pandas as pd

from .csvio import RawTable
from .dates import parse_partial_dates
from .tables import TableSchema

T = TypeVar("T")


@dataclass
class Context:
    """Everything a rule may look at. ``today`` is a parameter so tests can pin it."""

    schemas: dict[str, TableSchema]
    tables: dict[str, RawTable]
    today: dt.date
    _dates: dict[tuple[str, str], pd.DataFrame] = field(default_factory=dict, repr=False)
    _memo: dict[str, object] = field(default_factory=dict, repr=False)

    def memo(self, key: str, compute: Callable[[], T]) -> T:
        """Compute an intermediate result (a join several rules share) once per run."""
        if key not in self._memo:
            self._memo[key] = compute()
        return self._memo[key]  # type: ignore[return-value]

    def frame(self, table: str) -> pd.DataFrame:
        return self.tables[table].frame

    def dates(self, table: str, column: str) -> pd.DataFrame:
        """Earliest/latest/precision/valid of a partial-date column, parsed once."""
        key = (table, column)
        if key not in self._dates:
            self._dates[key] = parse_partial_dates(self.frame(table)[column])
        return self._dates[key]

    def earliest(self, table: str, column: str) -> pd.Series:
        return self.dates(table, column)["earliest"]

    def latest(self, table: str, column: str) -> pd.Series:
        return self.dates(table, column)["latest"]

    @cached_property
    def today_ts(self) -> pd.Timestamp:
        return pd.Timestamp(self.today)

    def lookup(self, table: str, key: str, values: pd.Series, columns: list[str]) -> pd.DataFrame:
        """Columns of ``table`` for each value of ``values`` (a foreign key), aligned with it.

        Values that resolve to no row (or to a duplicated key) give missing results, so rules
        built on a lookup never fail because of a broken key: the key rules report those.
        """
        target = self.frame(table)
        extra = pd.DataFrame(
            {c: self.dates(table, c.rsplit("_", 1)[0])[c.rsplit("_", 1)[1]] for c in columns if _is_derived(c)}
        )
        plain = [c for c in columns if not _is_derived(c)]
        right = pd.concat([target[[key, *[c for c in plain if c != key]]], extra], axis=1)
        right = right.drop_duplicates(key, keep=False).set_index(key)
        return right.reindex(values.to_numpy()).set_axis(values.index)


def _is_derived(column: str) -> bool:
    return column.endswith(("_earliest", "_latest"))
