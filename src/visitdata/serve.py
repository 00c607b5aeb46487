"""``visitdata serve``: browse ``visitdata.sqlite`` with Datasette on this machine.

Datasette is an optional extra (``pip install 'visitdata[explore]'``) and is run as a child
process, so this module imports it never. Its metadata (titles, descriptions of every table and
column, licence, sources, facets, canned queries) is generated from the release's Table Schemas,
the one description of the data, by :func:`datasette_metadata`.
"""

from __future__ import annotations

import argparse
import contextlib
import importlib.util
import json
import signal
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from .errors import MissingExtraError
from .extras import missing_extra
from .sqlite import FTS_TABLES, RELEASE_TABLE, SQLITE_NAME, VIEWS, link_tables, release_schemas, write_sqlite

#: The extra that installs Datasette.
EXTRA = "explore"
DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8001

#: Facets shown on each table or view (only those whose columns exist are used).
FACETS: dict[str, list[str]] = {
    "visits": ["host_country", "visit_type", "status", "start_date_precision"],
    "visit_summary": ["year", "host_country", "visitor_country", "visit_type"],
    "attendees": ["participation"],
    "roles": ["role_type", "country_code", "end_status"],
    "sources": ["source_type", "publisher", "language"],
    "countries": ["iso_status"],
}
#: Column that names a row where another table links to it.
LABEL_COLUMNS = {"persons": "name", "countries": "name", "roles": "title", "sources": "title"}
#: Table metadata key (ours) naming, per foreign-key column, the table a record page links it to.
ROW_LINKS = "x-visitdata-links"
SORT_DESC = {"visits": "start_date_earliest", "visit_summary": "start_date_earliest"}

#: Canned queries: name -> (title, description, SQL, tables needed).
QUERIES: dict[str, tuple[str, str, str, tuple[str, ...]]] = {
    "person_visits": (
        "A person's visits, with the office held each time",
        "Every visit a person took part in (person_id, e.g. kim-jong-un), in date order, with how they "
        "took part and the office they held at the time (empty where no source gives it).",
        """SELECT v.visit_id, v.start_date, v.end_date, v.host_country, c.name AS host_country_name, v.place,
       v.visit_type, v.status, a.participation, r.title AS office, r.country_code AS office_country, v.occasion
FROM attendees a
JOIN visits v ON v.visit_id = a.visit_id
JOIN countries c ON c.country_code = v.host_country
LEFT JOIN roles r ON r.role_id = a.role_id
WHERE a.person_id = :person_id
ORDER BY v.start_date_earliest, v.visit_id""",
        ("attendees", "visits", "countries", "roles"),
    ),
    "country_visitors": (
        "A country's visitors by year",
        "Who led each visit to a host country (ISO alpha-3, e.g. PRK), by year, with the office and "
        "country of the lead at the time.",
        """SELECT CAST(substr(v.start_date, 1, 4) AS INTEGER) AS year, v.start_date, p.name AS visitor,
       a.person_id, r.title AS office, v.visitor_country, v.visit_type, v.place, v.visit_id
FROM visits v
JOIN attendees a ON a.visit_id = v.visit_id AND a.participation = 'lead'
JOIN persons p ON p.person_id = a.person_id
LEFT JOIN roles r ON r.role_id = a.role_id
WHERE v.host_country = upper(:country)
ORDER BY v.start_date_earliest, v.visit_id, a.person_id""",
        ("visits", "attendees", "persons", "roles"),
    ),
    "visit_attendees": (
        "A visit's attendees, with their roles and sources",
        "Everyone recorded at one visit (visit_id), with how they took part, the office they held, "
        "and the sources for each attendance.",
        """SELECT a.person_id, p.name, a.participation, r.title AS office, r.country_code AS office_country,
       a.source_ids,
       (SELECT group_concat(label, ' | ') FROM (
          SELECT s.publisher || ': ' || s.title || coalesce(' <' || s.url || '>', '') AS label
          FROM attendees_sources x JOIN sources s ON s.source_id = x.source_id
          WHERE x.visit_id = a.visit_id AND x.person_id = a.person_id ORDER BY x.position)) AS sources,
       a.notes
FROM attendees a
JOIN persons p ON p.person_id = a.person_id
LEFT JOIN roles r ON r.role_id = a.role_id
WHERE a.visit_id = :visit_id
ORDER BY CASE a.participation WHEN 'lead' THEN 0 WHEN 'delegation_member' THEN 1 WHEN 'host' THEN 2 ELSE 3 END, p.name""",
        ("attendees", "persons", "roles", "sources", "attendees_sources"),
    ),
}


