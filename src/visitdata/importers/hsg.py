"""Import the U.S. Office of the Historian's travel and visit records (history.state.gov).

Reads a snapshot of the HistoryAtState ``travels``, ``visits`` and ``pocom`` repositories
(PATH holds the three folders) and adds to ``data/``: one visit per stay of a president or
Secretary of State abroad and per visit of a foreign leader to the U.S., the people and
offices involved, and who took part in what role.

Why it is built this way:

* Ids derive from upstream ids (``hsg-trip-2381``, ``hsg-visit-751``, ``us-president-45``,
  ``us-secretary-of-state-secr-1973-kiss``) or normalised names, so a rerun produces the same
  rows and a newer snapshot only adds rows.
* Rows are compared with what is already in ``data/``: new keys are added, equal rows are
  left, and a row that differs (a curator edited it, or upstream changed) is never
  overwritten but reported as a conflict.
* Only facts are taken over. Free text (remarks, descriptions) is read for the visit type,
  for "Accompanied President ..." and for "met with <title> <name>", never copied.
"""

from __future__ import annotations

import csv
import datetime as dt
import re
import xml.etree.ElementTree as ET
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

import pandas as pd

from ..csvio import TableReadError, read_table, write_table
from ..tables import load_schema
from .hsg_countries import COW_SOURCE, Crosswalk, cow_codes, fill_cow_codes
from .hsg_names import REIGNING, NamedPerson, clean, met_with, name_key, parse_visitor, slug

PUBLISHER = "U.S. Department of State, Office of the Historian"
SITE = "https://history.state.gov/departmenthistory"
TABLES = ("sources", "persons", "roles", "visits", "attendees")
#: Longest gap between a president-elect's trip and the inauguration we accept (until 1937
#: the inauguration was in March, some four months after the election); a trip marked as
#: made as president-elect but dated earlier is reported as an upstream fault.
ELECT_WINDOW_DAYS = 120
#: Years within which a surname-only mention may be matched to a full name, and the gap
#: after which two surname-only mentions are taken to be different people.
SURNAME_MATCH_YEARS = 6
SURNAME_SPLIT_YEARS = 10

#: The validator's lead-overlap rule rejects a traveller leading stays in two countries that
#: share more than one day; upstream lists shuttle diplomacy as overlapping spans. While the
#: rule stands, a few such stays (chosen greedily) are held back and listed in the report; set this to
#: False once the rule exempts stays of one trip_id.

Progress = Callable[[str], None]


# --------------------------------------------------------------------------- reading


@dataclass(frozen=True)
class Trip:
    """One ``<trip>`` of a president or Secretary of State abroad."""

    id: int
    who: str
    role: str
    name: str
    start: str
    end: str
    countries: tuple[tuple[str, str], ...]
    locale: str
    remarks: str


@dataclass(frozen=True)
class ForeignVisit:
    """One ``<visit>`` of a foreign leader to the U.S."""

    id: int
    start: str
    end: str
    visitor: str
    from_id: str
    from_label: str
    description: str


@dataclass(frozen=True)
class Term:
    """One presidency (``n`` as upstream numbers it: Cleveland and Trump have two)."""

    n: int
    who: str
    name: str
    birth: str
    death: str
    took: str
    left: str


@dataclass(frozen=True)
class Tenure:
    """One spell of a Secretary of State (pocom ``principal``)."""

    id: str
    who: str
    started: str
    ended: str


@dataclass
class Snapshot:
    trips: list[Trip]
    visits: list[ForeignVisit]
    terms: list[Term]
    tenures: list[Tenure]
    people: dict[str, dict[str, str]]


def _text(el: ET.Element | None, tag: str) -> str:
    return clean(el.findtext(tag) if el is not None else "")


def read_snapshot(path: Path) -> Snapshot:
    """Parse the XML of the three upstream repositories below ``path``."""
    path = Path(path)
    trips = []
    for f in sorted((path / "travels").glob("*-travels/*.xml")):
        for t in ET.parse(f).getroot().iter("trip"):
            countries = tuple((c.get("id", ""), clean(c.text)) for c in t.findall("country"))
            trips.append(
                Trip(
                    int(_text(t, "id")),
                    t.get("who", ""),
                    _text(t, "role") or t.get("role", ""),
                    _text(t, "name"),
                    _text(t, "start-date"),
                    _text(t, "end-date"),
                    countries,
                    _text(t, "locale"),
                    _text(t, "remarks"),
                )
            )
    visits = []
    for f in sorted((path / "visits" / "data").glob("*.xml")):
        for v in ET.parse(f).getroot().iter("visit"):
            src = v.find("from")
            visits.append(
                ForeignVisit(
                    int(_text(v, "id")),
                    _text(v, "start-date"),
                    _text(v, "end-date"),
                    _text(v, "visitor"),
                    src.get("id", "") if src is not None else "",
                    clean(src.text if src is not None else ""),
                    _text(v, "description"),
                )
            )
    terms = []
    presidents = path / "travels" / "presidents" / "presidents.xml"
    if presidents.exists():
        for p in ET.parse(presidents).getroot().iter("president"):
            terms.append(
                Term(
                    int(p.get("n", "0")),
                    _text(p, "id"),
                    _text(p, "name"),
                    _text(p, "birth-year"),
                    _text(p, "death-year"),
                    _text(p, "took-office-date"),
                    _text(p, "left-office-date"),
                )
            )
    tenures = []
    secretary = path / "pocom" / "positions-principals" / "secretary.xml"
    if secretary.exists():
        for p in ET.parse(secretary).getroot().iter("principal"):
            started = _text(p.find("started"), "date") or _text(p.find("appointed"), "date")
            tenures.append(Tenure(_text(p, "id"), _text(p, "person-id"), started, _text(p.find("ended"), "date")))
    people = {}
    for f in sorted((path / "pocom" / "people").glob("*/*.xml")):
        root = ET.parse(f).getroot()
        names = root.find("persName")
        forename = re.sub(r"\s*\([^)]*\)", "", _text(names, "forename"))
        full = " ".join(x for x in (forename, _text(names, "surname"), _text(names, "genName")) if x)
        people[_text(root, "id")] = {
            "name": _text(names, "altname") or full,
            "birth": _text(root, "birth"),
            "death": _text(root, "death"),
        }
    return Snapshot(trips, visits, terms, tenures, people)


# --------------------------------------------------------------------------- helpers


def _day(s: str) -> dt.date:
    return dt.date.fromisoformat(s)


def _years_apart(a: str, b: str) -> float:
    return abs((_day(a) - _day(b)).days) / 365.25


def _overlap_days(a: tuple[str, str], b: tuple[str, str]) -> int:
    """Days shared by two inclusive date ranges (0 when disjoint)."""
    first, last = max(a[0], b[0]), min(a[1], b[1])
    return (_day(last) - _day(first)).days + 1 if first <= last else 0


def _year_part(s: str) -> str:
    return s if re.fullmatch(r"[0-9]{4}", s or "") else ""


