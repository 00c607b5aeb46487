"""Older releases: downloaded from a local HTTP server on 127.0.0.1, verified, cached, offline."""

from __future__ import annotations

import functools
import http.server
import shutil
import subprocess
import threading
from pathlib import Path

import pyarrow.parquet as pq
import pytest

import visitdata
from conftest import TODAY, append_rows
from release_helpers import commit, make_repo
from visitdata import registry, remote
from visitdata.releasing import prepare


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):  # keep test output clean
        pass


@pytest.fixture(scope="module")
def published(tmp_path_factory):
    """Two real releases built by the release machinery, laid out as /{version}/{file}."""
    base = tmp_path_factory.mktemp("published")
    repo = make_repo(base / "repo")
    site = base / "site"
    for version, date in (("5.0.0", "2026-01-01"), ("5.1.0", "2026-02-01")):
        if version == "5.1.0":
            append_rows(repo, "sources", [{"source_id": "s3", "source_type": "other", "publisher": "P", "title": "T"}])
            commit(repo, "more")
        prepare(repo, version, date, today=TODAY)
        commit(repo, f"Release {version}")
        shutil.copytree(repo / "src" / "visitdata" / "release", site / version)
    return registry.read(repo), site


@pytest.fixture
def server(published):
    reg, site = published
    handler = functools.partial(_Quiet, directory=str(site))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}/{{version}}/", site
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture
def env(monkeypatch, tmp_path, published, server):
    reg, _ = published
    url, site = server
    monkeypatch.setenv(registry.BASE_URL_ENV, url)
    monkeypatch.setenv(remote.CACHE_ENV, str(tmp_path / "cache"))
    monkeypatch.setattr(registry, "installed", lambda: reg)
    return reg, site, tmp_path / "cache"


def test_load_an_older_release_verified_and_cached(env):
    reg, site, cache = env
    frame = visitdata.load("sources", version="5.0.0")
    assert list(frame["source_id"]) == ["s1", "s2"]
    assert len(visitdata.load("sources", version="5.1.0")) == 3
    assert (cache / "5.0.0" / "sources.parquet").exists()
    assert pq.read_table(cache / "5.0.0" / "sources.parquet").num_rows == 2
    assert visitdata.datapackage("5.1.0")["version"] == "5.1.0"
    assert sorted(visitdata.load_all(version="5.0.0")) == sorted(visitdata.tables())


def test_works_offline_from_the_cache(env, monkeypatch):
    visitdata.load("visits", version="5.0.0")
    monkeypatch.setenv(registry.BASE_URL_ENV, "http://127.0.0.1:9/{version}/")  # nothing listens there
    assert len(visitdata.load("visits", version="5.0.0")) == 4


@pytest.mark.parametrize("damage", ["tamper", "truncate"])
def test_a_damaged_file_is_rejected_and_not_cached(env, damage):
    reg, site, cache = env
    target = site / "5.0.0" / "persons.parquet"
    original = target.read_bytes()
    try:
        target.write_bytes(
            original.replace(b"Person A", b"Person X") if damage == "tamper" else original[: len(original) // 2]
        )
        with pytest.raises(remote.ReleaseDownloadError, match="does not match its recorded sha256"):
            visitdata.load("persons", version="5.0.0")
        assert not (cache / "5.0.0" / "persons.parquet").exists()
        assert not any(p.name.startswith("tmp") for p in (cache / "5.0.0").glob("*"))
    finally:
        target.write_bytes(original)


def test_an_unknown_version_lists_the_known_ones(env):
    with pytest.raises(registry.UnknownReleaseError, match="known releases: 5.0.0, 5.1.0"):
        visitdata.load("visits", version="9.9.9")


def test_an_unreachable_server_says_what_failed(env, monkeypatch):
    monkeypatch.setenv(registry.BASE_URL_ENV, "http://127.0.0.1:9/{version}/")
    with pytest.raises(remote.ReleaseDownloadError, match="could not download visits.parquet of release 5.0.0"):
        visitdata.load("visits", version="5.0.0")


def test_no_configured_address_says_how_to_set_one(monkeypatch, tmp_path, published):
    reg, _ = published
    monkeypatch.delenv(registry.BASE_URL_ENV, raising=False)
    monkeypatch.setenv(remote.CACHE_ENV, str(tmp_path))
    with pytest.raises(LookupError, match="VISITDATA_BASE_URL"):
        remote.fetch("5.0.0", "visits.parquet", registry.Registry("", reg.releases))


def test_the_installed_registry_records_the_shipped_release():
    reg = registry.installed()
    if visitdata.__version__ not in reg.versions:
        pytest.skip(f"version {visitdata.__version__} is not recorded yet")
    release = reg.get(visitdata.__version__)
    shipped = Path(visitdata.release_dir())
    from conftest import REPO
    from visitdata.artefacts import CHECKSUMS, UNSHIPPED
    from visitdata.build import sha256

    differ = [n for n, d in release.assets.items() if n not in (*UNSHIPPED, CHECKSUMS) and sha256(shipped / n) != d]
    if differ:
        # Between releases the inputs may move on; the next `visitdata release` records them.
        changed = subprocess.run(
            [
                "git",
                "-C",
                str(REPO),
                "diff",
                "--quiet",
                release.commit,
                "HEAD",
                "--",
                "data",
                "schemas",
                "src/visitdata",
            ],
            capture_output=True,
        )
        if changed.returncode == 1:
            pytest.skip(f"unreleased changes since {release.version}: {', '.join(differ[:3])}")
    assert differ == []
