import io
import json

from conftest import TODAY, set_cell
from visitdata.validate import validate_package


def test_json_report_lists_every_finding_with_location_rule_and_fix(project):
    set_cell(project, "visits", {"visit_id": "v1"}, "visit_type", "state visit")
    data = json.loads(validate_package(project, today=TODAY).to_json())
    assert data["valid"] is False and data["errors"] == 1
    (finding,) = data["findings"]
    assert finding == {
        "file": "data/visits.csv",
        "line": 2,
        "column": "visit_type",
        "value": "state visit",
        "rule": "enum",
        "severity": "error",
        "message": finding["message"],
        "fix": finding["fix"],
    }
    assert "official_working" in finding["message"] and finding["fix"]


def test_text_report_groups_by_rule_with_counts_and_limits_examples(project):
    for visit in ("v1", "v2", "v3"):
        set_cell(project, "visits", {"visit_id": visit}, "place", " Somewhere")
    text = validate_package(project, today=TODAY).to_text(limit=2)
    assert "text-whitespace (error, 3)" in text
    assert "data/visits.csv:2 [place] ' Somewhere'" in text
    assert "… and 1 more" in text
    assert text.endswith("3 errors, 0 warnings")


def test_warnings_do_not_fail(project):
    set_cell(project, "visits", {"visit_id": "v1"}, "status", "announced")
    report = validate_package(project, today=TODAY)
    assert report.ok and [f.rule for f in report.warnings] == ["announced-past"]


def test_data_rules_wait_for_complete_headers(project):
    path = project / "data" / "roles.csv"
    lines = path.read_text().splitlines()
    path.write_text(
        "\n".join(
            line.replace(",end_status,", ",")
            .replace(",ongoing,", ",")
            .replace(",unknown,", ",")
            .replace(",ended,", ",")
            for line in lines
        )
        + "\n"
    )
    report = validate_package(project, today=TODAY)
    assert [f.rule for f in report.errors] == ["column-missing"]


def test_json_report_is_laid_out_as_json_dumps_would_write_it():
    from visitdata.report import Finding, Report

    findings = [
        Finding("data/visits.csv", 3, "notes", 'a "quoted"\tvalue ñ', "text-hygiene", "error", "Whitespace — fix it"),
        Finding("data/visits.csv", None, None, None, "internal", "error", "check failed"),
        Finding("data/attendees.csv", 12, "visit_id", "x", "fk-visit", "warning", "No such visit"),
    ]
    report = Report(findings)
    expected = {
        "valid": False,
        "errors": 2,
        "warnings": 1,
        "counts": {"fk-visit": 1, "internal": 1, "text-hygiene": 1},
        "findings": [dict(f._asdict(), fix=_fix(f.rule)) for f in report.findings],
    }
    assert report.to_json() == json.dumps(expected, ensure_ascii=False, indent=1)
    out = io.StringIO()
    report.write_json(out, batch=2)  # batches join as one list
    assert out.getvalue() == report.to_json()
    assert [f["file"] for f in json.loads(report.to_json())["findings"]] == [
        "data/attendees.csv",
        *["data/visits.csv"] * 2,
    ]


def _fix(rule: str) -> str:
    from visitdata.rules import RULES

    return RULES[rule].fix if rule in RULES else ""


def test_validation_leaves_the_callers_process_alone(project, monkeypatch):
    """No library call switches Arrow's memory pool or calls into libc (mallopt)."""
    import ctypes

    import pyarrow

    loaded = []
    monkeypatch.setattr(ctypes, "CDLL", lambda *a, **k: loaded.append(a))
    pool = pyarrow.default_memory_pool().backend_name
    validate_package(project, today=TODAY)
    assert pyarrow.default_memory_pool().backend_name == pool and loaded == []
