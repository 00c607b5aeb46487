"""Publishing: the workflow lints, the citation files agree, and a published release works for a
user outside the repository (installed from the wheel or the sdist, files from a local server)."""

from __future__ import annotations

import functools
import http.server
import json
import os
import shutil
import subprocess
import sys
import threading
import venv
from pathlib import Path

import pytest
import yaml

import visitdata
from conftest import REPO, TODAY, append_rows
from release_helpers import commit, make_repo
from visitdata import artefacts, registry
from visitdata.build import read_metadata
from visitdata.cite import ZENODO_FILE, citation_facts, zenodo

WORKFLOW = REPO / ".github" / "workflows" / "release.yml"


def test_the_publishing_workflow_passes_actionlint():
    actionlint = shutil.which("actionlint", path=f"{Path(sys.executable).parent}:{os.environ.get('PATH', '')}")
    assert actionlint, "actionlint is in the test extra (pip install -e '.[test]')"
    run = subprocess.run([actionlint, "-no-color", str(WORKFLOW)], capture_output=True, text=True, cwd=REPO)
    assert run.returncode == 0, run.stdout + run.stderr


def test_the_workflow_publishes_with_trusted_publishing_and_records_the_address():
    flow = yaml.safe_load(WORKFLOW.read_text())
    jobs = flow["jobs"]
    assert jobs["pypi"]["permissions"] == {"id-token": "write"}  # OpenID Connect, no stored token
    assert not any("password" in json.dumps(step) for step in jobs["pypi"]["steps"])
    steps = " ".join(step.get("run", "") for job in jobs.values() for step in job["steps"])
    assert "visitdata verify" in steps and "visitdata artefacts" in steps
    assert 'record-address "${{ steps.version.outputs.version }}"' in steps
    assert "${GITHUB_SERVER_URL}/${GITHUB_REPOSITORY}" in steps  # derived, never typed


def test_zenodo_metadata_and_citation_cff_agree():
    cff = yaml.safe_load((REPO / "CITATION.cff").read_text())
    meta = json.loads((REPO / ZENODO_FILE).read_text())
    assert meta["title"] == cff["title"]
    assert [c["name"] for c in meta["creators"]] == [a["name"] for a in cff["authors"]]
    assert meta["license"] == cff["license"].lower()
    assert meta["keywords"] == cff["keywords"]
    assert meta["upload_type"] == "dataset"
    date = str(cff["date-released"])
    assert (REPO / ZENODO_FILE).read_text() == zenodo(citation_facts(read_metadata(REPO), visitdata.__version__, date))


def test_citations_carry_the_repository_and_the_doi_once_recorded():
    facts = citation_facts(
        {"title": "T"}, "1.2.0", "2026-01-01", "10.5281/zenodo.1", "https://forge.example/o/visitdata"
    )
    from visitdata.cite import apa, bibtex, cff

    assert "https://doi.org/10.5281/zenodo.1" in apa(facts)
    assert "doi = {10.5281/zenodo.1}" in bibtex(facts) and "https://forge.example/o/visitdata" in bibtex(facts)
    text = cff(facts)
    assert 'doi: "10.5281/zenodo.1"' in text and 'repository-code: "https://forge.example/o/visitdata"' in text


