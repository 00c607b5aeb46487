"""Test as a user: build the wheel, install it in a fresh virtual environment, load the data."""

import json
import subprocess
import sys
import venv
import zipfile

import pytest

import visitdata
from conftest import REPO

pytestmark = pytest.mark.slow


def test_wheel_installs_in_a_fresh_venv_and_loads_offline_data(tmp_path):
    dist = tmp_path / "dist"
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "-w", str(dist), str(REPO)], check=True
    )
    (wheel,) = dist.glob("visitdata-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    for table in visitdata.tables():
        assert f"visitdata/release/{table}.parquet" in names
    assert "visitdata/release/datapackage.json" in names and "visitdata/release/SHA256SUMS" in names

    env = tmp_path / "venv"
    venv.create(env, with_pip=True)
    python = env / "bin" / "python"
    subprocess.run([str(python), "-m", "pip", "install", "--quiet", str(wheel)], check=True)
    code = (
        "import json, sys, visitdata\n"
        "frames = visitdata.load_all()\n"
        "print(json.dumps({'version': visitdata.__version__, 'rows': {k: len(v) for k, v in frames.items()},"
        " 'release': str(visitdata.release_dir()), 'pandera': 'pandera' in sys.modules}))\n"
    )
    out = subprocess.run([str(python), "-c", code], capture_output=True, text=True, check=True, cwd=tmp_path).stdout
    got = json.loads(out)
    assert got["version"] == visitdata.__version__
    assert got["rows"] == {name: len(visitdata.load(name)) for name in visitdata.tables()}
    assert str(env) in got["release"] and not got["pandera"]
    assert got["rows"]["visits"] > 0
    descriptor = json.loads((REPO / "src" / "visitdata" / "release" / "datapackage.json").read_text())
    assert {r["name"]: r["x-rows"] for r in descriptor["resources"]} == got["rows"]
