"""The panels researchers analyse: directed dyad-years, country-years and leader-years.

Each row says how many visits an office holder of state 1 paid to state 2 in a year, and
whether the data record such visits completely (``covered``). Where the ``coverage`` table does
not declare the pair-year complete for the offices asked about, ``visits`` is missing, never
zero: a panel that read "not recorded" as "no visit" would be wrong in most of its rows.

The installed release's tables are used unless ``tables`` replaces some of them (by name).

Rules, the same in every panel:

* the state system (``"cow"`` or ``"gw"``) decides which states exist in a year: a state is in
  every year it is a member of on any day (as in peacesciencer), and states still members at the
  end of the list stay members up to ``end``;
* a visit counts in the year its start falls in (a start given as a month or a year is still in
  one year), for the states its visitor and host had on its earliest possible first day
  (``visitor_cow``/``host_cow`` or the GW columns of the published visits table; a visit whose
  start straddles a change of code has none and is not counted);
* it counts when its status is in ``status`` and one of its leads held an office (role type) in
  ``offices`` (default: heads of state and of government);
* a visit to a summit or conference (``visit_type`` ``multilateral_meeting``) counts for the host
  state, like any other stay; ``multilateral=False`` leaves such visits out;
* ``covered`` is true when, for every office in ``offices``, a ``complete`` row of the coverage
  table spans the whole year for that visitor and host (or for every visitor or host).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING

import numpy as np

from .coverage import ANY, cell_key, complete_cells, covered, covered_pairs, is_in
from .errors import UsageError

if TYPE_CHECKING:
    import pandas as pd

SYSTEMS: dict[str, tuple[str, str]] = {"cow": ("ccode", "cow"), "gw": ("gwcode", "gw")}
#: The offices counted when none are named: the leaders of states.
LEADER_OFFICES: tuple[str, ...] = ("head_of_state", "head_of_government")
#: ``visit_type`` of a stay at a summit or conference of several states.
MULTILATERAL = "multilateral_meeting"
#: The tables a panel reads.
INPUTS = ("visits", "attendees", "roles", "states", "state_crosswalk", "coverage")


def _system(system: str) -> tuple[str, str]:
    if system not in SYSTEMS:
        raise UsageError(f"unknown state system {system!r}; valid systems: {', '.join(SYSTEMS)}")
    return SYSTEMS[system]


def _tables(tables: Mapping[str, pd.DataFrame] | None, names: Iterable[str] = INPUTS) -> dict[str, pd.DataFrame]:
    """The tables to compute from: those given, else the installed release's."""
    from .load import load

    given = dict(tables or {})
    return {name: given[name] if name in given else load(name) for name in names}


def _ts(values: pd.Series) -> pd.Series:
    import pandas as pd

    return pd.to_datetime(values)


def _offices(offices: Iterable[str] | None, roles: pd.DataFrame) -> list[str]:
    chosen = list(LEADER_OFFICES if offices is None else ([offices] if isinstance(offices, str) else offices))
    vocabulary = (
        roles["role_type"].cat.categories if hasattr(roles["role_type"], "cat") else roles["role_type"].unique()
    )
    unknown = [o for o in chosen if o not in set(vocabulary)]
    if unknown or not chosen:
        raise UsageError(
            f"unknown offices {unknown or chosen!r}; valid offices (role types): {', '.join(map(str, vocabulary))}"
        )
    return chosen


def isin(values: pd.Series, wanted: Iterable[object]) -> np.ndarray:
    """``Series.isin`` in Arrow's C++ kernel: pandas' Arrow-backed strings loop in Python over the values."""
    import pandas as pd
    import pyarrow as pa
    import pyarrow.compute as pc

    def arrow(x: object) -> pa.Array:
        arr = pa.array(x.array if isinstance(x, pd.Series) else list(x))  # type: ignore[union-attr,call-overload]
        return arr.dictionary_decode() if pa.types.is_dictionary(arr.type) else arr

    arr, known = arrow(values), arrow(wanted)
    if not len(known):
        return np.zeros(len(values), dtype=bool)
    known = pc.unique(known.cast(arr.type))
    return np.asarray(pc.is_in(arr, value_set=known).fill_null(False), dtype=bool)


