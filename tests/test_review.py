"""The duplicate review on tiny projects: one test per kind of duplicate the issue names."""

from conftest import append_rows, read, set_cell
from visitdata import review
from visitdata.cli import main
from visitdata.personmerge import Tables, merge_person, split_person


def person(pid, name, birth="", death=""):
    return {"person_id": pid, "name": name, "birth_date": birth, "death_date": death, "source_ids": "s1"}


def role(rid, pid, title, rtype, country):
    return {"role_id": rid, "person_id": pid, "title": title, "role_type": rtype, "country_code": country,
            "end_status": "unknown", "source_ids": "s1"}  # fmt: skip


def visit(vid, country, day):
    return {"visit_id": vid, "host_country": country, "visitor_country": "PRK", "start_date": day, "end_date": day,
            "visit_type": "unspecified", "status": "took_place", "source_ids": "s1"}  # fmt: skip


def attend(vid, pid, rid, how="lead"):
    return {"visit_id": vid, "person_id": pid, "role_id": rid, "participation": how, "source_ids": "s1"}


def add(project, people):
    """people: (id, name, title, role type, state, visit day[, birth, death])"""
    append_rows(project, "persons", [person(p[0], p[1], *p[6:]) for p in people])
    append_rows(project, "roles", [role(f"{p[0]}-r", p[0], p[2], p[3], p[4]) for p in people])
    append_rows(project, "visits", [visit(f"{p[0]}-v", "CHN", p[5]) for p in people])
    append_rows(project, "attendees", [attend(f"{p[0]}-v", p[0], f"{p[0]}-r") for p in people])


def pairs(project, **kw):
    return {frozenset((c.a, c.b)) for c in review.candidates(project, **kw)}


def test_spelling_variant_is_proposed(project):
    add(project, [("macky-sall", "Macky Sall", "President", "head_of_state", "PRK", "2013-03-28"),
                  ("macky-sali", "Macky Sali", "President", "head_of_state", "PRK", "2012-08-01")])  # fmt: skip
    assert frozenset(("macky-sall", "macky-sali")) in pairs(project)


def test_transliteration_is_proposed(project):
    add(project, [("heydar-aliyev", "Heydar Aliyev", "President", "head_of_state", "PRK", "1994-09-26"),
                  ("geidar-aliyev", "Geidar Aliyev", "President", "head_of_state", "PRK", "2001-04-07")])  # fmt: skip
    assert frozenset(("heydar-aliyev", "geidar-aliyev")) in pairs(project)


def test_surname_only_is_proposed_near_in_time_not_far(project):
    add(project, [("keith-holyoake", "Keith J. Holyoake", "Prime Minister", "head_of_government", "PRK", "1964-07-17"),
                  ("holyoake-prk-1961", "Holyoake", "Prime Minister", "head_of_government", "PRK", "1961-03-03"),
                  ("holyoake-prk-2020", "Holyoake", "Prime Minister", "head_of_government", "PRK", "2020-03-03")])  # fmt: skip
    found = pairs(project)
    assert frozenset(("keith-holyoake", "holyoake-prk-1961")) in found
    assert frozenset(("keith-holyoake", "holyoake-prk-2020")) not in found


def test_title_in_name_is_proposed(project):
    add(project, [("president-de-gaulle", "President de Gaulle", "President", "head_of_state", "PRK", "1960-04-22"),
                  ("charles-de-gaulle", "Charles de Gaulle", "President", "head_of_state", "PRK", "1963-11-25")])  # fmt: skip
    assert frozenset(("president-de-gaulle", "charles-de-gaulle")) in pairs(project)


def test_predecessor_and_successor_states_are_proposed_unrelated_states_not(project):
    add(project, [("havel-csk", "Vaclav Havel", "President", "head_of_state", "SUN", "1990-02-06"),
                  ("havel-cze", "Vaclav Havel", "President", "head_of_state", "RUS", "1993-04-20"),
                  ("havel-chn", "Vaclav Havel", "President", "head_of_state", "CHN", "1993-04-20")])  # fmt: skip
    found = pairs(project)
    assert frozenset(("havel-csk", "havel-cze")) in found
    assert frozenset(("havel-cze", "havel-chn")) not in found


def test_same_name_different_person_is_ruled_out_by_the_lives(project):
    # the elder died before the younger's visits: two people, whatever the name says
    add(project, [("bjarni-benediktsson", "Bjarni Benediktsson", "Prime Minister", "head_of_government", "PRK",
                   "1964-08-18", "1908-04-30", "1970-07-10"),
                  ("bjarni-benediktsson-2017", "Bjarni Benediktsson", "Prime Minister", "head_of_government", "PRK",
                   "2024-07-10")])  # fmt: skip
    assert frozenset(("bjarni-benediktsson", "bjarni-benediktsson-2017")) not in pairs(project, threshold=0.0)


def test_different_given_names_are_not_proposed(project):
    add(project, [("andreas-papandreou", "Andreas Papandreou", "Prime Minister", "head_of_government", "PRK", "1989-02-14"),
                  ("george-papandreou", "George Papandreou", "Prime Minister", "head_of_government", "PRK", "2010-03-09")])  # fmt: skip
    assert not pairs(project)


