"""Cut a release: check the version bump against the diff, build, and record it.

``visitdata release X.Y.Z`` refuses a bump smaller than the changes need (a patch that adds
a column, a minor that removes rows other tables reference), and refuses ids that vanish
without a row in ``retired_ids``. It then writes the version and date, builds the Parquet
release, records every asset's sha256 and the commit in the registry, and updates
``CITATION.cff`` and the CHANGELOG. Because the commit, version and date are recorded, any
release can be rebuilt byte for byte from its commit (:func:`rebuild`).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import platform
import re
import sqlite3
import subprocess
import sys
import tarfile
import tempfile
from dataclasses import dataclass
from pathlib import Path

from . import registry
from .artefacts import archive_bytes, published_hashes
from .build import DEFAULT_OUT, build, read_metadata
from .cite import citation_facts, write_citation_files
from .diff import PackageDiff, allowed, bump_kind, compare, from_project
from .errors import ReleaseError

#: Inputs that must be committed before a release, so that its commit can rebuild it.
INPUTS = ("data", "schemas", "datapackage.json", "src/visitdata")
#: Files the release itself writes (so they may differ from the commit).
OUTPUTS = ("src/visitdata/release", "src/visitdata/releases.json", "src/visitdata/_version.py", "datapackage.json")


#: Key under which :func:`rebuild` reports the data archive's sha256.
ARCHIVE = "(data archive)"


@dataclass
class ReleaseResult:
    release: registry.Release
    diff: PackageDiff | None


def _git(root: Path, *args: str) -> str:
    run = subprocess.run(["git", "-C", str(root), *args], capture_output=True, text=True)
    if run.returncode != 0:
        raise ReleaseError(f"git {' '.join(args)} failed: {run.stderr.strip()}")
    return run.stdout


def checkout(root: Path, commit: str, dest: Path) -> Path:
    """The files of ``commit`` (from ``git archive``) in ``dest``."""
    run = subprocess.run(["git", "-C", str(root), "archive", "--format=tar", commit], capture_output=True)
    if run.returncode != 0:
        raise ReleaseError(f"commit {commit} is not in this repository: {run.stderr.decode().strip()}")
    with tarfile.open(fileobj=io.BytesIO(run.stdout)) as tar:
        tar.extractall(dest, filter="data")
    return dest


def rebuild(root: Path, release: registry.Release, out: Path) -> dict[str, str]:
    """Rebuild a recorded release from its commit, with that commit's own code.

    Returns the sha256 of every published file (the registry's assets) and, under the
    archive's name, of the data archive made from them.
    """
    with tempfile.TemporaryDirectory() as tmp:
        source = checkout(root, release.commit, Path(tmp) / "src")
        code = (
            "import sys; from pathlib import Path; from visitdata.build import build; "
            f"build(Path({str(source)!r}), Path({str(out)!r}), version={release.version!r}, release_date={release.date!r})"
        )
        env = {"PYTHONPATH": str(source / "src"), "PATH": "/usr/bin:/bin"}
        run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env)
        if run.returncode != 0:
            raise ReleaseError(f"rebuilding {release.version} from {release.commit} failed:\n{run.stderr[-3000:]}")
    got = published_hashes(Path(out))
    got[ARCHIVE] = hashlib.sha256(archive_bytes(Path(out), release.version, release.date)).hexdigest()
    return got


def verify(root: Path, version: str) -> list[str]:
    """Rebuild a recorded release and list every file whose sha256 differs from the record."""
    release = registry.read(root).get(version)
    with tempfile.TemporaryDirectory() as tmp:
        got = rebuild(root, release, Path(tmp) / "release")
    recorded = dict(release.assets)
    if release.archive:  # releases cut before archives existed recorded none
        recorded[ARCHIVE] = release.archive
    else:
        got.pop(ARCHIVE)
    names = sorted(recorded.keys() | got.keys())
    return [f"{n}: recorded {recorded.get(n)}, rebuilt {got.get(n)}" for n in names if recorded.get(n) != got.get(n)]


def _dirty_inputs(root: Path) -> list[str]:
    status = _git(root, "status", "--porcelain", "--", *INPUTS)
    paths = [line[3:] for line in status.splitlines()]
    return [p for p in paths if not any(p == o or p.startswith(o + "/") for o in OUTPUTS)]


def _previous(root: Path, reg: registry.Registry) -> tuple[registry.Release | None, PackageDiff | None]:
    latest = reg.latest()
    if latest is None:
        return None, None
    with tempfile.TemporaryDirectory() as tmp:
        old_root = checkout(root, latest.commit, Path(tmp) / "old")
        old = from_project(old_root, label=f"release {latest.version}")
        new = from_project(root, label="working tree")
        return latest, compare(old, new)


def _retired_missing(root: Path, diff: PackageDiff) -> list[str]:
    """Ids removed since the last release without a retired_ids row."""
    from .csvio import read_table
    from .tables import load_schema

    retired = read_table(root, load_schema(root, "retired_ids")).frame
    listed = set(zip(retired["table_name"], retired["retired_id"], strict=True))
    missing = []
    for name, table in diff.tables.items():
        if len(table.key) == 1:
            missing += [f"{name}: {key}" for key in table.removed if (name, key) not in listed]
    return missing


def changelog_section(version: str, date: str, diff: PackageDiff | None, rows: dict[str, int]) -> str:
    lines = [f"## [{version}] - {date}", ""]
    notes = []
    lines += ["### Data", "", "| table | rows | added | removed | changed |", "|---|---|---|---|---|"]
    counts = diff.counts() if diff else {}
    for name, n in rows.items():
        c = counts.get(name, {"added": n, "removed": 0, "changed": 0})
        lines.append(f"| {name} | {n} | {c['added']} | {c['removed']} | {c['changed']} |")
    if diff:
        notes = [f"- {c.what} ({c.level})" for c in diff.changes if "rows" not in c.what]
    if notes:
        lines += ["", "Schema changes:", *notes]
    return "\n".join(lines) + "\n"


def _write_changelog(root: Path, section: str) -> None:
    """Put the notes under ``## [Unreleased]`` into the new version's section."""
    path = Path(root) / "CHANGELOG.md"
    text = path.read_text(encoding="utf-8")
    match = re.search(r"^## \[Unreleased\]\n(.*?)(?=^## \[|\Z)", text, re.S | re.M)
    if match:
        notes = match.group(1).strip()
        heading, rest = section.split("\n", 1)
        new = f"## [Unreleased]\n\n{heading}\n\n{notes + chr(10) + chr(10) if notes else ''}{rest.lstrip()}\n"
        text = text[: match.start()] + new + text[match.end() :]
    else:
        first = re.search(r"^## \[", text, re.M)
        at = first.start() if first else len(text)
        text = text[:at] + "## [Unreleased]\n\n" + section + "\n" + text[at:]
    path.write_text(text, encoding="utf-8")


def _write_version(root: Path, version: str, date: str) -> None:
    path = Path(root) / "src" / "visitdata" / "_version.py"
    text = path.read_text(encoding="utf-8")
    text = re.sub(r'^__version__ = ".*"$', f'__version__ = "{version}"', text, flags=re.M)
    text = re.sub(r'^RELEASE_DATE = ".*"$', f'RELEASE_DATE = "{date}"', text, flags=re.M)
    path.write_text(text, encoding="utf-8")


def prepare(root: Path, version: str, date: str | None = None, today: dt.date | None = None) -> ReleaseResult:
    """Check, build and record release ``version`` of the project at ``root``."""
    root = Path(root)
    date = date or dt.date.today().isoformat()
    reg = registry.read(root)
    if version in reg.versions:
        raise ReleaseError(f"release {version} is already recorded; releases are never rebuilt under the same number")
    dirty = _dirty_inputs(root)
    if dirty:
        raise ReleaseError(
            "commit these inputs first, so the release can be rebuilt from its commit: " + ", ".join(dirty)
        )
    latest, diff = _previous(root, reg)
    if latest is not None and diff is not None:
        kind = bump_kind(latest.version, version)
        if not allowed(diff.required, latest.version, version):
            reasons = "; ".join(c.what for c in diff.changes if c.level == diff.required)
            raise ReleaseError(
                f"{latest.version} -> {version} is a {kind} bump, but the changes need a {diff.required} bump: {reasons}"
            )
        missing = _retired_missing(root, diff)
        if missing:
            raise ReleaseError("ids removed without a row in data/retired_ids.csv: " + ", ".join(missing[:20]))
    commit = _git(root, "rev-parse", "HEAD").strip()
    result = build(root, root / DEFAULT_OUT, today=today, version=version, release_date=date)
    assets = published_hashes(result.out)
    archive = hashlib.sha256(archive_bytes(result.out, version, date)).hexdigest()
    import pandas
    import pyarrow

    built_with = {
        "python": platform.python_version(),
        "pyarrow": pyarrow.__version__,
        "pandas": pandas.__version__,
        "sqlite": sqlite3.sqlite_version,
    }
    release = registry.Release(version, date, commit, assets, None, built_with, archive=archive)
    registry.write(root, reg.with_release(release))
    _write_version(root, version, date)
    write_citation_files(root, citation_facts(read_metadata(root), version, date, None, reg.repository or None))
    _write_changelog(root, changelog_section(version, date, diff, result.rows))
    return ReleaseResult(release, diff)
