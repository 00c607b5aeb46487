"""The vocabulary values the code names, each once; ``tests/test_vocabulary.py`` checks every
one against the ``enum`` of its column in ``schemas/*.json``, so renaming a value in a schema
without the code (or the reverse) fails the suite.

>>> LEAD, TOOK_PLACE
('lead', 'took_place')
"""

from __future__ import annotations

#: The delimiter of every list column (``source_ids``): tests/test_vocabulary.py checks the schemas use it.
LIST_DELIMITER = ";"

#: (table, column) -> the values of that column's vocabulary the code names.
USED: dict[tuple[str, str], tuple[str, ...]] = {}


def _terms(table: str, column: str, *values: str) -> tuple[str, ...]:
    USED[(table, column)] = USED.get((table, column), ()) + values
    return values


LEAD, DELEGATION_MEMBER, HOST, COUNTERPART = _terms(
    "attendees", "participation", "lead", "delegation_member", "host", "counterpart"
)
ANNOUNCED, TOOK_PLACE = _terms("visits", "status", "announced", "took_place")
STATED, INFERRED = _terms("visits", "visit_type_basis", "stated", "inferred")
(MULTILATERAL_MEETING, CEREMONY, UNSPECIFIED) = _terms(
    "visits", "visit_type", "multilateral_meeting", "ceremony", "unspecified"
)
ENDED, ONGOING, END_UNKNOWN = _terms("roles", "end_status", "ended", "ongoing", "unknown")
HEAD_OF_STATE, FOREIGN_MINISTER, OTHER_ROLE = _terms("roles", "role_type", "head_of_state", "foreign_minister", "other")
ISO_FORMER = _terms("countries", "iso_status", "former")[0]
DATASET, REFERENCE_WORK = _terms("sources", "source_type", "dataset", "reference_work")
