"""Exports: Stata files carry the schemas' labels (read back with pandas and, where installed, R's haven); CSV comes with a codebook."""

from __future__ import annotations

import csv
import json
import os
import shutil
import subprocess
from pathlib import Path

import pandas as pd
import pytest

from visitdata.export import export, write_frame

#: Set by .ci/run, with the reason, when apt-get could not install R's haven.
NO_HAVEN_ENV = "VISITDATA_NO_HAVEN"


def _fields(release: Path, table: str) -> list[dict]:
    descriptor = json.loads((release / "datapackage.json").read_text())
    return next(r for r in descriptor["resources"] if r["name"] == table)["schema"]["fields"]


def test_stata_export_has_variable_and_value_labels(release, tmp_path):
    written = export(tmp_path, "stata", release=release)
    assert {p.name for p in written} == {
        f"{r['name']}.dta" for r in json.loads((release / "datapackage.json").read_text())["resources"]
    }
    with pd.io.stata.StataReader(tmp_path / "visits.dta") as reader:
        labels = reader.variable_labels()
        values = reader.value_labels()
        data = reader.read(convert_categoricals=True)
    assert labels["status"] == next(f["title"] for f in _fields(release, "visits") if f["name"] == "status")
    status = next(f for f in _fields(release, "visits") if f["name"] == "status")["constraints"]["enum"]
    assert sorted(next(v for k, v in values.items() if "status" in k).values()) == sorted(status)
    original = pd.read_parquet(release / "visits.parquet")
    assert list(data["status"].astype(str)) == list(original["status"].astype(str))
    assert list(data["start_date_earliest"]) == list(pd.to_datetime(original["start_date_earliest"]))


def test_csv_export_has_a_codebook_row_per_column(release, tmp_path):
    export(tmp_path, "csv", release=release)
    with open(tmp_path / "codebook.csv", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    visits = pd.read_csv(tmp_path / "visits.csv")
    assert [r["column"] for r in rows if r["table"] == "visits"] == list(visits.columns)
    status = next(r for r in rows if r["table"] == "visits" and r["column"] == "status")
    assert status["values"].startswith("announced: ")


def test_unknown_formats_are_refused(tmp_path):
    with pytest.raises(ValueError, match="valid formats: stata, csv"):
        export(tmp_path, "excel")
    with pytest.raises(ValueError, match="valid suffixes"):
        write_frame(pd.DataFrame({"a": [1]}), tmp_path / "x.xlsx", [])


def test_r_haven_reads_the_labels(release, tmp_path):
    if (
        not shutil.which("Rscript")
        or subprocess.run(["Rscript", "-e", "library(haven)"], capture_output=True).returncode
    ):
        if os.environ.get(NO_HAVEN_ENV):
            pytest.skip(f"R's haven is not installed: {os.environ[NO_HAVEN_ENV]}")
        if os.environ.get("CI"):
            pytest.fail("R's haven is not installed, and .ci/run did not report that it could not install it")
        pytest.skip("R's haven is not installed: apt-get install r-cran-haven")
    export(tmp_path, "stata", release=release)
    script = (
        f'v <- haven::read_dta("{tmp_path / "visits.dta"}"); '
        'cat(attr(v$status, "label"), "\\n"); cat(names(attr(v$status, "labels")), sep = ";"); cat("\\n"); '
        'cat(as.character(haven::as_factor(v$status)), sep = ";")'
    )
    run = subprocess.run(["Rscript", "-e", script], capture_output=True, text=True, check=True)
    label, values, rows = run.stdout.splitlines()
    assert label.strip() == "Status"
    assert (
        values.split(";") == next(f for f in _fields(release, "visits") if f["name"] == "status")["constraints"]["enum"]
    )
    assert rows.split(";") == list(pd.read_parquet(release / "visits.parquet")["status"].astype(str))


def test_export_command(release, tmp_path, capsys):
    from visitdata.cli import main

    assert main(["export", "--format", "csv", str(tmp_path), "--release", str(release)]) == 0
    assert (tmp_path / "codebook.csv").exists() and str(tmp_path / "visits.csv") in capsys.readouterr().out
    assert main(["panel", "dyad-years", "--out", str(tmp_path / "p.xlsx")]) == 2
    assert "valid suffixes: .dta, .csv, .parquet" in capsys.readouterr().err
