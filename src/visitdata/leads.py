"""Who led a visit, and for which country: computed once, for the README tables and the card.

The lead's country is the country of the office the lead held (``roles.country_code``); where
several persons lead one visit, the first by ``person_id`` counts. (The SQLite views in
:mod:`visitdata.sqlite` apply the same rule in SQL.)
"""

from __future__ import annotations

import pandas as pd

from .vocabulary import LEAD


def lead_country(attendees: pd.DataFrame, roles: pd.DataFrame) -> pd.Series:
    """``visit_id`` -> country code of its lead's office (missing where the lead has no role).

    Works on the curated tables (all text) and on the loaded release (categoricals) alike.
    """
    leads = attendees[attendees["participation"].astype(str) == LEAD]
    leads = leads.sort_values(["visit_id", "person_id"], kind="stable").drop_duplicates("visit_id")
    merged = leads[["visit_id", "role_id"]].merge(roles[["role_id", "country_code"]], on="role_id", how="left")
    return pd.Series(merged["country_code"].to_numpy(), index=pd.Index(merged["visit_id"]), name="lead_country")
