"""Every rule has its own failing fixture: one edit to the tiny valid project that breaks it.

Each case names the rule, the edit, and where the finding must point (file, line, column).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial
from pathlib import Path

import pytest

from conftest import TODAY, Edit, append_rows, read, set_cell, write
from visitdata.rules import RULES
from visitdata.validate import validate_package


def _drop_column(project: Path, table: str, column: str) -> None:
    write(project, table, read(project, table).drop(columns=[column]))


def _add_column(project: Path, table: str, column: str) -> None:
    frame = read(project, table)
    frame[column] = "x"
    write(project, table, frame)


def _edits(*edits: Edit) -> Edit:
    def run(project: Path) -> None:
        for edit in edits:
            edit(project)

    return run


@dataclass
class Case:
    rule: str
    edit: Edit
    file: str
    line: int | None
    column: str


def cell(table: str, key: dict[str, str], column: str, value: str) -> Edit:
    return partial(set_cell, table=table, key=key, column=column, value=value)


def rows(table: str, new: list[dict[str, str]]) -> Edit:
    return partial(append_rows, table=table, rows=new)


V1, V2, V3 = {"visit_id": "v1"}, {"visit_id": "v2"}, {"visit_id": "v3"}
RA, RC = {"role_id": "r-a"}, {"role_id": "r-c"}
PA, PC = {"person_id": "p-a"}, {"person_id": "p-c"}
C1 = {"coverage_id": "c1"}

CASES = [
    Case("column-missing", partial(_drop_column, table="persons", column="notes"), "data/persons.csv", 1, "notes"),
    Case("column-extra", partial(_add_column, table="persons", column="nickname"), "data/persons.csv", 1, "nickname"),
    Case("required", cell("visits", V1, "host_country", ""), "data/visits.csv", 2, "host_country"),
    Case("type", cell("visits", V1, "start_date", "2019-02-30"), "data/visits.csv", 2, "start_date"),
    Case("pattern", cell("sources", {"source_id": "s1"}, "url", "ftp://example.org/a"), "data/sources.csv", 2, "url"),
    Case("enum", cell("visits", V1, "visit_type", "state visit"), "data/visits.csv", 2, "visit_type"),
    Case(
        "unique-key",
        rows("persons", [{"person_id": "p-a", "name": "Another A", "source_ids": "s1"}]),
        "data/persons.csv",
        5,
        "person_id",
    ),
    Case(
        "foreign-key",
        cell("attendees", {"visit_id": "v1", "person_id": "p-a"}, "role_id", "r-zz"),
        "data/attendees.csv",
        2,
        "role_id",
    ),
    Case("list-items", cell("persons", PA, "source_ids", "s1;;s2"), "data/persons.csv", 2, "source_ids"),
    Case("text-whitespace", cell("persons", PA, "name", "Person A "), "data/persons.csv", 2, "name"),
    Case("text-nfc", cell("persons", PA, "name", "Pe\u0301rson A"), "data/persons.csv", 2, "name"),
    Case("text-control", cell("visits", V1, "occasion", "two\tparts"), "data/visits.csv", 2, "occasion"),
    Case("text-formula", cell("visits", V1, "occasion", "=HYPERLINK(1)"), "data/visits.csv", 2, "occasion"),
    Case("visit-date-order", cell("visits", V1, "end_date", "2019-06-19"), "data/visits.csv", 2, "end_date"),
    Case(
        "role-date-order",
        _edits(cell("roles", RA, "end_date", "2012"), cell("roles", RA, "end_status", "ended")),
        "data/roles.csv",
        2,
        "end_date",
    ),
    Case("person-date-order", cell("persons", PC, "death_date", "1949"), "data/persons.csv", 4, "death_date"),
    Case(
        "country-date-order",
        cell("countries", {"country_code": "RUS"}, "valid_until", "1990"),
        "data/countries.csv",
        4,
        "valid_until",
    ),
    Case("role-end-status", cell("roles", RA, "end_status", "ended"), "data/roles.csv", 2, "end_status"),
    Case("visit-type-basis", cell("visits", V1, "visit_type_basis", ""), "data/visits.csv", 2, "visit_type_basis"),
    Case(
        "attendee-role-person",
        cell("attendees", {"visit_id": "v1", "person_id": "p-b"}, "role_id", "r-a"),
        "data/attendees.csv",
        3,
        "role_id",
    ),
    Case("attendee-role-tenure", cell("roles", RA, "start_date", "2020-01"), "data/attendees.csv", 2, "role_id"),
    Case(
        "attendee-lifespan",
        cell("persons", {"person_id": "p-b"}, "birth_date", "2020"),
        "data/attendees.csv",
        3,
        "person_id",
    ),
    Case("role-lifespan", cell("roles", RC, "start_date", "1949"), "data/roles.csv", 4, "person_id"),
    Case(
        "visit-has-lead",
        cell("attendees", {"visit_id": "v2", "person_id": "p-b"}, "participation", "delegation_member"),
        "data/visits.csv",
        3,
        "visit_id",
    ),
    Case("lead-home-country", cell("visits", V2, "host_country", "PRK"), "data/attendees.csv", 4, "person_id"),
    Case(
        "lead-overlap",
        _edits(
            rows(
                "visits",
                [
                    {
                        "visit_id": "v5",
                        "host_country": "RUS",
                        "visitor_country": "PRK",
                        "start_date": "2019-07-01",
                        "end_date": "2019-07-05",
                        "visit_type": "unspecified",
                        "status": "took_place",
                        "source_ids": "s1",
                    },
                    {
                        "visit_id": "v6",
                        "host_country": "CHN",
                        "visitor_country": "PRK",
                        "start_date": "2019-07-03",
                        "end_date": "2019-07-06",
                        "visit_type": "unspecified",
                        "status": "took_place",
                        "source_ids": "s1",
                    },
                ],
            ),
            rows(
                "attendees",
                [
                    {"visit_id": "v5", "person_id": "p-b", "participation": "lead", "source_ids": "s1"},
                    {"visit_id": "v6", "person_id": "p-b", "participation": "lead", "source_ids": "s1"},
                ],
            ),
        ),
        "data/attendees.csv",
        7,
        "visit_id",
    ),
    Case(
        "lead-overlap-same-trip",
        _edits(
            rows(
                "visits",
                [
                    {
                        "visit_id": "v5",
                        "host_country": "RUS",
                        "visitor_country": "PRK",
                        "start_date": "2019-07-01",
                        "end_date": "2019-07-05",
                        "visit_type": "unspecified",
                        "status": "took_place",
                        "trip_id": "t9",
                        "source_ids": "s1",
                    },
                    {
                        "visit_id": "v6",
                        "host_country": "CHN",
                        "visitor_country": "PRK",
                        "start_date": "2019-07-03",
                        "end_date": "2019-07-06",
                        "visit_type": "unspecified",
                        "status": "took_place",
                        "trip_id": "t9",
                        "source_ids": "s1",
                    },
                ],
            ),
            rows(
                "attendees",
                [
                    {"visit_id": "v5", "person_id": "p-b", "participation": "lead", "source_ids": "s1"},
                    {"visit_id": "v6", "person_id": "p-b", "participation": "lead", "source_ids": "s1"},
                ],
            ),
        ),
        "data/attendees.csv",
        7,
        "visit_id",
    ),
    Case(
        "duplicate-visit",
        _edits(
            rows(
                "visits",
                [
                    {
                        "visit_id": "v5",
                        "host_country": "PRK",
                        "visitor_country": "CHN",
                        "start_date": "2019-06-20",
                        "end_date": "2019-06-21",
                        "visit_type": "state",
                        "visit_type_basis": "stated",
                        "status": "took_place",
                        "source_ids": "s1",
                    }
                ],
            ),
            rows("attendees", [{"visit_id": "v5", "person_id": "p-a", "participation": "lead", "source_ids": "s1"}]),
        ),
        "data/attendees.csv",
        2,
        "visit_id",
    ),
    Case(
        "possible-duplicate-visit",
        _edits(
            rows(
                "visits",
                [
                    {
                        "visit_id": "v5",
                        "host_country": "PRK",
                        "visitor_country": "CHN",
                        "start_date": "2019-06",
                        "end_date": "2019-06",
                        "visit_type": "unspecified",
                        "status": "took_place",
                        "source_ids": "s1",
                    }
                ],
            ),
            rows("attendees", [{"visit_id": "v5", "person_id": "p-a", "participation": "lead", "source_ids": "s1"}]),
        ),
        "data/attendees.csv",
        7,
        "visit_id",
    ),
    Case("took-place-future", cell("visits", V3, "status", "took_place"), "data/visits.csv", 4, "status"),
    Case("announced-past", cell("visits", V1, "status", "announced"), "data/visits.csv", 2, "status"),
    Case("host-country-period", cell("visits", V1, "host_country", "SUN"), "data/visits.csv", 2, "host_country"),
    Case(
        "retired-id-reused",
        rows(
            "retired_ids", [{"table_name": "persons", "retired_id": "p-a", "retired_in": "0.2.0", "reason": "merged"}]
        ),
        "data/retired_ids.csv",
        2,
        "retired_id",
    ),
    Case(
        "retired-replacement-missing",
        rows(
            "retired_ids",
            [
                {
                    "table_name": "persons",
                    "retired_id": "p-old",
                    "replaced_by": "p-zz",
                    "retired_in": "0.2.0",
                    "reason": "merged",
                }
            ],
        ),
        "data/retired_ids.csv",
        2,
        "replaced_by",
    ),
    Case("role-country-period", cell("roles", RA, "country_code", "SUN"), "data/roles.csv", 2, "country_code"),
    Case("visitor-country-lead", cell("visits", V1, "visitor_country", "PRK"), "data/visits.csv", 2, "visitor_country"),
    Case(
        "crosswalk-overlap",
        rows(
            "state_crosswalk",
            [
                {
                    "country_code": "RUS",
                    "system": "cow",
                    "state_code": "365",
                    "valid_from": "2000-01-01",
                    "source_ids": "s2",
                }
            ],
        ),
        "data/state_crosswalk.csv",
        10,
        "valid_from",
    ),
    Case(
        "crosswalk-membership",
        cell("state_crosswalk", {"country_code": "PRK", "system": "cow"}, "valid_from", "1940-01-01"),
        "data/state_crosswalk.csv",
        4,
        "state_code",
    ),
    Case(
        "role-undated-twin",
        rows(
            "roles",
            [
                {
                    "role_id": "r-d",
                    "person_id": "p-a",
                    "title": "President",
                    "role_type": "head_of_state",
                    "country_code": "CHN",
                    "end_status": "unknown",
                    "source_ids": "s1",
                }
            ],
        ),
        "data/roles.csv",
        5,
        "role_id",
    ),
    Case("coverage-date-order", cell("coverage", C1, "end_date", "2012"), "data/coverage.csv", 2, "end_date"),
    Case(
        "coverage-role-types",
        cell("coverage", C1, "role_types", "head_of_state;president"),
        "data/coverage.csv",
        2,
        "role_types",
    ),
    Case(
        "coverage-source-basis",
        cell("coverage", {"coverage_id": "c2"}, "source_ids", ""),
        "data/coverage.csv",
        3,
        "source_ids",
    ),
    Case("coverage-self", cell("coverage", C1, "host_country", "CHN"), "data/coverage.csv", 2, "host_country"),
    Case(
        "review-merge-retired",
        rows(
            "person_reviews",
            [{"person_id": "p-a", "other_person_id": "p-b", "decision": "merge", "reason": "x", "source_ids": "s1"}],
        ),
        "data/person_reviews.csv",
        2,
        "other_person_id",
    ),
    Case(
        "review-person-unknown",
        rows(
            "person_reviews",
            [
                {
                    "person_id": "p-a",
                    "other_person_id": "p-zz",
                    "decision": "keep_apart",
                    "reason": "x",
                    "source_ids": "s1",
                }
            ],
        ),
        "data/person_reviews.csv",
        2,
        "person_id",
    ),
]


def test_the_fixture_is_clean(project):
    report = validate_package(project, today=TODAY)
    assert report.findings == []


def test_every_rule_has_a_failing_fixture():
    assert sorted(c.rule for c in CASES) == sorted(RULES)


@pytest.mark.parametrize("case", CASES, ids=[c.rule for c in CASES])
def test_rule_fails_on_its_fixture(project, case: Case):
    case.edit(project)
    report = validate_package(project, today=TODAY)
    hits = [f for f in report.findings if f.rule == case.rule]
    assert hits, f"{case.rule} did not fire; findings: {report.findings}"
    assert (case.file, case.line, case.column) in {(f.file, f.line, f.column) for f in hits}
    assert all(f.severity == RULES[case.rule].severity and f.message for f in hits)
    assert report.ok is (RULES[case.rule].severity == "warning" and len(report.errors) == 0)


def test_a_list_item_that_resolves_nowhere_is_a_foreign_key_error(project):
    set_cell(project, "persons", PA, "source_ids", "s1;s9")
    report = validate_package(project, today=TODAY)
    assert [(f.rule, f.line, f.column, f.value) for f in report.errors] == [("foreign-key", 2, "source_ids", "s1;s9")]


def test_partial_dates_fail_only_where_certainly_wrong(project):
    # A month-only end in the same month as a day-precise start is possibly right.
    set_cell(project, "visits", V1, "end_date", "2019-06")
    set_cell(project, "visits", V1, "start_date", "2019-06-28")
    assert validate_package(project, today=TODAY).findings == []


def test_consecutive_stops_sharing_a_travel_day_are_allowed(project):
    append_rows(
        project,
        "visits",
        [
            {
                "visit_id": "v5",
                "host_country": "RUS",
                "visitor_country": "PRK",
                "start_date": "2019-07-01",
                "end_date": "2019-07-03",
                "visit_type": "unspecified",
                "status": "took_place",
                "source_ids": "s1",
            },
            {
                "visit_id": "v6",
                "host_country": "CHN",
                "visitor_country": "PRK",
                "start_date": "2019-07-03",
                "end_date": "2019-07-06",
                "visit_type": "unspecified",
                "status": "took_place",
                "source_ids": "s1",
            },
        ],
    )
    append_rows(
        project,
        "attendees",
        [
            {"visit_id": "v5", "person_id": "p-b", "participation": "lead", "source_ids": "s1"},
            {"visit_id": "v6", "person_id": "p-b", "participation": "lead", "source_ids": "s1"},
        ],
    )
    assert validate_package(project, today=TODAY).findings == []


def test_every_failure_is_reported_at_once(project):
    frame = read(project, "visits")
    frame["visit_type"] = "nonsense"
    frame.loc[0, "start_date"] = "2019-13"
    write(project, "visits", frame)
    report = validate_package(project, today=TODAY)
    assert report.counts() == {"enum": 4, "type": 1}
    assert sorted(f.line for f in report.findings if f.rule == "enum") == [2, 3, 4, 5]


def test_an_undated_role_is_a_twin_only_of_the_same_holders_same_office(project):
    new = {
        "person_id": "p-a",
        "title": "President",
        "role_type": "head_of_state",
        "country_code": "CHN",
        "end_status": "unknown",
        "source_ids": "s1",
    }
    append_rows(
        project,
        "roles",
        [
            {**new, "role_id": "r-d"},  # twin of r-a
            {**new, "role_id": "r-e", "role_type": "head_of_government"},  # another office
            {**new, "role_id": "r-f", "person_id": "p-b"},  # another holder
            {**new, "role_id": "r-g", "organisation": "Some Party"},  # another organisation
            {
                **new,
                "role_id": "r-h",
                "start_date": "1990",
                "end_date": "1995",
                "end_status": "ended",
            },  # a second dated spell
        ],
    )
    report = validate_package(project, today=TODAY)
    twins = [f for f in report.findings if f.rule == "role-undated-twin"]
    # The message names the first dated spell in the file.
    assert [(f.value, f.message.split("(")[-1]) for f in twins] == [("r-d", "the same office as r-a, from 2013-03-14)")]