_TYPE_PHRASES = (
    ("official working visit", "official_working"),
    ("state visit", "state"),
    ("official visit", "official"),
    ("working visit", "working"),
    ("private visit", "private"),
)
_CEREMONY = re.compile(
    r"\b(funeral|inaugurat\w*|coronation|memorial service|commemorat\w*|wedding|enthronement)\b", re.I
)
_MULTILATERAL = re.compile(
    r"\b(summit|conference|ministerial|general assembly|G-\d+|NATO|APEC|ASEAN|OSCE|Council meeting|"
    r"Economic Forum|Summit of the Americas)\b",
    re.I,
)


def visit_type(text: str, stated_anywhere: bool) -> tuple[str, str, str]:
    """(visit_type, basis, occasion) from a description or remarks.

    A named category ("State visit", "Official working visit") is *stated*: for the foreign
    leaders' records anywhere in the description (the earliest wins), for trips abroad only
    when the remark opens with it. Summits and ceremonies are *inferred* from keywords.
    """
    low = text.lower()
    hits = []
    for phrase, value in _TYPE_PHRASES:
        pos = low.find(phrase)
        if pos >= 0 and (stated_anywhere or pos == 0):
            hits.append((pos, -len(phrase), value))
    if hits:
        return min(hits)[2], "stated", ""
    if m := _CEREMONY.search(text):
        word = m.group(1).lower()
        occasion = "funeral" if word == "funeral" else "inauguration" if word.startswith("inaugurat") else word
        return "ceremony", "inferred", occasion
    if _MULTILATERAL.search(re.sub(r"\b(?:press|news) conference", "", text, flags=re.I)):
        return "multilateral_meeting", "inferred", "summit or conference"
    return "unspecified", "", ""


def page_source(kind: str, key: str, label: str) -> dict[str, str]:
    """The sources row of one history.state.gov page listing records."""
    if kind == "visits":
        url, title = f"{SITE}/visits/{key}", f"Visits by Foreign Leaders: {key}"
        sid = f"hsg-visits-{key}"
    else:
        url = f"{SITE}/travels/{kind}/{key}"
        title = f"Travels of the {'President' if kind == 'president' else 'Secretary of State'}: {label}"
        sid = f"hsg-travels-{kind}-{key}"
    return {
        "source_id": sid,
        "source_type": "dataset",
        "publisher": PUBLISHER,
        "title": title,
        "url": url,
        "published": "",
        "language": "en",
        "licence": "CC0-1.0",
        "notes": "Page of the Office of the Historian listing these records; title composed by the importer.",
    }


REPO_SOURCES = {
    "hsg-presidents": {
        "source_id": "hsg-presidents",
        "source_type": "dataset",
        "publisher": PUBLISHER,
        "title": "HistoryAtState travels: list of presidents",
        "url": "https://github.com/HistoryAtState/travels",
        "published": "",
        "language": "en",
        "licence": "CC0-1.0",
        "notes": "Presidents with birth and death years and dates of taking and leaving office.",
    },
    "hsg-pocom": {
        "source_id": "hsg-pocom",
        "source_type": "dataset",
        "publisher": PUBLISHER,
        "title": "HistoryAtState pocom: Principal Officers and Chiefs of Mission",
        "url": "https://github.com/HistoryAtState/pocom",
        "published": "",
        "language": "en",
        "licence": "CC0-1.0",
        "notes": "Secretaries of State with dates of appointment, start and end, and birth and death years.",
    },
}


# --------------------------------------------------------------------------- building


@dataclass
class Mention:
    """A foreign person named in a visit record, before persons are resolved."""

    visit_id: int
    code: str
    person: NamedPerson
    day: str
    year: str


@dataclass
class Build:
    """Rows generated from one snapshot, plus the counts that explain them."""

    snap: Snapshot
    walk: Crosswalk
    sources: dict[str, dict[str, str]] = field(default_factory=dict)
    persons: dict[str, dict[str, str]] = field(default_factory=dict)
    roles: dict[str, dict[str, str]] = field(default_factory=dict)
    visits: dict[str, dict[str, str]] = field(default_factory=dict)
    attendees: dict[tuple[str, str], dict[str, str]] = field(default_factory=dict)
    stats: Counter = field(default_factory=Counter)
    faults: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    #: person sources collected while building, joined at the end
    _psources: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    _rsources: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    #: visits led by each president: person_id -> [(visit_id, code, start, end)]
    _led: dict[str, list[tuple[str, str, str, str]]] = field(default_factory=lambda: defaultdict(list))
    #: foreign persons: (code, title) -> list of (person_id, key, first/last day)
    _foreign: dict[tuple[str, str], list[tuple[str, str, list[str]]]] = field(default_factory=lambda: defaultdict(list))
    _foreign_roles: dict[tuple[str, str, str], str] = field(default_factory=dict)
    #: foreign persons by (country, full-name key): one person per name and country
    _by_key: dict[tuple[str, str], str] = field(default_factory=dict)

    # ---- sources
    def source(self, row: dict[str, str]) -> str:
        self.sources.setdefault(row["source_id"], row)
        return row["source_id"]

    # ---- U.S. people
    def us_person(self, who: str, name: str, birth: str, death: str, source: str) -> str:
        pid = slug(name)
        if pid not in self.persons:
            self.persons[pid] = {
                "person_id": pid,
                "name": name,
                "name_native": "",
                "birth_date": _year_part(birth),
                "death_date": _year_part(death),
                "wikidata_id": "",
                "source_ids": "",
                "notes": f"hsg person id {who}",
            }
        self._psources[pid].add(source)
        return pid

    def president(self, term: Term) -> str:
        return self.us_person(term.who, term.name, term.birth, term.death, self.source(REPO_SOURCES["hsg-presidents"]))

    def president_role(self, term: Term, elect: bool = False) -> str:
        pid = self.president(term)
        rid = f"us-president{'-elect' if elect else ''}-{term.n}"
        if rid not in self.roles:
            if elect:
                end = (_day(term.took) - dt.timedelta(days=1)).isoformat() if term.took else ""
                row = {
                    "title": "President-elect of the United States",
                    "role_type": "other",
                    "start_date": "",
                    "end_date": end,
                    "end_status": "ended" if end else "unknown",
                    "notes": f"before presidency no. {term.n}; ends the day before the inauguration date listed",
                }
            else:
                ongoing = not term.left
                row = {
                    "title": "President of the United States",
                    "role_type": "head_of_state",
                    "start_date": term.took,
                    "end_date": term.left,
                    "end_status": "ongoing" if ongoing else "ended",
                    "notes": f"presidency no. {term.n}",
                }
            self.roles[rid] = {
                "role_id": rid,
                "person_id": pid,
                "country_code": "USA",
                "organisation": "",
                "source_ids": "",
                **row,
            }
        self._rsources[rid].add(self.source(REPO_SOURCES["hsg-presidents"]))
        return rid

    def term_on(self, who: str | None, day: str) -> Term | None:
        """The presidency (of ``who``, or anyone) in progress on ``day``."""
        for t in self.snap.terms:
            if (who is None or t.who == who) and t.took and t.took <= day and (not t.left or day < t.left):
                return t
        return None

    def secretary(self, who: str, trip_name: str, source: str) -> str:
        info = self.snap.people.get(who, {})
        name = info.get("name") or re.sub(r"\s*\([^)]*\)", "", trip_name)
        pid = self.us_person(
            who, name, info.get("birth", ""), info.get("death", ""), self.source(REPO_SOURCES["hsg-pocom"])
        )
        self._psources[pid].add(source)
        return pid

    def secretary_role(self, tenure: Tenure, pid: str) -> str:
        rid = f"us-secretary-of-state-{tenure.id}"
        if rid not in self.roles:
            self.roles[rid] = {
                "role_id": rid,
                "person_id": pid,
                "title": "Secretary of State",
                "role_type": "foreign_minister",
                "country_code": "USA",
                "organisation": "",
                "start_date": tenure.started,
                "end_date": tenure.ended,
                "end_status": "ended" if tenure.ended else "ongoing",
                "source_ids": "",
                "notes": f"pocom principal {tenure.id}",
            }
        self._rsources[rid].add(self.source(REPO_SOURCES["hsg-pocom"]))
        return rid

    # ---- rows
    def attend(self, visit_id: str, person_id: str, role_id: str, participation: str, source: str, note: str) -> bool:
        key = (visit_id, person_id)
        if key in self.attendees:
            row = self.attendees[key]
            if source not in row["source_ids"].split(";"):
                row["source_ids"] = ";".join(sorted({*row["source_ids"].split(";"), source}))
            return False
        self.attendees[key] = {
            "visit_id": visit_id,
            "person_id": person_id,
            "role_id": role_id,
            "participation": participation,
            "source_ids": source,
            "notes": note,
        }
        return True

    def finish(self) -> None:
        for pid, srcs in self._psources.items():
            self.persons[pid]["source_ids"] = ";".join(sorted(srcs))
        for rid, srcs in self._rsources.items():
            self.roles[rid]["source_ids"] = ";".join(sorted(srcs))


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
    _build_trips(b)
    _group_journeys(b)
    say(
        f"trips abroad: {b.stats['trip_visits']} visits, {b.stats['trip_duplicates']} duplicates merged, "
        f"{b.stats['accompanied_merged']} Secretary stops merged into president's visits"
    )
    _build_foreign_visits(b)
    say(f"visits to the U.S.: {b.stats['us_visits']} visits, {b.stats['foreign_persons']} foreign persons")
    _build_counterparts(b)
    say(f"counterparts: {b.stats['counterparts_resolved']} resolved, {b.stats['counterparts_unresolved']} unresolved")
    _merge_nested_stays(b)
    b.finish()
    return b


