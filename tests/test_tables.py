"""Reading the Table Schemas: the one truth about columns."""

from __future__ import annotations

import pytest

from conftest import REPO
from visitdata.errors import UnknownNameError
from visitdata.tables import TABLE_NAMES, load_schema, load_schemas


def test_every_table_has_a_schema_and_references_only_earlier_tables() -> None:
    schemas = load_schemas(REPO)
    assert list(schemas) == list(TABLE_NAMES)
    for position, name in enumerate(TABLE_NAMES):
        for fk in schemas[name].foreign_keys:
            assert fk.resource in TABLE_NAMES[: position + 1], (name, fk)


def test_list_fields_carry_their_delimiter_and_reference() -> None:
    visits = load_schema(REPO, "visits")
    field = visits.field("source_ids")
    assert field.is_list and field.delimiter == ";"
    assert any(fk.fields == ("source_ids",) and fk.resource == "sources" for fk in visits.foreign_keys)


def test_unknown_names_list_the_valid_ones() -> None:
    with pytest.raises(UnknownNameError, match="valid tables: sources"):
        load_schema(REPO, "nope")
    with pytest.raises(KeyError, match="columns: visit_id"):  # still a KeyError for callers
        load_schema(REPO, "visits").field("nope")
