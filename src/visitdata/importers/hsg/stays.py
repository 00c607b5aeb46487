"""One visit per stay: merge two records of one traveller's one stay; find overlapping leads."""

from __future__ import annotations

from collections import defaultdict

from ...vocabulary import LEAD, LIST_DELIMITER
from .state import Build, overlap_days

#: Separators of the cells that list several values when two records are merged.
JOINED = {"place": ", ", "occasion": "; ", "source_ids": LIST_DELIMITER}


def merge_nested_stays(b: Build) -> None:
    """One visit per stay in a host country: merge records of one traveller's one stay.

    Upstream sometimes records two events of one stay as two records (the Paris state visit
    and the Versailles summit inside it; New York and Pittsburgh on the same two days). Two
    records of one lead in one country that share more than a travel day, or have the same
    dates, become one visit: the earlier id is kept, places, occasions and sources are joined,
    and the notes name the merged upstream record.
    """
    leads = {vid: pid for (vid, pid), row in b.attendees.items() if row["participation"] == LEAD}
    groups: dict[tuple[str, str], list[str]] = defaultdict(list)
    for vid, visit in b.visits.items():
        if vid in leads:
            groups[(leads[vid], visit["host_country"])].append(vid)
    for vids in groups.values():
        vids.sort(key=lambda v: (b.visits[v]["start_date"], v))
        kept: list[str] = []
        for vid in vids:
            target = next((k for k in kept if same_stay(b.visits[k], b.visits[vid])), None)
            if target is None:
                kept.append(vid)
                continue
            _absorb(b, target, vid)


def same_stay(a: dict[str, str], c: dict[str, str]) -> bool:
    """Two day-precise stays sharing more than a travel day, or on the same dates."""
    if any(len(v[k]) != 10 for v in (a, c) for k in ("start_date", "end_date")):
        return False
    same_dates = (a["start_date"], a["end_date"]) == (c["start_date"], c["end_date"])
    return same_dates or overlap_days((a["start_date"], a["end_date"]), (c["start_date"], c["end_date"])) >= 2


def _absorb(b: Build, target: str, gone: str) -> None:
    keep, drop = b.visits[target], b.visits.pop(gone)
    record = b.records[gone]
    keep["start_date"] = min(keep["start_date"], drop["start_date"])
    keep["end_date"] = max(keep["end_date"], drop["end_date"])
    for column, sep in JOINED.items():
        parts = [p for v in (keep[column], drop[column]) for p in v.split(sep) if p]
        keep[column] = sep.join(sorted(set(parts)) if column == "source_ids" else dict.fromkeys(parts))
    kind = "" if drop["visit_type"] == keep["visit_type"] else f", type {drop['visit_type']}"
    keep["notes"] += (
        f"; {record.label} ({drop['start_date']} to {drop['end_date']}{kind}) is the same stay, merged here"
    )
    for vid, pid in [k for k in b.attendees if k[0] == gone]:
        row = b.attendees.pop((vid, pid))
        if (target, pid) in b.attendees:
            mine = b.attendees[(target, pid)]
            ids = {*mine["source_ids"].split(LIST_DELIMITER), *row["source_ids"].split(LIST_DELIMITER)}
            mine["source_ids"] = LIST_DELIMITER.join(sorted(ids))
        else:
            b.attendees[(target, pid)] = {**row, "visit_id": target}
    counter = "trip" if record.abroad else "us"
    b.stats[f"{counter}_visits"] -= 1
    b.stats[f"{counter}_nested_merged"] += 1
    if record.abroad:
        b.stats[f"trip_visits_{record.traveller}"] -= 1
    b.faults["records of one stay merged (same traveller and country, shared days)"].append(
        f"{gone} merged into {target}"
    )


def lead_overlaps(b: Build) -> list[str]:
    """Leads with stays in two countries overlapping by more than one day (upstream shuttles)."""
    by_person: dict[str, list[tuple[str, str, str, str]]] = defaultdict(list)
    for (vid, pid), row in b.attendees.items():
        if row["participation"] == LEAD:
            v = b.visits[vid]
            by_person[pid].append((v["start_date"], v["end_date"], v["host_country"], vid))
    out = []
    for pid, stays in by_person.items():
        stays.sort()
        for i, a in enumerate(stays):
            for c in stays[i + 1 :]:
                if c[0] > a[1]:
                    break
                if a[2] != c[2] and overlap_days((a[0], a[1]), (c[0], c[1])) >= 2:
                    out.append(f"{pid}: {a[3]} ({a[2]} {a[0]}..{a[1]}) and {c[3]} ({c[2]} {c[0]}..{c[1]})")
    return out
