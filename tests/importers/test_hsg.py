"""Tests of the Office of the Historian importer on small excerpts of the real snapshot.

Each excerpt is cut from ``../shared/sources/history-state-gov`` inside the test (the raw
files never enter the repository), keeping the upstream folder layout.
"""

from __future__ import annotations

import copy
import shutil
import xml.etree.ElementTree as ET
from pathlib import Path

import pandas as pd
import pytest

from conftest import REPO, SHARED_SOURCES
from hsg_helpers import make_root
from visitdata.importers import get_importer, hsg
from visitdata.importers.hsg.countries import Crosswalk
from visitdata.importers.hsg.names import met_with, met_with_mentions, name_key, parse_visitor, split_title
from visitdata.importers.hsg.persons import cluster_mentions, person_aliases
from visitdata.importers.hsg.state import Build, Mention
from visitdata.importers.hsg.text import visit_type
from visitdata.validate import validate_package

HSG = SHARED_SOURCES / "history-state-gov"

needs_snapshot = pytest.mark.skipif(
    not (HSG / "travels").is_dir(),
    reason=f"the Office of the Historian snapshot is not at {HSG} (../shared/sources next to the repository)",
)


# --------------------------------------------------------------------------- helpers


def cut_excerpt(dest: Path, trip_ids: set[int] = frozenset(), visit_ids: set[int] = frozenset()) -> Path:
    """A snapshot folder holding only the chosen trips and visits (plus presidents and pocom)."""
    dest.mkdir(parents=True, exist_ok=True)
    for kind in ("president", "secretary"):
        root = ET.Element("trips")
        for f in sorted((HSG / "travels" / f"{kind}-travels").glob("*.xml")):
            for t in ET.parse(f).getroot().iter("trip"):
                if int(t.findtext("id")) in trip_ids:
                    root.append(copy.deepcopy(t))
        out = dest / "travels" / f"{kind}-travels" / "excerpt.xml"
        out.parent.mkdir(parents=True, exist_ok=True)
        ET.ElementTree(root).write(out, encoding="utf-8")
    (dest / "travels" / "presidents").mkdir(parents=True, exist_ok=True)
    shutil.copy(HSG / "travels" / "presidents" / "presidents.xml", dest / "travels" / "presidents")
    root = ET.Element("visits")
    for f in sorted((HSG / "visits" / "data").glob("*.xml")):
        for v in ET.parse(f).getroot().iter("visit"):
            if int(v.findtext("id")) in visit_ids:
                root.append(copy.deepcopy(v))
    (dest / "visits" / "data").mkdir(parents=True, exist_ok=True)
    ET.ElementTree(root).write(dest / "visits" / "data" / "excerpt.xml", encoding="utf-8")
    shutil.copytree(HSG / "pocom", dest / "pocom", dirs_exist_ok=True)
    return dest


def table(root: Path, name: str) -> pd.DataFrame:
    return pd.read_csv(root / "data" / f"{name}.csv", dtype="str", keep_default_na=False)


def attendee(root: Path, visit_id: str, participation: str) -> pd.DataFrame:
    a = table(root, "attendees")
    return a[(a["visit_id"] == visit_id) & (a["participation"] == participation)]


