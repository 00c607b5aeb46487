"""The files a release publishes: the wheel, the sdist and a reproducible archive of its data.

A researcher using R, Stata or DuckDB downloads ``visitdata-data-X.Y.Z.tar.gz``: the release
folder (Parquet, ``datapackage.json``, ``visitdata.sqlite``, the card) under one top folder,
with a ``SHA256SUMS`` that lists every file in it, so ``sha256sum -c SHA256SUMS`` checks the
whole download. The package ships the same folder without the SQLite database, and its own
``SHA256SUMS`` lists exactly what it ships.

The archive is byte-identical whenever it is made from the same files: members are sorted,
owned by nobody, dated by the release date, and gzip records no name and no time.

>>> import io, tarfile, tempfile
>>> from pathlib import Path
>>> folder = Path(tempfile.mkdtemp())
>>> _ = (folder / "a.parquet").write_bytes(b"x")
>>> publish_checksums(folder).split()[1]
'a.parquet'
>>> one = write_archive(folder, folder.parent / "one.tar.gz", "1.0.0", "2026-01-01").read_bytes()
>>> two = write_archive(folder, folder.parent / "two.tar.gz", "1.0.0", "2026-01-01").read_bytes()
>>> one == two
True
"""

from __future__ import annotations

import datetime as dt
import gzip
import hashlib
import io
import os
import shutil
import subprocess
import sys
import tarfile
from dataclasses import dataclass, field
from pathlib import Path

from .errors import ArtefactError

#: The checksum file in every release folder (``sha256sum -c`` reads it).
CHECKSUMS = "SHA256SUMS"
#: Release files that are published and checksummed in the archive, but not shipped in the
#: wheel (the SQLite database is ten times the Parquet files; ``visitdata serve`` rebuilds it).
UNSHIPPED = ("visitdata.sqlite",)
#: Where ``visitdata artefacts`` and ``visitdata release`` write, relative to the project root.
DIST = Path("dist")


def archive_name(version: str) -> str:
    """File name of a release's data archive."""
    return f"visitdata-data-{version}.tar.gz"


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _files(folder: Path) -> list[Path]:
    return sorted((p for p in Path(folder).rglob("*") if p.is_file()), key=lambda p: p.relative_to(folder).as_posix())


def checksums(folder: Path, skip: tuple[str, ...] = ()) -> str:
    """``SHA256SUMS`` text for the files of ``folder`` (the checksum file itself and ``skip`` left out)."""
    lines = []
    for path in _files(folder):
        name = path.relative_to(folder).as_posix()
        if name != CHECKSUMS and name not in skip:
            lines.append(f"{_sha256(path.read_bytes())}  {name}\n")
    return "".join(lines)


def shipped_checksums(folder: Path) -> str:
    """``SHA256SUMS`` of the folder shipped inside the package: every file but the unshipped ones."""
    return checksums(folder, skip=UNSHIPPED)


def publish_checksums(folder: Path) -> str:
    """``SHA256SUMS`` of the published release: every file of the folder."""
    return checksums(folder)


def published_files(release_folder: Path) -> dict[str, bytes]:
    """The published release: each file of the built folder, its ``SHA256SUMS`` listing all of them."""
    files = {p.relative_to(release_folder).as_posix(): p.read_bytes() for p in _files(release_folder)}
    files[CHECKSUMS] = publish_checksums(release_folder).encode()
    return dict(sorted(files.items()))


def published_hashes(release_folder: Path) -> dict[str, str]:
    """sha256 of every published file: what the registry records as a release's assets."""
    return {name: _sha256(data) for name, data in published_files(release_folder).items()}


def _epoch(date: str) -> int:
    day = dt.date.fromisoformat(date)
    return int(dt.datetime(day.year, day.month, day.day, tzinfo=dt.timezone.utc).timestamp())


def archive_bytes(release_folder: Path, version: str, date: str) -> bytes:
    """The data archive of a built release folder, as bytes (see :func:`write_archive`)."""
    top = f"visitdata-data-{version}"
    mtime = _epoch(date)
    raw = io.BytesIO()
    with tarfile.open(fileobj=raw, mode="w", format=tarfile.PAX_FORMAT) as tar:
        dirs = sorted({str(Path(n).parent) for n in published_files(release_folder)} - {"."})
        for name in ["", *dirs]:
            info = tarfile.TarInfo(f"{top}/{name}".rstrip("/"))
            info.type, info.mode, info.mtime = tarfile.DIRTYPE, 0o755, mtime
            tar.addfile(info)
        for name, data in published_files(release_folder).items():
            info = tarfile.TarInfo(f"{top}/{name}")
            info.size, info.mode, info.mtime = len(data), 0o644, mtime
            tar.addfile(info, io.BytesIO(data))
    packed = io.BytesIO()
    with gzip.GzipFile(filename="", fileobj=packed, mode="wb", compresslevel=9, mtime=0) as gz:
        gz.write(raw.getvalue())
    return packed.getvalue()


