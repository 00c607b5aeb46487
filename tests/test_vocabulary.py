"""Every vocabulary value the code names is a value of its column's enum in schemas/*.json."""

from __future__ import annotations

import pytest

from conftest import REPO
from visitdata import vocabulary
from visitdata.importers.hsg.names import TITLES
from visitdata.importers.hsg.text import _TYPE_PHRASES
from visitdata.tables import TABLE_NAMES, load_schema


def enum(table: str, column: str) -> set[str]:
    values = load_schema(REPO, table).field(column).enum
    assert values, f"{table}.{column} has no vocabulary"
    return set(values)


@pytest.mark.parametrize("table, column", sorted(vocabulary.USED))
def test_named_values_are_in_the_schema(table: str, column: str) -> None:
    assert set(vocabulary.USED[(table, column)]) <= enum(table, column)


def test_the_hsg_tables_of_values_are_in_the_schema() -> None:
    assert set(TITLES.values()) <= enum("roles", "role_type")
    assert {value for _, value in _TYPE_PHRASES} <= enum("visits", "visit_type")


def test_every_list_column_uses_the_one_delimiter() -> None:
    lists = [f for name in TABLE_NAMES for f in load_schema(REPO, name).fields if f.is_list]
    assert lists and {f.delimiter for f in lists} == {vocabulary.LIST_DELIMITER}