def _merge_nested_stays(b: Build) -> None:
    """One visit per stay in a host country: merge records of one traveller's one stay.

    Upstream sometimes records two events of one stay as two records (the Paris state visit
    and the Versailles summit inside it; New York and Pittsburgh on the same two days). Two
    records of one lead in one country that share more than a travel day, or have the same
    dates, become one visit: the earlier id is kept, places, occasions and sources are joined,
    and the notes name the merged upstream record.
    """
    leads = {vid: pid for (vid, pid), row in b.attendees.items() if row["participation"] == "lead"}
    groups: dict[tuple[str, str], list[str]] = defaultdict(list)
    for vid, visit in b.visits.items():
        if vid in leads:
            groups[(leads[vid], visit["host_country"])].append(vid)
    for vids in groups.values():
        vids.sort(key=lambda v: (b.visits[v]["start_date"], v))
        kept: list[str] = []
        for vid in vids:
            target = next((k for k in kept if _same_stay(b.visits[k], b.visits[vid])), None)
            if target is None:
                kept.append(vid)
                continue
            _absorb(b, target, vid)


def _same_stay(a: dict[str, str], c: dict[str, str]) -> bool:
    """Two day-precise stays sharing more than a travel day, or on the same dates."""
    if any(len(v[k]) != 10 for v in (a, c) for k in ("start_date", "end_date")):
        return False
    same_dates = (a["start_date"], a["end_date"]) == (c["start_date"], c["end_date"])
    return same_dates or _overlap_days((a["start_date"], a["end_date"]), (c["start_date"], c["end_date"])) >= 2


def _absorb(b: Build, target: str, gone: str) -> None:
    keep, drop = b.visits[target], b.visits.pop(gone)
    keep["start_date"] = min(keep["start_date"], drop["start_date"])
    keep["end_date"] = max(keep["end_date"], drop["end_date"])
    for column, sep in (("place", ", "), ("occasion", "; "), ("source_ids", ";")):
        parts = [p for v in (keep[column], drop[column]) for p in v.split(sep) if p]
        keep[column] = sep.join(sorted(set(parts)) if column == "source_ids" else dict.fromkeys(parts))
    record = drop["notes"].split(";")[0]
    kind = "" if drop["visit_type"] == keep["visit_type"] else f", type {drop['visit_type']}"
    keep["notes"] += f"; {record} ({drop['start_date']} to {drop['end_date']}{kind}) is the same stay, merged here"
    for vid, pid in [k for k in b.attendees if k[0] == gone]:
        row = b.attendees.pop((vid, pid))
        if (target, pid) in b.attendees:
            mine = b.attendees[(target, pid)]
            mine["source_ids"] = ";".join(sorted({*mine["source_ids"].split(";"), *row["source_ids"].split(";")}))
        else:
            b.attendees[(target, pid)] = {**row, "visit_id": target}
    counter = "trip" if gone.startswith("hsg-trip-") else "us"
    b.stats[f"{counter}_visits"] -= 1
    b.stats[f"{counter}_nested_merged"] += 1
    if counter == "trip":
        kind = "president" if drop["source_ids"].startswith("hsg-travels-president") else "secretary"
        b.stats[f"trip_visits_{kind}"] -= 1
    b.faults["records of one stay merged (same traveller and country, shared days)"].append(
        f"{gone} merged into {target}"
    )


def _trip_duplicates(trips: Iterable[Trip]) -> dict[int, int]:
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


#: Upstream marks trips made between election and inauguration with this bracketed remark.
_ELECT_MARK = re.compile(r"\[Visit made as President-elect\.?\]", re.I)
_ACCOMPANIED = re.compile(r"\bAccompan(?:ied|ying) (?:the )?President ([A-Z][\w.]*(?: [A-Z][\w.]*)*)")