def test_a_decided_pair_is_not_proposed_again_and_the_command_exits_clean(project, capsys):
    add(project, [("macky-sall", "Macky Sall", "President", "head_of_state", "PRK", "2013-03-28"),
                  ("macky-sali", "Macky Sali", "President", "head_of_state", "PRK", "2012-08-01")])  # fmt: skip
    assert main(["review", "persons", "--root", str(project)]) == 1
    assert "macky-sali" in capsys.readouterr().out
    t = Tables.read(project)
    merge_person(t, "macky-sall", "macky-sali", "Typo of the same president's name.", "s1", "0.6.0")
    t.write()
    assert main(["review", "persons", "--root", str(project)]) == 0
    assert "no undecided" in capsys.readouterr().out
    decided = read(project, "person_reviews")
    assert decided[["person_id", "other_person_id", "decision"]].values.tolist() == [
        ["macky-sall", "macky-sali", "merge"]
    ]


def test_merge_moves_every_reference_and_retires_the_id(project):
    add(project, [("macky-sall", "Macky Sall", "President", "head_of_state", "PRK", "2013-03-28"),
                  ("macky-sali", "Macky Sali", "President", "head_of_state", "PRK", "2012-08-01")])  # fmt: skip
    append_rows(project, "attendees", [attend("macky-sall-v", "macky-sali", "macky-sali-r", "delegation_member")])
    t = Tables.read(project)
    merge_person(t, "macky-sall", "macky-sali", "Typo.", "s1", "0.6.0")
    t.write()
    assert "macky-sali" not in set(read(project, "persons").person_id)
    att = read(project, "attendees")
    assert "macky-sali" not in set(att.person_id)
    assert set(att[att.person_id == "macky-sall"].role_id) == {"macky-sall-r"}
    # one row per visit and person; the lead wins over the delegation member
    row = att[(att.visit_id == "macky-sall-v")]
    assert len(row) == 1 and row.participation.iloc[0] == "lead"
    retired = read(project, "retired_ids")
    assert {("persons", "macky-sali", "macky-sall"), ("roles", "macky-sali-r", "macky-sall-r")} <= set(
        zip(retired.table_name, retired.retired_id, retired.replaced_by, strict=True)
    )
    assert "Also recorded as Macky Sali." in read(project, "persons").set_index("person_id").notes["macky-sall"]
    from visitdata.validate import validate_package

    assert validate_package(project).ok


def test_split_gives_the_second_person_their_visits(project):
    add(project, [("bjarni-benediktsson", "Bjarni Benediktsson", "Prime Minister", "head_of_government", "PRK",
                   "1964-08-18")])  # fmt: skip
    append_rows(project, "visits", [visit("late-v", "CHN", "2024-07-10")])
    append_rows(project, "attendees", [attend("late-v", "bjarni-benediktsson", "bjarni-benediktsson-r")])
    t = Tables.read(project)
    new_role = role(
        "bjarni-benediktsson-2017-r", "bjarni-benediktsson-2017", "Prime Minister", "head_of_government", "PRK"
    )
    split_person(t, "bjarni-benediktsson", person("bjarni-benediktsson-2017", "Bjarni Benediktsson"), {"late-v"},
                 {"bjarni-benediktsson-r": {**new_role, "organisation": "", "start_date": "", "end_date": "",
                                            "notes": ""}}, "Two prime ministers of one name.", "s1")  # fmt: skip
    t.write()
    att = read(project, "attendees").set_index("visit_id")
    assert att.person_id["late-v"] == "bjarni-benediktsson-2017"
    assert att.role_id["late-v"] == "bjarni-benediktsson-2017-r"
    assert att.person_id["bjarni-benediktsson-v"] == "bjarni-benediktsson"
    reviews = read(project, "person_reviews")
    assert reviews.decision.tolist() == ["split"]
    # the split pair is decided: never proposed again
    assert not pairs(project)


def test_a_merge_decision_must_be_applied(project):
    append_rows(project, "person_reviews", [{"person_id": "p-a", "other_person_id": "p-b", "decision": "merge",
                                             "reason": "x", "source_ids": "s1"}])  # fmt: skip
    from visitdata.validate import validate_package

    report = validate_package(project)
    assert not report.ok and "review-merge-retired" in report.to_text()


def test_a_pair_kept_apart_is_listed_only_with_decided(project):
    add(project, [("amata-kabua", "Amata Kabua", "President", "head_of_state", "PRK", "1990-06-12"),
                  ("imata-kabua", "Imata Kabua", "President", "head_of_state", "PRK", "1998-11-23")])  # fmt: skip
    assert frozenset(("amata-kabua", "imata-kabua")) in pairs(project)
    append_rows(project, "person_reviews", [{"person_id": "amata-kabua", "other_person_id": "imata-kabua",
                                             "decision": "keep_apart", "reason": "Two presidents.", "source_ids": "s1"}])  # fmt: skip
    assert not pairs(project)
    (found,) = review.candidates(project, decided=True)
    assert (found.decision, found.reason) == ("keep_apart", "Two presidents.")


def test_an_hsg_reimport_files_split_visits_under_the_new_person(project):
    from collections import Counter

    from visitdata.importers.hsg.splits import follow_splits
    from visitdata.importers.merge import Merger

    append_rows(project, "persons", [person("p-a2", "Person A")])
    set_cell(project, "attendees", {"visit_id": "v3", "person_id": "p-a"}, "person_id", "p-a2")
    append_rows(project, "person_reviews", [{"person_id": "p-a", "other_person_id": "p-a2", "decision": "split",
                                             "reason": "x", "source_ids": "s1"}])  # fmt: skip
    generated = {"attendees": [attend("v1", "p-a", "r-a"), attend("v3", "p-a", "r-a")]}
    stats = Counter()
    follow_splits(Merger(project), generated, stats)
    assert [r["person_id"] for r in generated["attendees"]] == ["p-a", "p-a2"]
    assert stats["split_attendances_followed"] == 1
