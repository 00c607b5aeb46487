"""The benchmark in bench/ works end to end at a tiny size (times are measured, never asserted)."""

from __future__ import annotations

import datetime as dt
import importlib.util
import json
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import REPO
from visitdata.validate import validate_package

BENCH = REPO / "bench"


def _synth():
    spec = importlib.util.spec_from_file_location("bench_synth", BENCH / "synth.py")
    module = importlib.util.module_from_spec(spec)
    assert spec.loader is not None
    spec.loader.exec_module(module)
    return module


def test_synthetic_project_is_valid_and_breaking_it_trips_many_rules(tmp_path: Path):
    synth = _synth()
    tables = synth.generate(400)
    assert len(tables["attendees"]) > 2 * len(tables["visits"])
    assert tables["visits"]["start_date"].str.len().lt(10).any(), "some partial dates"
    synth.write_project(tmp_path / "clean", tables)
    report = validate_package(tmp_path / "clean", today=synth.TODAY)
    assert report.errors == [], report.to_text(limit=5)

    synth.break_rows(tables, 0.1)
    synth.write_project(tmp_path / "broken", tables)
    broken = validate_package(tmp_path / "broken", today=dt.date(2026, 11, 28))
    assert len({f.rule for f in broken.errors}) >= 10, broken.counts()


def test_runner_measures_every_task_and_writes_results(tmp_path: Path):
    out = tmp_path / "results"
    cmd = [
        sys.executable,
        str(BENCH / "run.py"),
        "--sizes",
        "200",
        "--repeat",
        "1",
        "--frictionless-max",
        "0",
        "--work",
        str(tmp_path / "work"),
        "--out",
        str(out),
    ]
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-3000:]
    results = json.loads((out / "latest.json").read_text(encoding="utf-8"))
    tasks = {m["task"]: m for m in results["measures"]}
    assert {
        "validate",
        "validate-broken",
        "validate-broken-json",
        "build",
        "load_all",
        "parquet-direct",
        "import-floor",
    } <= set(tasks)
    assert all(m["median_seconds"] > 0 and m["median_peak_mib"] > 0 for m in tasks.values())
    assert tasks["validate-broken-json"]["findings"] > 0
    assert "| validate |" in (out / "latest.md").read_text(encoding="utf-8")
    assert "| validate |" in done.stdout


@pytest.mark.parametrize("name", ["latest", "panels"])
def test_performance_doc_shows_the_recorded_results(name):
    doc = (REPO / "docs" / "performance.md").read_text(encoding="utf-8")
    latest = (BENCH / "results" / f"{name}.md").read_text(encoding="utf-8")
    marker = f"<!-- {name}: copied from bench/results/{name}.md -->\n"
    assert marker in doc
    assert doc.split(marker, 1)[1].startswith(latest), f"copy bench/results/{name}.md into docs/performance.md"


def test_the_panel_benchmark_runs_every_task(tmp_path: Path):
    done = subprocess.run(
        [
            sys.executable,
            str(BENCH / "panels.py"),
            "--visits",
            "2000",
            "--repeat",
            "1",
            "--out",
            str(tmp_path),
            "--work",
            str(tmp_path / "work"),
        ],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr
    results = json.loads((tmp_path / "panels.json").read_text(encoding="utf-8"))["results"]
    assert [r["task"] for r in results] == ["dyad-years-real", "dyad-years-synthetic", "import-floor"]
    assert all(run["exit_code"] == 0 for r in results for run in r["runs"])