def _build_trips(b: Build) -> None:
    snap = b.snap
    merged = _trip_duplicates(snap.trips)
    also: dict[int, list[int]] = defaultdict(list)
    for gone, kept in merged.items():
        also[kept].append(gone)
        b.faults["near-duplicate trips merged"].append(f"trip {gone} merged into trip {kept}")
    b.stats["trip_duplicates"] = len(merged)
    accompany: list[tuple[Trip, str, str, str]] = []
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
            b._psources[pid].add(src)
        else:
            pid = b.secretary(t.who, t.name, src)
            rid = _secretary_role_for_trip(b, t, pid)
        multi = len(t.countries) > 1
        for k, (cid, label) in enumerate(t.countries, start=1):
            code = b.walk.code(cid, t.start)
            if not code:
                b.stats["trip_stops_unmapped"] += 1
                b.faults["stops without an ISO code (skipped)"].append(f"trip {t.id}: {cid} ({label}) {t.start}")
                continue
            if kind == "secretary" and (m := _ACCOMPANIED.search(t.remarks)):
                accompany.append((t, code, pid, rid))
                b.stats["accompanied_claims"] += 1
                if _merge_accompanied(b, t, code, pid, rid, m.group(1), src):
                    continue
            vid = f"hsg-trip-{t.id}" + (f"-{k}" if multi else "")
            vtype, basis, occasion = visit_type(t.remarks, stated_anywhere=False)
            notes = [f"hsg travels record {t.id}"]
            if also.get(t.id):
                notes.append("duplicate upstream record " + ", ".join(map(str, sorted(also[t.id]))) + " merged here")
            if "(" in label:
                notes.append(f"upstream place label {label}")
            if not t.locale:
                notes.append("upstream gives no locale")
            b.visits[vid] = {
                "visit_id": vid,
                "host_country": code,
                "place": t.locale,
                "start_date": t.start,
                "end_date": t.end,
                "visit_type": vtype,
                "visit_type_basis": basis,
                "occasion": occasion,
                "status": "took_place",
                "trip_id": f"hsg-trip-{t.id}" if multi else "",
                "source_ids": src,
                "notes": "; ".join(notes),
            }
            b.stats["trip_visits"] += 1
            b.stats[f"trip_visits_{kind}"] += 1
            b.attend(vid, pid, rid, "lead", src, "traveller")
            if kind == "president":
                b._led[pid].append((vid, code, t.start, t.end))


def _group_journeys(b: Build) -> None:
    """Give stops of one journey a shared trip_id: a traveller's stays that follow each other
    with no free day between them. Upstream has no journey id; this grouping is inferred
    (said in notes) and keeps shuttle diplomacy, whose stays overlap, within one trip."""
    stays: dict[str, list[tuple[str, str, int, str]]] = defaultdict(list)
    for (vid, pid), row in b.attendees.items():
        if row["participation"] == "lead" and vid.startswith("hsg-trip-") and not b.visits[vid]["trip_id"]:
            v = b.visits[vid]
            stays[pid].append((v["start_date"], v["end_date"], int(vid.split("-")[2]), vid))
    for pid in sorted(stays):
        chains: list[list[tuple[str, str, int, str]]] = []
        end = ""
        for stay in sorted(stays[pid]):
            if chains and stay[0] <= (_day(end) + dt.timedelta(days=1)).isoformat():
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


def _president_for_trip(b: Build, t: Trip) -> tuple[str, str]:
    """Person and role of a travelling president; president-elect trips get their own role."""
    terms = [x for x in b.snap.terms if x.who == t.who]
    term = b.term_on(t.who, t.start)
    if term:
        return b.president(term), b.president_role(term)
    upcoming = [x for x in terms if x.took and t.start < x.took]
    if upcoming:
        nxt = min(upcoming, key=lambda x: x.took)
        gap = (_day(nxt.took) - _day(t.start)).days
        if _ELECT_MARK.search(t.remarks) and gap <= ELECT_WINDOW_DAYS:
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
    for ppid, led in b._led.items():
        if name_key(b.persons[ppid]["name"]).split("-")[-1] != wanted:
            continue
        for vid, vcode, start, end in led:
            days = _overlap_days((start, end), (t.start, t.end)) if vcode == code else 0
            if days and (best is None or (-days, vid) < (-best[0], best[1])):
                best = (days, vid)
    if best is None:
        b.stats["accompanied_unmatched"] += 1
        b.faults["'Accompanied President' stops without a matching president's visit (kept as own visit)"].append(
            f"trip {t.id}: {t.start} {code}"
        )
        return False
    if b.attend(best[1], pid, rid, "delegation_member", src, f"hsg travels record {t.id}: accompanied the president"):
        b.stats["accompanied_merged"] += 1
    else:
        b.stats["accompanied_merged"] += 1
        row = b.attendees[(best[1], pid)]
        row["notes"] = row["notes"].replace(": accompanied", f" and {t.id}: accompanied", 1)
    return True


# ---- foreign leaders


ALIAS_FILE = "person_aliases.csv"


def person_aliases(text: str | None = None) -> dict[tuple[str, str], str]:
    """(country, name key) -> canonical name key: reviewed spelling variants of one person.

    Hand-made from the upstream strings; each line was checked to name one real person (and
    near-misses that are two people, such as Amata and Imata Kabua, are deliberately absent)."""
    if text is None:
        text = resources.files(__package__).joinpath("hsg_data", ALIAS_FILE).read_text(encoding="utf-8")
    return {(r["country_code"], r["variant_key"]): r["canonical_key"] for r in csv.DictReader(text.splitlines())}


def _key(code: str, name: str, aliases: dict[tuple[str, str], str]) -> str:
    key = name_key(name)
    return aliases.get((code, key), key)


def _cluster_mentions(mentions: list[Mention], aliases: dict[tuple[str, str], str] | None = None) -> dict[int, str]:
    """Assign a person key to each mention: equal full names in one country are one person;
    surname-only names join a full name only when exactly one fits (same country and title,
    within a few years); otherwise they form their own person, split by long gaps."""
    aliases = aliases or {}
    full: dict[tuple[str, str], list[int]] = defaultdict(list)
    single: list[int] = []
    for i, m in enumerate(mentions):
        key = _key(m.code, m.person.name, aliases)
        if not key:
            continue
        if "-" in key:
            full[(m.code, key)].append(i)
        else:
            single.append(i)
    assign: dict[int, str] = {}
    for (code, key), idx in full.items():
        for i in idx:
            assign[i] = f"{code}|{key}"
    leftovers: dict[tuple[str, str, str], list[int]] = defaultdict(list)
    for i in single:
        m = mentions[i]
        token = _key(m.code, m.person.name, aliases)
        fits = set()
        for (code, key), idx in full.items():
            parts = key.split("-")
            if code != m.code or token not in (parts[0], parts[-1]):
                continue
            if any(
                mentions[j].person.title == m.person.title
                and _years_apart(mentions[j].day, m.day) <= SURNAME_MATCH_YEARS
                for j in idx
            ):
                fits.add(f"{code}|{key}")
        if len(fits) == 1:
            assign[i] = fits.pop()
        else:
            reign = m.person.title if m.person.title in REIGNING else ""
            leftovers[(m.code, token, reign)].append(i)
    for (code, token, reign), idx in leftovers.items():
        idx.sort(key=lambda i: mentions[i].day)
        cluster_start, last = mentions[idx[0]].day, mentions[idx[0]].day
        for i in idx:
            if not reign and _years_apart(last, mentions[i].day) > SURNAME_SPLIT_YEARS:
                cluster_start = mentions[i].day
            last = mentions[i].day
            assign[i] = f"{code}|{token}|{slug(reign) if reign else cluster_start[:4]}"
    return assign


