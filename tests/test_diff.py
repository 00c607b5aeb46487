import json

from conftest import append_rows, read, set_cell, write
from visitdata.build import build
from visitdata.diff import allowed, compare, from_project, from_release


def test_rows_added_removed_and_changed_by_key(project, tmp_path):
    old = from_project(project)
    set_cell(project, "visits", {"visit_id": "v1"}, "place", "Sunan")
    append_rows(project, "persons", [{"person_id": "p-d", "name": "Person D", "source_ids": "s1"}])
    write(project, "attendees", read(project, "attendees").query("person_id != 'p-c'"))
    diff = compare(old, from_project(project))
    assert diff.tables["visits"].changed == {"v1": ["place"]}
    assert diff.tables["persons"].added == ["p-d"]
    assert diff.tables["attendees"].removed == ["v4 / p-c"]
    assert diff.required == "minor"
    assert json.loads(diff.to_json())["counts"]["persons"] == {"added": 1, "removed": 0, "changed": 0, "schema": 0}
    text = diff.to_text()
    assert "~ v1: place" in text and "+ p-d" in text and "- v4 / p-c" in text


def test_a_release_and_the_working_tree_compare_equal_when_nothing_changed(project, tmp_path):
    build(project, tmp_path / "r")
    diff = compare(from_release(tmp_path / "r"), from_project(project))
    assert diff.changes == [] and diff.required == "none"


def test_schema_changes_are_classified(project):
    old = from_project(project)
    schema = json.loads((project / "schemas" / "visits.json").read_text())
    enum = next(f for f in schema["fields"] if f["name"] == "visit_type")["constraints"]["enum"]
    enum.remove("transit")
    (project / "schemas" / "visits.json").write_text(json.dumps(schema))
    diff = compare(old, from_project(project))
    assert any(c.level == "major" and "vocabulary" in c.what for c in diff.changes)


def test_before_1_0_a_minor_bump_may_carry_breaking_changes():
    assert allowed("major", "0.1.0", "0.2.0")
    assert not allowed("major", "1.1.0", "1.2.0")
    assert not allowed("minor", "0.1.0", "0.1.1")
    assert allowed("patch", "0.1.0", "0.1.1")


def test_changed_cells_show_old_and_new_values_and_the_limit_cuts_both_formats(project):
    old = from_project(project)
    set_cell(project, "visits", {"visit_id": "v1"}, "place", "Sunan")
    set_cell(project, "visits", {"visit_id": "v2"}, "notes", "x" * 100)
    diff = compare(old, from_project(project))
    cells = diff.tables["visits"].cells
    assert cells["v1"]["place"][1] == "Sunan" and cells["v1"]["place"][0] != "Sunan"
    assert cells["v2"]["notes"][0] is None  # an empty cell is None, not ''
    text = diff.to_text()
    assert f"~ v1: place: {cells['v1']['place'][0]!r} -> 'Sunan'" in text
    assert "~ v2: notes: (empty) -> 'xxxx" in text and "(100 characters)" in text
    limited = json.loads(diff.to_json(limit=1))["tables"]["visits"]
    assert list(limited["changed"]) == ["v1"] and limited["more"]["changed"] == 1
    assert limited["cells"]["v1"]["place"][1] == "Sunan"
    assert "v2" in json.loads(diff.to_json())["tables"]["visits"]["cells"]
    assert "… 1 more rows" in diff.to_text(limit=1)
