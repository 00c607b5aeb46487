"""The hand-curated DPRK leader-level visits, 2018-2025 (issue 5): sourced, complete, not duplicated."""

import re

import pandas as pd
import pytest

from conftest import REPO
from curation_helpers import curated_tables, items, source_ids_with_url
from visitdata.dates import parse_partial_dates
from visitdata.dictionary import BACKLOG, BEGIN, END, backlog_items, dprk_summary, dprk_visits


@pytest.fixture(scope="module")
def tables() -> dict[str, pd.DataFrame]:
    return curated_tables()


@pytest.fixture(scope="module")
def dprk() -> pd.DataFrame:
    return dprk_visits(REPO)


def test_the_dprk_record_has_the_curated_visits(dprk):
    assert len(dprk) >= 50
    for visit_id in (
        "kim-jong-un-sgp-2018-06",
        "kim-jong-un-vnm-2019-02",
        "kim-jong-un-vnm-2019-03",
        "kim-jong-un-kor-2018-04",
        "moon-jae-in-prk-2018-09",
        "putin-prk-2024-06",
        "kim-jong-un-rus-2023-09",
        "hsg-trip-3823",
    ):
        assert visit_id in dprk.index
    assert dprk.loc["mike-pompeo-prk-2018-08", "status"] == "cancelled"


def test_every_dprk_visit_cites_a_source_with_a_url(dprk, tables):
    with_url = source_ids_with_url(tables)
    missing = [v for v, ids in dprk["source_ids"].items() if not with_url.intersection(items(ids))]
    assert missing == []


def test_every_dprk_visit_has_a_lead_and_a_host_or_counterpart(dprk, tables):
    att = tables["attendees"]
    att = att[att["visit_id"].isin(dprk.index)]
    parts = att.groupby("visit_id")["participation"].agg(set)
    assert [v for v in dprk.index if "lead" not in parts.get(v, set())] == []
    # A visit without a host or counterpart must be named in the backlog, which says what is missing.
    backlog = (REPO / BACKLOG).read_text(encoding="utf-8")
    alone = [
        v
        for v in dprk.index
        if dprk.loc[v, "status"] == "took_place"
        and not parts.get(v, set()) & {"host", "counterpart"}
        and f"`{v}`" not in backlog
    ]
    assert alone == []


def test_every_person_and_role_of_the_dprk_visits_cites_a_source_with_a_url(dprk, tables):
    with_url = source_ids_with_url(tables)
    att = tables["attendees"][tables["attendees"]["visit_id"].isin(dprk.index)]
    assert [
        r.visit_id + "/" + r.person_id for r in att.itertuples() if not with_url.intersection(items(r.source_ids))
    ] == []
    persons = tables["persons"].set_index("person_id")["source_ids"]
    assert [p for p in att["person_id"].unique() if not with_url.intersection(items(persons[p]))] == []
    roles = tables["roles"].set_index("role_id")["source_ids"]
    assert [r for r in att["role_id"].dropna().unique() if not with_url.intersection(items(roles[r]))] == []


def test_no_dprk_visit_duplicates_an_imported_one(dprk, tables):
    att, visits = tables["attendees"], tables["visits"]
    leads = att[att["participation"] == "lead"][["visit_id", "person_id"]]
    v = visits.merge(leads, on="visit_id")
    start, end = parse_partial_dates(v["start_date"]), parse_partial_dates(v["end_date"])
    v = v.assign(earliest=start["earliest"], latest=end["latest"])
    curated = v[v["visit_id"].isin(dprk.index) & ~v["visit_id"].str.startswith("hsg-")]
    imported = v[v["visit_id"].str.startswith("hsg-")]
    pairs = curated.merge(imported, on=["person_id", "host_country"], suffixes=("", "_hsg"))
    overlapping = pairs[(pairs["earliest"] <= pairs["latest_hsg"]) & (pairs["earliest_hsg"] <= pairs["latest"])]
    assert overlapping[["visit_id", "visit_id_hsg"]].values.tolist() == []


def test_imported_summit_trips_carry_the_curated_sources_and_kim_jong_un(tables):
    att = tables["attendees"]
    for visit_id in ("hsg-trip-3814", "hsg-trip-3901", "hsg-trip-3890", "hsg-trip-3796", "hsg-trip-3823"):
        row = tables["visits"].set_index("visit_id").loc[visit_id]
        assert len(items(row["source_ids"])) > 1, visit_id
        assert ((att["visit_id"] == visit_id) & (att["person_id"] == "kim-jong-un")).any(), visit_id


def test_the_readme_dprk_section_is_current():
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    begin, end = BEGIN.format(name="dprk"), END.format(name="dprk")
    body = re.search(re.escape(begin) + r"\n(.*?)\n" + re.escape(end), readme, re.S)
    assert body is not None, "README.md lacks the dprk markers"
    assert body.group(1) == dprk_summary(REPO), "run `visitdata build` to regenerate the README"
    assert readme.index("## North Korea's leader-level diplomacy, 2018–2025") < readme.index("## Curating")


def test_backlog_items_are_counted_from_the_open_items_section(tmp_path):
    (tmp_path / "docs").mkdir()
    (tmp_path / BACKLOG).write_text(
        "# B\n\n## Open items\n\n- **One** — x\n  more\n- **Two** — y\n\n## Out of scope\n\n- **Not this** — z\n",
        encoding="utf-8",
    )
    assert backlog_items(tmp_path) == ["One", "Two"]
    assert len(backlog_items(REPO)) > 0
