"""Build a release: validate, then write typed Parquet, ``datapackage.json`` and ``SHA256SUMS``.

The build writes into a temporary folder beside the output and swaps it in only when every
file is written, so a failed build never leaves a half-built or mixed release behind. The
same inputs give byte-identical files: rows are sorted by primary key, JSON keys are
written in a fixed order, and ``created`` is the version's release date (or
``SOURCE_DATE_EPOCH``).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq

from ._version import RELEASE_DATE, __version__
from .arrow import release_schema, to_arrow
from .artefacts import CHECKSUMS, UNSHIPPED, shipped_checksums
from .csvio import csv_path, display_path, read_table
from .dictionary import sync_readme
from .errors import BuildError
from .report import Report
from .statecodes import table_derived_columns
from .tables import TABLE_NAMES, load_schemas

#: Where the release that ships inside the package lives, relative to the project root.
DEFAULT_OUT = Path("src") / "visitdata" / "release"
DESCRIPTOR = "datapackage.json"
#: Keys of the top-level ``datapackage.json`` that the build writes; curators edit the rest.
GENERATED_KEYS = ("version", "resources")
PARQUET_MEDIATYPE = "application/vnd.apache.parquet"


@dataclass
class BuildResult:
    out: Path
    files: dict[str, str] = field(default_factory=dict)  # name -> sha256
    rows: dict[str, int] = field(default_factory=dict)
    report: Report | None = None


def sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def _dump(data: Any) -> str:
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def created_timestamp(release_date: str | None = None) -> str:
    """``SOURCE_DATE_EPOCH`` if set, else the release date at midnight UTC: never the clock."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch:
        return dt.datetime.fromtimestamp(int(epoch), dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    return f"{release_date or RELEASE_DATE}T00:00:00Z"


def read_metadata(root: Path) -> dict[str, Any]:
    """The curated, package-level part of the top-level ``datapackage.json``."""
    path = Path(root) / DESCRIPTOR
    with open(path, encoding="utf-8") as f:
        descriptor = json.load(f)
    return {k: v for k, v in descriptor.items() if k not in GENERATED_KEYS}


def source_descriptor(root: Path, version: str | None = None) -> dict[str, Any]:
    """The top-level ``datapackage.json`` as it should be: describing ``data/*.csv``."""
    root = Path(root)
    meta = read_metadata(root)
    resources = []
    for name in TABLE_NAMES:
        path = csv_path(root, name)
        resources.append(
            {
                "name": name,
                "path": f"data/{name}.csv",
                "profile": "tabular-data-resource",
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                "bytes": path.stat().st_size,
                "hash": f"sha256:{sha256(path)}",
                "schema": f"schemas/{name}.json",
            }
        )
    return _ordered(meta, version or __version__, resources)


def _ordered(meta: dict[str, Any], version: str, resources: list[dict[str, Any]], **extra: Any) -> dict[str, Any]:
    head = {k: meta[k] for k in ("profile", "name", "title", "description", "homepage") if k in meta}
    tail = {k: v for k, v in meta.items() if k not in head}
    return {**head, "version": version, **extra, **tail, "resources": resources}


def sync_descriptor(root: Path, check: bool = False, version: str | None = None) -> bool:
    """Rewrite the top-level ``datapackage.json``; with ``check``, only say whether it is current."""
    path = Path(root) / DESCRIPTOR
    wanted = _dump(source_descriptor(root, version))
    current = path.read_text(encoding="utf-8")
    if check:
        return current == wanted
    if current != wanted:
        _atomic_write(path, wanted)
    return True


def _atomic_write(path: Path, text: str) -> None:
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as f:
        f.write(text)
    os.replace(tmp, path)


def build(
    root: Path,
    out: Path | None = None,
    today: dt.date | None = None,
    *,
    version: str | None = None,
    release_date: str | None = None,
) -> BuildResult:
    """Validate ``root``; if clean, write the release to ``out`` and sync the top-level descriptor.

    ``version`` and ``release_date`` default to this package's; the release machinery passes
    them to build a new release, or to rebuild an old one from its commit.
    """
    from .validate import validate_package

    root = Path(root)
    out = Path(out) if out is not None else root / DEFAULT_OUT
    report = validate_package(root, today=today)
    if not report.ok:
        raise BuildError(f"validation failed with {len(report.errors)} errors; nothing was written", report)
    schemas = load_schemas(root)
    out.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(dir=out.parent, prefix=f".{out.name}.building-"))
    staging.chmod(0o755)
    try:
        result = _write_release(root, staging, schemas, version, release_date)
        sync_descriptor(root, version=version)
        if (root / "README.md").exists():
            sync_readme(root)
        _swap(staging, out)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    result.out = out
    result.report = report
    return result


