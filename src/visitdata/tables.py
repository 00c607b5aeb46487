"""Read the Frictionless Table Schemas in ``schemas/``: the one truth about columns.

Everything else (pandera checks, Parquet types, the release descriptor, the README's data
dictionary) is derived from what this module reads.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

from .errors import UnknownNameError

#: Tables in dependency order: a table only references tables before it.
TABLE_NAMES: tuple[str, ...] = (
    "sources",
    "countries",
    "states",
    "state_crosswalk",
    "persons",
    "roles",
    "visits",
    "attendees",
    "retired_ids",
    "person_reviews",
    "person_identifiers",
    "role_identifiers",
    "coverage",
)

#: Table Schema property marking a string field that holds a partial date (YYYY[-MM[-DD]]).
PARTIAL_DATE = "x-partial-date"
#: Table Schema property on a list field whose items reference another table's key.
LIST_REFERENCES = "x-references"
#: Table Schema property describing each value of an ``enum`` constraint.
ENUM_DESCRIPTIONS = "x-enum-descriptions"


@dataclass(frozen=True)
class Field:
    """One column of a table, as its Table Schema describes it."""

    descriptor: dict[str, Any]

    @property
    def name(self) -> str:
        return self.descriptor["name"]

    @property
    def type(self) -> str:
        return self.descriptor.get("type", "string")

    @property
    def description(self) -> str:
        return self.descriptor.get("description", "")

    @property
    def constraints(self) -> dict[str, Any]:
        return self.descriptor.get("constraints", {})

    @property
    def required(self) -> bool:
        return bool(self.constraints.get("required", False))

    @property
    def enum(self) -> list[str] | None:
        return self.constraints.get("enum")

    @property
    def pattern(self) -> str | None:
        return self.constraints.get("pattern")

    @property
    def is_partial_date(self) -> bool:
        return bool(self.descriptor.get(PARTIAL_DATE, False))

    @property
    def is_list(self) -> bool:
        return self.type == "list"

    @property
    def delimiter(self) -> str:
        return self.descriptor.get("delimiter", ",")

    @property
    def list_reference(self) -> dict[str, str] | None:
        return self.descriptor.get(LIST_REFERENCES)

    @property
    def enum_descriptions(self) -> dict[str, str]:
        return self.descriptor.get(ENUM_DESCRIPTIONS, {})


@dataclass(frozen=True)
class ForeignKey:
    fields: tuple[str, ...]
    resource: str
    reference_fields: tuple[str, ...]


@dataclass(frozen=True)
class TableSchema:
    """A table's Table Schema, with typed access to what the code needs."""

    name: str
    descriptor: dict[str, Any] = field(repr=False)

    @cached_property
    def fields(self) -> tuple[Field, ...]:
        return tuple(Field(f) for f in self.descriptor["fields"])

    @property
    def field_names(self) -> list[str]:
        return [f.name for f in self.fields]

    def field(self, name: str) -> Field:
        for f in self.fields:
            if f.name == name:
                return f
        raise UnknownNameError(f"table {self.name!r} has no column {name!r}; columns: {', '.join(self.field_names)}")

    @property
    def description(self) -> str:
        return self.descriptor.get("description", "")

    @property
    def primary_key(self) -> list[str]:
        return list(self.descriptor.get("primaryKey", []))

    @property
    def foreign_keys(self) -> list[ForeignKey]:
        """Declared foreign keys plus the per-item references of list fields."""
        keys = [
            ForeignKey(tuple(fk["fields"]), fk["reference"]["resource"], tuple(fk["reference"]["fields"]))
            for fk in self.descriptor.get("foreignKeys", [])
        ]
        for f in self.fields:
            if f.list_reference:
                ref = f.list_reference
                keys.append(ForeignKey((f.name,), ref["resource"], (ref["field"],)))
        return keys


def schemas_dir(root: Path) -> Path:
    return Path(root) / "schemas"


def load_schema(root: Path, name: str) -> TableSchema:
    """Read ``schemas/{name}.json`` below the project root."""
    if name not in TABLE_NAMES:
        raise UnknownNameError(f"unknown table {name!r}; valid tables: {', '.join(TABLE_NAMES)}")
    path = schemas_dir(root) / f"{name}.json"
    with open(path, encoding="utf-8") as f:
        return TableSchema(name, json.load(f))


def load_schemas(root: Path) -> dict[str, TableSchema]:
    return {name: load_schema(root, name) for name in TABLE_NAMES}
