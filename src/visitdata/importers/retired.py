"""Honour ``data/retired_ids.csv`` in generated rows: a retired id is never written again.

References to a retired id follow its replacement (a curator's merge or rename); where it was
withdrawn without one, an optional reference is emptied and a row that needs it is dropped.
Keys and references come from the Table Schemas, so a new table or reference needs no code.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from pathlib import Path

from ..tables import TableSchema, load_schema
from .merge import Merger, cell

#: table -> retired id -> replacing id ('' when withdrawn)
Retired = dict[str, dict[str, str]]


def schemas_for(root: Path, tables: dict[str, list[dict[str, str]]]) -> dict[str, TableSchema]:
    """The schema of every table in ``tables`` and of every table they reference."""
    out = {name: load_schema(root, name) for name in tables}
    for schema in list(out.values()):
        for fk in schema.foreign_keys:
            out.setdefault(fk.resource, load_schema(root, fk.resource))
    return out


def read_retired(merger: Merger) -> Retired:
    """The retirements recorded below the merger's root (none if the table has no file).

    An unreadable ``retired_ids.csv`` stops the import, as any other unreadable table does.
    """
    retired: Retired = defaultdict(dict)
    for r in merger.read("retired_ids").to_dict("records"):
        retired[cell(r["table_name"])][cell(r["retired_id"])] = cell(r["replaced_by"])
    return retired


def apply_retirements(
    retired: Retired, tables: dict[str, list[dict[str, str]]], schemas: dict[str, TableSchema], stats: Counter
) -> dict[str, list[dict[str, str]]]:
    """Rewrite generated rows (``tables``: name -> rows) in place; return ``tables``.

    Counts ``retired_not_rewritten`` (rows of a retired key), ``retired_references_followed``
    and ``retired_rows_dropped`` (references to a withdrawn id) in ``stats``.
    """
    if not any(retired.values()):
        return tables
    for name, rows in tables.items():
        key = schemas[name].primary_key
        if len(key) == 1 and retired.get(name):
            kept = [r for r in rows if r[key[0]] not in retired[name]]
            stats["retired_not_rewritten"] += len(rows) - len(kept)
            tables[name] = kept
    for name, rows in tables.items():
        schema = schemas[name]
        singles = [
            (fk.fields[0], fk.resource, schema.field(fk.fields[0]).required)
            for fk in schema.foreign_keys
            if len(fk.fields) == 1 and fk.resource != name and not schema.field(fk.fields[0]).is_list
        ]
        lists = [
            (fk.fields[0], fk.resource, schema.field(fk.fields[0]).delimiter)
            for fk in schema.foreign_keys
            if schema.field(fk.fields[0]).is_list
        ]
        out = []
        for row in rows:
            drop = False
            for column, target, required in singles:
                gone = retired.get(target, {})
                if column in row and row[column] in gone:
                    new = gone[row[column]]
                    stats["retired_references_followed" if new else "retired_rows_dropped"] += 1
                    if new:
                        row[column] = new
                    elif not required:
                        row[column] = ""
                    else:
                        drop = True
            for column, target, delimiter in lists:
                gone = retired.get(target, {})
                ids = row.get(column, "").split(delimiter)
                if any(i in gone for i in ids):
                    ids = [gone.get(i, i) for i in ids]
                    row[column] = delimiter.join(dict.fromkeys(i for i in ids if i))
            if not drop:
                out.append(row)
        seen: set[tuple[str, ...]] = set()
        unique = []
        for row in out:
            key = tuple(row[c] for c in schema.primary_key)
            if key not in seen:
                seen.add(key)
                unique.append(row)
        tables[name] = unique
    return tables
