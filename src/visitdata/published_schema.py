"""pandera schemas of the tables as :func:`visitdata.load` returns them.

A researcher who adds rows to a loaded frame can check them against the same constraints the
curated tables obey:

>>> import visitdata
>>> visits = visitdata.load("visits")
>>> _ = visitdata.schema("visits").validate(visits)

Each schema is derived from the release's Table Schemas (``datapackage.json``, itself derived
from ``schemas/*.json`` by the build), with pandera's own checks: column type, required
(``nullable=False``), unique keys, vocabularies (``isin``) and patterns (``str_matches``).
Cross-table rules (foreign keys, date order, one lead per visit ...) are the curators'
validation's job (``visitdata validate``), not this schema's.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import pandas as pd

from .extras import missing_extra
from .load import _check_name, datapackage

if TYPE_CHECKING:
    import pandera.pandas as pa

#: How each Table Schema type appears in a loaded frame (vocabularies are categoricals).
_TYPE_TESTS: dict[str, Callable[[pd.Series], bool]] = {
    "string": pd.api.types.is_string_dtype,
    "integer": lambda s: isinstance(s.dtype, pd.Int64Dtype),
    "number": pd.api.types.is_float_dtype,
    "boolean": lambda s: isinstance(s.dtype, pd.BooleanDtype),
    "date": pd.api.types.is_datetime64_any_dtype,
}


def _pandera():
    try:
        import pandera.pandas as pa
    except ModuleNotFoundError as e:
        raise missing_extra("visitdata.schema() needs pandera", "curate") from e
    return pa


def _constraint_checks(pa: Any, field: dict[str, Any]) -> list[pa.Check]:
    """pandera checks for a field's constraints. (``minimum`` / ``maximum`` would go here.)"""
    constraints = field.get("constraints", {})
    checks = []
    if "enum" in constraints:
        checks.append(pa.Check.isin(constraints["enum"], name="enum"))
    if "pattern" in constraints:
        checks.append(pa.Check.str_matches(rf"(?:{constraints['pattern']})\Z", name="pattern"))
    return checks


def _type_check(pa: Any, field: dict[str, Any]) -> pa.Check:
    kind = field.get("type", "string")
    if field.get("constraints", {}).get("enum"):
        test, kind = (lambda s: isinstance(s.dtype, pd.CategoricalDtype)), "category"
    else:
        test = _TYPE_TESTS[kind]
    return pa.Check(lambda s, t=test: bool(t(s)), element_wise=False, name="type", error=f"is not of type {kind}")


def schema(table: str, version: str | None = None) -> pa.DataFrameSchema:
    """The pandera ``DataFrameSchema`` of ``load(table, version=version)``.

    Raises pandera's ``SchemaError`` (naming the column) when a frame breaks it, e.g. a visit
    with an empty ``visit_id`` or a ``host_country`` that is not three capital letters.
    """
    _check_name(table)
    pa = _pandera()
    resource = next(r for r in datapackage(version)["resources"] if r["name"] == table)
    descriptor = resource["schema"]
    key = list(descriptor.get("primaryKey", []))
    columns = {}
    for field in descriptor["fields"]:
        constraints = field.get("constraints", {})
        columns[field["name"]] = pa.Column(
            dtype=None,
            checks=[_type_check(pa, field), *_constraint_checks(pa, field)],
            nullable=not constraints.get("required", False),
            unique=bool(constraints.get("unique", False)) or key == [field["name"]],
            required=True,
        )
    return pa.DataFrameSchema(columns, unique=key if len(key) > 1 else None, strict=True, name=table)
