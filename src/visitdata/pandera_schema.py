"""Derive a pandera schema for each table from its Table Schema, plus the data rules.

pandera's own ``from_frictionless_schema`` turns dates into strings and drops foreign keys,
so the translation is done here: every constraint in ``schemas/*.json`` becomes a named
pandera check whose name is the rule id in :data:`visitdata.rules.RULES`.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import pandera.pandas as pa
import pyarrow
import pyarrow.compute as pc

from .context import _STR_TYPES, Context, _to_arrow
from .rules import data_rules
from .tables import Field, ForeignKey, TableSchema

_CONTROL = r"[\x00-\x1f\x7f-\x9f]"
_FORMULA = r"[=+\-@]"
_TYPE_PATTERNS = {"integer": r"[+-]?[0-9]+", "number": r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?", "boolean": r"true|false"}
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


def _per_value(ctx: Context, table: str, column: str, test: Callable[[pd.Series], object]) -> Callable[[pd.Series], pd.Series]:
    """A check run once per distinct value of the column, not once per row.

    Vocabularies, dates, country codes and source lists repeat a great deal, so most text
    checks look at a small fraction of the cells; for unique ids it costs one factorisation.
    """

    def check(s: pd.Series) -> pd.Series:
        codes, uniques = ctx.factorized(table, column)
        if len(codes) != len(s):  # not the column of the context's frame: check it as given
            codes, u = pd.factorize(s, use_na_sentinel=True)
            uniques = pd.Series(u, dtype=s.dtype)
        return _spread(_bools(test(uniques)), np.asarray(codes), s.index)

    return check


def _bools(result: object) -> np.ndarray:
    """A check's verdicts as a numpy bool array; an undecidable (missing) verdict fails."""
    if isinstance(result, (pyarrow.Array, pyarrow.ChunkedArray)):
        return np.asarray(result.fill_null(False), dtype=bool)
    return np.asarray(pd.Series(result).fillna(False), dtype=bool)


def _is_nfc(u: pd.Series) -> np.ndarray:
    """ASCII text is always NFC: normalise only the rest (unicodedata is per value, in Python)."""
    ascii_ = np.asarray(pc.string_is_ascii(_to_arrow(u)).fill_null(True), dtype=bool)
    ok = ascii_.copy()
    rest = np.flatnonzero(~ascii_)
    ok[rest] = [unicodedata.is_normalized("NFC", v) for v in u.to_numpy(dtype=object)[rest]]
    return ok


def _items(u: pd.Series, delimiter: str) -> tuple[pyarrow.Array, np.ndarray]:
    """The items of each list cell of ``u`` (no missing values) and the position of their cell."""
    lists = pc.split_pattern(_to_arrow(u), pattern=delimiter)
    return pc.list_flatten(lists), np.asarray(pc.list_parent_indices(lists), dtype=np.int64)


def _list_items_ok(u: pd.Series, delimiter: str) -> np.ndarray:
    """No empty item, and no item named twice in one cell."""
    items, parent = _items(u, delimiter)
    codes, _ = pd.factorize(pd.Series(items.to_pandas(types_mapper=_STR_TYPES.get)))
    key = parent * (int(codes.max(initial=0)) + 1) + codes
    order = np.argsort(key, kind="stable")
    sorted_key = key[order]
    same = sorted_key[1:] == sorted_key[:-1]
    repeated = np.zeros(len(key), dtype=bool)
    repeated[order[1:][same]] = True
    repeated[order[:-1][same]] = True
    bad = repeated | np.asarray(pc.equal(items, ""), dtype=bool)
    return np.bincount(parent[bad], minlength=len(u)) == 0


def _field_checks(f: Field, table: TableSchema, ctx: Context, messages: dict[tuple[str, str], str]) -> list[pa.Check]:
    checks: list[pa.Check] = []

    def add(rule_id: str, fn: Callable[[pd.Series], pd.Series], message: str) -> None:
        checks.append(_check(rule_id, fn))
        messages[(f.name, rule_id)] = message

    def per_value(test: Callable[[pd.Series], object]) -> Callable[[pd.Series], pd.Series]:
        return _per_value(ctx, table.name, f.name, test)

    if f.required:
        add("required", lambda s: s.notna(), "is empty")
    if f.is_partial_date:
        add("type", lambda s, n=f.name: pd.Series(ctx.dates(table.name, n)["valid"].to_numpy(), index=s.index),
            "is not a calendar date written YYYY, YYYY-MM or YYYY-MM-DD")
    elif f.type in _TYPE_PATTERNS:
        add("type", per_value(lambda u, p=_TYPE_PATTERNS[f.type]: u.str.fullmatch(p)), f"is not a value of type {f.type}")
    if f.pattern:
        add("pattern", per_value(lambda u, p=f.pattern: u.str.fullmatch(p)), f"does not match the pattern {f.pattern}")
    if f.enum:
        vocabulary = pyarrow.array(f.enum, pyarrow.string())
        add("enum", per_value(lambda u, e=vocabulary: pc.is_in(_to_arrow(u), value_set=e)), "is not one of: " + ", ".join(f.enum))
    if f.is_list:
        add("list-items", per_value(lambda u, d=f.delimiter: _list_items_ok(u, d)),
            f"has an empty or repeated item (separate ids with a single '{f.delimiter}')")
    if f.type in _TEXT_TYPES:
        add("text-whitespace", per_value(lambda u: u.str.strip() == u), "starts or ends with white space")
        add("text-nfc", per_value(_is_nfc), "is not in Unicode NFC")
        add("text-control", per_value(lambda u: ~u.str.contains(_CONTROL, regex=True)), "holds a control character")
        add("text-formula", per_value(lambda u: ~u.str.match(_FORMULA)), "starts with =, +, - or @")
    return checks


def _key_checks(table: TableSchema, ctx: Context, messages: dict[tuple[str, str], str]) -> dict[str, list[pa.Check]]:
    """Primary and foreign keys, blamed on the key's last column."""
    checks: dict[str, list[pa.Check]] = {}
    pk = table.primary_key
    if pk:
        column = pk[-1]

        def unique(s: pd.Series) -> pd.Series:
            # Missing key cells count as one value, as in DataFrame.duplicated.
            key = np.zeros(len(s), dtype=np.int64)
            for c in pk:
                codes, uniques = pd.factorize(ctx.frame(table.name)[c], use_na_sentinel=False)
                key = key * (len(uniques) + 1) + codes
                key = pd.factorize(key)[0]  # keep the combined code small
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


def _foreign_key(table: TableSchema, fk: ForeignKey, ctx: Context) -> Callable[[pd.Series], pd.Series]:
    f = table.field(fk.fields[0])
    ref = fk.reference_fields[0]
    if f.is_list:

        def items_known(u: pd.Series) -> np.ndarray:
            items, parent = _items(u, f.delimiter)
            known = np.asarray(pc.is_in(items, value_set=pc.drop_null(ctx.arrow(fk.resource, ref))), dtype=bool)
            return np.bincount(parent[~known], minlength=len(u)) == 0

        return _per_value(ctx, table.name, f.name, items_known)

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
        f.name: pa.Column(dtype=None, checks=_field_checks(f, table, ctx, messages) + extra.get(f.name, []),
                          nullable=True, required=False)
        for f in table.fields
    }
    schema = pa.DataFrameSchema(columns, name=table.name, strict=False, coerce=False)
    return DerivedSchema(schema, messages, details)