def _write_release(
    root: Path, staging: Path, schemas: dict, version: str | None = None, release_date: str | None = None
) -> BuildResult:
    result = BuildResult(staging)
    resources = []
    frames = {name: read_table(root, schema).frame for name, schema in schemas.items()}
    for name, schema in schemas.items():
        table = to_arrow(frames[name], schema, table_derived_columns(name, frames))
        path = staging / f"{name}.parquet"
        pq.write_table(table, path, compression="zstd", write_statistics=True)
        digest = sha256(path)
        result.files[path.name] = digest
        result.rows[name] = table.num_rows
        resources.append(
            {
                "name": name,
                "path": path.name,
                "profile": "tabular-data-resource",
                "format": "parquet",
                "mediatype": PARQUET_MEDIATYPE,
                "hash": f"sha256:{digest}",
                # frictionless cannot count a Parquet file's bytes, so a standard `bytes` key
                # would fail `frictionless validate`; size and rows are given under x- keys.
                "x-bytes": path.stat().st_size,
                "x-rows": table.num_rows,
                "schema": release_schema(schema),
            }
        )
    descriptor = _ordered(
        read_metadata(root), version or __version__, resources, created=created_timestamp(release_date)
    )
    (staging / DESCRIPTOR).write_text(_dump(descriptor), encoding="utf-8")
    result.files[DESCRIPTOR] = sha256(staging / DESCRIPTOR)
    # Derived assets, read back from the files just written (one source of truth).
    from .card import write_card
    from .sqlite import SQLITE_NAME, write_sqlite

    result.files[SQLITE_NAME] = sha256(write_sqlite(staging, staging / SQLITE_NAME))
    card_dir = write_card(staging, staging / "card").parent
    for path in sorted(card_dir.iterdir()):
        result.files[f"card/{path.name}"] = sha256(path)
    # The folder's checksums list what the package ships; the published release adds the
    # database (artefacts.published_files), so each verifies where it is.
    (staging / CHECKSUMS).write_text(shipped_checksums(staging), encoding="utf-8")
    return result


def _swap(staging: Path, out: Path) -> None:
    """Replace ``out`` by ``staging`` with two renames; the old release survives a failure."""
    if out.exists():
        old = out.with_name(f".{out.name}.old")
        shutil.rmtree(old, ignore_errors=True)
        os.replace(out, old)
        os.replace(staging, out)
        shutil.rmtree(old, ignore_errors=True)
    else:
        os.replace(staging, out)


def check(root: Path, out: Path | None = None) -> list[str]:
    """What is stale: the top-level descriptor, or a shipped release that a fresh build would change."""
    root = Path(root)
    out = Path(out) if out is not None else root / DEFAULT_OUT
    stale = []
    if not sync_descriptor(root, check=True):
        stale.append(f"{DESCRIPTOR} does not describe data/ and schemas/ as they are: run `visitdata build`")
    if (root / "README.md").exists() and not sync_readme(root, check=True):
        stale.append(
            "README.md's data dictionary or rule list differs from schemas/ and the rules: run `visitdata build`"
        )
    with tempfile.TemporaryDirectory() as tmp:
        fresh = Path(tmp) / "release"
        from .validate import validate_package

        report = validate_package(root)
        if not report.ok:
            raise BuildError(f"validation failed with {len(report.errors)} errors", report)
        fresh.mkdir()
        _write_release(root, fresh, load_schemas(root))
        for name in sorted(p.relative_to(fresh).as_posix() for p in fresh.rglob("*") if p.is_file()):
            if name in UNSHIPPED:
                continue
            shipped = out / name
            if not shipped.exists() or sha256(shipped) != sha256(fresh / name):
                stale.append(f"{display_path(root, shipped)} differs from a fresh build: run `visitdata build`")
    return stale