def _kept(visits: pd.DataFrame, status: str | Iterable[str] | None, multilateral: bool) -> np.ndarray:
    """Which visits have a status in ``status`` (None: any) and, unless ``multilateral``, are no summit stay."""
    keep = np.ones(len(visits), dtype=bool)
    if status is not None:
        wanted = [status] if isinstance(status, str) else list(status)
        keep &= isin(visits["status"], wanted)
    if not multilateral:
        keep &= ~isin(visits["visit_type"], [MULTILATERAL])
    return keep


def counted_visits(
    t: Mapping[str, pd.DataFrame],
    offices: list[str],
    status: str | Iterable[str] | None = "took_place",
    multilateral: bool = True,
) -> pd.DataFrame:
    """The visits a panel counts: status and type as asked, led by someone in one of ``offices``; with their start year."""
    visits, attendees, roles = t["visits"], t["attendees"], t["roles"]
    keep = _kept(visits, status, multilateral)
    leads = attendees.loc[isin(attendees["participation"], ["lead"]), ["visit_id", "role_id"]]
    in_office = roles.loc[isin(roles["role_type"], offices), "role_id"]
    led = leads.loc[isin(leads["role_id"], in_office), "visit_id"]
    keep &= isin(visits["visit_id"], led)
    chosen = visits[keep]
    return chosen.assign(year=_ts(chosen["start_date_earliest"]).dt.year.astype("int64"))


def state_years(states: pd.DataFrame, system: str, start: int | None, end: int | None) -> pd.DataFrame:
    """One row (``code``, ``year``) per member of ``system`` and year from ``start`` to ``end``."""
    import pandas as pd

    members = states[states["system"].astype(str) == system]
    first = _ts(members["start_date"]).dt.year.to_numpy()
    last_day = _ts(members["end_date"])
    stop = int(end) if end is not None else int(np.nanmax(last_day.dt.year.to_numpy(dtype=float)))
    last = last_day.dt.year.fillna(stop).to_numpy(dtype=np.int64)
    lo = np.maximum(first, start if start is not None else first.min())
    hi = np.minimum(last, stop)
    n = np.clip(hi - lo + 1, 0, None)
    years = np.repeat(lo, n) + (np.arange(n.sum()) - np.repeat(np.cumsum(n) - n, n))
    codes = np.repeat(members["state_code"].to_numpy(dtype=np.int64), n)
    return (
        pd.DataFrame({"code": codes, "year": years.astype(np.int64)})
        .drop_duplicates()
        .sort_values(["year", "code"], ignore_index=True)
    )


def pairs_within_years(years: np.ndarray, directed: bool = True) -> tuple[np.ndarray, np.ndarray]:
    """Positions (first, second) of every ordered pair of distinct rows sharing a year, in row order.

    ``years`` must be sorted. With ``directed=False``, only pairs with first < second (rows sorted
    by code within a year give code1 < code2). Built with repeat and arithmetic, no merge.
    """
    starts = np.flatnonzero(np.r_[True, years[1:] != years[:-1]]) if len(years) else np.zeros(0, dtype=np.int64)
    sizes = np.diff(np.r_[starts, len(years)])
    squares = sizes * sizes
    offset = np.repeat(np.cumsum(squares) - squares, squares)
    k = np.arange(squares.sum(), dtype=np.int64) - offset
    n, s = np.repeat(sizes, squares), np.repeat(starts, squares)
    first, second = s + k // n, s + k % n
    keep = first < second if not directed else first != second
    return first[keep], second[keep]


def system_codes(crosswalk: pd.DataFrame, system: str) -> pd.DataFrame:
    """The crosswalk of one system as (country_code, code, valid_from, valid_until) for :func:`complete_cells`."""
    import pandas as pd

    cw = crosswalk[crosswalk["system"].astype(str) == system]
    return pd.DataFrame(
        {
            "country_code": cw["country_code"].astype(str).to_numpy(),
            "code": cw["state_code"].to_numpy(dtype=np.int64),
            "valid_from": _ts(cw["valid_from"]).to_numpy(),
            "valid_until": _ts(cw["valid_until"]).to_numpy(),
        }
    )


def _default_end(cov: pd.DataFrame, end: int | None) -> int:
    if end is not None:
        return int(end)
    done = cov[cov["completeness"].astype(str) == "complete"]
    return (
        int(_ts(done["end_date_latest"]).dt.year.max()) if len(done) else int(_ts(cov["end_date_latest"]).dt.year.max())
    )


