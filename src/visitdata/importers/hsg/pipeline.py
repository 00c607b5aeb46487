"""The stages in order: read the snapshot, build rows, honour retired ids, merge, report."""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

import pandas as pd

from ..contract import Ownership, Progress
from ..merge import Merger
from ..retired import apply_retirements, read_retired
from .counterparts import build_counterparts
from .countries import Crosswalk
from .names import name_key
from .persons import build_foreign_visits
from .report import REPORT, TABLES, Summary, report_markdown, state_numbers_section
from .splits import follow_splits
from .state import Build
from .stays import lead_overlaps, merge_nested_stays
from .trips import build_trips, group_journeys
from .upstream import Snapshot, check_snapshot, read_snapshot

#: New rows only: a row already in data/ is compared, never changed.
ADDS_ROWS = Ownership()
#: Visits: new rows, and the visiting state filled on rows written before the column existed.
VISITS = Ownership(fills=("visitor_country",))
OWNS = {**{t: ADDS_ROWS for t in TABLES}, "visits": VISITS}


def build(snap: Snapshot, walk: Crosswalk, progress: Progress | None = None) -> Build:
    """Every row the importer would write for this snapshot (nothing is written here)."""
    say = progress or (lambda _m: None)
    b = Build(snap, walk)
    b.stats["trips_read"] = len(snap.trips)
    b.stats["visits_read"] = len(snap.visits)
    say(
        f"travels: {len(snap.trips)} trips read; visits: {len(snap.visits)} visits read; "
        f"presidencies: {len(snap.terms)}; Secretary of State tenures: {len(snap.tenures)}"
    )
    build_trips(b)
    group_journeys(b)
    say(
        f"trips abroad: {b.stats['trip_visits']} visits, {b.stats['trip_duplicates']} duplicates merged, "
        f"{b.stats['accompanied_merged']} Secretary stops merged into president's visits"
    )
    build_foreign_visits(b)
    say(f"visits to the U.S.: {b.stats['us_visits']} visits, {b.stats['foreign_persons']} foreign persons")
    build_counterparts(b)
    say(f"counterparts: {b.stats['counterparts_resolved']} resolved, {b.stats['counterparts_unresolved']} unresolved")
    merge_nested_stays(b)
    b.finish()
    return b


def _count_rows(b: Build, tables: dict[str, list[dict[str, str]]]) -> None:
    """The report's counts of the rows that will be written (after retirements)."""
    st = b.stats
    persons = tables["persons"]
    st["persons_us"] = sum(1 for r in persons if r["person_id"] in b.us_persons)
    st["persons_surname_only"] = sum(
        1 for r in persons if r["person_id"] in b.surname_only and "-" not in name_key(r["name"])
    )
    for r in tables["roles"]:
        st["roles_" + b.role_kinds.get(r["role_id"], "foreign")] += 1
    for r in tables["attendees"]:
        st["attendees_" + r["participation"]] += 1
    journeys = [b.journeys[r["visit_id"]] for r in tables["visits"] if r["visit_id"] in b.journeys]
    st["journey_stops"], st["journeys"] = len(journeys), len(set(journeys))


def run(root: Path, path: Path, progress: Progress | None = None, write: bool = True) -> Summary:
    """Import the snapshot at ``path`` into ``root/data``; return (and write) the summary.

    Every table is read and merged before anything is written: an unreadable table stops the
    import with :class:`~visitdata.errors.TableReadError` and leaves every file as it was.
    """
    say = progress or (lambda _m: None)
    root, path = Path(root), Path(path)
    check_snapshot(path)
    snap = read_snapshot(path)
    b = build(snap, Crosswalk.load(), say)
    tables = {
        "sources": list(b.sources.values()),
        "persons": list(b.persons.values()),
        "roles": list(b.roles.values()),
        "visits": list(b.visits.values()),
        "attendees": list(b.attendees.values()),
    }
    merger = Merger(root)
    apply_retirements(read_retired(merger), tables, {t: merger.schema(t) for t in TABLES}, b.stats)
    follow_splits(merger, tables, b.stats)
    _count_rows(b, tables)
    added, unchanged, conflicts = {}, {}, {}
    for name in TABLES:
        result = merger.merge(name, tables[name], OWNS[name])
        added[name], unchanged[name], conflicts[name] = result.added, result.unchanged, list(map(str, result.conflicts))
        say(
            f"{name}: {len(tables[name])} generated, {added[name]} added, {unchanged[name]} unchanged, "
            f"{len(conflicts[name])} conflicts"
        )
    decades: dict[str, dict[str, int]] = defaultdict(lambda: {"from_us": 0, "to_us": 0})
    for vid, v in b.visits.items():
        decades[v["start_date"][:3] + "0s"]["from_us" if b.records[vid].abroad else "to_us"] += 1
    summary = Summary(
        b.stats,
        dict(b.faults),
        {k: len(v) for k, v in tables.items()},
        added,
        unchanged,
        conflicts,
        dict(sorted(decades.items())),
        lead_overlaps(b),
        state_numbers_section(
            pd.DataFrame(tables["visits"]).replace({"": None}),
            merger.read("state_crosswalk"),
            merger.read("countries"),
        ),
    )
    if write:
        merger.write()
        report = root / REPORT
        report.parent.mkdir(parents=True, exist_ok=True)
        report.write_text(report_markdown(summary), encoding="utf-8")
        say(f"report written to {report.relative_to(root)}")
    return summary
