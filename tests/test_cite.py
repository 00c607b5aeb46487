import shutil
import subprocess
import venv

import pytest

import visitdata
from conftest import REPO
from visitdata.build import read_metadata
from visitdata.cite import cff, citation_facts


def test_formats():
    bib = visitdata.cite("bibtex")
    assert bib.startswith("@misc{visitdata_") and f"version = {{{visitdata.__version__}}}" in bib
    apa = visitdata.cite("apa")
    assert f"(Version {visitdata.__version__}) [Data set]." in apa
    assert f'version: "{visitdata.__version__}"' in visitdata.cite("cff")
    with pytest.raises(ValueError, match="valid formats: bibtex, apa, cff"):
        visitdata.cite("mla")


def test_citation_cff_is_what_the_release_machinery_writes():
    text = (REPO / "CITATION.cff").read_text()
    date = next(line.split('"')[1] for line in text.splitlines() if line.startswith("date-released"))
    assert text == cff(citation_facts(read_metadata(REPO), visitdata.__version__, date))


@pytest.mark.slow
def test_citation_cff_passes_cffconvert(tmp_path):
    env = tmp_path / "cff"
    venv.create(env, with_pip=True)
    subprocess.run([str(env / "bin" / "python"), "-m", "pip", "install", "--quiet", "cffconvert"], check=True)
    shutil.copy(REPO / "CITATION.cff", tmp_path / "CITATION.cff")
    run = subprocess.run(
        [str(env / "bin" / "cffconvert"), "--validate", "-i", str(tmp_path / "CITATION.cff")],
        capture_output=True,
        text=True,
    )
    assert run.returncode == 0, run.stdout + run.stderr