def test_record_address_derives_the_files_address_from_the_repository():
    reg = registry.Registry("", [registry.Release("1.0.0", "2026-01-01", "c", {})])
    reg = reg.with_address("1.0.0", "https://forge.example/o/visitdata/")
    assert reg.repository == "https://forge.example/o/visitdata"
    assert (
        reg.url("1.0.0", "visits.parquet")
        == "https://forge.example/o/visitdata/releases/download/v1.0.0/visits.parquet"
    )
    with pytest.raises(ValueError, match="not an http"):
        reg.with_address("1.0.0", "forge.example/o/visitdata")
    with pytest.raises(registry.NoAddressError, match="VISITDATA_BASE_URL"):
        registry.Registry("", [registry.Release("2.0.0", "d", "c", {})]).url("2.0.0", "x")


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """A local server, and a fixture project with two releases whose files it serves."""
    base = tmp_path_factory.mktemp("publish")
    root = base / "site"
    root.mkdir()
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(root)))
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    address = f"http://127.0.0.1:{httpd.server_address[1]}"
    repo = make_repo(base / "repo")
    for version, date in (("5.0.0", "2026-01-01"), ("5.1.0", "2026-02-01")):
        if version == "5.1.0":
            append_rows(repo, "sources", [{"source_id": "s3", "source_type": "other", "publisher": "P", "title": "T"}])
            commit(repo, "more")
        from visitdata.releasing import prepare

        prepare(repo, version, date, today=TODAY)
        commit(repo, f"Release {version}")
        made = artefacts.make(repo, version, base / "dist", python=False)
        shutil.copytree(made.folder / "files", root / version)
    # What the publishing workflow does: record where each release lives, then build the packages.
    for version in ("5.0.0", "5.1.0"):
        reg = registry.read(repo).with_address(version, "https://forge.example/o/visitdata", f"{address}/{version}/")
        registry.write(repo, reg)
    made = artefacts.make(repo, "5.1.0", base / "dist")
    yield {name.name: name for name in made.python}, base
    httpd.shutdown()
    httpd.server_close()


def _user(tmp_path, package):
    """A fresh virtual environment with ``package`` installed, run from a folder that is no repository."""
    env = tmp_path / "venv"
    venv.create(env, with_pip=True)
    subprocess.run([str(env / "bin" / "python"), "-m", "pip", "install", "--quiet", f"{package}[releases]"], check=True)
    home = tmp_path / "elsewhere"
    home.mkdir()

    def run(*args):
        environment = {
            "PATH": f"{env / 'bin'}:/usr/bin:/bin",
            "VISITDATA_CACHE": str(tmp_path / "cache"),
            "HOME": str(home),
        }
        return subprocess.run(list(args), capture_output=True, text=True, cwd=home, env=environment)

    return env, run


LOAD_EVERY_TABLE = (
    "import json, visitdata\n"
    "now = {k: len(v) for k, v in visitdata.load_all().items()}\n"
    "old = {k: len(v) for k, v in visitdata.load_all(version='5.0.0').items()}\n"
    "print(json.dumps({'version': visitdata.__version__, 'now': now, 'old': old}))\n"
)


@pytest.mark.slow
@pytest.mark.parametrize("kind", ["wheel", "sdist"])
def test_a_user_installs_loads_an_older_release_diffs_and_cites(site, tmp_path, kind):
    packages, _ = site
    package = packages["visitdata-5.1.0-py3-none-any.whl" if kind == "wheel" else "visitdata-5.1.0.tar.gz"]
    env, run = _user(tmp_path, package)
    loaded = run(str(env / "bin" / "python"), "-c", LOAD_EVERY_TABLE)
    assert loaded.returncode == 0, loaded.stderr
    got = json.loads(loaded.stdout)
    assert got["version"] == "5.1.0"
    assert got["now"]["sources"] == got["old"]["sources"] + 1 and set(got["now"]) == set(got["old"])
    assert all(n > 0 for n in got["now"].values() if n)

    diff = run(str(env / "bin" / "visitdata"), "diff", "5.0.0", "5.1.0", "--format", "json")
    assert diff.returncode == 0, diff.stderr
    assert json.loads(diff.stdout)["tables"]["sources"]["added"] == ["s3"]

    cited = run(str(env / "bin" / "visitdata"), "cite", "--version", "5.0.0", "--format", "cff")
    assert cited.returncode == 0, cited.stderr
    assert 'version: "5.0.0"' in cited.stdout and 'repository-code: "https://forge.example/o/visitdata"' in cited.stdout
