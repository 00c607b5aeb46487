import json
import shutil
import subprocess
import sys

import pyarrow.parquet as pq
import pytest

from conftest import TODAY, set_cell
from visitdata.build import BuildError, build, check, sha256
from visitdata.tables import TABLE_NAMES


def _files(folder):
    return {p.relative_to(folder).as_posix(): sha256(p) for p in sorted(folder.rglob("*")) if p.is_file()}


def test_build_writes_typed_parquet_descriptor_and_checksums(project):
    out = project / "release"
    result = build(project, out, today=TODAY)
    names = set(_files(out))
    assert {
        "SHA256SUMS",
        "datapackage.json",
        "visitdata.sqlite",
        "card/index.html",
        *[f"{t}.parquet" for t in TABLE_NAMES],
    } <= names
    visits = pq.read_table(out / "visits.parquet")
    assert str(visits.schema.field("start_date_earliest").type) == "date32[day]"
    assert str(visits.schema.field("visit_type").type) == "dictionary<values=string, indices=int8, ordered=0>"
    assert visits.column("visit_id").to_pylist() == ["v1", "v2", "v3", "v4"]
    assert visits.column("end_date_latest").to_pylist()[1].isoformat() == "2019-06-30"
    descriptor = json.loads((out / "datapackage.json").read_text())
    assert descriptor["version"] and descriptor["created"] and descriptor["licenses"]
    res = {r["name"]: r for r in descriptor["resources"]}
    assert res["visits"]["x-rows"] == 4 == result.rows["visits"]
    assert res["visits"]["hash"] == f"sha256:{sha256(out / 'visits.parquet')}"
    assert res["visits"]["x-bytes"] == (out / "visits.parquet").stat().st_size
    sums = dict(reversed(line.split("  ")) for line in (out / "SHA256SUMS").read_text().splitlines())
    # The folder's checksums list what the package ships (the database is published, not shipped).
    assert sums == {
        name: digest for name, digest in _files(out).items() if name not in ("SHA256SUMS", "visitdata.sqlite")
    }
    assert str(visits.schema.field("start_date_precision").type) == "dictionary<values=string, indices=int8, ordered=1>"


def test_build_is_byte_reproducible(project, tmp_path):
    build(project, tmp_path / "a", today=TODAY)
    build(project, tmp_path / "b", today=TODAY)
    assert _files(tmp_path / "a") == _files(tmp_path / "b")


def test_failed_build_writes_nothing_and_keeps_the_earlier_release(project):
    out = project / "release"
    build(project, out, today=TODAY)
    before = _files(out)
    descriptor = (project / "datapackage.json").read_text()
    set_cell(project, "visits", {"visit_id": "v1"}, "host_country", "XXX")
    with pytest.raises(BuildError) as e:
        build(project, out, today=TODAY)
    assert e.value.report is not None and e.value.report.errors[0].rule == "foreign-key"
    assert _files(out) == before
    assert (project / "datapackage.json").read_text() == descriptor
    assert [p.name for p in project.iterdir() if p.name.startswith(".")] == []


def test_check_mode_reports_a_stale_descriptor_and_release(project):
    out = project / "release"
    build(project, out, today=TODAY)
    assert check(project, out) == []
    set_cell(project, "visits", {"visit_id": "v1"}, "place", "Sunan")
    stale = check(project, out)
    assert any("datapackage.json" in s for s in stale) and any("visits.parquet" in s for s in stale)


def test_frictionless_validates_both_packages(project):
    out = project / "release"
    build(project, out, today=TODAY)
    frictionless = shutil.which("frictionless", path=str(__import__("pathlib").Path(sys.executable).parent))
    assert frictionless, "the frictionless command is installed with the test extra"
    for descriptor in (project / "datapackage.json", out / "datapackage.json"):
        run = subprocess.run([frictionless, "validate", "--json", str(descriptor)], capture_output=True, text=True)
        report = json.loads(run.stdout)
        assert report["valid"], run.stdout[:3000]
        assert len(report["tasks"]) == len(TABLE_NAMES)


def test_frictionless_catches_a_broken_foreign_key_in_the_release(project):
    """The release descriptor really carries the foreign keys (not only our own validator)."""
    out = project / "release"
    build(project, out, today=TODAY)
    table = pq.read_table(out / "attendees.parquet")
    broken = table.set_column(
        0, "visit_id", __import__("pyarrow").array(["nope"] + table.column("visit_id").to_pylist()[1:])
    )
    pq.write_table(broken, out / "attendees.parquet")
    from frictionless import Package

    report = Package(str(out / "datapackage.json")).validate()
    assert not report.valid
    assert "foreign-key" in {e.type for task in report.tasks for e in task.errors}
