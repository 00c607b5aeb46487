"""Honour the curators' ``split`` decisions (``person_reviews``) on a re-import.

When one imported id held two people, the review splits it: a visit of the second person moves
to a new id in the curated attendees. A re-import generates the attendance under the old id
again; this stage follows the curated row instead (its person and its office), so the import
never puts the visit back under the wrong person.
"""

from __future__ import annotations

from collections import Counter, defaultdict

from ...errors import TableReadError
from ..merge import Merger


def follow_splits(merger: Merger, tables: dict[str, list[dict[str, str]]], stats: Counter) -> None:
    """Move generated attendances of a split id to the person the curated data file them under."""
    try:
        reviews = merger.read("person_reviews")
        curated = merger.read("attendees")
    except (KeyError, OSError, TableReadError):
        return  # no review table (an older project): nothing to follow
    split: dict[str, set[str]] = defaultdict(set)
    for r in reviews[reviews["decision"] == "split"].to_dict("records"):
        split[str(r["person_id"])].add(str(r["other_person_id"]))
    if not split:
        return
    role_of = {
        (str(r["visit_id"]), str(r["person_id"])): ("" if r["role_id"] is None else str(r["role_id"]))
        for r in curated.to_dict("records")
    }
    for row in tables["attendees"]:
        if (row["visit_id"], row["person_id"]) in role_of:
            continue
        for other in sorted(split.get(row["person_id"], ())):
            if (row["visit_id"], other) in role_of:
                row["person_id"], row["role_id"] = other, role_of[(row["visit_id"], other)]
                stats["split_attendances_followed"] += 1
                break
