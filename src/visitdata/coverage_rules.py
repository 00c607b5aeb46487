"""The validation rules of the ``coverage`` table (registered in :mod:`visitdata.rules`).

A declaration of completeness is a claim every panel relies on: it must name real offices, be
backed by a source when it rests on one, and not declare a state's visits to itself.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow.compute as pc

from .context import Context
from .rules import data_rule

TABLE = "coverage"


def _role_type_items(ctx: Context) -> tuple[np.ndarray, np.ndarray]:
    """For each item of ``coverage.role_types``: its row, and whether it is a role type of the roles table's vocabulary."""
    f = ctx.schemas[TABLE].field("role_types")
    items, parent = ctx.items(TABLE, f.name, f.delimiter)
    vocabulary = ctx.schemas["roles"].field("role_type").enum or []
    known = np.asarray(
        pc.is_in(items, value_set=pc.cast(vocabulary, items.type) if vocabulary else items[:0]).fill_null(True),
        dtype=bool,
    )
    return parent, known


@data_rule(
    "coverage-role-types",
    TABLE,
    "role_types",
    "A declaration names an office that is not a role type of the roles table.",
    "Use role_type values of roles (see its data dictionary), separated by ';'.",
)
def _coverage_role_types(ctx: Context) -> pd.Series:
    parent, known = _role_type_items(ctx)
    bad = np.zeros(len(ctx.frame(TABLE)), dtype=bool)
    bad[parent[~known]] = True
    return pd.Series(~bad, index=ctx.frame(TABLE).index)


@data_rule(
    "coverage-source-basis",
    TABLE,
    "source_ids",
    "A declaration resting on a source names none.",
    "Give the data set whose own scope makes the records complete in source_ids, or set basis to 'curation'.",
)
def _coverage_source_basis(ctx: Context) -> pd.Series:
    frame = ctx.frame(TABLE)
    return ~((frame["basis"] == "source") & frame["source_ids"].isna()).fillna(False).astype(bool)


@data_rule(
    "coverage-self",
    TABLE,
    "host_country",
    "A declaration covers a state's visits to itself.",
    "Name another host, or leave host_country empty for every other state.",
)
def _coverage_self(ctx: Context) -> pd.Series:
    frame = ctx.frame(TABLE)
    return ~(frame["visitor_country"] == frame["host_country"]).fillna(False).astype(bool)
