"""Validate the curated tables: every rule, every failure, one report.

>>> from pathlib import Path
>>> report = validate_package(Path("."))   # doctest: +SKIP
>>> report.ok, len(report.warnings)         # doctest: +SKIP
(True, 0)
"""

from __future__ import annotations

import datetime as dt
import importlib
import sys
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from contextlib import suppress
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from .context import Context, prefetch
from .csvio import RawTable, csv_path, display_path, read_table
from .report import Finding, Report
from .rules import RULES, shared_joins
from .tables import load_schemas

if TYPE_CHECKING:
    from .pandera_schema import DerivedSchema


def validate_package(root: Path, today: dt.date | None = None) -> Report:
    """Run every rule on ``root/data/*.csv`` against ``root/schemas/*.json``.

    Raises :class:`~visitdata.csvio.TableReadError` when a file cannot be read at all, and
    ``OSError`` when a schema is missing: those are not data errors but set-up problems.
    """
    try:
        return _validate(Path(root), today)
    finally:
        _forget_last_column()


#: Threads that read and validate tables side by side. Most of the work runs in Arrow and
#: numpy kernels that release the GIL (CSV parsing, hash joins, takes, byte scans), so on a
#: two-core machine two tables validate in little more time than the larger one alone.
WORKERS = 2


def _validate(root: Path, today: dt.date | None) -> Report:
    schemas = load_schemas(root)
    # Importing pandera takes about half a second, all of it holding the GIL. Reading the CSV
    # files and the key joins hardly need the GIL at all, so they run meanwhile.
    importing = threading.Thread(target=_import_pandera_schema, name="import-pandera", daemon=True)
    importing.start()
    with ThreadPoolExecutor(max_workers=WORKERS) as pool:
        # Largest files first, so that the small ones fill in around them; results (and the
        # first error, if a file cannot be read) are taken in schema order, as when read in turn.
        reading = {n: pool.submit(read_table, root, schemas[n]) for n in sorted(schemas, key=lambda n: -_size(root, n))}
        try:
            tables = {name: reading[name].result() for name in schemas}
            ctx = Context(schemas, tables, today or dt.date.today())
            findings: list[Finding] = []
            for table in tables.values():
                findings += _header_findings(root, table)
            # Data rules join tables by column; with a column missing they would only add noise.
            complete = not any(t.missing_columns for t in tables.values())
            if complete:
                prefetch(ctx, list(schemas.values()), pool=pool)
        finally:
            importing.join()
        from .pandera_schema import derive, forget_last_column

        def run(name: str) -> list[Finding]:
            try:
                return _run(root, tables[name], derive(schemas[name], ctx, with_data_rules=complete))
            finally:
                forget_last_column()

        # The largest table first; the joins its data rules share are queued right behind it,
        # for the other thread to compute while this one runs the table's column checks.
        # Findings are sorted below, so the order the tables finish in does not matter.
        order = sorted(schemas, key=lambda n: -len(tables[n].frame))
        runs = [pool.submit(run, order[0])]
        if complete:
            for join in shared_joins():
                pool.submit(_quietly, join, ctx)
        runs += [pool.submit(run, name) for name in order[1:]]
        for future in runs:
            findings += future.result()
    return Report(findings)


def _import_pandera_schema() -> None:
    """Import pandera ahead; if that fails, the import in :func:`_validate` raises the error."""
    with suppress(ImportError):
        importlib.import_module(f"{__package__}.pandera_schema")


def _forget_last_column() -> None:
    module = sys.modules.get(f"{__package__}.pandera_schema")
    if module is not None:
        module.forget_last_column()


def _quietly(job: Callable[[Context], object], ctx: Context) -> None:
    """Compute ahead; a join that fails is computed again by the check that needs it, which
    reports the failure."""
    with suppress(Exception):
        job(ctx)


def _size(root: Path, name: str) -> int:
    try:
        return csv_path(root, name).stat().st_size
    except OSError:
        return 0


def _header_findings(root: Path, table: RawTable) -> list[Finding]:
    file = display_path(root, table.path)
    out = [
        Finding(file, 1, c, None, "column-missing", "error", f"the header lacks column {c!r}")
        for c in table.missing_columns
    ]
    out += [
        Finding(file, 1, c, None, "column-extra", "error", f"column {c!r} is not in the schema")
        for c in table.extra_columns
    ]
    return out


def _run(root: Path, table: RawTable, derived: DerivedSchema) -> list[Finding]:
    frame = table.frame[[c for c in table.frame.columns if c not in table.missing_columns]]
    from pandera.errors import SchemaErrors

    try:
        derived.schema.validate(frame, lazy=True)
        return []
    except SchemaErrors as e:
        cases = e.failure_cases
    file = display_path(root, table.path)
    findings: list[Finding] = []
    for (column, rule_id), group in cases.groupby(["column", "check"], sort=False, dropna=False):
        index = pd.Index(pd.to_numeric(group["index"], errors="coerce").dropna().astype(int))
        if rule_id not in RULES or len(index) != len(group):
            # A check that crashed: pandera reports the exception instead of rows.
            findings += [
                Finding(file, None, str(column), None, "internal", "error", f"check {rule_id} failed to run: {c}")
                for c in group["failure_case"].astype(str).unique()
            ]
            continue
        rule = RULES[rule_id]
        message = derived.messages.get((column, rule_id), rule.summary)
        detail = derived.details.get((column, rule_id))
        extra = detail(index) if detail else None
        # Whole columns at once: a run with 10 % broken rows makes hundreds of thousands of findings.
        values = table.frame[column].reindex(index)
        shown = np.where(values.isna().to_numpy(), None, values.to_numpy(dtype=object).astype(str))
        lines = table.lines[index.to_numpy()].tolist()
        texts = [message] * len(index) if extra is None else [f"{message} ({x})" for x in extra.tolist()]
        name = str(column)
        findings += [
            Finding(file, line, name, value, rule_id, rule.severity, text)
            for line, value, text in zip(lines, shown.tolist(), texts, strict=True)
        ]
    return findings