def _build_foreign_visits(b: Build) -> None:
    mentions: list[Mention] = []
    usable: list[tuple[ForeignVisit, str]] = []
    for v in sorted(b.snap.visits, key=lambda v: v.id):
        code = b.walk.code(v.from_id, v.start)
        if not code:
            b.stats["us_visits_unmapped"] += 1
            b.faults["visits from places without an ISO code (skipped)"].append(
                f"visit {v.id}: {v.from_id} ({v.from_label}) {v.start}"
            )
            continue
        usable.append((v, code))
        for p in parse_visitor(v.visitor):
            mentions.append(Mention(v.id, code, p, v.start, v.start[:4]))
    aliases = person_aliases()
    assign = _cluster_mentions(mentions, aliases)
    # person ids: slug of the name key; a key used in two countries gets the country code
    keys = sorted(set(assign.values()))
    by_slug: dict[str, set[str]] = defaultdict(set)
    for k in keys:
        by_slug[k.split("|")[1]].add(k)
    pid_of: dict[str, str] = {}
    for k in keys:
        code, token, *first = k.split("|")
        base = token if "-" in token else f"{token}-{code.lower()}" + (f"-{first[0]}" if first else "")
        if "-" in token and len([x for x in by_slug[token] if len(x.split("|")) == 2]) > 1:
            base = f"{token}-{code.lower()}"
        pid_of[k] = base
    names: dict[str, Counter] = defaultdict(Counter)
    for i, m in enumerate(mentions):
        if i in assign:
            names[pid_of[assign[i]]][m.person.name] += 1
    by_visit: dict[int, list[int]] = defaultdict(list)
    for i, m in enumerate(mentions):
        by_visit[m.visit_id].append(i)

    for v, code in usable:
        src = b.source(page_source("visits", v.start[:4], v.start[:4]))
        vid = f"hsg-visit-{v.id}"
        vtype, basis, occasion = visit_type(v.description, stated_anywhere=True)
        notes = [f"hsg visits record {v.id}"]
        if not v.description:
            b.stats["us_visits_empty_description"] += 1
            notes.append("upstream gives no description")
        b.visits[vid] = {
            "visit_id": vid,
            "host_country": "USA",
            "place": "",
            "start_date": v.start,
            "end_date": v.end,
            "visit_type": vtype,
            "visit_type_basis": basis,
            "occasion": occasion,
            "status": "took_place",
            "trip_id": "",
            "source_ids": src,
            "notes": "; ".join(notes),
        }
        b.stats["us_visits"] += 1
        idx = [i for i in by_visit[v.id] if i in assign]
        if not idx:
            b.faults["visits whose visitor names nobody (no lead)"].append(f"visit {v.id}")
        if len(idx) > 1:
            b.stats["us_visits_two_visitors"] += 1
        for n, i in enumerate(idx):
            m = mentions[i]
            pid = pid_of[assign[i]]
            if pid not in b.persons:
                canonical = assign[i].split("|")[1]
                spellings = {n: c for n, c in names[pid].items() if name_key(n) == canonical} or names[pid]
                display = max(spellings.items(), key=lambda kv: (kv[1], len(kv[0]), kv[0]))[0]
                b.persons[pid] = {
                    "person_id": pid,
                    "name": display,
                    "name_native": "",
                    "birth_date": "",
                    "death_date": "",
                    "wikidata_id": "",
                    "source_ids": "",
                    "notes": f"named in hsg visit records as a leader of {code}",
                }
                b.stats["foreign_persons"] += 1
            b._psources[pid].add(src)
            if len(assign[i].split("|")) == 2:
                b._by_key[(code, assign[i].split("|")[1])] = pid
            rid = ""
            if m.person.title:
                rid = _foreign_role(b, pid, m.person, code, src)
                entry = b._foreign[(code, m.person.title)]
                for e in entry:
                    if e[0] == pid:
                        e[2].append(v.start)
                        break
                else:
                    entry.append((pid, assign[i].split("|")[1], [v.start]))
            else:
                b.stats["visitors_without_office"] += 1
            b.attend(
                vid,
                pid,
                rid,
                "lead" if n == 0 else "delegation_member",
                src,
                "visitor" if n == 0 else "second person named as visitor",
            )
        host = b.term_on(None, v.start)
        if host:
            b.attend(
                vid,
                b.president(host),
                b.president_role(host),
                "host",
                f"{src};{b.source(REPO_SOURCES['hsg-presidents'])}",
                "host inferred: president in office on the first day",
            )
            b.stats["hosts"] += 1


def _foreign_role(b: Build, pid: str, person: NamedPerson, code: str, src: str, remarks: bool = False) -> str:
    key = (pid, person.title, code)
    if key not in b._foreign_roles:
        where = "travel remarks" if remarks else "visit records"
        rid = f"{pid}-{slug(person.title)}"
        if rid in b.roles:
            rid = f"{rid}-{code.lower()}"
        b._foreign_roles[key] = rid
        b.roles[rid] = {
            "role_id": rid,
            "person_id": pid,
            "title": person.title,
            "role_type": person.role_type,
            "country_code": code,
            "organisation": "",
            "start_date": "",
            "end_date": "",
            "end_status": "unknown",
            "source_ids": "",
            "notes": f"office as named in hsg {where}; dates not in that source",
        }
    rid = b._foreign_roles[key]
    b._rsources[rid].add(src)
    return rid


def _build_counterparts(b: Build) -> None:
    """Resolve "met with <title> <name>" in trip remarks to a person and office.

    In order: a visitor of the host country holding that title within a few years (a surname
    suffices when exactly one fits); a visitor of the host country with that full name (a
    further office of theirs); a visitor of one other country with that full name and title,
    met abroad (summits, funerals). Otherwise a full name becomes a new person holding the
    named office of the host country, unless the stop was a summit or ceremony or the remark
    names other countries ("of ..."), where whose office it is cannot be told. Titles
    qualified by another word ("Russian President") and unmatched surnames stay unresolved.
    """
    aliases = person_aliases()
    for t in sorted(b.snap.trips, key=lambda t: t.id):
        vid = f"hsg-trip-{t.id}"
        if vid not in b.visits:
            continue
        visit = b.visits[vid]
        code, src = visit["host_country"], visit["source_ids"]
        for mention, qualified in met_with(t.remarks):
            b.stats["counterparts_named"] += 1
            token = _key(code, mention.name, aliases)
            fits = set()
            for pid, key, days in b._foreign.get((code, mention.title), []):
                parts = key.split("-")
                # the full name, or its first or last word(s): "Fox", "Johnson Sirleaf", "Park"
                if (token == key or key.endswith("-" + token) or token in (parts[0], parts[-1])) and any(
                    _years_apart(d, t.start) <= SURNAME_MATCH_YEARS for d in days
                ):
                    fits.add(pid)
            abroad = sorted(c for (c, k) in b._by_key if k == token and c != code)
            home_pid = b._by_key[(abroad[0], token)] if len(abroad) == 1 else ""
            home_role = b._foreign_roles.get((home_pid, mention.title, abroad[0])) if home_pid else None
            multilateral = visit["visit_type"] in ("multilateral_meeting", "ceremony") or " of " in t.remarks
            if qualified or len(fits) > 1 or (not fits and "-" not in token):
                how = "qualified" if qualified else "ambiguous" if fits else "unknown"
                b.stats["counterparts_unresolved"] += 1
                b.stats[f"counterparts_{how}"] += 1
                continue
            if fits:
                pid, how = fits.pop(), "visitor"
                rid = b._foreign_roles[(pid, mention.title, code)]
            elif (code, token) in b._by_key:
                pid, how = b._by_key[(code, token)], "visitor_other_office"
                rid = _foreign_role(b, pid, mention, code, src, remarks=True)
            elif home_role:
                pid, rid, how = home_pid, home_role, "visitor_abroad"
            elif abroad or multilateral or token in b.persons:
                b.stats["counterparts_unresolved"] += 1
                b.stats["counterparts_unknown"] += 1
                continue
            else:
                pid, how = token, "new_person"
                b.persons[pid] = {
                    "person_id": pid,
                    "name": mention.name,
                    "name_native": "",
                    "birth_date": "",
                    "death_date": "",
                    "wikidata_id": "",
                    "source_ids": "",
                    "notes": f"named in hsg travel remarks as met in {code}",
                }
                b._by_key[(code, token)] = pid
                b.stats["counterpart_persons"] += 1
                rid = _foreign_role(b, pid, mention, code, src, remarks=True)
            b._psources[pid].add(src)
            if b.attend(vid, pid, rid, "counterpart", src, f"hsg travels record {t.id}: met"):
                b.stats["counterparts_resolved"] += 1
                b.stats[f"counterparts_{how}"] += 1
            else:
                b.stats["counterparts_repeated"] += 1


