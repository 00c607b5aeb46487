"""The duplicate review: pairs of person records that may be one person, with the evidence.

Imported records name some people under several ids (spellings, transliterations,
surname-only names, a title fused into the name, a state that dissolved). This module ranks
candidate pairs for a curator; it never merges. Each pair is scored from four kinds of
evidence, multiplied:

* the names (:func:`visitdata.personnames.name_similarity`: order, particles, titles and
  romanisation variants ignored; a surname-only name matching a word of the other);
* the states whose offices the records hold: the same state, or a predecessor and successor
  (:data:`SUCCESSORS`); a pair from unrelated states is never proposed;
* the years in which the records are active (visits, offices): far apart is weaker;
* the offices (types of role): compatible, or not;

and two facts that rule a pair out: lives that cannot be one (an activity after the other's
death, birth years apart) or different ids of one outside dataset (two Archigos leaders).

A curator's decision on a pair is data (``data/person_reviews.csv``): a decided pair is
never proposed again. The default threshold (:data:`DEFAULT_THRESHOLD`) keeps every pair
whose names match fully (allowing spelling variants and a missing middle or surname) in the
same or a successor state, with at most one weak factor; every such pair must be decided.

>>> round(pair_score(1.0, "same", 0, True, True), 2)
1.0
>>> round(pair_score(0.9, "successor", 30, False, True), 2) < DEFAULT_THRESHOLD
True
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import asdict, dataclass, field
from itertools import combinations
from pathlib import Path

import pandas as pd

from .csvio import read_table
from .personnames import fold, name_similarity, name_tokens
from .tables import load_schema

#: Pairs scoring at least this are listed by default, and each must carry a decision.
DEFAULT_THRESHOLD = 0.8
#: Predecessor -> successor states (ISO codes as in countries), for records of one person
#: filed under both after a state dissolved or was renamed.
SUCCESSORS: dict[str, tuple[str, ...]] = {
    "SUN": ("RUS", "UKR", "BLR", "KAZ", "GEO", "ARM", "AZE", "UZB", "TKM", "TJK", "KGZ", "MDA", "LTU", "LVA", "EST"),
    "YUG": ("SCG", "SRB", "HRV", "SVN", "BIH", "MKD", "MNE"),
    "SCG": ("SRB", "MNE"),
    "CSK": ("CZE", "SVK"),
    "DDR": ("DEU",),
    "YMD": ("YEM",),
    "VDR": ("VNM",),
    "ZAR": ("COD",),
    "DHY": ("BEN",),
    "HVO": ("BFA",),
    "BUR": ("MMR",),
    "RHO": ("ZWE",),
    "TMP": ("TLS",),
}
#: Offices that are one kind of top leadership for this comparison.
_TOP = frozenset({"head_of_state", "head_of_government", "party_leader"})


def pair_score(names: float, states: str, gap_years: float, offices_fit: bool, lives_fit: bool) -> float:
    """Combine the evidence for one pair into a score between 0 and 1.

    ``states`` is ``same`` or ``successor``; ``gap_years`` the years between the two records'
    active periods (0 when they overlap).
    """
    if not lives_fit:
        return 0.0
    state = 1.0 if states == "same" else 0.9
    time = 1.0 if gap_years <= 10 else 0.9 if gap_years <= 25 else 0.7
    office = 1.0 if offices_fit else 0.85
    return names * state * time * office


@dataclass
class Profile:
    """What the records say about one person id."""

    person_id: str
    name: str
    states: set[str] = field(default_factory=set)
    first: str = ""
    last: str = ""
    role_types: set[str] = field(default_factory=set)
    roles: list[str] = field(default_factory=list)
    visits: list[str] = field(default_factory=list)
    sources: set[str] = field(default_factory=set)
    birth: str = ""
    death: str = ""
    outside_ids: dict[str, str] = field(default_factory=dict)
    notes: str = ""


@dataclass
class Candidate:
    """A pair that may be one person, with its score and the evidence behind it."""

    a: str
    b: str
    score: float
    names: float
    states: str
    gap_years: float
    offices_fit: bool
    decision: str = ""
    reason: str = ""
    evidence: dict[str, dict] = field(default_factory=dict)


def _frame(root: Path, name: str) -> pd.DataFrame:
    return read_table(root, load_schema(root, name)).frame.fillna("")


def _year(day: str) -> int | None:
    return int(day[:4]) if day[:4].isdigit() else None


def profiles(root: Path) -> dict[str, Profile]:
    """One :class:`Profile` per person in ``root/data``."""
    persons = _frame(root, "persons")
    roles = _frame(root, "roles")
    visits = _frame(root, "visits")[["visit_id", "start_date", "end_date", "host_country"]]
    att = _frame(root, "attendees").merge(visits, on="visit_id", how="left")
    ids = _frame(root, "person_identifiers")
    out = {
        r.person_id: Profile(r.person_id, r.name, birth=r.birth_date, death=r.death_date, notes=r.notes)
        for r in persons.itertuples()
    }
    for r in persons.itertuples():
        out[r.person_id].sources.update(s for s in r.source_ids.split(";") if s)
    for r in roles.itertuples():
        p = out.get(r.person_id)
        if p is None:
            continue
        p.states.add(r.country_code)
        p.role_types.add(r.role_type)
        dates = f"{r.start_date or '?'}..{r.end_date or '?'}"
        p.roles.append(f"{r.role_id}: {r.title} ({r.role_type}, {r.country_code}, {dates})")
        for d in (r.start_date, r.end_date):
            if d:
                p.first = min(p.first or d, d)
                p.last = max(p.last or d, d)
    for r in att.itertuples():
        p = out.get(r.person_id)
        if p is None:
            continue
        p.visits.append(f"{r.visit_id} ({r.participation}, {r.host_country} {r.start_date})")
        p.sources.update(s for s in r.source_ids.split(";") if s)
        if r.start_date:
            p.first = min(p.first or r.start_date, r.start_date)
            p.last = max(p.last or r.end_date or r.start_date, r.end_date or r.start_date)
    for p in out.values():
        if not p.states:
            # a person without an office: the state named in the importer's note, if any
            words = p.notes.replace(".", " ").split()
            p.states.update(w for w in words if len(w) == 3 and w.isupper())
    for r in ids.itertuples():
        if r.person_id in out:
            out[r.person_id].outside_ids[r.scheme] = r.identifier
    return out


def _state_relation(a: set[str], b: set[str]) -> str:
    if a & b:
        return "same"
    for old, new in SUCCESSORS.items():
        if (old in a and b & set(new)) or (old in b and a & set(new)):
            return "successor"
    return ""


def _gap_years(a: Profile, b: Profile) -> float:
    ya, yb = (_year(a.first), _year(a.last)), (_year(b.first), _year(b.last))
    if None in ya or None in yb:
        return 0.0
    return float(max(0, ya[0] - yb[1], yb[0] - ya[1]))


def _lives_fit(a: Profile, b: Profile) -> bool:
    for scheme in set(a.outside_ids) & set(b.outside_ids):
        if a.outside_ids[scheme] != b.outside_ids[scheme]:
            return False
    ba, bb = _year(a.birth), _year(b.birth)
    if ba and bb and abs(ba - bb) > 1:
        return False
    for p, q in ((a, b), (b, a)):
        died, active = _year(p.death), _year(q.last)
        if died and active and active > died + 1:
            return False
    return True


def _offices_fit(a: Profile, b: Profile) -> bool:
    if not a.role_types or not b.role_types:
        return True
    return bool(a.role_types & b.role_types) or bool(a.role_types & _TOP and b.role_types & _TOP)


def decisions(root: Path) -> dict[frozenset[str], tuple[str, str]]:
    """Recorded decisions, by unordered pair: (decision, reason)."""
    frame = _frame(root, "person_reviews")
    return {frozenset((r.person_id, r.other_person_id)): (r.decision, r.reason) for r in frame.itertuples()}


def _blocks(people: dict[str, Profile]) -> set[tuple[str, str]]:
    """Pairs worth scoring: a state (or successor) in common and a word of the name alike."""
    group_of: dict[str, str] = {}
    for old, new in SUCCESSORS.items():
        for code in (old, *new):
            group_of.setdefault(code, old)
    index: dict[tuple[str, str], set[str]] = defaultdict(set)
    for p in people.values():
        keys = {fold(t)[:3] for t in name_tokens(p.name)}
        for state in p.states:
            for k in keys:
                index[(group_of.get(state, state), k)].add(p.person_id)
    pairs: set[tuple[str, str]] = set()
    for ids in index.values():
        pairs.update(combinations(sorted(ids), 2))
    return pairs


def candidates(root: Path, threshold: float = DEFAULT_THRESHOLD, decided: bool = False) -> list[Candidate]:
    """Pairs scoring at least ``threshold``, best first; decided pairs only if ``decided``."""
    people = profiles(Path(root))
    done = decisions(Path(root))
    out = []
    for a, b in sorted(_blocks(people)):
        pa, pb = people[a], people[b]
        relation = _state_relation(pa.states, pb.states)
        if not relation:
            continue
        names = name_similarity(pa.name, pb.name)
        if names * 1.0 < threshold:
            continue
        gap, fit = _gap_years(pa, pb), _offices_fit(pa, pb)
        score = pair_score(names, relation, gap, fit, _lives_fit(pa, pb))
        if score < threshold or score == 0:  # 0: ruled out by the lives or outside ids
            continue
        decision, reason = done.get(frozenset((a, b)), ("", ""))
        if decision and not decided:
            continue
        evidence = {p.person_id: _evidence(p) for p in (pa, pb)}
        out.append(Candidate(a, b, round(score, 3), round(names, 3), relation, gap, fit, decision, reason, evidence))
    out.sort(key=lambda c: (-c.score, c.a, c.b))
    return out


def _evidence(p: Profile) -> dict:
    return {
        "name": p.name,
        "states": sorted(p.states),
        "active": f"{p.first or '?'}..{p.last or '?'}",
        "born": p.birth,
        "died": p.death,
        "roles": p.roles,
        "visits": len(p.visits),
        "first_visits": sorted(p.visits, key=lambda v: v.rsplit(" ", 1)[-1])[:5],
        "sources": sorted(p.sources)[:8],
        "outside_ids": p.outside_ids,
        "notes": p.notes,
    }


def to_text(found: list[Candidate], limit: int | None = None) -> str:
    """The review list for a terminal: each pair, its score and both records' evidence."""
    if not found:
        return "no undecided candidate pairs above the threshold"
    lines = [f"{len(found)} candidate pairs"]
    for c in found[:limit]:
        head = f"\n{c.score:.3f}  {c.a}  <->  {c.b}  (names {c.names:.2f}, {c.states} state, gap {c.gap_years:g} y"
        head += f", offices {'fit' if c.offices_fit else 'differ'})"
        if c.decision:
            head += f"  [{c.decision}: {c.reason}]"
        lines.append(head)
        for pid, ev in c.evidence.items():
            lines.append(
                f"  {pid}: {ev['name']!r}, {'/'.join(ev['states'])}, active {ev['active']}, {ev['visits']} visits"
            )
            for r in ev["roles"]:
                lines.append(f"    role {r}")
            for v in ev["first_visits"]:
                lines.append(f"    visit {v}")
            if ev["born"] or ev["died"]:
                lines.append(f"    life {ev['born'] or '?'}..{ev['died'] or '?'}")
    if limit is not None and len(found) > limit:
        lines.append(f"\n... {len(found) - limit} more (use --limit 0 for all)")
    return "\n".join(lines)


def to_json(found: list[Candidate]) -> str:
    return json.dumps([asdict(c) for c in found], ensure_ascii=False, indent=1)
