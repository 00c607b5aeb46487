"""Match persons and their offices to Archigos 4.1, the data set of states' effective leaders.

Archigos (Goemans, Gleditsch and Chiozza 2009, version 4.1) lists, for every state of the
Gleditsch–Ward system from 1875 to 2015, who was the effective ruler from which day to which
day (one row per spell, ``obsid``; one id per leader, ``leadid``). A record of ours is linked
to an Archigos leader only when three things hold together:

* **state**: the office's country, resolved to its Gleditsch–Ward number *on the visit's
  date* (through :mod:`visitdata.statecodes` and ``data/state_crosswalk.csv``, see
  :func:`gw_resolver`);
* **time**: an Archigos spell of that state covers every possible day of the visit's start;
* **name**: the person's name matches the spell's leader (Archigos writes mostly surnames)
  or the name of the leader's DBpedia page (see :func:`name_matches`).

An attendance matching no spell stays as it is; one matching two spells, or a person whose
attendances match two Archigos leaders, is *ambiguous* and goes to review, never to a guess.
Only facts are taken (leader and spell ids, dates of spells, births and deaths), each row
citing Archigos; the file itself is not redistributed.

>>> page_name("https://urldefense.proofpoint.com/v2/url?u=http-3A__dbpedia.org_resource_Dav-25C3-25AD-25C3-25B0-5FOddsson&d=x")
'Davíð Oddsson'
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from urllib.parse import unquote

import numpy as np
import pandas as pd

from .csvio import read_table
from .dates import parse_partial_dates
from .personnames import name_similarity
from .tables import load_schema

#: The file inside ``../shared/sources/archigos``.
DATA_FILE = "Archigos_4.1_stata14.dta"
#: The sources row every Archigos fact cites.
SOURCE_ID = "archigos-4.1"
SOURCE = {
    "source_id": SOURCE_ID,
    "source_type": "dataset",
    "publisher": "Goemans, Gleditsch and Chiozza",
    "title": "Archigos: A Data Set on Leaders 1875–2015, version 4.1",
    "url": "",
    "published": "2016-03-01",
    "language": "en",
    "licence": "",
    "notes": "Cite Goemans, H. E., Gleditsch, K. S. and Chiozza, G. (2009), Introducing Archigos: A Dataset of "
    "Political Leaders, Journal of Peace Research 46(2): 269-283, and the data version. No open licence: facts "
    "only (effective leaders' spells, birth and death dates), the file is not redistributed.",
}
#: Last day Archigos 4.1 covers: a spell "ending" then is a leader still in office.
COVERAGE_END = "2015-12-31"
#: Offices whose holders can be a state's effective leader; others are never matched.
LEADER_TYPES = frozenset({"head_of_state", "head_of_government", "party_leader", "other"})
#: Name similarity (see :func:`visitdata.personnames.name_similarity`) a match needs.
NAME_MATCH = 0.8

Resolver = Callable[[pd.Series, pd.Series], pd.Series]


def page_name(uri: str) -> str:
    """The DBpedia page name inside Archigos' wrapped address ('' when there is none)."""
    m = re.search(r"dbpedia\.org_resource_([^&]+)", uri or "")
    if not m:
        return ""
    text = re.sub(r"-([0-9A-F]{2})", lambda h: "%" + h.group(1), m.group(1))
    return unquote(unquote(text)).replace("_", " ").strip()  # the wrapper escaped the address's own escapes


def read(path: Path) -> pd.DataFrame:
    """Archigos spells as strings: ids, state, leader, dates, and the leader's page name."""
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # a few latin-1 strings; pandas falls back and says so
        raw = pd.read_stata(Path(path) / DATA_FILE if Path(path).is_dir() else Path(path))
    out = pd.DataFrame(
        {
            "obsid": raw["obsid"].astype(str),
            "leadid": raw["leadid"].astype(str),
            "gw": raw["ccode"].astype(int),
            "leader": raw["leader"].astype(str),
            "start": raw["startdate"].astype(str),
            "end": raw["enddate"].astype(str),
            "still_in_office": raw["exit"].astype(str).eq("Still in Office"),
            "born": [_life(d, y) for d, y in zip(raw["borndate"].astype(str), raw["yrborn"], strict=True)],
            "died": [_life(d, y) for d, y in zip(raw["deathdate"].astype(str), raw["yrdied"], strict=True)],
            "page": raw["dbpediauri"].astype(str).map(page_name),
        }
    )
    return out.sort_values(["gw", "start", "obsid"], kind="stable").reset_index(drop=True)