# --------------------------------------------------------------------------- writing


@dataclass
class Summary:
    """What one run read, generated and changed; ``str()`` is the printed summary."""

    stats: Counter
    faults: dict[str, list[str]]
    generated: dict[str, int]
    added: dict[str, int]
    unchanged: dict[str, int]
    conflicts: dict[str, list[str]]
    by_decade: dict[str, dict[str, int]]
    overlaps: list[str]

    def as_dict(self) -> dict[str, int]:
        """The headline counts, flat (the CLI prints them; the full story is in the report)."""
        st = self.stats
        out = {
            "records_read": st["trips_read"] + st["visits_read"],
            "trips_read": st["trips_read"],
            "visits_read": st["visits_read"],
            "duplicates_merged": st["trip_duplicates"],
            "accompanied_stops_merged": st["accompanied_merged"],
            "records_skipped_no_iso_code": st["trip_stops_unmapped"] + st["us_visits_unmapped"],
            "counterparts_resolved": st["counterparts_resolved"],
            "counterparts_unresolved": st["counterparts_unresolved"],
        }
        for t in TABLES:
            out[f"{t}_generated"] = self.generated[t]
            out[f"{t}_added"] = self.added[t]
        out["conflicts"] = sum(len(v) for v in self.conflicts.values())
        out["lead_overlaps"] = len(self.overlaps)
        return out

    # Mapping protocol, so that ``dict(summary)`` gives the headline counts.
    def keys(self) -> list[str]:
        return list(self.as_dict())

    def __getitem__(self, key: str) -> int:
        return self.as_dict()[key]

    def __str__(self) -> str:
        return report_markdown(self)


def _frame(rows: Iterable[dict[str, str]], columns: list[str]) -> pd.DataFrame:
    return pd.DataFrame(list(rows), columns=columns, dtype="str")


def _norm(v: object) -> str:
    return "" if v is None or (isinstance(v, float) and v != v) or v is pd.NA else str(v)


def merge(root: Path, table: str, rows: list[dict[str, str]], write: bool = True) -> tuple[int, int, list[str]]:
    """Add generated rows whose key is new; leave equal rows; report differing rows as conflicts."""
    schema = load_schema(root, table)
    cols = schema.field_names
    if (Path(root) / "data" / f"{table}.csv").exists():
        existing = read_table(root, schema).frame[cols]  # an unreadable file stops the import
    else:
        existing = pd.DataFrame(columns=cols, dtype="str")
    pk = schema.primary_key
    have = {tuple(_norm(r[c]) for c in pk): {c: _norm(r[c]) for c in cols} for r in existing.to_dict("records")}
    new, same, conflicts = [], 0, []
    for row in rows:
        key = tuple(row[c] for c in pk)
        if key not in have:
            new.append(row)
        elif all(have[key][c] == _norm(row.get(c, "")) for c in cols):
            same += 1
        else:
            diff = [c for c in cols if have[key][c] != _norm(row.get(c, ""))]
            conflicts.append(f"{table} {'/'.join(key)}: {', '.join(diff)} differ from the import; kept as curated")
    if new and write:
        write_table(
            root, schema, pd.concat([existing, _frame(new, cols).fillna("")], ignore_index=True).replace({"": pd.NA})
        )
    return len(new), same, conflicts


def _apply_retired(root: Path, tables: dict[str, list[dict[str, str]]], st: Counter) -> None:
    """Honour ``retired_ids``: a retired id is never written again. References to it follow
    its replacement (a curator's merge or rename); rows naming a withdrawn id are dropped."""
    try:
        frame = read_table(root, load_schema(root, "retired_ids")).frame
    except (KeyError, OSError, TableReadError):
        return
    retired: dict[str, dict[str, str]] = defaultdict(dict)
    for r in frame.to_dict("records"):
        retired[_norm(r["table_name"])][_norm(r["retired_id"])] = _norm(r["replaced_by"])
    if not retired:
        return
    keys = {"sources": "source_id", "persons": "person_id", "roles": "role_id", "visits": "visit_id"}
    for name, key in keys.items():
        kept = [r for r in tables[name] if r[key] not in retired[name]]
        st["retired_not_rewritten"] += len(tables[name]) - len(kept)
        tables[name] = kept
    refs = {"person_id": "persons", "role_id": "roles", "visit_id": "visits"}
    for name in ("roles", "visits", "attendees", "persons"):
        out = []
        for row in tables[name]:
            drop = False
            for col, target in refs.items():
                if col in row and row[col] in retired[target] and name != target:
                    new = retired[target][row[col]]
                    st["retired_references_followed" if new else "retired_rows_dropped"] += 1
                    if new:
                        row[col] = new
                    elif col == "role_id":
                        row[col] = ""
                    else:
                        drop = True
            ids = row["source_ids"].split(";")
            if any(i in retired["sources"] for i in ids):
                ids = [retired["sources"].get(i, i) for i in ids]
                row["source_ids"] = ";".join(dict.fromkeys(i for i in ids if i))
            if not drop:
                out.append(row)
        tables[name] = out
    seen: set[tuple[str, str]] = set()
    unique = []
    for row in tables["attendees"]:
        if (row["visit_id"], row["person_id"]) not in seen:
            seen.add((row["visit_id"], row["person_id"]))
            unique.append(row)
    tables["attendees"] = unique


def _apply_splits(root: Path, tables: dict[str, list[dict[str, str]]], st: Counter) -> None:
    """Honour ``split`` decisions (``person_reviews``): a generated attendance of the split id
    at a visit that the curated data file under the new person follows that person (and the
    curated office), so a re-import does not put the visit back under the old id."""
    try:
        reviews = read_table(root, load_schema(root, "person_reviews")).frame
        curated = read_table(root, load_schema(root, "attendees")).frame
    except (KeyError, OSError, TableReadError):
        return
    split: dict[str, set[str]] = defaultdict(set)
    for r in reviews[reviews["decision"] == "split"].to_dict("records"):
        split[_norm(r["person_id"])].add(_norm(r["other_person_id"]))
    if not split:
        return
    role_of = {(_norm(r["visit_id"]), _norm(r["person_id"])): _norm(r["role_id"]) for r in curated.to_dict("records")}
    for row in tables["attendees"]:
        if (row["visit_id"], row["person_id"]) in role_of:
            continue
        for other in sorted(split.get(row["person_id"], ())):
            if (row["visit_id"], other) in role_of:
                row["person_id"], row["role_id"] = other, role_of[(row["visit_id"], other)]
                st["split_attendances_followed"] += 1
                break


