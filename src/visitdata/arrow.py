"""Typed Arrow tables and release Table Schemas, both derived from ``schemas/*.json``.

Vocabularies become dictionary (categorical) columns whose dictionary is the whole
vocabulary in schema order, so every release has the same categories whatever the data
hold. Each partial-date column ``x`` keeps its text and gains ``x_earliest`` and
``x_latest`` (Arrow ``date32``) and ``x_precision`` (year, month or day).
"""

from __future__ import annotations

import copy
from typing import Any

import pandas as pd
import pyarrow as pa

from .dates import DERIVED_SUFFIXES, PRECISIONS, derived_column, parse_partial_dates
from .statecodes import table_derived_fields
from .tables import Field, TableSchema

#: Release-schema property naming the curated column a derived column is computed from.
DERIVED_FROM = "x-derived-from"
#: Release-schema property of a list column stored as delimited text (the curated type is list).
LIST_OF = "x-list-of"

_ARROW_TYPES = {
    "string": pa.string(),
    "list": pa.string(),
    "integer": pa.int64(),
    "number": pa.float64(),
    "boolean": pa.bool_(),
    "date": pa.date32(),
}


def _dictionary(
    values: pd.Series, vocabulary: list[str] | tuple[str, ...], ordered: bool = False
) -> pa.DictionaryArray:
    codes = pd.Categorical(values, categories=list(vocabulary)).codes
    indices = pa.array(codes, type=pa.int8(), mask=codes < 0)
    return pa.DictionaryArray.from_arrays(indices, pa.array(list(vocabulary), type=pa.string()), ordered=ordered)


def _column(f: Field, values: pd.Series) -> pa.Array:
    if f.enum:
        return _dictionary(values, f.enum)
    arrow_type = _ARROW_TYPES[f.type]
    if f.type in ("string", "list"):
        return pa.array(values.astype(object).where(values.notna(), None), type=arrow_type)
    if f.type == "date":
        days = pd.to_datetime(values, format="%Y-%m-%d").dt.date
        return pa.array(days.astype(object).where(values.notna(), None), type=arrow_type)
    if f.type == "boolean":
        return pa.array(
            values.map({"true": True, "false": False}).astype(object).where(values.notna(), None), type=arrow_type
        )
    return pa.array(pd.to_numeric(values).astype(object).where(values.notna(), None), type=arrow_type)


def to_arrow(frame: pd.DataFrame, schema: TableSchema, derived: pd.DataFrame | None = None) -> pa.Table:
    """A validated all-string table as a typed Arrow table, sorted by primary key.

    ``derived`` holds columns computed from other tables (nullable integers on ``frame``'s
    index, such as the visits' state numbers); each follows the column it is derived from.
    """
    if schema.primary_key:
        order = frame.sort_values(schema.primary_key, kind="stable").index
        frame = frame.loc[order]
        derived = derived.loc[order] if derived is not None else None
    frame = frame.reset_index(drop=True)
    after = {f["name"]: f[DERIVED_FROM] for f in table_derived_fields(schema.name)}
    arrays: dict[str, pa.Array] = {}
    for f in schema.fields:
        values = frame[f.name]
        arrays[f.name] = _column(f, values)
        for name in (n for n, source in after.items() if source == f.name and derived is not None):
            column = derived[name].reset_index(drop=True)
            arrays[name] = pa.array(column.astype(object).where(column.notna(), None), type=pa.int64())
        if f.is_partial_date:
            parts = parse_partial_dates(values)
            for suffix in ("earliest", "latest"):
                days = parts[suffix].dt.date.astype(object).where(parts[suffix].notna(), None)
                arrays[derived_column(f.name, suffix)] = pa.array(days, type=pa.date32())
            arrays[derived_column(f.name, "precision")] = _dictionary(parts["precision"], PRECISIONS, ordered=True)
    return pa.table(arrays)


def release_schema(schema: TableSchema) -> dict[str, Any]:
    """The Table Schema of a table's Parquet file: the source schema plus derived date columns."""
    descriptor = copy.deepcopy(schema.descriptor)
    fields: list[dict[str, Any]] = []
    for f in schema.fields:
        field = copy.deepcopy(f.descriptor)
        if f.is_list:
            # Parquet readers see the text as curated; split on the delimiter to get the list.
            field["type"] = "string"
            field[LIST_OF] = {"delimiter": field.pop("delimiter", ","), "itemType": field.pop("itemType", "string")}
        fields.append(field)
        fields += [d for d in table_derived_fields(schema.name) if d[DERIVED_FROM] == f.name]
        if f.is_partial_date:
            fields += _derived_fields(f)
    descriptor["fields"] = fields
    if table_derived_fields(schema.name):
        # frictionless reads Parquet through pandas, where a null in an integer column becomes
        # NaN and then the text "nan": declared missing so that the derived numbers validate.
        descriptor["missingValues"] = [*descriptor.get("missingValues", [""]), "nan"]
    return descriptor


def _derived_fields(f: Field) -> list[dict[str, Any]]:
    out = []
    for suffix in DERIVED_SUFFIXES:
        name = derived_column(f.name, suffix)
        if suffix == "precision":
            out.append(
                {
                    "name": name,
                    "type": "string",
                    "title": f"{f.descriptor.get('title', f.name)} (precision)",
                    "description": f"Precision of {f.name}: year, month or day (an ordered categorical: year < month < day).",
                    "constraints": {"enum": list(PRECISIONS)},
                    DERIVED_FROM: f.name,
                }
            )
        else:
            out.append(
                {
                    "name": name,
                    "type": "date",
                    "title": f"{f.descriptor.get('title', f.name)} ({suffix})",
                    "description": f"{suffix.capitalize()} day that {f.name} allows (derived from its precision).",
                    DERIVED_FROM: f.name,
                }
            )
    return out