# Trips and visits that exercise the hard cases (ids are upstream record ids).
TRIPS = {
    4118: "Biden, Glasgow: near-duplicate of 4119",
    4119: "Biden, Glasgow: near-duplicate of 4118",
    3992: "Blinken, Tokyo: near-duplicate of 4019",
    4019: "Blinken, Tokyo: near-duplicate of 3992",
    2739: "Eisenhower in Korea as president-elect",
    2442: "G. W. Bush at the Vatican (empty locale)",
    2443: "G. W. Bush in Italy on the same days",
    2381: "G. W. Bush meets President Fox in Mexico",
    2821: "Nixon in Germany, 1969",
    1671: "Rogers: Accompanied President Nixon",
    977: "Kissinger in Moscow, filed under russia as U.S.S.R.",
    1096: "Kissinger shuttle: Egypt",
    1098: "Kissinger shuttle: Israel, overlapping Egypt",
    4002: "Blinken, a stop labelled Denmark (Greenland)",
    4047: "Blinken meets a foreign minister who never visited the U.S. in these records",
    2387: "G. W. Bush in Slovenia meets 'Russian President Putin'",
    4117: "Biden at the G20 in Rome meets Chancellor Angela Merkel",
    2917: "Reagan's state visit to Paris",
    2918: "Reagan at the Versailles summit, inside the Paris stay",
}
VISITS = {
    1423: "President-elect Vicente Fox",
    1478: "President Vicente Fox",
    671: "Gorbachev as General Secretary",
    697: "Gorbachev as President",
    3099: 'from "somoa"',
    2138: "King Kalakaua of Hawaii, 1874: no ISO code",
    1817: "Chancellor Angela Merkel",
    2044: "Gordon Brown in New York, 24-25 September 2009",
    2064: "Gordon Brown in Pittsburgh on the same days",
}


@pytest.fixture(scope="module")
def imported(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, hsg.Summary]:
    if not (HSG / "travels").is_dir():
        pytest.skip(f"the Office of the Historian snapshot is not at {HSG}")
    base = tmp_path_factory.mktemp("hsg")
    snap = cut_excerpt(base / "snapshot", set(TRIPS), set(VISITS))
    root = make_root(base / "project")
    summary = hsg.run(root, snap)
    return root, snap, summary


# --------------------------------------------------------------------------- countries


def test_crosswalk_maps_by_date_not_by_name() -> None:
    walk = Crosswalk.load()
    assert walk.code("russia", "1973-10-20") == "SUN"
    assert walk.code("russia", "1992-02-16") == "RUS"  # upstream still labels it U.S.S.R.
    assert walk.code("germany", "1969-02-26") == "DEU"  # West Germany
    assert walk.code("german-democratic-republic", "1975-01-01") == "DDR"
    assert walk.code("yugoslavia", "1990-01-01") == "YUG"
    assert walk.code("serbia", "2004-01-01") == "SCG"
    assert walk.code("zimbabwe", "1978-04-17") == "RHO"
    assert walk.code("zimbabwe", "1990-01-01") == "ZWE"
    assert walk.code("kosovo", "1999-07-29") == "YUG"
    assert walk.code("kosovo", "2010-10-13") == "XKX"  # no ISO code: the user-assigned code
    assert walk.code("hawaii", "1874-12-12") == ""  # Kingdom of Hawaii
    assert walk.code("hawaii", "1950-01-01") == "USA"
    assert walk.code("antarctica", "2016-11-10") == "ATA"  # an ISO code, though not a state


@pytest.mark.parametrize(
    ("old", "new", "code"),
    [
        ("czech-republic", "czechia", "CZE"),
        ("turkey", "turkiye", "TUR"),
        ("swaziland", "eswatini", "SWZ"),
        ("macedonia", "north-macedonia", "MKD"),
        ("somoa", "samoa", "WSM"),
        ("korea", "korea-south", "KOR"),
    ],
)
def test_crosswalk_renamed_ids_and_typos(old: str, new: str, code: str) -> None:
    walk = Crosswalk.load()
    assert walk.code(old, "2020-01-01") == walk.code(new, "2020-01-01") == code


def test_crosswalk_codes_exist_in_countries_table() -> None:
    codes = set(table(REPO, "countries")["country_code"])
    walk = Crosswalk.load()
    used = {s.country_code for spans in walk.spans.values() for s in spans if s.country_code}
    assert used <= codes


@needs_snapshot
def test_crosswalk_covers_every_upstream_id_on_its_dates() -> None:
    snap = hsg.read_snapshot(HSG)
    walk = Crosswalk.load()
    missing = {(cid, t.start) for t in snap.trips for cid, _ in t.countries if walk.lookup(cid, t.start) is None}
    missing |= {(v.from_id, v.start) for v in snap.visits if walk.lookup(v.from_id, v.start) is None}
    assert not missing