def _descriptor(release_dir: Path) -> dict[str, Any]:
    with open(Path(release_dir) / "datapackage.json", encoding="utf-8") as f:
        return json.load(f)


def _enum_text(field: dict[str, Any]) -> str:
    values = field.get("constraints", {}).get("enum")
    if not values:
        return ""
    described = field.get("x-enum-descriptions", {})
    return " Values: " + "; ".join(f"{v}" + (f" ({described[v]})" if v in described else "") for v in values)


def datasette_metadata(release_dir: Path, database: str = Path(SQLITE_NAME).stem) -> dict[str, Any]:
    """Datasette metadata for ``visitdata.sqlite``, generated from the release's descriptor and schemas."""
    descriptor = _descriptor(release_dir)
    schemas = release_schemas(release_dir)
    licence = (descriptor.get("licenses") or [{}])[0]
    tables: dict[str, Any] = {}
    for name, schema in schemas.items():
        meta: dict[str, Any] = {
            "description": schema.description,
            "columns": {f.name: (f.description + _enum_text(f.descriptor)).strip() for f in schema.fields},
        }
        facets = [c for c in FACETS.get(name, []) if c in schema.field_names]
        if facets:
            meta["facets"] = facets
        links = {
            fk["fields"][0]: fk["reference"]["resource"]
            for fk in schema.descriptor.get("foreignKeys", [])
            if len(fk["fields"]) == 1 and fk["reference"]["resource"] in schemas
        }
        if links:
            meta[ROW_LINKS] = links  # read by templates/row.html: Datasette's row page does not link them itself
        if name in LABEL_COLUMNS and LABEL_COLUMNS[name] in schema.field_names:
            meta["label_column"] = LABEL_COLUMNS[name]
        if name in SORT_DESC and SORT_DESC[name] in schema.field_names:
            meta["sort_desc"] = SORT_DESC[name]
        tables[name] = meta
    for link in link_tables(schemas):
        tables[link.name] = {
            "description": f"One row per item of {link.table}.{link.column}: which {link.target} each row of "
            f"{link.table} cites, in the order given (position).",
        }
    tables[RELEASE_TABLE] = {"description": "The release this database was built from: name, version, date, licence."}
    for view, (needs, _sql) in VIEWS.items():
        if set(needs) <= set(schemas):
            tables[view] = {
                "description": "One row per visit with its year, host country name and lead (the first by person_id "
                "where a visit has several): a convenient start for browsing.",
                "facets": FACETS.get(view, []),
                "sort_desc": SORT_DESC.get(view),
            }
    for fts, (table, _cols) in FTS_TABLES.items():
        tables[fts] = {"hidden": True}
        if table in tables:
            tables[table]["fts_table"] = fts
            tables[table]["fts_pk"] = "rowid"
    available = set(tables)
    queries = {
        name: {"title": title, "description": text, "sql": sql}
        for name, (title, text, sql, needs) in QUERIES.items()
        if set(needs) <= available
    }
    return {
        "title": descriptor.get("title", "visitdata"),
        "description": f"{descriptor.get('description', '')} Release {descriptor.get('version', '')}.".strip(),
        "license": licence.get("name", ""),
        "license_url": licence.get("path", ""),
        "source": "Every row names its sources: see the sources table",
        "source_url": f"/{database}/sources",
        "databases": {database: {"tables": tables, "queries": queries}},
    }


