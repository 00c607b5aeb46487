"""The rows generated from one snapshot, and the typed facts the stages share while building.

Rows are plain ``dict``s of strings, as they will be written. Whatever a later stage needs to
know about a row (which upstream record it came from, who travelled, which persons are U.S.
officials) is kept in a typed field here, never read back from the text of ``notes`` or from
the shape of an id.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Literal

from ...vocabulary import END_UNKNOWN, ENDED, FOREIGN_MINISTER, HEAD_OF_STATE, LIST_DELIMITER, ONGOING, OTHER_ROLE
from .countries import Crosswalk
from .names import NamedPerson, slug
from .sources import REPO_SOURCES
from .upstream import Snapshot, Tenure, Term

#: Kinds of office the importer creates; the report counts roles by kind.
RoleKind = Literal["president", "president-elect", "secretary-of-state", "foreign"]


def day(s: str) -> dt.date:
    return dt.date.fromisoformat(s)


def years_apart(a: str, b: str) -> float:
    return abs((day(a) - day(b)).days) / 365.25


def overlap_days(a: tuple[str, str], b: tuple[str, str]) -> int:
    """Days shared by two inclusive date ranges (0 when disjoint)."""
    first, last = max(a[0], b[0]), min(a[1], b[1])
    return (day(last) - day(first)).days + 1 if first <= last else 0


def _year_part(s: str) -> str:
    return s if re.fullmatch(r"[0-9]{4}", s or "") else ""


@dataclass(frozen=True)
class VisitRecord:
    """The upstream record a generated visit comes from."""

    #: ``travels`` (a trip abroad) or ``visits`` (a foreign leader's visit to the U.S.)
    series: Literal["travels", "visits"]
    record_id: int
    #: who travelled on a trip abroad; '' for visits to the U.S.
    traveller: Literal["president", "secretary", ""] = ""

    @property
    def abroad(self) -> bool:
        return self.series == "travels"

    @property
    def label(self) -> str:
        """How the visit's notes name the record: ``hsg travels record 2381``."""
        return f"hsg {self.series} record {self.record_id}"


@dataclass
class Mention:
    """A foreign person named in a visit record, before persons are resolved."""

    visit_id: int
    code: str
    person: NamedPerson
    day: str
    year: str