def _counts(keys: np.ndarray, event_keys: np.ndarray) -> np.ndarray:
    """How many of ``event_keys`` equal each of ``keys`` (vectorised: one sort, one search)."""
    values, counts = np.unique(event_keys, return_counts=True)
    pos = np.clip(np.searchsorted(values, keys), 0, max(len(values) - 1, 0))
    found = (values[pos] == keys) if len(values) else np.zeros(len(keys), dtype=bool)
    return np.where(found, counts[pos] if len(values) else 0, 0)


def _nullable(counts: np.ndarray, covered_mask: np.ndarray) -> pd.arrays.IntegerArray:
    import pandas as pd

    return pd.arrays.IntegerArray(counts.astype(np.int64), ~covered_mask)


def _system_inputs(
    system: str,
    start: int | None,
    end: int | None,
    offices: Iterable[str] | None,
    status: str | Iterable[str] | None,
    multilateral: bool,
    tables: Mapping[str, pd.DataFrame] | None,
) -> tuple[str, list[str], pd.DataFrame, tuple[np.ndarray, ...], pd.DataFrame]:
    """What dyad- and country-years share: the tables, the offices, the state-years, the counted
    visits' (visitor code, host code, year) and the complete coverage cells, in ``system``'s codes."""
    prefix, column = _system(system)
    t = _tables(tables)
    chosen = _offices(offices, t["roles"])
    sy = state_years(t["states"], system, start, _default_end(t["coverage"], end))
    ev = counted_visits(t, chosen, status, multilateral)[[f"visitor_{column}", f"host_{column}", "year"]].dropna()
    visits = tuple(ev[c].to_numpy(dtype=np.int64) for c in (f"visitor_{column}", f"host_{column}", "year"))
    cells = complete_cells(t["coverage"], system_codes(t["state_crosswalk"], system))
    return prefix, chosen, sy, visits, cells


def dyad_years(
    system: str = "cow",
    directed: bool = True,
    start: int | None = None,
    end: int | None = None,
    offices: Iterable[str] | None = None,
    status: str | Iterable[str] | None = "took_place",
    multilateral: bool = True,
    *,
    tables: Mapping[str, pd.DataFrame] | None = None,
) -> pd.DataFrame:
    """One row per ordered pair of member states of ``system`` and year: visits from 1 to 2, or missing.

    ``system`` is ``"cow"`` (columns ``ccode1``, ``ccode2``) or ``"gw"`` (``gwcode1``, ``gwcode2``);
    1 is the visiting state, 2 the host. ``directed=False`` gives each unordered pair once
    (``1 < 2``), counting visits either way, covered only where both directions are. ``start`` and
    ``end`` bound the years (default: the system's first year, the last year complete coverage
    reaches). ``offices``, ``status`` and ``multilateral`` choose the visits (see the module's
    rules). ``tables`` replaces tables of the installed release (by name), e.g. for tests.
    """
    import pandas as pd

    prefix, chosen, sy, (ea, eb, ey), cells = _system_inputs(system, start, end, offices, status, multilateral, tables)
    first, second = pairs_within_years(sy["year"].to_numpy(), directed)
    code, years = sy["code"].to_numpy(dtype=np.int64), sy["year"].to_numpy(dtype=np.int64)
    a, b, year = code[first], code[second], years[first]
    if not directed:
        ea, eb = np.minimum(ea, eb), np.maximum(ea, eb)
    counts = _counts(cell_key(a, b, year), cell_key(ea, eb, ey))
    ok = covered_pairs(cells, code, years, first, second, chosen)
    if not directed:
        ok &= covered_pairs(cells, code, years, second, first, chosen)
    return pd.DataFrame(
        {f"{prefix}1": a, f"{prefix}2": b, "year": year, "visits": _nullable(counts, ok), "covered": ok}
    )


