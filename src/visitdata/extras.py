"""The optional extras: what each installs, for what, and the hint shown when it is missing.

One table, checked against ``pyproject.toml`` by ``tests/test_extras.py``.

>>> install_hint("duckdb")
"pip install 'visitdata[duckdb]'"
>>> extra_for_module("pandera.pandas")
'curate'
"""

from __future__ import annotations

from dataclasses import dataclass

from .errors import MissingExtraError


@dataclass(frozen=True)
class Extra:
    #: the distribution the extra adds (as pyproject.toml names it) and the module it provides
    distribution: str
    module: str
    purpose: str


EXTRAS: dict[str, Extra] = {
    "curate": Extra("pandera", "pandera", "validate and build the tables"),
    "import": Extra("pycountry", "pycountry", "importers of upstream sources"),
    "releases": Extra("pooch", "pooch", "loading older releases: download, verify and cache their files"),
    "duckdb": Extra("duckdb", "duckdb", "visitdata.connect(): DuckDB views over the release's Parquet files"),
    "explore": Extra("datasette", "datasette", "visitdata serve: browse visitdata.sqlite with Datasette"),
    "card": Extra("hdx-python-country", "hdx", "the dataset card's regions: the UN M49 table"),
}


def install_hint(extra: str) -> str:
    return f"pip install 'visitdata[{extra}]'"


def extra_for_module(module: str | None) -> str | None:
    """The extra that installs top-level module ``module`` (None if no extra does)."""
    top = (module or "").split(".")[0]
    return next((name for name, extra in EXTRAS.items() if extra.module == top), None)


def missing_extra(what: str, extra: str) -> MissingExtraError:
    """The error for a feature (``what``: "visitdata serve needs Datasette") whose extra is missing."""
    return MissingExtraError(f"{what}: {install_hint(extra)}", name=EXTRAS[extra].module)
