"""Trips abroad of presidents and Secretaries of State: one visit per stop in a country.

Near-duplicate upstream trips are merged, a Secretary's stop "Accompanied President ..." joins
the president's visit as a delegation member, and stops without a free day between them are
grouped into one journey (an inferred ``trip_id``).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable

from ...vocabulary import DELEGATION_MEMBER, LEAD, TOOK_PLACE
from .names import name_key
from .sources import page_source
from .state import Build, VisitRecord, day, overlap_days
from .text import ACCOMPANIED, ELECT_MARK, visit_type
from .upstream import Trip

#: Longest gap between a president-elect's trip and the inauguration we accept (until 1937
#: the inauguration was in March, some four months after the election); a trip marked as
#: made as president-elect but dated earlier is reported as an upstream fault.
ELECT_WINDOW_DAYS = 120


def trip_duplicates(trips: Iterable[Trip]) -> dict[int, int]:
    """Upstream near-duplicates (same traveller, places and dates): merged id -> kept id."""
    kept: dict[tuple, int] = {}
    merged = {}
    for t in sorted(trips, key=lambda t: t.id):
        key = (t.who, tuple(c for c, _ in t.countries), t.start, t.end)
        if key in kept:
            merged[t.id] = kept[key]
        else:
            kept[key] = t.id
    return merged


def build_trips(b: Build) -> None:
    """A visit (and its lead) for every stop of every trip abroad."""
    snap = b.snap
    merged = trip_duplicates(snap.trips)
    also: dict[int, list[int]] = defaultdict(list)
    for gone, kept in merged.items():
        also[kept].append(gone)
        b.faults["near-duplicate trips merged"].append(f"trip {gone} merged into trip {kept}")
    b.stats["trip_duplicates"] = len(merged)
    # presidents first, so that Secretaries' "Accompanied President ..." stops find their visit
    for t in sorted(snap.trips, key=lambda t: (t.role != "president", t.id)):
        if t.id in merged:
            continue
        kind = "president" if t.role == "president" else "secretary"
        src = b.source(page_source(kind, t.who, t.name))
        if not t.locale:
            b.stats["trips_empty_locale"] += 1
        if not t.remarks:
            b.stats["trips_empty_remarks"] += 1
        if kind == "president":
            pid, rid = _president_for_trip(b, t)
            b.person_sources[pid].add(src)
        else:
            pid = b.secretary(t.who, t.name, src)
            rid = _secretary_role_for_trip(b, t, pid)
        multi = len(t.countries) > 1
        for k, (cid, label) in enumerate(t.countries, start=1):
            code = b.walk.code(cid, t.start)
            if not code:
                b.stats["trip_stops_unmapped"] += 1
                b.faults["stops without an ISO code (skipped)"].append(
                    f"trip {t.id}: {cid} ({label}) {t.start}: {b.walk.why_none(cid, t.start)}"
                )
                continue
            if kind == "secretary" and (m := ACCOMPANIED.search(t.remarks)):
                b.stats["accompanied_claims"] += 1
                if _merge_accompanied(b, t, code, pid, rid, m.group(1), src):
                    continue
            vid = f"hsg-trip-{t.id}" + (f"-{k}" if multi else "")
            record = VisitRecord("travels", t.id, kind)
            vtype, basis, occasion = visit_type(t.remarks, stated_anywhere=False)
            notes = [record.label]
            if also.get(t.id):
                notes.append("duplicate upstream record " + ", ".join(map(str, sorted(also[t.id]))) + " merged here")
            if "(" in label:
                notes.append(f"upstream place label {label}")
            if not t.locale:
                notes.append("upstream gives no locale")
            b.visits[vid] = {
                "visit_id": vid,
                "host_country": code,
                "visitor_country": "USA",
                "place": t.locale,
                "start_date": t.start,
                "end_date": t.end,
                "visit_type": vtype,
                "visit_type_basis": basis,
                "occasion": occasion,
                "status": TOOK_PLACE,
                "trip_id": f"hsg-trip-{t.id}" if multi else "",
                "source_ids": src,
                "notes": "; ".join(notes),
            }
            b.records[vid] = record
            b.stats["trip_visits"] += 1
            b.stats[f"trip_visits_{kind}"] += 1
            b.attend(vid, pid, rid, LEAD, src, "traveller")
            if kind == "president":
                b.led[pid].append((vid, code, t.start, t.end))


def group_journeys(b: Build) -> None:
    """Give stops of one journey a shared trip_id: a traveller's stays that follow each other
    with no free day between them. Upstream has no journey id; this grouping is inferred
    (said in notes) and keeps shuttle diplomacy, whose stays overlap, within one trip."""
    stays: dict[str, list[tuple[str, str, int, str]]] = defaultdict(list)
    for (vid, pid), row in b.attendees.items():
        if row["participation"] == LEAD and b.records[vid].abroad and not b.visits[vid]["trip_id"]:
            v = b.visits[vid]
            stays[pid].append((v["start_date"], v["end_date"], b.records[vid].record_id, vid))
    for pid in sorted(stays):
        chains: list[list[tuple[str, str, int, str]]] = []
        end = ""
        for stay in sorted(stays[pid]):
            if chains and stay[0] <= (day(end) + dt.timedelta(days=1)).isoformat():
                chains[-1].append(stay)
                end = max(end, stay[1])
            else:
                chains.append([stay])
                end = stay[1]
        for chain in chains:
            if len(chain) < 2:
                continue
            trip = f"hsg-journey-{min(s[2] for s in chain)}"
            for stay in chain:
                v = b.visits[stay[3]]
                v["trip_id"] = trip
                v["notes"] += "; trip_id inferred: stops without a free day between them"
                b.journeys[stay[3]] = trip


def _president_for_trip(b: Build, t: Trip) -> tuple[str, str]:
    """Person and role of a travelling president; president-elect trips get their own role."""
    terms = [x for x in b.snap.terms if x.who == t.who]
    term = b.term_on(t.who, t.start)
    if term:
        return b.president(term), b.president_role(term)
    upcoming = [x for x in terms if x.took and t.start < x.took]
    if upcoming:
        nxt = min(upcoming, key=lambda x: x.took)
        gap = (day(nxt.took) - day(t.start)).days
        if ELECT_MARK.search(t.remarks) and gap <= ELECT_WINDOW_DAYS:
            b.stats["trips_president_elect"] += 1
            return b.president(nxt), b.president_role(nxt, elect=True)
        b.faults["stops dated before an inauguration, not marked as president-elect (no role)"].append(
            f"trip {t.id}: {t.who} {t.start}"
        )
        b.stats["trips_without_role"] += 1
        return b.president(nxt), ""
    ref = max(terms, key=lambda x: x.took) if terms else None
    b.faults["trips outside any presidency (no role)"].append(f"trip {t.id}: {t.who} {t.start}")
    b.stats["trips_without_role"] += 1
    if ref is None:
        return b.us_person(t.who, t.name, "", "", b.source(page_source("president", t.who, t.name))), ""
    return b.president(ref), ""


def _secretary_role_for_trip(b: Build, t: Trip, pid: str) -> str:
    for ten in b.snap.tenures:
        if ten.who == t.who and ten.started and ten.started <= t.start and (not ten.ended or t.start <= ten.ended):
            return b.secretary_role(ten, pid)
    b.faults["Secretary stops outside the pocom tenure (no role)"].append(f"trip {t.id}: {t.who} {t.start}")
    b.stats["trips_without_role"] += 1
    return ""


def _merge_accompanied(b: Build, t: Trip, code: str, pid: str, rid: str, pres_name: str, src: str) -> bool:
    """Make the Secretary a delegation member of the president's visit; False if none found."""
    wanted = name_key(pres_name).split("-")[-1]
    best: tuple[int, str] | None = None
    for ppid, led in b.led.items():
        if name_key(b.persons[ppid]["name"]).split("-")[-1] != wanted:
            continue
        for vid, vcode, start, end in led:
            days = overlap_days((start, end), (t.start, t.end)) if vcode == code else 0
            if days and (best is None or (-days, vid) < (-best[0], best[1])):
                best = (days, vid)
    if best is None:
        b.stats["accompanied_unmatched"] += 1
        b.faults["'Accompanied President' stops without a matching president's visit (kept as own visit)"].append(
            f"trip {t.id}: {t.start} {code}"
        )
        return False
    vid = best[1]
    b.stats["accompanied_merged"] += 1
    if b.attend(vid, pid, rid, DELEGATION_MEMBER, src, ""):
        b.accompanied[(vid, pid)] = [t.id]
    elif (vid, pid) in b.accompanied:
        b.accompanied[(vid, pid)].append(t.id)
    if (vid, pid) in b.accompanied:
        records = " and ".join(map(str, b.accompanied[(vid, pid)]))
        b.attendees[(vid, pid)]["notes"] = f"hsg travels record {records}: accompanied the president"
    return True