def country_years(
    system: str = "cow",
    direction: str = "out",
    start: int | None = None,
    end: int | None = None,
    offices: Iterable[str] | None = None,
    status: str | Iterable[str] | None = "took_place",
    multilateral: bool = True,
    *,
    tables: Mapping[str, pd.DataFrame] | None = None,
) -> pd.DataFrame:
    """One row per member state of ``system`` and year: visits it made (``direction="out"``) or received (``"in"``).

    Counted as in :func:`dyad_years` (visits between two members of the system, so the counts
    add up to the dyad-years'); ``covered`` is true where the coverage table declares the
    state's visits to every host (or from every visitor) complete for the year.
    """
    import pandas as pd

    if direction not in ("out", "in"):
        raise UsageError(f"unknown direction {direction!r}; valid directions: out, in")
    prefix, chosen, sy, (ea, eb, ey), cells = _system_inputs(system, start, end, offices, status, multilateral, tables)
    code, year = sy["code"].to_numpy(), sy["year"].to_numpy()
    members = cell_key(code, np.full_like(code, ANY), year)
    both = is_in(cell_key(ea, np.full_like(ea, ANY), ey), members) & is_in(
        cell_key(eb, np.full_like(eb, ANY), ey), members
    )
    own = (ea if direction == "out" else eb)[both]
    anyone = np.full_like(code, ANY)
    counts = _counts(cell_key(code, anyone, year), cell_key(own, np.full_like(own, ANY), ey[both]))
    ok = (
        covered(cells, code, anyone, year, chosen) if direction == "out" else covered(cells, anyone, code, year, chosen)
    )
    return pd.DataFrame({prefix: code, "year": year, "visits": _nullable(counts, ok), "covered": ok})


def _spell_years(roles: pd.DataFrame, start: int | None, end: int) -> pd.DataFrame:
    """One row per dated spell in office and year of the spell, with the spell's bounds."""
    start_day, end_day = _ts(roles["start_date_earliest"]), _ts(roles["end_date_latest"])
    dated = start_day.notna() & (end_day.notna() | (roles["end_status"].astype(str) == "ongoing"))
    spells = roles[dated.to_numpy()]
    first = start_day[dated].dt.year.to_numpy(dtype=np.int64)
    last = end_day[dated].dt.year.fillna(end).to_numpy(dtype=np.int64)
    lo, hi = np.maximum(first, start if start is not None else first.min(initial=0)), np.minimum(last, end)
    n = np.clip(hi - lo + 1, 0, None)
    rows = np.repeat(np.arange(len(n)), n)
    years = np.repeat(lo, n) + (np.arange(n.sum()) - np.repeat(np.cumsum(n) - n, n))
    out = spells.iloc[rows][["role_id", "person_id", "country_code", "role_type"]].reset_index(drop=True)
    return out.assign(
        year=years.astype(np.int64),
        spell_start=start_day[dated].to_numpy()[rows],
        spell_end=end_day[dated].to_numpy()[rows],
    )


