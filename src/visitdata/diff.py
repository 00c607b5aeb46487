"""What changed between two releases (or a release and the working tree), table by table.

Rows are matched by primary key; for each table the diff lists rows added, removed and
changed (with the columns that changed) and every schema change, and says which version bump
the Frictionless "Data Package Version" recipe asks for.

>>> from visitdata.diff import bump_kind
>>> bump_kind("0.1.0", "0.2.0"), bump_kind("1.4.2", "1.4.3")
('minor', 'patch')
"""

from __future__ import annotations

import json
import tempfile
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from .arrow import DERIVED_FROM, LIST_OF
from .errors import UsageError
from .tables import PARTIAL_DATE, TableSchema

LEVELS = ("none", "patch", "minor", "major")
_MISSING = "\x00"


@dataclass
class Snapshot:
    """One side of a diff: each table's Table Schema and rows, every cell as text."""

    label: str
    version: str | None
    schemas: dict[str, dict[str, Any]]
    frames: dict[str, pd.DataFrame]


@dataclass
class Change:
    level: str
    what: str


@dataclass
class TableDiff:
    table: str
    key: list[str]
    added: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    changed: dict[str, list[str]] = field(default_factory=dict)
    #: For each changed row, each changed cell's old and new value (text; None where empty).
    cells: dict[str, dict[str, list[str | None]]] = field(default_factory=dict)
    schema: list[Change] = field(default_factory=list)

    def limited(self, limit: int | None) -> dict[str, Any]:
        """This table's diff as a dict, each list cut to ``limit`` rows (None: all), with what was cut."""
        data = asdict(self)
        if limit is None:
            return data
        for kind in ("added", "removed"):
            data[kind] = data[kind][:limit]
        kept = list(self.changed)[:limit]
        data["changed"] = {k: self.changed[k] for k in kept}
        data["cells"] = {k: self.cells[k] for k in kept if k in self.cells}
        data["more"] = {
            "added": max(0, len(self.added) - limit),
            "removed": max(0, len(self.removed) - limit),
            "changed": max(0, len(self.changed) - limit),
        }
        return data

    @property
    def empty(self) -> bool:
        return not (self.added or self.removed or self.changed or self.schema)


@dataclass
class PackageDiff:
    old: str
    new: str
    tables: dict[str, TableDiff]
    changes: list[Change]

    @property
    def required(self) -> str:
        """The smallest bump the recipe allows for these changes."""
        return max((c.level for c in self.changes), key=LEVELS.index, default="none")

    def counts(self) -> dict[str, dict[str, int]]:
        return {
            name: {"added": len(t.added), "removed": len(t.removed), "changed": len(t.changed), "schema": len(t.schema)}
            for name, t in self.tables.items()
        }

    def to_json(self, limit: int | None = None) -> str:
        """Every change as JSON; ``limit`` cuts each table's lists of rows (and says how many more)."""
        return json.dumps(
            {
                "old": self.old,
                "new": self.new,
                "required_bump": self.required,
                "counts": self.counts(),
                "changes": [asdict(c) for c in self.changes],
                "tables": {n: t.limited(limit) for n, t in self.tables.items()},
            },
            indent=1,
            ensure_ascii=False,
        )

    def to_text(self, limit: int = 20) -> str:
        """A summary per table; changed rows show each changed cell as ``column: old -> new``."""
        lines = [f"diff {self.old} -> {self.new}: required bump {self.required}"]
        for name, t in self.tables.items():
            if t.empty:
                continue
            lines.append(f"{name}: {len(t.added)} added, {len(t.removed)} removed, {len(t.changed)} changed")
            lines += [f"  schema ({c.level}): {c.what}" for c in t.schema]
            lines += [f"  + {k}" for k in t.added[:limit]]
            lines += [f"  - {k}" for k in t.removed[:limit]]
            for k, cols in list(t.changed.items())[:limit]:
                cells = t.cells.get(k, {})
                shown = [f"{c}: {_shown(cells[c][0])} -> {_shown(cells[c][1])}" if c in cells else c for c in cols]
                lines.append(f"  ~ {k}: " + "; ".join(shown))
            hidden = max(0, len(t.added) - limit) + max(0, len(t.removed) - limit) + max(0, len(t.changed) - limit)
            if hidden:
                lines.append(f"  … {hidden} more rows (--format json lists all)")
        other = [c for c in self.changes if c.what.startswith("table ")]
        lines += [f"{c.what} ({c.level})" for c in other]
        if len(lines) == 1:
            lines.append("no changes")
        return "\n".join(lines)


