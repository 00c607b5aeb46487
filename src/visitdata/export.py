"""Write tables and panels for other tools: Stata ``.dta`` with labels, CSV with a codebook, Parquet.

Every label comes from the release's Table Schemas (``visitdata.datapackage()``): a column's
``title`` becomes its Stata variable label, and every vocabulary (``enum``) becomes a value
label, so a Stata or R (haven) user sees what a code means without this package.
"""

from __future__ import annotations

import csv
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .errors import UsageError

if TYPE_CHECKING:
    import pandas as pd

#: Stata's limits: variable and data labels of at most 80 characters; str columns up to 2045 bytes.
STATA_LABEL = 80
STATA_STR = 2045
FORMATS = ("stata", "csv")
SUFFIXES = {".dta": "stata", ".csv": "csv", ".parquet": "parquet"}


def _label(text: str) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= STATA_LABEL else text[: STATA_LABEL - 1] + "…"


def _stata_frame(frame: pd.DataFrame, fields: list[dict[str, Any]]) -> tuple[pd.DataFrame, dict, dict, dict]:
    """A frame Stata can hold: vocabularies as labelled integers, dates as %td, nullable numbers as floats."""
    import pandas as pd

    out, value_labels, convert_dates, variable_labels = {}, {}, {}, {}
    by_name = {f["name"]: f for f in fields}
    for name in frame.columns:
        col = frame[name]
        f = by_name.get(name, {})
        variable_labels[name] = _label(f.get("title") or f.get("description") or name)
        enum = (f.get("constraints") or {}).get("enum")
        if enum is not None:
            codes = pd.Categorical(col.astype(object), categories=enum).codes.astype("float64")
            codes[codes < 0] = float("nan")
            out[name] = codes + 1
            value_labels[name] = {i + 1: str(v) for i, v in enumerate(enum)}
        elif pd.api.types.is_datetime64_any_dtype(col):
            out[name] = col.astype("datetime64[ns]")
            convert_dates[name] = "td"
        elif pd.api.types.is_bool_dtype(col) or pd.api.types.is_integer_dtype(col) or pd.api.types.is_float_dtype(col):
            out[name] = (
                col.astype("float64")
                if col.hasnans or str(col.dtype) in ("Int64", "boolean")
                else col.astype("int64" if not pd.api.types.is_float_dtype(col) else "float64")
            )
        else:
            out[name] = col.astype(object).where(col.notna(), "").astype(str)
    return pd.DataFrame(out, index=frame.index), value_labels, convert_dates, variable_labels


def write_stata(frame: pd.DataFrame, path: Path, fields: list[dict[str, Any]], label: str = "") -> Path:
    """One frame as a Stata 118 ``.dta`` (Unicode), labelled from ``fields`` (Table Schema field descriptors)."""
    data, value_labels, convert_dates, variable_labels = _stata_frame(frame.reset_index(drop=True), fields)
    long = [c for c in data.columns if data[c].dtype == object and data[c].str.len().max(skipna=True) > STATA_STR // 4]
    data.to_stata(
        path,
        write_index=False,
        version=118,
        variable_labels=variable_labels,
        value_labels=value_labels or None,
        convert_dates=convert_dates,
        convert_strl=long,
        data_label=_label(label) if label else None,
    )
    return Path(path)


def format_of(path: Path) -> str:
    """``stata``, ``csv`` or ``parquet``, from the file's suffix."""
    kind = SUFFIXES.get(Path(path).suffix.lower())
    if kind is None:
        raise UsageError(f"cannot tell the format of {path}: valid suffixes: {', '.join(SUFFIXES)}")
    return kind


def write_frame(frame: pd.DataFrame, path: Path, fields: list[dict[str, Any]], label: str = "") -> Path:
    """Write ``frame`` as Parquet, CSV or Stata, chosen by the file's suffix."""
    path = Path(path)
    kind = format_of(path)
    if kind == "stata":
        return write_stata(frame, path, fields, label)
    if kind == "csv":
        frame.to_csv(path, index=False, lineterminator="\n")
    else:
        frame.to_parquet(path, index=False, compression="zstd")
    return path


def codebook_rows(resources: list[dict[str, Any]]) -> list[dict[str, str]]:
    """One row per table and column: type, title, description and the values of its vocabulary."""
    rows = []
    for resource in resources:
        for f in resource["schema"]["fields"]:
            enum = (f.get("constraints") or {}).get("enum") or []
            meaning = f.get("x-enum-descriptions", {})
            values = "; ".join(f"{v}: {meaning[v]}" if v in meaning else str(v) for v in enum)
            rows.append(
                {
                    "table": resource["name"],
                    "column": f["name"],
                    "type": f.get("type", "string"),
                    "title": f.get("title", ""),
                    "description": f.get("description", ""),
                    "values": values,
                }
            )
    return rows


def export(out: Path, format: str = "stata", release: Path | None = None) -> list[Path]:
    """Write every table of a release into ``out``: ``.dta`` files, or CSV plus ``codebook.csv``.

    ``release`` is a release folder (default: the one installed with this package).
    """
    import json

    from .load import read_parquet, release_dir

    if format not in FORMATS:
        raise UsageError(f"unknown export format {format!r}; valid formats: {', '.join(FORMATS)}")
    folder = Path(release) if release is not None else release_dir()
    resources = json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))["resources"]
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for resource in resources:
        name, fields = resource["name"], resource["schema"]["fields"]
        frame = read_parquet(folder / resource["path"])
        if format == "stata":
            written.append(write_stata(frame, out / f"{name}.dta", fields, resource["schema"].get("description", name)))
        else:
            written.append(write_frame(frame, out / f"{name}.csv", fields))
    if format == "csv":
        path = out / "codebook.csv"
        rows = codebook_rows(resources)
        with open(path, "w", encoding="utf-8", newline="") as f:
            writer = csv.DictWriter(f, fieldnames=list(rows[0]), lineterminator="\n")
            writer.writeheader()
            writer.writerows(rows)
        written.append(path)
    return written