def write_archive(release_folder: Path, dest: Path, version: str, date: str) -> Path:
    """Write the reproducible data archive of ``release_folder`` to ``dest``."""
    dest = Path(dest)
    dest.parent.mkdir(parents=True, exist_ok=True)
    dest.write_bytes(archive_bytes(release_folder, version, date))
    return dest


@dataclass
class Artefacts:
    """What ``visitdata artefacts`` wrote: one folder per version under ``dist/``."""

    folder: Path
    archive: Path
    python: list[Path] = field(default_factory=list)
    files: list[Path] = field(default_factory=list)


def python_packages(root: Path, out: Path, date: str) -> list[Path]:
    """Build the wheel and the sdist of the project at ``root`` into ``out``, reproducibly.

    ``SOURCE_DATE_EPOCH`` is the release date, so both carry the same timestamps every time.
    Builds without an isolated environment when hatchling is installed (no download).
    """
    try:
        import build  # noqa: F401
    except ModuleNotFoundError as e:
        raise ArtefactError("building the wheel and sdist needs the 'build' package: pip install build") from e
    out.mkdir(parents=True, exist_ok=True)
    args = [sys.executable, "-m", "build", "--wheel", "--sdist", "--outdir", str(out)]
    try:
        import hatchling  # noqa: F401

        args.append("--no-isolation")
    except ModuleNotFoundError:
        pass
    env = {**os.environ, "SOURCE_DATE_EPOCH": str(_epoch(date))}
    run = subprocess.run([*args, str(root)], capture_output=True, text=True, env=env)
    if run.returncode != 0:
        raise ArtefactError(f"building the wheel and sdist failed:\n{(run.stdout + run.stderr)[-3000:]}")
    return sorted(p for p in out.iterdir() if p.suffix in (".whl", ".gz"))


def make(root: Path, version: str, out: Path | None = None, *, python: bool = True) -> Artefacts:
    """Write everything release ``version`` publishes into ``out/version/`` (default ``dist/``).

    The release folder must be the recorded one (run from the release's commit): each file is
    checked against the registry's sha256 before anything is written. The folder holds
    ``python/`` (wheel and sdist), ``visitdata-data-X.Y.Z.tar.gz``, ``files/`` (the release's
    top-level files, for download one by one) and ``NOTES.md`` (the release page's text).
    """
    from . import registry
    from .build import DEFAULT_OUT
    from .sqlite import SQLITE_NAME, write_sqlite

    root = Path(root)
    release = registry.read(root).get(version)
    folder = root / DEFAULT_OUT
    if not (folder / SQLITE_NAME).exists():  # a fresh checkout: derive it from the Parquet files
        write_sqlite(folder, folder / SQLITE_NAME)
    got = published_hashes(folder)
    wrong = sorted(n for n in release.assets.keys() | got.keys() if release.assets.get(n) != got.get(n))
    if wrong:
        raise ArtefactError(
            f"the release folder is not release {version} as recorded ({', '.join(wrong[:5])} differ): "
            f"check out its commit ({release.commit[:12]}) and run `visitdata build` first"
        )
    dest = Path(out or root / DIST) / version
    shutil.rmtree(dest, ignore_errors=True)
    archive = write_archive(folder, dest / archive_name(version), version, release.date)
    if release.archive and _sha256(archive.read_bytes()) != release.archive:
        raise ArtefactError(f"the archive of {version} does not match its recorded sha256 {release.archive}")
    files = []
    for name, data in published_files(folder).items():
        if "/" not in name:  # release pages hold flat files; the card is in the archive
            files.append(dest / "files" / name)
            files[-1].parent.mkdir(parents=True, exist_ok=True)
            files[-1].write_bytes(data)
    (dest / "NOTES.md").write_text(release_notes(root, version), encoding="utf-8")
    packages = python_packages(root, dest / "python", release.date) if python else []
    return Artefacts(dest, archive, packages, files)


def release_notes(root: Path, version: str) -> str:
    """The release page's text: the version's CHANGELOG section and how to cite it."""
    import re

    text = (Path(root) / "CHANGELOG.md").read_text(encoding="utf-8")
    match = re.search(rf"^## \[{re.escape(version)}\][^\n]*\n(.*?)(?=^## \[|\Z)", text, re.S | re.M)
    body = match.group(1).strip() if match else "See CHANGELOG.md."
    return (
        f"{body}\n\nThe data: `{archive_name(version)}` (Parquet, SQLite, `datapackage.json`, the dataset card; "
        "check it with `sha256sum -c SHA256SUMS`). The package: `pip install visitdata==" + version + "`.\n"
    )