def _shown(value: str | None, width: int = 60) -> str:
    """A cell value for the text diff: quoted, cut to ``width`` characters (with its length)."""
    if value is None:
        return "(empty)"
    if len(value) > width:
        return repr(value[:width]) + f"… ({len(value)} characters)"
    return repr(value)


# --- Reading the two sides ---------------------------------------------------------------------
def _curated(descriptor: dict[str, Any]) -> dict[str, Any]:
    """A release schema without the derived date columns: the columns curators write."""
    out = dict(descriptor)
    out["fields"] = [_unlisted(f) for f in descriptor["fields"] if DERIVED_FROM not in f]
    return out


def _unlisted(field: dict[str, Any]) -> dict[str, Any]:
    """A list column as curated (the release stores it as delimited text)."""
    if LIST_OF not in field:
        return field
    out = {k: v for k, v in field.items() if k != LIST_OF}
    out["type"] = "list"
    out.update(field[LIST_OF])
    return out


def from_project(root: Path, label: str | None = None) -> Snapshot:
    """The working tree: ``data/*.csv`` read as curated."""
    from ._version import __version__
    from .csvio import read_table
    from .tables import TABLE_NAMES, load_schema

    schemas, frames = {}, {}
    for name in TABLE_NAMES:
        try:
            schema = load_schema(root, name)
        except FileNotFoundError:
            continue
        schemas[name] = schema.descriptor
        frames[name] = read_table(root, schema).frame.astype(object).where(lambda f: f.notna(), None)
    return Snapshot(label or f"working tree ({root})", __version__, schemas, frames)


def from_version(root: Path, version: str) -> Snapshot:
    """A recorded release: its commit's ``data/`` if this repository has the commit, else its files
    downloaded (verified). The temporary checkout is removed before this returns."""
    from . import registry
    from .errors import ReleaseError
    from .releasing import checkout
    from .remote import fetch_release

    reg = registry.read(root) if registry.path_in(root).exists() else registry.installed()
    release = reg.get(version)
    label = f"release {version}"
    with tempfile.TemporaryDirectory(prefix="visitdata-diff-") as tmp:
        try:
            return from_project(checkout(root, release.commit, Path(tmp)), label=label)
        except (ReleaseError, OSError):  # not a git checkout, or the commit is not in it
            pass
    return from_release(fetch_release(version, reg), label=label)


def from_release(folder: Path, label: str | None = None) -> Snapshot:
    """A release folder: ``datapackage.json`` and one Parquet file per table."""
    import pyarrow.parquet as pq

    folder = Path(folder)
    descriptor = json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))
    schemas, frames = {}, {}
    for resource in descriptor["resources"]:
        schema = _curated(resource["schema"])
        columns = [f["name"] for f in schema["fields"]]
        table = pq.read_table(folder / resource["path"], columns=columns)
        frame = pd.DataFrame({c: _as_text(table.column(c).to_pylist()) for c in columns})
        schemas[resource["name"]], frames[resource["name"]] = schema, frame
    return Snapshot(label or f"release {descriptor.get('version')}", descriptor.get("version"), schemas, frames)


def _as_text(values: list[Any]) -> pd.Series:
    # Booleans as the CSV files write them (Python would say True / False).
    return pd.Series(
        [None if v is None else ("true" if v else "false") if isinstance(v, bool) else str(v) for v in values],
        dtype=object,
    )


