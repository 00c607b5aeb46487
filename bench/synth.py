"""Synthetic visitdata projects for benchmarks: realistic shape, every rule satisfied (or broken).

``python bench/synth.py OUT --visits 100000 [--broken 0.1] [--seed 1]`` writes a project folder
(``schemas/``, ``datapackage.json`` and ``data/*.csv``) that ``visitdata validate`` accepts.

Shape, modelled on the curated data: about three attendees per visit (one lead plus
delegation members, hosts and counterparts); persons with many visits (log-normal activity),
one to four consecutive spells in office each; the real ISO 3166 code list (with the periods of
a few former states); partial dates at realistic shares (most visits to the day, roles and
births often to the month or year only); ``source_ids`` lists of one to three ids.

Validity is built in rather than filtered: each person is active in one window of years, their
spells partition that window, the visits they lead are laid out one after another inside it
(so no two overlap), every attendee's role is the spell covering the visit, and partial dates
are truncations of the true day (so their earliest/latest interval always contains it).

``--broken 0.1`` then breaks about that share of the rows of each table, each with one edit
drawn from a list of edits that covers most rules (type, pattern, enum, keys, list items, text
hygiene, date order, tenure, lifespan, lead, period, status).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import shutil
import sys
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd

REPO = Path(__file__).resolve().parents[1]
#: The day the data are judged against (pass it to ``visitdata validate --today``).
TODAY = dt.date(2026, 11, 28)
_EPOCH = np.datetime64("1970-01-01", "D")
_TODAY_DAY = int((np.datetime64(TODAY, "D") - _EPOCH).astype(int))
_FIRST_DAY = int((np.datetime64("1946-01-01", "D") - _EPOCH).astype(int))

#: Former states given a period in the synthetic code list, so that period rules have work to do.
_PERIODS = {
    "SUN": ("1922-12-30", "1991-12-26"),
    "DDR": ("1949-10", "1990-10-03"),
    "YUG": ("1945-11", "1992-04-27"),
    "CSK": ("1918-10-28", "1992-12-31"),
    "RUS": ("1991-12", ""),
}
_SYLLABLES = np.array(
    [
        "ka",
        "lo",
        "mi",
        "ra",
        "ten",
        "vo",
        "sha",
        "dur",
        "el",
        "an",
        "bek",
        "zi",
        "ou",
        "ham",
        "ni",
        "tor",
        "ve",
        "lin",
        "gu",
        "sa",
        "mar",
        "jo",
        "den",
        "is",
    ]
)
_PLACES = np.array(
    [
        "Beijing",
        "Pyongyang",
        "Moscow",
        "Hanoi",
        "Vientiane",
        "Berlin",
        "Paris",
        "Washington",
        "New Delhi",
        "Brasília",
        "Pretoria",
        "Ankara",
        "Tokyo",
        "Seoul",
        "Canberra",
        "Nairobi",
        "Addis Ababa",
        "Mexico City",
        "São Paulo",
        "Zürich",
        "Kraków",
        "Reykjavík",
        "Cairo",
    ]
)
_OCCASIONS = np.array(
    [
        "State visit and talks",
        "Summit of the regional organisation",
        "Bilateral talks on trade",
        "Inauguration of the president",
        "Funeral of the former leader",
        "Anniversary celebrations",
        "Working visit, talks on security",
        "Opening of the embassy",
        "Economic forum",
    ]
)
_PUBLISHERS = np.array(
    [
        "Xinhua",
        "TASS",
        "KCNA",
        "Reuters",
        "Associated Press",
        "Agence France-Presse",
        "Ministry of Foreign Affairs",
        "Office of the Historian",
        "Kyodo News",
        "Yonhap",
    ]
)
_NATIVE = np.array(["Иван Петров", "李强", "김정은", "Tô Lâm", "Ελένη Παπαδοπούλου", "محمد علي", "Zoë Müller"])


def _days_to_text(days: np.ndarray) -> np.ndarray:
    return (_EPOCH + days.astype("timedelta64[D]")).astype("datetime64[D]").astype(str)


def _partial(days: np.ndarray, rng: np.random.Generator, shares: tuple[float, float, float]) -> np.ndarray:
    """Dates as text, truncated to year/month/day with the given shares (a truncation always contains the day)."""
    text = _days_to_text(days).astype(object)
    kind = rng.choice(3, size=len(days), p=shares)
    out = np.where(kind == 0, [t[:4] for t in text], np.where(kind == 1, [t[:7] for t in text], text))
    return out.astype(object)


def _ids(prefix: str, n: int, rng: np.random.Generator, words: int = 2) -> np.ndarray:
    """Slug ids like ``{prefix}-kalomi-raten-12345``: unique, realistic length."""
    parts = ["".join(x) for x in rng.choice(_SYLLABLES, size=(n, 2))]
    parts2 = ["".join(x) for x in rng.choice(_SYLLABLES, size=(n, 3))]
    return np.array([f"{prefix}-{a}-{b}-{i}" for i, (a, b) in enumerate(zip(parts, parts2, strict=True))], dtype=object)


def _source_lists(n: int, source_ids: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """``;``-separated lists of 1–3 distinct source ids."""
    k = rng.choice([1, 2, 3], size=n, p=[0.6, 0.3, 0.1])
    first = rng.integers(0, len(source_ids), size=n)
    step = rng.integers(1, max(2, len(source_ids) // 2), size=n)
    a = source_ids[first]
    b = source_ids[(first + step) % len(source_ids)]
    c = source_ids[(first + 2 * step) % len(source_ids)]
    out = np.where(k == 1, a, np.where(k == 2, a + ";" + b, a + ";" + b + ";" + c))
    return out.astype(object)


def _maybe(values: np.ndarray, share: float, rng: np.random.Generator) -> np.ndarray:
    keep = rng.random(len(values)) < share
    return np.where(keep, values, "").astype(object)


def generate(visits: int, seed: int = 1) -> dict[str, pd.DataFrame]:
    """All tables of a valid project with ``visits`` visits (empty string = empty cell)."""
    rng = np.random.default_rng(seed)
    n_visits = int(visits)
    countries = pd.read_csv(REPO / "data" / "countries.csv", dtype=str, keep_default_na=False)
    for code, (start, end) in _PERIODS.items():
        countries.loc[countries["country_code"] == code, ["valid_from", "valid_until"]] = [start, end]
    usable = countries.loc[
        (countries["iso_status"] == "current")
        & ~countries["country_code"].isin(list(_PERIODS))
        & (countries["valid_from"] == "")
        & (countries["valid_until"] == ""),
        "country_code",
    ].to_numpy()

    # --- sources --------------------------------------------------------------------------
    n_sources = max(20, n_visits // 5)
    source_id = _ids("src", n_sources, rng)
    published = rng.integers(_FIRST_DAY, _TODAY_DAY, size=n_sources)
    sources = pd.DataFrame(
        {
            "source_id": source_id,
            "source_type": rng.choice(
                ["dataset", "news_report", "official_statement", "reference_work", "academic_publication", "other"],
                size=n_sources,
                p=[0.05, 0.6, 0.25, 0.04, 0.04, 0.02],
            ),
            "publisher": rng.choice(_PUBLISHERS, size=n_sources),
            "title": np.char.add("Report on talks, part ", np.arange(n_sources).astype(str)).astype(object),
            "url": _maybe(
                np.char.add("https://news.example.org/a/", np.arange(n_sources).astype(str)).astype(object), 0.8, rng
            ),
            "published": _maybe(_partial(published, rng, (0.05, 0.15, 0.8)), 0.9, rng),
            "language": rng.choice(["en", "zh", "ru", "ko", "fr", "es"], size=n_sources),
            "licence": _maybe(np.full(n_sources, "CC-BY-4.0", dtype=object), 0.1, rng),
            "notes": _maybe(
                np.full(n_sources, 'Title as published, in "quotes", with a comma', dtype=object), 0.05, rng
            ),
        }
    )
    countries["source_ids"] = source_id[0]
    # The code list is cited to one source: list it first in sources too.

    # --- persons: one window of activity each ---------------------------------------------
    n_persons = max(30, n_visits // 3)
    person_id = _ids("p", n_persons, rng)
    activity = rng.lognormal(0.0, 1.2, size=n_persons)
    home = rng.choice(usable, size=n_persons)
    start = rng.integers(_FIRST_DAY + 30 * 365, _TODAY_DAY - 2 * 365, size=n_persons)
    length = rng.integers(3 * 365, 30 * 365, size=n_persons)
    # Leads are drawn by activity; make each window long enough to fit their visits one after another.
    lead_of = rng.choice(n_persons, size=n_visits, p=activity / activity.sum())
    n_led = np.bincount(lead_of, minlength=n_persons)
    length = np.maximum(length, 8 * n_led + 30)
    end = np.minimum(start + length, _TODAY_DAY + 365)
    start = np.minimum(start, end - np.maximum(length, 8 * n_led + 30))
    birth = start - rng.integers(30 * 365, 65 * 365, size=n_persons)
    dead = (end < _TODAY_DAY - 5 * 365) & (rng.random(n_persons) < 0.5)
    death = np.minimum(end + rng.integers(0, 25 * 365, size=n_persons), _TODAY_DAY - 1)
    persons = pd.DataFrame(
        {
            "person_id": person_id,
            "name": np.char.add("Person ", np.arange(n_persons).astype(str)).astype(object),
            "name_native": _maybe(rng.choice(_NATIVE, size=n_persons).astype(object), 0.3, rng),
            "birth_date": _maybe(_partial(birth, rng, (0.2, 0.1, 0.7)), 0.85, rng),
            "death_date": np.where(dead, _partial(death, rng, (0.1, 0.1, 0.8)), "").astype(object),
            "wikidata_id": _maybe(
                np.char.add("Q", rng.integers(1, 10**8, size=n_persons).astype(str)).astype(object), 0.5, rng
            ),
            "source_ids": _source_lists(n_persons, source_id, rng),
            "notes": _maybe(np.full(n_persons, "Name as given in the source", dtype=object), 0.05, rng),
        }
    )

    # --- roles: 1–4 consecutive spells partitioning each window ---------------------------
    spells = rng.choice([1, 2, 3, 4], size=n_persons, p=[0.45, 0.3, 0.15, 0.1])
    owner = np.repeat(np.arange(n_persons), spells)
    first_of = np.concatenate([[0], np.cumsum(spells)[:-1]])
    nth = np.arange(len(owner)) - np.repeat(first_of, spells)
    frac = np.where(nth == 0, 0.0, rng.random(len(owner)))
    # Sort the cut points within each person so the spells are consecutive.
    order = np.lexsort((frac, owner))
    frac = frac[order]
    r_start = start[owner] + (frac * (end[owner] - start[owner])).astype(int)
    is_last = np.r_[owner[1:] != owner[:-1], True]
    r_end = np.where(is_last, end[owner], np.r_[r_start[1:] - 1, 0])
    r_end = np.maximum(r_end, r_start)
    open_end = is_last & (end[owner] >= _TODAY_DAY - 365)
    unknown_end = ~open_end & (rng.random(len(owner)) < 0.1)
    n_roles = len(owner)
    roles = pd.DataFrame(
        {
            "role_id": np.char.add(np.char.add(person_id[owner].astype(str), "."), nth.astype(str)).astype(object),
            "person_id": person_id[owner],
            "title": rng.choice(
                [
                    "President",
                    "Prime Minister",
                    "Foreign Minister",
                    "General Secretary",
                    "Chair of the National Assembly",
                    "Special Envoy",
                    "Minister of Trade",
                ],
                size=n_roles,
            ),
            "role_type": rng.choice(
                [
                    "head_of_state",
                    "head_of_government",
                    "party_leader",
                    "legislature_leader",
                    "foreign_minister",
                    "deputy_head_of_government",
                    "minister",
                    "envoy",
                    "other",
                ],
                size=n_roles,
            ),
            "country_code": home[owner],
            "organisation": _maybe(np.full(n_roles, "Government", dtype=object), 0.2, rng),
            "start_date": _maybe(_partial(r_start, rng, (0.2, 0.3, 0.5)), 0.95, rng),
            "end_date": np.where(open_end | unknown_end, "", _partial(r_end, rng, (0.2, 0.3, 0.5))).astype(object),
            "end_status": np.where(open_end, "ongoing", np.where(unknown_end, "unknown", "ended")).astype(object),
            "source_ids": _source_lists(n_roles, source_id, rng),
            "notes": _maybe(np.full(n_roles, "Dates from the official biography", dtype=object), 0.05, rng),
        }
    )

    # --- visits: each lead's visits laid out one after another in their window ------------
    v_order = np.argsort(lead_of, kind="stable")
    lead_sorted = lead_of[v_order]
    first_visit = np.concatenate([[0], np.cumsum(n_led)[:-1]])
    rank = np.arange(n_visits) - first_visit[lead_sorted]
    slot = (end[lead_sorted] - start[lead_sorted]) // np.maximum(n_led[lead_sorted], 1)
    duration = np.minimum(
        rng.choice([0, 1, 2, 3, 4, 6], size=n_visits, p=[0.3, 0.25, 0.2, 0.12, 0.08, 0.05]), np.maximum(slot - 2, 0)
    )
    v_start = start[lead_sorted] + rank * slot + (rng.random(n_visits) * np.maximum(slot - duration - 1, 1)).astype(int)
    v_end = v_start + duration
    host = rng.choice(usable, size=n_visits)
    clash = host == home[lead_sorted]
    host[clash] = usable[(np.searchsorted(usable, host[clash]) + 1) % len(usable)]
    future = v_start > _TODAY_DAY
    visit_type = rng.choice(
        [
            "state",
            "official",
            "official_working",
            "working",
            "private",
            "multilateral_meeting",
            "ceremony",
            "transit",
            "unspecified",
        ],
        size=n_visits,
        p=[0.1, 0.2, 0.1, 0.2, 0.03, 0.12, 0.05, 0.02, 0.18],
    ).astype(object)
    basis = np.where(visit_type == "unspecified", "", rng.choice(["stated", "inferred"], size=n_visits)).astype(object)
    precision = (0.04, 0.1, 0.86)
    visit_id = np.array(
        [f"{p}-{h.lower()}-{i}" for p, h, i in zip(person_id[lead_sorted], host, range(n_visits), strict=True)],
        dtype=object,
    )
    visits = pd.DataFrame(
        {
            "visit_id": visit_id,
            "host_country": host,
            "visitor_country": home[lead_sorted],
            "place": _maybe(rng.choice(_PLACES, size=n_visits).astype(object), 0.7, rng),
            "start_date": _partial(v_start, rng, precision),
            "end_date": _partial(v_end, rng, precision),
            "visit_type": visit_type,
            "visit_type_basis": basis,
            "occasion": _maybe(rng.choice(_OCCASIONS, size=n_visits).astype(object), 0.4, rng),
            "status": np.where(
                future, "announced", np.where(rng.random(n_visits) < 0.03, "cancelled", "took_place")
            ).astype(object),
            "trip_id": _maybe(np.char.add("trip-", (np.arange(n_visits) // 3).astype(str)).astype(object), 0.3, rng),
            "source_ids": _source_lists(n_visits, source_id, rng),
            "notes": _maybe(
                np.full(n_visits, "Arrived in the evening; talks, then a banquet.", dtype=object), 0.1, rng
            ),
        }
    )

    # --- attendees: the lead plus 0–4 others alive on the day ------------------------------
    spell_start = first_of  # roles are grouped by person, in order
    role_ids = roles["role_id"].to_numpy()

    def role_at(persons_ix: np.ndarray, day: np.ndarray) -> np.ndarray:
        """The role id covering ``day`` for each person, or '' when the day is outside their window."""
        k = np.zeros(len(persons_ix), dtype=int)
        for j in range(1, 4):
            nxt = spell_start[persons_ix] + j
            ok = (j < spells[persons_ix]) & (r_start[np.minimum(nxt, n_roles - 1)] <= day)
            k = np.where(ok, j, k)
        ix = spell_start[persons_ix] + k
        inside = (start[persons_ix] <= day) & (day <= end[persons_ix])
        return np.where(inside, role_ids[ix], "").astype(object)

    lead_rows = pd.DataFrame(
        {
            "visit_id": visit_id,
            "person_id": person_id[lead_sorted],
            "role_id": np.where(rng.random(n_visits) < 0.9, role_at(lead_sorted, v_start), ""),
            "participation": "lead",
        }
    )
    others = rng.choice([0, 1, 2, 3, 4], size=n_visits, p=[0.1, 0.25, 0.3, 0.2, 0.15])
    ov = np.repeat(np.arange(n_visits), others)
    cand = rng.integers(0, n_persons, size=len(ov))
    for _ in range(6):  # resample the dead and the unborn
        day = v_start[ov]
        bad = (birth[cand] > day - 18 * 365) | (dead[cand] & (death[cand] < v_end[ov] + 1))
        bad |= cand == lead_sorted[ov]
        cand[bad] = rng.integers(0, n_persons, size=int(bad.sum()))
    day = v_start[ov]
    alive = ~((birth[cand] > day - 18 * 365) | (dead[cand] & (death[cand] < v_end[ov] + 1)) | (cand == lead_sorted[ov]))
    ov, cand = ov[alive], cand[alive]
    other_rows = pd.DataFrame(
        {
            "visit_id": visit_id[ov],
            "person_id": person_id[cand],
            "role_id": np.where(rng.random(len(ov)) < 0.8, role_at(cand, v_start[ov]), ""),
            "participation": rng.choice(
                ["delegation_member", "host", "counterpart"], size=len(ov), p=[0.5, 0.25, 0.25]
            ),
        }
    )
    attendees = pd.concat([lead_rows, other_rows], ignore_index=True).drop_duplicates(["visit_id", "person_id"])
    n_att = len(attendees)
    attendees["source_ids"] = _source_lists(n_att, source_id, rng)
    attendees["notes"] = _maybe(np.full(n_att, "Named in the readout", dtype=object), 0.03, rng)
    attendees = attendees.sort_values(["visit_id", "person_id"], kind="stable")

    retired = pd.DataFrame(
        {"table_name": pd.Series(dtype=object), "retired_id": [], "replaced_by": [], "retired_in": [], "reason": []}
    )
    # The state-system tables as the repository has them, cited to the code list's source.
    systems = {
        name: pd.read_csv(REPO / "data" / f"{name}.csv", dtype=str, keep_default_na=False).assign(
            source_ids=source_id[0]
        )
        for name in ("states", "state_crosswalk")
    }
    # Visits by leaders of every state to every state are declared complete, foreign ministers' only in part.
    coverage = pd.DataFrame(
        {
            "coverage_id": ["all-leaders", "all-foreign-ministers"],
            "visitor_country": "",
            "host_country": "",
            "role_types": ["head_of_state;head_of_government", "foreign_minister"],
            "start_date": str(pd.Timestamp(_FIRST_DAY, unit="D").year),
            "end_date": str(pd.Timestamp(_TODAY_DAY, unit="D").year - 1),
            "completeness": ["complete", "partial"],
            "basis": "curation",
            "source_ids": "",
            "notes": "",
        }
    )
    return {
        "sources": sources,
        "countries": countries,
        **systems,
        "persons": persons,
        "roles": roles,
        "visits": visits,
        "attendees": attendees,
        "retired_ids": retired,
        "coverage": coverage,
    }


# --- breaking rows ------------------------------------------------------------------------
Edit = Callable[[pd.DataFrame, np.ndarray, dict[str, pd.DataFrame]], None]


def _set(column: str, value: str) -> Edit:
    def edit(df: pd.DataFrame, rows: np.ndarray, _: dict[str, pd.DataFrame]) -> None:
        df.loc[rows, column] = value

    return edit


def _wrap(column: str, before: str, after: str = "") -> Edit:
    def edit(df: pd.DataFrame, rows: np.ndarray, _: dict[str, pd.DataFrame]) -> None:
        df.loc[rows, column] = before + df.loc[rows, column].astype(str) + after

    return edit


def _swap_dates(start: str, end: str) -> Edit:
    def edit(df: pd.DataFrame, rows: np.ndarray, _: dict[str, pd.DataFrame]) -> None:
        df.loc[rows, start] = "2024-06-10"
        df.loc[rows, end] = "2024-06-01"

    return edit


def _shift_role(df: pd.DataFrame, rows: np.ndarray, tables: dict[str, pd.DataFrame]) -> None:
    """Someone else's role (attendee-role-person)."""
    role_ids = tables["roles"]["role_id"].to_numpy()
    df.loc[rows, "role_id"] = role_ids[np.arange(len(rows)) * 7919 % len(role_ids)]


