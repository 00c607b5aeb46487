import json

import pytest

from conftest import TODAY, append_rows, read, set_cell, write
from release_helpers import commit, make_repo
from visitdata import registry
from visitdata.releasing import ReleaseError, prepare, verify


@pytest.fixture
def repo(tmp_path):
    return make_repo(tmp_path / "repo")


def _release(repo, version, date="2026-01-01"):
    result = prepare(repo, version, date, today=TODAY)
    commit(repo, f"Release {version}")
    return result


def test_first_release_records_commit_hashes_and_writes_version_files(repo):
    head = repo.joinpath(".git").exists() and __import__("release_helpers").git(repo, "rev-parse", "HEAD").strip()
    result = _release(repo, "0.1.0")
    reg = registry.read(repo)
    assert reg.versions == ["0.1.0"]
    entry = reg.get("0.1.0")
    assert entry.commit == head and entry.date == "2026-01-01"
    assert set(entry.assets) >= {"visits.parquet", "datapackage.json", "SHA256SUMS"}
    assert entry.built_with["pyarrow"]
    release_dir = repo / "src" / "visitdata" / "release"
    assert json.loads((release_dir / "datapackage.json").read_text())["version"] == "0.1.0"
    assert '__version__ = "0.1.0"' in (repo / "src" / "visitdata" / "_version.py").read_text()
    assert 'version: "0.1.0"' in (repo / "CITATION.cff").read_text()
    changelog = (repo / "CHANGELOG.md").read_text()
    assert "## [Unreleased]" in changelog and "## [0.1.0] - 2026-01-01" in changelog
    assert "- First rows." in changelog.split("## [0.1.0]")[1]
    assert "| visits | 4 | 4 | 0 | 0 |" in changelog
    assert result.diff is None


def test_a_release_rebuilds_byte_for_byte_from_its_commit(repo):
    _release(repo, "0.1.0")
    append_rows(repo, "sources", [{"source_id": "s3", "source_type": "other", "publisher": "P", "title": "T"}])
    commit(repo, "more data")
    _release(repo, "0.2.0", "2026-02-01")
    assert verify(repo, "0.1.0") == []
    assert verify(repo, "0.2.0") == []


def test_the_bump_must_match_the_diff(repo):
    _release(repo, "0.1.0")
    append_rows(repo, "sources", [{"source_id": "s3", "source_type": "other", "publisher": "P", "title": "T"}])
    commit(repo, "a new row")
    with pytest.raises(ReleaseError, match="patch bump, but the changes need a minor bump"):
        prepare(repo, "0.1.1", "2026-02-01", today=TODAY)
    assert prepare(repo, "0.2.0", "2026-02-01", today=TODAY).diff.counts()["sources"]["added"] == 1


def test_a_patch_may_not_add_a_column(repo):
    _release(repo, "1.0.0")
    schema = json.loads((repo / "schemas" / "sources.json").read_text())
    schema["fields"].append({"name": "archive_url", "type": "string", "description": "x"})
    (repo / "schemas" / "sources.json").write_text(json.dumps(schema, indent=2))
    frame = read(repo, "sources")
    frame["archive_url"] = ""
    write(repo, "sources", frame)
    commit(repo, "a column")
    with pytest.raises(ReleaseError, match="column archive_url added"):
        prepare(repo, "1.0.1", "2026-02-01", today=TODAY)
    with pytest.raises(ReleaseError, match="needs a major bump|need a major bump"):
        prepare(repo, "1.1.0", "2026-02-01", today=TODAY)
    prepare(repo, "2.0.0", "2026-02-01", today=TODAY)


def test_a_minor_may_not_remove_referenced_rows_and_removed_ids_must_be_retired(repo):
    _release(repo, "1.0.0")
    write(repo, "attendees", read(repo, "attendees").query("visit_id != 'v4'"))
    write(repo, "visits", read(repo, "visits").query("visit_id != 'v4'"))
    commit(repo, "drop v4")
    with pytest.raises(ReleaseError, match="visits: 1 rows removed"):
        prepare(repo, "1.1.0", "2026-02-01", today=TODAY)
    with pytest.raises(ReleaseError, match="ids removed without a row in data/retired_ids.csv: visits: v4"):
        prepare(repo, "2.0.0", "2026-02-01", today=TODAY)
    append_rows(
        repo,
        "retired_ids",
        [{"table_name": "visits", "retired_id": "v4", "retired_in": "2.0.0", "reason": "Recorded twice."}],
    )
    commit(repo, "retire v4")
    assert prepare(repo, "2.0.0", "2026-02-01", today=TODAY).release.version == "2.0.0"


def test_uncommitted_inputs_and_reused_versions_are_refused(repo):
    set_cell(repo, "visits", {"visit_id": "v1"}, "place", "Sunan")
    with pytest.raises(ReleaseError, match="commit these inputs first"):
        prepare(repo, "0.1.0", "2026-01-01", today=TODAY)
    commit(repo, "edit")
    _release(repo, "0.1.0")
    with pytest.raises(ReleaseError, match="already recorded"):
        prepare(repo, "0.1.0", "2026-01-01", today=TODAY)


def test_the_oldest_recorded_release_of_this_repository_rebuilds_byte_for_byte():
    import subprocess

    from conftest import REPO

    reg = registry.read(REPO)
    assert reg.versions, "the repository records its releases"
    oldest = reg.releases[0]
    found = subprocess.run(
        ["git", "-C", str(REPO), "cat-file", "-e", f"{oldest.commit}^{{commit}}"], capture_output=True
    )
    if found.returncode != 0:
        pytest.skip(f"commit {oldest.commit} of release {oldest.version} is not in this clone (shallow?)")
    assert verify(REPO, oldest.version) == []
