"""The curated tables as the rules see them: raw strings plus parsed partial dates.

Built once per validation run, so that every rule shares one parse of each date column, one
factorisation of each text column and one resolution of each reference (row positions, so that
cross-table rules join on integers, not on strings).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import threading
from collections.abc import Callable
from concurrent.futures import Executor
from dataclasses import dataclass, field
from functools import cached_property
from typing import TypeVar

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from .csvio import RawTable
from .dates import parse_partial_dates
from .tables import Field, TableSchema

T = TypeVar("T")


@dataclass
class Context:
    """Everything a rule may look at. ``today`` is a parameter so tests can pin it."""

    schemas: dict[str, TableSchema]
    tables: dict[str, RawTable]
    today: dt.date
    _memo: dict[str, object] = field(default_factory=dict, repr=False)
    _locks: dict[str, threading.Lock] = field(default_factory=dict, repr=False)
    _guard: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def memo(self, key: str, compute: Callable[[], T]) -> T:
        """Compute an intermediate result (a join several rules share) once per run.

        Thread-safe: tables are validated on several threads, and a result two of them need
        at once is computed by one while the other waits for it (one lock per key; results
        depend on one another without cycles, so threads cannot wait on each other in a ring).
        """
        if key in self._memo:
            return self._memo[key]  # type: ignore[return-value]
        with self._guard:
            lock = self._locks.setdefault(key, threading.Lock())
        with lock:
            if key not in self._memo:
                self._memo[key] = compute()
        return self._memo[key]  # type: ignore[return-value]

    def frame(self, table: str) -> pd.DataFrame:
        return self.tables[table].frame

    def dates(self, table: str, column: str) -> pd.DataFrame:
        """Earliest/latest/precision/valid of a partial-date column, parsed once per distinct value."""
        return self.memo(f"dates:{table}.{column}", lambda: self._parse_dates(table, column))

    def _parse_dates(self, table: str, column: str) -> pd.DataFrame:
        codes, uniques = self.factorized(table, column)
        parsed = parse_partial_dates(uniques)
        missing = parse_partial_dates(pd.Series([None], dtype=uniques.dtype))
        table_ = pd.concat([parsed, missing], ignore_index=True)
        take = np.where(codes < 0, len(parsed), codes)
        index = self.frame(table).index
        # concat keeps one block per column; a DataFrame from a dict would copy them into one.
        return pd.concat(
            [pd.Series(table_[c].to_numpy()[take], index=index, dtype=table_[c].dtype, name=c) for c in table_.columns],
            axis=1,
        )

    def earliest(self, table: str, column: str) -> pd.Series:
        return self.dates(table, column)["earliest"]

    def latest(self, table: str, column: str) -> pd.Series:
        return self.dates(table, column)["latest"]

    @cached_property
    def today_ts(self) -> pd.Timestamp:
        return pd.Timestamp(self.today)

    def arrow(self, table: str, column: str) -> pa.Array:
        """A column as one Arrow array (the frames hold Arrow-backed strings: no copy of the text)."""
        return self.memo(f"arrow:{table}.{column}", lambda: _to_arrow(self.frame(table)[column]))

    def factorized(self, table: str, column: str) -> tuple[np.ndarray, pd.Series]:
        """Codes (-1 for missing) and distinct values of a column: checks of a value run once per value."""

        def compute() -> tuple[np.ndarray, pd.Series]:
            codes, uniques = pd.factorize(self.frame(table)[column], use_na_sentinel=True)
            return np.asarray(codes, dtype=np.int64), pd.Series(uniques, dtype=self.frame(table)[column].dtype)

        return self.memo(f"factorized:{table}.{column}", compute)

    def codes(self, table: str, column: str) -> np.ndarray:
        """Integer codes of a column's values (-1 for missing): equal codes exactly for equal values.

        The row of each value's first occurrence, from one hash pass; cheaper to build and to
        hold than a factorisation, and what key and join rules need.
        """
        return self.rows(table, column, table, column)

    def items(self, table: str, column: str, delimiter: str) -> tuple[pa.Array, np.ndarray]:
        """The items of a list column and, for each, the row it came from (split once per run)."""

        def compute() -> tuple[pa.Array, np.ndarray]:
            lists = pc.split_pattern(self.arrow(table, column), pattern=delimiter)
            return pc.list_flatten(lists), np.asarray(pc.list_parent_indices(lists), dtype=np.int64)

        return self.memo(f"items:{table}.{column}", compute)

    def item_codes(self, table: str, f: Field) -> tuple[pa.Array, np.ndarray, np.ndarray]:
        """Items of a list column, their rows, and codes equal exactly for equal items: the row of
        the referenced key they name, or (for unknown items) a code past the referenced table."""

        def compute() -> tuple[pa.Array, np.ndarray, np.ndarray]:
            items, parent = self.items(table, f.name, f.delimiter)
            ref = f.list_reference
            codes = np.full(len(items), -1, dtype=np.int64)
            size = 0
            if ref:
                keys = self.arrow(ref["resource"], ref["field"])
                found = pc.index_in(items, value_set=pc.drop_null(keys).cast(items.type), skip_nulls=True)
                codes = np.asarray(found.fill_null(-1), dtype=np.int64)
                size = len(keys)
            unknown = np.flatnonzero(codes < 0)
            if len(unknown):
                extra, _ = pd.factorize(items.take(pa.array(unknown)).to_pandas())
                codes[unknown] = size + extra
            return items, parent, codes

        return self.memo(f"item-codes:{table}.{f.name}", compute)

    def rows(self, table: str, column: str, target: str, key: str) -> np.ndarray:
        """For each row of ``table``, the row of ``target`` whose ``key`` equals its ``column``.

        -1 where the value is missing or names no row; the first row where the key is
        duplicated (:meth:`unique_key` tells which keys are). One hash join per reference,
        shared by the foreign-key check and every rule that follows the reference.
        """

        def compute() -> np.ndarray:
            keys = self.arrow(target, key)
            values = self.arrow(table, column)
            found = pc.index_in(values, value_set=pc.drop_null(keys).cast(values.type), skip_nulls=True)
            rows = np.asarray(found.fill_null(-1), dtype=np.int64)
            # index_in counts positions among the non-missing keys: map them back to rows.
            present = np.flatnonzero(np.asarray(keys.is_valid()))
            return np.where(rows >= 0, present[np.maximum(rows, 0)] if len(present) else -1, -1)

        return self.memo(f"rows:{table}.{column}->{target}.{key}", compute)

    def unique_key(self, target: str, key: str) -> np.ndarray:
        """Whether each row's ``key`` is present and held by no other row."""

        def compute() -> np.ndarray:
            codes = self.codes(target, key)
            counts = np.bincount(codes[codes >= 0], minlength=1)
            return (codes >= 0) & (counts[np.maximum(codes, 0)] == 1)

        return self.memo(f"unique:{target}.{key}", compute)

    def follow(self, table: str, column: str, target: str, key: str) -> np.ndarray:
        """:meth:`rows`, with -1 also where the key is duplicated (which row was meant is unknown)."""

        def compute() -> np.ndarray:
            rows = self.rows(table, column, target, key)
            ok = rows >= 0
            ok[ok] = self.unique_key(target, key)[rows[ok]]
            return np.where(ok, rows, -1)

        return self.memo(f"follow:{table}.{column}->{target}.{key}", compute)

    def take(self, table: str, columns: list[str], rows: np.ndarray, index: pd.Index) -> pd.DataFrame:
        """Columns of ``table`` at row positions ``rows`` (-1 gives missing), indexed by ``index``.

        A column named ``x_earliest`` / ``x_latest`` is the parsed bound of partial date ``x``.
        """
        missing = rows < 0
        safe = np.where(missing, 0, rows)
        out: dict[str, pd.Series] = {}
        for c in columns:
            if _is_derived(c):
                base, bound = c.rsplit("_", 1)
                values = self.dates(table, base)[bound].to_numpy()
                picked = values[safe] if len(values) else np.full(len(rows), np.datetime64("NaT"), dtype=values.dtype)
                picked[missing] = np.datetime64("NaT")
                out[c] = pd.Series(picked, index=index)
            else:
                arr = self.arrow(table, c)
                picked_arr = arr.take(pa.array(safe, mask=missing)) if len(arr) else pa.nulls(len(rows), arr.type)
                out[c] = pd.Series(
                    picked_arr.to_pandas(types_mapper=_STR_TYPES.get).array,
                    index=index,
                    dtype=self.frame(table)[c].dtype,
                )
        if not out:
            return pd.DataFrame(index=index)
        return pd.concat([v.rename(k) for k, v in out.items()], axis=1)

    def lookup(self, table: str, key: str, values: pd.Series, columns: list[str]) -> pd.DataFrame:
        """Columns of ``table`` for each value of ``values`` (a foreign key), aligned with it.

        Values that resolve to no row (or to a duplicated key) give missing results, so rules
        built on a lookup never fail because of a broken key: the key rules report those.
        """
        keys = self.arrow(table, key)
        arr = _to_arrow(values)
        found = pc.index_in(arr, value_set=pc.drop_null(keys).cast(arr.type), skip_nulls=True)
        rows = np.asarray(found.fill_null(-1), dtype=np.int64)
        present = np.flatnonzero(np.asarray(keys.is_valid()))
        rows = np.where(rows >= 0, present[np.maximum(rows, 0)] if len(present) else -1, -1)
        ok = rows >= 0
        ok[ok] = self.unique_key(table, key)[rows[ok]]
        return self.take(table, columns, np.where(ok, rows, -1), values.index)


