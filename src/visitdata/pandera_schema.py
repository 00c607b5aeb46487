"""Derive a pandera schema for each table from its Table Schema, plus the data rules.

pandera's own ``from_frictionless_schema`` turns dates into strings and drops foreign keys,
so the translation is done here: every constraint in ``schemas/*.json`` becomes a named
pandera check whose name is the rule id in :data:`visitdata.rules.RULES`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import pandas as pd
import pandera.pandas as pa

from .context import Context
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


def _check(rule_id: str, fn: Callable[[pd.Series], pd.Series], ignore_na: bool = True) -> pa.Check:
    return pa.Check(fn, name=rule_id, error=rule_id, ignore_na=ignore_na)


def _items(s: pd.Series, delimiter: str) -> pd.Series:
    """One row per list item, indexed by the row it came from."""
    return s.dropna().str.split(delimiter, regex=False).explode()


def _field_checks(f: Field, table: TableSchema, ctx: Context, messages: dict[tuple[str, str], str]) -> list[pa.Check]:
    checks: list[pa.Check] = []

    def add(rule_id: str, fn: Callable[[pd.Series], pd.Series], message: str, ignore_na: bool = True) -> None:
        checks.append(_check(rule_id, fn, ignore_na))
        messages[(f.name, rule_id)] = message

    if f.required:
        add("required", lambda s: s.notna(), "is empty", ignore_na=False)
    if f.is_partial_date:
        add("type", lambda s, n=f.name: ctx.dates(table.name, n)["valid"].reindex(s.index),
            "is not a calendar date written YYYY, YYYY-MM or YYYY-MM-DD")
    elif f.type in _TYPE_PATTERNS:
        add("type", lambda s, p=_TYPE_PATTERNS[f.type]: s.str.fullmatch(p), f"is not a value of type {f.type}")
    if f.pattern:
        add("pattern", lambda s, p=f.pattern: s.str.fullmatch(p), f"does not match the pattern {f.pattern}")
    if f.enum:
        add("enum", lambda s, e=tuple(f.enum): s.isin(e), "is not one of: " + ", ".join(f.enum))
    if f.is_list:
        def list_items(s: pd.Series, d: str = f.delimiter) -> pd.Series:
            items = _items(s, d)
            bad = (items == "") | items.reset_index().duplicated(keep=False).to_numpy()
            return ~bad.groupby(level=0).any().reindex(s.index, fill_value=False)

        add("list-items", list_items, f"has an empty or repeated item (separate ids with a single '{f.delimiter}')")
    if f.type in _TEXT_TYPES:
        add("text-whitespace", lambda s: s.str.strip() == s, "starts or ends with white space")
        add("text-nfc", lambda s: s.str.normalize("NFC") == s, "is not in Unicode NFC")
        add("text-control", lambda s: ~s.str.contains(_CONTROL, regex=True), "holds a control character")
        add("text-formula", lambda s: ~s.str.match(_FORMULA), "starts with =, +, - or @")
    return checks


def _key_checks(table: TableSchema, ctx: Context, messages: dict[tuple[str, str], str]) -> dict[str, list[pa.Check]]:
    """Primary and foreign keys, blamed on the key's last column."""
    checks: dict[str, list[pa.Check]] = {}
    pk = table.primary_key
    if pk:
        column = pk[-1]

        def unique(s: pd.Series) -> pd.Series:
            frame = ctx.frame(table.name)
            return ~frame.duplicated(pk, keep=False).reindex(s.index)

        checks.setdefault(column, []).append(_check("unique-key", unique))
        messages[(column, "unique-key")] = "is the primary key (" + ", ".join(pk) + ") of another row too"
    for fk in table.foreign_keys:
        column = fk.fields[-1]
        checks.setdefault(column, []).append(_check("foreign-key", _foreign_key(table, fk, ctx)))
        what = "names an id that is" if table.field(column).is_list else "is"
        messages[(column, "foreign-key")] = f"{what} not a {fk.reference_fields[0]} in {fk.resource}.csv"
    return checks


def _foreign_key(table: TableSchema, fk: ForeignKey, ctx: Context) -> Callable[[pd.Series], pd.Series]:
    def check(s: pd.Series) -> pd.Series:
        known = pd.Index(ctx.frame(fk.resource)[fk.reference_fields[0]].dropna().unique())
        f = table.field(fk.fields[0])
        if f.is_list:
            items = _items(s, f.delimiter)
            missing = ~items.isin(known)
            return ~missing.groupby(level=0).any().reindex(s.index, fill_value=False)
        return s.isin(known)

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
                return r.check(ctx).reindex(s.index).fillna(True).astype(bool)

            extra.setdefault(rule.column, []).append(_check(rule.id, run, ignore_na=False))
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