# --------------------------------------------------------------------------- names


def test_visitor_titles_typos_and_two_people() -> None:
    assert split_title("Prime Minister Kyriakos Mitsotakis") == split_title("Prime Minster Kyriakos Mitsotakis")
    assert split_title("Prime MinisterHaidar al-Abadi").title == "Prime Minister"
    assert split_title("President- elect Ernesto Zedillo").title == "President-elect"
    two = parse_visitor("President Anwar Sadat, Prime Minister Mustafa Khalil")
    assert [(p.title, p.name) for p in two] == [("President", "Anwar Sadat"), ("Prime Minister", "Mustafa Khalil")]
    assert len(parse_visitor("President Benigno S. Aquino, 3rd")) == 1  # a suffix, not a second person
    assert [p.title for p in parse_visitor("Premier and Prince Sihanouk")] == ["Premier"]
    assert split_title("Lieutenant General Olusegun Obasanjo").title == ""  # a rank is not an office


def test_name_variants_are_merged_conservatively() -> None:
    assert name_key("Jacques R. Chirac") == name_key("Jacques Chirac")
    assert name_key("Ellen Johnson-Sirleaf") == name_key("Ellen Johnson Sirleaf")
    assert name_key("Sheikh Hamad bin Khalifa al-Thani") == name_key("Hamad bin Khalifa al-Thani")
    assert name_key("Alberto Fernández") == name_key("Alberto Fernandez")
    assert name_key("Volodymyr Zelensky") != name_key("Volodymyr Zelenskyy")  # never guessed
    assert name_key("Juan Carlos I") != name_key("Juan Carlos")  # regnal numbers kept


def test_met_with_mentions() -> None:
    found = met_with_mentions("Met with King Juan Carlos I and President Aznar.")
    assert [(p.title, p.name) for p in found] == [("King", "Juan Carlos I"), ("President", "Aznar")]
    assert met_with_mentions("Attended the NATO Summit Meeting.") == []
    assert [q for _, q in met_with("Met with Prime Minister Drnovsek and Russian President Putin.")] == [False, True]
    assert [p.name for p in met_with_mentions("Met with President Alexander Van der Bellen.")] == [
        "Alexander Van der Bellen"
    ]


@pytest.mark.parametrize(
    ("text", "anywhere", "expected"),
    [
        ("Official working visit. Private visit to New York City afterward.", True, ("official_working", "stated")),
        ("State Visit. Also visited New York City.", True, ("state", "stated")),
        ("Met with President Clinton during a private visit.", True, ("private", "stated")),
        ("State visit.", False, ("state", "stated")),
        ("Met with the King during his state visit.", False, ("unspecified", "")),
        ("Attended the funeral of Pope John Paul II.", False, ("ceremony", "inferred")),
        ("Attended the NATO Summit Meeting.", False, ("multilateral_meeting", "inferred")),
        ("", True, ("unspecified", "")),
    ],
)
def test_visit_type(text: str, anywhere: bool, expected: tuple[str, str]) -> None:
    assert visit_type(text, stated_anywhere=anywhere)[:2] == expected


# --------------------------------------------------------------------------- import


def test_registered_as_importer() -> None:
    assert get_importer("hsg").runner is hsg.run


def test_near_duplicates_are_merged_and_reported(imported) -> None:
    root, _, summary = imported
    visits = table(root, "visits")
    assert "hsg-trip-4118" in set(visits["visit_id"]) and "hsg-trip-4119" not in set(visits["visit_id"])
    assert "hsg-trip-3992" in set(visits["visit_id"]) and "hsg-trip-4019" not in set(visits["visit_id"])
    assert "4119" in visits.set_index("visit_id").loc["hsg-trip-4118", "notes"]
    assert summary.stats["trip_duplicates"] == 2