def prefetch(ctx: Context, tables: list[TableSchema], workers: int = 2, pool: Executor | None = None) -> None:
    """Run the hash joins the key checks need (every reference, every primary key, the items of
    every list) on ``workers`` threads before the checks ask for them one by one.

    Arrow's hash kernels release the GIL, and at a million visits these joins are a fifth of
    a run; the results land in the context's memo, so checks and rules find them ready. Given
    a ``pool``, the joins are queued on it and this returns at once: whatever is queued next
    (the tables' validations) waits only for the joins it needs (see :meth:`Context.memo`).
    Nothing here needs pandera, so the joins can run while pandera is still being imported.
    """
    from concurrent.futures import ThreadPoolExecutor

    jobs: list[Callable[[], object]] = []
    for table in tables:
        for c in table.primary_key:
            if not any(k.fields == (c,) and not table.field(c).is_list for k in table.foreign_keys):
                jobs.append(lambda t=table.name, c=c: ctx.codes(t, c))
            # else the unique-key check codes the column by its foreign key's join, queued below
        for fk in table.foreign_keys:
            f = table.field(fk.fields[0])
            if f.is_list:
                jobs.append(lambda t=table.name, f=f: ctx.item_codes(t, f))
            else:
                jobs.append(lambda t=table.name, fk=fk: ctx.rows(t, fk.fields[0], fk.resource, fk.reference_fields[0]))

    def run(job: Callable[[], object]) -> None:
        # A job that fails is run again by the check that needs it, which reports the failure.
        with contextlib.suppress(Exception):
            job()

    if pool is not None:
        for job in jobs:
            pool.submit(run, job)
        return
    with ThreadPoolExecutor(max_workers=workers) as own:
        list(own.map(run, jobs))


_STR = pd.Series([], dtype="str").dtype
_STR_TYPES = {pa.string(): _STR, pa.large_string(): _STR} if isinstance(_STR, pd.StringDtype) else {}


def _to_arrow(values: pd.Series) -> pa.Array:
    """A string column as one Arrow string array, without a copy for Arrow-backed columns
    (pandas keeps them as ``large_string``; casting would copy every column again)."""
    arr = values.array
    if hasattr(arr, "__arrow_array__"):
        out = arr.__arrow_array__()
    else:
        out = pa.array(np.asarray(values, dtype=object), from_pandas=True)
    if isinstance(out, pa.ChunkedArray):
        out = out.combine_chunks() if out.num_chunks != 1 else out.chunk(0)
    if pa.types.is_null(out.type):
        out = out.cast(pa.large_string())
    return out


def _is_derived(column: str) -> bool:
    return column.endswith(("_earliest", "_latest"))
