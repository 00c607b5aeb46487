"""Derive a pandera schema for each table from its Table Schema, plus the data rules.

pandera's own ``from_frictionless_schema`` turns dates into strings and drops foreign keys,
so the translation is done here: every constraint in ``schemas/*.json`` becomes a named
pandera check whose name is the rule id in :data:`visitdata.rules.RULES`.
"""

from __future__ import annotations

import threading
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import pandera.pandas as pa
import pyarrow
import pyarrow.compute as pc

from .context import Context, _to_arrow
from .rules import data_rules
from .tables import Field, ForeignKey, TableSchema

_CONTROL = r"[\x00-\x1f\x7f-\x9f]"
_TYPE_PATTERNS = {
    "integer": r"[+-]?[0-9]+",
    "number": r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?",
    "boolean": r"true|false",
}
_TEXT_TYPES = {"string", "list"}


@dataclass
class DerivedSchema:
    """A pandera schema and, for each (column, rule id), the sentence that explains a failure."""

    schema: pa.DataFrameSchema
    messages: dict[tuple[str, str], str] = field(default_factory=dict)
    details: dict[tuple[str, str], Callable[[pd.Index], pd.Series]] = field(default_factory=dict)


def _check(rule_id: str, fn: Callable[[pd.Series], pd.Series], ignore_na: bool = False) -> pa.Check:
    """A named pandera check. Checks handle missing values themselves (they pass), so pandera
    need not drop them first: that copy and re-index costs more than most checks."""
    return pa.Check(fn, name=rule_id, error=rule_id, ignore_na=ignore_na)


def _spread(verdict: np.ndarray, codes: np.ndarray, index: pd.Index) -> pd.Series:
    """Per-value verdicts back to rows; missing cells (code -1) pass."""
    ok = np.ones(len(codes), dtype=bool)
    present = codes >= 0
    ok[present] = verdict[codes[present]]
    return pd.Series(ok, index=index)


def _per_value(
    ctx: Context, table: str, column: str, test: Callable[[pd.Series], object]
) -> Callable[[pd.Series], pd.Series]:
    """A check run once per distinct value of a column, for columns that repeat a great deal
    (partial dates: a million visits hold a few tens of thousands of distinct dates, and the
    factorisation is shared with the date parser)."""

    def check(s: pd.Series) -> pd.Series:
        codes, uniques = ctx.factorized(table, column)
        if len(codes) != len(s):  # not the column of the context's frame: check it as given
            codes, u = pd.factorize(s, use_na_sentinel=True)
            uniques = pd.Series(u, dtype=s.dtype)
        return _spread(_bools(test(uniques)), np.asarray(codes), s.index)

    return check


def _whole(test: Callable[[pd.Series], object]) -> Callable[[pd.Series], pd.Series]:
    """A check on the whole column at once; missing cells pass."""

    def check(s: pd.Series) -> pd.Series:
        return pd.Series(_bools(test(s)) | s.isna().to_numpy(), index=s.index)

    return check


def _bools(result: object) -> np.ndarray:
    """A check's verdicts as a numpy bool array; an undecidable (missing) verdict fails."""
    if isinstance(result, (pyarrow.Array, pyarrow.ChunkedArray)):
        return np.asarray(result.fill_null(False), dtype=bool)
    if isinstance(result, np.ndarray) and result.dtype == bool:
        return result
    return np.asarray(pd.Series(result).fillna(False), dtype=bool)


