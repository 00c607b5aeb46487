"""Carry out curators' decisions on person records: merges and splits, every reference moved.

A merge keeps one id and retires the other in ``retired_ids`` (with ``replaced_by``), as the
earlier merges did; the retired record's offices move to the kept person (an office equal
to one the kept person already holds is retired into it), its attendances move too (two rows
of one visit become one, sources joined), and the name it was recorded under goes into the
kept person's notes. The HSG importer follows ``retired_ids``, so a re-import does not bring
the retired id back.

A split moves some visits and offices of one id to a new person; the ``split`` row in
``person_reviews`` tells a re-import to file those visits under the new id.

Both work on :class:`Tables` (every table as strings) so that a script can apply many
decisions and write once; nothing is written until :meth:`Tables.write`.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from .csvio import read_table, write_table
from .tables import load_schema

#: Tables a merge or split touches.
TOUCHED = ("persons", "roles", "attendees", "retired_ids", "person_reviews", "person_identifiers", "role_identifiers")


@dataclass
class Tables:
    """The tables a merge touches, as string frames ('' for missing)."""

    root: Path
    frames: dict[str, pd.DataFrame]

    @classmethod
    def read(cls, root: Path, names: tuple[str, ...] = TOUCHED) -> Tables:
        root = Path(root)
        return cls(root, {n: read_table(root, load_schema(root, n)).frame.fillna("").astype(str) for n in names})

    def __getitem__(self, name: str) -> pd.DataFrame:
        return self.frames[name]

    def __setitem__(self, name: str, frame: pd.DataFrame) -> None:
        self.frames[name] = frame.reset_index(drop=True)

    def append(self, name: str, rows: list[dict[str, str]]) -> None:
        cols = list(self.frames[name].columns)
        new = pd.DataFrame(rows, columns=cols).fillna("")
        self[name] = pd.concat([self.frames[name], new], ignore_index=True)

    def write(self) -> None:
        for name, frame in self.frames.items():
            write_table(self.root, load_schema(self.root, name), frame.replace({"": pd.NA}))


def _join(*lists: str) -> str:
    out: list[str] = []
    for item in lists:
        out += [s for s in item.split(";") if s and s not in out]
    return ";".join(out)


def _same_office(a: pd.Series, b: pd.Series) -> bool:
    keys = ("title", "role_type", "country_code", "organisation", "start_date", "end_date")
    return all(a[k] == b[k] for k in keys)


def merge_person(t: Tables, keep: str, gone: str, reason: str, source_ids: str, release: str) -> None:
    """Merge person ``gone`` into ``keep``: retire it, move its offices and attendances."""
    persons = t["persons"]
    if keep == gone or not (persons.person_id == keep).any() or not (persons.person_id == gone).any():
        raise ValueError(f"merge {gone!r} into {keep!r}: both must be different persons in persons.csv")
    prow = persons[persons.person_id == gone].iloc[0]
    k = persons.index[persons.person_id == keep][0]
    persons.loc[k, "source_ids"] = _join(persons.loc[k, "source_ids"], prow.source_ids)
    if prow["name"] != persons.loc[k, "name"]:
        note = f"Also recorded as {prow['name']}."
        if note not in persons.loc[k, "notes"]:
            persons.loc[k, "notes"] = " ".join(x for x in (persons.loc[k, "notes"], note) if x)
    for col in ("birth_date", "death_date", "name_native", "wikidata_id"):
        if not persons.loc[k, col] and prow[col]:
            persons.loc[k, col] = prow[col]
    t["persons"] = persons[persons.person_id != gone]
    retire = [
        {"table_name": "persons", "retired_id": gone, "replaced_by": keep, "retired_in": release, "reason": reason}
    ]
    roles = t["roles"]
    mine = roles[roles.person_id == keep]
    moved: dict[str, str] = {}
    for i, r in roles[roles.person_id == gone].iterrows():
        twin = next((m.role_id for _, m in mine.iterrows() if _same_office(m, r)), None)
        if twin:
            moved[r.role_id] = twin
            roles.loc[roles.role_id == twin, "source_ids"] = _join(
                mine.loc[mine.role_id == twin].iloc[0].source_ids, r.source_ids
            )
            retire.append({"table_name": "roles", "retired_id": r.role_id, "replaced_by": twin, "retired_in": release,
                           "reason": "Office of a merged duplicate person; the same office as the one that replaces it."})  # fmt: skip
        else:
            roles.loc[i, "person_id"] = keep
    t["roles"] = roles[~roles.role_id.isin(moved)]
    move_attendances(t, gone, keep, moved)
    for name, col in (("role_identifiers", "role_id"), ("person_identifiers", "person_id")):
        frame = t[name]
        mapping = moved if col == "role_id" else {gone: keep}
        frame[col] = frame[col].replace(mapping)
        t[name] = frame.drop_duplicates(
            subset=[c for c in frame.columns if c in ("role_id", "person_id", "scheme", "identifier")]
        )
    t.append("retired_ids", retire)
    record_decision(t, keep, gone, "merge", reason, source_ids)


def move_attendances(t: Tables, old: str, new: str, roles: dict[str, str], visits: set[str] | None = None) -> int:
    """Move attendances of ``old`` (of ``visits`` only, if given) to ``new``; roles follow ``roles``."""
    att = t["attendees"]
    mask = att.person_id == old
    if visits is not None:
        mask &= att.visit_id.isin(visits)
    att.loc[mask, "person_id"] = new
    mine = att["person_id"] == new
    att.loc[mine, "role_id"] = att.loc[mine, "role_id"].replace(roles)
    # one row per visit and person: a visit that had both records keeps the first row
    dup = att.duplicated(subset=["visit_id", "person_id"], keep=False)
    if dup.any():
        merged = []
        for _, group in att[dup].groupby(["visit_id", "person_id"], sort=False):
            first = group.iloc[0].copy()
            order = ["lead", "host", "counterpart", "delegation_member"]
            first["participation"] = min(group.participation, key=order.index)
            first["role_id"] = next((r for r in group.role_id if r), "")
            first["source_ids"] = _join(*group.source_ids)
            first["notes"] = "; ".join(dict.fromkeys(n for n in group.notes if n))
            merged.append(first)
        att = pd.concat([att[~dup], pd.DataFrame(merged)], ignore_index=True)
    t["attendees"] = att
    return int(mask.sum())


def record_decision(t: Tables, person_id: str, other: str, decision: str, reason: str, source_ids: str) -> None:
    """Add (or replace) the curator's decision on a pair."""
    rev = t["person_reviews"]
    pair = {person_id, other}
    rev = rev[~rev.apply(lambda r: {r.person_id, r.other_person_id} == pair, axis=1)] if len(rev) else rev
    t["person_reviews"] = rev
    t.append("person_reviews", [{"person_id": person_id, "other_person_id": other, "decision": decision,
                                 "reason": reason, "source_ids": source_ids}])  # fmt: skip


def split_person(
    t: Tables,
    person_id: str,
    new_person: dict[str, str],
    visits: set[str],
    roles: dict[str, dict[str, str]],
    reason: str,
    source_ids: str,
) -> None:
    """Give the second person held under ``person_id`` their own record.

    ``new_person`` is the new persons row; ``visits`` the visits that are theirs; ``roles``
    maps an office of ``person_id`` to the new role row that replaces it for those visits.
    """
    if (t["persons"].person_id == new_person["person_id"]).any():
        raise ValueError(f"split: person id {new_person['person_id']!r} exists already")
    t.append("persons", [new_person])
    t.append("roles", list(roles.values()))
    att = t["attendees"]
    mask = (att.person_id == person_id) & att.visit_id.isin(visits)
    att.loc[mask, "person_id"] = new_person["person_id"]
    for old, row in roles.items():
        att.loc[mask & (att.role_id == old), "role_id"] = row["role_id"]
    t["attendees"] = att
    record_decision(t, person_id, new_person["person_id"], "split", reason, source_ids)
