"""The README's "Get the data" snippets run as a user would run them.

Python snippets run in a fresh interpreter, in a folder laid out like the extracted data
archive; the R snippet runs where R and its ``arrow`` package are installed, the Stata one
where Stata is, and each skips with the reason otherwise.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys

import pandas as pd
import pytest

import visitdata
from conftest import REPO


def _snippets(section: str) -> list[tuple[str, str]]:
    text = (REPO / "README.md").read_text()
    match = re.search(rf"^## {re.escape(section)}\n(.*?)(?=^## )", text, re.S | re.M)
    assert match, f"README has no section {section!r}"
    return re.findall(r"^```(\w+)\n(.*?)^```", match.group(1), re.S | re.M)


GET = _snippets("Get the data")


@pytest.fixture(scope="module")
def archive_folder(tmp_path_factory):
    """The release folder as the data archive holds it (the package's copy of the same files)."""
    folder = tmp_path_factory.mktemp("visitdata-data") / "release"
    shutil.copytree(visitdata.release_dir(), folder)
    return folder


def test_get_the_data_shows_every_language_the_issue_names():
    assert [lang for lang, _ in GET] == ["python", "python", "python", "r", "stata"]
    assert "import polars" in GET[1][1] and "import duckdb" in GET[2][1] and "library(arrow)" in GET[3][1]


@pytest.mark.parametrize("index", [i for i, (lang, _) in enumerate(GET) if lang == "python"])
def test_python_snippets_run(index, archive_folder):
    code = GET[index][1]
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=archive_folder)
    assert run.returncode == 0, run.stderr
    assert run.stdout.strip(), "the snippet prints what it computed"


def test_the_r_snippet_runs_where_r_and_arrow_are_installed(archive_folder):
    rscript = shutil.which("Rscript")
    if not rscript:
        pytest.skip("R is not installed (Rscript not found)")
    if subprocess.run([rscript, "-e", "library(arrow)"], capture_output=True).returncode != 0:
        pytest.skip("R's arrow package is not installed (Debian has no r-cran-arrow; install.packages('arrow'))")
    code = next(c for lang, c in GET if lang == "r")
    run = subprocess.run([rscript, "-e", code], capture_output=True, text=True, cwd=archive_folder)
    assert run.returncode == 0, run.stderr


def test_the_stata_snippet_runs_where_stata_is_installed(tmp_path):
    stata = next((shutil.which(n) for n in ("stata-mp", "stata-se", "stata") if shutil.which(n)), None)
    if not stata:
        pytest.skip("Stata is not installed (a commercial program; no stata, stata-se or stata-mp on PATH)")
    subprocess.run([sys.executable, "-m", "visitdata.cli", "export", "--format", "stata", str(tmp_path)], check=True)
    code = next(c for lang, c in GET if lang == "stata")
    (tmp_path / "snippet.do").write_text(code)
    run = subprocess.run([stata, "-b", "do", "snippet.do"], capture_output=True, text=True, cwd=tmp_path)
    assert run.returncode == 0, run.stdout + run.stderr


def test_worked_questions_run():
    for lang, code in _snippets("Worked questions"):
        assert lang == "python"
        run = subprocess.run([sys.executable, "-c", code + "\nprint('ok')"], capture_output=True, text=True, cwd=REPO)
        assert run.returncode == 0, run.stderr


def test_the_panels_worked_example_gives_the_readme_table_and_the_missing_year():
    """The README's dyad-year example on the real release: its table is what the code gives,
    and China -> France 1995 is missing while United States -> France 1995 is a number."""
    text = (REPO / "README.md").read_text()
    section = text.split("### Worked example: where U.S. presidents went", 1)[1].split("\n## ", 1)[0]
    code = re.search(r"^```python\n(.*?)^```", section, re.S | re.M).group(1)
    scope: dict = {}
    exec(code, scope)
    top = scope["top"]
    for decade, hosts in re.findall(r"^\| (\d{4})s \| (.+) \|$", section, re.M):
        got = top[top["decade"] == int(decade)]
        assert ", ".join(f"{h} ({v})" for h, v in zip(got["host"], got["visits"], strict=True)) == hosts
    dyads = scope["dyads"]
    china, us = (dyads.query(f"year == 1995 and ccode1 == {c} and ccode2 == 220").iloc[0] for c in (710, 2))
    assert pd.isna(china["visits"]) and not china["covered"]
    assert us["visits"] == 1 and us["covered"]