def _ancient_role(df: pd.DataFrame, rows: np.ndarray, tables: dict[str, pd.DataFrame]) -> None:
    """Not a lead any more (visit-has-lead on the visit, when it was the lead)."""
    df.loc[rows, "participation"] = "delegation_member"


def _same_days_as_previous(df: pd.DataFrame, rows: np.ndarray, tables: dict[str, pd.DataFrame]) -> None:
    """Visits are grouped by lead: the previous row's dates make an overlap (or a duplicate visit)."""
    prev = np.maximum(rows - 1, 0)
    df.loc[rows, "start_date"] = df["start_date"].to_numpy()[prev]
    df.loc[rows, "end_date"] = df["end_date"].to_numpy()[prev]


def _duplicate_key(df: pd.DataFrame, rows: np.ndarray, tables: dict[str, pd.DataFrame]) -> None:
    prev = np.maximum(rows - 1, 0)
    df.loc[rows, "visit_id"] = df["visit_id"].to_numpy()[prev]
    df.loc[rows, "person_id"] = df["person_id"].to_numpy()[prev]


EDITS: dict[str, list[tuple[str, Edit]]] = {
    "sources": [
        ("pattern", _set("url", "ftp://example.org/x")),
        ("enum", _set("source_type", "blog")),
        ("type", _set("published", "2024-02-30")),
        ("text-whitespace", _wrap("title", " ")),
    ],
    "persons": [
        ("person-date-order", _swap_dates("birth_date", "death_date")),
        ("pattern", _set("wikidata_id", "q12")),
        ("text-nfc", _set("name", "Jose\u0301 Marti\u0301")),
        ("required", _set("name", "")),
        ("list-items", _wrap("source_ids", "", ";")),
    ],
    "roles": [
        ("role-date-order", _swap_dates("start_date", "end_date")),
        ("role-end-status", _set("end_status", "ended")),
        ("enum", _set("role_type", "King")),
        ("role-lifespan", _set("start_date", "1800")),
        ("role-country-period", _set("country_code", "DDR")),
        ("foreign-key", _set("country_code", "XXX")),
        ("text-control", _wrap("title", "", "\t")),
    ],
    "visits": [
        ("visit-date-order", _swap_dates("start_date", "end_date")),
        ("type", _set("start_date", "2023-13")),
        ("enum", _set("visit_type", "State")),
        ("visit-type-basis", _set("visit_type_basis", "")),
        ("took-place-future", _set("start_date", "2099")),
        ("host-country-period", _set("host_country", "SUN")),
        ("foreign-key", _set("host_country", "XYZ")),
        ("text-formula", _set("occasion", "=HYPERLINK(1)")),
        ("text-whitespace", _wrap("place", "", " ")),
        ("foreign-key", _wrap("source_ids", "", ";no-such-source")),
        ("required", _set("status", "")),
        ("lead-overlap", _same_days_as_previous),
    ],
    "attendees": [
        ("foreign-key", _wrap("visit_id", "x")),
        ("foreign-key", _wrap("person_id", "", "-x")),
        ("attendee-role-person", _shift_role),
        ("visit-has-lead", _ancient_role),
        ("enum", _set("participation", "leader")),
        ("unique-key", _duplicate_key),
        ("list-items", _wrap("source_ids", ";")),
    ],
}


