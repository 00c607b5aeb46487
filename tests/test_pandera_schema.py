"""The pandera schemas validation derives from the Table Schemas: one named check per rule."""

from __future__ import annotations

import pandera.pandas as pa
import pytest

from conftest import set_cell
from test_context import context
from visitdata.pandera_schema import derive
from visitdata.rules import RULES


def checks_of(derived, column: str) -> set[str]:
    return {c.name for c in derived.schema.columns[column].checks}


def test_every_constraint_becomes_a_check_named_by_its_rule(project) -> None:
    ctx = context(project)
    derived = derive(ctx.schemas["visits"], ctx)
    assert isinstance(derived.schema, pa.DataFrameSchema)
    assert {"required", "pattern", "unique-key", "text-whitespace"} <= checks_of(derived, "visit_id")
    assert "enum" in checks_of(derived, "status") and "type" in checks_of(derived, "start_date")
    assert "foreign-key" in checks_of(derived, "host_country")
    names = {c.name for col in derived.schema.columns.values() for c in col.checks}
    assert names <= set(RULES)
    assert all(derived.messages[(col, name)] for col, name in derived.messages)


def test_data_rules_are_left_out_on_request(project) -> None:
    ctx = context(project)
    full = derive(ctx.schemas["visits"], ctx)
    bare = derive(ctx.schemas["visits"], ctx, with_data_rules=False)
    assert sum(len(c.checks) for c in bare.schema.columns.values()) < sum(
        len(c.checks) for c in full.schema.columns.values()
    )


@pytest.mark.parametrize(
    "column, value, rule",
    [("status", "rumoured", "enum"), ("start_date", "2024-13-01", "type"), ("visit_id", "Bad Id", "pattern")],
)
def test_a_broken_cell_fails_its_rule_on_its_row(project, column: str, value: str, rule: str) -> None:
    ctx = context(project)
    first = ctx.frame("visits")["visit_id"].iloc[0]
    set_cell(project, "visits", {"visit_id": first}, column, value)
    ctx = context(project)
    with pytest.raises(pa.errors.SchemaErrors) as e:
        derive(ctx.schemas["visits"], ctx).schema.validate(ctx.frame("visits"), lazy=True)
    cases = e.value.failure_cases
    hit = cases[(cases["column"] == column) & (cases["check"] == rule)]
    assert list(hit["index"]) == [ctx.frame("visits").index[ctx.frame("visits")[column] == value][0]]