def _life(day: str, year: object) -> str:
    """A birth or death date at the precision Archigos gives: the day, else the year."""
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", day):
        return day
    y = int(year) if pd.notna(year) else -1
    return str(y) if y > 0 else ""


@cache
def name_matches(person: str, leader: str, page: str) -> bool:
    """Whether a person's name fits an Archigos leader (its ``leader`` or its page name).

    A surname alone matches a full name containing it ("Hermannsson", "Steingrímur
    Hermannsson"); two names with different given names do not ("Joseph Kabila", "Laurent
    Kabila"), however alike the surnames.
    """
    return any(other and name_similarity(person, other) >= NAME_MATCH for other in (leader, page))


# --------------------------------------------------------------------------- states


def gw_resolver(root: Path) -> tuple[Resolver, str]:
    """A function (ISO codes, days) -> Gleditsch–Ward numbers, and which way it resolves:
    the state-systems crosswalk, ``data/state_crosswalk.csv``, on each day."""
    from . import statecodes

    crosswalk = read_table(Path(root), load_schema(Path(root), "state_crosswalk")).frame

    def by_crosswalk(codes: pd.Series, days: pd.Series) -> pd.Series:
        return pd.Series(statecodes.resolve(codes, days, "gw", crosswalk), index=codes.index).astype("Int64")

    return by_crosswalk, "state_crosswalk (GW on the visit's date)"


# --------------------------------------------------------------------------- linking


def _table(root: Path, name: str) -> pd.DataFrame:
    return read_table(root, load_schema(root, name)).frame.fillna("")


@dataclass
class Links:
    """The outcome of matching: which attendance lies in which Archigos spell, and what did not match."""

    #: visit_id, person_id, role_id, obsid, leadid for each matched attendance
    matched: pd.DataFrame
    #: attendances of leader-type offices that no spell fits (with why)
    unmatched: pd.DataFrame
    #: attendances two spells fit, and persons whose attendances fit two leaders
    ambiguous: list[str] = field(default_factory=list)
    resolver: str = ""


def attendances(root: Path) -> pd.DataFrame:
    """Attendances in a leader-type office, with the visit's start range and the person's name."""
    frame = {n: _table(root, n) for n in ("persons", "roles", "visits", "attendees")}
    att = frame["attendees"][frame["attendees"]["role_id"] != ""]
    roles = frame["roles"][["role_id", "title", "role_type", "country_code"]]
    out = att[["visit_id", "person_id", "role_id", "participation"]].merge(roles, on="role_id")
    out = out[out["role_type"].isin(LEADER_TYPES)]
    visits = frame["visits"][["visit_id", "start_date"]]
    out = out.merge(visits, on="visit_id").merge(frame["persons"][["person_id", "name"]], on="person_id")
    days = parse_partial_dates(out["start_date"].replace("", pd.NA))
    out["first_day"] = days["earliest"].dt.strftime("%Y-%m-%d")
    out["last_day"] = days["latest"].dt.strftime("%Y-%m-%d")
    return out.reset_index(drop=True)


