"""Foreign leaders' visits to the U.S.: one visit per record, its visitors resolved to persons.

Equal names (ignoring accents, initials and honorifics) from one country are one person; a
surname-only name joins a full name only when exactly one person of that country and title
fits within a few years. Reviewed spelling variants are merged through ``data/person_aliases.csv``.
"""

from __future__ import annotations

import csv
from collections import Counter, defaultdict
from importlib import resources
from typing import NamedTuple

from ...vocabulary import DELEGATION_MEMBER, HOST, LEAD, LIST_DELIMITER, TOOK_PLACE
from .names import REIGNING, name_key, parse_visitor, slug
from .sources import REPO_SOURCES, page_source
from .state import Build, ForeignHolder, Mention, VisitRecord, years_apart
from .text import visit_type

#: Years within which a surname-only mention may be matched to a full name, and the gap
#: after which two surname-only mentions are taken to be different people.
SURNAME_MATCH_YEARS = 6
SURNAME_SPLIT_YEARS = 10

ALIAS_FILE = "person_aliases.csv"
Aliases = dict[tuple[str, str], str]


class PersonKey(NamedTuple):
    """Who a mention is: a full name in a country, or a single name plus what tells it apart."""

    code: str
    token: str
    #: for single names: the first year of the cluster, or the reigning title's slug; else None
    first: str | None = None

    @property
    def full_name(self) -> bool:
        return self.first is None


def person_aliases(text: str | None = None) -> Aliases:
    """(country, name key) -> canonical name key: reviewed spelling variants of one person.

    Hand-made from the upstream strings; each line was checked to name one real person (and
    near-misses that are two people, such as Amata and Imata Kabua, are deliberately absent)."""
    if text is None:
        text = resources.files(__package__).joinpath("data", ALIAS_FILE).read_text(encoding="utf-8")
    return {(r["country_code"], r["variant_key"]): r["canonical_key"] for r in csv.DictReader(text.splitlines())}


def alias_key(code: str, name: str, aliases: Aliases) -> str:
    key = name_key(name)
    return aliases.get((code, key), key)


def cluster_mentions(mentions: list[Mention], aliases: Aliases | None = None) -> dict[int, PersonKey]:
    """Assign a person key to each mention: equal full names in one country are one person;
    surname-only names join a full name only when exactly one fits (same country and title,
    within a few years); otherwise they form their own person, split by long gaps."""
    aliases = aliases or {}
    full: dict[tuple[str, str], list[int]] = defaultdict(list)
    single: list[int] = []
    for i, m in enumerate(mentions):
        key = alias_key(m.code, m.person.name, aliases)
        if not key:
            continue
        if "-" in key:
            full[(m.code, key)].append(i)
        else:
            single.append(i)
    assign: dict[int, PersonKey] = {}
    for (code, key), idx in full.items():
        for i in idx:
            assign[i] = PersonKey(code, key)
    leftovers: dict[tuple[str, str, str], list[int]] = defaultdict(list)
    for i in single:
        m = mentions[i]
        token = alias_key(m.code, m.person.name, aliases)
        fits = set()
        for (code, key), idx in full.items():
            parts = key.split("-")
            if code != m.code or token not in (parts[0], parts[-1]):
                continue
            if any(
                mentions[j].person.title == m.person.title
                and years_apart(mentions[j].day, m.day) <= SURNAME_MATCH_YEARS
                for j in idx
            ):
                fits.add(PersonKey(code, key))
        if len(fits) == 1:
            assign[i] = fits.pop()
        else:
            reign = m.person.title if m.person.title in REIGNING else ""
            leftovers[(m.code, token, reign)].append(i)
    for (code, token, reign), idx in leftovers.items():
        idx.sort(key=lambda i: mentions[i].day)
        cluster_start, last = mentions[idx[0]].day, mentions[idx[0]].day
        for i in idx:
            if not reign and years_apart(last, mentions[i].day) > SURNAME_SPLIT_YEARS:
                cluster_start = mentions[i].day
            last = mentions[i].day
            assign[i] = PersonKey(code, token, slug(reign) if reign else cluster_start[:4])
    return assign


