"""visitdata.sqlite: the release as one SQLite database, derived from the release's own schemas."""

import os
import sqlite3
import subprocess
import sys

import pyarrow.parquet as pq
import pytest

from visitdata.build import sha256
from visitdata.sqlite import SQLITE_NAME, release_schemas, write_sqlite


@pytest.fixture(scope="module")
def db(release):
    con = sqlite3.connect(write_sqlite(release))
    yield con
    con.close()


def test_byte_reproducible(release, tmp_path):
    a = write_sqlite(release, tmp_path / "a.sqlite")
    b = write_sqlite(release, tmp_path / "b" / "other-name.sqlite")
    assert sha256(a) == sha256(b)
    assert write_sqlite(release) == release / SQLITE_NAME
    assert not [p for p in tmp_path.rglob(".*")], "no temporary or journal file is left behind"


def test_same_bytes_from_another_process_and_hash_seed(release, tmp_path):
    code = "import sys; from pathlib import Path; from visitdata.sqlite import write_sqlite; write_sqlite(Path(sys.argv[1]), Path(sys.argv[2]))"
    subprocess.run(
        [sys.executable, "-c", code, str(release), str(tmp_path / "c.sqlite")],
        check=True,
        env={**os.environ, "PYTHONHASHSEED": "12345"},
    )
    assert sha256(tmp_path / "c.sqlite") == sha256(write_sqlite(release, tmp_path / "d.sqlite"))


def test_every_table_with_every_column_and_row_in_primary_key_order(release, db):
    for name, schema in release_schemas(release).items():
        info = db.execute(f'PRAGMA table_info("{name}")').fetchall()
        assert [c[1] for c in info] == schema.field_names
        parquet = pq.read_table(release / f"{name}.parquet")
        rows = db.execute(f'SELECT * FROM "{name}" ORDER BY rowid').fetchall()
        assert len(rows) == parquet.num_rows
        key = [schema.field_names.index(k) for k in schema.primary_key]
        assert [tuple(r[i] for i in key) for r in rows] == sorted(tuple(r[i] for i in key) for r in rows)
    assert db.execute(
        "SELECT start_date, start_date_earliest, end_date_latest, visit_type FROM visits WHERE visit_id = 'v2'"
    ).fetchone() == ("2019-06", "2019-06-01", "2019-06-30", "unspecified")


def test_types_and_constraints_come_from_the_schemas(db):
    cols = {c[1]: c for c in db.execute('PRAGMA table_info("visits")')}
    assert cols["start_date_earliest"][2] == "TEXT" and cols["visit_id"][5] == 1  # primary key
    assert cols["host_country"][3] == 1 and cols["place"][3] == 0  # NOT NULL only where required
    fks = {(r[2], r[3], r[4]) for r in db.execute('PRAGMA foreign_key_list("attendees")')}
    assert fks == {
        ("visits", "visit_id", "visit_id"),
        ("persons", "person_id", "person_id"),
        ("roles", "role_id", "role_id"),
    }
    assert db.execute("PRAGMA foreign_key_check").fetchall() == []
    assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    assert db.execute("PRAGMA journal_mode").fetchone() == ("delete",)
    with pytest.raises(sqlite3.IntegrityError, match="CHECK"):
        db.execute(
            "INSERT INTO visits (visit_id, host_country, visitor_country, start_date, end_date, visit_type, status, "
            "source_ids) VALUES ('x', 'PRK', 'CHN', '2020', '2020', 'holiday', 'took_place', 's1')"
        )
    db.rollback()


def test_indexes_on_foreign_keys_and_filters(db):
    indexed = {
        (r[0], r[1])
        for r in db.execute(
            "SELECT m.name, i.name FROM sqlite_master m, pragma_index_info(m.name) i WHERE m.type = 'index' AND i.seqno = 0"
        )
    }
    columns = {c for _, c in indexed}
    for column in ("host_country", "start_date_earliest", "person_id", "role_id", "country_code", "source_id"):
        assert column in columns, column
    assert ("idx_visits_host_country", "host_country") in indexed


def test_source_lists_become_link_tables(db):
    assert db.execute("SELECT person_id, source_id, position FROM persons_sources ORDER BY 1, 3").fetchall() == [
        ("p-a", "s1", 1),
        ("p-b", "s1", 1),
        ("p-b", "s2", 2),
        ("p-c", "s2", 1),
    ]
    fks = {r[2] for r in db.execute('PRAGMA foreign_key_list("attendees_sources")')}
    assert fks == {"attendees", "sources"}


def test_full_text_search_over_names_places_and_occasions(db):
    assert db.execute(
        "SELECT p.person_id FROM persons_fts f JOIN persons p ON p.rowid = f.rowid WHERE persons_fts MATCH 'person b'"
    ).fetchall() == [("p-b",)]
    assert db.execute(
        "SELECT v.visit_id FROM visits_fts f JOIN visits v ON v.rowid = f.rowid WHERE visits_fts MATCH 'pyongyang'"
    ).fetchall() == [("v1",)]
    assert db.execute(
        "SELECT v.visit_id FROM visits_fts f JOIN visits v ON v.rowid = f.rowid WHERE visits_fts MATCH 'announced'"
    ).fetchall() == [("v3",)]


def test_release_table_and_summary_view(db):
    info = dict(db.execute("SELECT key, value FROM release"))
    assert info["version"] and info["licenses"] == "CC-BY-4.0"
    assert db.execute(
        "SELECT visit_id, year, lead_name, visitor_country, host_country_name FROM visit_summary ORDER BY visit_id"
    ).fetchall()[:2] == [("v1", 2019, "Person A", "CHN", "North Korea"), ("v2", 2019, "Person B", "PRK", "China")]
