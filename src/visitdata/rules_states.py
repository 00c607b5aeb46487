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
