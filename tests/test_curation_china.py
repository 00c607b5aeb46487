"""The hand-curated trips abroad of China's head of state and premiers, 2013-2025 (issue 16)."""

import re

import pandas as pd
import pytest

from conftest import REPO
from curation_helpers import curated_tables, items, source_ids_with_url, table
from visitdata.china import CHINA_BACKLOG, china_summary, china_visits
from visitdata.dates import parse_partial_dates
from visitdata.dictionary import BACKLOG, BEGIN, END, backlog_items


@pytest.fixture(scope="module")
def tables() -> dict[str, pd.DataFrame]:
    return curated_tables()


@pytest.fixture(scope="module")
def china() -> pd.DataFrame:
    return china_visits(REPO)


def _dated(frame: pd.DataFrame, start: str = "start_date", end: str = "end_date") -> pd.DataFrame:
    """``frame`` with the earliest and latest day of its start and end."""
    s, e = parse_partial_dates(frame[start]), parse_partial_dates(frame[end])
    return frame.assign(
        start_earliest=s["earliest"].values,
        start_latest=s["latest"].values,
        end_earliest=e["earliest"].values,
        end_latest=e["latest"].values,
    )


def _china_backlog_text() -> str:
    text = (REPO / BACKLOG).read_text(encoding="utf-8")
    start = text.index(f"### {CHINA_BACKLOG}")
    return text[start : text.index("\n## ", start)]


def test_the_china_record_has_the_curated_visits(china):
    assert len(china) >= 100
    assert {"xi-jinping", "li-keqiang", "li-qiang"} <= set(china["person_id"])
    for visit_id in (
        "xi-jinping-kaz-2013-09",  # the Belt speech tour
        "xi-jinping-zaf-2015-12",  # FOCAC inside the state visit
        "xi-jinping-pan-2018-12",
        "hsg-visit-2804",  # the 2015 U.S. state visit, imported and enriched
        "hsg-visit-2952",
    ):
        assert visit_id in china.index
    assert (china["host_country"] != "CHN").all()


def test_every_china_visit_cites_a_source_with_a_url(china, tables):
    with_url = source_ids_with_url(tables)
    assert [v for v, ids in china["source_ids"].items() if not with_url.intersection(items(ids))] == []


def test_every_attendee_person_and_role_of_the_china_visits_cites_a_source_with_a_url(china, tables):
    with_url = source_ids_with_url(tables)
    att = tables["attendees"][tables["attendees"]["visit_id"].isin(china.index)]
    assert [
        r.visit_id + "/" + r.person_id for r in att.itertuples() if not with_url.intersection(items(r.source_ids))
    ] == []
    persons = tables["persons"].set_index("person_id")["source_ids"]
    assert [p for p in att["person_id"].unique() if not with_url.intersection(items(persons[p]))] == []
    roles = tables["roles"].set_index("role_id")["source_ids"]
    assert [r for r in att["role_id"].dropna().unique() if not with_url.intersection(items(roles[r]))] == []


def test_the_leads_spell_covers_each_visit(china, tables):
    """The lead's office is a dated spell (start sourced) that covers the whole stay."""
    leads = tables["attendees"]
    leads = leads[leads["visit_id"].isin(china.index) & (leads["participation"] == "lead")]
    roles = _dated(tables["roles"].set_index("role_id"))
    visits = _dated(china)
    bad = []
    for r in leads.itertuples():
        v, role = visits.loc[r.visit_id], roles.loc[r.role_id]
        if pd.isna(role["start_earliest"]):
            bad.append((r.visit_id, r.role_id, "undated spell"))
        elif role["start_latest"] > v["start_earliest"]:
            bad.append((r.visit_id, r.role_id, "visit starts before the spell"))
        elif pd.notna(role["end_earliest"]) and role["end_earliest"] < v["end_latest"]:
            bad.append((r.visit_id, r.role_id, "visit ends after the spell"))
    assert bad == []