def link(root: Path, spells: pd.DataFrame) -> Links:
    """Match each leader-type attendance to the Archigos spell that covers it (see the module doc)."""
    root = Path(root)
    att = attendances(root)
    resolve, how = gw_resolver(root)
    att["gw"] = resolve(att["country_code"], att["first_day"])
    later = resolve(att["country_code"], att["last_day"])
    by_gw = {gw: g for gw, g in spells.groupby("gw")}
    matched, unmatched, ambiguous = [], [], []
    for r in att.itertuples():
        if pd.isna(r.gw) or pd.isna(later[r.Index]) or r.gw != later[r.Index]:
            unmatched.append((r.visit_id, r.person_id, r.role_id, "no GW number on the visit's date"))
            continue
        g = by_gw.get(int(r.gw))
        if g is None:
            unmatched.append((r.visit_id, r.person_id, r.role_id, f"GW {r.gw} not in Archigos"))
            continue
        # a leader still in office when Archigos ends covers later visits in the same office
        cover = g[(g["start"] <= r.first_day) & ((g["end"] >= r.last_day) | g["still_in_office"])]
        if cover.empty:
            why = "after Archigos' coverage" if r.first_day > COVERAGE_END else "no spell covers the date"
            unmatched.append((r.visit_id, r.person_id, r.role_id, why))
            continue
        fits = cover[[name_matches(r.name, s.leader, s.page) for s in cover.itertuples()]]
        if len(fits) > 1 and fits["leadid"].nunique() > 1:
            ambiguous.append(f"{r.visit_id} {r.person_id}: spells {', '.join(fits['obsid'])} all fit")
            continue
        if fits.empty:
            unmatched.append((r.visit_id, r.person_id, r.role_id, f"name differs from {', '.join(cover['leader'])}"))
            continue
        s = fits.iloc[0]
        matched.append((r.visit_id, r.person_id, r.role_id, s.obsid, s.leadid))
    cols = ["visit_id", "person_id", "role_id"]
    m = pd.DataFrame(matched, columns=[*cols, "obsid", "leadid"])
    # after Archigos ends, a spell is only continued for a person already matched to it
    # inside the coverage (a successor of the same surname must not inherit it)
    day = m["visit_id"].map(att.drop_duplicates("visit_id").set_index("visit_id")["first_day"])
    within = day <= m["obsid"].map(spells.set_index("obsid")["end"])
    inside = set(zip(m.loc[within, "person_id"], m.loc[within, "obsid"], strict=True))
    late = ~within & ~pd.Series([k in inside for k in zip(m["person_id"], m["obsid"], strict=True)], index=m.index)
    for r in m[late].itertuples():
        unmatched.append(
            (r.visit_id, r.person_id, r.role_id, "after Archigos' coverage, no earlier match to the spell")
        )
    m = m[~late].reset_index(drop=True)
    m["leader"] = m["leadid"].map(same_leader(spells))
    leaders = m.groupby("person_id")["leader"].nunique()
    for pid in sorted(leaders[leaders > 1].index):
        rows = m[m["person_id"] == pid]
        detail = "; ".join(f"{o} ({', '.join(sorted(set(g['visit_id'])))})" for o, g in rows.groupby("obsid"))
        ambiguous.append(f"{pid}: attendances fit {leaders[pid]} Archigos leaders: {detail}")
    m = m[~m["person_id"].isin(leaders[leaders > 1].index)]
    return Links(m.reset_index(drop=True), pd.DataFrame(unmatched, columns=[*cols, "why"]), ambiguous, how)


def same_leader(spells: pd.DataFrame) -> dict[str, str]:
    """leadid -> the first leadid of the same leader: Archigos gives a few leaders a second id
    for a spell added in a later version (same state, same name, same year of birth)."""
    first: dict[tuple[int, str], list[tuple[str, str, str]]] = {}
    out: dict[str, str] = {}
    for s in spells.drop_duplicates("leadid").itertuples():
        key = (s.gw, s.born[:4])
        names = [n for n in (s.leader, s.page) if n]
        for leadid, leader, page in first.get(key, []):
            if s.born[:4] and any(name_matches(n, leader, page) for n in names):
                out[s.leadid] = leadid
                break
        else:
            first.setdefault(key, []).append((s.leadid, s.leader, s.page))
            out[s.leadid] = s.leadid
    return out


def lead_share(root: Path, exclude: str = "USA") -> pd.DataFrame:
    """Per decade: attendances that lead a visit for a state other than ``exclude``, and how
    many of them point at an office spell with a start date."""
    frame = {n: _table(root, n) for n in ("roles", "visits", "attendees")}
    att = frame["attendees"]
    leads = att[att["participation"] == "lead"].merge(frame["visits"][["visit_id", "start_date"]], on="visit_id")
    roles = frame["roles"][["role_id", "country_code", "start_date"]].rename(columns={"start_date": "took"})
    leads = leads.merge(roles, on="role_id", how="left")
    leads = leads[leads["country_code"].fillna("") != exclude]
    leads = leads.assign(decade=leads["start_date"].str[:3] + "0s", dated=leads["took"].fillna("") != "")
    table = leads.groupby("decade").agg(leads=("dated", "size"), dated=("dated", "sum"))
    table.loc["all"] = table.sum()
    table["share"] = np.round(100 * table["dated"] / table["leads"], 1)
    return table
