"""Pairs of visits one person leads whose dates meet: the self-join behind the overlap and
duplicate-visit rules (:mod:`visitdata.rules`), by a sort and a sweep instead of a join."""

from __future__ import annotations

import numpy as np
import pandas as pd


def codes(*columns: pd.Series) -> np.ndarray:
    """Shared integer codes for the values of one or more string columns (missing is a value too)."""
    values = columns[0] if len(columns) == 1 else pd.concat(columns, ignore_index=True)
    codes, _ = pd.factorize(values, use_na_sentinel=False)
    return np.asarray(codes, dtype=np.int64)


def candidate_pairs(leads: pd.DataFrame) -> pd.DataFrame:
    """Pairs of lead rows of one person whose possible presence may meet, in both orders.

    What a self-join on person gives, restricted to the pairs that can overlap or share their
    dates at all, by a sort and a sweep: a person with k visits yields about k pairs, not k²
    (at a million visits the self-join builds tens of millions of rows). Sorted by person and
    earliest start, only the later visits that start before a visit's latest end (or on its
    start, for reversed dates) can meet it. Ordered by row, then other row, as the self-join was.
    """
    person = codes(leads["person_id"])
    start = leads["start_date_earliest"].to_numpy().astype("datetime64[D]").astype(np.int64)
    end = leads["end_date_latest"].to_numpy().astype("datetime64[D]").astype(np.int64)
    order = np.lexsort((start, person))
    width, offset = 1 << 23, 1 << 22  # one block of days per person; days since 1970 fit in the block
    key = person[order] * width + start[order] + offset
    reach = np.maximum(start, end)[order]
    limit = np.searchsorted(key, person[order] * width + reach + offset, side="right")
    after = np.arange(len(key)) + 1
    counts = np.maximum(limit - after, 0)
    i = np.repeat(np.arange(len(key)), counts)
    j = np.arange(int(counts.sum())) - np.repeat(np.cumsum(counts) - counts, counts) + after[i]
    a, b = np.r_[order[i], order[j]], np.r_[order[j], order[i]]
    left = leads.iloc[a].reset_index(drop=True)
    right = leads.drop(columns="person_id").iloc[b].add_suffix("_other").reset_index(drop=True)
    return pd.concat([left, right], axis=1).sort_values(["row", "row_other"], kind="stable", ignore_index=True)


def overlap_pairs(leads: pd.DataFrame) -> pd.DataFrame:
    """Pairs of visits led by one person whose dates overlap, classified (vectorised self-join).

    ``leads``: one row per lead attendance with its visit's columns and parsed dates. Certain
    presence runs from the latest possible start to the earliest possible end; possible
    presence from the earliest possible start to the latest possible end.
    """
    leads = leads.reset_index(names="row")
    leads = leads[
        [
            "row",
            "person_id",
            "visit_id",
            "host_country",
            "trip_id",
            "start_date_earliest",
            "start_date_latest",
            "end_date_earliest",
            "end_date_latest",
        ]
    ].dropna(subset=["start_date_earliest", "end_date_latest"])
    pairs = candidate_pairs(leads)
    certain = pairs[["end_date_earliest", "end_date_earliest_other"]].min(axis=1) - pairs[
        ["start_date_latest", "start_date_latest_other"]
    ].max(axis=1)
    possible = pairs[["end_date_latest", "end_date_latest_other"]].min(axis=1) - pairs[
        ["start_date_earliest", "start_date_earliest_other"]
    ].max(axis=1)
    same_country = pairs["host_country"] == pairs["host_country_other"]
    same_trip = pairs["trip_id"].notna() & (pairs["trip_id"] == pairs["trip_id_other"])
    day = pd.Timedelta(days=1)
    kind = pd.Series(None, index=pairs.index, dtype=object)
    # Two stops in one country sharing a travel day (Bonn, then West Berlin) are not duplicates;
    # the same dates twice, or two shared days, are.
    identical = (pairs["start_date_earliest"] == pairs["start_date_earliest_other"]) & (
        pairs["end_date_latest"] == pairs["end_date_latest_other"]
    )
    kind[same_country & ((possible >= day) | identical)] = "possible-duplicate-visit"
    kind[same_country & ((certain >= day) | (identical & (certain >= pd.Timedelta(0))))] = "duplicate-visit"
    kind[~same_country & (certain >= day) & same_trip] = "lead-overlap-same-trip"
    kind[~same_country & (certain >= day) & ~same_trip] = "lead-overlap"
    pairs = pairs.assign(kind=kind)
    return pairs[pairs["kind"].notna()][["row", "visit_id_other", "kind"]]
