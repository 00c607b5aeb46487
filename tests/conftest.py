"""Shared fixtures: a tiny valid project copied into a temporary folder for each test."""

from __future__ import annotations

import datetime as dt
import hashlib
import shutil
from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pytest

REPO = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).resolve().parent / "fixtures"
SHARED_SOURCES = REPO.parent / "shared" / "sources"
#: Every test judges "past" and "future" against this day, not the clock.
TODAY = dt.date(2026, 11, 28)


def make_project(dest: Path, data: Path = FIXTURES / "minimal" / "data") -> Path:
    """A project folder: the repository's schemas and metadata with the given data."""
    shutil.copytree(data, dest / "data")
    shutil.copytree(REPO / "schemas", dest / "schemas")
    shutil.copy(REPO / "datapackage.json", dest / "datapackage.json")
    return dest


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return make_project(tmp_path / "project")


@pytest.fixture(scope="session")
def release(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A release built from the tiny fixture project, shared read-only by the tests of its assets."""
    from visitdata.build import build

    root = tmp_path_factory.mktemp("release")
    build(make_project(root / "project"), root / "release", today=TODAY)
    return root / "release"


def file_hashes(root: Path) -> dict[str, str]:
    """sha256 of every file below ``root``, by relative path: what a command changed."""
    return {
        p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in root.rglob("*")
        if p.is_file()
    }


def read(project: Path, table: str) -> pd.DataFrame:
    return pd.read_csv(project / "data" / f"{table}.csv", dtype="str", keep_default_na=False)


def write(project: Path, table: str, frame: pd.DataFrame) -> None:
    frame.to_csv(project / "data" / f"{table}.csv", index=False, lineterminator="\n")


def set_cell(project: Path, table: str, key: dict[str, str], column: str, value: str) -> None:
    frame = read(project, table)
    mask = pd.Series(True, index=frame.index)
    for k, v in key.items():
        mask &= frame[k] == v
    assert mask.sum() == 1, f"fixture row {key} not found in {table}"
    frame.loc[mask, column] = value
    write(project, table, frame)


def append_rows(project: Path, table: str, rows: list[dict[str, str]]) -> None:
    frame = read(project, table)
    write(project, table, pd.concat([frame, pd.DataFrame(rows)], ignore_index=True).fillna(""))


Edit = Callable[[Path], None]
