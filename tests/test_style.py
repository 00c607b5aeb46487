"""The code style the developer guide asks for, checked by the suite: ``ruff check`` and ``ruff format``."""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import REPO

PATHS = ["src", "tests", "bench"]


def _ruff() -> str:
    ruff = shutil.which("ruff", path=str(Path(sys.executable).parent)) or shutil.which("ruff")
    assert ruff, "ruff is installed with the test extra"
    return ruff


@pytest.mark.parametrize("command", [["check"], ["format", "--check"]], ids=["check", "format"])
def test_ruff_is_clean(command):
    run = subprocess.run([_ruff(), *command, *PATHS], cwd=REPO, capture_output=True, text=True)
    assert run.returncode == 0, run.stdout + run.stderr