@dataclass(frozen=True)
class ForeignHolder:
    """A foreign person seen holding a title in one country, and on which days."""

    person_id: str
    key: str
    days: list[str]


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
    #: the upstream record of each visit
    records: dict[str, VisitRecord] = field(default_factory=dict)
    #: presidents and Secretaries of State (persons read from the U.S. records)
    us_persons: set[str] = field(default_factory=set)
    #: foreign persons known by one name only (their id carries country and year or title)
    surname_only: set[str] = field(default_factory=set)
    role_kinds: dict[str, RoleKind] = field(default_factory=dict)
    #: visit id -> inferred journey (trip_id) of stops without a free day between them
    journeys: dict[str, str] = field(default_factory=dict)
    #: (visit, Secretary) -> the trip records of the Secretary's "Accompanied President" stops
    accompanied: dict[tuple[str, str], list[int]] = field(default_factory=lambda: defaultdict(list))
    #: person and role sources collected while building, joined by :meth:`finish`
    person_sources: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    role_sources: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    #: visits led by each president: person_id -> [(visit_id, code, start, end)]
    led: dict[str, list[tuple[str, str, str, str]]] = field(default_factory=lambda: defaultdict(list))
    #: foreign persons by (country, title)
    foreign: dict[tuple[str, str], list[ForeignHolder]] = field(default_factory=lambda: defaultdict(list))
    #: (person, title, country) -> role id
    foreign_roles: dict[tuple[str, str, str], str] = field(default_factory=dict)
    #: foreign persons by (country, full-name key): one person per name and country
    by_key: dict[tuple[str, str], str] = field(default_factory=dict)

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
            self.us_persons.add(pid)
        self.person_sources[pid].add(source)
        return pid

    def president(self, term: Term) -> str:
        return self.us_person(term.who, term.name, term.birth, term.death, self.source(REPO_SOURCES["hsg-presidents"]))

    def president_role(self, term: Term, elect: bool = False) -> str:
        pid = self.president(term)
        rid = f"us-president{'-elect' if elect else ''}-{term.n}"
        if rid not in self.roles:
            if elect:
                end = (day(term.took) - dt.timedelta(days=1)).isoformat() if term.took else ""
                row = {
                    "title": "President-elect of the United States",
                    "role_type": OTHER_ROLE,
                    "start_date": "",
                    "end_date": end,
                    "end_status": ENDED if end else END_UNKNOWN,
                    "notes": f"before presidency no. {term.n}; ends the day before the inauguration date listed",
                }
            else:
                ongoing = not term.left
                row = {
                    "title": "President of the United States",
                    "role_type": HEAD_OF_STATE,
                    "start_date": term.took,
                    "end_date": term.left,
                    "end_status": ONGOING if ongoing else ENDED,
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
            self.role_kinds[rid] = "president-elect" if elect else "president"
        self.role_sources[rid].add(self.source(REPO_SOURCES["hsg-presidents"]))
        return rid

    def term_on(self, who: str | None, on: str) -> Term | None:
        """The presidency (of ``who``, or anyone) in progress on ``on``."""
        for t in self.snap.terms:
            if (who is None or t.who == who) and t.took and t.took <= on and (not t.left or on < t.left):
                return t
        return None

    def secretary(self, who: str, trip_name: str, source: str) -> str:
        info = self.snap.people.get(who)
        name = (info.name if info else "") or re.sub(r"\s*\([^)]*\)", "", trip_name)
        birth, death = (info.birth, info.death) if info else ("", "")
        pid = self.us_person(who, name, birth, death, self.source(REPO_SOURCES["hsg-pocom"]))
        self.person_sources[pid].add(source)
        return pid

    def secretary_role(self, tenure: Tenure, pid: str) -> str:
        rid = f"us-secretary-of-state-{tenure.id}"
        if rid not in self.roles:
            self.roles[rid] = {
                "role_id": rid,
                "person_id": pid,
                "title": "Secretary of State",
                "role_type": FOREIGN_MINISTER,
                "country_code": "USA",
                "organisation": "",
                "start_date": tenure.started,
                "end_date": tenure.ended,
                "end_status": ENDED if tenure.ended else ONGOING,
                "source_ids": "",
                "notes": f"pocom principal {tenure.id}",
            }
            self.role_kinds[rid] = "secretary-of-state"
        self.role_sources[rid].add(self.source(REPO_SOURCES["hsg-pocom"]))
        return rid

    def foreign_role(self, pid: str, person: NamedPerson, code: str, src: str, remarks: bool = False) -> str:
        """The office ``person.title`` of country ``code`` held by foreign person ``pid``."""
        key = (pid, person.title, code)
        if key not in self.foreign_roles:
            where = "travel remarks" if remarks else "visit records"
            rid = f"{pid}-{slug(person.title)}"
            if rid in self.roles:
                rid = f"{rid}-{code.lower()}"
            self.foreign_roles[key] = rid
            self.roles[rid] = {
                "role_id": rid,
                "person_id": pid,
                "title": person.title,
                "role_type": person.role_type,
                "country_code": code,
                "organisation": "",
                "start_date": "",
                "end_date": "",
                "end_status": END_UNKNOWN,
                "source_ids": "",
                "notes": f"office as named in hsg {where}; dates not in that source",
            }
            self.role_kinds[rid] = "foreign"
        rid = self.foreign_roles[key]
        self.role_sources[rid].add(src)
        return rid

    # ---- rows
    def attend(self, visit_id: str, person_id: str, role_id: str, participation: str, source: str, note: str) -> bool:
        """Add an attendee row; if the person already attends, only add the source (False)."""
        key = (visit_id, person_id)
        if key in self.attendees:
            row = self.attendees[key]
            if source not in row["source_ids"].split(LIST_DELIMITER):
                row["source_ids"] = LIST_DELIMITER.join(sorted({*row["source_ids"].split(LIST_DELIMITER), source}))
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
        for pid, srcs in self.person_sources.items():
            self.persons[pid]["source_ids"] = LIST_DELIMITER.join(sorted(srcs))
        for rid, srcs in self.role_sources.items():
            self.roles[rid]["source_ids"] = LIST_DELIMITER.join(sorted(srcs))