def break_rows(tables: dict[str, pd.DataFrame], share: float, seed: int = 2) -> dict[str, int]:
    """Break about ``share`` of each table's rows, one edit each; returns rows edited per table."""
    rng = np.random.default_rng(seed)
    edited: dict[str, int] = {}
    for name, edits in EDITS.items():
        df = tables[name].reset_index(drop=True)
        rows = np.flatnonzero(rng.random(len(df)) < share)
        which = rng.integers(0, len(edits), size=len(rows))
        for k, (_, edit) in enumerate(edits):
            edit(df, rows[which == k], tables)
        tables[name] = df
        edited[name] = len(rows)
    return edited


def write_project(out: Path, tables: dict[str, pd.DataFrame]) -> None:
    """A project folder: the repository's schemas and package metadata, and these tables."""
    out = Path(out)
    if out.exists():
        shutil.rmtree(out)
    (out / "data").mkdir(parents=True)
    shutil.copytree(REPO / "schemas", out / "schemas")
    descriptor = json.loads((REPO / "datapackage.json").read_text(encoding="utf-8"))
    for r in descriptor["resources"]:  # bytes and hashes describe the repository's files, not these
        r.pop("bytes", None)
        r.pop("hash", None)
    (out / "datapackage.json").write_text(json.dumps(descriptor, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    for name, frame in tables.items():
        frame.to_csv(out / "data" / f"{name}.csv", index=False, lineterminator="\n")
    from visitdata.tables import TABLE_NAMES, load_schema

    for name in TABLE_NAMES:  # tables the generator leaves empty: the header only
        if name not in tables:
            header = ",".join(load_schema(out, name).field_names)
            (out / "data" / f"{name}.csv").write_text(header + "\n", encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("out", type=Path)
    p.add_argument("--visits", type=float, default=1e4, help="number of visits (e.g. 1e5)")
    p.add_argument("--broken", type=float, default=0.0, help="share of rows to break (e.g. 0.1)")
    p.add_argument("--seed", type=int, default=1)
    args = p.parse_args(argv)
    t0 = time.perf_counter()
    tables = generate(int(args.visits), args.seed)
    if args.broken:
        edited = break_rows(tables, args.broken)
        print("broken rows: " + ", ".join(f"{k} {v}" for k, v in edited.items()), file=sys.stderr)
    write_project(args.out, tables)
    rows = ", ".join(f"{k} {len(v)}" for k, v in tables.items())
    print(f"{args.out}: {rows} ({time.perf_counter() - t0:.1f} s)", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
