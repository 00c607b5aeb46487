"""Data rules on state-system numbers: the crosswalk's periods and the visiting state.

Registered in :mod:`visitdata.rules` like every other rule (imported at its end), kept apart
so that each module stays small. As everywhere, a rule fails only where the data certainly
break it: missing or malformed values pass (other rules report them).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .context import Context
from .rules import data_rule
from .vocabulary import LEAD, ONGOING

_XW = "state_crosswalk"
#: An open end: the last day a second-precision date can hold, after every real date.
_OPEN = np.datetime64("9999-12-31", "s")


def _crosswalk(ctx: Context) -> pd.DataFrame:
    """The crosswalk's keys and parsed bounds, an open end as the last representable day."""

    def compute() -> pd.DataFrame:
        frame = ctx.frame(_XW)
        return pd.DataFrame(
            {
                "code": frame["country_code"],
                "system": frame["system"],
                "number": pd.to_numeric(frame["state_code"], errors="coerce"),
                "from": ctx.earliest(_XW, "valid_from"),
                "until": ctx.latest(_XW, "valid_until").fillna(_OPEN),
            },
            index=frame.index,
        )

    return ctx.memo("crosswalk_periods", compute)


def _previous(ctx: Context) -> pd.DataFrame:
    """For each crosswalk row, the period of the same code and system that starts just before it."""

    def compute() -> pd.DataFrame:
        xw = _crosswalk(ctx).dropna(subset=["code", "system", "from"])
        xw = xw.sort_values(["code", "system", "from"], kind="stable")
        same = (xw["code"] == xw["code"].shift()) & (xw["system"] == xw["system"].shift())
        return pd.DataFrame(
            {
                "until": xw["until"].shift().where(same),
                "from": ctx.frame(_XW)["valid_from"].reindex(xw.index).shift().where(same),
            },
            index=xw.index,
        )

    return ctx.memo("crosswalk_previous", compute)


@data_rule(
    "crosswalk-overlap",
    _XW,
    "valid_from",
    "Two periods of one country code in one state system overlap: a day would have two numbers.",
    "End the earlier period (valid_until) the day before the later one starts, or merge the rows.",
    detail=lambda ctx, ix: "overlaps the period from " + _previous(ctx)["from"].reindex(ix).fillna("?"),
)
def _crosswalk_overlap(ctx: Context) -> pd.Series:
    prev, xw = _previous(ctx), _crosswalk(ctx)
    overlaps = prev["until"].notna() & (prev["until"] >= xw["from"].reindex(prev.index))
    return (~overlaps).reindex(ctx.frame(_XW).index, fill_value=True)


def _members(ctx: Context) -> pd.DataFrame:
    def compute() -> pd.DataFrame:
        states = ctx.frame("states")
        return pd.DataFrame(
            {
                "system": states["system"],
                "number": pd.to_numeric(states["state_code"], errors="coerce"),
                "start": ctx.earliest("states", "start_date"),
                "end": ctx.latest("states", "end_date").fillna(_OPEN),
            }
        ).dropna(subset=["system", "number", "start"])

    return ctx.memo("state_members", compute)


@data_rule(
    "crosswalk-membership",
    _XW,
    "state_code",
    "A crosswalk period gives a number that was not a member of its state system for the whole period.",
    "Check the number and the period against states.csv: a period must lie within one membership period "
    "(split it where the state left the system; no row where it was not a member).",
)
def _crosswalk_membership(ctx: Context) -> pd.Series:
    xw = _crosswalk(ctx).reset_index(names="row").dropna(subset=["system", "number", "from"])
    pairs = xw.merge(_members(ctx), on=["system", "number"])
    inside = pairs[(pairs["start"] <= pairs["from"]) & (pairs["until"] <= pairs["end"])]
    ok = pd.Series(True, index=ctx.frame(_XW).index)
    ok[xw["row"].to_numpy()] = False
    ok[inside["row"].unique()] = True
    return ok


def _lead_offices(ctx: Context) -> pd.DataFrame:
    """Per visit row: its lead's office country and the office's certain span (None where the
    visit has no lead with a role, or several leads)."""

    def compute() -> pd.DataFrame:
        visits, attendees = ctx.frame("visits"), ctx.frame("attendees")
        lead = (attendees["participation"] == LEAD).to_numpy(dtype=bool)
        rows = ctx.follow("attendees", "role_id", "roles", "role_id")[lead]
        office = ctx.take(
            "roles",
            ["country_code", "start_date_latest", "end_date_earliest", "end_status"],
            rows,
            attendees.index[lead],
        )
        office["visit_row"] = ctx.follow("attendees", "visit_id", "visits", "visit_id")[lead]
        office = office[office["visit_row"] >= 0].drop_duplicates("visit_row", keep=False)
        return office.set_index("visit_row").reindex(pd.RangeIndex(len(visits))).set_axis(visits.index)

    return ctx.memo("lead_offices", compute)


@data_rule(
    "visitor-country-lead",
    "visits",
    "visitor_country",
    "The visiting state is not the country of the lead's office, though that office's dates cover the visit.",
    "Set visitor_country to the country of the lead's office (roles.country_code), or give the lead the "
    "office they travelled in.",
    detail=lambda ctx, ix: "the lead's office is of " + _lead_offices(ctx)["country_code"].reindex(ix).fillna("?"),
)
def _visitor_country_lead(ctx: Context) -> pd.Series:
    office, visits = _lead_offices(ctx), ctx.frame("visits")
    started = office["start_date_latest"] <= ctx.earliest("visits", "start_date")
    # Without an end date, only an office recorded as ongoing certainly covers the visit.
    ongoing = office["end_date_earliest"].isna() & (office["end_status"] == ONGOING)
    not_ended = ongoing | (office["end_date_earliest"] >= ctx.latest("visits", "end_date"))
    covers = (started & not_ended).fillna(False).astype(bool)
    differs = (office["country_code"] != visits["visitor_country"]).fillna(False).astype(bool)
    return ~(covers & differs)