def test_president_elect_trip_has_its_own_role(imported) -> None:
    root, _, _ = imported
    lead = attendee(root, "hsg-trip-2739", "lead").iloc[0]
    assert lead["role_id"] == "us-president-elect-34"
    role = table(root, "roles").set_index("role_id").loc["us-president-elect-34"]
    assert role["start_date"] == "" and role["end_date"] == "1953-01-19"


def test_two_non_consecutive_terms_are_two_roles() -> None:
    snap = hsg.read_snapshot(HSG) if (HSG / "travels").is_dir() else pytest.skip("no snapshot")
    b = Build(snap, Crosswalk.load())
    assert b.president_role(b.term_on(None, "1886-01-01")) == "us-president-22"
    assert b.president_role(b.term_on(None, "1894-01-01")) == "us-president-24"
    assert b.roles["us-president-22"]["person_id"] == b.roles["us-president-24"]["person_id"] == "grover-cleveland"


def test_ussr_by_date_and_empty_locale(imported) -> None:
    root, _, _ = imported
    visits = table(root, "visits").set_index("visit_id")
    assert visits.loc["hsg-trip-977", "host_country"] == "SUN"
    assert visits.loc["hsg-trip-2442", "host_country"] == "VAT"
    assert visits.loc["hsg-trip-2442", "place"] == ""
    assert visits.loc["hsg-trip-2442", "visit_type"] == "ceremony"


def test_accompanied_secretary_joins_presidents_visit(imported) -> None:
    root, _, summary = imported
    assert "hsg-trip-1671" not in set(table(root, "visits")["visit_id"])
    member = attendee(root, "hsg-trip-2821", "delegation_member")
    assert list(member["person_id"]) == ["william-p-rogers"]
    assert member.iloc[0]["role_id"].startswith("us-secretary-of-state-")
    assert summary.stats["accompanied_merged"] == 1


def test_visit_to_us_lead_host_and_type(imported) -> None:
    root, _, _ = imported
    visits = table(root, "visits").set_index("visit_id")
    assert visits.loc["hsg-visit-1478", "host_country"] == "USA"
    lead = attendee(root, "hsg-visit-1478", "lead").iloc[0]
    host = attendee(root, "hsg-visit-1478", "host").iloc[0]
    assert lead["person_id"] == "vicente-fox" and lead["role_id"] == "vicente-fox-president"
    assert (host["person_id"], host["role_id"]) == ("george-w-bush", "us-president-43")
    assert "inferred" in host["notes"]
    # the same person as president-elect: one person, two offices
    assert attendee(root, "hsg-visit-1423", "lead").iloc[0]["role_id"] == "vicente-fox-president-elect"


def test_same_leader_under_two_titles_is_one_person(imported) -> None:
    root, _, _ = imported
    leads = {attendee(root, f"hsg-visit-{i}", "lead").iloc[0]["role_id"] for i in (671, 697)}
    persons = {attendee(root, f"hsg-visit-{i}", "lead").iloc[0]["person_id"] for i in (671, 697)}
    assert len(persons) == 1 and len(leads) == 2
    roles = table(root, "roles").set_index("role_id")
    assert set(roles.loc[list(leads), "country_code"]) == {"SUN"}


def test_typo_country_and_unmapped_places(imported) -> None:
    root, _, summary = imported
    roles = table(root, "roles")
    lead = attendee(root, "hsg-visit-3099", "lead").iloc[0]
    assert roles.set_index("role_id").loc[lead["role_id"], "country_code"] == "WSM"
    assert "hsg-visit-2138" not in set(table(root, "visits")["visit_id"])
    assert summary.stats["us_visits_unmapped"] == 1


def test_counterpart_resolved_from_met_with(imported) -> None:
    root, _, summary = imported
    counterpart = attendee(root, "hsg-trip-2381", "counterpart")
    assert list(counterpart["person_id"]) == ["vicente-fox"]
    assert summary.stats["counterparts_resolved"] >= 1


