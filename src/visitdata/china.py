"""The README's section on China's top-level diplomacy (issue 16), counted from ``data/``.

The campaign records every visit abroad of the PRC's head of state (Xi Jinping, from 14 March
2013) and head of government (Li Keqiang, then Li Qiang, from 15 March 2013) through 2025. A
visit belongs to it when its lead held a Chinese office of one of those types and the host is
another state, so the section follows the data: a new visit, or a premier's U.S. visit from the
Office of the Historian import enriched by curators, counts at the next ``visitdata build``.

>>> from visitdata.china import CHINA, CHINA_ROLE_TYPES
>>> CHINA, CHINA_ROLE_TYPES
('CHN', ('head_of_state', 'head_of_government'))
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from .dictionary import BACKLOG, _visits_and_attendees, backlog_items

#: The travelling state of the campaign.
CHINA = "CHN"
#: The offices whose trips abroad the campaign records (``roles.role_type`` values).
CHINA_ROLE_TYPES = ("head_of_state", "head_of_government")
#: The years the campaign covers (Xi Jinping's presidency began on 14 March 2013).
CHINA_YEARS = range(2013, 2026)
#: The heading of the campaign's open items in the curation backlog (``### ...`` under ``## Open items``).
CHINA_BACKLOG = "China's top-level diplomacy, 2013–2025"

_OFFICE = {"head_of_state": "head of state", "head_of_government": "head of government"}


def china_visits(root: Path) -> pd.DataFrame:
    """Visits abroad led by a PRC head of state or government in the campaign's years, indexed by id.

    Adds the lead's ``person_id``, ``lead_name``, ``role_type`` and the start ``year``.
    """
    from .csvio import read_table
    from .tables import load_schema

    v, attendees, roles = _visits_and_attendees(root)
    leads = attendees[attendees["participation"] == "lead"].drop_duplicates("visit_id")
    leads = leads.merge(roles[["role_id", "role_type"]], on="role_id", how="left").set_index("visit_id")
    names = read_table(root, load_schema(root, "persons")).frame.set_index("person_id")["name"]
    v = v.assign(
        person_id=leads["person_id"].reindex(v.index),
        role_type=leads["role_type"].reindex(v.index).astype(object),
        year=pd.to_numeric(v["start_date"].str[:4]),
    )
    v = v[
        (v["visitor_country"] == CHINA)
        & v["role_type"].isin(CHINA_ROLE_TYPES)
        & (v["host_country"] != CHINA)
        & v["year"].isin(CHINA_YEARS)
    ]
    return v.assign(lead_name=v["person_id"].map(names))


def china_summary(root: Path) -> str:
    """Markdown: the campaign's visits by leader and year, what they cover, and its open backlog."""
    v = china_visits(root)
    done = v[v["status"] == "took_place"]
    years = [str(y) for y in CHINA_YEARS]
    per_year = (
        done.groupby(["person_id", done["year"].astype(str)])
        .size()
        .unstack(fill_value=0)
        .reindex(columns=years, fill_value=0)
    )
    first = done.groupby("person_id")["start_date"].min()
    journeys = done["trip_id"].fillna(done.index.to_series()).nunique()
    summits = int((done["visit_type"] == "multilateral_meeting").sum())
    imported = int(done.index.str.startswith("hsg-").sum())
    lines = [
        f"{len(done)} visits abroad that took place from {years[0]} to {years[-1]}, on {journeys} journeys to "
        f"{done['host_country'].nunique()} host countries ({summits} of them summits or other multilateral "
        f"meetings), {int((v['status'] == 'cancelled').sum())} cancelled and "
        f"{int((v['status'] == 'announced').sum())} announced only. {imported} of them are visits to the U.S. "
        "from the Office of the Historian import, which carry the curated sources and attendees.",
        "",
        "| leader | office | " + " | ".join(years) + " | all |",
        "|---|---|" + "---|" * (len(years) + 1),
    ]
    for person in sorted(per_year.index, key=lambda p: (first[p], p)):
        row = per_year.loc[person]
        offices = sorted(done.loc[done["person_id"] == person, "role_type"].dropna().unique())
        name = done.loc[done["person_id"] == person, "lead_name"].iloc[0]
        lines.append(
            f"| {name} | {', '.join(_OFFICE[o] for o in offices)} | "
            + " | ".join(str(int(row[y])) for y in years)
            + f" | {int(row.sum())} |"
        )
    lines.append("| all | | " + " | ".join(str(int(per_year[y].sum())) for y in years) + f" | {len(done)} |")
    items = backlog_items(root, CHINA_BACKLOG)
    lines += [
        "",
        "A visit is one stay in one host country: a journey through several countries, or a summit "
        "followed by a state visit elsewhere, counts once per country.",
        "",
        f"Open questions: {len(items)} items in the curation backlog (see [`{BACKLOG}`]({BACKLOG})):",
        "",
    ]
    lines += [f"- {item}" for item in items] or ["- none"]
    return "\n".join(lines)