def _fill_countries(root: Path, write: bool) -> tuple[int, list[str]]:
    """Add COW state numbers to the countries table where the cell is empty."""
    schema = load_schema(root, "countries")
    frame = read_table(root, schema).frame[schema.field_names]
    rows = [{c: _norm(r[c]) for c in schema.field_names} for r in frame.to_dict("records")]
    changed, conflicts = fill_cow_codes(rows, cow_codes())
    if changed and write:
        write_table(root, schema, _frame(rows, schema.field_names).replace({"": pd.NA}))
    return changed, conflicts


def _lead_overlaps(b: Build) -> list[str]:
    """Leads with stays in two countries overlapping by more than one day (upstream shuttles)."""
    by_person: dict[str, list[tuple[str, str, str, str]]] = defaultdict(list)
    for (vid, pid), row in b.attendees.items():
        if row["participation"] == "lead":
            v = b.visits[vid]
            by_person[pid].append((v["start_date"], v["end_date"], v["host_country"], vid))
    out = []
    for pid, stays in by_person.items():
        stays.sort()
        for i, a in enumerate(stays):
            for c in stays[i + 1 :]:
                if c[0] > a[1]:
                    break
                if a[2] != c[2] and _overlap_days((a[0], a[1]), (c[0], c[1])) >= 2:
                    out.append(f"{pid}: {a[3]} ({a[2]} {a[0]}..{a[1]}) and {c[3]} ({c[2]} {c[0]}..{c[1]})")
    return out


def run(root: Path, path: Path, progress: Progress | None = None, write: bool = True) -> Summary:
    """Import the snapshot at ``path`` into ``root/data``; return (and write) the summary."""
    say = progress or (lambda _m: None)
    root, path = Path(root), Path(path)
    for folder in ("travels", "visits", "pocom"):
        if not (path / folder).is_dir():
            raise FileNotFoundError(f"{path / folder}: expected the HistoryAtState {folder} repository here")
    snap = read_snapshot(path)
    b = build(snap, Crosswalk.load(), say)
    tables = {
        "sources": list(b.sources.values()),
        "persons": list(b.persons.values()),
        "roles": list(b.roles.values()),
        "visits": list(b.visits.values()),
        "attendees": list(b.attendees.values()),
    }
    st = b.stats
    _apply_retired(root, tables, st)
    _apply_splits(root, tables, st)
    st["persons_us"] = sum(1 for r in tables["persons"] if r["notes"].startswith("hsg person id"))
    st["persons_surname_only"] = sum(
        1
        for r in tables["persons"]
        if re.search(r"-[a-z]{3}-[a-z0-9-]+$", r["person_id"]) and "-" not in name_key(r["name"])
    )
    for r in tables["roles"]:
        kind = re.match(r"us-(president-elect|president|secretary-of-state)-", r["role_id"])
        st["roles_" + (kind.group(1) if kind else "foreign")] += 1
    for r in tables["attendees"]:
        st["attendees_" + r["participation"]] += 1
    journeys = [r["trip_id"] for r in tables["visits"] if r["trip_id"].startswith("hsg-journey-")]
    st["journey_stops"], st["journeys"] = len(journeys), len(set(journeys))
    with_cow = "cow_code" in load_schema(root, "countries").field_names
    if with_cow:
        tables["sources"].append(dict(COW_SOURCE))
    added, unchanged, conflicts = {}, {}, {}
    for name in TABLES:
        added[name], unchanged[name], conflicts[name] = merge(root, name, tables[name], write)
        say(
            f"{name}: {len(tables[name])} generated, {added[name]} added, {unchanged[name]} unchanged, "
            f"{len(conflicts[name])} conflicts"
        )
    st["countries_schema_has_cow_code"] = int(with_cow)
    if with_cow:
        st["countries_cow_filled"], conflicts["countries"] = _fill_countries(root, write)
        say(f"countries: {st['countries_cow_filled']} rows given a COW state number or note")
    else:
        conflicts["countries"] = []
    decades: dict[str, dict[str, int]] = defaultdict(lambda: {"from_us": 0, "to_us": 0})
    for v in b.visits.values():
        decades[v["start_date"][:3] + "0s"]["to_us" if v["visit_id"].startswith("hsg-visit-") else "from_us"] += 1
    summary = Summary(
        b.stats,
        dict(b.faults),
        {k: len(v) for k, v in tables.items()},
        added,
        unchanged,
        conflicts,
        dict(sorted(decades.items())),
        _lead_overlaps(b),
    )
    if write:
        report = root / "docs" / "reports" / "hsg-import.md"
        report.parent.mkdir(parents=True, exist_ok=True)
        report.write_text(report_markdown(summary), encoding="utf-8")
        say(f"report written to {report.relative_to(root)}")
    return summary


