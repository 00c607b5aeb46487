"""What a release publishes: wheel, sdist and the data archive, reproducible and verifiable."""

from __future__ import annotations

import hashlib
import io
import json
import shutil
import subprocess
import tarfile
import zipfile

import pytest

from conftest import TODAY, append_rows
from release_helpers import commit, make_repo
from visitdata import artefacts, registry
from visitdata.artefacts import CHECKSUMS, ArtefactError, archive_name
from visitdata.releasing import ARCHIVE, prepare, verify


@pytest.fixture(scope="module")
def released(tmp_path_factory):
    """A fixture project with release 1.0.0 recorded and committed."""
    repo = make_repo(tmp_path_factory.mktemp("artefacts") / "repo")
    prepare(repo, "1.0.0", "2026-01-01", today=TODAY)
    commit(repo, "Release 1.0.0")
    return repo


def _sha(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _sha256sum_check(folder):
    return subprocess.run(["sha256sum", "--strict", "-c", CHECKSUMS], cwd=folder, capture_output=True, text=True)


def test_the_shipped_folder_lists_what_it_ships_and_the_archive_lists_everything(released, tmp_path):
    folder = released / "src" / "visitdata" / "release"
    shipped = (folder / CHECKSUMS).read_text()
    assert "visitdata.sqlite" not in shipped and "visits.parquet" in shipped
    # As shipped (the wheel leaves the database out), every listed file verifies.
    copy = tmp_path / "shipped"
    shutil.copytree(folder, copy, ignore=shutil.ignore_patterns(*artefacts.UNSHIPPED))
    assert _sha256sum_check(copy).returncode == 0

    archive = artefacts.write_archive(folder, tmp_path / "a.tar.gz", "1.0.0", "2026-01-01")
    with tarfile.open(archive) as tar:
        tar.extractall(tmp_path / "out", filter="data")
    top = tmp_path / "out" / "visitdata-data-1.0.0"
    listed = (top / CHECKSUMS).read_text()
    assert "visitdata.sqlite" in listed and "card/index.html" in listed
    check = _sha256sum_check(top)
    assert check.returncode == 0, check.stdout + check.stderr
    # What the registry records are the published files: the archive's SHA256SUMS among them.
    assert registry.read(released).get("1.0.0").assets[CHECKSUMS] == _sha(top / CHECKSUMS)


def test_the_archive_is_recorded_and_verify_checks_it(released):
    entry = registry.read(released).get("1.0.0")
    assert (
        entry.archive
        == hashlib.sha256(
            artefacts.archive_bytes(released / "src" / "visitdata" / "release", "1.0.0", "2026-01-01")
        ).hexdigest()
    )
    assert verify(released, "1.0.0") == []
    tampered = registry.read(released)
    registry.write(released, tampered.with_release(registry.Release(**{**entry.__dict__, "archive": "0" * 64})))
    try:
        (difference,) = verify(released, "1.0.0")
        assert difference.startswith(f"{ARCHIVE}: recorded {'0' * 64}")
    finally:
        registry.write(released, tampered)


def test_artefacts_refuse_a_folder_that_is_not_the_recorded_release(released, tmp_path):
    repo = tmp_path / "repo"
    shutil.copytree(released, repo)
    append_rows(repo, "sources", [{"source_id": "s9", "source_type": "other", "publisher": "P", "title": "T"}])
    from visitdata.build import build

    build(repo, today=TODAY)
    with pytest.raises(ArtefactError, match="is not release 1.0.0 as recorded .*sources.parquet"):
        artefacts.make(repo, "1.0.0", tmp_path / "dist", python=False)


@pytest.mark.slow
def test_artefacts_are_byte_identical_when_made_twice(released, tmp_path):
    first = artefacts.make(released, "1.0.0", tmp_path / "one")
    second = artefacts.make(released, "1.0.0", tmp_path / "two")
    names = sorted(p.relative_to(first.folder).as_posix() for p in first.folder.rglob("*") if p.is_file())
    assert names == sorted(p.relative_to(second.folder).as_posix() for p in second.folder.rglob("*") if p.is_file())
    assert {
        "python/visitdata-1.0.0-py3-none-any.whl",
        "python/visitdata-1.0.0.tar.gz",
        archive_name("1.0.0"),
        "files/visits.parquet",
        "files/visitdata.sqlite",
        "files/SHA256SUMS",
        "NOTES.md",
    } <= set(names)
    for name in names:
        assert (first.folder / name).read_bytes() == (second.folder / name).read_bytes(), name
    assert _sha(first.archive) == registry.read(released).get("1.0.0").archive

    # The wheel declares both licences and ships a SHA256SUMS that verifies as shipped.
    with zipfile.ZipFile(first.folder / "python" / "visitdata-1.0.0-py3-none-any.whl") as wheel:
        metadata = wheel.read("visitdata-1.0.0.dist-info/METADATA").decode()
        assert "License-Expression: MIT AND CC-BY-4.0" in metadata
        assert "License-File: LICENSE" in metadata and "License-File: LICENSE-DATA" in metadata
        sums = wheel.read("visitdata/release/SHA256SUMS").decode()
        for line in sums.splitlines():
            digest, name = line.split("  ")
            assert hashlib.sha256(wheel.read(f"visitdata/release/{name}")).hexdigest() == digest, name
    notes = (first.folder / "NOTES.md").read_text()
    assert "pip install visitdata==1.0.0" in notes and archive_name("1.0.0") in notes


def test_the_release_folder_files_are_flat(released, tmp_path):
    made = artefacts.make(released, "1.0.0", tmp_path / "dist", python=False)
    assert all(p.parent.name == "files" for p in made.files)
    published = json.loads((made.folder / "files" / "datapackage.json").read_text())
    assert published["version"] == "1.0.0"
    with tarfile.open(made.archive) as tar:
        members = tar.getmembers()
    assert all(m.uid == 0 and m.gid == 0 and m.mtime == members[0].mtime for m in members)
    assert io.BytesIO(made.archive.read_bytes()).read(10)[4:8] == b"\0\0\0\0"  # gzip records no time