def person_ids(keys: set[PersonKey]) -> dict[PersonKey, str]:
    """Person ids: the slug of the name key; a full name used in two countries gets the country
    code, a single name the country code and its first year (or reigning title)."""
    full_names: Counter = Counter(k.token for k in keys if k.full_name)
    out = {}
    for k in keys:
        if not k.full_name:
            out[k] = f"{k.token}-{k.code.lower()}-{k.first}"
        elif full_names[k.token] > 1:
            out[k] = f"{k.token}-{k.code.lower()}"
        else:
            out[k] = k.token
    return out


def build_foreign_visits(b: Build) -> None:
    """A visit to the U.S. per usable record: its visitors (lead first), their offices, the host."""
    mentions: list[Mention] = []
    usable = []
    for v in sorted(b.snap.visits, key=lambda v: v.id):
        code = b.walk.code(v.from_id, v.start)
        if not code:
            b.stats["us_visits_unmapped"] += 1
            b.faults["visits from places without an ISO code (skipped)"].append(
                f"visit {v.id}: {v.from_id} ({v.from_label}) {v.start}: {b.walk.why_none(v.from_id, v.start)}"
            )
            continue
        usable.append((v, code))
        for p in parse_visitor(v.visitor):
            mentions.append(Mention(v.id, code, p, v.start, v.start[:4]))
    assign = cluster_mentions(mentions, person_aliases())
    pid_of = person_ids(set(assign.values()))
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
        record = VisitRecord("visits", v.id)
        vtype, basis, occasion = visit_type(v.description, stated_anywhere=True)
        notes = [record.label]
        if not v.description:
            b.stats["us_visits_empty_description"] += 1
            notes.append("upstream gives no description")
        b.visits[vid] = {
            "visit_id": vid,
            "host_country": "USA",
            "visitor_country": code,
            "place": "",
            "start_date": v.start,
            "end_date": v.end,
            "visit_type": vtype,
            "visit_type_basis": basis,
            "occasion": occasion,
            "status": TOOK_PLACE,
            "trip_id": "",
            "source_ids": src,
            "notes": "; ".join(notes),
        }
        b.records[vid] = record
        b.stats["us_visits"] += 1
        idx = [i for i in by_visit[v.id] if i in assign]
        if not idx:
            b.faults["visits whose visitor names nobody (no lead)"].append(f"visit {v.id}")
        if len(idx) > 1:
            b.stats["us_visits_two_visitors"] += 1
        for n, i in enumerate(idx):
            m, key = mentions[i], assign[i]
            pid = pid_of[key]
            if pid not in b.persons:
                spellings = {s: c for s, c in names[pid].items() if name_key(s) == key.token} or names[pid]
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
                if not key.full_name:
                    b.surname_only.add(pid)
            b.person_sources[pid].add(src)
            if key.full_name:
                b.by_key[(code, key.token)] = pid
            rid = ""
            if m.person.title:
                rid = b.foreign_role(pid, m.person, code, src)
                holders = b.foreign[(code, m.person.title)]
                for h in holders:
                    if h.person_id == pid:
                        h.days.append(v.start)
                        break
                else:
                    holders.append(ForeignHolder(pid, key.token, [v.start]))
            else:
                b.stats["visitors_without_office"] += 1
            b.attend(
                vid,
                pid,
                rid,
                LEAD if n == 0 else DELEGATION_MEMBER,
                src,
                "visitor" if n == 0 else "second person named as visitor",
            )
        host = b.term_on(None, v.start)
        if host:
            b.attend(
                vid,
                b.president(host),
                b.president_role(host),
                HOST,
                f"{src}{LIST_DELIMITER}{b.source(REPO_SOURCES['hsg-presidents'])}",
                "host inferred: president in office on the first day",
            )
            b.stats["hosts"] += 1
