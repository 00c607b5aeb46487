"""Date offices with Archigos spells and point each attendance at the spell that covers it.

Works on the matches of :func:`visitdata.archigos.link`. For each office (role) of a linked
person, the Archigos spells of that leader in that state become dated spells of the office:

* an office all of whose attendances lie in Archigos spells is dated in place with the first
  of them, and each further spell becomes a new role ``{role_id}.{year}``;
* an office with attendances outside every spell (later than Archigos, or in a gap) keeps its
  undated row for those, and every spell becomes a new role;
* a spell without any attendance goes to the person's office with the most matched
  attendances in that state (so the spells of a leader are all recorded);
* each matched attendance then points at the role of its spell.

Dates are Archigos' days; a leader still in office when Archigos ends (2015-12-31) gets an
open end (``ongoing``). Persons get Archigos' leader id, and birth and death dates where ours
are empty (a different date of ours is kept and reported). Every row touched cites Archigos.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

import pandas as pd

from .archigos import SOURCE, SOURCE_ID, Links, same_leader
from .personmerge import Tables


@dataclass
class Applied:
    """What :func:`apply_spells` changed, for the import report."""

    counts: Counter = field(default_factory=Counter)
    life_conflicts: list[str] = field(default_factory=list)
    outside: list[str] = field(default_factory=list)


def _cite(ids: str) -> str:
    items = [s for s in ids.split(";") if s]
    return ";".join(items if SOURCE_ID in items else [*items, SOURCE_ID])


def _spell_row(base: pd.Series, role_id: str, s: pd.Series) -> dict[str, str]:
    ongoing = bool(s["still_in_office"])
    note = f"dates of Archigos 4.1 spell {s['obsid']} (effective leader)"
    if ongoing:
        note += "; in office when Archigos ends (2015-12-31)"
    return {
        **base.to_dict(),
        "role_id": role_id,
        "start_date": s["start"],
        "end_date": "" if ongoing else s["end"],
        "end_status": "ongoing" if ongoing else "ended",
        "source_ids": _cite(base["source_ids"]),
        "notes": note,
    }


def _new_id(base: str, start: str, taken: set[str]) -> str:
    for candidate in (
        f"{base}.{start[:4]}",
        f"{base}.{start[:7].replace('-', '')}",
        f"{base}.{start.replace('-', '')}",
    ):
        if candidate not in taken:
            return candidate
    raise ValueError(f"no free role id for {base} from {start}")


def apply_spells(t: Tables, links: Links, spells: pd.DataFrame, exclude: frozenset[str] = frozenset()) -> Applied:
    """Date the linked offices, add the spells, repoint attendances, fill lives (see module doc).

    Offices that already have a start date are a curator's and stay as they are; persons in
    ``exclude`` are left alone entirely (their records are being curated elsewhere)."""
    out = Applied()
    sources = t["sources"]
    if not (sources["source_id"] == SOURCE_ID).any():
        t.append("sources", [SOURCE])
    m = links.matched[~links.matched["person_id"].isin(exclude)]
    dated = set(t["roles"].loc[t["roles"]["start_date"] != "", "role_id"])
    out.counts["attendances_in_offices_dated_already"] = int(m["role_id"].isin(dated).sum())
    m = m[~m["role_id"].isin(dated)]
    collapse = same_leader(spells)
    by_obsid = spells.set_index("obsid")
    leader_of = m.drop_duplicates("person_id").set_index("person_id")["leader"]
    roles = t["roles"].set_index("role_id", drop=False)
    taken = set(roles.index) | set(t["retired_ids"].query("table_name == 'roles'")["retired_id"])
    att = t["attendees"]
    new_rows: dict[str, dict[str, str]] = {}
    role_of_spell: dict[tuple[str, str], str] = {}
    id_rows, pid_rows = [], []
    for pid, pm in m.groupby("person_id"):
        leads = {lead for lead, first in collapse.items() if first == leader_of[pid]}
        mine = spells[spells["leadid"].isin(leads)]
        per_role = {rid: set(g["obsid"]) for rid, g in pm.groupby("role_id")}
        gw_of_role = {rid: set(by_obsid.loc[list(obs), "gw"]) for rid, obs in per_role.items()}
        busiest = pm["role_id"].value_counts()
        born = set(by_obsid.loc[list(set(pm["obsid"])), "born"].str[:4])
        for s in mine.itertuples():
            if any(s.obsid in obs for obs in per_role.values()) or s.born[:4] not in born:
                continue  # a spell of another person under a reused leader id is not taken
            home = [r for r in busiest.index if s.gw in gw_of_role[r]]
            if home:
                per_role[home[0]].add(s.obsid)
                out.counts["spells_without_visits_added"] += 1
        for rid, obsids in per_role.items():
            ordered = sorted(obsids, key=lambda o: by_obsid.loc[o, "start"])
            base = roles.loc[rid]
            mine_att = att[(att["role_id"] == rid) & (att["person_id"] == pid)]
            linked = set(pm.loc[pm["role_id"] == rid, "visit_id"])
            outside = sorted(set(mine_att["visit_id"]) - linked)
            for i, o in enumerate(ordered):
                s = by_obsid.loc[o].copy()
                s["obsid"] = o
                if i == 0 and not outside:
                    new_id = rid
                    out.counts["roles_dated_in_place"] += 1
                else:
                    new_id = _new_id(rid, s["start"], taken)
                    taken.add(new_id)
                    out.counts["spells_added"] += 1
                new_rows[new_id] = _spell_row(base, new_id, s)
                role_of_spell[(rid, o)] = new_id
                id_rows.append({"role_id": new_id, "scheme": "archigos", "identifier": o, "source_ids": SOURCE_ID,
                                "notes": ""})  # fmt: skip
            if outside:
                out.counts["roles_kept_undated_for_other_visits"] += 1
                out.outside.append(
                    f"{rid}: {len(outside)} attendances outside Archigos spells ({', '.join(outside[:4])})"
                )
        for lead in sorted(leads):
            pid_rows.append({"person_id": pid, "scheme": "archigos", "identifier": lead, "source_ids": SOURCE_ID,
                             "notes": "matched on state, visit dates and name"})  # fmt: skip
        # lives only from the spells the visits matched: Archigos reuses a few leader ids
        # for two people (Gillis and Carl Bildt)
        _fill_life(t, pid, spells[spells["obsid"].isin(set(pm["obsid"]))], out)
    # write roles: replace the dated-in-place rows, add the new ones
    frame = t["roles"]
    keep = frame[~frame["role_id"].isin(new_rows)]
    t["roles"] = pd.concat([keep, pd.DataFrame(list(new_rows.values()), columns=frame.columns)], ignore_index=True)
    key = list(zip(m["visit_id"], m["person_id"], strict=True))
    target = {k: role_of_spell[(r, o)] for k, r, o in zip(key, m["role_id"], m["obsid"], strict=True)}
    pairs = list(zip(att["visit_id"], att["person_id"], strict=True))
    new_role = [target.get(p, r) for p, r in zip(pairs, att["role_id"], strict=True)]
    moved = sum(a != b for a, b in zip(new_role, att["role_id"], strict=True))
    att = att.assign(role_id=new_role)
    att.loc[[p in target for p in pairs], "source_ids"] = att.loc[[p in target for p in pairs], "source_ids"].map(_cite)
    t["attendees"] = att
    out.counts["attendances_pointed_at_spells"] = len(target)
    out.counts["attendances_with_a_new_role_id"] = moved
    t.append("role_identifiers", id_rows)
    t.append("person_identifiers", pid_rows)
    for name in ("role_identifiers", "person_identifiers"):
        t[name] = t[name].drop_duplicates(subset=list(t[name].columns[:3]))
    return out


def _fill_life(t: Tables, pid: str, mine: pd.DataFrame, out: Applied) -> None:
    persons = t["persons"]
    i = persons.index[persons["person_id"] == pid][0]
    for col, src in (("birth_date", "born"), ("death_date", "died")):
        theirs = next((v for v in mine[src] if len(v) == 10), next((v for v in mine[src] if v), ""))
        ours = persons.at[i, col]
        if not theirs:
            continue
        if not ours or (theirs.startswith(ours) and len(theirs) > len(ours)):
            persons.at[i, col] = theirs
            persons.at[i, "source_ids"] = _cite(persons.at[i, "source_ids"])
            out.counts[f"persons_{col}_filled"] += 1
        elif not theirs.startswith(ours) and not ours.startswith(theirs):
            out.life_conflicts.append(f"{pid}: {col} {ours} here, {theirs} in Archigos (kept)")
    t["persons"] = persons