def test_shuttle_stays_share_a_trip_and_are_kept_with_a_warning(imported) -> None:
    root, _, summary = imported
    visits = table(root, "visits").set_index("visit_id")
    assert visits.loc["hsg-trip-1096", "trip_id"] == "hsg-journey-1096"
    # Israel (15 days) overlaps Egypt (11 days): both stays are kept in one journey
    assert visits.loc["hsg-trip-1098", "trip_id"] == visits.loc["hsg-trip-1096", "trip_id"]
    # Bush at the Vatican and in Rome on the same three days: two countries, both kept
    assert {"hsg-trip-2442", "hsg-trip-2443"} <= set(visits.index)
    report = validate_package(root)
    assert report.errors == []
    warned = {f.value for f in report.warnings if f.rule == "lead-overlap-same-trip"}
    assert {"hsg-trip-1096", "hsg-trip-1098", "hsg-trip-2442", "hsg-trip-2443"} <= warned


def test_two_records_of_one_stay_become_one_visit(imported) -> None:
    root, _, summary = imported
    visits = table(root, "visits").set_index("visit_id")
    assert "hsg-trip-2918" not in visits.index and "hsg-visit-2064" not in visits.index
    paris = visits.loc["hsg-trip-2917"]
    assert (paris["start_date"], paris["end_date"]) == ("1982-06-02", "1982-06-07")
    assert "Versailles" in paris["place"] and "hsg travels record 2918" in paris["notes"]
    brown = visits.loc["hsg-visit-2044"]
    assert "hsg visits record 2064" in brown["notes"]
    assert len(attendee(root, "hsg-visit-2044", "lead")) == 1
    assert summary.stats["trip_nested_merged"] == 1 and summary.stats["us_nested_merged"] == 1


def test_retired_ids_are_not_written_again(tmp_path: Path, imported) -> None:
    _, snap, _ = imported
    root = make_root(tmp_path / "project")
    hsg.run(root, snap)
    # a curator renames Vicente Fox's id and retires the old one
    for name, col in (("persons", "person_id"), ("roles", "person_id"), ("attendees", "person_id")):
        frame = table(root, name)
        frame.loc[frame[col] == "vicente-fox", col] = "vicente-fox-quesada"
        if name == "persons":
            frame.loc[frame[col] == "vicente-fox-quesada", "name"] = "Vicente Fox Quesada"
        frame.to_csv(root / "data" / f"{name}.csv", index=False, lineterminator="\n")
    retired = pd.DataFrame(
        [
            {
                "table_name": "persons",
                "retired_id": "vicente-fox",
                "replaced_by": "vicente-fox-quesada",
                "retired_in": "0.2.0",
                "reason": "renamed to the full name",
            }
        ]
    )
    retired.to_csv(root / "data" / "retired_ids.csv", index=False, lineterminator="\n")
    summary = hsg.run(root, snap)
    assert "vicente-fox" not in set(table(root, "persons")["person_id"])
    assert summary.added["persons"] == 0 and summary.added["attendees"] == 0
    assert summary.stats["retired_not_rewritten"] == 1


def test_every_row_cites_a_history_state_gov_source(imported) -> None:
    root, _, _ = imported
    sources = table(root, "sources").set_index("source_id")
    for name in ("persons", "roles", "visits", "attendees"):
        for ids in table(root, name)["source_ids"]:
            for sid in ids.split(";"):
                assert sid in sources.index
    page = sources.loc["hsg-travels-president-bush-george-w"]
    assert page["url"] == "https://history.state.gov/departmenthistory/travels/president/bush-george-w"
    assert sources.loc["hsg-visits-2000", "url"] == "https://history.state.gov/departmenthistory/visits/2000"
    assert set(sources.loc[sources.index.str.startswith("hsg-"), "licence"]) == {"CC0-1.0"}


def test_no_remarks_copied(imported) -> None:
    root, snap, _ = imported
    remarks = [t.remarks for t in hsg.read_snapshot(snap).trips if len(t.remarks.split()) >= 8]
    cells = " | ".join(" | ".join(table(root, n).astype(str).agg(" ".join, axis=1)) for n in ("visits", "attendees"))
    for text in remarks:
        words = text.split()
        assert not any(" ".join(words[i : i + 8]) in cells for i in range(len(words) - 7))


