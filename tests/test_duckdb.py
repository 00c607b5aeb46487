"""visitdata.connect(): DuckDB views over the release's Parquet files (optional extra)."""

import subprocess
import sys

import pytest

from visitdata.duck import connect
from visitdata.errors import MissingExtraError


def test_one_view_per_table_over_the_parquet_files(release):
    con = connect(release)
    names = {
        r[0]
        for r in con.execute("SELECT table_name FROM information_schema.tables WHERE table_type = 'VIEW'").fetchall()
    }
    assert {"sources", "countries", "persons", "roles", "visits", "attendees"} <= names
    rows = con.execute("""
        SELECT v.visit_id, p.name, v.host_country, v.start_date_earliest
        FROM visits v JOIN attendees a USING (visit_id) JOIN persons p USING (person_id)
        WHERE a.participation = 'lead' AND v.start_date_latest >= DATE '2019-01-01' ORDER BY v.visit_id""").fetchall()
    assert [(r[0], r[1], r[2]) for r in rows] == [
        ("v1", "Person A", "PRK"),
        ("v2", "Person B", "CHN"),
        ("v3", "Person A", "PRK"),
    ]
    assert str(rows[0][3]) == "2019-06-20"


def test_the_installed_release_by_default():
    assert connect().execute("SELECT count(*) FROM visits").fetchone()[0] > 0


def test_importing_the_module_does_not_import_duckdb():
    code = "import sys, visitdata, visitdata.duck; assert 'duckdb' not in sys.modules"
    subprocess.run([sys.executable, "-c", code], check=True)


def test_a_clear_error_names_the_extra(release, monkeypatch):
    monkeypatch.setitem(sys.modules, "duckdb", None)
    with pytest.raises(MissingExtraError, match=r"visitdata\[duckdb\]"):
        connect(release)