def report_markdown(s: Summary) -> str:
    """The data report: every count with what it means."""
    st = s.stats
    trips_total = (
        st["trip_visits"]
        + st["trip_nested_merged"]
        + st["trip_duplicates"]
        + st["accompanied_merged"]
        + st["trip_stops_unmapped"]
    )
    lines = [
        "# Import of the Office of the Historian's records (hsg)",
        "",
        "Written by `visitdata import hsg PATH` (`src/visitdata/importers/hsg.py`); rerun it to refresh.",
        "",
        "## Records read",
        "",
        f"- {st['trips_read']} trips abroad of presidents and Secretaries of State (travels), "
        f"{st['visits_read']} visits of foreign leaders to the U.S. (visits): "
        f"{st['trips_read'] + st['visits_read']} upstream records.",
        "",
        "## Where every record went",
        "",
        f"- Trips: {st['trip_visits']} became visits abroad ({st['trip_visits_president']} by presidents, "
        f"{st['trip_visits_secretary']} by Secretaries of State); {st['trip_duplicates']} were near-duplicates "
        f"merged into the record they repeat (same traveller, country and dates); {st['accompanied_merged']} "
        'Secretary stops marked "Accompanied President ..." were merged into the president\'s visit as a '
        f"delegation member; {st['trip_stops_unmapped']} stops were in places without an ISO code and skipped; "
        f"{st['trip_nested_merged']} were a second record of one stay in one country (sharing more than a travel "
        "day with another record of the same traveller there, e.g. a summit inside a state visit) and were merged "
        "into it. Stays of one "
        "journey in two countries whose upstream dates overlap (shuttle diplomacy) are kept; validation warns "
        "about them (rule lead-overlap-same-trip).",
        f"- Visits to the U.S.: {st['us_visits']} became visits; {st['us_nested_merged']} were a second record of "
        f"one stay (merged, as above); {st['us_visits_unmapped']} came from places without an ISO code and were skipped.",
        f"- Check: {st['trip_visits']} + {st['trip_nested_merged']} + {st['trip_duplicates']} + {st['accompanied_merged']} + "
        f"{st['trip_stops_unmapped']} = {trips_total} trips; {st['us_visits']} + "
        f"{st['us_nested_merged']} + {st['us_visits_unmapped']} = "
        f"{st['us_visits'] + st['us_nested_merged'] + st['us_visits_unmapped']} visits.",
        "",
        "## Rows generated",
        "",
        "| table | generated | added this run | unchanged | conflicts (kept as curated) |",
        "|---|---|---|---|---|",
    ]
    for t in TABLES:
        lines.append(f"| {t} | {s.generated[t]} | {s.added[t]} | {s.unchanged[t]} | {len(s.conflicts[t])} |")
    lines += [
        "",
        "- sources: one row per history.state.gov page listing the records (travels of one person, "
        "visits of one year) plus the upstream repositories for presidents' terms and Secretaries' tenures.",
        f"- persons: {st['persons_us']} presidents and Secretaries of State who travel or host, and "
        f"{st['foreign_persons']} foreign persons named as visitors, and {st['counterpart_persons']} named only "
        "as counterparts met abroad (see below). Equal names (ignoring accents, initials and "
        "honorifics) from one country are one person; a surname-only name joins a full name only when exactly "
        "one person of that country and title fits within six years. The rest stay apart: "
        f"{st['persons_surname_only']} persons are known by one name only (id: name-country-year, or "
        "name-country-title for monarchs), split where their records are more than ten years apart. "
        "Spelling variants (Zelensky/Zelenskyy) are not merged: never guessed, left for curators.",
        f"- roles: {st['roles_president']} presidencies of presidents who travel or host (non-consecutive terms, "
        f"as Cleveland's and Trump's, are separate roles: us-president-<n> with upstream's number), "
        f"{st['roles_president-elect']} president-elect periods (covering {st['trips_president_elect']} trips "
        f"marked upstream as made as president-elect), {st['roles_secretary-of-state']} Secretary of State "
        f"tenures (pocom dates), and {st['roles_foreign']} offices of foreign persons as the visit records or travel remarks name them (one per person, "
        "title and country; start and end not in the source, end_status unknown).",
        f"- attendees: {st['attendees_lead']} leads (one per visit); {st['attendees_host']} hosts, the president "
        "in office on the first day of a visit to the U.S. (inferred, said in notes); "
        f"{st['attendees_delegation_member']} delegation members: "
        f"{st['attendees_delegation_member'] - st['us_visits_two_visitors']} Secretaries on a president's visit "
        f"(from {st['accompanied_merged']} 'Accompanied President' stops; two stops in one country make one row) "
        f"and {st['us_visits_two_visitors']} second persons named in a visitor field; "
        f"{st['attendees_counterpart']} counterparts.",
        f"- trips: {st['journey_stops']} stays abroad are grouped into {st['journeys']} journeys (trip_id "
        "hsg-journey-<lowest upstream id>): stays of one traveller with no free day between them. Upstream has "
        "no journey id, so this grouping is inferred and said so in the visit's notes.",
        f"- {st['visitors_without_office']} visitors are named without an office title (no role).",
        f"- retired ids (data/retired_ids.csv): {st['retired_not_rewritten']} generated rows not written again, "
        f"{st['retired_references_followed']} references moved to the replacing id, "
        f"{st['retired_rows_dropped']} rows dropped for naming a withdrawn id.",
        (
            f"- countries: {st['countries_cow_filled']} rows got a Correlates of War state number (or a note why "
            "none fits) from the hand-made table hsg_data/cow_codes.csv, citing the COW State System Membership "
            "List v2016; filled cells are never changed."
            if st["countries_schema_has_cow_code"]
            else "- countries: Correlates of War state numbers are prepared (hsg_data/cow_codes.csv) but not "
            "written: schemas/countries.json has no cow_code column yet."
        )
        + " Gleditsch-Ward numbers are not added (no citable copy of that list was found).",
        "",
        '## Counterparts ("met with <title> <name>" in trip remarks)',
        "",
        f"- {st['counterparts_named']} mentions = {st['counterparts_resolved']} resolved + "
        f"{st['counterparts_repeated']} repeating a person already attending that visit + "
        f"{st['counterparts_unresolved']} unresolved.",
        f"- resolved: {st['counterparts_visitor']} to a visitor of the host country holding that title within "
        f"six years (a surname suffices when exactly one fits); {st['counterparts_visitor_other_office']} to a "
        "visitor of the host country with that full name, in the office the remark names; "
        f"{st['counterparts_visitor_abroad']} to a visitor of another country with that full name and title, met "
        f"abroad; {st['counterparts_new_person']} to a new person (full name as written, office of the host "
        "country as named, dates unknown).",
        f'- unresolved: {st["counterparts_qualified"]} titles qualified by another word ("Russian President", '
        f'"Palestinian Authority President": the office need not be the host country\'s); '
        f"{st['counterparts_ambiguous']} surnames fitting several persons; {st['counterparts_unknown']} surnames "
        "fitting nobody, or full names on stops where whose office it is cannot be told (summits, ceremonies, "
        "remarks naming other countries).",
        "",
        "## Visits by decade and direction",
        "",
        "| decade | from the U.S. (trips abroad) | to the U.S. | total |",
        "|---|---|---|---|",
    ]
    for decade, c in s.by_decade.items():
        lines.append(f"| {decade} | {c['from_us']} | {c['to_us']} | {c['from_us'] + c['to_us']} |")
    lines += ["", "## Upstream faults handled", ""]
    lines.append(
        f"- trips with an empty locale: {st['trips_empty_locale']} (place left empty); visits with an "
        f"empty description: {st['us_visits_empty_description']} (type unspecified)."
    )
    for title, items in sorted(s.faults.items()):
        lines.append(f"- {title}: {len(items)}")
        lines += [f"  - {x}" for x in items[:40]]
        if len(items) > 40:
            lines.append(f"  - ... and {len(items) - 40} more")
    elect_faults = len(s.faults.get("stops dated before an inauguration, not marked as president-elect (no role)", []))
    tenure_faults = len(s.faults.get("Secretary stops outside the pocom tenure (no role)", []))
    lines.append(
        f"- stops dated before the traveller's inauguration: {st['trips_president_elect'] + elect_faults}; "
        f"{st['trips_president_elect']} are marked upstream as made as president-elect (president-elect role), "
        f"{elect_faults} are not (no role). Secretary stops outside their pocom tenure: {tenure_faults}."
    )
    lines += [
        "",
        "## Leads in two countries at once, after holding back",
        "",
        f"{len(s.overlaps)} pairs of stays overlap by more than one day.",
    ]
    lines += [f"- {x}" for x in s.overlaps]
    lines += ["", "## Conflicts (rows differing from what the import would write; never overwritten)", ""]
    total = sum(len(v) for v in s.conflicts.values())
    lines.append(f"{total} rows.")
    for t in (*TABLES, "countries"):
        lines += [f"- {x}" for x in s.conflicts.get(t, [])[:200]]
    return "\n".join(lines) + "\n"
