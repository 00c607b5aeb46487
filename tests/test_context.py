"""The rules' shared view of the tables: parsed dates, codes, joins, computed once per run."""

from __future__ import annotations

import threading

import numpy as np

from conftest import TODAY, append_rows
from visitdata.context import Context
from visitdata.csvio import read_table
from visitdata.tables import load_schemas


def context(project) -> Context:
    schemas = load_schemas(project)
    return Context(schemas, {n: read_table(project, s) for n, s in schemas.items()}, TODAY)


def test_memo_computes_once_even_from_two_threads(project) -> None:
    ctx, calls, gate = context(project), [], threading.Barrier(2)

    def slow() -> int:
        calls.append(1)
        return 42

    def ask() -> None:
        gate.wait()
        assert ctx.memo("k", slow) == 42

    threads = [threading.Thread(target=ask) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert calls == [1]


def test_rows_follow_references_and_mark_unknown_ones(project) -> None:
    append_rows(
        project,
        "attendees",
        [{"visit_id": "no-such-visit", "person_id": "p-a", "participation": "lead", "source_ids": "s1"}],
    )
    ctx = context(project)
    attendees, visits = ctx.frame("attendees"), ctx.frame("visits")
    rows = ctx.rows("attendees", "visit_id", "visits", "visit_id")
    known = rows >= 0
    assert (visits["visit_id"].to_numpy()[rows[known]] == attendees["visit_id"].to_numpy()[known]).all()
    assert list(attendees.loc[~known, "visit_id"]) == ["no-such-visit"]


def test_codes_are_equal_exactly_for_equal_values(project) -> None:
    ctx = context(project)
    values = ctx.frame("attendees")["person_id"].to_numpy()
    codes = ctx.codes("attendees", "person_id")
    assert all((codes[i] == codes[j]) == (values[i] == values[j]) for i in range(len(codes)) for j in range(len(codes)))


def test_dates_are_parsed_per_row_with_their_precision(project) -> None:
    ctx = context(project)
    dates = ctx.dates("visits", "start_date")
    assert list(dates.index) == list(ctx.frame("visits").index)
    text = ctx.frame("visits")["start_date"]
    precision = dates["precision"].astype(str).to_numpy()
    assert (precision == np.where(text.str.len() == 10, "day", np.where(text.str.len() == 7, "month", "year"))).all()
    assert (dates["earliest"] <= dates["latest"]).all()


def test_list_items_name_their_row(project) -> None:
    ctx = context(project)
    f = ctx.schemas["visits"].field("source_ids")
    items, parent = ctx.items("visits", "source_ids", f.delimiter)
    cells = ctx.frame("visits")["source_ids"].to_numpy()
    assert [str(i) for i in items.to_pylist()] == [x for cell in cells for x in cell.split(f.delimiter)]
    assert list(parent) == [row for row, cell in enumerate(cells) for _ in cell.split(f.delimiter)]