def leader_years(
    start: int | None = None,
    end: int | None = None,
    offices: Iterable[str] | None = None,
    status: str | Iterable[str] | None = "took_place",
    multilateral: bool = True,
    *,
    tables: Mapping[str, pd.DataFrame] | None = None,
) -> pd.DataFrame:
    """One row per dated spell in office (``roles`` with a start, and an end or ongoing) and year of it.

    ``visits_made``: visits the holder led in that office, starting in the year;
    ``covered_made``: the coverage table declares visits by that office of that country to every
    host complete for the year. ``visits_received``: visits to the spell's country led by an
    office in ``offices``, starting in the year and within the spell; ``covered_received``: every
    office in ``offices`` is declared complete for visits to the country from every visitor.
    Missing where not covered. Countries are the ISO codes of the roles table.
    """
    import pandas as pd

    t = _tables(tables, ("visits", "attendees", "roles", "coverage"))
    visits, roles = t["visits"], t["roles"]
    chosen = _offices(offices, roles)
    end = _default_end(t["coverage"], end)
    sy = _spell_years(roles, start, end)
    iso = pd.Index(pd.unique(pd.concat([roles["country_code"].astype(str), visits["host_country"].astype(str)])))
    codes = pd.DataFrame(
        {"country_code": iso, "code": np.arange(len(iso)), "valid_from": pd.NaT, "valid_until": pd.NaT}
    )
    cells = complete_cells(t["coverage"], codes)
    country, year = iso.get_indexer(sy["country_code"].astype(str)), sy["year"].to_numpy()
    anyone = np.full_like(country, ANY)
    # Made: the lead's own spell, whatever the office.
    kept = visits[_kept(visits, status, multilateral)]
    kept = kept.assign(year=_ts(kept["start_date_earliest"]).dt.year)
    leads = t["attendees"].loc[t["attendees"]["participation"].astype(str) == "lead", ["visit_id", "role_id"]].dropna()
    made = leads.merge(kept[["visit_id", "year"]], on="visit_id")
    role_code = pd.Index(sy["role_id"].astype(str).unique())
    spell = role_code.get_indexer(sy["role_id"].astype(str))
    made_n = _counts(
        cell_key(spell, anyone, year),
        cell_key(role_code.get_indexer(made["role_id"].astype(str)), np.full(len(made), ANY), made["year"].to_numpy()),
    )
    ok_made = np.zeros(len(sy), dtype=bool)
    for office in sy["role_type"].astype(str).unique():
        mine = (sy["role_type"].astype(str) == office).to_numpy()
        ok_made[mine] = covered(cells, country[mine], anyone[mine], year[mine], [office])
    # Received: visits to the spell's country within the spell.
    events = counted_visits(t, chosen, status, multilateral)
    hosted = (
        sy[["role_id", "country_code", "year", "spell_start", "spell_end"]]
        .assign(country_code=sy["country_code"].astype(str))
        .merge(
            pd.DataFrame(
                {
                    "country_code": events["host_country"].astype(str).to_numpy(),
                    "year": events["year"].to_numpy(),
                    "day": _ts(events["start_date_earliest"]).to_numpy(),
                }
            ),
            on=["country_code", "year"],
        )
    )
    within = (hosted["day"] >= hosted["spell_start"]) & (
        hosted["spell_end"].isna() | (hosted["day"] <= hosted["spell_end"])
    )
    hosted = hosted[within]
    received_n = _counts(
        cell_key(spell, anyone, year),
        cell_key(
            role_code.get_indexer(hosted["role_id"].astype(str)), np.full(len(hosted), ANY), hosted["year"].to_numpy()
        ),
    )
    ok_received = covered(cells, anyone, country, year, chosen)
    return pd.DataFrame(
        {
            "role_id": sy["role_id"].astype(str),
            "person_id": sy["person_id"].astype(str),
            "country_code": sy["country_code"].astype(str),
            "role_type": sy["role_type"].astype(str),
            "year": year,
            "visits_made": _nullable(made_n, ok_made),
            "covered_made": ok_made,
            "visits_received": _nullable(received_n, ok_received),
            "covered_received": ok_received,
        }
    )


#: The panels' columns that are not state codes: title (a Stata variable label) and description.
COLUMNS: dict[str, tuple[str, str]] = {
    "year": ("Year", "Calendar year."),
    "visits": (
        "Visits (missing: not covered)",
        "Visits counted in the year; missing where the coverage table does not declare them complete.",
    ),
    "covered": (
        "Declared complete",
        "Whether the coverage table declares the year complete for the offices asked about.",
    ),
    "role_id": ("Spell in office", "The spell (roles.role_id)."),
    "person_id": ("Person", "The holder (persons.person_id)."),
    "country_code": ("Country (ISO)", "Country of the office (ISO alpha-3)."),
    "role_type": ("Office", "Role type of the spell."),
    "visits_made": (
        "Visits made (missing: not covered)",
        "Visits the holder led in this office, starting in the year.",
    ),
    "covered_made": (
        "Visits made declared complete",
        "Whether visits by this office of this country to every host are declared complete.",
    ),
    "visits_received": (
        "Visits received (missing: not covered)",
        "Visits to the country within the spell, led by an office asked about.",
    ),
    "covered_received": (
        "Visits received declared complete",
        "Whether visits to the country from every visitor are declared complete.",
    ),
}
PANELS = ("dyad-years", "country-years", "leader-years")


def panel_fields(columns: Iterable[str], system: str | None = None) -> list[dict[str, str]]:
    """Table Schema field descriptors (name, title, description) of a panel's columns, for labels."""
    name = {"cow": "COW", "gw": "GW"}.get(system or "", "")
    state = {"1": "Visiting state", "2": "Host state", "": "State"}
    fields = []
    for column in columns:
        if column in COLUMNS:
            title, description = COLUMNS[column]
        else:
            title = f"{state[column[-1] if column[-1] in '12' else '']} ({name} code)"
            description = f"{title}: the state's number in the {name} state system."
        fields.append({"name": column, "title": title, "description": description})
    return fields