def test_idempotent_and_curation_safe(tmp_path: Path, imported) -> None:
    _, snap, _ = imported
    root = make_root(tmp_path / "project")
    hsg.run(root, snap)
    before = {p.name: p.read_bytes() for p in (root / "data").glob("*.csv")}
    again = hsg.run(root, snap)
    assert sum(again.added.values()) == 0
    assert {p.name: p.read_bytes() for p in (root / "data").glob("*.csv")} == before
    # a curator corrects a place: the importer keeps it and reports the conflict
    visits = table(root, "visits")
    visits.loc[visits["visit_id"] == "hsg-trip-2381", "place"] = "San Cristóbal"
    visits.to_csv(root / "data" / "visits.csv", index=False, lineterminator="\n")
    third = hsg.run(root, snap)
    assert table(root, "visits").set_index("visit_id").loc["hsg-trip-2381", "place"] == "San Cristóbal"
    assert any("hsg-trip-2381" in c for c in third.conflicts["visits"])


def test_newer_snapshot_only_adds(tmp_path: Path) -> None:
    if not (HSG / "travels").is_dir():
        pytest.skip(f"the Office of the Historian snapshot is not at {HSG}")
    root = make_root(tmp_path / "project")
    hsg.run(root, cut_excerpt(tmp_path / "old", {2381}, {1478}))
    old = table(root, "visits")
    summary = hsg.run(root, cut_excerpt(tmp_path / "new", {2381, 977}, {1478, 671}))
    new = table(root, "visits")
    assert summary.added["visits"] == 2 and not any(summary.conflicts.values())
    pd.testing.assert_frame_equal(new[new["visit_id"].isin(old["visit_id"])].reset_index(drop=True), old)


def test_excerpt_passes_validation(imported) -> None:
    validate = pytest.importorskip("visitdata.validate")
    root, _, _ = imported
    assert validate.validate_package(root).errors == []


@pytest.mark.slow
@needs_snapshot
def test_full_import(tmp_path: Path) -> None:
    validate = pytest.importorskip("visitdata.validate")
    root = make_root(tmp_path / "project")
    summary = hsg.run(root, HSG)
    st = summary.stats
    assert st["trips_read"] == 4271 and st["visits_read"] == 3264
    parts = ("trip_visits", "trip_nested_merged", "trip_duplicates", "accompanied_merged", "trip_stops_unmapped")
    assert sum(st[p] for p in parts) == 4271
    assert st["us_visits"] + st["us_nested_merged"] + st["us_visits_unmapped"] == 3264
    assert st["trip_visits_president"] + st["trip_visits_secretary"] == st["trip_visits"]
    report = validate.validate_package(root)
    assert report.errors == []
    # Overlapping stays in two countries are shuttle diplomacy within one journey: warnings only.
    assert {f.rule for f in report.warnings} <= {"lead-overlap-same-trip", "announced-past"}


def test_reviewed_aliases_merge_spelling_variants_only() -> None:
    aliases = person_aliases()
    assert aliases[("UKR", name_key("Volodymyr Zelensky"))] == name_key("Volodymyr Zelenskyy")
    assert ("MHL", "imata-kabua") not in aliases  # Amata and Imata Kabua are two people
    assert name_key("Fiame Naomi Mata'afa") == name_key("Fiamē Naomi Mata’afa")
    mentions = [
        Mention(1, "UKR", parse_visitor("President Volodymyr Zelensky")[0], "2019-09-25", "2019"),
        Mention(2, "UKR", parse_visitor("President Volodymyr Zelenskyy")[0], "2022-12-21", "2022"),
        Mention(3, "KOR", parse_visitor("President Park")[0], "1965-05-17", "1965"),
        Mention(4, "KOR", parse_visitor("President Park Geun-hye")[0], "2013-05-07", "2013"),
        Mention(5, "BEL", parse_visitor("King Baudouin")[0], "1959-05-11", "1959"),
        Mention(6, "BEL", parse_visitor("King Baudouin")[0], "1990-06-01", "1990"),
    ]
    assign = cluster_mentions(mentions, aliases)
    assert assign[0] == assign[1]
    assert assign[2] != assign[3]  # a surname 48 years earlier is not Park Geun-hye
    assert assign[4] == assign[5]  # a reigning monarch stays one person across decades


