"""Write ``visitdata.sqlite``: the release's tables as one SQLite database, for SQL and Datasette.

Everything is derived from the release itself (its ``datapackage.json`` and Parquet files), so
the database can never disagree with the Parquet files it sits beside:

- one table per resource, with SQLite types, ``NOT NULL`` and enum ``CHECK`` constraints,
  ``PRIMARY KEY`` and ``FOREIGN KEY`` clauses taken from each resource's Table Schema;
- for every ``;``-separated list of ids (``source_ids``), a link table such as
  ``visits_sources(visit_id, source_id, position)`` with real foreign keys, so SQL can join a
  row to its sources and Datasette can show which rows cite a source;
- indexes on every foreign key and on the columns people filter on;
- FTS5 tables over person names (``persons_fts``) and over the places and occasions of
  visits (``visits_fts``), as external-content tables that Datasette recognises.

Same release in, same bytes out (with the same SQLite library): rows are inserted in the
Parquet files' primary-key order, nothing records a time, and the file is ``VACUUM``-ed in
rollback-journal mode with a fixed page size before it is moved into place.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import sqlite3
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .arrow import LIST_OF
from .tables import LIST_REFERENCES, TableSchema

#: File name of the database inside a release folder.
SQLITE_NAME = "visitdata.sqlite"
#: Table holding the release's name, version, creation date and licence.
RELEASE_TABLE = "release"

_SQL_TYPES = {
    "string": "TEXT",
    "date": "TEXT",
    "integer": "INTEGER",
    "number": "REAL",
    "boolean": "INTEGER",
    "list": "TEXT",
}

#: Columns people filter or sort on, indexed besides the foreign keys.
FILTER_INDEXES: dict[str, tuple[tuple[str, ...], ...]] = {
    "visits": (("host_country",), ("start_date_earliest",), ("visit_type",), ("trip_id",)),
    "attendees": (("person_id",), ("participation",)),
    "roles": (("person_id",), ("country_code",), ("role_type",)),
}

#: Full-text search: FTS5 table name -> (content table, columns indexed).
FTS_TABLES: dict[str, tuple[str, tuple[str, ...]]] = {
    "persons_fts": ("persons", ("name", "name_native")),
    "visits_fts": ("visits", ("place", "occasion")),
}


#: Views for browsing, created when the tables they read exist: one row per visit with its year,
#: the host country's name and the lead (the first lead by person_id, where several share it).
VIEWS: dict[str, tuple[tuple[str, ...], str]] = {
    "visit_summary": (
        ("visits", "attendees", "persons", "roles", "countries"),
        """
SELECT v.visit_id, CAST(substr(v.start_date, 1, 4) AS INTEGER) AS year, v.start_date, v.end_date,
       v.host_country, hc.name AS host_country_name, v.place, v.visit_type, v.status, v.occasion,
       l.person_id AS lead_person_id, p.name AS lead_name, r.title AS lead_office,
       v.visitor_country, vc.name AS visitor_country_name,
       v.host_cow, v.host_gw, v.visitor_cow, v.visitor_gw,
       (SELECT count(*) FROM attendees a WHERE a.visit_id = v.visit_id) AS attendees,
       v.trip_id, v.start_date_earliest
FROM visits v
LEFT JOIN attendees l ON l.visit_id = v.visit_id AND l.participation = 'lead'
     AND l.person_id = (SELECT min(a.person_id) FROM attendees a WHERE a.visit_id = v.visit_id AND a.participation = 'lead')
LEFT JOIN persons p ON p.person_id = l.person_id
LEFT JOIN roles r ON r.role_id = l.role_id
LEFT JOIN countries hc ON hc.country_code = v.host_country
LEFT JOIN countries vc ON vc.country_code = v.visitor_country""",
    ),
}


@dataclass(frozen=True)
class LinkTable:
    """The link table that unnests one list-of-ids column (e.g. ``visits.source_ids``)."""

    name: str
    table: str
    column: str
    key: tuple[str, ...]  # the owning table's primary key
    target: str  # referenced table
    target_field: str
    delimiter: str

    @property
    def item(self) -> str:
        return self.target_field


def _q(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def release_schemas(release_dir: Path) -> dict[str, TableSchema]:
    """The Table Schema of each resource of a release, in the descriptor's (dependency) order."""
    with open(Path(release_dir) / "datapackage.json", encoding="utf-8") as f:
        descriptor = json.load(f)
    return {r["name"]: TableSchema(r["name"], r["schema"]) for r in descriptor["resources"]}


def link_tables(schemas: dict[str, TableSchema]) -> list[LinkTable]:
    """One link table per list-of-ids column that references another table."""
    links = []
    for name, schema in schemas.items():
        for f in schema.fields:
            ref = f.descriptor.get(LIST_REFERENCES)
            if ref and ref["resource"] in schemas and schema.primary_key:
                links.append(
                    LinkTable(
                        f"{name}_{ref['resource']}",
                        name,
                        f.name,
                        tuple(schema.primary_key),
                        ref["resource"],
                        ref["field"],
                        f.descriptor.get(LIST_OF, {}).get("delimiter", f.delimiter),
                    )
                )
    return links