# --- Comparing ---------------------------------------------------------------------------------
def _referenced(schemas: dict[str, dict[str, Any]]) -> set[str]:
    """Tables that another table points at (removing their rows breaks references)."""
    out = set()
    for name, descriptor in schemas.items():
        schema = TableSchema(name, descriptor)
        out |= {fk.resource for fk in schema.foreign_keys if fk.resource != name}
    return out


def _key_strings(frame: pd.DataFrame, key: list[str]) -> pd.Index:
    joined = frame[key[0]].fillna("").astype(str)
    for column in key[1:]:
        joined = joined + " / " + frame[column].fillna("").astype(str)
    return pd.Index(joined)


def _schema_changes(old: dict[str, Any], new: dict[str, Any]) -> list[Change]:
    changes: list[Change] = []
    old_fields = {f["name"]: f for f in old["fields"]}
    new_fields = {f["name"]: f for f in new["fields"]}
    for name in new_fields.keys() - old_fields.keys():
        changes.append(Change("major", f"column {name} added"))
    for name in old_fields.keys() - new_fields.keys():
        changes.append(Change("major", f"column {name} removed"))
    common_old = [n for n in old_fields if n in new_fields]
    common_new = [n for n in new_fields if n in old_fields]
    if common_old != common_new:
        changes.append(Change("major", "columns reordered"))
    if old.get("primaryKey") != new.get("primaryKey"):
        changes.append(Change("major", f"primary key {old.get('primaryKey')} -> {new.get('primaryKey')}"))
    if old.get("foreignKeys") != new.get("foreignKeys"):
        changes.append(Change("minor", "foreign keys changed"))
    for name in common_new:
        changes += _field_changes(name, old_fields[name], new_fields[name])
    for key in ("description", "title"):
        if old.get(key) != new.get(key):
            changes.append(Change("patch", f"table {key} changed"))
    return changes


def _field_changes(name: str, old: dict[str, Any], new: dict[str, Any]) -> list[Change]:
    out: list[Change] = []
    if (old.get("type"), old.get(PARTIAL_DATE)) != (new.get("type"), new.get(PARTIAL_DATE)) or old.get(
        "format"
    ) != new.get("format"):
        out.append(Change("major", f"column {name}: type {old.get('type')} -> {new.get('type')}"))
    oc, nc = old.get("constraints", {}), new.get("constraints", {})
    if oc.get("enum") != nc.get("enum"):
        removed = set(oc.get("enum") or []) - set(nc.get("enum") or [])
        level = "major" if removed or (nc.get("enum") and not oc.get("enum")) else "minor"
        out.append(
            Change(level, f"column {name}: vocabulary changed" + (f" (removed {sorted(removed)})" if removed else ""))
        )
    for key in ("required", "unique"):
        if bool(oc.get(key)) != bool(nc.get(key)):
            out.append(
                Change(
                    "major" if nc.get(key) else "minor",
                    f"column {name}: {key} {bool(oc.get(key))} -> {bool(nc.get(key))}",
                )
            )
    other = {k for k in oc.keys() | nc.keys() if k not in ("enum", "required", "unique")}
    if any(oc.get(k) != nc.get(k) for k in other):
        out.append(Change("major", f"column {name}: constraints changed"))
    for key in ("description", "title", "x-enum-descriptions"):
        if old.get(key) != new.get(key):
            out.append(Change("patch", f"column {name}: {key} changed"))
    return out


def _cell(text: str) -> str | None:
    return None if text in (_MISSING, "") else text