def test_every_china_visit_has_a_host_or_counterpart_or_a_backlog_item(china, tables):
    att = tables["attendees"]
    parts = att[att["visit_id"].isin(china.index)].groupby("visit_id")["participation"].agg(set)
    backlog = _china_backlog_text()
    alone = [
        v
        for v in china.index
        if china.loc[v, "status"] == "took_place"
        and not parts.get(v, set()) & {"host", "counterpart"}
        and f"`{v}`" not in backlog
    ]
    assert alone == []


def test_no_china_visit_duplicates_an_imported_one(china, tables):
    att = tables["attendees"]
    leads = att[att["participation"] == "lead"][["visit_id", "person_id"]]
    v = _dated(tables["visits"].merge(leads, on="visit_id"))
    curated = v[v["visit_id"].isin(china.index) & ~v["visit_id"].str.startswith("hsg-")]
    imported = v[v["visit_id"].str.startswith("hsg-")]
    pairs = curated.merge(imported, on=["person_id", "host_country"], suffixes=("", "_hsg"))
    overlapping = pairs[
        (pairs["start_earliest"] <= pairs["end_latest_hsg"]) & (pairs["start_earliest_hsg"] <= pairs["end_latest"])
    ]
    assert overlapping[["visit_id", "visit_id_hsg"]].values.tolist() == []


def test_the_stops_of_a_trip_follow_each_other(china):
    """Within a trip, a stop that certainly starts first cannot certainly end after the next one starts."""
    v = _dated(china[china["trip_id"].notna()])
    assert (v["start_earliest"] <= v["end_latest"]).all()
    assert (v.groupby("trip_id")["person_id"].nunique() == 1).all(), "a trip has one lead"
    out_of_order = []
    for trip, stops in v.groupby("trip_id"):
        for a in stops.itertuples():
            for b in stops.itertuples():
                if a.start_latest < b.start_earliest and a.end_earliest > b.start_latest:
                    out_of_order.append((trip, a.Index, b.Index))
    assert out_of_order == []


def test_the_trip_order_check_can_fail():
    stops = pd.DataFrame(
        {"start_date": ["2014-07-15", "2014-07-17"], "end_date": ["2014-07-19", "2014-07-18"]},
        index=["a", "b"],
    )
    d = _dated(stops)
    a, b = d.loc["a"], d.loc["b"]
    assert a["start_latest"] < b["start_earliest"] and a["end_earliest"] > b["start_latest"]


def test_the_backlog_names_only_recorded_rows():
    ids = set(re.findall(r"`([a-z0-9]+(?:[-.][a-z0-9]+)+)`", _china_backlog_text()))
    known = set()
    for name, key in (("visits", "visit_id"), ("persons", "person_id"), ("roles", "role_id")):
        known |= set(table(name)[key])
    assert sorted(ids - known) == []
    assert len(backlog_items(REPO, CHINA_BACKLOG)) > 0


def test_the_readme_china_section_is_current():
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    begin, end = BEGIN.format(name="china"), END.format(name="china")
    body = re.search(re.escape(begin) + r"\n(.*?)\n" + re.escape(end), readme, re.S)
    assert body is not None, "README.md lacks the china markers"
    assert body.group(1) == china_summary(REPO), "run `visitdata build` to regenerate the README"
    assert readme.index("## China's top-level diplomacy, 2013–2025") < readme.index("## Data dictionary")


def test_backlog_items_are_grouped_by_campaign(tmp_path):
    (tmp_path / "docs").mkdir()
    (tmp_path / BACKLOG).write_text(
        "# B\n\n## Open items\n\n### One campaign\n\n- **A** — x\n\n### Another\n\n- **B** — y\n"
        "\n## Out of scope\n\n- **Not this** — z\n",
        encoding="utf-8",
    )
    assert backlog_items(tmp_path) == ["A", "B"]
    assert backlog_items(tmp_path, "Another") == ["B"]
    assert backlog_items(tmp_path, "None such") == []