def create_table_sql(schema: TableSchema, tables: set[str]) -> str:
    """``CREATE TABLE`` for one resource: types, NOT NULL, enum CHECKs, primary and foreign keys."""
    lines = []
    for f in schema.fields:
        col = f"{_q(f.name)} {_SQL_TYPES.get(f.type, 'TEXT')}"
        if f.required or f.name in schema.primary_key:
            col += " NOT NULL"
        if f.enum:
            values = ", ".join("'" + v.replace("'", "''") + "'" for v in f.enum)
            col += f" CHECK ({_q(f.name)} IN ({values}))"
        lines.append(col)
    if schema.primary_key:
        lines.append(f"PRIMARY KEY ({', '.join(map(_q, schema.primary_key))})")
    for fk in schema.descriptor.get("foreignKeys", []):
        target = fk["reference"]["resource"] or schema.name
        if target in tables:
            lines.append(
                f"FOREIGN KEY ({', '.join(map(_q, fk['fields']))}) "
                f"REFERENCES {_q(target)} ({', '.join(map(_q, fk['reference']['fields']))})"
            )
    return f"CREATE TABLE {_q(schema.name)} (\n  " + ",\n  ".join(lines) + "\n)"


def _link_sql(link: LinkTable) -> str:
    cols = [f"{_q(k)} TEXT NOT NULL" for k in link.key] + [
        f"{_q(link.item)} TEXT NOT NULL",
        '"position" INTEGER NOT NULL',
    ]
    cols.append(f"PRIMARY KEY ({', '.join(map(_q, (*link.key, link.item)))})")
    cols.append(
        f"FOREIGN KEY ({', '.join(map(_q, link.key))}) REFERENCES {_q(link.table)} ({', '.join(map(_q, link.key))})"
    )
    cols.append(f"FOREIGN KEY ({_q(link.item)}) REFERENCES {_q(link.target)} ({_q(link.target_field)})")
    # WITHOUT ROWID: the primary key is the table, so it is not stored twice.
    return f"CREATE TABLE {_q(link.name)} (\n  " + ",\n  ".join(cols) + "\n) WITHOUT ROWID"


def _indexes(schemas: dict[str, TableSchema], links: list[LinkTable]) -> list[tuple[str, str, tuple[str, ...]]]:
    """(index name, table, columns): foreign keys and filter columns, minus those a primary key covers."""
    wanted: list[tuple[str, tuple[str, ...]]] = []
    for name, schema in schemas.items():
        for fk in schema.descriptor.get("foreignKeys", []):
            wanted.append((name, tuple(fk["fields"])))
        wanted += [(name, cols) for cols in FILTER_INDEXES.get(name, ()) if set(cols) <= set(schema.field_names)]
    wanted += [(link.name, (link.item,)) for link in links]
    out, seen = [], set()
    for table, cols in wanted:
        pk = tuple(schemas[table].primary_key) if table in schemas else ()
        if (table, cols) in seen or pk[: len(cols)] == cols:
            continue  # the primary key's index already serves it
        seen.add((table, cols))
        out.append((f"idx_{table}_{'_'.join(cols)}", table, cols))
    return out


def _python(value: Any) -> Any:
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, bool):
        return int(value)
    return value


def _rows(path: Path, columns: list[str]) -> Iterator[tuple[Any, ...]]:
    """The rows of a Parquet file as tuples of SQLite values (dates as ISO text, booleans as 0/1).

    Converted column by column (only date columns go through Python one value at a time), then
    zipped into rows: converting value by value costs more than SQLite's inserts.
    """
    import pyarrow as pa
    import pyarrow.parquet as pq

    table = pq.read_table(path, columns=columns)
    for batch in table.to_batches(max_chunksize=10_000):
        yield from zip(*(_values(batch.column(c), pa) for c in columns), strict=True)


def _values(column: Any, pa: Any) -> list[Any]:
    """One column's values as :func:`_python` gives them: Arrow's ISO text of a date (years 1 to
    9999, all a ``date`` can hold) is ``date.isoformat()``'s."""
    kind = column.type
    if pa.types.is_dictionary(kind):
        column, kind = column.cast(kind.value_type), kind.value_type
    if pa.types.is_boolean(kind):
        return column.cast(pa.int64()).to_pylist()
    if pa.types.is_date(kind):
        return column.cast(pa.string()).to_pylist()
    if pa.types.is_timestamp(kind) or pa.types.is_nested(kind):
        return [_python(v) for v in column.to_pylist()]
    return column.to_pylist()


