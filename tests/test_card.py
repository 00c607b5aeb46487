"""The dataset card: self-contained HTML and SVG charts, the same bytes for the same release."""

import xml.etree.ElementTree as ET

from conftest import TODAY, make_project, set_cell
from visitdata.build import sha256
from visitdata.card import (
    CARD_NAME,
    CHARTS,
    FORMER,
    NO_REGION,
    RegionTable,
    m49_regions,
    visit_frame,
    write_card,
)
from visitdata.errors import MissingExtraError

#: A region table for the tests; the real one is UN M49 (see m49_regions).
REGIONS = RegionTable({"CHN": "Asia", "PRK": "Asia", "USA": "Americas"}, "test regions")


def test_visit_frame_derives_direction_from_the_visiting_state(release):
    frame = visit_frame(release, REGIONS.regions)
    # v3 is only announced: the card counts visits that took place.
    assert frame[["visit_id", "year", "host", "visitor", "host_region", "visitor_region"]].values.tolist() == [
        ["v1", 2019, "PRK", "CHN", "Asia", "Asia"],
        ["v2", 2019, "CHN", "PRK", "Asia", "Asia"],
        ["v4", 1990, "CHN", "SUN", "Asia", FORMER],  # visitor_country, though the lead's office is not recorded
    ]


def test_former_states_are_never_given_a_region(tmp_path):
    """A visit led by a Soviet foreign minister: SUN is a former state, counted as such (M49
    lists no former states), while a current code the table lacks has no M49 region."""
    from visitdata.build import build

    project = make_project(tmp_path / "project")
    set_cell(project, "attendees", {"visit_id": "v4", "person_id": "p-c"}, "role_id", "r-c")
    build(project, tmp_path / "release", today=TODAY)
    frame = visit_frame(tmp_path / "release", {"CHN": "Asia"}).set_index("visit_id")
    assert frame.loc["v4", "visitor"] == "SUN" and frame.loc["v4", "visitor_region"] == FORMER
    assert frame.loc["v4", "host_region"] == "Asia"
    assert frame.loc["v1", "host"] == "PRK" and frame.loc["v1", "host_region"] == NO_REGION
    assert FORMER == "former state (no M49 region)"


def test_card_is_self_contained_valid_and_reproducible(release, tmp_path):
    a = write_card(release, tmp_path / "a", REGIONS)
    write_card(release, tmp_path / "b", REGIONS)
    assert a.name == CARD_NAME
    files = sorted(p.name for p in (tmp_path / "a").iterdir())
    assert files == sorted([CARD_NAME, *CHARTS])
    assert {n: sha256(tmp_path / "a" / n) for n in files} == {n: sha256(tmp_path / "b" / n) for n in files}
    text = a.read_text(encoding="utf-8")
    for needle in ("<script", "<img", "<link", "@import", "url("):
        assert needle not in text, f"the card must load nothing: found {needle}"
    assert text.count("<svg") == len(CHARTS)  # inline, one per chart
    for name in CHARTS:
        root = ET.parse(tmp_path / "a" / name).getroot()
        assert root.tag == "{http://www.w3.org/2000/svg}svg"
    hosts = (tmp_path / "a" / "host-countries.svg").read_text()
    assert "China (CHN)" in hosts and "North Korea (PRK)" in hosts
    assert "test regions" in text and "3 visits that took place, 1990–2019" in text


def test_m49_regions_come_from_the_card_extra():
    try:
        table = m49_regions()
    except MissingExtraError as e:
        assert "visitdata[card]" in str(e)
    else:
        assert table.regions["CHN"] == "Asia" and table.regions["FRA"] == "Europe" and "SUN" not in table.regions
