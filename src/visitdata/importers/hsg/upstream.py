"""Read the HistoryAtState XML (``travels``, ``visits``, ``pocom``) into typed records.

Nothing here interprets the records: text is cleaned of spacing only, dates stay as upstream
writes them. What the records mean is decided by the later stages.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path

from .names import clean

#: The three upstream repositories below PATH.
REPOSITORIES = ("travels", "visits", "pocom")


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
@dataclass(frozen=True)
class PocomPerson:
    """A person of the pocom ``people`` records (Secretaries of State)."""

    name: str
    birth: str
    death: str


@dataclass
class Snapshot:
    """Everything read from one snapshot."""

    trips: list[Trip]
    visits: list[ForeignVisit]
    terms: list[Term]
    tenures: list[Tenure]
    people: dict[str, PocomPerson]


def _text(el: ET.Element | None, tag: str) -> str:
    return clean(el.findtext(tag) if el is not None else "")


def check_snapshot(path: Path) -> None:
    """Raise ``FileNotFoundError`` naming the first upstream repository missing below ``path``."""
    for folder in REPOSITORIES:
        if not (Path(path) / folder).is_dir():
            raise FileNotFoundError(f"{Path(path) / folder}: expected the HistoryAtState {folder} repository here")


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
        people[_text(root, "id")] = PocomPerson(
            _text(names, "altname") or full, _text(root, "birth"), _text(root, "death")
        )
    return Snapshot(trips, visits, terms, tenures, people)
