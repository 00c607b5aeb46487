"""The extras table (visitdata.extras) matches pyproject.toml, and missing extras are named."""

from __future__ import annotations

import re

import pytest

from conftest import REPO
from visitdata.errors import MissingExtraError
from visitdata.extras import EXTRAS, extra_for_module, install_hint, missing_extra


def test_extras_match_pyproject() -> None:
    tomllib = pytest.importorskip("tomllib")  # Python 3.11+
    declared = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]["optional-dependencies"]
    assert set(EXTRAS) == set(declared) - {"test"}
    for name, extra in EXTRAS.items():
        requirements = {re.split(r"[<>=\[ ;]", r, maxsplit=1)[0] for r in declared[name]}
        assert extra.distribution in requirements, (name, declared[name])


def test_a_missing_extra_names_its_install_command() -> None:
    error = missing_extra("visitdata serve needs Datasette", "explore")
    assert isinstance(error, MissingExtraError) and isinstance(error, ModuleNotFoundError)
    assert str(error) == f"visitdata serve needs Datasette: {install_hint('explore')}" and error.name == "datasette"
    assert extra_for_module("hdx.location.country") == "card" and extra_for_module("numpy") is None