def _bytes(s: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """The UTF-8 bytes of a string column and each cell's offsets into them (Arrow's own buffers).

    Text hygiene is mostly decided by a few bytes per cell (the first, the last, any byte
    outside printable ASCII): looking at them with numpy finds the few cells that need the
    exact (regex or Unicode) test, instead of running that test on every cell.
    """
    arr = _to_arrow(s)
    if len(arr) == 0 or arr.buffers()[1] is None:
        return np.zeros(len(arr) + 1, dtype=np.int64), np.zeros(0, dtype=np.uint8)
    width = np.int64 if pyarrow.types.is_large_string(arr.type) else np.int32
    offsets = np.frombuffer(arr.buffers()[1], dtype=width)[arr.offset : arr.offset + len(arr) + 1].astype(
        np.int64, copy=False
    )
    data = arr.buffers()[2]
    return offsets, (np.frombuffer(data, dtype=np.uint8) if data is not None else np.zeros(0, dtype=np.uint8))


def _exact_on(s: pd.Series, candidates: np.ndarray, test: Callable[[pd.Series], object]) -> np.ndarray:
    """True everywhere except where ``test`` fails among the candidate cells."""
    ok = np.ones(len(s), dtype=bool)
    rows = np.flatnonzero(candidates & s.notna().to_numpy())
    if len(rows):
        ok[rows] = _bools(test(s.iloc[rows]))
    return ok


def _cells_with(offsets: np.ndarray, flagged: np.ndarray) -> np.ndarray:
    """Which cells contain at least one flagged byte."""
    cells = np.zeros(len(offsets) - 1, dtype=bool)
    hits = np.flatnonzero(flagged)
    if len(hits):
        cells[np.searchsorted(offsets, hits, side="right") - 1] = True
    return cells


#: The last column's edges, with the Arrow array they came from (held, so that its buffers, and
#: so their addresses, stay its own): the white-space and formula checks of a column share them.
#: One per thread, since tables are validated on several threads.
_LAST = threading.local()


def _last_edges() -> list[tuple[pyarrow.Array, tuple[np.ndarray, np.ndarray, np.ndarray]]]:
    if not hasattr(_LAST, "edges"):
        _LAST.edges = []
    return _LAST.edges


def _edges(s: pd.Series) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """First and last byte of each cell (0 for empty or missing cells), and which cells have bytes."""
    arr = _to_arrow(s)
    last = _last_edges()
    if last:
        held, edges = last[0]
        if (held.offset, len(held), held.type) == (arr.offset, len(arr), arr.type) and all(
            (a.address if a is not None else None) == (b.address if b is not None else None)
            for a, b in zip(held.buffers(), arr.buffers(), strict=True)
        ):
            return edges
    edges = _compute_edges(s)
    last[:] = [(arr, edges)]
    return edges


def forget_last_column() -> None:
    """Drop the column :func:`_edges` holds on to in this thread (called when a table's
    validation ends)."""
    _last_edges().clear()


def _compute_edges(s: pd.Series) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    offsets, data = _bytes(s)
    filled = offsets[1:] > offsets[:-1]
    if len(data) == 0:
        return np.zeros(len(s), dtype=np.uint8), np.zeros(len(s), dtype=np.uint8), filled
    first = np.where(filled, data[np.minimum(offsets[:-1], len(data) - 1)], 0).astype(np.uint8)
    last = np.where(filled, data[np.maximum(offsets[1:] - 1, 0)], 0).astype(np.uint8)
    return first, last, filled


def _no_edge_space(s: pd.Series) -> np.ndarray:
    """``s.str.strip() == s``, run only on cells whose first or last byte could be white space
    (ASCII white space is at most 0x20; any other is a multi-byte character)."""
    first, last, filled = _edges(s)
    suspect = filled & ((first <= 0x20) | (first >= 0x80) | (last <= 0x20) | (last >= 0x80))
    return _exact_on(s, suspect, lambda t: t.str.strip() == t)


def _is_nfc(s: pd.Series) -> np.ndarray:
    """ASCII text is always NFC: only cells with a non-ASCII byte are normalised (in Python,
    once per distinct value)."""

    def nfc(t: pd.Series) -> np.ndarray:
        codes, uniques = pd.factorize(t)
        return np.array([unicodedata.is_normalized("NFC", v) for v in uniques], dtype=bool)[codes]

    ascii_ = np.asarray(pc.string_is_ascii(_to_arrow(s)).fill_null(True), dtype=bool)
    return _exact_on(s, ~ascii_, nfc)


def _no_control(s: pd.Series) -> np.ndarray:
    """No control character; the regex runs only on cells holding a byte below 0x20, 0x7f, or
    0xc2 (the lead byte of U+0080 to U+009F)."""
    offsets, data = _bytes(s)
    flagged = (data < 0x20) | (data == 0x7F) | (data == 0xC2)
    return _exact_on(s, _cells_with(offsets, flagged), lambda t: ~t.str.contains(_CONTROL, regex=True))


def _no_formula(s: pd.Series) -> np.ndarray:
    """Not starting with = + - @: the regex ``^[=+\\-@]`` is a test of each cell's first byte."""
    first, _, filled = _edges(s)
    return ~(filled & np.isin(first, np.frombuffer(b"=+-@", dtype=np.uint8)))


def _list_items_ok(items: pyarrow.Array, parent: np.ndarray, codes: np.ndarray, rows: int) -> np.ndarray:
    """No empty item, and no item named twice in one cell (``codes``: equal for equal items)."""
    multi = np.bincount(parent, minlength=rows) > 1
    bad = np.asarray(pc.equal(items, "").fill_null(False), dtype=bool)
    in_multi = np.flatnonzero(multi[parent])  # only cells with two or more items can repeat one
    if len(in_multi):
        key = parent[in_multi] * (int(codes.max(initial=0)) + 2) + (codes[in_multi] + 1)
        order = np.argsort(key, kind="stable")
        same = key[order][1:] == key[order][:-1]
        bad[in_multi[order[1:][same]]] = True
        bad[in_multi[order[:-1][same]]] = True
    return np.bincount(parent[bad], minlength=rows) == 0


def _is_in(values: pyarrow.Array, vocabulary: pyarrow.Array) -> pyarrow.Array:
    return pc.is_in(values, value_set=vocabulary.cast(values.type))


def _field_checks(f: Field, table: TableSchema, ctx: Context, messages: dict[tuple[str, str], str]) -> list[pa.Check]:
    checks: list[pa.Check] = []

    def add(rule_id: str, fn: Callable[[pd.Series], pd.Series], message: str) -> None:
        checks.append(_check(rule_id, fn))
        messages[(f.name, rule_id)] = message

    # Partial dates repeat a great deal: check each distinct value once. Other columns are
    # checked whole, with Arrow kernels (most ids are distinct: factorising would cost more).
    def run(test: Callable[[pd.Series], object]) -> Callable[[pd.Series], pd.Series]:
        return _per_value(ctx, table.name, f.name, test) if f.is_partial_date else _whole(test)

    if f.required:
        add("required", lambda s: s.notna(), "is empty")
    if f.is_partial_date:
        add(
            "type",
            lambda s, n=f.name: pd.Series(ctx.dates(table.name, n)["valid"].to_numpy(), index=s.index),
            "is not a calendar date written YYYY, YYYY-MM or YYYY-MM-DD",
        )
    elif f.type == "date":
        add(
            "type",
            lambda s, n=f.name: _is_day(ctx.dates(table.name, n), s.index),
            "is not a calendar date written YYYY-MM-DD",
        )
    elif f.type in _TYPE_PATTERNS:
        add("type", run(lambda u, p=_TYPE_PATTERNS[f.type]: u.str.fullmatch(p)), f"is not a value of type {f.type}")
    if f.pattern:
        add("pattern", run(lambda u, p=f.pattern: u.str.fullmatch(p)), f"does not match the pattern {f.pattern}")
    if f.enum:
        vocabulary = pyarrow.array(f.enum, pyarrow.string())
        add("enum", run(lambda u, e=vocabulary: _is_in(_to_arrow(u), e)), "is not one of: " + ", ".join(f.enum))
    if f.is_list:

        def list_items(s: pd.Series) -> pd.Series:
            items, parent, codes = ctx.item_codes(table.name, f)
            return pd.Series(_list_items_ok(items, parent, codes, len(s)), index=s.index)

        add("list-items", list_items, f"has an empty or repeated item (separate ids with a single '{f.delimiter}')")
    if f.type in _TEXT_TYPES:
        add("text-whitespace", run(_no_edge_space), "starts or ends with white space")
        add("text-nfc", run(_is_nfc), "is not in Unicode NFC")

        def no_control(s: pd.Series) -> pd.Series:
            if ctx.tables[table.name].control_free and len(s) == len(ctx.frame(table.name)):
                return pd.Series(True, index=s.index)
            return run(_no_control)(s)

        add("text-control", no_control, "holds a control character")
        add("text-formula", run(_no_formula), "starts with =, +, - or @")
    return checks


def _is_day(dates: pd.DataFrame, index: pd.Index) -> pd.Series:
    """A full date (``type: date``): a valid partial date of day precision; missing passes."""
    ok = dates["valid"].to_numpy() & ((dates["precision"] == "day") | dates["precision"].isna()).to_numpy()
    return pd.Series(ok, index=index)


def _key_checks(table: TableSchema, ctx: Context, messages: dict[tuple[str, str], str]) -> dict[str, list[pa.Check]]:
    """Primary and foreign keys, blamed on the key's last column."""
    checks: dict[str, list[pa.Check]] = {}
    pk = table.primary_key
    if pk:
        column = pk[-1]

        def unique(s: pd.Series) -> pd.Series:
            # Combine the columns' integer codes; missing cells count as one value, as in
            # DataFrame.duplicated.
            key = np.zeros(len(s), dtype=np.int64)
            for c in pk:
                codes = _key_codes(ctx, table, c)
                key = key * (int(codes.max(initial=0)) + 2) + (codes + 1)
                if len(pk) > 1:
                    key = pd.factorize(key)[0].astype(np.int64)  # keep the combined code small
            counts = np.bincount(key, minlength=1)
            return pd.Series(counts[key] == 1, index=s.index)

        checks.setdefault(column, []).append(_check("unique-key", unique))
        messages[(column, "unique-key")] = "is the primary key (" + ", ".join(pk) + ") of another row too"
    for fk in table.foreign_keys:
        column = fk.fields[-1]
        checks.setdefault(column, []).append(_check("foreign-key", _foreign_key(table, fk, ctx)))
        what = "names an id that is" if table.field(column).is_list else "is"
        messages[(column, "foreign-key")] = f"{what} not a {fk.reference_fields[0]} in {fk.resource}.csv"
    return checks


def _key_codes(ctx: Context, table: TableSchema, column: str) -> np.ndarray:
    """Codes equal exactly for equal values (-1 missing), reusing a foreign key's join if there is one."""
    fk = next((k for k in table.foreign_keys if k.fields == (column,) and not table.field(column).is_list), None)
    if fk is None:
        return ctx.codes(table.name, column)
    rows = ctx.rows(table.name, column, fk.resource, fk.reference_fields[0]).copy()
    unknown = np.flatnonzero((rows < 0) & ctx.frame(table.name)[column].notna().to_numpy())
    if len(unknown):
        extra, _ = pd.factorize(ctx.frame(table.name)[column].iloc[unknown])
        rows[unknown] = len(ctx.frame(fk.resource)) + extra
    return rows


def _foreign_key(table: TableSchema, fk: ForeignKey, ctx: Context) -> Callable[[pd.Series], pd.Series]:
    f = table.field(fk.fields[0])
    ref = fk.reference_fields[0]
    if f.is_list:

        def items_known(s: pd.Series) -> pd.Series:
            _, parent, codes = ctx.item_codes(table.name, f)
            size = len(ctx.frame(fk.resource))
            unknown = (codes < 0) | (codes >= size)
            return pd.Series(np.bincount(parent[unknown], minlength=len(s)) == 0, index=s.index)

        return items_known

    def check(s: pd.Series) -> pd.Series:
        rows = ctx.rows(table.name, f.name, fk.resource, ref)
        return pd.Series((rows >= 0) | s.isna().to_numpy(), index=s.index)

    return check


def derive(table: TableSchema, ctx: Context, *, with_data_rules: bool = True) -> DerivedSchema:
    """The pandera schema for one table: its Table Schema's constraints plus its data rules."""
    messages: dict[tuple[str, str], str] = {}
    details: dict[tuple[str, str], Callable[[pd.Index], pd.Series]] = {}
    extra = _key_checks(table, ctx, messages)
    if with_data_rules:
        for rule in data_rules(table.name):
            assert rule.check is not None and rule.column is not None

            def run(s: pd.Series, r=rule) -> pd.Series:
                result = r.check(ctx)
                if not result.index.equals(s.index):
                    result = result.reindex(s.index)
                return result.fillna(True).astype(bool)

            extra.setdefault(rule.column, []).append(_check(rule.id, run))
            messages[(rule.column, rule.id)] = rule.summary
            if rule.detail is not None:
                details[(rule.column, rule.id)] = lambda ix, r=rule: r.detail(ctx, ix)
    columns = {
        f.name: pa.Column(
            dtype=None,
            checks=_field_checks(f, table, ctx, messages) + extra.get(f.name, []),
            nullable=True,
            required=False,
        )
        for f in table.fields
    }
    schema = pa.DataFrameSchema(columns, name=table.name, strict=False, coerce=False)
    return DerivedSchema(schema, messages, details)