def ensure_datasette() -> None:
    """Raise :class:`MissingExtraError` naming the extra when Datasette is not installed."""
    if importlib.util.find_spec("datasette") is None:
        raise missing_extra("visitdata serve needs Datasette", EXTRA)


def templates_dir() -> Path:
    """Templates that show one record per page as field / value / meaning, with links to the canned queries."""
    return Path(__file__).resolve().parent / "templates"


def datasette_command(db: Path, metadata: Path, host: str = DEFAULT_HOST, port: int = DEFAULT_PORT) -> list[str]:
    """The ``datasette serve`` command line: immutable database, generated metadata, loopback by default."""
    return [
        sys.executable,
        "-m",
        "datasette",
        "serve",
        "--immutable",
        str(db),
        "--host",
        host,
        "--port",
        str(port),
        "--metadata",
        str(metadata),
        "--template-dir",
        str(templates_dir()),
        "--setting",
        "default_facet_size",
        "15",
        "--setting",
        "sql_time_limit_ms",
        "3000",
    ]


def serve(
    host: str = DEFAULT_HOST, port: int = DEFAULT_PORT, *, release_dir: Path | None = None, db: Path | None = None
) -> int:
    """Serve the release's database with Datasette until interrupted; return Datasette's exit code.

    Uses ``visitdata.sqlite`` from the release folder (default: the installed release) and writes
    it to a temporary folder first where the release has none.
    """
    ensure_datasette()
    if release_dir is None:
        from .load import release_dir as installed

        release_dir = installed()
    release_dir = Path(release_dir)
    with tempfile.TemporaryDirectory(prefix="visitdata-serve-") as tmp:
        if db is None:
            db = release_dir / SQLITE_NAME
            if not db.exists():
                db = write_sqlite(release_dir, Path(tmp) / SQLITE_NAME)
        metadata = Path(tmp) / "metadata.json"
        metadata.write_text(json.dumps(datasette_metadata(release_dir, Path(db).stem), indent=2), encoding="utf-8")
        return _run_until_stopped(datasette_command(Path(db), metadata, host, port))


def _run_until_stopped(command: list[str]) -> int:
    """Run Datasette until it ends or this process is asked to stop.

    Ctrl-C reaches both processes; a SIGTERM (from a supervisor, a test, ``kill``) reaches only
    this one, which would die and leave Datasette serving with nobody to stop it. Stopping is
    therefore passed on, and Datasette is waited for, so the temporary folder is removed too.
    """
    proc = subprocess.Popen(command)
    stopped: list[int] = []

    def stop(signum: int, _frame: object) -> None:
        stopped.append(signum)
        proc.terminate()

    previous = None
    with contextlib.suppress(ValueError):  # only the main thread may set handlers
        previous = signal.signal(signal.SIGTERM, stop)
    try:
        code = proc.wait()
        return 0 if stopped else code  # asked to stop, and stopped: a clean end, as with Ctrl-C
    except KeyboardInterrupt:
        proc.terminate()
        proc.wait()
        return 0
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        if previous is not None:
            signal.signal(signal.SIGTERM, previous)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The options of ``visitdata serve`` (shared by the CLI and ``python -m visitdata.serve``)."""
    parser.add_argument(
        "--host", default=DEFAULT_HOST, help=f"address to listen on (default {DEFAULT_HOST}: this machine only)"
    )
    parser.add_argument("--port", type=int, default=DEFAULT_PORT, help=f"port to listen on (default {DEFAULT_PORT})")
    parser.add_argument(
        "--release", type=Path, default=None, help="release folder to serve (default: the installed release)"
    )
    parser.add_argument(
        "--db", type=Path, default=None, help="SQLite database to serve (default: visitdata.sqlite of the release)"
    )


def run(args: argparse.Namespace) -> int:
    """Serve with parsed :func:`add_arguments` options."""
    return serve(args.host, args.port, release_dir=args.release, db=args.db)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m visitdata.serve", description="Browse the release with Datasette.")
    add_arguments(parser)
    try:
        return run(parser.parse_args(argv))
    except MissingExtraError as e:
        print(f"error: {e}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
