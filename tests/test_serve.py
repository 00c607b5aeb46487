"""visitdata serve: Datasette metadata generated from the schemas, and canned queries that run."""

import asyncio
import importlib.util
import json
import sqlite3

import pytest

from visitdata import serve as serve_module
from visitdata.errors import MissingExtraError
from visitdata.serve import datasette_command, datasette_metadata, ensure_datasette, templates_dir
from visitdata.sqlite import release_schemas


def test_metadata_comes_from_the_schemas(release):
    meta = datasette_metadata(release)
    assert meta["license"] == "CC-BY-4.0" and meta["license_url"].startswith("https://creativecommons.org/")
    tables = meta["databases"]["visitdata"]["tables"]
    for name, schema in release_schemas(release).items():
        assert tables[name]["description"] == schema.description
        for f in schema.fields:
            assert tables[name]["columns"][f.name].startswith(f.description)
    assert "Values: state (State visit.)" in tables["visits"]["columns"]["visit_type"]
    assert tables["visits"]["facets"][:2] == ["host_country", "visit_type"]
    assert tables["attendees"]["facets"] == ["participation"]
    assert "year" in tables["visit_summary"]["facets"]
    assert tables["persons"]["label_column"] == "name" and tables["persons"]["fts_table"] == "persons_fts"
    json.dumps(meta)  # plain JSON


def _query(release, name, **params):
    sql = datasette_metadata(release)["databases"]["visitdata"]["queries"][name]["sql"]
    con = sqlite3.connect(release / "visitdata.sqlite")
    con.row_factory = sqlite3.Row
    return [dict(r) for r in con.execute(sql, params)]


def test_canned_query_a_persons_visits_with_the_office_held(release):
    rows = _query(release, "person_visits", person_id="p-a")
    assert [(r["visit_id"], r["participation"], r["office"], r["host_country_name"]) for r in rows] == [
        ("v1", "lead", "President", "North Korea"),
        ("v3", "lead", "President", "North Korea"),
    ]


def test_canned_query_a_countrys_visitors_by_year(release):
    rows = _query(release, "country_visitors", country="chn")
    assert [(r["year"], r["visitor"], r["visitor_country"]) for r in rows] == [
        (1990, "Person C", "SUN"),  # the visiting state is known though the lead has no office
        (2019, "Person B", "PRK"),
    ]


def test_canned_query_a_visits_attendees_with_roles_and_sources(release):
    rows = _query(release, "visit_attendees", visit_id="v1")
    assert [(r["name"], r["participation"], r["office"]) for r in rows] == [
        ("Person A", "lead", "President"),
        ("Person B", "host", "Chairman"),
    ]
    assert rows[0]["sources"] == "Example News: A report <https://example.org/a>"


def test_command_listens_on_loopback_by_default(tmp_path):
    cmd = datasette_command(tmp_path / "visitdata.sqlite", tmp_path / "metadata.json")
    assert cmd[cmd.index("--host") + 1] == "127.0.0.1" and "--immutable" in cmd


def test_missing_datasette_names_the_extra(monkeypatch):
    monkeypatch.setattr(serve_module.importlib.util, "find_spec", lambda name: None)
    with pytest.raises(MissingExtraError, match=r"visitdata\[explore\]"):
        ensure_datasette()


def test_datasette_accepts_the_metadata_and_serves_the_pages(release):
    """In-process Datasette (no port, no browser): the pages a person opens answer 200."""
    if importlib.util.find_spec("datasette") is None:
        pytest.fail("datasette is part of the test extra: pip install -e '.[test]'")
    from datasette.app import Datasette

    ds = Datasette(
        [str(release / "visitdata.sqlite")], metadata=datasette_metadata(release), template_dir=str(templates_dir())
    )

    async def pages():
        out = {}
        for path in (
            "/visitdata/persons?_search=Person+B",
            "/visitdata/visits/v1",
            "/visitdata/person_visits?person_id=p-a",
            "/visitdata/visit_summary?_facet=year",
            "/visitdata/visit_attendees.json?visit_id=v1&_shape=array",
        ):
            response = await ds.client.get(path)
            out[path] = (response.status_code, response.text)
        return out

    result = asyncio.run(pages())
    assert {p: s for p, (s, _) in result.items()} == dict.fromkeys(result, 200)
    assert "p-b" in result["/visitdata/persons?_search=Person+B"][1]
    assert "Person A" not in result["/visitdata/persons?_search=Person+B"][1].split("<tbody>")[1]
    visit = result["/visitdata/visits/v1"][1]
    assert ">Pyongyang<" in visit and ">PRK<" in visit
    assert "Country where the visit took place" in visit  # each field with its description
    assert "/visitdata/visit_attendees?visit_id=v1" in visit  # and the canned query for this visit
    assert 'href="/visitdata/countries/PRK"' in visit  # foreign keys link to their record
    assert json.loads(result["/visitdata/visit_attendees.json?visit_id=v1&_shape=array"][1])[0]["name"] == "Person A"


@pytest.mark.slow
@pytest.mark.skipif(importlib.util.find_spec("datasette") is None, reason="needs visitdata[explore]")
def test_stopping_serve_stops_datasette_too(release, tmp_path):
    """A SIGTERM to `visitdata serve` (a supervisor, a test) must not leave Datasette running."""
    import socket
    import subprocess
    import sys
    import time
    import urllib.request

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    url = f"http://127.0.0.1:{port}/-/versions.json"
    command = [
        sys.executable,
        "-c",
        "from visitdata.cli import run; run()",
        "serve",
        "--port",
        str(port),
        "--release",
        str(release),
    ]
    proc = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                urllib.request.urlopen(url, timeout=2).read()
                break
            except OSError:
                assert proc.poll() is None and time.monotonic() < deadline, "visitdata serve did not start"
                time.sleep(0.2)
        proc.terminate()
        assert proc.wait(timeout=20) == 0
        with pytest.raises(OSError):  # nobody listens any more
            urllib.request.urlopen(url, timeout=2).read()
    finally:
        if proc.poll() is None:
            proc.kill()