def _release_rows(release_dir: Path) -> list[tuple[str, str]]:
    with open(Path(release_dir) / "datapackage.json", encoding="utf-8") as f:
        d = json.load(f)
    licences = "; ".join(lic.get("name", lic.get("path", "")) for lic in d.get("licenses", []))
    return [
        (k, str(v))
        for k, v in (
            ("name", d.get("name", "")),
            ("title", d.get("title", "")),
            ("version", d.get("version", "")),
            ("created", d.get("created", "")),
            ("licenses", licences),
        )
        if v
    ]


def write_sqlite(release_dir: Path, out: Path | None = None) -> Path:
    """Write the release's tables to ``out`` (default: ``visitdata.sqlite`` in the release) and return it.

    The file is written beside ``out`` and renamed into place, so a reader never sees half a
    database.
    """
    release_dir = Path(release_dir)
    out = Path(out) if out is not None else release_dir / SQLITE_NAME
    schemas = release_schemas(release_dir)
    links = link_tables(schemas)
    out.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(dir=out.parent, prefix=f".{out.name}.", suffix=".tmp")
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        con = sqlite3.connect(tmp, isolation_level=None)
        try:
            _fill(con, release_dir, schemas, links)
        finally:
            con.close()
        tmp.chmod(0o644)
        os.replace(tmp, out)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return out


def _fill(con: sqlite3.Connection, release_dir: Path, schemas: dict[str, TableSchema], links: list[LinkTable]) -> None:
    for pragma in (
        "page_size = 4096",
        "encoding = 'UTF-8'",
        "journal_mode = DELETE",
        "foreign_keys = ON",
        "auto_vacuum = NONE",
        "user_version = 0",
        "application_id = 0",
        # Speed only, neither stored in the file: a page cache of 256 MiB (SQLite's
        # sorts for the indexes and link tables spill to disk beyond it) and no waiting
        # for the disk (the file is a temporary one, renamed into place once complete).
        # Not temp_store = MEMORY: VACUUM would hold a copy of the whole database.
        "cache_size = -262144",
        "synchronous = OFF",
    ):
        con.execute(f"PRAGMA {pragma}")
    con.execute("BEGIN")
    con.execute(f"CREATE TABLE {_q(RELEASE_TABLE)} (key TEXT PRIMARY KEY NOT NULL, value TEXT NOT NULL)")
    con.executemany(f"INSERT INTO {_q(RELEASE_TABLE)} VALUES (?, ?)", _release_rows(release_dir))
    for name, schema in schemas.items():
        con.execute(create_table_sql(schema, set(schemas)))
        cols = schema.field_names
        con.executemany(
            f"INSERT INTO {_q(name)} ({', '.join(map(_q, cols))}) VALUES ({', '.join('?' * len(cols))})",
            _rows(release_dir / f"{name}.parquet", cols),
        )
    for link in links:
        con.execute(_link_sql(link))
        key = ", ".join(map(_q, link.key))
        # Unnest the list in SQL with a recursive split, keeping each item's position.
        con.execute(f"""
            INSERT INTO {_q(link.name)}
            WITH RECURSIVE split(k, item, rest, position) AS (
              SELECT {key if len(link.key) == 1 else "json_array(" + key + ")"}, '', {_q(link.column)} || '{link.delimiter}', 0
              FROM {_q(link.table)} WHERE {_q(link.column)} IS NOT NULL AND {_q(link.column)} != ''
              UNION ALL
              SELECT k, substr(rest, 1, instr(rest, '{link.delimiter}') - 1),
                     substr(rest, instr(rest, '{link.delimiter}') + 1), position + 1
              FROM split WHERE rest != ''
            )
            SELECT {_unpack_key(link)}, item, position FROM split WHERE position > 0
            ORDER BY {", ".join(str(i + 1) for i in range(len(link.key)))}, {len(link.key) + 2}""")
    for index, table, cols in _indexes(schemas, links):
        con.execute(f"CREATE INDEX {_q(index)} ON {_q(table)} ({', '.join(map(_q, cols))})")
    for view, (needs, sql) in VIEWS.items():
        if set(needs) <= set(schemas):
            con.execute(f"CREATE VIEW {_q(view)} AS{sql}")
    for fts, (table, cols) in FTS_TABLES.items():
        if table in schemas and set(cols) <= set(schemas[table].field_names):
            con.execute(
                f"CREATE VIRTUAL TABLE {_q(fts)} USING fts5({', '.join(map(_q, cols))}, "
                f"content={_q(table)}, content_rowid='rowid', tokenize='unicode61 remove_diacritics 2')"
            )
            con.execute(f"INSERT INTO {_q(fts)}({_q(fts)}) VALUES ('rebuild')")
    con.execute("COMMIT")
    problems = con.execute("PRAGMA foreign_key_check").fetchall()
    if problems:
        raise ValueError(f"the release breaks its own foreign keys: {problems[:5]}")
    con.execute("ANALYZE")
    con.execute("VACUUM")


def _unpack_key(link: LinkTable) -> str:
    if len(link.key) == 1:
        return "k"
    return ", ".join(f"json_extract(k, '$[{i}]')" for i in range(len(link.key)))