def test_territory_maps_to_its_state_and_keeps_the_label(imported) -> None:
    root, _, _ = imported
    visit = table(root, "visits").set_index("visit_id").loc["hsg-trip-4002"]
    assert visit["host_country"] == "DNK"
    assert "Denmark (Greenland)" in visit["notes"]


def test_a_trip_listing_several_countries_gives_one_visit_per_country(tmp_path: Path) -> None:
    snap = tmp_path / "snapshot"
    for folder in ("travels/president-travels", "visits/data", "pocom/positions-principals", "pocom/people"):
        (snap / folder).mkdir(parents=True)
    (snap / "travels" / "president-travels" / "x.xml").write_text(
        '<trips><trip role="president" who="obama-barack"><id>9001</id><role>president</role>'
        "<name>Barack Obama</name><start-date>2009-04-04</start-date><end-date>2009-04-04</end-date>"
        '<country id="france">France</country><country id="germany">Germany</country>'
        "<locale>Strasbourg, Kehl</locale><remarks>Attended the NATO Summit.</remarks></trip></trips>",
        encoding="utf-8",
    )
    (snap / "visits" / "data" / "x.xml").write_text("<visits/>", encoding="utf-8")
    (snap / "pocom" / "positions-principals" / "secretary.xml").write_text("<p><principals/></p>", encoding="utf-8")
    presidents = snap / "travels" / "presidents"
    presidents.mkdir()
    if (HSG / "travels").is_dir():
        shutil.copy(HSG / "travels" / "presidents" / "presidents.xml", presidents)
    else:
        pytest.skip(f"the Office of the Historian snapshot is not at {HSG}")
    root = make_root(tmp_path / "project")
    hsg.run(root, snap)
    visits = table(root, "visits").set_index("visit_id")
    assert list(visits.index) == ["hsg-trip-9001-1", "hsg-trip-9001-2"]
    assert list(visits["host_country"]) == ["FRA", "DEU"]
    assert set(visits["trip_id"]) == {"hsg-trip-9001"}


def test_counterparts_new_person_abroad_and_qualified(imported) -> None:
    root, _, summary = imported
    baerbock = attendee(root, "hsg-trip-4047", "counterpart")
    assert list(baerbock["person_id"]) == ["annalena-baerbock"]
    role = table(root, "roles").set_index("role_id").loc[baerbock.iloc[0]["role_id"]]
    assert (role["title"], role["country_code"], role["end_status"]) == ("Foreign Minister", "DEU", "unknown")
    # Merkel, a visitor from Germany, met at a summit in Italy: her own office, not Italy's
    merkel = attendee(root, "hsg-trip-4117", "counterpart").set_index("person_id").loc["angela-merkel"]
    assert table(root, "roles").set_index("role_id").loc[merkel["role_id"], "country_code"] == "DEU"
    # "Russian President Putin" in Slovenia is not matched to a Slovenian office
    assert "vladimir-putin" not in set(attendee(root, "hsg-trip-2387", "counterpart")["person_id"])
    assert summary.stats["counterparts_qualified"] >= 1


def test_a_title_inside_a_longer_title_is_not_an_office() -> None:
    # Rubio, Riyadh 2025: the aide to the Russian president is not a president of Saudi Arabia.
    remarks = "Met with Foreign Minister Prince Faisal and Russian Aide to the President Yuri Ushakov."
    assert [p.name for p in met_with_mentions(remarks)] == ["Prince Faisal"]
