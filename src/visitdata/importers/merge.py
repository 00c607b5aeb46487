"""The one merge every importer uses to write ``data/``.

Rules (the importer contract, see :mod:`visitdata.importers.contract`):

* a generated row whose key is new is added (if the importer's :class:`Ownership` allows);
* in an existing row, a cell the importer *fills* is written only where it is empty;
* every other generated cell that differs from the table is a conflict: reported, never
  written. Only the columns a generated row carries are compared;
* no row and no cell already in the table is ever dropped or overwritten;
* a table that cannot be read exactly (not UTF-8, ragged rows, columns the schema lacks)
  stops the import with :class:`~visitdata.errors.TableReadError` naming file and line, and
  since :meth:`Merger.write` runs only after every table merged, nothing is written.

>>> import tempfile, shutil
>>> from visitdata.importers.merge import Merger
>>> root = Path(tempfile.mkdtemp())
>>> _ = shutil.copytree(Path(__file__).parents[3] / "schemas", root / "schemas")
>>> merger = Merger(root)
>>> row = {"source_id": "s1", "source_type": "dataset", "title": "A list", "language": "en"}
>>> merger.merge("sources", [row], Ownership()).added
1
>>> [p.name for p in merger.write()]
['sources.csv']
>>> Merger(root).merge("sources", [{**row, "title": "Another"}], Ownership()).conflicts[0].columns
('title',)
>>> shutil.rmtree(root)
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from ..csvio import csv_path, display_path, read_table, write_table
from ..errors import TableReadError
from ..tables import TableSchema, load_schema
from ..vocabulary import LIST_DELIMITER
from .contract import Ownership


def cell(value: object) -> str:
    """A cell as text: missing values (None, NaN, pd.NA) are ''."""
    return "" if value is None or value is pd.NA or (isinstance(value, float) and value != value) else str(value)


@dataclass(frozen=True)
class Conflict:
    """Generated cells that differ from a row already in the table; the table's are kept."""

    table: str
    key: tuple[str, ...]
    columns: tuple[str, ...]

    def __str__(self) -> str:
        return f"{self.table} {'/'.join(self.key)}: {', '.join(self.columns)} differ from the import; kept as curated"


@dataclass
class TableMerge:
    """What merging one table's generated rows did."""

    table: str
    generated: int = 0
    added: int = 0
    unchanged: int = 0
    #: existing rows in which at least one empty owned cell was filled
    filled: int = 0
    conflicts: list[Conflict] = field(default_factory=list)


def read_existing(root: Path, schema: TableSchema) -> pd.DataFrame:
    """The table as curated (every cell a string or missing), or an empty one if there is no file.

    Stricter than validation's reader: anything a rewrite could lose stops the import.
    """
    path = csv_path(root, schema.name)
    if not path.exists():
        return pd.DataFrame({c: pd.Series(dtype="str") for c in schema.field_names})
    shown = display_path(root, path)
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as e:
        line = raw.count(b"\n", 0, e.start) + 1
        raise TableReadError(
            f"{shown}, line {line}: not UTF-8 (byte {e.start}: 0x{raw[e.start]:02x}); "
            "save the file as UTF-8 and import again (nothing was written)"
        ) from e
    reader = csv.reader(io.StringIO(text, newline=""))
    header = next(reader, [])
    line = reader.line_num + 1
    for record in reader:
        if len(record) != len(header):
            raise TableReadError(
                f"{shown}, line {line}: {len(record)} fields where the header has {len(header)}; "
                "fix the row and import again (nothing was written)"
            )
        line = reader.line_num + 1
    table = read_table(root, schema)
    if table.extra_columns:
        raise TableReadError(
            f"{shown}, line 1: columns {', '.join(table.extra_columns)} are not in schemas/{schema.name}.json; "
            "add them to the schema or remove them, then import again (nothing was written)"
        )
    return table.frame[schema.field_names]


class Merger:
    """Merges importers' rows into the tables below ``root``; writes only on :meth:`write`.

    Each table is read once (the first time it is merged or read) and written at most once.
    """

    def __init__(self, root: Path) -> None:
        self.root = Path(root)
        self._schemas: dict[str, TableSchema] = {}
        self._frames: dict[str, pd.DataFrame] = {}
        self._changed: set[str] = set()

    def schema(self, table: str) -> TableSchema:
        if table not in self._schemas:
            self._schemas[table] = load_schema(self.root, table)
        return self._schemas[table]

    def read(self, table: str) -> pd.DataFrame:
        """The table as it will be written (after the merges so far); raises if unreadable."""
        if table not in self._frames:
            self._frames[table] = read_existing(self.root, self.schema(table))
        return self._frames[table]

    def merge(self, table: str, rows: Iterable[Mapping[str, str]], owns: Ownership) -> TableMerge:
        """Merge generated ``rows`` (each carrying the key columns) into ``table``."""
        schema = self.schema(table)
        columns = schema.field_names
        frame = self.read(table)
        pk = schema.primary_key
        records = frame.to_dict("records")
        at = {tuple(cell(r[c]) for c in pk): i for i, r in enumerate(records)}
        delimiter = schema.field("source_ids").delimiter if "source_ids" in columns else LIST_DELIMITER
        lists = {f.name for f in schema.fields if f.is_list}
        result = TableMerge(table)
        new: list[dict[str, str]] = []
        fills: dict[int, dict[str, str]] = {}
        for row in rows:
            result.generated += 1
            key = tuple(cell(row[c]) for c in pk)
            if key not in at:
                if owns.adds_rows:
                    new.append({c: cell(row.get(c)) for c in columns})
                    at[key] = -1  # a second generated row with this key is compared with nothing
                    result.added += 1
                continue
            if at[key] < 0:
                continue
            current = records[at[key]]
            differ, filled = [], {}
            for c in columns:
                if c not in row:
                    continue
                have, want = cell(current[c]), cell(row[c])
                if have == want:
                    continue
                if c in owns.fills and not have:
                    filled[c] = want
                elif want and not _adds_to(have, want, c in lists, delimiter):
                    differ.append(c)
            if filled:
                if owns.cites:
                    ids = [s for s in cell(current.get("source_ids")).split(delimiter) if s]
                    if owns.cites not in ids:
                        filled["source_ids"] = delimiter.join([*ids, owns.cites])
                fills[at[key]] = filled
                result.filled += 1
            if differ:
                result.conflicts.append(Conflict(table, key, tuple(differ)))
            elif not filled:
                result.unchanged += 1
        if fills:
            frame = frame.copy()
            for i, cells in fills.items():
                for c, value in cells.items():
                    frame.iat[i, columns.index(c)] = value
        if new:
            frame = pd.concat([frame, pd.DataFrame(new, columns=columns, dtype="str")], ignore_index=True)
        if fills or new:
            self._frames[table] = frame.replace({"": pd.NA})
            self._changed.add(table)
        return result

    def write(self) -> list[Path]:
        """Write every changed table (each atomically, in canonical form); return their paths."""
        return [write_table(self.root, self.schema(t), self._frames[t]) for t in sorted(self._changed)]


def _adds_to(have: str, want: str, is_list: bool, delimiter: str) -> bool:
    """Whether a curated cell only adds to what the importer generates: every item of a
    generated list is kept (curators and other importers add sources). A generated empty cell
    never conflicts: the importer does not know the value, it does not disagree."""
    return is_list and set(want.split(delimiter)) <= set(have.split(delimiter))
