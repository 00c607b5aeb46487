"""Read and write the curated CSV tables in ``data/`` in their one canonical form.

Canonical form: UTF-8 without BOM, a header row with the schema's columns in schema order,
RFC 4180 quoting only where needed, LF line ends, rows sorted by primary key. Importers and
curators' tools write through :func:`write_table` so that diffs stay small and reviewable.
"""

from __future__ import annotations

import csv
import io
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from .errors import TableReadError
from .tables import TableSchema


@dataclass
class RawTable:
    """A CSV table as curated: every cell a string or missing, plus where each row stands."""

    name: str
    path: Path
    frame: pd.DataFrame
    #: CSV line number (1 = header) of each row, aligned with ``frame``'s positional index.
    lines: np.ndarray
    #: Columns the schema names that the file lacks, and columns it has that the schema lacks.
    missing_columns: list[str]
    extra_columns: list[str]
    #: True when no cell can hold a control character: the file has no such byte (nor U+0080 to
    #: U+009F) and no line break inside a cell. Lets validation skip that check on clean files.
    control_free: bool = False


def display_path(root: Path, path: Path) -> str:
    """A path as curators see it in messages: relative to the project root where possible."""
    try:
        return str(Path(path).relative_to(root))
    except ValueError:
        return str(path)


def csv_path(root: Path, name: str) -> Path:
    return Path(root) / "data" / f"{name}.csv"


def read_table(root: Path, schema: TableSchema) -> RawTable:
    """Read ``data/{schema.name}.csv`` with every cell as a string; empty cells are missing."""
    path = csv_path(root, schema.name)
    try:
        raw = path.read_bytes()
    except FileNotFoundError as e:
        raise TableReadError(f"{path}: file not found (expected one CSV per table: {schema.name}.csv)") from e
    newlines = raw.count(b"\n") - raw.endswith(b"\n")
    frame = _read_arrow(raw, newlines)  # checks UTF-8 itself; anything unusual goes to the pandas reader
    if frame is None:
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as e:
            raise TableReadError(f"{path}: not UTF-8 (byte {e.start}): save the file as UTF-8") from e
        try:
            frame = pd.read_csv(
                io.StringIO(text),
                dtype="str",
                keep_default_na=False,
                na_values=[""],
                skip_blank_lines=False,
            )
        except (pd.errors.ParserError, pd.errors.EmptyDataError) as e:
            raise TableReadError(f"{path}: not a readable CSV file: {e}") from e
    frame.index = pd.RangeIndex(len(frame))
    expected = schema.field_names
    missing = [c for c in expected if c not in frame.columns]
    extra = [str(c) for c in frame.columns if c not in expected]
    for column in missing:
        frame[column] = pd.Series(pd.NA, index=frame.index, dtype="str")
    frame = frame[expected + extra]
    lines = _line_numbers(raw, len(frame), newlines)
    one_line_records = len(lines) == 0 or (lines[-1] == len(lines) + 1 and b"\r" not in raw)
    control_free = one_line_records and not raw.translate(None, _NOT_CONTROL)
    return RawTable(schema.name, path, frame, lines, missing, extra, control_free)


_STR = pd.Series([], dtype="str").dtype
#: Every byte except those of control characters other than the line feed (and 0xC2, the lead
#: byte of U+0080 to U+009F): deleting them leaves nothing in a file without control characters.
_NOT_CONTROL = bytes(b for b in range(256) if not (b < 0x20 and b != 0x0A) and b not in (0x7F, 0xC2))


def _read_arrow(raw: bytes, newlines: int | None = None) -> pd.DataFrame | None:
    """The frame ``pd.read_csv(dtype="str", na_values=[""])`` gives, read by pyarrow's CSV reader.

    pyarrow parses several times faster and yields the Arrow-backed strings pandas uses anyway.
    Where the two readers could disagree (duplicate or missing header, blank or ragged lines,
    a pandas without Arrow-backed ``str``) this returns None and the pandas reader decides.
    """
    if not isinstance(_STR, pd.StringDtype) or _STR.storage != "pyarrow":
        return None
    import pyarrow as pa
    from pyarrow import csv as pacsv

    end = raw.find(b"\n")
    try:
        first = (raw if end < 0 else raw[:end]).decode("utf-8")
    except UnicodeDecodeError:
        return None
    header = next(csv.reader(io.StringIO(first, newline="")), None)
    if not header or len(set(header)) != len(header) or any(h == "" for h in header):
        return None

    def parse(newlines_in_values: bool) -> pa.Table | None:
        try:
            return pacsv.read_csv(
                pa.py_buffer(raw),
                read_options=pacsv.ReadOptions(use_threads=True, block_size=1 << 24),
                parse_options=pacsv.ParseOptions(newlines_in_values=newlines_in_values, ignore_empty_lines=False),
                convert_options=pacsv.ConvertOptions(
                    column_types={h: pa.string() for h in header},
                    null_values=[""],
                    strings_can_be_null=True,
                    quoted_strings_can_be_null=True,
                ),
            )
        except (pa.ArrowInvalid, pa.ArrowTypeError):
            return None

    # Line breaks inside quoted cells are rare but make parallel parsing slow: parse as if there
    # were none, and again allowing them unless every line turned out to be one row.
    table = parse(False)
    if newlines is None:
        newlines = raw.count(b"\n") - raw.endswith(b"\n")
    if table is None or table.num_rows != newlines:
        table = parse(True)
    if table is None:
        return None
    if table.column_names != header:
        return None
    # One chunk per column: every later Arrow kernel then works on it without copying.
    return table.combine_chunks().to_pandas(types_mapper={pa.string(): _STR, pa.large_string(): _STR}.get)


def _line_numbers(raw: bytes, rows: int, newlines: int | None = None) -> np.ndarray:
    """Line of each record; only parses record by record when a quoted cell spans lines."""
    if newlines is None:
        newlines = raw.count(b"\n") - (1 if raw.endswith(b"\n") else 0)
    if newlines == rows and b"\r" not in raw:
        return np.arange(2, rows + 2)
    reader = csv.reader(io.StringIO(raw.decode("utf-8"), newline=""))
    next(reader, None)
    starts = []
    line = reader.line_num + 1
    for _ in reader:
        starts.append(line)
        line = reader.line_num + 1
    return np.asarray(starts[:rows] + [0] * (rows - len(starts)))


def to_csv_text(frame: pd.DataFrame, schema: TableSchema) -> str:
    """The canonical CSV text of a table (columns in schema order, sorted by primary key)."""
    frame = frame.reindex(columns=schema.field_names)
    if schema.primary_key and len(frame):
        frame = frame.sort_values(schema.primary_key, kind="stable")
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerow(schema.field_names)
    for row in frame.itertuples(index=False, name=None):
        writer.writerow(["" if v is None or v is pd.NA or (isinstance(v, float) and np.isnan(v)) else v for v in row])
    return out.getvalue()


def write_table(root: Path, schema: TableSchema, frame: pd.DataFrame) -> Path:
    """Write a table in canonical form, atomically (a crash never leaves half a file)."""
    path = csv_path(root, schema.name)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{schema.name}.", suffix=".csv")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as f:
            f.write(to_csv_text(frame, schema))
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path
