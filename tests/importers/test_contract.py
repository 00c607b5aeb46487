"""The importer contract: one test per clause (see visitdata.importers.contract and .merge)."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from conftest import REPO, file_hashes, make_project, read
from visitdata.cli import main
from visitdata.errors import TableReadError
from visitdata.importers import IMPORTER_MODULES, get_importer, importers
from visitdata.importers.contract import Importer, Ownership
from visitdata.importers.merge import Merger
from visitdata.importers.retired import apply_retirements, read_retired, schemas_for
from visitdata.tables import TABLE_NAMES, load_schema

PERSON = {"person_id": "p-new", "name": "Person New", "source_ids": "src-a"}


# --------------------------------------------------------------------------- the declaration


@pytest.mark.parametrize("module", IMPORTER_MODULES)
def test_every_importer_declares_the_contract(module: str) -> None:
    importer = get_importer(module)
    assert isinstance(importer, Importer)
    assert importer.name == module  # the command-line name is the module's
    for table, owns in importer.owns.items():
        assert table in TABLE_NAMES
        assert set(owns.fills) <= set(load_schema(REPO, table).field_names), (module, table)
    assert importer.report is None or importer.report.startswith("docs/reports/")
    assert importers()[module] is importer


# --------------------------------------------------------------------------- the merge


def test_new_rows_are_added_and_a_rerun_adds_nothing(project: Path) -> None:
    merger = Merger(project)
    assert merger.merge("persons", [PERSON], Ownership()).added == 1
    merger.write()
    assert "p-new" in set(read(project, "persons")["person_id"])
    before = file_hashes(project)
    again = Merger(project)
    result = again.merge("persons", [PERSON], Ownership())
    assert (result.added, result.unchanged, result.conflicts) == (0, 1, [])
    assert again.write() == [] and file_hashes(project) == before


def test_adds_rows_false_never_adds(project: Path) -> None:
    merger = Merger(project)
    assert merger.merge("persons", [PERSON], Ownership(adds_rows=False)).added == 0
    assert merger.write() == []


def test_owned_cells_are_filled_only_where_empty_and_cite_their_source(project: Path) -> None:
    persons = read(project, "persons")
    empty = persons[persons["wikidata_id"] == ""].iloc[0]
    owns = Ownership(fills=("wikidata_id",), cites="src-b")
    merger = Merger(project)
    result = merger.merge("persons", [{"person_id": empty["person_id"], "wikidata_id": "Q42"}], owns)
    merger.write()
    row = read(project, "persons").set_index("person_id").loc[empty["person_id"]]
    assert result.filled == 1 and row["wikidata_id"] == "Q42"
    assert row["source_ids"].split(";") == [*empty["source_ids"].split(";"), "src-b"]
    # a filled cell is a curator's (or an earlier import's) now: a different value is a conflict
    again = Merger(project).merge("persons", [{"person_id": empty["person_id"], "wikidata_id": "Q43"}], owns)
    assert again.filled == 0 and [c.columns for c in again.conflicts] == [("wikidata_id",)]


def test_conflicts_are_reported_and_curated_cells_never_overwritten(project: Path) -> None:
    persons = read(project, "persons")
    first = persons.iloc[0]
    before = file_hashes(project)
    merger = Merger(project)
    rows = [{"person_id": first["person_id"], "name": "Someone Else", "notes": "import says"}]
    result = merger.merge("persons", rows, Ownership(fills=("name",)))  # owning a column does not allow overwriting
    assert len(result.conflicts) == 1
    assert result.conflicts[0].columns == ("name", "notes") if first["notes"] else ("name",)
    assert "kept as curated" in str(result.conflicts[0])
    assert merger.write() == [] and file_hashes(project) == before


def test_no_row_is_dropped_and_columns_not_generated_are_kept(project: Path) -> None:
    merger = Merger(project)
    merger.merge("persons", [{"person_id": "p-new", "name": "Person New"}], Ownership())
    merger.write()
    after = read(project, "persons")
    before = read(make_project(project.parent / "fresh"), "persons")
    assert set(before["person_id"]) | {"p-new"} == set(after["person_id"])
    kept = after.set_index("person_id").loc[before["person_id"]].reset_index()
    assert kept.equals(before.sort_values("person_id").reset_index(drop=True))


# --------------------------------------------------------------------------- unreadable tables


def _iso(project: Path, capsys) -> tuple[int, str]:
    code = main(["import", "--root", str(project), "iso3166"])
    return code, capsys.readouterr().err


def test_iso_import_on_a_table_with_a_bad_byte_stops_and_loses_nothing(tmp_path: Path, capsys) -> None:
    """The data-loss bug: a decode error in countries.csv was swallowed, the file taken for
    empty, "279 codes added" reported and the file rewritten without its curated periods and
    notes. Now the import stops with exit 2, names file and line, and writes nothing."""
    pytest.importorskip("pycountry")
    project = make_project(tmp_path / "p", REPO / "data")
    countries = project / "data" / "countries.csv"
    text = countries.read_bytes()
    lines = text.split(b"\n")
    curated = next(i for i, line in enumerate(lines) if line.startswith(b"SUN,"))
    assert b"cow-state-system-2016" in lines[curated] and b",1991-12-25," in lines[curated]  # curated period
    lines[curated] = lines[curated] + " (ré-unifié)".encode("latin-1")
    countries.write_bytes(b"\n".join(lines))
    before = file_hashes(project)
    code, err = _iso(project, capsys)
    assert code == 2
    assert f"data/countries.csv, line {curated + 1}: not UTF-8" in err and "nothing was written" in err
    assert "codes added" not in err
    assert file_hashes(project) == before  # sources.csv, merged first, is not written either


@pytest.mark.parametrize(
    "damage, message",
    [
        (lambda text: text.replace("\n", ",extra\n", 3).replace(",extra\n", "\n", 2), "fields where the header has"),
        (
            lambda text: "".join(
                line + (",surplus\n" if i == 0 else ",\n") for i, line in enumerate(text.splitlines())
            ),
            "not in schemas/sources.json",
        ),
    ],
    ids=["ragged-row", "unknown-column"],
)
def test_a_table_that_cannot_be_rewritten_exactly_stops_the_import(tmp_path: Path, capsys, damage, message) -> None:
    pytest.importorskip("pycountry")
    project = make_project(tmp_path / "p")
    sources = project / "data" / "sources.csv"
    sources.write_text(damage(sources.read_text(encoding="utf-8")), encoding="utf-8")
    before = file_hashes(project)
    code, err = _iso(project, capsys)
    assert code == 2 and "data/sources.csv, line " in err and message in err
    assert file_hashes(project) == before


def test_an_unreadable_retired_ids_table_stops_the_import(project: Path) -> None:
    (project / "data" / "retired_ids.csv").write_bytes(b"table_name,retired_id\n\xff\n")
    with pytest.raises(TableReadError, match="retired_ids.csv, line 2"):
        read_retired(Merger(project))


# --------------------------------------------------------------------------- what an import writes


def test_an_import_writes_only_data_and_its_report(tmp_path: Path) -> None:
    pytest.importorskip("pycountry")
    project = make_project(tmp_path / "p")
    before = file_hashes(project)
    importer = get_importer("iso3166")
    importer.run(project)
    changed = {p for p in set(before) | set(file_hashes(project)) if before.get(p) != file_hashes(project).get(p)}
    assert changed and all(p.startswith("data/") and p.removeprefix("data/")[:-4] in importer.owns for p in changed)


# --------------------------------------------------------------------------- retired ids


def test_retired_ids_are_never_written_again_and_references_follow() -> None:
    tables = {
        "persons": [{"person_id": "old", "name": "Old", "source_ids": "s-old;s-keep"}],
        "attendees": [
            {"visit_id": "v", "person_id": "old", "role_id": "r-gone", "participation": "lead", "source_ids": "s-old"},
            {"visit_id": "v", "person_id": "new", "role_id": "", "participation": "lead", "source_ids": "s-keep"},
            {"visit_id": "w", "person_id": "gone", "role_id": "", "participation": "lead", "source_ids": "s-keep"},
        ],
    }
    retired = {"persons": {"old": "new", "gone": ""}, "roles": {"r-gone": ""}, "sources": {"s-old": "s-keep"}}
    stats: Counter = Counter()
    apply_retirements(retired, tables, schemas_for(REPO, tables), stats)
    assert tables["persons"] == []  # a retired key is not written again
    assert tables["attendees"] == [  # followed, emptied (optional role), deduplicated; withdrawn person dropped
        {"visit_id": "v", "person_id": "new", "role_id": "", "participation": "lead", "source_ids": "s-keep"}
    ]
    assert stats == Counter(retired_not_rewritten=1, retired_references_followed=1, retired_rows_dropped=2)
