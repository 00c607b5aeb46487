"""The shipped data and files: valid, current, consistent with each other."""

import json
import re

import pycountry
import pytest

import visitdata
from conftest import REPO
from visitdata.build import check
from visitdata.csvio import read_table
from visitdata.dictionary import sync_readme
from visitdata.tables import load_schema
from visitdata.validate import validate_package


def test_repository_data_validate_without_errors():
    report = validate_package(REPO)
    assert report.errors == [], report.to_text(limit=20)


def test_descriptor_readme_and_shipped_release_are_current():
    assert check(REPO) == []


def test_readme_dictionary_is_generated_from_the_schemas():
    assert sync_readme(REPO, check=True)
    readme = (REPO / "README.md").read_text()
    for name in visitdata.tables():
        for field in load_schema(REPO, name).fields:
            assert f"| `{field.name}` |" in readme


def test_one_version_everywhere():
    version = visitdata.__version__
    assert json.loads((REPO / "datapackage.json").read_text())["version"] == version
    assert re.search(rf'^version: "{re.escape(version)}"$', (REPO / "CITATION.cff").read_text(), re.M)
    assert f"## [{version}]" in (REPO / "CHANGELOG.md").read_text()


def test_countries_agree_with_pycountry():
    frame = read_table(REPO, load_schema(REPO, "countries")).frame
    current = {c.alpha_3 for c in pycountry.countries}
    former = {c.alpha_3 for c in pycountry.historic_countries}
    for row in frame.itertuples():
        if row.iso_status == "current":
            assert row.country_code in current, row.country_code
        elif row.iso_status == "user_assigned":  # outside ISO: the X.. range ISO never assigns
            assert row.country_code.startswith("X") and row.country_code not in current | former, row.country_code
        else:
            assert row.country_code in former - current, row.country_code
    assert current <= set(frame["country_code"])
    for code in ("SUN", "YUG", "DDR", "CSK"):
        assert code in set(frame["country_code"])


@pytest.mark.parametrize("name", ["persons", "roles", "visits", "attendees", "countries", "states", "state_crosswalk"])
def test_every_row_names_a_source(name):
    frame = read_table(REPO, load_schema(REPO, name)).frame
    assert frame["source_ids"].notna().all()


@pytest.mark.slow
def test_frictionless_validates_the_repository_packages():
    """The real validator on the published descriptors: the CSV package and the shipped release."""
    from frictionless import Package

    for descriptor in (REPO / "datapackage.json", visitdata.release_dir() / "datapackage.json"):
        report = Package(str(descriptor)).validate()
        assert report.valid, report.flatten(["type", "note"])[:20]
