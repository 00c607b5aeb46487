"""Archigos matching on a tiny Stata file written by the test (three spells, two states)."""

import pandas as pd

from conftest import append_rows, read
from visitdata import archigos
from visitdata.personmerge import TOUCHED, Tables
from visitdata.spells import apply_spells


def stata(path, rows):
    cols = ["obsid", "leadid", "ccode", "idacr", "leader", "startdate", "enddate", "exit", "borndate", "yrborn",
            "deathdate", "yrdied", "dbpediauri"]  # fmt: skip
    frame = pd.DataFrame(rows, columns=cols)
    frame["ccode"] = frame["ccode"].astype("int16")
    frame.to_stata(path / archigos.DATA_FILE, write_index=False, version=118)
    return archigos.read(path)


def test_page_names_and_lives_at_archigos_precision(tmp_path):
    sp = stata(tmp_path, [["CHN-2012", "L1", 710, "CHN", "Person", "2012-11-15", "2015-12-31", "Still in Office", "NA",
                           1953, "NA", -777, "NA"]])  # fmt: skip
    row = sp.iloc[0]
    assert (row.born, row.died, bool(row.still_in_office)) == ("1953", "", True)


def test_link_dates_the_office_and_points_the_attendance(project, tmp_path):
    # p-b holds r-b (PRK, undated) and leads v2 (2019-06) and hosts v1 (2019-06-20)
    sp = stata(tmp_path, [
        ["PRK-2011", "L2", 731, "PRK", "Person B", "2011-12-17", "2020-01-01", "Regular", "1984-01-08", 1984,
         "NA", -777, "NA"],
        ["PRK-1994", "L3", 731, "PRK", "Someone Else", "1994-07-08", "2011-12-17", "Natural Death", "NA", 1941,
         "2011-12-17", 2011, "NA"],
    ])  # fmt: skip
    links = archigos.link(project, sp)
    assert set(links.matched["obsid"]) == {"PRK-2011"}
    t = Tables.read(project, (*TOUCHED, "sources"))
    done = apply_spells(t, links, sp)
    t.write()
    roles = read(project, "roles").set_index("role_id")
    assert (roles.start_date["r-b"], roles.end_date["r-b"], roles.end_status["r-b"]) == (
        "2011-12-17",
        "2020-01-01",
        "ended",
    )
    assert "archigos-4.1" in roles.source_ids["r-b"]
    assert done.counts["roles_dated_in_place"] == 1
    persons = read(project, "persons").set_index("person_id")
    assert persons.birth_date["p-b"] == "1984-01-08"  # more precise than the month we had, and consistent
    ids = read(project, "person_identifiers")
    assert ids[["person_id", "scheme", "identifier"]].values.tolist() == [["p-b", "archigos", "L2"]]
    from visitdata.validate import validate_package

    assert validate_package(project).ok


def test_a_name_that_differs_is_not_matched(project, tmp_path):
    append_rows(project, "persons", [])
    sp = stata(tmp_path, [["PRK-2011", "L2", 731, "PRK", "Other Name", "2011-12-17", "2015-12-31", "Still in Office",
                           "NA", 1984, "NA", -777, "NA"]])  # fmt: skip
    links = archigos.link(project, sp)
    assert links.matched.empty
    assert "name differs" in " ".join(links.unmatched["why"])