def _rows(
    name: str, key: list[str], old: pd.DataFrame, new: pd.DataFrame, referenced: bool
) -> tuple[TableDiff, list[Change]]:
    diff = TableDiff(name, key)
    o = old.set_axis(_key_strings(old, key))
    n = new.set_axis(_key_strings(new, key))
    diff.added = sorted(n.index.difference(o.index))
    diff.removed = sorted(o.index.difference(n.index))
    common = o.index.intersection(n.index)
    columns = [c for c in n.columns if c in o.columns and c not in key]
    if len(common) and columns:
        a = o.loc[common, columns].fillna(_MISSING).astype(str)
        b = n.loc[common, columns].fillna(_MISSING).astype(str)
        differs = a.ne(b)
        for row in differs.index[differs.any(axis=1)]:
            cols = [c for c in columns if differs.at[row, c]]
            diff.changed[row] = cols
            diff.cells[row] = {c: [_cell(a.at[row, c]), _cell(b.at[row, c])] for c in cols}
    changes = []
    if diff.added:
        changes.append(Change("minor", f"{name}: {len(diff.added)} rows added"))
    if diff.removed:
        level = "major" if referenced else "patch"
        changes.append(
            Change(
                level,
                f"{name}: {len(diff.removed)} rows removed"
                + (" (other tables reference this table)" if referenced else ""),
            )
        )
    if diff.changed:
        changes.append(Change("patch", f"{name}: {len(diff.changed)} rows corrected"))
    return diff, changes


def compare(old: Snapshot, new: Snapshot) -> PackageDiff:
    """Rows and schemas of ``new`` against ``old``, with the version bump they require."""
    tables: dict[str, TableDiff] = {}
    changes: list[Change] = []
    for name in old.schemas.keys() - new.schemas.keys():
        changes.append(Change("major", f"table {name} removed"))
    for name in new.schemas.keys() - old.schemas.keys():
        changes.append(Change("minor", f"table {name} added"))
        key = new.schemas[name].get("primaryKey", [])
        tables[name] = TableDiff(name, key, added=sorted(_key_strings(new.frames[name], key)) if key else [])
    referenced = _referenced(old.schemas)
    for name in [n for n in new.schemas if n in old.schemas]:
        schema_changes = _schema_changes(old.schemas[name], new.schemas[name])
        key = new.schemas[name].get("primaryKey") or []
        if key and key == old.schemas[name].get("primaryKey"):
            diff, row_changes = _rows(name, key, old.frames[name], new.frames[name], name in referenced)
        else:
            diff, row_changes = TableDiff(name, key), []
        diff.schema = schema_changes
        tables[name] = diff
        changes += [Change(c.level, f"{name}: {c.what}") for c in schema_changes] + row_changes
    return PackageDiff(old.label, new.label, tables, changes)


# --- Versions ----------------------------------------------------------------------------------
def parse_version(version: str) -> tuple[int, int, int]:
    parts = version.split(".")
    if len(parts) != 3 or not all(p.isdigit() for p in parts):
        raise UsageError(f"version {version!r} is not MAJOR.MINOR.PATCH")
    major, minor, patch = (int(p) for p in parts)
    return major, minor, patch


def bump_kind(old: str, new: str) -> str:
    """Which part ``new`` increments over ``old`` (and resets the lower parts)."""
    a, b = parse_version(old), parse_version(new)
    if b[0] == a[0] + 1 and b[1:] == (0, 0):
        return "major"
    if b[0] == a[0] and b[1] == a[1] + 1 and b[2] == 0:
        return "minor"
    if b[:2] == a[:2] and b[2] == a[2] + 1:
        return "patch"
    raise UsageError(f"{new} does not follow {old} by one major, minor or patch step")


def allowed(required: str, old: str, new: str) -> bool:
    """Whether the bump ``old`` -> ``new`` is enough for changes needing ``required``.

    Before 1.0.0 the recipe's public-consultation phase applies: a minor bump may carry
    incompatible changes, as in semantic versioning's 0.y.z.
    """
    kind = bump_kind(old, new)
    if parse_version(old)[0] == 0 and required == "major":
        required = "minor"
    return LEVELS.index(kind) >= LEVELS.index(required)
